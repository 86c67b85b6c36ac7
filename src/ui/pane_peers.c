/*
 * pane_peers.c — the Peers tab of the detail area: the selected torrent's
 * connected peers, one row each (address, client, flags, connection,
 * progress, down/up rate, downloaded/uploaded over the connection), the
 * fastest first.
 *
 *   Address               Client                        Flags       Conn    Done ...
 *   127.0.0.1:40123       libtorrent/2.0.10.0           DTE         TCP+enc 100% ...
 *
 * The pure part (flag letters, connection text, order, columns) is at the
 * top and declared in pane_peers.h for the unit tests; the pane below it
 * reads the peers from the engine (eng_peers) on every draw, sorts them
 * and formats only the rows on screen.
 *
 * View state: the cursor, remembered by the address of the peer under it
 * (so it stays on its peer when the order changes with the rates) plus its
 * last row (so it stays in place when its peer leaves), and the first row
 * shown; both start afresh when another torrent is selected. The cursor
 * is drawn and moved only while the detail area has the keys.
 */
#include "ui/pane_peers.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ui/format.h"
#include "ui/ui_int.h"

/* ---- the pure part ----------------------------------------------------------------- */

size_t ui_peer_flags(const struct eng_peer *p, char *buf, size_t n)
{
    char f[UI_PEER_FLAGS_LEN];
    size_t k = 0;
    if (p->interesting) f[k++] = p->remote_choked ? 'd' : 'D';
    if (p->remote_interested) f[k++] = p->choked ? 'u' : 'U';
    if (p->optimistic) f[k++] = 'O';
    if (p->snubbed) f[k++] = 'S';
    if (p->incoming) f[k++] = 'I';
    if (p->encrypted || p->ssl) f[k++] = 'E';
    if (p->utp) f[k++] = 'P';
    if (p->from_pex) f[k++] = 'X';
    if (p->from_dht) f[k++] = 'H';
    if (p->from_lsd) f[k++] = 'L';
    if (p->from_tracker) f[k++] = 'T';
    f[k] = '\0';
    if (n == 0) return 0;
    if (k >= n) k = n - 1;
    memcpy(buf, f, k);
    buf[k] = '\0';
    return k;
}

const char *ui_peer_flag_legend(void)
{
    return "D\twe download from it (interested, it unchokes us)\n"
           "d\twe are interested, it chokes us\n"
           "U\twe upload to it (interested, we unchoke it)\n"
           "u\tit is interested, we choke it\n"
           "O\toptimistic unchoke\n"
           "S\tsnubbed (sent nothing for a while)\n"
           "I\tincoming connection\n"
           "E\tencrypted\n"
           "P\tuTP\n"
           "X\tfound through PEX\n"
           "H\tfound through the DHT\n"
           "L\tfound through LSD\n"
           "T\tfound through a tracker\n";
}

const char *ui_peer_conn(const struct eng_peer *p)
{
    if (p->ssl) return p->utp ? "uTP+SSL" : "TCP+SSL";
    if (p->encrypted) return p->utp ? "uTP+enc" : "TCP+enc";
    return p->utp ? "uTP" : "TCP";
}

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

int ui_peer_addr_cmp(const char *a, const char *b)
{
    while (*a && *b) {
        if (is_digit(*a) && is_digit(*b)) {
            /* a run of digits each: the longer number (leading zeros
             * aside) is the bigger, else the first digit that differs */
            while (*a == '0' && is_digit(a[1]))
                a++;
            while (*b == '0' && is_digit(b[1]))
                b++;
            size_t la = 0, lb = 0;
            while (is_digit(a[la]))
                la++;
            while (is_digit(b[lb]))
                lb++;
            if (la != lb) return la < lb ? -1 : 1;
            int c = memcmp(a, b, la);
            if (c) return c < 0 ? -1 : 1;
            a += la;
            b += lb;
            continue;
        }
        if (*a != *b) return (unsigned char)*a < (unsigned char)*b ? -1 : 1;
        a++;
        b++;
    }
    return *a ? 1 : *b ? -1 : 0;
}

