/*
 * pane_trackers.c — the Trackers tab of the detail area: the selected
 * torrent's trackers in tier order, one row each (tier, URL, status, the
 * scrape's seeds / peers / downloads, the next announce, failures in a
 * row), and under a tracker that has one, a second line with its message
 * (an error in the error colour):
 *
 *   Tier URL                                Status        Seeds Peers ... Next  Fails
 *      1 http://127.0.0.1:40000/announce    error             -     - ... in 58s     2
 *          Connection refused
 *
 * While the detail area has the keys: a adds a tracker (in a new last
 * tier), e / Enter edits the one under the cursor (it keeps its tier),
 * d removes it after a y/n, r announces now. The prompt and the question
 * are the pane's own, on its bottom line, fed by on_key: they need no
 * routing in ui.c, and they go away when the detail area loses the keys.
 * The engine does the work (eng_torrent_opt_set "trackers": "+URL", the
 * whole list "a,b|c" for an edit, "-URL"); its refusals go to the message
 * line and change nothing.
 *
 * The pure part (texts, the list rebuilt for an edit, columns) is at the
 * top and declared in pane_trackers.h for the unit tests.
 *
 * View state: the cursor, remembered by the URL and tier of the tracker
 * under it plus its last row, and the first line shown; both start afresh
 * when another torrent is selected.
 */
#include "ui/pane_trackers.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ui/format.h"
#include "ui/ui_int.h"

/* ---- the pure part ----------------------------------------------------------------- */

const char *ui_tracker_status_text(enum eng_tracker_status s)
{
    switch (s) {
    case ENG_TRACKER_NOT_CONTACTED:
        return "not contacted";
    case ENG_TRACKER_UPDATING:
        return "updating";
    case ENG_TRACKER_WORKING:
        return "working";
    case ENG_TRACKER_ERROR:
        return "error";
    case ENG_TRACKER_DISABLED:
        return "disabled";
    }
    return "?";
}

size_t ui_tracker_next_text(char *buf, size_t n, const struct eng_tracker *t)
{
    char eta[UTIL_FMT_ETA_LEN];
    int64_t s = t->next_announce_s;
    int r;
    if (n == 0) return 0;
    if (t->status == ENG_TRACKER_DISABLED)
        r = snprintf(buf, n, "-");
    else if (t->status == ENG_TRACKER_UPDATING || s == 0)
        r = snprintf(buf, n, "now");
    else if (s < 0)
        r = snprintf(buf, n, "-");
    else if (s < 60)
        r = snprintf(buf, n, "in %ds", (int)s);
    else if (s < 3600)
        r = snprintf(buf, n, "in %dm", (int)(s / 60));
    else {
        util_fmt_eta(eta, sizeof eta, s);
        r = snprintf(buf, n, "in %s", eta);
    }
    if (r < 0) r = 0;
    return (size_t)r < n ? (size_t)r : n - 1;
}

size_t ui_tracker_count_text(char *buf, size_t n, int count)
{
    if (n == 0) return 0;
    int r = count < 0 ? snprintf(buf, n, "-") : snprintf(buf, n, "%d", count);
    if (r < 0) r = 0;
    return (size_t)r < n ? (size_t)r : n - 1;
}

char *ui_trackers_join(const struct eng_tracker *v, size_t n, size_t at, const char *replace)
{
    size_t cap = 1;
    for (size_t i = 0; i < n; i++)
        cap += strlen(i == at && replace ? replace : v[i].url) + 1;
    char *out = malloc(cap);
    if (!out) return NULL;
    size_t o = 0;
    /* Tiers in ascending order, whatever order the list is in: the next
     * tier is the smallest one above the last one written. */
    bool started = false;
    int last = 0;
    for (;;) {
        bool found = false;
        int tier = 0;
        for (size_t i = 0; i < n; i++) {
            if (i == at && !replace) continue;
            if (started && v[i].tier <= last) continue;
            if (!found || v[i].tier < tier) tier = v[i].tier;
            found = true;
        }
        if (!found) break;
        bool first = true;
        for (size_t i = 0; i < n; i++) {
            if ((i == at && !replace) || v[i].tier != tier) continue;
            const char *url = i == at ? replace : v[i].url;
            if (o > 0) out[o++] = first ? '|' : ',';
            size_t len = strlen(url);
            memcpy(out + o, url, len);
            o += len;
            first = false;
        }
        started = true;
        last = tier;
    }
    out[o] = '\0';
    return out;
}

