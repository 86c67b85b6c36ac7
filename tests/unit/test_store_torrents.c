/*
 * test_store_torrents.c — src/store: torrent rows — round trips of every
 * field, replacement, the setters, deletion, load order and callbacks,
 * argument checks — and their labels (category and tags).
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

/* ---- torrents ----------------------------------------------------------- */

static void test_store_torrent_round_trips_every_field(void **state)
{
    struct fx *f = *state;
    static const unsigned char meta[] = "d4:infod6:lengthi0e4:name3:\0\0\0ee\0trailing";
    static const unsigned char resume[] = {0, 0, 'd', 0, 0xff, 0xfe, 0, 'e', 0};
    const char *name = "Débian — 日本語 🎉 ñ";

    struct store_torrent t;
    memset(&t, 0, sizeof t);
    fx_make_hash(t.info_hash, 0xabcdef);
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

    fx_reopen_store(f);
    struct fx_rows rs;
    fx_load_all(f->st, &rs);
    assert_int_equal(rs.n, 1);
    struct fx_row *r = &rs.r[0];
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
    fx_rows_free(&rs);
}

static void test_store_torrent_null_fields_round_trip_as_null(void **state)
{
    struct fx *f = *state;
    char h[41];
    fx_make_hash(h, 2);
    struct store_torrent t = fx_basic_torrent(h, NULL); /* NULL name is stored as "" */
    assert_int_equal(store_torrent_put(f->st, &t), 0);

    struct fx_rows rs;
    fx_load_all(f->st, &rs);
    assert_int_equal(rs.n, 1);
    assert_string_equal(rs.r[0].name, "");
    assert_null(rs.r[0].magnet);
    assert_null(rs.r[0].meta);
    assert_int_equal(rs.r[0].meta_len, 0);
    assert_null(rs.r[0].resume);
    assert_int_equal(rs.r[0].resume_len, 0);
    assert_int_equal(rs.r[0].queue, -1);
    assert_int_equal(rs.r[0].paused, 0);
    fx_assert_labels(&rs.r[0], "", ""); /* NULL labels are stored as "" */
    fx_rows_free(&rs);
}

static void test_store_torrent_put_replaces_existing_row(void **state)
{
    struct fx *f = *state;
    char h[41];
    fx_make_hash(h, 3);
    struct store_torrent t = fx_basic_torrent(h, "first");
    t.queue_pos = 1;
    t.magnet = "magnet:?xt=urn:btih:x";
    assert_int_equal(store_torrent_put(f->st, &t), 0);
    t.name = "second";
    t.queue_pos = 2;
    t.magnet = NULL;
    t.save_path = "/elsewhere";
    assert_int_equal(store_torrent_put(f->st, &t), 0);

    assert_int_equal(store_torrent_count(f->st), 1);
    struct fx_rows rs;
    fx_load_all(f->st, &rs);
    assert_string_equal(rs.r[0].name, "second");
    assert_int_equal(rs.r[0].queue, 2);
    assert_null(rs.r[0].magnet);
    assert_string_equal(rs.r[0].save_path, "/elsewhere");
    fx_rows_free(&rs);
}

static void test_store_setters_update_only_their_column(void **state)
{
    struct fx *f = *state;
    char h[41];
    fx_make_hash(h, 8);
    struct store_torrent t = fx_basic_torrent(h, "x");
    t.resume = "R";
    t.resume_len = 1;
    assert_int_equal(store_torrent_put(f->st, &t), 0);

    assert_int_equal(store_torrent_set_paused(f->st, h, 5), 0); /* any non-zero is 1 */
    assert_int_equal(store_torrent_set_completed(f->st, h, 1234), 0);
    assert_int_equal(store_torrent_set_queue_pos(f->st, h, 9), 0);

    struct fx_rows rs;
    fx_load_all(f->st, &rs);
    assert_int_equal(rs.r[0].paused, 1);
    assert_int_equal(rs.r[0].completed, 1234);
    assert_int_equal(rs.r[0].queue, 9);
    assert_string_equal(rs.r[0].name, "x");
    assert_int_equal(rs.r[0].added, t.added_time);
    assert_memory_equal(rs.r[0].resume, "R", 1);
    fx_rows_free(&rs);

    assert_int_equal(store_torrent_set_paused(f->st, h, 0), 0);
    fx_load_all(f->st, &rs);
    assert_int_equal(rs.r[0].paused, 0);
    fx_rows_free(&rs);
}

