/*
 * lt_shim.h — the C ABI over libtorrent-rasterbar 2.0 (the only C++ in spate).
 *
 * The shim maps C calls onto libtorrent and libtorrent alerts onto C events.
 * It holds no policy, no caches and no threads: defaults, persistence and the
 * torrent table live in the engine (src/engine/: table.c, resume.c, settings.c, ...). Every C++
 * exception is caught at this boundary and turned into a negative errno-style code plus a one-line
 * message.
 *
 * Torrents are identified in events by a 20-byte key: the v1 info-hash, or
 * the truncated v2 info-hash for v2-only torrents (libtorrent's
 * info_hash_t, BEP 52).
 *
 * Thread-safety: every function must be called from one thread (the loop
 * thread), except that the `notify` callback given to lts_session_new() is
 * invoked on a libtorrent thread and must only wake that thread
 * (uv_async_send).
 */
#ifndef SPATE_INTERNAL_ENGINE
#error                                                                                             \
    "engine/lt_shim.h is private to src/engine/ (docs/architecture.md); a unit test that needs it defines SPATE_INTERNAL_ENGINE"
#endif
#ifndef SPATE_LT_SHIM_H
#define SPATE_LT_SHIM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

struct lts_session;
struct lts_torrent;
struct lts_pack;

#define LTS_KEY_LEN 20

/* --- settings (libtorrent settings_pack) --------------------------------- */

enum lts_setting_type { LTS_SETTING_STRING = 1, LTS_SETTING_INT = 2, LTS_SETTING_BOOL = 3 };

/* Type of the settings_pack entry `name` (libtorrent reference:
 * settings_pack), or -EINVAL if libtorrent has no such setting. */
int lts_setting_type(const char *name);

/* A settings pack under construction. lts_pack_free(NULL) is allowed. */
struct lts_pack *lts_pack_new(void);
void lts_pack_free(struct lts_pack *p);

/* Sets the settings_pack entry `name` to a typed value (settings_pack::
 * set_bool, set_int, set_str). -EINVAL if libtorrent has no such setting
 * or it is of another type (lts_setting_type tells which); the pack is
 * unchanged then. Parsing text and wording messages is the engine's
 * (eng_pack_set in pack.c). */
int lts_pack_set_bool(struct lts_pack *p, const char *name, bool value);
int lts_pack_set_int(struct lts_pack *p, const char *name, int value);
int lts_pack_set_str(struct lts_pack *p, const char *name, const char *value);

/* The disk I/O backend a session is created with (session_params::
 * disk_io_constructor): libtorrent's memory-mapped one
 * (mmap_disk_io_constructor, its default) or the one on pread/pwrite
 * (posix_disk_io_constructor). libtorrent picks it when the session is
 * constructed only, so it is a field of the pack that lts_session_new()
 * reads and lts_apply() ignores. */
enum lts_disk_io { LTS_DISK_IO_MMAP = 0, LTS_DISK_IO_POSIX = 1 };
void lts_pack_set_disk_io(struct lts_pack *p, enum lts_disk_io io);

/* --- session ------------------------------------------------------------- */

/* Creates a session from `pack` (borrowed). `notify(ud)` is called on a
 * libtorrent thread whenever alerts become pending. *out is freed with
 * lts_session_free(). */
int lts_session_new(const struct lts_pack *pack, void (*notify)(void *ud), void *ud,
                    struct lts_session **out, char *err, size_t errlen);

/* Replaces the notify callback (NULL: no notifications). After it returns
 * the previous callback is no longer called. */
void lts_set_notify(struct lts_session *s, void (*notify)(void *ud), void *ud);

/* Maps one tracker URL (NUL-terminated) into out (outlen bytes, at least
 * strlen(url) + 1: a map may shorten a URL, never lengthen it). */
typedef void (*lts_url_map)(const char *url, char *out, size_t outlen);

