/*
 * pane_settings.c — the settings editor: every session key of the registry
 * (engine/registry.h), or every per-torrent key for one torrent, grouped
 * under headings, one line each, and below them what the selected key
 * takes and holds.
 *
 *    Settings: 96 keys                * stored  + not default  ! native differs
 *    network
 *    *+  listen_interfaces            127.0.0.1:6881
 *        outgoing_interfaces          ""
 *   ...
 *    download_rate_limit: int, bytes/s, 0..2147483647          (detail area:
 *    download rate limit for the whole session; 0: unlimited    key, type and
 *    ...                                                        bounds, help,
 *    default 0   stored 1000   native 1000                      values)
 *
 * The lines come from set.c (rebuilt when the search changes);
 * each frame reads just the visible keys' values from the engine
 * (eng_setting_row). Editing goes through eng_setting_store with source
 * "tui", so the engine validates, clamps, applies at once and keeps the
 * history; its message is shown on the message line, an error changing
 * nothing. Per type: a bool toggles at once, an enum opens a small list
 * over the editor, a list (host:port, CIDR, URL lists, tags) the list
 * editor (wlist.c), a weekly schedule the schedule grid
 * (wsched.c), anything else opens the message-line prompt prefilled
 * with the value (a secret: empty and masked). `r` restores the default
 * after a y/n question. The two widgets take the keys of their own
 * keymap scopes while open (settings_key); what they apply goes through
 * commit() like any edit, and an error keeps them open.
 *
 * The same code edits one torrent (scope REG_TORRENT, opened with `S` on
 * the list): the rows are the registry's per-torrent keys, each value read
 * back with eng_torrent_opt_get for the visible rows, each change made
 * with eng_torrent_opt_set (its message an error, or a clamping warning).
 * A torrent's key has a value and a default only, no stored or native
 * value. `category` opens the list of categories (eng_categories) plus
 * "(none)"; a list key (trackers with their tiers, web_seeds, tags) opens
 * the list editor and is set as a whole; save_path, trackers and web_seeds
 * have no reset (see ui_set_can_reset).
 *
 * View state only: the scope and torrent, the search, the selected key,
 * the scroll, the choice list's cursor and the open widget.
 */
#include "ui/ui_int.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/registry.h"
#include "ui/format.h"
#include "ui/set.h"
#include "ui/wlist.h"
#include "ui/wsched.h"

#define QUERY_MAX 256
#define KEY_COLS_MIN 8
#define DETAIL_FULL 4  /* title, two lines of help, values */
#define DETAIL_SMALL 2 /* title, values */
#define SHOW_MAX 512   /* bytes of a value kept for display */

/* One entry of the choice list: an enum's names, or the categories. */
struct choice {
    char *label; /* shown: "(none)" */
    char *value; /* stored: "" */
};

struct settings_pane {
    struct ui_pane base;
    unsigned scope; /* REG_SESSION, or REG_TORRENT: torrent `id` */
    int id;
    struct ui_set_list list;
    bool built;
    char query[QUERY_MAX];
    long sel;                      /* the selected line (a key), -1: none */
    const struct reg_key *sel_key; /* the key last moved to, kept across searches */
    long top;                      /* first line shown */
    int page;                      /* list lines shown at the last draw */
    int key_cols;                  /* width of the longest key of the scope */
    size_t n_scope;                /* keys of the scope in the registry */
    bool picking;                  /* the choice list is open */
    int pick;                      /* its cursor: an index into choices */
    struct choice *choices;        /* owned, while picking */
    int n_choices;
    const struct reg_key *editing;   /* the key the value prompt is for */
    struct eng_setting_row *row;     /* scratch (16 KiB): one key at a time */
    struct ui_wlist_editor *wlist;   /* the list editor, while open (owned) */
    struct ui_wsched_editor *wsched; /* the schedule grid, while open (owned) */
};

static const struct reg_key *current(const struct settings_pane *sp)
{
    return sp->sel >= 0 && (size_t)sp->sel < sp->list.n ? sp->list.lines[sp->sel].k : NULL;
}

static void select_line(struct settings_pane *sp, long line)
{
    if (line < 0) return;
    sp->sel = line;
    sp->sel_key = sp->list.lines[line].k;
}

