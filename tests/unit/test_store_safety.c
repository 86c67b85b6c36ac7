/*
 * test_store_safety.c — unit tests for what keeps spate.db private and
 * recoverable (src/store): file modes whatever the umask and the data
 * directory's mode, rolling backups (made in steps, pruned to N) and
 * putting one back with store_restore().
 *
 * Every test gets a fresh directory from mkdtemp under /tmp, removed with
 * everything in it in the teardown.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <setjmp.h>
#include <cmocka.h>

#include "store/store.h"

struct fx {
    char dir[64];
    char db[128];
    char backups[128];
};

static int fx_setup(void **state)
{
    struct fx *f = calloc(1, sizeof *f);
    if (!f) return -1;
    strcpy(f->dir, "/tmp/spate-safety-XXXXXX");
    if (!mkdtemp(f->dir)) {
        free(f);
        return -1;
    }
    snprintf(f->db, sizeof f->db, "%s/spate.db", f->dir);
    snprintf(f->backups, sizeof f->backups, "%s/backups", f->dir);
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
    nftw(f->dir, rm_entry, 8, FTW_DEPTH | FTW_PHYS);
    free(f);
    return 0;
}

static unsigned mode_of(const char *path)
{
    struct stat sb;
    if (stat(path, &sb) != 0) fail_msg("stat %s: %s", path, strerror(errno));
    return (unsigned)(sb.st_mode & 07777);
}

static struct store *open_ok(const char *path)
{
    char err[512] = "";
    struct store *st = NULL;
    int rc = store_open(path, &st, err, sizeof err);
    if (rc != 0) fail_msg("store_open %s: %d %s", path, rc, err);
    return st;
}

/* n torrents with resume blobs of `blob` bytes, so the file spans pages. */
static void put_torrents(struct store *st, unsigned first, unsigned n, size_t blob)
{
    char *b = malloc(blob ? blob : 1);
    memset(b, 'r', blob);
    assert_int_equal(store_begin(st), 0);
    for (unsigned i = 0; i < n; i++) {
        struct store_torrent t;
        memset(&t, 0, sizeof t);
        snprintf(t.info_hash, sizeof t.info_hash, "%040x", first + i);
        t.name = "t";
        t.save_path = "/srv";
        t.queue_pos = -1;
        t.resume = b;
        t.resume_len = blob;
        assert_int_equal(store_torrent_put(st, &t), 0);
    }
    assert_int_equal(store_commit(st), 0);
    free(b);
}

/* ---- modes -------------------------------------------------------------- */

/* An existing 0755 data directory, the given umask: spate.db, its -wal and
 * its -shm are 0600 all the same, and the open directory is reported. */
static void check_modes_under_umask(struct fx *f, mode_t mask)
{
    assert_int_equal(chmod(f->dir, 0755), 0);
    mode_t old = umask(mask);
    struct store *st = open_ok(f->db);
    put_torrents(st, 1, 3, 100); /* a write: the -wal and -shm exist now */
    char wal[160], shm[160];
    snprintf(wal, sizeof wal, "%s-wal", f->db);
    snprintf(shm, sizeof shm, "%s-shm", f->db);
    assert_int_equal(mode_of(f->db), 0600);
    assert_int_equal(mode_of(wal), 0600);
    assert_int_equal(mode_of(shm), 0600);
    const char *level = NULL, *note = store_note(st, 0, &level);
    assert_non_null(note);
    assert_string_equal(level, "warn");
    assert_non_null(strstr(note, f->dir));
    store_close(st);
    umask(old);
}

static void test_store_files_are_0600_under_umask_022_in_a_0755_dir(void **state)
{
    check_modes_under_umask(*state, 022);
}

static void test_store_files_are_0600_under_umask_000_in_a_0755_dir(void **state)
{
    check_modes_under_umask(*state, 0);
}

/* A database left 0644 (by an older spate) is set to 0600 at open and the
 * health log hears of it. */
static void test_store_open_fixes_a_db_readable_by_others(void **state)
{
    struct fx *f = *state;
    assert_int_equal(chmod(f->dir, 0700), 0);
    store_close(open_ok(f->db));
    assert_int_equal(chmod(f->db, 0644), 0);
    struct store *st = open_ok(f->db);
    assert_int_equal(mode_of(f->db), 0600);
    const char *level = NULL, *note = store_note(st, 0, &level);
    assert_non_null(note);
    assert_string_equal(level, "warn");
    assert_non_null(strstr(note, "0644"));
    assert_null(store_note(st, 1, NULL)); /* a 0700 dir: nothing to say */
    store_close(st);
}

/* ---- backups ------------------------------------------------------------ */

static int collect_path(const char *path, int64_t bytes, int64_t mtime, void *ud)
{
    (void)mtime;
    char(*paths)[256] = ud;
    int i = 0;
    while (paths[i][0])
        i++;
    if (i < 7) snprintf(paths[i], 256, "%s", path);
    assert_true(bytes > 0);
    return 0;
}

/* A backup made in small steps is a whole, 0600, checked copy under its
 * final name; pruning keeps the newest N. */