/* Resume data (LTS_EV_RESUME_DATA) is written with each tracker URL passed
 * through `map` first (NULL: as libtorrent holds them). The engine uses it
 * to leave tracker logins out (eng_url_shown); the torrent's live trackers
 * are not touched. */
void lts_set_resume_url_map(struct lts_session *s, lts_url_map map);

/* Stops notifications and destroys the session, waiting for libtorrent to
 * shut down (bounded by its stop_tracker_timeout). NULL is allowed. */
void lts_session_free(struct lts_session *s);

/* The disk I/O backend the session was created with. */
enum lts_disk_io lts_disk_io(const struct lts_session *s);

/* apply_settings(pack). */
int lts_apply(struct lts_session *s, const struct lts_pack *pack, char *err, size_t errlen);

/* Reads a setting back from session.get_settings() as text into buf
 * (bools as "true"/"false"). -EINVAL for an unknown name. */
int lts_get_setting(struct lts_session *s, const char *name, char *buf, size_t buflen);

/* libtorrent's own default of a setting (default_settings()), formatted as
 * lts_get_setting does. -EINVAL for an unknown name. Any thread. */
int lts_default_setting(const char *name, char *buf, size_t buflen);

/* The port the session listens on (0 if none) and whether it listens. */
int lts_listen_port(struct lts_session *s);

/* Asks for a state_update_alert with the torrents whose status changed. */
void lts_post_updates(struct lts_session *s);

/* Blocks up to `ms` for an alert to become pending; 1 if one is, else 0.
 * For shutdown only. */
int lts_wait(struct lts_session *s, int ms);

/* --- adding -------------------------------------------------------------- */

/* What to add: exactly one of magnet, torrent bytes or resume data. Resume
 * data (from a save-resume event) may be accompanied by the metainfo bytes
 * as a fallback source of the info dict. */
struct lts_add {
    const char *magnet;  /* magnet URI (BEP 9; x.pe peer hints honoured) */
    const void *torrent; /* bencoded .torrent bytes (BEP 3 / BEP 52) */
    size_t n_torrent;
    const void *resume; /* libtorrent resume data (bencoded) */
    size_t n_resume;
    const char *save_path;       /* required unless resume data carries one */
    bool paused;                 /* add stopped and not auto-managed */
    bool seed_mode;              /* torrent_flags::seed_mode: no check, all pieces assumed */
    bool allocate;               /* storage_mode_allocate instead of sparse */
    const char *const *trackers; /* extra trackers (after the torrent's own), tier each */
    const int *tracker_tiers;
    size_t n_trackers;
    const char *const *peer_addrs; /* IP literals of peers to connect to */
    const int *peer_ports;
    size_t n_peers;
};

/* Parses the source without adding: fills key and, when known, the name
 * (truncated to namelen-1). -EINVAL with a message for a broken .torrent,
 * an unparsable magnet or unreadable resume data. */
int lts_parse(const struct lts_add *a, uint8_t key[LTS_KEY_LEN], char *name, size_t namelen,
              char *err, size_t errlen);

/* Adds a torrent (session.add_torrent). On success *out is a handle owned
 * by the caller (free with lts_torrent_free; freeing does not remove the
 * torrent) and key receives the torrent's key. -EEXIST if the session has
 * it already, -EINVAL for bad input (with message). */
int lts_add_torrent(struct lts_session *s, const struct lts_add *a, struct lts_torrent **out,
                    uint8_t key[LTS_KEY_LEN], char *err, size_t errlen);

void lts_torrent_free(struct lts_torrent *t);

/* --- commands on a torrent (torrent_handle) ------------------------------ */

/* Stops the torrent and takes it out of auto-management (a user pause). */
int lts_pause(struct lts_torrent *t);
/* Resumes it and gives it back to auto-management (queueing). */
int lts_resume(struct lts_torrent *t);
int lts_force_recheck(struct lts_torrent *t);
/* torrent_handle::clear_error(): leaves the error state (a failed write,
 * a missing file); upload mode is a separate flag (LTS_TF_UPLOAD_MODE). */
