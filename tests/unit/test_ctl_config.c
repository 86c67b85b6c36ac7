/*
 * test_ctl_config.c — the settings profile through the control protocol:
 * config_get, config_set and config_reset against a real engine, the
 * stored values and their history, and a stored value applied after a
 * reopen of the store.
 */
#define SPATE_INTERNAL_CTL /* looks inside src/ctl/ (its private header) */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <semaphore.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include <setjmp.h>
#include <cmocka.h>

#include <jansson.h>
#include <uv.h>

#include "ctl/ctl.h"
#include "ctl/ctl_int.h"
#include "engine/engine.h"
#include "engine/registry.h"
#include "fixture.h"
#include "store/store.h"

/* --- the settings profile: config_get, config_set, config_reset ---------------------- */

/* config_get of one key: asserts its row. */
static void expect_setting(struct fx *f, const char *key, const char *effective, const char *stored,
                           const char *def, const char *native)
{
    json_t *r = fx_callf(f, "{\"id\":1,\"cmd\":\"config_get\",\"keys\":[\"%s\"]}", key);
    json_t *rows = fx_expect_result(r);
    assert_int_equal(json_array_size(rows), 1);
    fx_expect_row(json_array_get(rows, 0), key, effective, stored, def, native);
    json_decref(r);
}

/* What the engine itself holds: the value in effect and the stored one
 * (NULL: not stored). */
static void expect_engine(struct fx *f, const char *key, const char *effective, const char *stored)
{
    char buf[4096];
    assert_int_equal(eng_setting_get(f->e, key, buf, sizeof(buf)), 0);
    assert_string_equal(buf, effective);
    int has = eng_setting_stored(f->e, key, buf, sizeof(buf));
    assert_int_equal(has, stored ? 1 : 0);
    if (stored) assert_string_equal(buf, stored);
}

static void test_proto_config_libtorrent_key_set_get_reset(void **state)
{
    struct fx *f = *state;
    expect_setting(f, "download_rate_limit", "0", NULL, "0", "0");

    json_t *r = fx_callf(f, "{\"id\":1,\"cmd\":\"config_set\",\"key\":\"download_rate_limit\","
                            "\"value\":\"12345\"}");
    fx_expect_row(fx_expect_result(r), "download_rate_limit", "12345", "12345", "0", "12345");
    json_decref(r);
    expect_engine(f, "download_rate_limit", "12345", "12345");
    expect_setting(f, "download_rate_limit", "12345", "12345", "0", "12345");

    /* a key given twice is shown once; rows keep the order asked */
    r = fx_callf(f, "{\"id\":1,\"cmd\":\"config_get\",\"keys\":[\"download_rate_limit\","
                    "\"enable_dht\",\"download_rate_limit\"]}");
    json_t *rows = fx_expect_result(r);
    assert_int_equal(json_array_size(rows), 2);
    fx_expect_row(json_array_get(rows, 0), "download_rate_limit", "12345", "12345", "0", "12345");
    /* the fixture's --set: in effect, not stored, not the default */
    fx_expect_row(json_array_get(rows, 1), "enable_dht", "false", NULL, "true", "false");
    json_decref(r);

    r = fx_callf(f, "{\"id\":1,\"cmd\":\"config_reset\",\"keys\":[\"download_rate_limit\"]}");
    rows = fx_expect_result(r);
    assert_int_equal(json_array_size(rows), 1);
    fx_expect_row(json_array_get(rows, 0), "download_rate_limit", "0", NULL, "0", "0");
    json_decref(r);
    expect_engine(f, "download_rate_limit", "0", NULL);
}

static void test_proto_config_set_takes_numbers_and_booleans_as_text(void **state)
{
    struct fx *f = *state;
    json_t *r = fx_callf(f, "{\"id\":1,\"cmd\":\"config_set\",\"key\":\"upload_rate_limit\","
                            "\"value\":4321}");
    fx_expect_row(fx_expect_result(r), "upload_rate_limit", "4321", "4321", "0", "4321");
    json_decref(r);
    r = fx_callf(f, "{\"id\":1,\"cmd\":\"config_set\",\"key\":\"announce_to_all_trackers\","
                    "\"value\":true}");
    fx_expect_row(fx_expect_result(r), "announce_to_all_trackers", "true", "true", "false", "true");
    json_decref(r);
    expect_engine(f, "announce_to_all_trackers", "true", "true");
}

