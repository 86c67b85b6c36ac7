/*
 * disk_errors.c — torrent errors as episodes, and the retry after a full
 * disk.
 *
 * libtorrent reports the same failure once per write in flight and again
 * on every retry, and on a failed write it puts the torrent in upload mode
 * without an error in its status. An episode starts at the first report of
 * an error (logged once, shown as the torrent's error), counts the
 * repeats, and ends when a piece is verified again (the count goes to the
 * log). A torrent stopped by a full disk is retried every
 * spate.disk_full_retry_s (from the engine's one-second timer).
 */
#include "engine/engine_int.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Errors a retry can cure once space is freed: a full disk or quota, and
 * EFAULT, which is how libtorrent's mmap backend reports a page of a mapped
 * file that could not be allocated (SIGBUS on ENOSPC). */
bool eng_disk_full_errno(int err)
{
    return err == ENOSPC || err == EDQUOT || err == EFAULT;
}

/* ------------------------------------------------------- errors, disk full */

static uint64_t retry_period_ms(struct eng *e)
{
    return (uint64_t)eng_setting_int(e, "spate.disk_full_retry_s") * 1000;
}

/* A torrent error: the first report of an errno is logged; its repeats
 * (every write in flight fails the same way, and a retry on a still full
 * disk fails again) are only counted until the episode ends. */
void eng_torrent_error(struct eng *e, struct eng_tor *t, const struct lts_event *ev)
{
    const char *msg = ev->message && *ev->message ? ev->message : "torrent error";
    if (!t) {
        eng_log_event(e, "error", NULL, msg);
        return;
    }
    /* repeats: the same errno again, or, after a full disk, another sign of
     * it (the mmap backend reports ENOSPC and EFAULT by turns) or
     * libtorrent's own errors that follow from it (the hash check of a piece
     * whose write failed reads "file too short") */
    bool same = ev->error_errno && ev->error_errno == t->err_errno;
    bool follows = t->err_text && eng_disk_full_errno(t->err_errno) &&
                   (!ev->error_errno || eng_disk_full_errno(ev->error_errno));
    if (same || follows) {
        t->err_count++;
        if (t->err_cleared) {
            t->err_cleared = false;
            eng_set_str(&t->error, &t->pub.error, t->err_text);
            t->pub.state = ENG_STATE_ERROR;
            eng_emit(e, ENG_EV_UPDATED, &t->pub);
        }
        return;
    }
    char text[1200];
    if (ev->error_text && *ev->error_text && ev->error_path && *ev->error_path)
        snprintf(text, sizeof text, "%s (%s)", ev->error_text, ev->error_path);
    else
        snprintf(text, sizeof text, "%s", ev->error_text && *ev->error_text ? ev->error_text : msg);
    free(t->err_text);
    t->err_text = strdup(text);
    eng_set_str(&t->error, &t->pub.error, text);
    t->pub.state = ENG_STATE_ERROR;
    eng_log_event(e, "error", t, msg);
    t->err_errno = ev->error_errno;
    t->err_count = 1;
    t->err_cleared = false;
    t->err_retry_at = uv_now(e->loop) + retry_period_ms(e);
    eng_emit(e, ENG_EV_ERROR, &t->pub);
}

/* Takes t out of its error state and out of upload mode, which libtorrent
 * enters on a failed write and never leaves by itself: eng_clear_error() alone
 * leaves a torrent that keeps no download peers. */
void eng_clear_error(struct eng *e, struct eng_tor *t)
{
    lts_clear_error(t->h);
    lts_set_torrent_flags(t->h, 0, LTS_TF_UPLOAD_MODE);
    if (t->err_text) t->err_cleared = true;
    eng_set_str(&t->error, &t->pub.error, NULL);
    t->err_retry_at = uv_now(e->loop) + retry_period_ms(e);
}

/* A piece was verified and written: an error episode cleared before is
 * over; its count goes to the log. */
void eng_error_episode_end(struct eng *e, struct eng_tor *t)
{
    if (!t || !t->err_cleared) return;
    char msg[200];
    snprintf(msg, sizeof msg, "writing again after the error (reported %u times in all)",
             t->err_count);
    eng_log_event(e, "info", t, msg);
    t->err_errno = 0;
    free(t->err_text);
    t->err_text = NULL;
    t->err_count = 0;
    t->err_cleared = false;
}

/* Every second: torrents stopped by a full disk (not paused by the user)
 * are retried every spate.disk_full_retry_s; on a disk still full the
 * error comes back and is counted, not logged. */
void eng_disk_full_retry(struct eng *e)
{
    uint64_t period = retry_period_ms(e), now = uv_now(e->loop);
    if (!period) return;
    for (size_t i = 0; i < e->n; i++) {
        struct eng_tor *t = e->tors[i];
        if (!t->pub.error || !*t->pub.error || t->pub.user_paused) continue;
        if (!eng_disk_full_errno(t->err_errno) || now < t->err_retry_at) continue;
        eng_clear_error(e, t);
        lts_resume(t->h); /* libtorrent pauses a torrent whose read failed */
    }
}
