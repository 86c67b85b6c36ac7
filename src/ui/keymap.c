/*
 * keymap.c — the binding table and the action descriptions; see keymap.h.
 *
 * To add a key: add an action to enum ui_action, describe it in `actions`
 * (that puts it in the help overlay) and bind it in `default_bindings`;
 * then handle the action where the scope is dispatched (ui.c, a pane or
 * prompt.c). The detail tabs' actions and keys are not written here: they
 * are made from the tab table ui_tabs[] (ui_int.h), after tab-prev.
 */
#include "ui/keymap.h"

#include <curses.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "ui/format.h"
#include "ui/ui_int.h"
#include "util/utf8.h"

/* Help order: the overlay lists them like this, grouped by `group`. */
static const struct ui_action_info actions[] = {
    {UI_ACT_DOWN, UI_SCOPE_LIST, "down", "Move", "next torrent or setting"},
    {UI_ACT_UP, UI_SCOPE_LIST, "up", "Move", "previous torrent or setting"},
    {UI_ACT_PAGE_DOWN, UI_SCOPE_LIST, "page-down", "Move", "one page down"},
    {UI_ACT_PAGE_UP, UI_SCOPE_LIST, "page-up", "Move", "one page up"},
    {UI_ACT_HOME, UI_SCOPE_LIST, "home", "Move", "first row"},
    {UI_ACT_END, UI_SCOPE_LIST, "end", "Move", "last row"},
    {UI_ACT_HELP, UI_SCOPE_LIST, "help", "General", "show or hide this help"},
    /* early in the overlay: on its first page even on short terminals */
    {UI_ACT_QUIT, UI_SCOPE_LIST, "quit", "General", "quit (asks while downloading)"},
    {UI_ACT_SETTINGS, UI_SCOPE_LIST, "settings", "General", "open or close the settings editor"},
    {UI_ACT_ALT_SPEED, UI_SCOPE_LIST, "alt-speed", "General",
     "alternative speed limits on or off (until the schedule's next change)"},
    {UI_ACT_ADD, UI_SCOPE_LIST, "add", "Torrent", "add a .torrent file or magnet link"},
    {UI_ACT_PAUSE_TOGGLE, UI_SCOPE_LIST, "pause", "Torrent", "pause or resume"},
    {UI_ACT_REMOVE, UI_SCOPE_LIST, "remove", "Torrent", "remove, keep the data"},
    {UI_ACT_REMOVE_DATA, UI_SCOPE_LIST, "remove-data", "Torrent", "remove and delete the data"},
    {UI_ACT_TORRENT_SETTINGS, UI_SCOPE_LIST, "torrent-settings", "Torrent",
     "torrent settings: limits, flags, trackers, category, tags"},
    {UI_ACT_FILTER, UI_SCOPE_LIST, "filter", "Torrent",
     "filter the list by category or tag (Esc clears)"},
    {UI_ACT_START, UI_SCOPE_LIST, "start", "Torrent", "start (resume)"},
    {UI_ACT_STOP, UI_SCOPE_LIST, "stop", "Torrent", "stop (pause)"},
    {UI_ACT_CLOSE, UI_SCOPE_LIST, "close", "Torrent", "close: remove, keep the data"},
    {UI_ACT_RECHECK, UI_SCOPE_LIST, "recheck", "Torrent", "verify the data on disk again"},
    {UI_ACT_REANNOUNCE, UI_SCOPE_LIST, "reannounce", "Torrent", "announce to the trackers now"},
    {UI_ACT_QUEUE_UP, UI_SCOPE_LIST, "queue-up", "Torrent", "one place up the queue"},
    {UI_ACT_QUEUE_DOWN, UI_SCOPE_LIST, "queue-down", "Torrent", "one place down the queue"},
    {UI_ACT_MARK, UI_SCOPE_LIST, "mark", "List",
     "mark or unmark (commands then act on every marked torrent)"},
    {UI_ACT_MARK_ALL, UI_SCOPE_LIST, "mark-all", "List", "mark every torrent shown, or none"},
    {UI_ACT_SEARCH, UI_SCOPE_LIST, "search", "List", "filter by name as you type (Esc clears)"},
    {UI_ACT_SORT_NEXT, UI_SCOPE_LIST, "sort", "List", "sort by the next column"},
    {UI_ACT_SORT_REVERSE, UI_SCOPE_LIST, "sort-reverse", "List", "reverse the order"},
    {UI_ACT_VIEW_NEXT, UI_SCOPE_LIST, "view-next", "List",
     "next view: all, downloading, seeding, paused, finished, error, active"},
    {UI_ACT_VIEW_PREV, UI_SCOPE_LIST, "view-prev", "List", "previous view"},
    {UI_ACT_TAB_NEXT, UI_SCOPE_LIST, "tab-next", "Details", "next tab"},
    {UI_ACT_TAB_PREV, UI_SCOPE_LIST, "tab-prev", "Details", "previous tab"},
    /* here: one "tab-NAME" action per detail tab (ui_tabs[], see tab_actions) */
    {UI_ACT_ZOOM, UI_SCOPE_LIST, "zoom", "Details",
     "into the details (whole screen, their keys), or back"},
    {UI_ACT_DETAIL_CLOSE, UI_SCOPE_DETAIL, "detail-close", "Details", "back to the list"},
    {UI_ACT_TRACKER_ADD, UI_SCOPE_TRACKERS, "tracker-add", "Trackers tab", "add a tracker"},
    {UI_ACT_TRACKER_EDIT, UI_SCOPE_TRACKERS, "tracker-edit", "Trackers tab",
     "edit the tracker's URL"},
    {UI_ACT_TRACKER_REMOVE, UI_SCOPE_TRACKERS, "tracker-remove", "Trackers tab",
     "remove the tracker"},
    {UI_ACT_TRACKER_REANNOUNCE, UI_SCOPE_TRACKERS, "tracker-reannounce", "Trackers tab",
     "announce now"},
    {UI_ACT_FILE_OPEN, UI_SCOPE_FILES, "file-open", "Files tab", "collapse or expand a directory"},
    {UI_ACT_FILE_PRIO_UP, UI_SCOPE_FILES, "file-prio-up", "Files tab",
     "raise the priority (file or whole directory)"},
    {UI_ACT_FILE_PRIO_DOWN, UI_SCOPE_FILES, "file-prio-down", "Files tab", "lower the priority"},
    {UI_ACT_FILE_SKIP, UI_SCOPE_FILES, "file-skip", "Files tab",
     "skip, or download again (normal)"},
    {UI_ACT_FILE_SEQUENTIAL, UI_SCOPE_FILES, "file-sequential", "Files tab",
     "sequential download on or off"},
    {UI_ACT_FILE_FIRST_LAST, UI_SCOPE_FILES, "file-first-last", "Files tab",
     "first and last pieces first, on or off"},
    {UI_ACT_CANCEL, UI_SCOPE_LIST, "cancel", "General", "close a prompt or overlay"},
    {UI_ACT_REDRAW, UI_SCOPE_LIST, "redraw", "General", "redraw the screen"},
    {UI_ACT_SETTINGS_EDIT, UI_SCOPE_SETTINGS, "settings-edit", "Settings",
     "change the setting: toggle, pick, type, or edit a list or schedule"},
    {UI_ACT_SETTINGS_SEARCH, UI_SCOPE_SETTINGS, "settings-search", "Settings",
     "search keys and help as you type"},
    {UI_ACT_SETTINGS_RESET, UI_SCOPE_SETTINGS, "settings-reset", "Settings",
     "restore the default (asks)"},
    {UI_ACT_SETTINGS_CLOSE, UI_SCOPE_SETTINGS, "settings-close", "Settings",
     "clear the search, else leave"},
    {UI_ACT_SETTINGS, UI_SCOPE_SETTINGS, "settings-leave", "Settings", "back to the torrent list"},
    {UI_ACT_WLIST_DOWN, UI_SCOPE_WLIST, "list-down", "List editor", "next item"},
    {UI_ACT_WLIST_UP, UI_SCOPE_WLIST, "list-up", "List editor", "previous item"},
    {UI_ACT_WLIST_FIRST, UI_SCOPE_WLIST, "list-first", "List editor", "first item"},
    {UI_ACT_WLIST_LAST, UI_SCOPE_WLIST, "list-last", "List editor", "last item"},
    {UI_ACT_WLIST_ADD, UI_SCOPE_WLIST, "list-add", "List editor",
     "add items after this one (comma separated)"},
    {UI_ACT_WLIST_EDIT, UI_SCOPE_WLIST, "list-edit", "List editor", "edit the item"},
    {UI_ACT_WLIST_DELETE, UI_SCOPE_WLIST, "list-delete", "List editor", "remove the item"},
    {UI_ACT_WLIST_MOVE_DOWN, UI_SCOPE_WLIST, "list-move-down", "List editor",
     "move the item down; from a tier's end into the next tier"},
    {UI_ACT_WLIST_MOVE_UP, UI_SCOPE_WLIST, "list-move-up", "List editor",
     "move the item up; from a tier's start into the previous tier"},
    {UI_ACT_WLIST_TIER_NEXT, UI_SCOPE_WLIST, "list-tier-next", "List editor",
     "trackers: the item to the next tier (last: a new tier)"},
    {UI_ACT_WLIST_TIER_PREV, UI_SCOPE_WLIST, "list-tier-prev", "List editor",
     "trackers: the item to the previous tier (first: a new tier)"},
    {UI_ACT_WLIST_TIER_SPLIT, UI_SCOPE_WLIST, "list-tier-split", "List editor",
     "trackers: a new tier starts at the item (again: joins)"},
    {UI_ACT_WLIST_APPLY, UI_SCOPE_WLIST, "list-apply", "List editor", "apply the list"},
    {UI_ACT_CANCEL, UI_SCOPE_WLIST, "list-cancel", "List editor", "close, nothing changed"},
    {UI_ACT_WSCHED_LEFT, UI_SCOPE_WSCHED, "schedule-left", "Schedule grid", "previous hour"},
    {UI_ACT_WSCHED_RIGHT, UI_SCOPE_WSCHED, "schedule-right", "Schedule grid", "next hour"},
    {UI_ACT_WSCHED_UP, UI_SCOPE_WSCHED, "schedule-up", "Schedule grid", "previous day"},
    {UI_ACT_WSCHED_DOWN, UI_SCOPE_WSCHED, "schedule-down", "Schedule grid", "next day"},
    {UI_ACT_WSCHED_TOGGLE, UI_SCOPE_WSCHED, "schedule-toggle", "Schedule grid",
     "the hour on or off (a partly active hour: on)"},
    {UI_ACT_WSCHED_DAY, UI_SCOPE_WSCHED, "schedule-day", "Schedule grid",
     "the whole day on, or off when it is all on"},
    {UI_ACT_WSCHED_HOUR, UI_SCOPE_WSCHED, "schedule-hour", "Schedule grid",
     "this hour of every day on, or off when all on"},
    {UI_ACT_WSCHED_CLEAR, UI_SCOPE_WSCHED, "schedule-clear", "Schedule grid", "clear every hour"},
    {UI_ACT_WSCHED_APPLY, UI_SCOPE_WSCHED, "schedule-apply", "Schedule grid", "apply the schedule"},
    {UI_ACT_CANCEL, UI_SCOPE_WSCHED, "schedule-cancel", "Schedule grid", "close, nothing changed"},
    {UI_ACT_PROMPT_SUBMIT, UI_SCOPE_PROMPT, "prompt-submit", "Prompt", "accept"},
    {UI_ACT_CANCEL, UI_SCOPE_PROMPT, "prompt-cancel", "Prompt", "cancel"},
    {UI_ACT_PROMPT_BACKSPACE, UI_SCOPE_PROMPT, "prompt-backspace", "Prompt",
     "delete before the cursor"},
    {UI_ACT_PROMPT_DELETE, UI_SCOPE_PROMPT, "prompt-delete", "Prompt", "delete at the cursor"},
    {UI_ACT_PROMPT_DELETE_WORD, UI_SCOPE_PROMPT, "prompt-delete-word", "Prompt",
     "delete the word before the cursor"},
    {UI_ACT_PROMPT_CLEAR, UI_SCOPE_PROMPT, "prompt-clear", "Prompt", "clear the line"},
    {UI_ACT_PROMPT_LEFT, UI_SCOPE_PROMPT, "prompt-left", "Prompt", "cursor left"},
    {UI_ACT_PROMPT_RIGHT, UI_SCOPE_PROMPT, "prompt-right", "Prompt", "cursor right"},
    {UI_ACT_PROMPT_HOME, UI_SCOPE_PROMPT, "prompt-home", "Prompt", "start of the line"},
    {UI_ACT_PROMPT_END, UI_SCOPE_PROMPT, "prompt-end", "Prompt", "end of the line"},
    {UI_ACT_CONFIRM_YES, UI_SCOPE_CONFIRM, "confirm-yes", "Confirm", "yes, do it"},
    {UI_ACT_CANCEL, UI_SCOPE_CONFIRM, "confirm-no", "Confirm", "no, leave it"},
};

