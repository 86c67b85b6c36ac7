/*
 * engine.h — spate's torrent engine: the torrent table and the commands on it.
 *
 * The engine owns a libtorrent session (through the C ABI in lt_shim.h), the
 * table of torrents refreshed from post_torrent_updates() every
 * status_interval_ms, the translation of libtorrent alerts into table changes
 * and events, and the persistence policy (resume data on a timer, on pause,
 * on completion and at shutdown, into the store).
 *
 * Thread-safety: every function here must be called on the loop thread that
 * created the engine. libtorrent's own threads only wake that loop.
 *
 * Errors: 0 or a negative errno-style code; where `err` is taken a one-line
 * message for the user is written there. -EINVAL: bad input (broken
 * .torrent, bad magnet, bad setting), nothing changed. -ENOENT: no such
 * torrent. -EEXIST: torrent already present. -EIO: libtorrent failed.
 */
#ifndef SPATE_ENGINE_H
#define SPATE_ENGINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>
#include <uv.h>

struct store;
struct eng;

enum eng_state {
    ENG_STATE_METADATA,    /* magnet without metadata yet (BEP 9) */
    ENG_STATE_CHECKING,    /* checking files or resume data */
    ENG_STATE_DOWNLOADING, /* downloading */
    ENG_STATE_FINISHED,    /* all wanted pieces done, some files skipped */
    ENG_STATE_SEEDING,     /* complete and uploading */
    ENG_STATE_PAUSED,      /* paused by the user */
    ENG_STATE_QUEUED,      /* auto-managed and waiting for a slot */
    ENG_STATE_ERROR,       /* stopped on an error, see eng_torrent.error */
};

/* One row of the torrent table. Owned by the engine: pointers are borrowed
 * and valid until the next return to the event loop; copy anything kept. */
struct eng_torrent {
    int id;                /* small stable number shown by `spate ls`, >= 1 */
    char info_hash[41];    /* 40 lowercase hex: v1 hash, or truncated v2 hash */
    char info_hash_v2[65]; /* 64 hex, "" if the torrent has no v2 hash */
    const char *name;      /* never NULL; the magnet's dn or hash before metadata */
    const char *save_path;
    const char *error; /* NULL or a one-line message */
    enum eng_state state;
    bool has_metadata;
    bool user_paused;
    double progress;            /* 0..1 of the wanted bytes */
    int64_t total_bytes;        /* bytes of the whole torrent, 0 before metadata */
    int64_t wanted_bytes;       /* bytes selected for download */
    int64_t done_bytes;         /* bytes of wanted, verified data on disk */
    int64_t down_rate;          /* payload bytes/s */
    int64_t up_rate;            /* payload bytes/s */
    int64_t downloaded;         /* all-time payload bytes downloaded */
    int64_t uploaded;           /* all-time payload bytes uploaded */
    int64_t session_downloaded; /* payload bytes downloaded since this process added it */
    int peers;                  /* connected peers (including seeds) */
    int seeds;                  /* connected seeds */
    int num_pieces;             /* 0 before metadata */
    int pieces_done;            /* verified pieces */
    int piece_length;           /* bytes, 0 before metadata */
    double ratio;               /* uploaded / downloaded (all time), 0 if none */
    int64_t eta_s;              /* s until done at the current rate, -1 unknown */
    int64_t added_time;         /* s since the epoch */
    int64_t completed_time;     /* s since the epoch, 0 if never */
    int queue_pos;              /* -1 if not queued */
    int64_t seeding_time_s;     /* s spent as a seed, all time */
    bool moving;                /* its files are being moved (save_path set, not done yet) */
    const char *category;       /* never NULL; "" for none */
    const char *tags;           /* never NULL; comma list, "" for none */
};

/* Session-wide figures for status bars. */
struct eng_stats {
    int64_t down_rate; /* payload bytes/s, all torrents */
    int64_t up_rate;   /* payload bytes/s */
    int listen_port;   /* first successful listen port, 0 if none */
    int n_torrents;
    int n_downloading, n_seeding, n_paused, n_checking, n_error, n_queued;
    bool dht_enabled;
};

