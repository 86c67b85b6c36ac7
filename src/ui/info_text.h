/*
 * info_text.h — the pure part of the Info tab (private to src/ui/): the
 * pieces map (a torrent's pieces squeezed or stretched onto the cells of
 * one line) and the text of dates and durations.
 *
 * Nothing here touches ncurses or the engine, so the unit tests
 * (tests/unit/test_ui_files_info.c) drive it directly; pane_info.c draws
 * with it.
 *
 * Thread-safety: none needed (pure functions; ui_info_date reads the
 * time zone through localtime_r).
 */
#ifndef SPATE_UI_INFO_TEXT_H
#define SPATE_UI_INFO_TEXT_H

#include <stddef.h>
#include <stdint.h>

/* What one piece is, as bits of a byte: verified and on disk, in the
 * download queue (eng_have_pieces, eng_downloading_pieces). */
#define UI_PIECE_HAVE_BIT 1u
#define UI_PIECE_DL_BIT 2u

/* What one cell of the map shows, in the order of precedence. */
enum ui_piece_cell {
    UI_CELL_MISSING,     /* none of its pieces is had or downloading */
    UI_CELL_PARTIAL,     /* some of its pieces are had, none downloading */
    UI_CELL_DOWNLOADING, /* some of its pieces are downloading */
    UI_CELL_HAVE,        /* all of its pieces are had */
};

/* Maps n pieces (pieces[i]: UI_PIECE_* bits) onto `cells` cells: cell c
 * covers pieces [c*n/cells, (c+1)*n/cells), at least one, so with more
 * cells than pieces a piece spans several cells. Writes out[0..cells).
 * n <= 0: every cell UI_CELL_MISSING. */
void ui_pieces_map(const uint8_t *pieces, int n, enum ui_piece_cell *out, int cells);

/* The character a cell is drawn with: '#' have, '>' downloading, '+'
 * partial, '.' missing (the colours are the theme's; these tell them
 * apart without colour). */
char ui_piece_glyph(enum ui_piece_cell c);

/* A point in time (s since the epoch) in local time as
 * "2024-05-01 12:34"; 0 or less: "-". Returns strlen(buf). */
size_t ui_info_date(char *buf, size_t n, int64_t t);

/* A duration in s, two units, spaced: "0s", "59s", "1m 05s", "1h 02m",
 * "3d 04h", "1234d 05h"; negative: "-". Returns strlen(buf). */
size_t ui_info_duration(char *buf, size_t n, int64_t s);

#endif