int ui_tracker_url_clean(const char *typed, char *buf, size_t n)
{
    const char *s = typed ? typed : "";
    size_t len = strlen(s);
    while (len && (*s == ' ' || *s == '\t'))
        s++, len--;
    while (len && (s[len - 1] == ' ' || s[len - 1] == '\t'))
        len--;
    if (len == 0) return -ENODATA;
    for (size_t i = 0; i < len; i++)
        if (s[i] == ' ' || s[i] == '\t' || s[i] == ',' || s[i] == '|') return -EINVAL;
    if (len + 1 > n) return -ENAMETOOLONG;
    memcpy(buf, s, len);
    buf[len] = '\0';
    return 0;
}

static const struct {
    const char *title;
    int width; /* 0: the URL, computed */
    int right;
} cols[UI_TCOL__COUNT] = {
    [UI_TCOL_TIER] = {"Tier", 4, 1},      [UI_TCOL_URL] = {"URL", 0, 0},
    [UI_TCOL_STATUS] = {"Status", 13, 0}, [UI_TCOL_SEEDS] = {"Seeds", 5, 1},
    [UI_TCOL_PEERS] = {"Peers", 5, 1},    [UI_TCOL_DOWNLOADED] = {"Downloaded", 10, 1},
    [UI_TCOL_NEXT] = {"Next", 9, 0},      [UI_TCOL_FAILS] = {"Fails", 5, 1},
};

const char *ui_tracker_col_title(enum ui_tracker_col c)
{
    return (int)c >= 0 && c < UI_TCOL__COUNT ? cols[c].title : "";
}

int ui_tracker_col_right(enum ui_tracker_col c)
{
    return (int)c >= 0 && c < UI_TCOL__COUNT ? cols[c].right : 0;
}

void ui_tracker_layout(struct ui_tracker_layout *l, int total)
{
    /* what goes first when the width shrinks */
    static const enum ui_tracker_col drop[] = {UI_TCOL_DOWNLOADED, UI_TCOL_FAILS, UI_TCOL_PEERS,
                                               UI_TCOL_SEEDS,      UI_TCOL_NEXT,  UI_TCOL_TIER,
                                               UI_TCOL_STATUS};
    bool shown[UI_TCOL__COUNT];
    for (int c = 0; c < UI_TCOL__COUNT; c++)
        shown[c] = true;
    memset(l, 0, sizeof *l);
    if (total < 1) return;
    for (size_t k = 0;; k++) {
        int need = 0, n = 0;
        for (int c = 0; c < UI_TCOL__COUNT; c++) {
            if (!shown[c]) continue;
            need += cols[c].width ? cols[c].width : UI_TRACKER_URL_MIN;
            n++;
        }
        need += n - 1;
        if (need <= total || k >= sizeof drop / sizeof drop[0]) {
            for (int c = 0; c < UI_TCOL__COUNT; c++)
                if (shown[c]) l->width[c] = cols[c].width;
            int url = UI_TRACKER_URL_MIN + total - need;
            l->width[UI_TCOL_URL] = url < total ? url : total;
            return;
        }
        shown[drop[k]] = false;
    }
}

/* ---- the pane ----------------------------------------------------------------------- */

enum tmode {
    TM_BROWSE,
    TM_ADD,    /* the prompt for a new tracker's URL */
    TM_EDIT,   /* the prompt for the URL of `target` */
    TM_REMOVE, /* the question whether to remove `target` */
};

#define URL_KEEP 2048 /* a URL kept to find its tracker again (longer: cut) */