#define N_ACTIONS (sizeof actions / sizeof actions[0])

/* `actions` with the tabs' actions after tab-prev: what help lists and
 * spate.keys names. Made once, from the const tables. */
static struct ui_action_info all_actions[N_ACTIONS + UI_TABS_MAX];
static size_t n_all_actions;

static void tab_actions(void)
{
    if (n_all_actions) return;
    size_t n = 0;
    for (size_t i = 0; i < N_ACTIONS; i++) {
        all_actions[n++] = actions[i];
        if (actions[i].action != UI_ACT_TAB_PREV) continue;
        for (size_t t = 0; t < ui_n_tabs && t < UI_TABS_MAX; t++)
            all_actions[n++] = (struct ui_action_info){
                UI_ACT_TAB(t), UI_SCOPE_LIST, ui_tabs[t]->action, "Details", ui_tabs[t]->help};
    }
    n_all_actions = n;
}

struct binding {
    enum ui_scope scope;
    int key;
    enum ui_action action;
};

static const struct binding default_bindings[] = {
    {UI_SCOPE_LIST, 'j', UI_ACT_DOWN},
    {UI_SCOPE_LIST, UI_KEY_FN(KEY_DOWN), UI_ACT_DOWN},
    {UI_SCOPE_LIST, 'k', UI_ACT_UP},
    {UI_SCOPE_LIST, UI_KEY_FN(KEY_UP), UI_ACT_UP},
    {UI_SCOPE_LIST, UI_KEY_FN(KEY_NPAGE), UI_ACT_PAGE_DOWN},
    {UI_SCOPE_LIST, UI_KEY_CTRL('f'), UI_ACT_PAGE_DOWN},
    {UI_SCOPE_LIST, UI_KEY_FN(KEY_PPAGE), UI_ACT_PAGE_UP},
    {UI_SCOPE_LIST, UI_KEY_CTRL('b'), UI_ACT_PAGE_UP},
    {UI_SCOPE_LIST, 'g', UI_ACT_HOME},
    {UI_SCOPE_LIST, UI_KEY_FN(KEY_HOME), UI_ACT_HOME},
    {UI_SCOPE_LIST, 'G', UI_ACT_END},
    {UI_SCOPE_LIST, UI_KEY_FN(KEY_END), UI_ACT_END},
    {UI_SCOPE_LIST, 'a', UI_ACT_ADD},
    {UI_SCOPE_LIST, 'p', UI_ACT_PAUSE_TOGGLE},
    {UI_SCOPE_LIST, 'd', UI_ACT_REMOVE},
    {UI_SCOPE_LIST, 'D', UI_ACT_REMOVE_DATA},
    {UI_SCOPE_LIST, 'e', UI_ACT_TORRENT_SETTINGS},
    {UI_SCOPE_LIST, 'c', UI_ACT_FILTER},
    {UI_SCOPE_LIST, UI_KEY_CTRL('s'), UI_ACT_START},
    {UI_SCOPE_LIST, UI_KEY_CTRL('d'), UI_ACT_STOP},
    {UI_SCOPE_LIST, UI_KEY_CTRL('k'), UI_ACT_CLOSE},
    {UI_SCOPE_LIST, UI_KEY_CTRL('r'), UI_ACT_RECHECK},
    {UI_SCOPE_LIST, 'R', UI_ACT_REANNOUNCE},
    {UI_SCOPE_LIST, '+', UI_ACT_QUEUE_UP},
    {UI_SCOPE_LIST, '-', UI_ACT_QUEUE_DOWN},
    {UI_SCOPE_LIST, ' ', UI_ACT_MARK},
    {UI_SCOPE_LIST, '*', UI_ACT_MARK_ALL},
    {UI_SCOPE_LIST, '/', UI_ACT_SEARCH},
    {UI_SCOPE_LIST, 's', UI_ACT_SORT_NEXT},
    {UI_SCOPE_LIST, 'S', UI_ACT_SORT_REVERSE},
    {UI_SCOPE_LIST, 'v', UI_ACT_VIEW_NEXT},
    {UI_SCOPE_LIST, 'V', UI_ACT_VIEW_PREV},
    {UI_SCOPE_LIST, '\t', UI_ACT_TAB_NEXT},
    {UI_SCOPE_LIST, UI_KEY_FN(KEY_BTAB), UI_ACT_TAB_PREV},
    /* here: '1' + i for detail tab i (ui_tabs[], see ui_keymap_reset) */
    {UI_SCOPE_LIST, '\r', UI_ACT_ZOOM},
    {UI_SCOPE_LIST, '\n', UI_ACT_ZOOM},
    {UI_SCOPE_LIST, UI_KEY_FN(KEY_ENTER), UI_ACT_ZOOM},
    {UI_SCOPE_LIST, 'z', UI_ACT_ZOOM},
    {UI_SCOPE_DETAIL, UI_KEY_ESC, UI_ACT_DETAIL_CLOSE},
    {UI_SCOPE_DETAIL, 'q', UI_ACT_DETAIL_CLOSE},
    {UI_SCOPE_TRACKERS, 'a', UI_ACT_TRACKER_ADD},
    {UI_SCOPE_TRACKERS, 'e', UI_ACT_TRACKER_EDIT},
    {UI_SCOPE_TRACKERS, '\r', UI_ACT_TRACKER_EDIT},
    {UI_SCOPE_TRACKERS, '\n', UI_ACT_TRACKER_EDIT},
    {UI_SCOPE_TRACKERS, 'd', UI_ACT_TRACKER_REMOVE},
    {UI_SCOPE_TRACKERS, UI_KEY_FN(KEY_DC), UI_ACT_TRACKER_REMOVE},
    {UI_SCOPE_TRACKERS, 'r', UI_ACT_TRACKER_REANNOUNCE},
    {UI_SCOPE_FILES, '\r', UI_ACT_FILE_OPEN},
    {UI_SCOPE_FILES, '\n', UI_ACT_FILE_OPEN},
    {UI_SCOPE_FILES, ' ', UI_ACT_FILE_OPEN},
    {UI_SCOPE_FILES, '+', UI_ACT_FILE_PRIO_UP},
    {UI_SCOPE_FILES, '-', UI_ACT_FILE_PRIO_DOWN},
    {UI_SCOPE_FILES, 'x', UI_ACT_FILE_SKIP},
    {UI_SCOPE_FILES, 's', UI_ACT_FILE_SEQUENTIAL},
    {UI_SCOPE_FILES, 'f', UI_ACT_FILE_FIRST_LAST},

    {UI_SCOPE_LIST, '?', UI_ACT_HELP},
    {UI_SCOPE_LIST, UI_KEY_FN(KEY_F(1)), UI_ACT_HELP},
    {UI_SCOPE_LIST, UI_KEY_ESC, UI_ACT_CANCEL},
    {UI_SCOPE_LIST, UI_KEY_CTRL('l'), UI_ACT_REDRAW},
    {UI_SCOPE_LIST, 'q', UI_ACT_QUIT},
    {UI_SCOPE_LIST, 'O', UI_ACT_SETTINGS},
    {UI_SCOPE_LIST, 'A', UI_ACT_ALT_SPEED},
    {UI_SCOPE_LIST, UI_KEY_FN(KEY_F(2)), UI_ACT_SETTINGS},

    {UI_SCOPE_SETTINGS, '\r', UI_ACT_SETTINGS_EDIT},
    {UI_SCOPE_SETTINGS, '\n', UI_ACT_SETTINGS_EDIT},
    {UI_SCOPE_SETTINGS, UI_KEY_FN(KEY_ENTER), UI_ACT_SETTINGS_EDIT},
    {UI_SCOPE_SETTINGS, ' ', UI_ACT_SETTINGS_EDIT},
    {UI_SCOPE_SETTINGS, '/', UI_ACT_SETTINGS_SEARCH},
    {UI_SCOPE_SETTINGS, 'r', UI_ACT_SETTINGS_RESET},
    {UI_SCOPE_SETTINGS, UI_KEY_ESC, UI_ACT_SETTINGS_CLOSE},
    {UI_SCOPE_SETTINGS, 'q', UI_ACT_SETTINGS},

    {UI_SCOPE_PROMPT, '\r', UI_ACT_PROMPT_SUBMIT},
    {UI_SCOPE_PROMPT, '\n', UI_ACT_PROMPT_SUBMIT},
    {UI_SCOPE_PROMPT, UI_KEY_FN(KEY_ENTER), UI_ACT_PROMPT_SUBMIT},
    {UI_SCOPE_PROMPT, UI_KEY_ESC, UI_ACT_CANCEL},
    {UI_SCOPE_PROMPT, UI_KEY_CTRL('g'), UI_ACT_CANCEL},
    {UI_SCOPE_PROMPT, UI_KEY_FN(KEY_BACKSPACE), UI_ACT_PROMPT_BACKSPACE},
    {UI_SCOPE_PROMPT, 0x7f, UI_ACT_PROMPT_BACKSPACE},
    {UI_SCOPE_PROMPT, UI_KEY_CTRL('h'), UI_ACT_PROMPT_BACKSPACE},
    {UI_SCOPE_PROMPT, UI_KEY_FN(KEY_DC), UI_ACT_PROMPT_DELETE},
    {UI_SCOPE_PROMPT, UI_KEY_CTRL('d'), UI_ACT_PROMPT_DELETE},
    {UI_SCOPE_PROMPT, UI_KEY_CTRL('w'), UI_ACT_PROMPT_DELETE_WORD},
    {UI_SCOPE_PROMPT, UI_KEY_CTRL('u'), UI_ACT_PROMPT_CLEAR},
    {UI_SCOPE_PROMPT, UI_KEY_FN(KEY_LEFT), UI_ACT_PROMPT_LEFT},
    {UI_SCOPE_PROMPT, UI_KEY_CTRL('b'), UI_ACT_PROMPT_LEFT},
    {UI_SCOPE_PROMPT, UI_KEY_FN(KEY_RIGHT), UI_ACT_PROMPT_RIGHT},
    {UI_SCOPE_PROMPT, UI_KEY_CTRL('f'), UI_ACT_PROMPT_RIGHT},
    {UI_SCOPE_PROMPT, UI_KEY_FN(KEY_HOME), UI_ACT_PROMPT_HOME},
    {UI_SCOPE_PROMPT, UI_KEY_CTRL('a'), UI_ACT_PROMPT_HOME},
    {UI_SCOPE_PROMPT, UI_KEY_FN(KEY_END), UI_ACT_PROMPT_END},
    {UI_SCOPE_PROMPT, UI_KEY_CTRL('e'), UI_ACT_PROMPT_END},

    {UI_SCOPE_CONFIRM, 'y', UI_ACT_CONFIRM_YES},
    {UI_SCOPE_CONFIRM, 'Y', UI_ACT_CONFIRM_YES},
    {UI_SCOPE_CONFIRM, 'n', UI_ACT_CANCEL},
    {UI_SCOPE_CONFIRM, 'N', UI_ACT_CANCEL},
    {UI_SCOPE_CONFIRM, UI_KEY_ESC, UI_ACT_CANCEL},

    /* No ^S for apply: in cbreak mode the terminal keeps XON/XOFF flow
     * control, and ^S would stop its output. */
    {UI_SCOPE_WLIST, 'j', UI_ACT_WLIST_DOWN},
    {UI_SCOPE_WLIST, UI_KEY_FN(KEY_DOWN), UI_ACT_WLIST_DOWN},
    {UI_SCOPE_WLIST, 'k', UI_ACT_WLIST_UP},
    {UI_SCOPE_WLIST, UI_KEY_FN(KEY_UP), UI_ACT_WLIST_UP},
    {UI_SCOPE_WLIST, 'g', UI_ACT_WLIST_FIRST},
    {UI_SCOPE_WLIST, UI_KEY_FN(KEY_HOME), UI_ACT_WLIST_FIRST},
    {UI_SCOPE_WLIST, 'G', UI_ACT_WLIST_LAST},
    {UI_SCOPE_WLIST, UI_KEY_FN(KEY_END), UI_ACT_WLIST_LAST},
    {UI_SCOPE_WLIST, 'a', UI_ACT_WLIST_ADD},
    {UI_SCOPE_WLIST, UI_KEY_FN(KEY_IC), UI_ACT_WLIST_ADD},
    {UI_SCOPE_WLIST, 'e', UI_ACT_WLIST_EDIT},
    {UI_SCOPE_WLIST, '\r', UI_ACT_WLIST_EDIT},
    {UI_SCOPE_WLIST, '\n', UI_ACT_WLIST_EDIT},
    {UI_SCOPE_WLIST, UI_KEY_FN(KEY_ENTER), UI_ACT_WLIST_EDIT},
    {UI_SCOPE_WLIST, 'd', UI_ACT_WLIST_DELETE},
    {UI_SCOPE_WLIST, UI_KEY_FN(KEY_DC), UI_ACT_WLIST_DELETE},
    {UI_SCOPE_WLIST, 'J', UI_ACT_WLIST_MOVE_DOWN},
    {UI_SCOPE_WLIST, 'K', UI_ACT_WLIST_MOVE_UP},
    {UI_SCOPE_WLIST, ']', UI_ACT_WLIST_TIER_NEXT},
    {UI_SCOPE_WLIST, '>', UI_ACT_WLIST_TIER_NEXT},
    {UI_SCOPE_WLIST, '[', UI_ACT_WLIST_TIER_PREV},
    {UI_SCOPE_WLIST, '<', UI_ACT_WLIST_TIER_PREV},
    {UI_SCOPE_WLIST, '|', UI_ACT_WLIST_TIER_SPLIT},
    {UI_SCOPE_WLIST, 'w', UI_ACT_WLIST_APPLY},
    {UI_SCOPE_WLIST, UI_KEY_ESC, UI_ACT_CANCEL},

    {UI_SCOPE_WSCHED, 'h', UI_ACT_WSCHED_LEFT},
    {UI_SCOPE_WSCHED, UI_KEY_FN(KEY_LEFT), UI_ACT_WSCHED_LEFT},
    {UI_SCOPE_WSCHED, 'l', UI_ACT_WSCHED_RIGHT},
    {UI_SCOPE_WSCHED, UI_KEY_FN(KEY_RIGHT), UI_ACT_WSCHED_RIGHT},
    {UI_SCOPE_WSCHED, 'k', UI_ACT_WSCHED_UP},
    {UI_SCOPE_WSCHED, UI_KEY_FN(KEY_UP), UI_ACT_WSCHED_UP},
    {UI_SCOPE_WSCHED, 'j', UI_ACT_WSCHED_DOWN},
    {UI_SCOPE_WSCHED, UI_KEY_FN(KEY_DOWN), UI_ACT_WSCHED_DOWN},
    {UI_SCOPE_WSCHED, ' ', UI_ACT_WSCHED_TOGGLE},
    {UI_SCOPE_WSCHED, 'r', UI_ACT_WSCHED_DAY},
    {UI_SCOPE_WSCHED, 'c', UI_ACT_WSCHED_HOUR},
    {UI_SCOPE_WSCHED, 'x', UI_ACT_WSCHED_CLEAR},
    {UI_SCOPE_WSCHED, 'w', UI_ACT_WSCHED_APPLY},
    {UI_SCOPE_WSCHED, UI_KEY_ESC, UI_ACT_CANCEL},
};

