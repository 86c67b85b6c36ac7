/*
 * engine_int.h — the engine's private state, shared by the files of
 * src/engine/ only. Everything here lives on the loop thread.
 */
#ifndef SPATE_INTERNAL_ENGINE
#error                                                                                             \
    "engine/engine_int.h is private to src/engine/ (docs/architecture.md); a unit test that needs it defines SPATE_INTERNAL_ENGINE"
#endif
#ifndef SPATE_ENGINE_INT_H
#define SPATE_ENGINE_INT_H

#include "engine/engine.h"
#include "engine/ipfilter.h"
#include "engine/lt_shim.h"

#include <time.h>

#define ENG_MAX_LISTENERS 8

/* A table row: the public view plus what only the engine needs. */
struct eng_tor {
    struct eng_torrent pub;
    uint8_t key[LTS_KEY_LEN];
    struct lts_torrent *h;
    char *name, *save_path, *error; /* owned copies behind pub's pointers */
    char *category, *tags;          /* owned, behind pub.category / pub.tags */
    bool resume_pending;            /* a save_resume_data is under way */
    bool resume_again;              /* something changed after it was asked: save once more */
    /* An error episode (see eng_torrent_error): the errno of the error that
     * was logged (0: none), its text with the file's path (owned; shown as
     * the torrent's error while libtorrent holds the torrent in upload mode
     * for it, which torrent_status does not report as an error), how often
     * it was reported in all (logged once), whether it was cleared since
     * (the next verified piece ends it), and when (uv_now, ms) a disk-full
     * error is next retried. */
    int err_errno;
    char *err_text;
    unsigned err_count;
    bool err_cleared;
    uint64_t err_retry_at;
};

struct eng {
    uv_loop_t *loop;
    struct store *st;
    struct lts_session *ses;
    uv_async_t async;        /* woken by libtorrent's alert notify */
    uv_timer_t status_timer; /* post_torrent_updates */
    uv_timer_t resume_timer; /* periodic resume data */
    uv_timer_t flush_timer;  /* re-checks pieces finished but still being written */
    /* pieces libtorrent reported finished whose blocks are not all on disk
     * yet: reported to the piece listener once they are (only kept while
     * there is a piece listener) */
    struct eng_piece_ref {
        int id, piece;
    } * flushing;
    size_t n_flushing, cap_flushing;
    uint64_t status_interval_ms, resume_interval_ms;
    char **val; /* [reg_count()]: each session setting's configured value, normalized, owned */
    struct sched *alt_sched;       /* spate.alt_speed_schedule, parsed */
    bool sched_known, sched_state; /* the schedule's state at the last tick */
    uv_timer_t sched_timer;        /* eng_settings_tick every second */
    time_t (*clock)(void *ud);     /* eng_options.clock, or NULL: time() */
    void *clock_ud;
    long ip_filter_ranges;          /* ranges handed to libtorrent's ip_filter */
    int64_t ipf_mtime_ns, ipf_size; /* the blocklist file when last loaded */
    struct ipf_job *ipf_job;        /* settings.c: the file's load in flight, or NULL */
    bool ipf_again;                 /* settings changed during it: load once more */
    struct ipf ipf_file;            /* the file's ranges of the last good load */
    unsigned ticks;                 /* eng_settings_tick calls */
    long blocked_peers;             /* peer_blocked_alerts seen */
    /* health.c: the session's health and rate history */
    struct eng_listen listen[8];
    size_t n_listen;
    int metric_dht_nodes, metric_incoming, metric_disk_jobs, metric_disk_bytes; /* -1: none */
    int64_t dht_nodes, disk_jobs, disk_bytes;
    bool incoming_seen;
    int64_t rate_down[ENG_RATE_HISTORY], rate_up[ENG_RATE_HISTORY];
    size_t rate_n, rate_head;
    char *mount_status;
    struct eng_add_job *add_jobs; /* add.c: eng_add_async reads in flight */
    char *
        mount_point; /* canonical path of the active mount (paths.c), NULL: none; never read from */
    char *data_dir, *download_dir;
    uv_timer_t backup_timer;     /* db_upkeep.c: the next backup, or its next step */
    struct store_backup *backup; /* db_upkeep.c: the backup under way, or NULL */

