/*
 * db_upkeep.c — looking after spate.db while spate runs: the notices the
 * store had at open go to the health log, and rolling backups are made
 * into DATA_DIR/backups (spate.db_backups: how many are kept, 0 = none).
 *
 * When: at start when the newest backup is a day old or more (or there is
 * none), then once a day. How: sqlite's online backup API in steps of
 * BACKUP_STEP_PAGES pages, one step per BACKUP_TICK_MS turn of the loop,
 * so a large database never holds the loop for more than one step (1 MiB
 * of page copies: a few ms; bench/db_check measures it); the store's own writes between two steps
 * go into the copy as well. After each backup the oldest beyond the setting are deleted.
 */
#include "engine/engine_int.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "store/store.h"

#define BACKUP_EVERY_S (24 * 3600)
#define BACKUP_TICK_MS 20
#define BACKUP_STEP_PAGES 256
/* the first backup waits for start-up (adding every stored torrent) */
#define BACKUP_FIRST_DELAY_MS 2000

static int backups_kept(struct eng *e)
{
    return atoi(eng_setting_str(e, "spate.db_backups"));
}

static int backup_dir(struct eng *e, char *out, size_t n)
{
    int r = snprintf(out, n, "%s/backups", e->data_dir);
    return r > 0 && (size_t)r < n ? 0 : -1;
}

static void on_backup_timer(uv_timer_t *h);

/* Arms the timer for the next backup due (the newest + a day). */
static void schedule_next(struct eng *e, uint64_t min_ms)
{
    char dir[PATH_MAX];
    uint64_t ms = (uint64_t)BACKUP_EVERY_S * 1000;
    if (backup_dir(e, dir, sizeof dir) == 0) {
        int64_t age = (int64_t)time(NULL) - store_backup_newest(dir);
        ms = age >= BACKUP_EVERY_S ? 0 : (uint64_t)(BACKUP_EVERY_S - age) * 1000;
    }
    uv_timer_start(&e->backup_timer, on_backup_timer, ms > min_ms ? ms : min_ms, 0);
}

static void finish(struct eng *e, int ok)
{
    char path[PATH_MAX] = "", dir[PATH_MAX], m[PATH_MAX + 64];
    int rc = ok ? 0 : -1;
    if (e->backup) rc = store_backup_finish(e->backup, path, sizeof path) < 0 ? -1 : rc;
    e->backup = NULL;
    if (rc == 0 && backup_dir(e, dir, sizeof dir) == 0) {
        store_backups_prune(dir, backups_kept(e));
        snprintf(m, sizeof m, "database backed up to %s", path);
        eng_log_event(e, "info", NULL, m);
    } else {
        eng_log_event(e, "warn", NULL, "database backup failed; will try again in a day");
    }
}

static void on_backup_timer(uv_timer_t *h)
{
    struct eng *e = h->data;
    if (!e->backup) {
        char dir[PATH_MAX], err[PATH_MAX + 64] = "", m[PATH_MAX + 128];
        if (backups_kept(e) <= 0 || backup_dir(e, dir, sizeof dir) < 0) {
            /* off: look again in an hour, in case it is turned on */
            uv_timer_start(&e->backup_timer, on_backup_timer, 3600 * 1000, 0);
            return;
        }
        if (store_backup_begin(e->st, dir, &e->backup, err, sizeof err) < 0) {
            snprintf(m, sizeof m, "database backup: %s", err);
            eng_log_event(e, "warn", NULL, m);
            uv_timer_start(&e->backup_timer, on_backup_timer, (uint64_t)BACKUP_EVERY_S * 1000, 0);
            return;
        }
    }
    int rc = store_backup_step(e->backup, BACKUP_STEP_PAGES);
    if (rc == 1) {
        uv_timer_start(&e->backup_timer, on_backup_timer, BACKUP_TICK_MS, 0);
        return;
    }
    finish(e, rc == 0);
    schedule_next(e, 60 * 1000);
}

void eng_db_upkeep_start(struct eng *e)
{
    uv_timer_init(e->loop, &e->backup_timer);
    e->backup_timer.data = e;
    if (!e->st) return;
    const char *level, *note;
    for (size_t i = 0; (note = store_note(e->st, i, &level)); i++)
        eng_log_event(e, level, NULL, note);
    schedule_next(e, BACKUP_FIRST_DELAY_MS);
}

void eng_db_upkeep_stop(struct eng *e)
{
    uv_timer_stop(&e->backup_timer);
    if (e->backup) store_backup_finish(e->backup, NULL, 0); /* incomplete: removed */
    e->backup = NULL;
    uv_close((uv_handle_t *)&e->backup_timer, NULL);
}
