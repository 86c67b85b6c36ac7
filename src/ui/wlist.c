/*
 * wlist.c — the settings editor's list editor; see wlist.h.
 *
 * The list keeps its items in tier order with tiers numbered 0, 1, ...
 * without gaps; every change that can empty or reorder tiers ends with
 * renumber(). Lists without tiers keep every item in tier 0, so the same
 * moves work on both. The overlay only draws and maps keys onto the pure
 * functions; what a valid item is, the engine says when the list is
 * applied (reg_normalize, or the tag rules for tags).
 */
#include "ui/wlist.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ui/format.h"
#include "util/str.h"

/* ---- the list ------------------------------------------------------------------- */

bool ui_wlist_wants(const struct reg_key *k)
{
    if (!k) return false;
    return k->type == REG_HOSTPORTS || k->type == REG_CIDRS || k->type == REG_URLS ||
           (k->flags & REG_F_LIST);
}

bool ui_wlist_has_tiers(const struct reg_key *k)
{
    return k && k->type == REG_URLS && (k->flags & REG_F_TIERS);
}

/* Room for `more` more items. */
static int reserve(struct ui_wlist *l, size_t more)
{
    if (l->n + more <= l->cap) return 0;
    size_t cap = l->cap ? l->cap : 8;
    while (cap < l->n + more)
        cap *= 2;
    struct ui_wlist_item *it = realloc(l->items, cap * sizeof *it);
    if (!it) return -ENOMEM;
    l->items = it;
    l->cap = cap;
    return 0;
}

/* Tiers 0, 1, ... in list order, gaps dropped (the items are in order). */
static void renumber(struct ui_wlist *l)
{
    int t = -1, prev = 0;
    for (size_t i = 0; i < l->n; i++) {
        if (!l->tiered) {
            l->items[i].tier = 0;
            continue;
        }
        if (i == 0 || l->items[i].tier != prev) t++;
        prev = l->items[i].tier;
        l->items[i].tier = t;
    }
}

/* Takes item i out (its text stays with the returned item). */
static struct ui_wlist_item take(struct ui_wlist *l, size_t i)
{
    struct ui_wlist_item it = l->items[i];
    memmove(&l->items[i], &l->items[i + 1], (l->n - i - 1) * sizeof l->items[0]);
    l->n--;
    return it;
}

/* Puts it back at index at (room guaranteed: it was just taken). */
static void put(struct ui_wlist *l, size_t at, struct ui_wlist_item it)
{
    memmove(&l->items[at + 1], &l->items[at], (l->n - at) * sizeof l->items[0]);
    l->items[at] = it;
    l->n++;
}

int ui_wlist_split(struct ui_wlist *l, const char *text, bool tiered)
{
    struct ui_wlist tmp = {.tiered = tiered};
    const char *p = text ? text : "";
    int tier = 0;
    bool tier_used = false;
    while (*p) {
        size_t raw = strcspn(p, tiered ? ",|" : ","), len = raw;
        const char *s = p;
        s = util_trim(s, &len);
        if (len) {
            char *copy = strndup(s, len);
            if (!copy || reserve(&tmp, 1) < 0) {
                free(copy);
                ui_wlist_free(&tmp);
                return -ENOMEM;
            }
            tmp.items[tmp.n++] = (struct ui_wlist_item){.text = copy, .tier = tier};
            tier_used = true;
        }
        if (p[raw] == '|' && tier_used) {
            tier++;
            tier_used = false;
        }
        p += raw + (p[raw] ? 1 : 0);
    }
    renumber(&tmp);
    ui_wlist_free(l);
    *l = tmp;
    return 0;
}

