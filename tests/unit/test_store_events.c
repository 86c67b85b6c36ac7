/*
 * test_store_events.c — src/store: the event log — its cap of 10,000
 * rows and loads of the newest rows.
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
    fx_make_hash(h, 1);
    for (int i = 0; i < 10050; i++) {
        char msg[32];
        snprintf(msg, sizeof msg, "event %d", i);
        const char *level = i % 3 == 0 ? "info" : i % 3 == 1 ? "warn" : "error";
        assert_int_equal(store_event_add(f->st, 1000 + i, level, i % 2 ? h : NULL, msg), 0);
    }
    assert_int_equal(fx_raw_int(f->path, "SELECT count(*) FROM events"), 10000);

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
    fx_reopen_store(f);
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

int main(void)
{
    const struct CMUnitTest tests[] = {
#define T(fn) cmocka_unit_test_setup_teardown(fn, fx_setup_store, fx_teardown)
        T(test_store_event_log_keeps_newest_10000),
        T(test_store_events_load_limit_returns_newest_oldest_first),
#undef T
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
