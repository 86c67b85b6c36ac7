/*
 * torrent_set.c — per-torrent settings over the control socket: `set` (one
 * key on one or more torrents), `get` (keys of torrents), the "settings"
 * object of `info`, and the settings an `add` request carries ("opts",
 * "category", "tags").
 *
 * The keys are the registry's of scope REG_TORRENT (download_limit, pex,
 * queue_position, trackers, category, tags, ...). The engine validates,
 * applies and reads them back (eng_torrent_opt_*); this file checks the
 * request's shape, checks keys and values before anything changes, and
 * turns the answers into JSON. Values travel as text, as for `config_*`.
 * Shapes and errors: docs/protocol.md. At the end: the `set` and `get`
 * entries of the command table (operands, request, printer).
 */
#include "ctl/ctl_int.h"
#include "engine/registry.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Room for a value read back: the engine edits lists in 4 KiB, a tracker
 * list may read back longer. */
#define OPT_VALUE_MAX 16384

/* Torrent `id`'s value of `key` as a JSON string into *out: 0, or the
 * engine's error (-EINVAL, -ENOENT, -ERANGE, -EIO) or -ENOMEM. */
static int opt_value(struct eng *e, int id, const char *key, json_t **out)
{
    char *buf = malloc(OPT_VALUE_MAX);
    int rc = buf ? eng_torrent_opt_get(e, id, key, buf, OPT_VALUE_MAX) : -ENOMEM;
    *out = rc ? NULL : ctl_json_str(buf);
    free(buf);
    return rc || *out ? rc : -ENOMEM;
}

/* {"id":id,"key":key,"value":value}; steals value (NULL: JSON null). */
static json_t *opt_row(int id, const char *key, json_t *value)
{
    return json_pack("{s:i, s:s, s:o}", "id", id, "key", key, "value", value ? value : json_null());
}

json_t *ctl_torrent_settings_json(struct eng *e, int id)
{
    json_t *o = json_object();
    for (size_t i = 0; o && i < reg_count(); i++) {
        const struct reg_key *k = reg_at(i);
        if (!(k->scope & REG_TORRENT)) continue;
        json_t *v = NULL;
        opt_value(e, id, k->key, &v);
        json_object_set_new(o, k->key, v ? v : json_null());
    }
    return o;
}

/* The reply code of an eng_torrent_opt_set() error. */
static const char *set_code(int rc)
{
    if (rc == -EINVAL) return CTL_E_INVALID_VALUE;
    if (rc == -EAGAIN) return CTL_E_NO_METADATA;
    return ctl_code_for_errno(rc);
}

/* A key that works on the files (REG_F_NEEDS_METADATA: first_last_piece)
 * needs every torrent's metadata: checked for all before any changes, as
 * `priority` does. 0, or -1 with *err set (no_metadata naming each
 * torrent). */
static int check_metadata(struct eng *e, const struct ctl_id_list *l, const char *key, json_t **err)
{
    char msg[512] = "";
    const struct reg_key *k = reg_find(key);
    for (size_t i = 0; k && (k->flags & REG_F_NEEDS_METADATA) && i < l->n; i++) {
        const struct eng_torrent *t = eng_torrent_by_id(e, l->ids[i]);
        size_t len = strlen(msg);
        if (t && !t->has_metadata)
            snprintf(msg + len, sizeof(msg) - len, "%storrent %d has no metadata yet",
                     len ? "; " : "", t->id);
    }
    if (!msg[0]) return 0;
    ctl_fail(err, CTL_E_NO_METADATA, "%s: its files are not known", msg);
    return -1;
}

/* Sets key=val on each torrent of l in order, each row read back after
 * its change. A failure stops there: the error names the torrents already
 * changed (only the engine failing, or a value that depends on the
 * torrent, gets that far). */
