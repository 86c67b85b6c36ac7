/*
 * test_store_settings.c — src/store: settings and their history, and
 * secrets, kept apart from settings and following batches.
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
    fx_reopen_store(f);
    assert_int_equal(store_setting_get(f->st, "ui.theme", buf, sizeof buf), 0);
    assert_string_equal(buf, "ünïcode ☃");
    assert_int_equal(fx_raw_int(f->path, "SELECT count(*) FROM settings"), 2);
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
    fx_reopen_store(f);
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
    fx_reopen_store(f);
    assert_secret(f->st, "proxy_password", "pässwörd ☃");
    char small[4];
    assert_int_equal(store_secret_get(f->st, "proxy_password", small, sizeof small), 0);
    assert_string_equal(small, "p\xc3\xa4"); /* truncated to buflen-1 bytes */
    assert_int_equal(fx_raw_int(f->path, "SELECT count(*) FROM secrets"), 1);

    assert_int_equal(store_secret_delete(f->st, "proxy_password"), 0);
    assert_secret(f->st, "proxy_password", NULL);
    assert_int_equal(store_secret_delete(f->st, "proxy_password"), -ENOENT);
    assert_int_equal(fx_raw_int(f->path, "SELECT count(*) FROM secrets"), 0);
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
    assert_int_equal(fx_raw_int(f->path, "SELECT count(*) FROM settings WHERE value = 'hunter2'"),
                     0);

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

int main(void)
{
    const struct CMUnitTest tests[] = {
#define T(fn) cmocka_unit_test_setup_teardown(fn, fx_setup_store, fx_teardown)
        T(test_store_setting_put_get_overwrite),
        T(test_store_setting_history_newest_first_with_nulls),
        T(test_store_setting_get_truncates_to_buffer),
        T(test_store_setting_delete),
        T(test_store_settings_load_returns_all_in_key_order),
        T(test_store_secret_put_get_overwrite_delete),
        T(test_store_secrets_and_settings_do_not_see_each_other),
        T(test_store_secret_writes_follow_the_batch),
#undef T
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
