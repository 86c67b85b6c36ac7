/*
 * pieces.h — the pure piece maths of the FUSE bridge (pieces.c): file
 * offset -> piece ranges and the read-ahead window.
 *
 * Nothing here touches libfuse, libtorrent, the engine or threads: every
 * function is a pure computation over its arguments (unit-tested in
 * tests/unit/test_fs_tree.c). The file tree and safe names the mount is
 * built from are util/file_tree.h.
 */
#ifndef SPATE_FS_PIECES_H
#define SPATE_FS_PIECES_H

#include <stdbool.h>
#include <stdint.h>

/* Torrent geometry (from metadata). */
struct fs_geom {
    int64_t piece_length; /* bytes, > 0 */
    int32_t num_pieces;   /* > 0 */
    int64_t total_size;   /* bytes; the last piece may be short */
};

/* The pieces holding bytes [off, off+len) of a file that starts at
 * `file_offset` in the torrent and has `file_size` bytes; the range is first
 * clipped to the file. Returns 1 and sets *first and *last (inclusive), or 0 if
 * the clipped range is empty (a 0-byte file, off >= file_size, len 0). */
int fs_piece_range(const struct fs_geom *g, int64_t file_offset, int64_t file_size, int64_t off,
                   int64_t len, int32_t *first, int32_t *last);

/* Read-ahead state of one open file. Zero-initialise, then feed each read
 * to fs_ra_plan(). */
struct fs_ra {
    int64_t next_off;            /* where a sequential read would continue; -1 at first */
    int32_t streak;              /* consecutive sequential reads */
    int32_t win_first, win_last; /* pieces that have deadlines from this reader; -1 none */
};

/* What a read should ask of the engine. */
struct fs_ra_plan {
    int32_t need_first, need_last; /* pieces the read waits for; need_first -1: none */
    int32_t ra_first, ra_last;     /* read-ahead pieces after them; ra_first -1: none */
    bool reset;                    /* a seek: drop the deadlines of the old window first */
    int32_t old_first, old_last;   /* that old window (valid when reset) */
};

/* Plans one read of [off, off+len) on an open file (file_offset,
 * file_size as for fs_piece_range). A read is sequential when it starts at
 * ra->next_off (or within 128 KiB after it: the kernel splits and reorders
 * large reads). Sequential reads get a read-ahead of `window` bytes beyond the
 * read, clipped to the file; random reads get one piece. A read that starts
 * outside the current window (a seek) sets reset with the old window. The
 * state is updated: next_off, streak and the new window [need_first ..
 * ra_last]. window: bytes, >= 0. */
void fs_ra_plan(struct fs_ra *ra, const struct fs_geom *g, int64_t file_offset, int64_t file_size,
                int64_t off, int64_t len, int64_t window, struct fs_ra_plan *out);

#endif
