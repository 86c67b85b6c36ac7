/*
 * test_ctl_commands.c — ctl_handle_line() against a real engine (the shared
 * fixture: loopback libtorrent session, fresh dir and store per test):
 * request parsing and error codes, add (sources, refusals, deferred
 * replies), ls, info, pause, remove, file priorities, stats and quit.
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
    json_t *r =
        fx_callf(f, "{\"id\":1,\"cmd\":\"add\",\"sources\":[\"%s\"],\"paused\":true}", path);
    json_t *one = json_array_get(fx_expect_result(r), 0);
    assert_null(json_object_get(one, "error"));
    int id = (int)json_integer_value(json_object_get(one, "id"));
    json_decref(r);
    assert_true(id >= 1);
    return id;
}

/* The "files" array of `info` for torrent `id` (a new reference). */
static json_t *info_files(struct fx *f, int id)
{
    json_t *r = fx_callf(f, "{\"id\":1,\"cmd\":\"info\",\"ids\":[%d]}", id);
    json_t *files = json_object_get(json_array_get(fx_expect_result(r), 0), "files");
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

/* --- ctl_handle_line with a real engine ---------------------------------------------- */

static void test_proto_malformed_json_is_parse_error(void **state)
{
    struct fx *f = *state;
    const char *bad[] = {"{", "{\"id\":1,\"cmd\":}", "not json", "{\"id\":1} trailing",
                         "{\"a\":1,\"a\":2}"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        json_t *r = fx_call(f, bad[i], NULL);
        fx_expect_error(r, CTL_E_PARSE);
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
        json_t *r = fx_call(f, bad[i], NULL);
        json_t *e = fx_expect_error(r, CTL_E_PARSE);
        assert_non_null(strstr(json_string_value(json_object_get(e, "message")), "object"));
        json_decref(r);
    }
}

static void test_proto_missing_or_bad_cmd_is_bad_request(void **state)
{
    struct fx *f = *state;
    json_t *r = fx_call(f, "{\"id\":5}", NULL);
    fx_expect_error(r, CTL_E_BAD_REQUEST);
    assert_int_equal(json_integer_value(json_object_get(r, "id")), 5);
    json_decref(r);

    r = fx_call(f, "{\"id\":\"x\",\"cmd\":3}", NULL);
    fx_expect_error(r, CTL_E_BAD_REQUEST);
    assert_string_equal(json_string_value(json_object_get(r, "id")), "x");
    json_decref(r);

    r = fx_call(f, "{\"id\":{},\"cmd\":\"ls\"}", NULL);
    fx_expect_error(r, CTL_E_BAD_REQUEST);
    assert_true(json_is_null(json_object_get(r, "id")));
    json_decref(r);
}

static void test_proto_unknown_command(void **state)
{
    struct fx *f = *state;
    json_t *r = fx_call(f, "{\"id\":9,\"cmd\":\"frobnicate\"}", NULL);
    json_t *e = fx_expect_error(r, CTL_E_UNKNOWN_COMMAND);
    assert_non_null(strstr(json_string_value(json_object_get(e, "message")), "frobnicate"));
    assert_int_equal(json_integer_value(json_object_get(r, "id")), 9);
    json_decref(r);
}

static void test_proto_ls_on_empty_table_is_empty_array(void **state)
{
    struct fx *f = *state;
    json_t *r = fx_call(f, "{\"id\":2,\"cmd\":\"ls\"}", NULL);
    json_t *res = fx_expect_result(r);
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
        json_t *r = fx_callf(f, "{\"id\":1,\"cmd\":\"%s\",\"ids\":[\"xyz\"]}", cmds[i]);
        json_t *e = fx_expect_error(r, CTL_E_BAD_ID);
        assert_non_null(strstr(json_string_value(json_object_get(e, "message")), "'xyz'"));
        json_decref(r);
    }
    json_t *r = fx_callf(f, "{\"id\":1,\"cmd\":\"pause\",\"ids\":[\"abc\"]}"); /* < 6 hex */
    fx_expect_error(r, CTL_E_BAD_ID);
    json_decref(r);
    char longid[300];
    memset(longid, 'a', sizeof(longid) - 1);
    longid[sizeof(longid) - 1] = '\0';
    r = fx_callf(f, "{\"id\":1,\"cmd\":\"pause\",\"ids\":[\"%s\"]}", longid);
    fx_expect_error(r, CTL_E_BAD_ID);
    json_decref(r);
}

