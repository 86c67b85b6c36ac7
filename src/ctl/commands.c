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
 * config_reset) and torrent_set.c (set, get), the categories in category.c;
 * they are only listed in the table here.
 */
#include "ctl/ctl_int.h"
#include "util/str.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
static void msg_append(char *buf, size_t n, const char *s)
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
    msg_append(msg, msglen, m);
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
        msg_append(msg, sizeof(msg), m);
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

/* --- file priorities ------------------------------------------------------- */

/* Checks the "files" of a priority request against torrent `id`'s file
 * list: *meta_out gets the metadata (the caller frees it) when every index
 * names a file that is not a pad file. Otherwise appends one message per
 * problem to msg and returns the reply code of the first. */
static const char *priority_check(struct eng *e, int id, json_t *files, struct eng_meta **meta_out,
                                  char *msg, size_t msglen)
{
    char m[256];
    int rc = eng_meta_get(e, id, meta_out);
    if (rc == -EAGAIN) {
        snprintf(m, sizeof(m), "torrent %d has no metadata yet: its files are not known", id);
        msg_append(msg, msglen, m);
        return CTL_E_NO_METADATA;
    }
    if (rc) {
        snprintf(m, sizeof(m), "cannot read the files of torrent %d: %s", id, strerror(-rc));
        msg_append(msg, msglen, m);
        return ctl_code_for_errno(rc);
    }
    const struct eng_meta *meta = *meta_out;
    const char *code = NULL;
    size_t i;
    json_t *v;
    json_array_foreach(files, i, v)
    {
        json_int_t idx = json_integer_value(v);
        if (idx >= 0 && (size_t)idx < meta->n_files && !meta->files[idx].pad) continue;
        if (idx >= 0 && (size_t)idx < meta->n_files)
            snprintf(m, sizeof(m), "file %lld of torrent %d is a pad file (BEP 47)", (long long)idx,
                     id);
        else
            snprintf(m, sizeof(m), "torrent %d has no file %lld (its files are 0..%zu)", id,
                     (long long)idx, meta->n_files - 1);
        msg_append(msg, msglen, m);
        code = CTL_E_BAD_REQUEST;
    }
    if (code) {
        eng_meta_free(*meta_out);
        *meta_out = NULL;
    }
    return code;
}

/* Sets `prio` on the listed files of one torrent, or on every file but
 * the pad files when `files` is NULL ("all"). */
static int priority_apply(struct eng *e, int id, const struct eng_meta *meta, json_t *files,
                          int prio)
{
    size_t n = files ? json_array_size(files) : meta->n_files;
    for (size_t i = 0; i < n; i++) {
        int idx = files ? (int)json_integer_value(json_array_get(files, i)) : meta->files[i].index;
        if (!files && meta->files[i].pad) continue; /* libtorrent never downloads them */
        int rc = eng_set_file_priority(e, id, idx, prio);
        if (rc) return rc;
    }
    return 0;
}

/* "files" is "all" (files_out = NULL) or a non-empty array of integers. */
static bool priority_files(json_t *req, json_t **files_out)
{
    json_t *files = json_object_get(req, "files");
    *files_out = NULL;
    if (json_is_string(files)) return strcmp(json_string_value(files), "all") == 0;
    if (!json_is_array(files) || json_array_size(files) == 0) return false;
    size_t i;
    json_t *v;
    json_array_foreach(files, i, v)
    {
        if (!json_is_integer(v)) return false;
    }
    *files_out = files;
    return true;
}

/* priority {"ids":[ID],"priority":0..7,"files":[INDEX...]|"all"}: set the
 * download priority of files. Every torrent and every index is checked
 * before anything changes. */
static json_t *cmd_priority(struct eng *e, json_t *req, bool *q, json_t **err)
{
    (void)q;
    json_t *jp = json_object_get(req, "priority");
    if (!json_is_integer(jp) || json_integer_value(jp) < 0 || json_integer_value(jp) > CTL_PRIO_MAX)
        return ctl_fail(err, CTL_E_BAD_REQUEST,
                        "\"priority\" must be an integer 0..7 (0 skip, 1 low, 4 normal, 7 high)");
    int prio = (int)json_integer_value(jp);
    json_t *files;
    if (!priority_files(req, &files))
        return ctl_fail(err, CTL_E_BAD_REQUEST,
                        "\"files\" must be \"all\" or a non-empty array of file indices");
    struct ctl_id_list l;
    if (ctl_resolve_ids(e, req, &l, err)) return NULL;
    struct eng_meta **metas = calloc(l.n, sizeof(*metas));
    if (!metas) {
        free(l.ids);
        return ctl_fail(err, CTL_E_INTERNAL, "out of memory");
    }
    char msg[512] = "";
    const char *code = NULL;
    for (size_t i = 0; i < l.n; i++) {
        const char *c = priority_check(e, l.ids[i], files, &metas[i], msg, sizeof(msg));
        if (!code) code = c;
    }
    json_t *done = code ? NULL : json_array();
    for (size_t i = 0; done && i < l.n; i++) {
        int rc = priority_apply(e, l.ids[i], metas[i], files, prio);
        if (rc) {
            /* the checks passed, so only libtorrent can fail here */
            code = ctl_code_for_errno(rc);
            snprintf(msg, sizeof(msg), "setting file priorities of torrent %d failed: %s", l.ids[i],
                     strerror(-rc));
            json_decref(done);
            done = NULL;
            break;
        }
        json_array_append_new(done, json_integer(l.ids[i]));
    }
    for (size_t i = 0; i < l.n; i++)
        eng_meta_free(metas[i]);
    free(metas);
    free(l.ids);
    if (!done && !code) return ctl_fail(err, CTL_E_INTERNAL, "out of memory");
    if (!done) *err = ctl_error_obj(code, msg);
    return done;
}

/* --- queries -------------------------------------------------------------- */

/* Whether the comma list `tags` holds `tag` as one whole item. */
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

/* --- table ------------------------------------------------------------------ */

static const struct {
    const char *name;
    ctl_cmd_fn fn;
} commands[] = {
    {"ls", cmd_ls},
    {"info", cmd_info},
    {"add", cmd_add},
    {"pause", cmd_pause},
    {"resume", cmd_resume},
    {"recheck", cmd_recheck},
    {"reannounce", cmd_reannounce},
    {"remove", cmd_remove},
    {"connect", cmd_connect},
    {"priority", cmd_priority},
    {"stats", cmd_stats},
    {"config_get", ctl_cmd_config_get},
    {"config_set", ctl_cmd_config_set},
    {"config_reset", ctl_cmd_config_reset},
    {"config_history", ctl_cmd_config_history},
    {"set", ctl_cmd_set},
    {"get", ctl_cmd_get},
    {"category_list", ctl_cmd_category_list},
    {"category_set", ctl_cmd_category_set},
    {"category_remove", ctl_cmd_category_remove},
    {"quit", cmd_quit},
};

ctl_cmd_fn ctl_command_find(const char *name)
{
    for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
        if (strcmp(commands[i].name, name) == 0) return commands[i].fn;
    return NULL;
}
