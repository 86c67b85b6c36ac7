/*
 * test_protocol.c — unit tests for the control protocol (src/ctl/): the
 * line framer, ctl_handle_line() against a real engine (a libtorrent
 * session on loopback only, DHT/LSD/UPnP/NAT-PMP off, fresh data dir and
 * store per test) including the settings profile across a reopen of the
 * store, the server on a real unix socket, and the CLI client talking to
 * that server end to end.
 */
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
#include "store/store.h"

/* --- fixture: a real engine on its own loop ---------------------------------- */

static const struct eng_setting loopback_settings[] = {
    {"enable_dht", "false"},
    {"enable_lsd", "false"},
    {"enable_upnp", "false"},
    {"enable_natpmp", "false"},
    {"listen_interfaces", "127.0.0.1:0"},
};

struct fx {
    uv_loop_t loop;
    char dir[64];
    char dl[96];
    char sock[96];
    struct store *st;
    struct eng *e;
    struct ctl_server *srv;
    int quits; /* on_quit calls */
};

static void rm_rf(const char *path)
{
    char cmd[256];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", path);
    if (system(cmd) != 0) fprintf(stderr, "cannot remove %s\n", path);
}

/* Opens store and engine for `f` on `f->loop` (already initialised). */
static int fx_open_engine(struct fx *f)
{
    char path[128], err[256] = "";
    snprintf(path, sizeof(path), "%s/spate.db", f->dir);
    if (store_open(path, &f->st, err, sizeof(err)) != 0) {
        fprintf(stderr, "store_open: %s\n", err);
        return -1;
    }
    struct eng_options o = {
        .data_dir = f->dir,
        .download_dir = f->dl,
        .settings = loopback_settings,
        .n_settings = sizeof(loopback_settings) / sizeof(loopback_settings[0]),
    };
    if (eng_new(&f->loop, f->st, &o, &f->e, err, sizeof(err)) != 0) {
        fprintf(stderr, "eng_new: %s\n", err);
        return -1;
    }
    return 0;
}

static int fx_init_dirs(struct fx *f)
{
    snprintf(f->dir, sizeof(f->dir), "/tmp/spate-test-XXXXXX");
    if (!mkdtemp(f->dir)) return -1;
    snprintf(f->dl, sizeof(f->dl), "%s/dl", f->dir);
    snprintf(f->sock, sizeof(f->sock), "%s/control.sock", f->dir);
    return mkdir(f->dl, 0700);
}

static int fx_setup(void **state)
{
    struct fx *f = calloc(1, sizeof(*f));
    if (!f || fx_init_dirs(f) != 0) return -1;
    uv_loop_init(&f->loop);
    if (fx_open_engine(f) != 0) return -1;
    *state = f;
    return 0;
}

static void fx_close_engine(struct fx *f)
{
    if (f->srv) ctl_server_close(f->srv);
    f->srv = NULL;
    if (f->e) eng_shutdown(f->e, 2000);
    uv_run(&f->loop, UV_RUN_DEFAULT); /* lets every handle close */
    eng_free(f->e);
    f->e = NULL;
    store_close(f->st);
    f->st = NULL;
}

static int fx_teardown(void **state)
{
    struct fx *f = *state;
    fx_close_engine(f);
    assert_int_equal(uv_loop_close(&f->loop), 0);
    rm_rf(f->dir);
    free(f);
    return 0;
}

/* --- helpers ---------------------------------------------------------------------- */

/* Sends one request line through ctl_handle_line and parses the reply. */
static json_t *call(struct fx *f, const char *line, bool *quit)
{
    bool q = false;
    char *out = ctl_handle_line(f->e, line, strlen(line), quit ? quit : &q);
    assert_non_null(out);
    assert_null(strchr(out, '\n')); /* one line per reply */
    json_error_t jerr;
    json_t *r = json_loads(out, 0, &jerr);
    if (!json_is_object(r)) fail_msg("reply is not a JSON object: %s", out);
    free(out);
    return r;
}

/* call() with a printf-formatted request. */
static json_t *callf(struct fx *f, const char *fmt, ...)
{
    char line[4096];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof(line), fmt, ap);
    va_end(ap);
    return call(f, line, NULL);
}

/* Asserts the reply is an error with `code`; returns the error object. */
static json_t *expect_error(json_t *r, const char *code)
{
    json_t *e = json_object_get(r, "error");
    if (!json_is_object(e)) {
        char *s = json_dumps(r, 0);
        fail_msg("expected error %s, got %s", code, s);
    }
    assert_null(json_object_get(r, "result"));
    assert_string_equal(json_string_value(json_object_get(e, "code")), code);
    const char *msg = json_string_value(json_object_get(e, "message"));
    assert_non_null(msg);
    assert_true(strlen(msg) > 0);
    return e;
}

static json_t *expect_result(json_t *r)
{
    json_t *res = json_object_get(r, "result");
    if (!res || json_object_get(r, "error")) {
        char *s = json_dumps(r, 0);
        fail_msg("expected a result, got %s", s);
    }
    return res;
}

/* A minimal single-file .torrent (one 16 KiB piece, data not on disk). */
static void write_torrent(const char *path, const char *name)
{
    FILE *fp = fopen(path, "wb");
    assert_non_null(fp);
    fprintf(fp,
            "d4:infod6:lengthi16384e4:name%zu:%s12:piece lengthi16384e6:pieces20:", strlen(name),
            name);
    fputs("AAAAAAAAAAAAAAAAAAAA", fp);
    fputs("ee", fp);
    fclose(fp);
}

/* Runs the loop until the row of `id` has its size (the engine fills rows
 * from libtorrent's status updates, once a second by default). */
static void wait_for_status(struct fx *f, int id)
{
    uint64_t deadline = uv_hrtime() / 1000000 + 5000;
    while (uv_hrtime() / 1000000 < deadline) {
        const struct eng_torrent *t = eng_torrent_by_id(f->e, id);
        if (t && t->total_bytes > 0) return;
        uv_run(&f->loop, UV_RUN_NOWAIT);
        usleep(2000);
    }
    fail_msg("no status update for torrent %d within 5 s", id);
}

static json_t *add_torrent(struct fx *f, const char *name, int *id_out)
{
    char path[160];
    snprintf(path, sizeof(path), "%s/%s.torrent", f->dir, name);
    write_torrent(path, name);
    json_t *r = callf(f, "{\"id\":1,\"cmd\":\"add\",\"sources\":[\"%s\"],\"paused\":true}", path);
    json_t *res = expect_result(r);
    assert_int_equal(json_array_size(res), 1);
    json_t *one = json_array_get(res, 0);
    assert_null(json_object_get(one, "error"));
    assert_string_equal(json_string_value(json_object_get(one, "source")), path);
    *id_out = (int)json_integer_value(json_object_get(one, "id"));
    assert_true(*id_out >= 1);
    return r;
}

/* A multi-file .torrent "multi" (three 16 KiB pieces, data not on disk):
 * 0 multi/a.txt 1000 B, 1 a BEP 47 pad file of 15384 B, 2 multi/sub/b.bin
 * 20000 B, 3 multi/c.txt 5 B. */
static void write_multi_torrent(const char *path)
{
    FILE *fp = fopen(path, "wb");
    assert_non_null(fp);
    fputs("d4:infod5:filesl"
          "d6:lengthi1000e4:pathl5:a.txtee"
          "d4:attr1:p6:lengthi15384e4:pathl4:.pad5:15384ee"
          "d6:lengthi20000e4:pathl3:sub5:b.binee"
          "d6:lengthi5e4:pathl5:c.txtee"
          "e4:name5:multi12:piece lengthi16384e6:pieces60:",
          fp);
    for (int i = 0; i < 60; i++)
        fputc('A', fp);
    fputs("ee", fp);
    fclose(fp);
}

static int add_multi_torrent(struct fx *f)
{
    char path[160];
    snprintf(path, sizeof(path), "%s/multi.torrent", f->dir);
    write_multi_torrent(path);
    json_t *r = callf(f, "{\"id\":1,\"cmd\":\"add\",\"sources\":[\"%s\"],\"paused\":true}", path);
    json_t *one = json_array_get(expect_result(r), 0);
    assert_null(json_object_get(one, "error"));
    int id = (int)json_integer_value(json_object_get(one, "id"));
    json_decref(r);
    assert_true(id >= 1);
    return id;
}

/* A magnet nobody can serve (no DHT, no peers): it never gets metadata. */
static int add_magnet(struct fx *f)
{
    json_t *r = callf(f, "{\"id\":1,\"cmd\":\"add\",\"paused\":true,\"sources\":["
                         "\"magnet:?xt=urn:btih:00112233445566778899aabbccddeeff00112233&dn=m\"]}");
    json_t *one = json_array_get(expect_result(r), 0);
    assert_null(json_object_get(one, "error"));
    int id = (int)json_integer_value(json_object_get(one, "id"));
    json_decref(r);
    return id;
}

/* The "files" array of `info` for torrent `id` (a new reference). */
static json_t *info_files(struct fx *f, int id)
{
    json_t *r = callf(f, "{\"id\":1,\"cmd\":\"info\",\"ids\":[%d]}", id);
    json_t *files = json_object_get(json_array_get(expect_result(r), 0), "files");
    if (!json_is_array(files)) fail_msg("info of torrent %d has no files array", id);
    json_incref(files);
    json_decref(r);
    return files;
}

static int file_prio(json_t *files, size_t i)
{
    return (int)json_integer_value(json_object_get(json_array_get(files, i), "priority"));
}

/* The priorities of the four files of the multi-file torrent `id`, as
 * `info` shows them. */
static void info_priorities(struct fx *f, int id, int got[4])
{
    json_t *files = info_files(f, id);
    assert_int_equal(json_array_size(files), 4);
    for (size_t i = 0; i < 4; i++)
        got[i] = file_prio(files, i);
    json_decref(files);
}

/* Runs the loop until `info` shows the priorities p0..p3 on the multi-file
 * torrent `id`. libtorrent applies priorities on its disk thread, a batch
 * at a time: a change shows late, and may show half applied for a moment. */
static void wait_for_priorities(struct fx *f, int id, int p0, int p1, int p2, int p3)
{
    uint64_t deadline = uv_hrtime() / 1000000 + 5000;
    for (;;) {
        int got[4];
        info_priorities(f, id, got);
        if (got[0] == p0 && got[1] == p1 && got[2] == p2 && got[3] == p3) return;
        if (uv_hrtime() / 1000000 > deadline)
            fail_msg("torrent %d: priorities %d %d %d %d, not %d %d %d %d, after 5 s", id, got[0],
                     got[1], got[2], got[3], p0, p1, p2, p3);
        uv_run(&f->loop, UV_RUN_NOWAIT);
        usleep(2000);
    }
}

/* --- framer ------------------------------------------------------------------------- */

static void test_framer_splits_line_across_feeds(void **s)
{
    (void)s;
    struct ctl_framer fr;
    const char *line;
    size_t len;
    ctl_framer_init(&fr);
    assert_int_equal(ctl_framer_feed(&fr, "{\"id\":1,", 8), 0);
    assert_int_equal(ctl_framer_next(&fr, &line, &len), 0);
    assert_int_equal(ctl_framer_feed(&fr, "\"cmd\":\"ls\"}", 11), 0);
    assert_int_equal(ctl_framer_next(&fr, &line, &len), 0);
    assert_int_equal(ctl_framer_feed(&fr, "\n", 1), 0);
    assert_int_equal(ctl_framer_next(&fr, &line, &len), 1);
    assert_int_equal(len, 19);
    assert_memory_equal(line, "{\"id\":1,\"cmd\":\"ls\"}", 19);
    assert_int_equal(ctl_framer_next(&fr, &line, &len), 0);
    ctl_framer_free(&fr);
}

static void test_framer_yields_several_lines_from_one_feed(void **s)
{
    (void)s;
    struct ctl_framer fr;
    const char *line;
    size_t len;
    ctl_framer_init(&fr);
    const char *in = "one\ntwo\r\n\nthree\nfou";
    assert_int_equal(ctl_framer_feed(&fr, in, strlen(in)), 0);
    const char *want[] = {"one", "two", "", "three"};
    for (size_t i = 0; i < 4; i++) {
        assert_int_equal(ctl_framer_next(&fr, &line, &len), 1);
        assert_int_equal(len, strlen(want[i]));
        assert_memory_equal(line, want[i], len);
    }
    assert_int_equal(ctl_framer_next(&fr, &line, &len), 0);
    /* the partial line survives compaction on the next feed */
    assert_int_equal(ctl_framer_feed(&fr, "r\n", 2), 0);
    assert_int_equal(ctl_framer_next(&fr, &line, &len), 1);
    assert_int_equal(len, 4);
    assert_memory_equal(line, "four", 4);
    ctl_framer_free(&fr);
}

static void test_framer_accepts_line_of_max_length(void **s)
{
    (void)s;
    struct ctl_framer fr;
    const char *line;
    size_t len;
    char *big = malloc(CTL_MAX_LINE);
    memset(big, 'x', CTL_MAX_LINE);
    big[CTL_MAX_LINE - 1] = '\n'; /* exactly CTL_MAX_LINE bytes with the newline */
    ctl_framer_init(&fr);
    assert_int_equal(ctl_framer_feed(&fr, big, CTL_MAX_LINE), 0);
    assert_int_equal(ctl_framer_next(&fr, &line, &len), 1);
    assert_int_equal(len, CTL_MAX_LINE - 1);
    assert_false(fr.overflow);
    ctl_framer_free(&fr);
    free(big);
}