char *ui_wlist_join(const struct ui_wlist *l)
{
    size_t len = 1;
    for (size_t i = 0; i < l->n; i++)
        len += strlen(l->items[i].text) + 1;
    char *out = malloc(len);
    if (!out) return NULL;
    size_t o = 0;
    for (size_t i = 0; i < l->n; i++) {
        if (i) out[o++] = l->items[i].tier != l->items[i - 1].tier ? '|' : ',';
        size_t tl = strlen(l->items[i].text);
        memcpy(out + o, l->items[i].text, tl);
        o += tl;
    }
    out[o] = '\0';
    return out;
}

void ui_wlist_free(struct ui_wlist *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->items[i].text);
    free(l->items);
    l->items = NULL;
    l->n = l->cap = 0;
}

int ui_wlist_tiers(const struct ui_wlist *l)
{
    return l->n ? l->items[l->n - 1].tier + 1 : 0;
}

int ui_wlist_insert(struct ui_wlist *l, size_t at, const char *text, int tier)
{
    /* Split into a list of its own first: l stays as it was on failure. */
    struct ui_wlist add = {0};
    const char *p = text ? text : "";
    while (*p) {
        size_t raw = strcspn(p, l->tiered ? ",|" : ","), len = raw;
        const char *s = p;
        s = util_trim(s, &len);
        if (len) {
            char *copy = strndup(s, len);
            if (!copy || reserve(&add, 1) < 0) {
                free(copy);
                ui_wlist_free(&add);
                return -ENOMEM;
            }
            add.items[add.n++] = (struct ui_wlist_item){.text = copy};
        }
        p += raw + (p[raw] ? 1 : 0);
    }
    if (add.n == 0) return 0;
    if (reserve(l, add.n) < 0) {
        ui_wlist_free(&add);
        return -ENOMEM;
    }
    if (at > l->n) at = l->n;
    int lo = at > 0 ? l->items[at - 1].tier : 0;
    int hi = at < l->n ? l->items[at].tier : INT_MAX;
    if (!l->tiered) tier = 0;
    tier = tier < lo ? lo : tier > hi ? hi : tier;
    memmove(&l->items[at + add.n], &l->items[at], (l->n - at) * sizeof l->items[0]);
    for (size_t i = 0; i < add.n; i++)
        l->items[at + i] = (struct ui_wlist_item){.text = add.items[i].text, .tier = tier};
    l->n += add.n;
    int n = (int)add.n;
    free(add.items); /* the texts are l's now */
    renumber(l);
    return n;
}

int ui_wlist_replace(struct ui_wlist *l, size_t i, const char *text)
{
    if (i >= l->n) return -ERANGE;
    struct ui_wlist_item old = l->items[i];
    /* Insert after it in its tier, then drop it: on failure nothing moved. */
    int n = ui_wlist_insert(l, i + 1, text, old.tier);
    if (n < 0) return n;
    free(take(l, i).text);
    renumber(l);
    return n;
}

void ui_wlist_remove(struct ui_wlist *l, size_t i)
{
    if (i >= l->n) return;
    free(take(l, i).text);
    renumber(l);
}

size_t ui_wlist_move(struct ui_wlist *l, size_t i, int dir)
{
    if (i >= l->n || dir == 0) return i;
    size_t j = dir > 0 ? i + 1 : i - 1;
    if (dir > 0 ? i + 1 >= l->n : i == 0) return i;
    if (l->items[j].tier == l->items[i].tier) {
        struct ui_wlist_item t = l->items[i];
        l->items[i] = l->items[j];
        l->items[j] = t;
        return j;
    }
    /* At the edge of its tier: it joins the neighbouring tier in place. */
    l->items[i].tier = l->items[j].tier;
    renumber(l);
    return i;
}

/* Index of the first item whose tier is greater than t (l->n if none). */
static size_t after_tier(const struct ui_wlist *l, int t)
{
    size_t j = 0;
    while (j < l->n && l->items[j].tier <= t)
        j++;
    return j;
}

