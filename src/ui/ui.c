/*
 * ui.c — the UI's lifecycle, its place in the libuv loop, and dispatch.
 *
 * Input: a uv_poll on the terminal; when it is readable we drain every
 * pending key with wget_wch() in nodelay mode, dispatch each through the
 * keymap, then draw once. Resizes: SIGWINCH through a uv_signal (and
 * KEY_RESIZE, should ncurses report one). Redraws: a 1 s timer, engine
 * events, and input; requests are coalesced so at most one frame is drawn
 * per ~100 ms except right after a key, which is drawn at once.
 *
 * Panes: the torrent list, the settings editor (pane_settings.c) and the
 * same editor for the selected torrent's settings (`S`), one shown at a
 * time. In an editor a key is looked up in the settings scope first, then
 * in the list's; the editor swallows the torrent commands. A pane's
 * on_key sees each key before that (the editor's list editor and
 * schedule grid, with keymap scopes of their own).
 *
 * The poll watches a second open of the tty rather than fd 0 itself:
 * uv_poll_init() makes its fd non-blocking, and O_NONBLOCK on the shared
 * stdin would outlive us in the user's shell. Only when that open fails do
 * we poll fd 0 and restore its flags on the way out.
 *
 * Terminal safety: `curses_on` says whether the terminal is in curses mode;
 * ui_free() and ui_emergency_restore() put it back.
 */
#include "ui/ui_int.h"

#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "engine/registry.h"
#include "ui/format.h"

#define TICK_MS 1000
#define FRAME_MS 100
#define ESC_DELAY_MS 25

/* For ui_emergency_restore() from a signal handler, and for the engine
 * listener, which cannot be unregistered and may outlive the UI. */
static volatile sig_atomic_t curses_on;
static struct ui *live_ui;
static int stdin_flags = -1; /* stdin's flags to restore, when we polled it */

static void draw(struct ui *u);

/* ---- helpers shared by the other files --------------------------------------- */

int ui_put(WINDOW *w, const char *s, int cols, bool pad)
{
    char buf[4096];
    if (cols <= 0) return 0;
    int used = pad ? ui_fmt_fit(buf, sizeof buf, s, cols, false)
                   : ui_fmt_truncate(buf, sizeof buf, s, cols);
    waddstr(w, buf);
    return used;
}

/* Drops an incomplete UTF-8 sequence left at the end of s by a cut. */
static void trim_partial_utf8(char *s)
{
    size_t len = strlen(s), i = len, back = 0;
    while (i > 0 && back < 4 && ((unsigned char)s[i - 1] & 0xc0) == 0x80)
        i--, back++;
    if (i == 0) return;
    unsigned char lead = (unsigned char)s[i - 1];
    size_t need = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1;
    if (lead >= 0xc0 && back + 1 < need) s[i - 1] = '\0';
}

static void set_msg(struct ui *u, bool error, bool warn, const char *fmt, va_list ap)
{
    int r = vsnprintf(u->msg, sizeof u->msg, fmt, ap);
    if (r >= (int)sizeof u->msg) trim_partial_utf8(u->msg);
    for (char *p = u->msg; *p; p++)
        if (*p == '\n' || *p == '\r' || *p == '\t') *p = ' ';
    u->msg_error = error;
    u->msg_warn = warn;
    u->msg_ms = uv_now(u->loop);
    ui_mark_dirty(u);
}

void ui_msg(struct ui *u, bool error, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    set_msg(u, error, false, fmt, ap);
    va_end(ap);
}

void ui_warn(struct ui *u, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    set_msg(u, false, true, fmt, ap);
    va_end(ap);
}

void ui_focus(struct ui *u, struct ui_pane *p)
{
    for (size_t i = 0; i < u->n_panes; i++)
        if (u->panes[i] == p) u->focus = i;
    ui_mark_dirty(u);
}

static void redraw_cb(uv_timer_t *t)
{
    struct ui *u = t->data;
    draw(u);
}

void ui_mark_dirty(struct ui *u)
{
    if (u->closing || uv_is_active((uv_handle_t *)&u->redraw)) return;
    uint64_t now = uv_now(u->loop);
    uint64_t due = u->last_draw_ms + FRAME_MS;
    uv_timer_start(&u->redraw, redraw_cb, due > now ? due - now : 0, 0);
}

/* ---- layout and drawing --------------------------------------------------------- */

