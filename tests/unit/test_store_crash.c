/*
 * test_store_crash.c — src/store: a writer kill -9ed mid-batch leaves
 * whole batches and intact blobs.
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
    fx_make_hash(out, 0x10000u + (unsigned)(k % CRASH_SLOTS) * CRASH_BATCH + (unsigned)j);
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
#define TD(fn) cmocka_unit_test_setup_teardown(fn, fx_setup_dir, fx_teardown)
        TD(test_store_survives_kill_9_mid_batch),
#undef TD
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
