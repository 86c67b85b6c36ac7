/*
 * test_ctl_torrent_set.c — per-torrent settings through the control
 * protocol against a real engine: set and get, info's settings, add's
 * opts, and the category commands.
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

/* --- per-torrent settings: set, get, info's settings; add's opts; categories ---------- */

/* Sends `set` of key=VALUE (a JSON literal) on torrent `id` and asserts
 * its one row reads back `want`, without a warning. */
static void expect_set(struct fx *f, int id, const char *key, const char *value_json,
                       const char *want)
{
    json_t *r = fx_callf(f, "{\"id\":1,\"cmd\":\"set\",\"ids\":[%d],\"key\":\"%s\",\"value\":%s}",
                         id, key, value_json);
    json_t *rows = fx_expect_result(r);
    assert_int_equal(json_array_size(rows), 1);
    json_t *row = json_array_get(rows, 0);
    assert_int_equal(json_integer_value(json_object_get(row, "id")), id);
    assert_string_equal(json_string_value(json_object_get(row, "key")), key);
    if (!json_is_string(json_object_get(row, "value")))
        fail_msg("set %s=%s: no value read back", key, value_json);
    assert_string_equal(json_string_value(json_object_get(row, "value")), want);
    assert_null(json_object_get(row, "warning"));
    json_decref(r);
}

/* `get` of one key of torrent `id`: asserts the value. */
static void expect_opt(struct fx *f, int id, const char *key, const char *want)
{
    json_t *r =
        fx_callf(f, "{\"id\":1,\"cmd\":\"get\",\"ids\":[\"%d\"],\"keys\":[\"%s\"]}", id, key);
    json_t *rows = fx_expect_result(r);
    assert_int_equal(json_array_size(rows), 1);
    json_t *row = json_array_get(rows, 0);
    assert_int_equal(json_integer_value(json_object_get(row, "id")), id);
    assert_string_equal(json_string_value(json_object_get(row, "key")), key);
    assert_string_equal(json_string_value(json_object_get(row, "value")), want);
    json_decref(r);
}

/* Sends a request that must fail with `code`; asserts its message holds
 * `needle` (NULL: any). */
static void expect_failure(struct fx *f, const char *code, const char *needle, const char *fmt, ...)
{
    char line[4096];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof(line), fmt, ap);
    va_end(ap);
    json_t *r = fx_call(f, line, NULL);
    json_t *e = fx_expect_error(r, code);
    const char *msg = json_string_value(json_object_get(e, "message"));
    if (needle && !strstr(msg, needle)) fail_msg("'%s' lacks '%s'", msg, needle);
    json_decref(r);
}

static void test_proto_set_get_limits_and_flags(void **state)
{
    struct fx *f = *state;
    int id;
    json_decref(fx_add_torrent(f, "opts.bin", &id));
    fx_wait_for_status(f, id);

    expect_opt(f, id, "download_limit", "0");
    expect_set(f, id, "download_limit", "\"1000\"", "1000");
    expect_set(f, id, "upload_limit", "2000", "2000"); /* an integer is taken as its text */
    expect_set(f, id, "max_uploads", "5", "5");
    expect_set(f, id, "sequential_download", "true", "true");
    expect_set(f, id, "pex", "\"no\"", "false");
    expect_set(f, id, "auto_managed", "true", "true");
    expect_set(f, id, "auto_managed", "false", "false");
    expect_set(f, id, "super_seeding", "true", "true");
    expect_set(f, id, "super_seeding", "false", "false");
    expect_opt(f, id, "download_limit", "1000");
    expect_opt(f, id, "sequential_download", "true");
    expect_opt(f, id, "pex", "false");

    /* out of range: clamped, with a warning */
    json_t *r = fx_callf(f,
                         "{\"id\":1,\"cmd\":\"set\",\"ids\":[%d],\"key\":\"max_connections\","
                         "\"value\":70000}",
                         id);
    json_t *row = json_array_get(fx_expect_result(r), 0);
    assert_string_equal(json_string_value(json_object_get(row, "value")), "65535");
    assert_non_null(json_string_value(json_object_get(row, "warning")));
    json_decref(r);

    /* get without keys: every per-torrent key, registry order */
    r = fx_callf(f, "{\"id\":1,\"cmd\":\"get\",\"ids\":[%d]}", id);
    json_t *rows = fx_expect_result(r);
    assert_int_equal(json_array_size(rows), fx_n_torrent_keys());
    assert_string_equal(json_string_value(json_object_get(json_array_get(rows, 0), "key")),
                        "download_limit");
    json_decref(r);
    /* a key asked twice is shown once */
    r = fx_callf(f, "{\"id\":1,\"cmd\":\"get\",\"ids\":[%d],\"keys\":[\"pex\",\"tags\",\"pex\"]}",
                 id);
    rows = fx_expect_result(r);
    assert_int_equal(json_array_size(rows), 2);
    assert_string_equal(json_string_value(json_object_get(json_array_get(rows, 1), "key")), "tags");
    assert_string_equal(json_string_value(json_object_get(json_array_get(rows, 1), "value")), "");
    json_decref(r);

    /* info carries every setting, the category and the tags */
    r = fx_callf(f, "{\"id\":1,\"cmd\":\"info\",\"ids\":[%d]}", id);
    json_t *t = json_array_get(fx_expect_result(r), 0);
    json_t *settings = json_object_get(t, "settings");
    assert_int_equal(json_object_size(settings), fx_n_torrent_keys());
    assert_string_equal(json_string_value(json_object_get(settings, "upload_limit")), "2000");
    assert_string_equal(json_string_value(json_object_get(settings, "max_connections")), "65535");
    assert_string_equal(json_string_value(json_object_get(settings, "save_path")), f->dl);
    assert_string_equal(json_string_value(json_object_get(t, "category")), "");
    assert_string_equal(json_string_value(json_object_get(t, "tags")), "");
    json_decref(r);
}