/* A `--set KEY=VALUE` pair. `key` is a libtorrent settings_pack name, or one
 * of spate's own keys: the registry (engine/registry.h, reg_find) lists
 * every key, docs/settings.md documents them. */
struct eng_setting {
    const char *key;
    const char *value;
};

struct eng_options {
    const char *data_dir;               /* required: resume data and db live there */
    const char *download_dir;           /* required: default save path for new torrents */
    const struct eng_setting *settings; /* applied after spate's defaults */
    size_t n_settings;
    /* the wall clock for the alternative speed schedule (s since the
     * epoch), NULL: time(); tests inject their own */
    time_t (*clock)(void *ud);
    void *clock_ud;
};

/* Events for listeners: the TUI redraws on them, the FUSE bridge follows
 * the table and the pieces, the FUSE mount policy moves the mount on
 * ENG_EV_SETTINGS. The ctl server registers none (a ctl client asks). */
enum eng_event {
    ENG_EV_ADDED,
    ENG_EV_REMOVED, /* the torrent pointer is still valid during the callback */
    ENG_EV_UPDATED, /* status refreshed: once per refresh with t == NULL, or for
                       one torrent a command changed (pause, resume) */
    ENG_EV_METADATA,
    ENG_EV_FINISHED,
    ENG_EV_ERROR,
    ENG_EV_LOG,      /* a session message: see eng_last_log() */
    ENG_EV_SETTINGS, /* a setting changed (eng_setting_set); t == NULL */
};
typedef void (*eng_listener_fn)(void *ud, enum eng_event ev, const struct eng_torrent *t);

/* Validates one setting without applying it: unknown keys and values of
 * the wrong type are rejected with a message. Usable before eng_new. */
int eng_setting_validate(const char *key, const char *value, char *err, size_t errlen);

/* Creates the engine on `loop`: opens a libtorrent session with spate's
 * defaults overridden by opts->settings, then re-adds every torrent stored
 * in `st` from its resume data (no full recheck). `st` is borrowed and must
 * outlive the engine. On success *out must be released by eng_free(). */
int eng_new(uv_loop_t *loop, struct store *st, const struct eng_options *opts, struct eng **out,
            char *err, size_t errlen);

/* Saves resume data of every torrent that needs it into the store, waiting
 * for libtorrent at most `timeout_ms`, then stops the timers. Blocks the
 * loop thread: call only when shutting down. Returns the number of torrents
 * whose resume data could not be saved (0 normally). */
int eng_shutdown(struct eng *e, int timeout_ms);

/* Destroys the session and the table. Call eng_shutdown() first and let the
 * loop run once so the engine's handles close. NULL is allowed. */
void eng_free(struct eng *e);

/* Registers one listener, called on the loop thread for every event. The
 * engine keeps up to 8 (ENG_MAX_LISTENERS); more are ignored. A listener
 * may add or remove listeners (itself too) from inside its callback: one
 * removed is not called again, even for the event under way. */
void eng_add_listener(struct eng *e, eng_listener_fn fn, void *ud);
/* Unregisters the listener added with the same fn and ud (no-op if none). */
void eng_remove_listener(struct eng *e, eng_listener_fn fn, void *ud);

/* Called for each piece that is verified and whose blocks are all on disk,
 * with piece >= 0 (libtorrent's piece_finished_alert can come before the
 * last blocks leave its write queue; the engine holds the piece back until
 * get_download_queue() shows none of them "writing"); or with piece == -1 when the set
 * of verified pieces may have changed in other ways (a recheck ended, alerts
 * were dropped): re-read it with eng_have_pieces(). One listener (the FUSE
 * bridge); NULL fn unregisters. Runs on the loop thread. */
typedef void (*eng_piece_fn)(void *ud, int id, int piece);
void eng_set_piece_listener(struct eng *e, eng_piece_fn fn, void *ud);

/* Writes a message to the health log (the store's event log and
 * eng_last_log()), attached to torrent `id` (0: the session). level:
 * "info", "warn" or "error". */
void eng_log(struct eng *e, const char *level, int id, const char *msg);