    /* table.c: the rows, ordered by id (asserted); the same rows by key,
     * open addressing, map_cap a power of 2, at most half full */
    struct eng_tor **tors;
    size_t n, cap;
    struct eng_tor **map;
    size_t map_cap;
    int next_id;

    struct eng_listener {
        eng_listener_fn fn;
        void *ud;
    } listeners[ENG_MAX_LISTENERS];
    size_t n_listeners;
    eng_piece_fn piece_fn; /* the FUSE bridge's piece listener, or NULL */
    void *piece_ud;

    char last_log[512];
    int listen_port;
    int resume_outstanding;
    bool in_batch; /* a store transaction is open for this drain */
    bool shut_down;
    bool dht_enabled; /* read back from libtorrent after each apply */
};

/* health.c: the session's health (eng_health, the Health tab) */
void eng_health_init(struct eng *e);
void eng_health_free(struct eng *e);
/* listen_succeeded / listen_failed alerts (ok false: message is the error) */
void eng_health_listen(struct eng *e, bool ok, const char *message);
void eng_health_stats(struct eng *e, const int64_t *counters, size_t n);
/* After each status refresh: a sample of the global rates. */
void eng_health_sample(struct eng *e);

/* settings.c */

void eng_settings_defaults(struct eng *e);
void eng_settings_free(struct eng *e);
int eng_settings_build(struct eng *e, const struct eng_setting *user, size_t n_user,
                       struct lts_pack *pack, char *err, size_t errlen);
/* After the session exists: the IP filter, the alternative speed limits
 * and the schedule. */
void eng_settings_start(struct eng *e);
/* At shutdown: detaches a blocklist load in flight (it frees itself when
 * the threadpool reports; nothing of the engine is touched after). */
void eng_ip_filter_stop(struct eng *e);
/* A session setting's configured value (normalized text, "" if unknown);
 * borrowed until the next change. */
const char *eng_setting_str(const struct eng *e, const char *key);
/* torrent_opts.c: spate.tracker_auth's logins into one torrent's tracker
 * URLs, or all; the logins libtorrent's URLs carry ("host=user:pass,..."). */
int eng_apply_tracker_auth(struct eng *e, struct lts_torrent *h);
void eng_apply_tracker_auth_all(struct eng *e);
int eng_tracker_logins(struct eng *e, char *buf, size_t buflen);
/* An http(s) tracker URL without its "user:password@" (what is shown). */
void eng_url_shown(const char *url, char *out, size_t outlen);
/* pack.c: sets libtorrent setting `name` in the pack from text: bools take
 * the registry's spellings (true/false, yes/no, on/off, 1/0), ints a
 * decimal 32-bit integer, strings anything. -EINVAL with a one-line
 * message for an unknown name or a value of the wrong type; the pack is
 * unchanged then. */
int eng_pack_set(struct lts_pack *p, const char *name, const char *value, char *err, size_t errlen);

/* spate.pex onto one new torrent (only) or all (NULL). */
void eng_apply_pex(struct eng *e, struct lts_torrent *only);

/* Re-reads the settings the engine shows often (dht_enabled) from libtorrent. */
void eng_refresh_cached(struct eng *e);

/* db_upkeep.c: puts what the store found at open (modes it fixed, a data
 * directory open to others) in the health log and starts the rolling
 * backups (spate.db_backups); stop aborts a backup under way and closes
 * the timer (before the loop's last run). Both are no-ops without a store. */
void eng_db_upkeep_start(struct eng *e);
void eng_db_upkeep_stop(struct eng *e);

/* engine.c: (re)starts the status and resume timers after their
 * intervals changed. */
void eng_timers_restart(struct eng *e);

/* table.c: the rows (e->tors, ordered by id) and the key map (e->map).
 * init sets up an empty table (ids from 1); free frees every row. insert
 * makes a row for a key not yet in the table (callers check eng_find_key
 * first) with the next id, or returns NULL (out of memory, nothing
 * changed); remove frees the row after taking it out of both. Lookups
 * return NULL when there is no such row. */
