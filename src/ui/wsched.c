/*
 * wsched.c — the settings editor's weekly schedule grid; see
 * wsched.h.
 *
 * The grid has no state of its own: every cell is read from the minute
 * bitmap when drawn, and every key changes the bitmap. The canonical text
 * shown under the grid is formatted once per change, not per frame (it can
 * be long: SCHED_TEXT_MAX bytes).
 */
#include "ui/wsched.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ui/format.h"
#include "ui/set.h"

/* ---- the grid ----------------------------------------------------------------------- */

static bool in_range(int day, int hour)
{
    return day >= 0 && day < UI_WSCHED_DAYS && hour >= 0 && hour < UI_WSCHED_HOURS;
}

static bool minute_on(const struct sched *s, int m)
{
    return (s->bits[m / 8] >> (m % 8)) & 1;
}

static void minute_set(struct sched *s, int m, bool on)
{
    if (on)
        s->bits[m / 8] |= (uint8_t)(1u << (m % 8));
    else
        s->bits[m / 8] &= (uint8_t) ~(1u << (m % 8));
}

static int first_minute(int day, int hour)
{
    return day * 24 * 60 + hour * 60;
}

enum ui_wsched_cell ui_wsched_cell(const struct sched *s, int day, int hour)
{
    if (!in_range(day, hour)) return UI_WSCHED_OFF;
    int m0 = first_minute(day, hour), on = 0;
    for (int m = m0; m < m0 + 60; m++)
        on += minute_on(s, m);
    return on == 60 ? UI_WSCHED_ON : on ? UI_WSCHED_PART : UI_WSCHED_OFF;
}

void ui_wsched_to_grid(const struct sched *s, char grid[UI_WSCHED_DAYS][UI_WSCHED_HOURS])
{
    for (int d = 0; d < UI_WSCHED_DAYS; d++)
        for (int h = 0; h < UI_WSCHED_HOURS; h++)
            grid[d][h] = (char)ui_wsched_cell(s, d, h);
}

void ui_wsched_from_grid(const char grid[UI_WSCHED_DAYS][UI_WSCHED_HOURS], const struct sched *base,
                         struct sched *out)
{
    struct sched s;
    memset(&s, 0, sizeof s);
    for (int d = 0; d < UI_WSCHED_DAYS; d++)
        for (int h = 0; h < UI_WSCHED_HOURS; h++) {
            int m0 = first_minute(d, h);
            for (int m = m0; m < m0 + 60; m++) {
                bool on = grid[d][h] == UI_WSCHED_ON ||
                          (grid[d][h] == UI_WSCHED_PART && (!base || minute_on(base, m)));
                minute_set(&s, m, on);
            }
        }
    *out = s;
}

void ui_wsched_set_hour(struct sched *s, int day, int hour, bool on)
{
    if (!in_range(day, hour)) return;
    int m0 = first_minute(day, hour);
    for (int m = m0; m < m0 + 60; m++)
        minute_set(s, m, on);
}

void ui_wsched_toggle_cell(struct sched *s, int day, int hour)
{
    ui_wsched_set_hour(s, day, hour, ui_wsched_cell(s, day, hour) != UI_WSCHED_ON);
}

void ui_wsched_toggle_day(struct sched *s, int day)
{
    if (day < 0 || day >= UI_WSCHED_DAYS) return;
    bool all = true;
    for (int h = 0; h < UI_WSCHED_HOURS && all; h++)
        all = ui_wsched_cell(s, day, h) == UI_WSCHED_ON;
    for (int h = 0; h < UI_WSCHED_HOURS; h++)
        ui_wsched_set_hour(s, day, h, !all);
}

void ui_wsched_toggle_hour(struct sched *s, int hour)
{
    if (hour < 0 || hour >= UI_WSCHED_HOURS) return;
    bool all = true;
    for (int d = 0; d < UI_WSCHED_DAYS && all; d++)
        all = ui_wsched_cell(s, d, hour) == UI_WSCHED_ON;
    for (int d = 0; d < UI_WSCHED_DAYS; d++)
        ui_wsched_set_hour(s, d, hour, !all);
}

void ui_wsched_clear(struct sched *s)
{
    memset(s, 0, sizeof *s);
}

/* ---- the overlay -------------------------------------------------------------------- */

struct ui_wsched_editor {
    const struct reg_key *k;
    char title[256];
    struct sched s, orig;
    int day, hour; /* the cursor */
    char *text;    /* sched_format(&s), SCHED_TEXT_MAX bytes */
};

static void format_text(struct ui_wsched_editor *ed)
{
    if (sched_format(&ed->s, ed->text, SCHED_TEXT_MAX) < 0) ed->text[0] = '\0';
}