static void delete_windows(struct ui *u)
{
    ui_help_close(u);
    WINDOW **ws[] = {&u->w_main, &u->w_status, &u->w_msg};
    for (size_t i = 0; i < sizeof ws / sizeof ws[0]; i++) {
        if (*ws[i]) delwin(*ws[i]);
        *ws[i] = NULL;
    }
}

static void layout(struct ui *u)
{
    delete_windows(u);
    u->rows = LINES;
    u->cols = COLS;
    u->too_small = u->rows < 4 || u->cols < 20;
    if (u->too_small) {
        u->w_main = newwin(u->rows > 0 ? u->rows : 1, u->cols > 0 ? u->cols : 1, 0, 0);
    } else {
        u->w_main = newwin(u->rows - 2, u->cols, 0, 0);
        u->w_status = newwin(1, u->cols, u->rows - 2, 0);
        u->w_msg = newwin(1, u->cols, u->rows - 1, 0);
    }
    if (u->w_main) leaveok(u->w_main, TRUE);
    if (u->w_status) leaveok(u->w_status, TRUE);
}

static void draw(struct ui *u)
{
    if (u->closing || !curses_on) return;
    uv_timer_stop(&u->redraw);
    u->last_draw_ms = uv_now(u->loop);

    /* stdscr is never drawn on; refreshing it keeps it untouched, so that
     * wget_wch(stdscr) never repaints the screen with it. */
    wnoutrefresh(stdscr);
    if (!u->w_main) return;
    bool want_cursor = false;
    werase(u->w_main);
    if (u->too_small) {
        wmove(u->w_main, 0, 0);
        ui_put(u->w_main, "terminal too small", getmaxx(u->w_main), false);
        wnoutrefresh(u->w_main);
    } else {
        struct ui_pane *p = u->panes[u->focus];
        p->draw(p, u, u->w_main);
        wnoutrefresh(u->w_main);
        werase(u->w_status);
        ui_statusbar_draw(u, u->w_status);
        wnoutrefresh(u->w_status);
        if (u->mode == UI_MODE_HELP) ui_help_draw(u);
        /* Last, so the terminal's cursor ends at the prompt's. */
        werase(u->w_msg);
        ui_msgline_draw(u, u->w_msg);
        want_cursor = u->mode == UI_MODE_PROMPT;
        leaveok(u->w_msg, want_cursor ? FALSE : TRUE);
        wnoutrefresh(u->w_msg);
    }
    if (want_cursor != u->cursor_shown) {
        curs_set(want_cursor ? 1 : 0);
        u->cursor_shown = want_cursor;
    }
    doupdate();
}

static void resize(struct ui *u)
{
    struct winsize ws;
    if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0 && ws.ws_col > 0) {
        /* In place: no leaving and re-entering the alternate screen. */
        if (ws.ws_row != LINES || ws.ws_col != COLS) resize_term(ws.ws_row, ws.ws_col);
    } else {
        /* ncurses re-reads the size when it comes back from endwin. */
        endwin();
        refresh();
    }
    layout(u);
    /* The terminal has reflowed what was on it: repaint everything, once. */
    clearok(curscr, TRUE);
    draw(u);
}

/* ---- commands ---------------------------------------------------------------------- */

/* The settings editor shown, or NULL when it is the list. */
static struct ui_pane *settings_shown(struct ui *u)
{
    struct ui_pane *p = u->panes[u->focus];
    return p == u->settings || p == u->tsettings ? p : NULL;
}

int ui_selected_id(struct ui *u)
{
    return ui_pane_torrents_selected(u->torrents, u->eng);
}

bool ui_detail_focused(const struct ui *u)
{
    return u->detail_focus;
}

static const struct eng_torrent *selected(struct ui *u)
{
    int id = ui_selected_id(u);
    return id > 0 ? eng_torrent_by_id(u->eng, id) : NULL;
}


static void do_quit(struct ui *u)
{
    if (u->quit_called) return;
    u->quit_called = true;
    /* Shutting down saves resume data and may take a moment. */
    u->mode = UI_MODE_NORMAL;
    ui_msg(u, false, "quitting\xe2\x80\xa6");
    draw(u);
    if (u->on_quit) u->on_quit(u->ud); /* may call ui_free() */
}

void ui_ask(struct ui *u, enum ui_action a, int id, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(u->confirm_text, sizeof u->confirm_text, fmt, ap);
    va_end(ap);
    u->confirm_action = a;
    u->confirm_id = id;
    u->mode = UI_MODE_CONFIRM;
}

