/*
 * alerts.c — libtorrent's alerts in, the engine's events out.
 *
 * libtorrent's alert notify only sends on e->async (eng_notify, on its own
 * thread); eng_on_async drains every pending alert through the shim on the
 * loop thread and translates each into table changes (on_event): status
 * refreshes (apply_status), metadata, completion, resume data (resume.c),
 * torrent errors (disk_errors.c), pieces. Pieces libtorrent reports
 * finished are held back until their blocks are on disk and then handed
 * to the piece listener (the FUSE mount reads them with pread). What
 * changed goes out to the listeners registered here (eng_emit) and to the
 * health log (eng_log_event).
 */
#include "engine/engine_int.h"
#include "store/store.h"

#include <assert.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* --------------------------------------------------------------- events */

void eng_emit(struct eng *e, enum eng_event ev, const struct eng_torrent *t)
{
    assert(e->n_listeners <= ENG_MAX_LISTENERS);
    /* a listener may add or remove listeners (the mount moving on a setting
     * change): call the ones registered when the event began, unless
     * removed since */
    size_t n = e->n_listeners;
    struct eng_listener copy[ENG_MAX_LISTENERS];
    memcpy(copy, e->listeners, n * sizeof copy[0]);
    for (size_t i = 0; i < n; i++) {
        bool still = false;
        for (size_t j = 0; j < e->n_listeners && !still; j++)
            still = e->listeners[j].fn == copy[i].fn && e->listeners[j].ud == copy[i].ud;
        if (still) copy[i].fn(copy[i].ud, ev, t);
    }
}

void eng_log_event(struct eng *e, const char *level, const struct eng_tor *t, const char *msg)
{
    snprintf(e->last_log, sizeof e->last_log, "%s", msg ? msg : "");
    if (e->st) store_event_add(e->st, (int64_t)time(NULL), level, t ? t->pub.info_hash : NULL, msg);
    eng_emit(e, ENG_EV_LOG, t ? &t->pub : NULL);
}

void eng_add_listener(struct eng *e, eng_listener_fn fn, void *ud)
{
    if (!e || !fn || e->n_listeners == ENG_MAX_LISTENERS) return;
    e->listeners[e->n_listeners].fn = fn;
    e->listeners[e->n_listeners].ud = ud;
    e->n_listeners++;
}

void eng_remove_listener(struct eng *e, eng_listener_fn fn, void *ud)
{
    if (!e) return;
    for (size_t i = 0; i < e->n_listeners; i++) {
        if (e->listeners[i].fn != fn || e->listeners[i].ud != ud) continue;
        memmove(&e->listeners[i], &e->listeners[i + 1],
                (e->n_listeners - i - 1) * sizeof e->listeners[0]);
        e->n_listeners--;
        return;
    }
}

void eng_set_piece_listener(struct eng *e, eng_piece_fn fn, void *ud)
{
    if (!e) return;
    e->piece_fn = fn;
    e->piece_ud = ud;
}

void eng_log(struct eng *e, const char *level, int id, const char *msg)
{
    if (!e || !msg) return;
    eng_log_event(e, level ? level : "info", id > 0 ? eng_row_by_id(e, id) : NULL, msg);
}

const char *eng_last_log(const struct eng *e)
{
    return e ? e->last_log : "";
}

/* ---------------------------------------------------------------- status */

static enum eng_state state_of(const struct lts_status *s)
{
    if (s->error) return ENG_STATE_ERROR;
    if (s->paused) return s->auto_managed ? ENG_STATE_QUEUED : ENG_STATE_PAUSED;
    switch (s->state) {
    case LTS_ST_CHECKING_FILES:
    case LTS_ST_CHECKING_RESUME:
        return ENG_STATE_CHECKING;
    case LTS_ST_METADATA:
        return ENG_STATE_METADATA;
    case LTS_ST_FINISHED:
        return ENG_STATE_FINISHED;
    case LTS_ST_SEEDING:
        return ENG_STATE_SEEDING;
    case LTS_ST_DOWNLOADING:
    default:
        return ENG_STATE_DOWNLOADING;
    }
}

