/*
 * list.h — the pure part of the torrent list (private to src/ui/):
 * which columns fit a width, the text of the category/tags column, the
 * category-or-tag filter, the name filter, the views (all, downloading,
 * ...), the sort orders and the set of marked torrents.
 *
 * Nothing here touches ncurses or an engine instance (only the row type
 * struct eng_torrent), so the unit tests drive it directly
 * (tests/unit/test_ui_torrents.c); pane_torrents.c draws with it.
 *
 * Thread-safety: none needed (constant data and pure functions; a
 * struct ui_marks belongs to its caller).
 */
#ifndef SPATE_UI_LIST_H
#define SPATE_UI_LIST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "engine/engine.h"

/* The columns, left to right. */
enum ui_col {
    UI_COL_MARK, /* one cell: '*' on a marked torrent */
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
    UI_COL_ADDED, /* the day it was added: "2024-05-01" */
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
 * columns: the added date, the labels column, the id, ratio, peers, ETA,
 * the long progress bar, size, up rate, the bar altogether, state, down
 * rate (so 80 columns keep name, progress bar, state and both rates). The
 * mark cell always stays; the name gets what is left (at least 1). */
void ui_list_layout(struct ui_list_layout *l, int total, int max_id, int labels_cols);

/* The labels cell: "films [a,b]", "films", "[a,b]" or "" (category and
 * tags as the engine keeps them, NULL counting as ""). Returns strlen(buf);
 * cut (at a byte, the caller fits it to its columns) when buf is small. */
size_t ui_list_labels(char *buf, size_t n, const char *category, const char *tags);

/* Whether a torrent with this category and tags passes `filter`: an empty
 * or blank filter passes everything; otherwise the filter (outer blanks
 * ignored) must equal the category or be one of the tags, exactly (case
 * counts, as for `spate ls --category/--tag`). */
bool ui_list_matches(const char *category, const char *tags, const char *filter);

/* The state column's text: "error" for a torrent with an error message,
 * else eng_state_name(). Static. */
const char *ui_list_state_text(const struct eng_torrent *t);

/* ---- the name filter (`/`) ----------------------------------------------------- */

#define UI_NAME_QUERY_MAX 256 /* characters kept of the typed text */

/* A name filter, case-folded once: a case-insensitive substring of the
 * name, character by character (UTF-8 decoded, towlower, so it follows
 * LC_CTYPE; broken bytes match only U+FFFD). */
struct ui_name_query {
    uint32_t cp[UI_NAME_QUERY_MAX];
    size_t n; /* 0: matches everything */
};

/* Sets q from `text` (UTF-8, NULL as ""); outer blanks are kept. */
void ui_name_query_set(struct ui_name_query *q, const char *text);
bool ui_name_query_match(const struct ui_name_query *q, const char *name);
/* The two in one, for a single test. */
bool ui_list_name_matches(const char *name, const char *text);

/* ---- views (`v`, `V`) ------------------------------------------------------------ */

enum ui_view {
    UI_VIEW_ALL,
    UI_VIEW_DOWNLOADING, /* getting metadata or data, or queued to */
    UI_VIEW_SEEDING,     /* seeding, or queued to */
    UI_VIEW_PAUSED,      /* paused by the user */
    UI_VIEW_FINISHED,    /* every wanted byte there (seeding, finished, or paused so) */
    UI_VIEW_ERROR,       /* an error message */
    UI_VIEW_ACTIVE,      /* a rate above 0 either way */
    UI_VIEW__COUNT
};

/* "all", "downloading", ... (static); NULL past the end. */
const char *ui_view_name(enum ui_view v);
bool ui_view_has(enum ui_view v, const struct eng_torrent *t);
/* The next (step +1) or previous (-1) view, wrapping around. */
enum ui_view ui_view_step(enum ui_view v, int step);

/* ---- sorting (`s`, `S`; the setting spate.ui_sort) ------------------------------- */

enum ui_sort {
    UI_SORT_QUEUE, /* queue position; torrents out of the queue (-1) last */
    UI_SORT_NAME,  /* case-insensitive, character by character */
    UI_SORT_SIZE,  /* the size column's bytes; no metadata yet first */
    UI_SORT_PROGRESS,
    UI_SORT_STATE, /* the state column's text, alphabetically */
    UI_SORT_DOWN,
    UI_SORT_UP,
    UI_SORT_ETA, /* unknown, and torrents not downloading, last */
    UI_SORT_RATIO,
    UI_SORT_PEERS, /* connected peers, then seeds */
    UI_SORT_ADDED,
    UI_SORT__COUNT
};

/* "queue", "name", ... (static); NULL past the end. */
const char *ui_sort_name(enum ui_sort s);
/* The column that shows sort key s, UI_COL__COUNT for the queue (none). */
enum ui_col ui_sort_col(enum ui_sort s);
/* Parses spate.ui_sort: "name", "name:desc" or "name:asc" (case
 * ignored, blanks around ignored). Returns 0, or -EINVAL (then *s and
 * *desc are the default: queue, ascending). */
int ui_sort_parse(const char *text, enum ui_sort *s, bool *desc);
/* The inverse: "name" or "name:desc". Returns strlen(buf). */
size_t ui_sort_format(char *buf, size_t n, enum ui_sort s, bool desc);

/* <0, 0, >0 as a comes before, with, after b in ascending order of s,
 * ties broken by id, so that no two torrents compare equal; desc gives
 * exactly the reverse order. */
int ui_sort_cmp(const struct eng_torrent *a, const struct eng_torrent *b, enum ui_sort s,
                bool desc);
/* Sorts rows[0..n) with ui_sort_cmp. */
void ui_sort_rows(const struct eng_torrent **rows, size_t n, enum ui_sort s, bool desc);

/* ---- marks (space, `*`) ----------------------------------------------------------- */

/* A set of torrent ids, kept sorted. Zero-initialise; ui_marks_free. */
struct ui_marks {
    int *ids;
    size_t n, cap;
};

bool ui_marks_has(const struct ui_marks *m, int id);
/* Marks (on) or unmarks id. Returns 0 or -ENOMEM (nothing changed). */
int ui_marks_set(struct ui_marks *m, int id, bool on);
void ui_marks_clear(struct ui_marks *m);
/* Keeps the ids for which alive(id, ud) is true; returns how many went. */
size_t ui_marks_keep(struct ui_marks *m, bool (*alive)(int id, void *ud), void *ud);
void ui_marks_free(struct ui_marks *m);

#endif