/* Rebuilds the lines for the current search, keeping the selected key
 * when it is still listed (or back again), else the first key. */
static void rebuild(struct settings_pane *sp, struct ui *u)
{
    if (ui_set_list_build(&sp->list, sp->scope, sp->query) < 0) {
        if (u) ui_msg(u, true, "settings: out of memory");
        return;
    }
    sp->built = true;
    sp->sel = ui_set_list_find(&sp->list, sp->sel_key);
    if (sp->sel < 0) sp->sel = ui_set_list_seek(&sp->list, 0, +1);
    sp->top = 0;
}

static void ensure_built(struct settings_pane *sp, struct ui *u)
{
    if (!sp->built) rebuild(sp, u);
}

static bool torrent_scope(const struct settings_pane *sp)
{
    return sp->scope == REG_TORRENT;
}

/* The torrent being edited, NULL if it is gone (or in session scope). */
static const struct eng_torrent *torrent(const struct settings_pane *sp, struct ui *u)
{
    return torrent_scope(sp) ? eng_torrent_by_id(u->eng, sp->id) : NULL;
}

/* Reads key k's values into sp->row; false (and a message) on failure. */
static bool read_row(struct settings_pane *sp, struct ui *u, const struct reg_key *k, bool say)
{
    int rc;
    if (torrent_scope(sp)) {
        char value[sizeof sp->row->effective], def[sizeof sp->row->def];
        rc = eng_torrent_opt_get(u->eng, sp->id, k->key, value, sizeof value);
        if (rc == 0 && eng_setting_default(k->key, def, sizeof def) < 0) def[0] = '\0';
        if (rc == 0) ui_set_torrent_row(sp->row, k, value, def);
        if (rc == -ENOENT && say) {
            ui_msg(u, true, "torrent %d is gone", sp->id);
            return false;
        }
    } else {
        rc = eng_setting_row(u->eng, k->key, sp->row);
    }
    if (rc < 0 && say) ui_msg(u, true, "cannot read %s: %s", k->key, strerror(-rc));
    return rc == 0;
}

/* A torrent's category is picked from the categories there are. */
static bool picks_category(const struct settings_pane *sp, const struct reg_key *k)
{
    return torrent_scope(sp) && (k->flags & REG_F_CATEGORY);
}

static void choices_free(struct settings_pane *sp)
{
    for (int i = 0; i < sp->n_choices; i++) {
        free(sp->choices[i].label);
        free(sp->choices[i].value);
    }
    free(sp->choices);
    sp->choices = NULL;
    sp->n_choices = 0;
}

static int choice_add(struct settings_pane *sp, const char *label, const char *value)
{
    struct choice *c = realloc(sp->choices, (size_t)(sp->n_choices + 1) * sizeof *c);
    if (!c) return -ENOMEM;
    sp->choices = c;
    c[sp->n_choices].label = strdup(label);
    c[sp->n_choices].value = strdup(value);
    if (!c[sp->n_choices].label || !c[sp->n_choices].value) {
        free(c[sp->n_choices].label);
        free(c[sp->n_choices].value);
        return -ENOMEM;
    }
    sp->n_choices++;
    return 0;
}

static int category_cb(const struct eng_category *c, void *ud)
{
    return choice_add(ud, c->name, c->name);
}

/* ---- drawing ----------------------------------------------------------------- */

static int key_cols(const struct settings_pane *sp, int width)
{
    int kc = sp->key_cols < width * 45 / 100 ? sp->key_cols : width * 45 / 100;
    return kc < KEY_COLS_MIN ? KEY_COLS_MIN : kc;
}

