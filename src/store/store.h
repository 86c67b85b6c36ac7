/*
 * store.h — spate's persistent state in one sqlite3 database.
 *
 * The store holds everything a user would be angry to lose: the torrents
 * (metainfo or magnet, save path, added time, queue position, category and
 * tags), their resume data, the settings profile and its history, the
 * secret settings (kept apart from the profile), the categories and an
 * event log. The database lives at DATA_DIR/spate.db, runs in WAL mode with
 * synchronous=NORMAL (a kill -9 at any moment leaves a database that opens
 * and passes integrity_check; at most the last transaction is lost) and is
 * versioned with PRAGMA user_version and forward-only migrations.
 *
 * Thread-safety: one struct store is one sqlite connection; it must only be
 * used from the thread that opened it (spate's loop thread).
 *
 * Errors: functions return 0 on success or a negative errno-style code
 * (-EINVAL bad argument, -ENOENT no such row, -EIO sqlite failure). Where an
 * `err` buffer is taken, a one-line message is written into it on failure.
 */
#ifndef SPATE_STORE_H
#define SPATE_STORE_H

#include <stddef.h>
#include <stdint.h>

struct store;

/* The schema version this build writes (PRAGMA user_version). */
#define STORE_SCHEMA_VERSION 4

/* One torrent row. All strings are NUL-terminated UTF-8. In rows passed to
 * callbacks of store_torrents_load() every pointer is borrowed and valid only
 * during the callback. Blobs may be NULL with length 0. */
struct store_torrent {
    char info_hash[41];     /* 40 lowercase hex: v1 hash, or truncated v2 */
    const char *name;       /* display name, may be "" before metadata */
    const char *magnet;     /* magnet URI the torrent was added from, or NULL */
    const void *metainfo;   /* bencoded .torrent bytes, or NULL */
    size_t metainfo_len;    /* bytes */
    const char *save_path;  /* absolute directory */
    int64_t added_time;     /* s since the Unix epoch */
    int64_t completed_time; /* s since the Unix epoch, 0 if never */
    int64_t queue_pos;      /* 0-based, -1 when not queued */
    int paused;             /* 1 if the user paused it */
    const void *resume;     /* libtorrent resume data (bencoded), or NULL */
    size_t resume_len;      /* bytes */
    const char *category;   /* category name, "" for none (NULL on put: "") */
    const char *tags;       /* comma-joined tags as the engine normalized them,
                               "" for none (NULL on put: "") */
    const char *peers;      /* comma-joined "IP:PORT" / "[V6]:PORT" peers the user
                               gave (add --peer, connect), "" for none; NULL on
                               put keeps the stored ones ("" for a new row) */
};

/* Opens (creating if needed) the database at `path`, enables WAL and
 * foreign keys, and runs every migration up to STORE_SCHEMA_VERSION inside
 * transactions. A database whose user_version is newer than this build
 * knows is refused (-EPROTO) rather than touched.
 *
 * Privacy: the file is created 0600 before sqlite opens it (sqlite gives
 * the -wal and -shm files the database's mode), whatever the umask; an
 * existing database, -wal or -shm readable by others is set back to 0600,
 * and that, or a directory holding it that others may read or write, is
 * reported by store_note().
 * Damage: PRAGMA quick_check runs before anything is written; a database
 * that fails it (or whose first page is not sqlite's) is refused with
 * -EBADMSG and a one-line message naming the file and `spate db restore`,
 * and nothing is written to it.
 * Before a migration of an existing database a backup is made into
 * DIR/backups (store_backup_*), unless the stored setting
 * spate.db_backups is 0.
 * On success *out owns the connection; free with store_close(). */
int store_open(const char *path, struct store **out, char *err, size_t errlen);

/* The i-th (0-based) one-line notice store_open() has for the health log
 * (a mode it fixed, a directory open to others: level "warn"; a backup
 * made before a migration: "info"), or NULL past the last; *level (may be
 * NULL) gets the level. Borrowed until store_close(). */
const char *store_note(const struct store *st, size_t i, const char **level);

/* Makes sure `path` exists as a regular file of mode 0600: creates it
 * (empty) if missing, whatever the umask, and takes group and other
 * permissions away from an existing one. Symlinks are not followed
 * (-ELOOP). *fixed (may be NULL) is set to the mode it had when that was
 * looser, else 0. Returns 0 or a negative errno. */
int store_file_private(const char *path, unsigned *fixed);

/* Runs PRAGMA quick_check (O(N) in the database's size, no index/table
 * cross-checks). 0 when it answers "ok"; -EBADMSG with the first problem
 * in msg otherwise; -EIO if it could not run. */
int store_quick_check(struct store *st, char *msg, size_t msglen);

/* Closes the connection (checkpointing the WAL). NULL is allowed. */
void store_close(struct store *st);

