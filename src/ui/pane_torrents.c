/*
 * pane_torrents.c — the torrent list: a title line (how many are shown,
 * the view, the filters, the sort order, the marks), a header row, then
 * one row per torrent (mark, id, name, category/tags, size, progress bar,
 * state, down/up rate, ETA, ratio, peers/seeds, added date), with a
 * selection, scrolling, filters, views, sorting and marks.
 *
 *    3 of 5 torrents · view: paused · name "deb" · sort: name ▲ · 2 marked
 *     #  Name ▲           Size Progress          State       Down  ...
 *   *  1 debian-12.iso    628 MiB [##........]  20% paused
 *
 * View state only. The rows shown are a cached list of torrent ids (the
 * view): the torrents that pass the view (list.c: all,
 * downloading, ...), the category-or-tag filter (`c`) and the name filter
 * (`/`), sorted by the sort key (`s`, `S`). It is rebuilt only when the
 * engine says the table changed (ui_pane_torrents_changed, on
 * ENG_EV_ADDED/REMOVED/UPDATED...) or a filter, the view or the sort
 * changes; a frame then costs a lookup per visible row, whatever the
 * table's size. The selection is remembered by torrent id (so it follows
 * its torrent when the order changes) plus its last index (so it moves to
 * the neighbour when its torrent is removed or filtered out). Marks are a
 * set of ids (list.c), dropped when their torrent goes; the
 * torrent commands (commands.c) act on them when there are any.
 *
 * The sort order is the setting spate.ui_sort ("name", "name:desc"),
 * stored when s or S change it and applied at start.
 *
 * The columns and what narrow terminals give up come from list.c;
 * the category/tags column is there only while some torrent has one.
 */
#include "ui/ui_int.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ui/format.h"
#include "ui/list.h"

#define FILTER_MAX 256
#define UP_ARROW "\xe2\x96\xb2"   /* ▲ */
#define DOWN_ARROW "\xe2\x96\xbc" /* ▼ */
#define DOT " \xc2\xb7 "          /* " · " */

struct torrents_pane {
    struct ui_pane base;
    int sel_id;              /* selected torrent, 0 none */
    size_t sel;              /* its index in the view at the last look */
    size_t top;              /* first row shown */
    int page;                /* rows shown at the last draw */
    int first_y;             /* window line of the first row at the last draw */
    char filter[FILTER_MAX]; /* category or tag, "" none */
    char name[FILTER_MAX];   /* the name filter as typed, "" none */
    struct ui_name_query nq; /* ... case-folded */
    enum ui_view view;
    enum ui_sort sort;
    bool desc;
    /* the view: ids in display order, valid while !stale */
    int *ids;
    size_t n_ids, ids_cap;
    const struct eng_torrent **rows; /* scratch for sorting */
    size_t rows_cap;
    bool stale;
    int labels_longest; /* of the whole table, at the last rebuild */
    struct ui_marks marks;
};

static bool filtered(const struct torrents_pane *tp)
{
    return tp->filter[0] || tp->nq.n || tp->view != UI_VIEW_ALL;
}

static bool alive(int id, void *ud)
{
    return eng_torrent_by_id(ud, id) != NULL;
}

/* The widest labels cell of the whole table (not just the view, so that
 * the columns do not jump when the filter changes); 0 when none has any. */
static int labels_longest(const struct eng *e)
{
    int longest = 0;
    char buf[1200];
    for (size_t i = 0, n = eng_torrent_count(e); i < n; i++) {
        const struct eng_torrent *t = eng_torrent_at(e, i);
        if (!*t->category && !*t->tags) continue;
        ui_list_labels(buf, sizeof buf, t->category, t->tags);
        int w = ui_str_width(buf);
        if (w > longest) longest = w;
        if (longest >= UI_LIST_LABELS_MAX) break;
    }
    return longest;
}