static void draw_title(struct settings_pane *sp, struct ui *u, WINDOW *w, int width)
{
    char left[QUERY_MAX + 1024];
    const char *legend = "* stored  + not default  ! native differs ";
    if (torrent_scope(sp)) {
        /* The torrent's name, then the count: cut from the right. */
        const struct eng_torrent *t = torrent(sp, u);
        int len = t ? snprintf(left, sizeof left, " Torrent %d: %.512s", sp->id, t->name)
                    : snprintf(left, sizeof left, " Torrent %d (removed)", sp->id);
        if (sp->query[0])
            snprintf(left + len, sizeof left - (size_t)len,
                     " \xe2\x80\x94 %zu of %zu settings match \"%s\"", sp->list.n_keys, sp->n_scope,
                     sp->query);
        else
            snprintf(left + len, sizeof left - (size_t)len, " \xe2\x80\x94 %zu settings",
                     sp->n_scope);
        legend = "+ not default ";
    } else if (sp->query[0]) {
        snprintf(left, sizeof left, " Settings: %zu of %zu keys match \"%s\"", sp->list.n_keys,
                 sp->n_scope, sp->query);
    } else {
        snprintf(left, sizeof left, " Settings: %zu keys", sp->n_scope);
    }
    int lw = ui_str_width(legend);
    wattrset(w, ui_attr(UI_EL_HEADER));
    wmove(w, 0, 0);
    if (ui_str_width(left) + 2 + lw <= width) {
        ui_put(w, left, width - lw, true);
        ui_put(w, legend, lw, false);
    } else {
        ui_put(w, left, width, true);
    }
    wattrset(w, A_NORMAL);
}

static void draw_key_line(struct settings_pane *sp, struct ui *u, WINDOW *w, int y, int width,
                          const struct reg_key *k, bool selected)
{
    char marks[UI_SET_MARKERS_COLS + 1] = "   ";
    char value[SHOW_MAX] = "?", key[256], line[1024];
    if (read_row(sp, u, k, false)) {
        ui_set_markers(marks, sp->row);
        ui_set_value_text(value, sizeof value, sp->row);
    }
    int kc = key_cols(sp, width);
    ui_fmt_fit(key, sizeof key, k->key, kc, false);
    snprintf(line, sizeof line, "%s %s %s", marks, key, value);
    wattrset(w, ui_attr(selected ? UI_EL_SELECTED : UI_EL_NORMAL));
    wmove(w, y, 0);
    ui_put(w, line, width, true);
    wattrset(w, A_NORMAL);
}

static void draw_lines(struct settings_pane *sp, struct ui *u, WINDOW *w, int rows, int width)
{
    const struct ui_set_list *l = &sp->list;
    if (l->n_keys == 0) {
        char hint[QUERY_MAX + 64];
        snprintf(hint, sizeof hint, "no setting matches \"%s\"", sp->query);
        int hw = ui_str_width(hint);
        wmove(w, 1 + rows / 2, hw < width ? (width - hw) / 2 : 0);
        wattrset(w, ui_attr(UI_EL_EMPTY));
        ui_put(w, hint, width, false);
        wattrset(w, A_NORMAL);
        return;
    }
    /* Keep the selection on screen, with its heading when just above it. */
    if (sp->sel >= 0) {
        if (sp->sel < sp->top) sp->top = sp->sel;
        if (sp->sel >= sp->top + rows) sp->top = sp->sel - rows + 1;
        if (rows > 1 && sp->top == sp->sel && sp->sel > 0 && !l->lines[sp->sel - 1].k) sp->top--;
    }
    if (sp->top + rows > (long)l->n) sp->top = (long)l->n > rows ? (long)l->n - rows : 0;
    if (sp->top < 0) sp->top = 0;

    for (int r = 0; r < rows && sp->top + r < (long)l->n; r++) {
        long i = sp->top + r;
        const struct ui_set_line *line = &l->lines[i];
        if (line->k) {
            draw_key_line(sp, u, w, 1 + r, width, line->k, i == sp->sel);
        } else {
            wattrset(w, ui_attr(UI_EL_HELP_TITLE));
            wmove(w, 1 + r, 0);
            waddch(w, ' ');
            ui_put(w, line->group, width - 1, false);
            wattrset(w, A_NORMAL);
        }
    }
}

