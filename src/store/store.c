/*
 * store.c — spate's persistent state: torrents (with their category and
 * tags), resume data, settings and their history, secrets, categories and
 * the event log in one sqlite3 database (see store.h for the contract).
 *
 * How it fits: the loop thread opens one connection at start-up and keeps
 * it for the life of the process; the engine writes through it (resume data
 * in batches), the ctl server and UI read settings and events through the
 * engine. Nothing here blocks for long: every statement is prepared once at
 * open, and writes are small transactions in WAL mode.
 *
 * Durability: WAL with synchronous=NORMAL means a commit reaches the OS but
 * is fsync'd only at checkpoints. A killed process loses nothing that was
 * committed; a power cut may lose the last transactions but never corrupts
 * the file. That is the trade the design asks for (resume data is re-saved
 * on a timer, so losing the last batch costs a few seconds of re-checking,
 * while an fsync per batch would cost every user disk latency all the time).
 *
 * Transactions: every write runs in its own BEGIN IMMEDIATE ... COMMIT,
 * unless the caller opened a batch with store_begin(); inside a batch each
 * write runs in a SAVEPOINT so that a write which fails half-way (the event
 * insert + trim pair) leaves the rest of the batch intact. IMMEDIATE takes
 * the write lock up front, so a commit never fails on a lock upgrade.
 */
#include "store/store.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sqlite3.h>

#include "store/migrations.h"
#include "store/store_int.h"
#include "util/str.h"

/* How long a statement waits for a lock held by another connection (a
 * second spate, or the sqlite3 shell) before failing with -EIO. */
#define STORE_BUSY_TIMEOUT_MS 5000

/* Rows kept in the event log. */
#define STORE_EVENTS_KEEP 10000

enum store_stmt {
    ST_BEGIN,
    ST_COMMIT,
    ST_ROLLBACK,
    ST_SAVEPOINT,
    ST_RELEASE,
    ST_ROLLBACK_TO,
    ST_TORRENT_PUT,
    ST_RESUME_PUT,
    ST_RESUME_NAME_PUT,
    ST_SET_PAUSED,
    ST_SET_COMPLETED,
    ST_SET_QUEUE_POS,
    ST_SET_LABELS,
    ST_SET_SAVE_PATH,
    ST_ADD_PEER,
    ST_TORRENT_DELETE,
    ST_TORRENTS_LOAD,
    ST_TORRENT_COUNT,
    ST_SETTING_PUT,
    ST_SETTING_GET,
    ST_SETTING_DELETE,
    ST_SETTINGS_LOAD,
    ST_SECRET_PUT,
    ST_SECRET_GET,
    ST_SECRET_DELETE,
    ST_SECRETS_LOAD,
    ST_CATEGORY_PUT,
    ST_CATEGORY_DELETE,
    ST_CATEGORIES_LOAD,
    ST_HISTORY_ADD,
    ST_HISTORY_LOAD,
    ST_EVENT_ADD,
    ST_EVENT_TRIM,
    ST_EVENTS_LOAD,
    ST_INTEGRITY,
    ST_USER_VERSION,
    ST_COUNT
};

