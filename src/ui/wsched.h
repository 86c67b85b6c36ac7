/*
 * wsched.h — the settings editor's weekly schedule grid (private to
 * src/ui/): a boxed overlay that edits a REG_SCHEDULE key
 * (spate.alt_speed_schedule) hour by hour.
 *
 *    ┌ spate.alt_speed_schedule ──────────────────────────────────┐
 *    │     00    03    06    09    12    15    18    21           │
 *    │ Mon . . . . . . . . # # . . . . . . . . . . . . . .        │
 *    │ ...                                       (7 days)         │
 *    │ Sun . . . . . . . . . . + . . . . . . . . . . . . .        │
 *    │ Mon 08:00-09:00: active                                    │
 *    │ = mon 08:00-10:00; sun 10:30-11:00                         │
 *    │ Space toggle  r day  c hour  x clear  w apply  Esc cancel  │
 *    └────────────────────────────────────────────────────────────┘
 *
 * A cell is one hour of one day: '#' active all of it, '.' not at all, '+'
 * part of it (the schedule has a minute boundary inside the hour). The
 * grid edits the minute bitmap itself (struct sched, engine/schedule.h):
 * setting a cell sets its 60 minutes, and the hours not touched keep their
 * minutes, so a schedule with "08:30" survives an edit elsewhere. Under
 * the grid, the canonical text (sched_format) of what is being edited.
 * At most 64 columns and 15 rows: it fits an 80x24 terminal.
 *
 * Two halves, as in wlist.h: the grid functions are pure (no
 * ncurses, no engine: tests/unit/test_ui_widgets.c drives them), the
 * overlay draws and takes keys of the keymap's UI_SCOPE_WSCHED; applying
 * is the caller's (pane_settings.c: eng_setting_store of ui_wsched_value).
 *
 * Thread-safety: loop thread only (like the whole UI); no globals.
 */
#ifndef SPATE_UI_WSCHED_H
#define SPATE_UI_WSCHED_H

#include <stdbool.h>
#include <stddef.h>

#include "engine/registry.h"
#include "engine/schedule.h"
#include "ui/ui_int.h"

/* ---- the grid (pure) -------------------------------------------------------------- */

#define UI_WSCHED_DAYS 7   /* rows: Monday first, as in struct sched */
#define UI_WSCHED_HOURS 24 /* columns */

/* What a cell shows. */
enum ui_wsched_cell {
    UI_WSCHED_OFF = '.',  /* no minute of the hour active */
    UI_WSCHED_ON = '#',   /* all 60 minutes active */
    UI_WSCHED_PART = '+', /* some */
};

/* The state of hour `hour` (0..23) of day `day` (0 = Monday .. 6);
 * UI_WSCHED_OFF when out of range. */
enum ui_wsched_cell ui_wsched_cell(const struct sched *s, int day, int hour);

/* The whole grid: grid[day][hour] is ui_wsched_cell(s, day, hour). */
void ui_wsched_to_grid(const struct sched *s, char grid[UI_WSCHED_DAYS][UI_WSCHED_HOURS]);

/* The schedule a grid stands for: '#' sets the whole hour, '.' (or any
 * other character) clears it, '+' keeps the minutes `base` has in that
 * hour (all of the hour when base is NULL). out may be base. */
void ui_wsched_from_grid(const char grid[UI_WSCHED_DAYS][UI_WSCHED_HOURS], const struct sched *base,
                         struct sched *out);

/* Sets (on) or clears every minute of one hour. Out of range: nothing. */
void ui_wsched_set_hour(struct sched *s, int day, int hour, bool on);

/* Space: an active hour goes off; an inactive or partly active one goes
 * active as a whole. */
void ui_wsched_toggle_cell(struct sched *s, int day, int hour);

/* r: every hour of the day off when all are active, else all active. */
void ui_wsched_toggle_day(struct sched *s, int day);

/* c: this hour of every day off when all seven are active, else all
 * active. */
void ui_wsched_toggle_hour(struct sched *s, int hour);

/* x: never active. */
void ui_wsched_clear(struct sched *s);

/* ---- the overlay ------------------------------------------------------------------ */

enum ui_wsched_result {
    UI_WSCHED_EDITING, /* the key was taken (or ignored): redraw */
    UI_WSCHED_APPLY,   /* apply ui_wsched_value(); close on success */
    UI_WSCHED_CANCEL,  /* close, nothing changed */
    UI_WSCHED_PASS,    /* not the grid's: help, redraw */
};

struct ui_wsched_editor;

/* Opens a grid for key k holding `value` (schedule text; NULL: ""),
 * titled `title` (NULL: the key), the cursor on Monday 00:00. NULL when
 * the value does not parse (err gets sched_parse's message) or out of
 * memory (err says so). Free with ui_wsched_close(). */
struct ui_wsched_editor *ui_wsched_open(const struct reg_key *k, const char *value,
                                        const char *title, char *err, size_t errlen);
void ui_wsched_close(struct ui_wsched_editor *ed);

/* The key it edits. */
const struct reg_key *ui_wsched_reg_key(const struct ui_wsched_editor *ed);

/* Handles one key (keymap encoding, UI_SCOPE_WSCHED). */
enum ui_wsched_result ui_wsched_key(struct ui_wsched_editor *ed, int key);

/* The canonical text of the grid (sched_format), borrowed until the next
 * ui_wsched_key or ui_wsched_close. */
const char *ui_wsched_value(const struct ui_wsched_editor *ed);

/* Whether the schedule differs from the one it opened with. */
bool ui_wsched_changed(const struct ui_wsched_editor *ed);

/* Draws the overlay centred in w (the settings editor's window). */
void ui_wsched_draw(struct ui_wsched_editor *ed, WINDOW *w);

#endif