size_t ui_wlist_to_tier(struct ui_wlist *l, size_t i, int dir)
{
    if (!l->tiered || i >= l->n || dir == 0) return i;
    int t = l->items[i].tier, last = ui_wlist_tiers(l) - 1;
    bool alone =
        (i == 0 || l->items[i - 1].tier != t) && (i + 1 == l->n || l->items[i + 1].tier != t);
    size_t at;
    if (dir > 0 && t == last) {
        if (alone) return i;
        struct ui_wlist_item it = take(l, i);
        it.tier = last + 1;
        at = l->n;
        put(l, at, it);
    } else if (dir > 0) {
        struct ui_wlist_item it = take(l, i);
        it.tier = t + 1;
        at = after_tier(l, t); /* the start of tier t + 1 */
        put(l, at, it);
    } else if (t == 0) {
        if (alone) return i;
        struct ui_wlist_item it = take(l, i);
        for (size_t j = 0; j < l->n; j++)
            l->items[j].tier++;
        it.tier = 0;
        at = 0;
        put(l, at, it);
    } else {
        struct ui_wlist_item it = take(l, i);
        it.tier = t - 1;
        at = after_tier(l, t - 1); /* the end of tier t - 1 */
        put(l, at, it);
    }
    renumber(l);
    return at;
}

void ui_wlist_split_tier(struct ui_wlist *l, size_t i)
{
    if (!l->tiered || i == 0 || i >= l->n) return;
    int d = l->items[i - 1].tier == l->items[i].tier ? +1 : -1;
    for (size_t j = i; j < l->n; j++)
        l->items[j].tier += d;
    renumber(l);
}

long ui_wlist_find_quoted(const struct ui_wlist *l, const char *msg)
{
    if (!msg) return -1;
    for (size_t i = 0; i < l->n; i++) {
        const char *t = l->items[i].text;
        size_t tl = strlen(t);
        for (const char *p = strstr(msg, t); p; p = strstr(p + 1, t)) {
            char before = p > msg ? p[-1] : '\0', after = p[tl];
            if ((before == '\'' || before == '"') && after == before) return (long)i;
        }
    }
    return -1;
}

/* ---- the overlay ------------------------------------------------------------------- */

enum item_prompt { PROMPT_NONE, PROMPT_ADD, PROMPT_EDIT };

struct ui_wlist_editor {
    const struct reg_key *k;
    char title[256];
    struct ui_wlist list;
    char *orig;  /* the list it opened with, joined */
    size_t cur;  /* the cursor: an item, 0 when the list is empty */
    size_t top;  /* first item shown */
    size_t page; /* item rows shown at the last draw */
    enum item_prompt prompt;
};

struct ui_wlist_editor *ui_wlist_open(const struct reg_key *k, const char *value, const char *title)
{
    struct ui_wlist_editor *ed = calloc(1, sizeof *ed);
    if (!ed) return NULL;
    ed->k = k;
    snprintf(ed->title, sizeof ed->title, "%s", title ? title : k->key);
    ed->page = 1;
    if (ui_wlist_split(&ed->list, value, ui_wlist_has_tiers(k)) < 0 ||
        !(ed->orig = ui_wlist_join(&ed->list))) {
        ui_wlist_close(ed);
        return NULL;
    }
    return ed;
}

void ui_wlist_close(struct ui_wlist_editor *ed)
{
    if (!ed) return;
    ui_wlist_free(&ed->list);
    free(ed->orig);
    free(ed);
}

const struct reg_key *ui_wlist_reg_key(const struct ui_wlist_editor *ed)
{
    return ed->k;
}

bool ui_wlist_prompting(const struct ui_wlist_editor *ed)
{
    return ed && ed->prompt != PROMPT_NONE;
}