/* Regression (found by tests/fuzz/fuzz_protocol.c): a framer that holds no
 * buffer yet (fresh, or freed) computed buf + head on a NULL buf, undefined
 * behaviour that clang's UBSan (pointer-overflow) reports and gcc's does not.
 * Feeding nothing, popping and feeding into such a framer must work. */
static void test_framer_without_buffer_feeds_and_pops(void **s)
{
    (void)s;
    struct ctl_framer fr;
    const char *line = NULL;
    size_t len = 0;
    ctl_framer_init(&fr);
    assert_int_equal(ctl_framer_next(&fr, &line, &len), 0);
    assert_int_equal(ctl_framer_feed(&fr, "", 0), 0);
    assert_null(fr.buf);
    assert_int_equal(ctl_framer_feed(&fr, "{}\n", 3), 0);
    assert_int_equal(ctl_framer_next(&fr, &line, &len), 1);
    assert_int_equal(len, 2);
    ctl_framer_free(&fr);
    assert_int_equal(ctl_framer_next(&fr, &line, &len), 0);
    assert_int_equal(ctl_framer_feed(&fr, "x", 1), 0);
    assert_int_equal(ctl_framer_next(&fr, &line, &len), 0);
    ctl_framer_free(&fr);
}

static void test_framer_oversized_line_is_emsgsize(void **s)
{
    (void)s;
    struct ctl_framer fr;
    char *big = malloc(CTL_MAX_LINE + 1);
    memset(big, 'x', CTL_MAX_LINE + 1);
    ctl_framer_init(&fr);
    /* in one feed, no newline yet: already too long */
    assert_int_equal(ctl_framer_feed(&fr, big, CTL_MAX_LINE), -EMSGSIZE);
    assert_true(fr.overflow);
    /* and it stays failed */
    assert_int_equal(ctl_framer_feed(&fr, "\n", 1), -EMSGSIZE);
    ctl_framer_free(&fr);

    /* across feeds */
    ctl_framer_init(&fr);
    assert_int_equal(ctl_framer_feed(&fr, big, CTL_MAX_LINE / 2), 0);
    assert_int_equal(ctl_framer_feed(&fr, big, CTL_MAX_LINE / 2), -EMSGSIZE);
    assert_true(fr.cap <= 2 * (size_t)CTL_MAX_LINE); /* memory stays bounded */
    ctl_framer_free(&fr);

    /* a complete line one byte too long */
    ctl_framer_init(&fr);
    big[CTL_MAX_LINE] = '\n';
    assert_int_equal(ctl_framer_feed(&fr, big, CTL_MAX_LINE + 1), -EMSGSIZE);
    ctl_framer_free(&fr);
    free(big);
}

static void test_framer_keeps_lines_before_oversized_one(void **s)
{
    (void)s;
    struct ctl_framer fr;
    const char *line;
    size_t len;
    size_t n = CTL_MAX_LINE + 16;
    char *buf = malloc(n);
    memset(buf, 'y', n);
    memcpy(buf, "ok\n", 3);
    ctl_framer_init(&fr);
    assert_int_equal(ctl_framer_feed(&fr, buf, n), -EMSGSIZE);
    assert_int_equal(ctl_framer_next(&fr, &line, &len), 1);
    assert_int_equal(len, 2);
    assert_memory_equal(line, "ok", 2);
    assert_int_equal(ctl_framer_next(&fr, &line, &len), 0);
    ctl_framer_free(&fr);
    free(buf);
}

static void test_json_str_replaces_invalid_utf8(void **s)
{
    (void)s;
    json_t *j = ctl_json_str("a\xff"
                             "b\xc3\xa9");
    assert_non_null(j);
    assert_string_equal(json_string_value(j), "a\xef\xbf\xbd"
                                              "b\xc3\xa9");
    json_decref(j);
    j = ctl_json_str(NULL);
    assert_true(json_is_null(j));
}

/* --- ctl_handle_line with a real engine ---------------------------------------------- */

static void test_proto_malformed_json_is_parse_error(void **state)
{
    struct fx *f = *state;
    const char *bad[] = {"{", "{\"id\":1,\"cmd\":}", "not json", "{\"id\":1} trailing",
                         "{\"a\":1,\"a\":2}"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        json_t *r = call(f, bad[i], NULL);
        expect_error(r, CTL_E_PARSE);
        assert_true(json_is_null(json_object_get(r, "id")));
        json_decref(r);
    }
    /* bytes that are not even text */
    char *out = ctl_handle_line(f->e, "\x00\x01\xff", 3, NULL);
    assert_non_null(strstr(out, "\"parse_error\""));
    free(out);
}

static void test_proto_non_object_is_parse_error(void **state)
{
    struct fx *f = *state;
    const char *bad[] = {"[1,2]", "42", "\"ls\"", "null", "[]"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        json_t *r = call(f, bad[i], NULL);
        json_t *e = expect_error(r, CTL_E_PARSE);
        assert_non_null(strstr(json_string_value(json_object_get(e, "message")), "object"));
        json_decref(r);
    }
}

static void test_proto_missing_or_bad_cmd_is_bad_request(void **state)
{
    struct fx *f = *state;
    json_t *r = call(f, "{\"id\":5}", NULL);
    expect_error(r, CTL_E_BAD_REQUEST);
    assert_int_equal(json_integer_value(json_object_get(r, "id")), 5);
    json_decref(r);

    r = call(f, "{\"id\":\"x\",\"cmd\":3}", NULL);
    expect_error(r, CTL_E_BAD_REQUEST);
    assert_string_equal(json_string_value(json_object_get(r, "id")), "x");
    json_decref(r);

    r = call(f, "{\"id\":{},\"cmd\":\"ls\"}", NULL);
    expect_error(r, CTL_E_BAD_REQUEST);
    assert_true(json_is_null(json_object_get(r, "id")));
    json_decref(r);
}

static void test_proto_unknown_command(void **state)
{
    struct fx *f = *state;
    json_t *r = call(f, "{\"id\":9,\"cmd\":\"frobnicate\"}", NULL);
    json_t *e = expect_error(r, CTL_E_UNKNOWN_COMMAND);
    assert_non_null(strstr(json_string_value(json_object_get(e, "message")), "frobnicate"));
    assert_int_equal(json_integer_value(json_object_get(r, "id")), 9);
    json_decref(r);
}

static void test_proto_ls_on_empty_table_is_empty_array(void **state)
{
    struct fx *f = *state;
    json_t *r = call(f, "{\"id\":2,\"cmd\":\"ls\"}", NULL);
    json_t *res = expect_result(r);
    assert_true(json_is_array(res));
    assert_int_equal(json_array_size(res), 0);
    assert_int_equal(json_integer_value(json_object_get(r, "id")), 2);
    json_decref(r);
}

static void test_proto_bad_id_is_bad_id(void **state)
{
    struct fx *f = *state;
    const char *cmds[] = {"pause", "resume", "recheck", "reannounce", "remove", "info"};
    for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
        json_t *r = callf(f, "{\"id\":1,\"cmd\":\"%s\",\"ids\":[\"xyz\"]}", cmds[i]);
        json_t *e = expect_error(r, CTL_E_BAD_ID);
        assert_non_null(strstr(json_string_value(json_object_get(e, "message")), "'xyz'"));
        json_decref(r);
    }
    json_t *r = callf(f, "{\"id\":1,\"cmd\":\"pause\",\"ids\":[\"abc\"]}"); /* < 6 hex */
    expect_error(r, CTL_E_BAD_ID);
    json_decref(r);
    char longid[300];
    memset(longid, 'a', sizeof(longid) - 1);
    longid[sizeof(longid) - 1] = '\0';
    r = callf(f, "{\"id\":1,\"cmd\":\"pause\",\"ids\":[\"%s\"]}", longid);
    expect_error(r, CTL_E_BAD_ID);
    json_decref(r);
}

static void test_proto_unknown_id_is_not_found(void **state)
{
    struct fx *f = *state;
    json_t *r = callf(f, "{\"id\":1,\"cmd\":\"info\",\"ids\":[\"42\"]}");
    expect_error(r, CTL_E_NOT_FOUND);
    json_decref(r);
    r = callf(f, "{\"id\":1,\"cmd\":\"pause\",\"ids\":[\"abcdef12\"]}");
    expect_error(r, CTL_E_NOT_FOUND);
    json_decref(r);
    /* integers are accepted as IDs too */
    r = callf(f, "{\"id\":1,\"cmd\":\"remove\",\"ids\":[7]}");
    expect_error(r, CTL_E_NOT_FOUND);
    json_decref(r);
}

static void test_proto_every_failing_id_is_reported(void **state)
{
    struct fx *f = *state;
    json_t *r = callf(f, "{\"id\":1,\"cmd\":\"pause\",\"ids\":[\"42\",\"zz\"]}");
    json_t *e = expect_error(r, CTL_E_NOT_FOUND); /* the first failure's code */
    json_t *fl = json_object_get(e, "failures");
    assert_int_equal(json_array_size(fl), 2);
    assert_string_equal(json_string_value(json_object_get(json_array_get(fl, 0), "spec")), "42");
    assert_string_equal(json_string_value(json_object_get(json_array_get(fl, 1), "code")),
                        CTL_E_BAD_ID);
    const char *msg = json_string_value(json_object_get(e, "message"));
    assert_non_null(strstr(msg, "'42'"));
    assert_non_null(strstr(msg, "'zz'"));
    json_decref(r);
}

static void test_proto_ids_must_be_a_nonempty_array(void **state)
{
    struct fx *f = *state;
    const char *bad[] = {
        "{\"id\":1,\"cmd\":\"pause\"}",
        "{\"id\":1,\"cmd\":\"pause\",\"ids\":\"3\"}",
        "{\"id\":1,\"cmd\":\"pause\",\"ids\":[]}",
        "{\"id\":1,\"cmd\":\"info\",\"ids\":[true]}",
        "{\"id\":1,\"cmd\":\"remove\",\"ids\":[\"1\"],\"delete_data\":\"yes\"}",
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        json_t *r = call(f, bad[i], NULL);
        expect_error(r, CTL_E_BAD_REQUEST);
        json_decref(r);
    }
}

static void test_proto_add_garbage_magnet_is_invalid_torrent(void **state)
{
    struct fx *f = *state;
    json_t *r = callf(f, "{\"id\":3,\"cmd\":\"add\",\"sources\":[\"magnet:?xt=urn:btih:zzzz\"]}");
    json_t *e = expect_error(r, CTL_E_INVALID_TORRENT);
    assert_int_equal(json_array_size(json_object_get(e, "results")), 1);
    json_decref(r);
    r = callf(f, "{\"id\":3,\"cmd\":\"add\",\"sources\":[\"magnet:garbage\"]}");
    expect_error(r, CTL_E_INVALID_TORRENT);
    json_decref(r);
    assert_int_equal(eng_torrent_count(f->e), 0);
}

static void test_proto_add_truncated_torrent_is_invalid_torrent(void **state)
{
    struct fx *f = *state;
    char good[160], cut[160];
    snprintf(good, sizeof(good), "%s/good.torrent", f->dir);
    snprintf(cut, sizeof(cut), "%s/cut.torrent", f->dir);
    write_torrent(good, "good.bin");
    /* the same file cut in the middle of the pieces string */
    FILE *in = fopen(good, "rb");
    char buf[512];
    size_t n = fread(buf, 1, sizeof(buf), in);
    fclose(in);
    FILE *out = fopen(cut, "wb");
    fwrite(buf, 1, n - 12, out);
    fclose(out);

    json_t *r = callf(f, "{\"id\":4,\"cmd\":\"add\",\"sources\":[\"%s\"]}", cut);
    json_t *e = expect_error(r, CTL_E_INVALID_TORRENT);
    assert_non_null(strstr(json_string_value(json_object_get(e, "message")), "cut.torrent"));
    json_decref(r);
    assert_int_equal(eng_torrent_count(f->e), 0);
}

/* Regression (issue 10): a source path that is a FIFO blocked the loop in
 * fopen until a writer came; a device (/dev/zero) or a directory is not a
 * .torrent either. Each is refused with a message naming what it is. */
static void test_proto_add_of_fifo_device_or_directory_is_refused(void **state)
{
    struct fx *f = *state;
    char fifo[160];
    snprintf(fifo, sizeof(fifo), "%s/pipe.torrent", f->dir);
    assert_int_equal(mkfifo(fifo, 0600), 0);
    const struct {
        const char *path, *what;
    } cases[] = {{fifo, "a FIFO"}, {"/dev/zero", "a character device"}, {f->dir, "a directory"}};
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        json_t *r = callf(f, "{\"id\":5,\"cmd\":\"add\",\"sources\":[\"%s\"]}", cases[i].path);
        json_t *e = expect_error(r, CTL_E_INVALID_TORRENT);
        const char *m = json_string_value(json_object_get(e, "message"));
        if (!strstr(m, cases[i].what)) fail_msg("%s: %s", cases[i].path, m);
        json_decref(r);
    }
    assert_int_equal(eng_torrent_count(f->e), 0);
}

/* spate.torrent_file_max_bytes caps what `add` reads, and the message
 * names the setting. */
static void test_proto_add_over_the_size_cap_is_refused(void **state)
{
    struct fx *f = *state;
    char path[160], msg[256] = "";
    snprintf(path, sizeof(path), "%s/big.torrent", f->dir);
    write_torrent(path, "big.bin");
    assert_int_equal(eng_setting_set(f->e, "spate.torrent_file_max_bytes", "1024", msg, sizeof msg),
                     0);
    FILE *fp = fopen(path, "ab");
    assert_non_null(fp);
    for (int i = 0; i < 2048; i++)
        fputc(' ', fp);
    fclose(fp);
    json_t *r = callf(f, "{\"id\":6,\"cmd\":\"add\",\"sources\":[\"%s\"]}", path);
    json_t *e = expect_error(r, CTL_E_INVALID_TORRENT);
    assert_non_null(
        strstr(json_string_value(json_object_get(e, "message")), "spate.torrent_file_max_bytes"));
    json_decref(r);
}