int lts_clear_error(struct lts_torrent *t);
/* Announces to every tracker now, ignoring the minimum interval. */
int lts_force_reannounce(struct lts_torrent *t);
/* Connects to ip:port (an IP literal). -EINVAL if it is not one. */
int lts_connect_peer(struct lts_torrent *t, const char *ip, int port);
/* Requests resume data (with the info dict); a LTS_EV_RESUME_DATA or
 * LTS_EV_RESUME_FAILED event follows. */
int lts_save_resume(struct lts_torrent *t);
/* need_save_resume_data(). */
bool lts_need_save_resume(struct lts_torrent *t);
/* session.remove_torrent, deleting the files when delete_data. The handle
 * must still be freed by the caller. */
int lts_remove(struct lts_session *s, struct lts_torrent *t, bool delete_data);

/* --- metadata and pieces (torrent_info / file_storage) ------------------- */

/* The geometry of a torrent with metadata (libtorrent torrent_info). */
struct lts_meta {
    int piece_length; /* bytes */
    int num_pieces;
    int num_files;      /* including pad files (BEP 47) */
    int64_t total_size; /* bytes */
    bool multi_file;    /* file paths start with the torrent's directory */
};

/* One file of file_storage. Strings are borrowed for the callback. */
struct lts_file {
    int index;
    const char *path;      /* '/'-separated path inside the torrent */
    const char *disk_path; /* where libtorrent stores it: save_path joined with path */
    int64_t size;          /* bytes */
    int64_t offset;        /* bytes from the start of the torrent */
    bool pad;              /* BEP 47 pad file */
};

/* Fills *m and calls cb once per file, in file index order.
 * -EAGAIN if the torrent has no metadata yet, -EIO if libtorrent failed. */
int lts_files(struct lts_torrent *t, struct lts_meta *m,
              void (*cb)(void *ud, const struct lts_file *f), void *ud);

/* Writes have[i] = 1 for each verified piece i < n (torrent_status with
 * query_pieces), 0 otherwise. -EAGAIN without metadata. */
int lts_have_pieces(struct lts_torrent *t, uint8_t *have, int n);

/* The pieces some of whose blocks are still being written to disk
 * (get_download_queue(), block state "writing"): up to max of them into
 * out; returns how many there are (may exceed max), or a negative error.
 * libtorrent reports a piece finished once its hash passed, which can be
 * before its last blocks leave the write queue. */
int lts_writing_pieces(struct lts_torrent *t, int *out, size_t max);

/* set_piece_deadline(piece, ms): fetch this piece first, aiming at `ms`
 * milliseconds from now (libtorrent "time critical" pieces). */
int lts_set_piece_deadline(struct lts_torrent *t, int piece, int ms);
/* reset_piece_deadline(piece). */
int lts_reset_piece_deadline(struct lts_torrent *t, int piece);

/* file_priority(index): 0 (skip) .. 7 (top); -EINVAL for a bad index. */
int lts_file_priority(struct lts_torrent *t, int index);
/* get_file_priorities(): 0..7 for each of the first n files into out, in
 * one call (files past the torrent's end: -1); -EINVAL without metadata. */
int lts_file_priorities(struct lts_torrent *t, int *out, size_t n);

/* file_priority(index, prio). */
int lts_set_file_priority(struct lts_torrent *t, int index, int prio);

/* --- events (alerts) ------------------------------------------------------ */

enum lts_state {
    LTS_ST_CHECKING_FILES,
    LTS_ST_METADATA,
    LTS_ST_DOWNLOADING,
    LTS_ST_FINISHED,
    LTS_ST_SEEDING,
    LTS_ST_CHECKING_RESUME,
};

/* --- session: IP filter, capabilities ----------------------------------- */

/* One blocked range, inclusive, network byte order (IPv4: first 4 bytes). */
struct lts_ip_range {
    uint8_t first[16], last[16];
    bool v6;
};

