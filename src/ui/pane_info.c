/*
 * pane_info.c — the Info tab of the detail area: what there is to know
 * about the selected torrent, one "label  value" line each, with a map of
 * its pieces across the width.
 *
 *    Name           ubuntu-24.04.iso
 *    Info-hash v1   0123456789abcdef0123456789abcdef01234567
 *    Info-hash v2   -
 *    Save path      /home/me/Downloads
 *    Size           5.7 GiB, 5.7 GiB wanted, 1.2 GiB done
 *    Pieces         23040 pieces of 256 KiB: 4610 have, 12 downloading
 *    [##########>+.......................................................]
 *    Comment        ...
 *
 * The error, if the torrent has one, comes first, in the error colour, so
 * that it shows in the small unzoomed detail area. The rest scrolls with
 * the moving keys while the detail area has the focus.
 *
 * The map (info_text.c) squeezes or stretches the pieces onto the cells:
 * a cell is had when all its pieces are, downloading when one of them is
 * in the download queue, partly had when some are. What the engine has to
 * ask libtorrent for (the pieces, the download queue, the metadata's
 * comment and creator, the per-torrent limits) is read at most every
 * READ_MS; the table's figures every frame.
 *
 * View state only: the scroll, for one torrent (its id and info-hash).
 */
#include "ui/ui_int.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ui/format.h"
#include "ui/info_text.h"

#define READ_MS 1000  /* re-read the engine's costlier figures at most this often */
#define LABEL_W 14    /* "Info-hash v1", "Seeding time", "Connections" */
#define MAX_LINES 32  /* lines of the tab, the map included */
#define VALUE_LEN 512 /* bytes of a value formatted here (long ones are borrowed) */
#define DL_MAX 4096   /* pieces of the download queue looked at */

/* The per-torrent limits shown, and how. */
static const struct {
    const char *key;
    bool rate; /* bytes/s, else a count */
} limit_keys[] = {
    {"download_limit", true},
    {"upload_limit", true},
    {"max_connections", false},
    {"max_uploads", false},
};
#define N_LIMITS (sizeof limit_keys / sizeof limit_keys[0])

struct info_pane {
    struct ui_pane base;
    int id;             /* the torrent shown, 0 none */
    char info_hash[41]; /* and its hash */
    size_t top;         /* first line shown */
    int page;           /* lines shown at the last draw */
    size_t n_lines;     /* lines at the last draw */
    uint64_t read_ms;   /* when the figures below were read; 0 never */
    struct eng_info info;
    int info_rc;     /* eng_info_get's: -EAGAIN before the metadata */
    uint8_t *pieces; /* [n_pieces]: UI_PIECE_* bits */
    int n_pieces;
    int n_have, n_dl;
    long long limit[N_LIMITS];
    bool limit_known[N_LIMITS];
};

/* One line: a label and a value (formatted into buf, or borrowed from the
 * engine for this frame), with an optional suffix; or the map. */
struct line {
    const char *label;
    const char *value;
    const char *suffix;
    enum ui_elem elem;
    bool map;
    char buf[VALUE_LEN];
};

static void forget(struct info_pane *ip)
{
    free(ip->pieces);
    ip->pieces = NULL;
    ip->n_pieces = ip->n_have = ip->n_dl = 0;
    ip->read_ms = 0;
    ip->top = 0;
    ip->info_rc = -EAGAIN;
}