struct late_reply {
    char *line;
    int calls;
};

static void late_reply_cb(void *ud, char *line)
{
    struct late_reply *l = ud;
    l->calls++;
    free(l->line);
    l->line = line;
}

/* `add` of a path defers its reply (the file is read on a worker): the
 * reply comes through the callback once the loop runs, with the request's
 * id, in exactly the format of a direct reply; a magnet is answered at
 * once. */
static void test_proto_add_of_a_path_defers_its_reply(void **state)
{
    struct fx *f = *state;
    char path[160], line[512];
    snprintf(path, sizeof(path), "%s/later.torrent", f->dir);
    write_torrent(path, "later.bin");
    snprintf(line, sizeof(line), "{\"id\":\"x7\",\"cmd\":\"add\",\"sources\":[\"%s\"]}", path);
    struct late_reply l = {NULL, 0};
    bool deferred = false;
    char *now = ctl_handle_line_async(f->e, line, strlen(line), NULL, late_reply_cb, &l, &deferred);
    assert_null(now);
    assert_true(deferred);
    assert_int_equal(l.calls, 0);
    for (int i = 0; i < 1000 && !l.calls; i++)
        uv_run(&f->loop, UV_RUN_ONCE);
    assert_int_equal(l.calls, 1);
    json_t *r = json_loads(l.line, 0, NULL);
    assert_non_null(r);
    assert_string_equal(json_string_value(json_object_get(r, "id")), "x7");
    json_t *res = expect_result(r);
    assert_int_equal(json_array_size(res), 1);
    assert_true(json_integer_value(json_object_get(json_array_get(res, 0), "id")) >= 1);
    json_decref(r);
    free(l.line);

    /* a magnet needs no file: answered at once, nothing deferred */
    const char *mag = "{\"id\":8,\"cmd\":\"add\",\"sources\":[\"magnet:?xt=urn:btih:"
                      "0123456789abcdef0123456789abcdef01234567\"],\"paused\":true}";
    struct late_reply m = {NULL, 0};
    now = ctl_handle_line_async(f->e, mag, strlen(mag), NULL, late_reply_cb, &m, &deferred);
    assert_non_null(now);
    assert_false(deferred);
    assert_int_equal(m.calls, 0);
    free(now);
}

/* Shutdown while a .torrent is being read: the deferred reply still comes
 * exactly once (an error), and nothing is touched after (ASan). */
static void test_proto_add_in_flight_at_shutdown_is_answered(void **state)
{
    struct fx *f = *state;
    char path[160], line[512];
    snprintf(path, sizeof(path), "%s/inflight.torrent", f->dir);
    write_torrent(path, "inflight.bin");
    snprintf(line, sizeof(line), "{\"id\":9,\"cmd\":\"add\",\"sources\":[\"%s\",\"%s\"]}", path,
             path);
    struct late_reply l = {NULL, 0};
    bool deferred = false;
    char *now = ctl_handle_line_async(f->e, line, strlen(line), NULL, late_reply_cb, &l, &deferred);
    assert_null(now);
    assert_true(deferred);
    eng_shutdown(f->e, 2000);
    assert_int_equal(l.calls, 1);
    json_t *r = json_loads(l.line, 0, NULL);
    json_t *e = expect_error(r, CTL_E_INTERNAL);
    assert_non_null(strstr(json_string_value(json_object_get(e, "message")), "shutting down"));
    json_decref(r);
    free(l.line);
    uv_run(&f->loop, UV_RUN_DEFAULT); /* the worker's job frees itself */
    assert_int_equal(l.calls, 1);
    assert_int_equal(eng_torrent_count(f->e), 0);
}

static void test_proto_add_checks_its_fields(void **state)
{
    struct fx *f = *state;
    const char *bad[] = {
        "{\"id\":1,\"cmd\":\"add\"}",
        "{\"id\":1,\"cmd\":\"add\",\"sources\":[]}",
        "{\"id\":1,\"cmd\":\"add\",\"sources\":[1]}",
        "{\"id\":1,\"cmd\":\"add\",\"sources\":[\"magnet:?x\"],\"save_path\":\"rel/dir\"}",
        "{\"id\":1,\"cmd\":\"add\",\"sources\":[\"magnet:?x\"],\"paused\":1}",
        "{\"id\":1,\"cmd\":\"add\",\"sources\":[\"magnet:?x\"],\"peers\":[6881]}",
        /* the daemon cannot resolve a path relative to the client's cwd */
        "{\"id\":1,\"cmd\":\"add\",\"sources\":[\"relative.torrent\"]}",
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        json_t *r = call(f, bad[i], NULL);
        expect_error(r, CTL_E_BAD_REQUEST);
        json_decref(r);
    }
}

static void test_proto_add_ls_info_pause_remove(void **state)
{
    struct fx *f = *state;
    int id;
    json_decref(add_torrent(f, "one.bin", &id));
    wait_for_status(f, id);

    json_t *r = callf(f, "{\"id\":1,\"cmd\":\"ls\"}");
    json_t *ls = expect_result(r);
    assert_int_equal(json_array_size(ls), 1);
    json_t *t = json_array_get(ls, 0);
    const char *fields[] = {"id",          "info_hash",  "name",      "state",     "progress",
                            "total_bytes", "done_bytes", "down_rate", "up_rate",   "peers",
                            "seeds",       "ratio",      "eta_s",     "save_path", "error"};
    for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
        if (!json_object_get(t, fields[i])) fail_msg("ls lacks '%s'", fields[i]);
    assert_int_equal(json_integer_value(json_object_get(t, "id")), id);
    assert_string_equal(json_string_value(json_object_get(t, "name")), "one.bin");
    assert_int_equal(json_integer_value(json_object_get(t, "total_bytes")), 16384);
    assert_string_equal(json_string_value(json_object_get(t, "state")), "paused");
    assert_string_equal(json_string_value(json_object_get(t, "save_path")), f->dl);
    assert_true(json_is_null(json_object_get(t, "error")));
    assert_null(json_object_get(t, "pieces_done")); /* detail only in info */
    const char *hash = json_string_value(json_object_get(t, "info_hash"));
    assert_int_equal(strlen(hash), 40);
    assert_int_equal(strspn(hash, "0123456789abcdef"), 40);
    char prefix[9];
    snprintf(prefix, sizeof(prefix), "%.8s", hash);
    json_decref(r);

    /* info by hash prefix (upper case) gives the same row plus details */
    for (char *p = prefix; *p; p++)
        if (*p >= 'a') *p = (char)(*p - 32);
    r = callf(f, "{\"id\":1,\"cmd\":\"info\",\"ids\":[\"%s\"]}", prefix);
    json_t *info = json_array_get(expect_result(r), 0);
    assert_int_equal(json_integer_value(json_object_get(info, "id")), id);
    assert_int_equal(json_integer_value(json_object_get(info, "piece_length")), 16384);
    assert_int_equal(json_integer_value(json_object_get(info, "num_pieces")), 1);
    assert_true(json_is_true(json_object_get(info, "has_metadata")));
    assert_true(json_is_true(json_object_get(info, "user_paused")));
    assert_true(json_is_null(json_object_get(info, "info_hash_v2")));
    assert_true(json_is_null(json_object_get(info, "completed_time")));
    assert_true(json_integer_value(json_object_get(info, "added_time")) > 1600000000);
    json_decref(r);

    r = callf(f, "{\"id\":1,\"cmd\":\"resume\",\"ids\":[\"%d\"]}", id);
    assert_int_equal(json_integer_value(json_array_get(expect_result(r), 0)), id);
    json_decref(r);
    assert_false(eng_torrent_by_id(f->e, id)->user_paused);

    r = callf(f, "{\"id\":1,\"cmd\":\"pause\",\"ids\":[\"%d\"]}", id);
    expect_result(r);
    json_decref(r);
    assert_true(eng_torrent_by_id(f->e, id)->user_paused);

    r = callf(f, "{\"id\":1,\"cmd\":\"remove\",\"ids\":[\"%d\"],\"delete_data\":false}", id);
    assert_int_equal(json_integer_value(json_array_get(expect_result(r), 0)), id);
    json_decref(r);
    assert_int_equal(eng_torrent_count(f->e), 0);
    r = callf(f, "{\"id\":1,\"cmd\":\"ls\"}");
    assert_int_equal(json_array_size(expect_result(r)), 0);
    json_decref(r);
}

static void test_proto_batch_with_unknown_id_changes_nothing(void **state)
{
    struct fx *f = *state;
    int id;
    json_decref(add_torrent(f, "keep.bin", &id));
    json_t *r = callf(f, "{\"id\":1,\"cmd\":\"resume\",\"ids\":[\"%d\",\"99\"]}", id);
    expect_error(r, CTL_E_NOT_FOUND);
    json_decref(r);
    assert_true(eng_torrent_by_id(f->e, id)->user_paused); /* still paused */

    r = callf(f, "{\"id\":1,\"cmd\":\"remove\",\"ids\":[\"%d\",\"nothex\"]}", id);
    expect_error(r, CTL_E_BAD_ID);
    json_decref(r);
    assert_int_equal(eng_torrent_count(f->e), 1); /* not removed */
}

static void test_proto_add_twice_is_exists(void **state)
{
    struct fx *f = *state;
    int id;
    json_decref(add_torrent(f, "twice.bin", &id));
    char path[160];
    snprintf(path, sizeof(path), "%s/twice.bin.torrent", f->dir);
    json_t *r = callf(f, "{\"id\":1,\"cmd\":\"add\",\"sources\":[\"%s\"]}", path);
    json_t *e = expect_error(r, CTL_E_EXISTS);
    json_t *one = json_array_get(json_object_get(e, "results"), 0);
    assert_int_equal(json_integer_value(json_object_get(one, "id")), id);
    json_decref(r);
    assert_int_equal(eng_torrent_count(f->e), 1);
}

static void test_proto_add_reports_each_source(void **state)
{
    struct fx *f = *state;
    char path[160];
    snprintf(path, sizeof(path), "%s/mixed.torrent", f->dir);
    write_torrent(path, "mixed.bin");
    json_t *r = callf(f,
                      "{\"id\":1,\"cmd\":\"add\",\"paused\":true,\"save_path\":\"%s\","
                      "\"sources\":[\"magnet:bogus\",\"%s\"]}",
                      f->dir, path);
    json_t *res = expect_result(r); /* one succeeded: not an error */
    assert_int_equal(json_array_size(res), 2);
    json_t *bad = json_array_get(res, 0), *good = json_array_get(res, 1);
    assert_string_equal(json_string_value(json_object_get(bad, "source")), "magnet:bogus");
    assert_string_equal(json_string_value(json_object_get(json_object_get(bad, "error"), "code")),
                        CTL_E_INVALID_TORRENT);
    assert_null(json_object_get(good, "error"));
    int id = (int)json_integer_value(json_object_get(good, "id"));
    assert_string_equal(json_string_value(json_object_get(good, "name")), "mixed.bin");
    json_decref(r);
    assert_string_equal(eng_torrent_by_id(f->e, id)->save_path, f->dir);
}

static void test_proto_info_lists_files_of_multi_file_torrent(void **state)
{
    struct fx *f = *state;
    int id = add_multi_torrent(f);
    json_t *files = info_files(f, id);
    assert_int_equal(json_array_size(files), 4);
    const struct {
        const char *path;
        int64_t size;
        bool pad;
    } want[] = {{"multi/a.txt", 1000, false},
                {NULL, 15384, true},
                {"multi/sub/b.bin", 20000, false},
                {"multi/c.txt", 5, false}};
    for (size_t i = 0; i < 4; i++) {
        json_t *o = json_array_get(files, i);
        assert_int_equal(json_object_size(o), 5); /* index, path, size, priority, pad */
        assert_int_equal(json_integer_value(json_object_get(o, "index")), i);
        assert_int_equal(json_integer_value(json_object_get(o, "size")), want[i].size);
        assert_true(json_is_boolean(json_object_get(o, "pad")));
        assert_int_equal(json_is_true(json_object_get(o, "pad")), want[i].pad);
        assert_true(json_is_string(json_object_get(o, "path")));
        if (want[i].path)
            assert_string_equal(json_string_value(json_object_get(o, "path")), want[i].path);
        /* libtorrent's default, and never anything but skip for a pad file */
        assert_int_equal(file_prio(files, i), want[i].pad ? 0 : 4);
    }
    json_decref(files);

    /* a single-file torrent has one file, named as the torrent */
    int one;
    json_decref(add_torrent(f, "single.bin", &one));
    files = info_files(f, one);
    assert_int_equal(json_array_size(files), 1);
    assert_string_equal(json_string_value(json_object_get(json_array_get(files, 0), "path")),
                        "single.bin");
    assert_int_equal(json_integer_value(json_object_get(json_array_get(files, 0), "size")), 16384);
    json_decref(files);

    /* ls stays short */
    json_t *r = callf(f, "{\"id\":1,\"cmd\":\"ls\"}");
    assert_null(json_object_get(json_array_get(expect_result(r), 0), "files"));
    json_decref(r);
}

