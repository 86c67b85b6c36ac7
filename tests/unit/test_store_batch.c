/*
 * test_store_batch.c — src/store: batches — commit, rollback, nesting,
 * a failed write inside a batch, and close with a batch open.
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

/* ---- batches ------------------------------------------------------------ */

static void test_store_rollback_discards_batch(void **state)
{
    struct fx *f = *state;
    fx_put_n(f->st, 500, 1); /* committed before the batch */
    assert_int_equal(store_begin(f->st), 0);
    fx_put_n(f->st, 600, 3);
    assert_int_equal(store_setting_put(f->st, "in-batch", "1"), 0);
    assert_int_equal(store_event_add(f->st, 1, "info", NULL, "in batch"), 0);
    assert_int_equal(store_torrent_count(f->st), 4); /* the batch sees its own writes */
    assert_int_equal(store_rollback(f->st), 0);

    assert_int_equal(store_torrent_count(f->st), 1);
    char buf[8];
    assert_int_equal(store_setting_get(f->st, "in-batch", buf, sizeof buf), -ENOENT);
    assert_int_equal(fx_raw_int(f->path, "SELECT count(*) FROM events"), 0);
}

static void test_store_commit_keeps_batch(void **state)
{
    struct fx *f = *state;
    assert_int_equal(store_begin(f->st), 0);
    fx_put_n(f->st, 700, 3);
    assert_int_equal(store_setting_put(f->st, "in-batch", "1"), 0);
    /* Another connection must not see an uncommitted batch. */
    assert_int_equal(fx_raw_int(f->path, "SELECT count(*) FROM torrents"), 0);
    assert_int_equal(store_commit(f->st), 0);
    assert_int_equal(fx_raw_int(f->path, "SELECT count(*) FROM torrents"), 3);

    fx_reopen_store(f);
    assert_int_equal(store_torrent_count(f->st), 3);
    char buf[8];
    assert_int_equal(store_setting_get(f->st, "in-batch", buf, sizeof buf), 0);
    assert_string_equal(buf, "1");
}

static void test_store_nested_begin_is_ebusy_and_batch_continues(void **state)
{
    struct fx *f = *state;
    assert_int_equal(store_begin(f->st), 0);
    fx_put_n(f->st, 800, 1);
    assert_int_equal(store_begin(f->st), -EBUSY);
    fx_put_n(f->st, 801, 1);
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
    fx_make_hash(missing, 999);
    assert_int_equal(store_begin(f->st), 0);
    fx_put_n(f->st, 900, 1);
    assert_int_equal(store_resume_put(f->st, missing, NULL, "r", 1), -ENOENT);
    assert_int_equal(store_torrent_put(f->st, NULL), -EINVAL);
    fx_put_n(f->st, 901, 1);
    assert_int_equal(store_commit(f->st), 0);
    assert_int_equal(fx_raw_int(f->path, "SELECT count(*) FROM torrents"), 2);
}

static void test_store_close_discards_open_batch(void **state)
{
    struct fx *f = *state;
    assert_int_equal(store_begin(f->st), 0);
    fx_put_n(f->st, 1000, 2);
    fx_reopen_store(f);
    assert_int_equal(store_torrent_count(f->st), 0);
    /* The reopened store is not stuck in a batch. */
    assert_int_equal(store_commit(f->st), -EINVAL);
    fx_put_n(f->st, 1000, 1);
    assert_int_equal(fx_raw_int(f->path, "SELECT count(*) FROM torrents"), 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
#define T(fn) cmocka_unit_test_setup_teardown(fn, fx_setup_store, fx_teardown)
        T(test_store_rollback_discards_batch),
        T(test_store_commit_keeps_batch),
        T(test_store_nested_begin_is_ebusy_and_batch_continues),
        T(test_store_commit_or_rollback_without_begin_is_einval),
        T(test_store_failed_write_in_batch_keeps_the_rest),
        T(test_store_close_discards_open_batch),
#undef T
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
