/*
 * help.c — the help overlay (`?`), generated from the keymap table.
 *
 * One line per action that has keys: its keys ("j, Down") and its help
 * text, under a heading per group. Nothing here names a key: the table in
 * keymap.c is the truth, so rebinding a key changes the help too.
 */
#include "ui/ui_int.h"

#include <stdio.h>
#include <string.h>

#include "ui/format.h"

#define KEYS_COLS 18

struct help_line {
    const char *heading; /* a group heading, or NULL */
    char keys[64];
    const char *text;
};

#define MAX_LINES 128 /* headings, blank lines and actions: about 75 today */

static int build(struct help_line *lines, int max)
{
    int n = 0;
    const char *group = NULL;
    const struct ui_action_info *a;
    for (size_t i = 0; (a = ui_keymap_action_at(i)) != NULL && n < max; i++) {
        char keys[64];
        if (ui_keymap_keys_for(a->scope, a->action, keys, sizeof keys) == 0) continue;
        if (!group || strcmp(group, a->group) != 0) {
            if (n && n < max) lines[n++] = (struct help_line){.heading = "", .text = NULL};
            if (n < max) lines[n++] = (struct help_line){.heading = a->group, .text = NULL};
            group = a->group;
        }
        if (n >= max) break;
        lines[n].heading = NULL;
        snprintf(lines[n].keys, sizeof lines[n].keys, "%s", keys);
        lines[n].text = a->help;
        n++;
    }
    return n;
}

void ui_help_close(struct ui *u)
{
    if (u->w_help) {
        delwin(u->w_help);
        u->w_help = NULL;
    }
    u->help_top = 0;
}

/* Geometry of the overlay on the current screen; false if it cannot fit. */
static bool geometry(struct ui *u, int n_lines, int *h, int *w, int *y, int *x)
{
    int avail_h = getmaxy(u->w_main);
    int avail_w = getmaxx(u->w_main);
    *w = avail_w - 4 < 64 ? avail_w - 4 : 64;
    *h = n_lines + 4 < avail_h - 2 ? n_lines + 4 : avail_h - 2;
    if (*w < 24 || *h < 5) {
        *w = avail_w;
        *h = avail_h;
    }
    if (*w < 10 || *h < 3) return false;
    *y = (avail_h - *h) / 2;
    *x = (avail_w - *w) / 2;
    return true;
}

void ui_help_draw(struct ui *u)
{
    struct help_line lines[MAX_LINES];
    int n = build(lines, MAX_LINES);
    int h, w, y, x;
    if (!geometry(u, n, &h, &w, &y, &x)) return;
    if (u->w_help) {
        int oh, ow, oy, ox;
        getmaxyx(u->w_help, oh, ow);
        getbegyx(u->w_help, oy, ox);
        if (oh != h || ow != w || oy != y || ox != x) ui_help_close(u);
    }
    if (!u->w_help) {
        int top = u->help_top;
        u->w_help = newwin(h, w, y, x);
        if (!u->w_help) return;
        u->help_top = top;
        leaveok(u->w_help, TRUE);
    }
    WINDOW *hw = u->w_help;
    int body = h - 4; /* border, title, border... */
    if (u->help_top > n - body) u->help_top = n - body > 0 ? n - body : 0;
    if (u->help_top < 0) u->help_top = 0;

    werase(hw);
    wbkgdset(hw, ' ' | ui_attr(UI_EL_HELP));
    wattrset(hw, ui_attr(UI_EL_HELP));
    box(hw, 0, 0);
    wattrset(hw, ui_attr(UI_EL_HELP_TITLE));
    wmove(hw, 0, 2);
    ui_put(hw, " spate keys ", w - 4, false);

    int inner = w - 4;
    for (int r = 0; r < body && u->help_top + r < n; r++) {
        const struct help_line *l = &lines[u->help_top + r];
        wmove(hw, 2 + r, 2);
        if (l->heading) {
            wattrset(hw, ui_attr(UI_EL_HELP_TITLE));
            ui_put(hw, l->heading, inner, false);
            continue;
        }
        int kc = KEYS_COLS < inner / 2 ? KEYS_COLS : inner / 2;
        wattrset(hw, ui_attr(UI_EL_HELP_KEY));
        ui_put(hw, l->keys, kc, true);
        wattrset(hw, ui_attr(UI_EL_HELP));
        waddch(hw, ' ');
        ui_put(hw, l->text, inner - kc - 1, false);
    }
    wattrset(hw, ui_attr(UI_EL_HELP));
    char foot[128];
    char close_keys[32];
    ui_keymap_keys_for(UI_SCOPE_LIST, UI_ACT_CANCEL, close_keys, sizeof close_keys);
    if (n > body)
        snprintf(foot, sizeof foot, " %d-%d of %d, %s closes ", u->help_top + 1,
                 u->help_top + body < n ? u->help_top + body : n, n, close_keys);
    else
        snprintf(foot, sizeof foot, " %s closes ", close_keys);
    int fw = ui_str_width(foot);
    wmove(hw, h - 1, w - fw - 2 > 1 ? w - fw - 2 : 1);
    ui_put(hw, foot, w - 2, false);
    wattrset(hw, A_NORMAL);
    wnoutrefresh(hw);
}

bool ui_help_action(struct ui *u, enum ui_action a)
{
    int page = u->w_help ? getmaxy(u->w_help) - 5 : 10;
    if (page < 1) page = 1;
    switch (a) {
    case UI_ACT_DOWN:
        u->help_top++;
        return true;
    case UI_ACT_UP:
        u->help_top--;
        return true;
    case UI_ACT_PAGE_DOWN:
        u->help_top += page;
        return true;
    case UI_ACT_PAGE_UP:
        u->help_top -= page;
        return true;
    case UI_ACT_HOME:
        u->help_top = 0;
        return true;
    case UI_ACT_END:
        u->help_top = MAX_LINES;
        return true;
    case UI_ACT_HELP:
    case UI_ACT_CANCEL:
    case UI_ACT_QUIT:
        ui_help_close(u);
        u->mode = UI_MODE_NORMAL;
        return true;
    default:
        return false;
    }
}