static void test_proto_info_of_magnet_without_metadata_has_no_files(void **state)
{
    struct fx *f = *state;
    int id = add_magnet(f);
    json_t *r = callf(f, "{\"id\":1,\"cmd\":\"info\",\"ids\":[%d]}", id);
    json_t *t = json_array_get(expect_result(r), 0);
    assert_true(json_is_false(json_object_get(t, "has_metadata")));
    json_t *files = json_object_get(t, "files");
    assert_true(json_is_array(files));
    assert_int_equal(json_array_size(files), 0);
    json_decref(r);
}

static void test_proto_priority_is_read_back_through_info(void **state)
{
    struct fx *f = *state;
    int id = add_multi_torrent(f);
    json_t *r = callf(f,
                      "{\"id\":4,\"cmd\":\"priority\",\"ids\":[\"%d\"],\"priority\":7,"
                      "\"files\":[0,3]}",
                      id);
    json_t *res = expect_result(r);
    assert_int_equal(json_array_size(res), 1);
    assert_int_equal(json_integer_value(json_array_get(res, 0)), id);
    json_decref(r);
    /* the pad file stays at 0, file 2 is not named: untouched */
    wait_for_priorities(f, id, 7, 0, 4, 7);
    assert_int_equal(eng_file_priority(f->e, id, 0), 7);

    r = callf(f, "{\"id\":5,\"cmd\":\"priority\",\"ids\":[%d],\"priority\":0,\"files\":[2]}", id);
    expect_result(r);
    json_decref(r);
    wait_for_priorities(f, id, 7, 0, 0, 7);
    /* skipping b.bin takes its piece 1, the only one all its own, out of
     * the wanted bytes: libtorrent counts whole pieces, less pad bytes */
    wait_for_status(f, id);
    uint64_t deadline = uv_hrtime() / 1000000 + 5000;
    while (eng_torrent_by_id(f->e, id)->wanted_bytes != 36389 - 15384 - 16384 &&
           uv_hrtime() / 1000000 < deadline) {
        uv_run(&f->loop, UV_RUN_NOWAIT);
        usleep(2000);
    }
    assert_int_equal(eng_torrent_by_id(f->e, id)->wanted_bytes, 36389 - 15384 - 16384);

    /* "all" is every file but the pad file */
    r = callf(f,
              "{\"id\":6,\"cmd\":\"priority\",\"ids\":[%d],\"priority\":1,"
              "\"files\":\"all\"}",
              id);
    expect_result(r);
    json_decref(r);
    wait_for_priorities(f, id, 1, 0, 1, 1);
}

/* Checks that nothing changed on the multi-file torrent `id`: files 0 and
 * 2 stay at `prio`, the pad file at 0. A wrong change would show only once
 * libtorrent has applied it, so this sets file 3 to 5 as a marker and
 * watches the others until the marker has shown and 300 ms more passed. */
static void expect_priorities_unchanged(struct fx *f, int id, int prio)
{
    json_t *r = callf(f,
                      "{\"id\":1,\"cmd\":\"priority\",\"ids\":[%d],\"priority\":5,"
                      "\"files\":[3]}",
                      id);
    expect_result(r);
    json_decref(r);
    uint64_t now = uv_hrtime() / 1000000, deadline = now + 5000, quiet_until = 0;
    for (;;) {
        int got[4];
        info_priorities(f, id, got);
        if (got[0] != prio || got[1] != 0 || got[2] != prio)
            fail_msg("torrent %d changed: priorities %d %d %d %d", id, got[0], got[1], got[2],
                     got[3]);
        now = uv_hrtime() / 1000000;
        if (got[3] == 5 && !quiet_until) quiet_until = now + 300;
        if (quiet_until && now >= quiet_until) return;
        if (now > deadline) fail_msg("torrent %d: file 3 never reached priority 5", id);
        uv_run(&f->loop, UV_RUN_NOWAIT);
        usleep(2000);
    }
}

static void test_proto_priority_bad_request_changes_nothing(void **state)
{
    struct fx *f = *state;
    int id = add_multi_torrent(f);
    const char *bad[] = {
        "\"priority\":8,\"files\":[0]",
        "\"priority\":-1,\"files\":[0]",
        "\"priority\":\"high\",\"files\":[0]",
        "\"priority\":1.5,\"files\":[0]",
        "\"files\":[0]",
        "\"priority\":7",
        "\"priority\":7,\"files\":[]",
        "\"priority\":7,\"files\":\"some\"",
        "\"priority\":7,\"files\":[\"0\"]",
        "\"priority\":7,\"files\":[0,null]",
        "\"priority\":7,\"files\":0",
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        json_t *r = callf(f, "{\"id\":1,\"cmd\":\"priority\",\"ids\":[%d],%s}", id, bad[i]);
        expect_error(r, CTL_E_BAD_REQUEST);
        json_decref(r);
    }

    /* out-of-range and pad indices: every one is named, none is applied */
    json_t *r = callf(f,
                      "{\"id\":1,\"cmd\":\"priority\",\"ids\":[%d],\"priority\":7,"
                      "\"files\":[0,4,1,2,99999999999]}",
                      id);
    json_t *e = expect_error(r, CTL_E_BAD_REQUEST);
    const char *msg = json_string_value(json_object_get(e, "message"));
    char want[128];
    snprintf(want, sizeof(want), "torrent %d has no file 4 (its files are 0..3)", id);
    assert_non_null(strstr(msg, want));
    snprintf(want, sizeof(want), "file 1 of torrent %d is a pad file", id);
    assert_non_null(strstr(msg, want));
    assert_non_null(strstr(msg, "no file 99999999999"));
    json_decref(r);

    /* no IDs, or an unknown one */
    r = callf(f, "{\"id\":1,\"cmd\":\"priority\",\"priority\":7,\"files\":[0]}");
    expect_error(r, CTL_E_BAD_REQUEST);
    json_decref(r);
    r = callf(f,
              "{\"id\":1,\"cmd\":\"priority\",\"ids\":[%d,\"42\"],\"priority\":7,"
              "\"files\":[0]}",
              id);
    expect_error(r, CTL_E_NOT_FOUND);
    json_decref(r);
    expect_priorities_unchanged(f, id, 4);
}

static void test_proto_priority_without_metadata_is_no_metadata(void **state)
{
    struct fx *f = *state;
    int id = add_multi_torrent(f);
    int mag = add_magnet(f);
    json_t *r = callf(f,
                      "{\"id\":1,\"cmd\":\"priority\",\"ids\":[%d],\"priority\":0,"
                      "\"files\":\"all\"}",
                      mag);
    json_t *e = expect_error(r, CTL_E_NO_METADATA);
    char want[96];
    snprintf(want, sizeof(want), "torrent %d has no metadata yet", mag);
    assert_non_null(strstr(json_string_value(json_object_get(e, "message")), want));
    json_decref(r);

    /* with a torrent that has metadata in the same request: neither changes */
    r = callf(f,
              "{\"id\":1,\"cmd\":\"priority\",\"ids\":[%d,%d],\"priority\":0,"
              "\"files\":[0]}",
              id, mag);
    expect_error(r, CTL_E_NO_METADATA);
    json_decref(r);
    expect_priorities_unchanged(f, id, 4);
}

static void test_proto_stats_and_quit(void **state)
{
    struct fx *f = *state;
    json_t *r = callf(f, "{\"id\":1,\"cmd\":\"stats\"}");
    json_t *st = expect_result(r);
    assert_int_equal(json_integer_value(json_object_get(st, "torrents")), 0);
    assert_true(json_is_false(json_object_get(st, "dht_enabled")));
    assert_true(json_is_integer(json_object_get(st, "blocked_peers")));
    assert_int_equal(json_integer_value(json_object_get(st, "blocked_peers")), 0);
    assert_true(json_is_integer(json_object_get(st, "ip_filter_ranges")));
    assert_int_equal(json_integer_value(json_object_get(st, "ip_filter_ranges")),
                     eng_ip_filter_ranges(f->e));
    assert_true(json_is_false(json_object_get(st, "alt_speed")));
    json_decref(r);
    /* the alternative speed limits switched on show at once */
    r = callf(f, "{\"id\":1,\"cmd\":\"config_set\",\"key\":\"spate.alt_speed\",\"value\":true}");
    expect_result(r);
    json_decref(r);
    r = callf(f, "{\"id\":1,\"cmd\":\"stats\"}");
    assert_true(json_is_true(json_object_get(expect_result(r), "alt_speed")));
    json_decref(r);

    bool quit = false;
    r = call(f, "{\"id\":1,\"cmd\":\"ls\"}", &quit);
    assert_false(quit);
    json_decref(r);
    r = call(f, "{\"id\":8,\"cmd\":\"quit\"}", &quit);
    expect_result(r);
    assert_true(quit);
    json_decref(r);
}

/* --- the settings profile: config_get, config_set, config_reset ---------------------- */

/* Asserts one string-or-null field of a setting row (want NULL: JSON null). */
static void expect_field(json_t *row, const char *field, const char *want)
{
    json_t *v = json_object_get(row, field);
    if (!v) fail_msg("row lacks '%s'", field);
    if (!want) {
        if (!json_is_null(v)) fail_msg("'%s' is %s, not null", field, json_string_value(v));
        return;
    }
    if (!json_is_string(v)) fail_msg("'%s' is not a string", field);
    assert_string_equal(json_string_value(v), want);
}

static void expect_row(json_t *row, const char *key, const char *effective, const char *stored,
                       const char *def, const char *native)
{
    assert_true(json_is_object(row));
    /* key group type unit effective stored default native differs */
    assert_int_equal(json_object_size(row), 9);
    expect_field(row, "key", key);
    const struct reg_key *k = reg_find(key);
    assert_non_null(k);
    expect_field(row, "group", k->group);
    expect_field(row, "type", reg_type_name(k->type));
    assert_true(json_is_boolean(json_object_get(row, "differs")));
    assert_int_equal(json_is_true(json_object_get(row, "differs")), strcmp(effective, def) != 0);
    expect_field(row, "effective", effective);
    expect_field(row, "stored", stored);
    expect_field(row, "default", def);
    expect_field(row, "native", native);
}

/* config_get of one key: asserts its row. */
static void expect_setting(struct fx *f, const char *key, const char *effective, const char *stored,
                           const char *def, const char *native)
{
    json_t *r = callf(f, "{\"id\":1,\"cmd\":\"config_get\",\"keys\":[\"%s\"]}", key);
    json_t *rows = expect_result(r);
    assert_int_equal(json_array_size(rows), 1);
    expect_row(json_array_get(rows, 0), key, effective, stored, def, native);
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

    json_t *r = callf(f, "{\"id\":1,\"cmd\":\"config_set\",\"key\":\"download_rate_limit\","
                         "\"value\":\"12345\"}");
    expect_row(expect_result(r), "download_rate_limit", "12345", "12345", "0", "12345");
    json_decref(r);
    expect_engine(f, "download_rate_limit", "12345", "12345");
    expect_setting(f, "download_rate_limit", "12345", "12345", "0", "12345");

    /* a key given twice is shown once; rows keep the order asked */
    r = callf(f, "{\"id\":1,\"cmd\":\"config_get\",\"keys\":[\"download_rate_limit\","
                 "\"enable_dht\",\"download_rate_limit\"]}");
    json_t *rows = expect_result(r);
    assert_int_equal(json_array_size(rows), 2);
    expect_row(json_array_get(rows, 0), "download_rate_limit", "12345", "12345", "0", "12345");
    /* the fixture's --set: in effect, not stored, not the default */
    expect_row(json_array_get(rows, 1), "enable_dht", "false", NULL, "true", "false");
    json_decref(r);

    r = callf(f, "{\"id\":1,\"cmd\":\"config_reset\",\"keys\":[\"download_rate_limit\"]}");
    rows = expect_result(r);
    assert_int_equal(json_array_size(rows), 1);
    expect_row(json_array_get(rows, 0), "download_rate_limit", "0", NULL, "0", "0");
    json_decref(r);
    expect_engine(f, "download_rate_limit", "0", NULL);
}

