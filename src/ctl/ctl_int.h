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

/* A protocol command's handler. Returns the "result" value (new reference)
 * or NULL with *err_out set to an error object (new reference) built by
 * ctl_error_obj(); NULL with neither set: the reply was deferred
 * (ctl_defer_begin). `req` is the whole request object (borrowed). Loop
 * thread. */
typedef json_t *(*ctl_cmd_fn)(struct eng *e, json_t *req, bool *quit_requested, json_t **err_out);

/* --- the command table (cmds.c) -------------------------------------------
 *
 * Every `spate` subcommand is one const struct ctl_cmd, defined in the file
 * that holds its handler (commands.c: the torrent commands and add;
 * priority.c, config.c, torrent_set.c: set and get, category.c, db.c,
 * cmds.c: help), and listed once in ctl_cmds[] (cmds.c). The parser
 * (args.c), the client (client.c), the server (ctl_command_find), `spate
 * --help`, `spate help CMD` and the command list in docs/protocol.md all
 * read the table; nothing else names a command. */

/* The subcommand options (args.c's option table maps each name to one of
 * these bits; an entry's .options says which it takes). */
enum {
    CTL_OPT_JSON = 1u << 0,        /* --json */
    CTL_OPT_PAUSED = 1u << 1,      /* --paused */
    CTL_OPT_DIR = 1u << 2,         /* --dir DIR */
    CTL_OPT_PEER = 1u << 3,        /* --peer HOST:PORT */
    CTL_OPT_DELETE_DATA = 1u << 4, /* --delete-data */
    CTL_OPT_OPT = 1u << 5,         /* --opt KEY=VALUE */
    CTL_OPT_SEED_MODE = 1u << 6,   /* --seed-mode */
    CTL_OPT_CATEGORY = 1u << 7,    /* --category NAME */
    CTL_OPT_TAGS = 1u << 8,        /* --tags A,B */
    CTL_OPT_TAG = 1u << 9,         /* --tag TAG */
};

/* One line of help: the synopsis after "spate " (a '\n' continues it on an
 * indented line), what it does ('\n' between lines), and the protocol
 * command the line sends (NULL: none, the command runs locally). */
struct ctl_help {
    const char *synopsis;
    const char *text;
    const char *wire;
};

/* A protocol command: its name on the wire and its handler. */
struct ctl_wire {
    const char *name;
    ctl_cmd_fn handle;
};

struct ctl_cmd {
    const char *name;            /* the subcommand, as typed */
    size_t min_pos;              /* operands: at least */
    size_t max_pos;              /* at most; SIZE_MAX: any number */
    const char *operands;        /* for messages ("ID PRIO FILE..."), NULL when none */
    unsigned options;            /* CTL_OPT_* bits this subcommand takes */
    const struct ctl_help *help; /* usage lines, ended by {NULL} */
    /* Checks the operands beyond their count (parsed values into *a);
     * CTL_EXIT_USAGE with a one-line message in err. NULL: nothing more. */
    int (*parse)(struct ctl_args *a, char *err, size_t errlen);
    /* Whether `arg` (one dash, not "--") is an operand here rather than an
     * option ("-5" for config, "-old" for set). NULL: never. */
    bool (*dash_operand)(const char *arg);
    /* Fills the request {"id","cmd":name} (may replace "cmd"); checks what
     * needs no instance (IDs, keys, files) first. Returns 0 or a CTL_EXIT_*
     * code, the message printed. NULL: the request is just the name. */
    int (*request)(const struct ctl_args *a, json_t *req);
    /* Prints a successful result (borrowed) to stdout; returns a CTL_EXIT_*
     * code. NULL: print_text below, or --json as is. */
    int (*print)(const struct ctl_args *a, json_t *result);
    void (*print_text)(FILE *out, json_t *result);
    /* The past tense for the one-line-per-ID printer ("paused 3"). */
    const char *done;
    /* A command that runs here, without an instance (db, help); returns a
     * CTL_EXIT_* code. NULL: sent to the instance. */
    int (*run)(const struct ctl_args *a, const char *data_dir);
    const struct ctl_wire *wire; /* the protocol commands served, ended by {NULL} */
};

/* Every subcommand, in the order --help lists them; NULL-terminated. */
extern const struct ctl_cmd *const ctl_cmds[];
/* The entry of subcommand `name`, or NULL. */
const struct ctl_cmd *ctl_cmd_find(const char *name);
/* The handler of protocol command `name`, or NULL. */
ctl_cmd_fn ctl_command_find(const char *name);

extern const struct ctl_cmd ctl_cmd_ls_entry, ctl_cmd_info_entry, ctl_cmd_add_entry,
    ctl_cmd_pause_entry, ctl_cmd_resume_entry, ctl_cmd_recheck_entry, ctl_cmd_reannounce_entry,
    ctl_cmd_remove_entry, ctl_cmd_connect_entry, ctl_cmd_priority_entry, ctl_cmd_config_entry,
    ctl_cmd_set_entry, ctl_cmd_get_entry, ctl_cmd_category_entry, ctl_cmd_stats_entry,
    ctl_cmd_quit_entry, ctl_cmd_db_entry, ctl_cmd_help_entry;

/* args.c: pieces the entries' .parse hooks share. */
/* Writes the message into err (errlen bytes); returns CTL_EXIT_USAGE. */
int ctl_usage_err(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* The length of KEY in "KEY=VALUE" into *klen; a usage error naming `what`
 * (--set, --opt, ...) when there is no '=' or no KEY before it. */
int ctl_kv_key_len(const char *what, const char *kv, size_t *klen, char *err, size_t errlen);
/* Whether arg is exactly a known short option ("-h", "-V"). */
bool ctl_is_short_option(const char *arg);

/* client.c: pieces the entries' request builders and printers share. */
/* One line "spate: ..." (terminal-safe) on stderr; returns `code`. */
int ctl_say(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The exit code for a reply error code: CTL_EXIT_USAGE or _FAILURE. */
int ctl_exit_for_code(const char *code);
/* req[field] = `path` made absolute; 0, or exit 1 (printed) if it cannot be. */
int ctl_dir_field(json_t *req, const char *field, const char *path);
/* Appends ids[0..n-1] to req["ids"] after checking their syntax (exit 2,
 * printed, for a bad one). */
int ctl_ids_request(json_t *req, const char *const *ids, size_t n);
/* --json: the result as is (C1 controls escaped on a terminal). */
int ctl_print_json(json_t *v);
/* "DONE ID" per id of the result (the entry's .done), e.g. "paused 3". */
int ctl_print_ids(const struct ctl_args *a, json_t *result);
/* cmds.c: an entry's usage lines, as --help shows them, to f. */
void ctl_help_print(const struct ctl_cmd *c, FILE *f);

/* Appends "; " + s to the message buffer buf (n bytes) while it fits. */
void ctl_msg_append(char *buf, size_t n, const char *s);

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

#endif
