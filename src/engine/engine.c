/*
 * engine.c — the torrent table, alert translation and persistence policy.
 *
 * The engine lives on the loop thread. libtorrent's alert notify only sends
 * on e->async; on_async() drains every pending alert through the shim and
 * updates the table. A status timer asks libtorrent for the torrents whose
 * status changed (post_torrent_updates, every spate.status_interval_ms), and
 * a resume timer saves resume data of the torrents that need it (every
 * spate.resume_interval_s). Resume data is also saved on pause, on
 * completion, on metadata arrival and at shutdown, and written to the store
 * in one transaction per drain.
 */
#include "engine/engine_int.h"
#include "engine/safefile.h"
#include "store/store.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

static void key_hex(const uint8_t key[LTS_KEY_LEN], char out[41])
{
    static const char hex[] = "0123456789abcdef";
    for (int i = 0; i < LTS_KEY_LEN; i++) {
        out[2 * i] = hex[key[i] >> 4];
        out[2 * i + 1] = hex[key[i] & 15];
    }
    out[40] = '\0';
}

static void emit(struct eng *e, enum eng_event ev, const struct eng_torrent *t)
{
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

void eng_emit(struct eng *e, enum eng_event ev, const struct eng_torrent *t)
{
    emit(e, ev, t);
}

void eng_log_event(struct eng *e, const char *level, const struct eng_tor *t, const char *msg)
{
    snprintf(e->last_log, sizeof e->last_log, "%s", msg ? msg : "");
    if (e->st) store_event_add(e->st, (int64_t)time(NULL), level, t ? t->pub.info_hash : NULL, msg);
    emit(e, ENG_EV_LOG, t ? &t->pub : NULL);
}

/* --------------------------------------------------------------- the map */

static size_t key_slot(const uint8_t key[LTS_KEY_LEN], size_t cap)
{
    uint64_t h;
    memcpy(&h, key, sizeof h); /* info-hashes are uniformly distributed */
    return (size_t)h & (cap - 1);
}

static void map_insert(struct eng_tor **map, size_t cap, struct eng_tor *t)
{
    size_t i = key_slot(t->key, cap);
    while (map[i])
        i = (i + 1) & (cap - 1);
    map[i] = t;
}

static int map_rebuild(struct eng *e, size_t want)
{
    size_t cap = 64;
    while (cap < want * 2)
        cap *= 2;
    struct eng_tor **m = calloc(cap, sizeof *m);
    if (!m) return -ENOMEM;
    for (size_t i = 0; i < e->n; i++)
        map_insert(m, cap, e->tors[i]);
    free(e->map);
    e->map = m;
    e->map_cap = cap;
    return 0;
}

static struct eng_tor *find_key(const struct eng *e, const uint8_t key[LTS_KEY_LEN])
{
    if (!e->map) return NULL;
    for (size_t i = key_slot(key, e->map_cap); e->map[i]; i = (i + 1) & (e->map_cap - 1))
        if (memcmp(e->map[i]->key, key, LTS_KEY_LEN) == 0) return e->map[i];
    return NULL;
}

struct eng_tor *eng_tor_by_id(const struct eng *e, int id)
{
    /* ids only grow and the table is ordered by id */
    size_t lo = 0, hi = e->n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (e->tors[mid]->pub.id < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < e->n && e->tors[lo]->pub.id == id ? e->tors[lo] : NULL;
}

/* ------------------------------------------------------------- the table */

void eng_set_str(char **slot, const char **pub, const char *v)
{
    if (v && *slot && strcmp(*slot, v) == 0) return;
    char *copy = v ? strdup(v) : NULL;
    if (v && !copy) return; /* keep the old value rather than lose it */
    free(*slot);
    *slot = copy;
    *pub = copy;
}

static struct eng_tor *table_insert(struct eng *e, const uint8_t key[LTS_KEY_LEN],
                                    struct lts_torrent *h, const char *name, const char *save_path)
{
    if (e->n == e->cap) {
        size_t cap = e->cap ? e->cap * 2 : 64;
        struct eng_tor **n = realloc(e->tors, cap * sizeof *n);
        if (!n) return NULL;
        e->tors = n;
        e->cap = cap;
    }
    if ((e->n + 1) * 2 > e->map_cap && map_rebuild(e, e->n + 1)) return NULL;
    struct eng_tor *t = calloc(1, sizeof *t);
    if (!t) return NULL;
    memcpy(t->key, key, LTS_KEY_LEN);
    t->h = h;
    t->pub.id = e->next_id++;
    key_hex(key, t->pub.info_hash);
    t->pub.eta_s = -1;
    t->pub.queue_pos = -1;
    t->pub.state = ENG_STATE_CHECKING;
    eng_set_str(&t->name, &t->pub.name, name && *name ? name : t->pub.info_hash);
    eng_set_str(&t->save_path, &t->pub.save_path, save_path ? save_path : "");
    eng_set_str(&t->category, &t->pub.category, "");
    eng_set_str(&t->tags, &t->pub.tags, "");
    e->tors[e->n++] = t;
    map_insert(e->map, e->map_cap, t);
    return t;
}

static void tor_free(struct eng_tor *t)
{
    if (!t) return;
    lts_torrent_free(t->h);
    free(t->name);
    free(t->save_path);
    free(t->error);
    free(t->err_text);
    free(t->category);
    free(t->tags);
    free(t);
}

static void table_remove(struct eng *e, struct eng_tor *t)
{
    for (size_t i = 0; i < e->n; i++) {
        if (e->tors[i] != t) continue;
        memmove(&e->tors[i], &e->tors[i + 1], (e->n - i - 1) * sizeof *e->tors);
        e->n--;
        break;
    }
    map_rebuild(e, e->n);
    tor_free(t);
}

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

/* Errors a retry can cure once space is freed: a full disk or quota, and
 * EFAULT, which is how libtorrent's mmap backend reports a page of a mapped
 * file that could not be allocated (SIGBUS on ENOSPC). */
static bool disk_full_errno(int err)
{
    return err == ENOSPC || err == EDQUOT || err == EFAULT;
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
    bool disk_full = t->err_text && !t->err_cleared && disk_full_errno(t->err_errno);
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

/* spate.seed_limit_action: a seed that reached its share ratio limit or
 * seed time limit (its category's, else the session's
 * share_ratio_limit / seed_time_limit; 0 = no limit) is paused or removed
 * (data kept). libtorrent itself only lets such a seed yield its queue
 * slot. */
static void seed_policy(struct eng *e)
{
    const char *action = eng_setting_str(e, "spate.seed_limit_action");
    if (strcmp(action, "none") == 0) return;
    int hit[64];
    size_t n_hit = 0;
    const int64_t session_ratio = eng_setting_int(e, "share_ratio_limit");
    const int64_t session_secs = eng_setting_int(e, "seed_time_limit");
    for (size_t i = 0; i < e->n && n_hit < 64; i++) {
        const struct eng_torrent *p = &e->tors[i]->pub;
        if (p->state != ENG_STATE_SEEDING && p->state != ENG_STATE_FINISHED) continue;
        int64_t ratio = session_ratio, secs = session_secs;

        int64_t cr, cs;
        if (*p->category && eng_category_seed_limits(e, p->category, &cr, &cs) == 0) {
            if (cr >= 0) ratio = cr;
            if (cs >= 0) secs = cs;
        }
        int64_t base = p->downloaded > 0 ? p->downloaded : p->wanted_bytes;
        bool by_ratio = ratio > 0 && base > 0 && p->uploaded * 100 >= ratio * base;
        bool by_time = secs > 0 && p->seeding_time_s >= secs;
        if (by_ratio || by_time) hit[n_hit++] = p->id;
    }
    for (size_t i = 0; i < n_hit; i++) {
        struct eng_tor *t = eng_tor_by_id(e, hit[i]);
        char msg[200];
        snprintf(msg, sizeof msg, "seeding limit reached: %s (spate.seed_limit_action)",
                 strcmp(action, "remove") == 0 ? "removed, data kept" : "paused");
        if (t) eng_log_event(e, "info", t, msg);
        if (strcmp(action, "remove") == 0)
            eng_remove(e, hit[i], false);
        else
            eng_pause(e, hit[i]);
    }
}

/* ------------------------------------------------------------ persistence */

void eng_request_resume(struct eng *e, struct eng_tor *t)
{
    if (!t->h || t->resume_pending) return;
    if (lts_save_resume(t->h) == 0) {
        t->resume_pending = true;
        e->resume_outstanding++;
    }
}

/* Like request_resume, but when a save is already under way it may predate
 * the change: ask again once it lands. */
static void request_resume_fresh(struct eng *e, struct eng_tor *t)
{
    if (t->resume_pending)
        t->resume_again = true;
    else
        eng_request_resume(e, t);
}

static void resume_done(struct eng *e, struct eng_tor *t)
{
    if (t && t->resume_pending) {
        t->resume_pending = false;
        if (e->resume_outstanding > 0) e->resume_outstanding--;
        if (t->resume_again) {
            t->resume_again = false;
            eng_request_resume(e, t);
        }
    }
}

static void store_resume(struct eng *e, struct eng_tor *t, const void *data, size_t n)
{
    if (!e->st) return;
    if (!e->in_batch && store_begin(e->st) == 0) e->in_batch = true;
    if (store_resume_put(e->st, t->pub.info_hash, t->pub.name, data, n) < 0)
        eng_log_event(e, "error", t, "could not write resume data to the store");
}

/* --------------------------------------------------------------- alerts */

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
        struct eng_tor *t = eng_tor_by_id(e, e->flushing[i].id);
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

/* ------------------------------------------------------- errors, disk full */

static uint64_t retry_period_ms(struct eng *e)
{
    return (uint64_t)eng_setting_int(e, "spate.disk_full_retry_s") * 1000;
}

/* A torrent error: the first report of an errno is logged; its repeats
 * (every write in flight fails the same way, and a retry on a still full
 * disk fails again) are only counted until the episode ends. */
static void on_torrent_error(struct eng *e, struct eng_tor *t, const struct lts_event *ev)
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
    bool follows = t->err_text && disk_full_errno(t->err_errno) &&
                   (!ev->error_errno || disk_full_errno(ev->error_errno));
    if (same || follows) {
        t->err_count++;
        if (t->err_cleared) {
            t->err_cleared = false;
            eng_set_str(&t->error, &t->pub.error, t->err_text);
            t->pub.state = ENG_STATE_ERROR;
            emit(e, ENG_EV_UPDATED, &t->pub);
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
    emit(e, ENG_EV_ERROR, &t->pub);
}

/* Takes t out of its error state and out of upload mode, which libtorrent
 * enters on a failed write and never leaves by itself: clear_error() alone
 * leaves a torrent that keeps no download peers. */
static void clear_error(struct eng *e, struct eng_tor *t)
{
    lts_clear_error(t->h);
    lts_set_torrent_flags(t->h, 0, LTS_TF_UPLOAD_MODE);
    if (t->err_text) t->err_cleared = true;
    eng_set_str(&t->error, &t->pub.error, NULL);
    t->err_retry_at = uv_now(e->loop) + retry_period_ms(e);
}

/* A piece was verified and written: an error episode cleared before is
 * over; its count goes to the log. */
static void error_episode_end(struct eng *e, struct eng_tor *t)
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
static void disk_full_retry(struct eng *e)
{
    uint64_t period = retry_period_ms(e), now = uv_now(e->loop);
    if (!period) return;
    for (size_t i = 0; i < e->n; i++) {
        struct eng_tor *t = e->tors[i];
        if (!t->pub.error || !*t->pub.error || t->pub.user_paused) continue;
        if (!disk_full_errno(t->err_errno) || now < t->err_retry_at) continue;
        clear_error(e, t);
        lts_resume(t->h); /* libtorrent pauses a torrent whose read failed */
    }
}

static void on_event(void *ud, const struct lts_event *ev)
{
    struct eng *e = ud;
    struct eng_tor *t = ev->has_key ? find_key(e, ev->key) : NULL;
    char msg[600];

    switch (ev->type) {
    case LTS_EV_STATUS:
        for (size_t i = 0; i < ev->n_status; i++) {
            struct eng_tor *x = find_key(e, ev->status[i].key);
            if (x) apply_status(x, &ev->status[i]);
        }
        seed_policy(e);
        eng_details_sample(e);
        emit(e, ENG_EV_UPDATED, NULL);
        break;
    case LTS_EV_METADATA:
        if (!t) break;
        t->pub.has_metadata = true;
        if (ev->name && *ev->name) eng_set_str(&t->name, &t->pub.name, ev->name);
        eng_request_resume(e, t);
        emit(e, ENG_EV_METADATA, &t->pub);
        break;
    case LTS_EV_FINISHED:
        if (!t) break;
        error_episode_end(e, t);
        if (e->st) store_torrent_set_completed(e->st, t->pub.info_hash, (int64_t)time(NULL));
        eng_request_resume(e, t);
        emit(e, ENG_EV_FINISHED, &t->pub);
        break;
    case LTS_EV_PAUSED:
        if (t) eng_request_resume(e, t);
        break;
    case LTS_EV_RESUME_DATA: {
        struct eng_tor *x = find_key(e, ev->key);
        if (!x) x = t;
        if (x) {
            store_resume(e, x, ev->data, ev->n_data);
            resume_done(e, x);
        }
        break;
    }
    case LTS_EV_RESUME_FAILED:
        resume_done(e, t);
        break;
    case LTS_EV_TORRENT_ERROR:
        on_torrent_error(e, t, ev);
        break;
    case LTS_EV_LISTEN_OK:
        if (!e->listen_port) e->listen_port = ev->port;
        eng_details_listen(e, true, ev->message);
        break;
    case LTS_EV_LISTEN_FAILED:
        eng_details_listen(e, false, ev->message);
        eng_log_event(e, "error", NULL, ev->message);
        break;
    case LTS_EV_SESSION_STATS:
        eng_details_stats(e, ev->counters, ev->n_counters);
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
        error_episode_end(e, t);
        if (t && e->piece_fn) flushing_add(e, t->pub.id, ev->piece);
        break;
    case LTS_EV_FILE_PRIO:
        /* priorities are applied by the disk thread after the call returns:
         * only now does resume data carry them */
        if (t) request_resume_fresh(e, t);
        break;
    case LTS_EV_STORAGE_MOVED:
        if (!t) break;
        t->pub.moving = false;
        eng_set_str(&t->save_path, &t->pub.save_path, ev->message);
        if (e->st) store_torrent_set_save_path(e->st, t->pub.info_hash, ev->message);
        snprintf(msg, sizeof msg, "files moved to %s", ev->message);
        eng_log_event(e, "info", t, msg);
        eng_request_resume(e, t);
        emit(e, ENG_EV_UPDATED, &t->pub);
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

static void drain(struct eng *e)
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

static void on_async(uv_async_t *a)
{
    drain(a->data);
}

static void notify(void *ud)
{
    /* libtorrent thread: wake the loop, nothing else */
    uv_async_send(ud);
}

static void on_status_timer(uv_timer_t *tm)
{
    struct eng *e = tm->data;
    lts_post_updates(e->ses);
}

static void on_resume_timer(uv_timer_t *tm)
{
    struct eng *e = tm->data;
    for (size_t i = 0; i < e->n; i++)
        if (lts_need_save_resume(e->tors[i]->h)) eng_request_resume(e, e->tors[i]);
}

void eng_timers_restart(struct eng *e)
{
    if (e->shut_down) return;
    uv_timer_start(&e->status_timer, on_status_timer, 0, e->status_interval_ms);
    uv_timer_start(&e->resume_timer, on_resume_timer, e->resume_interval_ms, e->resume_interval_ms);
}

/* ---------------------------------------------------------------- adding */

#define TORRENT_MAX_KEY "spate.torrent_file_max_bytes"

/* A .torrent file: a regular file under spate.torrent_file_max_bytes, not
 * in our mount, read without blocking on open (safefile.h). Blocks on slow
 * storage: the loop reads through eng_add_async's worker instead. */
static int read_file(struct eng *e, const char *path, void **out, size_t *n, char *err,
                     size_t errlen)
{
    int rc = eng_safe_read(path, ".torrent file", eng_setting_int(e, TORRENT_MAX_KEY),
                           TORRENT_MAX_KEY, e->mount_point, out, n, err, errlen);
    return rc == -ENOMEM ? rc : rc < 0 ? -EINVAL : 0;
}

/* Splits "HOST:PORT" or "[V6]:PORT" into an IP literal and a port. */
static int split_hostport(const char *hp, char *ip, size_t iplen, int *port)
{
    const char *colon;
    size_t hostlen;
    const char *host = hp;
    if (*hp == '[') {
        const char *close = strchr(hp, ']');
        if (!close || close[1] != ':') return -EINVAL;
        host = hp + 1;
        hostlen = (size_t)(close - host);
        colon = close + 1;
    } else {
        colon = strrchr(hp, ':');
        if (!colon) return -EINVAL;
        hostlen = (size_t)(colon - hp);
    }
    if (hostlen == 0 || hostlen >= iplen) return -EINVAL;
    char *end;
    long p = strtol(colon + 1, &end, 10);
    if (!colon[1] || *end || p <= 0 || p > 65535) return -EINVAL;
    memcpy(ip, host, hostlen);
    ip[hostlen] = '\0';
    if (strcmp(ip, "localhost") == 0) snprintf(ip, iplen, "127.0.0.1");
    *port = (int)p;
    return 0;
}

#define ENG_MAX_PEERS 64

struct peer_list {
    char ip[ENG_MAX_PEERS][64];
    const char *ptr[ENG_MAX_PEERS];
    int port[ENG_MAX_PEERS];
    size_t n;
};

static int parse_peers(const char *const *peers, size_t n, struct peer_list *pl, char *err,
                       size_t errlen)
{
    if (n > ENG_MAX_PEERS) {
        snprintf(err, errlen, "too many peers (at most %d)", ENG_MAX_PEERS);
        return -EINVAL;
    }
    pl->n = n;
    for (size_t i = 0; i < n; i++) {
        if (split_hostport(peers[i], pl->ip[i], sizeof pl->ip[i], &pl->port[i])) {
            snprintf(err, errlen, "invalid peer '%s': expected IP:PORT or [IPv6]:PORT", peers[i]);
            return -EINVAL;
        }
        pl->ptr[i] = pl->ip[i];
    }
    return 0;
}

/* One peer as stored and shown: "IP:PORT" or "[V6]:PORT". */
static void format_peer(const char *ip, int port, char *out, size_t n)
{
    snprintf(out, n, strchr(ip, ':') ? "[%s]:%d" : "%s:%d", ip, port);
}

/* The peers as the store keeps them: comma-joined, normalized. */
static void join_peers(const struct peer_list *pl, char *out, size_t n)
{
    size_t len = 0;
    out[0] = '\0';
    for (size_t i = 0; i < pl->n && len < n; i++) {
        char one[80];
        format_peer(pl->ip[i], pl->port[i], one, sizeof one);
        int r = snprintf(out + len, n - len, "%s%s", len ? "," : "", one);
        if (r < 0 || (size_t)r >= n - len) {
            out[len] = '\0';
            break;
        }
        len += (size_t)r;
    }
}

/* The stored peers of a torrent (comma-joined) into pl; an unusable one
 * is skipped with a warning, the rest still connect. */
static void stored_peers(struct eng *e, const char *row_peers, struct peer_list *pl)
{
    pl->n = 0;
    const char *s = row_peers ? row_peers : "";
    while (*s && pl->n < ENG_MAX_PEERS) {
        size_t len = strcspn(s, ",");
        char one[80];
        if (len && len < sizeof one) {
            memcpy(one, s, len);
            one[len] = '\0';
            if (split_hostport(one, pl->ip[pl->n], sizeof pl->ip[0], &pl->port[pl->n]) == 0) {
                pl->ptr[pl->n] = pl->ip[pl->n];
                pl->n++;
            } else {
                char m[160];
                snprintf(m, sizeof m, "stored peer '%s' is not IP:PORT; skipped", one);
                eng_log_event(e, "warn", NULL, m);
            }
        }
        s += len;
        if (*s == ',') s++;
    }
}

/* Adds to the session and the table; the store is the caller's business. */
static int add_to_session(struct eng *e, const struct lts_add *a, struct eng_tor **out, char *err,
                          size_t errlen)
{
    uint8_t key[LTS_KEY_LEN];
    char name[512] = "";
    int rc = lts_parse(a, key, name, sizeof name, err, errlen);
    if (rc) return rc;
    struct eng_tor *dup = find_key(e, key);
    if (dup) {
        snprintf(err, errlen, "torrent already added as %d", dup->pub.id);
        *out = dup;
        return -EEXIST;
    }
    struct lts_torrent *h;
    rc = lts_add_torrent(e->ses, a, &h, key, err, errlen);
    if (rc) return rc;
    /* spate never asks for upload mode: libtorrent enters it on a failed
     * write (a full disk) and resume data carries it across a restart,
     * where nothing would end it */
    lts_set_torrent_flags(h, 0, LTS_TF_UPLOAD_MODE);
    if (!a->resume) eng_apply_pex(e, h);
    if (*eng_setting_str(e, "spate.tracker_auth")) eng_apply_tracker_auth(e, h);
    struct eng_tor *t = table_insert(e, key, h, name, a->save_path);
    if (!t) {
        lts_remove(e->ses, h, false);
        lts_torrent_free(h);
        snprintf(err, errlen, "out of memory");
        return -ENOMEM;
    }
    t->pub.user_paused = a->paused;
    if (a->paused) t->pub.state = ENG_STATE_PAUSED;
    /* a .torrent or resume data carries the metadata: show its geometry at
     * once instead of after the first status refresh */
    struct lts_meta m;
    if (lts_files(h, &m, NULL, NULL) == 0) {
        t->pub.has_metadata = true;
        t->pub.total_bytes = m.total_size;
        t->pub.num_pieces = m.num_pieces;
        t->pub.piece_length = m.piece_length;
    }
    *out = t;
    return 0;
}

int eng_add(struct eng *e, const struct eng_add_params *p, int *id_out, char *err, size_t errlen)
{
    if (!e || !p || (!p->source && !p->bytes)) {
        snprintf(err, errlen, "nothing to add");
        return -EINVAL;
    }
    struct peer_list pl;
    int rc = parse_peers(p->peers, p->n_peers, &pl, err, errlen);
    if (rc) return rc;
    /* never into our own mount (paths.c) */
    if ((rc = eng_save_path_check(e, p->save_path, err, errlen))) return rc;

    struct lts_add a = {0};
    void *bytes = NULL;
    size_t n_bytes = 0;
    const char *magnet = NULL;
    if (p->source && strncasecmp(p->source, "magnet:", 7) == 0) {
        magnet = p->source;
        a.magnet = magnet;
    } else if (p->source) {
        rc = read_file(e, p->source, &bytes, &n_bytes, err, errlen);
        if (rc) return rc;
        a.torrent = bytes;
        a.n_torrent = n_bytes;
    } else {
        a.torrent = p->bytes;
        a.n_torrent = p->n_bytes;
    }
    for (size_t i = 0; i < p->n_opts; i++) {
        rc = eng_torrent_opt_check(e, p->opts[i].key, p->opts[i].value, err, errlen);
        if (rc) {
            free(bytes);
            return rc;
        }
    }
    a.save_path = p->save_path && *p->save_path ? p->save_path : e->download_dir;
    a.paused = p->paused;
    a.seed_mode = p->seed_mode;
    const char *mode = eng_setting_str(e, "spate.storage_mode");
    for (size_t i = 0; i < p->n_opts; i++)
        if (strcmp(p->opts[i].key, "storage_mode") == 0) mode = p->opts[i].value;
    a.allocate = strcasecmp(mode, "allocate") == 0 || strcmp(mode, "1") == 0;
    /* spate.default_trackers: one more tier per "|" group after the
     * torrent's own (the shim leaves private torrents alone, BEP 27) */
    char *dt = strdup(eng_setting_str(e, "spate.default_trackers"));
    const char *turls[64];
    int ttiers[64];
    size_t nt = 0;
    int tier = 0;
    for (char *s = dt; s && *s && nt < 64;) {
        char *end = s + strcspn(s, ",|");
        char sep = *end;
        *end = '\0';
        if (*s) {
            turls[nt] = s;
            ttiers[nt++] = tier;
        }
        tier += sep == '|';
        s = sep ? end + 1 : NULL;
    }
    a.trackers = turls;
    a.tracker_tiers = ttiers;
    a.n_trackers = nt;
    a.peer_addrs = pl.ptr;
    a.peer_ports = pl.port;
    a.n_peers = pl.n;

    char peers_row[ENG_MAX_PEERS * 72];
    join_peers(&pl, peers_row, sizeof peers_row);

    struct eng_tor *t = NULL;
    rc = add_to_session(e, &a, &t, err, errlen);
    free(dt);
    if (rc == -EEXIST && t && id_out) *id_out = t->pub.id;
    if (rc) {
        free(bytes);
        return rc;
    }
    if (p->seed_mode)
        eng_log_event(e, "warn", t,
                      "added in seed mode: its files were not checked; a wrong file is "
                      "found only when a peer's hash check fails");
    t->pub.added_time = (int64_t)time(NULL);
    if (e->st) {
        struct store_torrent row = {
            .name = t->pub.name,
            .magnet = magnet,
            .metainfo = a.torrent,
            .metainfo_len = a.n_torrent,
            .save_path = a.save_path,
            .added_time = t->pub.added_time,
            .queue_pos = -1,
            .paused = p->paused,
            .peers = peers_row,
        };
        memcpy(row.info_hash, t->pub.info_hash, sizeof row.info_hash);
        if (store_torrent_put(e->st, &row) < 0)
            eng_log_event(e, "error", t, "could not store torrent");
    }
    free(bytes);
    if (id_out) *id_out = t->pub.id;
    for (size_t i = 0; i < p->n_opts; i++) {
        if (strcmp(p->opts[i].key, "storage_mode") == 0) continue; /* applied by the add */
        char m[512] = "", line[700];
        int orc = eng_torrent_opt_set(e, t->pub.id, p->opts[i].key, p->opts[i].value, m, sizeof m);
        if (orc || m[0]) {
            snprintf(line, sizeof line, "%s=%s: %s", p->opts[i].key, p->opts[i].value,
                     m[0] ? m : "not applied");
            eng_log_event(e, "warn", t, line);
        }
    }
    emit(e, ENG_EV_ADDED, &t->pub);
    lts_post_updates(e->ses);
    return 0;
}

/* ---------------------------------------------------- adding from a file
 *
 * eng_add_async: the .torrent is read on libuv's threadpool (a slow disk,
 * a network filesystem or a file that turns out to be in our own mount
 * never stalls the loop), then added on the loop with eng_add's bytes
 * path. Jobs in flight are listed in e->add_jobs so that shutdown can
 * answer their callers and detach them. */

struct eng_add_job {
    uv_work_t req;
    struct eng *e; /* NULL once detached at shutdown: the job only frees itself */
    struct eng_add_job *next;
    struct eng_add_params p; /* the caller's, borrowed until cb */
    char *path, *mount_dir;
    int64_t max_bytes;
    eng_add_fn cb;
    void *ud;
    void *bytes; /* results, written by the worker */
    size_t n;
    int rc;
    char err[512];
};

static void add_job_free(struct eng_add_job *j)
{
    free(j->bytes);
    free(j->path);
    free(j->mount_dir);
    free(j);
}

/* Worker thread: touches only the job. */
static void add_work(uv_work_t *req)
{
    struct eng_add_job *j = req->data;
    j->rc = eng_safe_read(j->path, ".torrent file", j->max_bytes, TORRENT_MAX_KEY, j->mount_dir,
                          &j->bytes, &j->n, j->err, sizeof j->err);
    if (j->rc < 0 && j->rc != -ENOMEM) j->rc = -EINVAL;
}

static void add_done(uv_work_t *req, int status)
{
    struct eng_add_job *j = req->data;
    struct eng *e = j->e;
    if (!e) {
        add_job_free(j);
        return;
    }
    for (struct eng_add_job **pp = &e->add_jobs; *pp; pp = &(*pp)->next)
        if (*pp == j) {
            *pp = j->next;
            break;
        }
    int id = 0;
    if (status == UV_ECANCELED || e->shut_down) {
        j->rc = -ECANCELED;
        snprintf(j->err, sizeof j->err, "spate is shutting down");
    } else if (j->rc == 0) {
        struct eng_add_params p = j->p;
        p.source = NULL;
        p.bytes = j->bytes;
        p.n_bytes = j->n;
        j->err[0] = '\0';
        j->rc = eng_add(e, &p, &id, j->err, sizeof j->err);
    }
    j->cb(j->ud, j->rc, id, j->err);
    add_job_free(j);
}

int eng_add_async(struct eng *e, const struct eng_add_params *p, eng_add_fn cb, void *ud)
{
    char err[512] = "";
    int id = 0, rc;
    if (!cb) return -EINVAL;
    if (e && e->shut_down) {
        cb(ud, -ECANCELED, 0, "spate is shutting down");
        return 0;
    }
    if (!e || !p || !p->source || strncasecmp(p->source, "magnet:", 7) == 0) {
        rc = eng_add(e, p, &id, err, sizeof err);
        cb(ud, rc, id, err);
        return 0;
    }
    struct eng_add_job *j = calloc(1, sizeof *j);
    if (j) {
        j->e = e;
        j->p = *p;
        j->path = strdup(p->source);
        j->mount_dir = e->mount_point ? strdup(e->mount_point) : NULL;
        j->max_bytes = eng_setting_int(e, TORRENT_MAX_KEY);
        j->cb = cb;
        j->ud = ud;
        j->req.data = j;
    }
    rc = !j || !j->path || (e->mount_point && !j->mount_dir) ? -ENOMEM
         : e->shut_down                                      ? -ECANCELED
                        : uv_queue_work(e->loop, &j->req, add_work, add_done);
    if (rc) {
        if (j) add_job_free(j);
        cb(ud, rc == -ECANCELED ? rc : -ENOMEM, 0,
           rc == -ECANCELED ? "spate is shutting down" : "cannot start reading the file");
        return 0;
    }
    j->next = e->add_jobs;
    e->add_jobs = j;
    return 0;
}

/* At shutdown: every add in flight is answered now (-ECANCELED) and
 * detached; its job frees itself when the threadpool reports. */
static void add_jobs_stop(struct eng *e)
{
    while (e->add_jobs) {
        struct eng_add_job *j = e->add_jobs;
        e->add_jobs = j->next;
        j->e = NULL;
        uv_cancel((uv_req_t *)&j->req);
        j->cb(j->ud, -ECANCELED, 0, "spate is shutting down");
    }
}

struct load_ctx {
    struct eng *e;
    int loaded, failed;
};

static int load_one(const struct store_torrent *row, void *ud)
{
    struct load_ctx *c = ud;
    struct eng *e = c->e;
    char err[512];
    struct eng_tor *t = NULL;
    struct lts_add a = {0};
    /* the peers the user gave (add --peer, connect) are connected again:
     * without a tracker or the DHT they may be the only way to the swarm */
    struct peer_list pl;
    stored_peers(e, row->peers, &pl);
    a.save_path = row->save_path && *row->save_path ? row->save_path : e->download_dir;
    a.peer_addrs = pl.ptr;
    a.peer_ports = pl.port;
    a.n_peers = pl.n;
    int rc = -EINVAL;
    if (row->resume && row->resume_len) {
        a.resume = row->resume;
        a.n_resume = row->resume_len;
        a.torrent = row->metainfo;
        a.n_torrent = row->metainfo_len;
        rc = add_to_session(e, &a, &t, err, sizeof err);
        if (rc && rc != -EEXIST) {
            char m[700];
            snprintf(m, sizeof m, "%s: resume data unusable (%s), adding from source",
                     row->info_hash, err);
            eng_log_event(e, "warn", NULL, m);
        }
    }
    if (rc && rc != -EEXIST) {
        memset(&a, 0, sizeof a);
        a.save_path = row->save_path && *row->save_path ? row->save_path : e->download_dir;
        a.peer_addrs = pl.ptr;
        a.peer_ports = pl.port;
        a.n_peers = pl.n;
        a.paused = row->paused;
        if (row->metainfo && row->metainfo_len) {
            a.torrent = row->metainfo;
            a.n_torrent = row->metainfo_len;
        } else {
            a.magnet = row->magnet;
        }
        rc = add_to_session(e, &a, &t, err, sizeof err);
    }
    if (rc == 0) {
        t->pub.added_time = row->added_time;
        t->pub.completed_time = row->completed_time;
        eng_set_str(&t->category, &t->pub.category, row->category ? row->category : "");
        eng_set_str(&t->tags, &t->pub.tags, row->tags ? row->tags : "");
        if (row->name && *row->name) eng_set_str(&t->name, &t->pub.name, row->name);
        c->loaded++;
    } else if (rc != -EEXIST) {
        char m[700];
        snprintf(m, sizeof m, "%s: could not be restored: %s", row->info_hash, err);
        eng_log_event(e, "error", NULL, m);
        c->failed++;
    }
    return 0;
}

/* -------------------------------------------------------------- lifecycle */

static void on_sched_timer(uv_timer_t *h)
{
    eng_settings_tick(h->data);
    disk_full_retry(h->data);
}

uv_loop_t *eng_loop(const struct eng *e)
{
    return e ? e->loop : NULL;
}

long eng_blocked_peers(const struct eng *e)
{
    return e ? e->blocked_peers : 0;
}

int eng_new(uv_loop_t *loop, struct store *st, const struct eng_options *o, struct eng **out,
            char *err, size_t errlen)
{
    if (!loop || !o || !o->data_dir || !o->download_dir || !out) {
        snprintf(err, errlen, "engine: missing options");
        return -EINVAL;
    }
    struct eng *e = calloc(1, sizeof *e);
    if (!e) return -ENOMEM;
    e->loop = loop;
    e->st = st;
    e->next_id = 1;
    e->data_dir = strdup(o->data_dir);
    e->download_dir = strdup(o->download_dir);
    e->clock = o->clock;
    e->clock_ud = o->clock_ud;
    eng_details_init(e);
    eng_settings_defaults(e);
    struct lts_pack *pack = lts_pack_new();
    int rc = (!e->data_dir || !e->download_dir || !pack) ? -ENOMEM : 0;
    if (!rc) rc = map_rebuild(e, 0);
    if (!rc) rc = eng_settings_build(e, o->settings, o->n_settings, pack, err, errlen);
    /* the async must exist before libtorrent can call notify() */
    if (!rc) rc = uv_async_init(loop, &e->async, on_async);
    e->async.data = e;
    if (!rc) rc = lts_session_new(pack, notify, &e->async, &e->ses, err, errlen);
    if (!rc) lts_set_resume_url_map(e->ses, eng_url_shown); /* no tracker logins on disk */
    lts_pack_free(pack);
    if (rc) {
        if (uv_is_active((uv_handle_t *)&e->async)) {
            /* the handle memory must outlive the close; leak it rather than race */
            uv_close((uv_handle_t *)&e->async, NULL);
            return rc;
        }
        eng_settings_free(e);
        free(e->data_dir);
        free(e->download_dir);
        free(e->map);
        free(e);
        return rc;
    }
    uv_timer_init(loop, &e->status_timer);
    e->status_timer.data = e;
    uv_timer_init(loop, &e->resume_timer);
    e->resume_timer.data = e;
    uv_timer_init(loop, &e->flush_timer);
    e->flush_timer.data = e;
    uv_timer_init(loop, &e->sched_timer);
    e->sched_timer.data = e;
    eng_settings_start(e);
    uv_timer_start(&e->sched_timer, on_sched_timer, 1000, 1000);
    eng_db_upkeep_start(e);

    if (st) {
        struct load_ctx c = {.e = e};
        store_torrents_load(st, load_one, &c);
    }
    e->listen_port = lts_listen_port(e->ses);
    eng_refresh_cached(e);
    eng_timers_restart(e);
    /* alerts may already be pending from before the notify was wired */
    uv_async_send(&e->async);
    *out = e;
    return 0;
}

int eng_shutdown(struct eng *e, int timeout_ms)
{
    if (!e || e->shut_down) return 0;
    for (size_t i = 0; i < e->n; i++)
        eng_request_resume(e, e->tors[i]);
    uint64_t start = uv_hrtime();
    while (e->resume_outstanding > 0) {
        uint64_t spent_ms = (uv_hrtime() - start) / 1000000;
        if (spent_ms >= (uint64_t)timeout_ms) break;
        int wait = timeout_ms - (int)spent_ms;
        lts_wait(e->ses, wait < 100 ? wait : 100);
        drain(e);
    }
    int missing = e->resume_outstanding;
    e->shut_down = true;
    eng_ip_filter_stop(e);
    add_jobs_stop(e);
    lts_set_notify(e->ses, NULL, NULL);
    uv_timer_stop(&e->status_timer);
    uv_timer_stop(&e->resume_timer);
    uv_timer_stop(&e->flush_timer);
    uv_timer_stop(&e->sched_timer);
    eng_db_upkeep_stop(e);
    uv_close((uv_handle_t *)&e->sched_timer, NULL);
    uv_close((uv_handle_t *)&e->status_timer, NULL);
    uv_close((uv_handle_t *)&e->resume_timer, NULL);
    uv_close((uv_handle_t *)&e->flush_timer, NULL);
    uv_close((uv_handle_t *)&e->async, NULL);
    return missing;
}

void eng_free(struct eng *e)
{
    if (!e) return;
    lts_session_free(e->ses);
    for (size_t i = 0; i < e->n; i++)
        tor_free(e->tors[i]);
    free(e->tors);
    free(e->map);
    free(e->flushing);
    free(e->data_dir);
    free(e->download_dir);
    eng_settings_free(e);
    eng_details_free(e);
    free(e);
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
    eng_log_event(e, level ? level : "info", id > 0 ? eng_tor_by_id(e, id) : NULL, msg);
}

/* --------------------------------------------------------------- commands */

int eng_pause(struct eng *e, int id)
{
    struct eng_tor *t = e ? eng_tor_by_id(e, id) : NULL;
    if (!t) return -ENOENT;
    int rc = lts_pause(t->h);
    if (rc) return rc;
    t->pub.user_paused = true;
    t->pub.state = ENG_STATE_PAUSED;
    if (e->st) store_torrent_set_paused(e->st, t->pub.info_hash, 1);
    lts_post_updates(e->ses);
    emit(e, ENG_EV_UPDATED, &t->pub);
    return 0;
}

int eng_resume(struct eng *e, int id)
{
    struct eng_tor *t = e ? eng_tor_by_id(e, id) : NULL;
    if (!t) return -ENOENT;
    /* a resume is also the user's way to retry a torrent in error (a full
     * disk with space freed since) */
    if (t->pub.error && *t->pub.error) clear_error(e, t);
    int rc = lts_resume(t->h);
    if (rc) return rc;
    t->pub.user_paused = false;
    if (e->st) store_torrent_set_paused(e->st, t->pub.info_hash, 0);
    eng_request_resume(e, t);
    lts_post_updates(e->ses);
    emit(e, ENG_EV_UPDATED, &t->pub);
    return 0;
}

int eng_recheck(struct eng *e, int id)
{
    struct eng_tor *t = e ? eng_tor_by_id(e, id) : NULL;
    if (!t) return -ENOENT;
    if (t->pub.error && *t->pub.error) clear_error(e, t); /* and out of upload mode */
    return lts_force_recheck(t->h);
}

int eng_reannounce(struct eng *e, int id)
{
    struct eng_tor *t = e ? eng_tor_by_id(e, id) : NULL;
    if (!t) return -ENOENT;
    return lts_force_reannounce(t->h);
}

int eng_connect_peer(struct eng *e, int id, const char *hostport)
{
    struct eng_tor *t = e ? eng_tor_by_id(e, id) : NULL;
    if (!t) return -ENOENT;
    char ip[64];
    int port;
    if (!hostport || split_hostport(hostport, ip, sizeof ip, &port)) return -EINVAL;
    int rc = lts_connect_peer(t->h, ip, port);
    /* kept with the torrent, as add --peer: connected again after a restart */
    if (rc == 0 && e->st) {
        char one[80];
        format_peer(ip, port, one, sizeof one);
        store_torrent_add_peer(e->st, t->pub.info_hash, one);
    }
    return rc;
}

int eng_remove(struct eng *e, int id, bool delete_data)
{
    struct eng_tor *t = e ? eng_tor_by_id(e, id) : NULL;
    if (!t) return -ENOENT;
    int rc = lts_remove(e->ses, t->h, delete_data);
    if (rc) return rc;
    if (e->st) store_torrent_delete(e->st, t->pub.info_hash);
    t->resume_again = false;
    resume_done(e, t);
    emit(e, ENG_EV_REMOVED, &t->pub);
    table_remove(e, t);
    return 0;
}

/* ---------------------------------------------------- metadata and pieces */

struct files_ctx {
    struct eng_meta *m;
    size_t i;
    int rc;
};

static void on_file(void *ud, const struct lts_file *f)
{
    struct files_ctx *c = ud;
    if (c->rc || c->i >= c->m->n_files) return;
    struct eng_file *o = &c->m->files[c->i++];
    o->index = f->index;
    o->size = f->size;
    o->offset = f->offset;
    o->pad = f->pad;
    o->path = strdup(f->path);
    o->disk_path = strdup(f->disk_path);
    if (!o->path || !o->disk_path) c->rc = -ENOMEM;
}

int eng_meta_get(struct eng *e, int id, struct eng_meta **out)
{
    struct eng_tor *t = e ? eng_tor_by_id(e, id) : NULL;
    if (!t || !out) return -ENOENT;
    struct lts_meta lm;
    int rc = lts_files(t->h, &lm, NULL, NULL);
    if (rc) return rc;
    struct eng_meta *m = calloc(1, sizeof *m);
    if (!m) return -ENOMEM;
    m->files = calloc(lm.num_files > 0 ? (size_t)lm.num_files : 1, sizeof *m->files);
    if (!m->files) {
        free(m);
        return -ENOMEM;
    }
    m->n_files = (size_t)lm.num_files;
    m->piece_length = lm.piece_length;
    m->num_pieces = lm.num_pieces;
    m->total_size = lm.total_size;
    m->multi_file = lm.multi_file;
    struct files_ctx c = {.m = m};
    rc = lts_files(t->h, &lm, on_file, &c);
    if (!rc) rc = c.rc;
    if (!rc && c.i != m->n_files) rc = -EIO; /* the metadata changed under us */
    if (rc) {
        eng_meta_free(m);
        return rc;
    }
    *out = m;
    return 0;
}

void eng_meta_free(struct eng_meta *m)
{
    if (!m) return;
    for (size_t i = 0; i < m->n_files; i++) {
        free(m->files[i].path);
        free(m->files[i].disk_path);
    }
    free(m->files);
    free(m);
}

int eng_have_pieces(struct eng *e, int id, uint8_t *have, int n)
{
    struct eng_tor *t = e ? eng_tor_by_id(e, id) : NULL;
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

int eng_piece_deadline(struct eng *e, int id, int piece, int deadline_ms)
{
    struct eng_tor *t = e ? eng_tor_by_id(e, id) : NULL;
    if (!t) return -ENOENT;
    if (piece < 0 || (t->pub.num_pieces > 0 && piece >= t->pub.num_pieces)) return -EINVAL;
    return deadline_ms < 0 ? lts_reset_piece_deadline(t->h, piece)
                           : lts_set_piece_deadline(t->h, piece, deadline_ms);
}

int eng_file_priority(struct eng *e, int id, int file)
{
    struct eng_tor *t = e ? eng_tor_by_id(e, id) : NULL;
    if (!t) return -ENOENT;
    return lts_file_priority(t->h, file);
}

int eng_file_priorities(struct eng *e, int id, int *prio, size_t n)
{
    struct eng_tor *t = e ? eng_tor_by_id(e, id) : NULL;
    if (!t) return -ENOENT;
    return lts_file_priorities(t->h, prio, n);
}

int eng_set_file_priority(struct eng *e, int id, int file, int prio)
{
    struct eng_tor *t = e ? eng_tor_by_id(e, id) : NULL;
    if (!t) return -ENOENT;
    int rc = lts_set_file_priority(t->h, file, prio);
    if (!rc) lts_post_updates(e->ses); /* resume data is saved on the file_prio_alert */
    return rc;
}

/* ------------------------------------------------------------------ reads */

size_t eng_torrent_count(const struct eng *e)
{
    return e ? e->n : 0;
}

const struct eng_torrent *eng_torrent_at(const struct eng *e, size_t i)
{
    return e && i < e->n ? &e->tors[i]->pub : NULL;
}

const struct eng_torrent *eng_torrent_by_id(const struct eng *e, int id)
{
    struct eng_tor *t = e ? eng_tor_by_id(e, id) : NULL;
    return t ? &t->pub : NULL;
}

void eng_get_stats(const struct eng *e, struct eng_stats *o)
{
    memset(o, 0, sizeof *o);
    if (!e) return;
    o->n_torrents = (int)e->n;
    for (size_t i = 0; i < e->n; i++) {
        const struct eng_torrent *t = &e->tors[i]->pub;
        o->down_rate += t->down_rate;
        o->up_rate += t->up_rate;
        switch (t->state) {
        case ENG_STATE_METADATA:
        case ENG_STATE_DOWNLOADING:
            o->n_downloading++;
            break;
        case ENG_STATE_FINISHED:
        case ENG_STATE_SEEDING:
            o->n_seeding++;
            break;
        case ENG_STATE_PAUSED:
            o->n_paused++;
            break;
        case ENG_STATE_CHECKING:
            o->n_checking++;
            break;
        case ENG_STATE_ERROR:
            o->n_error++;
            break;
        case ENG_STATE_QUEUED:
            o->n_queued++;
            break;
        }
    }
    o->listen_port = e->listen_port;
    o->dht_enabled = e->dht_enabled;
}

const char *eng_state_name(enum eng_state s)
{
    static const char *const names[] = {"metadata", "checking", "downloading", "finished",
                                        "seeding",  "paused",   "queued",      "error"};
    return (unsigned)s < sizeof names / sizeof names[0] ? names[s] : "unknown";
}

const char *eng_last_log(const struct eng *e)
{
    return e ? e->last_log : "";
}