static json_t *set_each(struct eng *e, const struct ctl_id_list *l, const char *key,
                        const char *val, json_t **err)
{
    json_t *rows = json_array();
    char done[256] = "";
    for (size_t i = 0; rows && i < l->n; i++) {
        char msg[512] = "";
        int rc = eng_torrent_opt_set(e, l->ids[i], key, val, msg, sizeof(msg));
        if (rc) {
            json_decref(rows);
            return ctl_fail(err, set_code(rc), "%s%s%s", msg[0] ? msg : strerror(-rc),
                            done[0] ? "; already changed: torrent " : "", done);
        }
        size_t len = strlen(done);
        snprintf(done + len, sizeof(done) - len, "%s%d", len ? ", " : "", l->ids[i]);
        json_t *v = NULL;
        opt_value(e, l->ids[i], key, &v); /* set but unreadable: null */
        json_t *row = opt_row(l->ids[i], key, v);
        if (row && msg[0]) json_object_set_new(row, "warning", ctl_json_str(msg));
        json_array_append_new(rows, row);
    }
    return rows ? rows : ctl_fail(err, CTL_E_INTERNAL, "out of memory");
}

/* set {"ids":[ID...],"key":KEY,"value":VALUE}: one row per torrent. The
 * key and the value are checked before any torrent changes. */
json_t *ctl_cmd_set(struct eng *e, json_t *req, bool *q, json_t **err)
{
    (void)q;
    const char *key = json_string_value(json_object_get(req, "key"));
    char num[64], msg[512] = "";
    const char *val = ctl_value_text(json_object_get(req, "value"), num, sizeof(num));
    if (!key) return ctl_fail(err, CTL_E_BAD_REQUEST, "\"key\" must be a setting name");
    if (!val)
        return ctl_fail(err, CTL_E_BAD_REQUEST,
                        "\"value\" must be a string, an integer or a boolean");
    if (ctl_torrent_check_keys(&key, 1, msg, sizeof(msg)))
        return ctl_fail(err, CTL_E_UNKNOWN_SETTING, "%s", msg);
    key = reg_find(key)->key;
    if (eng_torrent_opt_check(e, key, val, msg, sizeof(msg)) != 0)
        return ctl_fail(err, CTL_E_INVALID_VALUE, "%s",
                        msg[0] ? msg : "invalid value for this setting");
    struct ctl_id_list l;
    if (ctl_resolve_ids(e, req, &l, err)) return NULL;
    json_t *rows = check_metadata(e, &l, key, err) ? NULL : set_each(e, &l, key, val, err);
    free(l.ids);
    return rows;
}

/* get {"ids":[ID...],"keys":[KEY...]}: one row per torrent and key, torrent
 * by torrent; no keys: every per-torrent key. */
json_t *ctl_cmd_get(struct eng *e, json_t *req, bool *q, json_t **err)
{
    (void)q;
    size_t n;
    const char **keys = ctl_setting_keys(req, REG_TORRENT, true, &n, err);
    if (!keys) return NULL;
    struct ctl_id_list l;
    if (ctl_resolve_ids(e, req, &l, err)) {
        free(keys);
        return NULL;
    }
    json_t *rows = json_array();
    for (size_t i = 0; rows && i < l.n * n; i++) {
        int id = l.ids[i / n];
        json_t *v;
        int rc = opt_value(e, id, keys[i % n], &v);
        if (rc) {
            json_decref(rows);
            rows = ctl_fail(err, ctl_code_for_errno(rc), "cannot read %s of torrent %d: %s",
                            keys[i % n], id, strerror(-rc));
            break;
        }
        json_array_append_new(rows, opt_row(id, keys[i % n], v));
    }
    free(keys);
    free(l.ids);
    return rows;
}

/* --- add ----------------------------------------------------------------- */

void ctl_add_opts_free(struct ctl_add_opts *o)
{
    for (size_t i = 0; i < o->n; i++) {
        free((char *)o->v[i].key);
        free((char *)o->v[i].value);
    }
    free(o->v);
    o->v = NULL;
    o->n = 0;
}

