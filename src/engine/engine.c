/*
 * engine.c — the engine's lifecycle (eng_new, eng_shutdown, eng_free), its
 * timers, and the small commands on one torrent.
 *
 * The engine lives on the loop thread. Its other files, by topic:
 * table.c (rows, ids and the key map), alerts.c (libtorrent's alerts in,
 * events out, pieces reaching disk), resume.c (resume data and the reload
 * at start), add.c (adding), seed_limits.c, disk_errors.c, details.c (a
 * torrent's peers, trackers, files), health.c (the session's health and
 * rate history), settings.c and torrent_opts.c (settings), db_upkeep.c.
 *
 * A status timer asks libtorrent for the torrents whose status changed
 * (post_torrent_updates, every spate.status_interval_ms), and a resume
 * timer saves resume data of the torrents that need it (every
 * spate.resume_interval_s). Resume data is also saved on pause, on
 * completion, on metadata arrival and at shutdown, and written to the
 * store in one transaction per drain.
 */
#include "engine/engine_int.h"
#include "store/store.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ----------------------------------------------------------------- timers */

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

/* -------------------------------------------------------------- lifecycle */

static void on_sched_timer(uv_timer_t *h)
{
    eng_settings_tick(h->data);
    eng_disk_full_retry(h->data);
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
    e->data_dir = strdup(o->data_dir);
    e->download_dir = strdup(o->download_dir);
    e->clock = o->clock;
    e->clock_ud = o->clock_ud;
    eng_health_init(e);
    eng_settings_defaults(e);
    struct lts_pack *pack = lts_pack_new();
    int rc = (!e->data_dir || !e->download_dir || !pack) ? -ENOMEM : 0;
    if (!rc) rc = eng_table_init(e);
    if (!rc) rc = eng_settings_build(e, o->settings, o->n_settings, pack, err, errlen);
    /* the async must exist before libtorrent can call eng_notify() */
    if (!rc) rc = uv_async_init(loop, &e->async, eng_on_async);
    e->async.data = e;
    if (!rc) rc = lts_session_new(pack, eng_notify, &e->async, &e->ses, err, errlen);
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
        eng_table_free(e);
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

    eng_resume_reload(e);
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
        eng_drain(e);
    }
    int missing = e->resume_outstanding;
    e->shut_down = true;
    eng_ip_filter_stop(e);
    eng_add_jobs_stop(e);
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
    eng_table_free(e);
    free(e->flushing);
    free(e->data_dir);
    free(e->download_dir);
    eng_settings_free(e);
    eng_health_free(e);
    free(e);
}

/* --------------------------------------------------------------- commands */

int eng_pause(struct eng *e, int id)
{
    struct eng_tor *t = e ? eng_row_by_id(e, id) : NULL;
    if (!t) return -ENOENT;
    int rc = lts_pause(t->h);
    if (rc) return rc;
    t->pub.user_paused = true;
    t->pub.state = ENG_STATE_PAUSED;
    if (e->st) store_torrent_set_paused(e->st, t->pub.info_hash, 1);
    lts_post_updates(e->ses);
    eng_emit(e, ENG_EV_UPDATED, &t->pub);
    return 0;
}

int eng_resume(struct eng *e, int id)
{
    struct eng_tor *t = e ? eng_row_by_id(e, id) : NULL;
    if (!t) return -ENOENT;
    /* a resume is also the user's way to retry a torrent in error (a full
     * disk with space freed since) */
    if (t->pub.error && *t->pub.error) eng_clear_error(e, t);
    int rc = lts_resume(t->h);
    if (rc) return rc;
    t->pub.user_paused = false;
    if (e->st) store_torrent_set_paused(e->st, t->pub.info_hash, 0);
    eng_request_resume(e, t);
    lts_post_updates(e->ses);
    eng_emit(e, ENG_EV_UPDATED, &t->pub);
    return 0;
}

int eng_recheck(struct eng *e, int id)
{
    struct eng_tor *t = e ? eng_row_by_id(e, id) : NULL;
    if (!t) return -ENOENT;
    if (t->pub.error && *t->pub.error) eng_clear_error(e, t); /* and out of upload mode */
    return lts_force_recheck(t->h);
}

int eng_reannounce(struct eng *e, int id)
{
    struct eng_tor *t = e ? eng_row_by_id(e, id) : NULL;
    if (!t) return -ENOENT;
    return lts_force_reannounce(t->h);
}

int eng_connect_peer(struct eng *e, int id, const char *hostport)
{
    struct eng_tor *t = e ? eng_row_by_id(e, id) : NULL;
    if (!t) return -ENOENT;
    char ip[64];
    int port;
    if (!hostport || eng_peer_parse(hostport, ip, sizeof ip, &port)) return -EINVAL;
    int rc = lts_connect_peer(t->h, ip, port);
    /* kept with the torrent, as add --peer: connected again after a restart */
    if (rc == 0 && e->st) {
        char one[80];
        eng_peer_format(ip, port, one, sizeof one);
        store_torrent_add_peer(e->st, t->pub.info_hash, one);
    }
    return rc;
}

int eng_remove(struct eng *e, int id, bool delete_data)
{
    struct eng_tor *t = e ? eng_row_by_id(e, id) : NULL;
    if (!t) return -ENOENT;
    int rc = lts_remove(e->ses, t->h, delete_data);
    if (rc) return rc;
    if (e->st) store_torrent_delete(e->st, t->pub.info_hash);
    t->resume_again = false;
    eng_resume_done(e, t);
    eng_emit(e, ENG_EV_REMOVED, &t->pub);
    eng_table_remove(e, t);
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
    struct eng_tor *t = e ? eng_row_by_id(e, id) : NULL;
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

int eng_piece_deadline(struct eng *e, int id, int piece, int deadline_ms)
{
    struct eng_tor *t = e ? eng_row_by_id(e, id) : NULL;
    if (!t) return -ENOENT;
    if (piece < 0 || (t->pub.num_pieces > 0 && piece >= t->pub.num_pieces)) return -EINVAL;
    return deadline_ms < 0 ? lts_reset_piece_deadline(t->h, piece)
                           : lts_set_piece_deadline(t->h, piece, deadline_ms);
}

int eng_file_priority(struct eng *e, int id, int file)
{
    struct eng_tor *t = e ? eng_row_by_id(e, id) : NULL;
    if (!t) return -ENOENT;
    return lts_file_priority(t->h, file);
}

int eng_file_priorities(struct eng *e, int id, int *prio, size_t n)
{
    struct eng_tor *t = e ? eng_row_by_id(e, id) : NULL;
    if (!t) return -ENOENT;
    return lts_file_priorities(t->h, prio, n);
}

int eng_set_file_priority(struct eng *e, int id, int file, int prio)
{
    struct eng_tor *t = e ? eng_row_by_id(e, id) : NULL;
    if (!t) return -ENOENT;
    int rc = lts_set_file_priority(t->h, file, prio);
    if (!rc) lts_post_updates(e->ses); /* resume data is saved on the file_prio_alert */
    return rc;
}

/* ------------------------------------------------------------------ reads */

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

const char *eng_download_dir(const struct eng *e)
{
    return e ? e->download_dir : "";
}

const char *eng_data_dir(const struct eng *e)
{
    return e ? e->data_dir : "";
}