#define N_DEFAULTS (sizeof default_bindings / sizeof default_bindings[0])
#define MAX_BINDINGS 256 /* the defaults (about 140) and room to rebind */

static struct binding bindings[MAX_BINDINGS];
static size_t n_bindings;
static bool loaded;

static void ensure_loaded(void)
{
    if (!loaded) ui_keymap_reset();
}

void ui_keymap_reset(void)
{
    n_bindings = 0;
    for (size_t i = 0; i < N_DEFAULTS; i++) {
        bindings[n_bindings++] = default_bindings[i];
        if (default_bindings[i].action != UI_ACT_TAB_PREV) continue;
        for (size_t t = 0; t < ui_n_tabs && t < UI_TABS_MAX; t++)
            bindings[n_bindings++] = (struct binding){UI_SCOPE_LIST, (int)('1' + t), UI_ACT_TAB(t)};
    }
    loaded = true;
}

enum ui_action ui_keymap_lookup(enum ui_scope scope, int key)
{
    ensure_loaded();
    for (size_t i = 0; i < n_bindings; i++)
        if (bindings[i].scope == scope && bindings[i].key == key) return bindings[i].action;
    return UI_ACT_NONE;
}

int ui_keymap_bind(enum ui_scope scope, int key, enum ui_action action)
{
    ensure_loaded();
    if ((int)action < 0 || action >= UI_ACT__COUNT) return -EINVAL;
    for (size_t i = 0; i < n_bindings; i++) {
        if (bindings[i].scope != scope || bindings[i].key != key) continue;
        if (action == UI_ACT_NONE) {
            memmove(&bindings[i], &bindings[i + 1], (n_bindings - i - 1) * sizeof bindings[0]);
            n_bindings--;
        } else {
            bindings[i].action = action;
        }
        return 0;
    }
    if (action == UI_ACT_NONE) return 0;
    if (n_bindings == MAX_BINDINGS) return -ENOSPC;
    bindings[n_bindings++] = (struct binding){scope, key, action};
    return 0;
}

