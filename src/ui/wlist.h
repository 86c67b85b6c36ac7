/*
 * wlist.h — the settings editor's list editor (private to src/ui/):
 * a boxed overlay that edits a list key item by item — host:port lists,
 * CIDR lists, URL lists and a torrent's tags — and for tracker lists the
 * tier of each item (BEP 12: "a,b|c" is the tiers [a, b] and [c]).
 *
 *    ┌ trackers of torrent 1: 3 items in 2 tiers ───────────────┐
 *    │ tier 1  http://a.example/announce                        │
 *    │ tier 1  http://b.example/announce                        │
 *    │ tier 2  udp://c.example:6969                             │
 *    │                                                          │
 *    │ a add  e edit  d delete  K/J move  ] tier  w apply  ...  │
 *    └──────────────────────────────────────────────────────────┘
 *
 * Two halves. The list (struct ui_wlist: split, join, insert, replace,
 * remove, move, tier changes) is pure: no ncurses, no engine, so the unit
 * tests drive it (tests/unit/test_ui_widgets.c). The overlay (struct
 * ui_wlist_editor) holds a list, its cursor and the item prompt it opens
 * on the message line; it draws into the settings editor's window and
 * takes keys of the keymap's UI_SCOPE_WLIST. Applying is the caller's
 * (pane_settings.c): it sends ui_wlist_value() through the same engine
 * call as any edit, so the engine checks the items, and on an error keeps
 * the overlay open (ui_wlist_failed puts the cursor on the bad item).
 *
 * Thread-safety: loop thread only (like the whole UI); no globals.
 */
#ifndef SPATE_UI_WLIST_H
#define SPATE_UI_WLIST_H

#include <stdbool.h>
#include <stddef.h>

#include "engine/registry.h"
#include "ui/ui_int.h"

/* ---- the list (pure) ---------------------------------------------------------- */

struct ui_wlist_item {
    char *text; /* owned; trimmed, never empty */
    int tier;   /* 0, 1, ...: items are kept in tier order, tiers numbered
                 * without gaps; always 0 in a list without tiers */
};

struct ui_wlist {
    struct ui_wlist_item *items; /* owned */
    size_t n, cap;
    bool tiered; /* "|" separates tiers (tracker lists) */
};

/* Whether the settings editor edits k with the list editor: a host:port,
 * CIDR or URL list (REG_HOSTPORTS, REG_CIDRS, REG_URLS) or a key whose
 * value is a comma list (REG_F_LIST: tags). */
bool ui_wlist_wants(const struct reg_key *k);

/* Whether k's list has tiers: a URL list flagged REG_F_TIERS (a torrent's
 * trackers, spate.default_trackers); web seeds and the other lists have
 * none. */
bool ui_wlist_has_tiers(const struct reg_key *k);

/* Replaces l's items with those of `text`: split on ",", each item trimmed
 * of blanks, empty items dropped; when `tiered`, "|" also ends an item and
 * starts the next tier (empty tiers dropped: "a||b" is two tiers). Without
 * tiers "|" is part of an item. NULL counts as "". Returns 0, or -ENOMEM
 * with l unchanged. l starts zeroed; free it with ui_wlist_free(). */
int ui_wlist_split(struct ui_wlist *l, const char *text, bool tiered);

/* The items joined back: "," between items of a tier, "|" between tiers.
 * Returns a string the caller frees, NULL when out of memory. */
char *ui_wlist_join(const struct ui_wlist *l);

void ui_wlist_free(struct ui_wlist *l);

/* The number of tiers (0 for an empty list). */
int ui_wlist_tiers(const struct ui_wlist *l);

/* Inserts the items of `text` (split on "," — and "|" in a tiered list,
 * which here does not start a tier — trimmed, empties dropped) before
 * index `at` (clamped to l->n), in `tier` (clamped to the tiers of the
 * neighbours, so the order holds). Returns the number of items inserted
 * (0 for a blank text), or -ENOMEM with l unchanged. */
int ui_wlist_insert(struct ui_wlist *l, size_t at, const char *text, int tier);

/* Replaces item i with the items of `text`, in i's tier; a blank text
 * removes it. Returns the number of items now in its place, or -ENOMEM
 * (l unchanged), -ERANGE for i out of range. */
