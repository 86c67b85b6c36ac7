/*
 * pane_health.c — the detail area's Health tab: how the session is doing,
 * whatever torrent is selected.
 *
 * One document, scrolled as a whole with the moving actions while the
 * detail area has the keys (and with the mouse wheel over it):
 *
 *   Listen     [TCP] 127.0.0.1:6881, [uTP] 127.0.0.1:6881
 *              [TCP] [::]:6881: Address already in use     (error colour)
 *   DHT        312 nodes            Incoming   seen
 *   Disk queue 0 jobs, 0 B          IP filter  0 ranges, 0 peers blocked
 *   Alt speed  off                  Mount      off
 *   Down    ▁▁▂▃▅▇█▆▄▂▁▁▁  1.2 MiB/s  peak  3.4 MiB/s
 *   Up      ▁▁▁▁▂▁▁▁▁▁▁▁▁   12 KiB/s  peak   40 KiB/s
 *   Time     Level Torrent       Message                   (header colour)
 *   12:34:56 error ubuntu.iso    file_open (...): Permission denied
 *   ...      the health log, newest first
 *
 * (the session's pairs in one column below 76 columns). The sparklines
 * have one cell per rate sample (about a second each), as many as fit,
 * the newest on the right, each scaled to its own largest sample in view;
 * "peak" is that sample.
 *
 * The log is read from the engine (the store's event log) on each draw,
 * only as far as the screen reaches: the rows shown plus the scroll,
 * at most LOG_MAX events. View state: the scroll only.
 */
#include "ui/pane_health.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ui/format.h"

#define LOG_MAX 1000         /* events one can scroll back to */
#define LABEL_COLS 11        /* "Disk queue " */
#define TWO_COLUMNS 76       /* from this width, the session's pairs side by side */
#define SECOND_COLUMN_MAX 48 /* where the second column starts at the latest */
#define RATE_COLS 10         /* "1023 KiB/s" */
#define MIN_SPARK_CELLS 8    /* fewer: no sparkline */

/* ---- the pure part (pane_health.h) --------------------------------------------------- */

int ui_health_sparkline(char *buf, size_t n, const int64_t *samples, size_t count, int cells,
                        int64_t *peak)
{
    static const char blocks[8][UI_SPARK_CELL_BYTES + 1] = {
        "\xe2\x96\x81", "\xe2\x96\x82", "\xe2\x96\x83", "\xe2\x96\x84",
        "\xe2\x96\x85", "\xe2\x96\x86", "\xe2\x96\x87", "\xe2\x96\x88",
    };
    if (peak) *peak = 0;
    if (n == 0) return 0;
    buf[0] = '\0';
    if (!samples || cells <= 0) return 0;
    size_t shown = count < (size_t)cells ? count : (size_t)cells;
    size_t fit = (n - 1) / UI_SPARK_CELL_BYTES;
    if (shown > fit) shown = fit;
    const int64_t *s = samples + (count - shown);
    int64_t max = 0;
    for (size_t i = 0; i < shown; i++)
        if (s[i] > max) max = s[i];
    if (peak) *peak = max;
    char *p = buf;
    for (size_t i = 0; i < shown; i++) {
        int level = 0;
        /* 1..7 for anything above nothing, 7 only for the largest: a
         * ceiling, in double so that huge rates cannot overflow */
        if (s[i] > 0 && max > 0) {
            double f = (double)s[i] * 7.0 / (double)max;
            level = (int)f;
            if ((double)level < f) level++;
            if (level < 1) level = 1;
            if (level > 7) level = 7;
        }
        memcpy(p, blocks[level], UI_SPARK_CELL_BYTES);
        p += UI_SPARK_CELL_BYTES;
    }
    *p = '\0';
    return (int)shown;
}

size_t ui_health_time(char *buf, size_t n, int64_t t)
{
    time_t tt = (time_t)t;
    struct tm tm;
    if (n == 0) return 0;
    if (!localtime_r(&tt, &tm) || strftime(buf, n, "%H:%M:%S", &tm) == 0)
        snprintf(buf, n, "--:--:--");
    return strlen(buf);
}

