/*
 * ctl_int.h — private to src/ctl/: the pieces shared by the protocol
 * handler, the server and the client.
 *
 * Error codes travel in replies as short strings ("not_found", ...); the
 * CLI maps them back to exit codes. Torrent rows become JSON in exactly one
 * place (torrent_json.c) so `ls` and `info` never disagree.
 */
#ifndef SPATE_INTERNAL_CTL
#error                                                                                             \
    "ctl/ctl_int.h is private to src/ctl/ (docs/architecture.md); a unit test that needs it defines SPATE_INTERNAL_CTL"
#endif
#ifndef SPATE_CTL_INT_H
#define SPATE_CTL_INT_H

#include "ctl/ctl.h"
#include "engine/engine.h"

#include <jansson.h>
#include <stdio.h>

/* Reply error codes (docs/protocol.md). */
#define CTL_E_PARSE "parse_error"
#define CTL_E_BAD_REQUEST "bad_request"
#define CTL_E_UNKNOWN_COMMAND "unknown_command"
#define CTL_E_BAD_ID "bad_id"
#define CTL_E_NOT_FOUND "not_found"
#define CTL_E_AMBIGUOUS "ambiguous_id"
#define CTL_E_INVALID_TORRENT "invalid_torrent"
#define CTL_E_EXISTS "exists"
#define CTL_E_INTERNAL "internal"
#define CTL_E_LINE_TOO_LONG "line_too_long"
#define CTL_E_NO_METADATA "no_metadata"
#define CTL_E_UNKNOWN_SETTING "unknown_setting"
#define CTL_E_INVALID_VALUE "invalid_value"

/* Seconds the CLI waits for a reply before giving up. */
#define CTL_CLIENT_TIMEOUT_S 30

/* Largest reply line the CLI accepts (an `ls` of many torrents can exceed
 * CTL_MAX_LINE, which bounds requests). */
#define CTL_MAX_REPLY (256 * 1024 * 1024)

/* torrent_json.c */

/* A JSON string from arbitrary bytes: invalid UTF-8 becomes U+FFFD so a
 * torrent name with a broken encoding still serialises. NULL gives JSON
 * null. New reference. */
json_t *ctl_json_str(const char *s);

/* The JSON object for one torrent row: the `ls` fields, plus the `info`
 * fields when `detail` is true. New reference, NULL on out-of-memory. */
json_t *ctl_torrent_json(const struct eng_torrent *t, bool detail);

/* The session figures of eng_get_stats(), the IP filter's counts and
 * whether the alternative speed limits are on, as an object. New
 * reference. */
json_t *ctl_stats_json(struct eng *e);

/* The "files" array of `info` for torrent `id`: one {"index","path",
 * "size","priority","pad"} per file in index order, [] while the torrent
 * has no metadata. Writes a new reference to *out and returns 0, or a
 * negative error of eng_meta_get()/eng_file_priority() (-ENOENT, -ENOMEM,
 * -EIO) with *out untouched. Costs a libtorrent query per file. */
int ctl_files_json(struct eng *e, int id, json_t **out);

/* priority.c */

#define CTL_PRIO_MAX 7 /* libtorrent top_priority */

/* A priority as the user types it: "skip", "low", "normal", "high" (any
 * case) or one digit 0..7. Returns 0..7, or -1 if `s` is none of these. */
int ctl_prio_parse(const char *s);

/* The name of priority 0..7 ("skip", "low", "normal", "high", or the digit
 * for the values libtorrent leaves unnamed); "?" out of range. A static
 * string. */
const char *ctl_prio_name(int prio);

/* args.c */

/* A decimal integer, optionally negative, nothing else (no spaces, no
 * '+'), in long long range. */
bool ctl_parse_int64(const char *s, long long *out);

/* protocol.c */

/* {"code":code,"message":msg} — new reference. */
json_t *ctl_error_obj(const char *code, const char *msg);
/* Sets *err to ctl_error_obj(code, the formatted message, at most 511
 * bytes) and returns NULL, for `return ctl_fail(err, ...)` in handlers. */
