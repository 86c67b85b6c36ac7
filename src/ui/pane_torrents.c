/*
 * pane_torrents.c — the torrent list: a header row, then one row per torrent
 * (id, name, category/tags, size, progress bar, state, down/up rate, ETA,
 * ratio, peers/seeds), with a selection, scrolling and a filter.
 *
 * View state only: the selection is remembered by torrent id (so it stays
 * on its torrent when others come and go) plus its last index (so it moves
 * to the neighbour when its torrent is removed or filtered out). Each frame
 * formats just the visible rows; finding the selection is a binary search,
 * because the engine's table, and so the filtered view of it, is in id
 * order.
 *
 * The filter (`c`) keeps the torrents whose category is the filter text or
 * whose tags hold it as one item (torrent_list.c); the view is the list of
 * their table indices, rebuilt on each look (a pass over the table). While
 * a filter is on, a line above the header says so.
 *
 * The columns and what narrow terminals give up come from torrent_list.c;
 * the category/tags column is there only while some torrent has one, and
 * is the first to go.
 */
#include "ui/ui_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ui/format.h"
#include "ui/torrent_list.h"

#define FILTER_MAX 256

struct torrents_pane {
    struct ui_pane base;
    int sel_id;              /* selected torrent, 0 none */
    size_t sel;              /* its index in the view at the last look */
    size_t top;              /* first row shown */
    int page;                /* rows shown at the last draw */
    char filter[FILTER_MAX]; /* "" none */
    size_t *view;            /* with a filter: table indices shown, in order */
    size_t view_cap;
    size_t n_view; /* rows in the view (the table's count without a filter) */
};

static bool filtered(const struct torrents_pane *tp)
{
    return tp->filter[0] != '\0';
}

/* Row i of the view. */
static const struct eng_torrent *view_at(const struct torrents_pane *tp, const struct eng *e,
                                         size_t i)
{
    return eng_torrent_at(e, filtered(tp) ? tp->view[i] : i);
}

/* Rebuilds the view from the table; returns its row count. */
static size_t view_build(struct torrents_pane *tp, const struct eng *e)
{
    size_t n = eng_torrent_count(e);
    if (!filtered(tp)) return tp->n_view = n;
    if (n > tp->view_cap) {
        size_t *v = realloc(tp->view, n * sizeof *v);
        if (!v) {
            tp->filter[0] = '\0'; /* no memory for a view: show everything */
            return tp->n_view = n;
        }
        tp->view = v;
        tp->view_cap = n;
    }
    tp->n_view = 0;
    for (size_t i = 0; i < n; i++) {
        const struct eng_torrent *t = eng_torrent_at(e, i);
        if (ui_list_matches(t->category, t->tags, tp->filter)) tp->view[tp->n_view++] = i;
    }
    return tp->n_view;
}

/* The text of cell `c` of torrent t, unpadded: formatted into buf, or
 * for the name the engine's own string (a copy could cut a character). */
