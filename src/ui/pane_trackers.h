/*
 * pane_trackers.h — the pure part of the detail area's Trackers tab
 * (private to src/ui/): the status and "next announce" texts, the tracker
 * list rebuilt with one tracker replaced or removed (tiers kept), what the
 * user typed as a URL, and which columns fit a width.
 *
 * Nothing here touches ncurses or an engine instance, so the unit tests
 * drive it directly (tests/unit/test_ui_peers_trackers.c); pane_trackers.c
 * draws with it.
 *
 * Thread-safety: none needed (constant data and pure functions).
 */
#ifndef SPATE_UI_PANE_TRACKERS_H
#define SPATE_UI_PANE_TRACKERS_H

#include <stddef.h>

#include "engine/engine.h"

/* "working", "updating", "error", "not contacted", "disabled". Static. */
const char *ui_tracker_status_text(enum eng_tracker_status s);

/* When t announces next: "-" unknown or disabled, "now" while updating
 * or when due, "in 42s" under a minute, "in 28m" under an hour (minutes
 * rounded down), else "in " and util_fmt_eta ("in 1h02m", "in 3d04h").
 * Returns strlen(buf). */
#define UI_TRACKER_NEXT_LEN 24
size_t ui_tracker_next_text(char *buf, size_t n, const struct eng_tracker *t);

/* A scrape figure: the number, or "-" when unknown (negative). Returns
 * strlen(buf). */
size_t ui_tracker_count_text(char *buf, size_t n, int count);

/* The trackers of v[0..n) as eng_torrent_opt_set's "trackers" value,
 * "a,b|c" (BEP 12: "," within a tier, "|" between tiers, tiers in
 * ascending order, a tier's trackers in list order), with v[at] replaced
 * by `replace` in v[at]'s tier, or left out when `replace` is NULL (a tier
 * left empty goes). at >= n: the list as it is. Returns a malloc'd string
 * (the caller frees it; "" for no trackers), NULL when out of memory. */
char *ui_trackers_join(const struct eng_tracker *v, size_t n, size_t at, const char *replace);

/* What was typed at the add or edit prompt, as a URL: blanks around it
 * dropped. Returns 0 (URL in buf), -ENODATA for an empty text (a cancel),
 * -EINVAL when it holds a blank, ',' or '|' (one URL at a time: those
 * separate trackers and tiers), -ENAMETOOLONG when buf is too small. */
int ui_tracker_url_clean(const char *typed, char *buf, size_t n);

/* The columns, left to right. */
enum ui_tracker_col {
    UI_TCOL_TIER,
    UI_TCOL_URL,
    UI_TCOL_STATUS,
    UI_TCOL_SEEDS,
    UI_TCOL_PEERS,
    UI_TCOL_DOWNLOADED,
    UI_TCOL_NEXT,
    UI_TCOL_FAILS,
    UI_TCOL__COUNT
};

#define UI_TRACKER_URL_MIN 24 /* the URL keeps this much while others can go */

/* Column titles (static) and whether the column is right-aligned. */
const char *ui_tracker_col_title(enum ui_tracker_col c);
int ui_tracker_col_right(enum ui_tracker_col c);

/* width[c] 0: hidden. One blank between shown columns. */
struct ui_tracker_layout {
    int width[UI_TCOL__COUNT];
};

/* Lays out `total` columns: every column at 120, the URL taking what the
 * others leave; as the width shrinks the scrape's download count goes
 * first, then the fails, the peers, the seeds, the next announce, the
 * tier and the status; the URL is always there. The shown columns never
 * take more than `total` (for total >= 1). */
void ui_tracker_layout(struct ui_tracker_layout *l, int total);

#endif
