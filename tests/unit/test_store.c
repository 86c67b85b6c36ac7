/*
 * test_store.c — unit tests for src/store: schema migrations, torrent and
 * resume round trips, torrent labels, batches, settings, secrets,
 * categories, the event log cap, and a crash test that kill -9s a writer
 * mid-batch and checks what survives.
 *
 * Every test gets a fresh directory from mkdtemp under /tmp (removed in the
 * teardown) and a store opened on DIR/spate.db.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
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

#include "store/store.h"

struct fx {
    char dir[64];
    char path[128];
    struct store *st;
};

static int fx_setup(void **state)
{
    struct fx *f = calloc(1, sizeof *f);
    if (!f) return -1;
    strcpy(f->dir, "/tmp/spate-store-XXXXXX");
    if (!mkdtemp(f->dir)) {
        free(f);
        return -1;
    }
    snprintf(f->path, sizeof f->path, "%s/spate.db", f->dir);
    char err[256];
    if (store_open(f->path, &f->st, err, sizeof err) != 0) {
        fprintf(stderr, "store_open: %s\n", err);
        rmdir(f->dir);
        free(f);
        return -1;
    }
    *state = f;
    return 0;
}

/* A fixture with a directory but no open store, for tests of store_open. */
static int fx_setup_dir(void **state)
{
    struct fx *f = calloc(1, sizeof *f);
    if (!f) return -1;
    strcpy(f->dir, "/tmp/spate-store-XXXXXX");
    if (!mkdtemp(f->dir)) {
        free(f);
        return -1;
    }
    snprintf(f->path, sizeof f->path, "%s/spate.db", f->dir);
    *state = f;
    return 0;
}

static int rm_entry(const char *p, const struct stat *sb, int type, struct FTW *ftw)
{
    (void)sb;
    (void)ftw;
    return type == FTW_DP ? rmdir(p) : unlink(p);
}

static int fx_teardown(void **state)
{
    struct fx *f = *state;
    store_close(f->st);
    /* a migration leaves DIR/backups */
    char sub[128];
    snprintf(sub, sizeof sub, "%s/backups", f->dir);
    nftw(sub, rm_entry, 8, FTW_DEPTH | FTW_PHYS);
    DIR *d = opendir(f->dir);
    if (d) {
        struct dirent *e;
        while ((e = readdir(d))) {
            if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
            char p[512];
            snprintf(p, sizeof p, "%s/%s", f->dir, e->d_name);
            unlink(p);
        }
        closedir(d);
    }
    rmdir(f->dir);
    free(f);
    return 0;
}

static void reopen(struct fx *f)
{
    char err[256] = "";
    store_close(f->st);
    f->st = NULL;
    int rc = store_open(f->path, &f->st, err, sizeof err);
    if (rc != 0) fail_msg("reopen %s: %d %s", f->path, rc, err);
}

/* 40 lowercase hex digits from a number. */
static void make_hash(char out[41], unsigned n)
{
    snprintf(out, 41, "%040x", n);
}

/* ---- collecting torrents ------------------------------------------------ */

struct row {
    char hash[41];
    char *name, *magnet, *save_path, *category, *tags;
    void *meta, *resume;
    size_t meta_len, resume_len;
    int64_t added, completed, queue;
    int paused;
};

struct rows {
    struct row r[32];
    int n;
};

static char *dup_or_null(const char *s)
{
    return s ? strdup(s) : NULL;
}

static void *memdup_or_null(const void *p, size_t n)
{
    if (!p) return NULL;
    void *q = malloc(n ? n : 1);
    memcpy(q, p, n);
    return q;
}

static int collect_cb(const struct store_torrent *t, void *ud)
{
    struct rows *rs = ud;
    if (rs->n >= (int)(sizeof rs->r / sizeof rs->r[0])) return -ENOSPC;
    struct row *r = &rs->r[rs->n++];
    memcpy(r->hash, t->info_hash, sizeof r->hash);
    r->name = dup_or_null(t->name);
    r->magnet = dup_or_null(t->magnet);
    r->save_path = dup_or_null(t->save_path);
    r->category = dup_or_null(t->category);
    r->tags = dup_or_null(t->tags);
    r->meta = memdup_or_null(t->metainfo, t->metainfo_len);
    r->meta_len = t->metainfo_len;
    r->resume = memdup_or_null(t->resume, t->resume_len);
    r->resume_len = t->resume_len;
    r->added = t->added_time;
    r->completed = t->completed_time;
    r->queue = t->queue_pos;
    r->paused = t->paused;
    return 0;
}

static void rows_free(struct rows *rs)
{
    for (int i = 0; i < rs->n; i++) {
        free(rs->r[i].name);
        free(rs->r[i].magnet);
        free(rs->r[i].save_path);
        free(rs->r[i].category);
        free(rs->r[i].tags);
        free(rs->r[i].meta);
        free(rs->r[i].resume);
    }
    rs->n = 0;
}

static void load_all(struct store *st, struct rows *rs)
{
    memset(rs, 0, sizeof *rs);
    assert_int_equal(store_torrents_load(st, collect_cb, rs), 0);
}

static void assert_labels(const struct row *r, const char *category, const char *tags)
{
    assert_string_equal(r->category, category);
    assert_string_equal(r->tags, tags);
}

static struct store_torrent basic_torrent(const char *hash, const char *name)
{
    struct store_torrent t;
    memset(&t, 0, sizeof t);
    snprintf(t.info_hash, sizeof t.info_hash, "%s", hash);
    t.name = name;
    t.save_path = "/srv/torrents";
    t.added_time = 1700000000;
    t.queue_pos = -1;
    return t;
}

/* ---- raw sqlite, to look at the file behind the store's back ------------ */