static const char *const stmt_sql[ST_COUNT] = {
    [ST_BEGIN] = "BEGIN IMMEDIATE",
    [ST_COMMIT] = "COMMIT",
    [ST_ROLLBACK] = "ROLLBACK",
    [ST_SAVEPOINT] = "SAVEPOINT store_write",
    [ST_RELEASE] = "RELEASE store_write",
    [ST_ROLLBACK_TO] = "ROLLBACK TO store_write",
    /* An upsert rather than INSERT OR REPLACE: REPLACE deletes the old row
     * first, which would lose the resume data we promise to keep when the
     * caller passes none. */
    [ST_TORRENT_PUT] =
        "INSERT INTO torrents (info_hash, name, magnet, metainfo, save_path, added_time,"
        " completed_time, queue_pos, paused, resume, category, tags, peers)"
        " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, coalesce(?13, ''))"
        " ON CONFLICT (info_hash) DO UPDATE SET name = excluded.name,"
        " magnet = excluded.magnet, metainfo = excluded.metainfo,"
        " save_path = excluded.save_path, added_time = excluded.added_time,"
        " completed_time = excluded.completed_time, queue_pos = excluded.queue_pos,"
        " paused = excluded.paused, resume = coalesce(excluded.resume, torrents.resume),"
        " category = excluded.category, tags = excluded.tags,"
        " peers = coalesce(?13, torrents.peers)",
    [ST_RESUME_PUT] = "UPDATE torrents SET resume = ?2 WHERE info_hash = ?1",
    [ST_RESUME_NAME_PUT] = "UPDATE torrents SET resume = ?2, name = ?3 WHERE info_hash = ?1",
    [ST_SET_PAUSED] = "UPDATE torrents SET paused = ?2 WHERE info_hash = ?1",
    [ST_SET_COMPLETED] = "UPDATE torrents SET completed_time = ?2 WHERE info_hash = ?1",
    [ST_SET_QUEUE_POS] = "UPDATE torrents SET queue_pos = ?2 WHERE info_hash = ?1",
    [ST_SET_LABELS] = "UPDATE torrents SET category = ?2, tags = ?3 WHERE info_hash = ?1",
    [ST_SET_SAVE_PATH] = "UPDATE torrents SET save_path = ?2 WHERE info_hash = ?1",
    /* Appended unless already listed (compared as whole comma-separated
     * items) or the list is long enough already. */
    [ST_ADD_PEER] = "UPDATE torrents SET peers = CASE"
                    " WHEN instr(',' || peers || ',', ',' || ?2 || ',') > 0 THEN peers"
                    " WHEN length(peers) > 4000 THEN peers"
                    " WHEN peers = '' THEN ?2 ELSE peers || ',' || ?2 END"
                    " WHERE info_hash = ?1",
    [ST_TORRENT_DELETE] = "DELETE FROM torrents WHERE info_hash = ?1",
    /* Queued torrents first in queue order, then the unqueued (-1) ones;
     * rowid settles ties so the order is stable across loads. */
    [ST_TORRENTS_LOAD] = "SELECT info_hash, name, magnet, metainfo, save_path, added_time,"
                         " completed_time, queue_pos, paused, resume, category, tags, peers"
                         " FROM torrents"
                         " ORDER BY queue_pos < 0, queue_pos, added_time, rowid",
    [ST_TORRENT_COUNT] = "SELECT count(*) FROM torrents",
    [ST_SETTING_PUT] = "INSERT INTO settings (key, value) VALUES (?1, ?2)"
                       " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
    [ST_SETTING_GET] = "SELECT value FROM settings WHERE key = ?1",
    [ST_SETTING_DELETE] = "DELETE FROM settings WHERE key = ?1",
    [ST_SETTINGS_LOAD] = "SELECT key, value FROM settings ORDER BY key",
    /* The secrets statements mirror the settings ones column for column:
     * the shared kv_* helpers below rely on it. */
    [ST_SECRET_PUT] = "INSERT INTO secrets (key, value) VALUES (?1, ?2)"
                      " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
    [ST_SECRET_GET] = "SELECT value FROM secrets WHERE key = ?1",
    [ST_SECRET_DELETE] = "DELETE FROM secrets WHERE key = ?1",
    [ST_SECRETS_LOAD] = "SELECT key, value FROM secrets ORDER BY key",
    [ST_CATEGORY_PUT] =
        "INSERT INTO categories (name, save_path, download_limit, upload_limit,"
        " share_ratio_limit, seed_time_limit) VALUES (?1, ?2, ?3, ?4, ?5, ?6)"
        " ON CONFLICT (name) DO UPDATE SET save_path = excluded.save_path,"
        " download_limit = excluded.download_limit, upload_limit = excluded.upload_limit,"
        " share_ratio_limit = excluded.share_ratio_limit,"
        " seed_time_limit = excluded.seed_time_limit",
    [ST_CATEGORY_DELETE] = "DELETE FROM categories WHERE name = ?1",
    [ST_CATEGORIES_LOAD] = "SELECT name, save_path, download_limit, upload_limit,"
                           " share_ratio_limit, seed_time_limit FROM categories ORDER BY name",
    [ST_HISTORY_ADD] = "INSERT INTO settings_history (time, key, old, new, source)"
                       " VALUES (?1, ?2, ?3, ?4, ?5)",
    [ST_HISTORY_LOAD] = "SELECT time, key, old, new, source FROM settings_history"
                        " ORDER BY id DESC LIMIT ?1",
    [ST_EVENT_ADD] = "INSERT INTO events (time, level, info_hash, message) VALUES (?1, ?2, ?3, ?4)",
    /* Event ids are max(id)+1 and only the oldest rows are ever deleted, so
     * ids are dense and "the newest N" is a range on the primary key: no
     * count(*) or sort per insert. */
    [ST_EVENT_TRIM] = "DELETE FROM events WHERE id <= last_insert_rowid() - ?1",
    [ST_EVENTS_LOAD] = "SELECT time, level, info_hash, message FROM"
                       " (SELECT id, time, level, info_hash, message FROM events"
                       "  ORDER BY id DESC LIMIT ?1) ORDER BY id",
    [ST_INTEGRITY] = "PRAGMA integrity_check",
    [ST_USER_VERSION] = "PRAGMA user_version",
};

#define STORE_NOTES 4

struct store {
    sqlite3 *db;
    sqlite3_stmt *stmt[ST_COUNT];
    int in_batch;                 /* between store_begin() and store_commit()/store_rollback() */
    char notes[STORE_NOTES][512]; /* store_note(): what store_open() has to say */
    const char *note_level[STORE_NOTES];
    size_t n_notes;
};

