/*
 * ui_int.h — what the files of src/ui/ share (private to src/ui/).
 *
 * Screen layout, top to bottom (the split: layout.c):
 *
 *   w_list    the torrent list                           (pane_torrents.c)
 *   w_tabs    one line: "1 Peers  2 Trackers  3 Files  4 Info  5 Health"
 *   w_detail  the current tab: a pane of its own        (pane_peers.c ...)
 *   w_status  one line: rates, counts, free space, mount, port
 *                                                           (statusbar.c)
 *   w_msg     one line: the last message, a prompt or a y/n (statusbar.c,
 *             prompt.c)
 *
 *   w_main    all the rows above w_status: the settings editors draw
 *             there instead of list, tabs and details, and the help
 *             overlay (w_help, help.c) is centred on it.
 *
 * Zoomed (Enter on the list: u->detail_focus), the tab bar and the
 * detail area take all the rows above w_status and the keys; short
 * terminals show the list alone until then.
 *
 * Every frame redraws every window from the engine's table with werase +
 * wnoutrefresh and one doupdate(): ncurses sends only the cells that
 * changed, so nothing flickers. Nothing else may write to the terminal.
 *
 * Names: a file is named after its functions' prefix: ui_wlist_* live in
 * wlist.c, ui_wsched_* in wsched.c, ui_ftree_* in ftree.c, ui_set_* in
 * set.c, ui_list_* in list.c; a pane file pane_X.c exports its class
 * ui_pane_X and any ui_pane_X_* functions.
 *
 * Thread-safety: loop thread only.
 */
#ifndef SPATE_INTERNAL_UI
#error                                                                                             \
    "ui/ui_int.h is private to src/ui/ (docs/architecture.md); a unit test that needs it defines SPATE_INTERNAL_UI"
#endif
#ifndef SPATE_UI_INT_H
#define SPATE_UI_INT_H

#include <curses.h>
#include <stdbool.h>
#include <stdint.h>
#include <uv.h>
#include <wchar.h>

#include "engine/engine.h"
#include "ui/keymap.h"
#include "ui/layout.h"
#include "ui/ui.h"

struct ui;

/* ---- panes ------------------------------------------------------------------ */

/* A pane draws into a window it is given and handles the actions that
 * concern it. Panes keep view state only (selection, scroll), never copies
 * of torrents: they read the engine's table on each draw. A pane is a
 * const class (what every pane of its kind does) and an instance that
 * starts with `struct ui_pane` (its view state): each pane file exports
 * its class, htop's PanelClass. */
struct ui_pane;
struct ui_pane_class {
    const char *title; /* the tab bar's label ("Peers") */
    /* The keymap scope of the pane's own keys (UI_SCOPE_PEERS, ...), or -1
     * for none; for a detail tab, the keys are looked up there first. */
    int scope;
    /* Detail tabs: the name of the action that shows the tab ("tab-peers",
     * for spate.keys) and its line in the help overlay. */
    const char *action;
    const char *help;
    /* Makes an instance; NULL when out of memory. (The settings editor
     * has a constructor of its own, ui_pane_settings_new.) */
    struct ui_pane *(*new)(void);
    /* Draws into w (already erased), using all of it. */
    void (*draw)(struct ui_pane *p, struct ui *u, WINDOW *w);
    /* Handles an action; returns true if it did (then the frame is redrawn). */
    bool (*on_action)(struct ui_pane *p, struct ui *u, enum ui_action a);
    /* Optional (NULL: none): sees each key first, before the keymap, for
     * an overlay with a keymap scope of its own (the settings editor's
     * list editor and schedule grid); returns true if it took the key. */
    bool (*on_key)(struct ui_pane *p, struct ui *u, int key);
    void (*free)(struct ui_pane *p);
};

struct ui_pane {
    const struct ui_pane_class *cls;
};

/* ---- the detail area: tabs below the list --------------------------------
 * Each tab is a pane in a file of its own, which exports its class; the
 * table ui_tabs[] (ui.c) lists them in tab-bar order, and everything else
 * (the tab bar, the keys 1..9 with their "tab-NAME" actions in the keymap
 * and the help overlay, the scope its keys are looked up in) comes from
 * it. draw() gets the detail window (any size down to 3 lines x 20
 * columns; the whole screen but the status lines and the tab bar when
 * zoomed) and shows the torrent ui_selected_id() names (or says there is
 * none). on_action() gets the tab's own scope's actions and the moving
 * actions (UI_ACT_UP ... UI_ACT_END) while the detail area has the focus
 * (ui_detail_focused). Tabs keep view state only (scroll, the cursor,
 * which directories are collapsed), keyed by the torrent id so a new
 * selection starts fresh. */