static void test_proto_unknown_id_is_not_found(void **state)
{
    struct fx *f = *state;
    json_t *r = fx_callf(f, "{\"id\":1,\"cmd\":\"info\",\"ids\":[\"42\"]}");
    fx_expect_error(r, CTL_E_NOT_FOUND);
    json_decref(r);
    r = fx_callf(f, "{\"id\":1,\"cmd\":\"pause\",\"ids\":[\"abcdef12\"]}");
    fx_expect_error(r, CTL_E_NOT_FOUND);
    json_decref(r);
    /* integers are accepted as IDs too */
    r = fx_callf(f, "{\"id\":1,\"cmd\":\"remove\",\"ids\":[7]}");
    fx_expect_error(r, CTL_E_NOT_FOUND);
    json_decref(r);
}

static void test_proto_every_failing_id_is_reported(void **state)
{
    struct fx *f = *state;
    json_t *r = fx_callf(f, "{\"id\":1,\"cmd\":\"pause\",\"ids\":[\"42\",\"zz\"]}");
    json_t *e = fx_expect_error(r, CTL_E_NOT_FOUND); /* the first failure's code */
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
        json_t *r = fx_call(f, bad[i], NULL);
        fx_expect_error(r, CTL_E_BAD_REQUEST);
        json_decref(r);
    }
}

static void test_proto_add_garbage_magnet_is_invalid_torrent(void **state)
{
    struct fx *f = *state;
    json_t *r =
        fx_callf(f, "{\"id\":3,\"cmd\":\"add\",\"sources\":[\"magnet:?xt=urn:btih:zzzz\"]}");
    json_t *e = fx_expect_error(r, CTL_E_INVALID_TORRENT);
    assert_int_equal(json_array_size(json_object_get(e, "results")), 1);
    json_decref(r);
    r = fx_callf(f, "{\"id\":3,\"cmd\":\"add\",\"sources\":[\"magnet:garbage\"]}");
    fx_expect_error(r, CTL_E_INVALID_TORRENT);
    json_decref(r);
    assert_int_equal(eng_torrent_count(f->e), 0);
}

static void test_proto_add_truncated_torrent_is_invalid_torrent(void **state)
{
    struct fx *f = *state;
    char good[160], cut[160];
    snprintf(good, sizeof(good), "%s/good.torrent", f->dir);
    snprintf(cut, sizeof(cut), "%s/cut.torrent", f->dir);
    fx_write_torrent(good, "good.bin");
    /* the same file cut in the middle of the pieces string */
    FILE *in = fopen(good, "rb");
    char buf[512];
    size_t n = fread(buf, 1, sizeof(buf), in);
    fclose(in);
    FILE *out = fopen(cut, "wb");
    fwrite(buf, 1, n - 12, out);
    fclose(out);

    json_t *r = fx_callf(f, "{\"id\":4,\"cmd\":\"add\",\"sources\":[\"%s\"]}", cut);
    json_t *e = fx_expect_error(r, CTL_E_INVALID_TORRENT);
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
        json_t *r = fx_callf(f, "{\"id\":5,\"cmd\":\"add\",\"sources\":[\"%s\"]}", cases[i].path);
        json_t *e = fx_expect_error(r, CTL_E_INVALID_TORRENT);
        const char *m = json_string_value(json_object_get(e, "message"));
        if (!strstr(m, cases[i].what)) fail_msg("%s: %s", cases[i].path, m);
        json_decref(r);
    }
    assert_int_equal(eng_torrent_count(f->e), 0);
}

/* Regression (issue 10): `add` read a source of any size. Now
 * spate.torrent_file_max_bytes caps what `add` reads, and the message
 * names the setting. */