struct ui_wsched_editor *ui_wsched_open(const struct reg_key *k, const char *value,
                                        const char *title, char *err, size_t errlen)
{
    struct ui_wsched_editor *ed = calloc(1, sizeof *ed);
    char *text = malloc(SCHED_TEXT_MAX);
    if (!ed || !text) {
        free(ed);
        free(text);
        snprintf(err, errlen, "%s: out of memory", k->key);
        return NULL;
    }
    ed->k = k;
    ed->text = text;
    snprintf(ed->title, sizeof ed->title, "%s", title ? title : k->key);
    char why[256];
    if (sched_parse(value ? value : "", &ed->s, why, sizeof why) < 0) {
        snprintf(err, errlen, "%s: %s", k->key, why);
        ui_wsched_close(ed);
        return NULL;
    }
    ed->orig = ed->s;
    format_text(ed);
    return ed;
}

void ui_wsched_close(struct ui_wsched_editor *ed)
{
    if (!ed) return;
    free(ed->text);
    free(ed);
}

const struct reg_key *ui_wsched_reg_key(const struct ui_wsched_editor *ed)
{
    return ed->k;
}

const char *ui_wsched_value(const struct ui_wsched_editor *ed)
{
    return ed->text;
}

bool ui_wsched_changed(const struct ui_wsched_editor *ed)
{
    return memcmp(&ed->s, &ed->orig, sizeof ed->s) != 0;
}

enum ui_wsched_result ui_wsched_key(struct ui_wsched_editor *ed, int key)
{
    switch (ui_keymap_lookup(UI_SCOPE_WSCHED, key)) {
    case UI_ACT_WSCHED_LEFT:
        if (ed->hour > 0) ed->hour--;
        return UI_WSCHED_EDITING;
    case UI_ACT_WSCHED_RIGHT:
        if (ed->hour + 1 < UI_WSCHED_HOURS) ed->hour++;
        return UI_WSCHED_EDITING;
    case UI_ACT_WSCHED_UP:
        if (ed->day > 0) ed->day--;
        return UI_WSCHED_EDITING;
    case UI_ACT_WSCHED_DOWN:
        if (ed->day + 1 < UI_WSCHED_DAYS) ed->day++;
        return UI_WSCHED_EDITING;
    case UI_ACT_WSCHED_TOGGLE:
        ui_wsched_toggle_cell(&ed->s, ed->day, ed->hour);
        break;
    case UI_ACT_WSCHED_DAY:
        ui_wsched_toggle_day(&ed->s, ed->day);
        break;
    case UI_ACT_WSCHED_HOUR:
        ui_wsched_toggle_hour(&ed->s, ed->hour);
        break;
    case UI_ACT_WSCHED_CLEAR:
        ui_wsched_clear(&ed->s);
        break;
    case UI_ACT_WSCHED_APPLY:
        return UI_WSCHED_APPLY;
    case UI_ACT_CANCEL:
        return UI_WSCHED_CANCEL;
    default: {
        /* Of the list's keys only help and redraw; the rest is ignored. */
        enum ui_action g = ui_keymap_lookup(UI_SCOPE_LIST, key);
        return g == UI_ACT_HELP || g == UI_ACT_REDRAW ? UI_WSCHED_PASS : UI_WSCHED_EDITING;
    }
    }
    format_text(ed);
    return UI_WSCHED_EDITING;
}

/* ---- drawing ------------------------------------------------------------------------ */

static const char *const day_names[UI_WSCHED_DAYS] = {"Mon", "Tue", "Wed", "Thu",
                                                      "Fri", "Sat", "Sun"};

#define LABEL_COLS 4 /* "Mon " */
#define GRID_COLS (LABEL_COLS + 2 * UI_WSCHED_HOURS)
#define BOX_MAX_W 64
#define TEXT_LINES 3  /* of the canonical text, at most */
#define FIXED_ROWS 12 /* borders, hours, 7 days, cursor line, hints */

static void hints(char *buf, size_t n)
{
    static const struct {
        enum ui_action a;
        const char *what;
    } h[] = {{UI_ACT_WSCHED_TOGGLE, "toggle"}, {UI_ACT_WSCHED_DAY, "day"},
             {UI_ACT_WSCHED_HOUR, "hour"},     {UI_ACT_WSCHED_CLEAR, "clear"},
             {UI_ACT_WSCHED_APPLY, "apply"},   {UI_ACT_CANCEL, "cancel"}};
    size_t o = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < sizeof h / sizeof h[0] && o < n; i++) {
        char k[32];
        ui_keymap_keys_for(UI_SCOPE_WSCHED, h[i].a, k, sizeof k);
        k[strcspn(k, ",")] = '\0';
        if (!k[0]) continue;
        int r = snprintf(buf + o, n - o, "%s%s %s", o ? "  " : "", k, h[i].what);
        if (r < 0) break;
        o += (size_t)r;
    }
}

