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
 * Panes: the torrent list with the detail tabs below it (the table
 * ui_tabs[] below; the split is layout.c's), or the settings editor
 * (pane_settings.c), or the same editor for the selected torrent's
 * settings (`e`), which take the whole screen above the status lines. In
 * an editor a key is looked up in the settings scope first, then in the
 * list's; the editor swallows the torrent commands. A pane's on_key sees
 * each key before that (the editor's list editor and schedule grid, with
 * keymap scopes of their own).
 *
 * The detail area: Tab/Shift-Tab and 1, 2, ... (one per tab) pick the tab;
 * Enter (zoom) gives it the whole screen and the keys, Enter, Esc or q
 * give them back. While
 * it has them a key is looked up in the current tab's scope, then
 * UI_SCOPE_DETAIL, then the list's moving, help, redraw, tab and zoom
 * keys only; the tab's on_action gets its own scope's actions and the
 * moving ones. The torrent commands act on the marked torrents, else the
 * selected one (commands.c).
 *
 * Mouse (when the terminal reports it; SPATE_NO_MOUSE=1 turns it off): a
 * click selects a torrent or a tab, the wheel moves in the list, the
 * details or the settings editor under the pointer.
 *
 * Settings: spate.keys rebinds keys (keybind.c) and spate.ui_sort is the
 * list's order; both are applied at start and again on ENG_EV_SETTINGS
 * when their text changed.
 *
 * The poll watches a second open of the tty rather than fd 0 itself:
 * uv_poll_init() makes its fd non-blocking, and O_NONBLOCK on the shared
 * stdin would outlive us in the user's shell. Only when that open fails do
 * we poll fd 0 and restore its flags on the way out.
 *
 * Terminal safety: `curses_on` says whether the terminal is in curses mode;
 * ui_free() and ui_emergency_restore() put it back. XON/XOFF flow control
 * (IXON) is off while the UI runs, or the tty would take ^S and ^Q for
 * itself (rtorrent's ^S starts a torrent); the same two put it back.
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
#include <termios.h>
#include <unistd.h>

#include "engine/registry.h"
#include "ui/add_line.h"
#include "ui/format.h"
#include "ui/keybind.h"
#include "ui/layout.h"

#define TICK_MS 1000
#define FRAME_MS 100
#define ESC_DELAY_MS 25

/* For ui_emergency_restore() from a signal handler. */
static volatile sig_atomic_t curses_on;
static int stdin_flags = -1; /* stdin's flags to restore, when we polled it */
/* The tty whose IXON we cleared, and whether it was set (for the signal
 * handler too: tcgetattr/tcsetattr are async-signal-safe). */
static volatile sig_atomic_t ixon_cleared;
static int ixon_fd = -1;

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

void ui_draw_box(WINDOW *w, int y, int x, int bh, int bw, attr_t attr)
{
    wattrset(w, attr);
    for (int r = 1; r < bh - 1; r++) {
        mvwaddch(w, y + r, x, ACS_VLINE);
        mvwhline(w, y + r, x + 1, ' ', bw - 2);
        mvwaddch(w, y + r, x + bw - 1, ACS_VLINE);
    }
    mvwaddch(w, y, x, ACS_ULCORNER);
    mvwhline(w, y, x + 1, ACS_HLINE, bw - 2);
    mvwaddch(w, y, x + bw - 1, ACS_URCORNER);
    mvwaddch(w, y + bh - 1, x, ACS_LLCORNER);
    mvwhline(w, y + bh - 1, x + 1, ACS_HLINE, bw - 2);
    mvwaddch(w, y + bh - 1, x + bw - 1, ACS_LRCORNER);
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
    WINDOW **ws[] = {&u->w_main, &u->w_status, &u->w_msg, &u->w_list, &u->w_tabs, &u->w_detail};
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
        struct ui_split sp;
        ui_layout_split(&sp, u->rows, u->cols, u->detail_focus);
        u->w_main = newwin(u->rows - 2, u->cols, 0, 0);
        if (sp.list_h > 0) u->w_list = newwin(sp.list_h, u->cols, sp.list_y, 0);
        if (sp.tabs_y >= 0) u->w_tabs = newwin(1, u->cols, sp.tabs_y, 0);
        if (sp.detail_h > 0) u->w_detail = newwin(sp.detail_h, u->cols, sp.detail_y, 0);
        u->w_status = newwin(1, u->cols, u->rows - 2, 0);
        u->w_msg = newwin(1, u->cols, u->rows - 1, 0);
    }
    WINDOW *ws[] = {u->w_main, u->w_status, u->w_list, u->w_tabs, u->w_detail};
    for (size_t i = 0; i < sizeof ws / sizeof ws[0]; i++)
        if (ws[i]) leaveok(ws[i], TRUE);
}

/* ---- the detail tabs ------------------------------------------------------------ */

/* The detail tabs, in tab-bar order: adding a tab is its pane file and a
 * line here. */
const struct ui_pane_class *const ui_tabs[] = {
    &ui_pane_peers, &ui_pane_trackers, &ui_pane_files, &ui_pane_info, &ui_pane_health,
};
const size_t ui_n_tabs = sizeof ui_tabs / sizeof ui_tabs[0];
#define N_TABS ((int)(sizeof ui_tabs / sizeof ui_tabs[0]))
_Static_assert(N_TABS <= UI_TABS_MAX, "more tabs than keys 1..9");
_Static_assert(N_TABS <= UI_TABBAR_MAX, "more tabs than the tab bar lays out");

static struct ui_pane *current_tab(struct ui *u)
{
    return u->tab >= 0 && u->tab < N_TABS ? u->tabs[u->tab] : NULL;
}

/* The tab bar: the tabs' keys and titles, the current one in brackets,
 * and on the right how to get into or out of the details. */
static void draw_tabbar(struct ui *u, WINDOW *w)
{
    int width = getmaxx(w);
    char keys[N_TABS][32];
    const char *kp[N_TABS], *titles[N_TABS];
    for (int i = 0; i < N_TABS; i++) {
        if (ui_keymap_keys_for(UI_SCOPE_LIST, UI_ACT_TAB(i), keys[i], sizeof keys[i]) == 0)
            keys[i][0] = '\0';
        keys[i][strcspn(keys[i], ",")] = '\0';
        kp[i] = keys[i];
        titles[i] = ui_tabs[i]->title;
    }
    struct ui_tabbar b;
    ui_tabbar_layout(&b, kp, titles, N_TABS, width);
    u->tabbar = b;
    wattrset(w, ui_attr(UI_EL_HEADER));
    wmove(w, 0, 0);
    ui_put(w, "", width, true);
    int end = 0;
    for (int i = 0; i < N_TABS; i++) {
        if (b.x[i] < 0) continue;
        char label[128];
        bool cur = i == u->tab;
        snprintf(label, sizeof label, "%s%s%s%s%s", cur ? "[" : " ", kp[i], b.short_form ? "" : " ",
                 b.short_form ? "" : titles[i], cur ? "]" : " ");
        wattrset(w, ui_attr(cur ? UI_EL_SELECTED : UI_EL_HEADER));
        wmove(w, 0, b.x[i]);
        ui_put(w, label, b.w[i], false);
        end = b.x[i] + b.w[i];
    }
    /* the way in or out, when it fits */
    char k[32], hint[64];
    enum ui_action a = u->detail_focus ? UI_ACT_DETAIL_CLOSE : UI_ACT_ZOOM;
    ui_keymap_keys_for(u->detail_focus ? UI_SCOPE_DETAIL : UI_SCOPE_LIST, a, k, sizeof k);
    k[strcspn(k, ",")] = '\0';
    snprintf(hint, sizeof hint, "%s: %s ", k, u->detail_focus ? "back to the list" : "details");
    int hw = ui_str_width(hint);
    if (k[0] && end + 2 + hw <= width) {
        wattrset(w, ui_attr(UI_EL_HEADER));
        wmove(w, 0, width - hw);
        ui_put(w, hint, hw, false);
    }
    wattrset(w, A_NORMAL);
}

/* The list, the tab bar and the current tab, each in its window. */
static void draw_split(struct ui *u)
{
    if (u->w_list) {
        werase(u->w_list);
        u->torrents->cls->draw(u->torrents, u, u->w_list);
        wnoutrefresh(u->w_list);
    }
    if (u->w_tabs) {
        werase(u->w_tabs);
        draw_tabbar(u, u->w_tabs);
        wnoutrefresh(u->w_tabs);
    }
    if (u->w_detail) {
        werase(u->w_detail);
        struct ui_pane *t = current_tab(u);
        if (t) {
            t->cls->draw(t, u, u->w_detail);
        } else {
            wmove(u->w_detail, 0, 1);
            ui_put(u->w_detail, "(this tab could not be opened)", getmaxx(u->w_detail) - 1, false);
        }
        wnoutrefresh(u->w_detail);
    }
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
    if (u->too_small) {
        werase(u->w_main);
        wmove(u->w_main, 0, 0);
        ui_put(u->w_main, "terminal too small", getmaxx(u->w_main), false);
        wnoutrefresh(u->w_main);
    } else {
        struct ui_pane *p = u->panes[u->focus];
        if (p == u->torrents) {
            draw_split(u);
        } else {
            werase(u->w_main);
            p->cls->draw(p, u, u->w_main);
            wnoutrefresh(u->w_main);
        }
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
    free(u->confirm_ids);
    u->confirm_ids = NULL;
    u->n_confirm_ids = 0;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(u->confirm_text, sizeof u->confirm_text, fmt, ap);
    va_end(ap);
    u->confirm_action = a;
    u->confirm_id = id;
    u->mode = UI_MODE_CONFIRM;
}

/* An add the engine is still working on (the .torrent is read on a
 * worker, eng_add_async): owns every string the request points to. u is
 * NULL once the UI is gone; the result is then dropped. */
struct ui_add_req {
    struct ui *u;
    char typed[UI_PROMPT_MAX * 4 + 1];
    char source[8192], dir[4096];
    struct ui_add_line line;
    struct eng_add_params p;
};

static void add_done(void *ud, int rc, int id, const char *err)
{
    struct ui_add_req *r = ud;
    struct ui *u = r->u;
    free(r);
    if (!u) return;
    u->add_req = NULL;
    const struct eng_torrent *t = id > 0 ? eng_torrent_by_id(u->eng, id) : NULL;
    if (rc == 0) {
        ui_msg(u, false, "added %d%s%s", id, t ? ": " : "", t ? t->name : "");
        ui_pane_torrents_select(u->torrents, id);
    } else if (rc == -EEXIST) {
        ui_msg(u, true, "already added as %d%s%s", id, t ? ": " : "", t ? t->name : "");
        if (id > 0) ui_pane_torrents_select(u->torrents, id);
    } else {
        ui_msg(u, true, "add failed: %s", err && err[0] ? err : strerror(-rc));
    }
    ui_mark_dirty(u);
}

static void submit_add(struct ui *u)
{
    char cwd[4096], err[512];
    if (u->add_req) {
        ui_msg(u, true, "add: the previous .torrent is still being read");
        return;
    }
    struct ui_add_req *r = calloc(1, sizeof *r);
    if (!r) {
        ui_msg(u, true, "add: out of memory");
        return;
    }
    ui_prompt_text(&u->prompt, r->typed, sizeof r->typed);
    const char *home = getenv("HOME");
    if (!getcwd(cwd, sizeof cwd)) cwd[0] = '\0';
    const char *blank = r->typed + strspn(r->typed, " \t");
    if (!*blank) {
        free(r); /* an empty prompt is a cancel */
        return;
    }
    if (ui_add_line_parse(r->typed, &r->line, err, sizeof err) != 0) {
        ui_msg(u, true, "%s", err);
        free(r);
        return;
    }
    int rc = ui_resolve_source(r->source, sizeof r->source, r->line.source, cwd, home);
    if (rc == 0 && r->line.dir)
        rc = ui_resolve_source(r->dir, sizeof r->dir, r->line.dir, cwd, home);
    if (rc < 0) {
        ui_msg(u, true, "add: %s",
               rc == -ENAMETOOLONG ? "path too long" : "not a path or magnet link");
        free(r);
        return;
    }
    r->p = (struct eng_add_params){.source = r->source,
                                   .save_path = r->line.dir ? r->dir : NULL,
                                   .paused = r->line.paused,
                                   .seed_mode = r->line.seed_mode,
                                   .opts = r->line.opts,
                                   .n_opts = r->line.n_opts};
    r->u = u;
    u->add_req = r;
    eng_add_async(u->eng, &r->p, add_done, r); /* add_done may come at once */
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
    if (a == UI_ACT_REMOVE || a == UI_ACT_REMOVE_DATA || a == UI_ACT_CLOSE)
        ui_cmd_confirmed(u, a, id);
}

/* Gives the detail area the keys and the whole screen, or gives them
 * back to the list. */
static void set_detail_focus(struct ui *u, bool on)
{
    if (on && u->panes[u->focus] != u->torrents) return;
    if (u->detail_focus == on) return;
    u->detail_focus = on;
    layout(u);
    ui_mark_dirty(u);
}

static void tab_action(struct ui *u, enum ui_action a)
{
    int t = u->tab;
    if (a == UI_ACT_TAB_NEXT)
        t = (t + 1) % N_TABS;
    else if (a == UI_ACT_TAB_PREV)
        t = (t + N_TABS - 1) % N_TABS;
    else
        t = ui_tab_of(a);
    if (t < 0 || t >= N_TABS) return;
    u->tab = t;
    if (!u->w_detail) {
        char k[32];
        ui_keymap_keys_for(UI_SCOPE_LIST, UI_ACT_ZOOM, k, sizeof k);
        k[strcspn(k, ",")] = '\0';
        ui_msg(u, false, "%s tab (%s shows it)", ui_tabs[t]->title, k);
    }
    ui_mark_dirty(u);
}

static bool is_tab_action(enum ui_action a)
{
    return a == UI_ACT_TAB_NEXT || a == UI_ACT_TAB_PREV || ui_tab_of(a) >= 0;
}

static bool is_move_action(enum ui_action a)
{
    return a >= UI_ACT_UP && a <= UI_ACT_END;
}

/* A key while the detail area has the keys. */
static void detail_key(struct ui *u, int key)
{
    struct ui_pane *t = current_tab(u);
    if (t && t->cls->on_key && t->cls->on_key(t, u, key)) return;
    int scope = ui_tabs[u->tab]->scope;
    enum ui_action a = UI_ACT_NONE;
    if (scope >= 0) a = ui_keymap_lookup((enum ui_scope)scope, key);
    if (a == UI_ACT_NONE) a = ui_keymap_lookup(UI_SCOPE_DETAIL, key);
    if (a == UI_ACT_NONE) {
        a = ui_keymap_lookup(UI_SCOPE_LIST, key);
        /* of the list's keys: moving, help, redraw, tabs, zoom */
        if (!is_move_action(a) && !is_tab_action(a) && a != UI_ACT_HELP && a != UI_ACT_REDRAW &&
            a != UI_ACT_ZOOM)
            a = UI_ACT_NONE;
    }
    switch (a) {
    case UI_ACT_NONE:
        break;
    case UI_ACT_DETAIL_CLOSE:
    case UI_ACT_ZOOM:
        set_detail_focus(u, false);
        break;
    case UI_ACT_HELP:
        u->mode = UI_MODE_HELP;
        u->help_top = 0;
        break;
    case UI_ACT_REDRAW:
        clearok(curscr, TRUE);
        break;
    default:
        if (is_tab_action(a))
            tab_action(u, a);
        else if (t && t->cls->on_action)
            t->cls->on_action(t, u, a);
        break;
    }
}

/* ---- the mouse ------------------------------------------------------------------- */

/* Whether screen row y is in window w; *wy gets the row inside it. */
static bool in_window(WINDOW *w, int y, int *wy)
{
    if (!w) return false;
    int top = getbegy(w), h = getmaxy(w);
    *wy = y - top;
    return y >= top && y < top + h;
}

static void wheel(struct ui_pane *p, struct ui *u, bool down)
{
    for (int i = 0; i < 3 && p && p->cls->on_action; i++)
        p->cls->on_action(p, u, down ? UI_ACT_DOWN : UI_ACT_UP);
}

static void on_mouse(struct ui *u)
{
    MEVENT ev;
    if (getmouse(&ev) != OK) return;
    bool up = (ev.bstate & BUTTON4_PRESSED) != 0, down = false;
#ifdef BUTTON5_PRESSED
    down = (ev.bstate & BUTTON5_PRESSED) != 0;
#endif
    bool click = (ev.bstate & (BUTTON1_PRESSED | BUTTON1_CLICKED)) != 0;
    struct ui_pane *p = u->panes[u->focus];
    int wy;
    if (p != u->torrents) {
        if (up || down) wheel(p, u, down);
        return;
    }
    if (in_window(u->w_detail, ev.y, &wy)) {
        if (up || down) wheel(current_tab(u), u, down);
    } else if (in_window(u->w_tabs, ev.y, &wy)) {
        int i = click ? ui_tabbar_hit(&u->tabbar, ev.x) : -1;
        if (i >= 0) tab_action(u, UI_ACT_TAB(i));
    } else if (in_window(u->w_list, ev.y, &wy)) {
        if (up || down)
            wheel(u->torrents, u, down);
        else if (click)
            ui_pane_torrents_click(u->torrents, u, wy);
    }
}

static void list_action(struct ui *u, enum ui_action a)
{
    struct ui_pane *p = u->panes[u->focus];
    if (p->cls->on_action && p->cls->on_action(p, u, a)) return;
    if (p == u->torrents && ui_cmd_torrents(u, a)) return;
    if (p == u->torrents && is_tab_action(a)) {
        tab_action(u, a);
        return;
    }
    const struct eng_torrent *t;
    struct eng_stats st;
    switch (a) {
    case UI_ACT_ADD:
        ui_prompt_start(&u->prompt,
                        "add [--paused] [--category C] [KEY=VALUE] .torrent or magnet: ");
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
    case UI_ACT_ZOOM:
        set_detail_focus(u, true);
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
    if (key == UI_KEY_FN(KEY_MOUSE) && u->mode != UI_MODE_NORMAL) {
        MEVENT ev;
        getmouse(&ev); /* over a prompt, question or the help: dropped */
        return;
    }
    switch (u->mode) {
    case UI_MODE_PROMPT: {
        enum ui_prompt_result r = ui_prompt_key(&u->prompt, key);
        if (r != UI_PROMPT_EDITING) u->mode = UI_MODE_NORMAL;
        if (u->prompt_for == UI_PROMPT_FOR_ADD) {
            if (r == UI_PROMPT_SUBMIT) submit_add(u);
        } else if (u->prompt_for == UI_PROMPT_FOR_FILTER || u->prompt_for == UI_PROMPT_FOR_NAME) {
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
            free(u->confirm_ids);
            u->confirm_ids = NULL;
            u->n_confirm_ids = 0;
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
        if (key == UI_KEY_FN(KEY_MOUSE)) {
            on_mouse(u);
            break;
        }
        if (p == u->torrents && u->detail_focus) {
            detail_key(u, key);
            break;
        }
        if (p->cls->on_key && p->cls->on_key(p, u, key)) break;
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

/* Applies spate.keys and spate.ui_sort when their text is not what was
 * applied last (at start, and on every ENG_EV_SETTINGS). */
static void apply_settings(struct ui *u)
{
    static char spec[4097]; /* the registry's bound: 4096 */
    if (eng_setting_get(u->eng, "spate.keys", spec, sizeof spec) < 0) spec[0] = '\0';
    if (!u->keys_spec || strcmp(u->keys_spec, spec) != 0) {
        char bad[UI_MSG_LEN - 64];
        int n_bad = ui_keys_apply(spec, bad, sizeof bad);
        free(u->keys_spec);
        u->keys_spec = strdup(spec); /* NULL (no memory): applied again next time */
        if (n_bad)
            ui_msg(u, true, "spate.keys: skipped %d bad entr%s: %s", n_bad,
                   n_bad == 1 ? "y" : "ies", bad);
    }
    char sort[sizeof u->sort_spec];
    if (eng_setting_get(u->eng, "spate.ui_sort", sort, sizeof sort) < 0) sort[0] = '\0';
    if (strcmp(sort, u->sort_spec) != 0) {
        snprintf(u->sort_spec, sizeof u->sort_spec, "%s", sort);
        if (ui_pane_torrents_set_sort(u->torrents, sort) < 0)
            ui_msg(u, true, "spate.ui_sort: \"%s\" is not a sort order (queue, name, size, ...)",
                   sort);
    }
}

/* The engine's events (registered in ui_new, removed in ui_free). */
static void engine_cb(void *ud, enum eng_event ev, const struct eng_torrent *t)
{
    struct ui *u = ud;
    if (u->closing) return;
    /* the table changed: the list's cached view is rebuilt before its next use */
    if (ev != ENG_EV_LOG && ev != ENG_EV_SETTINGS) ui_pane_torrents_changed(u->torrents);
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
    case ENG_EV_SETTINGS: { /* spate.theme may have changed */
        char theme_err[UI_MSG_LEN];
        if (ui_theme_init(u->eng, theme_err, sizeof theme_err) < 0)
            ui_msg(u, true, "%s", theme_err);
        apply_settings(u); /* spate.keys, spate.ui_sort */
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
/* Turns XON/XOFF flow control off on the tty (fd), so that ^S and ^Q
 * reach us, and tells ncurses that this is its program mode (it restores
 * that mode after ^Z and after endwin/refresh). */
static void flow_control_off(int fd)
{
    struct termios t;
    if (tcgetattr(fd, &t) != 0 || !(t.c_iflag & IXON)) return;
    t.c_iflag &= ~(tcflag_t)IXON;
    if (tcsetattr(fd, TCSANOW, &t) != 0) return;
    ixon_fd = fd;
    ixon_cleared = 1;
    def_prog_mode();
}

/* Sets IXON again (after endwin, which put the rest back). Only that bit:
 * the rest is the shell's, as endwin left it. Async-signal-safe. */
static void flow_control_restore(void)
{
    struct termios t;
    if (!ixon_cleared) return;
    ixon_cleared = 0;
    if (tcgetattr(ixon_fd, &t) != 0) return;
    t.c_iflag |= IXON;
    tcsetattr(ixon_fd, TCSANOW, &t);
}

static void restore_terminal(struct ui *u)
{
    if (!curses_on) return;
    curs_set(1);
    mousemask(0, NULL);
    endwin();
    flow_control_restore();
    curses_on = 0;
    if (u && u->in_fd_flags >= 0) fcntl(STDIN_FILENO, F_SETFL, u->in_fd_flags);
    stdin_flags = -1;
}

void ui_emergency_restore(void)
{
    if (curses_on) {
        curses_on = 0;
        endwin();
        flow_control_restore();
        if (stdin_flags >= 0) fcntl(STDIN_FILENO, F_SETFL, stdin_flags);
    }
}

/* Frees the panes and tabs (those made so far). */
static void free_panes(struct ui *u)
{
    for (size_t i = 0; i < u->n_panes; i++)
        if (u->panes[i]) u->panes[i]->cls->free(u->panes[i]);
    u->n_panes = 0;
    for (int i = 0; i < N_TABS; i++) {
        if (u->tabs[i]) u->tabs[i]->cls->free(u->tabs[i]);
        u->tabs[i] = NULL;
    }
    u->torrents = NULL;
    u->settings = NULL;
    u->tsettings = NULL;
    free(u->confirm_ids);
    u->confirm_ids = NULL;
    u->n_confirm_ids = 0;
    free(u->keys_spec);
    u->keys_spec = NULL;
}

void ui_free(struct ui *u)
{
    if (!u) return;
    u->closing = true;
    if (u->listening) eng_remove_listener(u->eng, engine_cb, u);
    u->listening = false;
    if (u->add_req) u->add_req->u = NULL; /* its result is dropped */
    ui_statusbar_stop(u);
    delete_windows(u);
    restore_terminal(u);
    if (u->scr) {
        delscreen(u->scr);
        u->scr = NULL;
    }
    free_panes(u);

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

/* The list, the two settings editors and the detail tabs; a tab that
 * cannot be made says so in its place. 0 or -ENOMEM (nothing left made). */
static int make_panes(struct ui *u)
{
    u->torrents = ui_pane_torrents_new();
    u->settings = ui_pane_settings_new(REG_SESSION);
    u->tsettings = ui_pane_settings_new(REG_TORRENT);
    u->panes[u->n_panes++] = u->torrents;
    u->panes[u->n_panes++] = u->settings;
    u->panes[u->n_panes++] = u->tsettings;
    if (!u->torrents || !u->settings || !u->tsettings) {
        free_panes(u);
        return -ENOMEM;
    }
    for (int i = 0; i < N_TABS; i++)
        u->tabs[i] = ui_tabs[i]->new ();
    return 0;
}

/* Puts the terminal in curses mode: locale, newterm, input modes, the
 * theme (its error, if any, in theme_err for later) and the windows.
 * 0 or -ENOTTY with a message in err. */
static int start_terminal(struct ui *u, char *theme_err, size_t theme_errlen, char *err,
                          size_t errlen)
{
    /* ncursesw draws UTF-8 only with the user's locale in LC_CTYPE. Numbers
     * stay "1.5", whatever the locale: the UI, logs and JSON agree. */
    setlocale(LC_ALL, "");
    setlocale(LC_NUMERIC, "C");
    /* newterm, not initscr: it returns NULL instead of exiting. */
    u->scr = newterm(NULL, stdout, stdin);
    if (!u->scr) {
        const char *term = getenv("TERM");
        snprintf(err, errlen, "cannot use the terminal type '%s' (check TERM)", term ? term : "");
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
    ui_theme_init(u->eng, theme_err, theme_errlen); /* shown once we can */
    /* Paint the (blank) stdscr once so wget_wch(stdscr) never needs to. */
    wnoutrefresh(stdscr);
    layout(u);
    return 0;
}

/* Clicks and the wheel, where the terminal reports them, unless
 * SPATE_NO_MOUSE is set (and not "0"); no click interval, so a press is
 * an event at once. */
static void start_mouse(void)
{
    const char *nm = getenv("SPATE_NO_MOUSE");
    if (nm && *nm && strcmp(nm, "0") != 0) return;
    mmask_t mask = BUTTON1_PRESSED | BUTTON1_CLICKED | BUTTON4_PRESSED;
#ifdef BUTTON5_PRESSED
    mask |= BUTTON5_PRESSED;
#endif
    mousemask(mask, NULL);
    mouseinterval(0);
}

/* Counts handle h as the UI's (ui_free closes it; the last close
 * callback frees u). */
static void own_handle(struct ui *u, uv_handle_t *h)
{
    h->data = u;
    u->open_handles++;
}

/* The four libuv handles: the input poll, SIGWINCH, the tick and the
 * redraw timer. 0 or a libuv error (those started so far stay owned). */
static int start_handles(struct ui *u)
{
    int rc = uv_poll_init(u->loop, &u->input, u->in_fd);
    if (rc < 0) return rc;
    own_handle(u, (uv_handle_t *)&u->input);
    rc = uv_poll_start(&u->input, UV_READABLE | UV_DISCONNECT, input_cb);
    if (rc < 0) return rc;
    rc = uv_signal_init(u->loop, &u->winch);
    if (rc < 0) return rc;
    own_handle(u, (uv_handle_t *)&u->winch);
    rc = uv_signal_start(&u->winch, winch_cb, SIGWINCH);
    if (rc < 0) return rc;
    rc = uv_timer_init(u->loop, &u->tick);
    if (rc < 0) return rc;
    own_handle(u, (uv_handle_t *)&u->tick);
    rc = uv_timer_start(&u->tick, tick_cb, TICK_MS, TICK_MS);
    if (rc < 0) return rc;
    rc = uv_timer_init(u->loop, &u->redraw);
    if (rc < 0) return rc;
    own_handle(u, (uv_handle_t *)&u->redraw);
    return 0;
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
    if (!u || make_panes(u) < 0) {
        free(u);
        snprintf(err, errlen, "out of memory");
        return -ENOMEM;
    }
    u->loop = loop;
    u->eng = e;
    u->on_quit = on_quit;
    u->ud = ud;
    u->in_fd = -1;
    u->in_fd_flags = -1;

    char theme_err[UI_MSG_LEN] = "";
    int rc = start_terminal(u, theme_err, sizeof theme_err, err, errlen);
    if (rc < 0) {
        free_panes(u);
        free(u);
        return rc;
    }
    u->in_fd = open_input(u);
    flow_control_off(u->in_fd);
    start_mouse();
    rc = start_handles(u);
    if (rc < 0) {
        snprintf(err, errlen, "terminal UI: %s", uv_strerror(rc));
        ui_free(u);
        return rc;
    }

    eng_add_listener(e, engine_cb, u);
    u->listening = true;
    if (theme_err[0]) ui_msg(u, true, "%s", theme_err);
    apply_settings(u); /* spate.keys, spate.ui_sort */
    draw(u);
    *out = u;
    return 0;
}