const struct ui_action_info *ui_keymap_action_at(size_t i)
{
    tab_actions();
    return i < n_all_actions ? &all_actions[i] : NULL;
}

static const struct {
    int key;
    const char *label;
} fn_names[] = {
    {KEY_UP, "Up"},          {KEY_DOWN, "Down"},     {KEY_LEFT, "Left"},
    {KEY_RIGHT, "Right"},    {KEY_NPAGE, "PgDn"},    {KEY_PPAGE, "PgUp"},
    {KEY_HOME, "Home"},      {KEY_END, "End"},       {KEY_BACKSPACE, "Backspace"},
    {KEY_DC, "Delete"},      {KEY_IC, "Insert"},     {KEY_ENTER, "Enter"},
    {KEY_BTAB, "Shift-Tab"}, {KEY_RESIZE, "Resize"},
};

size_t ui_key_label(int key, char *buf, size_t n)
{
    if (n == 0) return 0;
    const char *name = NULL;
    if (UI_KEY_IS_FN(key)) {
        int k = key & ~UI_KEY_FN_BIT;
        for (size_t i = 0; i < sizeof fn_names / sizeof fn_names[0]; i++)
            if (fn_names[i].key == k) name = fn_names[i].label;
        if (!name && k >= KEY_F0 && k <= KEY_F(63)) {
            snprintf(buf, n, "F%d", k - KEY_F0);
            return strlen(buf);
        }
        if (!name) name = "?";
    } else if (key == '\r' || key == '\n') {
        name = "Enter";
    } else if (key == UI_KEY_ESC) {
        name = "Esc";
    } else if (key == '\t') {
        name = "Tab";
    } else if (key == 0x7f || key == UI_KEY_CTRL('h')) {
        name = "Backspace";
    } else if (key == ' ') {
        name = "Space";
    } else if (key >= 0 && key < 0x20) {
        snprintf(buf, n, "^%c", key + '@');
        return strlen(buf);
    } else if (key >= 0x20 && key <= 0x10ffff) {
        char u[5];
        size_t l = util_utf8_encode((unsigned)key, u);
        u[l] = '\0';
        snprintf(buf, n, "%s", u);
        return strlen(buf);
    } else {
        name = "?";
    }
    snprintf(buf, n, "%s", name);
    return strlen(buf);
}

size_t ui_keymap_keys_for(enum ui_scope scope, enum ui_action action, char *buf, size_t n)
{
    ensure_loaded();
    if (n == 0) return 0;
    buf[0] = '\0';
    size_t len = 0;
    for (size_t i = 0; i < n_bindings; i++) {
        if (bindings[i].scope != scope || bindings[i].action != action) continue;
        char label[32];
        ui_key_label(bindings[i].key, label, sizeof label);
        /* Enter is bound as ^M, ^J and KEY_ENTER: say it once. */
        bool dup = false;
        for (size_t j = 0; j < i && !dup; j++) {
            char other[32];
            if (bindings[j].scope == scope && bindings[j].action == action) {
                ui_key_label(bindings[j].key, other, sizeof other);
                dup = strcmp(label, other) == 0;
            }
        }
        if (dup) continue;
        int r = snprintf(buf + len, n - len, "%s%s", len ? ", " : "", label);
        if (r < 0 || (size_t)r >= n - len) {
            buf[len] = '\0';
            break;
        }
        len += (size_t)r;
    }
    return len;
}