static void draw_detail(struct settings_pane *sp, struct ui *u, WINDOW *w, int y0, int lines,
                        int width)
{
    const struct reg_key *k = current(sp);
    char buf[2048], desc[512];
    wattrset(w, ui_attr(UI_EL_HEADER));
    wmove(w, y0, 0);
    if (!k) {
        ui_put(w, "", width, true);
        wattrset(w, A_NORMAL);
        return;
    }
    ui_set_describe(desc, sizeof desc, k);
    snprintf(buf, sizeof buf, " %s: %s", k->key, desc);
    ui_put(w, buf, width, true);
    wattrset(w, A_NORMAL);

    /* Help, wrapped on the lines between the title and the values. */
    const char *help = k->help ? k->help : "";
    for (int y = y0 + 1; y < y0 + lines - 1 && *help; y++) {
        size_t next, len = ui_set_wrap(help, width - 2, &next);
        snprintf(buf, sizeof buf, " %.*s", (int)len, help);
        wmove(w, y, 0);
        ui_put(w, buf, width, false);
        help += next;
    }

    char def[SHOW_MAX], stored[SHOW_MAX], native[SHOW_MAX];
    if (torrent_scope(sp) && read_row(sp, u, k, false)) {
        /* A torrent's key has its value (shown above) and a default. */
        ui_set_show(def, sizeof def, sp->row->def);
        char why[UI_MSG_LEN];
        const char *list = ui_wlist_wants(k) ? "   Enter edits the list" : "";
        if (ui_set_add_only(k))
            snprintf(buf, sizeof buf, " chosen on add only, default %s", def);
        else if (ui_set_can_reset(k, sp->scope, why, sizeof why))
            snprintf(buf, sizeof buf, " default %s%s", def, list);
        else
            snprintf(buf, sizeof buf, " no default to restore%s", list);
    } else if (read_row(sp, u, k, false)) {
        ui_set_show(def, sizeof def, sp->row->def);
        if (sp->row->has_stored)
            ui_set_show(stored, sizeof stored, sp->row->stored);
        else
            snprintf(stored, sizeof stored, "-");
        if (sp->row->has_native)
            ui_set_show(native, sizeof native, sp->row->native);
        else
            snprintf(native, sizeof native, "-");
        snprintf(buf, sizeof buf, " default %s   stored %s   native %s", def, stored, native);
    } else {
        snprintf(buf, sizeof buf, " (cannot read the values)");
    }
    wattrset(w, ui_attr(UI_EL_EMPTY));
    wmove(w, y0 + lines - 1, 0);
    ui_put(w, buf, width, false);
    wattrset(w, A_NORMAL);
}

/* The choice list: a box under (or over) the selected line, at the value
 * column, scrolled to keep its cursor inside the list area. */
static void draw_picker(struct settings_pane *sp, WINDOW *w, int rows, int width)
{
    int m = sp->n_choices;
    if (m == 0 || rows < 3) return;
    int name_w = 0;
    for (int i = 0; i < m; i++) {
        int nw = ui_str_width(sp->choices[i].label);
        if (nw > name_w) name_w = nw;
    }
    int bw = name_w + 4, bh = m + 2;
    if (bh > rows) bh = rows;
    if (bw > width) bw = width;
    int shown = bh - 2;
    int x = UI_SET_MARKERS_COLS + 1 + key_cols(sp, width) + 1;
    if (x + bw > width) x = width - bw > 0 ? width - bw : 0;
    int sel_y = 1 + (int)(sp->sel - sp->top);
    int y = sel_y + 1;
    if (y + bh > 1 + rows) y = sel_y - bh >= 1 ? sel_y - bh : 1 + rows - bh;
    int first = sp->pick - shown + 1 > 0 ? sp->pick - shown + 1 : 0;

    attr_t box = ui_attr(UI_EL_HELP);
    ui_draw_box(w, y, x, bh, bw, box);
    for (int r = 0; r < shown; r++) {
        int i = first + r;
        char cell[256];
        snprintf(cell, sizeof cell, " %s", i < m ? sp->choices[i].label : "");
        wattrset(w, i == sp->pick ? ui_attr(UI_EL_SELECTED) : box);
        wmove(w, y + 1 + r, x + 1);
        ui_put(w, cell, bw - 2, true);
    }
    wattrset(w, A_NORMAL);
}

static void settings_draw(struct ui_pane *p, struct ui *u, WINDOW *w)
{
    struct settings_pane *sp = (struct settings_pane *)p;
    ensure_built(sp, u);
    int h, width;
    getmaxyx(w, h, width);
    int detail = h >= 12 ? DETAIL_FULL : h >= 6 ? DETAIL_SMALL : 0;
    int rows = h - 1 - detail;
    sp->page = rows > 0 ? rows : 1;
    draw_title(sp, u, w, width);
    if (rows > 0) draw_lines(sp, u, w, rows, width);
    if (detail) draw_detail(sp, u, w, h - detail, detail, width);
    if (sp->picking && rows > 0) draw_picker(sp, w, rows, width);
    if (sp->wlist) ui_wlist_draw(sp->wlist, w);
    if (sp->wsched) ui_wsched_draw(sp->wsched, w);
}

