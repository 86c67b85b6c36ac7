/*
 * commands.c — the handlers behind each protocol command: they check the
 * request's fields, resolve IDs, call the engine and shape the result.
 *
 * Batch commands (pause, resume, recheck, reannounce, remove, info) resolve
 * every ID first and change nothing if any of them fails to resolve; the
 * error then lists each failing ID. `priority` goes one step further: it
 * also checks every file index against every torrent before it changes a
 * priority. `add` is per source instead: every source gets its own result,
 * and only when all of them fail is the whole reply an error (its
 * per-torrent settings are checked once, before any source is added). The
 * settings commands live in config.c (config_get, config_set,
 * config_reset) and torrent_set.c (set, get), the categories in category.c,
 * file priorities in priority.c. At the end: these commands' entries in the
 * command table (cmds.c), with the CLI's request and printer for each.
 */
#include "ctl/ctl_int.h"
#include "util/str.h"

#include "util/utf8.h"

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#define ID_SPEC_MAX 96 /* longest ID spec we echo back: 64 hex + margin */

json_t *ctl_fail(json_t **err, const char *code, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    *err = ctl_error_obj(code, msg);
    return NULL;
}

/* Appends "; " + s to the message buffer while it fits. */
void ctl_msg_append(char *buf, size_t n, const char *s)
{
    size_t len = strlen(buf);
    if (len)
        snprintf(buf + len, n - len, "; %s", s);
    else
        snprintf(buf, n, "%s", s);
}

/* --- IDs ---------------------------------------------------------------- */

/* One ID spec from the "ids" array: a string as typed, or an integer.
 * Returns 0, 1 if the string was too long (cut to fit, a bad ID anyway) or
 * -1 for any other JSON type. */
static int id_spec(json_t *v, char *buf, size_t n)
{
    if (json_is_string(v)) {
        const char *s = json_string_value(v);
        if (strlen(s) < n) {
            snprintf(buf, n, "%s", s);
            return 0;
        }
        snprintf(buf, n, "%.*s...", (int)n - 4, s);
        return 1;
    }
    if (json_is_integer(v)) {
        snprintf(buf, n, "%lld", (long long)json_integer_value(v));
        return 0;
    }
    return -1;
}

static void id_failure(json_t *failures, char *msg, size_t msglen, const char *spec, int rc)
{
    const char *code;
    char m[256];
    switch (rc) {
    case -EINVAL:
        code = CTL_E_BAD_ID;
        snprintf(m, sizeof(m),
                 "bad ID '%s': give the number `spate ls` shows or at least 6 hex digits of the "
                 "info-hash",
                 spec);
        break;
    case -ENOENT:
        code = CTL_E_NOT_FOUND;
        snprintf(m, sizeof(m), "no torrent matches ID '%s'", spec);
        break;
    case -EEXIST:
        code = CTL_E_AMBIGUOUS;
        snprintf(m, sizeof(m), "ID '%s' matches more than one torrent: give more hex digits", spec);
        break;
    default:
        code = CTL_E_INTERNAL;
        snprintf(m, sizeof(m), "cannot resolve ID '%s': %s", spec, strerror(-rc));
    }
    json_array_append_new(failures,
                          json_pack("{s:s, s:s, s:s}", "spec", spec, "code", code, "message", m));
    ctl_msg_append(msg, msglen, m);
}

