/*
 * config.c — the settings profile over the control socket: the handlers of
 * `config_get`, `config_set` and `config_reset`, and the key check the CLI
 * also runs before it connects.
 *
 * A setting is shown as one row: the value in effect, the value stored in
 * the profile (kept across restarts), spate's default and, for libtorrent's
 * own keys, what the session reports (session.get_settings()). The engine
 * does the validation, the applying and the storing (eng_setting_*); this
 * file checks the request's shape, checks every key before it changes
 * anything, and turns the engine's answers into JSON. Shapes and errors:
 * docs/protocol.md. The key check, the key list of a request and the value
 * conversion serve the per-torrent keys of `set`/`get` too (torrent_set.c).
 */
#include "ctl/ctl_int.h"
#include "engine/registry.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define VALUE_MAX 4096 /* a setting's text: the engine's paths stop below this */
#define KEY_ECHO 100   /* bytes of a key echoed in a message */

/* The keys among keys[0..n-1] that are not of `scope` (REG_SESSION: groups
 * count too), each named in msg with where it belongs instead. */
static size_t check_keys(unsigned scope, const char *const *keys, size_t n, char *msg,
                         size_t msglen)
{
    size_t n_bad = 0;
    if (msg && msglen) msg[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        const struct reg_key *k = reg_find(keys[i]);
        if ((k && (k->scope & scope)) || (scope == REG_SESSION && reg_is_group(keys[i]))) continue;
        if (msg && msglen) {
            size_t len = strlen(msg);
            const char *sep = n_bad ? "; " : "";
            if (k && scope == REG_SESSION)
                snprintf(msg + len, msglen - len,
                         "%s'%.*s' is a per-torrent setting (spate set ID %.*s VALUE)", sep,
                         KEY_ECHO, keys[i], KEY_ECHO, keys[i]);
            else if (k)
                snprintf(msg + len, msglen - len,
                         "%s'%.*s' is a session setting (spate config set %.*s VALUE)", sep,
                         KEY_ECHO, keys[i], KEY_ECHO, keys[i]);
            else
                snprintf(msg + len, msglen - len, "%sunknown setting '%.*s'", sep, KEY_ECHO,
                         keys[i]);
        }
        n_bad++;
    }
    return n_bad;
}

size_t ctl_config_check_keys(const char *const *keys, size_t n, char *msg, size_t msglen)
{
    return check_keys(REG_SESSION, keys, n, msg, msglen);
}

size_t ctl_torrent_check_keys(const char *const *keys, size_t n, char *msg, size_t msglen)
{
    return check_keys(REG_TORRENT, keys, n, msg, msglen);
}

const char *ctl_value_text(json_t *v, char *buf, size_t n)
{
    if (json_is_string(v)) return json_string_value(v);
    if (json_is_integer(v))
        snprintf(buf, n, "%lld", (long long)json_integer_value(v));
    else if (json_is_boolean(v))
        snprintf(buf, n, "%s", json_is_true(v) ? "true" : "false");
    else
        return NULL;
    return buf;
}

/* The row of one session key: key, group, type, unit, effective, stored,
 * default, native, differs. Returns 0 and a new reference in *out, or a
 * negative engine error with a message in msg. */
static int config_row(struct eng *e, const char *key, json_t **out, char *msg, size_t msglen)
{
    struct eng_setting_row *r = malloc(sizeof *r);
    if (!r) {
        snprintf(msg, msglen, "out of memory");
        return -ENOMEM;
    }
    int rc = eng_setting_row(e, key, r);
    if (rc) {
        snprintf(msg, msglen, "cannot read setting '%.*s': %s", KEY_ECHO, key, strerror(-rc));
        free(r);
        return rc;
    }
    *out = json_pack("{s:o, s:s, s:s, s:o, s:o, s:o, s:o, s:o, s:b}", "key", ctl_json_str(key),
                     "group", r->k->group, "type", reg_type_name(r->k->type), "unit",
                     ctl_json_str(r->k->unit), "effective", ctl_json_str(r->effective), "stored",
                     ctl_json_str(r->has_stored ? r->stored : NULL), "default",
                     ctl_json_str(r->def), "native", ctl_json_str(r->has_native ? r->native : NULL),
                     "differs", !r->is_default);
    free(r);
    if (!*out) {
        snprintf(msg, msglen, "out of memory");
        return -ENOMEM;
    }
    return 0;
}