static void add_note(struct store *st, const char *level, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void add_note(struct store *st, const char *level, const char *fmt, ...)
{
    if (st->n_notes == STORE_NOTES) return;
    st->note_level[st->n_notes] = level;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(st->notes[st->n_notes++], sizeof st->notes[0], fmt, ap);
    va_end(ap);
}

const char *store_note(const struct store *st, size_t i, const char **level)
{
    if (!st || i >= st->n_notes) return NULL;
    if (level) *level = st->note_level[i];
    return st->notes[i];
}

sqlite3 *store_sqlite(struct store *st)
{
    return st ? st->db : NULL;
}

/* A text column, "" for NULL (usable before col_text below). */
static const char *col_text_raw(sqlite3_stmt *s, int i)
{
    const char *p = (const char *)sqlite3_column_text(s, i);
    return p ? p : "";
}

/* 40 lowercase hex digits then a NUL. Rejecting
 * anything else keeps one torrent from being stored under two spellings. */
static int valid_hash(const char *h)
{
    if (!h) return 0;
    for (int i = 0; i < 40; i++) {
        char c = h[i];
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return 0;
    }
    return h[40] == '\0';
}

static int valid_level(const char *level)
{
    return level && (!strcmp(level, "info") || !strcmp(level, "warn") || !strcmp(level, "error"));
}

/* Binding errors: an oversized value is the caller's mistake, anything
 * else is ours or sqlite's. */
static int bind_status(int rc)
{
    if (rc == SQLITE_OK) return 0;
    return rc == SQLITE_TOOBIG ? -EINVAL : -EIO;
}

/* NULL binds SQL NULL; a non-NULL pointer binds a blob, even of length 0.
 * SQLITE_STATIC is safe: every statement is stepped and its bindings
 * cleared before the public function returns. */
static int bind_blob(sqlite3_stmt *s, int i, const void *p, size_t len)
{
    if (!p) return bind_status(sqlite3_bind_null(s, i));
    return bind_status(sqlite3_bind_blob64(s, i, p, len, SQLITE_STATIC));
}

static int bind_text(sqlite3_stmt *s, int i, const char *p)
{
    if (!p) return bind_status(sqlite3_bind_null(s, i));
    return bind_status(sqlite3_bind_text(s, i, p, -1, SQLITE_STATIC));
}

/* For the NOT NULL text columns whose API reads NULL as "". */
static int bind_text_or_empty(sqlite3_stmt *s, int i, const char *p)
{
    return bind_text(s, i, p ? p : "");
}

static void stmt_done(sqlite3_stmt *s)
{
    sqlite3_reset(s);
    sqlite3_clear_bindings(s);
}

/* Steps a statement that returns no rows, then resets it. */
static int run(struct store *st, enum store_stmt id)
{
    sqlite3_stmt *s = st->stmt[id];
    int rc = sqlite3_step(s);
    stmt_done(s);
    return rc == SQLITE_DONE ? 0 : -EIO;
}

/* Opens the scope of one write: a transaction of its own, or a savepoint
 * inside the caller's batch. */
static int write_begin(struct store *st)
{
    if (!st->in_batch) return run(st, ST_BEGIN);
    /* sqlite rolls the whole transaction back on some errors (I/O, full
     * disk). A savepoint now would silently start a fresh transaction and
     * the batch would no longer be atomic, so refuse; commit reports it. */
    if (sqlite3_get_autocommit(st->db)) return -EIO;
    return run(st, ST_SAVEPOINT);
}

/* Closes the scope opened by write_begin(): keeps the write when rc is 0,
 * undoes it otherwise. Returns rc, or -EIO when the commit itself fails. */
static int write_end(struct store *st, int rc)
{
    if (rc == 0) {
        if (st->in_batch) return run(st, ST_RELEASE) == 0 ? 0 : -EIO;
        if (run(st, ST_COMMIT) == 0) return 0;
        rc = -EIO;
    }
    if (sqlite3_get_autocommit(st->db)) return rc; /* sqlite already rolled back */
    if (st->in_batch) {
        run(st, ST_ROLLBACK_TO);
        run(st, ST_RELEASE);
    } else {
        run(st, ST_ROLLBACK);
    }
    return rc;
}

/* Runs statement `id`, its parameters bound, as one write. bind_rc is how
 * the binding went: when negative nothing runs, the bindings are cleared
 * and bind_rc is returned. With must_change set, a statement that changed
 * no row (an UPDATE/DELETE of something not stored) is -ENOENT. */
static int write_run(struct store *st, enum store_stmt id, int bind_rc, int must_change)
{
    int rc = bind_rc < 0 ? bind_rc : write_begin(st);
    if (rc < 0) {
        stmt_done(st->stmt[id]);
        return rc;
    }
    rc = run(st, id);
    if (rc == 0 && must_change && sqlite3_changes(st->db) == 0) rc = -ENOENT;
    return write_end(st, rc);
}

/* An insert or upsert. */
static int write_stmt(struct store *st, enum store_stmt id, int bind_rc)
{
    return write_run(st, id, bind_rc, 0);
}

/* An UPDATE/DELETE of one row that must exist. */
static int write_one_row(struct store *st, enum store_stmt id, int bind_rc)
{
    return write_run(st, id, bind_rc, 1);
}

static void close_db(struct store *st)
{
    for (int i = 0; i < ST_COUNT; i++)
        sqlite3_finalize(st->stmt[i]);
    /* Closing the last connection checkpoints the WAL into the main file
     * and removes the -wal file. */
    sqlite3_close(st->db);
    free(st);
}

int store_file_private(const char *path, unsigned *fixed)
{
    if (fixed) *fixed = 0;
    if (!path || !*path) return -EINVAL;
    /* open(O_CREAT, 0600) alone is not enough: the umask only takes bits
     * away, and an existing file keeps whatever mode it has. */
    int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK, 0600);
    if (fd < 0) return -errno;
    struct stat sb;
    int rc = fstat(fd, &sb) == 0 ? 0 : -errno;
    if (!rc && !S_ISREG(sb.st_mode)) rc = -EINVAL;
    if (!rc && (sb.st_mode & 077)) {
        if (fchmod(fd, sb.st_mode & 0700) != 0)
            rc = -errno;
        else if (fixed)
            *fixed = (unsigned)(sb.st_mode & 07777);
    }
    close(fd);
    return rc;
}

/* Like store_file_private() for a file that may not exist (-wal, -shm):
 * only an existing one is tightened. */
static void fix_if_present(struct store *st, const char *path)
{
    struct stat sb;
    if (lstat(path, &sb) != 0 || !S_ISREG(sb.st_mode) || !(sb.st_mode & 077)) return;
    if (chmod(path, sb.st_mode & 0700) == 0)
        add_note(st, "warn", "%s was open to other users (mode %04o); set to %04o", path,
                 (unsigned)(sb.st_mode & 07777), (unsigned)(sb.st_mode & 0700));
}

/* The database and its -wal and -shm are 0600; a directory others can
 * read or write is the user's choice, but worth a warning. */