int ui_health_torrent_cols(int cols)
{
    if (cols < 40) return 0;
    int tw = cols / 5;
    return tw < 12 ? 12 : tw > 30 ? 30 : tw;
}

/* The columns before the message, shared by the lines and their header. */
static int log_line(char *buf, size_t n, const char *time, const char *level, const char *torrent,
                    const char *message, int cols)
{
    char lv[16], tor[512], line[4096];
    int tw = ui_health_torrent_cols(cols);
    ui_fmt_fit(lv, sizeof lv, level, UI_HEALTH_LEVEL_COLS, false);
    if (tw > 0) {
        ui_fmt_fit(tor, sizeof tor, torrent, tw, false);
        snprintf(line, sizeof line, "%-8.8s %s %s %s", time, lv, tor, message);
    } else {
        snprintf(line, sizeof line, "%-8.8s %s %s", time, lv, message);
    }
    return ui_fmt_truncate(buf, n, line, cols);
}

int ui_health_log_line(char *buf, size_t n, int64_t time, const char *level, const char *torrent,
                       const char *message, int cols)
{
    char t[32];
    ui_health_time(t, sizeof t, time);
    if (!message) message = "";
    /* libtorrent starts a torrent's messages with its name: once is enough */
    size_t tl = torrent ? strlen(torrent) : 0;
    if (tl && strncmp(message, torrent, tl) == 0 && message[tl] == ' ' && message[tl + 1])
        message += tl + 1;
    return log_line(buf, n, t, level ? level : "?", torrent && *torrent ? torrent : "-", message,
                    cols);
}

int ui_health_log_header(char *buf, size_t n, int cols)
{
    return log_line(buf, n, "Time", "Level", "Torrent", "Message", cols);
}

enum ui_elem ui_health_level_elem(const char *level)
{
    if (level && strcmp(level, "error") == 0) return UI_EL_MSG_ERROR;
    if (level && strcmp(level, "warn") == 0) return UI_EL_MSG_WARN;
    return UI_EL_NORMAL;
}

/* ---- the pane ------------------------------------------------------------------------- */

/* The health log as read for one draw: formatted lines, oldest first. */
struct log_rows {
    char **line;
    enum ui_elem *elem;
    size_t n, cap;
    int cols;
};

static int log_row(int64_t time, const char *level, const char *torrent, const char *message,
                   void *ud)
{
    struct log_rows *r = ud;
    char buf[4096];
    if (r->n == r->cap) {
        size_t cap = r->cap ? r->cap * 2 : 64;
        char **l = realloc(r->line, cap * sizeof *l);
        if (l) r->line = l;
        enum ui_elem *e = l ? realloc(r->elem, cap * sizeof *e) : NULL;
        if (e) r->elem = e;
        if (!l || !e) return 1; /* stop: show what we have */
        r->cap = cap;
    }
    ui_health_log_line(buf, sizeof buf, time, level, torrent, message, r->cols);
    char *copy = strdup(buf);
    if (!copy) return 1;
    r->line[r->n] = copy;
    r->elem[r->n++] = ui_health_level_elem(level);
    return 0;
}

static void log_rows_free(struct log_rows *r)
{
    for (size_t i = 0; i < r->n; i++)
        free(r->line[i]);
    free(r->line);
    free(r->elem);
}

/* Where the document's lines go: line `vy` to row vy - top, if shown. */
struct canvas {
    WINDOW *w;
    size_t top;
    int h, width;
};

static bool at(const struct canvas *c, size_t vy)
{
    if (vy < c->top || vy - c->top >= (size_t)c->h) return false;
    wmove(c->w, (int)(vy - c->top), 0);
    return true;
}

