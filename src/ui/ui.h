/*
 * ui.h — the terminal user interface (ncursesw), running on the loop thread
 * in the same process as the engine.
 *
 * The UI reads torrents only through the engine's table (engine.h) and keeps
 * nothing but view state of its own (selection, scroll, prompts). Keyboard
 * input arrives through a uv_poll on stdin, resizes through SIGWINCH, and it
 * redraws on engine events and on a timer.
 *
 * Thread-safety: loop thread only.
 */
#ifndef SPATE_UI_H
#define SPATE_UI_H

#include <uv.h>

struct eng;
struct ui;

/* Initialises ncurses on the controlling terminal and starts drawing.
 * `on_quit` is called on the loop thread once the user has confirmed quit;
 * the caller then shuts down and calls ui_free(). The status bar shows the
 * listen port from eng_get_stats(). Sets the locale from the environment
 * (LC_ALL, with LC_NUMERIC kept "C"). Registers an engine listener, which
 * ui_free() removes (so call it before eng_free). Returns 0 or a negative
 * error (-ENOTTY when stdin/stdout is not a terminal or TERM is unusable)
 * with a message in err. */
int ui_new(uv_loop_t *loop, struct eng *e, void (*on_quit)(void *ud), void *ud, struct ui **out,
           char *err, size_t errlen);

/* Restores the terminal, removes the engine listener and closes the UI's
 * handles; the memory is released by the handles' close callbacks, so run
 * the loop afterwards (as for eng_free). May be called from inside on_quit. NULL is allowed. For a
 * fatal-signal path use ui_emergency_restore() instead. */
void ui_free(struct ui *u);

/* Restores the terminal (endwin) without touching anything else; for
 * crash signal handlers. Async-signal-safe enough for that use. */
void ui_emergency_restore(void);

#endif
