/*
 * engine_int.h — the engine's private state, shared by the files of
 * src/engine/ only. Everything here lives on the loop thread.
 */
#ifndef SPATE_ENGINE_INT_H
#define SPATE_ENGINE_INT_H

#include "engine/engine.h"
#include "engine/lt_shim.h"

#define ENG_MAX_LISTENERS 8

/* A table row: the public view plus what only the engine needs. */
struct eng_tor {
    struct eng_torrent pub;
    uint8_t key[LTS_KEY_LEN];
    struct lts_torrent *h;
    char *name, *save_path, *error; /* owned copies behind pub's pointers */
    bool resume_pending;            /* a save_resume_data is under way */
};

struct eng {
    uv_loop_t *loop;
    struct store *st;
    struct lts_session *ses;
    uv_async_t async;        /* woken by libtorrent's alert notify */
    uv_timer_t status_timer; /* post_torrent_updates */
    uv_timer_t resume_timer; /* periodic resume data */
    uint64_t status_interval_ms, resume_interval_ms;
    char *data_dir, *download_dir;

    struct eng_tor **tors; /* ordered by id */
    size_t n, cap;
    struct eng_tor **map; /* open addressing on key, capacity map_cap (power of 2) */
    size_t map_cap;
    int next_id;

    struct {
        eng_listener_fn fn;
        void *ud;
    } listeners[ENG_MAX_LISTENERS];
    size_t n_listeners;

    char last_log[512];
    int listen_port;
    int resume_outstanding;
    bool in_batch; /* a store transaction is open for this drain */
    bool shut_down;
    bool dht_enabled; /* read back from libtorrent after each apply */
};

/* settings.c */
void eng_settings_defaults(struct eng *e);
int eng_settings_build(struct eng *e, const struct eng_setting *user, size_t n_user,
                       struct lts_pack *pack, char *err, size_t errlen);
int eng_setting_apply_one(struct eng *e, struct lts_pack *pack, const char *key, const char *value,
                          char *err, size_t errlen);

/* Re-reads the settings the engine shows often (dht_enabled) from libtorrent. */
void eng_refresh_cached(struct eng *e);

/* engine.c */
void eng_timers_restart(struct eng *e);

#endif
