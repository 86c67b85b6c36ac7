/*
 * fixture.c — the shared unit-test fixture (see fixture.h): temp dir,
 * store, loopback engine on its own loop, loop runners, control-protocol
 * requests, store rows and raw sqlite look-ups.
 */
#include <errno.h>
#include <ftw.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <setjmp.h>
#include <cmocka.h>

#include <sqlite3.h>

#include "ctl/ctl.h"
#include "engine/engine.h"
#include "engine/registry.h"
#include "fixture.h"

/* --- setups and teardown ------------------------------------------------------ */

static const struct eng_setting loopback_settings[] = {
    {"enable_dht", "false"},
    {"enable_lsd", "false"},
    {"enable_upnp", "false"},
    {"enable_natpmp", "false"},
    {"listen_interfaces", "127.0.0.1:0"},
};

bool fx_sets_key(const char *key)
{
    for (size_t i = 0; i < sizeof(loopback_settings) / sizeof(loopback_settings[0]); i++)
        if (strcmp(loopback_settings[i].key, key) == 0) return true;
    return false;
}

static time_t fx_clock(void *ud)
{
    return ((struct fx *)ud)->now;
}

static int rm_entry(const char *p, const struct stat *sb, int type, struct FTW *ftw)
{
    (void)sb;
    (void)ftw;
    int rc = type == FTW_DP ? rmdir(p) : unlink(p);
    if (rc != 0) fprintf(stderr, "cannot remove %s: %s\n", p, strerror(errno));
    return rc;
}