static void test_proto_add_over_the_size_cap_is_refused(void **state)
{
    struct fx *f = *state;
    char path[160], msg[256] = "";
    snprintf(path, sizeof(path), "%s/big.torrent", f->dir);
    fx_write_torrent(path, "big.bin");
    assert_int_equal(eng_setting_set(f->e, "spate.torrent_file_max_bytes", "1024", msg, sizeof msg),
                     0);
    FILE *fp = fopen(path, "ab");
    assert_non_null(fp);
    for (int i = 0; i < 2048; i++)
        fputc(' ', fp);
    fclose(fp);
    json_t *r = fx_callf(f, "{\"id\":6,\"cmd\":\"add\",\"sources\":[\"%s\"]}", path);
    json_t *e = fx_expect_error(r, CTL_E_INVALID_TORRENT);
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

/* Regression (issue 10): `add` of a path read the file on the loop thread.
 * Now `add` of a path defers its reply (the file is read on a worker): the
 * reply comes through the callback once the loop runs, with the request's
 * id, in exactly the format of a direct reply; a magnet is answered at
 * once. */
static void test_proto_add_of_a_path_defers_its_reply(void **state)
{
    struct fx *f = *state;
    char path[160], line[512];
    snprintf(path, sizeof(path), "%s/later.torrent", f->dir);
    fx_write_torrent(path, "later.bin");
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
    json_t *res = fx_expect_result(r);
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
    fx_write_torrent(path, "inflight.bin");
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
    json_t *e = fx_expect_error(r, CTL_E_INTERNAL);
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
        json_t *r = fx_call(f, bad[i], NULL);
        fx_expect_error(r, CTL_E_BAD_REQUEST);
        json_decref(r);
    }
}

static void test_proto_add_ls_info_pause_remove(void **state)
{
    struct fx *f = *state;
    int id;
    json_decref(fx_add_torrent(f, "one.bin", &id));
    fx_wait_for_status(f, id);

    json_t *r = fx_callf(f, "{\"id\":1,\"cmd\":\"ls\"}");
    json_t *ls = fx_expect_result(r);
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
    r = fx_callf(f, "{\"id\":1,\"cmd\":\"info\",\"ids\":[\"%s\"]}", prefix);
    json_t *info = json_array_get(fx_expect_result(r), 0);
    assert_int_equal(json_integer_value(json_object_get(info, "id")), id);
    assert_int_equal(json_integer_value(json_object_get(info, "piece_length")), 16384);
    assert_int_equal(json_integer_value(json_object_get(info, "num_pieces")), 1);
    assert_true(json_is_true(json_object_get(info, "has_metadata")));
    assert_true(json_is_true(json_object_get(info, "user_paused")));
    assert_true(json_is_null(json_object_get(info, "info_hash_v2")));
    assert_true(json_is_null(json_object_get(info, "completed_time")));
    assert_true(json_integer_value(json_object_get(info, "added_time")) > 1600000000);
    json_decref(r);

    r = fx_callf(f, "{\"id\":1,\"cmd\":\"resume\",\"ids\":[\"%d\"]}", id);
    assert_int_equal(json_integer_value(json_array_get(fx_expect_result(r), 0)), id);
    json_decref(r);
    assert_false(eng_torrent_by_id(f->e, id)->user_paused);

    r = fx_callf(f, "{\"id\":1,\"cmd\":\"pause\",\"ids\":[\"%d\"]}", id);
    fx_expect_result(r);
    json_decref(r);
    assert_true(eng_torrent_by_id(f->e, id)->user_paused);

    r = fx_callf(f, "{\"id\":1,\"cmd\":\"remove\",\"ids\":[\"%d\"],\"delete_data\":false}", id);
    assert_int_equal(json_integer_value(json_array_get(fx_expect_result(r), 0)), id);
    json_decref(r);
    assert_int_equal(eng_torrent_count(f->e), 0);
    r = fx_callf(f, "{\"id\":1,\"cmd\":\"ls\"}");
    assert_int_equal(json_array_size(fx_expect_result(r)), 0);
    json_decref(r);
}

static void test_proto_batch_with_unknown_id_changes_nothing(void **state)
{
    struct fx *f = *state;
    int id;
    json_decref(fx_add_torrent(f, "keep.bin", &id));
    json_t *r = fx_callf(f, "{\"id\":1,\"cmd\":\"resume\",\"ids\":[\"%d\",\"99\"]}", id);
    fx_expect_error(r, CTL_E_NOT_FOUND);
    json_decref(r);
    assert_true(eng_torrent_by_id(f->e, id)->user_paused); /* still paused */

    r = fx_callf(f, "{\"id\":1,\"cmd\":\"remove\",\"ids\":[\"%d\",\"nothex\"]}", id);
    fx_expect_error(r, CTL_E_BAD_ID);
    json_decref(r);
    assert_int_equal(eng_torrent_count(f->e), 1); /* not removed */
}

