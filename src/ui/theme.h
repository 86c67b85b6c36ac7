/*
 * theme.h — the pure part of the TUI's themes (private to src/ui/):
 * parsing a theme file, choosing which theme to load, and picking a colour
 * for the terminal at hand. theme.c applies the result to ncurses; nothing
 * declared here touches the terminal, so tests/unit/test_ui_theme.c can
 * call all of it.
 *
 * A theme file is plain text, one element per line:
 *
 *     # a comment (a '#' anywhere starts one)
 *     element = fg bg [attrs]
 *
 * element   an enum ui_elem name in lowercase without UI_EL_ ("normal",
 *           "header", "selected", "state_error", ...)
 * fg, bg    default (the terminal's own colour), black, red, green, yellow,
 *           blue, magenta, cyan, white, brightblack ... brightwhite (also
 *           written bright-red), or a number 0-255; "75/cyan" gives 75 on
 *           terminals with 256 colours and cyan on others (without a
 *           fallback, a number the terminal lacks becomes the nearest of
 *           the 8 basic colours)
 * attrs     none, or any of bold, dim, underline, reverse, standout,
 *           separated by blanks or commas; none when left out
 *
 * Names are matched without regard to case. An element given twice is an
 * error; elements not given look like `normal` (which is "default default
 * none" when not given either).
 */
#ifndef SPATE_UI_THEME_H
#define SPATE_UI_THEME_H

#include <stdbool.h>
#include <stddef.h>

#include "ui/ui_int.h"

/* A colour as the file gives it: c256 for terminals that have it, c8 for
 * the others. -1 is the terminal's default colour. */
struct ui_theme_colour {
    short c256; /* -1..255 */
    short c8;   /* -1..255: the fallback, or c256 approximated */
};

struct ui_theme_style {
    struct ui_theme_colour fg, bg;
    attr_t attrs; /* A_BOLD | A_DIM | A_UNDERLINE | A_REVERSE | A_STANDOUT */
};

struct ui_theme {
    struct ui_theme_style el[UI_EL__COUNT];
};

/* The built-in themes, whose text is also in themes/NAME.theme (a unit
 * test keeps the two equal). */
#define UI_THEME_DEFAULT "default"
#define UI_THEME_MONO "mono"

/* The element's name in theme files ("state_error"), NULL if e is out of
 * range. Static string. */
const char *ui_theme_elem_name(enum ui_elem e);

/* Parses a theme file's text (NUL-terminated). `file` only names it in
 * messages. Returns 0 with *out filled, or -EINVAL with one line in err:
 * "FILE:LINE: unknown colour \"pink\" (...)". */
int ui_theme_parse(const char *text, const char *file, struct ui_theme *out, char *err,
                   size_t errlen);

/* The text of built-in theme `name` ("default", "light", "mono"), NULL if
 * there is none by that name. Static string. */
const char *ui_theme_builtin(const char *name);

/* The theme to load: "mono" when no_color (NO_COLOR's value, NULL when not
 * set) is non-empty (https://no-color.org) or the terminal has fewer than
 * 8 colours (`colours`: ncurses' COLORS, 0 without colour support); else
 * `setting` (spate.theme), "default" when that is NULL or empty. Returns
 * `setting` itself or a static string. */
const char *ui_theme_choose(const char *setting, const char *no_color, int colours);

/* The colour to ask ncurses for on a terminal with `colours` colours:
 * c256 when the terminal has it, else c8 when it has that, else c8 made
 * one of the 8 basic colours. -1 stays -1. */
short ui_theme_colour_pick(struct ui_theme_colour c, int colours);

/* The nearest of the 8 basic colours (0..7) to colour n of the xterm
 * 256-colour palette (8-15 are the bright ones, 16-231 the 6x6x6 cube,
 * 232-255 the greys); -1 stays -1. */
short ui_theme_colour_basic(short n);

/* Whether `name` may name a theme file: letters, digits, '-' and '_',
 * 1..64 of them (so DATA_DIR/themes/NAME.theme stays in that directory). */
bool ui_theme_name_ok(const char *name);

#endif
