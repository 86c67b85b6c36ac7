/*
 * format.h — pure text formatting for the terminal UI (private to src/ui/).
 *
 * Percentages, progress bars and the display-width-aware truncation of
 * UTF-8 names; sizes, rates, ETAs and ratios are util/fmt.h's, the spelling
 * the CLI shares. Nothing here touches ncurses, the engine or any
 * global state except the C library's wcwidth(), which follows LC_CTYPE: the
 * UI calls setlocale(LC_ALL, "") first, the tests set a UTF-8 locale.
 *
 * Conventions: every function writes a NUL-terminated string into a caller
 * buffer `buf` of `n` bytes (n >= 1) and never writes past it; output that
 * does not fit is cut at a character boundary. Inputs are UTF-8; output is
 * always valid UTF-8 (invalid input bytes become U+FFFD, control characters
 * become '?', so a torrent name can never move the terminal's cursor): the
 * rules of util/utf8.h's terminal-safe text, the same as the CLI's. UTF-8
 * decoding and encoding are util_utf8_decode()/util_utf8_encode().
 */
#ifndef SPATE_UI_FORMAT_H
#define SPATE_UI_FORMAT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/fmt.h" /* sizes, rates, ETAs and ratios: util_fmt_*() */

/* The ellipsis appended by truncation: U+2026, one column wide. */
#define UI_FMT_ELLIPSIS "\xe2\x80\xa6"

/* A percentage rounded down, so that an unfinished torrent never reads
 * "100%": 0.999 gives "99%", 1.0 gives "100%". `frac` is clamped to 0..1
 * (NaN counts as 0). Returns strlen(buf). */
size_t ui_fmt_percent(char *buf, size_t n, double frac);

/* A bar of `cells` cells between brackets, '#' done and '.' to do:
 * 0.53 with 10 cells gives "[#####.....]". Rounded down like the percent:
 * the bar is full only at 1.0. cells < 1 gives "". Returns strlen(buf). */
size_t ui_fmt_bar(char *buf, size_t n, double frac, int cells);

/* The bar followed by the percent right-aligned in 4 columns:
 * "[#####.....]  53%", "[##########] 100%". Exactly cells + 7 columns.
 * Returns strlen(buf). */
size_t ui_fmt_progress(char *buf, size_t n, double frac, int cells);

/* Display width of a UTF-8 string in terminal columns, counting the way
 * ui_fmt_truncate() renders it (wide CJK 2, combining marks 0, control and
 * invalid bytes 1). */
int ui_str_width(const char *s);

/* Copies `in` into buf, cut to at most `cols` display columns. When it has
 * to cut, the result ends with UI_FMT_ELLIPSIS and is `cols` wide, or
 * cols - 1 when a wide character would straddle the edge. A character is
 * never split, and combining marks stay with their base character. Returns
 * the display width written. */
int ui_fmt_truncate(char *buf, size_t n, const char *in, int cols);

/* ui_fmt_truncate() then padded with spaces to exactly `cols` columns,
 * text on the left (right_align false) or on the right. Returns `cols`
 * (less only if buf is too small). */
int ui_fmt_fit(char *buf, size_t n, const char *in, int cols, bool right_align);

/* Turns what the user typed at the add prompt into a source for eng_add():
 * surrounding blanks and one pair of matching quotes are stripped; a magnet
 * URI ("magnet:", any case) is kept as it is; "file://" URIs are
 * percent-decoded to a path; "~" and "~/..." expand to `home`; a relative
 * path is joined to `cwd`. Returns 0, -EINVAL for empty input (or "~"
 * without a home) or -ENAMETOOLONG when buf is too small. */
int ui_resolve_source(char *buf, size_t n, const char *typed, const char *cwd, const char *home);

#endif