struct hist_rows {
    int n;
    char row[4][200];
};

static int hist_row(int64_t time, const char *key, const char *old, const char *new_value,
                    const char *source, void *ud)
{
    (void)time;
    struct hist_rows *h = ud;
    if (h->n < 4)
        snprintf(h->row[h->n], sizeof(h->row[0]), "%s %s>%s %s", key, old ? old : "-",
                 new_value ? new_value : "-", source);
    h->n++;
    return 0;
}

/* Values are stored as read back ("yes" -> "true"); every change of the
 * stored profile, and only a change, leaves a history row. */
static void test_proto_config_stores_normalized_and_keeps_history(void **state)
{
    struct fx *f = *state;
    json_t *r = fx_callf(f, "{\"id\":1,\"cmd\":\"config_set\",\"key\":\"announce_to_all_tiers\","
                            "\"value\":\"yes\"}");
    fx_expect_row(fx_expect_result(r), "announce_to_all_tiers", "true", "true", "false", "true");
    json_decref(r);
    expect_engine(f, "announce_to_all_tiers", "true", "true");
    r = fx_callf(
        f, "{\"id\":2,\"cmd\":\"config_set\",\"key\":\"announce_to_all_tiers\",\"value\":\"on\"}");
    json_decref(r); /* the same value again: no new row */
    r = fx_callf(f, "{\"id\":3,\"cmd\":\"config_set\",\"key\":\"download_rate_limit\","
                    "\"value\":\"0070\"}");
    json_decref(r);
    expect_engine(f, "download_rate_limit", "70", "70");
    r = fx_callf(f, "{\"id\":4,\"cmd\":\"config_reset\",\"keys\":[\"announce_to_all_tiers\"]}");
    json_decref(r);
    r = fx_callf(f, "{\"id\":5,\"cmd\":\"config_reset\",\"keys\":[\"announce_to_all_tiers\"]}");
    json_decref(r); /* not stored any more: nothing changes */
    struct hist_rows h = {0};
    assert_int_equal(store_setting_history_load(f->st, 0, hist_row, &h), 0);
    assert_int_equal(h.n, 3);
    assert_string_equal(h.row[0], "announce_to_all_tiers true>- ctl");
    assert_string_equal(h.row[1], "download_rate_limit ->70 ctl");
    assert_string_equal(h.row[2], "announce_to_all_tiers ->true ctl");

    /* the same through config_history: newest first, by key, limited */
    r = fx_callf(f, "{\"id\":6,\"cmd\":\"config_history\"}");
    json_t *rows = fx_expect_result(r);
    assert_int_equal(json_array_size(rows), 3);
    json_t *first = json_array_get(rows, 0);
    fx_expect_field(first, "key", "announce_to_all_tiers");
    fx_expect_field(first, "old", "true");
    fx_expect_field(first, "new", NULL);
    fx_expect_field(first, "source", "ctl");
    assert_true(json_integer_value(json_object_get(first, "time")) > 1700000000);
    json_decref(r);
    r = fx_callf(f, "{\"id\":7,\"cmd\":\"config_history\",\"key\":\"download_rate_limit\"}");
    rows = fx_expect_result(r);
    assert_int_equal(json_array_size(rows), 1);
    fx_expect_field(json_array_get(rows, 0), "new", "70");
    json_decref(r);
    r = fx_callf(f, "{\"id\":8,\"cmd\":\"config_history\",\"limit\":2}");
    assert_int_equal(json_array_size(fx_expect_result(r)), 2);
    json_decref(r);
    r = fx_callf(f, "{\"id\":9,\"cmd\":\"config_history\",\"limit\":0}");
    fx_expect_error(r, CTL_E_BAD_REQUEST);
    json_decref(r);
    r = fx_callf(f, "{\"id\":9,\"cmd\":\"config_history\",\"key\":\"nope\"}");
    fx_expect_error(r, CTL_E_UNKNOWN_SETTING);
    json_decref(r);
}