static void test_store_backup_in_steps_then_pruned_to_n(void **state)
{
    struct fx *f = *state;
    struct store *st = open_ok(f->db);
    put_torrents(st, 1, 300, 3000);

    struct store_backup *b = NULL;
    char err[256] = "", path[256] = "";
    assert_int_equal(store_backup_begin(st, f->backups, &b, err, sizeof err), 0);
    int steps = 0, rc;
    while ((rc = store_backup_step(b, 16)) == 1 && steps < 100000) {
        steps++;
        if (steps == 3) put_torrents(st, 1000, 1, 10); /* a write mid-backup */
    }
    assert_int_equal(rc, 0);
    assert_true(steps > 3); /* it did take several steps */
    assert_int_equal(store_backup_finish(b, path, sizeof path), 0);
    assert_int_equal(mode_of(path), 0600);
    assert_int_equal(mode_of(f->backups), 0700);
    assert_non_null(strstr(path, "/backups/spate-"));

    struct store *copy = open_ok(path);
    assert_int_equal(store_torrent_count(copy), 301);
    store_close(copy);

    /* three more, each under its own name (the same second takes the next) */
    for (int i = 0; i < 3; i++)
        assert_int_equal(store_backup_now(st, f->backups, NULL, 0, err, sizeof err), 0);
    char paths[8][256];
    memset(paths, 0, sizeof paths);
    assert_int_equal(store_backups_list(f->backups, collect_path, paths), 0);
    assert_true(paths[3][0] && !paths[4][0]);
    assert_true(strcmp(paths[0], paths[1]) > 0); /* newest first */
    assert_int_equal(store_backups_prune(f->backups, 2), 2);
    char left[8][256];
    memset(left, 0, sizeof left);
    assert_int_equal(store_backups_list(f->backups, collect_path, left), 0);
    assert_string_equal(left[0], paths[0]);
    assert_string_equal(left[1], paths[1]);
    assert_int_equal(left[2][0], 0);
    assert_true(store_backup_newest(f->backups) > 0);
    store_close(st);
}

/* ---- restore ------------------------------------------------------------ */

/* Garbage over b-tree pages in the middle of the file. */
static void damage(const char *path)
{
    int fd = open(path, O_RDWR);
    assert_true(fd >= 0);
    struct stat sb;
    assert_int_equal(fstat(fd, &sb), 0);
    int64_t pages = sb.st_size / 4096;
    assert_true(pages > 20);
    char junk[512];
    memset(junk, 0x5a, sizeof junk);
    for (int64_t p = pages / 2; p < pages / 2 + 4; p++)
        assert_int_equal(pwrite(fd, junk, sizeof junk, (off_t)(p * 4096)), (ssize_t)sizeof junk);
    close(fd);
}

static void backup_of_n(struct fx *f, unsigned n)
{
    struct store *st = open_ok(f->db);
    put_torrents(st, 1, n, 3000);
    char err[256];
    assert_int_equal(store_backup_now(st, f->backups, NULL, 0, err, sizeof err), 0);
    put_torrents(st, 5000, 50, 3000); /* after the backup: lost by a restore */
    store_close(st);
}

static int count_prefix(const char *dir, const char *prefix)
{
    DIR *d = opendir(dir);
    int n = 0;
    struct dirent *e;
    while (d && (e = readdir(d)))
        n += strncmp(e->d_name, prefix, strlen(prefix)) == 0;
    if (d) closedir(d);
    return n;
}

/* A damaged database is refused; restore puts the newest backup back and
 * keeps the damaged one aside. */
static void test_store_restore_brings_back_the_newest_backup(void **state)
{
    struct fx *f = *state;
    backup_of_n(f, 200);
    damage(f->db);
    char err[512] = "", msg[1024] = "";
    struct store *st = NULL;
    assert_int_equal(store_open(f->db, &st, err, sizeof err), -EBADMSG);

    assert_int_equal(store_restore(f->dir, NULL, msg, sizeof msg), 0);
    assert_non_null(strstr(msg, "restored"));
    assert_int_equal(count_prefix(f->dir, "spate.db.corrupt-"), 1);
    assert_int_equal(mode_of(f->db), 0600);
    st = open_ok(f->db);
    assert_int_equal(store_torrent_count(st), 200);
    store_close(st);
}

/* Not while a spate holds the lock; not from a damaged backup; not without
 * one. The database in place is left alone each time. */
static void test_store_restore_refusals_leave_the_db_alone(void **state)
{
    struct fx *f = *state;
    char msg[1024] = "", lock[160], path[256] = "";
    assert_int_equal(store_restore(f->dir, NULL, msg, sizeof msg), -ENOENT); /* no backup */
    assert_non_null(strstr(msg, "no backup"));

    backup_of_n(f, 200);
    snprintf(lock, sizeof lock, "%s/spate.lock", f->dir);
    int fd = open(lock, O_RDWR | O_CREAT, 0600);
    assert_true(fd >= 0);
    assert_int_equal(flock(fd, LOCK_EX | LOCK_NB), 0);
    assert_int_equal(store_restore(f->dir, NULL, msg, sizeof msg), -EBUSY);
    assert_non_null(strstr(msg, "running"));
    close(fd);

    struct store *st = open_ok(f->db);
    assert_int_equal(store_torrent_count(st), 250);
    store_close(st);
    /* the backup damaged too */
    char paths[8][256];
    memset(paths, 0, sizeof paths);
    assert_int_equal(store_backups_list(f->backups, collect_path, paths), 0);
    snprintf(path, sizeof path, "%s", paths[0]);
    damage(path);
    assert_int_equal(store_restore(f->dir, path, msg, sizeof msg), -EBADMSG);
    assert_non_null(strstr(msg, "damaged"));
    assert_int_equal(count_prefix(f->dir, "spate.db.corrupt-"), 0);
    st = open_ok(f->db);
    assert_int_equal(store_torrent_count(st), 250);
    store_close(st);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
#define T(fn) cmocka_unit_test_setup_teardown(fn, fx_setup, fx_teardown)
        T(test_store_files_are_0600_under_umask_022_in_a_0755_dir),
        T(test_store_files_are_0600_under_umask_000_in_a_0755_dir),
        T(test_store_open_fixes_a_db_readable_by_others),
        T(test_store_backup_in_steps_then_pruned_to_n),
        T(test_store_restore_brings_back_the_newest_backup),
        T(test_store_restore_refusals_leave_the_db_alone),
#undef T
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