int fx_remove_dir(const char *path)
{
    return nftw(path, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* mkdtemp and the paths under it; no subdirectory. */
static int fx_make_dir(struct fx *f)
{
    snprintf(f->dir, sizeof(f->dir), "/tmp/spate-test-XXXXXX");
    if (!mkdtemp(f->dir)) return -1;
    snprintf(f->dl, sizeof(f->dl), "%s/dl", f->dir);
    snprintf(f->sock, sizeof(f->sock), "%s/control.sock", f->dir);
    snprintf(f->path, sizeof(f->path), "%s/spate.db", f->dir);
    return 0;
}

int fx_init_dirs(struct fx *f)
{
    if (fx_make_dir(f) != 0) return -1;
    return mkdir(f->dl, 0700);
}

int fx_open_engine(struct fx *f)
{
    char err[512] = "";
    if (store_open(f->path, &f->st, err, sizeof(err)) != 0) {
        fprintf(stderr, "store_open: %s\n", err);
        return -1;
    }
    struct eng_options o = {
        .data_dir = f->dir,
        .download_dir = f->dl,
        .settings = loopback_settings,
        .n_settings = sizeof(loopback_settings) / sizeof(loopback_settings[0]),
    };
    if (f->fake_clock) {
        o.clock = fx_clock;
        o.clock_ud = f;
    }
    if (eng_new(&f->loop, f->st, &o, &f->e, err, sizeof(err)) != 0) {
        fprintf(stderr, "eng_new: %s\n", err);
        return -1;
    }
    return 0;
}

struct eng *fx_open_peer(struct fx *f, const char *name)
{
    char dir[160], err[512] = "";
    snprintf(dir, sizeof dir, "%s/%s", f->dir, name);
    if (mkdir(dir, 0700) != 0) fail_msg("mkdir %s: %s", dir, strerror(errno));
    struct eng_options o = {
        .data_dir = dir,
        .download_dir = dir,
        .settings = loopback_settings,
        .n_settings = sizeof(loopback_settings) / sizeof(loopback_settings[0]),
    };
    if (eng_new(&f->loop, NULL, &o, &f->peer, err, sizeof(err)) != 0) fail_msg("eng_new: %s", err);
    return f->peer;
}

void fx_close_engine(struct fx *f)
{
    if (f->srv) ctl_server_close(f->srv);
    f->srv = NULL;
    if (f->e) eng_shutdown(f->e, 2000);
    if (f->peer) eng_shutdown(f->peer, 2000);
    uv_run(&f->loop, UV_RUN_DEFAULT); /* lets every handle close */
    eng_free(f->e);
    f->e = NULL;
    eng_free(f->peer);
    f->peer = NULL;
    store_close(f->st);
    f->st = NULL;
}

void fx_reopen_store(struct fx *f)
{
    char err[256] = "";
    store_close(f->st);
    f->st = NULL;
    int rc = store_open(f->path, &f->st, err, sizeof err);
    if (rc != 0) fail_msg("reopen %s: %d %s", f->path, rc, err);
}

int fx_setup_dir(void **state)
{
    struct fx *f = calloc(1, sizeof(*f));
    if (!f) return -1;
    if (fx_make_dir(f) != 0) {
        free(f);
        return -1;
    }
    *state = f;
    return 0;
}

int fx_setup_store(void **state)
{
    if (fx_setup_dir(state) != 0) return -1;
    struct fx *f = *state;
    char err[256];
    if (store_open(f->path, &f->st, err, sizeof err) != 0) {
        fprintf(stderr, "store_open: %s\n", err);
        rmdir(f->dir);
        free(f);
        return -1;
    }
    return 0;
}

static int fx_setup_engine(void **state, bool fake_clock)
{
    struct fx *f = calloc(1, sizeof(*f));
    if (!f || fx_init_dirs(f) != 0) return -1;
    f->fake_clock = fake_clock;
    uv_loop_init(&f->loop);
    f->loop_open = true;
    *state = f;
    return fx_open_engine(f);
}

int fx_setup(void **state)
{
    return fx_setup_engine(state, false);
}

int fx_setup_clock(void **state)
{
    setenv("TZ", "UTC", 1);
    tzset();
    return fx_setup_engine(state, true);
}

int fx_teardown(void **state)
{
    struct fx *f = *state;
    int rc = 0;
    if (f->loop_open) {
        fx_close_engine(f);
        if (uv_loop_close(&f->loop) != 0) {
            fprintf(stderr, "the loop still has handles\n");
            rc = -1;
        }
    } else {
        store_close(f->st);
    }
    if (fx_remove_dir(f->dir) != 0) rc = -1;
    free(f);
    return rc;
}

/* --- running the loop ----------------------------------------------------------- */

bool fx_run_until(struct fx *f, bool (*pred)(struct fx *f, int arg), int arg, int timeout_ms)
{
    uint64_t deadline = uv_hrtime() / 1000000 + (uint64_t)timeout_ms;
    while (uv_hrtime() / 1000000 < deadline) {
        if (pred(f, arg)) return true;
        uv_run(&f->loop, UV_RUN_NOWAIT);
        usleep(2000);
    }
    return pred(f, arg);
}

static bool has_size(struct fx *f, int id)
{
    const struct eng_torrent *t = eng_torrent_by_id(f->e, id);
    return t && t->total_bytes > 0;
}

void fx_wait_for_status(struct fx *f, int id)
{
    if (!fx_run_until(f, has_size, id, 5000))
        fail_msg("no status update for torrent %d within 5 s", id);
}

/* --- requests through the control protocol ----------------------------------------- */

json_t *fx_call(struct fx *f, const char *line, bool *quit)
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

json_t *fx_callf(struct fx *f, const char *fmt, ...)
{
    char line[4096];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof(line), fmt, ap);
    va_end(ap);
    return fx_call(f, line, NULL);
}

json_t *fx_expect_error(json_t *r, const char *code)
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

json_t *fx_expect_result(json_t *r)
{
    json_t *res = json_object_get(r, "result");
    if (!res || json_object_get(r, "error")) {
        char *s = json_dumps(r, 0);
        fail_msg("expected a result, got %s", s);
    }
    return res;
}

void fx_write_torrent(const char *path, const char *name)
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

json_t *fx_add_torrent(struct fx *f, const char *name, int *id_out)
{
    char path[160];
    snprintf(path, sizeof(path), "%s/%s.torrent", f->dir, name);
    fx_write_torrent(path, name);
    json_t *r =
        fx_callf(f, "{\"id\":1,\"cmd\":\"add\",\"sources\":[\"%s\"],\"paused\":true}", path);
    json_t *res = fx_expect_result(r);
    assert_int_equal(json_array_size(res), 1);
    json_t *one = json_array_get(res, 0);
    assert_null(json_object_get(one, "error"));
    assert_string_equal(json_string_value(json_object_get(one, "source")), path);
    *id_out = (int)json_integer_value(json_object_get(one, "id"));
    assert_true(*id_out >= 1);
    return r;
}

int fx_add_magnet(struct fx *f)
{
    json_t *r =
        fx_callf(f, "{\"id\":1,\"cmd\":\"add\",\"paused\":true,\"sources\":["
                    "\"magnet:?xt=urn:btih:00112233445566778899aabbccddeeff00112233&dn=m\"]}");
    json_t *one = json_array_get(fx_expect_result(r), 0);
    assert_null(json_object_get(one, "error"));
    int id = (int)json_integer_value(json_object_get(one, "id"));
    json_decref(r);
    return id;
}

void fx_expect_field(json_t *row, const char *field, const char *want)
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

void fx_expect_row(json_t *row, const char *key, const char *effective, const char *stored,
                   const char *def, const char *native)
{
    assert_true(json_is_object(row));
    /* key group type unit effective stored default native differs */
    assert_int_equal(json_object_size(row), 9);
    fx_expect_field(row, "key", key);
    const struct reg_key *k = reg_find(key);
    assert_non_null(k);
    fx_expect_field(row, "group", k->group);
    fx_expect_field(row, "type", reg_type_name(k->type));
    assert_true(json_is_boolean(json_object_get(row, "differs")));
    assert_int_equal(json_is_true(json_object_get(row, "differs")), strcmp(effective, def) != 0);
    fx_expect_field(row, "effective", effective);
    fx_expect_field(row, "stored", stored);
    fx_expect_field(row, "default", def);
    fx_expect_field(row, "native", native);
}

size_t fx_n_torrent_keys(void)
{
    size_t n = 0;
    for (size_t i = 0; i < reg_count(); i++)
        n += (reg_at(i)->scope & REG_TORRENT) != 0;
    return n;
}

void fx_expect_category(json_t *c, const char *name, const char *save_path, long long dl,
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

/* --- store rows and raw sqlite --------------------------------------------------- */

void fx_make_hash(char out[41], unsigned n)
{
    snprintf(out, 41, "%040x", n);
}

static char *dup_or_null(const char *s)
{
    return s ? strdup(s) : NULL;
}

static void *memdup_or_null(const void *p, size_t n)
{
    if (!p) return NULL;
    void *q = malloc(n ? n : 1);
    memcpy(q, p, n);
    return q;
}

static int collect_cb(const struct store_torrent *t, void *ud)
{
    struct fx_rows *rs = ud;
    if (rs->n >= (int)(sizeof rs->r / sizeof rs->r[0])) return -ENOSPC;
    struct fx_row *r = &rs->r[rs->n++];
    memcpy(r->hash, t->info_hash, sizeof r->hash);
    r->name = dup_or_null(t->name);
    r->magnet = dup_or_null(t->magnet);
    r->save_path = dup_or_null(t->save_path);
    r->category = dup_or_null(t->category);
    r->tags = dup_or_null(t->tags);
    r->meta = memdup_or_null(t->metainfo, t->metainfo_len);
    r->meta_len = t->metainfo_len;
    r->resume = memdup_or_null(t->resume, t->resume_len);
    r->resume_len = t->resume_len;
    r->added = t->added_time;
    r->completed = t->completed_time;
    r->queue = t->queue_pos;
    r->paused = t->paused;
    return 0;
}

void fx_rows_free(struct fx_rows *rs)
{
    for (int i = 0; i < rs->n; i++) {
        free(rs->r[i].name);
        free(rs->r[i].magnet);
        free(rs->r[i].save_path);
        free(rs->r[i].category);
        free(rs->r[i].tags);
        free(rs->r[i].meta);
        free(rs->r[i].resume);
    }
    rs->n = 0;
}

void fx_load_all(struct store *st, struct fx_rows *rs)
{
    memset(rs, 0, sizeof *rs);
    assert_int_equal(store_torrents_load(st, collect_cb, rs), 0);
}

void fx_assert_labels(const struct fx_row *r, const char *category, const char *tags)
{
    assert_string_equal(r->category, category);
    assert_string_equal(r->tags, tags);
}

struct store_torrent fx_basic_torrent(const char *hash, const char *name)
{
    struct store_torrent t;
    memset(&t, 0, sizeof t);
    snprintf(t.info_hash, sizeof t.info_hash, "%s", hash);
    t.name = name;
    t.save_path = "/srv/torrents";
    t.added_time = 1700000000;
    t.queue_pos = -1;
    return t;
}

void fx_put_n(struct store *st, unsigned base, int n)
{
    for (int i = 0; i < n; i++) {
        char h[41];
        fx_make_hash(h, base + (unsigned)i);
        struct store_torrent t = fx_basic_torrent(h, "batch");
        assert_int_equal(store_torrent_put(st, &t), 0);
    }
}

int64_t fx_raw_int(const char *path, const char *sql)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *s = NULL;
    int64_t v = INT64_MIN;
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
        sqlite3_prepare_v2(db, sql, -1, &s, NULL) == SQLITE_OK && sqlite3_step(s) == SQLITE_ROW)
        v = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    sqlite3_close(db);
    return v;
}
