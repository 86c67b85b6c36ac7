/*
 * test_store_schema.c — src/store: the schema and its migrations (with
 * the backup a migration takes), refusals of newer or damaged files, and
 * the integrity check.
 *
 * Every test gets a fresh directory from mkdtemp under /tmp (removed in the
 * teardown) and, but for tests of store_open, a store opened on DIR/spate.db
 * (the shared fixture, fixture.h).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <setjmp.h>
#include <cmocka.h>

#include <sqlite3.h>

#include "fixture.h"
#include "store/store.h"

/* ---- raw sqlite, to look at the file behind the store's back ------------ */

static void raw_exec(const char *path, const char *sql)
{
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
}

static void *read_file(const char *path, size_t *len)
{
    FILE *fp = fopen(path, "rb");
    if (!fp) return NULL;
    fseek(fp, 0, SEEK_END);
    long n = ftell(fp);
    fseek(fp, 0, SEEK_SET);
    void *buf = malloc(n > 0 ? (size_t)n : 1);
    *len = fread(buf, 1, (size_t)n, fp);
    fclose(fp);
    return buf;
}

static int file_exists(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0;
}

/* ---- migrations --------------------------------------------------------- */

static void test_store_fresh_db_gets_current_schema_version(void **state)
{
    struct fx *f = *state;
    assert_int_equal(store_schema_version(f->st), STORE_SCHEMA_VERSION);
    assert_int_equal(fx_raw_int(f->path, "PRAGMA user_version"), STORE_SCHEMA_VERSION);
    assert_int_equal(fx_raw_int(f->path, "SELECT count(*) FROM sqlite_master WHERE type = 'table'"
                                         " AND name IN ('torrents', 'settings', 'events',"
                                         " 'settings_history', 'secrets', 'categories')"),
                     6);
    assert_int_equal(fx_raw_int(f->path, "SELECT count(*) FROM pragma_table_info('torrents')"
                                         " WHERE name IN ('category', 'tags')"),
                     2);
}