/* Appends a copy of key (klen bytes) = value; o->v has room. */
static int opts_push(struct ctl_add_opts *o, const char *key, size_t klen, const char *value)
{
    char *k = strndup(key, klen), *v = strdup(value);
    if (!k || !v) {
        free(k);
        free(v);
        return -1;
    }
    o->v[o->n++] = (struct eng_setting){k, v};
    return 0;
}

/* "opts" as {KEY: VALUE} or ["KEY=VALUE"] onto o. 0, -1 out of memory,
 * -2 a bad shape. */
static int opts_read(json_t *jo, struct ctl_add_opts *o)
{
    const char *k;
    json_t *v;
    size_t i;
    int rc = 0;
    json_object_foreach(jo, k, v)
    {
        char num[64];
        const char *t = ctl_value_text(v, num, sizeof(num));
        rc = t ? opts_push(o, k, strlen(k), t) : -2;
        if (rc) return rc;
    }
    json_array_foreach(jo, i, v)
    {
        const char *s = json_string_value(v), *eq = s ? strchr(s, '=') : NULL;
        rc = eq && eq > s ? opts_push(o, s, (size_t)(eq - s), eq + 1) : -2;
        if (rc) return rc;
    }
    return 0;
}

/* Moves the "category" entries to the front, keeping their order and that
 * of the rest. */
static void category_first(struct ctl_add_opts *o)
{
    size_t front = 0;
    for (size_t i = 0; i < o->n; i++) {
        if (strcmp(o->v[i].key, "category") != 0) continue;
        struct eng_setting c = o->v[i];
        memmove(&o->v[front + 1], &o->v[front], (i - front) * sizeof(c));
        o->v[front++] = c;
    }
}

/* Checks every key, then every value; 0 or -1 with *err set. */
static int opts_check(struct eng *e, const struct ctl_add_opts *o, json_t **err)
{
    char msg[512];
    const char **keys = calloc(o->n + 1, sizeof(*keys));
    if (!keys) {
        ctl_fail(err, CTL_E_INTERNAL, "out of memory");
        return -1;
    }
    for (size_t i = 0; i < o->n; i++)
        keys[i] = o->v[i].key;
    size_t n_bad = ctl_torrent_check_keys(keys, o->n, msg, sizeof(msg));
    free(keys);
    if (n_bad) {
        ctl_fail(err, CTL_E_UNKNOWN_SETTING, "%s", msg);
        return -1;
    }
    for (size_t i = 0; i < o->n; i++) {
        msg[0] = '\0';
        if (eng_torrent_opt_check(e, o->v[i].key, o->v[i].value, msg, sizeof(msg)) == 0) continue;
        ctl_fail(err, CTL_E_INVALID_VALUE, "%s", msg[0] ? msg : "invalid per-torrent setting");
        return -1;
    }
    return 0;
}

int ctl_add_opts_parse(struct eng *e, json_t *req, struct ctl_add_opts *o, json_t **err)
{
    json_t *jo = json_object_get(req, "opts");
    json_t *jc = json_object_get(req, "category"), *jt = json_object_get(req, "tags");
    memset(o, 0, sizeof(*o));
    if ((jc && !json_is_string(jc)) || (jt && !json_is_string(jt))) {
        ctl_fail(err, CTL_E_BAD_REQUEST, "\"category\" and \"tags\" must be strings");
        return -1;
    }
    if (jo && !json_is_object(jo) && !json_is_array(jo)) {
        ctl_fail(err, CTL_E_BAD_REQUEST,
                 "\"opts\" must be an object {KEY: VALUE} or an array of \"KEY=VALUE\" strings");
        return -1;
    }
    o->v = calloc(2 + json_object_size(jo) + json_array_size(jo), sizeof(*o->v));
    int rc = o->v ? 0 : -1;
    if (!rc && jc) rc = opts_push(o, "category", 8, json_string_value(jc));
    if (!rc) rc = opts_read(jo, o);
    if (!rc && jt) rc = opts_push(o, "tags", 4, json_string_value(jt));
    if (rc) {
        ctl_add_opts_free(o);
        ctl_fail(err, rc == -2 ? CTL_E_BAD_REQUEST : CTL_E_INTERNAL, "%s",
                 rc == -2 ? "\"opts\" values must be strings, integers or booleans; array "
                            "entries \"KEY=VALUE\" strings"
                          : "out of memory");
        return -1;
    }
    category_first(o);
    if (opts_check(e, o, err)) {
        ctl_add_opts_free(o);
        return -1;
    }
    return 0;
}

