/*
 * ctl_int.h — private to src/ctl/: the pieces shared by the protocol
 * handler, the server and the client.
 *
 * Error codes travel in replies as short strings ("not_found", ...); the
 * CLI maps them back to exit codes. Torrent rows become JSON in exactly one
 * place (torrent_json.c) so `ls` and `info` never disagree.
 */
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

/* The session figures of eng_get_stats() as an object. New reference. */
json_t *ctl_stats_json(const struct eng_stats *st);

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

/* protocol.c */

/* {"code":code,"message":msg} — new reference. */
json_t *ctl_error_obj(const char *code, const char *msg);
/* Sets *err to ctl_error_obj(code, the formatted message, at most 511
 * bytes) and returns NULL, for `return ctl_fail(err, ...)` in handlers. */
json_t *ctl_fail(json_t **err, const char *code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* commands.c: one handler per command. Each returns the "result" value (new
 * reference) or NULL with *err_out set to an error object (new reference)
 * built by ctl_error_obj(). `req` is the whole request object (borrowed). */
typedef json_t *(*ctl_cmd_fn)(struct eng *e, json_t *req, bool *quit_requested, json_t **err_out);
ctl_cmd_fn ctl_command_find(const char *name);

/* config.c: the settings profile (config_get, config_set, config_reset),
 * handlers as above. */
json_t *ctl_cmd_config_get(struct eng *e, json_t *req, bool *q, json_t **err);
json_t *ctl_cmd_config_set(struct eng *e, json_t *req, bool *q, json_t **err);
json_t *ctl_cmd_config_reset(struct eng *e, json_t *req, bool *q, json_t **err);

/* Counts the keys among keys[0..n-1] that name no setting (neither a
 * libtorrent settings_pack name nor one of spate's), and writes one
 * message naming each of them ("unknown setting 'x'; ...") into msg (may
 * be NULL). Pure: usable without an engine, so the CLI checks keys before
 * it connects. */
size_t ctl_config_check_keys(const char *const *keys, size_t n, char *msg, size_t msglen);

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
/* Human sizes in binary units ("1.5 GiB"), rates ("2.3 MiB/s"). Write into
 * buf (n bytes); negative values give "-". */
void ctl_fmt_size(char *buf, size_t n, double bytes);
void ctl_fmt_rate(char *buf, size_t n, double bytes_per_s);

#endif
