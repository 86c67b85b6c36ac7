/*
 * protocol.c — one request line in, one reply line out.
 *
 * A request is a JSON object {"id":N,"cmd":"...",...}; the reply echoes the
 * id and carries either "result" or "error":{"code","message"}. Parsing and
 * the envelope live here; the handler is found in the command table
 * (ctl_command_find, cmds.c), each entry next to its handler.
 * Nothing here blocks: every handler calls the engine's table and commands
 * on the loop thread and returns. A handler that must wait for a worker
 * (`add` of a .torrent path) defers its reply (ctl_defer_begin) and sends it
 * later through the server's callback (ctl_defer_end).
 */
#include "ctl/ctl_int.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

json_t *ctl_error_obj(const char *code, const char *msg)
{
    return json_pack("{s:s, s:o}", "code", code, "message", ctl_json_str(msg));
}

static json_t *error_fmt(const char *code, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    return ctl_error_obj(code, msg);
}

const char *ctl_code_for_errno(int rc)
{
    switch (rc) {
    case -ENOENT:
        return CTL_E_NOT_FOUND;
    case -EEXIST:
        return CTL_E_EXISTS;
    case -EINVAL:
        return CTL_E_BAD_REQUEST;
    default:
        return CTL_E_INTERNAL;
    }
}

/* Runs the request; returns the result or NULL with *err set. *id_out is
 * the request's id (borrowed from req) when it had a usable one. */
static json_t *dispatch(struct eng *e, json_t *req, json_t **id_out, bool *quit_requested,
                        json_t **err)
{
    if (!json_is_object(req)) {
        *err = ctl_error_obj(CTL_E_PARSE, "a request must be a JSON object");
        return NULL;
    }
    json_t *id = json_object_get(req, "id");
    if (id && !json_is_integer(id) && !json_is_string(id) && !json_is_null(id)) {
        *err = ctl_error_obj(CTL_E_BAD_REQUEST, "\"id\" must be an integer or a string");
        return NULL;
    }
    if (id) *id_out = id;

    json_t *cmd = json_object_get(req, "cmd");
    if (!cmd) {
        *err = ctl_error_obj(CTL_E_BAD_REQUEST, "missing \"cmd\"");
        return NULL;
    }
    if (!json_is_string(cmd)) {
        *err = ctl_error_obj(CTL_E_BAD_REQUEST, "\"cmd\" must be a string");
        return NULL;
    }
    ctl_cmd_fn fn = ctl_command_find(json_string_value(cmd));
    if (!fn) {
        *err = error_fmt(CTL_E_UNKNOWN_COMMAND, "unknown command '%.64s'", json_string_value(cmd));
        return NULL;
    }
    return fn(e, req, quit_requested, err);
}

/* The request being dispatched (loop thread only): a handler that answers
 * later takes it over with ctl_defer_begin. */
struct ctl_call {
    ctl_reply_fn fn; /* where a deferred reply goes */
    void *ud;
    struct ctl_defer *d; /* set by ctl_defer_begin */
};
static struct ctl_call *current;

struct ctl_defer {
    json_t *id; /* the request's id (own reference), or NULL */
    ctl_reply_fn fn;
    void *ud;
    bool in_dispatch;     /* its handler has not returned yet */
    bool ended;           /* ctl_defer_end came during the handler: answer at once */
    json_t *result, *err; /* what it gave then (own references) */
};

struct ctl_defer *ctl_defer_begin(void)
{
    if (!current || current->d || !current->fn) return NULL;
    struct ctl_defer *d = calloc(1, sizeof *d);
    if (!d) return NULL;
    d->fn = current->fn;
    d->ud = current->ud;
    d->in_dispatch = true;
    current->d = d;
    return d;
}

/* The reply line for id and result or err (both stolen). */
static char *envelope(json_t *id, json_t *result, json_t *err)
{
    json_t *reply = json_object();
    char *out = NULL;
    if (reply) {
        json_object_set(reply, "id", id ? id : json_null());
        if (err)
            json_object_set_new(reply, "error", err);
        else
            json_object_set_new(reply, "result", result ? result : json_null());
        err = result = NULL;
        /* compact: never a newline inside a reply */
        out = json_dumps(reply, JSON_COMPACT | JSON_REAL_PRECISION(12));
        json_decref(reply);
    }
    json_decref(err);
    json_decref(result);
    if (!out)
        out =
            strdup("{\"id\":null,\"error\":{\"code\":\"internal\",\"message\":\"out of memory\"}}");
    return out;
}

void ctl_defer_end(struct ctl_defer *d, json_t *result, json_t *err)
{
    if (!d || d->ended) {
        json_decref(result);
        json_decref(err);
        return;
    }
    if (d->in_dispatch) {
        d->ended = true;
        d->result = result;
        d->err = err;
        return;
    }
    char *line = envelope(d->id, result, err);
    json_decref(d->id);
    ctl_reply_fn fn = d->fn;
    void *ud = d->ud;
    free(d);
    fn(ud, line);
}

char *ctl_handle_line_async(struct eng *e, const char *line, size_t len, bool *quit_requested,
                            ctl_reply_fn fn, void *ud, bool *deferred)
{
    bool quit_dummy = false;
    if (!quit_requested) quit_requested = &quit_dummy;
    *deferred = false;

    json_error_t jerr;
    json_t *req = json_loadb(line, len, JSON_DECODE_ANY | JSON_REJECT_DUPLICATES, &jerr);
    json_t *id = NULL, *result = NULL, *err = NULL;
    struct ctl_call call = {fn, ud, NULL}, *outer = current;
    if (!req) {
        err = error_fmt(CTL_E_PARSE, "invalid JSON at column %d: %s", jerr.column, jerr.text);
    } else {
        current = &call;
        result = dispatch(e, req, &id, quit_requested, &err);
        current = outer;
    }
    if (call.d) {
        struct ctl_defer *d = call.d;
        d->in_dispatch = false;
        if (!d->ended) {
            /* the handler answers later through ctl_defer_end */
            json_decref(result);
            json_decref(err);
            d->id = id ? json_incref(id) : NULL;
            json_decref(req);
            *deferred = true;
            return NULL;
        }
        /* it answered before returning: that is the reply */
        json_decref(result);
        json_decref(err);
        result = d->result;
        err = d->err;
        free(d);
    }
    char *out = envelope(id, result, err);
    json_decref(req);
    return out;
}

struct sync_reply {
    char *line;
    bool done;
};

static void sync_reply_cb(void *ud, char *line)
{
    struct sync_reply *r = ud;
    r->line = line;
    r->done = true;
}

char *ctl_handle_line(struct eng *e, const char *line, size_t len, bool *quit_requested)
{
    struct sync_reply r = {NULL, false};
    bool deferred = false;
    char *out = ctl_handle_line_async(e, line, len, quit_requested, sync_reply_cb, &r, &deferred);
    if (!deferred) return out;
    /* tests: run the engine's loop until the deferred reply comes */
    uv_loop_t *loop = eng_loop(e);
    while (!r.done && loop)
        uv_run(loop, UV_RUN_ONCE);
    return r.line;
}
