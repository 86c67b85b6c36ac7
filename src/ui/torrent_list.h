/*
 * torrent_list.h — the pure part of the torrent list (private to src/ui/):
 * which columns fit a width, the text of the category/tags column, and
 * the category-or-tag filter.
 *
 * Nothing here touches ncurses or an engine instance, so the unit tests
 * drive it directly (tests/unit/test_ui_torrents.c); pane_torrents.c
 * draws with it.
 *
 * Thread-safety: none needed (constant data and pure functions).
 */
#ifndef SPATE_UI_TORRENT_LIST_H
#define SPATE_UI_TORRENT_LIST_H

#include <stdbool.h>
#include <stddef.h>

/* The columns, left to right. */
enum ui_col {
    UI_COL_ID,
    UI_COL_NAME,
    UI_COL_LABELS, /* category and tags: "films [a,b]" */
    UI_COL_SIZE,
    UI_COL_PROGRESS,
    UI_COL_STATE,
    UI_COL_DOWN,
    UI_COL_UP,
    UI_COL_ETA,
    UI_COL_RATIO,
    UI_COL_PEERS,
    UI_COL__COUNT
};

struct ui_col_def {
    const char *title;
    int width; /* 0: computed (id, name, labels, progress) */
    bool right;
};

/* Title, fixed width and alignment of column c (static). */
const struct ui_col_def *ui_col_def(enum ui_col c);

#define UI_LIST_NAME_MIN 16   /* the name keeps this many columns while others can go */
#define UI_LIST_LABELS_MIN 13 /* the labels column: its title's width ... */
#define UI_LIST_LABELS_MAX 24 /* ... up to this, for long labels */

/* Which columns show, how wide. width[c] 0: hidden; bar_cells 0: the
 * progress column is a percent only ("Done"). */
struct ui_list_layout {
    int width[UI_COL__COUNT];
    int bar_cells;
};

/* The width of the labels column for labels at most `longest` columns
 * wide: 0 (no column) when no torrent has a category or tag (longest 0),
 * else longest clamped into UI_LIST_LABELS_MIN..UI_LIST_LABELS_MAX. */
int ui_list_labels_cols(int longest);

/* Lays out `total` columns (one blank between columns) for ids up to
 * max_id, with a labels column of labels_cols (0: none). What a narrow
 * terminal gives up, first to last, until the name has UI_LIST_NAME_MIN
 * columns: the labels column, the id, the long progress bar, ratio,
 * peers, ETA, up rate, the bar altogether, state, size, down rate. The
 * name gets what is left (at least 1). */
void ui_list_layout(struct ui_list_layout *l, int total, int max_id, int labels_cols);

/* The labels cell: "films [a,b]", "films", "[a,b]" or "" (category and
 * tags as the engine keeps them, NULL counting as ""). Returns strlen(buf);
 * cut (at a byte, the caller fits it to its columns) when buf is small. */
size_t ui_list_labels(char *buf, size_t n, const char *category, const char *tags);

/* Whether the comma list `list` holds `item` (len bytes) as one whole
 * item, blanks around items ignored. */
bool ui_list_has_item(const char *list, const char *item, size_t len);

/* Whether a torrent with this category and tags passes `filter`: an empty
 * or blank filter passes everything; otherwise the filter (outer blanks
 * ignored) must equal the category or be one of the tags, exactly (case
 * counts, as for `spate ls --category/--tag`). */
bool ui_list_matches(const char *category, const char *tags, const char *filter);

#endif