/* ---- changing ----------------------------------------------------------------- */

/* Stores `value` for k through the engine (the profile, or the torrent)
 * and says how it went. Returns the engine's code: < 0 changed nothing
 * (the message line has the engine's message). */
static int commit(struct settings_pane *sp, struct ui *u, const struct reg_key *k,
                  const char *value)
{
    char msg[UI_MSG_LEN] = "";
    int rc = torrent_scope(sp) ? eng_torrent_opt_set(u->eng, sp->id, k->key, value, msg, sizeof msg)
                               : eng_setting_store(u->eng, k->key, value, "tui", msg, sizeof msg);
    if (rc < 0) {
        ui_msg(u, true, "%s", msg[0] ? msg : strerror(-rc));
        return rc;
    }
    if (msg[0]) {
        ui_warn(u, "%s", msg); /* taken, but not as typed: clamped */
        return rc;
    }
    if (torrent_scope(sp) && k->type == REG_PATH) {
        /* move_storage: the value changes when libtorrent is done */
        ui_msg(u, false, "moving the files of %d to %s", sp->id, value);
        return rc;
    }
    char shown[SHOW_MAX] = "?";
    if (read_row(sp, u, k, false)) ui_set_show(shown, sizeof shown, sp->row->effective);
    ui_msg(u, false, "%s = %s", k->key, shown);
    return rc;
}

/* ---- the list editor and the schedule grid ------------------------------------- */

static void close_widgets(struct settings_pane *sp)
{
    ui_wlist_close(sp->wlist);
    sp->wlist = NULL;
    ui_wsched_close(sp->wsched);
    sp->wsched = NULL;
}

/* Opens the widget for k's type with its value (in sp->row); true if k
 * has one. */
static bool open_widget(struct settings_pane *sp, struct ui *u, const struct reg_key *k)
{
    char title[256], err[UI_MSG_LEN];
    if (!ui_wlist_wants(k) && k->type != REG_SCHEDULE) return false;
    if (torrent_scope(sp))
        snprintf(title, sizeof title, "%s of torrent %d", k->key, sp->id);
    else
        snprintf(title, sizeof title, "%s", k->key);
    close_widgets(sp);
    if (k->type == REG_SCHEDULE) {
        sp->wsched = ui_wsched_open(k, sp->row->effective, title, err, sizeof err);
        if (!sp->wsched) ui_msg(u, true, "%s", err);
    } else {
        sp->wlist = ui_wlist_open(k, sp->row->effective, title);
        if (!sp->wlist) ui_msg(u, true, "%s: out of memory", k->key);
    }
    return true;
}

/* w in a widget: its value through commit(); closed when taken, kept open
 * on an error so the user can fix it. */
static void apply_widget(struct settings_pane *sp, struct ui *u)
{
    const struct reg_key *k =
        sp->wlist ? ui_wlist_reg_key(sp->wlist) : ui_wsched_reg_key(sp->wsched);
    bool changed = sp->wlist ? ui_wlist_changed(sp->wlist) : ui_wsched_changed(sp->wsched);
    if (!changed) {
        ui_msg(u, false, "%s unchanged", k->key);
        close_widgets(sp);
        return;
    }
    char *list = sp->wlist ? ui_wlist_value(sp->wlist) : NULL;
    if (sp->wlist && !list) {
        ui_msg(u, true, "%s: out of memory", k->key);
        return;
    }
    int rc = commit(sp, u, k, list ? list : ui_wsched_value(sp->wsched));
    free(list);
    if (rc >= 0)
        close_widgets(sp);
    else if (sp->wlist)
        ui_wlist_failed(sp->wlist, u->msg); /* the cursor to the item it names */
}