static void submit_add(struct ui *u)
{
    static char typed[UI_PROMPT_MAX * 4 + 1];
    char source[8192], cwd[4096], err[512];
    ui_prompt_text(&u->prompt, typed, sizeof typed);
    const char *home = getenv("HOME");
    if (!getcwd(cwd, sizeof cwd)) cwd[0] = '\0';
    int rc = ui_resolve_source(source, sizeof source, typed, cwd, home);
    if (rc == -EINVAL && !*typed) return; /* an empty prompt is a cancel */
    if (rc < 0) {
        ui_msg(u, true, "add: %s",
               rc == -ENAMETOOLONG ? "path too long" : "not a path or magnet link");
        return;
    }
    struct eng_add_params p = {.source = source};
    int id = 0;
    err[0] = '\0';
    rc = eng_add(u->eng, &p, &id, err, sizeof err);
    const struct eng_torrent *t = id > 0 ? eng_torrent_by_id(u->eng, id) : NULL;
    if (rc == 0) {
        ui_msg(u, false, "added %d%s%s", id, t ? ": " : "", t ? t->name : "");
        ui_pane_torrents_select(u->torrents, id);
    } else if (rc == -EEXIST) {
        ui_msg(u, true, "already added as %d%s%s", id, t ? ": " : "", t ? t->name : "");
        if (id > 0) ui_pane_torrents_select(u->torrents, id);
    } else {
        ui_msg(u, true, "add failed: %s", err[0] ? err : strerror(-rc));
    }
}

static void confirmed(struct ui *u)
{
    enum ui_action a = u->confirm_action;
    int id = u->confirm_id;
    u->mode = UI_MODE_NORMAL;
    if (a == UI_ACT_QUIT) {
        do_quit(u);
        return;
    }
    if (a == UI_ACT_SETTINGS_RESET) {
        struct ui_pane *sp = settings_shown(u);
        if (sp) ui_pane_settings_reset(sp, u, id);
        return;
    }
    const struct eng_torrent *t = eng_torrent_by_id(u->eng, id);
    char name[256];
    snprintf(name, sizeof name, "%s", t ? t->name : "?");
    if (a == UI_ACT_REMOVE || a == UI_ACT_REMOVE_DATA) {
        int rc = eng_remove(u->eng, id, a == UI_ACT_REMOVE_DATA);
        if (rc == 0)
            ui_msg(u, false, "removed %d: %s%s", id, name,
                   a == UI_ACT_REMOVE_DATA ? " (data deleted)" : "");
        else
            ui_msg(u, true, "remove %d failed: %s", id, strerror(-rc));
    }
}

static void toggle_pause(struct ui *u)
{
    const struct eng_torrent *t = selected(u);
    if (!t) {
        ui_msg(u, false, "no torrent selected");
        return;
    }
    int id = t->id;
    char name[256];
    snprintf(name, sizeof name, "%s", t->name);
    bool resume = t->user_paused;
    int rc = resume ? eng_resume(u->eng, id) : eng_pause(u->eng, id);
    if (rc == 0)
        ui_msg(u, false, "%s %d: %s", resume ? "resumed" : "paused", id, name);
    else
        ui_msg(u, true, "%s %d failed: %s", resume ? "resume" : "pause", id, strerror(-rc));
}