static void apply_status(struct eng_tor *t, const struct lts_status *s)
{
    struct eng_torrent *p = &t->pub;
    memcpy(p->info_hash_v2, s->info_hash_v2, sizeof p->info_hash_v2);
    if (s->name && *s->name) eng_set_str(&t->name, &p->name, s->name);
    if (s->save_path) eng_set_str(&t->save_path, &p->save_path, s->save_path);
    /* a failed write (a full disk) puts the torrent in upload mode without
     * an error in its status, and what follows from it may set another
     * ("file too short"): the episode's error stays shown until cleared */
    bool disk_full = t->err_text && !t->err_cleared && eng_disk_full_errno(t->err_errno);
    const char *err = disk_full ? t->err_text : s->error;
    /* other errors are libtorrent's to clear (a recheck does): then the
     * episode is over */
    if (t->err_text && !disk_full && !s->error) t->err_cleared = true;
    eng_set_str(&t->error, &p->error, err);
    p->state = err ? ENG_STATE_ERROR : state_of(s);
    p->user_paused = s->paused && !s->auto_managed;
    p->has_metadata = s->has_metadata;
    p->progress = s->progress;
    p->total_bytes = s->total;
    p->wanted_bytes = s->total_wanted;
    p->done_bytes = s->total_wanted_done;
    p->down_rate = s->down_rate;
    p->up_rate = s->up_rate;
    p->downloaded = s->all_time_download;
    p->uploaded = s->all_time_upload;
    p->session_downloaded = s->session_download;
    p->peers = s->num_peers;
    p->seeds = s->num_seeds;
    p->num_pieces = s->num_pieces;
    p->pieces_done = s->pieces_done;
    p->piece_length = s->piece_length;
    p->ratio =
        s->all_time_download > 0 ? (double)s->all_time_upload / (double)s->all_time_download : 0.0;
    int64_t left = s->total_wanted - s->total_wanted_done;
    p->eta_s = (left > 0 && s->down_rate > 0) ? left / s->down_rate
                                              : (left <= 0 && s->has_metadata ? 0 : -1);
    p->added_time = s->added_time;
    p->completed_time = s->completed_time;
    p->queue_pos = s->queue_position;
    p->seeding_time_s = s->seeding_time;
}

/* ------------------------------------------------- pieces reaching disk */

static void flushing_add(struct eng *e, int id, int piece)
{
    if (e->n_flushing == e->cap_flushing) {
        size_t cap = e->cap_flushing ? e->cap_flushing * 2 : 64;
        struct eng_piece_ref *n = realloc(e->flushing, cap * sizeof *n);
        if (!n) {
            /* cannot wait for it: report it now rather than never */
            e->piece_fn(e->piece_ud, id, piece);
            return;
        }
        e->flushing = n;
        e->cap_flushing = cap;
    }
    assert(e->n_flushing < e->cap_flushing);
    e->flushing[e->n_flushing].id = id;
    e->flushing[e->n_flushing++].piece = piece;
}

static int cmp_piece_ref(const void *a, const void *b)
{
    const struct eng_piece_ref *x = a, *y = b;
    if (x->id != y->id) return x->id < y->id ? -1 : 1;
    return (x->piece > y->piece) - (x->piece < y->piece);
}

static void flush_check(struct eng *e);

static void on_flush_timer(uv_timer_t *tm)
{
    flush_check(tm->data);
}

/* Reports the pieces whose blocks have all reached the disk: a reader of
 * the files (the FUSE bridge) may then read them with pread. The others
 * wait for the next drain or a short timer. */
static void flush_check(struct eng *e)
{
    if (!e->n_flushing || e->shut_down) return;
    if (!e->piece_fn) {
        e->n_flushing = 0;
        return;
    }
    qsort(e->flushing, e->n_flushing, sizeof *e->flushing, cmp_piece_ref);
    size_t keep = 0;
    int writing[256];
    for (size_t i = 0; i < e->n_flushing;) {
        size_t j = i;
        while (j < e->n_flushing && e->flushing[j].id == e->flushing[i].id)
            j++;
        struct eng_tor *t = eng_row_by_id(e, e->flushing[i].id);
        int nw = t ? lts_writing_pieces(t->h, writing, 256) : 0;
        for (size_t k = i; k < j; k++) {
            bool still = nw > 256; /* too many to tell: wait */
            for (int w = 0; w < nw && w < 256 && !still; w++)
                still = writing[w] == e->flushing[k].piece;
            if (!t) continue;
            if (still)
                e->flushing[keep++] = e->flushing[k];
            else
                e->piece_fn(e->piece_ud, e->flushing[k].id, e->flushing[k].piece);
        }
        i = j;
    }
    e->n_flushing = keep;
    if (keep) uv_timer_start(&e->flush_timer, on_flush_timer, 5, 0);
}

int eng_have_pieces(struct eng *e, int id, uint8_t *have, int n)
{
    struct eng_tor *t = e ? eng_row_by_id(e, id) : NULL;
    if (!t) return -ENOENT;
    int rc = lts_have_pieces(t->h, have, n);
    if (rc) return rc;
    /* libtorrent counts a piece as had before its last blocks are on disk:
     * leave those out until they are (reported to the piece listener) */
    int writing[256];
    int nw = lts_writing_pieces(t->h, writing, 256);
    for (int w = 0; w < nw && w < 256; w++) {
        if (writing[w] < 0 || writing[w] >= n || !have[writing[w]]) continue;
        have[writing[w]] = 0;
        if (e->piece_fn) flushing_add(e, id, writing[w]);
    }
    if (e->n_flushing) uv_timer_start(&e->flush_timer, on_flush_timer, 5, 0);
    return 0;
}

