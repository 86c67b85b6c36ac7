/*
 * help.c — the help overlay (`?`), generated from the keymap table.
 *
 * One line per action that has keys: its keys ("j, Down"), its help text
 * and, at the right edge when there is room, its name for spate.keys,
 * under a heading per group (groups in the order the table first names
 * them). Nothing here names a key: the table in keymap.c is the truth, so
 * rebinding a key changes the help too.
 */
#include "ui/ui_int.h"

#include <stdio.h>
#include <string.h>

#include "ui/format.h"
#include "ui/pane_peers.h"

#define KEYS_COLS 18
#define MAX_COLS 78 /* the overlay's width at most */

struct help_line {
    const char *heading; /* a group heading, "" a blank line, or NULL */
    char keys[64];
    const char *text;
    const char *name; /* the action's name, for spate.keys */
};

#define MAX_LINES 192 /* headings, blank lines and actions: about 130 today */
#define MAX_GROUPS 32

/* A section of "KEY\tTEXT" lines (ui_peer_flag_legend) under a heading. */
static int add_legend(struct help_line *lines, int n, int max, const char *heading,
                      const char *text)
{
    static char buf[1024]; /* the lines' texts point into it */
    snprintf(buf, sizeof buf, "%s", text);
    if (n + 2 > max) return n;
    lines[n++] = (struct help_line){.heading = ""};
    lines[n++] = (struct help_line){.heading = heading};
    char *save = NULL;
    for (char *l = strtok_r(buf, "\n", &save); l && n < max; l = strtok_r(NULL, "\n", &save)) {
        char *tab = strchr(l, '\t');
        if (!tab) continue;
        *tab = '\0';
        lines[n] = (struct help_line){.text = tab + 1, .name = ""};
        snprintf(lines[n].keys, sizeof lines[n].keys, "%s", l);
        n++;
    }
    return n;
}

static int build(struct help_line *lines, int max)
{
    const char *groups[MAX_GROUPS];
    size_t n_groups = 0;
    const struct ui_action_info *a;
    for (size_t i = 0; (a = ui_keymap_action_at(i)) != NULL; i++) {
        size_t g = 0;
        while (g < n_groups && strcmp(groups[g], a->group) != 0)
            g++;
        if (g == n_groups && n_groups < MAX_GROUPS) groups[n_groups++] = a->group;
    }
    int n = 0;
    for (size_t g = 0; g < n_groups; g++) {
        bool headed = false;
        for (size_t i = 0; (a = ui_keymap_action_at(i)) != NULL && n < max; i++) {
            char keys[64];
            if (strcmp(a->group, groups[g]) != 0) continue;
            if (ui_keymap_keys_for(a->scope, a->action, keys, sizeof keys) == 0) continue;
            if (!headed) {
                if (n && n < max) lines[n++] = (struct help_line){.heading = ""};
                if (n < max) lines[n++] = (struct help_line){.heading = a->group};
                headed = true;
            }
            if (n >= max) break;
            lines[n] = (struct help_line){.text = a->help, .name = a->name};
            snprintf(lines[n].keys, sizeof lines[n].keys, "%s", keys);
            n++;
        }
    }
    n = add_legend(lines, n, max, "Peer flags (Peers tab)", ui_peer_flag_legend());
    if (n + 2 <= max) {
        lines[n++] = (struct help_line){.heading = ""};
        lines[n++] = (struct help_line){
            .text = "other keys: spate config set spate.keys NAME=KEY,... (names at the right)"};
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
    *w = avail_w - 4 < MAX_COLS ? avail_w - 4 : MAX_COLS;
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
        if (!l->name) { /* a note across the whole line */
            wattrset(hw, ui_attr(UI_EL_EMPTY));
            ui_put(hw, l->text, inner, false);
            continue;
        }
        int kc = KEYS_COLS < inner / 2 ? KEYS_COLS : inner / 2;
        wattrset(hw, ui_attr(UI_EL_HELP_KEY));
        ui_put(hw, l->keys, kc, true);
        wattrset(hw, ui_attr(UI_EL_HELP));
        waddch(hw, ' ');
        int room = inner - kc - 1;
        int tw = ui_put(hw, l->text, room, false);
        int nw = ui_str_width(l->name);
        if (tw + 2 + nw <= room) { /* the name at the right edge, when it fits */
            wmove(hw, 2 + r, 2 + inner - nw);
            wattrset(hw, ui_attr(UI_EL_EMPTY));
            ui_put(hw, l->name, nw, false);
        }
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