static int make_private(struct store *st, const char *path, char *err, size_t errlen)
{
    unsigned was = 0;
    int rc = store_file_private(path, &was);
    if (rc < 0) {
        util_set_err(err, errlen, "%s: %s", path, strerror(-rc));
        return -EIO;
    }
    if (was)
        add_note(st, "warn", "%s was readable by other users (mode %04o); set to %04o", path, was,
                 was & 0700);
    char side[PATH_MAX];
    static const char *const suffixes[] = {"-wal", "-shm"};
    for (size_t i = 0; i < 2; i++)
        if (snprintf(side, sizeof side, "%s%s", path, suffixes[i]) < (int)sizeof side)
            fix_if_present(st, side);
    char dir[PATH_MAX];
    snprintf(dir, sizeof dir, "%s", path);
    char *slash = strrchr(dir, '/');
    if (!slash)
        snprintf(dir, sizeof dir, ".");
    else if (slash == dir)
        dir[1] = '\0';
    else
        *slash = '\0';
    struct stat sb;
    if (stat(dir, &sb) == 0 && (sb.st_mode & (S_IRGRP | S_IWGRP | S_IROTH | S_IWOTH)))
        add_note(st, "warn",
                 "data directory %s is readable or writable by other users (mode %04o); "
                 "`chmod 700 %s` keeps them out",
                 dir, (unsigned)(sb.st_mode & 07777), dir);
    return 0;
}

static int is_corrupt_code(int code)
{
    code &= 0xff;
    return code == SQLITE_CORRUPT || code == SQLITE_NOTADB;
}

int store_quick_check(struct store *st, char *msg, size_t msglen)
{
    if (msg && msglen) msg[0] = '\0';
    if (!st) return -EINVAL;
    sqlite3_stmt *s = NULL;
    if (sqlite3_prepare_v2(st->db, "PRAGMA quick_check", -1, &s, NULL) != SQLITE_OK) {
        util_set_err(msg, msglen, "%s", sqlite3_errmsg(st->db));
        sqlite3_finalize(s);
        return is_corrupt_code(sqlite3_errcode(st->db)) ? -EBADMSG : -EIO;
    }
    int rc = sqlite3_step(s);
    int ret;
    if (rc == SQLITE_ROW && !strcmp(col_text_raw(s, 0), "ok") && sqlite3_step(s) == SQLITE_DONE) {
        ret = 0;
    } else if (rc == SQLITE_ROW) {
        util_set_err(msg, msglen, "%s", col_text_raw(s, 0));
        ret = -EBADMSG;
    } else {
        util_set_err(msg, msglen, "%s", sqlite3_errmsg(st->db));
        ret = is_corrupt_code(sqlite3_errcode(st->db)) ? -EBADMSG : -EIO;
    }
    sqlite3_finalize(s);
    /* messages may hold newlines (one per problem): keep the first line */
    if (msg) msg[strcspn(msg, "\n")] = '\0';
    return ret;
}

/* The refusal of a damaged database, one line. */
static int refuse_damaged(struct store *st, const char *path, const char *why, char *err,
                          size_t errlen)
{
    util_set_err(err, errlen,
                 "%s is damaged (%s); spate will not use it: run `spate db restore` to put back "
                 "the newest backup",
                 path, why);
    close_db(st);
    return -EBADMSG;
}

/* The stored spate.db_backups, read before the settings are (and before
 * migrating): 0 turns the pre-migration backup off too. */
static int backups_wanted(struct store *st)
{
    sqlite3_stmt *s = NULL;
    int keep = 1;
    if (sqlite3_prepare_v2(st->db, "SELECT value FROM settings WHERE key = 'spate.db_backups'", -1,
                           &s, NULL) == SQLITE_OK &&
        sqlite3_step(s) == SQLITE_ROW)
        keep = atoi(col_text_raw(s, 0));
    sqlite3_finalize(s);
    return keep;
}

/* DIR/backups for the database at path. */
static int backup_dir_of(const char *path, char *out, size_t n)
{
    const char *slash = strrchr(path, '/');
    int len = slash ? (int)(slash - path) : 1;
    int r = snprintf(out, n, "%.*s/backups", len, slash ? path : ".");
    return r < 0 || (size_t)r >= n ? -ENAMETOOLONG : 0;
}