int ctl_resolve_ids(struct eng *e, json_t *req, struct ctl_id_list *out, json_t **err)
{
    json_t *ids = json_object_get(req, "ids");
    out->ids = NULL;
    out->n = 0;
    if (!json_is_array(ids) || json_array_size(ids) == 0) {
        ctl_fail(err, CTL_E_BAD_REQUEST, "\"ids\" must be a non-empty array of ID strings");
        return -1;
    }
    out->ids = calloc(json_array_size(ids), sizeof(int));
    json_t *failures = json_array();
    if (!out->ids || !failures) {
        free(out->ids);
        json_decref(failures);
        ctl_fail(err, CTL_E_INTERNAL, "out of memory");
        return -1;
    }
    char msg[512] = "";
    size_t i;
    json_t *v;
    json_array_foreach(ids, i, v)
    {
        char spec[ID_SPEC_MAX];
        int sr = id_spec(v, spec, sizeof(spec));
        if (sr < 0) {
            json_decref(failures);
            free(out->ids);
            out->ids = NULL;
            ctl_fail(err, CTL_E_BAD_REQUEST, "\"ids\" must be an array of ID strings");
            return -1;
        }
        int id = 0;
        int rc = sr ? -EINVAL : eng_resolve_id(e, spec, &id);
        if (rc < 0) {
            id_failure(failures, msg, sizeof(msg), spec, rc);
            continue;
        }
        bool dup = false;
        for (size_t k = 0; k < out->n; k++)
            dup = dup || out->ids[k] == id;
        if (!dup) out->ids[out->n++] = id;
    }
    if (json_array_size(failures) == 0) {
        json_decref(failures);
        return 0;
    }
    const char *code = json_string_value(json_object_get(json_array_get(failures, 0), "code"));
    *err = ctl_error_obj(code, msg);
    json_object_set_new(*err, "failures", failures);
    free(out->ids);
    out->ids = NULL;
    out->n = 0;
    return -1;
}

/* --- batch commands ------------------------------------------------------ */

typedef int (*act_fn)(struct eng *e, int id, bool flag);

static int act_pause(struct eng *e, int id, bool f)
{
    (void)f;
    return eng_pause(e, id);
}
static int act_resume(struct eng *e, int id, bool f)
{
    (void)f;
    return eng_resume(e, id);
}
static int act_recheck(struct eng *e, int id, bool f)
{
    (void)f;
    return eng_recheck(e, id);
}
static int act_reannounce(struct eng *e, int id, bool f)
{
    (void)f;
    return eng_reannounce(e, id);
}
static int act_remove(struct eng *e, int id, bool delete_data)
{
    return eng_remove(e, id, delete_data);
}

static json_t *batch(struct eng *e, json_t *req, const char *verb, act_fn act, bool flag,
                     json_t **err)
{
    struct ctl_id_list l;
    if (ctl_resolve_ids(e, req, &l, err)) return NULL;
    json_t *done = json_array();
    char msg[512] = "";
    const char *code = NULL;
    for (size_t i = 0; i < l.n; i++) {
        int rc = act(e, l.ids[i], flag);
        if (rc == 0) {
            json_array_append_new(done, json_integer(l.ids[i]));
            continue;
        }
        char m[128];
        snprintf(m, sizeof(m), "%s of torrent %d failed: %s", verb, l.ids[i], strerror(-rc));
        ctl_msg_append(msg, sizeof(msg), m);
        if (!code) code = ctl_code_for_errno(rc);
    }
    free(l.ids);
    if (code) {
        json_decref(done);
        *err = ctl_error_obj(code, msg);
        return NULL;
    }
    return done;
}

static json_t *cmd_pause(struct eng *e, json_t *req, bool *q, json_t **err)
{
    (void)q;
    return batch(e, req, "pause", act_pause, false, err);
}
static json_t *cmd_resume(struct eng *e, json_t *req, bool *q, json_t **err)
{
    (void)q;
    return batch(e, req, "resume", act_resume, false, err);
}
static json_t *cmd_recheck(struct eng *e, json_t *req, bool *q, json_t **err)
{
    (void)q;
    return batch(e, req, "recheck", act_recheck, false, err);
}
static json_t *cmd_reannounce(struct eng *e, json_t *req, bool *q, json_t **err)
{
    (void)q;
    return batch(e, req, "reannounce", act_reannounce, false, err);
}

static json_t *cmd_remove(struct eng *e, json_t *req, bool *q, json_t **err)
{
    (void)q;
    json_t *dd = json_object_get(req, "delete_data");
    if (dd && !json_is_boolean(dd))
        return ctl_fail(err, CTL_E_BAD_REQUEST, "\"delete_data\" must be true or false");
    return batch(e, req, "remove", act_remove, dd && json_is_true(dd), err);
}