extern const struct ui_pane_class ui_pane_peers;    /* pane_peers.c */
extern const struct ui_pane_class ui_pane_trackers; /* pane_trackers.c */
extern const struct ui_pane_class ui_pane_files;    /* pane_files.c */
extern const struct ui_pane_class ui_pane_info;     /* pane_info.c */
extern const struct ui_pane_class ui_pane_health;   /* pane_health.c */

/* The detail tabs in tab-bar order (ui.c): ui_n_tabs of them, at most
 * UI_TABS_MAX (keymap.h). Tab i is shown by action UI_ACT_TAB(i). */
extern const struct ui_pane_class *const ui_tabs[];
extern const size_t ui_n_tabs;

/* The torrent the detail area shows: the list's selection, 0 if none. */
int ui_selected_id(struct ui *u);
/* Whether the detail area has the keys (after Enter, until Esc). */
bool ui_detail_focused(const struct ui *u);

/* The torrent list (pane_torrents.c). */
struct ui_pane *ui_pane_torrents_new(void);

/* Id of the selected torrent, 0 when the list (as filtered) is empty. */
int ui_pane_torrents_selected(struct ui_pane *p, const struct eng *e);
/* Moves the selection to torrent `id` (e.g. just added); to its
 * neighbour if the filter hides it. */
void ui_pane_torrents_select(struct ui_pane *p, int id);
/* The engine's table changed (a torrent added, removed or updated): the
 * list rebuilds its sorted, filtered view of ids before its next use. */
void ui_pane_torrents_changed(struct ui_pane *p);
/* Sets the sort order from spate.ui_sort's text ("name", "name:desc");
 * 0, or -EINVAL (then the default order, queue ascending). */
int ui_pane_torrents_set_sort(struct ui_pane *p, const char *spec);
/* The torrents a command acts on: the marked ones (that still exist) when
 * any are marked, else the selected one. Returns a malloc'd array of *n
 * ids (caller frees), NULL with *n 0 when there is none (or no memory). */
int *ui_pane_torrents_targets(struct ui_pane *p, const struct eng *e, size_t *n);
/* How many torrents are marked. */
size_t ui_pane_torrents_marked(struct ui_pane *p);
/* A click on line y of the list's window: selects the torrent there;
 * false if there is none. */
bool ui_pane_torrents_click(struct ui_pane *p, struct ui *u, int y);

/* The torrent commands (commands.c): UI_ACT_PAUSE_TOGGLE, START, STOP,
 * CLOSE, REMOVE, REMOVE_DATA, RECHECK, REANNOUNCE, QUEUE_UP, QUEUE_DOWN on
 * the targets above; the removing ones ask first (ui_ask, with the ids in
 * u->confirm_ids when there are several). Returns false for any other
 * action. */
bool ui_cmd_torrents(struct ui *u, enum ui_action a);
/* `y` to that question: removes torrent `id`, or u->confirm_ids. */
void ui_cmd_confirmed(struct ui *u, enum ui_action a, int id);

/* ---- themes ----------------------------------------------------------------- */

/* Things drawn on screen; the theme maps each to attributes. */
enum ui_elem {
    UI_EL_NORMAL,
    UI_EL_HEADER,
    UI_EL_SELECTED,
    UI_EL_EMPTY,
    UI_EL_STATUS,
    UI_EL_MSG,
    UI_EL_MSG_ERROR,
    UI_EL_MSG_WARN,
    UI_EL_PROMPT,
    UI_EL_BAR,
    UI_EL_STATE_ACTIVE, /* downloading */
    UI_EL_STATE_SEED,   /* seeding, finished */
    UI_EL_STATE_IDLE,   /* paused, queued */
    UI_EL_STATE_BUSY,   /* checking, metadata */
    UI_EL_STATE_ERROR,
    UI_EL_HELP,
    UI_EL_HELP_TITLE,
    UI_EL_HELP_KEY,
    UI_EL__COUNT
};