static void test_proto_add_twice_is_exists(void **state)
{
    struct fx *f = *state;
    int id;
    json_decref(fx_add_torrent(f, "twice.bin", &id));
    char path[160];
    snprintf(path, sizeof(path), "%s/twice.bin.torrent", f->dir);
    json_t *r = fx_callf(f, "{\"id\":1,\"cmd\":\"add\",\"sources\":[\"%s\"]}", path);
    json_t *e = fx_expect_error(r, CTL_E_EXISTS);
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
    fx_write_torrent(path, "mixed.bin");
    json_t *r = fx_callf(f,
                         "{\"id\":1,\"cmd\":\"add\",\"paused\":true,\"save_path\":\"%s\","
                         "\"sources\":[\"magnet:bogus\",\"%s\"]}",
                         f->dir, path);
    json_t *res = fx_expect_result(r); /* one succeeded: not an error */
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
    json_decref(fx_add_torrent(f, "single.bin", &one));
    files = info_files(f, one);
    assert_int_equal(json_array_size(files), 1);
    assert_string_equal(json_string_value(json_object_get(json_array_get(files, 0), "path")),
                        "single.bin");
    assert_int_equal(json_integer_value(json_object_get(json_array_get(files, 0), "size")), 16384);
    json_decref(files);

    /* ls stays short */
    json_t *r = fx_callf(f, "{\"id\":1,\"cmd\":\"ls\"}");
    assert_null(json_object_get(json_array_get(fx_expect_result(r), 0), "files"));
    json_decref(r);
}

static void test_proto_info_of_magnet_without_metadata_has_no_files(void **state)
{
    struct fx *f = *state;
    int id = fx_add_magnet(f);
    json_t *r = fx_callf(f, "{\"id\":1,\"cmd\":\"info\",\"ids\":[%d]}", id);
    json_t *t = json_array_get(fx_expect_result(r), 0);
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
    json_t *r = fx_callf(f,
                         "{\"id\":4,\"cmd\":\"priority\",\"ids\":[\"%d\"],\"priority\":7,"
                         "\"files\":[0,3]}",
                         id);
    json_t *res = fx_expect_result(r);
    assert_int_equal(json_array_size(res), 1);
    assert_int_equal(json_integer_value(json_array_get(res, 0)), id);
    json_decref(r);
    /* the pad file stays at 0, file 2 is not named: untouched */
    wait_for_priorities(f, id, 7, 0, 4, 7);
    assert_int_equal(eng_file_priority(f->e, id, 0), 7);

    r = fx_callf(f, "{\"id\":5,\"cmd\":\"priority\",\"ids\":[%d],\"priority\":0,\"files\":[2]}",
                 id);
    fx_expect_result(r);
    json_decref(r);
    wait_for_priorities(f, id, 7, 0, 0, 7);
    /* skipping b.bin takes its piece 1, the only one all its own, out of
     * the wanted bytes: libtorrent counts whole pieces, less pad bytes */
    fx_wait_for_status(f, id);
    uint64_t deadline = uv_hrtime() / 1000000 + 5000;
    while (eng_torrent_by_id(f->e, id)->wanted_bytes != 36389 - 15384 - 16384 &&
           uv_hrtime() / 1000000 < deadline) {
        uv_run(&f->loop, UV_RUN_NOWAIT);
        usleep(2000);
    }
    assert_int_equal(eng_torrent_by_id(f->e, id)->wanted_bytes, 36389 - 15384 - 16384);

    /* "all" is every file but the pad file */
    r = fx_callf(f,
                 "{\"id\":6,\"cmd\":\"priority\",\"ids\":[%d],\"priority\":1,"
                 "\"files\":\"all\"}",
                 id);
    fx_expect_result(r);
    json_decref(r);
    wait_for_priorities(f, id, 1, 0, 1, 1);
}