struct trackers_pane {
    struct ui_pane base;
    int id;             /* the torrent the view state is for, 0 none */
    char sel[URL_KEEP]; /* URL of the tracker under the cursor, "" none yet */
    int sel_tier;       /* its tier */
    size_t sel_row;     /* its row at the last look */
    size_t top;         /* first line shown (a tracker takes one or two) */
    int page;           /* lines shown at the last draw */
    enum tmode mode;
    int target_id;         /* the torrent the prompt or question is for */
    char target[URL_KEEP]; /* the tracker it is about (edit, remove) */
    int target_tier;
    char question[UI_MSG_LEN];
    struct ui_prompt prompt;
};

/* The selected torrent's trackers into *v (eng_trackers_free), or none;
 * the view state starts afresh for a new torrent. */
static int load(struct trackers_pane *tp, struct ui *u, struct eng_tracker **v, size_t *n)
{
    *v = NULL;
    *n = 0;
    int id = ui_selected_id(u);
    if (id != tp->id) {
        tp->id = id;
        tp->sel[0] = '\0';
        tp->sel_row = tp->top = 0;
    }
    if (id <= 0) return -ENOENT;
    return eng_trackers(u->eng, id, v, n);
}

static void remember(char *dst, const char *url)
{
    size_t n = strnlen(url, URL_KEEP - 1);
    memcpy(dst, url, n);
    dst[n] = '\0';
}

/* Whether v[i] is the tracker remembered as (url, tier); tier < 0: any. */
static bool is_tracker(const struct eng_tracker *t, const char *url, int tier)
{
    return strncmp(t->url, url, URL_KEEP - 1) == 0 && (tier < 0 || t->tier == tier);
}

/* Index of the tracker (url, tier), or of one with that URL, or n. */
static size_t find(const struct eng_tracker *v, size_t n, const char *url, int tier)
{
    for (int pass = 0; pass < 2; pass++)
        for (size_t i = 0; i < n; i++)
            if (is_tracker(&v[i], url, pass ? -1 : tier)) return i;
    return n;
}

static void resolve_cursor(struct trackers_pane *tp, const struct eng_tracker *v, size_t n)
{
    if (n == 0) {
        tp->sel_row = tp->top = 0;
        return;
    }
    size_t i = tp->sel[0] ? find(v, n, tp->sel, tp->sel_tier) : n;
    if (i < n) {
        tp->sel_row = i;
    } else {
        if (tp->sel_row >= n) tp->sel_row = n - 1;
    }
    remember(tp->sel, v[tp->sel_row].url);
    tp->sel_tier = v[tp->sel_row].tier;
}

static int lines_of(const struct eng_tracker *t)
{
    return t->message && *t->message ? 2 : 1;
}

static enum ui_elem status_elem(enum eng_tracker_status s)
{
    switch (s) {
    case ENG_TRACKER_WORKING:
        return UI_EL_STATE_ACTIVE;
    case ENG_TRACKER_UPDATING:
        return UI_EL_STATE_BUSY;
    case ENG_TRACKER_ERROR:
        return UI_EL_STATE_ERROR;
    case ENG_TRACKER_NOT_CONTACTED:
        return UI_EL_STATE_IDLE;
    case ENG_TRACKER_DISABLED:
        return UI_EL_EMPTY;
    }
    return UI_EL_NORMAL;
}

/* The text of cell c of tracker t, unpadded. */
static const char *cell_text(enum ui_tracker_col c, const struct eng_tracker *t, char *buf,
                             size_t n)
{
    buf[0] = '\0';
    switch (c) {
    case UI_TCOL_TIER:
        snprintf(buf, n, "%d", t->tier + 1); /* 1-based, like the list editor */
        break;
    case UI_TCOL_URL:
        return t->url;
    case UI_TCOL_STATUS:
        return ui_tracker_status_text(t->status);
    case UI_TCOL_SEEDS:
        ui_tracker_count_text(buf, n, t->seeds);
        break;
    case UI_TCOL_PEERS:
        ui_tracker_count_text(buf, n, t->peers);
        break;
    case UI_TCOL_DOWNLOADED:
        ui_tracker_count_text(buf, n, t->downloaded);
        break;
    case UI_TCOL_NEXT:
        ui_tracker_next_text(buf, n, t);
        break;
    case UI_TCOL_FAILS:
        snprintf(buf, n, "%d", t->fails);
        break;
    case UI_TCOL__COUNT:
        break;
    }
    return buf;
}