/* The database's PRAGMA user_version (>= 0), or a negative error. */
int store_schema_version(struct store *st);

/* Batches: every write below runs in its own transaction unless it is made
 * between store_begin() and store_commit(), in which case all of them land
 * together. store_rollback() discards the batch. Nesting is not allowed
 * (-EBUSY). */
int store_begin(struct store *st);
int store_commit(struct store *st);
int store_rollback(struct store *st);

/* Inserts or replaces the torrent row keyed by t->info_hash. When
 * t->resume is NULL an existing row keeps its resume data. Category and
 * tags are not kept that way: the row gets the ones given, and NULL writes
 * "" (no category, no tags), so a caller re-putting a torrent passes its
 * labels back or uses store_torrent_set_labels() alone. */
int store_torrent_put(struct store *st, const struct store_torrent *t);

/* Updates only the resume data (and name when `name` is non-NULL) of an
 * existing torrent. -ENOENT if the torrent is not stored. */
int store_resume_put(struct store *st, const char *info_hash, const char *name, const void *buf,
                     size_t len);

/* Updates the user-paused flag / completed time / queue position of an
 * existing torrent. -ENOENT if not stored. */
int store_torrent_set_paused(struct store *st, const char *info_hash, int paused);
int store_torrent_set_completed(struct store *st, const char *info_hash, int64_t completed_time);
int store_torrent_set_queue_pos(struct store *st, const char *info_hash, int64_t queue_pos);

/* Sets the category and tags of an existing torrent, leaving every other
 * column alone. NULL writes "" as in store_torrent_put(); the store checks
 * neither against the categories table nor the tags' spelling (the engine
 * normalizes). -ENOENT if the torrent is not stored. */
/* The torrent's save path after its files moved (move_storage); absolute.
 * 0, -ENOENT for an unknown torrent, -EINVAL, -EIO. */
int store_torrent_set_save_path(struct store *st, const char *info_hash, const char *save_path);
int store_torrent_set_labels(struct store *st, const char *info_hash, const char *category,
                             const char *tags);

/* Appends `peer` ("IP:PORT", not checked here beyond: non-empty, no comma)
 * to the torrent's stored peers unless it is there already; a list past
 * 4,000 bytes is left as it is (0: the peer is simply not kept). 0,
 * -ENOENT for an unknown torrent, -EINVAL, -EIO. */
int store_torrent_add_peer(struct store *st, const char *info_hash, const char *peer);

/* Deletes the torrent and its resume data. -ENOENT if not stored. */
int store_torrent_delete(struct store *st, const char *info_hash);

/* Calls cb once per stored torrent in queue order then added order; stops
 * early and returns cb's value when cb returns non-zero. Queued torrents
 * (queue_pos >= 0) come first, then unqueued ones (-1) by added time. */
int store_torrents_load(struct store *st, int (*cb)(const struct store_torrent *t, void *ud),
                        void *ud);

/* Number of stored torrents, or a negative error. */
int store_torrent_count(struct store *st);

/* Settings: key/value text, stored normalized by the caller.
 * store_setting_get copies the value into buf (truncating to buflen-1) and
 * returns 0, or -ENOENT when unset. store_setting_delete returns -ENOENT
 * when unset. store_settings_load calls cb in key order. */
int store_setting_put(struct store *st, const char *key, const char *value);
int store_setting_get(struct store *st, const char *key, char *buf, size_t buflen);
int store_setting_delete(struct store *st, const char *key);
/* The settings history: one row per change of the profile. old/new NULL
 * mean "not stored" (a first set, a reset). store_setting_history_load
 * calls cb newest first, at most `limit` rows (<= 0: all); cb returning
 * non-zero stops and is returned. */
int store_setting_history_add(struct store *st, int64_t time, const char *key, const char *old,
                              const char *new_value, const char *source);
int store_setting_history_load(struct store *st, int limit,
                               int (*cb)(int64_t time, const char *key, const char *old,
                                         const char *new_value, const char *source, void *ud),
                               void *ud);
int store_settings_load(struct store *st, int (*cb)(const char *key, const char *value, void *ud),
                        void *ud);

/* Secret settings (proxy password, tracker auth): the same contracts as
 * store_setting_put/get/delete and store_settings_load, on a table of their
 * own. A secret never appears in store_settings_load() nor a setting in
 * store_secrets_load(), so whatever dumps the profile cannot leak one; the
 * caller must likewise keep secret values out of the settings history.
 * Values are stored as given, in clear: what protects them is the data
 * directory, which spate creates 0700. store_secret_get returns 0,
 * -ENOENT when unset, -EINVAL, -EIO. */
