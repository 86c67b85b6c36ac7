/*
 * test_store_resume.c — src/store: resume data — kept by a put without
 * one, written alone by store_resume_put, and kept across a reopen.
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

static void test_store_torrent_put_with_null_resume_keeps_existing_resume(void **state)
{
    struct fx *f = *state;
    static const char resume[] = "d5:piecei3e\0xyz";
    char h[41];
    fx_make_hash(h, 4);
    struct store_torrent t = fx_basic_torrent(h, "a");
    t.resume = resume;
    t.resume_len = sizeof resume;
    assert_int_equal(store_torrent_put(f->st, &t), 0);

    t.name = "renamed";
    t.resume = NULL;
    t.resume_len = 0;
    assert_int_equal(store_torrent_put(f->st, &t), 0);

    struct fx_rows rs;
    fx_load_all(f->st, &rs);
    assert_int_equal(rs.n, 1);
    assert_string_equal(rs.r[0].name, "renamed");
    assert_int_equal(rs.r[0].resume_len, sizeof resume);
    assert_memory_equal(rs.r[0].resume, resume, sizeof resume);
    fx_rows_free(&rs);
}

static void test_store_resume_put_keeps_other_columns(void **state)
{
    struct fx *f = *state;
    static const char meta[] = "d4:info\0e";
    static const char resume2[] = "\0new resume\0";
    struct store_torrent t;
    memset(&t, 0, sizeof t);
    fx_make_hash(t.info_hash, 5);
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

    struct fx_rows rs;
    fx_load_all(f->st, &rs);
    struct fx_row *r = &rs.r[0];
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
    fx_rows_free(&rs);
}

static void test_store_resume_put_updates_name_only_when_given(void **state)
{
    struct fx *f = *state;
    char h[41];
    fx_make_hash(h, 6);
    struct store_torrent t = fx_basic_torrent(h, "");
    assert_int_equal(store_torrent_put(f->st, &t), 0);

    assert_int_equal(store_resume_put(f->st, h, "Metadata Name", "r1", 2), 0);
    struct fx_rows rs;
    fx_load_all(f->st, &rs);
    assert_string_equal(rs.r[0].name, "Metadata Name");
    assert_memory_equal(rs.r[0].resume, "r1", 2);
    fx_rows_free(&rs);

    assert_int_equal(store_resume_put(f->st, h, NULL, "r2", 2), 0);
    fx_load_all(f->st, &rs);
    assert_string_equal(rs.r[0].name, "Metadata Name");
    assert_memory_equal(rs.r[0].resume, "r2", 2);
    fx_rows_free(&rs);
}

static void test_store_resume_survives_reopen(void **state)
{
    struct fx *f = *state;
    size_t n = 64 * 1024;
    unsigned char *blob = malloc(n);
    for (size_t i = 0; i < n; i++)
        blob[i] = (unsigned char)(i * 131 + (i >> 8)); /* includes NULs */
    char h[41];
    fx_make_hash(h, 7);
    struct store_torrent t = fx_basic_torrent(h, "big");
    assert_int_equal(store_torrent_put(f->st, &t), 0);
    assert_int_equal(store_resume_put(f->st, h, NULL, blob, n), 0);

    fx_reopen_store(f);
    struct fx_rows rs;
    fx_load_all(f->st, &rs);
    assert_int_equal(rs.n, 1);
    assert_int_equal(rs.r[0].resume_len, n);
    assert_memory_equal(rs.r[0].resume, blob, n);
    fx_rows_free(&rs);
    free(blob);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
#define T(fn) cmocka_unit_test_setup_teardown(fn, fx_setup_store, fx_teardown)
        T(test_store_torrent_put_with_null_resume_keeps_existing_resume),
        T(test_store_resume_put_keeps_other_columns),
        T(test_store_resume_put_updates_name_only_when_given),
        T(test_store_resume_survives_reopen),
#undef T
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