/* qsort has no context argument: the array being sorted, for cmp_order. */
static const struct eng_peer *sort_base;

static int cmp_order(const void *x, const void *y)
{
    size_t i = *(const size_t *)x, j = *(const size_t *)y;
    const struct eng_peer *a = &sort_base[i], *b = &sort_base[j];
    if (a->down_rate != b->down_rate) return a->down_rate > b->down_rate ? -1 : 1;
    int c = ui_peer_addr_cmp(a->addr, b->addr);
    if (c) return c;
    return i < j ? -1 : i > j ? 1 : 0;
}

void ui_peers_sort(const struct eng_peer *v, size_t n, size_t *order)
{
    for (size_t i = 0; i < n; i++)
        order[i] = i;
    if (n < 2) return;
    sort_base = v;
    qsort(order, n, sizeof *order, cmp_order);
    sort_base = NULL;
}

static const struct {
    const char *title;
    int width; /* 0: the client, computed */
    int right;
} cols[UI_PCOL__COUNT] = {
    [UI_PCOL_ADDR] = {"Address", UI_PEER_ADDR_COLS, 0},
    [UI_PCOL_CLIENT] = {"Client", 0, 0},
    [UI_PCOL_FLAGS] = {"Flags", 11, 0},
    [UI_PCOL_CONN] = {"Conn", 7, 0},
    [UI_PCOL_PROGRESS] = {"Done", 4, 1},
    [UI_PCOL_DOWN] = {"Down", 10, 1},
    [UI_PCOL_UP] = {"Up", 10, 1},
    [UI_PCOL_DOWNLOADED] = {"Downloaded", 10, 1},
    [UI_PCOL_UPLOADED] = {"Uploaded", 10, 1},
};

const char *ui_peer_col_title(enum ui_peer_col c)
{
    return (int)c >= 0 && c < UI_PCOL__COUNT ? cols[c].title : "";
}

int ui_peer_col_right(enum ui_peer_col c)
{
    return (int)c >= 0 && c < UI_PCOL__COUNT ? cols[c].right : 0;
}

void ui_peer_layout(struct ui_peer_layout *l, int total)
{
    /* what goes first when the width shrinks */
    static const enum ui_peer_col drop[] = {UI_PCOL_UPLOADED, UI_PCOL_DOWNLOADED, UI_PCOL_CONN,
                                            UI_PCOL_UP,       UI_PCOL_PROGRESS,   UI_PCOL_FLAGS,
                                            UI_PCOL_DOWN,     UI_PCOL_CLIENT};
    bool shown[UI_PCOL__COUNT];
    for (int c = 0; c < UI_PCOL__COUNT; c++)
        shown[c] = true;
    memset(l, 0, sizeof *l);
    if (total < 1) return;
    for (size_t k = 0;; k++) {
        /* the fixed columns, the client's minimum and the blanks */
        int need = 0, n = 0;
        for (int c = 0; c < UI_PCOL__COUNT; c++) {
            if (!shown[c]) continue;
            need += cols[c].width ? cols[c].width : UI_PEER_CLIENT_MIN;
            n++;
        }
        need += n - 1;
        if (need <= total || k >= sizeof drop / sizeof drop[0]) {
            int rest = total - need;
            for (int c = 0; c < UI_PCOL__COUNT; c++)
                if (shown[c]) l->width[c] = cols[c].width;
            if (shown[UI_PCOL_CLIENT]) {
                int w = UI_PEER_CLIENT_MIN + (rest > 0 ? rest : 0);
                l->width[UI_PCOL_CLIENT] = w < UI_PEER_CLIENT_MAX ? w : UI_PEER_CLIENT_MAX;
            }
            if (l->width[UI_PCOL_ADDR] > total) l->width[UI_PCOL_ADDR] = total;
            return;
        }
        shown[drop[k]] = false;
    }
}