static int reserve(struct torrents_pane *tp, size_t n)
{
    if (n <= tp->ids_cap && n <= tp->rows_cap) return 0;
    size_t cap = n < 64 ? 64 : n + n / 2;
    int *ids = realloc(tp->ids, cap * sizeof *ids);
    if (!ids) return -ENOMEM;
    tp->ids = ids;
    tp->ids_cap = cap;
    const struct eng_torrent **rows = realloc(tp->rows, cap * sizeof *rows);
    if (!rows) return -ENOMEM;
    tp->rows = rows;
    tp->rows_cap = cap;
    return 0;
}

/* The view, rebuilt if stale; returns its row count. */
static size_t view_build(struct torrents_pane *tp, const struct eng *e)
{
    if (!tp->stale) return tp->n_ids;
    tp->stale = false;
    size_t n = eng_torrent_count(e);
    tp->n_ids = 0;
    ui_marks_keep(&tp->marks, alive, (void *)e);
    tp->labels_longest = labels_longest(e);
    if (reserve(tp, n) < 0) return 0; /* no memory: an empty list, tried again later */
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        const struct eng_torrent *t = eng_torrent_at(e, i);
        if (!ui_view_has(tp->view, t)) continue;
        if (tp->filter[0] && !ui_list_matches(t->category, t->tags, tp->filter)) continue;
        if (!ui_name_query_match(&tp->nq, t->name)) continue;
        tp->rows[k++] = t;
    }
    /* the table is in id order: the queue order needs a sort too */
    ui_sort_rows(tp->rows, k, tp->sort, tp->desc);
    for (size_t i = 0; i < k; i++)
        tp->ids[i] = tp->rows[i]->id;
    tp->n_ids = k;
    return k;
}

/* Row i of the view; NULL if its torrent went without an event yet. */
static const struct eng_torrent *view_at(const struct torrents_pane *tp, const struct eng *e,
                                         size_t i)
{
    return i < tp->n_ids ? eng_torrent_by_id(e, tp->ids[i]) : NULL;
}

/* Rebuilds the view if needed and brings sel/sel_id up to date with it;
 * returns the row count. */
static size_t resolve_selection(struct torrents_pane *tp, const struct eng *e)
{
    size_t n = view_build(tp, e);
    if (n == 0) {
        tp->sel = 0;
        tp->top = 0;
        /* keep sel_id under a filter: clearing it finds the torrent again */
        if (!filtered(tp)) tp->sel_id = 0;
        return 0;
    }
    if (tp->sel_id > 0) {
        if (tp->sel < n && tp->ids[tp->sel] == tp->sel_id) return n;
        for (size_t i = 0; i < n; i++) {
            if (tp->ids[i] == tp->sel_id) {
                tp->sel = i;
                return n;
            }
        }
        /* Our torrent is gone (or filtered out): the one now in its place. */
    }
    if (tp->sel >= n) tp->sel = n - 1;
    tp->sel_id = tp->ids[tp->sel];
    return n;
}

static void select_index(struct torrents_pane *tp, size_t n, size_t i)
{
    if (n == 0) return;
    tp->sel = i < n ? i : n - 1;
    tp->sel_id = tp->ids[tp->sel];
}

/* ---- drawing ------------------------------------------------------------------------ */

/* The text of cell `c` of torrent t, unpadded: formatted into buf, or
 * for the name the engine's own string (a copy could cut a character). */
