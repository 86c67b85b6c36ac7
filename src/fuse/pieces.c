/*
 * pieces.c — file offsets to pieces, and the read-ahead planner; see pieces.h.
 *
 * A read of a mounted file must wait only for the pieces under it, and a
 * streaming reader should find the next pieces already on their way. The
 * planner keeps a few numbers per open file and turns each read into "wait
 * for these, give deadlines to those, drop that old window"; the caller
 * (ops.c) holds the file's mutex around it, so there is no shared state.
 *
 * All offsets are int64_t: torrents (and single files) beyond 4 GiB are
 * common, and libtorrent's own offsets are 64-bit.
 */
#include "fuse/pieces.h"

/* The kernel splits a large read into requests of up to 128 KiB and may
 * issue them out of order, so a read that starts a little past where the
 * last one ended still belongs to the same stream. */
#define SEQ_SLACK (128 * 1024)

/* Clips [off, off+len) to [0, file_size) into [*start, *end); false if
 * nothing is left. Written so that no sum can overflow, whatever the
 * caller passes. */
static bool clip(int64_t file_size, int64_t off, int64_t len, int64_t *start, int64_t *end)
{
    if (file_size <= 0 || len <= 0) return false;
    if (off < 0) {
        if (off + len <= 0) return false; /* off < 0 < len: cannot overflow */
        *start = 0;
        *end = off + len < file_size ? off + len : file_size;
        return true;
    }
    if (off >= file_size) return false;
    *start = off;
    *end = len < file_size - off ? off + len : file_size;
    return true;
}

/* The piece holding torrent byte `abs`, clipped to the last piece so that a
 * geometry that disagrees with the file list never yields an index past the
 * torrent's piece array. */
static int32_t piece_of(const struct fs_geom *g, int64_t abs)
{
    int64_t p = abs / g->piece_length;
    return p < g->num_pieces ? (int32_t)p : g->num_pieces - 1;
}

int fs_piece_range(const struct fs_geom *g, int64_t file_offset, int64_t file_size, int64_t off,
                   int64_t len, int32_t *first, int32_t *last)
{
    int64_t start, end;
    if (!g || g->piece_length <= 0 || g->num_pieces <= 0 || file_offset < 0) return 0;
    if (!clip(file_size, off, len, &start, &end)) return 0;
    if ((file_offset + start) / g->piece_length >= g->num_pieces) return 0;
    *first = piece_of(g, file_offset + start);
    *last = piece_of(g, file_offset + end - 1);
    return 1;
}

void fs_ra_plan(struct fs_ra *ra, const struct fs_geom *g, int64_t file_offset, int64_t file_size,
                int64_t off, int64_t len, int64_t window, struct fs_ra_plan *out)
{
    *out = (struct fs_ra_plan){.need_first = -1,
                               .need_last = -1,
                               .ra_first = -1,
                               .ra_last = -1,
                               .reset = false,
                               .old_first = -1,
                               .old_last = -1};
    int32_t first, last;
    int64_t start = 0, end = 0;
    /* an empty read asks for nothing and says nothing about the reader */
    if (!clip(file_size, off, len, &start, &end) ||
        !fs_piece_range(g, file_offset, file_size, off, len, &first, &last))
        return;

    /* next_off is -1 (or 0 when zero-initialised) before the first read and
     * at least 1 after any read, so both forms of a fresh state mean "no
     * stream, no window yet" */
    bool fresh = ra->next_off <= 0;
    bool seq = !fresh && start >= ra->next_off && start - ra->next_off <= SEQ_SLACK;
    bool has_win = !fresh && ra->win_first >= 0 && ra->win_last >= ra->win_first;
    /* a sequential read may step past a narrow window (window 0, or smaller
     * than a piece); that is the stream moving on, not a seek */
    if (!seq && has_win && (first < ra->win_first || first > ra->win_last)) {
        out->reset = true;
        out->old_first = ra->win_first;
        out->old_last = ra->win_last;
    }
    out->need_first = first;
    out->need_last = last;

    int32_t file_last = piece_of(g, file_offset + file_size - 1);
    if (window > 0 && last < file_last) {
        int32_t ra_last = last + 1; /* a random reader gets one piece */
        if (seq) {
            int64_t ahead = window < file_size - end ? window : file_size - end;
            ra_last = piece_of(g, file_offset + end + ahead - 1);
        }
        if (ra_last > last) {
            out->ra_first = last + 1;
            out->ra_last = ra_last;
        }
    }

    ra->next_off = end;
    ra->streak = seq ? (ra->streak < INT32_MAX ? ra->streak + 1 : INT32_MAX) : 0;
    /* Without a reset the old window's far end keeps its deadlines, so it
     * stays in the window: a later seek must drop those too. */
    int32_t win_last = out->ra_first >= 0 ? out->ra_last : last;
    if (!out->reset && has_win && ra->win_last > win_last) win_last = ra->win_last;
    ra->win_first = first;
    ra->win_last = win_last;
}