static void start_prompt(struct ui_wlist_editor *ed, struct ui *u, enum item_prompt which)
{
    const struct ui_wlist *l = &ed->list;
    char label[sizeof u->prompt.label];
    if (which == PROMPT_EDIT) {
        snprintf(label, sizeof label, "item %zu of %s: ", ed->cur + 1, ed->k->key);
    } else if (l->tiered && l->n) {
        snprintf(label, sizeof label, "add to tier %d of %s: ", l->items[ed->cur].tier + 1,
                 ed->k->key);
    } else {
        snprintf(label, sizeof label, "add to %s: ", ed->k->key);
    }
    ui_prompt_start(&u->prompt, label);
    if (which == PROMPT_EDIT) ui_prompt_set_text(&u->prompt, l->items[ed->cur].text);
    u->prompt_for = UI_PROMPT_FOR_SETTING;
    u->mode = UI_MODE_PROMPT;
    ed->prompt = which;
}

void ui_wlist_prompt(struct ui_wlist_editor *ed, struct ui *u, enum ui_prompt_result r)
{
    if (r == UI_PROMPT_EDITING) return;
    enum item_prompt which = ed->prompt;
    ed->prompt = PROMPT_NONE;
    if (r != UI_PROMPT_SUBMIT || which == PROMPT_NONE) return;
    static char text[UI_PROMPT_MAX * 4 + 1]; /* loop thread only */
    ui_prompt_text(&u->prompt, text, sizeof text);
    struct ui_wlist *l = &ed->list;
    int n;
    if (which == PROMPT_ADD || l->n == 0) {
        size_t at = l->n ? ed->cur + 1 : 0;
        n = ui_wlist_insert(l, at, text, l->n ? l->items[ed->cur].tier : 0);
        if (n > 0) ed->cur = at + (size_t)n - 1; /* on the last one added */
    } else {
        n = ui_wlist_replace(l, ed->cur, text);
        if (n == 0 && ed->cur >= l->n) ed->cur = l->n ? l->n - 1 : 0;
    }
    if (n == -ENOMEM) ui_msg(u, true, "%s: out of memory", ed->k->key);
}

char *ui_wlist_value(const struct ui_wlist_editor *ed)
{
    char *v = ui_wlist_join(&ed->list);
    if (!v || !(ed->k->flags & REG_F_LIST) || (v[0] != '+' && v[0] != '-')) return v;
    char *spaced = malloc(strlen(v) + 2);
    if (spaced) {
        spaced[0] = ' ';
        strcpy(spaced + 1, v);
    }
    free(v);
    return spaced;
}

bool ui_wlist_changed(const struct ui_wlist_editor *ed)
{
    char *v = ui_wlist_join(&ed->list);
    bool changed = !v || strcmp(v, ed->orig) != 0;
    free(v);
    return changed;
}

void ui_wlist_failed(struct ui_wlist_editor *ed, const char *msg)
{
    long i = ui_wlist_find_quoted(&ed->list, msg);
    if (i >= 0) ed->cur = (size_t)i;
}