/* connect {"ids":[ID],"peer":"HOST:PORT"}: connect the torrent to a peer. */
static json_t *cmd_connect(struct eng *e, json_t *req, bool *q, json_t **err)
{
    (void)q;
    const char *peer = json_string_value(json_object_get(req, "peer"));
    if (!peer) return ctl_fail(err, CTL_E_BAD_REQUEST, "\"peer\" must be a \"HOST:PORT\" string");
    struct ctl_id_list l;
    if (ctl_resolve_ids(e, req, &l, err)) return NULL;
    json_t *done = json_array();
    for (size_t i = 0; i < l.n; i++) {
        int rc = eng_connect_peer(e, l.ids[i], peer);
        if (rc == -EINVAL) {
            free(l.ids);
            json_decref(done);
            return ctl_fail(err, CTL_E_BAD_REQUEST,
                            "invalid peer '%s': expected IP:PORT or [IPv6]:PORT", peer);
        }
        if (rc) {
            free(l.ids);
            json_decref(done);
            return ctl_fail(err, ctl_code_for_errno(rc), "connect of torrent %d failed: %s",
                            l.ids[i], strerror(-rc));
        }
        json_array_append_new(done, json_integer(l.ids[i]));
    }
    free(l.ids);
    return done;
}

/* --- queries -------------------------------------------------------------- */

/* ls {"category":NAME,"tag":TAG}: both optional filters. */
static json_t *cmd_ls(struct eng *e, json_t *req, bool *q, json_t **err)
{
    (void)q;
    json_t *jc = json_object_get(req, "category"), *jt = json_object_get(req, "tag");
    if ((jc && !json_is_string(jc)) || (jt && !json_is_string(jt)))
        return ctl_fail(err, CTL_E_BAD_REQUEST, "\"category\" and \"tag\" must be strings");
    const char *cat = json_string_value(jc), *tag = json_string_value(jt);
    json_t *arr = json_array();
    size_t n = eng_torrent_count(e);
    for (size_t i = 0; arr && i < n; i++) {
        const struct eng_torrent *t = eng_torrent_at(e, i);
        if (cat && strcmp(t->category, cat) != 0) continue;
        if (tag && !util_list_has(t->tags, ",", tag, strlen(tag))) continue;
        json_array_append_new(arr, ctl_torrent_json(t, false));
    }
    return arr;
}

static json_t *cmd_info(struct eng *e, json_t *req, bool *q, json_t **err)
{
    (void)q;
    struct ctl_id_list l;
    if (ctl_resolve_ids(e, req, &l, err)) return NULL;
    json_t *arr = json_array();
    for (size_t i = 0; arr && i < l.n; i++) {
        const struct eng_torrent *t = eng_torrent_by_id(e, l.ids[i]);
        json_t *o = t ? ctl_torrent_json(t, true) : NULL;
        if (!o) continue;
        json_t *files = NULL;
        int rc = ctl_files_json(e, l.ids[i], &files);
        if (rc) {
            json_decref(o);
            json_decref(arr);
            free(l.ids);
            return ctl_fail(err, ctl_code_for_errno(rc), "cannot list the files of torrent %d: %s",
                            t->id, strerror(-rc));
        }
        json_object_set_new(o, "files", files);
        json_object_set_new(o, "settings", ctl_torrent_settings_json(e, l.ids[i]));
        json_array_append_new(arr, o);
    }
    free(l.ids);
    return arr;
}

static json_t *cmd_stats(struct eng *e, json_t *req, bool *q, json_t **err)
{
    (void)req, (void)q, (void)err;
    return ctl_stats_json(e);
}

static json_t *cmd_quit(struct eng *e, json_t *req, bool *q, json_t **err)
{
    (void)e, (void)req, (void)err;
    *q = true;
    return json_true();
}

/* --- add -------------------------------------------------------------------- */

/* One source's entry of the `add` result: {"source", "id", "name",
 * "info_hash"} and "error" when rc says it failed. */