/* session.set_ip_filter(): replaces the filter with ranges[0..n) blocked
 * (libtorrent ip_filter::blocked), everything else allowed. */
int lts_set_ip_filter(struct lts_session *s, const struct lts_ip_range *ranges, size_t n);

/* The number of blocked ranges in session.get_ip_filter() (export_filter,
 * IPv4 and IPv6 together), or -EIO. */
long lts_ip_filter_blocked(struct lts_session *s);

/* Whether this libtorrent was built with I2P (TORRENT_USE_I2P). */
bool lts_has_i2p(void);

/* --- per-torrent knobs ---------------------------------------------------- */

/* torrent_flags_t bits spate exposes (libtorrent reference: torrent_flags). */
enum {
    LTS_TF_SEQUENTIAL = 1,    /* sequential_download */
    LTS_TF_SUPER_SEEDING = 2, /* super_seeding (BEP 16) */
    LTS_TF_DISABLE_PEX = 4,   /* disable_pex */
    LTS_TF_AUTO_MANAGED = 8,  /* auto_managed */
    LTS_TF_UPLOAD_MODE = 16,  /* upload_mode: libtorrent sets it when a write fails */
};
/* torrent_handle::flags() restricted to the bits above. */
int lts_torrent_flags(struct lts_torrent *t, unsigned *out);
/* set_flags(flags & mask, mask) / unset_flags for the bits in mask. */
int lts_set_torrent_flags(struct lts_torrent *t, unsigned flags, unsigned mask);

/* Per-torrent limits: download_limit()/upload_limit() in bytes/s (0 =
 * unlimited), max_connections()/max_uploads() (0 = unlimited; libtorrent
 * reports its "unlimited" as 0 here too). */
enum lts_limit { LTS_DOWNLOAD_LIMIT, LTS_UPLOAD_LIMIT, LTS_MAX_CONNECTIONS, LTS_MAX_UPLOADS };
int lts_torrent_limit(struct lts_torrent *t, enum lts_limit which, int *out);
int lts_set_torrent_limit(struct lts_torrent *t, enum lts_limit which, int value);

/* queue_position() (-1: not in the queue) and its moves. */
enum lts_queue_move { LTS_QUEUE_TOP, LTS_QUEUE_UP, LTS_QUEUE_DOWN, LTS_QUEUE_BOTTOM };
int lts_queue_position(struct lts_torrent *t, int *out);
int lts_queue_move(struct lts_torrent *t, enum lts_queue_move how);
int lts_set_queue_position(struct lts_torrent *t, int pos);

/* move_storage(path): asynchronous; LTS_EV_STORAGE_MOVED or
 * LTS_EV_STORAGE_MOVE_FAILED follow (message: the new path / the error). */
int lts_move_storage(struct lts_torrent *t, const char *path);
/* The current save path (status().save_path) into buf. */
int lts_save_path(struct lts_torrent *t, char *buf, size_t buflen);

/* status().storage_mode: true if allocated in full, false if sparse. */
int lts_storage_allocated(struct lts_torrent *t, bool *out);

/* trackers(): *out gets n malloc'd entries (free with lts_trackers_free).
 * The status fields sum up announce_entry's endpoints (v1 and v2): updating
 * if any is, working if any got a reply without error, the last message or
 * error, scrape figures (-1 unknown), the next announce in s from now (-1
 * unknown), fails in a row. */
struct lts_tracker {
    char *url;
    int tier;
    bool updating, working, verified, enabled;
    int fails;
    char *message; /* tracker message or last error, "" if none */
    int scrape_complete, scrape_incomplete, scrape_downloaded;
    int64_t next_announce_s;
};
int lts_trackers(struct lts_torrent *t, struct lts_tracker **out, size_t *n);
void lts_trackers_free(struct lts_tracker *v, size_t n);
/* replace_trackers() with urls[i] in tier tiers[i]. */
int lts_replace_trackers(struct lts_torrent *t, const char *const *urls, const int *tiers,
                         size_t n);