enum ui_wlist_result ui_wlist_key(struct ui_wlist_editor *ed, struct ui *u, int key)
{
    struct ui_wlist *l = &ed->list;
    enum ui_action a = ui_keymap_lookup(UI_SCOPE_WLIST, key);
    bool tier_key =
        a == UI_ACT_WLIST_TIER_NEXT || a == UI_ACT_WLIST_TIER_PREV || a == UI_ACT_WLIST_TIER_SPLIT;
    if (tier_key && !l->tiered) {
        ui_msg(u, false, "%s has no tiers (only tracker lists have)", ed->k->key);
        return UI_WLIST_EDITING;
    }
    switch (a) {
    case UI_ACT_WLIST_DOWN:
        if (ed->cur + 1 < l->n) ed->cur++;
        break;
    case UI_ACT_WLIST_UP:
        if (ed->cur > 0) ed->cur--;
        break;
    case UI_ACT_WLIST_FIRST:
        ed->cur = 0;
        break;
    case UI_ACT_WLIST_LAST:
        ed->cur = l->n ? l->n - 1 : 0;
        break;
    case UI_ACT_WLIST_ADD:
        start_prompt(ed, u, PROMPT_ADD);
        break;
    case UI_ACT_WLIST_EDIT:
        start_prompt(ed, u, l->n ? PROMPT_EDIT : PROMPT_ADD);
        break;
    case UI_ACT_WLIST_DELETE:
        ui_wlist_remove(l, ed->cur);
        if (ed->cur >= l->n) ed->cur = l->n ? l->n - 1 : 0;
        break;
    case UI_ACT_WLIST_MOVE_DOWN:
        ed->cur = ui_wlist_move(l, ed->cur, +1);
        break;
    case UI_ACT_WLIST_MOVE_UP:
        ed->cur = ui_wlist_move(l, ed->cur, -1);
        break;
    case UI_ACT_WLIST_TIER_NEXT:
        ed->cur = ui_wlist_to_tier(l, ed->cur, +1);
        break;
    case UI_ACT_WLIST_TIER_PREV:
        ed->cur = ui_wlist_to_tier(l, ed->cur, -1);
        break;
    case UI_ACT_WLIST_TIER_SPLIT:
        ui_wlist_split_tier(l, ed->cur);
        break;
    case UI_ACT_WLIST_APPLY:
        return UI_WLIST_APPLY;
    case UI_ACT_CANCEL:
        return UI_WLIST_CANCEL;
    default: {
        /* Of the list's keys only help and redraw; the rest is ignored. */
        enum ui_action g = ui_keymap_lookup(UI_SCOPE_LIST, key);
        if (g == UI_ACT_HELP || g == UI_ACT_REDRAW) return UI_WLIST_PASS;
        break;
    }
    }
    return UI_WLIST_EDITING;
}

/* ---- drawing ------------------------------------------------------------------------ */

/* The first key bound to action a in the list editor's scope ("e" of
 * "e, Enter"), so the hints follow the keymap. */
static void first_key(enum ui_action a, char *buf, size_t n)
{
    ui_keymap_keys_for(UI_SCOPE_WLIST, a, buf, n);
    buf[strcspn(buf, ",")] = '\0';
}

static void hints(const struct ui_wlist_editor *ed, char *buf, size_t n)
{
    static const struct {
        enum ui_action a, b; /* b: a second action shown as "a/b" */
        const char *what;
        bool tiers; /* only in a tiered list */
    } h[] = {
        {UI_ACT_WLIST_ADD, UI_ACT_NONE, "add", false},
        {UI_ACT_WLIST_EDIT, UI_ACT_NONE, "edit", false},
        {UI_ACT_WLIST_DELETE, UI_ACT_NONE, "delete", false},
        {UI_ACT_WLIST_MOVE_UP, UI_ACT_WLIST_MOVE_DOWN, "move", false},
        {UI_ACT_WLIST_TIER_PREV, UI_ACT_WLIST_TIER_NEXT, "tier", true},
        {UI_ACT_WLIST_TIER_SPLIT, UI_ACT_NONE, "split", true},
        {UI_ACT_WLIST_APPLY, UI_ACT_NONE, "apply", false},
        {UI_ACT_CANCEL, UI_ACT_NONE, "cancel", false},
    };
    size_t o = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < sizeof h / sizeof h[0] && o < n; i++) {
        char k1[32], k2[32] = "";
        if (h[i].tiers && !ed->list.tiered) continue;
        first_key(h[i].a, k1, sizeof k1);
        if (h[i].b != UI_ACT_NONE) first_key(h[i].b, k2, sizeof k2);
        if (!k1[0]) continue;
        int r = snprintf(buf + o, n - o, "%s%s%s%s %s", o ? "  " : "", k1, k2[0] ? "/" : "", k2,
                         h[i].what);
        if (r < 0) break;
        o += (size_t)r;
    }
}

#define TIER_COLS 8 /* "tier 12 " */