/* --- the table entries: `spate set`, `spate get` ---------------------------- */

/* set ID... KEY VALUE: KEY must not be empty (VALUE may). */
static int parse_set(struct ctl_args *a, char *err, size_t errlen)
{
    if (!a->pos[a->n_pos - 2][0]) return ctl_usage_err(err, errlen, "set: empty KEY");
    return 0;
}

/* get ID [KEY...]: no KEY may be empty. */
static int parse_get(struct ctl_args *a, char *err, size_t errlen)
{
    for (size_t i = 1; i < a->n_pos; i++)
        if (!a->pos[i][0]) return ctl_usage_err(err, errlen, "get: empty KEY");
    return 0;
}

/* After set, "-X" is a VALUE (tags -old removes a tag), but -h and -V. */
static bool set_dash_operand(const char *arg)
{
    return !ctl_is_short_option(arg);
}

/* set ID... KEY VALUE | get ID [KEY...]: the keys are checked here, as
 * config's are (before the IDs); the instance checks the value. */
static int torrent_opt_request(const struct ctl_args *a, json_t *req, bool set)
{
    const char *const *keys = a->pos + (set ? a->n_pos - 2 : 1);
    size_t n = set ? 1 : a->n_pos - 1;
    char msg[512];
    json_object_set_new(req, "ids", json_array());
    if (ctl_torrent_check_keys(keys, n, msg, sizeof(msg)))
        return ctl_say(CTL_EXIT_USAGE, "%s", msg);
    if (set) {
        json_object_set_new(req, "key", ctl_json_str(keys[0]));
        json_object_set_new(req, "value", ctl_json_str(a->pos[a->n_pos - 1]));
    } else if (n > 0) { /* no "keys": every key */
        json_t *arr = json_array();
        json_object_set_new(req, "keys", arr);
        for (size_t i = 0; i < n; i++)
            json_array_append_new(arr, ctl_json_str(keys[i]));
    }
    return ctl_ids_request(req, a->pos, a->n_pos - n - set);
}

static int set_request(const struct ctl_args *a, json_t *req)
{
    return torrent_opt_request(a, req, true);
}

static int get_request(const struct ctl_args *a, json_t *req)
{
    return torrent_opt_request(a, req, false);
}

const struct ctl_cmd ctl_cmd_set_entry = {
    .name = "set",
    .min_pos = 3,
    .max_pos = SIZE_MAX,
    .operands = "ID... KEY VALUE",
    .help = (const struct ctl_help[]){{"set ID... KEY VALUE",
                                       "change a per-torrent setting of torrents", "set"},
                                      {NULL, NULL, NULL}},
    .parse = parse_set,
    .dash_operand = set_dash_operand,
    .request = set_request,
    .print_text = ctl_print_torrent_opts,
    .wire = (const struct ctl_wire[]){{"set", ctl_cmd_set}, {NULL, NULL}},
};

const struct ctl_cmd ctl_cmd_get_entry = {
    .name = "get",
    .min_pos = 1,
    .max_pos = SIZE_MAX,
    .operands = "ID [KEY...]",
    .options = CTL_OPT_JSON,
    .help = (const struct ctl_help[]){{"get ID [KEY...] [--json]",
                                       "show per-torrent settings (all without KEY)", "get"},
                                      {NULL, NULL, NULL}},
    .parse = parse_get,
    .request = get_request,
    .print_text = ctl_print_torrent_opts,
    .wire = (const struct ctl_wire[]){{"get", ctl_cmd_get}, {NULL, NULL}},
};