static void test_proto_config_spate_key_has_no_native_value(void **state)
{
    struct fx *f = *state;
    expect_setting(f, "spate.status_interval_ms", "1000", NULL, "1000", NULL);
    json_t *r = fx_callf(f, "{\"id\":1,\"cmd\":\"config_set\",\"key\":\"spate.status_interval_ms\","
                            "\"value\":\"2500\"}");
    fx_expect_row(fx_expect_result(r), "spate.status_interval_ms", "2500", "2500", "1000", NULL);
    json_decref(r);
    expect_engine(f, "spate.status_interval_ms", "2500", "2500");

    /* "" is a value like any other: stored as "", not as "not stored" */
    r = fx_callf(f, "{\"id\":1,\"cmd\":\"config_set\",\"key\":\"spate.mount_dir\",\"value\":\"\"}");
    fx_expect_row(fx_expect_result(r), "spate.mount_dir", "", "", "", NULL);
    json_decref(r);
    char dir[160];
    snprintf(dir, sizeof(dir), "%s/mnt", f->dir);
    r = fx_callf(
        f, "{\"id\":1,\"cmd\":\"config_set\",\"key\":\"spate.mount_dir\",\"value\":\"%s\"}", dir);
    fx_expect_row(fx_expect_result(r), "spate.mount_dir", dir, dir, "", NULL);
    json_decref(r);

    r = fx_callf(f, "{\"id\":1,\"cmd\":\"config_reset\",\"keys\":[\"spate.mount_dir\","
                    "\"spate.status_interval_ms\"]}");
    json_t *rows = fx_expect_result(r);
    assert_int_equal(json_array_size(rows), 2);
    fx_expect_row(json_array_get(rows, 0), "spate.mount_dir", "", NULL, "", NULL);
    fx_expect_row(json_array_get(rows, 1), "spate.status_interval_ms", "1000", NULL, "1000", NULL);
    json_decref(r);
    expect_engine(f, "spate.mount_dir", "", NULL);
}

