/*
 * test_engine_table.c — the engine's torrent table and its events, through
 * the public API (engine.h) on a real libtorrent session (loopback only,
 * DHT/LSD/UPnP/NAT-PMP off): ids start at 1 and only grow, the table stays
 * in id order through removals, a torrent is found by id and by info-hash
 * prefix (the key map behind them stays in step), and the events reach
 * listeners (added, removed, metadata, log) until eng_remove_listener.
 *
 * The torrents are minimal in-memory .torrent files (one 16 KiB piece, no
 * data on disk), added paused so that nothing but the test changes them.
 * The metadata event needs a peer that has the metadata: a second engine
 * on the same loop serves it to a magnet over 127.0.0.1.
 *
 * The setup is the shared fixture (tests/unit/fixture.h); the seeder is
 * its fx_open_peer.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "engine/engine.h"
#include "store/store.h"

#include "fixture.h"

/* What a listener saw. */
#define TF_MAX_SEEN 64
struct seen {
    int n;
    enum eng_event ev[TF_MAX_SEEN];
    int id[TF_MAX_SEEN];        /* 0: t was NULL */
    char name[TF_MAX_SEEN][32]; /* the row's name during the callback */
    struct eng *remove_self;    /* non-NULL: the listener removes itself on its first event */
};

static void on_event(void *ud, enum eng_event ev, const struct eng_torrent *t)
{
    struct seen *s = ud;
    if (s->n < TF_MAX_SEEN) {
        s->ev[s->n] = ev;
        s->id[s->n] = t ? t->id : 0;
        snprintf(s->name[s->n], sizeof s->name[0], "%s", t ? t->name : "");
        s->n++;
    }
    if (s->remove_self) eng_remove_listener(s->remove_self, on_event, s);
}

/* How many events of kind ev (for torrent id, or any id when id < 0). */
static int count(const struct seen *s, enum eng_event ev, int id)
{
    int c = 0;
    for (int i = 0; i < s->n; i++)
        c += s->ev[i] == ev && (id < 0 || s->id[i] == id);
    return c;
}

/* A minimal single-file .torrent named `name` (its info-hash follows from
 * the name), added paused from memory; returns eng_add's code, the id in
 * *id. */
static int add_named(struct eng *e, const char *name, bool paused, int *id)
{
    char buf[256], err[512] = "";
    int n = snprintf(buf, sizeof buf,
                     "d4:infod6:lengthi16384e4:name%zu:%s12:piece lengthi16384e6:pieces20:"
                     "AAAAAAAAAAAAAAAAAAAAee",
                     strlen(name), name);
    struct eng_add_params p = {.bytes = buf, .n_bytes = (size_t)n, .paused = paused};
    *id = 0;
    return eng_add(e, &p, id, err, sizeof err);
}

static int add_ok(struct fx *f, const char *name)
{
    int id;
    assert_int_equal(add_named(f->e, name, true, &id), 0);
    return id;
}

/* The ids of the table in index order, into ids (at most max); how many. */
static size_t table_ids(struct eng *e, int *ids, size_t max)
{
    size_t n = eng_torrent_count(e);
    for (size_t i = 0; i < n && i < max; i++) {
        const struct eng_torrent *t = eng_torrent_at(e, i);
        assert_non_null(t);
        ids[i] = t->id;
    }
    assert_null(eng_torrent_at(e, n));
    return n;
}

/* -------------------------------------------------------------- the table */

static void test_ids_start_at_one_and_increase_in_add_order(void **state)
{
    struct fx *f = *state;
    assert_int_equal(eng_torrent_count(f->e), 0);
    assert_null(eng_torrent_at(f->e, 0));
    int a = add_ok(f, "alpha"), b = add_ok(f, "bravo"), c = add_ok(f, "charlie");
    assert_int_equal(a, 1);
    assert_int_equal(b, 2);
    assert_int_equal(c, 3);
    int ids[8];
    assert_int_equal(table_ids(f->e, ids, 8), 3);
    assert_int_equal(ids[0], 1);
    assert_int_equal(ids[1], 2);
    assert_int_equal(ids[2], 3);
    assert_string_equal(eng_torrent_by_id(f->e, b)->name, "bravo");

    /* the same torrent again: -EEXIST names the row already there; no row,
     * no id is used up */
    int again;
    assert_int_equal(add_named(f->e, "bravo", true, &again), -EEXIST);
    assert_int_equal(again, b);
    assert_int_equal(eng_torrent_count(f->e), 3);
    assert_int_equal(add_ok(f, "delta"), 4);

    /* ids are stable while the loop runs (status refreshes rewrite rows) */
    for (int i = 0; i < 20; i++) {
        uv_run(&f->loop, UV_RUN_NOWAIT);
        usleep(5000);
    }
    assert_string_equal(eng_torrent_by_id(f->e, a)->name, "alpha");
    assert_string_equal(eng_torrent_by_id(f->e, c)->name, "charlie");
}