static void list_action(struct ui *u, enum ui_action a)
{
    struct ui_pane *p = u->panes[u->focus];
    if (p->on_action && p->on_action(p, u, a)) return;
    const struct eng_torrent *t;
    struct eng_stats st;
    switch (a) {
    case UI_ACT_ADD:
        ui_prompt_start(&u->prompt, "add (.torrent path or magnet): ");
        u->prompt_for = UI_PROMPT_FOR_ADD;
        u->mode = UI_MODE_PROMPT;
        break;
    case UI_ACT_SETTINGS:
        ui_focus(u, u->settings);
        break;
    case UI_ACT_TORRENT_SETTINGS:
        t = selected(u);
        if (!t) {
            ui_msg(u, false, "no torrent selected");
            break;
        }
        ui_pane_settings_open(u->tsettings, t->id);
        ui_focus(u, u->tsettings);
        break;
    case UI_ACT_PAUSE_TOGGLE:
        toggle_pause(u);
        break;
    case UI_ACT_ALT_SPEED: {
        bool on = !eng_setting_int(u->eng, "spate.alt_speed");
        char err[512] = "";
        if (eng_setting_store(u->eng, "spate.alt_speed", on ? "true" : "false", "tui", err,
                              sizeof err) == 0)
            ui_msg(u, false, "alternative speed limits %s", on ? "on" : "off");
        else
            ui_msg(u, true, "%s", err);
        break;
    }
    case UI_ACT_REMOVE:
    case UI_ACT_REMOVE_DATA:
        t = selected(u);
        if (!t) {
            ui_msg(u, false, "no torrent selected");
            break;
        }
        ui_ask(u, a, t->id, "remove %d: %s%s?", t->id, t->name,
               a == UI_ACT_REMOVE_DATA ? " AND DELETE ITS DATA" : " (data kept)");
        break;
    case UI_ACT_QUIT:
        memset(&st, 0, sizeof st);
        eng_get_stats(u->eng, &st);
        if (st.n_downloading > 0)
            ui_ask(u, UI_ACT_QUIT, 0, "%d torrent%s still downloading. Quit?", st.n_downloading,
                   st.n_downloading == 1 ? " is" : "s are");
        else
            do_quit(u);
        break;
    case UI_ACT_HELP:
        u->mode = UI_MODE_HELP;
        u->help_top = 0;
        break;
    case UI_ACT_REDRAW:
        clearok(curscr, TRUE);
        break;
    case UI_ACT_CANCEL:
        u->msg[0] = '\0';
        break;
    default:
        break;
    }
}

static void on_key(struct ui *u, int key)
{
    if (key == UI_KEY_FN(KEY_RESIZE)) {
        resize(u);
        return;
    }
    switch (u->mode) {
    case UI_MODE_PROMPT: {
        enum ui_prompt_result r = ui_prompt_key(&u->prompt, key);
        if (r != UI_PROMPT_EDITING) u->mode = UI_MODE_NORMAL;
        if (u->prompt_for == UI_PROMPT_FOR_ADD) {
            if (r == UI_PROMPT_SUBMIT) submit_add(u);
        } else if (u->prompt_for == UI_PROMPT_FOR_FILTER) {
            ui_pane_torrents_prompt(u->torrents, u, r);
        } else {
            struct ui_pane *sp = settings_shown(u);
            ui_pane_settings_prompt(sp ? sp : u->settings, u, r);
        }
        break;
    }
    case UI_MODE_CONFIRM:
        switch (ui_keymap_lookup(UI_SCOPE_CONFIRM, key)) {
        case UI_ACT_CONFIRM_YES:
            confirmed(u);
            break;
        case UI_ACT_CANCEL:
            u->mode = UI_MODE_NORMAL;
            break;
        default:
            break; /* anything else: keep asking */
        }
        break;
    case UI_MODE_HELP:
        ui_help_action(u, ui_keymap_lookup(UI_SCOPE_LIST, key));
        break;
    case UI_MODE_NORMAL: {
        struct ui_pane *p = u->panes[u->focus];
        if (p->on_key && p->on_key(p, u, key)) break;
        enum ui_action a = UI_ACT_NONE;
        if (settings_shown(u)) a = ui_keymap_lookup(UI_SCOPE_SETTINGS, key);
        if (a == UI_ACT_NONE) a = ui_keymap_lookup(UI_SCOPE_LIST, key);
        list_action(u, a);
        break;
    }
    }
}

/* ---- loop callbacks ------------------------------------------------------------------ */

static void input_cb(uv_poll_t *h, int status, int events)
{
    struct ui *u = h->data;
    if (u->closing) return;
    if (u->quit_called) {
        wint_t ignored;
        while (wget_wch(stdscr, &ignored) != ERR)
            ; /* keys after the quit: drop them */
        return;
    }
    if (status < 0 || (events & UV_DISCONNECT)) {
        /* The terminal went away: nobody is left to confirm anything. */
        uv_poll_stop(h);
        do_quit(u);
        return;
    }
    int n = 0;
    wint_t wc;
    int rc;
    while ((rc = wget_wch(stdscr, &wc)) != ERR) {
        n++;
        on_key(u, rc == KEY_CODE_YES ? UI_KEY_FN((int)wc) : (int)wc);
        if (u->closing || u->quit_called) return; /* on_quit may have freed us */
    }
    if (n == 0) {
        /* Readable but no key: at end of file the tty is hung up. */
        int avail = 0;
        if (ioctl(u->in_fd, FIONREAD, &avail) == 0 && avail == 0) {
            uv_poll_stop(h);
            do_quit(u);
            return;
        }
    }
    draw(u);
}

