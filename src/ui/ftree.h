/*
 * ftree.h — the pure part of the Files tab (private to src/ui/): a
 * torrent's files as a tree to show, with collapsible directories, the
 * rows visible, each directory's progress and common priority, and the
 * priority steps the keys take.
 *
 * The tree itself is the one the FUSE mount is built from
 * (util/file_tree.h, fs_tree_build): the same safe names, pad files left
 * out, the torrent's own directory as node 0. This module adds the view: a display order
 * (pre-order, in each directory the subdirectories first, then the files, each by name), the depth
 * of each node, the collapsed flags and per-node sums. Node 0 is never a row: the rows are what is
 * below it.
 *
 * Nothing here touches ncurses or the engine, so the unit tests
 * (tests/unit/test_ui_files_info.c) drive it directly; pane_files.c draws
 * with it.
 *
 * Thread-safety: none (one owner, the loop thread).
 */
#ifndef SPATE_UI_FTREE_H
#define SPATE_UI_FTREE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/file_tree.h"

/* Priorities (libtorrent download_priority_t 0..7) and two values only a
 * directory has. */
#define UI_PRIO_SKIP 0
#define UI_PRIO_LOW 1
#define UI_PRIO_NORMAL 4
#define UI_PRIO_HIGH 7
#define UI_PRIO_MIXED (-1) /* its files do not all have the same priority */
#define UI_PRIO_NONE (-2)  /* it has no files */

struct ui_ftree {
    struct fs_tree t;
    uint32_t *order; /* [n_nodes]: nodes in display order, node 0 first */
    uint32_t *pos;   /* [node]: its index in order */
    uint32_t *span;  /* [node]: nodes in its subtree, itself included */
    uint32_t *depth; /* [node]: 0 for node 0's children */
    bool *collapsed; /* [node]: a directory whose children are hidden */
    int64_t *done;   /* [node]: bytes done (ui_ftree_aggregate) */
    int *prio;       /* [node]: priority, UI_PRIO_MIXED or UI_PRIO_NONE */
    uint32_t *rows;  /* the visible rows' nodes, in order */
    size_t n_rows;
    size_t n_in_files; /* files given to ui_ftree_build (pad files included) */
};

/* Builds the view of n files (file i has libtorrent index i; for a
 * multi-file torrent the paths start with its directory, which is
 * stripped), every directory expanded. 0 or -ENOMEM; on success release
 * with ui_ftree_free (also safe on a zeroed struct). */
int ui_ftree_build(struct ui_ftree *ft, const struct fs_file_in *files, size_t n, bool multi_file);
void ui_ftree_free(struct ui_ftree *ft);

/* Whether node v is a directory. */
bool ui_ftree_is_dir(const struct ui_ftree *ft, uint32_t v);

/* Collapses an expanded directory or expands a collapsed one, and
 * recomputes the rows. A file: no-op, returns false. */
bool ui_ftree_toggle(struct ui_ftree *ft, uint32_t v);

/* The index in rows of node v, or of its nearest shown ancestor when v is
 * hidden; 0 when there are no rows. */
size_t ui_ftree_row_of(const struct ui_ftree *ft, uint32_t v);

/* Fills done[] and prio[] of every node from per-file figures indexed by
 * libtorrent file index (n_in_files entries; pad files are not read):
 * file_done in bytes, file_prio 0..7 (or < 0: unknown, counts as
 * UI_PRIO_MIXED). A directory sums its files' bytes and has their common
 * priority, UI_PRIO_MIXED when they differ, UI_PRIO_NONE without files. */
void ui_ftree_aggregate(struct ui_ftree *ft, const int64_t *file_done, const int *file_prio);

/* The fraction done of node v (its done over its size; a 0-byte node is
 * complete), 0..1. */
double ui_ftree_fraction(const struct ui_ftree *ft, uint32_t v);

/* Calls fn(file_index, ud) for each file below (or at) node v, in display
 * order. */
void ui_ftree_each_file(const struct ui_ftree *ft, uint32_t v, void (*fn)(int file, void *ud),
                        void *ud);

/* The priority steps skip -> low -> normal -> high: the next step above
 * p (high stays high), the next below (skip stays skip). Values between
 * steps (2, 3, 5, 6) go to the nearest step in that direction. */
int ui_prio_up(int p);
int ui_prio_down(int p);
/* Skip toggles: skip becomes normal, anything else skip. For a directory
 * pass its common priority (UI_PRIO_MIXED: some are downloaded, so skip). */
int ui_prio_skip_toggle(int p);
/* "skip", "low", "normal", "high", "2", "3", "5", "6", "mixed", "-". Static. */
const char *ui_prio_name(int p);

#endif