struct eng_add_params {
    const char *source; /* a .torrent path or a magnet URI; or NULL with bytes */
    const void *bytes;  /* .torrent file contents, used when source is NULL */
    size_t n_bytes;
    const char *save_path; /* NULL: the engine's download dir */
    bool paused;
    const char *const *peers; /* "HOST:PORT" peers to connect to, may be NULL */
    size_t n_peers;
    bool seed_mode; /* skip the check: all pieces assumed present (torrent_flags::seed_mode) */
    /* per-torrent settings applied right after the add (eng_torrent_opt_set) */
    const struct eng_setting *opts;
    size_t n_opts;
};

/* Per-torrent settings: the registry's keys of scope REG_TORRENT
 * (download_limit, upload_limit, max_connections, max_uploads,
 * sequential_download, first_last_piece, super_seeding, pex, auto_managed,
 * queue_position, save_path, trackers, web_seeds, category, tags).
 * eng_torrent_opt_get reads the value back from libtorrent (torrent_handle)
 * or, for category and tags, from the engine's table. Returns 0, -EINVAL
 * (unknown key), -ENOENT (no such torrent), -ERANGE, -EIO.
 * eng_torrent_opt_set validates (clamping ints, message in err) and applies
 * at once; resume data keeps it across restarts. queue_position also takes
 * top, up, down, bottom (-1: leave the queue); save_path moves the files
 * (move_storage, asynchronous: the torrent's save_path changes when done,
 * a failure goes to the health log); trackers are "url,url|url" with tiers
 * separated by "|" (BEP 12); for trackers, web_seeds and tags a value "+X"
 * adds X and "-X" removes it; category must exist (eng_category_set) and
 * applies its defaults (save path, rate limits). Returns 0 (err may hold a
 * clamping warning), -EINVAL (err), -ENOENT, -EAGAIN (first_last_piece
 * before metadata), -EIO. Loop thread. */
int eng_torrent_opt_get(struct eng *e, int id, const char *key, char *buf, size_t buflen);
int eng_torrent_opt_set(struct eng *e, int id, const char *key, const char *value, char *err,
                        size_t errlen);
/* Checks a per-torrent key=value without a torrent (before an add): 0 or
 * -EINVAL with a message. */
int eng_torrent_opt_check(struct eng *e, const char *key, const char *value, char *err,
                          size_t errlen);

/* Categories: defaults for the torrents that get them. Limits in bytes/s
 * (0: none), share_ratio_limit in percent and seed_time_limit in s (-1: the
 * session's share_ratio_limit / seed_time_limit). Stored in the store.
 * eng_category_set creates or replaces (-EINVAL with a message for a bad
 * name or limit); eng_category_remove (-ENOENT) also clears it from its
 * torrents; eng_categories calls cb for each (pointers borrowed during the
 * call; a non-zero return stops). eng_category_seed_limits: a category's
 * seeding limits, -ENOENT if none. */
struct eng_category {
    const char *name, *save_path;
    int64_t download_limit, upload_limit, share_ratio_limit, seed_time_limit;
};
int eng_category_set(struct eng *e, const struct eng_category *c, char *err, size_t errlen);
int eng_category_remove(struct eng *e, const char *name, char *err, size_t errlen);
int eng_categories(struct eng *e, int (*cb)(const struct eng_category *c, void *ud), void *ud);
int eng_category_seed_limits(struct eng *e, const char *name, int64_t *ratio, int64_t *seed_time);

/* The loop the engine runs on (eng_new's). */
uv_loop_t *eng_loop(const struct eng *e);

/* Adds a torrent. On success writes its id to *id_out (may be NULL): ids
 * start at 1, grow with each add and are never reused while the engine
 * lives. -EINVAL with a message for a broken .torrent, bad magnet or bad
 * peer; -EEXIST if already present (the existing id is still written).
 * A source path (p->source, not a magnet) is read with the checks of
 * safefile.h: a regular file (a FIFO, device or directory is -EINVAL with a
 * message), at most spate.torrent_file_max_bytes, not inside spate's own
 * mount (eng_set_mount_point). eng_add reads it on the calling thread, which
 * can block on slow storage: the loop thread uses eng_add_async. Listeners
 * get ENG_EV_ADDED before it returns. */
