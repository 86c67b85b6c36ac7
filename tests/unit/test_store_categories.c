/*
 * test_store_categories.c — src/store: categories — put, overwrite, delete,
 * load order, refusals, and what a delete leaves on torrents.
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

    fx_reopen_store(f);
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
    fx_make_hash(h, 30);
    struct store_torrent t = fx_basic_torrent(h, "show");
    t.category = "tv";
    assert_int_equal(store_torrent_put(f->st, &t), 0);
    assert_int_equal(store_category_delete(f->st, "tv"), 0);
    struct fx_rows rs;
    fx_load_all(f->st, &rs);
    assert_string_equal(rs.r[0].category, "tv");
    fx_rows_free(&rs);
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
    assert_int_equal(fx_raw_int(f->path, "SELECT count(*) FROM categories"), 0);

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

int main(void)
{
    const struct CMUnitTest tests[] = {
#define T(fn) cmocka_unit_test_setup_teardown(fn, fx_setup_store, fx_teardown)
        T(test_store_categories_put_overwrite_delete_load_in_name_order),
        T(test_store_category_delete_leaves_torrents_labels),
        T(test_store_category_put_rejects_bad_names_and_limits),
        T(test_store_categories_load_stops_on_nonzero_and_refuses_reentry),
#undef T
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