static json_t *add_result(struct eng *e, const char *src, int rc, int id, const char *err)
{
    json_t *r = json_pack("{s:o}", "source", ctl_json_str(src));
    if (!r) return NULL;
    char msg[512];
    snprintf(msg, sizeof(msg), "%s", err ? err : "");
    if (rc == 0 || rc == -EEXIST) {
        json_object_set_new(r, "id", json_integer(id));
        const struct eng_torrent *t = eng_torrent_by_id(e, id);
        if (t) {
            json_object_set_new(r, "name", ctl_json_str(t->name));
            json_object_set_new(r, "info_hash", json_string(t->info_hash));
        }
    }
    if (rc == 0) return r;

    const char *code;
    switch (rc) {
    case -EINVAL:
        code = CTL_E_INVALID_TORRENT;
        break;
    case -EEXIST:
        code = CTL_E_EXISTS;
        break;
    case -ENOENT:
        code = CTL_E_NOT_FOUND;
        break;
    default:
        code = CTL_E_INTERNAL;
    }
    if (!msg[0]) {
        if (rc == -EEXIST)
            snprintf(msg, sizeof(msg), "already present as torrent %d", id);
        else if (rc == -EINVAL)
            snprintf(msg, sizeof(msg), "not a valid torrent or magnet URI");
        else
            snprintf(msg, sizeof(msg), "%s", strerror(-rc));
    }
    json_object_set_new(r, "error", ctl_error_obj(code, msg));
    return r;
}

/* Reads req's optional boolean `name` into *out (false when missing). */
static int bool_field(json_t *req, const char *name, bool *out, json_t **err)
{
    json_t *v = json_object_get(req, name);
    if (v && !json_is_boolean(v)) {
        ctl_fail(err, CTL_E_BAD_REQUEST, "\"%s\" must be true or false", name);
        return -1;
    }
    *out = v && json_is_true(v);
    return 0;
}

/* Reads req's optional "save_path", "paused", "seed_mode" and "peers" into
 * p; peers are borrowed from req into a malloc'd array the caller frees. */
static int add_params(json_t *req, struct eng_add_params *p, const char ***peers, json_t **err)
{
    json_t *sp = json_object_get(req, "save_path");
    json_t *jp = json_object_get(req, "peers");
    memset(p, 0, sizeof(*p));
    *peers = NULL;
    if (sp && !json_is_null(sp)) {
        if (!json_is_string(sp) || json_string_value(sp)[0] != '/') {
            ctl_fail(err, CTL_E_BAD_REQUEST, "\"save_path\" must be an absolute path");
            return -1;
        }
        p->save_path = json_string_value(sp);
    }
    if (bool_field(req, "paused", &p->paused, err) ||
        bool_field(req, "seed_mode", &p->seed_mode, err))
        return -1;
    if (jp && !json_is_null(jp)) {
        if (!json_is_array(jp)) {
            ctl_fail(err, CTL_E_BAD_REQUEST, "\"peers\" must be an array of \"HOST:PORT\" strings");
            return -1;
        }
        size_t n = json_array_size(jp);
        *peers = calloc(n ? n : 1, sizeof(char *));
        if (!*peers) {
            ctl_fail(err, CTL_E_INTERNAL, "out of memory");
            return -1;
        }
        for (size_t i = 0; i < n; i++) {
            json_t *v = json_array_get(jp, i);
            if (!json_is_string(v)) {
                free(*peers);
                *peers = NULL;
                ctl_fail(err, CTL_E_BAD_REQUEST,
                         "\"peers\" must be an array of \"HOST:PORT\" strings");
                return -1;
            }
            (*peers)[i] = json_string_value(v);
        }
        p->peers = *peers;
        p->n_peers = n;
    }
    return 0;
}

/* An `add` in progress: the sources are added one after the other, in
 * order; a .torrent path is read on the engine's worker (eng_add_async),
 * so the reply may be deferred (ctl_defer_begin) until the last source
 * reports. Everything borrowed from the request stays valid because the
 * call holds a reference to it. */