int store_secret_put(struct store *st, const char *key, const char *value);
int store_secret_get(struct store *st, const char *key, char *buf, size_t buflen);
int store_secret_delete(struct store *st, const char *key);
int store_secrets_load(struct store *st, int (*cb)(const char *key, const char *value, void *ud),
                       void *ud);

/* One category: the defaults a torrent filed under it takes. Strings are
 * NUL-terminated UTF-8; in rows passed to store_categories_load()'s
 * callback they are borrowed and valid only during the callback. */
struct store_category {
    const char *name;          /* non-empty, the key */
    const char *save_path;     /* absolute directory, "" for the session's (NULL on put: "") */
    int64_t download_limit;    /* bytes/s, 0 = unlimited */
    int64_t upload_limit;      /* bytes/s, 0 = unlimited */
    int64_t share_ratio_limit; /* percent (150 = 1.5), -1 = the session's */
    int64_t seed_time_limit;   /* s, -1 = the session's */
};

/* Inserts or replaces the category keyed by c->name. -EINVAL for a NULL
 * or empty name, a negative rate limit, or a ratio/seed limit below -1. */
int store_category_put(struct store *st, const struct store_category *c);

/* Deletes the category. Torrents filed under it keep the name in their
 * category column; the engine decides what that means. -EINVAL for a NULL
 * or empty name, -ENOENT if no such category. */
int store_category_delete(struct store *st, const char *name);

/* Calls cb once per category in name order (byte order); cb returning
 * non-zero stops the load and is returned. -EBUSY if cb loads again. */
int store_categories_load(struct store *st, int (*cb)(const struct store_category *c, void *ud),
                          void *ud);

/* Event log: time in s since the epoch, level "info"|"warn"|"error",
 * info_hash may be NULL for session-wide events. The log keeps the newest
 * 10,000 rows. store_events_load calls cb for the newest `limit` events
 * (all when limit <= 0), oldest first. */
int store_event_add(struct store *st, int64_t time, const char *level, const char *info_hash,
                    const char *message);
int store_events_load(struct store *st, int limit,
                      int (*cb)(int64_t time, const char *level, const char *info_hash,
                                const char *message, void *ud),
                      void *ud);

/* Runs PRAGMA integrity_check; 0 when it answers "ok", -EIO otherwise. */
int store_integrity_check(struct store *st);

/* ---------------------------------------------------------------- backups
 * Rolling backups of the database in BACKUP_DIR (DATA_DIR/backups), named
 * spate-YYYYmmdd-HHMMSS.db (UTC), mode 0600, each one a complete sqlite
 * database in rollback-journal mode made with sqlite's online backup API
 * (a consistent snapshot even while spate writes). Made on the loop thread
 * in bounded steps so that the loop is never held for long. */
struct store_backup;

/* Starts a backup of st into `dir` (created 0700 if missing) under a
 * temporary name. *out is freed by store_backup_finish() (always call it).
 * 0, or a negative errno with a message in err. */
int store_backup_begin(struct store *st, const char *dir, struct store_backup **out, char *err,
                       size_t errlen);

/* Copies up to `pages` pages (-1: all at once). 1 while pages remain, 0
 * when the copy is complete, a negative errno on failure. */
int store_backup_step(struct store_backup *b, int pages);

/* Ends a backup: when the copy completed it is renamed to its final name
 * (written to path, which may be NULL) and 0 is returned; otherwise the
 * temporary file is removed and a negative errno returned. Frees b. */
int store_backup_finish(struct store_backup *b, char *path, size_t pathlen);

/* A whole backup in one call (begin, step -1, finish). */
int store_backup_now(struct store *st, const char *dir, char *path, size_t pathlen, char *err,
                     size_t errlen);

/* Calls cb for each backup in `dir`, newest first, with its full path,
 * size in bytes and modification time (s since the epoch); cb returning
 * non-zero stops and is returned. A missing dir lists nothing (0). */
int store_backups_list(const char *dir,
                       int (*cb)(const char *path, int64_t bytes, int64_t mtime, void *ud),
                       void *ud);

/* Deletes all but the newest `keep` backups in `dir` (keep >= 0). Returns
 * how many were deleted, or a negative errno. */
int store_backups_prune(const char *dir, int keep);

/* The newest backup's time (s since the epoch, from its name), 0 if none. */
int64_t store_backup_newest(const char *dir);

/* Puts a backup back as DATA_DIR/spate.db: `file` or, when NULL, the newest
 * in DATA_DIR/backups. Refused with -EBUSY while a spate holds
 * DATA_DIR/spate.lock, -ENOENT without a backup, -EBADMSG when the backup
 * fails quick_check. The database in place (and its -wal) is kept as
 * spate.db.corrupt-YYYYmmdd-HHMMSS. On success msg says what was done; on
 * failure why (one line each). Not for the loop thread: it copies files. */
int store_restore(const char *data_dir, const char *file, char *msg, size_t msglen);

#endif