static void test_proto_set_queue_position_top_and_bottom(void **state)
{
    struct fx *f = *state;
    int a, b;
    json_decref(fx_add_torrent(f, "qa.bin", &a));
    json_decref(fx_add_torrent(f, "qb.bin", &b));
    expect_opt(f, a, "queue_position", "0");
    expect_opt(f, b, "queue_position", "1");
    expect_set(f, a, "queue_position", "\"bottom\"", "1");
    expect_opt(f, b, "queue_position", "0");
    expect_set(f, a, "queue_position", "\"top\"", "0");
    expect_opt(f, b, "queue_position", "1");
    expect_set(f, b, "queue_position", "0", "0");
    expect_opt(f, a, "queue_position", "1");
    expect_set(f, b, "queue_position", "\"down\"", "1");
    expect_opt(f, a, "queue_position", "0");
}

static void test_proto_set_trackers_and_web_seeds_with_edits(void **state)
{
    struct fx *f = *state;
    int id;
    json_decref(fx_add_torrent(f, "tr.bin", &id));
    expect_opt(f, id, "trackers", "");
    /* two tiers: "|" starts the next (BEP 12). Each tracker on a host of its
     * own: libtorrent's prefer_udp_trackers swaps a udp and an http tracker
     * of one host */
    expect_set(f, id, "trackers",
               "\"http://127.0.0.1:1/announce,http://127.0.0.2:1/announce|udp://127.0.0.3:1\"",
               "http://127.0.0.1:1/announce,http://127.0.0.2:1/announce|udp://127.0.0.3:1");
    /* "+X" adds a tier of its own, "-X" removes */
    expect_set(f, id, "trackers", "\"+http://127.0.0.4:1/announce\"",
               "http://127.0.0.1:1/announce,http://127.0.0.2:1/announce|udp://127.0.0.3:1"
               "|http://127.0.0.4:1/announce");
    expect_set(f, id, "trackers", "\"-http://127.0.0.1:1/announce\"",
               "http://127.0.0.2:1/announce|udp://127.0.0.3:1|http://127.0.0.4:1/announce");
    /* a plain value replaces them all */
    expect_set(f, id, "trackers", "\"http://127.0.0.5:1/announce\"", "http://127.0.0.5:1/announce");

    expect_opt(f, id, "web_seeds", "");
    expect_set(f, id, "web_seeds", "\"http://127.0.0.1:6/ws/\"", "http://127.0.0.1:6/ws/");
    expect_set(f, id, "web_seeds", "\"+http://127.0.0.1:7/ws/\"",
               "http://127.0.0.1:6/ws/,http://127.0.0.1:7/ws/");
    expect_set(f, id, "web_seeds", "\"-http://127.0.0.1:6/ws/\"", "http://127.0.0.1:7/ws/");
    /* not a URL: nothing changes */
    expect_failure(f, CTL_E_INVALID_VALUE, NULL,
                   "{\"id\":1,\"cmd\":\"set\",\"ids\":[%d],\"key\":\"web_seeds\",\"value\":"
                   "\"not a url\"}",
                   id);
    expect_opt(f, id, "web_seeds", "http://127.0.0.1:7/ws/");
}