static void test_proto_config_set_takes_numbers_and_booleans_as_text(void **state)
{
    struct fx *f = *state;
    json_t *r = callf(f, "{\"id\":1,\"cmd\":\"config_set\",\"key\":\"upload_rate_limit\","
                         "\"value\":4321}");
    expect_row(expect_result(r), "upload_rate_limit", "4321", "4321", "0", "4321");
    json_decref(r);
    r = callf(f, "{\"id\":1,\"cmd\":\"config_set\",\"key\":\"announce_to_all_trackers\","
                 "\"value\":true}");
    expect_row(expect_result(r), "announce_to_all_trackers", "true", "true", "false", "true");
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
    json_t *r = callf(f, "{\"id\":1,\"cmd\":\"config_set\",\"key\":\"announce_to_all_tiers\","
                         "\"value\":\"yes\"}");
    expect_row(expect_result(r), "announce_to_all_tiers", "true", "true", "false", "true");
    json_decref(r);
    expect_engine(f, "announce_to_all_tiers", "true", "true");
    r = callf(
        f, "{\"id\":2,\"cmd\":\"config_set\",\"key\":\"announce_to_all_tiers\",\"value\":\"on\"}");
    json_decref(r); /* the same value again: no new row */
    r = callf(f, "{\"id\":3,\"cmd\":\"config_set\",\"key\":\"download_rate_limit\","
                 "\"value\":\"0070\"}");
    json_decref(r);
    expect_engine(f, "download_rate_limit", "70", "70");
    r = callf(f, "{\"id\":4,\"cmd\":\"config_reset\",\"keys\":[\"announce_to_all_tiers\"]}");
    json_decref(r);
    r = callf(f, "{\"id\":5,\"cmd\":\"config_reset\",\"keys\":[\"announce_to_all_tiers\"]}");
    json_decref(r); /* not stored any more: nothing changes */
    struct hist_rows h = {0};
    assert_int_equal(store_setting_history_load(f->st, 0, hist_row, &h), 0);
    assert_int_equal(h.n, 3);
    assert_string_equal(h.row[0], "announce_to_all_tiers true>- ctl");
    assert_string_equal(h.row[1], "download_rate_limit ->70 ctl");
    assert_string_equal(h.row[2], "announce_to_all_tiers ->true ctl");

    /* the same through config_history: newest first, by key, limited */
    r = callf(f, "{\"id\":6,\"cmd\":\"config_history\"}");
    json_t *rows = expect_result(r);
    assert_int_equal(json_array_size(rows), 3);
    json_t *first = json_array_get(rows, 0);
    expect_field(first, "key", "announce_to_all_tiers");
    expect_field(first, "old", "true");
    expect_field(first, "new", NULL);
    expect_field(first, "source", "ctl");
    assert_true(json_integer_value(json_object_get(first, "time")) > 1700000000);
    json_decref(r);
    r = callf(f, "{\"id\":7,\"cmd\":\"config_history\",\"key\":\"download_rate_limit\"}");
    rows = expect_result(r);
    assert_int_equal(json_array_size(rows), 1);
    expect_field(json_array_get(rows, 0), "new", "70");
    json_decref(r);
    r = callf(f, "{\"id\":8,\"cmd\":\"config_history\",\"limit\":2}");
    assert_int_equal(json_array_size(expect_result(r)), 2);
    json_decref(r);
    r = callf(f, "{\"id\":9,\"cmd\":\"config_history\",\"limit\":0}");
    expect_error(r, CTL_E_BAD_REQUEST);
    json_decref(r);
    r = callf(f, "{\"id\":9,\"cmd\":\"config_history\",\"key\":\"nope\"}");
    expect_error(r, CTL_E_UNKNOWN_SETTING);
    json_decref(r);
}

static void test_proto_config_spate_key_has_no_native_value(void **state)
{
    struct fx *f = *state;
    expect_setting(f, "spate.status_interval_ms", "1000", NULL, "1000", NULL);
    json_t *r = callf(f, "{\"id\":1,\"cmd\":\"config_set\",\"key\":\"spate.status_interval_ms\","
                         "\"value\":\"2500\"}");
    expect_row(expect_result(r), "spate.status_interval_ms", "2500", "2500", "1000", NULL);
    json_decref(r);
    expect_engine(f, "spate.status_interval_ms", "2500", "2500");

    /* "" is a value like any other: stored as "", not as "not stored" */
    r = callf(f, "{\"id\":1,\"cmd\":\"config_set\",\"key\":\"spate.mount_dir\",\"value\":\"\"}");
    expect_row(expect_result(r), "spate.mount_dir", "", "", "", NULL);
    json_decref(r);
    char dir[160];
    snprintf(dir, sizeof(dir), "%s/mnt", f->dir);
    r = callf(f, "{\"id\":1,\"cmd\":\"config_set\",\"key\":\"spate.mount_dir\",\"value\":\"%s\"}",
              dir);
    expect_row(expect_result(r), "spate.mount_dir", dir, dir, "", NULL);
    json_decref(r);

    r = callf(f, "{\"id\":1,\"cmd\":\"config_reset\",\"keys\":[\"spate.mount_dir\","
                 "\"spate.status_interval_ms\"]}");
    json_t *rows = expect_result(r);
    assert_int_equal(json_array_size(rows), 2);
    expect_row(json_array_get(rows, 0), "spate.mount_dir", "", NULL, "", NULL);
    expect_row(json_array_get(rows, 1), "spate.status_interval_ms", "1000", NULL, "1000", NULL);
    json_decref(r);
    expect_engine(f, "spate.mount_dir", "", NULL);
}

static void test_proto_config_bad_value_or_unknown_key_changes_nothing(void **state)
{
    struct fx *f = *state;
    json_t *r = callf(f, "{\"id\":1,\"cmd\":\"config_set\",\"key\":\"download_rate_limit\","
                         "\"value\":\"500\"}");
    expect_result(r);
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
        r = callf(f, "{\"id\":1,\"cmd\":\"config_set\",\"key\":\"%s\",\"value\":\"%s\"}",
                  bad[i].key, bad[i].value);
        json_t *e = expect_error(r, CTL_E_INVALID_VALUE);
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
    r = callf(f, "{\"id\":1,\"cmd\":\"config_set\",\"key\":\"no_such_key\",\"value\":\"1\"}");
    json_t *e = expect_error(r, CTL_E_UNKNOWN_SETTING);
    assert_string_equal(json_string_value(json_object_get(e, "message")),
                        "unknown setting 'no_such_key'");
    json_decref(r);
    r = callf(f, "{\"id\":1,\"cmd\":\"config_get\",\"keys\":[\"download_rate_limit\","
                 "\"no_such_key\",\"spate.nope\"]}");
    e = expect_error(r, CTL_E_UNKNOWN_SETTING);
    assert_string_equal(json_string_value(json_object_get(e, "message")),
                        "unknown setting 'no_such_key'; unknown setting 'spate.nope'");
    json_decref(r);
    r = callf(f, "{\"id\":1,\"cmd\":\"config_reset\",\"keys\":[\"download_rate_limit\","
                 "\"spate.nope\"]}");
    expect_error(r, CTL_E_UNKNOWN_SETTING);
    json_decref(r);
    expect_engine(f, "download_rate_limit", "500", "500"); /* not reset */
    r = callf(f, "{\"id\":1,\"cmd\":\"config_reset\",\"keys\":[\"\"]}");
    expect_error(r, CTL_E_UNKNOWN_SETTING);
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
        r = call(f, malformed[i], NULL);
        expect_error(r, CTL_E_BAD_REQUEST);
        json_decref(r);
    }
    expect_engine(f, "download_rate_limit", "500", "500");
}

/* config_get without keys or with an empty list: every session key (the
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
    json_t *r = callf(f, "{\"id\":1,\"cmd\":\"config_get\"}");
    json_t *rows = expect_result(r);
    assert_int_equal(json_array_size(rows), n_session);
    json_decref(r);
    /* an empty list is "nothing named" too: every key, as the doc says */
    r = callf(f, "{\"id\":1,\"cmd\":\"config_get\",\"keys\":[]}");
    rows = expect_result(r);
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
        r = call(f, bad[b], NULL);
        expect_error(r, CTL_E_BAD_REQUEST);
        json_decref(r);
    }
    r = callf(f, "{\"id\":1,\"cmd\":\"config_get\",\"keys\":[\"proxy\",\"proxy_type\"]}");
    rows = expect_result(r);
    assert_int_equal(json_array_size(rows), n_proxy);
    size_t i;
    json_t *row;
    json_array_foreach(rows, i, row)
    {
        assert_string_equal(json_string_value(json_object_get(row, "group")), "proxy");
    }
    json_decref(r);
    /* per-torrent keys are not session settings */
    r = callf(f, "{\"id\":1,\"cmd\":\"config_get\",\"keys\":[\"download_limit\"]}");
    json_t *e = expect_error(r, CTL_E_UNKNOWN_SETTING);
    assert_non_null(strstr(json_string_value(json_object_get(e, "message")), "per-torrent"));
    json_decref(r);

    r = callf(f, "{\"id\":1,\"cmd\":\"config_set\",\"key\":\"spate.status_interval_ms\","
                 "\"value\":\"5\"}");
    row = expect_result(r);
    assert_non_null(strstr(json_string_value(json_object_get(row, "warning")),
                           "between 100 and 60000: 5 clamped to 100"));
    expect_field(row, "stored", "100");
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
        json_t *r = call(f, reqs[i], NULL);
        expect_result(r);
        json_decref(r);
    }

    /* a new engine on the same store, as after a restart */
    fx_close_engine(f);
    assert_int_equal(fx_open_engine(f), 0);
    expect_setting(f, "download_rate_limit", "12345", "12345", "0", "12345");
    expect_setting(f, "spate.status_interval_ms", "2500", "2500", "1000", NULL);
    expect_setting(f, "upload_rate_limit", "0", NULL, "0", "0"); /* reset stays reset */
}

/* --- per-torrent settings: set, get, info's settings; add's opts; categories ---------- */

/* Sends `set` of key=VALUE (a JSON literal) on torrent `id` and asserts
 * its one row reads back `want`, without a warning. */
static void expect_set(struct fx *f, int id, const char *key, const char *value_json,
                       const char *want)
{
    json_t *r = callf(f, "{\"id\":1,\"cmd\":\"set\",\"ids\":[%d],\"key\":\"%s\",\"value\":%s}", id,
                      key, value_json);
    json_t *rows = expect_result(r);
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
    json_t *r = callf(f, "{\"id\":1,\"cmd\":\"get\",\"ids\":[\"%d\"],\"keys\":[\"%s\"]}", id, key);
    json_t *rows = expect_result(r);
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
    json_t *r = call(f, line, NULL);
    json_t *e = expect_error(r, code);
    const char *msg = json_string_value(json_object_get(e, "message"));
    if (needle && !strstr(msg, needle)) fail_msg("'%s' lacks '%s'", msg, needle);
    json_decref(r);
}

static size_t n_torrent_keys(void)
{
    size_t n = 0;
    for (size_t i = 0; i < reg_count(); i++)
        n += (reg_at(i)->scope & REG_TORRENT) != 0;
    return n;
}

static void test_proto_set_get_limits_and_flags(void **state)
{
    struct fx *f = *state;
    int id;
    json_decref(add_torrent(f, "opts.bin", &id));
    wait_for_status(f, id);

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
    json_t *r = callf(f,
                      "{\"id\":1,\"cmd\":\"set\",\"ids\":[%d],\"key\":\"max_connections\","
                      "\"value\":70000}",
                      id);
    json_t *row = json_array_get(expect_result(r), 0);
    assert_string_equal(json_string_value(json_object_get(row, "value")), "65535");
    assert_non_null(json_string_value(json_object_get(row, "warning")));
    json_decref(r);

    /* get without keys: every per-torrent key, registry order */
    r = callf(f, "{\"id\":1,\"cmd\":\"get\",\"ids\":[%d]}", id);
    json_t *rows = expect_result(r);
    assert_int_equal(json_array_size(rows), n_torrent_keys());
    assert_string_equal(json_string_value(json_object_get(json_array_get(rows, 0), "key")),
                        "download_limit");
    json_decref(r);
    /* a key asked twice is shown once */
    r = callf(f, "{\"id\":1,\"cmd\":\"get\",\"ids\":[%d],\"keys\":[\"pex\",\"tags\",\"pex\"]}", id);
    rows = expect_result(r);
    assert_int_equal(json_array_size(rows), 2);
    assert_string_equal(json_string_value(json_object_get(json_array_get(rows, 1), "key")), "tags");
    assert_string_equal(json_string_value(json_object_get(json_array_get(rows, 1), "value")), "");
    json_decref(r);

    /* info carries every setting, the category and the tags */
    r = callf(f, "{\"id\":1,\"cmd\":\"info\",\"ids\":[%d]}", id);
    json_t *t = json_array_get(expect_result(r), 0);
    json_t *settings = json_object_get(t, "settings");
    assert_int_equal(json_object_size(settings), n_torrent_keys());
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
    json_decref(add_torrent(f, "qa.bin", &a));
    json_decref(add_torrent(f, "qb.bin", &b));
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
    json_decref(add_torrent(f, "tr.bin", &id));
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
    json_decref(add_torrent(f, "ta.bin", &a));
    json_decref(add_torrent(f, "tb.bin", &b));
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
    json_t *r = callf(f, "{\"id\":1,\"cmd\":\"category_set\",\"name\":\"movies\","
                         "\"download_limit\":5000}");
    expect_result(r);
    json_decref(r);
    /* and then brings its defaults: here the download limit */
    expect_set(f, a, "category", "\"movies\"", "movies");
    expect_opt(f, a, "download_limit", "5000");
    expect_opt(f, b, "download_limit", "0");
    assert_string_equal(eng_torrent_by_id(f->e, a)->category, "movies");

    /* ls shows them and filters on them */
    r = callf(f, "{\"id\":1,\"cmd\":\"ls\"}");
    json_t *ls = expect_result(r);
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
        r = callf(f, "{\"id\":1,\"cmd\":\"ls\",%s}", filters[i].filter);
        ls = expect_result(r);
        if ((int)json_array_size(ls) != filters[i].n)
            fail_msg("ls %s: %zu rows, not %d", filters[i].filter, json_array_size(ls),
                     filters[i].n);
        json_decref(r);
    }
    expect_failure(f, CTL_E_BAD_REQUEST, NULL, "{\"id\":1,\"cmd\":\"ls\",\"tag\":3}");

    /* removing the category takes it off its torrents */
    r = callf(f, "{\"id\":1,\"cmd\":\"category_remove\",\"name\":\"movies\"}");
    expect_result(r);
    json_decref(r);
    expect_opt(f, a, "category", "");
}