static void winch_cb(uv_signal_t *h, int signum)
{
    (void)signum;
    struct ui *u = h->data;
    if (!u->closing) resize(u);
}

static void tick_cb(uv_timer_t *t)
{
    struct ui *u = t->data;
    ui_mark_dirty(u);
}

/* The engine's listeners cannot be removed: `live_ui` is NULL once the UI
 * is gone, and then events are ignored. */
static void engine_cb(void *ud, enum eng_event ev, const struct eng_torrent *t)
{
    (void)ud;
    struct ui *u = live_ui;
    if (!u || u->closing) return;
    switch (ev) {
    case ENG_EV_ADDED: /* by `spate add`; our own adds say so themselves */
        if (t) ui_msg(u, false, "added %d: %s", t->id, t->name);
        break;
    case ENG_EV_REMOVED:
        if (t) ui_msg(u, false, "removed %d: %s", t->id, t->name);
        break;
    case ENG_EV_ERROR:
        if (t && t->error && *t->error) ui_msg(u, true, "%d %s: %s", t->id, t->name, t->error);
        break;
    case ENG_EV_FINISHED:
        if (t) ui_msg(u, false, "finished %d: %s", t->id, t->name);
        break;
    case ENG_EV_LOG: {
        const char *m = eng_last_log(u->eng);
        if (m && *m) ui_msg(u, true, "%s", m);
        break;
    }
    default:
        break;
    }
    ui_mark_dirty(u);
}

/* ---- lifecycle ----------------------------------------------------------------------- */

static void close_cb(uv_handle_t *h)
{
    struct ui *u = h->data;
    if (--u->open_handles == 0) free(u);
}

static void close_handle(struct ui *u, uv_handle_t *h)
{
    if (h->data == u && !uv_is_closing(h)) {
        uv_close(h, close_cb);
    }
}

/* Leaves curses mode and puts the terminal back as we found it. */
static void restore_terminal(struct ui *u)
{
    if (!curses_on) return;
    curs_set(1);
    endwin();
    curses_on = 0;
    if (u && u->in_fd_flags >= 0) fcntl(STDIN_FILENO, F_SETFL, u->in_fd_flags);
    stdin_flags = -1;
}

void ui_emergency_restore(void)
{
    if (curses_on) {
        curses_on = 0;
        endwin();
        if (stdin_flags >= 0) fcntl(STDIN_FILENO, F_SETFL, stdin_flags);
    }
}

void ui_free(struct ui *u)
{
    if (!u) return;
    u->closing = true;
    if (live_ui == u) live_ui = NULL;
    delete_windows(u);
    restore_terminal(u);
    if (u->scr) {
        delscreen(u->scr);
        u->scr = NULL;
    }
    for (size_t i = 0; i < u->n_panes; i++)
        if (u->panes[i]->free) u->panes[i]->free(u->panes[i]);
    u->n_panes = 0;
    u->torrents = NULL;
    u->settings = NULL;
    u->tsettings = NULL;

    if (u->open_handles == 0) {
        if (u->in_fd >= 0 && u->in_fd != STDIN_FILENO) close(u->in_fd);
        free(u);
        return;
    }
    /* The memory goes with the last close callback, on the next loop run. */
    close_handle(u, (uv_handle_t *)&u->input);
    close_handle(u, (uv_handle_t *)&u->winch);
    close_handle(u, (uv_handle_t *)&u->tick);
    close_handle(u, (uv_handle_t *)&u->redraw);
    if (u->in_fd >= 0 && u->in_fd != STDIN_FILENO)
        close(u->in_fd); /* libuv leaves polled fds to their owner */
    u->in_fd = -1;
}

/* A second, blocking-agnostic descriptor for the terminal on stdin. */
static int open_input(struct ui *u)
{
    u->in_fd_flags = -1;
    const char *tty = ttyname(STDIN_FILENO);
    int fd = tty ? open(tty, O_RDONLY | O_NOCTTY | O_CLOEXEC) : -1;
    if (fd >= 0) return fd;
    u->in_fd_flags = fcntl(STDIN_FILENO, F_GETFL);
    stdin_flags = u->in_fd_flags;
    return STDIN_FILENO;
}