/* While a widget is open it sees every key first (ui_pane.on_key). */
static bool settings_key(struct ui_pane *p, struct ui *u, int key)
{
    struct settings_pane *sp = (struct settings_pane *)p;
    const struct reg_key *k;
    bool apply, cancel;
    if (sp->wlist) {
        enum ui_wlist_result r = ui_wlist_key(sp->wlist, u, key);
        if (r == UI_WLIST_PASS) return false;
        k = ui_wlist_reg_key(sp->wlist);
        apply = r == UI_WLIST_APPLY;
        cancel = r == UI_WLIST_CANCEL;
    } else if (sp->wsched) {
        enum ui_wsched_result r = ui_wsched_key(sp->wsched, key);
        if (r == UI_WSCHED_PASS) return false;
        k = ui_wsched_reg_key(sp->wsched);
        apply = r == UI_WSCHED_APPLY;
        cancel = r == UI_WSCHED_CANCEL;
    } else {
        return false;
    }
    if (apply) apply_widget(sp, u);
    if (cancel) {
        ui_msg(u, false, "%s unchanged", k->key);
        close_widgets(sp);
    }
    return true;
}

/* Opens the choice list for k (an enum, or a torrent's category) with the
 * cursor on the current value. */
static void open_picker(struct settings_pane *sp, struct ui *u, const struct reg_key *k)
{
    choices_free(sp);
    int rc = 0;
    if (picks_category(sp, k)) {
        rc = choice_add(sp, "(none)", "");
        if (rc == 0) rc = eng_categories(u->eng, category_cb, sp);
        if (rc == 0 && sp->n_choices == 1)
            ui_msg(u, false, "no categories yet (spate category set NAME [KEY=VALUE]...)");
    } else {
        for (const struct reg_enum *e = k->enums; rc == 0 && e && e->name; e++)
            rc = choice_add(sp, e->name, e->name);
    }
    if (rc < 0) {
        choices_free(sp);
        ui_msg(u, true, "%s: %s", k->key, strerror(-rc));
        return;
    }
    sp->picking = true;
    sp->pick = 0;
    for (int i = 0; i < sp->n_choices; i++)
        if (strcmp(sp->choices[i].value, sp->row->effective) == 0) sp->pick = i;
}

static void close_picker(struct settings_pane *sp)
{
    sp->picking = false;
    choices_free(sp);
}

static void edit(struct settings_pane *sp, struct ui *u)
{
    const struct reg_key *k = current(sp);
    if (!k || !read_row(sp, u, k, true)) return;
    char label[sizeof u->prompt.label];
    if (picks_category(sp, k)) {
        open_picker(sp, u, k);
        return;
    }
    if (torrent_scope(sp) && ui_set_add_only(k)) {
        char why[UI_MSG_LEN];
        ui_set_can_reset(k, sp->scope, why, sizeof why);
        ui_warn(u, "%s", why);
        return;
    }
    if (open_widget(sp, u, k)) return;
    switch (k->type) {
    case REG_BOOL:
        commit(sp, u, k, strcmp(sp->row->effective, "true") == 0 ? "false" : "true");
        break;
    case REG_ENUM:
        open_picker(sp, u, k);
        break;
    default:
        ui_set_prompt_label(label, sizeof label, k);
        ui_prompt_start(&u->prompt, label);

        if (k->type == REG_SECRET)
            u->prompt.masked = true; /* and empty: the old one is never shown */
        else
            ui_prompt_set_text(&u->prompt, sp->row->effective);
        sp->editing = k;
        u->prompt_for = UI_PROMPT_FOR_SETTING;
        u->mode = UI_MODE_PROMPT;
        break;
    }
}

static void ask_reset(struct settings_pane *sp, struct ui *u)
{
    const struct reg_key *k = current(sp);
    if (!k) return;
    char def[SHOW_MAX], shown[SHOW_MAX], why[UI_MSG_LEN];
    if (!ui_set_can_reset(k, sp->scope, why, sizeof why)) {
        ui_warn(u, "%s", why);
        return;
    }
    if (eng_setting_default(k->key, def, sizeof def) < 0) def[0] = '\0';
    ui_set_show(shown, sizeof shown, def);
    if (torrent_scope(sp))
        ui_ask(u, UI_ACT_SETTINGS_RESET, (int)reg_index(k),
               "reset %s of torrent %d to its default (%s)?", k->key, sp->id, shown);
    else if (k->type == REG_SECRET)
        ui_ask(u, UI_ACT_SETTINGS_RESET, (int)reg_index(k), "reset %s to its default?", k->key);
    else
        ui_ask(u, UI_ACT_SETTINGS_RESET, (int)reg_index(k), "reset %s to its default (%s)?", k->key,
               shown);
}