static void test_proto_set_save_path_moves_the_torrent(void **state)
{
    struct fx *f = *state;
    int id;
    json_decref(add_torrent(f, "mv.bin", &id));
    wait_for_status(f, id);
    char to[160];
    snprintf(to, sizeof(to), "%s/moved", f->dir);
    json_t *r = callf(f,
                      "{\"id\":1,\"cmd\":\"set\",\"ids\":[%d],\"key\":\"save_path\",\"value\":"
                      "\"%s\"}",
                      id, to);
    expect_result(r);
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
    json_decref(add_torrent(f, "ba.bin", &a));
    json_decref(add_torrent(f, "bb.bin", &b));
    json_t *r = callf(f,
                      "{\"id\":1,\"cmd\":\"set\",\"ids\":[%d,\"%d\",%d],\"key\":"
                      "\"download_limit\",\"value\":1000}",
                      a, b, a);
    json_t *rows = expect_result(r);
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
    int m = add_magnet(f);
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
    json_t *r = callf(f, "{\"id\":1,\"cmd\":\"category_set\",\"name\":\"tv\","
                         "\"download_limit\":5000,\"upload_limit\":3000}");
    expect_result(r);
    json_decref(r);
    char path[160];
    snprintf(path, sizeof(path), "%s/withopts.torrent", f->dir);
    write_torrent(path, "withopts.bin");
    /* the category comes first, so an explicit limit wins over its own */
    r = callf(f,
              "{\"id\":1,\"cmd\":\"add\",\"paused\":true,\"sources\":[\"%s\"],"
              "\"opts\":{\"download_limit\":1000,\"sequential_download\":true,"
              "\"trackers\":\"http://127.0.0.1:1/announce\"},\"category\":\"tv\","
              "\"tags\":\"x,y\"}",
              path);
    json_t *one = json_array_get(expect_result(r), 0);
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
    write_torrent(path, "arr.bin");
    r = callf(f,
              "{\"id\":1,\"cmd\":\"add\",\"paused\":true,\"sources\":[\"%s\"],"
              "\"opts\":[\"pex=false\",\"max_uploads=3\"],\"seed_mode\":false}",
              path);
    one = json_array_get(expect_result(r), 0);
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
    write_torrent(path, "bad.bin");
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

static void expect_category(json_t *c, const char *name, const char *save_path, long long dl,
                            long long ul, long long ratio, long long seed_time)
{
    assert_int_equal(json_object_size(c), 6);
    assert_string_equal(json_string_value(json_object_get(c, "name")), name);
    assert_string_equal(json_string_value(json_object_get(c, "save_path")), save_path);
    assert_int_equal(json_integer_value(json_object_get(c, "download_limit")), dl);
    assert_int_equal(json_integer_value(json_object_get(c, "upload_limit")), ul);
    assert_int_equal(json_integer_value(json_object_get(c, "share_ratio_limit")), ratio);
    assert_int_equal(json_integer_value(json_object_get(c, "seed_time_limit")), seed_time);
}

static void test_proto_category_set_list_remove(void **state)
{
    struct fx *f = *state;
    json_t *r = callf(f, "{\"id\":1,\"cmd\":\"category_list\"}");
    assert_int_equal(json_array_size(expect_result(r)), 0);
    json_decref(r);

    /* missing fields take the defaults */
    r = callf(f, "{\"id\":1,\"cmd\":\"category_set\",\"name\":\"tv\"}");
    expect_category(expect_result(r), "tv", "", 0, 0, -1, -1);
    json_decref(r);
    r = callf(f, "{\"id\":1,\"cmd\":\"category_set\",\"name\":\"movies\",\"save_path\":"
                 "\"/srv/movies\",\"download_limit\":1,\"upload_limit\":2,"
                 "\"share_ratio_limit\":150,\"seed_time_limit\":3600}");
    expect_category(expect_result(r), "movies", "/srv/movies", 1, 2, 150, 3600);
    json_decref(r);
    /* set replaces */
    r = callf(f, "{\"id\":1,\"cmd\":\"category_set\",\"name\":\"tv\",\"upload_limit\":7}");
    expect_category(expect_result(r), "tv", "", 0, 7, -1, -1);
    json_decref(r);

    r = callf(f, "{\"id\":1,\"cmd\":\"category_list\"}");
    json_t *list = expect_result(r);
    assert_int_equal(json_array_size(list), 2); /* in name order */
    expect_category(json_array_get(list, 0), "movies", "/srv/movies", 1, 2, 150, 3600);
    expect_category(json_array_get(list, 1), "tv", "", 0, 7, -1, -1);
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

    r = callf(f, "{\"id\":1,\"cmd\":\"category_remove\",\"name\":\"tv\"}");
    assert_string_equal(json_string_value(json_object_get(expect_result(r), "name")), "tv");
    json_decref(r);
    expect_failure(f, CTL_E_NOT_FOUND, "'tv'",
                   "{\"id\":1,\"cmd\":\"category_remove\",\"name\":\"tv\"}");
    r = callf(f, "{\"id\":1,\"cmd\":\"category_list\"}");
    list = expect_result(r);
    assert_int_equal(json_array_size(list), 1);
    expect_category(json_array_get(list, 0), "movies", "/srv/movies", 1, 2, 150, 3600);
    json_decref(r);
}

/* --- the server on a real socket ---------------------------------------------------- */

static void on_quit(void *ud)
{
    struct fx *f = ud;
    f->quits++;
}

static void start_server(struct fx *f)
{
    char err[256] = "";
    int rc = ctl_server_start(&f->loop, f->e, f->sock, on_quit, f, &f->srv, err, sizeof(err));
    if (rc) fail_msg("ctl_server_start: %s", err);
}

static int connect_nb(const char *path)
{
    int fd = socket(AF_UNIX, SOCK_STREAM, 0);
    struct sockaddr_un a = {.sun_family = AF_UNIX};
    snprintf(a.sun_path, sizeof(a.sun_path), "%s", path);
    assert_int_equal(connect(fd, (struct sockaddr *)&a, sizeof(a)), 0);
    fcntl(fd, F_SETFL, O_NONBLOCK);
    return fd;
}

static uint64_t now_ms(void)
{
    return uv_hrtime() / 1000000;
}

/* Runs the loop while sending `out` (may be NULL) and reading until `want`
 * newline-terminated lines arrived or EOF; returns the bytes read. */
static size_t exchange(struct fx *f, int fd, const char *out, size_t n_out, int want, char *in,
                       size_t cap, bool *eof)
{
    size_t sent = 0, got = 0;
    int lines = 0;
    *eof = false;
    uint64_t deadline = now_ms() + 10000;
    while (now_ms() < deadline && lines < want && !*eof) {
        if (out && sent < n_out) {
            ssize_t w = send(fd, out + sent, n_out - sent, MSG_NOSIGNAL);
            if (w > 0) sent += (size_t)w;
        }
        uv_run(&f->loop, UV_RUN_NOWAIT);
        ssize_t r = recv(fd, in + got, cap - 1 - got, 0);
        if (r == 0) *eof = true;
        if (r > 0) {
            for (ssize_t i = 0; i < r; i++)
                lines += in[got + i] == '\n';
            got += (size_t)r;
        }
        if (r < 0) usleep(1000);
    }
    in[got] = '\0';
    return got;
}

static void test_server_serves_pipelined_and_concurrent_clients(void **state)
{
    struct fx *f = *state;
    start_server(f);
    struct stat st;
    assert_int_equal(stat(f->sock, &st), 0);
    assert_true(S_ISSOCK(st.st_mode));
    assert_int_equal(st.st_mode & 0777, 0600);

    int a = connect_nb(f->sock), b = connect_nb(f->sock);
    char in[8192];
    bool eof;
    /* two requests in one write, a blank line between them is ignored */
    const char *req = "{\"id\":1,\"cmd\":\"ls\"}\n\n{\"id\":2,\"cmd\":\"nope\"}\n";
    exchange(f, a, req, strlen(req), 2, in, sizeof(in), &eof);
    assert_false(eof);
    assert_string_equal(in, "{\"id\":1,\"result\":[]}\n"
                            "{\"id\":2,\"error\":{\"code\":\"unknown_command\",\"message\":"
                            "\"unknown command 'nope'\"}}\n");
    /* a CRLF client on the other connection */
    req = "{\"id\":3,\"cmd\":\"ls\"}\r\n";
    exchange(f, b, req, strlen(req), 1, in, sizeof(in), &eof);
    assert_string_equal(in, "{\"id\":3,\"result\":[]}\n");
    close(a);
    close(b);
    ctl_server_close(f->srv);
    f->srv = NULL;
    assert_int_equal(access(f->sock, F_OK), -1); /* unlinked */
}

/* A deferred reply (`add` of a path) keeps the order of replies: the
 * request after it in the same write is served only once it is sent. A
 * client that leaves while its reply is pending costs nothing (ASan). */
static void test_server_deferred_reply_keeps_order(void **state)
{
    struct fx *f = *state;
    start_server(f);
    char path[160], req[512], in[8192];
    snprintf(path, sizeof(path), "%s/order.torrent", f->dir);
    write_torrent(path, "order.bin");
    snprintf(req, sizeof(req),
             "{\"id\":1,\"cmd\":\"add\",\"sources\":[\"%s\"],\"paused\":true}\n"
             "{\"id\":2,\"cmd\":\"ls\"}\n",
             path);
    int a = connect_nb(f->sock);
    bool eof;
    exchange(f, a, req, strlen(req), 2, in, sizeof(in), &eof);
    char *nl = strchr(in, '\n');
    assert_non_null(nl);
    *nl = '\0';
    json_t *first = json_loads(in, 0, NULL), *second = json_loads(nl + 1, 0, NULL);
    assert_non_null(first);
    assert_non_null(second);
    assert_int_equal(json_integer_value(json_object_get(first, "id")), 1);
    assert_int_equal(json_integer_value(json_object_get(second, "id")), 2);
    /* ls, served after the add, lists the torrent */
    assert_int_equal(json_array_size(json_object_get(second, "result")), 1);
    json_decref(first);
    json_decref(second);
    close(a);

    /* a client that sends an add and leaves at once */
    snprintf(req, sizeof(req), "{\"id\":3,\"cmd\":\"add\",\"sources\":[\"%s\"]}\n", path);
    int b = connect_nb(f->sock);
    assert_int_equal(send(b, req, strlen(req), 0), (ssize_t)strlen(req));
    for (int i = 0; i < 50; i++) {
        uv_run(&f->loop, UV_RUN_NOWAIT);
        usleep(1000);
    }
    close(b);
    for (int i = 0; i < 200; i++) {
        uv_run(&f->loop, UV_RUN_NOWAIT);
        usleep(1000);
    }
    /* the server still serves others */
    int c = connect_nb(f->sock);
    const char *ls = "{\"id\":4,\"cmd\":\"ls\"}\n";
    exchange(f, c, ls, strlen(ls), 1, in, sizeof(in), &eof);
    assert_non_null(strstr(in, "\"id\":4"));
    close(c);
}

static void test_server_serves_last_line_without_newline(void **state)
{
    struct fx *f = *state;
    start_server(f);
    int a = connect_nb(f->sock);
    const char *req = "{\"id\":4,\"cmd\":\"ls\"}";
    assert_int_equal(send(a, req, strlen(req), 0), (ssize_t)strlen(req));
    shutdown(a, SHUT_WR);
    char in[1024];
    bool eof;
    exchange(f, a, NULL, 0, 1, in, sizeof(in), &eof);
    assert_string_equal(in, "{\"id\":4,\"result\":[]}\n");
    exchange(f, a, NULL, 0, 1, in, sizeof(in), &eof);
    assert_true(eof); /* closed after answering */
    close(a);
}

static void test_server_line_too_long_is_answered_then_closed(void **state)
{
    struct fx *f = *state;
    start_server(f);
    int a = connect_nb(f->sock);
    size_t n = CTL_MAX_LINE + 4096;
    char *big = malloc(n);
    memset(big, ' ', n);
    memcpy(big, "{\"id\":1,\"cmd\":\"ls\"}\n", 20);
    char in[4096];
    bool eof;
    exchange(f, a, big, n, 2, in, sizeof(in), &eof);
    /* the request before the long line is still answered */
    assert_non_null(strstr(in, "{\"id\":1,\"result\":[]}\n"));
    assert_non_null(strstr(in, "{\"id\":null,\"error\":{\"code\":\"line_too_long\""));
    exchange(f, a, NULL, 0, 1, in, sizeof(in), &eof);
    assert_true(eof);
    free(big);
    close(a);
    /* the server still serves others */
    int b = connect_nb(f->sock);
    const char *req = "{\"id\":5,\"cmd\":\"ls\"}\n";
    exchange(f, b, req, strlen(req), 1, in, sizeof(in), &eof);
    assert_string_equal(in, "{\"id\":5,\"result\":[]}\n");
    close(b);
}

static void test_server_quit_replies_then_calls_on_quit(void **state)
{
    struct fx *f = *state;
    start_server(f);
    int a = connect_nb(f->sock);
    const char *req = "{\"id\":6,\"cmd\":\"quit\"}\n{\"id\":7,\"cmd\":\"ls\"}\n";
    char in[1024];
    bool eof;
    exchange(f, a, req, strlen(req), 1, in, sizeof(in), &eof);
    assert_string_equal(in, "{\"id\":6,\"result\":true}\n");
    for (int i = 0; i < 10; i++)
        uv_run(&f->loop, UV_RUN_NOWAIT);
    assert_int_equal(f->quits, 1);
    /* nothing is served after quit */
    exchange(f, a, NULL, 0, 1, in, sizeof(in), &eof);
    assert_string_equal(in, "");
    close(a);
}

static void test_server_replaces_stale_socket_refuses_live_one(void **state)
{
    struct fx *f = *state;
    /* a socket file left behind by a crashed instance */
    int fd = socket(AF_UNIX, SOCK_STREAM, 0);
    struct sockaddr_un a = {.sun_family = AF_UNIX};
    snprintf(a.sun_path, sizeof(a.sun_path), "%s", f->sock);
    assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof(a)), 0);
    close(fd);
    start_server(f);

    struct ctl_server *second = NULL;
    char err[256] = "";
    int rc = ctl_server_start(&f->loop, f->e, f->sock, on_quit, f, &second, err, sizeof(err));
    assert_int_equal(rc, -EADDRINUSE);
    assert_null(second);
    assert_non_null(strstr(err, "already listening"));
    assert_int_equal(access(f->sock, F_OK), 0); /* the live socket is untouched */

    /* a regular file is never unlinked */
    char file[128];
    snprintf(file, sizeof(file), "%s/not-a-socket", f->dir);
    fclose(fopen(file, "w"));
    rc = ctl_server_start(&f->loop, f->e, file, on_quit, f, &second, err, sizeof(err));
    assert_int_equal(rc, -ENOTSOCK);
    assert_int_equal(access(file, F_OK), 0);
}

