/*
 * keymap.h — the UI's one table of key bindings (private to src/ui/).
 *
 * Every key the UI reacts to is a row of the binding table: (scope, key,
 * action). Dispatch looks keys up here, and the help overlay is generated
 * from the same rows, so what `?` shows is what the keys do. Rebinding
 * (later: from the store and the settings editor) edits the table.
 *
 * Keys are ints: a Unicode code point for a character key (control keys
 * are their code, ^U is 0x15, Esc 0x1b), or UI_KEY_FN(KEY_xxx) for an
 * ncurses function key, so the two ranges never collide.
 *
 * Thread-safety: loop thread only (the table is a static, mutable array).
 */
#ifndef SPATE_UI_KEYMAP_H
#define SPATE_UI_KEYMAP_H

#include <stddef.h>

#define UI_KEY_FN_BIT 0x40000000
#define UI_KEY_FN(k) (UI_KEY_FN_BIT | (k))
#define UI_KEY_IS_FN(k) (((k)&UI_KEY_FN_BIT) != 0)
#define UI_KEY_CTRL(c) ((c)&0x1f)
#define UI_KEY_ESC 0x1b

/* Where a binding applies: the list (and the overlays over it), the
 * settings editor, a text prompt, or a y/n confirmation. The settings
 * editor looks a key up in its own scope first, then in the list's (for
 * moving, help and redraw; the torrent commands do nothing there). The
 * settings editor's list editor and schedule grid (wlist.c,
 * wsched.c) look keys up in their own scope only; of the list's
 * they take help and redraw. */
enum ui_scope {
    UI_SCOPE_LIST,
    UI_SCOPE_PROMPT,
    UI_SCOPE_CONFIRM,
    UI_SCOPE_SETTINGS,
    UI_SCOPE_WLIST,  /* the list editor (host:port, CIDR, URL lists, tags) */
    UI_SCOPE_WSCHED, /* the weekly schedule grid */
    /* the detail tabs, when the detail area has the focus (Enter): their own
     * scope first, then the list's moving keys */
    UI_SCOPE_DETAIL, /* keys of every tab: back to the list, zoom */
    UI_SCOPE_PEERS,
    UI_SCOPE_TRACKERS,
    UI_SCOPE_FILES,
};

enum ui_action {
    UI_ACT_NONE,
    /* moving in a list (also scrolls the help overlay) */
    UI_ACT_UP,
    UI_ACT_DOWN,
    UI_ACT_PAGE_UP,
    UI_ACT_PAGE_DOWN,
    UI_ACT_HOME,
    UI_ACT_END,
    /* commands on torrents */
    UI_ACT_ADD,
    UI_ACT_PAUSE_TOGGLE,
    UI_ACT_REMOVE,
    UI_ACT_REMOVE_DATA,
    UI_ACT_TORRENT_SETTINGS, /* the settings editor for the selected torrent */
    UI_ACT_FILTER,           /* show only a category's or a tag's torrents */
    UI_ACT_START,            /* resume (rtorrent ^S) */
    UI_ACT_STOP,             /* pause (rtorrent ^D) */
    UI_ACT_CLOSE,            /* remove, data kept, after asking (rtorrent ^K) */
    UI_ACT_RECHECK,          /* verify the data (rtorrent ^R) */
    UI_ACT_REANNOUNCE,       /* announce to the trackers now */
    UI_ACT_QUEUE_UP,         /* queue position up (rtorrent +) */
    UI_ACT_QUEUE_DOWN,       /* queue position down (rtorrent -) */
    /* the torrent list */
    UI_ACT_MARK,      /* mark / unmark the selected torrent (batch operations) */
    UI_ACT_MARK_ALL,  /* mark every torrent shown, or unmark all */
    UI_ACT_SEARCH,    /* incremental filter by name */
    UI_ACT_SORT_NEXT, /* sort by the next column */
    UI_ACT_SORT_REVERSE,
    UI_ACT_VIEW_NEXT, /* all, downloading, seeding, paused, finished, error, active */
    UI_ACT_VIEW_PREV,
    /* the detail area */
    UI_ACT_TAB_NEXT,
    UI_ACT_TAB_PREV,
    /* "show tab i": one action per entry of ui_tabs[] (ui_int.h), named and
     * bound to the key '1' + i from that table; UI_ACT_TAB(i) */
    UI_ACT_TAB_FIRST,
    UI_ACT_TAB_LAST = UI_ACT_TAB_FIRST + 8,
    UI_ACT_ZOOM, /* the detail area takes the keys and the whole screen, or gives them back */
    UI_ACT_DETAIL_CLOSE, /* back to the list */
    /* the trackers tab */
    UI_ACT_TRACKER_ADD,
    UI_ACT_TRACKER_EDIT,
    UI_ACT_TRACKER_REMOVE,
    UI_ACT_TRACKER_REANNOUNCE,
    /* the files tab */
    UI_ACT_FILE_OPEN, /* collapse or expand a directory */
    UI_ACT_FILE_PRIO_UP,
    UI_ACT_FILE_PRIO_DOWN,
    UI_ACT_FILE_SKIP, /* skip, or download again at normal priority */
    UI_ACT_FILE_SEQUENTIAL,
    UI_ACT_FILE_FIRST_LAST,

