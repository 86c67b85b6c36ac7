/*
 * ctl.h — the control socket (server side, in the TUI or daemon process), the
 * CLI client that talks to it, and the command-line parser shared by both.
 *
 * Protocol (docs/protocol.md): a unix stream socket, mode 0600, peer uid
 * checked with SO_PEERCRED; one JSON object per line each way (jansson);
 * requests {"id":N,"cmd":"...",...}; replies {"id":N,"result":...} or
 * {"id":N,"error":{"code":"...","message":"..."}}. Lines are bounded
 * (CTL_MAX_LINE); a longer one is answered with an error and the connection
 * is closed.
 *
 * Thread-safety: the server runs on the loop thread and calls the engine
 * there. The client is synchronous and used only by CLI subcommands.
 */
#ifndef SPATE_CTL_H
#define SPATE_CTL_H

#include <stdbool.h>
#include <stddef.h>
#include <uv.h>

struct eng;
struct ctl_server;

#define CTL_MAX_LINE (1024 * 1024) /* bytes, including the newline */

/* Exit codes of every `spate` invocation. */
enum {
    CTL_EXIT_OK = 0,
    CTL_EXIT_FAILURE = 1,     /* runtime failure */
    CTL_EXIT_USAGE = 2,       /* usage or validation error */
    CTL_EXIT_NO_INSTANCE = 3, /* no running instance on the socket */
};

#define CTL_MAX_SETS 256
#define CTL_MAX_ARGS 256

/* The parsed command line. Strings point into argv (borrowed). */
struct ctl_args {
    /* global options, valid before or after the subcommand */
    const char *data_dir;               /* --data-dir, NULL = default */
    const char *download_dir;           /* --download-dir */
    const char *socket_path;            /* --socket */
    const char *set_keys[CTL_MAX_SETS]; /* --set KEY=VALUE, split */
    const char *set_values[CTL_MAX_SETS];
    size_t n_sets;
    char set_buf[CTL_MAX_SETS][256]; /* storage for the split keys */
    bool daemon;                     /* --daemon */
    const char *mount_dir;           /* --mount DIR, NULL = default */
    bool no_mount;                   /* --no-mount */
    const char *theme;               /* --theme NAME (spate.theme for this run), or NULL */

    bool help;    /* --help / -h */
    bool version; /* --version / -V */

    /* the subcommand: NULL for the TUI/daemon */
    const char *cmd; /* "add", "ls", "info", "pause", ...: a name in ctl_cmds[] */
    /* subcommand options (which subcommand takes which: its entry's
     * .options) and what the entries' .parse hooks fill in */
    bool json;                       /* --json (ls, info, config, get, category, stats) */
    bool paused;                     /* --paused (add) */
    bool seed_mode;                  /* --seed-mode (add) */
    bool delete_data;                /* --delete-data (remove) */
    const char *dir;                 /* --dir DIR (add) */
    const char *peers[CTL_MAX_ARGS]; /* --peer HOST:PORT (add) */
    size_t n_peers;
    const char *opts[CTL_MAX_ARGS]; /* --opt KEY=VALUE (add), unsplit: KEY checked non-empty */
    size_t n_opts;
    const char *category; /* --category NAME: add's category, ls's filter */
    const char *tags;     /* --tags a,b (add) */
    const char *tag;      /* --tag TAG (ls filter) */
    /* priority ID PRIO FILE..., parsed from the operands */
    int prio;                /* 0..7 (libtorrent download_priority_t) */
    bool all_files;          /* FILE was `all` */
    int files[CTL_MAX_ARGS]; /* else the file indices: distinct, in order given */
    size_t n_files;
    /* config get|set|reset: the action as a static string; the KEYs (set:
     * KEY VALUE) are the operands after it, pos[1..] */
    const char *config_op;
    /* category ls|set|rm: the action as a static string; NAME is pos[1],
     * set's KEY=VALUE pairs (checked: known keys, integer limits) pos[2..] */
    const char *category_op;
    /* set ID... KEY VALUE: the last two operands are KEY and VALUE;
     * get ID [KEY...]: the operands after the ID are the KEYs */
    /* positional arguments after the subcommand */
    const char *pos[CTL_MAX_ARGS];
    size_t n_pos;
};

/* Parses argv into *a. Returns 0, or CTL_EXIT_USAGE with a one-line message
 * in err (unknown option, missing value, unknown subcommand, missing
 * operands, malformed --set or --opt, or what the subcommand's entry in the
 * command table checks: a bad PRIO or FILE for `priority`, a bad `config`
 * or `category` action, an unknown `category set` key or a limit that is
 * not an integer, an empty KEY for `set`/`get`, ...). Does not
 * validate setting keys or values: the caller does that with
 * eng_setting_validate() (the client, for `config`) and the registry (the
 * client, for `set`, `get` and `add --opt`).
 * Does not check IDs: ctl_client_run() does. Pure: no I/O. */