int store_open(const char *path, struct store **out, char *err, size_t errlen)
{
    if (err && errlen > 0) err[0] = '\0';
    if (out) *out = NULL;
    if (!path || !*path || !out) {
        util_set_err(err, errlen, "store_open: missing path or out parameter");
        return -EINVAL;
    }

    struct store *st = calloc(1, sizeof *st);
    if (!st) {
        util_set_err(err, errlen, "%s: out of memory", path);
        return -ENOMEM;
    }
    int on_disk = strcmp(path, ":memory:") != 0 && strncmp(path, "file:", 5) != 0;
    if (on_disk) {
        int prc = make_private(st, path, err, errlen);
        if (prc < 0) {
            free(st);
            return prc;
        }
    }
    /* NOMUTEX: the connection belongs to the loop thread alone, so sqlite's
     * own locking would be pure overhead. */
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
    if (sqlite3_open_v2(path, &st->db, flags, NULL) != SQLITE_OK) {
        util_set_err(err, errlen, "%s: %s", path,
                     st->db ? sqlite3_errmsg(st->db) : "out of memory");
        close_db(st);
        return -EIO;
    }
    sqlite3_busy_timeout(st->db, STORE_BUSY_TIMEOUT_MS);

    /* Read the version before any pragma that writes (journal_mode=WAL
     * rewrites the header): a database from a newer spate must be left
     * exactly as it is, so the user can go back to that version. */
    int version;
    if (store_user_version(st->db, &version) < 0) {
        if (is_corrupt_code(sqlite3_errcode(st->db)))
            return refuse_damaged(st, path, sqlite3_errmsg(st->db), err, errlen);
        util_set_err(err, errlen, "%s: %s", path, sqlite3_errmsg(st->db));
        close_db(st);
        return -EIO;
    }
    if (version > STORE_SCHEMA_VERSION) {
        util_set_err(err, errlen,
                     "%s: database schema version %d is newer than this spate supports (%d); "
                     "refusing to open it",
                     path, version, STORE_SCHEMA_VERSION);
        close_db(st);
        return -EPROTO;
    }

    /* Before any write: a damaged database is left exactly as it is, for
     * the user (or sqlite's .recover) to rescue what can be. */
    char why[256];
    int qrc = store_quick_check(st, why, sizeof why);
    if (qrc == -EBADMSG) return refuse_damaged(st, path, why, err, errlen);
    if (qrc < 0) {
        util_set_err(err, errlen, "%s: quick_check could not run: %s", path, why);
        close_db(st);
        return -EIO;
    }

    sqlite3_stmt *s = NULL;
    const char *mode = NULL;
    if (sqlite3_prepare_v2(st->db, "PRAGMA journal_mode = WAL", -1, &s, NULL) == SQLITE_OK &&
        sqlite3_step(s) == SQLITE_ROW)
        mode = (const char *)sqlite3_column_text(s, 0);
    /* An in-memory database (":memory:", handy in other modules' tests)
     * answers "memory"; it has no file to protect. */
    int mode_ok = mode && (!strcmp(mode, "wal") || !strcmp(mode, "memory"));
    if (!mode_ok)
        util_set_err(err, errlen, "%s: cannot enable WAL mode: %s", path,
                     mode ? mode : sqlite3_errmsg(st->db));
    sqlite3_finalize(s);
    if (!mode_ok) {
        close_db(st);
        return -EIO;
    }
    if (sqlite3_exec(st->db, "PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON", NULL, NULL,
                     NULL) != SQLITE_OK) {
        util_set_err(err, errlen, "%s: %s", path, sqlite3_errmsg(st->db));
        close_db(st);
        return -EIO;
    }

    /* A migration rewrites tables; should it go wrong (or the new version
     * be buggy), the database as it was is one `spate db restore` away. */
    char bdir[PATH_MAX];
    if (on_disk && version > 0 && version < STORE_SCHEMA_VERSION && backups_wanted(st) != 0 &&
        backup_dir_of(path, bdir, sizeof bdir) == 0) {
        char bpath[PATH_MAX], berr[300];
        if (store_backup_now(st, bdir, bpath, sizeof bpath, berr, sizeof berr) == 0)
            add_note(st, "info", "backup before migrating from schema version %d: %s", version,
                     bpath);
        else
            add_note(st, "warn", "no backup before migrating from schema version %d: %s", version,
                     berr);
    }

    char merr[200] = "";
    int rc = store_migrate(st->db, merr, sizeof merr);
    if (rc < 0) {
        util_set_err(err, errlen, "%s: %s", path, merr);
        close_db(st);
        return rc;
    }

    /* Prepared after migrating, since preparing checks the tables exist.
     * PERSISTENT tells sqlite these live as long as the connection. */
    for (int i = 0; i < ST_COUNT; i++) {
        if (sqlite3_prepare_v3(st->db, stmt_sql[i], -1, SQLITE_PREPARE_PERSISTENT, &st->stmt[i],
                               NULL) != SQLITE_OK) {
            util_set_err(err, errlen, "%s: preparing \"%s\": %s", path, stmt_sql[i],
                         sqlite3_errmsg(st->db));
            close_db(st);
            return -EIO;
        }
    }
    *out = st;
    return 0;
}

void store_close(struct store *st)
{
    if (!st) return;
    /* An unfinished batch is discarded, as a crash would discard it. */
    if (st->in_batch && !sqlite3_get_autocommit(st->db)) run(st, ST_ROLLBACK);
    close_db(st);
}

int store_schema_version(struct store *st)
{
    if (!st) return -EINVAL;
    sqlite3_stmt *s = st->stmt[ST_USER_VERSION];
    int rc = sqlite3_step(s) == SQLITE_ROW ? sqlite3_column_int(s, 0) : -EIO;
    stmt_done(s);
    return rc;
}

int store_begin(struct store *st)
{
    if (!st) return -EINVAL;
    if (st->in_batch) return -EBUSY;
    int rc = run(st, ST_BEGIN);
    if (rc == 0) st->in_batch = 1;
    return rc;
}

int store_commit(struct store *st)
{
    if (!st || !st->in_batch) return -EINVAL;
    st->in_batch = 0;
    /* The transaction is gone if sqlite rolled it back after an error in
     * one of the batch's writes: the batch is lost, and the caller must
     * hear about it here rather than believe it landed. */
    if (sqlite3_get_autocommit(st->db)) return -EIO;
    if (run(st, ST_COMMIT) == 0) return 0;
    if (!sqlite3_get_autocommit(st->db)) run(st, ST_ROLLBACK);
    return -EIO;
}

int store_rollback(struct store *st)
{
    if (!st || !st->in_batch) return -EINVAL;
    st->in_batch = 0;
    if (sqlite3_get_autocommit(st->db))
        return 0; /* already rolled back by sqlite; the outcome is the same */
    return run(st, ST_ROLLBACK);
}