/* A "Label      value" pair at column x of the cursor's row, `cols` wide. */
static void put_pair(WINDOW *w, int x, int cols, const char *label, const char *value,
                     enum ui_elem value_elem)
{
    char lab[64];
    if (cols <= 0) return;
    wmove(w, getcury(w), x);
    ui_fmt_fit(lab, sizeof lab, label, LABEL_COLS < cols ? LABEL_COLS : cols, false);
    wattrset(w, ui_attr(UI_EL_NORMAL));
    int used = ui_put(w, lab, cols, false);
    wattrset(w, ui_attr(value_elem));
    ui_put(w, value, cols - used, false);
    wattrset(w, A_NORMAL);
}

struct pair {
    const char *label;
    char value[160];
    enum ui_elem elem;
};

/* The session as one draw shows it. */
struct session {
    struct eng_health h;
    char ok[1024]; /* the listen sockets that work, ", "-separated */
    size_t n_ok, n_failed;
    struct pair p[6];
};

static void session_read(struct session *s, struct ui *u)
{
    struct eng_stats st;
    memset(s, 0, sizeof *s);
    memset(&st, 0, sizeof st);
    eng_health(u->eng, &s->h);
    eng_get_stats(u->eng, &st);
    struct eng_health *h = &s->h;
    if (h->n_listen > sizeof h->listen / sizeof h->listen[0])
        h->n_listen = sizeof h->listen / sizeof h->listen[0];
    for (size_t i = 0; i < h->n_listen; i++) {
        if (h->listen[i].error[0]) {
            s->n_failed++;
            continue;
        }
        size_t len = strlen(s->ok);
        snprintf(s->ok + len, sizeof s->ok - len, "%s%s", s->n_ok++ ? ", " : "", h->listen[i].what);
    }

    static const char *const labels[6] = {"DHT",       "Incoming",  "Disk queue",
                                          "IP filter", "Alt speed", "Mount"};
    struct pair *p = s->p;
    for (int i = 0; i < 6; i++) {
        p[i].label = labels[i];
        p[i].elem = UI_EL_NORMAL;
    }
    if (!st.dht_enabled)
        snprintf(p[0].value, sizeof p[0].value, "off");
    else if (h->dht_nodes < 0)
        snprintf(p[0].value, sizeof p[0].value, "on, no figures yet");
    else
        snprintf(p[0].value, sizeof p[0].value, "%lld node%s", (long long)h->dht_nodes,
                 h->dht_nodes == 1 ? "" : "s");
    snprintf(p[1].value, sizeof p[1].value, "%s",
             h->incoming_seen ? "seen" : "none yet (firewall or NAT?)");
    if (h->disk_queued_jobs < 0) {
        snprintf(p[2].value, sizeof p[2].value, "?");
    } else {
        char sz[UTIL_FMT_SIZE_LEN] = "?";
        if (h->disk_queued_bytes >= 0) util_fmt_size(sz, sizeof sz, h->disk_queued_bytes);
        snprintf(p[2].value, sizeof p[2].value, "%lld job%s, %s", (long long)h->disk_queued_jobs,
                 h->disk_queued_jobs == 1 ? "" : "s", sz);
    }
    snprintf(p[3].value, sizeof p[3].value, "%ld range%s, %ld peer%s blocked", h->ip_filter_ranges,
             h->ip_filter_ranges == 1 ? "" : "s", h->blocked_peers,
             h->blocked_peers == 1 ? "" : "s");
    snprintf(p[4].value, sizeof p[4].value, "%s", h->alt_speed ? "on" : "off");
    if (h->alt_speed) p[4].elem = UI_EL_MSG_WARN;
    snprintf(p[5].value, sizeof p[5].value, "%s", h->mount && *h->mount ? h->mount : "-");
    if (h->mount && strncmp(h->mount, "failed", 6) == 0) p[5].elem = UI_EL_MSG_ERROR;
}

/* Lines of the session's part at `width` columns. */
static size_t session_lines(const struct session *s, int width)
{
    size_t ok_line = s->n_ok || !s->n_failed ? 1 : 0;
    return ok_line + s->n_failed + (width >= TWO_COLUMNS ? 3 : 6);
}