int eng_add(struct eng *e, const struct eng_add_params *p, int *id_out, char *err, size_t errlen);

/* eng_add without blocking the loop: a source path is read on libuv's
 * threadpool, then added on the loop thread; a magnet or bytes is added at
 * once. cb(ud, rc, id, err) gets eng_add's results (rc 0, -EINVAL, -EEXIST
 * with the existing id, ...; err a message or "", borrowed during the
 * call) and is called exactly once: before eng_add_async returns for a
 * magnet or bytes, later on the loop thread for a path, or with
 * -ECANCELED from eng_shutdown if the read is still in flight then. p and
 * everything it points to (except p->source, which is copied) must stay
 * valid until cb. Returns 0 (cb is or will be called) or -EINVAL (no cb).
 * Loop thread. */
typedef void (*eng_add_fn)(void *ud, int rc, int id, const char *err);
int eng_add_async(struct eng *e, const struct eng_add_params *p, eng_add_fn cb, void *ud);

/* Commands on one torrent by id. -ENOENT for an unknown id. eng_remove
 * emits ENG_EV_REMOVED (the row still valid during the call), then drops
 * the row; the other rows keep their ids and order. */
int eng_pause(struct eng *e, int id);
int eng_resume(struct eng *e, int id);
int eng_recheck(struct eng *e, int id);
int eng_reannounce(struct eng *e, int id);
int eng_remove(struct eng *e, int id, bool delete_data);
/* Connects to a peer "HOST:PORT" (IPv6 as [addr]:port). -EINVAL if unparsable. */
int eng_connect_peer(struct eng *e, int id, const char *hostport);

/* The table: index 0..count-1 in id order (ascending). eng_torrent_by_id:
 * NULL for an unknown id. Rows are borrowed (struct eng_torrent). */
size_t eng_torrent_count(const struct eng *e);
const struct eng_torrent *eng_torrent_at(const struct eng *e, size_t i);
const struct eng_torrent *eng_torrent_by_id(const struct eng *e, int id);

/* Resolves an ID as the user typed it: a decimal id as `ls` shows it, or an
 * info-hash prefix of at least 6 hex digits (v1 or v2). -EINVAL when the
 * spec is neither, -ENOENT when nothing matches, -EEXIST (ambiguous) when a
 * prefix matches more than one torrent. */
int eng_resolve_id(const struct eng *e, const char *spec, int *id_out);

/* Pure helper behind eng_resolve_id, for tests: does `spec` designate the
 * torrent (id, info_hash, info_hash_v2)? Returns 1 yes, 0 no, -EINVAL if
 * `spec` is malformed. */
int eng_id_matches(const char *spec, int id, const char *info_hash, const char *info_hash_v2);

/* Totals over the table for status bars (all zero for a NULL engine). */
void eng_get_stats(const struct eng *e, struct eng_stats *out);

/* One file of a torrent (libtorrent file_storage). */
struct eng_file {
    int index;       /* libtorrent file index */
    char *path;      /* '/'-separated path inside the torrent (multi-file: starts with its dir) */
    char *disk_path; /* absolute path of the file on disk */
    int64_t size;    /* bytes */
    int64_t offset;  /* bytes from the start of the torrent */
    bool pad;        /* BEP 47 pad file */
};

/* A copy of a torrent's metadata geometry and file list. */
struct eng_meta {
    int piece_length; /* bytes */
    int num_pieces;
    int64_t total_size; /* bytes */
    bool multi_file;    /* paths start with the torrent's own directory */
    size_t n_files;
    struct eng_file *files; /* in file index order */
};

/* Copies torrent `id`'s metadata. *out is owned by the caller (free with
 * eng_meta_free). -ENOENT unknown id, -EAGAIN no metadata yet (a magnet),
 * -ENOMEM, -EIO. */
int eng_meta_get(struct eng *e, int id, struct eng_meta **out);
void eng_meta_free(struct eng_meta *m);

/* have[i] = 1 for each verified piece i < n whose blocks are all on disk,
 * else 0 (pieces still being written follow through the piece listener).
 * -EAGAIN without metadata. Costs a torrent_status query: not for every
 * frame. */