/* The canonical text on up to `lines` lines of `cols` columns from (y, x),
 * word-wrapped, the last line cut with an ellipsis if there is more. */
static void draw_text(struct ui_wsched_editor *ed, WINDOW *w, int y, int x, int lines, int cols)
{
    char buf[1024];
    if (!ed->text[0]) {
        wattrset(w, ui_attr(UI_EL_EMPTY));
        wmove(w, y, x);
        ui_put(w, "= \"\" (never active)", cols, false);
        return;
    }
    wattrset(w, ui_attr(UI_EL_HELP));
    const char *t = ed->text;
    for (int r = 0; r < lines && *t; r++) {
        const char *lead = r == 0 ? "= " : "  ";
        size_t next, len = ui_set_wrap(t, cols - 2, &next);
        if (r == lines - 1 && t[next]) len = sizeof buf - 3; /* the rest: cut by ui_put */
        snprintf(buf, sizeof buf, "%s%.*s", lead, (int)len, t);
        wmove(w, y + r, x);
        ui_put(w, buf, cols, false);
        t += next;
    }
}

void ui_wsched_draw(struct ui_wsched_editor *ed, WINDOW *w)
{
    int h, width;
    getmaxyx(w, h, width);
    attr_t box = ui_attr(UI_EL_HELP);
    int bw = width < BOX_MAX_W ? width : BOX_MAX_W;
    int text_lines = h - FIXED_ROWS < TEXT_LINES ? h - FIXED_ROWS : TEXT_LINES;
    if (bw < GRID_COLS + 2 || text_lines < 0) {
        /* Too small for the grid: say so where the grid would be. */
        wattrset(w, ui_attr(UI_EL_MSG_WARN));
        wmove(w, h / 2, 0);
        ui_put(w, "the schedule grid needs 54x14: enlarge the terminal (Esc leaves)", width, true);
        wattrset(w, A_NORMAL);
        return;
    }
    int bh = FIXED_ROWS + text_lines;
    int y = (h - bh) / 2, x = (width - bw) / 2, inner = bw - 2;
    int gx = x + 1 + (inner - GRID_COLS) / 2; /* the grid, centred */
    ui_draw_box(w, y, x, bh, bw, box);
    char title[300];
    snprintf(title, sizeof title, " %s ", ed->title);
    wattrset(w, ui_attr(UI_EL_HELP_TITLE));
    wmove(w, y, x + 2);
    ui_put(w, title, bw - 4, false);

    /* Hours every three columns' worth, over their cells. */
    wattrset(w, ui_attr(UI_EL_HELP_TITLE));
    for (int hr = 0; hr < UI_WSCHED_HOURS; hr += 3)
        mvwprintw(w, y + 1, gx + LABEL_COLS + 2 * hr, "%02d", hr);
    for (int d = 0; d < UI_WSCHED_DAYS; d++) {
        int row = y + 2 + d;
        wattrset(w, ui_attr(UI_EL_HELP_TITLE));
        mvwaddstr(w, row, gx, day_names[d]);
        for (int hr = 0; hr < UI_WSCHED_HOURS; hr++) {
            enum ui_wsched_cell c = ui_wsched_cell(&ed->s, d, hr);
            attr_t a = c == UI_WSCHED_OFF ? box : ui_attr(UI_EL_HELP_KEY);
            if (d == ed->day && hr == ed->hour) a = ui_attr(UI_EL_SELECTED);
            wattrset(w, a);
            mvwaddch(w, row, gx + LABEL_COLS + 2 * hr, (chtype)c);
        }
    }

    char line[256];
    enum ui_wsched_cell c = ui_wsched_cell(&ed->s, ed->day, ed->hour);
    snprintf(line, sizeof line, "%s %02d:00-%02d:00: %s%s", day_names[ed->day], ed->hour,
             ed->hour + 1,
             c == UI_WSCHED_ON     ? "active"
             : c == UI_WSCHED_PART ? "partly active"
                                   : "inactive",
             ui_wsched_changed(ed) ? "   (changed)" : "");
    wattrset(w, box);
    wmove(w, y + 2 + UI_WSCHED_DAYS, gx);
    ui_put(w, line, inner - (gx - x - 1), false);
    if (text_lines > 0) draw_text(ed, w, y + 3 + UI_WSCHED_DAYS, x + 2, text_lines, inner - 2);

    hints(line, sizeof line);
    wattrset(w, ui_attr(UI_EL_HELP_KEY));
    wmove(w, y + bh - 2, x + 2);
    ui_put(w, line, inner - 2, false);
    wattrset(w, A_NORMAL);
}