const char **ctl_setting_keys(json_t *req, unsigned scope, bool all_ok, size_t *n_out, json_t **err)
{
    json_t *keys = json_object_get(req, "keys");
    size_t i, n = 0;
    json_t *v;
    json_array_foreach(keys, i, v)
    {
        if (!json_is_string(v)) break;
    }
    bool none = !keys || (json_is_array(keys) && json_array_size(keys) == 0);
    if ((none && !all_ok) || (keys && !json_is_array(keys)) || i < json_array_size(keys)) {
        ctl_fail(err, CTL_E_BAD_REQUEST, "\"keys\" must be a non-empty array of setting names");
        return NULL;
    }
    size_t n_asked = json_array_size(keys);
    const char **out = calloc(reg_count() + n_asked, sizeof(*out));
    if (!out) {
        ctl_fail(err, CTL_E_INTERNAL, "out of memory");
        return NULL;
    }
    /* every key is checked (and each unknown one named) before any is read */
    json_array_foreach(keys, i, v)
    {
        out[i] = json_string_value(v);
    }
    char msg[512];
    if (check_keys(scope, out, n_asked, msg, sizeof(msg))) {
        free(out);
        ctl_fail(err, CTL_E_UNKNOWN_SETTING, "%s", msg);
        return NULL;
    }
    for (size_t j = 0; j < (none ? 1 : json_array_size(keys)); j++) {
        const char *want = none ? NULL : json_string_value(json_array_get(keys, j));
        for (size_t r = 0; r < reg_count(); r++) {
            const struct reg_key *k = reg_at(r);
            if (!(k->scope & scope)) continue;
            /* a group names its keys (session keys only: check_keys said so) */
            if (want && strcmp(want, k->key) != 0 && strcmp(want, k->group) != 0) continue;
            bool dup = false;
            for (size_t d = 0; d < n && !dup; d++)
                dup = out[d] == k->key;
            if (!dup) out[n++] = k->key;
        }
    }
    *n_out = n;
    return out;
}

/* The rows of keys[0..n-1] as an array, or NULL with *err set. */
static json_t *config_rows(struct eng *e, const char **keys, size_t n, json_t **err)
{
    json_t *rows = json_array();
    if (!rows) return ctl_fail(err, CTL_E_INTERNAL, "out of memory");
    for (size_t i = 0; i < n; i++) {
        json_t *row;
        char msg[512];
        int rc = config_row(e, keys[i], &row, msg, sizeof(msg));
        if (rc) {
            json_decref(rows);
            return ctl_fail(err, CTL_E_INTERNAL, "%s", msg);
        }
        json_array_append_new(rows, row);
    }
    return rows;
}

/* config_get {"keys"?:[KEY|GROUP...]}: one row per distinct key, in order;
 * "keys" missing or empty: every session key (docs/protocol.md; the CLI's
 * `config get` with no key sends none). */
json_t *ctl_cmd_config_get(struct eng *e, json_t *req, bool *q, json_t **err)
{
    (void)q;
    size_t n;
    const char **keys = ctl_setting_keys(req, REG_SESSION, true, &n, err);
    if (!keys) return NULL;
    json_t *rows = config_rows(e, keys, n, err);
    free(keys);
    return rows;
}

/* config_set {"key":KEY,"value":VALUE}: applies and stores; the key's row
 * after the change. A number or boolean value is taken as its text. */