int eng_have_pieces(struct eng *e, int id, uint8_t *have, int n);

/* Asks libtorrent to fetch `piece` first, aiming at deadline_ms from now
 * (set_piece_deadline, "time-critical pieces"); deadline_ms < 0 drops the
 * deadline (reset_piece_deadline). -EINVAL for a bad piece index. */
int eng_piece_deadline(struct eng *e, int id, int piece, int deadline_ms);

/* A file's download priority: 0 skip, 1 low, 4 normal (default), 7 high
 * (libtorrent download_priority_t). eng_file_priority returns it (>= 0) or
 * a negative error; -EINVAL for a bad file index or priority. */
int eng_file_priority(struct eng *e, int id, int file);
/* Every file's priority in one call (get_file_priorities), for the first n
 * files into prio (-1 past the torrent's end); 0, -ENOENT, -EINVAL
 * without metadata, -EIO. */
int eng_file_priorities(struct eng *e, int id, int *prio, size_t n);
/* Sets one file's priority (0..7 as above); resume data saves it once
 * libtorrent applied it. 0, -ENOENT, -EINVAL, -EIO. */
int eng_set_file_priority(struct eng *e, int id, int file, int prio);

/* "metadata", "checking", "downloading", "finished", "seeding", "paused",
 * "queued", "error". Static strings. */
const char *eng_state_name(enum eng_state s);

/* The newest session log message (listen failures, storage errors, ...),
 * borrowed until the next event; "" if none. */
const char *eng_last_log(const struct eng *e);

/* Reads back a setting as libtorrent reports it (session.get_settings()),
 * formatted as text into buf. -EINVAL for an unknown key. */
int eng_setting_get(struct eng *e, const char *key, char *buf, size_t buflen);

/* Applies one setting now (apply_settings) after validating it, for this
 * run only. */
int eng_setting_set(struct eng *e, const char *key, const char *value, char *err, size_t errlen);

/* The settings profile. Stored settings are applied at every start, over
 * spate's defaults and under `--set` (which lasts one run).
 * eng_setting_store: applies now and stores the value as read back
 * (normalized: "yes" -> "true"); -EINVAL (message) for a bad key or value,
 * nothing changed; -EIO if applied but not stored. Every change of the
 * stored profile (store and reset) gets a row in the settings history with
 * `source` ("ctl", "tui", ...).
 * eng_setting_reset: applies the default now and forgets the stored value.
 * eng_setting_stored: the stored value into buf; 1 stored, 0 not stored.
 * eng_setting_default: spate's default, else libtorrent's
 * (default_settings()); -EINVAL unknown key; usable before eng_new. */
int eng_setting_store(struct eng *e, const char *key, const char *value, const char *source,
                      char *err, size_t errlen);
int eng_setting_reset(struct eng *e, const char *key, const char *source, char *err, size_t errlen);
int eng_setting_stored(struct eng *e, const char *key, char *buf, size_t buflen);
int eng_setting_default(const char *key, char *buf, size_t buflen);

/* What libtorrent reports for a session key (session.get_settings(), or
 * for derived keys the counterpart call: get_ip_filter, torrent flags, the
 * rate limits the alternative speed sets), formatted like the value (enum
 * names, "true"/"false"). Returns 1 with buf filled, 0 if the key has
 * nothing native (spate's own keys), -EINVAL for an unknown key, -EIO. */
int eng_setting_native(struct eng *e, const char *key, char *buf, size_t buflen);

/* One row of `spate config get`: k is the registry row (registry.h).
 * effective: the value libtorrent is asked to hold (or spate uses);
 * stored: the profile's value if has_stored; native: see
 * eng_setting_native, if has_native; def: the default; is_default:
 * effective == def. Secrets show "(set)" or "" instead of their value.
 * Returns 0, -EINVAL for an unknown or per-torrent key, -EIO. */
struct eng_setting_row {
    const struct reg_key *k;
    char effective[4096], stored[4096], native[4096], def[4096];
    bool has_stored, has_native, is_default;
};
int eng_setting_row(struct eng *e, const char *key, struct eng_setting_row *row);

