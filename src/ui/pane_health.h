/*
 * pane_health.h — the pure part of the detail area's Health tab (private
 * to src/ui/): the rate sparklines and the lines of the health log.
 *
 * Nothing here touches ncurses or an engine instance, so the unit tests
 * drive it directly (tests/unit/test_ui_health.c); pane_health.c draws
 * with it. Times are shown in the local time zone (localtime_r, so TZ).
 *
 * Thread-safety: none needed (pure functions).
 */
#ifndef SPATE_UI_PANE_HEALTH_H
#define SPATE_UI_PANE_HEALTH_H

#include <stddef.h>
#include <stdint.h>

#include "ui/ui_int.h"

/* Bytes one sparkline cell takes: a block character, U+2581..U+2588. */
#define UI_SPARK_CELL_BYTES 3

/* A sparkline of the newest min(count, cells) of samples[0..count) (oldest
 * first), one block character per sample out of "▁▂▃▄▅▆▇█", scaled to the
 * largest of them: 0 (or less) gives ▁, the largest █, anything between
 * at least ▂ so that a trickle shows. Writes whole cells only (needs
 * UI_SPARK_CELL_BYTES * cells + 1 bytes for all of them) and a NUL; *peak
 * (may be NULL) gets the largest sample shown, 0 if none. Returns the
 * cells written. */
int ui_health_sparkline(char *buf, size_t n, const int64_t *samples, size_t count, int cells,
                        int64_t *peak);

/* "HH:MM:SS" of t (s since the epoch) in local time; "--:--:--" when it
 * cannot be converted. Returns strlen(buf). */
size_t ui_health_time(char *buf, size_t n, int64_t t);

/* The health log's columns: the time (8), a blank, the level (5) at
 * UI_HEALTH_LEVEL_COL, a blank, the torrent (ui_health_torrent_cols wide,
 * none when that is 0, then a blank), the message to the end. */
#define UI_HEALTH_LEVEL_COL 9
#define UI_HEALTH_LEVEL_COLS 5
/* The torrent column's width for a log `cols` wide: 0 below 40 columns. */
int ui_health_torrent_cols(int cols);

/* One line of the health log, at most `cols` columns: "12:34:56 error
 * ubuntu.iso     file_open (/dl/x): Permission denied". level NULL gives
 * "?", torrent NULL or "" gives "-", message NULL gives "". A message that
 * starts with the torrent's name and a blank (as libtorrent's do) loses
 * them. The torrent is cut with an ellipsis to its column, the line to
 * `cols`; control characters show as '?'. Returns the line's display
 * width. */
int ui_health_log_line(char *buf, size_t n, int64_t time, const char *level, const char *torrent,
                       const char *message, int cols);

/* The header above those lines, in the same columns ("Time     Level ..."). */
int ui_health_log_header(char *buf, size_t n, int cols);

/* The element to draw a level with: "error" UI_EL_MSG_ERROR, "warn"
 * UI_EL_MSG_WARN, anything else UI_EL_NORMAL. */
enum ui_elem ui_health_level_elem(const char *level);

#endif