int store_torrent_put(struct store *st, const struct store_torrent *t)
{
    if (!st || !t || !valid_hash(t->info_hash) || !t->save_path) return -EINVAL;
    if ((!t->metainfo && t->metainfo_len) || (!t->resume && t->resume_len)) return -EINVAL;

    sqlite3_stmt *s = st->stmt[ST_TORRENT_PUT];
    int rc = bind_text(s, 1, t->info_hash);
    if (!rc) rc = bind_text_or_empty(s, 2, t->name);
    if (!rc) rc = bind_text(s, 3, t->magnet);
    if (!rc) rc = bind_blob(s, 4, t->metainfo, t->metainfo_len);
    if (!rc) rc = bind_text(s, 5, t->save_path);
    if (!rc) rc = bind_status(sqlite3_bind_int64(s, 6, t->added_time));
    if (!rc) rc = bind_status(sqlite3_bind_int64(s, 7, t->completed_time));
    if (!rc) rc = bind_status(sqlite3_bind_int64(s, 8, t->queue_pos));
    if (!rc) rc = bind_status(sqlite3_bind_int(s, 9, t->paused ? 1 : 0));
    if (!rc) rc = bind_blob(s, 10, t->resume, t->resume_len);
    if (!rc) rc = bind_text_or_empty(s, 11, t->category);
    if (!rc) rc = bind_text_or_empty(s, 12, t->tags);
    if (!rc) rc = bind_text(s, 13, t->peers);
    return write_stmt(st, ST_TORRENT_PUT, rc);
}

int store_resume_put(struct store *st, const char *info_hash, const char *name, const void *buf,
                     size_t len)
{
    if (!st || !valid_hash(info_hash) || (!buf && len)) return -EINVAL;
    enum store_stmt id = name ? ST_RESUME_NAME_PUT : ST_RESUME_PUT;
    sqlite3_stmt *s = st->stmt[id];
    int rc = bind_text(s, 1, info_hash);
    if (!rc) rc = bind_blob(s, 2, buf, len);
    if (!rc && name) rc = bind_text(s, 3, name);
    return write_one_row(st, id, rc);
}

/* The three single-column updates share their shape. */
static int set_int64(struct store *st, enum store_stmt id, const char *info_hash, int64_t v)
{
    if (!st || !valid_hash(info_hash)) return -EINVAL;
    sqlite3_stmt *s = st->stmt[id];
    int rc = bind_text(s, 1, info_hash);
    if (!rc) rc = bind_status(sqlite3_bind_int64(s, 2, v));
    return write_one_row(st, id, rc);
}

int store_torrent_set_paused(struct store *st, const char *info_hash, int paused)
{
    return set_int64(st, ST_SET_PAUSED, info_hash, paused ? 1 : 0);
}

int store_torrent_set_completed(struct store *st, const char *info_hash, int64_t completed_time)
{
    return set_int64(st, ST_SET_COMPLETED, info_hash, completed_time);
}

int store_torrent_set_queue_pos(struct store *st, const char *info_hash, int64_t queue_pos)
{
    return set_int64(st, ST_SET_QUEUE_POS, info_hash, queue_pos);
}

int store_torrent_set_save_path(struct store *st, const char *info_hash, const char *save_path)
{
    if (!st || !valid_hash(info_hash) || !save_path || !*save_path) return -EINVAL;
    sqlite3_stmt *s = st->stmt[ST_SET_SAVE_PATH];
    int rc = bind_text(s, 1, info_hash);
    if (!rc) rc = bind_text(s, 2, save_path);
    return write_one_row(st, ST_SET_SAVE_PATH, rc);
}

int store_torrent_set_labels(struct store *st, const char *info_hash, const char *category,
                             const char *tags)
{
    if (!st || !valid_hash(info_hash)) return -EINVAL;
    sqlite3_stmt *s = st->stmt[ST_SET_LABELS];
    int rc = bind_text(s, 1, info_hash);
    if (!rc) rc = bind_text_or_empty(s, 2, category);
    if (!rc) rc = bind_text_or_empty(s, 3, tags);
    return write_one_row(st, ST_SET_LABELS, rc);
}

int store_torrent_add_peer(struct store *st, const char *info_hash, const char *peer)
{
    if (!st || !valid_hash(info_hash) || !peer || !*peer || strchr(peer, ',')) return -EINVAL;
    sqlite3_stmt *s = st->stmt[ST_ADD_PEER];
    int rc = bind_text(s, 1, info_hash);
    if (!rc) rc = bind_text(s, 2, peer);
    return write_one_row(st, ST_ADD_PEER, rc);
}

/* A DELETE keyed by ?1 of a row that must exist. */
static int delete_key(struct store *st, enum store_stmt id, const char *key)
{
    return write_one_row(st, id, bind_text(st->stmt[id], 1, key));
}

int store_torrent_delete(struct store *st, const char *info_hash)
{
    if (!st || !valid_hash(info_hash)) return -EINVAL;
    return delete_key(st, ST_TORRENT_DELETE, info_hash);
}

/* Text columns declared NOT NULL still come back NULL if sqlite runs out
 * of memory converting them; callers are promised strings. */
static const char *col_text(sqlite3_stmt *s, int i)
{
    const char *p = (const char *)sqlite3_column_text(s, i);
    return p ? p : "";
}

/* Readies statement `id` for a load; -EBUSY if it is mid-iteration (a
 * callback loading again would reset the statement under its caller). */
static int load_open(struct store *st, enum store_stmt id, sqlite3_stmt **out)
{
    sqlite3_stmt *s = st->stmt[id];
    if (sqlite3_stmt_busy(s)) return -EBUSY;
    *out = s;
    return 0;
}

/* Readies a newest-first load with "LIMIT ?1" (limit <= 0: all; LIMIT -1
 * is sqlite for "no limit"), as load_open. */
static int load_begin(struct store *st, enum store_stmt id, int limit, sqlite3_stmt **out)
{
    int rc = load_open(st, id, out);
    if (rc < 0) return rc;
    rc = bind_status(sqlite3_bind_int(*out, 1, limit > 0 ? limit : -1));
    if (rc < 0) stmt_done(*out);
    return rc;
}

/* Ends a load: the callback's non-zero answer, -EIO if stepping failed,
 * else 0. */