struct add_call {
    struct eng *e;
    json_t *req, *sources, *results;
    struct eng_add_params p;
    const char **peers;
    struct ctl_add_opts opts;
    size_t i, n_ok;
    bool waiting;   /* eng_add_async has not called back yet */
    bool in_call;   /* inside eng_add_async: a callback now must not recurse */
    bool cancelled; /* the engine is shutting down: add nothing more */
    struct ctl_defer *d;
    json_t *result, *err; /* the reply when it finished without deferring */
    bool finished;
};

static void add_call_free(struct add_call *c)
{
    free(c->peers);
    ctl_add_opts_free(&c->opts);
    json_decref(c->results);
    json_decref(c->req);
    free(c);
}

/* The reply once every source reported: the results, or an error carrying
 * them when every source failed. */
static void add_finish(struct add_call *c)
{
    json_t *results = c->results, *err = NULL;
    c->results = NULL;
    if (c->n_ok == 0 && results) {
        json_t *first = json_object_get(json_array_get(results, 0), "error");
        const char *code = json_string_value(json_object_get(first, "code"));
        const char *m = json_string_value(json_object_get(first, "message"));
        const char *src = json_string_value(json_array_get(c->sources, 0));
        size_t n = json_array_size(c->sources);
        char msg[512];
        if (n == 1)
            snprintf(msg, sizeof(msg), "cannot add '%.200s': %s", src, m ? m : "");
        else
            snprintf(msg, sizeof(msg),
                     "none of the %zu sources could be added (first: '%.200s': %s)", n, src,
                     m ? m : "");
        err = ctl_error_obj(code ? code : CTL_E_INTERNAL, msg);
        json_object_set_new(err, "results", results);
        results = NULL;
    }
    if (c->d) {
        ctl_defer_end(c->d, results, err);
        add_call_free(c);
    } else {
        c->result = results;
        c->err = err;
        c->finished = true;
    }
}

static void add_step(struct add_call *c);

static void add_done(void *ud, int rc, int id, const char *err)
{
    struct add_call *c = ud;
    const char *src = json_string_value(json_array_get(c->sources, c->i));
    json_t *r = add_result(c->e, src, rc, id, err);
    if (r) {
        if (!json_object_get(r, "error")) c->n_ok++;
        json_array_append_new(c->results, r);
    }
    if (rc == -ECANCELED) c->cancelled = true;
    c->i++;
    c->waiting = false;
    if (!c->in_call) add_step(c); /* called back later: go on from here */
}

/* Adds sources from c->i on until one has to wait for the worker or all
 * are done (then add_finish). */
static void add_step(struct add_call *c)
{
    while (c->i < json_array_size(c->sources)) {
        const char *src = json_string_value(json_array_get(c->sources, c->i));
        if (c->cancelled || (!util_is_magnet(src) && src[0] != '/')) {
            json_t *r = json_pack("{s:o}", "source", ctl_json_str(src));
            if (r)
                json_object_set_new(
                    r, "error",
                    c->cancelled ? ctl_error_obj(CTL_E_INTERNAL, "spate is shutting down")
                                 : ctl_error_obj(CTL_E_BAD_REQUEST,
                                                 "a source must be an absolute .torrent path or "
                                                 "a magnet URI"));
            if (r) json_array_append_new(c->results, r);
            c->i++;
            continue;
        }
        if (!util_is_magnet(src) && !c->d && !(c->d = ctl_defer_begin())) {
            /* out of memory, or no way to answer later */
            c->in_call = true;
            add_done(c, -ENOMEM, 0, "cannot wait for the file to be read");
            c->in_call = false;
            continue;
        }
        c->p.source = src;
        c->waiting = c->in_call = true;
        eng_add_async(c->e, &c->p, add_done, c);
        c->in_call = false;
        if (c->waiting) return; /* add_done comes later and goes on */
    }
    add_finish(c);
}