/* --------------------------------------------------------------- alerts */

static void on_event(void *ud, const struct lts_event *ev)
{
    struct eng *e = ud;
    struct eng_tor *t = ev->has_key ? eng_find_key(e, ev->key) : NULL;
    char msg[600];

    switch (ev->type) {
    case LTS_EV_STATUS:
        for (size_t i = 0; i < ev->n_status; i++) {
            struct eng_tor *x = eng_find_key(e, ev->status[i].key);
            if (x) apply_status(x, &ev->status[i]);
        }
        eng_seed_limits_check(e);
        eng_health_sample(e);
        eng_emit(e, ENG_EV_UPDATED, NULL);
        break;
    case LTS_EV_METADATA:
        if (!t) break;
        t->pub.has_metadata = true;
        if (ev->name && *ev->name) eng_set_str(&t->name, &t->pub.name, ev->name);
        eng_request_resume(e, t);
        eng_emit(e, ENG_EV_METADATA, &t->pub);
        break;
    case LTS_EV_FINISHED:
        if (!t) break;
        eng_error_episode_end(e, t);
        if (e->st) store_torrent_set_completed(e->st, t->pub.info_hash, (int64_t)time(NULL));
        eng_request_resume(e, t);
        eng_emit(e, ENG_EV_FINISHED, &t->pub);
        break;
    case LTS_EV_PAUSED:
        if (t) eng_request_resume(e, t);
        break;
    case LTS_EV_RESUME_DATA: {
        struct eng_tor *x = eng_find_key(e, ev->key);
        if (!x) x = t;
        if (x) {
            eng_store_resume(e, x, ev->data, ev->n_data);
            eng_resume_done(e, x);
        }
        break;
    }
    case LTS_EV_RESUME_FAILED:
        eng_resume_done(e, t);
        break;
    case LTS_EV_TORRENT_ERROR:
        eng_torrent_error(e, t, ev);
        break;
    case LTS_EV_LISTEN_OK:
        if (!e->listen_port) e->listen_port = ev->port;
        eng_health_listen(e, true, ev->message);
        break;
    case LTS_EV_LISTEN_FAILED:
        eng_health_listen(e, false, ev->message);
        eng_log_event(e, "error", NULL, ev->message);
        break;
    case LTS_EV_SESSION_STATS:
        eng_health_stats(e, ev->counters, ev->n_counters);
        break;
    case LTS_EV_WARNING:
        eng_log_event(e, "warn", t, ev->message);
        break;
    case LTS_EV_LOG:
        eng_log_event(e, "warn", t, ev->message);
        break;
    case LTS_EV_REMOVED:
        break;
    case LTS_EV_PIECE:
        eng_error_episode_end(e, t);
        if (t && e->piece_fn) flushing_add(e, t->pub.id, ev->piece);
        break;
    case LTS_EV_FILE_PRIO:
        /* priorities are applied by the disk thread after the call returns:
         * only now does resume data carry them */
        if (t) eng_request_resume_fresh(e, t);
        break;
    case LTS_EV_STORAGE_MOVED:
        if (!t) break;
        t->pub.moving = false;
        eng_set_str(&t->save_path, &t->pub.save_path, ev->message);
        if (e->st) store_torrent_set_save_path(e->st, t->pub.info_hash, ev->message);
        snprintf(msg, sizeof msg, "files moved to %s", ev->message);
        eng_log_event(e, "info", t, msg);
        eng_request_resume(e, t);
        eng_emit(e, ENG_EV_UPDATED, &t->pub);
        break;
    case LTS_EV_STORAGE_MOVE_FAILED:
        if (t) t->pub.moving = false;
        eng_log_event(e, "error", t, ev->message);
        break;
    case LTS_EV_PEER_BLOCKED:
        e->blocked_peers++;
        break;
    case LTS_EV_CHECKED:
        if (t && e->piece_fn) e->piece_fn(e->piece_ud, t->pub.id, -1);
        break;
    case LTS_EV_DROPPED:
        eng_log_event(e, "warn", NULL, ev->message);
        for (size_t i = 0; e->piece_fn && i < e->n; i++)
            e->piece_fn(e->piece_ud, e->tors[i]->pub.id, -1);
        break;
    }
}

void eng_drain(struct eng *e)
{
    lts_drain(e->ses, on_event, e);
    flush_check(e);
    if (e->in_batch) {
        if (store_commit(e->st) < 0) {
            store_rollback(e->st);
            snprintf(e->last_log, sizeof e->last_log, "store: commit of resume data failed");
        }
        e->in_batch = false;
    }
}

void eng_on_async(uv_async_t *a)
{
    eng_drain(a->data);
}

void eng_notify(void *ud)
{
    /* libtorrent thread: wake the loop, nothing else */
    uv_async_send(ud);
}