static int load_end(sqlite3_stmt *s, int step_rc, int ret)
{
    if (ret == 0 && step_rc != SQLITE_DONE) ret = -EIO;
    stmt_done(s);
    return ret;
}

int store_torrents_load(struct store *st, int (*cb)(const struct store_torrent *t, void *ud),
                        void *ud)
{
    if (!st || !cb) return -EINVAL;
    sqlite3_stmt *s;
    int rc = load_open(st, ST_TORRENTS_LOAD, &s);
    if (rc < 0) return rc;

    int ret = 0;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        struct store_torrent t;
        memset(&t, 0, sizeof t);
        const char *h = col_text(s, 0);
        size_t hlen = strnlen(h, 40);
        memcpy(t.info_hash, h, hlen);
        t.info_hash[hlen] = '\0';
        t.name = col_text(s, 1);
        t.magnet = (const char *)sqlite3_column_text(s, 2);
        /* column_blob before column_bytes, as sqlite documents. */
        t.metainfo = sqlite3_column_blob(s, 3);
        t.metainfo_len = t.metainfo ? (size_t)sqlite3_column_bytes(s, 3) : 0;
        t.save_path = col_text(s, 4);
        t.added_time = sqlite3_column_int64(s, 5);
        t.completed_time = sqlite3_column_int64(s, 6);
        t.queue_pos = sqlite3_column_int64(s, 7);
        t.paused = sqlite3_column_int(s, 8) ? 1 : 0;
        t.resume = sqlite3_column_blob(s, 9);
        t.resume_len = t.resume ? (size_t)sqlite3_column_bytes(s, 9) : 0;
        t.category = col_text(s, 10);
        t.tags = col_text(s, 11);
        t.peers = col_text(s, 12);
        ret = cb(&t, ud);
        if (ret != 0) break;
    }
    return load_end(s, rc, ret);
}

int store_torrent_count(struct store *st)
{
    if (!st) return -EINVAL;
    sqlite3_stmt *s = st->stmt[ST_TORRENT_COUNT];
    int rc = -EIO;
    if (sqlite3_step(s) == SQLITE_ROW) {
        sqlite3_int64 n = sqlite3_column_int64(s, 0);
        rc = n > INT_MAX ? INT_MAX : (int)n;
    }
    stmt_done(s);
    return rc;
}

/* Settings and secrets are two key/value tables with one contract; these
 * serve both, given the statement of the table at hand. */

static int kv_put(struct store *st, enum store_stmt put, const char *key, const char *value)
{
    if (!st || !key || !*key || !value) return -EINVAL;
    sqlite3_stmt *s = st->stmt[put];
    int rc = bind_text(s, 1, key);
    if (!rc) rc = bind_text(s, 2, value);
    return write_stmt(st, put, rc);
}

static int kv_get(struct store *st, enum store_stmt get, const char *key, char *buf, size_t buflen)
{
    if (!st || !key || !buf || buflen == 0) return -EINVAL;
    sqlite3_stmt *s = st->stmt[get];
    int rc = bind_text(s, 1, key);
    if (rc < 0) {
        stmt_done(s);
        return rc;
    }
    rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        const char *v = col_text(s, 0);
        size_t n = (size_t)sqlite3_column_bytes(s, 0);
        if (n > buflen - 1) n = buflen - 1;
        memcpy(buf, v, n);
        buf[n] = '\0';
        rc = 0;
    } else {
        rc = rc == SQLITE_DONE ? -ENOENT : -EIO;
    }
    stmt_done(s);
    return rc;
}

static int kv_delete(struct store *st, enum store_stmt del, const char *key)
{
    if (!st || !key) return -EINVAL;
    return delete_key(st, del, key);
}

static int kv_load(struct store *st, enum store_stmt load,
                   int (*cb)(const char *key, const char *value, void *ud), void *ud)
{
    if (!st || !cb) return -EINVAL;
    sqlite3_stmt *s;
    int rc = load_open(st, load, &s);
    if (rc < 0) return rc;
    int ret = 0;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        ret = cb(col_text(s, 0), col_text(s, 1), ud);
        if (ret != 0) break;
    }
    return load_end(s, rc, ret);
}

int store_setting_put(struct store *st, const char *key, const char *value)
{
    return kv_put(st, ST_SETTING_PUT, key, value);
}

int store_setting_get(struct store *st, const char *key, char *buf, size_t buflen)
{
    return kv_get(st, ST_SETTING_GET, key, buf, buflen);
}

int store_setting_delete(struct store *st, const char *key)
{
    return kv_delete(st, ST_SETTING_DELETE, key);
}

int store_settings_load(struct store *st, int (*cb)(const char *key, const char *value, void *ud),
                        void *ud)
{
    return kv_load(st, ST_SETTINGS_LOAD, cb, ud);
}

int store_secret_put(struct store *st, const char *key, const char *value)
{
    return kv_put(st, ST_SECRET_PUT, key, value);
}

int store_secret_get(struct store *st, const char *key, char *buf, size_t buflen)
{
    return kv_get(st, ST_SECRET_GET, key, buf, buflen);
}

int store_secret_delete(struct store *st, const char *key)
{
    return kv_delete(st, ST_SECRET_DELETE, key);
}

int store_secrets_load(struct store *st, int (*cb)(const char *key, const char *value, void *ud),
                       void *ud)
{
    return kv_load(st, ST_SECRETS_LOAD, cb, ud);
}