/* Reads the costlier figures of torrent t. */
static void read_figures(struct info_pane *ip, struct eng *e, const struct eng_torrent *t)
{
    ip->info_rc = eng_info_get(e, t->id, &ip->info);
    for (size_t i = 0; i < N_LIMITS; i++) {
        char v[32];
        ip->limit_known[i] = eng_torrent_opt_get(e, t->id, limit_keys[i].key, v, sizeof v) == 0;
        ip->limit[i] = ip->limit_known[i] ? strtoll(v, NULL, 10) : 0;
    }
    ip->n_have = ip->n_dl = 0;
    int n = t->has_metadata ? t->num_pieces : 0;
    if (n != ip->n_pieces) {
        free(ip->pieces);
        ip->pieces = n > 0 ? calloc((size_t)n, 1) : NULL;
        ip->n_pieces = ip->pieces ? n : 0;
    }
    if (ip->n_pieces <= 0) return;
    if (eng_have_pieces(e, t->id, ip->pieces, ip->n_pieces) != 0)
        memset(ip->pieces, 0, (size_t)ip->n_pieces);
    for (int i = 0; i < ip->n_pieces; i++)
        ip->n_have += ip->pieces[i] != 0;
    int dl[DL_MAX];
    int k = eng_downloading_pieces(e, t->id, dl, DL_MAX);
    for (int i = 0; i < k; i++) {
        if (dl[i] < 0 || dl[i] >= ip->n_pieces) continue;
        ip->pieces[dl[i]] |= UI_PIECE_DL_BIT;
        ip->n_dl++;
    }
}

/* Follows the list's selection; returns its torrent or NULL. */
static const struct eng_torrent *sync_torrent(struct info_pane *ip, struct ui *u)
{
    int id = ui_selected_id(u);
    const struct eng_torrent *t = id > 0 ? eng_torrent_by_id(u->eng, id) : NULL;
    if (!t) {
        if (ip->id) forget(ip);
        ip->id = 0;
        return NULL;
    }
    if (t->id != ip->id || strcmp(t->info_hash, ip->info_hash) != 0) {
        forget(ip);
        ip->id = t->id;
        snprintf(ip->info_hash, sizeof ip->info_hash, "%s", t->info_hash);
    }
    uint64_t now = uv_now(u->loop);
    /* the pieces come with the metadata: read at once when they do */
    bool pieces_due = t->has_metadata && ip->n_pieces != t->num_pieces;
    if (!ip->read_ms || now - ip->read_ms >= READ_MS || pieces_due) {
        read_figures(ip, u->eng, t);
        ip->read_ms = now ? now : 1;
    }
    return t;
}

/* ---- the lines ---------------------------------------------------------------------- */

static struct line *add(struct line *lines, size_t *n, const char *label)
{
    struct line *l = &lines[(*n)++];
    l->label = label;
    l->value = l->buf;
    l->suffix = NULL;
    l->elem = UI_EL_NORMAL;
    l->map = false;
    l->buf[0] = '\0';
    return l;
}

/* A string from the metadata, or why there is none. */
static const char *meta_text(const struct info_pane *ip, const char *s)
{
    if (ip->info_rc == -EAGAIN) return "(no metadata yet)";
    if (ip->info_rc) return "?";
    return *s ? s : "-";
}

static void limit_text(const struct info_pane *ip, size_t i, char *buf, size_t n)
{
    if (!ip->limit_known[i])
        snprintf(buf, n, "?");
    else if (ip->limit[i] <= 0)
        snprintf(buf, n, "unlimited");
    else if (limit_keys[i].rate)
        util_fmt_rate(buf, n, ip->limit[i]);
    else
        snprintf(buf, n, "%lld", ip->limit[i]);
}

/* The lines of torrent t, into lines[MAX_LINES]; returns how many. */
static size_t build_lines(const struct info_pane *ip, const struct eng_torrent *t,
                          struct line *lines)
{
    size_t n = 0;
    struct line *l;
    char a[UTIL_FMT_SIZE_LEN], b[UTIL_FMT_SIZE_LEN], c[UTIL_FMT_SIZE_LEN];

    if (t->error && *t->error) {
        l = add(lines, &n, "Error");
        l->value = t->error;
        l->elem = UI_EL_STATE_ERROR;
    }
    l = add(lines, &n, "Name");
    l->value = t->name;

    /* a v2-only torrent's info_hash is its v2 hash cut to 40 digits */
    bool v1 = !t->info_hash_v2[0] || strncmp(t->info_hash, t->info_hash_v2, 40) != 0;
    l = add(lines, &n, "Info-hash v1");
    l->value = v1 ? t->info_hash : "-";
    l = add(lines, &n, "Info-hash v2");
    l->value = t->info_hash_v2[0] ? t->info_hash_v2 : "-";