/* Draws the session's part from document line vy on; returns the next line. */
static size_t draw_session(const struct canvas *c, const struct session *s, size_t vy)
{
    const struct eng_health *h = &s->h;
    bool ok_line = s->n_ok || !s->n_failed;
    if (ok_line) {
        if (at(c, vy))
            put_pair(c->w, 0, c->width, "Listen", s->n_ok ? s->ok : "not listening yet",
                     s->n_ok ? UI_EL_NORMAL : UI_EL_MSG_WARN);
        vy++;
    }
    for (size_t i = 0; i < h->n_listen; i++) {
        if (!h->listen[i].error[0]) continue;
        char line[400];
        snprintf(line, sizeof line, "%s: %s", h->listen[i].what, h->listen[i].error);
        if (at(c, vy)) put_pair(c->w, 0, c->width, ok_line ? "" : "Listen", line, UI_EL_MSG_ERROR);
        ok_line = true; /* the label only once */
        vy++;
    }
    bool two = c->width >= TWO_COLUMNS;
    int half = c->width / 2 < SECOND_COLUMN_MAX ? c->width / 2 : SECOND_COLUMN_MAX;
    for (size_t i = 0; i < 6; i += two ? 2 : 1) {
        if (at(c, vy)) {
            put_pair(c->w, 0, two ? half - 1 : c->width, s->p[i].label, s->p[i].value,
                     s->p[i].elem);
            if (two)
                put_pair(c->w, half, c->width - half, s->p[i + 1].label, s->p[i + 1].value,
                         s->p[i + 1].elem);
        }
        vy++;
    }
    return vy;
}

struct health_pane {
    struct ui_pane base;
    size_t top; /* first line of the document shown */
    int page;   /* rows shown at the last draw */
    /* read on each draw; here, as they are too big for the stack */
    int64_t down[ENG_RATE_HISTORY], up[ENG_RATE_HISTORY];
    struct session session;
};

/* One rate line: "Down ▁▂▃…  1.2 MiB/s  peak  3.4 MiB/s". */
static void draw_rate(WINDOW *w, int width, const char *label, const int64_t *s, size_t n,
                      enum ui_elem spark_elem)
{
    char spark[UI_SPARK_CELL_BYTES * 512 + 1], cur[UTIL_FMT_RATE_LEN], pk[UTIL_FMT_RATE_LEN],
        right[96], lab[16];
    int cells = width - 5 - (1 + RATE_COLS + 7 + RATE_COLS);
    if (cells > 512) cells = 512;
    int64_t peak = 0;
    if (cells < MIN_SPARK_CELLS) cells = 0;
    int drawn = ui_health_sparkline(spark, sizeof spark, s, n, cells > 0 ? cells : 60, &peak);
    util_fmt_rate(cur, sizeof cur, n ? s[n - 1] : 0);
    util_fmt_rate(pk, sizeof pk, peak);
    snprintf(right, sizeof right, " %*s  peak %*s", RATE_COLS, cur, RATE_COLS, pk);
    ui_fmt_fit(lab, sizeof lab, label, 5, false);
    wattrset(w, ui_attr(UI_EL_NORMAL));
    int x = ui_put(w, lab, width, false);
    if (cells > 0) {
        /* right-aligned: the newest sample always next to the figures */
        for (; drawn < cells && x < width; drawn++, x++)
            waddch(w, ' ');
        wattrset(w, ui_attr(spark_elem));
        x += ui_put(w, spark, width - x, false);
        wattrset(w, ui_attr(UI_EL_NORMAL));
    }
    ui_put(w, right, width - x, false);
    wattrset(w, A_NORMAL);
}