static void test_proto_config_bad_value_or_unknown_key_changes_nothing(void **state)
{
    struct fx *f = *state;
    json_t *r = fx_callf(f, "{\"id\":1,\"cmd\":\"config_set\",\"key\":\"download_rate_limit\","
                            "\"value\":\"500\"}");
    fx_expect_result(r);
    json_decref(r);

    /* values of the wrong type or out of range: the engine's message */
    const struct {
        const char *key, *value, *needle;
    } bad[] = {
        {"download_rate_limit", "abc", "'download_rate_limit' takes an integer, not 'abc'"},
        {"download_rate_limit", "", "download_rate_limit"},
        {"enable_dht", "maybe", "'enable_dht' takes true or false"},
        {"out_enc_policy", "pe_maybe", "takes one of pe_forced, pe_enabled, pe_disabled"},
        {"spate.mount_dir", "relative/dir", "absolute path"},
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        r = fx_callf(f, "{\"id\":1,\"cmd\":\"config_set\",\"key\":\"%s\",\"value\":\"%s\"}",
                     bad[i].key, bad[i].value);
        json_t *e = fx_expect_error(r, CTL_E_INVALID_VALUE);
        const char *msg = json_string_value(json_object_get(e, "message"));
        if (!strstr(msg, bad[i].needle)) fail_msg("'%s' lacks '%s'", msg, bad[i].needle);
        assert_null(strchr(msg, '\n'));
        json_decref(r);
    }
    expect_engine(f, "download_rate_limit", "500", "500");
    expect_engine(f, "enable_dht", "false", NULL);
    expect_engine(f, "spate.status_interval_ms", "1000", NULL);
    expect_engine(f, "spate.mount_dir", "", NULL);

    /* unknown keys: set, get and reset check every key before anything */
    r = fx_callf(f, "{\"id\":1,\"cmd\":\"config_set\",\"key\":\"no_such_key\",\"value\":\"1\"}");
    json_t *e = fx_expect_error(r, CTL_E_UNKNOWN_SETTING);
    assert_string_equal(json_string_value(json_object_get(e, "message")),
                        "unknown setting 'no_such_key'");
    json_decref(r);
    r = fx_callf(f, "{\"id\":1,\"cmd\":\"config_get\",\"keys\":[\"download_rate_limit\","
                    "\"no_such_key\",\"spate.nope\"]}");
    e = fx_expect_error(r, CTL_E_UNKNOWN_SETTING);
    assert_string_equal(json_string_value(json_object_get(e, "message")),
                        "unknown setting 'no_such_key'; unknown setting 'spate.nope'");
    json_decref(r);
    r = fx_callf(f, "{\"id\":1,\"cmd\":\"config_reset\",\"keys\":[\"download_rate_limit\","
                    "\"spate.nope\"]}");
    fx_expect_error(r, CTL_E_UNKNOWN_SETTING);
    json_decref(r);
    expect_engine(f, "download_rate_limit", "500", "500"); /* not reset */
    r = fx_callf(f, "{\"id\":1,\"cmd\":\"config_reset\",\"keys\":[\"\"]}");
    fx_expect_error(r, CTL_E_UNKNOWN_SETTING);
    json_decref(r);

    /* malformed requests */
    const char *malformed[] = {
        "{\"cmd\":\"config_get\",\"keys\":\"download_rate_limit\"}",
        "{\"cmd\":\"config_reset\",\"keys\":[\"download_rate_limit\",7]}",
        "{\"cmd\":\"config_set\",\"value\":\"1\"}",
        "{\"cmd\":\"config_set\",\"key\":\"download_rate_limit\"}",
        "{\"cmd\":\"config_set\",\"key\":\"download_rate_limit\",\"value\":null}",
        "{\"cmd\":\"config_set\",\"key\":\"download_rate_limit\",\"value\":1.5}",
        "{\"cmd\":\"config_set\",\"key\":\"download_rate_limit\",\"value\":[\"1\"]}",
    };
    for (size_t i = 0; i < sizeof(malformed) / sizeof(malformed[0]); i++) {
        r = fx_call(f, malformed[i], NULL);
        fx_expect_error(r, CTL_E_BAD_REQUEST);
        json_decref(r);
    }
    expect_engine(f, "download_rate_limit", "500", "500");
}

/* Regression (fec3b47): docs/protocol.md called an empty key list
 * bad_request while the handler and the CLI's `config get` relied on it
 * meaning every key; this pins what the doc now says.
 * config_get without keys or with an empty list: every session key (the
 * doc and the CLI's `config get` agree); a mistyped list or a config_reset
 * without keys: bad_request; a group: its keys; a set that is clamped says
 * so in "warning" and stores the clamped value. */