int store_category_put(struct store *st, const struct store_category *c)
{
    if (!st || !c || !c->name || !*c->name) return -EINVAL;
    /* -1 is the one "not set" spelling; anything below would be read back
     * as a different, meaningless limit. */
    if (c->download_limit < 0 || c->upload_limit < 0 || c->share_ratio_limit < -1 ||
        c->seed_time_limit < -1)
        return -EINVAL;
    sqlite3_stmt *s = st->stmt[ST_CATEGORY_PUT];
    int rc = bind_text(s, 1, c->name);
    if (!rc) rc = bind_text_or_empty(s, 2, c->save_path);
    if (!rc) rc = bind_status(sqlite3_bind_int64(s, 3, c->download_limit));
    if (!rc) rc = bind_status(sqlite3_bind_int64(s, 4, c->upload_limit));
    if (!rc) rc = bind_status(sqlite3_bind_int64(s, 5, c->share_ratio_limit));
    if (!rc) rc = bind_status(sqlite3_bind_int64(s, 6, c->seed_time_limit));
    return write_stmt(st, ST_CATEGORY_PUT, rc);
}

int store_category_delete(struct store *st, const char *name)
{
    if (!st || !name || !*name) return -EINVAL;
    return delete_key(st, ST_CATEGORY_DELETE, name);
}

int store_categories_load(struct store *st, int (*cb)(const struct store_category *c, void *ud),
                          void *ud)
{
    if (!st || !cb) return -EINVAL;
    sqlite3_stmt *s;
    int rc = load_open(st, ST_CATEGORIES_LOAD, &s);
    if (rc < 0) return rc;
    int ret = 0;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        struct store_category c = {
            .name = col_text(s, 0),
            .save_path = col_text(s, 1),
            .download_limit = sqlite3_column_int64(s, 2),
            .upload_limit = sqlite3_column_int64(s, 3),
            .share_ratio_limit = sqlite3_column_int64(s, 4),
            .seed_time_limit = sqlite3_column_int64(s, 5),
        };
        ret = cb(&c, ud);
        if (ret != 0) break;
    }
    return load_end(s, rc, ret);
}

int store_setting_history_add(struct store *st, int64_t time, const char *key, const char *old,
                              const char *new_value, const char *source)
{
    if (!st || !key || !*key || !source || !*source) return -EINVAL;
    sqlite3_stmt *s = st->stmt[ST_HISTORY_ADD];
    int rc = bind_status(sqlite3_bind_int64(s, 1, time));
    if (!rc) rc = bind_text(s, 2, key);
    if (!rc) rc = bind_text(s, 3, old);
    if (!rc) rc = bind_text(s, 4, new_value);
    if (!rc) rc = bind_text(s, 5, source);
    return write_stmt(st, ST_HISTORY_ADD, rc);
}

int store_setting_history_load(struct store *st, int limit,
                               int (*cb)(int64_t time, const char *key, const char *old,
                                         const char *new_value, const char *source, void *ud),
                               void *ud)
{
    if (!st || !cb) return -EINVAL;
    sqlite3_stmt *s;
    int rc = load_begin(st, ST_HISTORY_LOAD, limit, &s);
    if (rc < 0) return rc;
    int ret = 0;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        ret =
            cb(sqlite3_column_int64(s, 0), col_text(s, 1), (const char *)sqlite3_column_text(s, 2),
               (const char *)sqlite3_column_text(s, 3), col_text(s, 4), ud);
        if (ret != 0) break;
    }
    return load_end(s, rc, ret);
}

int store_event_add(struct store *st, int64_t time, const char *level, const char *info_hash,
                    const char *message)
{
    if (!st || !valid_level(level) || !message || (info_hash && !valid_hash(info_hash)))
        return -EINVAL;
    sqlite3_stmt *s = st->stmt[ST_EVENT_ADD];
    int rc = bind_status(sqlite3_bind_int64(s, 1, time));
    if (!rc) rc = bind_text(s, 2, level);
    if (!rc) rc = bind_text(s, 3, info_hash);
    if (!rc) rc = bind_text(s, 4, message);
    if (!rc) rc = bind_status(sqlite3_bind_int(st->stmt[ST_EVENT_TRIM], 1, STORE_EVENTS_KEEP));
    if (!rc) rc = write_begin(st);
    if (rc < 0) {
        stmt_done(s);
        stmt_done(st->stmt[ST_EVENT_TRIM]);
        return rc;
    }
    rc = run(st, ST_EVENT_ADD);
    /* The trim reads last_insert_rowid(), so it must follow the insert
     * directly, on the same connection, inside the same write. */
    if (rc == 0)
        rc = run(st, ST_EVENT_TRIM);
    else
        stmt_done(st->stmt[ST_EVENT_TRIM]);
    return write_end(st, rc);
}

int store_events_load(struct store *st, int limit,
                      int (*cb)(int64_t time, const char *level, const char *info_hash,
                                const char *message, void *ud),
                      void *ud)
{
    if (!st || !cb) return -EINVAL;
    sqlite3_stmt *s;
    int rc = load_begin(st, ST_EVENTS_LOAD, limit, &s);
    if (rc < 0) return rc;
    int ret = 0;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        ret = cb(sqlite3_column_int64(s, 0), col_text(s, 1),
                 (const char *)sqlite3_column_text(s, 2), col_text(s, 3), ud);
        if (ret != 0) break;
    }
    return load_end(s, rc, ret);
}

int store_integrity_check(struct store *st)
{
    if (!st) return -EINVAL;
    sqlite3_stmt *s = st->stmt[ST_INTEGRITY];
    /* A healthy database answers with exactly one row, "ok"; anything else
     * is a list of problems. */
    int rc = -EIO;
    if (sqlite3_step(s) == SQLITE_ROW && !strcmp(col_text(s, 0), "ok") &&
        sqlite3_step(s) == SQLITE_DONE)
        rc = 0;
    stmt_done(s);
    return rc;
}