/* --- the CLI client against a server in another thread ------------------------------ */

struct daemon {
    struct fx f;
    sem_t ready;
    int start_rc;
};

static void daemon_quit(void *ud)
{
    struct daemon *d = ud;
    ctl_server_close(d->f.srv);
    d->f.srv = NULL;
    eng_shutdown(d->f.e, 2000); /* the loop ends once its handles close */
}

static void *daemon_main(void *arg)
{
    struct daemon *d = arg;
    struct fx *f = &d->f;
    char err[256];
    uv_loop_init(&f->loop);
    d->start_rc = fx_open_engine(f);
    if (d->start_rc == 0)
        d->start_rc =
            ctl_server_start(&f->loop, f->e, f->sock, daemon_quit, d, &f->srv, err, sizeof(err));
    sem_post(&d->ready);
    if (d->start_rc == 0) uv_run(&f->loop, UV_RUN_DEFAULT);
    fx_close_engine(f);
    uv_loop_close(&f->loop);
    return NULL;
}

/* Runs `spate ARGS...` in this thread; stdout and stderr land in out/errout. */
static int cli(const char *sock, char *out, size_t n, char *errout, size_t en, const char *first,
               ...)
{
    static char *argv[32];
    int argc = 0;
    argv[argc++] = "spate";
    va_list ap;
    va_start(ap, first);
    for (const char *a = first; a; a = va_arg(ap, const char *))
        argv[argc++] = (char *)a;
    va_end(ap);
    struct ctl_args args;
    char err[256];
    assert_int_equal(ctl_args_parse(argc, argv, &args, err, sizeof(err)), 0);

    fflush(stdout);
    fflush(stderr);
    FILE *o = tmpfile(), *e = tmpfile();
    int so = dup(1), se = dup(2);
    dup2(fileno(o), 1);
    dup2(fileno(e), 2);
    int rc = ctl_client_run(&args, sock);
    fflush(stdout);
    fflush(stderr);
    dup2(so, 1);
    dup2(se, 2);
    close(so);
    close(se);
    rewind(o);
    rewind(e);
    out[fread(out, 1, n - 1, o)] = '\0';
    errout[fread(errout, 1, en - 1, e)] = '\0';
    fclose(o);
    fclose(e);
    return rc;
}

/* A daemon (engine + server on their own loop) on a thread; stopped by a
 * `quit` request, then joined by the test and released with daemon_free. */
static struct daemon *daemon_start(pthread_t *th)
{
    struct daemon *d = calloc(1, sizeof(*d));
    assert_non_null(d);
    assert_int_equal(fx_init_dirs(&d->f), 0);
    sem_init(&d->ready, 0, 0);
    assert_int_equal(pthread_create(th, NULL, daemon_main, d), 0);
    sem_wait(&d->ready);
    assert_int_equal(d->start_rc, 0);
    return d;
}

static void daemon_free(struct daemon *d)
{
    sem_destroy(&d->ready);
    rm_rf(d->f.dir);
    free(d);
}

static void test_client_talks_to_server(void **state)
{
    (void)state;
    pthread_t th;
    struct daemon *d = daemon_start(&th);

    static char out[65536], err[4096];
    const char *sock = d->f.sock;
    char tpath[160];
    snprintf(tpath, sizeof(tpath), "%s/cli.torrent", d->f.dir);
    write_torrent(tpath, "cli.bin");

    /* a relative path is resolved by the client */
    char cwd[512];
    assert_non_null(getcwd(cwd, sizeof(cwd)));
    assert_int_equal(chdir(d->f.dir), 0);
    int rc = cli(sock, out, sizeof(out), err, sizeof(err), "add", "--paused", "--dir", "sub",
                 "cli.torrent", NULL);
    assert_int_equal(chdir(cwd), 0);
    if (rc != 0) fail_msg("add failed (%d): %s", rc, err);
    assert_string_equal(out, "added 1 cli.bin\n");

    /* poll until the engine's first status refresh has filled the row */
    json_t *ls = NULL;
    for (int i = 0; i < 100; i++) {
        json_decref(ls);
        rc = cli(sock, out, sizeof(out), err, sizeof(err), "ls", "--json", NULL);
        assert_int_equal(rc, 0);
        ls = json_loads(out, 0, NULL);
        assert_int_equal(json_array_size(ls), 1);
        if (json_integer_value(json_object_get(json_array_get(ls, 0), "total_bytes")) > 0) break;
        usleep(50000);
    }
    char want_dir[160];
    snprintf(want_dir, sizeof(want_dir), "%s/sub", d->f.dir);
    assert_string_equal(json_string_value(json_object_get(json_array_get(ls, 0), "save_path")),
                        want_dir);
    json_decref(ls);

    rc = cli(sock, out, sizeof(out), err, sizeof(err), "ls", NULL);
    assert_int_equal(rc, 0);
    assert_non_null(strstr(out, "NAME\n"));
    assert_non_null(strstr(out, "16.0 KiB"));
    assert_non_null(strstr(out, "paused"));
    assert_non_null(strstr(out, "cli.bin\n"));

    rc = cli(sock, out, sizeof(out), err, sizeof(err), "info", "1", NULL);
    assert_int_equal(rc, 0);
    assert_non_null(strstr(out, "name:"));
    assert_non_null(strstr(out, "16.0 KiB (16384 bytes)"));

    rc = cli(sock, out, sizeof(out), err, sizeof(err), "info", "1", "--json", NULL);
    assert_int_equal(rc, 0);
    json_t *info = json_loads(out, 0, NULL);
    assert_int_equal(json_integer_value(json_object_get(info, "num_pieces")), 1);
    json_decref(info);

    /* errors from the instance: one line, exit 2 */
    rc = cli(sock, out, sizeof(out), err, sizeof(err), "pause", "9", NULL);
    assert_int_equal(rc, CTL_EXIT_USAGE);
    assert_string_equal(err, "spate: no torrent matches ID '9'\n");
    rc = cli(sock, out, sizeof(out), err, sizeof(err), "add", "magnet:?xt=urn:btih:zz", NULL);
    assert_int_equal(rc, CTL_EXIT_USAGE);
    assert_non_null(strstr(err, "spate: cannot add 'magnet:?xt=urn:btih:zz'"));
    rc = cli(sock, out, sizeof(out), err, sizeof(err), "add", tpath, NULL);
    assert_int_equal(rc, CTL_EXIT_USAGE); /* exists */

    /* info's file table; a priority set by the CLI shows up in it */
    rc = cli(sock, out, sizeof(out), err, sizeof(err), "info", "1", NULL);
    assert_int_equal(rc, 0);
    assert_non_null(strstr(out, "\nfiles:             1\n"
                                " INDEX  PRIORITY      SIZE  PATH\n"
                                "     0  normal    16.0 KiB  cli.bin\n"));
    rc = cli(sock, out, sizeof(out), err, sizeof(err), "priority", "1", "skip", "0", NULL);
    if (rc != 0) fail_msg("priority failed (%d): %s", rc, err);
    assert_string_equal(out, "set priority skip on file 0 of torrent 1\n");
    for (int i = 0; i < 100; i++) {
        rc = cli(sock, out, sizeof(out), err, sizeof(err), "info", "1", NULL);
        assert_int_equal(rc, 0);
        if (strstr(out, "     0  skip      16.0 KiB  cli.bin\n")) break;
        usleep(50000);
    }
    assert_non_null(strstr(out, "     0  skip      16.0 KiB  cli.bin\n"));
    rc = cli(sock, out, sizeof(out), err, sizeof(err), "priority", "1", "7", "all", NULL);
    assert_int_equal(rc, 0);
    assert_string_equal(out, "set priority high on all files of torrent 1\n");

    /* an index past the end, an unknown torrent, a torrent without
     * metadata: one line each, exit 2 */
    rc = cli(sock, out, sizeof(out), err, sizeof(err), "priority", "1", "low", "0", "3", NULL);
    assert_int_equal(rc, CTL_EXIT_USAGE);
    assert_string_equal(err, "spate: torrent 1 has no file 3 (its files are 0..0)\n");
    rc = cli(sock, out, sizeof(out), err, sizeof(err), "priority", "9", "low", "0", NULL);
    assert_int_equal(rc, CTL_EXIT_USAGE);
    assert_string_equal(err, "spate: no torrent matches ID '9'\n");
    rc = cli(sock, out, sizeof(out), err, sizeof(err), "add", "--paused",
             "magnet:?xt=urn:btih:00112233445566778899aabbccddeeff00112233", NULL);
    assert_int_equal(rc, 0);
    assert_non_null(strstr(out, "added 2 "));
    rc = cli(sock, out, sizeof(out), err, sizeof(err), "priority", "2", "low", "all", NULL);
    assert_int_equal(rc, CTL_EXIT_USAGE);
    assert_string_equal(err, "spate: torrent 2 has no metadata yet: its files are not known\n");
    rc = cli(sock, out, sizeof(out), err, sizeof(err), "info", "2", NULL);
    assert_int_equal(rc, 0);
    assert_non_null(strstr(out, "\nfiles:             not known yet (no metadata)\n"));

    rc = cli(sock, out, sizeof(out), err, sizeof(err), "resume", "1", NULL);
    assert_int_equal(rc, 0);
    assert_string_equal(out, "resumed 1\n");

    rc = cli(sock, out, sizeof(out), err, sizeof(err), "quit", NULL);
    assert_int_equal(rc, 0);
    pthread_join(th, NULL);
    assert_int_equal(access(sock, F_OK), -1);
    rc = cli(sock, out, sizeof(out), err, sizeof(err), "ls", NULL);
    assert_int_equal(rc, CTL_EXIT_NO_INSTANCE);

    daemon_free(d);
}

static void test_client_config_get_set_reset(void **state)
{
    (void)state;
    pthread_t th;
    struct daemon *d = daemon_start(&th);
    static char out[65536], err[4096];
    const char *sock = d->f.sock;

    int rc = cli(sock, out, sizeof(out), err, sizeof(err), "config", "get", "download_rate_limit",
                 "enable_dht", "spate.mount_dir", NULL);
    if (rc != 0) fail_msg("config get failed (%d): %s", rc, err);
    assert_string_equal(out, "download_rate_limit = 0\n"
                             "enable_dht = false (default: true)\n"
                             "spate.mount_dir = \"\"\n");

    rc = cli(sock, out, sizeof(out), err, sizeof(err), "config", "set", "download_rate_limit",
             "12345", NULL);
    if (rc != 0) fail_msg("config set failed (%d): %s", rc, err);
    assert_string_equal(out, "download_rate_limit = 12345 (stored)\n");
    rc =
        cli(sock, out, sizeof(out), err, sizeof(err), "config", "set", "spate.mount_dir", "", NULL);
    assert_int_equal(rc, 0);
    assert_string_equal(out, "spate.mount_dir = \"\" (stored)\n");
    /* a negative number is a value, not an option */
    rc = cli(sock, out, sizeof(out), err, sizeof(err), "config", "set", "active_downloads", "-1",
             NULL);
    assert_int_equal(rc, 0);
    assert_string_equal(out, "active_downloads = -1 (stored)\n");

    rc = cli(sock, out, sizeof(out), err, sizeof(err), "config", "get", "download_rate_limit",
             "spate.mount_dir", "active_downloads", NULL);
    assert_int_equal(rc, 0);
    assert_string_equal(out, "download_rate_limit = 12345 (stored: 12345) (default: 0)\n"
                             "spate.mount_dir = \"\" (stored: \"\")\n"
                             "active_downloads = -1 (stored: -1) (default: 3)\n");

    rc = cli(sock, out, sizeof(out), err, sizeof(err), "config", "get", "--json",
             "download_rate_limit", "spate.mount_dir", NULL);
    assert_int_equal(rc, 0);
    json_t *rows = json_loads(out, 0, NULL);
    assert_int_equal(json_array_size(rows), 2);
    expect_row(json_array_get(rows, 0), "download_rate_limit", "12345", "12345", "0", "12345");
    expect_row(json_array_get(rows, 1), "spate.mount_dir", "", "", "", NULL);
    json_decref(rows);
    /* `config get` with no key: every session key */
    static char all[1 << 20];
    rc = cli(sock, all, sizeof(all), err, sizeof(err), "config", "get", "--json", NULL);
    assert_int_equal(rc, 0);
    rows = json_loads(all, 0, NULL);
    size_t n_session = 0;
    for (size_t i = 0; i < reg_count(); i++)
        n_session += (reg_at(i)->scope & REG_SESSION) != 0;
    assert_int_equal(json_array_size(rows), n_session);
    json_decref(rows);

    /* a bad value, an unknown key: one line, exit 2, nothing changed */
    rc = cli(sock, out, sizeof(out), err, sizeof(err), "config", "set", "download_rate_limit",
             "fast", NULL);
    assert_int_equal(rc, CTL_EXIT_USAGE);
    assert_string_equal(err, "spate: setting 'download_rate_limit' takes an integer, not "
                             "'fast'\n");
    assert_string_equal(out, "");
    rc = cli(sock, out, sizeof(out), err, sizeof(err), "config", "reset", "download_rate_limit",
             "nope", NULL);
    assert_int_equal(rc, CTL_EXIT_USAGE);
    assert_string_equal(err, "spate: unknown setting 'nope'\n");
    rc =
        cli(sock, out, sizeof(out), err, sizeof(err), "config", "get", "download_rate_limit", NULL);
    assert_int_equal(rc, 0);
    assert_string_equal(out, "download_rate_limit = 12345 (stored: 12345) (default: 0)\n");

    rc = cli(sock, out, sizeof(out), err, sizeof(err), "config", "reset", "download_rate_limit",
             "spate.mount_dir", "active_downloads", NULL);
    assert_int_equal(rc, 0);
    assert_string_equal(out, "download_rate_limit = 0 (default)\n"
                             "spate.mount_dir = \"\" (default)\n"
                             "active_downloads = 3 (default)\n");
    rc = cli(sock, out, sizeof(out), err, sizeof(err), "config", "get", "download_rate_limit",
             "active_downloads", NULL);
    assert_int_equal(rc, 0);
    assert_string_equal(out, "download_rate_limit = 0\nactive_downloads = 3\n");

    rc = cli(sock, out, sizeof(out), err, sizeof(err), "quit", NULL);
    assert_int_equal(rc, 0);
    pthread_join(th, NULL);
    daemon_free(d);
}