/* One tracker's row (the header when t is NULL), filling the width. */
static void draw_row(WINDOW *w, int y, int width, const struct ui_tracker_layout *l,
                     const struct eng_tracker *t, bool header, bool selected)
{
    char text[64], cell[4096];
    attr_t base = ui_attr(header ? UI_EL_HEADER : selected ? UI_EL_SELECTED : UI_EL_NORMAL);
    wmove(w, y, 0);
    int x = 0;
    for (int c = 0; c < UI_TCOL__COUNT; c++) {
        if (l->width[c] <= 0) continue;
        wattrset(w, base);
        if (x > 0 && x < width) {
            waddch(w, ' ');
            x++;
        }
        const char *s = header ? ui_tracker_col_title(c)
                               : cell_text((enum ui_tracker_col)c, t, text, sizeof text);
        ui_fmt_fit(cell, sizeof cell, s, l->width[c], ui_tracker_col_right(c));
        if (!header && !selected && c == UI_TCOL_STATUS)
            wattrset(w, ui_attr(status_elem(t->status)));
        x += ui_put(w, cell, width - x, false);
    }
    wattrset(w, base);
    while (x++ < width)
        waddch(w, ' ');
    wattrset(w, A_NORMAL);
}

/* The line under a tracker with its message, from the URL's column. */
static void draw_message(WINDOW *w, int y, int width, const struct ui_tracker_layout *l,
                         const struct eng_tracker *t)
{
    int x = l->width[UI_TCOL_TIER] > 0 ? l->width[UI_TCOL_TIER] + 1 : 0;
    x += 2; /* indented under the URL */
    if (x >= width) x = 0;
    wmove(w, y, x);
    wattrset(w, ui_attr(t->status == ENG_TRACKER_ERROR ? UI_EL_MSG_ERROR : UI_EL_EMPTY));
    ui_put(w, t->message, width - x, false);
    wattrset(w, A_NORMAL);
}

static void draw_hint(WINDOW *w, int y, int width, const char *hint)
{
    int hw = ui_str_width(hint);
    wmove(w, y, hw < width ? (width - hw) / 2 : 0);
    wattrset(w, ui_attr(UI_EL_EMPTY));
    ui_put(w, hint, width, false);
    wattrset(w, A_NORMAL);
}

/* The prompt or the question on the pane's bottom line. The terminal's
 * cursor stays hidden outside ui.c's own prompt, so the edit point is
 * drawn in reverse video. */
static void draw_bottom(struct trackers_pane *tp, WINDOW *w, int y, int width)
{
    if (tp->mode == TM_REMOVE) {
        static const char yn[] = " [y/n] ";
        int yn_w = (int)sizeof yn - 1;
        wmove(w, y, 0);
        wattrset(w, ui_attr(UI_EL_PROMPT));
        int used = ui_put(w, tp->question, width > yn_w ? width - yn_w : width, false);
        if (used + yn_w <= width) ui_put(w, yn, yn_w, false);
        wattrset(w, A_NORMAL);
        return;
    }
    WINDOW *line = derwin(w, 1, width, y, 0);
    if (!line) return;
    ui_prompt_draw(&tp->prompt, line);
    int cy, cx;
    getyx(line, cy, cx);
    if (cx < width) mvwchgat(line, cy, cx, 1, A_REVERSE, 0, NULL);
    delwin(line);
    touchwin(w);
}

static void close_prompt(struct trackers_pane *tp)
{
    tp->mode = TM_BROWSE;
    tp->question[0] = '\0';
}