static json_t *cmd_add(struct eng *e, json_t *req, bool *q, json_t **err)
{
    (void)q;
    json_t *sources = json_object_get(req, "sources");
    if (!json_is_array(sources) || json_array_size(sources) == 0)
        return ctl_fail(err, CTL_E_BAD_REQUEST, "\"sources\" must be a non-empty array of strings");
    size_t i;
    json_t *v;
    json_array_foreach(sources, i, v)
    {
        if (!json_is_string(v))
            return ctl_fail(err, CTL_E_BAD_REQUEST,
                            "\"sources\" must be a non-empty array of strings");
    }
    struct add_call *c = calloc(1, sizeof(*c));
    if (!c) return ctl_fail(err, CTL_E_INTERNAL, "out of memory");
    if (add_params(req, &c->p, &c->peers, err)) {
        free(c);
        return NULL;
    }
    if (ctl_add_opts_parse(e, req, &c->opts, err)) {
        free(c->peers);
        free(c);
        return NULL;
    }
    c->p.opts = c->opts.v;
    c->p.n_opts = c->opts.n;
    c->e = e;
    c->req = json_incref(req);
    c->sources = sources;
    c->results = json_array();
    if (!c->results) {
        add_call_free(c);
        return ctl_fail(err, CTL_E_INTERNAL, "out of memory");
    }
    add_step(c);
    if (!c->finished) return NULL; /* deferred: add_finish answers */
    json_t *result = c->result;
    *err = c->err;
    add_call_free(c);
    return result;
}

/* --- the table entries ---------------------------------------------------------
 *
 * The client's side of each command (request, printer) next to its
 * handler above; the entries are listed in cmds.c. */

/* Every operand is an ID. */
static int ids_request(const struct ctl_args *a, json_t *req)
{
    return ctl_ids_request(req, a->pos, a->n_pos);
}

/* --opt KEY=VALUE...: sent as ["KEY=VALUE", ...]. The keys are checked
 * here so a typo exits 2 before anything connects; the instance checks
 * the values. */
static int opts_request(const struct ctl_args *a, json_t *req)
{
    char *keys[CTL_MAX_ARGS];
    size_t n = 0, n_bad = 0;
    char msg[512] = "";
    json_t *arr = json_array();
    json_object_set_new(req, "opts", arr);
    for (; n < a->n_opts; n++) {
        keys[n] = strndup(a->opts[n], strcspn(a->opts[n], "="));
        if (!keys[n]) break;
        json_array_append_new(arr, ctl_json_str(a->opts[n]));
    }
    if (n == a->n_opts) n_bad = ctl_torrent_check_keys((const char **)keys, n, msg, sizeof(msg));
    for (size_t i = 0; i < n; i++)
        free(keys[i]);
    if (n < a->n_opts) return ctl_say(CTL_EXIT_FAILURE, "out of memory");
    return n_bad ? ctl_say(CTL_EXIT_USAGE, "%s", msg) : 0;
}

/* add: every SOURCE as an absolute path or a magnet URI, checked here so
 * a missing file exits 2 before anything connects. */
static int add_request(const struct ctl_args *a, json_t *req)
{
    json_t *sources = json_array();
    json_object_set_new(req, "sources", sources);
    for (size_t i = 0; i < a->n_pos; i++) {
        const char *src = a->pos[i];
        if (util_is_magnet(src)) {
            json_array_append_new(sources, ctl_json_str(src));
            continue;
        }
        char *abs = realpath(src, NULL);
        struct stat st;
        if (!abs)
            return ctl_say(CTL_EXIT_USAGE, "cannot open torrent file '%s': %s", src,
                           strerror(errno));
        if (stat(abs, &st) != 0 || !S_ISREG(st.st_mode)) {
            free(abs);
            return ctl_say(CTL_EXIT_USAGE, "'%s' is not a .torrent file or a magnet URI", src);
        }
        json_array_append_new(sources, ctl_json_str(abs));
        free(abs);
    }
    if (a->dir && ctl_dir_field(req, "save_path", a->dir)) return CTL_EXIT_FAILURE;
    if (a->paused) json_object_set_new(req, "paused", json_true());
    if (a->seed_mode) json_object_set_new(req, "seed_mode", json_true());
    if (a->category) json_object_set_new(req, "category", ctl_json_str(a->category));
    if (a->tags) json_object_set_new(req, "tags", ctl_json_str(a->tags));
    if (a->n_peers) {
        json_t *peers = json_array();
        for (size_t i = 0; i < a->n_peers; i++)
            json_array_append_new(peers, ctl_json_str(a->peers[i]));
        json_object_set_new(req, "peers", peers);
    }
    return a->n_opts ? opts_request(a, req) : 0;
}