    l = add(lines, &n, "Save path");
    l->value = t->save_path ? t->save_path : "";
    if (t->moving) l->suffix = "  (moving)";

    l = add(lines, &n, "Size");
    if (t->has_metadata) {
        util_fmt_size(a, sizeof a, t->total_bytes);
        util_fmt_size(b, sizeof b, t->wanted_bytes);
        util_fmt_size(c, sizeof c, t->done_bytes);
        snprintf(l->buf, sizeof l->buf, "%s, %s wanted, %s done", a, b, c);
    } else {
        l->value = "(no metadata yet)";
    }

    l = add(lines, &n, "Pieces");
    if (t->has_metadata && t->num_pieces > 0) {
        util_fmt_size(a, sizeof a, t->piece_length);
        snprintf(l->buf, sizeof l->buf,
                 "%d pieces of %s: %d have, %d downloading   "
                 "(# have, > downloading, + partly, . missing)",
                 t->num_pieces, a, ip->n_have, ip->n_dl);
        l = add(lines, &n, NULL);
        l->map = true;
    } else {
        l->value = "(no metadata yet)";
    }

    l = add(lines, &n, "Comment");
    l->value = meta_text(ip, ip->info.comment);
    l = add(lines, &n, "Created by");
    l->value = meta_text(ip, ip->info.creator);
    l = add(lines, &n, "Created on");
    if (ip->info_rc)
        l->value = meta_text(ip, "");
    else
        ui_info_date(l->buf, sizeof l->buf, ip->info.creation_date);
    l = add(lines, &n, "Private");
    l->value = ip->info_rc ? meta_text(ip, "") : ip->info.is_private ? "yes (BEP 27)" : "no";
    l = add(lines, &n, "Source");
    l->value = meta_text(ip, ip->info.source);

    l = add(lines, &n, "Added");
    ui_info_date(l->buf, sizeof l->buf, t->added_time);
    l = add(lines, &n, "Completed");
    if (t->completed_time > 0)
        ui_info_date(l->buf, sizeof l->buf, t->completed_time);
    else
        l->value = "not yet";
    l = add(lines, &n, "Share ratio");
    util_fmt_ratio(l->buf, sizeof l->buf, t->ratio);
    l = add(lines, &n, "Seeding time");
    ui_info_duration(l->buf, sizeof l->buf, t->seeding_time_s);

    char d[32], u[32];
    limit_text(ip, 0, d, sizeof d);
    limit_text(ip, 1, u, sizeof u);
    l = add(lines, &n, "Rate limits");
    snprintf(l->buf, sizeof l->buf, "down %s, up %s", d, u);
    limit_text(ip, 2, d, sizeof d);
    limit_text(ip, 3, u, sizeof u);
    l = add(lines, &n, "Peer limits");
    snprintf(l->buf, sizeof l->buf, "%s connections, %s upload slots", d, u);

    l = add(lines, &n, "Category");
    l->value = *t->category ? t->category : "-";
    l = add(lines, &n, "Tags");
    l->value = *t->tags ? t->tags : "-";
    return n;
}

/* ---- drawing ------------------------------------------------------------------------ */

static void draw_map(const struct info_pane *ip, WINDOW *w, int y, int width)
{
    int cells = width - 3; /* " [" ... "]" */
    if (cells < 1 || ip->n_pieces <= 0) return;
    enum ui_piece_cell *map = calloc((size_t)cells, sizeof *map);
    if (!map) return;
    ui_pieces_map(ip->pieces, ip->n_pieces, map, cells);
    wmove(w, y, 0);
    wattrset(w, ui_attr(UI_EL_NORMAL));
    waddstr(w, " [");
    for (int c = 0; c < cells; c++) {
        static const enum ui_elem elem[] = {
            [UI_CELL_MISSING] = UI_EL_EMPTY,
            [UI_CELL_PARTIAL] = UI_EL_BAR,
            [UI_CELL_DOWNLOADING] = UI_EL_STATE_ACTIVE,
            [UI_CELL_HAVE] = UI_EL_STATE_SEED,
        };
        wattrset(w, ui_attr(elem[map[c]]));
        waddch(w, (chtype)ui_piece_glyph(map[c]));
    }
    wattrset(w, ui_attr(UI_EL_NORMAL));
    waddch(w, ']');
    wattrset(w, A_NORMAL);
    free(map);
}