/* The settings history, newest first: each change of the stored profile
 * (time in s since the epoch; old/now NULL = not stored, i.e. the default;
 * secrets as "(secret)"; source "ctl", "tui", ...). key NULL: every key.
 * At most limit rows (<= 0: all). cb returning non-zero stops. Returns 0,
 * or a negative error (-EIO). Loop thread. */
typedef int (*eng_history_fn)(int64_t time, const char *key, const char *old, const char *now,
                              const char *source, void *ud);
int eng_setting_history(struct eng *e, const char *key, int limit, eng_history_fn cb, void *ud);

/* An integer or bool (1/0) session setting's configured value; 0 for an
 * unknown key. */
long long eng_setting_int(const struct eng *e, const char *key);

/* Re-evaluates the alternative speed schedule against the clock (the
 * engine does it every second); exposed for tests with an injected clock. */
void eng_settings_tick(struct eng *e);

/* ---- details of one torrent and of the session (the TUI's panes) ----
 * All: loop thread; -ENOENT for an unknown id; arrays malloc'd, free()
 * (eng_trackers_free for trackers). */

/* Peers (get_peer_info). Flags as libtorrent reports them. */
struct eng_peer {
    char addr[64];            /* "1.2.3.4:6881" / "[::1]:6881" */
    char client[64];          /* the peer's client name, terminal-safe (util_term_sanitize) */
    bool interesting, choked; /* we want its pieces / we choke it */
    bool remote_interested, remote_choked; /* it wants ours / it chokes us */
    bool optimistic, snubbed, seed, incoming;
    bool utp, encrypted, ssl;
    bool from_tracker, from_dht, from_pex, from_lsd, from_resume;
    double progress;              /* 0..1 of the torrent it has */
    int64_t down_rate, up_rate;   /* payload bytes/s */
    int64_t downloaded, uploaded; /* payload bytes over this connection */
};
int eng_peers(struct eng *e, int id, struct eng_peer **out, size_t *n);

/* Trackers with their announce state (announce_entry, BEP 12 tiers). */
enum eng_tracker_status {
    ENG_TRACKER_NOT_CONTACTED,
    ENG_TRACKER_UPDATING,
    ENG_TRACKER_WORKING,
    ENG_TRACKER_ERROR,
    ENG_TRACKER_DISABLED,
};
struct eng_tracker {
    char *url; /* without a login (spate.tracker_auth) */
    int tier;
    enum eng_tracker_status status;
    char *message;                /* the tracker's message or the error, "" if none */
    int seeds, peers, downloaded; /* from the last scrape/announce, -1 unknown */
    int64_t next_announce_s;      /* s from now, -1 unknown */
    int fails;                    /* failed announces in a row */
};
int eng_trackers(struct eng *e, int id, struct eng_tracker **out, size_t *n);
void eng_trackers_free(struct eng_tracker *v, size_t n);

/* Bytes done of each of the torrent's n files (file index order; piece
 * granularity, as libtorrent counts it cheaply). */
int eng_file_progress(struct eng *e, int id, int64_t *done, size_t n);

/* From the metadata (-EAGAIN before it arrives). */
struct eng_info {
    char comment[1024], creator[256], source[256];
    int64_t creation_date; /* s since the epoch, 0 if none */
    bool is_private;       /* BEP 27 */
};
int eng_info_get(struct eng *e, int id, struct eng_info *out);

/* Pieces being downloaded now (in the download queue), into out[0..max);
 * returns how many. */
int eng_downloading_pieces(struct eng *e, int id, int *out, size_t max);

/* The session's health. */
struct eng_listen {
    char what[128];  /* "127.0.0.1:6881 TCP" */
    char error[160]; /* "" when listening */
};
struct eng_health {
    struct eng_listen listen[8];
    size_t n_listen;
    int64_t dht_nodes;         /* -1 unknown (no stats yet) */
    bool incoming_seen;        /* an incoming peer connection was accepted */
    int64_t disk_queued_jobs;  /* disk.queued_disk_jobs, -1 unknown */
    int64_t disk_queued_bytes; /* disk.queued_write_bytes, -1 unknown */
    long blocked_peers, ip_filter_ranges;
    bool alt_speed;
    const char *mount; /* eng_set_mount_status's text */
};
void eng_health(struct eng *e, struct eng_health *out);