/* ---- the pane ----------------------------------------------------------------------- */

struct peers_pane {
    struct ui_pane base;
    int id;         /* the torrent the view state is for, 0 none */
    char sel[64];   /* address of the peer under the cursor, "" none yet */
    size_t sel_row; /* its row at the last look */
    size_t top;     /* first row shown */
    int page;       /* rows shown at the last draw */
};

/* The selected torrent's peers, sorted: *v and *order malloc'd (free
 * both), or none. The view state starts afresh for a new torrent. */
static int load(struct peers_pane *pp, struct ui *u, struct eng_peer **v, size_t *n, size_t **order)
{
    *v = NULL;
    *n = 0;
    *order = NULL;
    int id = ui_selected_id(u);
    if (id != pp->id) {
        pp->id = id;
        pp->sel[0] = '\0';
        pp->sel_row = pp->top = 0;
    }
    if (id <= 0) return -ENOENT;
    int rc = eng_peers(u->eng, id, v, n);
    if (rc || *n == 0) return rc;
    *order = malloc(*n * sizeof **order);
    if (!*order) {
        free(*v);
        *v = NULL;
        *n = 0;
        return -ENOMEM;
    }
    ui_peers_sort(*v, *n, *order);
    return 0;
}

/* Finds the cursor's peer in the sorted rows (or keeps its row when the
 * peer is gone) and remembers the peer under it. */
static void resolve_cursor(struct peers_pane *pp, const struct eng_peer *v, size_t n,
                           const size_t *order)
{
    if (n == 0) {
        pp->sel_row = pp->top = 0;
        return;
    }
    if (pp->sel[0])
        for (size_t r = 0; r < n; r++)
            if (strcmp(v[order[r]].addr, pp->sel) == 0) {
                pp->sel_row = r;
                return;
            }
    if (pp->sel_row >= n) pp->sel_row = n - 1;
    snprintf(pp->sel, sizeof pp->sel, "%s", v[order[pp->sel_row]].addr);
}

/* The text of cell c of peer p, unpadded. */
static const char *cell_text(enum ui_peer_col c, const struct eng_peer *p, char *buf, size_t n)
{
    buf[0] = '\0';
    switch (c) {
    case UI_PCOL_ADDR:
        return p->addr;
    case UI_PCOL_CLIENT:
        return p->client[0] ? p->client : "?";
    case UI_PCOL_FLAGS:
        ui_peer_flags(p, buf, n);
        break;
    case UI_PCOL_CONN:
        return ui_peer_conn(p);
    case UI_PCOL_PROGRESS:
        ui_fmt_percent(buf, n, p->progress);
        break;
    case UI_PCOL_DOWN:
        if (p->down_rate > 0) util_fmt_rate(buf, n, p->down_rate);
        break;
    case UI_PCOL_UP:
        if (p->up_rate > 0) util_fmt_rate(buf, n, p->up_rate);
        break;
    case UI_PCOL_DOWNLOADED:
        util_fmt_size(buf, n, p->downloaded);
        break;
    case UI_PCOL_UPLOADED:
        util_fmt_size(buf, n, p->uploaded);
        break;
    case UI_PCOL__COUNT:
        break;
    }
    return buf;
}

