/*
 * statusbar.h — the pure part of the status line (private to src/ui/):
 * which of its parts fit a width. statusbar.c fills the parts from the
 * engine and draws the line; tests/unit/test_ui_layout.c checks the
 * compaction.
 *
 * Thread-safety: none needed (pure).
 */
#ifndef SPATE_UI_STATUSBAR_H
#define SPATE_UI_STATUSBAR_H

#include <stdbool.h>
#include <stddef.h>

/* The parts, each UTF-8 without the separators; NULL or "": not shown. */
struct ui_status_parts {
    const char *rates;        /* "↓ 1.0 MiB/s/2.0 MiB/s  ↑ 0 B/s" (rates/limits) */
    const char *rates_short;  /* "↓1.0 MiB/s/2.0 MiB/s ↑0 B/s" */
    bool alt;                 /* "ALT" after the rates */
    const char *counts;       /* "3 torrents: 1 downloading, 0 seeding, 2 paused, 0 error" */
    const char *counts_short; /* "3: 1 dl 0 seed 2 paused 0 err" */
    const char *free;         /* "12.3 GiB free" */
    const char *mount;        /* "mnt: ok" */
    const char *port;         /* "port 6881" */
    const char *hint;         /* "? help", right-aligned */
};

/* Writes the status line for `width` columns into buf: " rates │ ALT │
 * counts │ free │ mount │ port", padded, then the hint at the right
 * edge. When that is too wide, parts go in this order until it fits: the
 * hint, the long forms of counts and rates, the port, the mount status,
 * the free space, the counts; rates and ALT always stay (the caller cuts
 * what is still too wide). Returns the display width of buf. */
int ui_status_compose(char *buf, size_t n, int width, const struct ui_status_parts *p);

/* The mount status for the status line, from eng_mount_status(): a path
 * (starts with '/') "mnt: ok", "off" or "" "mnt: off", anything else (a
 * failure's text) "mnt: failed". Static. */
const char *ui_status_mount(const char *status);

#endif