static void draw_line(const struct info_pane *ip, const struct line *l, WINDOW *w, int y, int width)
{
    if (l->map) {
        draw_map(ip, w, y, width);
        return;
    }
    char label[LABEL_W * 4];
    wmove(w, y, 0);
    wattrset(w, ui_attr(l->elem == UI_EL_NORMAL ? UI_EL_HELP_TITLE : l->elem));
    waddch(w, ' ');
    ui_fmt_fit(label, sizeof label, l->label ? l->label : "", LABEL_W, false);
    int x = 1 + ui_put(w, label, width - 1, false);
    wattrset(w, ui_attr(l->elem));
    if (x < width) {
        waddch(w, ' ');
        x++;
    }
    /* the suffix ("(moving)") stays visible: the value gives way */
    int sw = l->suffix ? ui_str_width(l->suffix) : 0;
    int room = width - x;
    if (sw > room / 2) sw = 0;
    x += ui_put(w, l->value ? l->value : "", room - sw, false);
    if (sw) ui_put(w, l->suffix, width - x, false);
    wattrset(w, A_NORMAL);
}

static void info_draw(struct ui_pane *p, struct ui *u, WINDOW *w)
{
    struct info_pane *ip = (struct info_pane *)p;
    int h, width;
    getmaxyx(w, h, width);
    ip->page = h > 0 ? h : 1;
    const struct eng_torrent *t = sync_torrent(ip, u);
    if (!t) {
        const char *text = "No torrent selected.";
        int tw = ui_str_width(text);
        wmove(w, h > 1 ? h / 2 : 0, tw < width ? (width - tw) / 2 : 0);
        wattrset(w, ui_attr(UI_EL_EMPTY));
        ui_put(w, text, width, false);
        wattrset(w, A_NORMAL);
        ip->n_lines = 0;
        return;
    }
    struct line lines[MAX_LINES];
    size_t n = build_lines(ip, t, lines);
    ip->n_lines = n;
    size_t max_top = n > (size_t)h ? n - (size_t)h : 0;
    if (ip->top > max_top) ip->top = max_top;
    for (int r = 0; r < h && ip->top + (size_t)r < n; r++)
        draw_line(ip, &lines[ip->top + (size_t)r], w, r, width);
}

static bool info_action(struct ui_pane *p, struct ui *u, enum ui_action a)
{
    struct info_pane *ip = (struct info_pane *)p;
    (void)u;
    size_t page = ip->page > 1 ? (size_t)ip->page - 1 : 1;
    size_t max_top = ip->n_lines > (size_t)ip->page ? ip->n_lines - (size_t)ip->page : 0;
    switch (a) {
    case UI_ACT_DOWN:
        if (ip->top < max_top) ip->top++;
        return true;
    case UI_ACT_UP:
        if (ip->top > 0) ip->top--;
        return true;
    case UI_ACT_PAGE_DOWN:
        ip->top = ip->top + page < max_top ? ip->top + page : max_top;
        return true;
    case UI_ACT_PAGE_UP:
        ip->top = ip->top > page ? ip->top - page : 0;
        return true;
    case UI_ACT_HOME:
        ip->top = 0;
        return true;
    case UI_ACT_END:
        ip->top = max_top;
        return true;
    default:
        return false;
    }
}

static void info_free(struct ui_pane *p)
{
    struct info_pane *ip = (struct info_pane *)p;
    free(ip->pieces);
    free(ip);
}

static struct ui_pane *info_new(void)
{
    struct info_pane *ip = calloc(1, sizeof *ip);
    if (!ip) return NULL;
    ip->base.cls = &ui_pane_info;
    ip->page = 1;
    ip->info_rc = -EAGAIN;
    return &ip->base;
}

const struct ui_pane_class ui_pane_info = {
    .title = "Info",
    .scope = -1,
    .action = "tab-info",
    .help = "info",
    .new = info_new,
    .draw = info_draw,
    .on_action = info_action,
    .free = info_free,
};