static const char *format_cell(const struct torrents_pane *tp, enum ui_col c,
                               const struct eng_torrent *t, const struct ui_list_layout *l,
                               char *buf, size_t n)
{
    bool downloading = t->state == ENG_STATE_DOWNLOADING || t->state == ENG_STATE_METADATA;
    buf[0] = '\0';
    switch (c) {
    case UI_COL_MARK:
        return ui_marks_has(&tp->marks, t->id) ? "*" : " ";
    case UI_COL_ID:
        snprintf(buf, n, "%d", t->id);
        break;
    case UI_COL_NAME:
        return t->name ? t->name : "";
    case UI_COL_LABELS:
        ui_list_labels(buf, n, t->category, t->tags);
        break;
    case UI_COL_SIZE:
        if (t->has_metadata)
            util_fmt_size(buf, n, t->wanted_bytes ? t->wanted_bytes : t->total_bytes);
        else
            snprintf(buf, n, "?");
        break;
    case UI_COL_PROGRESS:
        if (l->bar_cells > 0)
            ui_fmt_progress(buf, n, t->progress, l->bar_cells);
        else
            ui_fmt_percent(buf, n, t->progress);
        break;
    case UI_COL_STATE:
        return ui_list_state_text(t);
    case UI_COL_DOWN:
        if (t->down_rate > 0) util_fmt_rate(buf, n, t->down_rate);
        break;
    case UI_COL_UP:
        if (t->up_rate > 0) util_fmt_rate(buf, n, t->up_rate);
        break;
    case UI_COL_ETA:
        if (downloading) util_fmt_eta(buf, n, t->eta_s);
        break;
    case UI_COL_RATIO:
        util_fmt_ratio(buf, n, t->ratio);
        break;
    case UI_COL_PEERS:
        snprintf(buf, n, "%d/%d", t->peers, t->seeds);
        break;
    case UI_COL_ADDED:
        if (t->added_time > 0) {
            time_t at = (time_t)t->added_time;
            struct tm tm;
            if (localtime_r(&at, &tm)) strftime(buf, n, "%Y-%m-%d", &tm);
        }
        break;
    case UI_COL__COUNT:
        break;
    }
    return buf;
}

/* The title line: what is shown, how it is sorted, what is marked. */
static void draw_title(struct torrents_pane *tp, const struct eng *e, WINDOW *w, int y, int width)
{
    char line[3 * FILTER_MAX + 256], right[64] = "";
    size_t total = eng_torrent_count(e);
    int len;
    if (filtered(tp))
        len = snprintf(line, sizeof line, " %zu of %zu torrent%s", tp->n_ids, total,
                       total == 1 ? "" : "s");
    else
        len = snprintf(line, sizeof line, " %zu torrent%s", total, total == 1 ? "" : "s");
#define ADD(...)                                                                                   \
    do {                                                                                           \
        if (len >= 0 && (size_t)len < sizeof line)                                                 \
            len += snprintf(line + len, sizeof line - (size_t)len, __VA_ARGS__);                   \
    } while (0)
    ADD(DOT "view: %s", ui_view_name(tp->view));
    if (tp->filter[0]) ADD(DOT "filter \"%s\"", tp->filter);
    if (tp->name[0]) ADD(DOT "name \"%s\"", tp->name);
    ADD(DOT "sort: %s %s", ui_sort_name(tp->sort), tp->desc ? DOWN_ARROW : UP_ARROW);
    if (tp->marks.n) ADD(DOT "%zu marked", tp->marks.n);
#undef ADD
    if (tp->filter[0] || tp->name[0]) {
        char clear[32];
        ui_keymap_keys_for(UI_SCOPE_LIST, UI_ACT_CANCEL, clear, sizeof clear);
        clear[strcspn(clear, ",")] = '\0';
        if (clear[0]) snprintf(right, sizeof right, "%s clears ", clear);
    }
    int rw = ui_str_width(right);
    wattrset(w, ui_attr(filtered(tp) ? UI_EL_PROMPT : UI_EL_NORMAL));
    wmove(w, y, 0);
    if (rw && ui_str_width(line) + 2 + rw <= width) {
        ui_put(w, line, width - rw, true);
        wattrset(w, ui_attr(UI_EL_EMPTY));
        ui_put(w, right, rw, false);
    } else {
        ui_put(w, line, width, true);
    }
    wattrset(w, A_NORMAL);
}

