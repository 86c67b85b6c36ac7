/*
 * keybind.h — rebinding keys from the setting spate.keys (private to
 * src/ui/).
 *
 * spate.keys is a comma list of ACTION=KEY: ACTION is an action's name in
 * keymap.c's table (the help overlay shows them), KEY a label as the help
 * writes it: "x", "^X", "F5", "Enter", "Esc", "Tab", "Shift-Tab", "Space",
 * "Up", "PgDn", "Backspace", "Delete", ... (named keys in any case), or
 * "Comma" for ',' (the list's separator). The entries give an action its
 * keys in its own scope: the first entry of an action removes the keys it
 * had there, so "quit=Q" makes Q quit and q do nothing; a second entry
 * adds another key ("quit=Q,quit=^Q"); "ACTION=" with no key leaves it
 * unbound. A key bound to something else in that scope moves over.
 *
 * Thread-safety: loop thread only (it edits the keymap's table).
 */
#ifndef SPATE_UI_KEYBIND_H
#define SPATE_UI_KEYBIND_H

#include <stddef.h>

#include "ui/keymap.h"

#define UI_KEY_PARSE_MAX 3 /* "Enter" is ^M, ^J and KEY_ENTER */

/* The keys a label names (the inverse of ui_key_label): writes 1 to
 * UI_KEY_PARSE_MAX keys into keys[] and returns how many, or -EINVAL for
 * a label that names no key. Blanks around the label are ignored. */
int ui_key_parse(const char *label, int keys[UI_KEY_PARSE_MAX]);

/* The action named `name` (keymap.c's actions table), NULL if none. */
const struct ui_action_info *ui_action_by_name(const char *name, size_t len);

/* Resets the keymap to the built-in bindings, then applies `spec` (NULL or
 * "" applies nothing). Entries that name no action or no key are skipped
 * and written, comma separated and cut to fit, into bad (n bytes; "" if
 * none). Returns how many were skipped. */
int ui_keys_apply(const char *spec, char *bad, size_t n);

#endif