static void health_draw(struct ui_pane *p, struct ui *u, WINDOW *w)
{
    struct health_pane *hp = (struct health_pane *)p;
    int h, width;
    getmaxyx(w, h, width);
    hp->page = h > 0 ? h : 1;
    if (h <= 0 || width <= 0) return;

    /* How long the session's part is decides how far the log is read. */
    struct session *s = &hp->session;
    session_read(s, u);
    size_t log_at = session_lines(s, width) + 2; /* + the two rate lines */

    struct log_rows rows = {.cols = width};
    size_t want = hp->top + (size_t)h > log_at + 1 ? hp->top + (size_t)h - log_at - 1 : 0;
    if (want > LOG_MAX) want = LOG_MAX;
    if (want > 0) eng_events(u->eng, (int)want, log_row, &rows);
    /* Past the end (after END, or events gone): back to the last line. */
    size_t total = log_at + 1 + (rows.n ? rows.n : 1);
    if (hp->top + (size_t)h > total) hp->top = total > (size_t)h ? total - (size_t)h : 0;
    struct canvas c = {w, hp->top, h, width};

    size_t vy = draw_session(&c, s, 0);
    size_t n = eng_rate_history(u->eng, hp->down, hp->up, ENG_RATE_HISTORY);
    if (at(&c, vy)) draw_rate(w, width, "Down", hp->down, n, UI_EL_STATE_ACTIVE);
    vy++;
    if (at(&c, vy)) draw_rate(w, width, "Up", hp->up, n, UI_EL_STATE_SEED);
    vy++;

    char line[4096];
    if (at(&c, vy)) {
        ui_health_log_header(line, sizeof line, width);
        wattrset(w, ui_attr(UI_EL_HEADER));
        ui_put(w, line, width, true);
        wattrset(w, A_NORMAL);
    }
    vy++;
    if (want > 0 && rows.n == 0 && at(&c, vy)) {
        wattrset(w, ui_attr(UI_EL_EMPTY));
        ui_put(w, "no events yet", width, false);
        wattrset(w, A_NORMAL);
    }
    /* newest first */
    for (size_t i = rows.n; i-- > 0; vy++) {
        if (!at(&c, vy)) continue;
        int y = getcury(w);
        wattrset(w, ui_attr(UI_EL_NORMAL));
        ui_put(w, rows.line[i], width, false);
        attr_t a = ui_attr(rows.elem[i]);
        if (width > UI_HEALTH_LEVEL_COL + UI_HEALTH_LEVEL_COLS && rows.elem[i] != UI_EL_NORMAL)
            mvwchgat(w, y, UI_HEALTH_LEVEL_COL, UI_HEALTH_LEVEL_COLS, a & ~A_COLOR,
                     (short)PAIR_NUMBER(a), NULL);
        wattrset(w, A_NORMAL);
    }
    log_rows_free(&rows);
}

static bool health_action(struct ui_pane *p, struct ui *u, enum ui_action a)
{
    struct health_pane *hp = (struct health_pane *)p;
    /* ui.c sends the moving actions while the detail area has the keys
     * (ui_detail_focused) and for the mouse wheel over it */
    (void)u;
    size_t page = hp->page > 1 ? (size_t)hp->page - 1 : 1;
    switch (a) {
    case UI_ACT_UP:
        if (hp->top > 0) hp->top--;
        return true;
    case UI_ACT_DOWN:
        hp->top++; /* the draw holds it at the end */
        return true;
    case UI_ACT_PAGE_UP:
        hp->top = hp->top > page ? hp->top - page : 0;
        return true;
    case UI_ACT_PAGE_DOWN:
        hp->top += page;
        return true;
    case UI_ACT_HOME:
        hp->top = 0;
        return true;
    case UI_ACT_END:
        hp->top = LOG_MAX + 64; /* past the end: the draw brings it back */
        return true;
    default:
        return false;
    }
}

static void health_free(struct ui_pane *p)
{
    free(p);
}

static struct ui_pane *health_new(void)
{
    struct health_pane *hp = calloc(1, sizeof *hp);
    if (!hp) return NULL;
    hp->base.cls = &ui_pane_health;
    hp->page = 1;
    return &hp->base;
}

const struct ui_pane_class ui_pane_health = {
    .title = "Health",
    .scope = -1,
    .action = "tab-health",
    .help = "health of the session",
    .new = health_new,
    .draw = health_draw,
    .on_action = health_action,
    .free = health_free,
};