static const char *format_cell(enum ui_col c, const struct eng_torrent *t,
                               const struct ui_list_layout *l, char *buf, size_t n)
{
    bool downloading = t->state == ENG_STATE_DOWNLOADING || t->state == ENG_STATE_METADATA;
    buf[0] = '\0';
    switch (c) {
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
            ui_fmt_size(buf, n, t->wanted_bytes ? t->wanted_bytes : t->total_bytes);
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
        return t->error && *t->error ? eng_state_name(ENG_STATE_ERROR) : eng_state_name(t->state);
    case UI_COL_DOWN:
        if (t->down_rate > 0) ui_fmt_rate(buf, n, t->down_rate);
        break;
    case UI_COL_UP:
        if (t->up_rate > 0) ui_fmt_rate(buf, n, t->up_rate);
        break;
    case UI_COL_ETA:
        if (downloading) ui_fmt_eta(buf, n, t->eta_s);
        break;
    case UI_COL_RATIO:
        ui_fmt_ratio(buf, n, t->ratio);
        break;
    case UI_COL_PEERS:
        snprintf(buf, n, "%d/%d", t->peers, t->seeds);
        break;
    case UI_COL__COUNT:
        break;
    }
    return buf;
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

/* The line above the header while a filter is on. */
static void draw_filter(struct torrents_pane *tp, const struct eng *e, WINDOW *w, int y, int width)
{
    char line[FILTER_MAX + 256], change[32], clear[32];
    ui_keymap_keys_for(UI_SCOPE_LIST, UI_ACT_FILTER, change, sizeof change);
    ui_keymap_keys_for(UI_SCOPE_LIST, UI_ACT_CANCEL, clear, sizeof clear);
    size_t total = eng_torrent_count(e);
    snprintf(line, sizeof line, " Filter \"%s\": %zu of %zu torrent%s   (%s changes, %s clears)",
             tp->filter, tp->n_view, total, total == 1 ? "" : "s", change, clear);
    wattrset(w, ui_attr(UI_EL_PROMPT));
    wmove(w, y, 0);
    ui_put(w, line, width, true);
    wattrset(w, A_NORMAL);
}

static void draw_header(WINDOW *w, int y, const struct ui_list_layout *l, int width)
{
    char cell[64];
    wattrset(w, ui_attr(UI_EL_HEADER));
    wmove(w, y, 0);
    int x = 0;
    for (int c = 0; c < UI_COL__COUNT; c++) {
        if (l->width[c] <= 0) continue;
        const struct ui_col_def *d = ui_col_def((enum ui_col)c);
        const char *title = d->title;
        if (c == UI_COL_PROGRESS && l->bar_cells == 0) title = "Done";
        ui_fmt_fit(cell, sizeof cell, title, l->width[c], d->right);
        waddstr(w, x ? " " : "");
        x += (x ? 1 : 0) + ui_put(w, cell, l->width[c], false);
    }
    /* fill the rest of the header row */
    while (x++ < width)
        waddch(w, ' ');
    wattrset(w, A_NORMAL);
}

static void draw_row(WINDOW *w, int y, const struct eng_torrent *t, const struct ui_list_layout *l,
                     bool selected)
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
        const char *s = format_cell((enum ui_col)c, t, l, text, sizeof text);
        ui_fmt_fit(cell, sizeof cell, s, l->width[c], ui_col_def((enum ui_col)c)->right);
        attr_t a = base;
        if (!selected && c == UI_COL_STATE)
            a = ui_attr(ui_state_elem(t));
        else if (!selected && c == UI_COL_PROGRESS && l->bar_cells > 0)
            a = ui_attr(UI_EL_BAR);
        wattrset(w, a);
        waddstr(w, cell);
    }
    wattrset(w, A_NORMAL);
}

/* Index of torrent `id` in the id-ordered view, or the index where it
 * would be. */
static size_t lower_bound(const struct torrents_pane *tp, const struct eng *e, int id)
{
    size_t lo = 0, hi = tp->n_view;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (view_at(tp, e, mid)->id < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* Rebuilds the view and brings sel/sel_id up to date with it; returns the
 * row count. */
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
        size_t i = lower_bound(tp, e, tp->sel_id);
        if (i < n && view_at(tp, e, i)->id == tp->sel_id) {
            tp->sel = i;
            return n;
        }
        /* Our torrent is gone (or filtered out): its successor. */
        tp->sel = i;
    }
    if (tp->sel >= n) tp->sel = n - 1;
    tp->sel_id = view_at(tp, e, tp->sel)->id;
    return n;
}

static void select_index(struct torrents_pane *tp, const struct eng *e, size_t n, size_t i)
{
    if (n == 0) return;
    tp->sel = i < n ? i : n - 1;
    tp->sel_id = view_at(tp, e, tp->sel)->id;
}