/* Loads the theme spate.theme names (theme.c, theme.h: "mono" when
 * NO_COLOR is set or the terminal has fewer than 8 colours) and sets up
 * its colour pairs; after newterm. Does nothing while that name stays the
 * same, so it may run on every ENG_EV_SETTINGS. A theme that cannot be
 * loaded: the default one, and a negative error with a one-line message
 * for the message line in err. */
int ui_theme_init(struct eng *e, char *err, size_t errlen);
/* Attributes (colour pair included) to draw element e with. */
attr_t ui_attr(enum ui_elem e);
/* The element for a torrent's state column. */
enum ui_elem ui_state_elem(const struct eng_torrent *t);

/* ---- prompt ----------------------------------------------------------------- */

#define UI_PROMPT_MAX 8192 /* characters; a magnet with many trackers fits */

/* A one-line text editor on the message line (prompt.c). */
struct ui_prompt {
    char label[256];
    wchar_t text[UI_PROMPT_MAX];
    size_t len;    /* characters in text */
    size_t cursor; /* 0..len */
    size_t first;  /* first character shown (horizontal scroll) */
    bool masked;   /* draw '*' for every character (secrets) */
};

enum ui_prompt_result { UI_PROMPT_EDITING, UI_PROMPT_SUBMIT, UI_PROMPT_CANCEL };

/* Starts an empty, unmasked prompt; set p->masked after it for a secret. */
void ui_prompt_start(struct ui_prompt *p, const char *label);
/* Replaces the text with `utf8` (invalid bytes become U+FFFD, cut at
 * UI_PROMPT_MAX characters), cursor at the end. */
void ui_prompt_set_text(struct ui_prompt *p, const char *utf8);
/* Feeds one key (see keymap.h for the encoding). */
enum ui_prompt_result ui_prompt_key(struct ui_prompt *p, int key);
/* The text as UTF-8 into buf (cut at a character boundary). */
void ui_prompt_text(const struct ui_prompt *p, char *buf, size_t n);
/* Draws label and text into w and leaves w's cursor at the edit point. */
void ui_prompt_draw(struct ui_prompt *p, WINDOW *w);

/* ---- the settings editor ---------------------------------------------------- */

/* The settings editor (pane_settings.c): the registry's keys of `scope`,
 * grouped, with search and editing. REG_SESSION: the session's settings
 * (the profile); REG_TORRENT: one torrent's settings, the torrent set with
 * ui_pane_settings_open(). Its keys are looked up in UI_SCOPE_SETTINGS
 * first, then UI_SCOPE_LIST. */
struct ui_pane *ui_pane_settings_new(unsigned scope);
/* Points a REG_TORRENT editor at torrent `id` (the search and the
 * selected key stay). */
void ui_pane_settings_open(struct ui_pane *p, int id);
/* The prompt it opened (u->prompt_for SETTING or SEARCH) got a key with
 * result r; u->mode is already back to normal unless r is EDITING. */
void ui_pane_settings_prompt(struct ui_pane *p, struct ui *u, enum ui_prompt_result r);
/* The user confirmed resetting registry key number `key_index`. */
void ui_pane_settings_reset(struct ui_pane *p, struct ui *u, int key_index);

/* The filter prompt the torrent list opened (u->prompt_for FILTER) got a
 * key with result r: the filter follows the text as it is typed; Esc or
 * an empty text clears it. */
void ui_pane_torrents_prompt(struct ui_pane *p, struct ui *u, enum ui_prompt_result r);

/* ---- the UI ----------------------------------------------------------------- */

enum ui_mode {
    UI_MODE_NORMAL,
    UI_MODE_PROMPT,  /* a prompt on the message line (see prompt_for) */
    UI_MODE_CONFIRM, /* a y/n question on the message line */
    UI_MODE_HELP,    /* the help overlay */
};

/* What the open prompt is for. */
enum ui_prompt_for {
    UI_PROMPT_FOR_ADD,     /* a .torrent path or magnet link */
    UI_PROMPT_FOR_SETTING, /* a setting's new value (pane_settings.c) */
    UI_PROMPT_FOR_SEARCH,  /* the settings editor's search, applied per key */
    UI_PROMPT_FOR_FILTER,  /* the torrent list's filter, applied per key */
    UI_PROMPT_FOR_NAME,    /* the torrent list's name filter (/), applied per key */
};

#define UI_MAX_PANES 8
#define UI_MSG_LEN 512