int eng_table_init(struct eng *e);
void eng_table_free(struct eng *e);
struct eng_tor *eng_table_insert(struct eng *e, const uint8_t key[LTS_KEY_LEN],
                                 struct lts_torrent *h, const char *name, const char *save_path);
void eng_table_remove(struct eng *e, struct eng_tor *t);
struct eng_tor *eng_row_by_id(const struct eng *e, int id);
struct eng_tor *eng_find_key(const struct eng *e, const uint8_t key[LTS_KEY_LEN]);
/* Replaces an owned string and its public alias (*pub = *slot). */
void eng_set_str(char **slot, const char **pub, const char *v);

/* alerts.c: events to the listeners; the health log and the store's
 * event log (t may be NULL). */
void eng_emit(struct eng *e, enum eng_event ev, const struct eng_torrent *t);
void eng_log_event(struct eng *e, const char *level, const struct eng_tor *t, const char *msg);
/* libtorrent's notify (any thread: only wakes the loop through e->async,
 * its ud), the async's callback, and one drain of every pending alert
 * (also run by eng_shutdown while it waits for resume data). */
void eng_notify(void *ud);
void eng_on_async(uv_async_t *a);
void eng_drain(struct eng *e);

/* resume.c: asks libtorrent for resume data (saved to the store when it
 * comes); _fresh asks again after a save under way, which may predate a
 * change. done: the save of t ended (saved or failed; t may be NULL).
 * store: writes it inside the drain's transaction. reload: re-adds every
 * stored torrent at start (no-op without a store). */
void eng_request_resume(struct eng *e, struct eng_tor *t);
void eng_request_resume_fresh(struct eng *e, struct eng_tor *t);
void eng_resume_done(struct eng *e, struct eng_tor *t);
void eng_store_resume(struct eng *e, struct eng_tor *t, const void *data, size_t n);
void eng_resume_reload(struct eng *e);

/* add.c: peers given with a torrent ("HOST:PORT", "[V6]:PORT"), parsed. */
#define ENG_MAX_PEERS 64
struct eng_peer_list {
    char ip[ENG_MAX_PEERS][64];
    const char *ptr[ENG_MAX_PEERS]; /* ptr[i] == ip[i]: the shim's shape */
    int port[ENG_MAX_PEERS];
    size_t n;
};
/* Splits "HOST:PORT" or "[V6]:PORT" into an IP literal and a port
 * ("localhost" becomes 127.0.0.1); -EINVAL if it is neither. */
int eng_peer_parse(const char *hp, char *ip, size_t iplen, int *port);
/* One peer as stored and shown: "IP:PORT" or "[V6]:PORT". */
void eng_peer_format(const char *ip, int port, char *out, size_t n);
/* A stored, comma-joined peer list into pl; bad entries are logged and
 * skipped. */
void eng_stored_peers(struct eng *e, const char *row_peers, struct eng_peer_list *pl);
/* Adds to the session and the table (not the store). -EEXIST with *out
 * set to the row already there. */
int eng_add_to_session(struct eng *e, const struct lts_add *a, struct eng_tor **out, char *err,
                       size_t errlen);
/* At shutdown: answers every eng_add_async in flight with -ECANCELED. */
void eng_add_jobs_stop(struct eng *e);

/* seed_limits.c: after a status refresh, pauses or removes the seeds past
 * their limits (spate.seed_limit_action). */
void eng_seed_limits_check(struct eng *e);

/* disk_errors.c: errors a retry can cure once space is freed (ENOSPC,
 * EDQUOT, EFAULT); a torrent_error_alert (t may be NULL); taking t out of
 * its error and of upload mode; the end of an episode (a verified piece);
 * the retry of torrents stopped by a full disk (every second). */
bool eng_disk_full_errno(int err);
void eng_torrent_error(struct eng *e, struct eng_tor *t, const struct lts_event *ev);
void eng_clear_error(struct eng *e, struct eng_tor *t);
void eng_error_episode_end(struct eng *e, struct eng_tor *t);
void eng_disk_full_retry(struct eng *e);

#endif