static void draw_header(const struct torrents_pane *tp, WINDOW *w, int y,
                        const struct ui_list_layout *l, int width)
{
    char cell[64], title[32];
    enum ui_col sorted = ui_sort_col(tp->sort);
    wattrset(w, ui_attr(UI_EL_HEADER));
    wmove(w, y, 0);
    int x = 0;
    for (int c = 0; c < UI_COL__COUNT; c++) {
        if (l->width[c] <= 0) continue;
        const struct ui_col_def *d = ui_col_def((enum ui_col)c);
        const char *t = d->title;
        if (c == UI_COL_PROGRESS && l->bar_cells == 0) t = "Done";
        if (c == (int)sorted) {
            snprintf(title, sizeof title, "%s%s", t, tp->desc ? DOWN_ARROW : UP_ARROW);
            t = title;
        }
        ui_fmt_fit(cell, sizeof cell, t, l->width[c], d->right);
        waddstr(w, x ? " " : "");
        x += (x ? 1 : 0) + ui_put(w, cell, l->width[c], false);
    }
    /* fill the rest of the header row */
    while (x++ < width)
        waddch(w, ' ');
    wattrset(w, A_NORMAL);
}

static void draw_row(const struct torrents_pane *tp, WINDOW *w, int y, const struct eng_torrent *t,
                     const struct ui_list_layout *l, bool selected)
{
    char text[1200], cell[2048];
    attr_t base = selected ? ui_attr(UI_EL_SELECTED) : ui_attr(UI_EL_NORMAL);
    wmove(w, y, 0);
    bool first = true;
    for (int c = 0; c < UI_COL__COUNT; c++) {
        if (l->width[c] <= 0) continue;
        wattrset(w, base);
        if (!first) waddch(w, ' ');
        first = false;
        const char *s = format_cell(tp, (enum ui_col)c, t, l, text, sizeof text);
        ui_fmt_fit(cell, sizeof cell, s, l->width[c], ui_col_def((enum ui_col)c)->right);
        attr_t a = base;
        if (!selected && c == UI_COL_STATE)
            a = ui_attr(ui_state_elem(t));
        else if (!selected && c == UI_COL_PROGRESS && l->bar_cells > 0)
            a = ui_attr(UI_EL_BAR);
        else if (c == UI_COL_MARK)
            a = base | ui_attr(UI_EL_PROMPT);
        wattrset(w, a);
        waddstr(w, cell);
    }
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

/* The first key of action a in the list, "?" if unbound. */
static void first_key(enum ui_action a, char *buf, size_t n)
{
    if (ui_keymap_keys_for(UI_SCOPE_LIST, a, buf, n) == 0) snprintf(buf, n, "?");
    buf[strcspn(buf, ",")] = '\0';
}

/* Why the list is empty, with the keys that change that. */
static void empty_hint(const struct torrents_pane *tp, char *hint, size_t n)
{
    char k1[32], k2[32];
    if (!tp->name[0] && tp->view == UI_VIEW_ALL) {
        first_key(UI_ACT_CANCEL, k1, sizeof k1);
        snprintf(hint, n, "No torrent has the category or tag \"%s\". %s shows all.", tp->filter,
                 k1);
        return;
    }
    first_key(UI_ACT_VIEW_NEXT, k1, sizeof k1);
    first_key(UI_ACT_CANCEL, k2, sizeof k2);
    if (tp->filter[0] || tp->name[0])
        snprintf(hint, n, "Nothing matches in the view \"%s\". %s: next view, %s: clear filters.",
                 ui_view_name(tp->view), k1, k2);
    else
        snprintf(hint, n, "No torrent in the view \"%s\". %s: next view.", ui_view_name(tp->view),
                 k1);
}

static void torrents_draw(struct ui_pane *p, struct ui *u, WINDOW *w)
{
    struct torrents_pane *tp = (struct torrents_pane *)p;
    int h, width;
    getmaxyx(w, h, width);
    size_t n = resolve_selection(tp, u->eng);
    size_t total = eng_torrent_count(u->eng);
    struct ui_list_layout l;
    ui_list_layout(&l, width, total ? eng_torrent_at(u->eng, total - 1)->id : 1,
                   ui_list_labels_cols(tp->labels_longest));
    int y0 = 0;
    if (h > 3) draw_title(tp, u->eng, w, y0++, width);
    draw_header(tp, w, y0, &l, width);

    int rows = h - 1 - y0;
    tp->page = rows > 0 ? rows : 1;
    tp->first_y = y0 + 1;
    if (rows <= 0) return;
    int mid = y0 + 1 + rows / 2 - 1;
    if (mid < y0 + 1) mid = y0 + 1;
    if (total == 0) {
        char add[32], help[32], hint[160];
        first_key(UI_ACT_ADD, add, sizeof add);
        first_key(UI_ACT_HELP, help, sizeof help);
        snprintf(hint, sizeof hint,
                 "No torrents. Press %s to add a .torrent file or a magnet link, %s for help.", add,
                 help);
        draw_hint(w, mid, width, hint);
        return;
    }
    if (n == 0) {
        char hint[FILTER_MAX + 160];
        empty_hint(tp, hint, sizeof hint);
        draw_hint(w, mid, width, hint);
        return;
    }

    /* Keep the selection on screen, and the screen full when possible. */
    if (tp->sel < tp->top) tp->top = tp->sel;
    if (tp->sel >= tp->top + (size_t)rows) tp->top = tp->sel - (size_t)rows + 1;
    if (tp->top + (size_t)rows > n) tp->top = n > (size_t)rows ? n - (size_t)rows : 0;

    for (int r = 0; r < rows && tp->top + (size_t)r < n; r++) {
        size_t i = tp->top + (size_t)r;
        const struct eng_torrent *t = view_at(tp, u->eng, i);
        if (t) draw_row(tp, w, y0 + 1 + r, t, &l, i == tp->sel);
    }
}

/* ---- filters, views, sorting, marks ----------------------------------------------- */

/* Copies text into dst (FILTER_MAX), outer blanks dropped. */
static void set_trimmed(char *dst, const char *text)
{
    size_t len = strlen(text);
    while (len && (*text == ' ' || *text == '\t'))
        text++, len--;
    while (len && (text[len - 1] == ' ' || text[len - 1] == '\t'))
        len--;
    if (len >= FILTER_MAX) {
        len = FILTER_MAX - 1;
        while (len && ((unsigned char)text[len] & 0xc0) == 0x80) /* a whole character */
            len--;
    }
    memcpy(dst, text, len);
    dst[len] = '\0';
}

/* The filters changed: rebuild, back to the top. */
static size_t refilter(struct torrents_pane *tp, struct ui *u)
{
    tp->stale = true;
    size_t n = resolve_selection(tp, u->eng);
    tp->top = 0;
    return n;
}

/* Sets the category-or-tag filter ("" clears it) and says so when `say`
 * is set. */
static void set_filter(struct torrents_pane *tp, struct ui *u, const char *text, bool say)
{
    set_trimmed(tp->filter, text);
    size_t n = refilter(tp, u);
    if (!say) return;
    if (tp->filter[0])
        ui_msg(u, false, "showing %zu of %zu torrents: category or tag \"%s\"", n,
               eng_torrent_count(u->eng), tp->filter);
    else
        ui_msg(u, false, "filter cleared: %zu torrents shown", n);
}

/* Sets the name filter (kept as typed, blanks included: "a b" is one
 * substring) and says so when `say` is set. */
static void set_name(struct torrents_pane *tp, struct ui *u, const char *text, bool say)
{
    snprintf(tp->name, sizeof tp->name, "%s", text);
    ui_name_query_set(&tp->nq, tp->name);
    size_t n = refilter(tp, u);
    if (!say) return;
    if (tp->name[0])
        ui_msg(u, false, "showing %zu of %zu torrents: name contains \"%s\"", n,
               eng_torrent_count(u->eng), tp->name);
    else
        ui_msg(u, false, "name filter cleared: %zu torrents shown", n);
}

static void store_sort(struct torrents_pane *tp, struct ui *u)
{
    char spec[64], err[UI_MSG_LEN] = "";
    ui_sort_format(spec, sizeof spec, tp->sort, tp->desc);
    tp->stale = true;
    if (eng_setting_store(u->eng, "spate.ui_sort", spec, "tui", err, sizeof err) < 0)
        ui_msg(u, true, "sort: %s", err[0] ? err : "not stored");
    else
        ui_msg(u, false, "sorted by %s, %s", ui_sort_name(tp->sort),
               tp->desc ? "descending" : "ascending");
}

static void set_view(struct torrents_pane *tp, struct ui *u, enum ui_view v)
{
    tp->view = v;
    size_t n = refilter(tp, u);
    ui_msg(u, false, "view: %s (%zu of %zu torrents)", ui_view_name(v), n,
           eng_torrent_count(u->eng));
}

static void mark_all(struct torrents_pane *tp, struct ui *u, size_t n)
{
    bool all = n > 0;
    for (size_t i = 0; i < n && all; i++)
        all = ui_marks_has(&tp->marks, tp->ids[i]);
    if (all || n == 0) {
        size_t was = tp->marks.n;
        ui_marks_clear(&tp->marks);
        ui_msg(u, false, "%zu unmarked", was);
        return;
    }
    for (size_t i = 0; i < n; i++) {
        if (ui_marks_set(&tp->marks, tp->ids[i], true) < 0) {
            ui_msg(u, true, "marks: out of memory");
            return;
        }
    }
    ui_msg(u, false, "%zu marked", tp->marks.n);
}

static bool torrents_action(struct ui_pane *p, struct ui *u, enum ui_action a)
{
    struct torrents_pane *tp = (struct torrents_pane *)p;
    size_t n = resolve_selection(tp, u->eng);
    size_t page = tp->page > 1 ? (size_t)tp->page - 1 : 1;
    switch (a) {
    case UI_ACT_DOWN:
        if (n && tp->sel + 1 < n) select_index(tp, n, tp->sel + 1);
        return true;
    case UI_ACT_UP:
        if (tp->sel > 0) select_index(tp, n, tp->sel - 1);
        return true;
    case UI_ACT_PAGE_DOWN:
        select_index(tp, n, tp->sel + page);
        /* scroll the page along, like less */
        tp->top += page;
        return true;
    case UI_ACT_PAGE_UP:
        select_index(tp, n, tp->sel > page ? tp->sel - page : 0);
        tp->top = tp->top > page ? tp->top - page : 0;
        return true;
    case UI_ACT_HOME:
        select_index(tp, n, 0);
        return true;
    case UI_ACT_END:
        select_index(tp, n, n ? n - 1 : 0);
        return true;
    case UI_ACT_FILTER:
        ui_prompt_start(&u->prompt, "filter by category or tag (empty: all): ");
        ui_prompt_set_text(&u->prompt, tp->filter);
        u->prompt_for = UI_PROMPT_FOR_FILTER;
        u->mode = UI_MODE_PROMPT;
        return true;
    case UI_ACT_SEARCH:
        ui_prompt_start(&u->prompt, "/");
        ui_prompt_set_text(&u->prompt, tp->name);
        u->prompt_for = UI_PROMPT_FOR_NAME;
        u->mode = UI_MODE_PROMPT;
        return true;
    case UI_ACT_CANCEL:
        if (!tp->filter[0] && !tp->name[0]) return false; /* the UI clears the message */
        tp->filter[0] = '\0';
        set_name(tp, u, "", false);
        ui_msg(u, false, "filters cleared: %zu torrents shown", tp->n_ids);
        return true;
    case UI_ACT_MARK:
        if (n == 0) return true;
        if (ui_marks_set(&tp->marks, tp->sel_id, !ui_marks_has(&tp->marks, tp->sel_id)) < 0)
            ui_msg(u, true, "marks: out of memory");
        if (tp->sel + 1 < n) select_index(tp, n, tp->sel + 1);
        return true;
    case UI_ACT_MARK_ALL:
        mark_all(tp, u, n);
        return true;
    case UI_ACT_SORT_NEXT:
        tp->sort = (enum ui_sort)((tp->sort + 1) % UI_SORT__COUNT);
        tp->desc = false;
        store_sort(tp, u);
        return true;
    case UI_ACT_SORT_REVERSE:
        tp->desc = !tp->desc;
        store_sort(tp, u);
        return true;
    case UI_ACT_VIEW_NEXT:
    case UI_ACT_VIEW_PREV:
        set_view(tp, u, ui_view_step(tp->view, a == UI_ACT_VIEW_NEXT ? 1 : -1));
        return true;
    default:
        return false;
    }
}

void ui_pane_torrents_prompt(struct ui_pane *p, struct ui *u, enum ui_prompt_result r)
{
    struct torrents_pane *tp = (struct torrents_pane *)p;
    char text[FILTER_MAX * 4];
    /* Filter as the user types; Esc drops the filter. */
    if (r == UI_PROMPT_CANCEL)
        text[0] = '\0';
    else
        ui_prompt_text(&u->prompt, text, sizeof text);
    if (u->prompt_for == UI_PROMPT_FOR_NAME)
        set_name(tp, u, text, r != UI_PROMPT_EDITING);
    else
        set_filter(tp, u, text, r != UI_PROMPT_EDITING);
}

static void torrents_free(struct ui_pane *p)
{
    struct torrents_pane *tp = (struct torrents_pane *)p;
    free(tp->ids);
    free(tp->rows);
    ui_marks_free(&tp->marks);
    free(tp);
}

static const struct ui_pane_class torrents_class = {
    .title = "Torrents",
    .scope = UI_SCOPE_LIST,
    .new = ui_pane_torrents_new,
    .draw = torrents_draw,
    .on_action = torrents_action,
    .free = torrents_free,
};

struct ui_pane *ui_pane_torrents_new(void)
{
    struct torrents_pane *tp = calloc(1, sizeof *tp);
    if (!tp) return NULL;
    tp->base.cls = &torrents_class;
    tp->page = 1;
    tp->stale = true;
    return &tp->base;
}

int ui_pane_torrents_selected(struct ui_pane *p, const struct eng *e)
{
    struct torrents_pane *tp = (struct torrents_pane *)p;
    return resolve_selection(tp, e) ? tp->sel_id : 0;
}

void ui_pane_torrents_select(struct ui_pane *p, int id)
{
    struct torrents_pane *tp = (struct torrents_pane *)p;
    tp->sel_id = id;
}

void ui_pane_torrents_changed(struct ui_pane *p)
{
    ((struct torrents_pane *)p)->stale = true;
}

int ui_pane_torrents_set_sort(struct ui_pane *p, const char *spec)
{
    struct torrents_pane *tp = (struct torrents_pane *)p;
    enum ui_sort s;
    bool desc;
    int rc = ui_sort_parse(spec, &s, &desc);
    if (s != tp->sort || desc != tp->desc) tp->stale = true;
    tp->sort = s;
    tp->desc = desc;
    return rc;
}

size_t ui_pane_torrents_marked(struct ui_pane *p)
{
    return ((struct torrents_pane *)p)->marks.n;
}

int *ui_pane_torrents_targets(struct ui_pane *p, const struct eng *e, size_t *n)
{
    struct torrents_pane *tp = (struct torrents_pane *)p;
    *n = 0;
    size_t shown = resolve_selection(tp, e);
    ui_marks_keep(&tp->marks, alive, (void *)e);
    size_t want = tp->marks.n ? tp->marks.n : shown ? 1 : 0;
    if (want == 0) return NULL;
    int *ids = malloc(want * sizeof *ids);
    if (!ids) return NULL;
    if (tp->marks.n)
        memcpy(ids, tp->marks.ids, want * sizeof *ids);
    else
        ids[0] = tp->sel_id;
    *n = want;
    return ids;
}

bool ui_pane_torrents_click(struct ui_pane *p, struct ui *u, int y)
{
    struct torrents_pane *tp = (struct torrents_pane *)p;
    size_t n = resolve_selection(tp, u->eng);
    if (y < tp->first_y || y >= tp->first_y + tp->page) return false;
    size_t i = tp->top + (size_t)(y - tp->first_y);
    if (i >= n) return false;
    select_index(tp, n, i);
    return true;
}
