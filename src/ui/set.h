/*
 * set.h — the pure part of the TUI settings editor (private to
 * src/ui/): which registry keys it lists and in what order, the search
 * filter, and the text of values, markers, types and bounds.
 *
 * The editor runs in one of two scopes (enum reg_scope): REG_SESSION, the
 * session's keys with their stored, effective and native values; or
 * REG_TORRENT, one torrent's keys (eng_torrent_opt_get/_set), which have a
 * value and a default only.
 *
 * Everything comes from the registry (engine/registry.h): the editor has
 * no list of keys of its own. Nothing here touches ncurses or an engine
 * instance, so the unit tests drive it directly (tests/unit/
 * test_ui_settings.c); pane_settings.c draws it.
 *
 * Thread-safety: none needed beyond the caller's (no globals).
 */
#ifndef SPATE_UI_SET_H
#define SPATE_UI_SET_H

#include <stdbool.h>
#include <stddef.h>

#include "engine/engine.h"
#include "engine/registry.h"

/* One line of the editor: a group heading (k == NULL) or a key. */
struct ui_set_line {
    const char *group;       /* the group's name, static (registry) */
    const struct reg_key *k; /* the key, or NULL for a heading */
};

/* The lines shown for one search: headings and keys, grouped. */
struct ui_set_list {
    struct ui_set_line *lines; /* owned */
    size_t n;                  /* lines */
    size_t n_keys;             /* of which keys */
};

/* Whether k matches `query`: every blank-separated word of it occurs,
 * ignoring ASCII case, in the key, its group or its help text. A NULL or
 * blank query matches every key. */
bool ui_set_matches(const struct reg_key *k, const char *query);

/* Rebuilds l with the keys of `scope` (k->scope & scope: REG_SESSION or
 * REG_TORRENT) that match `query`, grouped by group in reg_groups() order, each group behind its
 * heading; groups with no match are left out, and keys of a group missing
 * from reg_groups() come last under their own heading. Within a group,
 * registry order. Returns 0, or -ENOMEM with l unchanged. l starts zeroed;
 * release it with ui_set_list_free(). */
int ui_set_list_build(struct ui_set_list *l, unsigned scope, const char *query);
void ui_set_list_free(struct ui_set_list *l);

/* The line of key k in l, or -1. */
long ui_set_list_find(const struct ui_set_list *l, const struct reg_key *k);

/* The key line nearest `line` (clamped into the list) looking in direction
 * dir (+1 down, -1 up) from it, itself included; if there is none that way,
 * the nearest the other way. -1 when l has no keys. Moving is
 * seek(sel + 1, +1), seek(sel - page, -1), seek(0, +1), ... */
long ui_set_list_seek(const struct ui_set_list *l, long line, int dir);

/* Whether libtorrent's value (row->native) is there and differs from the
 * effective one. */
bool ui_set_native_differs(const struct eng_setting_row *row);

/* The markers column: exactly UI_SET_MARKERS_COLS characters plus NUL,
 * '*' stored in the profile, '+' differs from the default, '!' libtorrent
 * reports another value; a blank for each that does not hold. */
#define UI_SET_MARKERS_COLS 3
void ui_set_markers(char out[UI_SET_MARKERS_COLS + 1], const struct eng_setting_row *row);

/* A value as the editor shows it: the text, or "" (two quotes) when
 * empty. Returns strlen(buf). */
size_t ui_set_show(char *buf, size_t n, const char *value);

/* The value column of a key line: the effective value (as ui_set_show),
 * then " (native X)" when libtorrent reports another value. Returns
 * strlen(buf). */
size_t ui_set_value_text(char *buf, size_t n, const struct eng_setting_row *row);

/* What k takes, in one line, starting with reg_type_name(): "int,
 * bytes/s, 0..2147483647", "bool", "enum: pe_forced, pe_enabled,
 * pe_disabled", "string, at most 1024 bytes", "path: absolute, or \"\"",
 * "host:port list, comma separated", ... Returns strlen(buf). */
size_t ui_set_describe(char *buf, size_t n, const struct reg_key *k);

/* The label of the value prompt for k: "KEY: ", with the unit and bounds
 * of an integer ("download_rate_limit (bytes/s, 0..2147483647): "). List
 * keys never prompt: they open the list editor (wlist.h). Returns
 * strlen(buf). */
size_t ui_set_prompt_label(char *buf, size_t n, const struct reg_key *k);

/* Whether k is a per-torrent key that is chosen when the torrent is added
 * and fixed after (storage_mode: eng_torrent_opt_set refuses it); the
 * editor shows it read-only. */
bool ui_set_add_only(const struct reg_key *k);

/* Whether `r` may restore k's default in `scope`. A torrent's keys
 * flagged REG_F_NO_RESET (save_path, trackers, web_seeds) may not: their
 * default "" would move the files nowhere or drop every tracker; nor its
 * add-only keys (ui_set_add_only). When not,
 * `why` (n bytes) gets a one-line message saying so and what to do. */
bool ui_set_can_reset(const struct reg_key *k, unsigned scope, char *why, size_t n);

/* A torrent's key as an editor row: effective = value, def = the
 * registry default, is_default when they are equal, and always for a key
 * flagged REG_F_NO_RESET (save_path, trackers, web_seeds: "" there means
 * none, not a default); nothing stored, no native value (a torrent's value is
 * libtorrent's own). NULL counts as "". */
void ui_set_torrent_row(struct eng_setting_row *row, const struct reg_key *k, const char *value,
                        const char *def);

/* Word wrap: the number of bytes of s that make its first line at `cols`
 * columns, breaking after the last blank that fits (a longer word is cut
 * at a character boundary). *next gets the offset where the next line
 * starts (blanks skipped); *next == strlen(s) at the end. */
size_t ui_set_wrap(const char *s, int cols, size_t *next);

#endif
