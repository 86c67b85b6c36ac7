/*
 * pane_torrents.c — the torrent list: a header row, then one row per torrent
 * (id, name, size, progress bar, state, down/up rate, ETA, ratio,
 * peers/seeds), with a selection and scrolling.
 *
 * View state only: the selection is remembered by torrent id (so it stays
 * on its torrent when others come and go) plus its last index (so it moves
 * to the neighbour when its torrent is removed). Each frame formats just
 * the visible rows; finding the selection is a binary search, because the
 * engine's table is in id order.
 *
 * Narrow terminals lose columns in a fixed order (see `degrade`), the
 * name keeping at least NAME_MIN columns where possible.
 */
#include "ui/ui_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ui/format.h"

#define NAME_MIN 16
#define BAR_FULL 10
#define BAR_SMALL 5

enum col {
    COL_ID,
    COL_NAME,
    COL_SIZE,
    COL_PROGRESS,
    COL_STATE,
    COL_DOWN,
    COL_UP,
    COL_ETA,
    COL_RATIO,
    COL_PEERS,
    COL__COUNT
};

static const struct {
    const char *title;
    int width; /* 0: computed (id, name, progress) */
    bool right;
} col_def[COL__COUNT] = {
    [COL_ID] = {"#", 0, true},          [COL_NAME] = {"Name", 0, false},
    [COL_SIZE] = {"Size", 8, true},     [COL_PROGRESS] = {"Progress", 0, false},
    [COL_STATE] = {"State", 11, false}, [COL_DOWN] = {"Down", 10, true},
    [COL_UP] = {"Up", 10, true},        [COL_ETA] = {"ETA", 6, true},
    [COL_RATIO] = {"Ratio", 5, true},   [COL_PEERS] = {"P/S", 7, true},
};

/* What a narrow terminal gives up first. */
enum step {
    DROP_ID,
    SMALL_BAR,
    DROP_RATIO,
    DROP_PEERS,
    DROP_ETA,
    DROP_UP,
    PERCENT_ONLY,
    DROP_STATE,
    DROP_SIZE,
    DROP_DOWN,
    N_STEPS
};

struct layout {
    int width[COL__COUNT]; /* 0: hidden */
    int bar_cells;         /* 0: percent only */
};

struct torrents_pane {
    struct ui_pane base;
    int sel_id; /* selected torrent, 0 none */
    size_t sel; /* its index at the last look */
    size_t top; /* first row shown */
    int page;   /* rows shown at the last draw */
};

static int digits(int v)
{
    int d = 1;
    while (v >= 10) {
        v /= 10;
        d++;
    }
    return d;
}

static void compute_layout(int total, int max_id, struct layout *l)
{
    for (int c = 0; c < COL__COUNT; c++)
        l->width[c] = col_def[c].width;
    l->width[COL_ID] = digits(max_id) < 2 ? 2 : digits(max_id);
    l->bar_cells = BAR_FULL;
    l->width[COL_PROGRESS] = BAR_FULL + 7;

    for (int step = 0;; step++) {
        int used = 0, shown = 0;
        for (int c = 0; c < COL__COUNT; c++)
            if (c != COL_NAME && l->width[c] > 0) used += l->width[c], shown++;
        int name = total - used - shown; /* one space before each column */
        if (name >= NAME_MIN || step == N_STEPS) {
            l->width[COL_NAME] = name > 1 ? name : 1;
            return;
        }
        switch ((enum step)step) {
        case DROP_ID:
            l->width[COL_ID] = 0;
            break;
        case SMALL_BAR:
            l->bar_cells = BAR_SMALL;
            l->width[COL_PROGRESS] = BAR_SMALL + 7;
            break;
        case DROP_RATIO:
            l->width[COL_RATIO] = 0;
            break;
        case DROP_PEERS:
            l->width[COL_PEERS] = 0;
            break;
        case DROP_ETA:
            l->width[COL_ETA] = 0;
            break;
        case DROP_UP:
            l->width[COL_UP] = 0;
            break;
        case PERCENT_ONLY:
            l->bar_cells = 0;
            l->width[COL_PROGRESS] = 4;
            break;
        case DROP_STATE:
            l->width[COL_STATE] = 0;
            break;
        case DROP_SIZE:
            l->width[COL_SIZE] = 0;
            break;
        case DROP_DOWN:
        case N_STEPS:
            l->width[COL_DOWN] = 0;
            break;
        }
    }
}

/* The text of cell `c` of torrent t, unpadded: formatted into buf, or
 * for the name the engine's own string (a copy could cut a character). */
static const char *format_cell(enum col c, const struct eng_torrent *t, const struct layout *l,
                               char *buf, size_t n)
{
    bool downloading = t->state == ENG_STATE_DOWNLOADING || t->state == ENG_STATE_METADATA;
    buf[0] = '\0';
    switch (c) {
    case COL_ID:
        snprintf(buf, n, "%d", t->id);
        break;
    case COL_NAME:
        return t->name ? t->name : "";
    case COL_SIZE:
        if (t->has_metadata)
            ui_fmt_size(buf, n, t->wanted_bytes ? t->wanted_bytes : t->total_bytes);
        else
            snprintf(buf, n, "?");
        break;
    case COL_PROGRESS:
        if (l->bar_cells > 0)
            ui_fmt_progress(buf, n, t->progress, l->bar_cells);
        else
            ui_fmt_percent(buf, n, t->progress);
        break;
    case COL_STATE:
        return t->error && *t->error ? eng_state_name(ENG_STATE_ERROR) : eng_state_name(t->state);
    case COL_DOWN:
        if (t->down_rate > 0) ui_fmt_rate(buf, n, t->down_rate);
        break;
    case COL_UP:
        if (t->up_rate > 0) ui_fmt_rate(buf, n, t->up_rate);
        break;
    case COL_ETA:
        if (downloading) ui_fmt_eta(buf, n, t->eta_s);
        break;
    case COL_RATIO:
        ui_fmt_ratio(buf, n, t->ratio);
        break;
    case COL_PEERS:
        snprintf(buf, n, "%d/%d", t->peers, t->seeds);
        break;
    case COL__COUNT:
        break;
    }
    return buf;
}