static void test_client_set_get_category_stats(void **state)
{
    (void)state;
    pthread_t th;
    struct daemon *d = daemon_start(&th);
    static char out[65536], err[4096];
    const char *sock = d->f.sock;

    int rc = cli(sock, out, sizeof(out), err, sizeof(err), "category", "set", "movies",
                 "download_limit=5000", "share_ratio_limit=150", "save_path=", NULL);
    if (rc != 0) fail_msg("category set failed (%d): %s", rc, err);
    assert_string_equal(out, "NAME           DOWN          UP  RATIO SEED TIME  SAVE PATH\n"
                             "movies    4.8 KiB/s           -   1.50         -  -\n");
    rc = cli(sock, out, sizeof(out), err, sizeof(err), "category", "ls", NULL);
    assert_int_equal(rc, 0);
    assert_non_null(strstr(out, "\nmovies    4.8 KiB/s "));
    rc = cli(sock, out, sizeof(out), err, sizeof(err), "category", "ls", "--json", NULL);
    assert_int_equal(rc, 0);
    json_t *cats = json_loads(out, 0, NULL);
    assert_int_equal(json_array_size(cats), 1);
    expect_category(json_array_get(cats, 0), "movies", "", 5000, 0, 150, -1);
    json_decref(cats);

    /* add with per-torrent settings: the category's limit, an explicit one, tags */
    char t1[160], t2[160];
    snprintf(t1, sizeof(t1), "%s/one.torrent", d->f.dir);
    snprintf(t2, sizeof(t2), "%s/two.torrent", d->f.dir);
    write_torrent(t1, "one.bin");
    write_torrent(t2, "two.bin");
    rc = cli(sock, out, sizeof(out), err, sizeof(err), "add", "--paused", "--opt",
             "upload_limit=3000", "--opt=pex=false", "--category", "movies", "--tags", "a,b", t1,
             NULL);
    if (rc != 0) fail_msg("add failed (%d): %s", rc, err);
    assert_string_equal(out, "added 1 one.bin\n");
    rc = cli(sock, out, sizeof(out), err, sizeof(err), "add", "--paused", t2, NULL);
    assert_int_equal(rc, 0);
    rc = cli(sock, out, sizeof(out), err, sizeof(err), "get", "1", "download_limit", "upload_limit",
             "pex", "category", "tags", NULL);
    if (rc != 0) fail_msg("get failed (%d): %s", rc, err);
    assert_string_equal(out, "download_limit = 5000\n"
                             "upload_limit = 3000\n"
                             "pex = false\n"
                             "category = movies\n"
                             "tags = a,b\n");
    rc = cli(sock, out, sizeof(out), err, sizeof(err), "info", "1", NULL);
    assert_int_equal(rc, 0);
    assert_non_null(strstr(out, "\ncategory:          movies\ntags:              a,b\n"));
    rc = cli(sock, out, sizeof(out), err, sizeof(err), "get", "2", "--json", NULL);
    assert_int_equal(rc, 0);
    json_t *rows = json_loads(out, 0, NULL);
    assert_int_equal(json_array_size(rows), n_torrent_keys());
    json_decref(rows);

    /* set: "-X" after set is a value, not an option */
    rc = cli(sock, out, sizeof(out), err, sizeof(err), "set", "1", "tags", "-a", NULL);
    if (rc != 0) fail_msg("set failed (%d): %s", rc, err);
    assert_string_equal(out, "tags = b\n");
    rc = cli(sock, out, sizeof(out), err, sizeof(err), "set", "1", "tags", "+c", NULL);
    assert_string_equal(out, "tags = b,c\n");
    rc = cli(sock, out, sizeof(out), err, sizeof(err), "set", "1", "2", "download_limit", "100",
             NULL);
    assert_int_equal(rc, 0);
    assert_string_equal(out, "torrent 1: download_limit = 100\n"
                             "torrent 2: download_limit = 100\n");
    rc =
        cli(sock, out, sizeof(out), err, sizeof(err), "set", "2", "max_connections", "70000", NULL);
    assert_int_equal(rc, 0);
    assert_string_equal(out, "max_connections = 65535\n");
    assert_non_null(strstr(err, "warning: "));
    /* errors: one line, exit 2, nothing changed */
    rc = cli(sock, out, sizeof(out), err, sizeof(err), "set", "1", "2", "download_limit", "fast",
             NULL);
    assert_int_equal(rc, CTL_EXIT_USAGE);
    assert_non_null(strstr(err, "'fast'"));
    assert_int_equal(strchr(err, '\n') - err + 1, (long)strlen(err));
    rc = cli(sock, out, sizeof(out), err, sizeof(err), "set", "2", "category", "nope", NULL);
    assert_int_equal(rc, CTL_EXIT_USAGE);
    assert_non_null(strstr(err, "spate: no category 'nope'"));
    rc = cli(sock, out, sizeof(out), err, sizeof(err), "get", "1", "2", NULL);
    assert_int_equal(rc, CTL_EXIT_USAGE);
    assert_non_null(strstr(err, "unknown setting '2'"));
    rc = cli(sock, out, sizeof(out), err, sizeof(err), "get", "2", "download_limit", NULL);
    assert_string_equal(out, "download_limit = 100\n");

    /* ls: the category and tags columns once a torrent has one; filters */
    rc = cli(sock, out, sizeof(out), err, sizeof(err), "ls", NULL);
    assert_int_equal(rc, 0);
    assert_non_null(strstr(out, "RATIO  CATEGORY  TAGS  NAME\n"));
    assert_non_null(strstr(out, "0.00  movies    b,c   one.bin\n"));
    assert_non_null(strstr(out, "0.00                  two.bin\n"));
    rc = cli(sock, out, sizeof(out), err, sizeof(err), "ls", "--category", "movies", NULL);
    assert_int_equal(rc, 0);
    assert_non_null(strstr(out, "one.bin"));
    assert_null(strstr(out, "two.bin"));
    rc = cli(sock, out, sizeof(out), err, sizeof(err), "ls", "--tag", "c", "--json", NULL);
    assert_int_equal(rc, 0);
    json_t *ls = json_loads(out, 0, NULL);
    assert_int_equal(json_array_size(ls), 1);
    assert_string_equal(json_string_value(json_object_get(json_array_get(ls, 0), "tags")), "b,c");
    json_decref(ls);

    rc = cli(sock, out, sizeof(out), err, sizeof(err), "stats", NULL);
    assert_int_equal(rc, 0);
    assert_non_null(strstr(out, "torrents:          2 (0 downloading"));
    assert_non_null(strstr(out, "\nalt speed limits:  off\n"));
    assert_non_null(strstr(out, "\nip filter:         "));
    assert_non_null(strstr(out, " ranges, 0 peers blocked\n"));
    rc = cli(sock, out, sizeof(out), err, sizeof(err), "stats", "--json", NULL);
    assert_int_equal(rc, 0);
    json_t *st = json_loads(out, 0, NULL);
    assert_true(json_is_false(json_object_get(st, "alt_speed")));
    assert_int_equal(json_integer_value(json_object_get(st, "blocked_peers")), 0);
    json_decref(st);

    rc = cli(sock, out, sizeof(out), err, sizeof(err), "category", "rm", "movies", NULL);
    assert_int_equal(rc, 0);
    assert_string_equal(out, "removed category movies\n");
    rc = cli(sock, out, sizeof(out), err, sizeof(err), "category", "rm", "movies", NULL);
    assert_int_equal(rc, CTL_EXIT_USAGE);
    assert_string_equal(err, "spate: no category 'movies'\n");
    rc = cli(sock, out, sizeof(out), err, sizeof(err), "get", "1", "category", NULL);
    assert_string_equal(out, "category = \"\"\n");

    rc = cli(sock, out, sizeof(out), err, sizeof(err), "quit", NULL);
    assert_int_equal(rc, 0);
    pthread_join(th, NULL);
    daemon_free(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_framer_splits_line_across_feeds),
        cmocka_unit_test(test_framer_yields_several_lines_from_one_feed),
        cmocka_unit_test(test_framer_accepts_line_of_max_length),
        cmocka_unit_test(test_framer_without_buffer_feeds_and_pops),
        cmocka_unit_test(test_framer_oversized_line_is_emsgsize),
        cmocka_unit_test(test_framer_keeps_lines_before_oversized_one),
        cmocka_unit_test(test_json_str_replaces_invalid_utf8),
#define ENG_TEST(t) cmocka_unit_test_setup_teardown(t, fx_setup, fx_teardown)
        ENG_TEST(test_proto_malformed_json_is_parse_error),
        ENG_TEST(test_proto_non_object_is_parse_error),
        ENG_TEST(test_proto_missing_or_bad_cmd_is_bad_request),
        ENG_TEST(test_proto_unknown_command),
        ENG_TEST(test_proto_ls_on_empty_table_is_empty_array),
        ENG_TEST(test_proto_bad_id_is_bad_id),
        ENG_TEST(test_proto_unknown_id_is_not_found),
        ENG_TEST(test_proto_every_failing_id_is_reported),
        ENG_TEST(test_proto_ids_must_be_a_nonempty_array),
        ENG_TEST(test_proto_add_garbage_magnet_is_invalid_torrent),
        ENG_TEST(test_proto_add_truncated_torrent_is_invalid_torrent),
        ENG_TEST(test_proto_add_of_fifo_device_or_directory_is_refused),
        ENG_TEST(test_proto_add_over_the_size_cap_is_refused),
        ENG_TEST(test_proto_add_of_a_path_defers_its_reply),
        ENG_TEST(test_proto_add_in_flight_at_shutdown_is_answered),
        ENG_TEST(test_proto_add_checks_its_fields),
        ENG_TEST(test_proto_add_ls_info_pause_remove),
        ENG_TEST(test_proto_batch_with_unknown_id_changes_nothing),
        ENG_TEST(test_proto_add_twice_is_exists),
        ENG_TEST(test_proto_add_reports_each_source),
        ENG_TEST(test_proto_info_lists_files_of_multi_file_torrent),
        ENG_TEST(test_proto_info_of_magnet_without_metadata_has_no_files),
        ENG_TEST(test_proto_priority_is_read_back_through_info),
        ENG_TEST(test_proto_priority_bad_request_changes_nothing),
        ENG_TEST(test_proto_priority_without_metadata_is_no_metadata),
        ENG_TEST(test_proto_stats_and_quit),
        ENG_TEST(test_proto_config_libtorrent_key_set_get_reset),
        ENG_TEST(test_proto_config_set_takes_numbers_and_booleans_as_text),
        ENG_TEST(test_proto_config_stores_normalized_and_keeps_history),
        ENG_TEST(test_proto_config_spate_key_has_no_native_value),
        ENG_TEST(test_proto_config_bad_value_or_unknown_key_changes_nothing),
        ENG_TEST(test_proto_config_groups_all_and_clamping),
        ENG_TEST(test_proto_config_stored_value_applies_after_reopen),
        ENG_TEST(test_proto_set_get_limits_and_flags),
        ENG_TEST(test_proto_set_queue_position_top_and_bottom),
        ENG_TEST(test_proto_set_trackers_and_web_seeds_with_edits),
        ENG_TEST(test_proto_set_tags_and_category),
        ENG_TEST(test_proto_set_save_path_moves_the_torrent),
        ENG_TEST(test_proto_set_bad_request_changes_nothing),
        ENG_TEST(test_proto_add_with_opts_applies_them),
        ENG_TEST(test_proto_add_with_bad_opt_adds_nothing),
        ENG_TEST(test_proto_category_set_list_remove),
        ENG_TEST(test_server_serves_pipelined_and_concurrent_clients),
        ENG_TEST(test_server_serves_last_line_without_newline),
        ENG_TEST(test_server_deferred_reply_keeps_order),
        ENG_TEST(test_server_line_too_long_is_answered_then_closed),
        ENG_TEST(test_server_quit_replies_then_calls_on_quit),
        ENG_TEST(test_server_replaces_stale_socket_refuses_live_one),
        cmocka_unit_test(test_client_talks_to_server),
        cmocka_unit_test(test_client_config_get_set_reset),
        cmocka_unit_test(test_client_set_get_category_stats),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
