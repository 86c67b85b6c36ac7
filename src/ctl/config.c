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
 * At the end: `spate config`'s entry in the command table (operands,
 * request, printer).
 */
#include "ctl/ctl_int.h"
#include "engine/registry.h"

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
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

/* --- the table entry: `spate config` -------------------------------------- */

/* config get [KEY|GROUP...] | set KEY VALUE | reset KEY|GROUP...: the action into
 * a->config_op; the keys stay in a->pos. Keys are checked by the client
 * (eng_setting_*), which knows every setting; a VALUE may be "". */
static int parse_config(struct ctl_args *a, char *err, size_t errlen)
{
    static const char *const ops[] = {"get", "set", "reset", "history"};
    for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++)
        if (strcmp(a->pos[0], ops[i]) == 0) a->config_op = ops[i];
    if (!a->config_op)
        return ctl_usage_err(
            err, errlen, "config: unknown action '%s': give get, set, reset or history", a->pos[0]);
    bool set = strcmp(a->config_op, "set") == 0;
    bool history = strcmp(a->config_op, "history") == 0;
    if (history && a->n_pos > 2)
        return ctl_usage_err(err, errlen, "config history: takes at most one KEY");
    if (a->n_pos < 2 && strcmp(a->config_op, "get") != 0 && !history)
        return ctl_usage_err(err, errlen, "config %s: missing %s", a->config_op,
                             set ? "KEY VALUE" : "KEY");
    if (set && a->n_pos < 3) return ctl_usage_err(err, errlen, "config set: missing VALUE");
    if (set && a->n_pos > 3)
        return ctl_usage_err(err, errlen,
                             "config set: takes one KEY and one VALUE, got %zu arguments (quote a "
                             "VALUE with spaces)",
                             a->n_pos - 1);
    for (size_t i = 1; i < a->n_pos - set; i++)
        if (!a->pos[i][0]) return ctl_usage_err(err, errlen, "config %s: empty KEY", a->config_op);
    return 0;
}

/* "-5": a value for `config set` (active_downloads -1), not an option. */
static bool is_negative_number(const char *s)
{
    if (*s++ != '-' || !*s) return false;
    for (; *s; s++)
        if (*s < '0' || *s > '9') return false;
    return true;
}

/* config get|set|reset: the request is config_get, config_set or
 * config_reset. Keys (and set's value) are checked here first, with the
 * engine's own rules, so a typo fails with exit 2 even when no instance
 * runs; the instance checks again. */
static int config_request(const struct ctl_args *a, json_t *req)
{
    char cmd[32], msg[512] = "";
    snprintf(cmd, sizeof(cmd), "config_%s", a->config_op);
    json_object_set_new(req, "cmd", json_string(cmd));
    const char *const *keys = a->pos + 1;
    if (strcmp(a->config_op, "set") == 0) {
        if (ctl_config_check_keys(keys, 1, msg, sizeof(msg)) ||
            eng_setting_validate(keys[0], a->pos[2], msg, sizeof(msg)) != 0)
            return ctl_say(CTL_EXIT_USAGE, "%s", msg[0] ? msg : "invalid setting");
        json_object_set_new(req, "key", ctl_json_str(keys[0]));
        json_object_set_new(req, "value", ctl_json_str(a->pos[2]));
        return 0;
    }
    size_t n = a->n_pos - 1;
    if (ctl_config_check_keys(keys, n, msg, sizeof(msg))) return ctl_say(CTL_EXIT_USAGE, "%s", msg);
    if (strcmp(a->config_op, "history") == 0) {
        if (n) json_object_set_new(req, "key", ctl_json_str(keys[0]));
        return 0;
    }
    /* `config get` with no key: no "keys", which asks for every key */
    if (n == 0) return 0;
    json_t *arr = json_array();
    json_object_set_new(req, "keys", arr);
    for (size_t i = 0; i < n; i++)
        json_array_append_new(arr, ctl_json_str(keys[i]));
    return 0;
}

static int print_config(const struct ctl_args *a, json_t *result)
{
    if (a->json) return ctl_print_json(result);
    ctl_print_config(stdout, result, a->config_op);
    return CTL_EXIT_OK;
}

const struct ctl_cmd ctl_cmd_config_entry = {
    .name = "config",
    .min_pos = 1,
    .max_pos = SIZE_MAX,
    .operands = "get [KEY|GROUP...] | set KEY VALUE | reset KEY|GROUP... | history [KEY]",
    .options = CTL_OPT_JSON,
    .help =
        (const struct ctl_help[]){
            {"config get [KEY|GROUP...] [--json]",
             "show settings (all without KEY): the value in effect,\n"
             "the stored one, the default and libtorrent's own\n"
             "when they differ",
             "config_get"},
            {"config set KEY VALUE", "change a setting and keep it across restarts", "config_set"},
            {"config reset KEY...", "back to the default, no longer stored", "config_reset"},
            {"config history [KEY] [--json]", "changes of the stored settings, newest first",
             "config_history"},
            {NULL, NULL, NULL}},
    .parse = parse_config,
    .dash_operand = is_negative_number,
    .request = config_request,
    .print = print_config,
    .wire = (const struct ctl_wire[]){{"config_get", ctl_cmd_config_get},
                                      {"config_set", ctl_cmd_config_set},
                                      {"config_reset", ctl_cmd_config_reset},
                                      {"config_history", ctl_cmd_config_history},
                                      {NULL, NULL}},
};