void ui_pane_settings_reset(struct ui_pane *p, struct ui *u, int key_index)
{
    struct settings_pane *sp = (struct settings_pane *)p;
    const struct reg_key *k = key_index >= 0 ? reg_at((size_t)key_index) : NULL;
    if (!k) return;
    char msg[UI_MSG_LEN] = "";
    int rc;
    if (torrent_scope(sp)) {
        /* A torrent has no profile to forget: set the default. */
        char def[SHOW_MAX];
        if (!ui_set_can_reset(k, sp->scope, msg, sizeof msg)) {
            ui_warn(u, "%s", msg);
            return;
        }
        if (eng_setting_default(k->key, def, sizeof def) < 0) def[0] = '\0';
        msg[0] = '\0';
        rc = eng_torrent_opt_set(u->eng, sp->id, k->key, def, msg, sizeof msg);
    } else {
        rc = eng_setting_reset(u->eng, k->key, "tui", msg, sizeof msg);
    }
    if (rc < 0) {
        ui_msg(u, true, "%s", msg[0] ? msg : strerror(-rc));
        return;
    }
    char shown[SHOW_MAX] = "?";
    if (read_row(sp, u, k, false)) ui_set_show(shown, sizeof shown, sp->row->effective);
    ui_msg(u, false, "%s reset to the default: %s", k->key, shown);
}

void ui_pane_settings_prompt(struct ui_pane *p, struct ui *u, enum ui_prompt_result r)
{
    struct settings_pane *sp = (struct settings_pane *)p;
    if (u->prompt_for == UI_PROMPT_FOR_SEARCH) {
        /* Filter as the user types; Esc drops the search. */
        if (r == UI_PROMPT_CANCEL)
            sp->query[0] = '\0';
        else
            ui_prompt_text(&u->prompt, sp->query, sizeof sp->query);
        rebuild(sp, u);
        return;
    }
    if (ui_wlist_prompting(sp->wlist)) {
        ui_wlist_prompt(sp->wlist, u, r); /* the list editor's item prompt */
        return;
    }
    if (r == UI_PROMPT_EDITING) return;
    const struct reg_key *k = sp->editing;
    sp->editing = NULL;
    if (r != UI_PROMPT_SUBMIT || !k) return;
    static char value[UI_PROMPT_MAX * 4 + 1];
    ui_prompt_text(&u->prompt, value, sizeof value);
    if (k->type == REG_SECRET) {
        /* Prefilled empty: Enter on nothing keeps the secret. */
        if (value[0])
            commit(sp, u, k, value);
        else
            ui_msg(u, false, "%s unchanged", k->key);
        memset(value, 0, strlen(value));
        memset(u->prompt.text, 0, sizeof u->prompt.text);
        u->prompt.len = u->prompt.cursor = 0;
        return;
    }
    commit(sp, u, k, value);
}

/* ---- keys ------------------------------------------------------------------------- */

static void close_editor(struct settings_pane *sp, struct ui *u)
{
    close_picker(sp);
    close_widgets(sp);
    ui_focus(u, u->torrents);
}

static bool picker_action(struct settings_pane *sp, struct ui *u, enum ui_action a)
{
    const struct reg_key *k = current(sp);
    int m = sp->n_choices;
    switch (a) {
    case UI_ACT_DOWN:
        if (sp->pick + 1 < m) sp->pick++;
        return true;
    case UI_ACT_UP:
        if (sp->pick > 0) sp->pick--;
        return true;
    case UI_ACT_PAGE_DOWN:
    case UI_ACT_END:
        sp->pick = m > 0 ? m - 1 : 0;
        return true;
    case UI_ACT_PAGE_UP:
    case UI_ACT_HOME:
        sp->pick = 0;
        return true;
    case UI_ACT_SETTINGS_EDIT:
        if (k && sp->pick < m) {
            char *value = sp->choices[sp->pick].value;
            sp->choices[sp->pick].value = NULL;
            close_picker(sp);
            commit(sp, u, k, value);
            free(value);
        } else {
            close_picker(sp);
        }
        return true;
    case UI_ACT_SETTINGS_CLOSE:
    case UI_ACT_SETTINGS:
    case UI_ACT_TORRENT_SETTINGS:
    case UI_ACT_CANCEL:
        close_picker(sp);
        return true;
    case UI_ACT_HELP:
    case UI_ACT_REDRAW:
    case UI_ACT_QUIT:
        return false;
    default:
        return true;
    }
}