static int64_t raw_int(const char *path, const char *sql)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *s = NULL;
    int64_t v = INT64_MIN;
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
        sqlite3_prepare_v2(db, sql, -1, &s, NULL) == SQLITE_OK && sqlite3_step(s) == SQLITE_ROW)
        v = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    sqlite3_close(db);
    return v;
}

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
    assert_int_equal(raw_int(f->path, "PRAGMA user_version"), STORE_SCHEMA_VERSION);
    assert_int_equal(raw_int(f->path, "SELECT count(*) FROM sqlite_master WHERE type = 'table'"
                                      " AND name IN ('torrents', 'settings', 'events',"
                                      " 'settings_history', 'secrets', 'categories')"),
                     6);
    assert_int_equal(raw_int(f->path, "SELECT count(*) FROM pragma_table_info('torrents')"
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
    assert_int_equal(raw_int(f->path, "PRAGMA user_version"), 99);
    assert_int_equal(raw_int(f->path, "SELECT count(*) FROM sqlite_master WHERE name = 'torrents'"),
                     0);
}

static void test_store_reopen_is_idempotent(void **state)
{
    struct fx *f = *state;
    char h[41];
    make_hash(h, 1);
    struct store_torrent t = basic_torrent(h, "one");
    assert_int_equal(store_torrent_put(f->st, &t), 0);
    assert_int_equal(store_setting_put(f->st, "k", "v"), 0);

    for (int i = 0; i < 3; i++)
        reopen(f);

    assert_int_equal(store_schema_version(f->st), STORE_SCHEMA_VERSION);
    assert_int_equal(store_torrent_count(f->st), 1);
    char buf[16];
    assert_int_equal(store_setting_get(f->st, "k", buf, sizeof buf), 0);
    assert_string_equal(buf, "v");
    assert_int_equal(raw_int(f->path, "SELECT count(*) FROM sqlite_master WHERE type = 'table'"),
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
    assert_int_equal(raw_int(f->path, "PRAGMA user_version"), 2);

    char err[256] = "";
    assert_int_equal(store_open(f->path, &f->st, err, sizeof err), 0);
    assert_int_equal(store_schema_version(f->st), STORE_SCHEMA_VERSION);

    struct rows rs;
    load_all(f->st, &rs);
    assert_int_equal(rs.n, 1);
    assert_string_equal(rs.r[0].hash, "00000000000000000000000000000000000000aa");
    assert_string_equal(rs.r[0].name, "old one");
    assert_string_equal(rs.r[0].save_path, "/srv");
    assert_int_equal(rs.r[0].added, 1600000000);
    assert_int_equal(rs.r[0].queue, 4);
    assert_int_equal(rs.r[0].paused, 1);
    assert_int_equal(rs.r[0].resume_len, 5);
    assert_memory_equal(rs.r[0].resume, "\0de\0e", 5);
    assert_labels(&rs.r[0], "", "");
    rows_free(&rs);

    char buf[16];
    assert_int_equal(store_setting_get(f->st, "download_rate_limit", buf, sizeof buf), 0);
    assert_string_equal(buf, "2048");
    assert_int_equal(raw_int(f->path, "SELECT count(*) FROM settings_history"), 1);
    assert_int_equal(raw_int(f->path, "SELECT count(*) FROM events"), 1);
    assert_int_equal(raw_int(f->path, "SELECT count(*) FROM secrets"), 0);
    assert_int_equal(raw_int(f->path, "SELECT count(*) FROM categories"), 0);

    /* The migrated row takes labels like a new one. */
    assert_int_equal(
        store_torrent_set_labels(f->st, "00000000000000000000000000000000000000aa", "linux", "iso"),
        0);
    reopen(f);
    load_all(f->st, &rs);
    assert_labels(&rs.r[0], "linux", "iso");
    rows_free(&rs);
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
    assert_int_equal(raw_int(f->path, "PRAGMA user_version"), 3);

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
    struct store_torrent t = basic_torrent(h, "v3 one");
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
    reopen(f);
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

/* ---- torrents ----------------------------------------------------------- */

static void test_store_torrent_round_trips_every_field(void **state)
{
    struct fx *f = *state;
    static const unsigned char meta[] = "d4:infod6:lengthi0e4:name3:\0\0\0ee\0trailing";
    static const unsigned char resume[] = {0, 0, 'd', 0, 0xff, 0xfe, 0, 'e', 0};
    const char *name = "Débian — 日本語 🎉 ñ";

    struct store_torrent t;
    memset(&t, 0, sizeof t);
    make_hash(t.info_hash, 0xabcdef);
    t.name = name;
    t.magnet = "magnet:?xt=urn:btih:0000000000000000000000000000000000abcdef&dn=%C3%A9";
    t.metainfo = meta;
    t.metainfo_len = sizeof meta;
    t.save_path = "/home/ü/Downloads";
    t.added_time = 1700000000;
    t.completed_time = INT64_C(1700000123456);
    t.queue_pos = 7;
    t.paused = 1;
    t.resume = resume;
    t.resume_len = sizeof resume;
    assert_int_equal(store_torrent_put(f->st, &t), 0);

    reopen(f);
    struct rows rs;
    load_all(f->st, &rs);
    assert_int_equal(rs.n, 1);
    struct row *r = &rs.r[0];
    assert_string_equal(r->hash, t.info_hash);
    assert_string_equal(r->name, name);
    assert_string_equal(r->magnet, t.magnet);
    assert_string_equal(r->save_path, t.save_path);
    assert_int_equal(r->meta_len, sizeof meta);
    assert_memory_equal(r->meta, meta, sizeof meta);
    assert_int_equal(r->resume_len, sizeof resume);
    assert_memory_equal(r->resume, resume, sizeof resume);
    assert_int_equal(r->added, 1700000000);
    assert_int_equal(r->completed, INT64_C(1700000123456));
    assert_int_equal(r->queue, 7);
    assert_int_equal(r->paused, 1);
    rows_free(&rs);
}

static void test_store_torrent_null_fields_round_trip_as_null(void **state)
{
    struct fx *f = *state;
    char h[41];
    make_hash(h, 2);
    struct store_torrent t = basic_torrent(h, NULL); /* NULL name is stored as "" */
    assert_int_equal(store_torrent_put(f->st, &t), 0);

    struct rows rs;
    load_all(f->st, &rs);
    assert_int_equal(rs.n, 1);
    assert_string_equal(rs.r[0].name, "");
    assert_null(rs.r[0].magnet);
    assert_null(rs.r[0].meta);
    assert_int_equal(rs.r[0].meta_len, 0);
    assert_null(rs.r[0].resume);
    assert_int_equal(rs.r[0].resume_len, 0);
    assert_int_equal(rs.r[0].queue, -1);
    assert_int_equal(rs.r[0].paused, 0);
    assert_labels(&rs.r[0], "", ""); /* NULL labels are stored as "" */
    rows_free(&rs);
}

static void test_store_torrent_put_replaces_existing_row(void **state)
{
    struct fx *f = *state;
    char h[41];
    make_hash(h, 3);
    struct store_torrent t = basic_torrent(h, "first");
    t.queue_pos = 1;
    t.magnet = "magnet:?xt=urn:btih:x";
    assert_int_equal(store_torrent_put(f->st, &t), 0);
    t.name = "second";
    t.queue_pos = 2;
    t.magnet = NULL;
    t.save_path = "/elsewhere";
    assert_int_equal(store_torrent_put(f->st, &t), 0);

    assert_int_equal(store_torrent_count(f->st), 1);
    struct rows rs;
    load_all(f->st, &rs);
    assert_string_equal(rs.r[0].name, "second");
    assert_int_equal(rs.r[0].queue, 2);
    assert_null(rs.r[0].magnet);
    assert_string_equal(rs.r[0].save_path, "/elsewhere");
    rows_free(&rs);
}

static void test_store_torrent_put_with_null_resume_keeps_existing_resume(void **state)
{
    struct fx *f = *state;
    static const char resume[] = "d5:piecei3e\0xyz";
    char h[41];
    make_hash(h, 4);
    struct store_torrent t = basic_torrent(h, "a");
    t.resume = resume;
    t.resume_len = sizeof resume;
    assert_int_equal(store_torrent_put(f->st, &t), 0);

    t.name = "renamed";
    t.resume = NULL;
    t.resume_len = 0;
    assert_int_equal(store_torrent_put(f->st, &t), 0);

    struct rows rs;
    load_all(f->st, &rs);
    assert_int_equal(rs.n, 1);
    assert_string_equal(rs.r[0].name, "renamed");
    assert_int_equal(rs.r[0].resume_len, sizeof resume);
    assert_memory_equal(rs.r[0].resume, resume, sizeof resume);
    rows_free(&rs);
}

static void test_store_resume_put_keeps_other_columns(void **state)
{
    struct fx *f = *state;
    static const char meta[] = "d4:info\0e";
    static const char resume2[] = "\0new resume\0";
    struct store_torrent t;
    memset(&t, 0, sizeof t);
    make_hash(t.info_hash, 5);
    t.name = "keep me";
    t.magnet = "magnet:?xt=urn:btih:5";
    t.metainfo = meta;
    t.metainfo_len = sizeof meta;
    t.save_path = "/data";
    t.added_time = 11;
    t.completed_time = 22;
    t.queue_pos = 3;
    t.paused = 1;
    t.resume = "old";
    t.resume_len = 3;
    assert_int_equal(store_torrent_put(f->st, &t), 0);

    assert_int_equal(store_resume_put(f->st, t.info_hash, NULL, resume2, sizeof resume2), 0);

    struct rows rs;
    load_all(f->st, &rs);
    struct row *r = &rs.r[0];
    assert_string_equal(r->name, "keep me");
    assert_string_equal(r->magnet, t.magnet);
    assert_int_equal(r->meta_len, sizeof meta);
    assert_memory_equal(r->meta, meta, sizeof meta);
    assert_string_equal(r->save_path, "/data");
    assert_int_equal(r->added, 11);
    assert_int_equal(r->completed, 22);
    assert_int_equal(r->queue, 3);
    assert_int_equal(r->paused, 1);
    assert_int_equal(r->resume_len, sizeof resume2);
    assert_memory_equal(r->resume, resume2, sizeof resume2);
    rows_free(&rs);
}

static void test_store_resume_put_updates_name_only_when_given(void **state)
{
    struct fx *f = *state;
    char h[41];
    make_hash(h, 6);
    struct store_torrent t = basic_torrent(h, "");
    assert_int_equal(store_torrent_put(f->st, &t), 0);

    assert_int_equal(store_resume_put(f->st, h, "Metadata Name", "r1", 2), 0);
    struct rows rs;
    load_all(f->st, &rs);
    assert_string_equal(rs.r[0].name, "Metadata Name");
    assert_memory_equal(rs.r[0].resume, "r1", 2);
    rows_free(&rs);

    assert_int_equal(store_resume_put(f->st, h, NULL, "r2", 2), 0);
    load_all(f->st, &rs);
    assert_string_equal(rs.r[0].name, "Metadata Name");
    assert_memory_equal(rs.r[0].resume, "r2", 2);
    rows_free(&rs);
}

static void test_store_resume_survives_reopen(void **state)
{
    struct fx *f = *state;
    size_t n = 64 * 1024;
    unsigned char *blob = malloc(n);
    for (size_t i = 0; i < n; i++)
        blob[i] = (unsigned char)(i * 131 + (i >> 8)); /* includes NULs */
    char h[41];
    make_hash(h, 7);
    struct store_torrent t = basic_torrent(h, "big");
    assert_int_equal(store_torrent_put(f->st, &t), 0);
    assert_int_equal(store_resume_put(f->st, h, NULL, blob, n), 0);

    reopen(f);
    struct rows rs;
    load_all(f->st, &rs);
    assert_int_equal(rs.n, 1);
    assert_int_equal(rs.r[0].resume_len, n);
    assert_memory_equal(rs.r[0].resume, blob, n);
    rows_free(&rs);
    free(blob);
}

static void test_store_setters_update_only_their_column(void **state)
{
    struct fx *f = *state;
    char h[41];
    make_hash(h, 8);
    struct store_torrent t = basic_torrent(h, "x");
    t.resume = "R";
    t.resume_len = 1;
    assert_int_equal(store_torrent_put(f->st, &t), 0);

    assert_int_equal(store_torrent_set_paused(f->st, h, 5), 0); /* any non-zero is 1 */
    assert_int_equal(store_torrent_set_completed(f->st, h, 1234), 0);
    assert_int_equal(store_torrent_set_queue_pos(f->st, h, 9), 0);

    struct rows rs;
    load_all(f->st, &rs);
    assert_int_equal(rs.r[0].paused, 1);
    assert_int_equal(rs.r[0].completed, 1234);
    assert_int_equal(rs.r[0].queue, 9);
    assert_string_equal(rs.r[0].name, "x");
    assert_int_equal(rs.r[0].added, t.added_time);
    assert_memory_equal(rs.r[0].resume, "R", 1);
    rows_free(&rs);

    assert_int_equal(store_torrent_set_paused(f->st, h, 0), 0);
    load_all(f->st, &rs);
    assert_int_equal(rs.r[0].paused, 0);
    rows_free(&rs);
}

static void test_store_torrent_delete_removes_only_that_row(void **state)
{
    struct fx *f = *state;
    char a[41], b[41];
    make_hash(a, 10);
    make_hash(b, 11);
    struct store_torrent ta = basic_torrent(a, "a"), tb = basic_torrent(b, "b");
    ta.resume = "resume";
    ta.resume_len = 6;
    assert_int_equal(store_torrent_put(f->st, &ta), 0);
    assert_int_equal(store_torrent_put(f->st, &tb), 0);

    assert_int_equal(store_torrent_delete(f->st, a), 0);
    assert_int_equal(store_torrent_count(f->st), 1);
    struct rows rs;
    load_all(f->st, &rs);
    assert_string_equal(rs.r[0].hash, b);
    rows_free(&rs);
    assert_int_equal(store_torrent_delete(f->st, a), -ENOENT);

    /* Re-adding after delete does not resurrect the old resume data. */
    ta.resume = NULL;
    ta.resume_len = 0;
    assert_int_equal(store_torrent_put(f->st, &ta), 0);
    load_all(f->st, &rs);
    assert_int_equal(rs.n, 2);
    for (int i = 0; i < rs.n; i++)
        assert_null(rs.r[i].resume);
    rows_free(&rs);
}

static void test_store_unknown_torrent_updates_are_enoent(void **state)
{
    struct fx *f = *state;
    char h[41];
    make_hash(h, 12);
    assert_int_equal(store_resume_put(f->st, h, "n", "r", 1), -ENOENT);
    assert_int_equal(store_torrent_set_paused(f->st, h, 1), -ENOENT);
    assert_int_equal(store_torrent_set_completed(f->st, h, 1), -ENOENT);
    assert_int_equal(store_torrent_set_queue_pos(f->st, h, 1), -ENOENT);
    assert_int_equal(store_torrent_set_labels(f->st, h, "c", "t"), -ENOENT);
    assert_int_equal(store_torrent_delete(f->st, h), -ENOENT);
    assert_int_equal(store_torrent_count(f->st), 0); /* no row was created */
}

static void test_store_torrents_load_orders_queued_first_then_by_added(void **state)
{
    struct fx *f = *state;
    /* name, queue_pos, added_time */
    static const struct {
        const char *name;
        int64_t queue, added;
    } in[] = {{"A", -1, 100}, {"B", 2, 50}, {"C", 0, 300}, {"D", -1, 50}, {"E", 1, 10}};
    for (unsigned i = 0; i < 5; i++) {
        char h[41];
        make_hash(h, 100 + i);
        struct store_torrent t = basic_torrent(h, in[i].name);
        t.queue_pos = in[i].queue;
        t.added_time = in[i].added;
        assert_int_equal(store_torrent_put(f->st, &t), 0);
    }
    struct rows rs;
    load_all(f->st, &rs);
    assert_int_equal(rs.n, 5);
    const char *want[] = {"C", "E", "B", "D", "A"};
    for (int i = 0; i < 5; i++)
        assert_string_equal(rs.r[i].name, want[i]);
    rows_free(&rs);
}

static int stop_after_two_cb(const struct store_torrent *t, void *ud)
{
    (void)t;
    int *calls = ud;
    return ++*calls == 2 ? 42 : 0;
}

static void test_store_torrents_load_stops_when_callback_returns_nonzero(void **state)
{
    struct fx *f = *state;
    for (unsigned i = 0; i < 4; i++) {
        char h[41];
        make_hash(h, 200 + i);
        struct store_torrent t = basic_torrent(h, "t");
        assert_int_equal(store_torrent_put(f->st, &t), 0);
    }
    int calls = 0;
    assert_int_equal(store_torrents_load(f->st, stop_after_two_cb, &calls), 42);
    assert_int_equal(calls, 2);
    /* The statement was reset: a second load starts from the top. */
    calls = 0;
    assert_int_equal(store_torrents_load(f->st, stop_after_two_cb, &calls), 42);
    assert_int_equal(calls, 2);
}

struct reentry {
    struct store *st;
    int nested_rc, put_rc, calls;
};

static int reentry_cb(const struct store_torrent *t, void *ud)
{
    struct reentry *re = ud;
    re->calls++;
    re->nested_rc = store_torrents_load(re->st, reentry_cb, re);
    re->put_rc = store_resume_put(re->st, t->info_hash, NULL, "from-cb", 7);
    return re->put_rc;
}

static void test_store_load_callback_may_write_but_not_reload(void **state)
{
    struct fx *f = *state;
    char h[41];
    make_hash(h, 300);
    struct store_torrent t = basic_torrent(h, "t");
    assert_int_equal(store_torrent_put(f->st, &t), 0);

    struct reentry re = {.st = f->st};
    assert_int_equal(store_torrents_load(f->st, reentry_cb, &re), 0);
    assert_int_equal(re.calls, 1);
    assert_int_equal(re.nested_rc, -EBUSY);
    assert_int_equal(re.put_rc, 0);

    struct rows rs;
    load_all(f->st, &rs);
    assert_int_equal(rs.r[0].resume_len, 7);
    assert_memory_equal(rs.r[0].resume, "from-cb", 7);
    rows_free(&rs);
}

static int never_cb(const struct store_torrent *t, void *ud)
{
    (void)t;
    (void)ud;
    return 0;
}

static int never_setting_cb(const char *k, const char *v, void *ud)
{
    (void)k;
    (void)v;
    (void)ud;
    return 0;
}

static int never_event_cb(int64_t time, const char *level, const char *h, const char *m, void *ud)
{
    (void)time;
    (void)level;
    (void)h;
    (void)m;
    (void)ud;
    return 0;
}

static void test_store_rejects_invalid_arguments(void **state)
{
    struct fx *f = *state;
    char h[41];
    make_hash(h, 400);
    struct store_torrent t = basic_torrent(h, "t");
    char buf[8];

    /* NULL store everywhere. */
    assert_int_equal(store_schema_version(NULL), -EINVAL);
    assert_int_equal(store_begin(NULL), -EINVAL);
    assert_int_equal(store_commit(NULL), -EINVAL);
    assert_int_equal(store_rollback(NULL), -EINVAL);
    assert_int_equal(store_torrent_put(NULL, &t), -EINVAL);
    assert_int_equal(store_resume_put(NULL, h, NULL, "r", 1), -EINVAL);
    assert_int_equal(store_torrent_set_paused(NULL, h, 1), -EINVAL);
    assert_int_equal(store_torrent_set_completed(NULL, h, 1), -EINVAL);
    assert_int_equal(store_torrent_set_queue_pos(NULL, h, 1), -EINVAL);
    assert_int_equal(store_torrent_delete(NULL, h), -EINVAL);
    assert_int_equal(store_torrents_load(NULL, never_cb, NULL), -EINVAL);
    assert_int_equal(store_torrent_count(NULL), -EINVAL);
    assert_int_equal(store_setting_put(NULL, "k", "v"), -EINVAL);
    assert_int_equal(store_setting_get(NULL, "k", buf, sizeof buf), -EINVAL);
    assert_int_equal(store_setting_delete(NULL, "k"), -EINVAL);
    assert_int_equal(store_settings_load(NULL, never_setting_cb, NULL), -EINVAL);
    assert_int_equal(store_secret_put(NULL, "k", "v"), -EINVAL);
    assert_int_equal(store_secret_get(NULL, "k", buf, sizeof buf), -EINVAL);
    assert_int_equal(store_secret_delete(NULL, "k"), -EINVAL);
    assert_int_equal(store_secrets_load(NULL, never_setting_cb, NULL), -EINVAL);
    assert_int_equal(store_category_delete(NULL, "c"), -EINVAL);
    assert_int_equal(store_event_add(NULL, 1, "info", NULL, "m"), -EINVAL);
    assert_int_equal(store_events_load(NULL, 10, never_event_cb, NULL), -EINVAL);
    assert_int_equal(store_integrity_check(NULL), -EINVAL);
    store_close(NULL);

    /* Bad torrents. */
    assert_int_equal(store_torrent_put(f->st, NULL), -EINVAL);
    struct store_torrent bad = t;
    bad.save_path = NULL;
    assert_int_equal(store_torrent_put(f->st, &bad), -EINVAL);
    bad = t;
    bad.info_hash[0] = 'A'; /* uppercase */
    assert_int_equal(store_torrent_put(f->st, &bad), -EINVAL);
    bad = t;
    bad.info_hash[39] = '\0'; /* short */
    assert_int_equal(store_torrent_put(f->st, &bad), -EINVAL);
    bad = t;
    bad.info_hash[40] = 'a'; /* not terminated */
    assert_int_equal(store_torrent_put(f->st, &bad), -EINVAL);
    bad = t;
    bad.metainfo_len = 5; /* NULL blob with a length */
    assert_int_equal(store_torrent_put(f->st, &bad), -EINVAL);
    bad = t;
    bad.resume_len = 5;
    assert_int_equal(store_torrent_put(f->st, &bad), -EINVAL);
    assert_int_equal(store_torrent_count(f->st), 0);

    assert_int_equal(store_torrent_put(f->st, &t), 0);
    assert_int_equal(store_resume_put(f->st, NULL, NULL, "r", 1), -EINVAL);
    assert_int_equal(store_resume_put(f->st, "xyz", NULL, "r", 1), -EINVAL);
    assert_int_equal(store_resume_put(f->st, h, NULL, NULL, 3), -EINVAL);
    assert_int_equal(store_torrent_set_paused(f->st, NULL, 1), -EINVAL);
    assert_int_equal(store_torrent_delete(f->st, "not-a-hash"), -EINVAL);
    assert_int_equal(store_torrents_load(f->st, NULL, NULL), -EINVAL);
    assert_int_equal(store_torrent_count(f->st), 1);

    /* Bad settings and events. */
    assert_int_equal(store_setting_put(f->st, NULL, "v"), -EINVAL);
    assert_int_equal(store_setting_put(f->st, "", "v"), -EINVAL);
    assert_int_equal(store_setting_put(f->st, "k", NULL), -EINVAL);
    assert_int_equal(store_setting_get(f->st, NULL, buf, sizeof buf), -EINVAL);
    assert_int_equal(store_setting_get(f->st, "k", NULL, 8), -EINVAL);
    assert_int_equal(store_setting_get(f->st, "k", buf, 0), -EINVAL);
    assert_int_equal(store_setting_delete(f->st, NULL), -EINVAL);
    assert_int_equal(store_settings_load(f->st, NULL, NULL), -EINVAL);
    assert_int_equal(store_secret_put(f->st, NULL, "v"), -EINVAL);
    assert_int_equal(store_secret_put(f->st, "", "v"), -EINVAL);
    assert_int_equal(store_secret_put(f->st, "k", NULL), -EINVAL);
    assert_int_equal(store_secret_get(f->st, NULL, buf, sizeof buf), -EINVAL);
    assert_int_equal(store_secret_get(f->st, "k", NULL, 8), -EINVAL);
    assert_int_equal(store_secret_get(f->st, "k", buf, 0), -EINVAL);
    assert_int_equal(store_secret_delete(f->st, NULL), -EINVAL);
    assert_int_equal(store_secrets_load(f->st, NULL, NULL), -EINVAL);
    assert_int_equal(store_event_add(f->st, 1, "debug", NULL, "m"), -EINVAL);
    assert_int_equal(store_event_add(f->st, 1, NULL, NULL, "m"), -EINVAL);
    assert_int_equal(store_event_add(f->st, 1, "info", "short", "m"), -EINVAL);
    assert_int_equal(store_event_add(f->st, 1, "info", NULL, NULL), -EINVAL);
    assert_int_equal(store_events_load(f->st, 1, NULL, NULL), -EINVAL);
    assert_int_equal(raw_int(f->path, "SELECT count(*) FROM events"), 0);
    assert_int_equal(raw_int(f->path, "SELECT count(*) FROM settings"), 0);
    assert_int_equal(raw_int(f->path, "SELECT count(*) FROM secrets"), 0);
}

/* ---- batches ------------------------------------------------------------ */

static void put_n(struct store *st, unsigned base, int n)
{
    for (int i = 0; i < n; i++) {
        char h[41];
        make_hash(h, base + (unsigned)i);
        struct store_torrent t = basic_torrent(h, "batch");
        assert_int_equal(store_torrent_put(st, &t), 0);
    }
}

static void test_store_rollback_discards_batch(void **state)
{
    struct fx *f = *state;
    put_n(f->st, 500, 1); /* committed before the batch */
    assert_int_equal(store_begin(f->st), 0);
    put_n(f->st, 600, 3);
    assert_int_equal(store_setting_put(f->st, "in-batch", "1"), 0);
    assert_int_equal(store_event_add(f->st, 1, "info", NULL, "in batch"), 0);
    assert_int_equal(store_torrent_count(f->st), 4); /* the batch sees its own writes */
    assert_int_equal(store_rollback(f->st), 0);

    assert_int_equal(store_torrent_count(f->st), 1);
    char buf[8];
    assert_int_equal(store_setting_get(f->st, "in-batch", buf, sizeof buf), -ENOENT);
    assert_int_equal(raw_int(f->path, "SELECT count(*) FROM events"), 0);
}

static void test_store_commit_keeps_batch(void **state)
{
    struct fx *f = *state;
    assert_int_equal(store_begin(f->st), 0);
    put_n(f->st, 700, 3);
    assert_int_equal(store_setting_put(f->st, "in-batch", "1"), 0);
    /* Another connection must not see an uncommitted batch. */
    assert_int_equal(raw_int(f->path, "SELECT count(*) FROM torrents"), 0);
    assert_int_equal(store_commit(f->st), 0);
    assert_int_equal(raw_int(f->path, "SELECT count(*) FROM torrents"), 3);

    reopen(f);
    assert_int_equal(store_torrent_count(f->st), 3);
    char buf[8];
    assert_int_equal(store_setting_get(f->st, "in-batch", buf, sizeof buf), 0);
    assert_string_equal(buf, "1");
}

static void test_store_nested_begin_is_ebusy_and_batch_continues(void **state)
{
    struct fx *f = *state;
    assert_int_equal(store_begin(f->st), 0);
    put_n(f->st, 800, 1);
    assert_int_equal(store_begin(f->st), -EBUSY);
    put_n(f->st, 801, 1);
    assert_int_equal(store_commit(f->st), 0);
    assert_int_equal(store_torrent_count(f->st), 2);
    /* After the batch a new one may start. */
    assert_int_equal(store_begin(f->st), 0);
    assert_int_equal(store_rollback(f->st), 0);
}

static void test_store_commit_or_rollback_without_begin_is_einval(void **state)
{
    struct fx *f = *state;
    assert_int_equal(store_commit(f->st), -EINVAL);
    assert_int_equal(store_rollback(f->st), -EINVAL);
    assert_int_equal(store_begin(f->st), 0);
    assert_int_equal(store_commit(f->st), 0);
    assert_int_equal(store_commit(f->st), -EINVAL);
}

static void test_store_failed_write_in_batch_keeps_the_rest(void **state)
{
    struct fx *f = *state;
    char missing[41];
    make_hash(missing, 999);
    assert_int_equal(store_begin(f->st), 0);
    put_n(f->st, 900, 1);
    assert_int_equal(store_resume_put(f->st, missing, NULL, "r", 1), -ENOENT);
    assert_int_equal(store_torrent_put(f->st, NULL), -EINVAL);
    put_n(f->st, 901, 1);
    assert_int_equal(store_commit(f->st), 0);
    assert_int_equal(raw_int(f->path, "SELECT count(*) FROM torrents"), 2);
}

static void test_store_close_discards_open_batch(void **state)
{
    struct fx *f = *state;
    assert_int_equal(store_begin(f->st), 0);
    put_n(f->st, 1000, 2);
    reopen(f);
    assert_int_equal(store_torrent_count(f->st), 0);
    /* The reopened store is not stuck in a batch. */
    assert_int_equal(store_commit(f->st), -EINVAL);
    put_n(f->st, 1000, 1);
    assert_int_equal(raw_int(f->path, "SELECT count(*) FROM torrents"), 1);
}

/* ---- torrent labels ----------------------------------------------------- */

static void test_store_torrent_labels_round_trip(void **state)
{
    struct fx *f = *state;
    char h[41];
    make_hash(h, 20);
    struct store_torrent t = basic_torrent(h, "labelled");
    t.category = "Linux ISOs";
    t.tags = "debian,iso,ünï";
    assert_int_equal(store_torrent_put(f->st, &t), 0);

    reopen(f);
    struct rows rs;
    load_all(f->st, &rs);
    assert_int_equal(rs.n, 1);
    assert_labels(&rs.r[0], "Linux ISOs", "debian,iso,ünï");
    rows_free(&rs);
}

static void test_store_torrent_put_overwrites_labels_and_null_writes_empty(void **state)
{
    struct fx *f = *state;
    static const char resume[] = "d1:xi1ee";
    char h[41];
    make_hash(h, 21);
    struct store_torrent t = basic_torrent(h, "a");
    t.category = "tv";
    t.tags = "hd";
    t.resume = resume;
    t.resume_len = sizeof resume;
    assert_int_equal(store_torrent_put(f->st, &t), 0);

    t.category = "movies";
    t.tags = "hd,new";
    assert_int_equal(store_torrent_put(f->st, &t), 0);
    struct rows rs;
    load_all(f->st, &rs);
    assert_labels(&rs.r[0], "movies", "hd,new");
    rows_free(&rs);

    /* Unlike the resume data (NULL keeps it), NULL labels on a put do not
     * survive: they are written as "". */
    t.category = NULL;
    t.tags = NULL;
    t.resume = NULL;
    t.resume_len = 0;
    assert_int_equal(store_torrent_put(f->st, &t), 0);
    load_all(f->st, &rs);
    assert_labels(&rs.r[0], "", "");
    assert_int_equal(rs.r[0].resume_len, sizeof resume);
    rows_free(&rs);
    assert_int_equal(raw_int(f->path, "SELECT count(*) FROM torrents"
                                      " WHERE category IS NULL OR tags IS NULL"),
                     0);
}

static void test_store_set_labels_updates_only_the_labels(void **state)
{
    struct fx *f = *state;
    char h[41], other[41];
    make_hash(h, 22);
    make_hash(other, 23);
    struct store_torrent t = basic_torrent(h, "x");
    t.queue_pos = 3;
    t.paused = 1;
    t.resume = "R";
    t.resume_len = 1;
    assert_int_equal(store_torrent_put(f->st, &t), 0);
    struct store_torrent o = basic_torrent(other, "other");
    o.category = "keep";
    o.tags = "me";
    assert_int_equal(store_torrent_put(f->st, &o), 0);

    assert_int_equal(store_torrent_set_labels(f->st, h, "books", "epub,fiction"), 0);
    struct rows rs;
    load_all(f->st, &rs); /* queued x first, then other */
    assert_int_equal(rs.n, 2);
    assert_labels(&rs.r[0], "books", "epub,fiction");
    assert_string_equal(rs.r[0].name, "x");
    assert_int_equal(rs.r[0].queue, 3);
    assert_int_equal(rs.r[0].paused, 1);
    assert_memory_equal(rs.r[0].resume, "R", 1);
    assert_labels(&rs.r[1], "keep", "me");
    rows_free(&rs);

    assert_int_equal(store_torrent_set_labels(f->st, h, NULL, NULL), 0);
    load_all(f->st, &rs);
    assert_labels(&rs.r[0], "", "");
    rows_free(&rs);
}

static void test_store_set_labels_on_unknown_torrent_is_enoent(void **state)
{
    struct fx *f = *state;
    char h[41];
    make_hash(h, 24);
    assert_int_equal(store_torrent_set_labels(f->st, h, "tv", "a"), -ENOENT);
    assert_int_equal(store_torrent_count(f->st), 0);
    assert_int_equal(store_torrent_set_labels(f->st, "not-a-hash", "tv", "a"), -EINVAL);
    assert_int_equal(store_torrent_set_labels(f->st, NULL, "tv", "a"), -EINVAL);
    assert_int_equal(store_torrent_set_labels(NULL, h, "tv", "a"), -EINVAL);

    /* Inside a batch the failure leaves the rest of the batch alone. */
    assert_int_equal(store_begin(f->st), 0);
    put_n(f->st, 25, 1);
    assert_int_equal(store_torrent_set_labels(f->st, h, "tv", "a"), -ENOENT);
    assert_int_equal(store_commit(f->st), 0);
    assert_int_equal(store_torrent_count(f->st), 1);
}

/* ---- settings ----------------------------------------------------------- */

struct kv {
    char keys[8][32], values[8][64];
    int n;
};

static int kv_cb(const char *key, const char *value, void *ud)
{
    struct kv *kv = ud;
    if (kv->n >= 8) return -ENOSPC;
    snprintf(kv->keys[kv->n], sizeof kv->keys[0], "%s", key);
    snprintf(kv->values[kv->n], sizeof kv->values[0], "%s", value);
    kv->n++;
    return 0;
}

/* kv holds exactly the n pairs of want, in that order. */
static void assert_kv(const struct kv *kv, int n, const char *const want[][2])
{
    assert_int_equal(kv->n, n);
    for (int i = 0; i < n; i++) {
        assert_string_equal(kv->keys[i], want[i][0]);
        assert_string_equal(kv->values[i], want[i][1]);
    }
}

static void test_store_setting_put_get_overwrite(void **state)
{
    struct fx *f = *state;
    char buf[64];
    assert_int_equal(store_setting_get(f->st, "download_rate_limit", buf, sizeof buf), -ENOENT);
    assert_int_equal(store_setting_put(f->st, "download_rate_limit", "1024"), 0);
    assert_int_equal(store_setting_get(f->st, "download_rate_limit", buf, sizeof buf), 0);
    assert_string_equal(buf, "1024");
    assert_int_equal(store_setting_put(f->st, "download_rate_limit", "0"), 0);
    assert_int_equal(store_setting_get(f->st, "download_rate_limit", buf, sizeof buf), 0);
    assert_string_equal(buf, "0");
    assert_int_equal(store_setting_put(f->st, "ui.theme", "ünïcode ☃"), 0);
    reopen(f);
    assert_int_equal(store_setting_get(f->st, "ui.theme", buf, sizeof buf), 0);
    assert_string_equal(buf, "ünïcode ☃");
    assert_int_equal(raw_int(f->path, "SELECT count(*) FROM settings"), 2);
}

struct hist {
    int n;
    char rows[4][160];
};

static int collect_history(int64_t time, const char *key, const char *old, const char *new_value,
                           const char *source, void *ud)
{
    struct hist *h = ud;
    if (h->n < 4)
        snprintf(h->rows[h->n], sizeof h->rows[0], "%lld %s %s>%s %s", (long long)time, key,
                 old ? old : "(none)", new_value ? new_value : "(none)", source);
    h->n++;
    return 0;
}

static void test_store_setting_history_newest_first_with_nulls(void **state)
{
    struct fx *f = *state;
    assert_int_equal(store_setting_history_add(f->st, 100, "enable_dht", NULL, "false", "ctl"), 0);
    assert_int_equal(store_setting_history_add(f->st, 200, "enable_dht", "false", "true", "tui"),
                     0);
    assert_int_equal(store_setting_history_add(f->st, 300, "enable_dht", "true", NULL, "ctl"), 0);
    assert_int_equal(store_setting_history_add(f->st, 1, "", "a", "b", "ctl"), -EINVAL);
    assert_int_equal(store_setting_history_add(f->st, 1, "k", "a", "b", ""), -EINVAL);
    reopen(f);
    struct hist h = {0};
    assert_int_equal(store_setting_history_load(f->st, 0, collect_history, &h), 0);
    assert_int_equal(h.n, 3);
    assert_string_equal(h.rows[0], "300 enable_dht true>(none) ctl");
    assert_string_equal(h.rows[1], "200 enable_dht false>true tui");
    assert_string_equal(h.rows[2], "100 enable_dht (none)>false ctl");
    struct hist one = {0};
    assert_int_equal(store_setting_history_load(f->st, 1, collect_history, &one), 0);
    assert_int_equal(one.n, 1);
    assert_string_equal(one.rows[0], "300 enable_dht true>(none) ctl");
}

static void test_store_setting_get_truncates_to_buffer(void **state)
{
    struct fx *f = *state;
    char buf[4];
    memset(buf, 'X', sizeof buf);
    assert_int_equal(store_setting_put(f->st, "k", "hello"), 0);
    assert_int_equal(store_setting_get(f->st, "k", buf, sizeof buf), 0);
    assert_string_equal(buf, "hel");
    assert_int_equal(store_setting_get(f->st, "k", buf, 1), 0);
    assert_string_equal(buf, "");
    assert_int_equal(store_setting_put(f->st, "empty", ""), 0);
    assert_int_equal(store_setting_get(f->st, "empty", buf, sizeof buf), 0);
    assert_string_equal(buf, "");
}

static void test_store_setting_delete(void **state)
{
    struct fx *f = *state;
    char buf[8];
    assert_int_equal(store_setting_put(f->st, "a", "1"), 0);
    assert_int_equal(store_setting_put(f->st, "b", "2"), 0);
    assert_int_equal(store_setting_delete(f->st, "a"), 0);
    assert_int_equal(store_setting_get(f->st, "a", buf, sizeof buf), -ENOENT);
    assert_int_equal(store_setting_delete(f->st, "a"), -ENOENT);
    assert_int_equal(store_setting_get(f->st, "b", buf, sizeof buf), 0);
    assert_string_equal(buf, "2");
}

static int stop_setting_cb(const char *k, const char *v, void *ud)
{
    (void)k;
    (void)v;
    ++*(int *)ud;
    return -7;
}

static void test_store_settings_load_returns_all_in_key_order(void **state)
{
    struct fx *f = *state;
    assert_int_equal(store_setting_put(f->st, "zeta", "last"), 0);
    assert_int_equal(store_setting_put(f->st, "alpha", "first"), 0);
    assert_int_equal(store_setting_put(f->st, "mid", "m"), 0);
    assert_int_equal(store_setting_put(f->st, "mid", "middle"), 0);
    struct kv kv = {.n = 0};
    assert_int_equal(store_settings_load(f->st, kv_cb, &kv), 0);
    static const char *const want[][2] = {{"alpha", "first"}, {"mid", "middle"}, {"zeta", "last"}};
    assert_kv(&kv, 3, want);

    int calls = 0;
    assert_int_equal(store_settings_load(f->st, stop_setting_cb, &calls), -7);
    assert_int_equal(calls, 1);
}

/* ---- secrets ------------------------------------------------------------ */

/* The secret `key` reads back as `want`; want NULL: it is not stored. */
static void assert_secret(struct store *st, const char *key, const char *want)
{
    char buf[64];
    if (!want) {
        assert_int_equal(store_secret_get(st, key, buf, sizeof buf), -ENOENT);
        return;
    }
    assert_int_equal(store_secret_get(st, key, buf, sizeof buf), 0);
    assert_string_equal(buf, want);
}

static void test_store_secret_put_get_overwrite_delete(void **state)
{
    struct fx *f = *state;
    assert_secret(f->st, "proxy_password", NULL);
    assert_int_equal(store_secret_put(f->st, "proxy_password", "hunter2"), 0);
    assert_secret(f->st, "proxy_password", "hunter2");
    assert_int_equal(store_secret_put(f->st, "proxy_password", "pässwörd ☃"), 0);
    reopen(f);
    assert_secret(f->st, "proxy_password", "pässwörd ☃");
    char small[4];
    assert_int_equal(store_secret_get(f->st, "proxy_password", small, sizeof small), 0);
    assert_string_equal(small, "p\xc3\xa4"); /* truncated to buflen-1 bytes */
    assert_int_equal(raw_int(f->path, "SELECT count(*) FROM secrets"), 1);

    assert_int_equal(store_secret_delete(f->st, "proxy_password"), 0);
    assert_secret(f->st, "proxy_password", NULL);
    assert_int_equal(store_secret_delete(f->st, "proxy_password"), -ENOENT);
    assert_int_equal(raw_int(f->path, "SELECT count(*) FROM secrets"), 0);
}

static void test_store_secrets_and_settings_do_not_see_each_other(void **state)
{
    struct fx *f = *state;
    assert_int_equal(store_setting_put(f->st, "proxy_username", "bob"), 0);
    assert_int_equal(store_setting_put(f->st, "shared", "setting"), 0);
    assert_int_equal(store_secret_put(f->st, "proxy_password", "hunter2"), 0);
    assert_int_equal(store_secret_put(f->st, "shared", "secret"), 0);
    assert_int_equal(store_secret_put(f->st, "a.tracker_auth", "user:pw"), 0);

    struct kv kv = {.n = 0};
    assert_int_equal(store_settings_load(f->st, kv_cb, &kv), 0);
    static const char *const settings[][2] = {{"proxy_username", "bob"}, {"shared", "setting"}};
    assert_kv(&kv, 2, settings);

    memset(&kv, 0, sizeof kv);
    assert_int_equal(store_secrets_load(f->st, kv_cb, &kv), 0);
    static const char *const secrets[][2] = {
        {"a.tracker_auth", "user:pw"}, {"proxy_password", "hunter2"}, {"shared", "secret"}};
    assert_kv(&kv, 3, secrets); /* in key order */

    char buf[16];
    assert_int_equal(store_setting_get(f->st, "proxy_password", buf, sizeof buf), -ENOENT);
    assert_secret(f->st, "proxy_username", NULL);
    assert_int_equal(raw_int(f->path, "SELECT count(*) FROM settings WHERE value = 'hunter2'"), 0);

    /* Deleting one side's key leaves the other side's row of that name. */
    assert_int_equal(store_secret_delete(f->st, "shared"), 0);
    assert_int_equal(store_setting_get(f->st, "shared", buf, sizeof buf), 0);
    assert_string_equal(buf, "setting");
    assert_int_equal(store_setting_delete(f->st, "proxy_username"), 0);
    assert_int_equal(store_secret_delete(f->st, "proxy_username"), -ENOENT);

    int calls = 0;
    assert_int_equal(store_secrets_load(f->st, stop_setting_cb, &calls), -7);
    assert_int_equal(calls, 1);
}

static void test_store_secret_writes_follow_the_batch(void **state)
{
    struct fx *f = *state;
    assert_int_equal(store_begin(f->st), 0);
    assert_int_equal(store_secret_put(f->st, "proxy_password", "x"), 0);
    assert_int_equal(store_rollback(f->st), 0);
    assert_secret(f->st, "proxy_password", NULL);
    assert_int_equal(store_begin(f->st), 0);
    assert_int_equal(store_secret_put(f->st, "proxy_password", "y"), 0);
    assert_int_equal(store_commit(f->st), 0);
    assert_secret(f->st, "proxy_password", "y");
}

/* ---- categories --------------------------------------------------------- */

struct cats {
    int n;
    char names[8][32], paths[8][32];
    int64_t limits[8][4]; /* download, upload, ratio, seed time */
};

static int cats_cb(const struct store_category *c, void *ud)
{
    struct cats *cs = ud;
    if (cs->n >= 8) return -ENOSPC;
    snprintf(cs->names[cs->n], sizeof cs->names[0], "%s", c->name);
    snprintf(cs->paths[cs->n], sizeof cs->paths[0], "%s", c->save_path);
    cs->limits[cs->n][0] = c->download_limit;
    cs->limits[cs->n][1] = c->upload_limit;
    cs->limits[cs->n][2] = c->share_ratio_limit;
    cs->limits[cs->n][3] = c->seed_time_limit;
    cs->n++;
    return 0;
}

static void test_store_categories_put_overwrite_delete_load_in_name_order(void **state)
{
    struct fx *f = *state;
    struct store_category tv = {"tv", "/srv/tv", 1000, 2000, 150, 3600};
    struct store_category movies = {"movies", NULL, 0, 0, -1, -1};
    struct store_category linux_isos = {"Linux ISOs", "/srv/iso", INT64_C(1) << 40, 0, 0, 0};
    assert_int_equal(store_category_put(f->st, &tv), 0);
    assert_int_equal(store_category_put(f->st, &movies), 0);
    assert_int_equal(store_category_put(f->st, &linux_isos), 0);
    tv.save_path = "/srv/series";
    tv.share_ratio_limit = -1;
    tv.upload_limit = 0;
    assert_int_equal(store_category_put(f->st, &tv), 0);

    reopen(f);
    struct cats cs = {0};
    assert_int_equal(store_categories_load(f->st, cats_cb, &cs), 0);
    assert_int_equal(cs.n, 3);
    /* Byte order: upper case sorts first. */
    assert_string_equal(cs.names[0], "Linux ISOs");
    assert_string_equal(cs.paths[0], "/srv/iso");
    assert_int_equal(cs.limits[0][0], INT64_C(1) << 40);
    assert_string_equal(cs.names[1], "movies");
    assert_string_equal(cs.paths[1], ""); /* NULL save_path */
    assert_int_equal(cs.limits[1][0], 0);
    assert_int_equal(cs.limits[1][1], 0);
    assert_int_equal(cs.limits[1][2], -1);
    assert_int_equal(cs.limits[1][3], -1);
    assert_string_equal(cs.names[2], "tv");
    assert_string_equal(cs.paths[2], "/srv/series");
    assert_int_equal(cs.limits[2][0], 1000);
    assert_int_equal(cs.limits[2][1], 0);
    assert_int_equal(cs.limits[2][2], -1);
    assert_int_equal(cs.limits[2][3], 3600);

    assert_int_equal(store_category_delete(f->st, "movies"), 0);
    assert_int_equal(store_category_delete(f->st, "movies"), -ENOENT);
    assert_int_equal(store_category_delete(f->st, "Movies"), -ENOENT);
    assert_int_equal(store_category_delete(f->st, "nope"), -ENOENT);
    memset(&cs, 0, sizeof cs);
    assert_int_equal(store_categories_load(f->st, cats_cb, &cs), 0);
    assert_int_equal(cs.n, 2);
    assert_string_equal(cs.names[0], "Linux ISOs");
    assert_string_equal(cs.names[1], "tv");
}

static void test_store_category_delete_leaves_torrents_labels(void **state)
{
    struct fx *f = *state;
    struct store_category tv = {"tv", "", 0, 0, -1, -1};
    assert_int_equal(store_category_put(f->st, &tv), 0);
    char h[41];
    make_hash(h, 30);
    struct store_torrent t = basic_torrent(h, "show");
    t.category = "tv";
    assert_int_equal(store_torrent_put(f->st, &t), 0);
    assert_int_equal(store_category_delete(f->st, "tv"), 0);
    struct rows rs;
    load_all(f->st, &rs);
    assert_string_equal(rs.r[0].category, "tv");
    rows_free(&rs);
}

static void test_store_category_put_rejects_bad_names_and_limits(void **state)
{
    struct fx *f = *state;
    const struct store_category ok = {"c", "/p", 0, 0, -1, -1};
    struct store_category bad = ok;
    assert_int_equal(store_category_put(f->st, NULL), -EINVAL);
    bad.name = NULL;
    assert_int_equal(store_category_put(f->st, &bad), -EINVAL);
    bad.name = "";
    assert_int_equal(store_category_put(f->st, &bad), -EINVAL);
    bad = ok;
    bad.download_limit = -1;
    assert_int_equal(store_category_put(f->st, &bad), -EINVAL);
    bad = ok;
    bad.upload_limit = -1;
    assert_int_equal(store_category_put(f->st, &bad), -EINVAL);
    bad = ok;
    bad.share_ratio_limit = -2;
    assert_int_equal(store_category_put(f->st, &bad), -EINVAL);
    bad = ok;
    bad.seed_time_limit = INT64_MIN;
    assert_int_equal(store_category_put(f->st, &bad), -EINVAL);
    assert_int_equal(raw_int(f->path, "SELECT count(*) FROM categories"), 0);

    assert_int_equal(store_category_delete(f->st, NULL), -EINVAL);
    assert_int_equal(store_category_delete(f->st, ""), -EINVAL);
    assert_int_equal(store_category_put(f->st, &ok), 0);
}

static int stop_cat_cb(const struct store_category *c, void *ud)
{
    (void)c;
    ++*(int *)ud;
    return 9;
}

struct cat_reentry {
    struct store *st;
    int nested_rc;
};

static int cat_reentry_cb(const struct store_category *c, void *ud)
{
    (void)c;
    struct cat_reentry *re = ud;
    re->nested_rc = store_categories_load(re->st, cat_reentry_cb, re);
    return 0;
}

static void test_store_categories_load_stops_on_nonzero_and_refuses_reentry(void **state)
{
    struct fx *f = *state;
    struct store_category a = {"a", "", 0, 0, -1, -1}, b = {"b", "", 0, 0, -1, -1};
    assert_int_equal(store_category_put(f->st, &a), 0);
    assert_int_equal(store_category_put(f->st, &b), 0);
    int calls = 0;
    assert_int_equal(store_categories_load(f->st, stop_cat_cb, &calls), 9);
    assert_int_equal(calls, 1);
    struct cat_reentry re = {.st = f->st};
    assert_int_equal(store_categories_load(f->st, cat_reentry_cb, &re), 0);
    assert_int_equal(re.nested_rc, -EBUSY);
    assert_int_equal(store_categories_load(f->st, NULL, NULL), -EINVAL);
    assert_int_equal(store_categories_load(NULL, stop_cat_cb, &calls), -EINVAL);
}

/* ---- events ------------------------------------------------------------- */

struct evs {
    int n;
    int64_t first_time, last_time;
    char first_msg[32], last_msg[32];
    char last_level[8];
    int last_hash_null;
    int ordered; /* times strictly increasing */
};

static int evs_cb(int64_t time, const char *level, const char *h, const char *m, void *ud)
{
    struct evs *e = ud;
    if (e->n == 0) {
        e->first_time = time;
        snprintf(e->first_msg, sizeof e->first_msg, "%s", m);
        e->ordered = 1;
    } else if (time <= e->last_time) {
        e->ordered = 0;
    }
    e->last_time = time;
    snprintf(e->last_msg, sizeof e->last_msg, "%s", m);
    snprintf(e->last_level, sizeof e->last_level, "%s", level);
    e->last_hash_null = h == NULL;
    e->n++;
    return 0;
}

static void test_store_event_log_keeps_newest_10000(void **state)
{
    struct fx *f = *state;
    char h[41];
    make_hash(h, 1);
    for (int i = 0; i < 10050; i++) {
        char msg[32];
        snprintf(msg, sizeof msg, "event %d", i);
        const char *level = i % 3 == 0 ? "info" : i % 3 == 1 ? "warn" : "error";
        assert_int_equal(store_event_add(f->st, 1000 + i, level, i % 2 ? h : NULL, msg), 0);
    }
    assert_int_equal(raw_int(f->path, "SELECT count(*) FROM events"), 10000);

    struct evs e = {0};
    assert_int_equal(store_events_load(f->st, 0, evs_cb, &e), 0);
    assert_int_equal(e.n, 10000);
    assert_true(e.ordered);
    assert_int_equal(e.first_time, 1000 + 50);
    assert_string_equal(e.first_msg, "event 50");
    assert_int_equal(e.last_time, 1000 + 10049);
    assert_string_equal(e.last_msg, "event 10049");
    assert_string_equal(e.last_level, "error"); /* 10049 % 3 == 2 */
    assert_false(e.last_hash_null);             /* odd index carries a hash */

    /* The cap holds across a reopen and more inserts. */
    reopen(f);
    assert_int_equal(store_event_add(f->st, 99999, "info", NULL, "after reopen"), 0);
    memset(&e, 0, sizeof e);
    assert_int_equal(store_events_load(f->st, -1, evs_cb, &e), 0);
    assert_int_equal(e.n, 10000);
    assert_string_equal(e.first_msg, "event 51");
    assert_string_equal(e.last_msg, "after reopen");
    assert_true(e.last_hash_null);
}

static void test_store_events_load_limit_returns_newest_oldest_first(void **state)
{
    struct fx *f = *state;
    for (int i = 0; i < 10; i++) {
        char msg[32];
        snprintf(msg, sizeof msg, "e%d", i);
        assert_int_equal(store_event_add(f->st, i, "info", NULL, msg), 0);
    }
    struct evs e = {0};
    assert_int_equal(store_events_load(f->st, 3, evs_cb, &e), 0);
    assert_int_equal(e.n, 3);
    assert_true(e.ordered);
    assert_string_equal(e.first_msg, "e7");
    assert_string_equal(e.last_msg, "e9");

    memset(&e, 0, sizeof e);
    assert_int_equal(store_events_load(f->st, 100, evs_cb, &e), 0);
    assert_int_equal(e.n, 10);
    assert_string_equal(e.first_msg, "e0");
}

/* ---- integrity ---------------------------------------------------------- */

static void test_store_integrity_check_passes_on_fresh_db(void **state)
{
    struct fx *f = *state;
    assert_int_equal(store_integrity_check(f->st), 0);
    put_n(f->st, 1100, 5);
    assert_int_equal(store_integrity_check(f->st), 0);
}

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
        make_hash(h, 2000 + i);
        struct store_torrent t = basic_torrent(h, "c");
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

/* ---- crash -------------------------------------------------------------- */

/* The writer commits batches k = 0, 1, 2, ... Batch k writes CRASH_BATCH
 * torrents into slot k % CRASH_SLOTS (so the file stays small however fast
 * the child runs) with 64 KiB resume blobs stamped with (k, j) and filled
 * from a PRNG seeded by them, plus the setting crash.batch = k. After a
 * kill -9 every slot must hold one whole batch, the newest one for that
 * slot, and the blobs must be intact. */
#define CRASH_BATCH 8
#define CRASH_SLOTS 16
#define CRASH_RESUME (64 * 1024)
#define CRASH_ROUNDS 3

static void crash_hash(char out[41], uint64_t k, int j)
{
    make_hash(out, 0x10000u + (unsigned)(k % CRASH_SLOTS) * CRASH_BATCH + (unsigned)j);
}

static void crash_fill(unsigned char *buf, uint64_t k, int j)
{
    memcpy(buf, &k, 8);
    buf[8] = (unsigned char)j;
    uint64_t x = (k * CRASH_BATCH + (uint64_t)j + 1) * UINT64_C(0x9E3779B97F4A7C15);
    for (size_t i = 9; i < CRASH_RESUME; i++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        buf[i] = (unsigned char)x;
    }
}

static void crash_child(const char *path, int wfd)
{
    struct store *st = NULL;
    if (store_open(path, &st, NULL, 0) != 0) _exit(2);
    uint64_t k = 0;
    char v[32];
    if (store_setting_get(st, "crash.batch", v, sizeof v) == 0) k = strtoull(v, NULL, 10) + 1;
    unsigned char *buf = malloc(CRASH_RESUME);
    if (!buf) _exit(3);
    for (;; k++) {
        if (store_begin(st) != 0) _exit(4);
        for (int j = 0; j < CRASH_BATCH; j++) {
            struct store_torrent t;
            memset(&t, 0, sizeof t);
            crash_hash(t.info_hash, k, j);
            t.name = "crash";
            t.save_path = "/tmp";
            t.added_time = (int64_t)k;
            t.queue_pos = j;
            crash_fill(buf, k, j);
            t.resume = buf;
            t.resume_len = CRASH_RESUME;
            if (store_torrent_put(st, &t) != 0) _exit(5);
        }
        snprintf(v, sizeof v, "%llu", (unsigned long long)k);
        if (store_setting_put(st, "crash.batch", v) != 0 || store_commit(st) != 0) _exit(6);
        /* Reported only after the commit returned: the parent may then
         * insist that this batch survives. */
        if (write(wfd, &k, sizeof k) != (ssize_t)sizeof k) _exit(7);
    }
}

struct crash_check {
    uint64_t newest;
    int rows, bad;
    unsigned char *want;
};

static int crash_check_cb(const struct store_torrent *t, void *ud)
{
    struct crash_check *c = ud;
    c->rows++;
    if (t->resume_len != CRASH_RESUME || !t->resume) {
        c->bad++;
        return 0;
    }
    uint64_t k;
    memcpy(&k, t->resume, 8);
    int j = ((const unsigned char *)t->resume)[8];
    /* The row must belong to the newest batch that wrote its slot. */
    uint64_t slot_newest = c->newest - (c->newest - k % CRASH_SLOTS) % CRASH_SLOTS;
    char h[41];
    crash_hash(h, k, j);
    if (k > c->newest || k != slot_newest || j >= CRASH_BATCH || strcmp(h, t->info_hash) ||
        t->added_time != (int64_t)k || t->queue_pos != j) {
        c->bad++;
        return 0;
    }
    crash_fill(c->want, k, j);
    if (memcmp(c->want, t->resume, CRASH_RESUME)) c->bad++;
    return 0;
}

static void test_store_survives_kill_9_mid_batch(void **state)
{
    struct fx *f = *state;
    unsigned seed = (unsigned)time(NULL) ^ ((unsigned)getpid() << 16);
    srand(seed);
    print_message("crash test seed %u\n", seed);

    for (int round = 0; round < CRASH_ROUNDS; round++) {
        int fds[2];
        assert_int_equal(pipe(fds), 0);
        pid_t pid = fork();
        assert_true(pid >= 0);
        if (pid == 0) {
            close(fds[0]);
            crash_child(f->path, fds[1]);
            _exit(0);
        }
        close(fds[1]);

        /* Wait for one committed batch so the kill lands mid-loop. */
        uint64_t k, reported;
        ssize_t n = read(fds[0], &reported, sizeof reported);
        if (n != (ssize_t)sizeof reported) {
            int status;
            waitpid(pid, &status, 0);
            close(fds[0]);
            fail_msg("writer died before its first commit (status %d)", status);
        }
        struct timespec ts = {0, (50 + rand() % 251) * 1000000L};
        nanosleep(&ts, NULL);
        assert_int_equal(kill(pid, SIGKILL), 0);
        int status;
        assert_int_equal(waitpid(pid, &status, 0), pid);
        assert_true(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
        while (read(fds[0], &k, sizeof k) == (ssize_t)sizeof k)
            reported = k;
        close(fds[0]);

        char err[256] = "";
        struct store *st = NULL;
        assert_int_equal(store_open(f->path, &st, err, sizeof err), 0);
        assert_int_equal(store_integrity_check(st), 0);

        char v[32];
        assert_int_equal(store_setting_get(st, "crash.batch", v, sizeof v), 0);
        uint64_t newest = strtoull(v, NULL, 10);
        /* A kill -9 (unlike a power cut) loses no committed transaction;
         * at most one batch committed without being reported. */
        assert_true(newest >= reported);
        assert_true(newest <= reported + 1);

        uint64_t slots = newest + 1 < CRASH_SLOTS ? newest + 1 : CRASH_SLOTS;
        assert_int_equal(store_torrent_count(st), (int)(slots * CRASH_BATCH));

        struct crash_check c = {.newest = newest, .want = malloc(CRASH_RESUME)};
        assert_int_equal(store_torrents_load(st, crash_check_cb, &c), 0);
        free(c.want);
        store_close(st);
        assert_int_equal(c.rows, (int)(slots * CRASH_BATCH));
        assert_int_equal(c.bad, 0);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
#define T(fn) cmocka_unit_test_setup_teardown(fn, fx_setup, fx_teardown)
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
        T(test_store_torrent_round_trips_every_field),
        T(test_store_torrent_null_fields_round_trip_as_null),
        T(test_store_torrent_put_replaces_existing_row),
        T(test_store_torrent_put_with_null_resume_keeps_existing_resume),
        T(test_store_resume_put_keeps_other_columns),
        T(test_store_resume_put_updates_name_only_when_given),
        T(test_store_resume_survives_reopen),
        T(test_store_setters_update_only_their_column),
        T(test_store_torrent_delete_removes_only_that_row),
        T(test_store_unknown_torrent_updates_are_enoent),
        T(test_store_torrents_load_orders_queued_first_then_by_added),
        T(test_store_torrents_load_stops_when_callback_returns_nonzero),
        T(test_store_load_callback_may_write_but_not_reload),
        T(test_store_rejects_invalid_arguments),
        T(test_store_rollback_discards_batch),
        T(test_store_commit_keeps_batch),
        T(test_store_nested_begin_is_ebusy_and_batch_continues),
        T(test_store_commit_or_rollback_without_begin_is_einval),
        T(test_store_failed_write_in_batch_keeps_the_rest),
        T(test_store_close_discards_open_batch),
        T(test_store_torrent_labels_round_trip),
        T(test_store_torrent_put_overwrites_labels_and_null_writes_empty),
        T(test_store_set_labels_updates_only_the_labels),
        T(test_store_set_labels_on_unknown_torrent_is_enoent),
        T(test_store_setting_put_get_overwrite),
        T(test_store_setting_history_newest_first_with_nulls),
        T(test_store_setting_get_truncates_to_buffer),
        T(test_store_setting_delete),
        T(test_store_settings_load_returns_all_in_key_order),
        T(test_store_secret_put_get_overwrite_delete),
        T(test_store_secrets_and_settings_do_not_see_each_other),
        T(test_store_secret_writes_follow_the_batch),
        T(test_store_categories_put_overwrite_delete_load_in_name_order),
        T(test_store_category_delete_leaves_torrents_labels),
        T(test_store_category_put_rejects_bad_names_and_limits),
        T(test_store_categories_load_stops_on_nonzero_and_refuses_reentry),
        T(test_store_event_log_keeps_newest_10000),
        T(test_store_events_load_limit_returns_newest_oldest_first),
        T(test_store_integrity_check_passes_on_fresh_db),
        T(test_store_open_refuses_a_db_with_damaged_pages),
        TD(test_store_open_migrates_version_3_adding_peers_after_a_backup),
        TD(test_store_survives_kill_9_mid_batch),
#undef T
#undef TD
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