/* get_peer_info(): n entries, malloc'd (free()). Flag bits from
 * libtorrent's peer_info::flags and ::source. */
enum {
    LTS_PF_INTERESTING = 1 << 0, /* we are interested in the peer */
    LTS_PF_CHOKED = 1 << 1,      /* we choke the peer */
    LTS_PF_REMOTE_INTERESTED = 1 << 2,
    LTS_PF_REMOTE_CHOKED = 1 << 3, /* the peer chokes us */
    LTS_PF_OPTIMISTIC = 1 << 4,    /* optimistic unchoke */
    LTS_PF_SNUBBED = 1 << 5,
    LTS_PF_SEED = 1 << 6,
    LTS_PF_INCOMING = 1 << 7, /* it connected to us */
    LTS_PF_UTP = 1 << 8,
    LTS_PF_ENCRYPTED = 1 << 9, /* RC4 or plaintext-header encryption (MSE) */
    LTS_PF_SSL = 1 << 10,
    LTS_PF_I2P = 1 << 11,
    LTS_PF_FROM_TRACKER = 1 << 16,
    LTS_PF_FROM_DHT = 1 << 17,
    LTS_PF_FROM_PEX = 1 << 18,
    LTS_PF_FROM_LSD = 1 << 19,
    LTS_PF_FROM_RESUME = 1 << 20,
};
struct lts_peer {
    char addr[64];   /* "1.2.3.4:6881" / "[::1]:6881" */
    char client[64]; /* as the peer names itself, raw bytes */
    unsigned flags;
    float progress;                       /* 0..1 */
    int64_t down_rate, up_rate;           /* payload bytes/s */
    int64_t total_download, total_upload; /* payload bytes, this connection */
};
int lts_peers(struct lts_torrent *t, struct lts_peer **out, size_t *n);

/* file_progress (piece granularity): bytes done of each of n files. */
int lts_file_progress(struct lts_torrent *t, int64_t *out, size_t n);

/* From the metadata: comment, created by, creation date (s, 0 if none),
 * the private flag (BEP 27) and the info dict's "source" key ("" if none).
 * -ENOENT without metadata. */
struct lts_info_extra {
    char comment[1024], creator[256], source[256];
    int64_t creation_date;
    bool is_private;
};
int lts_info_extra(struct lts_torrent *t, struct lts_info_extra *out);

/* Pieces in the download queue (get_download_queue) into out[0..max),
 * returns how many (or -errno). */
int lts_downloading_pieces(struct lts_torrent *t, int *out, size_t max);

/* Session counters (session_stats_alert; libtorrent's stats metrics): the
 * index of a metric such as "dht.dht_nodes", or -1; and a request for the
 * counters, answered by LTS_EV_SESSION_STATS. */
int lts_metric_index(const char *name);
void lts_post_session_stats(struct lts_session *s);

/* url_seeds() (BEP 19) as malloc'd strings (free with lts_strings_free);
 * add_url_seed / remove_url_seed. */
int lts_url_seeds(struct lts_torrent *t, char ***out, size_t *n);
void lts_strings_free(char **v, size_t n);
int lts_add_url_seed(struct lts_torrent *t, const char *url);
int lts_remove_url_seed(struct lts_torrent *t, const char *url);

/* piece_priority() 0..7 (or -EINVAL without metadata / bad piece) and
 * piece_priority(piece, prio). */
int lts_piece_priority(struct lts_torrent *t, int piece);
int lts_set_piece_priority(struct lts_torrent *t, int piece, int prio);

/* One torrent_status, translated. Strings are borrowed for the duration of
 * the event callback. */