static bool settings_action(struct ui_pane *p, struct ui *u, enum ui_action a)
{
    struct settings_pane *sp = (struct settings_pane *)p;
    ensure_built(sp, u);
    if (sp->picking) return picker_action(sp, u, a);
    const struct ui_set_list *l = &sp->list;
    long page = sp->page > 1 ? sp->page - 1 : 1;
    switch (a) {
    case UI_ACT_DOWN:
        select_line(sp, ui_set_list_seek(l, sp->sel + 1, +1));
        return true;
    case UI_ACT_UP:
        select_line(sp, ui_set_list_seek(l, sp->sel - 1, -1));
        return true;
    case UI_ACT_PAGE_DOWN:
        select_line(sp, ui_set_list_seek(l, sp->sel + page, +1));
        return true;
    case UI_ACT_PAGE_UP:
        select_line(sp, ui_set_list_seek(l, sp->sel - page, -1));
        return true;
    case UI_ACT_HOME:
        select_line(sp, ui_set_list_seek(l, 0, +1));
        sp->top = 0;
        return true;
    case UI_ACT_END:
        select_line(sp, ui_set_list_seek(l, (long)l->n - 1, -1));
        return true;
    case UI_ACT_SETTINGS_EDIT:
        edit(sp, u);
        return true;
    case UI_ACT_SETTINGS_SEARCH:
        ui_prompt_start(&u->prompt, "/");
        ui_prompt_set_text(&u->prompt, sp->query);
        u->prompt_for = UI_PROMPT_FOR_SEARCH;
        u->mode = UI_MODE_PROMPT;
        return true;
    case UI_ACT_SETTINGS_RESET:
        ask_reset(sp, u);
        return true;
    case UI_ACT_SETTINGS_CLOSE:
    case UI_ACT_CANCEL:
        if (sp->query[0]) {
            sp->query[0] = '\0';
            rebuild(sp, u);
        } else {
            close_editor(sp, u);
        }
        return true;
    case UI_ACT_SETTINGS:
        close_editor(sp, u);
        return true;
    case UI_ACT_TORRENT_SETTINGS:
        /* e again leaves a torrent's editor; the session's ignores it */
        if (torrent_scope(sp)) close_editor(sp, u);
        return true;
    case UI_ACT_HELP:
    case UI_ACT_REDRAW:
    case UI_ACT_QUIT:
        return false; /* the UI's own */
    default:
        return true; /* torrent commands mean nothing here */
    }
}

static void settings_free(struct ui_pane *p)
{
    struct settings_pane *sp = (struct settings_pane *)p;
    ui_set_list_free(&sp->list);
    choices_free(sp);
    close_widgets(sp);
    free(sp->row);
    free(sp);
}

/* The session's editor and a torrent's (the scope is per instance). */
static const struct ui_pane_class settings_class = {
    .title = "Settings",
    .scope = UI_SCOPE_SETTINGS,
    .draw = settings_draw,
    .on_action = settings_action,
    .on_key = settings_key,
    .free = settings_free,
};

struct ui_pane *ui_pane_settings_new(unsigned scope)
{
    struct settings_pane *sp = calloc(1, sizeof *sp);
    if (!sp) return NULL;
    sp->row = malloc(sizeof *sp->row);
    if (!sp->row) {
        free(sp);
        return NULL;
    }
    sp->scope = scope == REG_TORRENT ? REG_TORRENT : REG_SESSION;
    sp->base.cls = &settings_class;
    sp->sel = -1;
    sp->page = 1;
    for (size_t i = 0; i < reg_count(); i++) {
        const struct reg_key *k = reg_at(i);
        if (!(k->scope & sp->scope)) continue;
        sp->n_scope++;
        int kw = ui_str_width(k->key);
        if (kw > sp->key_cols) sp->key_cols = kw;
    }
    return &sp->base;
}

void ui_pane_settings_open(struct ui_pane *p, int id)
{
    struct settings_pane *sp = (struct settings_pane *)p;
    close_picker(sp);
    close_widgets(sp);
    sp->editing = NULL;
    sp->id = id;
}