/* "added ID NAME" per source added, "cannot add" lines for the rest. */
static int print_add(const struct ctl_args *a, json_t *result)
{
    (void)a;
    int rc = CTL_EXIT_OK;
    size_t i;
    json_t *r;
    json_array_foreach(result, i, r)
    {
        const char *src = json_string_value(json_object_get(r, "source"));
        json_t *e = json_object_get(r, "error");
        if (e) {
            ctl_say(0, "cannot add '%s': %s", src,
                    json_string_value(json_object_get(e, "message")));
            if (!rc) rc = ctl_exit_for_code(json_string_value(json_object_get(e, "code")));
            continue;
        }
        const char *name = json_string_value(json_object_get(r, "name"));
        printf("added %lld ", (long long)json_integer_value(json_object_get(r, "id")));
        util_term_fputs(name ? name : src, stdout);
        putchar('\n');
    }
    return rc;
}

const struct ctl_cmd ctl_cmd_add_entry = {
    .name = "add",
    .min_pos = 1,
    .max_pos = SIZE_MAX,
    .operands = "SOURCE",
    .options = CTL_OPT_PAUSED | CTL_OPT_DIR | CTL_OPT_PEER | CTL_OPT_OPT | CTL_OPT_SEED_MODE |
               CTL_OPT_CATEGORY | CTL_OPT_TAGS,
    .help = (const struct ctl_help[]){{"add [--paused] [--dir DIR] [--peer HOST:PORT]... [--opt "
                                       "KEY=VALUE]...\n[--category NAME] [--tags A,B] "
                                       "[--seed-mode] SOURCE...",
                                       "add torrents; SOURCE is a .torrent file or a magnet URI;\n"
                                       "--opt sets a per-torrent KEY (as for set) on each;\n"
                                       "--seed-mode skips the check: the data is taken as "
                                       "complete",
                                       "add"},
                                      {NULL, NULL, NULL}},
    .request = add_request,
    .print = print_add,
    .wire = (const struct ctl_wire[]){{"add", cmd_add}, {NULL, NULL}},
};

static int ls_request(const struct ctl_args *a, json_t *req)
{
    if (a->category) json_object_set_new(req, "category", ctl_json_str(a->category));
    if (a->tag) json_object_set_new(req, "tag", ctl_json_str(a->tag));
    return 0;
}

const struct ctl_cmd ctl_cmd_ls_entry = {
    .name = "ls",
    .options = CTL_OPT_JSON | CTL_OPT_CATEGORY | CTL_OPT_TAG,
    .help = (const struct ctl_help[]){{"ls [--category NAME] [--tag TAG] [--json]",
                                       "list torrents, or those of a category or with a tag\n"
                                       "(--json: an array of objects)",
                                       "ls"},
                                      {NULL, NULL, NULL}},
    .request = ls_request,
    .print_text = ctl_print_ls,
    .wire = (const struct ctl_wire[]){{"ls", cmd_ls}, {NULL, NULL}},
};

/* info: one torrent, its object rather than the array. */
static int print_info(const struct ctl_args *a, json_t *result)
{
    result = json_array_get(result, 0);
    if (!result) return ctl_say(CTL_EXIT_FAILURE, "empty reply to info");
    if (a->json) return ctl_print_json(result);
    ctl_print_info(stdout, result);
    return CTL_EXIT_OK;
}

const struct ctl_cmd ctl_cmd_info_entry = {
    .name = "info",
    .min_pos = 1,
    .max_pos = 1,
    .operands = "ID",
    .options = CTL_OPT_JSON,
    .help = (const struct ctl_help[]){{"info ID [--json]",
                                       "details of one torrent, its files and settings", "info"},
                                      {NULL, NULL, NULL}},
    .request = ids_request,
    .print = print_info,
    .wire = (const struct ctl_wire[]){{"info", cmd_info}, {NULL, NULL}},
};