struct ui_add_req;
struct ui_free_job;
struct ui {
    struct ui_add_req *add_req; /* ui.c: an add whose .torrent is being read, or NULL */
    uv_loop_t *loop;
    struct eng *eng;
    void (*on_quit)(void *ud);
    void *ud;

    SCREEN *scr;
    int in_fd;       /* what the uv_poll watches: a second open of the tty */
    int in_fd_flags; /* -1, or stdin's flags to restore (polled directly) */
    uv_poll_t input;
    uv_signal_t winch;
    uv_timer_t tick;   /* the once-a-second redraw */
    uv_timer_t redraw; /* coalesces redraw requests */
    int open_handles;  /* freed when the last close callback ran */
    bool closing;      /* ui_free() called, or the user quit */
    bool quit_called;
    bool listening; /* engine_cb is registered with the engine */
    uint64_t last_draw_ms;

    int rows, cols;
    bool too_small;
    WINDOW *w_main, *w_status, *w_msg, *w_help;
    WINDOW *w_list, *w_tabs, *w_detail; /* NULL when not shown */
    bool cursor_shown;
    struct ui_tabbar tabbar; /* the tab bar's labels at the last draw, for clicks */

    enum ui_mode mode;
    struct ui_prompt prompt;
    enum ui_prompt_for prompt_for;
    enum ui_action confirm_action; /* what `y` does */
    int confirm_id;                /* on which torrent (or registry key) */
    int *confirm_ids;              /* or on these torrents (owned, NULL: just confirm_id) */
    size_t n_confirm_ids;
    char confirm_text[UI_MSG_LEN];
    int help_top; /* first help line shown */

    struct ui_pane *panes[UI_MAX_PANES];
    size_t n_panes;
    size_t focus;
    struct ui_pane *torrents;
    struct ui_pane *settings;          /* the session's */
    struct ui_pane *tsettings;         /* one torrent's (e) */
    bool detail_focus;                 /* the detail area has the keys (Enter .. Esc) */
    struct ui_pane *tabs[UI_TABS_MAX]; /* ui_tabs[]' instances (NULL: could not be made) */
    int tab;                           /* the current one, an index of ui_tabs[] */

    char *keys_spec;              /* spate.keys as last applied (owned) */
    char sort_spec[64];           /* spate.ui_sort as last applied */
    int64_t free_bytes;           /* under the download dir, -1 unknown (statusbar.c) */
    uint64_t free_ms;             /* when it was read, 0 never */
    struct ui_free_job *free_job; /* statusbar.c: the read in flight, or NULL */

    char msg[UI_MSG_LEN];
    bool msg_error;
    bool msg_warn;   /* a warning (e.g. a value was clamped), not an error */
    uint64_t msg_ms; /* when it was set (uv_now) */
};

/* Sets the message line ("added 3", an error). Newlines become spaces. */
void ui_msg(struct ui *u, bool error, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* The same, as a warning: something was done, but not quite as asked. */
void ui_warn(struct ui *u, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Opens a y/n question on the message line; `y` runs action a on id
 * (a torrent id, or for UI_ACT_SETTINGS_RESET a registry index). Drops
 * u->confirm_ids of an earlier question. */
void ui_ask(struct ui *u, enum ui_action a, int id, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Shows pane p (one of u->panes) in w_main. */
void ui_focus(struct ui *u, struct ui_pane *p);

/* Asks for a redraw soon (coalesced to at most one frame per ~100 ms). */
void ui_mark_dirty(struct ui *u);

/* Status and message lines (statusbar.c). */
void ui_statusbar_draw(struct ui *u, WINDOW *w);
/* At ui_free: detaches the free-space read in flight (it frees itself). */
void ui_statusbar_stop(struct ui *u);
void ui_msgline_draw(struct ui *u, WINDOW *w);

/* The help overlay (help.c): draws it over w_main, creating u->w_help;
 * ui_help_action scrolls or closes it. */
void ui_help_draw(struct ui *u);
void ui_help_close(struct ui *u);
bool ui_help_action(struct ui *u, enum ui_action a);

/* Draws `s` (UTF-8) at the cursor, cut to `cols` columns, padded with
 * spaces when pad is set; returns the columns used. */
int ui_put(WINDOW *w, const char *s, int cols, bool pad);
/* A bh x bw box at (y, x) of w in attr: border lines, blank inside (the
 * overlays: enum picker, list editor, schedule grid). */
void ui_draw_box(WINDOW *w, int y, int x, int bh, int bw, attr_t attr);

#endif