json_t *ctl_fail(json_t **err, const char *code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* A deferred reply (see ctl_handle_line_async). A handler that cannot
 * answer yet calls ctl_defer_begin (NULL on out-of-memory or outside a
 * dispatch) and returns NULL with *err_out left NULL; it then calls
 * ctl_defer_end exactly once with the "result" or the error object
 * (stolen), which sends the reply; d is gone after it. ctl_defer_end may
 * also come before the handler returns: then it is the reply at once. Loop
 * thread. */
struct ctl_defer;
struct ctl_defer *ctl_defer_begin(void);
void ctl_defer_end(struct ctl_defer *d, json_t *result, json_t *err);

/* commands.c: one handler per command. Each returns the "result" value (new
 * reference) or NULL with *err_out set to an error object (new reference)
 * built by ctl_error_obj(). `req` is the whole request object (borrowed). */
typedef json_t *(*ctl_cmd_fn)(struct eng *e, json_t *req, bool *quit_requested, json_t **err_out);
ctl_cmd_fn ctl_command_find(const char *name);

/* Torrent ids resolved from a request's "ids": distinct, in the order
 * given. ids is malloc'd (the caller frees it) on success. */
struct ctl_id_list {
    int *ids;
    size_t n;
};
/* Resolves req["ids"] (docs/protocol.md, IDs). Returns 0, or -1 with *err
 * set: bad_request for a missing or mistyped array, else the code of the
 * first failing ID and "failures" listing every one. */
int ctl_resolve_ids(struct eng *e, json_t *req, struct ctl_id_list *out, json_t **err);

/* torrent_set.c: per-torrent settings (set, get), handlers as above, and
 * the pieces `add` and `info` take from it. */
json_t *ctl_cmd_set(struct eng *e, json_t *req, bool *q, json_t **err);
json_t *ctl_cmd_get(struct eng *e, json_t *req, bool *q, json_t **err);

/* The "settings" object of `info`: every per-torrent key of torrent `id`
 * to its value as text (null where the engine cannot read it). New
 * reference. */
json_t *ctl_torrent_settings_json(struct eng *e, int id);

/* The per-torrent settings of an `add` request: "category", then "opts"
 * ({KEY: VALUE} or ["KEY=VALUE"]), then "tags", checked (keys with the
 * registry, values with eng_torrent_opt_check) before anything is added.
 * The category comes first so its limits never override an explicit one. */
struct ctl_add_opts {
    struct eng_setting *v; /* key and value malloc'd */
    size_t n;
};
/* Returns 0 with *o filled (release with ctl_add_opts_free), or -1 with
 * *err set: bad_request (shape), unknown_setting, invalid_value. */
int ctl_add_opts_parse(struct eng *e, json_t *req, struct ctl_add_opts *o, json_t **err);
void ctl_add_opts_free(struct ctl_add_opts *o);

/* category.c: category_list, category_set, category_remove. */
json_t *ctl_cmd_category_list(struct eng *e, json_t *req, bool *q, json_t **err);
json_t *ctl_cmd_category_set(struct eng *e, json_t *req, bool *q, json_t **err);
json_t *ctl_cmd_category_remove(struct eng *e, json_t *req, bool *q, json_t **err);

/* config.c: the settings profile (config_get, config_set, config_reset),
 * handlers as above. */
json_t *ctl_cmd_config_get(struct eng *e, json_t *req, bool *q, json_t **err);
json_t *ctl_cmd_config_set(struct eng *e, json_t *req, bool *q, json_t **err);
json_t *ctl_cmd_config_reset(struct eng *e, json_t *req, bool *q, json_t **err);
json_t *ctl_cmd_config_history(struct eng *e, json_t *req, bool *q, json_t **err);

/* Counts the keys among keys[0..n-1] that name no setting (neither a
 * libtorrent settings_pack name nor one of spate's), and writes one
 * message naming each of them ("unknown setting 'x'; ...") into msg (may
 * be NULL). Pure: usable without an engine, so the CLI checks keys before
 * it connects. */
size_t ctl_config_check_keys(const char *const *keys, size_t n, char *msg, size_t msglen);
/* The same for per-torrent keys (`set`, `get`, `add` opts): a session key
 * is named as one ("'x' is a session setting (spate config set x
 * VALUE)"); groups are not keys here. Pure. */
size_t ctl_torrent_check_keys(const char *const *keys, size_t n, char *msg, size_t msglen);

/* req["keys"]: an array of strings, each a key of `scope` (REG_SESSION or
 * REG_TORRENT) or, for session keys, a group (all of its keys); missing
 * or empty: every key of the scope (allowed only when all_ok). Every key
 * is checked first (unknown_setting names each bad one). Duplicates
 * dropped, registry order within a group. Returns a malloc'd array of the
 * registry's static strings (n in *n_out), or NULL with *err set. */
const char **ctl_setting_keys(json_t *req, unsigned scope, bool all_ok, size_t *n_out,
                              json_t **err);

/* A setting's value as the protocol takes it: a JSON string as is, an
 * integer or boolean as its text (written into buf, n bytes). NULL for any
 * other type. The result is borrowed from v or buf. */
const char *ctl_value_text(json_t *v, char *buf, size_t n);

/* The reply error code for an engine error number (-ENOENT -> "not_found",
 * ...). Static string. */
const char *ctl_code_for_errno(int rc);

/* client_print.c: output of the CLI subcommands. `result` is borrowed. */
void ctl_print_ls(FILE *out, json_t *result);
void ctl_print_info(FILE *out, json_t *torrent);
/* `config`: one line per row of a config_* result (an array of rows, or one
 * row for `set`). op "get": "KEY = EFFECTIVE (stored: S) (default: D)",
 * the parts in brackets only when stored / when different from the
 * default; "set": "KEY = EFFECTIVE (stored)"; "reset": "KEY = EFFECTIVE
 * (default)". An empty value shows as "". */
void ctl_print_config(FILE *out, json_t *rows, const char *op);
/* `set` and `get`: "KEY = VALUE" per row ({"id","key","value"}), prefixed
 * with "torrent ID: " when the rows span several torrents; a row's
 * "warning" goes to stderr. An empty value shows as "". */
void ctl_print_torrent_opts(FILE *out, json_t *rows);
/* `category ls`: a table, one category per line (limits "-" when none,
 * ratio and seed time "-" when the session's apply). */
void ctl_print_categories(FILE *out, json_t *rows);
/* `stats`: "label: value" lines. */
void ctl_print_stats(FILE *out, json_t *stats);
/* Human sizes in binary units ("1.5 GiB"), rates ("2.3 MiB/s"). Write into
 * buf (n bytes); negative values give "-". */
void ctl_fmt_size(char *buf, size_t n, double bytes);
void ctl_fmt_rate(char *buf, size_t n, double bytes_per_s);

#endif