static void trackers_draw(struct ui_pane *p, struct ui *u, WINDOW *w)
{
    struct trackers_pane *tp = (struct trackers_pane *)p;
    int h, width;
    getmaxyx(w, h, width);
    /* The prompt and the question live only while the detail area has
     * the keys (Esc and the like take them away without a word to us). */
    if (tp->mode != TM_BROWSE && (!ui_detail_focused(u) || ui_selected_id(u) != tp->target_id))
        close_prompt(tp);
    struct eng_tracker *v;
    size_t n;
    int rc = load(tp, u, &v, &n);
    struct ui_tracker_layout l;
    ui_tracker_layout(&l, width);
    draw_row(w, 0, width, &l, NULL, true, false);
    int rows = h - 1 - (tp->mode != TM_BROWSE ? 1 : 0);
    if (tp->mode != TM_BROWSE && h >= 2) draw_bottom(tp, w, h - 1, width);
    tp->page = rows > 0 ? rows : 1;
    if (rows <= 0) goto out;
    if (n == 0) {
        const char *hint = tp->id <= 0                   ? "No torrent selected"
                           : rc == -ENOMEM || rc == -EIO ? "Trackers: cannot read them"
                           : ui_detail_focused(u)        ? "No trackers. a adds one."
                                                         : "No trackers";
        draw_hint(w, 1 + (rows - 1) / 2, width, hint);
        goto out;
    }
    resolve_cursor(tp, v, n);
    /* Lines: the cursor's tracker (both its lines) on screen, and the
     * screen full when possible. */
    size_t first = 0, total = 0;
    for (size_t i = 0; i < n; i++) {
        if (i == tp->sel_row) first = total;
        total += (size_t)lines_of(&v[i]);
    }
    size_t last = first + (size_t)lines_of(&v[tp->sel_row]) - 1;
    if (last >= tp->top + (size_t)rows) tp->top = last - (size_t)rows + 1;
    if (first < tp->top) tp->top = first;
    if (tp->top + (size_t)rows > total) tp->top = total > (size_t)rows ? total - (size_t)rows : 0;
    bool cursor = ui_detail_focused(u);
    size_t line = 0;
    for (size_t i = 0; i < n && line < tp->top + (size_t)rows; i++) {
        for (int k = 0; k < lines_of(&v[i]); k++, line++) {
            if (line < tp->top || line >= tp->top + (size_t)rows) continue;
            int y = 1 + (int)(line - tp->top);
            if (k == 0)
                draw_row(w, y, width, &l, &v[i], false, cursor && i == tp->sel_row);
            else
                draw_message(w, y, width, &l, &v[i]);
        }
    }
out:
    eng_trackers_free(v, n);
}

/* Reports an engine refusal; returns rc. */
static int refused(struct ui *u, int rc, const char *err)
{
    if (rc < 0) ui_msg(u, true, "%s", err && *err ? err : strerror(-rc));
    return rc;
}

static void submit_add(struct trackers_pane *tp, struct ui *u, const char *url)
{
    struct eng_tracker *v = NULL;
    size_t n = 0;
    if (eng_trackers(u->eng, tp->target_id, &v, &n) == 0 && find(v, n, url, -1) < n) {
        ui_msg(u, true, "%s is already a tracker of torrent %d", url, tp->target_id);
        eng_trackers_free(v, n);
        return;
    }
    eng_trackers_free(v, n);
    size_t len = strlen(url) + 2;
    char *value = malloc(len), err[512] = "";
    if (!value) {
        ui_msg(u, true, "trackers: out of memory");
        return;
    }
    snprintf(value, len, "+%s", url);
    int rc = eng_torrent_opt_set(u->eng, tp->target_id, "trackers", value, err, sizeof err);
    free(value);
    if (refused(u, rc, err)) return;
    ui_msg(u, false, "tracker added to torrent %d: %s", tp->target_id, url);
    remember(tp->sel, url);
    tp->sel_tier = -1;
}

