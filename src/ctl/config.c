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
 * docs/protocol.md.
 */
#include "ctl/ctl_int.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define VALUE_MAX 4096 /* a setting's text: the engine's paths stop below this */
#define KEY_ECHO 100   /* bytes of a key echoed in a message */

size_t ctl_config_check_keys(const char *const *keys, size_t n, char *msg, size_t msglen)
{
    size_t n_bad = 0;
    if (msg && msglen) msg[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        char def[VALUE_MAX];
        if (keys[i][0] && eng_setting_default(keys[i], def, sizeof(def)) != -EINVAL) continue;
        if (msg && msglen) {
            size_t len = strlen(msg);
            snprintf(msg + len, msglen - len, "%sunknown setting '%.*s'", n_bad ? "; " : "",
                     KEY_ECHO, keys[i]);
        }
        n_bad++;
    }
    return n_bad;
}

/* The row of one known key: {"key","effective","stored","default","native"}.
 * Returns 0 and a new reference in *out, or a negative engine error with a
 * message in msg. */
static int config_row(struct eng *e, const char *key, json_t **out, char *msg, size_t msglen)
{
    char eff[VALUE_MAX], def[VALUE_MAX], stored[VALUE_MAX];
    int rc = eng_setting_get(e, key, eff, sizeof(eff));
    if (!rc) rc = eng_setting_default(key, def, sizeof(def));
    int has = rc ? rc : eng_setting_stored(e, key, stored, sizeof(stored));
    if (has < 0) {
        snprintf(msg, msglen, "cannot read setting '%.*s': %s", KEY_ECHO, key, strerror(-has));
        return has;
    }
    /* spate's own keys are no libtorrent setting: nothing native to show */
    bool own = strncmp(key, "spate.", 6) == 0;
    *out = json_pack("{s:o, s:o, s:o, s:o, s:o}", "key", ctl_json_str(key), "effective",
                     ctl_json_str(eff), "stored", ctl_json_str(has ? stored : NULL), "default",
                     ctl_json_str(def), "native", ctl_json_str(own ? NULL : eff));
    if (!*out) {
        snprintf(msg, msglen, "out of memory");
        return -ENOMEM;
    }
    return 0;
}

/* req["keys"]: a non-empty array of strings, each known, duplicates
 * dropped. Returns a malloc'd array of borrowed strings (n in *n_out), or
 * NULL with *err set. */
static const char **config_keys(json_t *req, size_t *n_out, json_t **err)
{
    json_t *keys = json_object_get(req, "keys");
    size_t i, n = 0;
    json_t *v;
    json_array_foreach(keys, i, v)
    {
        if (!json_is_string(v)) break;
    }
    if (!json_is_array(keys) || json_array_size(keys) == 0 || i < json_array_size(keys)) {
        ctl_fail(err, CTL_E_BAD_REQUEST, "\"keys\" must be a non-empty array of setting names");
        return NULL;
    }
    const char **out = calloc(json_array_size(keys), sizeof(*out));
    if (!out) {
        ctl_fail(err, CTL_E_INTERNAL, "out of memory");
        return NULL;
    }
    json_array_foreach(keys, i, v)
    {
        const char *k = json_string_value(v);
        bool dup = false;
        for (size_t j = 0; j < n; j++)
            dup = dup || strcmp(out[j], k) == 0;
        if (!dup) out[n++] = k;
    }
    char msg[512];
    if (ctl_config_check_keys(out, n, msg, sizeof(msg))) {
        free(out);
        ctl_fail(err, CTL_E_UNKNOWN_SETTING, "%s", msg);
        return NULL;
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

/* config_get {"keys":[KEY...]}: one row per distinct key, in order. */
json_t *ctl_cmd_config_get(struct eng *e, json_t *req, bool *q, json_t **err)
{
    (void)q;
    size_t n;
    const char **keys = config_keys(req, &n, err);
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
    json_t *jv = json_object_get(req, "value");
    char value[64];
    const char *val = value;
    if (!key) return ctl_fail(err, CTL_E_BAD_REQUEST, "\"key\" must be a setting name");
    if (json_is_string(jv))
        val = json_string_value(jv);
    else if (json_is_integer(jv))
        snprintf(value, sizeof(value), "%lld", (long long)json_integer_value(jv));
    else if (json_is_boolean(jv))
        snprintf(value, sizeof(value), "%s", json_is_true(jv) ? "true" : "false");
    else
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
    rc = config_row(e, key, &row, msg, sizeof(msg));
    return rc ? ctl_fail(err, CTL_E_INTERNAL, "%s", msg) : row;
}

/* config_reset {"keys":[KEY...]}: every key back to its default and out of
 * the profile; the rows after the change. */
json_t *ctl_cmd_config_reset(struct eng *e, json_t *req, bool *q, json_t **err)
{
    (void)q;
    size_t n;
    const char **keys = config_keys(req, &n, err);
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