struct lts_status {
    uint8_t key[LTS_KEY_LEN];
    char info_hash[41];    /* v1 or truncated v2, hex */
    char info_hash_v2[65]; /* "" if none */
    const char *name;
    const char *save_path;
    const char *error; /* NULL if none: "message (path)", path in full on disk */
    int error_errno;   /* the error as a positive errno (ENOSPC, ...), 0 if none or
                        * not a system error */
    enum lts_state state;
    bool paused, auto_managed, has_metadata;
    double progress;                            /* 0..1 of wanted */
    int64_t total;                              /* bytes in the torrent */
    int64_t total_wanted;                       /* bytes selected */
    int64_t total_wanted_done;                  /* verified bytes of the selection */
    int64_t down_rate, up_rate;                 /* payload bytes/s */
    int64_t all_time_download, all_time_upload; /* payload bytes */
    int64_t session_download;                   /* payload bytes since added to this session */
    int num_peers, num_seeds;
    int num_pieces, pieces_done, piece_length;
    int queue_position;                 /* -1 if not queued */
    int64_t added_time, completed_time; /* s since the epoch */
    int64_t seeding_time;               /* s spent as a seed (seeding_duration) */
};

enum lts_event_type {
    LTS_EV_STATUS,              /* status[0..n_status) */
    LTS_EV_METADATA,            /* metadata_received_alert */
    LTS_EV_FINISHED,            /* torrent_finished_alert */
    LTS_EV_RESUME_DATA,         /* save_resume_data_alert: data/n_data, name; tracker
                                 * URLs mapped by lts_set_resume_url_map */
    LTS_EV_RESUME_FAILED,       /* save_resume_data_failed_alert: message */
    LTS_EV_REMOVED,             /* torrent_removed_alert */
    LTS_EV_TORRENT_ERROR,       /* torrent_error_alert / file_error_alert: message, error_* */
    LTS_EV_LISTEN_OK,           /* listen_succeeded_alert: port, message */
    LTS_EV_LISTEN_FAILED,       /* listen_failed_alert: message */
    LTS_EV_PAUSED,              /* torrent_paused_alert */
    LTS_EV_LOG,                 /* any other error-category alert: message */
    LTS_EV_PIECE,               /* piece_finished_alert: piece (written and verified) */
    LTS_EV_CHECKED,             /* torrent_checked_alert: the set of pieces may have changed */
    LTS_EV_DROPPED,             /* alerts_dropped_alert: events were lost, re-read state */
    LTS_EV_FILE_PRIO,           /* file_prio_alert: new file priorities are in effect */
    LTS_EV_STORAGE_MOVED,       /* storage_moved_alert: message = the new save path */
    LTS_EV_STORAGE_MOVE_FAILED, /* storage_moved_failed_alert: message */
    LTS_EV_PEER_BLOCKED,        /* peer_blocked_alert: a peer refused (IP filter, ...) */
    LTS_EV_SESSION_STATS,       /* session_stats_alert: counters[0..n_counters) */
    LTS_EV_WARNING,             /* tracker warnings, peer bans: message (torrent if any) */
};

struct lts_event {
    enum lts_event_type type;
    bool has_key;
    uint8_t key[LTS_KEY_LEN];
    const char *message; /* libtorrent's alert message, borrowed */
    const char *name;    /* torrent name where known, borrowed */
    const struct lts_status *status;
    size_t n_status;
    const void *data; /* resume data, borrowed */
    size_t n_data;
    int port;
    int piece; /* LTS_EV_PIECE */
    /* LTS_EV_TORRENT_ERROR: the error as a positive errno (0 if not a
     * system error), its text, and for file_error_alert the file's full path
     * ("" if none); borrowed */
    int error_errno;
    const char *error_text;
    const char *error_path;
    const int64_t *counters; /* LTS_EV_SESSION_STATS */
    size_t n_counters;
};

/* Pops every pending alert and calls cb once per translated event, in
 * order, on the calling thread. Returns the number of alerts popped. */
int lts_drain(struct lts_session *s, void (*cb)(void *ud, const struct lts_event *ev), void *ud);

#ifdef __cplusplus
}
#endif

#endif