static void submit_edit(struct trackers_pane *tp, struct ui *u, const char *url)
{
    if (strcmp(url, tp->target) == 0) {
        ui_msg(u, false, "tracker unchanged");
        return;
    }
    struct eng_tracker *v;
    size_t n;
    int rc = eng_trackers(u->eng, tp->target_id, &v, &n);
    if (refused(u, rc, NULL)) return;
    size_t i = find(v, n, tp->target, tp->target_tier);
    char *list = i < n ? ui_trackers_join(v, n, i, url) : NULL;
    int tier = i < n ? v[i].tier : 0;
    eng_trackers_free(v, n);
    if (i >= n) {
        ui_msg(u, true, "tracker %s is gone", tp->target);
        return;
    }
    if (!list) {
        ui_msg(u, true, "trackers: out of memory");
        return;
    }
    char err[512] = "";
    rc = eng_torrent_opt_set(u->eng, tp->target_id, "trackers", list, err, sizeof err);
    free(list);
    if (refused(u, rc, err)) return;
    ui_msg(u, false, "tracker changed (tier %d): %s", tier + 1, url);
    remember(tp->sel, url);
    tp->sel_tier = tier;
}

static void submit_remove(struct trackers_pane *tp, struct ui *u)
{
    size_t len = strlen(tp->target) + 2;
    char *value = malloc(len), err[512] = "";
    if (!value) {
        ui_msg(u, true, "trackers: out of memory");
        return;
    }
    snprintf(value, len, "-%s", tp->target);
    int rc = eng_torrent_opt_set(u->eng, tp->target_id, "trackers", value, err, sizeof err);
    free(value);
    if (refused(u, rc, err)) return;
    ui_msg(u, false, "tracker removed from torrent %d: %s", tp->target_id, tp->target);
}

static bool trackers_key(struct ui_pane *p, struct ui *u, int key)
{
    struct trackers_pane *tp = (struct trackers_pane *)p;
    if (tp->mode == TM_BROWSE) return false;
    if (tp->mode == TM_REMOVE) {
        switch (ui_keymap_lookup(UI_SCOPE_CONFIRM, key)) {
        case UI_ACT_CONFIRM_YES:
            close_prompt(tp);
            submit_remove(tp, u);
            break;
        case UI_ACT_CANCEL:
            close_prompt(tp);
            break;
        default:
            break; /* anything else: keep asking */
        }
        return true;
    }
    enum ui_prompt_result r = ui_prompt_key(&tp->prompt, key);
    if (r == UI_PROMPT_EDITING) return true;
    enum tmode was = tp->mode;
    close_prompt(tp);
    if (r == UI_PROMPT_CANCEL) return true;
    static char typed[UI_PROMPT_MAX * 4 + 1], url[UI_PROMPT_MAX * 4 + 1];
    ui_prompt_text(&tp->prompt, typed, sizeof typed);
    int rc = ui_tracker_url_clean(typed, url, sizeof url);
    if (rc == -ENODATA) return true; /* an empty prompt is a cancel */
    if (rc < 0) {
        ui_msg(u, true, "one tracker URL, without blanks, ',' or '|'");
        return true;
    }
    if (was == TM_ADD)
        submit_add(tp, u, url);
    else
        submit_edit(tp, u, url);
    return true;
}

/* Opens the prompt or the question `m` about the tracker under the cursor
 * (none for TM_ADD). */
static void open_mode(struct trackers_pane *tp, struct ui *u, enum tmode m,
                      const struct eng_tracker *t)
{
    tp->mode = m;
    tp->target_id = tp->id;
    tp->target[0] = '\0';
    tp->target_tier = t ? t->tier : 0;
    if (t) remember(tp->target, t->url);
    char label[256];
    switch (m) {
    case TM_ADD:
        ui_prompt_start(&tp->prompt, "add tracker (new last tier): ");
        break;
    case TM_EDIT:
        snprintf(label, sizeof label, "tracker (tier %d): ", tp->target_tier + 1);
        ui_prompt_start(&tp->prompt, label);
        ui_prompt_set_text(&tp->prompt, t->url);
        break;
    case TM_REMOVE:
        snprintf(tp->question, sizeof tp->question, "remove tracker %s from torrent %d?", t->url,
                 tp->id);
        break;
    case TM_BROWSE:
        break;
    }
    (void)u;
}