/* Checks that nothing changed on the multi-file torrent `id`: files 0 and
 * 2 stay at `prio`, the pad file at 0. A wrong change would show only once
 * libtorrent has applied it, so this sets file 3 to 5 as a marker and
 * watches the others until the marker has shown and 300 ms more passed. */
static void expect_priorities_unchanged(struct fx *f, int id, int prio)
{
    json_t *r = fx_callf(f,
                         "{\"id\":1,\"cmd\":\"priority\",\"ids\":[%d],\"priority\":5,"
                         "\"files\":[3]}",
                         id);
    fx_expect_result(r);
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
        json_t *r = fx_callf(f, "{\"id\":1,\"cmd\":\"priority\",\"ids\":[%d],%s}", id, bad[i]);
        fx_expect_error(r, CTL_E_BAD_REQUEST);
        json_decref(r);
    }

    /* out-of-range and pad indices: every one is named, none is applied */
    json_t *r = fx_callf(f,
                         "{\"id\":1,\"cmd\":\"priority\",\"ids\":[%d],\"priority\":7,"
                         "\"files\":[0,4,1,2,99999999999]}",
                         id);
    json_t *e = fx_expect_error(r, CTL_E_BAD_REQUEST);
    const char *msg = json_string_value(json_object_get(e, "message"));
    char want[128];
    snprintf(want, sizeof(want), "torrent %d has no file 4 (its files are 0..3)", id);
    assert_non_null(strstr(msg, want));
    snprintf(want, sizeof(want), "file 1 of torrent %d is a pad file", id);
    assert_non_null(strstr(msg, want));
    assert_non_null(strstr(msg, "no file 99999999999"));
    json_decref(r);

    /* no IDs, or an unknown one */
    r = fx_callf(f, "{\"id\":1,\"cmd\":\"priority\",\"priority\":7,\"files\":[0]}");
    fx_expect_error(r, CTL_E_BAD_REQUEST);
    json_decref(r);
    r = fx_callf(f,
                 "{\"id\":1,\"cmd\":\"priority\",\"ids\":[%d,\"42\"],\"priority\":7,"
                 "\"files\":[0]}",
                 id);
    fx_expect_error(r, CTL_E_NOT_FOUND);
    json_decref(r);
    expect_priorities_unchanged(f, id, 4);
}

static void test_proto_priority_without_metadata_is_no_metadata(void **state)
{
    struct fx *f = *state;
    int id = add_multi_torrent(f);
    int mag = fx_add_magnet(f);
    json_t *r = fx_callf(f,
                         "{\"id\":1,\"cmd\":\"priority\",\"ids\":[%d],\"priority\":0,"
                         "\"files\":\"all\"}",
                         mag);
    json_t *e = fx_expect_error(r, CTL_E_NO_METADATA);
    char want[96];
    snprintf(want, sizeof(want), "torrent %d has no metadata yet", mag);
    assert_non_null(strstr(json_string_value(json_object_get(e, "message")), want));
    json_decref(r);

    /* with a torrent that has metadata in the same request: neither changes */
    r = fx_callf(f,
                 "{\"id\":1,\"cmd\":\"priority\",\"ids\":[%d,%d],\"priority\":0,"
                 "\"files\":[0]}",
                 id, mag);
    fx_expect_error(r, CTL_E_NO_METADATA);
    json_decref(r);
    expect_priorities_unchanged(f, id, 4);
}

static void test_proto_stats_and_quit(void **state)
{
    struct fx *f = *state;
    json_t *r = fx_callf(f, "{\"id\":1,\"cmd\":\"stats\"}");
    json_t *st = fx_expect_result(r);
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
    r = fx_callf(f, "{\"id\":1,\"cmd\":\"config_set\",\"key\":\"spate.alt_speed\",\"value\":true}");
    fx_expect_result(r);
    json_decref(r);
    r = fx_callf(f, "{\"id\":1,\"cmd\":\"stats\"}");
    assert_true(json_is_true(json_object_get(fx_expect_result(r), "alt_speed")));
    json_decref(r);

    bool quit = false;
    r = fx_call(f, "{\"id\":1,\"cmd\":\"ls\"}", &quit);
    assert_false(quit);
    json_decref(r);
    r = fx_call(f, "{\"id\":8,\"cmd\":\"quit\"}", &quit);
    fx_expect_result(r);
    assert_true(quit);
    json_decref(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
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
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