    /* general */
    UI_ACT_HELP,
    UI_ACT_REDRAW,
    UI_ACT_CANCEL,
    UI_ACT_QUIT,
    UI_ACT_SETTINGS,  /* open (or close) the settings editor */
    UI_ACT_ALT_SPEED, /* alternative speed limits on/off (spate.alt_speed) */
    /* the settings editor */
    UI_ACT_SETTINGS_EDIT,
    UI_ACT_SETTINGS_SEARCH,
    UI_ACT_SETTINGS_RESET,
    UI_ACT_SETTINGS_CLOSE,
    /* text prompts */
    UI_ACT_PROMPT_SUBMIT,
    UI_ACT_PROMPT_BACKSPACE,
    UI_ACT_PROMPT_DELETE,
    UI_ACT_PROMPT_CLEAR,
    UI_ACT_PROMPT_DELETE_WORD,
    UI_ACT_PROMPT_LEFT,
    UI_ACT_PROMPT_RIGHT,
    UI_ACT_PROMPT_HOME,
    UI_ACT_PROMPT_END,
    /* confirmations */
    UI_ACT_CONFIRM_YES,
    /* the list editor (UI_SCOPE_WLIST) */
    UI_ACT_WLIST_DOWN,
    UI_ACT_WLIST_UP,
    UI_ACT_WLIST_FIRST,
    UI_ACT_WLIST_LAST,
    UI_ACT_WLIST_ADD,
    UI_ACT_WLIST_EDIT,
    UI_ACT_WLIST_DELETE,
    UI_ACT_WLIST_MOVE_DOWN,
    UI_ACT_WLIST_MOVE_UP,
    UI_ACT_WLIST_TIER_NEXT,
    UI_ACT_WLIST_TIER_PREV,
    UI_ACT_WLIST_TIER_SPLIT,
    UI_ACT_WLIST_APPLY,
    /* the schedule grid (UI_SCOPE_WSCHED) */
    UI_ACT_WSCHED_LEFT,
    UI_ACT_WSCHED_RIGHT,
    UI_ACT_WSCHED_UP,
    UI_ACT_WSCHED_DOWN,
    UI_ACT_WSCHED_TOGGLE,
    UI_ACT_WSCHED_DAY,
    UI_ACT_WSCHED_HOUR,
    UI_ACT_WSCHED_CLEAR,
    UI_ACT_WSCHED_APPLY,
    UI_ACT__COUNT
};

/* The detail tabs: at most 9 (keys 1..9); action UI_ACT_TAB(i) shows tab i,
 * ui_tab_of(a) is i, or -1 when a shows no tab. */
#define UI_TABS_MAX (UI_ACT_TAB_LAST - UI_ACT_TAB_FIRST + 1)
#define UI_ACT_TAB(i) ((enum ui_action)(UI_ACT_TAB_FIRST + (i)))
static inline int ui_tab_of(enum ui_action a)
{
    return a >= UI_ACT_TAB_FIRST && a <= UI_ACT_TAB_LAST ? (int)(a - UI_ACT_TAB_FIRST) : -1;
}

/* What an action is, for help and (later) for rebinding by name. */
struct ui_action_info {
    enum ui_action action;
    enum ui_scope scope; /* the scope its keys are looked up in */
    const char *name;    /* stable name for config files: "remove-data" */
    const char *group;   /* help section: "Move", "Torrent", ... */
    const char *help;    /* one line for the help overlay */
};

/* The action bound to `key` in `scope`, or UI_ACT_NONE. */
enum ui_action ui_keymap_lookup(enum ui_scope scope, int key);

/* Binds `key` in `scope` to `action`, replacing any binding of that key
 * there; UI_ACT_NONE removes it. Returns 0 or -ENOSPC when the table is
 * full, -EINVAL for an out-of-range action. */
int ui_keymap_bind(enum ui_scope scope, int key, enum ui_action action);

/* Restores the built-in bindings. */
void ui_keymap_reset(void);

/* The actions in help order; NULL past the end. Borrowed, static. */
const struct ui_action_info *ui_keymap_action_at(size_t i);

/* Name of a key as help shows it: "j", "^U", "Esc", "Enter", "PgDn".
 * Returns strlen(buf). */
size_t ui_key_label(int key, char *buf, size_t n);

/* All keys bound to `action` in `scope`, comma separated, in table order
 * and without duplicate labels ("j, Down"); "" when unbound. Returns
 * strlen(buf). */
size_t ui_keymap_keys_for(enum ui_scope scope, enum ui_action action, char *buf, size_t n);

#endif
