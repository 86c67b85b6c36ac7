/*
 * add_line.h — the TUI's add prompt: options before the source, the same
 * ones `spate add` takes (private to src/ui/).
 *
 *   [--paused] [--seed-mode] [--category NAME] [--tags A,B] [--dir DIR]
 *   [KEY=VALUE ...] SOURCE
 *
 * KEY=VALUE is a per-torrent setting (registry scope REG_TORRENT, as
 * `spate add --opt`); SOURCE is the rest of the line (a path may hold
 * spaces), resolved by the caller. Pure: any thread.
 */
#ifndef SPATE_UI_ADD_LINE_H
#define SPATE_UI_ADD_LINE_H

#include <stdbool.h>
#include <stddef.h>

#include "engine/engine.h"

#define UI_ADD_MAX_OPTS 16

struct ui_add_line {
    bool paused, seed_mode;
    const char *dir;                          /* NULL: the default download directory */
    const char *source;                       /* the rest of the line */
    struct eng_setting opts[UI_ADD_MAX_OPTS]; /* category and tags too */
    size_t n_opts;
};

/* Splits `line` (modified in place: the strings point into it) into out.
 * Returns 0, or -EINVAL with a one-line message in err: an unknown option,
 * an option without its value, an unknown per-torrent key, too many
 * options, or no source. */
int ui_add_line_parse(char *line, struct ui_add_line *out, char *err, size_t errlen);

#endif
