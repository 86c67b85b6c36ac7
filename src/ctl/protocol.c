/*
 * protocol.c — one request line in, one reply line out.
 *
 * A request is a JSON object {"id":N,"cmd":"...",...}; the reply echoes the
 * id and carries either "result" or "error":{"code","message"}. Parsing and
 * the envelope live here; each command's handler lives in commands.c.
 * Nothing here blocks: every handler calls the engine's table and commands
 * on the loop thread and returns.
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

char *ctl_handle_line(struct eng *e, const char *line, size_t len, bool *quit_requested)
{
    bool quit_dummy = false;
    if (!quit_requested) quit_requested = &quit_dummy;

    json_error_t jerr;
    json_t *req = json_loadb(line, len, JSON_DECODE_ANY | JSON_REJECT_DUPLICATES, &jerr);
    json_t *id = NULL, *result = NULL, *err = NULL;
    if (!req)
        err = error_fmt(CTL_E_PARSE, "invalid JSON at column %d: %s", jerr.column, jerr.text);
    else
        result = dispatch(e, req, &id, quit_requested, &err);

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
    json_decref(req);
    if (!out)
        out =
            strdup("{\"id\":null,\"error\":{\"code\":\"internal\",\"message\":\"out of memory\"}}");
    return out;
}
