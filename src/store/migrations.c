/*
 * migrations.c — spate's database schema as a list of forward migrations.
 *
 * To change the schema, append a step to `migrations` and bump
 * STORE_SCHEMA_VERSION in store.h; never edit a step that has shipped, since
 * databases out there are already past it. A step may hold several
 * statements; it runs in one transaction together with the user_version
 * bump, so it either lands whole or not at all.
 */
#include "store/migrations.h"

#include <errno.h>
#include <stdio.h>

#include "store/store.h"
#include "util/str.h"

static const char *const migrations[] = {
    /* 1: the initial schema. */
    "CREATE TABLE torrents ("
    "  info_hash      TEXT PRIMARY KEY NOT NULL CHECK (length(info_hash) = 40),"
    "  name           TEXT NOT NULL DEFAULT '',"
    "  magnet         TEXT,"
    "  metainfo       BLOB,"
    "  save_path      TEXT NOT NULL,"
    "  added_time     INTEGER NOT NULL DEFAULT 0,"
    "  completed_time INTEGER NOT NULL DEFAULT 0,"
    "  queue_pos      INTEGER NOT NULL DEFAULT -1,"
    "  paused         INTEGER NOT NULL DEFAULT 0 CHECK (paused IN (0, 1)),"
    "  resume         BLOB"
    ");"
    "CREATE TABLE settings ("
    "  key   TEXT PRIMARY KEY NOT NULL,"
    "  value TEXT NOT NULL"
    ");"
    /* No foreign key to torrents: events outlive the torrent they are
     * about, and a removal should not erase its own history. */
    "CREATE TABLE events ("
    "  id        INTEGER PRIMARY KEY,"
    "  time      INTEGER NOT NULL,"
    "  level     TEXT NOT NULL CHECK (level IN ('info', 'warn', 'error')),"
    "  info_hash TEXT,"
    "  message   TEXT NOT NULL"
    ");",
    /* 2: every change of the settings profile: key, the stored value before
     * and after (NULL: not stored), when, and from where ("ctl", "tui"). */
    "CREATE TABLE settings_history ("
    "  id     INTEGER PRIMARY KEY,"
    "  time   INTEGER NOT NULL,"
    "  key    TEXT NOT NULL,"
    "  old    TEXT,"
    "  new    TEXT,"
    "  source TEXT NOT NULL"
    ");",
    /* 3: for the settings registry. Secret settings (proxy password,
     * tracker auth) get a table of their own, so that a dump of the profile
     * or of its history can never show them. Torrents gain a category and
     * tags (a comma-joined list the engine normalizes; '' for none), and
     * categories carry their defaults: a save path ('' for the session's),
     * rate limits in bytes/s (0: unlimited), a share ratio limit in percent
     * and a seed time limit in s (-1: the session's). No foreign key from
     * torrents.category: deleting a category must not rewrite torrents. */
    "CREATE TABLE secrets ("
    "  key   TEXT PRIMARY KEY NOT NULL,"
    "  value TEXT NOT NULL"
    ");"
    "ALTER TABLE torrents ADD COLUMN category TEXT NOT NULL DEFAULT '';"
    "ALTER TABLE torrents ADD COLUMN tags TEXT NOT NULL DEFAULT '';"
    "CREATE TABLE categories ("
    "  name              TEXT PRIMARY KEY NOT NULL CHECK (length(name) > 0),"
    "  save_path         TEXT NOT NULL DEFAULT '',"
    "  download_limit    INTEGER NOT NULL DEFAULT 0,"
    "  upload_limit      INTEGER NOT NULL DEFAULT 0,"
    "  share_ratio_limit INTEGER NOT NULL DEFAULT -1,"
    "  seed_time_limit   INTEGER NOT NULL DEFAULT -1"
    ");",
    /* 4: the peers a user gave a torrent (add --peer, connect), comma-joined
     * "IP:PORT" / "[V6]:PORT", so they are connected again after a restart
     * ('' for none). */
    "ALTER TABLE torrents ADD COLUMN peers TEXT NOT NULL DEFAULT '';",
};

_Static_assert(sizeof migrations / sizeof migrations[0] == STORE_SCHEMA_VERSION,
               "one migration per schema version");

int store_user_version(sqlite3 *db, int *out)
{
    sqlite3_stmt *stmt = NULL;
    int rc = sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &stmt, NULL);
    if (rc == SQLITE_OK) rc = sqlite3_step(stmt);
    if (rc == SQLITE_ROW) *out = sqlite3_column_int(stmt, 0);
    sqlite3_finalize(stmt);
    return rc == SQLITE_ROW ? 0 : -EIO;
}

int store_migrate(sqlite3 *db, char *err, size_t errlen)
{
    for (;;) {
        /* IMMEDIATE takes the write lock before reading the version, so two
         * processes opening the same fresh database cannot both run step 1. */
        if (sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK) {
            util_set_err(err, errlen, "cannot start migration: %s", sqlite3_errmsg(db));
            return -EIO;
        }
        int version;
        if (store_user_version(db, &version) < 0) {
            util_set_err(err, errlen, "cannot read schema version: %s", sqlite3_errmsg(db));
            sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
            return -EIO;
        }
        if (version > STORE_SCHEMA_VERSION || version < 0) {
            sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
            util_set_err(err, errlen, "database schema version %d is not one this build knows (%d)",
                         version, STORE_SCHEMA_VERSION);
            return -EPROTO;
        }
        if (version == STORE_SCHEMA_VERSION) {
            sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
            return 0;
        }

        /* PRAGMA takes no bound parameters, hence the formatted statement. */
        char bump[64];
        snprintf(bump, sizeof bump, "PRAGMA user_version = %d", version + 1);
        if (sqlite3_exec(db, migrations[version], NULL, NULL, NULL) != SQLITE_OK ||
            sqlite3_exec(db, bump, NULL, NULL, NULL) != SQLITE_OK ||
            sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
            util_set_err(err, errlen, "migration to schema version %d failed: %s", version + 1,
                         sqlite3_errmsg(db));
            if (!sqlite3_get_autocommit(db)) sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
            return -EIO;
        }
    }
}