static void test_proto_config_groups_all_and_clamping(void **state)
{
    struct fx *f = *state;
    size_t n_session = 0, n_proxy = 0;
    for (size_t i = 0; i < reg_count(); i++) {
        n_session += (reg_at(i)->scope & REG_SESSION) != 0;
        n_proxy += strcmp(reg_at(i)->group, "proxy") == 0;
    }
    json_t *r = fx_callf(f, "{\"id\":1,\"cmd\":\"config_get\"}");
    json_t *rows = fx_expect_result(r);
    assert_int_equal(json_array_size(rows), n_session);
    json_decref(r);
    /* an empty list is "nothing named" too: every key, as the doc says */
    r = fx_callf(f, "{\"id\":1,\"cmd\":\"config_get\",\"keys\":[]}");
    rows = fx_expect_result(r);
    assert_int_equal(json_array_size(rows), n_session);
    json_decref(r);
    /* keys of the wrong type, or a reset without keys: bad_request */
    const char *bad[] = {
        "{\"id\":1,\"cmd\":\"config_get\",\"keys\":null}",
        "{\"id\":1,\"cmd\":\"config_get\",\"keys\":{}}",
        "{\"id\":1,\"cmd\":\"config_get\",\"keys\":[7]}",
        "{\"id\":1,\"cmd\":\"config_reset\"}",
        "{\"id\":1,\"cmd\":\"config_reset\",\"keys\":[]}",
    };
    for (size_t b = 0; b < sizeof bad / sizeof bad[0]; b++) {
        r = fx_call(f, bad[b], NULL);
        fx_expect_error(r, CTL_E_BAD_REQUEST);
        json_decref(r);
    }
    r = fx_callf(f, "{\"id\":1,\"cmd\":\"config_get\",\"keys\":[\"proxy\",\"proxy_type\"]}");
    rows = fx_expect_result(r);
    assert_int_equal(json_array_size(rows), n_proxy);
    size_t i;
    json_t *row;
    json_array_foreach(rows, i, row)
    {
        assert_string_equal(json_string_value(json_object_get(row, "group")), "proxy");
    }
    json_decref(r);
    /* per-torrent keys are not session settings */
    r = fx_callf(f, "{\"id\":1,\"cmd\":\"config_get\",\"keys\":[\"download_limit\"]}");
    json_t *e = fx_expect_error(r, CTL_E_UNKNOWN_SETTING);
    assert_non_null(strstr(json_string_value(json_object_get(e, "message")), "per-torrent"));
    json_decref(r);

    r = fx_callf(f, "{\"id\":1,\"cmd\":\"config_set\",\"key\":\"spate.status_interval_ms\","
                    "\"value\":\"5\"}");
    row = fx_expect_result(r);
    assert_non_null(strstr(json_string_value(json_object_get(row, "warning")),
                           "between 100 and 60000: 5 clamped to 100"));
    fx_expect_field(row, "stored", "100");
    json_decref(r);
    expect_engine(f, "spate.status_interval_ms", "100", "100");
}

static void test_proto_config_stored_value_applies_after_reopen(void **state)
{
    struct fx *f = *state;
    const char *reqs[] = {
        "{\"cmd\":\"config_set\",\"key\":\"download_rate_limit\",\"value\":\"12345\"}",
        "{\"cmd\":\"config_set\",\"key\":\"spate.status_interval_ms\",\"value\":\"2500\"}",
        "{\"cmd\":\"config_set\",\"key\":\"upload_rate_limit\",\"value\":\"999\"}",
        "{\"cmd\":\"config_reset\",\"keys\":[\"upload_rate_limit\"]}",
    };
    for (size_t i = 0; i < sizeof(reqs) / sizeof(reqs[0]); i++) {
        json_t *r = fx_call(f, reqs[i], NULL);
        fx_expect_result(r);
        json_decref(r);
    }

    /* a new engine on the same store, as after a restart */
    fx_close_engine(f);
    assert_int_equal(fx_open_engine(f), 0);
    expect_setting(f, "download_rate_limit", "12345", "12345", "0", "12345");
    expect_setting(f, "spate.status_interval_ms", "2500", "2500", "1000", NULL);
    expect_setting(f, "upload_rate_limit", "0", NULL, "0", "0"); /* reset stays reset */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
#define ENG_TEST(t) cmocka_unit_test_setup_teardown(t, fx_setup, fx_teardown)
        ENG_TEST(test_proto_config_libtorrent_key_set_get_reset),
        ENG_TEST(test_proto_config_set_takes_numbers_and_booleans_as_text),
        ENG_TEST(test_proto_config_stores_normalized_and_keeps_history),
        ENG_TEST(test_proto_config_spate_key_has_no_native_value),
        ENG_TEST(test_proto_config_bad_value_or_unknown_key_changes_nothing),
        ENG_TEST(test_proto_config_groups_all_and_clamping),
        ENG_TEST(test_proto_config_stored_value_applies_after_reopen),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