int ctl_args_parse(int argc, char **argv, struct ctl_args *a, char *err, size_t errlen);

/* Runs `spate db backups|restore [FILE]` on DATA_DIR directly (no running
 * instance is needed; restore refuses while one runs). Prints the result
 * to stdout and a one-line error to stderr; returns a CTL_EXIT_* code. */
int ctl_db_run(const struct ctl_args *a, const char *data_dir);

/* Prints the usage text to `f` (a FILE *): modes, every command's usage
 * lines from the command table, options, exit codes. */
void ctl_usage(void *file);

/* `spate CMD --help`: the usage lines of a->cmd (the whole usage text when
 * there is no subcommand) to `file` (a FILE *). */
void ctl_help(const struct ctl_args *a, void *file);

/* Runs the subcommand a->cmd: a local one (db, help) on DATA_DIR, any
 * other through ctl_client_run() on `socket_path`. Returns a CTL_EXIT_*
 * code. */
int ctl_run(const struct ctl_args *a, const char *data_dir, const char *socket_path);

/* The command list of docs/protocol.md (the text between its
 * "<!-- commands:begin -->" and "<!-- commands:end -->" lines), generated
 * from the command table, to `file` (a FILE *). Returns 0 or -EIO. */
int ctl_commands_doc(void *file);

/* Runs the CLI subcommand a->cmd against the instance listening on
 * `socket_path`: sends requests, prints results to stdout and errors (one
 * line) to stderr. Returns a CTL_EXIT_* code. */
int ctl_client_run(const struct ctl_args *a, const char *socket_path);

/* Starts the control server on `loop` at `path` (an existing stale socket is
 * replaced; a live one is -EADDRINUSE). `on_quit` is called on the loop
 * thread when a client sends "quit". On success *out is released with
 * ctl_server_close(), which also unlinks the socket. Handles close
 * asynchronously: run the loop afterwards (as for eng_free) so the memory is
 * released. */
int ctl_server_start(uv_loop_t *loop, struct eng *e, const char *path, void (*on_quit)(void *ud),
                     void *ud, struct ctl_server **out, char *err, size_t errlen);
void ctl_server_close(struct ctl_server *s);

/* Handles one request line (without the newline) as the server would and
 * returns the reply line (without newline), malloc'd: the caller frees it.
 * Exposed for tests; never returns NULL except on out-of-memory. */
char *ctl_handle_line(struct eng *e, const char *line, size_t len, bool *quit_requested);

/* Where a deferred reply goes: line (malloc'd, without newline) is the
 * callee's to free. Called on the loop thread, exactly once per deferred
 * request. */
typedef void (*ctl_reply_fn)(void *ud, char *line);

/* ctl_handle_line for a server that can wait: a handler that must wait for
 * a worker (`add` of a .torrent path) defers its reply. Then NULL is
 * returned with *deferred true, and the reply comes later through
 * fn(ud, line); the caller must not serve further requests of the same
 * client meanwhile (replies stay in order). Otherwise returns the reply
 * like ctl_handle_line and *deferred is false. ctl_handle_line itself runs
 * eng_loop(e) until a deferred reply comes, so it must not be called from
 * a loop callback (it is for tests). Loop thread. */
char *ctl_handle_line_async(struct eng *e, const char *line, size_t len, bool *quit_requested,
                            ctl_reply_fn fn, void *ud, bool *deferred);

/* Line framing: feeds bytes into a per-connection buffer and yields
 * complete lines. Bounded by CTL_MAX_LINE. */
struct ctl_framer {
    char *buf;
    size_t len, cap;
    size_t head;   /* bytes at buf's start already popped by ctl_framer_next */
    bool overflow; /* set once a line exceeded CTL_MAX_LINE; the connection must close */
};
void ctl_framer_init(struct ctl_framer *f);
void ctl_framer_free(struct ctl_framer *f);
/* Appends `n` bytes; returns 0 or -EMSGSIZE once the pending line is too
 * long. */
int ctl_framer_feed(struct ctl_framer *f, const char *data, size_t n);
/* Pops the next complete line into *line (borrowed until the next call on
 * f) and its length into *len; returns 1 if a line was popped, 0 if none is
 * complete. */
int ctl_framer_next(struct ctl_framer *f, const char **line, size_t *len);

#endif