json_t *ctl_cmd_config_set(struct eng *e, json_t *req, bool *q, json_t **err)
{
    (void)q;
    const char *key = json_string_value(json_object_get(req, "key"));
    char value[64];
    const char *val = ctl_value_text(json_object_get(req, "value"), value, sizeof(value));
    if (!key) return ctl_fail(err, CTL_E_BAD_REQUEST, "\"key\" must be a setting name");
    if (!val)
        return ctl_fail(err, CTL_E_BAD_REQUEST,
                        "\"value\" must be a string, an integer or a boolean");

    char msg[512] = "";
    if (ctl_config_check_keys(&key, 1, msg, sizeof(msg)))
        return ctl_fail(err, CTL_E_UNKNOWN_SETTING, "%s", msg);
    int rc = eng_setting_store(e, key, val, "ctl", msg, sizeof(msg));
    if (rc == -EINVAL)
        return ctl_fail(err, CTL_E_INVALID_VALUE, "%s",
                        msg[0] ? msg : "invalid value for this setting");
    if (rc) return ctl_fail(err, CTL_E_INTERNAL, "%s", msg[0] ? msg : strerror(-rc));
    json_t *row;
    char warn[512];
    snprintf(warn, sizeof(warn), "%s", msg);
    rc = config_row(e, key, &row, msg, sizeof(msg));
    if (rc) return ctl_fail(err, CTL_E_INTERNAL, "%s", msg);
    /* clamped, or other keys the change implied */
    if (warn[0]) json_object_set_new(row, "warning", json_string(warn));
    return row;
}

/* config_reset {"keys":[KEY...]}: every key back to its default and out of
 * the profile; the rows after the change. */
json_t *ctl_cmd_config_reset(struct eng *e, json_t *req, bool *q, json_t **err)
{
    (void)q;
    size_t n;
    const char **keys = ctl_setting_keys(req, REG_SESSION, false, &n, err);
    if (!keys) return NULL;
    for (size_t i = 0; i < n; i++) {
        char msg[512] = "";
        int rc = eng_setting_reset(e, keys[i], "ctl", msg, sizeof(msg));
        if (rc) {
            /* the keys were checked and defaults are valid: only the
             * engine or its store can fail here */
            ctl_fail(err, CTL_E_INTERNAL, "resetting '%.*s' failed: %s", KEY_ECHO, keys[i],
                     msg[0] ? msg : strerror(-rc));
            free(keys);
            return NULL;
        }
    }
    json_t *rows = config_rows(e, keys, n, err);
    free(keys);
    return rows;
}

static int history_row(int64_t time, const char *key, const char *old, const char *now,
                       const char *source, void *ud)
{
    json_t *row = json_pack("{s:I, s:s, s:o, s:o, s:s}", "time", (json_int_t)time, "key", key,
                            "old", ctl_json_str(old), "new", ctl_json_str(now), "source", source);
    return row ? json_array_append_new(ud, row) : -1;
}

/* config_history {"key"?: KEY, "limit"?: N}: the stored profile's changes,
 * newest first (limit: 50 by default, 1..10000). */
json_t *ctl_cmd_config_history(struct eng *e, json_t *req, bool *q, json_t **err)
{
    (void)q;
    json_t *jk = json_object_get(req, "key"), *jl = json_object_get(req, "limit");
    if ((jk && !json_is_string(jk)) || (jl && !json_is_integer(jl)))
        return ctl_fail(err, CTL_E_BAD_REQUEST,
                        "\"key\" must be a setting name and \"limit\" an integer");
    const char *key = json_string_value(jk);
    json_int_t limit = jl ? json_integer_value(jl) : 50;
    if (limit < 1 || limit > 10000)
        return ctl_fail(err, CTL_E_BAD_REQUEST, "\"limit\" must be between 1 and 10000");
    char msg[512];
    if (key && ctl_config_check_keys(&key, 1, msg, sizeof(msg)))
        return ctl_fail(err, CTL_E_UNKNOWN_SETTING, "%s", msg);
    json_t *rows = json_array();
    if (!rows || eng_setting_history(e, key, (int)limit, history_row, rows) != 0) {
        json_decref(rows);
        return ctl_fail(err, CTL_E_INTERNAL, "cannot read the settings history");
    }
    return rows;
}