void ui_wlist_draw(struct ui_wlist_editor *ed, WINDOW *w)
{
    int h, width;
    getmaxyx(w, h, width);
    if (h < 5 || width < 20) return;
    const struct ui_wlist *l = &ed->list;
    char title[512], hint[256], line[1024];
    int tiers = ui_wlist_tiers(l);
    if (l->tiered)
        snprintf(title, sizeof title, " %s: %zu item%s in %d tier%s ", ed->title, l->n,
                 l->n == 1 ? "" : "s", tiers, tiers == 1 ? "" : "s");
    else
        snprintf(title, sizeof title, " %s: %zu item%s ", ed->title, l->n, l->n == 1 ? "" : "s");
    hints(ed, hint, sizeof hint);

    /* As wide as the longest of items, hints and title, within the window. */
    int want = ui_str_width(hint) + 2;
    int tw = ui_str_width(title) + 2;
    if (tw > want) want = tw;
    for (size_t i = 0; i < l->n; i++) {
        int iw = ui_str_width(l->items[i].text) + 2 + (l->tiered ? TIER_COLS : 0);
        if (iw > want) want = iw;
    }
    int bw = want + 2 < 44 ? 44 : want + 2;
    int max_w = width >= 24 ? width - 2 : width;
    if (bw > max_w) bw = max_w;
    int rows = l->n ? (int)l->n : 1;
    int bh = rows + 4; /* borders, the items, a blank line, the hints */
    if (bh > h) bh = h;
    rows = bh - 4;
    ed->page = (size_t)rows;
    int y = (h - bh) / 2, x = (width - bw) / 2, inner = bw - 2;

    if (ed->cur < ed->top) ed->top = ed->cur;
    if (ed->cur >= ed->top + (size_t)rows) ed->top = ed->cur - (size_t)rows + 1;
    if (ed->top + (size_t)rows > l->n) ed->top = l->n > (size_t)rows ? l->n - (size_t)rows : 0;

    attr_t box = ui_attr(UI_EL_HELP);
    ui_draw_box(w, y, x, bh, bw, box);
    wattrset(w, ui_attr(UI_EL_HELP_TITLE));
    wmove(w, y, x + 2);
    ui_put(w, title, bw - 4, false);

    if (l->n == 0) {
        char add[32], empty[96];
        first_key(UI_ACT_WLIST_ADD, add, sizeof add);
        snprintf(empty, sizeof empty, " (empty: %s adds an item)", add);
        wattrset(w, ui_attr(UI_EL_EMPTY));
        wmove(w, y + 1, x + 1);
        ui_put(w, empty, inner, false);
    }
    for (int r = 0; r < rows && ed->top + (size_t)r < l->n; r++) {
        size_t i = ed->top + (size_t)r;
        if (l->tiered)
            snprintf(line, sizeof line, " tier %-2d %s", l->items[i].tier + 1, l->items[i].text);
        else
            snprintf(line, sizeof line, " %s", l->items[i].text);
        wattrset(w, i == ed->cur ? ui_attr(UI_EL_SELECTED) : box);
        wmove(w, y + 1 + r, x + 1);
        ui_put(w, line, inner, true);
    }
    wattrset(w, ui_attr(UI_EL_HELP_KEY));
    wmove(w, y + bh - 2, x + 1);
    snprintf(line, sizeof line, " %s", hint);
    ui_put(w, line, inner, false);
    if (l->n > (size_t)rows) {
        /* Scrolled: say where, on the bottom border. */
        char where[64];
        snprintf(where, sizeof where, " %zu-%zu of %zu ", ed->top + 1, ed->top + (size_t)rows,
                 l->n);
        int ww = ui_str_width(where);
        wattrset(w, box);
        if (ww + 4 <= bw) {
            wmove(w, y + bh - 1, x + bw - ww - 2);
            ui_put(w, where, ww, false);
        }
    }
    wattrset(w, A_NORMAL);
}