int ui_wlist_replace(struct ui_wlist *l, size_t i, const char *text);

/* Removes item i (nothing when out of range); a tier left empty goes. */
void ui_wlist_remove(struct ui_wlist *l, size_t i);

/* Moves item i one place down (dir > 0) or up (dir < 0). Inside its tier
 * it swaps with its neighbour; at the edge of its tier it crosses into the
 * next (previous) tier, keeping its place in the list: the first item of
 * that tier (the last). Returns the item's new index (i when it cannot
 * move, or is out of range). */
size_t ui_wlist_move(struct ui_wlist *l, size_t i, int dir);

/* Moves item i to the next tier's start (dir > 0) or the previous tier's
 * end (dir < 0). From the last (first) tier it gets a new tier of its own
 * after (before) all others, unless it is alone there already. Nothing
 * without tiers. Returns the item's new index. */
size_t ui_wlist_to_tier(struct ui_wlist *l, size_t i, int dir);

/* Toggles a tier break before item i: inside a tier, i and the items
 * after it in that tier become a new tier; at the start of a tier (not
 * the first), that tier joins the previous one. Nothing without tiers. */
void ui_wlist_split_tier(struct ui_wlist *l, size_t i);

/* The first item that `msg` (an engine's error) quotes, between ' or "
 * quotes; -1 if none. */
long ui_wlist_find_quoted(const struct ui_wlist *l, const char *msg);

/* ---- the overlay ------------------------------------------------------------------ */

enum ui_wlist_result {
    UI_WLIST_EDITING, /* the key was taken (or ignored): redraw */
    UI_WLIST_APPLY,   /* apply ui_wlist_value(); close on success */
    UI_WLIST_CANCEL,  /* close, nothing changed */
    UI_WLIST_PASS,    /* not the editor's: help, redraw */
};

struct ui_wlist_editor;

/* Opens an editor for key k holding `value` (its text form; NULL: ""),
 * titled `title` (the key, or "trackers of torrent 3"). The cursor is on
 * the first item. NULL when out of memory. Free with ui_wlist_close(). */
struct ui_wlist_editor *ui_wlist_open(const struct reg_key *k, const char *value,
                                      const char *title);
void ui_wlist_close(struct ui_wlist_editor *ed);

/* The key it edits. */
const struct reg_key *ui_wlist_reg_key(const struct ui_wlist_editor *ed);

/* Handles one key (keymap encoding, UI_SCOPE_WLIST). `a` and `e` open the
 * item prompt in u (u->mode UI_MODE_PROMPT, u->prompt_for
 * UI_PROMPT_FOR_SETTING); its keys then go to ui_wlist_prompt(). Short
 * messages (a list without tiers, an empty list) go to u's message line. */
enum ui_wlist_result ui_wlist_key(struct ui_wlist_editor *ed, struct ui *u, int key);

/* Whether the item prompt is open (ui_wlist_prompt is then due its keys). */
bool ui_wlist_prompting(const struct ui_wlist_editor *ed);

/* The item prompt got a key with result r (u->mode is back to normal
 * unless r is EDITING): Enter adds or replaces, Esc leaves the list. */
void ui_wlist_prompt(struct ui_wlist_editor *ed, struct ui *u, enum ui_prompt_result r);

/* The text to apply (ui_wlist_join; for a REG_F_LIST key a text that
 * would start with "+" or "-", which eng_torrent_opt_set reads as an
 * edit, gets a leading blank, trimmed by the engine). The caller frees
 * it; NULL when out of memory. */
char *ui_wlist_value(const struct ui_wlist_editor *ed);

/* Whether the list differs from the one it opened with. */
bool ui_wlist_changed(const struct ui_wlist_editor *ed);

/* Applying failed with the engine's message `msg`: the cursor goes to the
 * item it quotes, if any. */
void ui_wlist_failed(struct ui_wlist_editor *ed, const char *msg);

/* Draws the overlay, centred in w (the settings editor's window, already
 * drawn), scrolled to keep the cursor visible. */
void ui_wlist_draw(struct ui_wlist_editor *ed, WINDOW *w);

#endif
