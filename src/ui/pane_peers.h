/*
 * pane_peers.h — the pure part of the detail area's Peers tab (private to
 * src/ui/): the flag letters of a peer, its connection type, the order of
 * the rows and which columns fit a width.
 *
 * Nothing here touches ncurses or an engine instance, so the unit tests
 * drive it directly (tests/unit/test_ui_peers_trackers.c); pane_peers.c
 * draws with it.
 *
 * Thread-safety: none needed (constant data and pure functions).
 */
#ifndef SPATE_UI_PANE_PEERS_H
#define SPATE_UI_PANE_PEERS_H

#include <stddef.h>

#include "engine/engine.h"

/* The flag letters of peer p, qBittorrent / uTorrent style, in this order:
 *   D  we download from it (we are interested and it unchokes us)
 *   d  we are interested but it chokes us
 *   U  we upload to it (it is interested and we unchoke it)
 *   u  it is interested but we choke it
 *   O  optimistic unchoke      S  snubbed          I  incoming connection
 *   E  encrypted (RC4 or SSL)  P  uTP
 *   X  from PEX                H  from DHT         L  from LSD
 *   T  from a tracker
 * "DUIE" for an incoming encrypted peer we trade with both ways; "" for
 * none. At most UI_PEER_FLAGS_LEN - 1 bytes. Returns strlen(buf). */
#define UI_PEER_FLAGS_LEN 16
size_t ui_peer_flags(const struct eng_peer *p, char *buf, size_t n);

/* The letters above with their meanings, one "L\tmeaning" per line,
 * lines ending in '\n': for the help overlay. Static. */
const char *ui_peer_flag_legend(void);

/* The connection: "TCP" or "uTP", then "+enc" when encrypted (RC4 or
 * obfuscated) or "+SSL" over SSL: "uTP+enc", "TCP+SSL". Static. */
const char *ui_peer_conn(const struct eng_peer *p);

/* Compares two peer addresses ("1.2.3.4:6881", "[::1]:6881") with runs of
 * digits compared as numbers, so 10.0.0.9 comes before 10.0.0.10 and port
 * 999 before 6881. <0, 0, >0 like strcmp. */
int ui_peer_addr_cmp(const char *a, const char *b);

/* The rows' order: order[0..n) gets the indices of v sorted by down rate,
 * fastest first, then by address (ui_peer_addr_cmp), then by index, so
 * the result is the same for the same input (stable). */
void ui_peers_sort(const struct eng_peer *v, size_t n, size_t *order);

/* The columns, left to right. */
enum ui_peer_col {
    UI_PCOL_ADDR,
    UI_PCOL_CLIENT,
    UI_PCOL_FLAGS,
    UI_PCOL_CONN,
    UI_PCOL_PROGRESS,
    UI_PCOL_DOWN,
    UI_PCOL_UP,
    UI_PCOL_DOWNLOADED,
    UI_PCOL_UPLOADED,
    UI_PCOL__COUNT
};

#define UI_PEER_ADDR_COLS 21  /* "255.255.255.255:65535"; IPv6 is cut */
#define UI_PEER_CLIENT_MIN 16 /* the client keeps this much while others can go */
#define UI_PEER_CLIENT_MAX 32 /* and gets at most this much */

/* Column titles (static) and whether the column is right-aligned. */
const char *ui_peer_col_title(enum ui_peer_col c);
int ui_peer_col_right(enum ui_peer_col c);

/* width[c] 0: hidden. One blank between shown columns. */
struct ui_peer_layout {
    int width[UI_PCOL__COUNT];
};

/* Lays out `total` columns: every column at 120, and as the width
 * shrinks the totals go first (uploaded, downloaded), then the connection,
 * the up rate, the progress, the flags, the down rate and the client; the
 * address is always there (cut below 21 columns). The shown columns never
 * take more than `total` (for total >= 1). */
void ui_peer_layout(struct ui_peer_layout *l, int total);

#endif