/* One row (the header when p is NULL), filling the window's width. */
static void draw_row(WINDOW *w, int y, int width, const struct ui_peer_layout *l,
                     const struct eng_peer *p, attr_t a)
{
    char text[UI_PEER_FLAGS_LEN + 64], cell[256];
    wattrset(w, a);
    wmove(w, y, 0);
    int x = 0;
    for (int c = 0; c < UI_PCOL__COUNT; c++) {
        if (l->width[c] <= 0) continue;
        if (x > 0 && x < width) {
            waddch(w, ' ');
            x++;
        }
        const char *s =
            p ? cell_text((enum ui_peer_col)c, p, text, sizeof text) : ui_peer_col_title(c);
        ui_fmt_fit(cell, sizeof cell, s, l->width[c], ui_peer_col_right(c));
        x += ui_put(w, cell, width - x, false);
    }
    while (x++ < width)
        waddch(w, ' ');
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

static void peers_draw(struct ui_pane *p, struct ui *u, WINDOW *w)
{
    struct peers_pane *pp = (struct peers_pane *)p;
    int h, width;
    getmaxyx(w, h, width);
    struct eng_peer *v;
    size_t n, *order;
    int rc = load(pp, u, &v, &n, &order);
    struct ui_peer_layout l;
    ui_peer_layout(&l, width);
    draw_row(w, 0, width, &l, NULL, ui_attr(UI_EL_HEADER));
    int rows = h - 1;
    pp->page = rows > 0 ? rows : 1;
    if (rows <= 0) goto out;
    if (n == 0) {
        const char *hint = pp->id <= 0     ? "No torrent selected"
                           : rc == -ENOMEM ? "Peers: out of memory"
                                           : "No peers connected";
        draw_hint(w, 1 + (rows - 1) / 2, width, hint);
        goto out;
    }
    resolve_cursor(pp, v, n, order);
    /* Keep the cursor on screen, and the screen full when possible. */
    if (pp->sel_row < pp->top) pp->top = pp->sel_row;
    if (pp->sel_row >= pp->top + (size_t)rows) pp->top = pp->sel_row - (size_t)rows + 1;
    if (pp->top + (size_t)rows > n) pp->top = n > (size_t)rows ? n - (size_t)rows : 0;
    bool cursor = ui_detail_focused(u);
    for (int r = 0; r < rows && pp->top + (size_t)r < n; r++) {
        size_t i = pp->top + (size_t)r;
        draw_row(w, 1 + r, width, &l, &v[order[i]],
                 ui_attr(cursor && i == pp->sel_row ? UI_EL_SELECTED : UI_EL_NORMAL));
    }
out:
    free(order);
    free(v);
}

static bool peers_action(struct ui_pane *p, struct ui *u, enum ui_action a)
{
    struct peers_pane *pp = (struct peers_pane *)p;
    if (a < UI_ACT_UP || a > UI_ACT_END) return false;
    struct eng_peer *v;
    size_t n, *order;
    load(pp, u, &v, &n, &order);
    resolve_cursor(pp, v, n, order);
    size_t page = pp->page > 1 ? (size_t)pp->page - 1 : 1, row = pp->sel_row;
    switch (a) {
    case UI_ACT_DOWN:
        row++;
        break;
    case UI_ACT_UP:
        row = row ? row - 1 : 0;
        break;
    case UI_ACT_PAGE_DOWN:
        row += page;
        pp->top += page; /* the page scrolls along, like less */
        break;
    case UI_ACT_PAGE_UP:
        row = row > page ? row - page : 0;
        pp->top = pp->top > page ? pp->top - page : 0;
        break;
    case UI_ACT_HOME:
        row = 0;
        break;
    default: /* UI_ACT_END */
        row = n;
        break;
    }
    if (n) {
        pp->sel_row = row < n ? row : n - 1;
        snprintf(pp->sel, sizeof pp->sel, "%s", v[order[pp->sel_row]].addr);
    }
    free(order);
    free(v);
    return true;
}

static void peers_free(struct ui_pane *p)
{
    free(p);
}

static struct ui_pane *peers_new(void)
{
    struct peers_pane *pp = calloc(1, sizeof *pp);
    if (!pp) return NULL;
    pp->base.cls = &ui_pane_peers;
    pp->page = 1;
    return &pp->base;
}

const struct ui_pane_class ui_pane_peers = {
    .title = "Peers",
    .scope = UI_SCOPE_PEERS,
    .action = "tab-peers",
    .help = "peers",
    .new = peers_new,
    .draw = peers_draw,
    .on_action = peers_action,
    .free = peers_free,
};
