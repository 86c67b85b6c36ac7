/*
 * layout.h — where things go on the screen (private to src/ui/): the split
 * between the torrent list, the tab bar and the detail area, and the
 * labels of the tab bar. Pure: sizes in, rectangles out, so that the unit
 * tests (tests/unit/test_ui_layout.c) can check every terminal size; ui.c
 * makes the windows from them.
 *
 *   row 0        ┌ torrent list (title, column header, rows) ┐  ~58% of
 *                │                                           │  what the
 *                └───────────────────────────────────────────┘  status
 *   tabs_y        1 Peers  2 Trackers  3 Files  4 Info  5 Health  lines
 *                ┌ detail area: the current tab             ┐  leave
 *                └───────────────────────────────────────────┘
 *   rows - 2     status line
 *   rows - 1     message line
 *
 * Zoomed (Enter): the tab bar on row 0 and the detail area below it, no
 * list. Short terminals (under UI_SPLIT_MIN_ROWS) show the list alone
 * unless zoomed.
 *
 * Thread-safety: none needed (pure).
 */
#ifndef SPATE_UI_LAYOUT_H
#define SPATE_UI_LAYOUT_H

#include <stdbool.h>
#include <stddef.h>

#define UI_SPLIT_MIN_ROWS 16  /* terminal rows for list and details together */
#define UI_SPLIT_LIST_PCT 58  /* the list's share of the rows above the status lines */
#define UI_SPLIT_LIST_MIN 5   /* title, column header and 3 torrents */
#define UI_SPLIT_DETAIL_MIN 3 /* the smallest detail area a tab draws in */
#define UI_STATUS_LINES 2     /* status and message lines */

/* A rectangle of the screen is rows y..y+h-1, all columns. h 0: not shown
 * (tabs_y -1 then). */
struct ui_split {
    int list_y, list_h;
    int tabs_y; /* the tab bar's row, -1: none */
    int detail_y, detail_h;
};

/* The split for a terminal of rows x cols (rows >= 4, the caller shows
 * "terminal too small" below that) with the detail area zoomed or not. */
void ui_layout_split(struct ui_split *s, int rows, int cols, bool zoomed);

#define UI_TABBAR_MAX 9 /* as many tabs as keys 1..9 (UI_TABS_MAX) */

/* The tab bar: " 1 Peers  2 Trackers  3 Files  4 Info  5 Health". Each
 * label is "KEY TITLE" inside one blank each side (the current tab gets
 * brackets instead: "[3 Files]", as wide, so nothing moves); labels are
 * separated by one blank. Labels that do not fit `width` lose their
 * title ("4"), then are left out (x -1). */
struct ui_tabbar {
    size_t n;
    int x[UI_TABBAR_MAX]; /* first column of label i, -1: not shown */
    int w[UI_TABBAR_MAX]; /* its width in columns, brackets included */
    bool short_form;      /* titles dropped to fit */
};

/* Lays out n (<= UI_TABBAR_MAX) labels from keys[i] and titles[i]
 * (UTF-8) in width columns. */
void ui_tabbar_layout(struct ui_tabbar *b, const char *const *keys, const char *const *titles,
                      size_t n, int width);
/* The tab at column x, -1 if none. */
int ui_tabbar_hit(const struct ui_tabbar *b, int x);

#endif