static void test_lookup_by_id_and_by_info_hash_prefix(void **state)
{
    struct fx *f = *state;
    int ids[5];
    const char *names[5] = {"one", "two", "three", "four", "five"};
    for (int i = 0; i < 5; i++)
        ids[i] = add_ok(f, names[i]);
    for (int i = 0; i < 5; i++) {
        const struct eng_torrent *t = eng_torrent_by_id(f->e, ids[i]);
        assert_non_null(t);
        assert_int_equal(t->id, ids[i]);
        assert_string_equal(t->name, names[i]);
        assert_int_equal(strlen(t->info_hash), 40);

        /* the whole hash, and a prefix of 8 hex digits, in either case */
        int got = 0;
        assert_int_equal(eng_resolve_id(f->e, t->info_hash, &got), 0);
        assert_int_equal(got, ids[i]);
        char prefix[9], upper[9];
        snprintf(prefix, sizeof prefix, "%.8s", t->info_hash);
        for (int k = 0; k < 9; k++)
            upper[k] = (char)(prefix[k] >= 'a' && prefix[k] <= 'f' ? prefix[k] - 32 : prefix[k]);
        got = 0;
        assert_int_equal(eng_resolve_id(f->e, prefix, &got), 0);
        assert_int_equal(got, ids[i]);
        got = 0;
        assert_int_equal(eng_resolve_id(f->e, upper, &got), 0);
        assert_int_equal(got, ids[i]);

        /* the decimal id as `ls` shows it */
        char dec[16];
        snprintf(dec, sizeof dec, "%d", ids[i]);
        got = 0;
        assert_int_equal(eng_resolve_id(f->e, dec, &got), 0);
        assert_int_equal(got, ids[i]);
    }
    int got;
    assert_null(eng_torrent_by_id(f->e, 0));
    assert_null(eng_torrent_by_id(f->e, 6));
    assert_null(eng_torrent_by_id(f->e, -1));
    assert_int_equal(eng_resolve_id(f->e, "99", &got), -ENOENT);
    assert_int_equal(eng_resolve_id(f->e, "0000000000000000000000000000000000000000", &got),
                     -ENOENT);
    assert_int_equal(eng_resolve_id(f->e, "not-an-id", &got), -EINVAL);
}