static void draw_header(WINDOW *w, const struct layout *l, int width)
{
    char cell[64];
    wattrset(w, ui_attr(UI_EL_HEADER));
    wmove(w, 0, 0);
    int x = 0;
    for (int c = 0; c < COL__COUNT; c++) {
        if (l->width[c] <= 0) continue;
        const char *title = col_def[c].title;
        if (c == COL_PROGRESS && l->bar_cells == 0) title = "Done";
        ui_fmt_fit(cell, sizeof cell, title, l->width[c], col_def[c].right);
        waddstr(w, x ? " " : "");
        x += (x ? 1 : 0) + ui_put(w, cell, l->width[c], false);
    }
    /* fill the rest of the header row */
    while (x++ < width)
        waddch(w, ' ');
    wattrset(w, A_NORMAL);
}

static void draw_row(WINDOW *w, int y, const struct eng_torrent *t, const struct layout *l,
                     bool selected)
{
    char text[256], cell[2048];
    attr_t base = selected ? ui_attr(UI_EL_SELECTED) : ui_attr(UI_EL_NORMAL);
    wmove(w, y, 0);
    bool first = true;
    for (int c = 0; c < COL__COUNT; c++) {
        if (l->width[c] <= 0) continue;
        wattrset(w, base);
        if (!first) waddch(w, ' ');
        first = false;
        const char *s = format_cell((enum col)c, t, l, text, sizeof text);
        ui_fmt_fit(cell, sizeof cell, s, l->width[c], col_def[c].right);
        attr_t a = base;
        if (!selected && c == COL_STATE)
            a = ui_attr(ui_state_elem(t));
        else if (!selected && c == COL_PROGRESS && l->bar_cells > 0)
            a = ui_attr(UI_EL_BAR);
        wattrset(w, a);
        waddstr(w, cell);
    }
    wattrset(w, A_NORMAL);
}

/* Index of torrent `id` in the id-ordered table, or the index where it
 * would be. */
static size_t lower_bound(const struct eng *e, size_t n, int id)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (eng_torrent_at(e, mid)->id < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* Brings sel/sel_id up to date with the table; returns the row count. */
static size_t resolve_selection(struct torrents_pane *tp, const struct eng *e)
{
    size_t n = eng_torrent_count(e);
    if (n == 0) {
        tp->sel = 0;
        tp->sel_id = 0;
        tp->top = 0;
        return 0;
    }
    if (tp->sel_id > 0) {
        size_t i = lower_bound(e, n, tp->sel_id);
        if (i < n && eng_torrent_at(e, i)->id == tp->sel_id) {
            tp->sel = i;
            return n;
        }
        /* Our torrent is gone: stay where it was, on its successor. */
        tp->sel = i;
    }
    if (tp->sel >= n) tp->sel = n - 1;
    tp->sel_id = eng_torrent_at(e, tp->sel)->id;
    return n;
}

static void select_index(struct torrents_pane *tp, const struct eng *e, size_t n, size_t i)
{
    if (n == 0) return;
    tp->sel = i < n ? i : n - 1;
    tp->sel_id = eng_torrent_at(e, tp->sel)->id;
}

static void torrents_draw(struct ui_pane *p, struct ui *u, WINDOW *w)
{
    struct torrents_pane *tp = (struct torrents_pane *)p;
    int h, width;
    getmaxyx(w, h, width);
    size_t n = resolve_selection(tp, u->eng);
    struct layout l;
    compute_layout(width, n ? eng_torrent_at(u->eng, n - 1)->id : 1, &l);
    draw_header(w, &l, width);

    int rows = h - 1;
    tp->page = rows > 0 ? rows : 1;
    if (rows <= 0) return;
    if (n == 0) {
        const char *hint = "No torrents. Press a to add a .torrent file or a magnet link, "
                           "? for help.";
        int hw = ui_str_width(hint);
        int y = 1 + rows / 2 - 1;
        wmove(w, y < 1 ? 1 : y, hw < width ? (width - hw) / 2 : 0);
        wattrset(w, ui_attr(UI_EL_EMPTY));
        ui_put(w, hint, width, false);
        wattrset(w, A_NORMAL);
        return;
    }

    /* Keep the selection on screen, and the screen full when possible. */
    if (tp->sel < tp->top) tp->top = tp->sel;
    if (tp->sel >= tp->top + (size_t)rows) tp->top = tp->sel - (size_t)rows + 1;
    if (tp->top + (size_t)rows > n) tp->top = n > (size_t)rows ? n - (size_t)rows : 0;

    for (int r = 0; r < rows && tp->top + (size_t)r < n; r++) {
        size_t i = tp->top + (size_t)r;
        draw_row(w, 1 + r, eng_torrent_at(u->eng, i), &l, i == tp->sel);
    }
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
    default:
        return false;
    }
}

static void torrents_free(struct ui_pane *p)
{
    free(p);
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
    resolve_selection(tp, e);
    return tp->sel_id;
}

void ui_pane_torrents_select(struct ui_pane *p, int id)
{
    struct torrents_pane *tp = (struct torrents_pane *)p;
    tp->sel_id = id;
}