static void test_store_torrent_delete_removes_only_that_row(void **state)
{
    struct fx *f = *state;
    char a[41], b[41];
    fx_make_hash(a, 10);
    fx_make_hash(b, 11);
    struct store_torrent ta = fx_basic_torrent(a, "a"), tb = fx_basic_torrent(b, "b");
    ta.resume = "resume";
    ta.resume_len = 6;
    assert_int_equal(store_torrent_put(f->st, &ta), 0);
    assert_int_equal(store_torrent_put(f->st, &tb), 0);

    assert_int_equal(store_torrent_delete(f->st, a), 0);
    assert_int_equal(store_torrent_count(f->st), 1);
    struct fx_rows rs;
    fx_load_all(f->st, &rs);
    assert_string_equal(rs.r[0].hash, b);
    fx_rows_free(&rs);
    assert_int_equal(store_torrent_delete(f->st, a), -ENOENT);

    /* Re-adding after delete does not resurrect the old resume data. */
    ta.resume = NULL;
    ta.resume_len = 0;
    assert_int_equal(store_torrent_put(f->st, &ta), 0);
    fx_load_all(f->st, &rs);
    assert_int_equal(rs.n, 2);
    for (int i = 0; i < rs.n; i++)
        assert_null(rs.r[i].resume);
    fx_rows_free(&rs);
}

static void test_store_unknown_torrent_updates_are_enoent(void **state)
{
    struct fx *f = *state;
    char h[41];
    fx_make_hash(h, 12);
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
        fx_make_hash(h, 100 + i);
        struct store_torrent t = fx_basic_torrent(h, in[i].name);
        t.queue_pos = in[i].queue;
        t.added_time = in[i].added;
        assert_int_equal(store_torrent_put(f->st, &t), 0);
    }
    struct fx_rows rs;
    fx_load_all(f->st, &rs);
    assert_int_equal(rs.n, 5);
    const char *want[] = {"C", "E", "B", "D", "A"};
    for (int i = 0; i < 5; i++)
        assert_string_equal(rs.r[i].name, want[i]);
    fx_rows_free(&rs);
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
        fx_make_hash(h, 200 + i);
        struct store_torrent t = fx_basic_torrent(h, "t");
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
    fx_make_hash(h, 300);
    struct store_torrent t = fx_basic_torrent(h, "t");
    assert_int_equal(store_torrent_put(f->st, &t), 0);

    struct reentry re = {.st = f->st};
    assert_int_equal(store_torrents_load(f->st, reentry_cb, &re), 0);
    assert_int_equal(re.calls, 1);
    assert_int_equal(re.nested_rc, -EBUSY);
    assert_int_equal(re.put_rc, 0);

    struct fx_rows rs;
    fx_load_all(f->st, &rs);
    assert_int_equal(rs.r[0].resume_len, 7);
    assert_memory_equal(rs.r[0].resume, "from-cb", 7);
    fx_rows_free(&rs);
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
    fx_make_hash(h, 400);
    struct store_torrent t = fx_basic_torrent(h, "t");
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
    assert_int_equal(fx_raw_int(f->path, "SELECT count(*) FROM events"), 0);
    assert_int_equal(fx_raw_int(f->path, "SELECT count(*) FROM settings"), 0);
    assert_int_equal(fx_raw_int(f->path, "SELECT count(*) FROM secrets"), 0);
}

/* ---- torrent labels ----------------------------------------------------- */

static void test_store_torrent_labels_round_trip(void **state)
{
    struct fx *f = *state;
    char h[41];
    fx_make_hash(h, 20);
    struct store_torrent t = fx_basic_torrent(h, "labelled");
    t.category = "Linux ISOs";
    t.tags = "debian,iso,ünï";
    assert_int_equal(store_torrent_put(f->st, &t), 0);

    fx_reopen_store(f);
    struct fx_rows rs;
    fx_load_all(f->st, &rs);
    assert_int_equal(rs.n, 1);
    fx_assert_labels(&rs.r[0], "Linux ISOs", "debian,iso,ünï");
    fx_rows_free(&rs);
}