static void test_store_fresh_db_is_in_wal_mode(void **state)
{
    struct fx *f = *state;
    /* journal_mode=WAL is persistent, so a second connection sees it. */
    sqlite3 *db = NULL;
    sqlite3_stmt *s = NULL;
    assert_int_equal(sqlite3_open_v2(f->path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &s, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(s), SQLITE_ROW);
    assert_string_equal((const char *)sqlite3_column_text(s, 0), "wal");
    sqlite3_finalize(s);
    sqlite3_close(db);
}

static void test_store_refuses_newer_schema_and_leaves_file_untouched(void **state)
{
    struct fx *f = *state;
    raw_exec(f->path, "CREATE TABLE future (x); INSERT INTO future VALUES (42);"
                      "PRAGMA user_version = 99;");
    size_t before_len = 0, after_len = 0;
    void *before = read_file(f->path, &before_len);
    assert_non_null(before);

    char err[256] = "";
    struct store *st = (struct store *)&err; /* must be reset to NULL */
    assert_int_equal(store_open(f->path, &st, err, sizeof err), -EPROTO);
    assert_null(st);
    assert_non_null(strstr(err, "99"));

    void *after = read_file(f->path, &after_len);
    assert_non_null(after);
    assert_int_equal(before_len, after_len);
    assert_memory_equal(before, after, before_len);
    free(before);
    free(after);

    /* Not switched to WAL, not migrated. */
    char wal[160];
    snprintf(wal, sizeof wal, "%s-wal", f->path);
    assert_false(file_exists(wal));
    assert_int_equal(fx_raw_int(f->path, "PRAGMA user_version"), 99);
    assert_int_equal(
        fx_raw_int(f->path, "SELECT count(*) FROM sqlite_master WHERE name = 'torrents'"), 0);
}

static void test_store_reopen_is_idempotent(void **state)
{
    struct fx *f = *state;
    char h[41];
    fx_make_hash(h, 1);
    struct store_torrent t = fx_basic_torrent(h, "one");
    assert_int_equal(store_torrent_put(f->st, &t), 0);
    assert_int_equal(store_setting_put(f->st, "k", "v"), 0);

    for (int i = 0; i < 3; i++)
        fx_reopen_store(f);

    assert_int_equal(store_schema_version(f->st), STORE_SCHEMA_VERSION);
    assert_int_equal(store_torrent_count(f->st), 1);
    char buf[16];
    assert_int_equal(store_setting_get(f->st, "k", buf, sizeof buf), 0);
    assert_string_equal(buf, "v");
    assert_int_equal(fx_raw_int(f->path, "SELECT count(*) FROM sqlite_master WHERE type = 'table'"),
                     6); /* torrents, settings, events, settings_history, secrets, categories */
}

static void test_store_open_migrates_existing_version_zero_file(void **state)
{
    struct fx *f = *state;
    /* An empty file is a valid sqlite database at user_version 0. */
    int fd = open(f->path, O_CREAT | O_WRONLY, 0600);
    assert_true(fd >= 0);
    close(fd);
    char err[256] = "";
    assert_int_equal(store_open(f->path, &f->st, err, sizeof err), 0);
    assert_int_equal(store_schema_version(f->st), STORE_SCHEMA_VERSION);
    assert_int_equal(store_torrent_count(f->st), 0);
}

/* The schema as version 2 shipped it, frozen here: migrations.c may only
 * append, so this is what databases out there hold. */
static const char v2_schema[] =
    "CREATE TABLE torrents (info_hash TEXT PRIMARY KEY NOT NULL CHECK (length(info_hash) = 40),"
    " name TEXT NOT NULL DEFAULT '', magnet TEXT, metainfo BLOB, save_path TEXT NOT NULL,"
    " added_time INTEGER NOT NULL DEFAULT 0, completed_time INTEGER NOT NULL DEFAULT 0,"
    " queue_pos INTEGER NOT NULL DEFAULT -1,"
    " paused INTEGER NOT NULL DEFAULT 0 CHECK (paused IN (0, 1)), resume BLOB);"
    "CREATE TABLE settings (key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL);"
    "CREATE TABLE events (id INTEGER PRIMARY KEY, time INTEGER NOT NULL,"
    " level TEXT NOT NULL CHECK (level IN ('info', 'warn', 'error')), info_hash TEXT,"
    " message TEXT NOT NULL);"
    "CREATE TABLE settings_history (id INTEGER PRIMARY KEY, time INTEGER NOT NULL,"
    " key TEXT NOT NULL, old TEXT, new TEXT, source TEXT NOT NULL);"
    "PRAGMA user_version = 2;";

static void test_store_open_migrates_version_2_keeping_torrents_and_settings(void **state)
{
    struct fx *f = *state;
    raw_exec(f->path, v2_schema);
    raw_exec(f->path,
             "INSERT INTO torrents (info_hash, name, save_path, added_time, queue_pos, paused,"
             " resume) VALUES ('00000000000000000000000000000000000000aa', 'old one', '/srv',"
             " 1600000000, 4, 1, X'0064650065');"
             "INSERT INTO settings VALUES ('download_rate_limit', '2048');"
             "INSERT INTO settings_history (time, key, old, new, source)"
             " VALUES (5, 'download_rate_limit', NULL, '2048', 'ctl');"
             "INSERT INTO events (time, level, message) VALUES (6, 'info', 'before 3');");
    assert_int_equal(fx_raw_int(f->path, "PRAGMA user_version"), 2);

    char err[256] = "";
    assert_int_equal(store_open(f->path, &f->st, err, sizeof err), 0);
    assert_int_equal(store_schema_version(f->st), STORE_SCHEMA_VERSION);

    struct fx_rows rs;
    fx_load_all(f->st, &rs);
    assert_int_equal(rs.n, 1);
    assert_string_equal(rs.r[0].hash, "00000000000000000000000000000000000000aa");
    assert_string_equal(rs.r[0].name, "old one");
    assert_string_equal(rs.r[0].save_path, "/srv");
    assert_int_equal(rs.r[0].added, 1600000000);
    assert_int_equal(rs.r[0].queue, 4);
    assert_int_equal(rs.r[0].paused, 1);
    assert_int_equal(rs.r[0].resume_len, 5);
    assert_memory_equal(rs.r[0].resume, "\0de\0e", 5);
    fx_assert_labels(&rs.r[0], "", "");
    fx_rows_free(&rs);

    char buf[16];
    assert_int_equal(store_setting_get(f->st, "download_rate_limit", buf, sizeof buf), 0);
    assert_string_equal(buf, "2048");
    assert_int_equal(fx_raw_int(f->path, "SELECT count(*) FROM settings_history"), 1);
    assert_int_equal(fx_raw_int(f->path, "SELECT count(*) FROM events"), 1);
    assert_int_equal(fx_raw_int(f->path, "SELECT count(*) FROM secrets"), 0);
    assert_int_equal(fx_raw_int(f->path, "SELECT count(*) FROM categories"), 0);

    /* The migrated row takes labels like a new one. */
    assert_int_equal(
        store_torrent_set_labels(f->st, "00000000000000000000000000000000000000aa", "linux", "iso"),
        0);
    fx_reopen_store(f);
    fx_load_all(f->st, &rs);
    fx_assert_labels(&rs.r[0], "linux", "iso");
    fx_rows_free(&rs);
    assert_int_equal(store_integrity_check(f->st), 0);
}

/* Version 3 as it shipped: version 2 plus migration 3. */
static const char v3_extra[] =
    "CREATE TABLE secrets (key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL);"
    "ALTER TABLE torrents ADD COLUMN category TEXT NOT NULL DEFAULT '';"
    "ALTER TABLE torrents ADD COLUMN tags TEXT NOT NULL DEFAULT '';"
    "CREATE TABLE categories (name TEXT PRIMARY KEY NOT NULL CHECK (length(name) > 0),"
    " save_path TEXT NOT NULL DEFAULT '', download_limit INTEGER NOT NULL DEFAULT 0,"
    " upload_limit INTEGER NOT NULL DEFAULT 0, share_ratio_limit INTEGER NOT NULL DEFAULT -1,"
    " seed_time_limit INTEGER NOT NULL DEFAULT -1);"
    "PRAGMA user_version = 3;";

struct peers_seen {
    char peers[256];
    int n;
};

static int peers_cb(const struct store_torrent *t, void *ud)
{
    struct peers_seen *p = ud;
    snprintf(p->peers, sizeof p->peers, "%s", t->peers ? t->peers : "(null)");
    p->n++;
    return 0;
}

static int count_backups(const char *dir)
{
    char sub[160];
    snprintf(sub, sizeof sub, "%s/backups", dir);
    DIR *d = opendir(sub);
    int n = 0;
    struct dirent *e;
    while (d && (e = readdir(d)))
        n += strncmp(e->d_name, "spate-", 6) == 0;
    if (d) closedir(d);
    return n;
}

/* Migration 4: torrents gain their user-given peers ('' for the rows that
 * were there), and a backup of the version 3 database is made first. */
static void test_store_open_migrates_version_3_adding_peers_after_a_backup(void **state)
{
    struct fx *f = *state;
    raw_exec(f->path, v2_schema);
    raw_exec(f->path, v3_extra);
    raw_exec(f->path, "INSERT INTO torrents (info_hash, name, save_path, category) VALUES"
                      " ('00000000000000000000000000000000000000bb', 'v3 one', '/srv', 'linux');");
    assert_int_equal(fx_raw_int(f->path, "PRAGMA user_version"), 3);

    char err[256] = "";
    assert_int_equal(store_open(f->path, &f->st, err, sizeof err), 0);
    assert_int_equal(store_schema_version(f->st), 4);
    struct peers_seen p = {.n = 0};
    assert_int_equal(store_torrents_load(f->st, peers_cb, &p), 0);
    assert_int_equal(p.n, 1);
    assert_string_equal(p.peers, "");
    assert_int_equal(count_backups(f->dir), 1);
    /* raw_exec made the file under the test's umask: fixed, and said so */
    const char *level = NULL, *note;
    int said = 0;
    for (size_t i = 0; (note = store_note(f->st, i, &level)); i++)
        said += strstr(note, "before migrating from schema version 3") && !strcmp(level, "info");
    assert_int_equal(said, 1);

    /* the stored peers: given on put, kept by a put without them, appended
     * once by add_peer */
    const char *h = "00000000000000000000000000000000000000bb";
    struct store_torrent t = fx_basic_torrent(h, "v3 one");
    t.peers = "127.0.0.1:6881,[::1]:6882";
    assert_int_equal(store_torrent_put(f->st, &t), 0);
    t.peers = NULL;
    assert_int_equal(store_torrent_put(f->st, &t), 0);
    assert_int_equal(store_torrent_add_peer(f->st, h, "127.0.0.1:6881"), 0);
    assert_int_equal(store_torrent_add_peer(f->st, h, "127.0.0.1:7000"), 0);
    assert_int_equal(store_torrent_add_peer(f->st, h, "a,b"), -EINVAL);
    assert_int_equal(
        store_torrent_add_peer(f->st, "00000000000000000000000000000000000000cc", "1.2.3.4:5"),
        -ENOENT);
    fx_reopen_store(f);
    p.n = 0;
    assert_int_equal(store_torrents_load(f->st, peers_cb, &p), 0);
    assert_string_equal(p.peers, "127.0.0.1:6881,[::1]:6882,127.0.0.1:7000");
    /* no migration, no new backup */
    assert_int_equal(count_backups(f->dir), 1);
}

static void test_store_open_refuses_a_file_that_is_not_a_database(void **state)
{
    struct fx *f = *state;
    char junk[8192];
    for (size_t i = 0; i < sizeof junk; i++)
        junk[i] = (char)('a' + i % 26);
    FILE *fp = fopen(f->path, "wb");
    assert_non_null(fp);
    assert_int_equal(fwrite(junk, 1, sizeof junk, fp), sizeof junk);
    fclose(fp);

    char err[256] = "";
    struct store *st = NULL;
    /* refused as damaged, with the way out in the message */
    assert_int_equal(store_open(f->path, &st, err, sizeof err), -EBADMSG);
    assert_null(st);
    assert_non_null(strstr(err, f->path));
    assert_non_null(strstr(err, "spate db restore"));

    size_t len = 0;
    char *after = read_file(f->path, &len);
    assert_int_equal(len, sizeof junk);
    assert_memory_equal(after, junk, sizeof junk);
    free(after);
}

static void test_store_open_reports_unopenable_path(void **state)
{
    (void)state;
    char err[256] = "";
    struct store *st = NULL;
    assert_int_equal(store_open("/nonexistent-spate-dir/sub/spate.db", &st, err, sizeof err), -EIO);
    assert_null(st);
    assert_non_null(strstr(err, "/nonexistent-spate-dir/sub/spate.db"));
}

static void test_store_open_rejects_null_arguments(void **state)
{
    struct fx *f = *state;
    char err[64] = "";
    struct store *st = NULL;
    assert_int_equal(store_open(NULL, &st, err, sizeof err), -EINVAL);
    assert_true(strlen(err) > 0);
    assert_int_equal(store_open(f->path, NULL, err, sizeof err), -EINVAL);
    assert_int_equal(store_open("", &st, NULL, 0), -EINVAL);
    assert_false(file_exists(f->path));
    /* err may be NULL on success too. */
    assert_int_equal(store_open(f->path, &f->st, NULL, 0), 0);
}

/* ---- integrity ---------------------------------------------------------- */

static void test_store_integrity_check_passes_on_fresh_db(void **state)
{
    struct fx *f = *state;
    assert_int_equal(store_integrity_check(f->st), 0);
    fx_put_n(f->st, 1100, 5);
    assert_int_equal(store_integrity_check(f->st), 0);
}

/* Regression (issue 10): a database with damaged pages opened silently,
 * showed no torrents and later writes failed; store_open's quick_check
 * now refuses it. */
static void test_store_open_refuses_a_db_with_damaged_pages(void **state)
{
    struct fx *f = *state;
    /* Enough rows that the torrents table spans many pages, then close
     * (which checkpoints the WAL into the main file). */
    char *big = malloc(3000);
    memset(big, 'r', 3000);
    assert_int_equal(store_begin(f->st), 0);
    for (unsigned i = 0; i < 200; i++) {
        char h[41];
        fx_make_hash(h, 2000 + i);
        struct store_torrent t = fx_basic_torrent(h, "c");
        t.resume = big;
        t.resume_len = 3000;
        assert_int_equal(store_torrent_put(f->st, &t), 0);
    }
    assert_int_equal(store_commit(f->st), 0);
    free(big);
    store_close(f->st);
    f->st = NULL;

    /* Scribble over the b-tree page headers of pages well past the schema
     * page; the file still opens but its structure no longer adds up. */
    int fd = open(f->path, O_RDWR);
    assert_true(fd >= 0);
    struct stat sb;
    assert_int_equal(fstat(fd, &sb), 0);
    int64_t pages = sb.st_size / 4096;
    assert_true(pages > 20);
    char junk[64];
    memset(junk, 0x5a, sizeof junk);
    for (int64_t p = pages / 2; p < pages / 2 + 4; p++)
        assert_int_equal(pwrite(fd, junk, sizeof junk, (off_t)(p * 4096)), (ssize_t)sizeof junk);
    close(fd);

    /* Refused by quick_check at open (it used to open silently and fail
     * later), with the file and the way out named, and left untouched. */
    size_t before_len = 0, after_len = 0;
    char *before = read_file(f->path, &before_len);
    char err[512] = "";
    assert_int_equal(store_open(f->path, &f->st, err, sizeof err), -EBADMSG);
    assert_null(f->st);
    assert_non_null(strstr(err, f->path));
    assert_non_null(strstr(err, "spate db restore"));
    assert_null(strchr(err, '\n'));
    char *after = read_file(f->path, &after_len);
    assert_int_equal(after_len, before_len);
    assert_memory_equal(after, before, before_len);
    free(before);
    free(after);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
#define T(fn) cmocka_unit_test_setup_teardown(fn, fx_setup_store, fx_teardown)
#define TD(fn) cmocka_unit_test_setup_teardown(fn, fx_setup_dir, fx_teardown)
        T(test_store_fresh_db_gets_current_schema_version),
        T(test_store_fresh_db_is_in_wal_mode),
        TD(test_store_refuses_newer_schema_and_leaves_file_untouched),
        T(test_store_reopen_is_idempotent),
        TD(test_store_open_migrates_existing_version_zero_file),
        TD(test_store_open_migrates_version_2_keeping_torrents_and_settings),
        TD(test_store_open_refuses_a_file_that_is_not_a_database),
        TD(test_store_open_reports_unopenable_path),
        TD(test_store_open_rejects_null_arguments),
        T(test_store_integrity_check_passes_on_fresh_db),
        T(test_store_open_refuses_a_db_with_damaged_pages),
        TD(test_store_open_migrates_version_3_adding_peers_after_a_backup),
#undef T
#undef TD
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