static void test_remove_keeps_order_and_ids_are_not_reused(void **state)
{
    struct fx *f = *state;
    int a = add_ok(f, "a1"), b = add_ok(f, "b2"), c = add_ok(f, "c3"), d = add_ok(f, "d4");
    char hash_b[41];
    snprintf(hash_b, sizeof hash_b, "%s", eng_torrent_by_id(f->e, b)->info_hash);

    assert_int_equal(eng_remove(f->e, b, false), 0);
    assert_int_equal(eng_remove(f->e, b, false), -ENOENT);
    int ids[8];
    assert_int_equal(table_ids(f->e, ids, 8), 3);
    assert_int_equal(ids[0], a);
    assert_int_equal(ids[1], c);
    assert_int_equal(ids[2], d);
    assert_null(eng_torrent_by_id(f->e, b));
    int got;
    assert_int_equal(eng_resolve_id(f->e, hash_b, &got), -ENOENT);
    /* the rows after it are still found, by id and by hash */
    for (int i = 0; i < 3; i++) {
        const struct eng_torrent *t = eng_torrent_by_id(f->e, ids[i]);
        assert_non_null(t);
        got = 0;
        assert_int_equal(eng_resolve_id(f->e, t->info_hash, &got), 0);
        assert_int_equal(got, ids[i]);
    }

    /* the first and the last row, then the same torrent back: a new id */
    assert_int_equal(eng_remove(f->e, a, false), 0);
    assert_int_equal(eng_remove(f->e, d, false), 0);
    int e5 = add_ok(f, "e5"), b_again = add_ok(f, "b2");
    assert_int_equal(e5, 5);
    assert_int_equal(b_again, 6);
    assert_int_equal(table_ids(f->e, ids, 8), 3);
    assert_int_equal(ids[0], c);
    assert_int_equal(ids[1], e5);
    assert_int_equal(ids[2], b_again);
    got = 0;
    assert_int_equal(eng_resolve_id(f->e, hash_b, &got), 0);
    assert_int_equal(got, b_again);

    /* empty, then not: ids still go on */
    assert_int_equal(eng_remove(f->e, c, false), 0);
    assert_int_equal(eng_remove(f->e, e5, false), 0);
    assert_int_equal(eng_remove(f->e, b_again, false), 0);
    assert_int_equal(eng_torrent_count(f->e), 0);
    assert_int_equal(add_ok(f, "f6"), 7);
}

/* Many rows: the key map grows past its first size (64 slots) and shrinks
 * back on removal, and every row stays reachable by its hash. */
static void test_many_rows_stay_reachable(void **state)
{
    struct fx *f = *state;
    enum { N = 80 };
    int ids[N];
    char name[16];
    for (int i = 0; i < N; i++) {
        snprintf(name, sizeof name, "row%02d", i);
        ids[i] = add_ok(f, name);
        assert_int_equal(ids[i], i + 1);
    }
    for (int i = 0; i < N; i += 2)
        assert_int_equal(eng_remove(f->e, ids[i], false), 0);
    assert_int_equal(eng_torrent_count(f->e), N / 2);
    for (size_t i = 0; i < eng_torrent_count(f->e); i++) {
        const struct eng_torrent *t = eng_torrent_at(f->e, i);
        assert_int_equal(t->id, ids[2 * i + 1]);
        int got = 0;
        assert_int_equal(eng_resolve_id(f->e, t->info_hash, &got), 0);
        assert_int_equal(got, t->id);
        assert_ptr_equal(eng_torrent_by_id(f->e, t->id), t);
    }
}

/* ---------------------------------------------------------------- events */

static void test_added_and_removed_reach_listeners(void **state)
{
    struct fx *f = *state;
    struct seen s = {0};
    eng_add_listener(f->e, on_event, &s);
    int a = add_ok(f, "watched");
    assert_int_equal(count(&s, ENG_EV_ADDED, a), 1);
    int dup;
    assert_int_equal(add_named(f->e, "watched", true, &dup), -EEXIST);
    assert_int_equal(count(&s, ENG_EV_ADDED, -1), 1); /* no event for a refused add */

    assert_int_equal(eng_remove(f->e, a, false), 0);
    assert_int_equal(count(&s, ENG_EV_REMOVED, a), 1);
    /* the row was still valid during the callback */
    for (int i = 0; i < s.n; i++)
        if (s.ev[i] == ENG_EV_REMOVED) assert_string_equal(s.name[i], "watched");

    eng_log(f->e, "info", 0, "a session message");
    assert_int_equal(count(&s, ENG_EV_LOG, 0), 1);
    assert_string_equal(eng_last_log(f->e), "a session message");
    eng_remove_listener(f->e, on_event, &s);
}