static void test_store_torrent_put_overwrites_labels_and_null_writes_empty(void **state)
{
    struct fx *f = *state;
    static const char resume[] = "d1:xi1ee";
    char h[41];
    fx_make_hash(h, 21);
    struct store_torrent t = fx_basic_torrent(h, "a");
    t.category = "tv";
    t.tags = "hd";
    t.resume = resume;
    t.resume_len = sizeof resume;
    assert_int_equal(store_torrent_put(f->st, &t), 0);

    t.category = "movies";
    t.tags = "hd,new";
    assert_int_equal(store_torrent_put(f->st, &t), 0);
    struct fx_rows rs;
    fx_load_all(f->st, &rs);
    fx_assert_labels(&rs.r[0], "movies", "hd,new");
    fx_rows_free(&rs);

    /* Unlike the resume data (NULL keeps it), NULL labels on a put do not
     * survive: they are written as "". */
    t.category = NULL;
    t.tags = NULL;
    t.resume = NULL;
    t.resume_len = 0;
    assert_int_equal(store_torrent_put(f->st, &t), 0);
    fx_load_all(f->st, &rs);
    fx_assert_labels(&rs.r[0], "", "");
    assert_int_equal(rs.r[0].resume_len, sizeof resume);
    fx_rows_free(&rs);
    assert_int_equal(fx_raw_int(f->path, "SELECT count(*) FROM torrents"
                                         " WHERE category IS NULL OR tags IS NULL"),
                     0);
}

static void test_store_set_labels_updates_only_the_labels(void **state)
{
    struct fx *f = *state;
    char h[41], other[41];
    fx_make_hash(h, 22);
    fx_make_hash(other, 23);
    struct store_torrent t = fx_basic_torrent(h, "x");
    t.queue_pos = 3;
    t.paused = 1;
    t.resume = "R";
    t.resume_len = 1;
    assert_int_equal(store_torrent_put(f->st, &t), 0);
    struct store_torrent o = fx_basic_torrent(other, "other");
    o.category = "keep";
    o.tags = "me";
    assert_int_equal(store_torrent_put(f->st, &o), 0);

    assert_int_equal(store_torrent_set_labels(f->st, h, "books", "epub,fiction"), 0);
    struct fx_rows rs;
    fx_load_all(f->st, &rs); /* queued x first, then other */
    assert_int_equal(rs.n, 2);
    fx_assert_labels(&rs.r[0], "books", "epub,fiction");
    assert_string_equal(rs.r[0].name, "x");
    assert_int_equal(rs.r[0].queue, 3);
    assert_int_equal(rs.r[0].paused, 1);
    assert_memory_equal(rs.r[0].resume, "R", 1);
    fx_assert_labels(&rs.r[1], "keep", "me");
    fx_rows_free(&rs);

    assert_int_equal(store_torrent_set_labels(f->st, h, NULL, NULL), 0);
    fx_load_all(f->st, &rs);
    fx_assert_labels(&rs.r[0], "", "");
    fx_rows_free(&rs);
}

static void test_store_set_labels_on_unknown_torrent_is_enoent(void **state)
{
    struct fx *f = *state;
    char h[41];
    fx_make_hash(h, 24);
    assert_int_equal(store_torrent_set_labels(f->st, h, "tv", "a"), -ENOENT);
    assert_int_equal(store_torrent_count(f->st), 0);
    assert_int_equal(store_torrent_set_labels(f->st, "not-a-hash", "tv", "a"), -EINVAL);
    assert_int_equal(store_torrent_set_labels(f->st, NULL, "tv", "a"), -EINVAL);
    assert_int_equal(store_torrent_set_labels(NULL, h, "tv", "a"), -EINVAL);

    /* Inside a batch the failure leaves the rest of the batch alone. */
    assert_int_equal(store_begin(f->st), 0);
    fx_put_n(f->st, 25, 1);
    assert_int_equal(store_torrent_set_labels(f->st, h, "tv", "a"), -ENOENT);
    assert_int_equal(store_commit(f->st), 0);
    assert_int_equal(store_torrent_count(f->st), 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
#define T(fn) cmocka_unit_test_setup_teardown(fn, fx_setup_store, fx_teardown)
        T(test_store_torrent_round_trips_every_field),
        T(test_store_torrent_null_fields_round_trip_as_null),
        T(test_store_torrent_put_replaces_existing_row),
        T(test_store_setters_update_only_their_column),
        T(test_store_torrent_delete_removes_only_that_row),
        T(test_store_unknown_torrent_updates_are_enoent),
        T(test_store_torrents_load_orders_queued_first_then_by_added),
        T(test_store_torrents_load_stops_when_callback_returns_nonzero),
        T(test_store_load_callback_may_write_but_not_reload),
        T(test_store_rejects_invalid_arguments),
        T(test_store_torrent_labels_round_trip),
        T(test_store_torrent_put_overwrites_labels_and_null_writes_empty),
        T(test_store_set_labels_updates_only_the_labels),
        T(test_store_set_labels_on_unknown_torrent_is_enoent),
#undef T
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