static void draw_hint(WINDOW *w, int y, int width, const char *hint)
{
    int hw = ui_str_width(hint);
    wmove(w, y, hw < width ? (width - hw) / 2 : 0);
    wattrset(w, ui_attr(UI_EL_EMPTY));
    ui_put(w, hint, width, false);
    wattrset(w, A_NORMAL);
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
                   ui_list_labels_cols(labels_longest(u->eng)));
    int y0 = 0;
    if (filtered(tp) && h > 2) draw_filter(tp, u->eng, w, y0++, width);
    draw_header(w, y0, &l, width);

    int rows = h - 1 - y0;
    tp->page = rows > 0 ? rows : 1;
    if (rows <= 0) return;
    int mid = y0 + 1 + rows / 2 - 1;
    if (mid < y0 + 1) mid = y0 + 1;
    if (total == 0) {
        draw_hint(w, mid, width,
                  "No torrents. Press a to add a .torrent file or a magnet link, ? for help.");
        return;
    }
    if (n == 0) {
        char hint[FILTER_MAX + 96], clear[32];
        ui_keymap_keys_for(UI_SCOPE_LIST, UI_ACT_CANCEL, clear, sizeof clear);
        snprintf(hint, sizeof hint, "No torrent has the category or tag \"%s\". %s shows all.",
                 tp->filter, clear);
        draw_hint(w, mid, width, hint);
        return;
    }

    /* Keep the selection on screen, and the screen full when possible. */
    if (tp->sel < tp->top) tp->top = tp->sel;
    if (tp->sel >= tp->top + (size_t)rows) tp->top = tp->sel - (size_t)rows + 1;
    if (tp->top + (size_t)rows > n) tp->top = n > (size_t)rows ? n - (size_t)rows : 0;

    for (int r = 0; r < rows && tp->top + (size_t)r < n; r++) {
        size_t i = tp->top + (size_t)r;
        draw_row(w, y0 + 1 + r, view_at(tp, u->eng, i), &l, i == tp->sel);
    }
}

/* Sets the filter (outer blanks dropped; "" clears it) and says so when
 * `say` is set. */
static void set_filter(struct torrents_pane *tp, struct ui *u, const char *text, bool say)
{
    size_t len = strlen(text);
    while (len && (*text == ' ' || *text == '\t'))
        text++, len--;
    while (len && (text[len - 1] == ' ' || text[len - 1] == '\t'))
        len--;
    if (len >= sizeof tp->filter) len = sizeof tp->filter - 1;
    memcpy(tp->filter, text, len);
    tp->filter[len] = '\0';
    size_t n = resolve_selection(tp, u->eng);
    tp->top = 0;
    if (!say) return;
    if (filtered(tp))
        ui_msg(u, false, "showing %zu of %zu torrents: category or tag \"%s\"", n,
               eng_torrent_count(u->eng), tp->filter);
    else
        ui_msg(u, false, "filter cleared: all %zu torrents", n);
}

static bool torrents_action(struct ui_pane *p, struct ui *u, enum ui_action a)
{
    struct torrents_pane *tp = (struct torrents_pane *)p;
    size_t n = resolve_selection(tp, u->eng);
    size_t page = tp->page > 1 ? (size_t)tp->page - 1 : 1;
    switch (a) {
    case UI_ACT_DOWN:
        if (n && tp->sel + 1 < n) select_index(tp, u->eng, n, tp->sel + 1);
        return true;
    case UI_ACT_UP:
        if (tp->sel > 0) select_index(tp, u->eng, n, tp->sel - 1);
        return true;
    case UI_ACT_PAGE_DOWN:
        select_index(tp, u->eng, n, tp->sel + page);
        /* scroll the page along, like less */
        tp->top += page;
        return true;
    case UI_ACT_PAGE_UP:
        select_index(tp, u->eng, n, tp->sel > page ? tp->sel - page : 0);
        tp->top = tp->top > page ? tp->top - page : 0;
        return true;
    case UI_ACT_HOME:
        select_index(tp, u->eng, n, 0);
        return true;
    case UI_ACT_END:
        select_index(tp, u->eng, n, n ? n - 1 : 0);
        return true;
    case UI_ACT_FILTER:
        ui_prompt_start(&u->prompt, "filter by category or tag (empty: all): ");
        ui_prompt_set_text(&u->prompt, tp->filter);
        u->prompt_for = UI_PROMPT_FOR_FILTER;
        u->mode = UI_MODE_PROMPT;
        return true;
    case UI_ACT_CANCEL:
        if (!filtered(tp)) return false; /* the UI clears the message */
        set_filter(tp, u, "", true);
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
    set_filter(tp, u, text, r != UI_PROMPT_EDITING);
}

static void torrents_free(struct ui_pane *p)
{
    struct torrents_pane *tp = (struct torrents_pane *)p;
    free(tp->view);
    free(tp);
}

struct ui_pane *ui_pane_torrents_new(void)
{
    struct torrents_pane *tp = calloc(1, sizeof *tp);
    if (!tp) return NULL;
    tp->base.title = "Torrents";
    tp->base.draw = torrents_draw;
    tp->base.on_action = torrents_action;
    tp->base.free = torrents_free;
    tp->page = 1;
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