static void test_remove_listener_stops_events(void **state)
{
    struct fx *f = *state;
    struct seen one = {0}, two = {0}, self = {.remove_self = f->e};
    eng_add_listener(f->e, on_event, &one);
    eng_add_listener(f->e, on_event, &two);
    eng_add_listener(f->e, on_event, &self);
    eng_log(f->e, "info", 0, "first");
    assert_int_equal(one.n, 1);
    assert_int_equal(two.n, 1);
    assert_int_equal(self.n, 1); /* removed itself inside its callback */

    eng_remove_listener(f->e, on_event, &one);
    eng_remove_listener(f->e, on_event, &one); /* not registered: no-op */
    eng_remove_listener(f->e, NULL, NULL);
    int id = add_ok(f, "after");
    eng_log(f->e, "info", id, "second");
    assert_int_equal(one.n, 1);
    assert_int_equal(self.n, 1);
    assert_int_equal(count(&two, ENG_EV_ADDED, id), 1);
    assert_int_equal(count(&two, ENG_EV_LOG, id), 1);

    /* same fn, other ud: a different listener */
    eng_add_listener(f->e, on_event, &one);
    eng_remove_listener(f->e, on_event, &two);
    eng_log(f->e, "info", 0, "third");
    assert_int_equal(one.n, 2);
    assert_int_equal(count(&two, ENG_EV_LOG, -1), 2); /* "first" and "second", not "third" */
    eng_remove_listener(f->e, on_event, &one);
}

struct meta_wait {
    struct seen *s;
    int id;
};

static bool run_until_metadata(struct fx *f, const struct meta_wait *w, int timeout_ms)
{
    uint64_t deadline = uv_hrtime() / 1000000 + (uint64_t)timeout_ms;
    while (uv_hrtime() / 1000000 < deadline) {
        if (count(w->s, ENG_EV_METADATA, w->id) > 0) return true;
        uv_run(&f->loop, UV_RUN_NOWAIT);
        usleep(2000);
    }
    return count(w->s, ENG_EV_METADATA, w->id) > 0;
}

/* A magnet gets its metadata from a peer (a second engine on the same loop
 * that has the .torrent): its listener hears ENG_EV_METADATA once, and the
 * row has the name from the metadata. */
static void test_metadata_event_reaches_listeners(void **state)
{
    struct fx *f = *state;
    struct eng *seeder = fx_open_peer(f, "seeder");
    int seed_id;
    assert_int_equal(add_named(seeder, "served-by-peer", false, &seed_id), 0);
    /* its listen port, once libtorrent reports it */
    struct eng_stats st = {0};
    uint64_t deadline = uv_hrtime() / 1000000 + 5000;
    while (uv_hrtime() / 1000000 < deadline) {
        eng_get_stats(seeder, &st);
        if (st.listen_port > 0) break;
        uv_run(&f->loop, UV_RUN_NOWAIT);
        usleep(2000);
    }
    assert_true(st.listen_port > 0);

    struct seen s = {0};
    eng_add_listener(f->e, on_event, &s);
    char magnet[128], peer[32], err[512] = "";
    snprintf(magnet, sizeof magnet, "magnet:?xt=urn:btih:%s",
             eng_torrent_by_id(seeder, seed_id)->info_hash);
    snprintf(peer, sizeof peer, "127.0.0.1:%d", st.listen_port);
    const char *peers[] = {peer};
    struct eng_add_params p = {.source = magnet, .peers = peers, .n_peers = 1};
    int id = 0;
    assert_int_equal(eng_add(f->e, &p, &id, err, sizeof err), 0);
    assert_false(eng_torrent_by_id(f->e, id)->has_metadata);
    assert_int_equal(count(&s, ENG_EV_ADDED, id), 1);

    struct meta_wait w = {&s, id};
    assert_true(run_until_metadata(f, &w, 20000));
    assert_int_equal(count(&s, ENG_EV_METADATA, id), 1);
    const struct eng_torrent *t = eng_torrent_by_id(f->e, id);
    assert_true(t->has_metadata);
    assert_string_equal(t->name, "served-by-peer");
    eng_remove_listener(f->e, on_event, &s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_ids_start_at_one_and_increase_in_add_order, fx_setup,
                                        fx_teardown),
        cmocka_unit_test_setup_teardown(test_lookup_by_id_and_by_info_hash_prefix, fx_setup,
                                        fx_teardown),
        cmocka_unit_test_setup_teardown(test_remove_keeps_order_and_ids_are_not_reused, fx_setup,
                                        fx_teardown),
        cmocka_unit_test_setup_teardown(test_many_rows_stay_reachable, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_added_and_removed_reach_listeners, fx_setup,
                                        fx_teardown),
        cmocka_unit_test_setup_teardown(test_remove_listener_stops_events, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_metadata_event_reaches_listeners, fx_setup,
                                        fx_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