/* pause, resume, recheck, reannounce: IDs in, "DONE ID" lines out. */
#define BATCH_ENTRY(verb, past, text)                                                              \
    const struct ctl_cmd ctl_cmd_##verb##_entry = {                                                \
        .name = #verb,                                                                             \
        .min_pos = 1,                                                                              \
        .max_pos = SIZE_MAX,                                                                       \
        .operands = "ID",                                                                          \
        .help = (const struct ctl_help[]){{#verb " ID...", text, #verb}, {NULL, NULL, NULL}},      \
        .request = ids_request,                                                                    \
        .print = ctl_print_ids,                                                                    \
        .done = past,                                                                              \
        .wire = (const struct ctl_wire[]){{#verb, cmd_##verb}, {NULL, NULL}},                      \
    }

BATCH_ENTRY(pause, "paused", "pause torrents");
BATCH_ENTRY(resume, "resumed", "resume torrents");
BATCH_ENTRY(recheck, "rechecking", "verify the data on disk again");
BATCH_ENTRY(reannounce, "reannounced", "announce to trackers (and DHT) now");

static int remove_request(const struct ctl_args *a, json_t *req)
{
    int rc = ctl_ids_request(req, a->pos, a->n_pos);
    if (!rc && a->delete_data) json_object_set_new(req, "delete_data", json_true());
    return rc;
}

const struct ctl_cmd ctl_cmd_remove_entry = {
    .name = "remove",
    .min_pos = 1,
    .max_pos = SIZE_MAX,
    .operands = "ID",
    .options = CTL_OPT_DELETE_DATA,
    .help = (const struct ctl_help[]){{"remove [--delete-data] ID...",
                                       "remove torrents (and their downloaded files)", "remove"},
                                      {NULL, NULL, NULL}},
    .request = remove_request,
    .print = ctl_print_ids,
    .done = "removed",
    .wire = (const struct ctl_wire[]){{"remove", cmd_remove}, {NULL, NULL}},
};

/* connect ID HOST:PORT: the last operand is the peer. */
static int connect_request(const struct ctl_args *a, json_t *req)
{
    json_object_set_new(req, "ids", json_array());
    json_object_set_new(req, "peer", ctl_json_str(a->pos[1]));
    return ctl_ids_request(req, a->pos, 1);
}

const struct ctl_cmd ctl_cmd_connect_entry = {
    .name = "connect",
    .min_pos = 2,
    .max_pos = 2,
    .operands = "ID HOST:PORT",
    .help = (const struct ctl_help[]){{"connect ID HOST:PORT",
                                       "connect the torrent to a peer now, and again after\n"
                                       "a restart (as add --peer)",
                                       "connect"},
                                      {NULL, NULL, NULL}},
    .request = connect_request,
    .print = ctl_print_ids,
    .done = "connecting",
    .wire = (const struct ctl_wire[]){{"connect", cmd_connect}, {NULL, NULL}},
};

const struct ctl_cmd ctl_cmd_stats_entry = {
    .name = "stats",
    .options = CTL_OPT_JSON,
    .help =
        (const struct ctl_help[]){
            {"stats [--json]", "session rates, counts, IP filter, alternative speed", "stats"},
            {NULL, NULL, NULL}},
    .print_text = ctl_print_stats,
    .wire = (const struct ctl_wire[]){{"stats", cmd_stats}, {NULL, NULL}},
};

static int print_quit(const struct ctl_args *a, json_t *result)
{
    (void)a, (void)result;
    return CTL_EXIT_OK;
}

const struct ctl_cmd ctl_cmd_quit_entry = {
    .name = "quit",
    .help = (const struct ctl_help[]){{"quit", "stop the running instance", "quit"},
                                      {NULL, NULL, NULL}},
    .print = print_quit,
    .wire = (const struct ctl_wire[]){{"quit", cmd_quit}, {NULL, NULL}},
};