/* Global payload rates, one sample per status refresh (about a second),
 * oldest first: up to max samples into down[]/up[]; returns how many
 * (at most ENG_RATE_HISTORY). */
#define ENG_RATE_HISTORY 600
size_t eng_rate_history(const struct eng *e, int64_t *down, int64_t *up, size_t max);

/* The health log: the newest `limit` events, oldest first: time (s), level
 * ("info", "warn", "error"), torrent (its name if still present, else the
 * info-hash, NULL for the session) and libtorrent's message. */
typedef int (*eng_event_fn)(int64_t time, const char *level, const char *torrent,
                            const char *message, void *ud);
int eng_events(struct eng *e, int limit, eng_event_fn cb, void *ud);

/* A line about the FUSE mount for status bars ("/run/user/1000/spate/mnt",
 * "off", "failed: ..."); set by whoever runs the mount. Copied. */
void eng_set_mount_status(struct eng *e, const char *text);

const char *eng_mount_status(const struct eng *e);

/* ---- paths and the mount guard (paths.c) ----
 * eng_path_normalize: an absolute path lexically normalized ("//", "." and
 * ".." collapsed, no trailing "/" except for "/"); 0, -EINVAL (not
 * absolute), -ENAMETOOLONG. Pure, any thread.
 * eng_path_canon: realpath() of the longest existing prefix of `in` (an
 * absolute path), the rest normalized; lookups only (lstat, readlink),
 * never an open or a read. 0 or a negative errno. Any thread.
 * eng_path_inside: is `a` equal to or inside `b`, compared component by
 * component after eng_path_normalize (/a/bc is not inside /a/b)? Pure. */
int eng_path_normalize(const char *in, char *out, size_t n);
int eng_path_canon(const char *in, char *out, size_t n);
bool eng_path_inside(const char *a, const char *b);

/* May `dir` be the mount point? Refused (-EINVAL, one line in err) when it
 * is, is inside or contains the download directory, the data directory
 * (DATA_DIR/mnt itself is allowed: the default place), a category's save
 * path or a torrent's save path (canonical paths). spate.mount_dir goes
 * through it wherever it is set (config set, --set, --mount, the TUI, the
 * stored profile at start); the FUSE policy checks every mount point with
 * it before mounting. Loop thread. */
int eng_mount_dir_check(struct eng *e, const char *dir, char *err, size_t errlen);

/* The mount in force, told by whoever runs it (NULL or "": none); copied
 * canonically. A save path (add's save_path, the torrent option save_path,
 * a category's save path) that is inside it or contains it is refused by
 * eng_save_path_check (-EINVAL with a message; 0 when there is no mount).
 * eng_mount_point: "" when none, borrowed. Loop thread.
 * Files on the mount's device are never read by the engine either (a read
 * there waits for pieces only the loop can fetch): a .torrent to add, a
 * blocklist or a theme inside it is refused with a message (safefile.h). */
void eng_set_mount_point(struct eng *e, const char *dir);
const char *eng_mount_point(const struct eng *e);
int eng_save_path_check(struct eng *e, const char *path, char *err, size_t errlen);

/* The default download directory and the data directory (borrowed). */
const char *eng_download_dir(const struct eng *e);
const char *eng_data_dir(const struct eng *e);

/* Writes docs/settings.md (Markdown) from the registry: groups, keys,
 * types, units, ranges, defaults, how each is applied, help. 0, or -1 on a
 * write error. Any thread (libtorrent's defaults only). */
int eng_settings_doc(FILE *out);

/* Ranges in the IP filter (inline list + file) and peers refused by it
 * since start (peer_blocked_alert). */
long eng_ip_filter_ranges(const struct eng *e);
/* True while the blocklist file (spate.ip_filter_file) is being loaded on
 * libuv's threadpool; its ranges reach libtorrent when the load reports
 * back to the loop. Loop thread. */
bool eng_ip_filter_loading(const struct eng *e);
long eng_blocked_peers(const struct eng *e);

#endif