int ui_new(uv_loop_t *loop, struct eng *e, void (*on_quit)(void *ud), void *ud, struct ui **out,
           char *err, size_t errlen)
{
    *out = NULL;
    if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
        snprintf(err, errlen,
                 "the terminal UI needs a terminal on stdin and stdout "
                 "(run `spate --daemon`, or a subcommand such as `spate ls`)");
        return -ENOTTY;
    }
    if (curses_on) {
        snprintf(err, errlen, "the terminal UI is already running");
        return -EBUSY;
    }
    struct ui *u = calloc(1, sizeof *u);
    if (!u) {
        snprintf(err, errlen, "out of memory");
        return -ENOMEM;
    }
    u->loop = loop;
    u->eng = e;
    u->on_quit = on_quit;
    u->ud = ud;
    u->in_fd = -1;
    u->in_fd_flags = -1;

    u->torrents = ui_pane_torrents_new();
    u->settings = ui_pane_settings_new(REG_SESSION);
    u->tsettings = ui_pane_settings_new(REG_TORRENT);
    if (!u->torrents || !u->settings || !u->tsettings) {
        if (u->torrents) u->torrents->free(u->torrents);
        if (u->settings) u->settings->free(u->settings);
        if (u->tsettings) u->tsettings->free(u->tsettings);
        free(u);
        snprintf(err, errlen, "out of memory");
        return -ENOMEM;
    }
    u->panes[u->n_panes++] = u->torrents;
    u->panes[u->n_panes++] = u->settings;
    u->panes[u->n_panes++] = u->tsettings;

    /* ncursesw draws UTF-8 only with the user's locale in LC_CTYPE. Numbers
     * stay "1.5", whatever the locale: the UI, logs and JSON agree. */
    setlocale(LC_ALL, "");
    setlocale(LC_NUMERIC, "C");
    /* newterm, not initscr: it returns NULL instead of exiting. */
    u->scr = newterm(NULL, stdout, stdin);
    if (!u->scr) {
        const char *term = getenv("TERM");
        snprintf(err, errlen, "cannot use the terminal type '%s' (check TERM)", term ? term : "");
        u->torrents->free(u->torrents);
        u->settings->free(u->settings);
        u->tsettings->free(u->tsettings);
        free(u);
        return -ENOTTY;
    }
    set_term(u->scr);
    curses_on = 1;
    /* ncurses' own wait after Esc (1 s) would make Esc feel broken. */
    if (!getenv("ESCDELAY")) set_escdelay(ESC_DELAY_MS);
    cbreak();
    noecho();
    nonl();
    intrflush(stdscr, FALSE);
    keypad(stdscr, TRUE);
    nodelay(stdscr, TRUE);
    /* No typeahead checks: a frame is always drawn to the end. */
    typeahead(-1);
    curs_set(0);
    const char *nc = getenv("NO_COLOR");
    ui_theme_init(has_colors() && !(nc && *nc));
    /* Paint the (blank) stdscr once so wget_wch(stdscr) never needs to. */
    wnoutrefresh(stdscr);
    layout(u);

    u->in_fd = open_input(u);
    int rc = uv_poll_init(loop, &u->input, u->in_fd);
    if (rc == 0) {
        u->input.data = u;
        u->open_handles++;
        rc = uv_poll_start(&u->input, UV_READABLE | UV_DISCONNECT, input_cb);
    }
    if (rc == 0) {
        rc = uv_signal_init(loop, &u->winch);
        if (rc == 0) {
            u->winch.data = u;
            u->open_handles++;
            rc = uv_signal_start(&u->winch, winch_cb, SIGWINCH);
        }
    }
    if (rc == 0) {
        rc = uv_timer_init(loop, &u->tick);
        if (rc == 0) {
            u->tick.data = u;
            u->open_handles++;
            rc = uv_timer_start(&u->tick, tick_cb, TICK_MS, TICK_MS);
        }
    }
    if (rc == 0) {
        rc = uv_timer_init(loop, &u->redraw);
        if (rc == 0) {
            u->redraw.data = u;
            u->open_handles++;
        }
    }
    if (rc != 0) {
        snprintf(err, errlen, "terminal UI: %s", uv_strerror(rc));
        ui_free(u);
        return rc;
    }

    live_ui = u;
    eng_add_listener(e, engine_cb, NULL);
    draw(u);
    *out = u;
    return 0;
}