static void test_proto_set_tags_and_category(void **state)
{
    struct fx *f = *state;
    int a, b;
    json_decref(fx_add_torrent(f, "ta.bin", &a));
    json_decref(fx_add_torrent(f, "tb.bin", &b));
    expect_set(f, a, "tags", "\" x , y \"", "x,y");
    expect_set(f, a, "tags", "\"+z\"", "x,y,z");
    expect_set(f, a, "tags", "\"-x\"", "y,z");
    assert_string_equal(eng_torrent_by_id(f->e, a)->tags, "y,z");

    /* a category must exist first */
    expect_failure(f, CTL_E_INVALID_VALUE, "no category 'movies'",
                   "{\"id\":1,\"cmd\":\"set\",\"ids\":[%d],\"key\":\"category\",\"value\":"
                   "\"movies\"}",
                   a);
    expect_opt(f, a, "category", "");
    json_t *r = fx_callf(f, "{\"id\":1,\"cmd\":\"category_set\",\"name\":\"movies\","
                            "\"download_limit\":5000}");
    fx_expect_result(r);
    json_decref(r);
    /* and then brings its defaults: here the download limit */
    expect_set(f, a, "category", "\"movies\"", "movies");
    expect_opt(f, a, "download_limit", "5000");
    expect_opt(f, b, "download_limit", "0");
    assert_string_equal(eng_torrent_by_id(f->e, a)->category, "movies");

    /* ls shows them and filters on them */
    r = fx_callf(f, "{\"id\":1,\"cmd\":\"ls\"}");
    json_t *ls = fx_expect_result(r);
    assert_int_equal(json_array_size(ls), 2);
    assert_string_equal(json_string_value(json_object_get(json_array_get(ls, 0), "category")),
                        "movies");
    assert_string_equal(json_string_value(json_object_get(json_array_get(ls, 0), "tags")), "y,z");
    assert_string_equal(json_string_value(json_object_get(json_array_get(ls, 1), "category")), "");
    json_decref(r);
    const struct {
        const char *filter;
        int n;
    } filters[] = {{"\"category\":\"movies\"", 1},
                   {"\"category\":\"tv\"", 0},
                   {"\"tag\":\"z\"", 1},
                   {"\"tag\":\"y,z\"", 0},
                   {"\"tag\":\"\"", 0},
                   {"\"category\":\"\"", 1},
                   {"\"category\":\"movies\",\"tag\":\"y\"", 1}};
    for (size_t i = 0; i < sizeof(filters) / sizeof(filters[0]); i++) {
        r = fx_callf(f, "{\"id\":1,\"cmd\":\"ls\",%s}", filters[i].filter);
        ls = fx_expect_result(r);
        if ((int)json_array_size(ls) != filters[i].n)
            fail_msg("ls %s: %zu rows, not %d", filters[i].filter, json_array_size(ls),
                     filters[i].n);
        json_decref(r);
    }
    expect_failure(f, CTL_E_BAD_REQUEST, NULL, "{\"id\":1,\"cmd\":\"ls\",\"tag\":3}");

    /* removing the category takes it off its torrents */
    r = fx_callf(f, "{\"id\":1,\"cmd\":\"category_remove\",\"name\":\"movies\"}");
    fx_expect_result(r);
    json_decref(r);
    expect_opt(f, a, "category", "");
}

static void test_proto_set_save_path_moves_the_torrent(void **state)
{
    struct fx *f = *state;
    int id;
    json_decref(fx_add_torrent(f, "mv.bin", &id));
    fx_wait_for_status(f, id);
    char to[160];
    snprintf(to, sizeof(to), "%s/moved", f->dir);
    json_t *r = fx_callf(f,
                         "{\"id\":1,\"cmd\":\"set\",\"ids\":[%d],\"key\":\"save_path\",\"value\":"
                         "\"%s\"}",
                         id, to);
    fx_expect_result(r);
    json_decref(r);
    /* move_storage is asynchronous: "moving" until the loop brings its alert */
    assert_true(eng_torrent_by_id(f->e, id)->moving);
    uint64_t deadline = uv_hrtime() / 1000000 + 5000;
    while (strcmp(eng_torrent_by_id(f->e, id)->save_path, to) != 0) {
        if (uv_hrtime() / 1000000 > deadline) fail_msg("torrent %d not moved within 5 s", id);
        uv_run(&f->loop, UV_RUN_NOWAIT);
        usleep(2000);
    }
    assert_false(eng_torrent_by_id(f->e, id)->moving);
    expect_opt(f, id, "save_path", to);
    /* a relative path is refused */
    expect_failure(f, CTL_E_INVALID_VALUE, NULL,
                   "{\"id\":1,\"cmd\":\"set\",\"ids\":[%d],\"key\":\"save_path\",\"value\":"
                   "\"rel/dir\"}",
                   id);
    expect_opt(f, id, "save_path", to);
}