static bool trackers_action(struct ui_pane *p, struct ui *u, enum ui_action a)
{
    struct trackers_pane *tp = (struct trackers_pane *)p;
    struct eng_tracker *v;
    size_t n;
    switch (a) {
    case UI_ACT_UP:
    case UI_ACT_DOWN:
    case UI_ACT_PAGE_UP:
    case UI_ACT_PAGE_DOWN:
    case UI_ACT_HOME:
    case UI_ACT_END:
    case UI_ACT_TRACKER_ADD:
    case UI_ACT_TRACKER_EDIT:
    case UI_ACT_TRACKER_REMOVE:
    case UI_ACT_TRACKER_REANNOUNCE:
        break;
    default:
        return false;
    }
    load(tp, u, &v, &n);
    resolve_cursor(tp, v, n);
    const struct eng_tracker *cur = n ? &v[tp->sel_row] : NULL;
    size_t page = tp->page > 2 ? (size_t)tp->page / 2 : 1; /* a tracker may take 2 lines */
    size_t row = tp->sel_row;
    bool moved = false;
    int rc;
    if (tp->id <= 0 && a >= UI_ACT_TRACKER_ADD) {
        ui_msg(u, false, "no torrent selected");
        goto out;
    }
    switch (a) {
    case UI_ACT_DOWN:
        row++, moved = true;
        break;
    case UI_ACT_UP:
        row = row ? row - 1 : 0, moved = true;
        break;
    case UI_ACT_PAGE_DOWN:
        row += page, moved = true;
        break;
    case UI_ACT_PAGE_UP:
        row = row > page ? row - page : 0, moved = true;
        break;
    case UI_ACT_HOME:
        row = 0, moved = true;
        break;
    case UI_ACT_END:
        row = n, moved = true;
        break;
    case UI_ACT_TRACKER_ADD:
        open_mode(tp, u, TM_ADD, NULL);
        break;
    case UI_ACT_TRACKER_EDIT:
        open_mode(tp, u, cur ? TM_EDIT : TM_ADD, cur);
        break;
    case UI_ACT_TRACKER_REMOVE:
        if (cur)
            open_mode(tp, u, TM_REMOVE, cur);
        else
            ui_msg(u, false, "no tracker to remove");
        break;
    case UI_ACT_TRACKER_REANNOUNCE:
        rc = eng_reannounce(u->eng, tp->id);
        if (rc == 0)
            ui_msg(u, false, "announcing torrent %d to its trackers", tp->id);
        else
            ui_msg(u, true, "announce %d failed: %s", tp->id, strerror(-rc));
        break;
    default:
        break;
    }
    if (moved && n) {
        tp->sel_row = row < n ? row : n - 1;
        remember(tp->sel, v[tp->sel_row].url);
        tp->sel_tier = v[tp->sel_row].tier;
    }
out:
    eng_trackers_free(v, n);
    return true;
}

static void trackers_free(struct ui_pane *p)
{
    free(p);
}

static struct ui_pane *trackers_new(void)
{
    struct trackers_pane *tp = calloc(1, sizeof *tp);
    if (!tp) return NULL;
    tp->base.cls = &ui_pane_trackers;
    tp->page = 1;
    return &tp->base;
}

const struct ui_pane_class ui_pane_trackers = {
    .title = "Trackers",
    .scope = UI_SCOPE_TRACKERS,
    .action = "tab-trackers",
    .help = "trackers",
    .new = trackers_new,
    .draw = trackers_draw,
    .on_action = trackers_action,
    .on_key = trackers_key,
    .free = trackers_free,
};