static void test_proto_set_bad_request_changes_nothing(void **state)
{
    struct fx *f = *state;
    int a, b;
    json_decref(fx_add_torrent(f, "ba.bin", &a));
    json_decref(fx_add_torrent(f, "bb.bin", &b));
    json_t *r = fx_callf(f,
                         "{\"id\":1,\"cmd\":\"set\",\"ids\":[%d,\"%d\",%d],\"key\":"
                         "\"download_limit\",\"value\":1000}",
                         a, b, a);
    json_t *rows = fx_expect_result(r);
    assert_int_equal(json_array_size(rows), 2); /* an ID given twice acts once */
    assert_int_equal(json_integer_value(json_object_get(json_array_get(rows, 1), "id")), b);
    json_decref(r);

    /* a bad value: the engine's message, checked before any torrent */
    expect_failure(f, CTL_E_INVALID_VALUE, "fast",
                   "{\"id\":1,\"cmd\":\"set\",\"ids\":[%d,%d],\"key\":\"download_limit\","
                   "\"value\":\"fast\"}",
                   a, b);
    /* an unknown key; a session key says where it belongs */
    expect_failure(f, CTL_E_UNKNOWN_SETTING, "unknown setting 'dl_limit'",
                   "{\"id\":1,\"cmd\":\"set\",\"ids\":[%d],\"key\":\"dl_limit\",\"value\":1}", a);
    expect_failure(f, CTL_E_UNKNOWN_SETTING, "spate config set download_rate_limit",
                   "{\"id\":1,\"cmd\":\"set\",\"ids\":[%d],\"key\":\"download_rate_limit\","
                   "\"value\":1}",
                   a);
    /* one ID that does not resolve */
    expect_failure(f, CTL_E_NOT_FOUND, "'42'",
                   "{\"id\":1,\"cmd\":\"set\",\"ids\":[%d,42],\"key\":\"download_limit\","
                   "\"value\":5}",
                   a);
    /* shapes */
    const char *bad[] = {
        "{\"id\":1,\"cmd\":\"set\",\"ids\":[1],\"value\":5}",
        "{\"id\":1,\"cmd\":\"set\",\"ids\":[1],\"key\":\"download_limit\"}",
        "{\"id\":1,\"cmd\":\"set\",\"ids\":[1],\"key\":\"download_limit\",\"value\":null}",
        "{\"id\":1,\"cmd\":\"set\",\"ids\":[1],\"key\":\"download_limit\",\"value\":[5]}",
        "{\"id\":1,\"cmd\":\"set\",\"key\":\"download_limit\",\"value\":5}",
        "{\"id\":1,\"cmd\":\"get\",\"ids\":[1],\"keys\":\"pex\"}",
        "{\"id\":1,\"cmd\":\"get\",\"ids\":[1],\"keys\":[1]}",
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        expect_failure(f, CTL_E_BAD_REQUEST, NULL, "%s", bad[i]);
    expect_failure(f, CTL_E_UNKNOWN_SETTING, "unknown setting 'nope'; 'enable_dht' is a session",
                   "{\"id\":1,\"cmd\":\"get\",\"ids\":[1],\"keys\":[\"pex\",\"nope\","
                   "\"enable_dht\"]}");
    expect_opt(f, a, "download_limit", "1000");
    expect_opt(f, b, "download_limit", "1000");

    /* first_last_piece needs the files of every torrent: a magnet without
     * metadata stops the whole request */
    int m = fx_add_magnet(f);
    expect_failure(f, CTL_E_NO_METADATA, "no metadata",
                   "{\"id\":1,\"cmd\":\"set\",\"ids\":[%d,%d],\"key\":\"first_last_piece\","
                   "\"value\":true}",
                   a, m);
    expect_opt(f, a, "first_last_piece", "false");
    expect_set(f, a, "first_last_piece", "true", "true");
}

static void test_proto_add_with_opts_applies_them(void **state)
{
    struct fx *f = *state;
    json_t *r = fx_callf(f, "{\"id\":1,\"cmd\":\"category_set\",\"name\":\"tv\","
                            "\"download_limit\":5000,\"upload_limit\":3000}");
    fx_expect_result(r);
    json_decref(r);
    char path[160];
    snprintf(path, sizeof(path), "%s/withopts.torrent", f->dir);
    fx_write_torrent(path, "withopts.bin");
    /* the category comes first, so an explicit limit wins over its own */
    r = fx_callf(f,
                 "{\"id\":1,\"cmd\":\"add\",\"paused\":true,\"sources\":[\"%s\"],"
                 "\"opts\":{\"download_limit\":1000,\"sequential_download\":true,"
                 "\"trackers\":\"http://127.0.0.1:1/announce\"},\"category\":\"tv\","
                 "\"tags\":\"x,y\"}",
                 path);
    json_t *one = json_array_get(fx_expect_result(r), 0);
    assert_null(json_object_get(one, "error"));
    int id = (int)json_integer_value(json_object_get(one, "id"));
    json_decref(r);
    expect_opt(f, id, "download_limit", "1000");
    expect_opt(f, id, "upload_limit", "3000");
    expect_opt(f, id, "sequential_download", "true");
    expect_opt(f, id, "trackers", "http://127.0.0.1:1/announce");
    expect_opt(f, id, "category", "tv");
    expect_opt(f, id, "tags", "x,y");

    /* "KEY=VALUE" strings work too */
    snprintf(path, sizeof(path), "%s/arr.torrent", f->dir);
    fx_write_torrent(path, "arr.bin");
    r = fx_callf(f,
                 "{\"id\":1,\"cmd\":\"add\",\"paused\":true,\"sources\":[\"%s\"],"
                 "\"opts\":[\"pex=false\",\"max_uploads=3\"],\"seed_mode\":false}",
                 path);
    one = json_array_get(fx_expect_result(r), 0);
    id = (int)json_integer_value(json_object_get(one, "id"));
    json_decref(r);
    expect_opt(f, id, "pex", "false");
    expect_opt(f, id, "max_uploads", "3");
    expect_opt(f, id, "category", "");
}

static void test_proto_add_with_bad_opt_adds_nothing(void **state)
{
    struct fx *f = *state;
    char path[160];
    snprintf(path, sizeof(path), "%s/bad.torrent", f->dir);
    fx_write_torrent(path, "bad.bin");
    const struct {
        const char *code, *fields;
    } bad[] = {
        {CTL_E_INVALID_VALUE, "\"opts\":{\"download_limit\":\"fast\"}"},
        {CTL_E_INVALID_VALUE, "\"opts\":[\"pex=maybe\"]"},
        {CTL_E_INVALID_VALUE, "\"category\":\"nonexistent\""},
        {CTL_E_UNKNOWN_SETTING, "\"opts\":{\"nope\":1}"},
        {CTL_E_UNKNOWN_SETTING, "\"opts\":{\"enable_dht\":true}"},
        {CTL_E_BAD_REQUEST, "\"opts\":\"pex=false\""},
        {CTL_E_BAD_REQUEST, "\"opts\":[\"pex\"]"},
        {CTL_E_BAD_REQUEST, "\"opts\":[\"=1\"]"},
        {CTL_E_BAD_REQUEST, "\"opts\":{\"pex\":null}"},
        {CTL_E_BAD_REQUEST, "\"tags\":[\"a\"]"},
        {CTL_E_BAD_REQUEST, "\"seed_mode\":\"yes\""},
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        expect_failure(f, bad[i].code, NULL,
                       "{\"id\":1,\"cmd\":\"add\",\"paused\":true,\"sources\":[\"%s\"],%s}", path,
                       bad[i].fields);
        if (eng_torrent_count(f->e) != 0) fail_msg("added despite %s", bad[i].fields);
    }
}

static void test_proto_category_set_list_remove(void **state)
{
    struct fx *f = *state;
    json_t *r = fx_callf(f, "{\"id\":1,\"cmd\":\"category_list\"}");
    assert_int_equal(json_array_size(fx_expect_result(r)), 0);
    json_decref(r);

    /* missing fields take the defaults */
    r = fx_callf(f, "{\"id\":1,\"cmd\":\"category_set\",\"name\":\"tv\"}");
    fx_expect_category(fx_expect_result(r), "tv", "", 0, 0, -1, -1);
    json_decref(r);
    r = fx_callf(f, "{\"id\":1,\"cmd\":\"category_set\",\"name\":\"movies\",\"save_path\":"
                    "\"/srv/movies\",\"download_limit\":1,\"upload_limit\":2,"
                    "\"share_ratio_limit\":150,\"seed_time_limit\":3600}");
    fx_expect_category(fx_expect_result(r), "movies", "/srv/movies", 1, 2, 150, 3600);
    json_decref(r);
    /* set replaces */
    r = fx_callf(f, "{\"id\":1,\"cmd\":\"category_set\",\"name\":\"tv\",\"upload_limit\":7}");
    fx_expect_category(fx_expect_result(r), "tv", "", 0, 7, -1, -1);
    json_decref(r);

    r = fx_callf(f, "{\"id\":1,\"cmd\":\"category_list\"}");
    json_t *list = fx_expect_result(r);
    assert_int_equal(json_array_size(list), 2); /* in name order */
    fx_expect_category(json_array_get(list, 0), "movies", "/srv/movies", 1, 2, 150, 3600);
    fx_expect_category(json_array_get(list, 1), "tv", "", 0, 7, -1, -1);
    json_decref(r);

    const char *bad_request[] = {
        "{\"id\":1,\"cmd\":\"category_set\"}",
        "{\"id\":1,\"cmd\":\"category_set\",\"name\":3}",
        "{\"id\":1,\"cmd\":\"category_set\",\"name\":\"x\",\"download_limit\":\"5\"}",
        "{\"id\":1,\"cmd\":\"category_set\",\"name\":\"x\",\"save_path\":1}",
        "{\"id\":1,\"cmd\":\"category_remove\"}",
    };
    for (size_t i = 0; i < sizeof(bad_request) / sizeof(bad_request[0]); i++)
        expect_failure(f, CTL_E_BAD_REQUEST, NULL, "%s", bad_request[i]);
    const char *invalid[] = {
        "{\"id\":1,\"cmd\":\"category_set\",\"name\":\"\"}",
        "{\"id\":1,\"cmd\":\"category_set\",\"name\":\"a,b\"}",
        "{\"id\":1,\"cmd\":\"category_set\",\"name\":\"x\",\"save_path\":\"rel\"}",
        "{\"id\":1,\"cmd\":\"category_set\",\"name\":\"x\",\"download_limit\":-5}",
        "{\"id\":1,\"cmd\":\"category_set\",\"name\":\"x\",\"seed_time_limit\":-2}",
    };
    for (size_t i = 0; i < sizeof(invalid) / sizeof(invalid[0]); i++)
        expect_failure(f, CTL_E_INVALID_VALUE, NULL, "%s", invalid[i]);

    r = fx_callf(f, "{\"id\":1,\"cmd\":\"category_remove\",\"name\":\"tv\"}");
    assert_string_equal(json_string_value(json_object_get(fx_expect_result(r), "name")), "tv");
    json_decref(r);
    expect_failure(f, CTL_E_NOT_FOUND, "'tv'",
                   "{\"id\":1,\"cmd\":\"category_remove\",\"name\":\"tv\"}");
    r = fx_callf(f, "{\"id\":1,\"cmd\":\"category_list\"}");
    list = fx_expect_result(r);
    assert_int_equal(json_array_size(list), 1);
    fx_expect_category(json_array_get(list, 0), "movies", "/srv/movies", 1, 2, 150, 3600);
    json_decref(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
#define ENG_TEST(t) cmocka_unit_test_setup_teardown(t, fx_setup, fx_teardown)
        ENG_TEST(test_proto_set_get_limits_and_flags),
        ENG_TEST(test_proto_set_queue_position_top_and_bottom),
        ENG_TEST(test_proto_set_trackers_and_web_seeds_with_edits),
        ENG_TEST(test_proto_set_tags_and_category),
        ENG_TEST(test_proto_set_save_path_moves_the_torrent),
        ENG_TEST(test_proto_set_bad_request_changes_nothing),
        ENG_TEST(test_proto_add_with_opts_applies_them),
        ENG_TEST(test_proto_add_with_bad_opt_adds_nothing),
        ENG_TEST(test_proto_category_set_list_remove),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
