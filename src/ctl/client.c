/*
 * client.c — the CLI side of the control socket: `spate add|ls|info|...`
 * turned into one request, sent over a blocking unix socket to the running
 * instance, and its reply printed.
 *
 * Checks that need no daemon run first (a missing .torrent file, a
 * malformed ID, an unknown setting or a bad value for a session setting,
 * a per-torrent key of `set`, `get` or `add --opt` that is not one), so
 * they fail with exit 2 even when nothing is running.
 * Relative paths are made absolute here, because the daemon's working
 * directory is not ours. Every wait on the socket is bounded by
 * CTL_CLIENT_TIMEOUT_S so the CLI never hangs. Text that did not come from
 * us (names, paths, messages) reaches the terminal through util's
 * terminal-safe writer, also inside --json output on a tty.
 */
#include "ctl/ctl_int.h"
#include "util/str.h"
#include "util/utf8.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

#define REQUEST_ID 1

static int say(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* One line "spate: ..." on stderr; returns `code`. The message may carry
 * text from the user, a torrent or the daemon: it is made terminal-safe
 * (util_term_fputs), so it stays one line and drives no terminal. */
static int say(int code, const char *fmt, ...)
{
    char msg[4096];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    fputs("spate: ", stderr);
    util_term_fputs(msg, stderr);
    fputc('\n', stderr);
    return code;
}

/* Exit code for a reply error code: the request was at fault (2) or the
 * instance failed (1). */
static int exit_for_code(const char *code)
{
    static const char *const usage_codes[] = {
        CTL_E_PARSE,         CTL_E_BAD_REQUEST, CTL_E_UNKNOWN_COMMAND, CTL_E_BAD_ID,
        CTL_E_NOT_FOUND,     CTL_E_AMBIGUOUS,   CTL_E_INVALID_TORRENT, CTL_E_EXISTS,
        CTL_E_LINE_TOO_LONG, CTL_E_NO_METADATA, CTL_E_UNKNOWN_SETTING, CTL_E_INVALID_VALUE,
    };
    for (size_t i = 0; code && i < sizeof(usage_codes) / sizeof(usage_codes[0]); i++)
        if (strcmp(code, usage_codes[i]) == 0) return CTL_EXIT_USAGE;
    return CTL_EXIT_FAILURE;
}

/* --- building the request ----------------------------------------------- */

/* `path` made absolute: resolved if it exists, else joined to the cwd.
 * malloc'd, NULL on failure. */
static char *absolute_dir(const char *path)
{
    char *r = realpath(path, NULL);
    if (r || path[0] == '/') return r ? r : strdup(path);
    char cwd[PATH_MAX];
    if (!getcwd(cwd, sizeof(cwd))) return NULL;
    size_t n = strlen(cwd) + strlen(path) + 2;
    r = malloc(n);
    if (r) snprintf(r, n, "%s/%s", cwd, path);
    return r;
}

/* req[field] = `path` made absolute; exit 1 if it cannot be. */
static int dir_field(json_t *req, const char *field, const char *path)
{
    char *dir = absolute_dir(path);
    if (!dir) return say(CTL_EXIT_FAILURE, "cannot resolve '%s': %s", path, strerror(errno));
    json_object_set_new(req, field, ctl_json_str(dir));
    free(dir);
    return 0;
}

/* --opt KEY=VALUE...: sent as ["KEY=VALUE", ...]. The keys are checked
 * here so a typo exits 2 before anything connects; the instance checks
 * the values. */
static int opts_request(const struct ctl_args *a, json_t *req)
{
    char *keys[CTL_MAX_ARGS];
    size_t n = 0, n_bad = 0;
    char msg[512] = "";
    json_t *arr = json_array();
    json_object_set_new(req, "opts", arr);
    for (; n < a->n_opts; n++) {
        keys[n] = strndup(a->opts[n], strcspn(a->opts[n], "="));
        if (!keys[n]) break;
        json_array_append_new(arr, ctl_json_str(a->opts[n]));
    }
    if (n == a->n_opts) n_bad = ctl_torrent_check_keys((const char **)keys, n, msg, sizeof(msg));
    for (size_t i = 0; i < n; i++)
        free(keys[i]);
    if (n < a->n_opts) return say(CTL_EXIT_FAILURE, "out of memory");
    return n_bad ? say(CTL_EXIT_USAGE, "%s", msg) : 0;
}

static int add_request(const struct ctl_args *a, json_t *req)
{
    json_t *sources = json_array();
    json_object_set_new(req, "sources", sources);
    for (size_t i = 0; i < a->n_pos; i++) {
        const char *src = a->pos[i];
        if (util_is_magnet(src)) {
            json_array_append_new(sources, ctl_json_str(src));
            continue;
        }
        char *abs = realpath(src, NULL);
        struct stat st;
        if (!abs)
            return say(CTL_EXIT_USAGE, "cannot open torrent file '%s': %s", src, strerror(errno));
        if (stat(abs, &st) != 0 || !S_ISREG(st.st_mode)) {
            free(abs);
            return say(CTL_EXIT_USAGE, "'%s' is not a .torrent file or a magnet URI", src);
        }
        json_array_append_new(sources, ctl_json_str(abs));
        free(abs);
    }
    if (a->dir && dir_field(req, "save_path", a->dir)) return CTL_EXIT_FAILURE;
    if (a->paused) json_object_set_new(req, "paused", json_true());
    if (a->seed_mode) json_object_set_new(req, "seed_mode", json_true());
    if (a->category) json_object_set_new(req, "category", ctl_json_str(a->category));
    if (a->tags) json_object_set_new(req, "tags", ctl_json_str(a->tags));
    if (a->n_peers) {
        json_t *peers = json_array();
        for (size_t i = 0; i < a->n_peers; i++)
            json_array_append_new(peers, ctl_json_str(a->peers[i]));
        json_object_set_new(req, "peers", peers);
    }
    return a->n_opts ? opts_request(a, req) : 0;
}

/* set ID... KEY VALUE | get ID [KEY...]: the keys are checked here, as
 * config's are; the instance checks the value. *n_ids: how many operands
 * are IDs. */
static int torrent_opt_request(const struct ctl_args *a, json_t *req, size_t *n_ids)
{
    bool set = strcmp(a->cmd, "set") == 0;
    const char *const *keys = a->pos + (set ? a->n_pos - 2 : 1);
    size_t n = set ? 1 : a->n_pos - 1;
    char msg[512];
    if (ctl_torrent_check_keys(keys, n, msg, sizeof(msg))) return say(CTL_EXIT_USAGE, "%s", msg);
    *n_ids = a->n_pos - n - set;
    if (set) {
        json_object_set_new(req, "key", ctl_json_str(keys[0]));
        json_object_set_new(req, "value", ctl_json_str(a->pos[a->n_pos - 1]));
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

static int ids_request(const struct ctl_args *a, json_t *req)
{
    json_t *ids = json_array();
    json_object_set_new(req, "ids", ids);
    size_t n_ids = a->n_pos;
    if (strcmp(a->cmd, "connect") == 0) {
        /* connect ID HOST:PORT: the last operand is the peer */
        n_ids = 1;
        json_object_set_new(req, "peer", ctl_json_str(a->pos[1]));
    }
    if (strcmp(a->cmd, "priority") == 0) {
        /* priority ID PRIO FILE...: args.c has parsed PRIO and the FILEs */
        n_ids = 1;
        json_object_set_new(req, "priority", json_integer(a->prio));
        json_t *files = a->all_files ? json_string("all") : json_array();
        for (size_t i = 0; !a->all_files && i < a->n_files; i++)
            json_array_append_new(files, json_integer(a->files[i]));
        json_object_set_new(req, "files", files);
    }
    if (strcmp(a->cmd, "set") == 0 || strcmp(a->cmd, "get") == 0) {
        int rc = torrent_opt_request(a, req, &n_ids);
        if (rc) return rc;
    }
    for (size_t i = 0; i < n_ids; i++) {
        if (eng_id_matches(a->pos[i], 0, "", "") < 0)
            return say(CTL_EXIT_USAGE,
                       "bad ID '%s': give the number `spate ls` shows or at least 6 hex digits "
                       "of the info-hash",
                       a->pos[i]);
        json_array_append_new(ids, ctl_json_str(a->pos[i]));
    }
    if (strcmp(a->cmd, "remove") == 0 && a->delete_data)
        json_object_set_new(req, "delete_data", json_true());
    return 0;
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
            return say(CTL_EXIT_USAGE, "%s", msg[0] ? msg : "invalid setting");
        json_object_set_new(req, "key", ctl_json_str(keys[0]));
        json_object_set_new(req, "value", ctl_json_str(a->pos[2]));
        return 0;
    }
    size_t n = a->n_pos - 1;
    if (ctl_config_check_keys(keys, n, msg, sizeof(msg))) return say(CTL_EXIT_USAGE, "%s", msg);
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

/* category ls|set|rm: the request is category_list, category_set or
 * category_remove. args.c has checked set's KEY=VALUE pairs (known keys,
 * integer limits); a relative save_path is made absolute, as --dir is. */
static int category_request(const struct ctl_args *a, json_t *req)
{
    const char *op = a->category_op;
    json_object_set_new(req, "cmd",
                        json_string(strcmp(op, "ls") == 0    ? "category_list"
                                    : strcmp(op, "set") == 0 ? "category_set"
                                                             : "category_remove"));
    if (a->n_pos > 1) json_object_set_new(req, "name", ctl_json_str(a->pos[1]));
    for (size_t i = 2; i < a->n_pos; i++) {
        const char *kv = a->pos[i], *v = strchr(kv, '=') + 1;
        char key[32];
        long long n = 0;
        snprintf(key, sizeof(key), "%.*s", (int)(v - 1 - kv), kv);
        if (strcmp(key, "save_path") != 0)
            json_object_set_new(req, key, json_integer(ctl_parse_int64(v, &n) ? n : 0));
        else if (!*v)
            json_object_set_new(req, key, json_string("")); /* none: the session's */
        else if (dir_field(req, key, v))
            return CTL_EXIT_FAILURE;
    }
    return 0;
}

/* The request for a->cmd, or NULL with *rc set (message already printed). */
static json_t *build_request(const struct ctl_args *a, int *rc)
{
    json_t *req = json_pack("{s:i, s:s}", "id", REQUEST_ID, "cmd", a->cmd);
    if (!req) {
        *rc = say(CTL_EXIT_FAILURE, "out of memory");
        return NULL;
    }
    *rc = 0;
    if (strcmp(a->cmd, "add") == 0)
        *rc = add_request(a, req);
    else if (strcmp(a->cmd, "config") == 0)
        *rc = config_request(a, req);
    else if (strcmp(a->cmd, "category") == 0)
        *rc = category_request(a, req);
    else if (strcmp(a->cmd, "ls") == 0) {
        if (a->category) json_object_set_new(req, "category", ctl_json_str(a->category));
        if (a->tag) json_object_set_new(req, "tag", ctl_json_str(a->tag));
    } else if (strcmp(a->cmd, "quit") != 0 && strcmp(a->cmd, "stats") != 0)
        *rc = ids_request(a, req);
    if (*rc) {
        json_decref(req);
        return NULL;
    }
    return req;
}

/* --- the socket ---------------------------------------------------------- */

static int connect_to(const char *path, int *fd_out)
{
    struct sockaddr_un addr;
    memset(&addr, 0, sizeof(addr));
    addr.sun_family = AF_UNIX;
    if (strlen(path) >= sizeof(addr.sun_path))
        return say(CTL_EXIT_USAGE, "control socket path too long (max %zu bytes): %s",
                   sizeof(addr.sun_path) - 1, path);
    memcpy(addr.sun_path, path, strlen(path));
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return say(CTL_EXIT_FAILURE, "socket: %s", strerror(errno));
    struct timeval tv = {.tv_sec = CTL_CLIENT_TIMEOUT_S};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
    if (connect(fd, (struct sockaddr *)&addr, sizeof(addr)) != 0) {
        int e = errno;
        close(fd);
        if (e == ENOENT || e == ECONNREFUSED)
            return say(CTL_EXIT_NO_INSTANCE,
                       "no running instance at %s (start `spate` or `spate --daemon`)", path);
        return say(CTL_EXIT_FAILURE, "cannot connect to %s: %s", path, strerror(e));
    }
    *fd_out = fd;
    return 0;
}

static int send_all(int fd, const char *buf, size_t n, const char *path)
{
    while (n > 0) {
        ssize_t w = send(fd, buf, n, MSG_NOSIGNAL);
        if (w < 0 && errno == EINTR) continue;
        if (w < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            return say(CTL_EXIT_FAILURE, "timed out sending to %s", path);
        if (w < 0) return say(CTL_EXIT_FAILURE, "cannot send to %s: %s", path, strerror(errno));
        buf += w;
        n -= (size_t)w;
    }
    return 0;
}

/* Reads one reply line (malloc'd into *out, without the newline). */
static int recv_line(int fd, char **out, size_t *out_len, const char *path)
{
    size_t len = 0, cap = 64 * 1024;
    char *buf = malloc(cap);
    if (!buf) return say(CTL_EXIT_FAILURE, "out of memory");
    for (;;) {
        if (len == cap) {
            char *nb = cap < CTL_MAX_REPLY ? realloc(buf, cap * 2) : NULL;
            if (!nb) {
                free(buf);
                return say(CTL_EXIT_FAILURE, "reply from %s too large", path);
            }
            buf = nb;
            cap *= 2;
        }
        ssize_t r = recv(fd, buf + len, cap - len, 0);
        if (r < 0 && errno == EINTR) continue;
        if (r <= 0) {
            int e = errno;
            free(buf);
            if (r == 0)
                return say(CTL_EXIT_FAILURE, "the instance at %s closed the connection", path);
            if (e == EAGAIN || e == EWOULDBLOCK)
                return say(CTL_EXIT_FAILURE, "no reply from %s within %d s", path,
                           CTL_CLIENT_TIMEOUT_S);
            return say(CTL_EXIT_FAILURE, "cannot read from %s: %s", path, strerror(e));
        }
        char *nl = memchr(buf + len, '\n', (size_t)r);
        len += (size_t)r;
        if (nl) {
            *out = buf;
            *out_len = (size_t)(nl - buf);
            return 0;
        }
    }
}

/* Sends req and parses the reply object into *reply. */
static int round_trip(const char *path, json_t *req, json_t **reply)
{
    int fd = -1;
    int rc = connect_to(path, &fd);
    if (rc) return rc;
    char *line = json_dumps(req, JSON_COMPACT);
    if (!line) {
        close(fd);
        return say(CTL_EXIT_FAILURE, "out of memory");
    }
    rc = send_all(fd, line, strlen(line), path);
    if (!rc) rc = send_all(fd, "\n", 1, path);
    free(line);
    char *buf = NULL;
    size_t len = 0;
    if (!rc) rc = recv_line(fd, &buf, &len, path);
    close(fd);
    if (rc) return rc;
    json_error_t jerr;
    *reply = json_loadb(buf, len, 0, &jerr);
    free(buf);
    if (!json_is_object(*reply)) {
        json_decref(*reply);
        return say(CTL_EXIT_FAILURE, "malformed reply from %s: %s", path, jerr.text);
    }
    return 0;
}

/* --- printing the reply ------------------------------------------------------ */

static int print_error(json_t *error)
{
    const char *code = json_string_value(json_object_get(error, "code"));
    const char *msg = json_string_value(json_object_get(error, "message"));
    json_t *results = json_object_get(error, "results");
    /* a failed add: one line per source says which failed and why */
    if (json_array_size(results) > 1) {
        size_t i;
        json_t *r;
        json_array_foreach(results, i, r)
        {
            json_t *e = json_object_get(r, "error");
            say(0, "cannot add '%s': %s", json_string_value(json_object_get(r, "source")),
                json_string_value(json_object_get(e, "message")));
        }
    } else {
        say(0, "%s", msg ? msg : code ? code : "unknown error");
    }
    return exit_for_code(code);
}

static int print_add(json_t *result)
{
    int rc = CTL_EXIT_OK;
    size_t i;
    json_t *r;
    json_array_foreach(result, i, r)
    {
        const char *src = json_string_value(json_object_get(r, "source"));
        json_t *e = json_object_get(r, "error");
        if (e) {
            say(0, "cannot add '%s': %s", src, json_string_value(json_object_get(e, "message")));
            if (!rc) rc = exit_for_code(json_string_value(json_object_get(e, "code")));
            continue;
        }
        const char *name = json_string_value(json_object_get(r, "name"));
        printf("added %lld ", (long long)json_integer_value(json_object_get(r, "id")));
        util_term_fputs(name ? name : src, stdout);
        putchar('\n');
    }
    return rc;
}

/* Writes JSON text to f with DEL and the C1 controls (U+0080-009F, as
 * UTF-8: C2 80-9F) as \u escapes. jansson escapes C0 but writes these as
 * they are, and a terminal takes U+009B for a CSI. They can only occur
 * inside strings (the rest of JSON text is ASCII), so the escape keeps
 * every value exactly as it was. */
static int fputs_json_escaping_c1(const char *text, FILE *f)
{
    for (const unsigned char *p = (const unsigned char *)text; *p; p++) {
        int rc;
        if (*p == 0x7f)
            rc = fputs("\\u007f", f);
        else if (*p == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f)
            rc = fprintf(f, "\\u%04x", *++p);
        else
            rc = fputc(*p, f);
        if (rc < 0) return EOF;
    }
    return 0;
}

/* --json: the result as is. On a terminal, DEL and C1 controls inside
 * strings are escaped too (JSON-equivalent text); piped output is jansson's
 * own, byte for byte as before. */
static int print_json(json_t *v)
{
    const size_t flags = JSON_INDENT(2) | JSON_REAL_PRECISION(12);
    int rc;
    if (isatty(STDOUT_FILENO)) {
        char *text = json_dumps(v, flags);
        rc = text ? fputs_json_escaping_c1(text, stdout) : -1;
        free(text);
    } else {
        rc = json_dumpf(v, stdout, flags);
    }
    if (rc != 0) return say(CTL_EXIT_FAILURE, "cannot write output");
    putchar('\n');
    return CTL_EXIT_OK;
}

static const char *past_tense(const char *cmd)
{
    if (strcmp(cmd, "pause") == 0) return "paused";
    if (strcmp(cmd, "resume") == 0) return "resumed";
    if (strcmp(cmd, "recheck") == 0) return "rechecking";
    if (strcmp(cmd, "reannounce") == 0) return "reannounced";
    if (strcmp(cmd, "remove") == 0) return "removed";
    if (strcmp(cmd, "connect") == 0) return "connecting";
    return cmd;
}

static int print_priority(const struct ctl_args *a, json_t *result)
{
    size_t i;
    json_t *id;
    json_array_foreach(result, i, id)
    {
        long long n = (long long)json_integer_value(id);
        if (a->all_files)
            printf("set priority %s on all files of torrent %lld\n", ctl_prio_name(a->prio), n);
        else if (a->n_files == 1)
            printf("set priority %s on file %d of torrent %lld\n", ctl_prio_name(a->prio),
                   a->files[0], n);
        else
            printf("set priority %s on %zu files of torrent %lld\n", ctl_prio_name(a->prio),
                   a->n_files, n);
    }
    return CTL_EXIT_OK;
}

/* category: the table for ls and set (the category as saved), a line for
 * rm. */
static int print_category(const struct ctl_args *a, json_t *result)
{
    if (strcmp(a->category_op, "rm") == 0) {
        fputs("removed category ", stdout);
        util_term_fputs(json_string_value(json_object_get(result, "name")), stdout);
        putchar('\n');
        return CTL_EXIT_OK;
    }
    if (a->json) return print_json(result);
    ctl_print_categories(stdout, result);
    return CTL_EXIT_OK;
}

/* The subcommands whose result prints as is with --json, else through a
 * printer. */
static const struct {
    const char *cmd;
    void (*print)(FILE *out, json_t *result);
} printers[] = {
    {"ls", ctl_print_ls},
    {"info", ctl_print_info},
    {"set", ctl_print_torrent_opts},
    {"get", ctl_print_torrent_opts},
    {"stats", ctl_print_stats},
};

static int print_result(const struct ctl_args *a, json_t *result)
{
    if (strcmp(a->cmd, "add") == 0) return print_add(result);
    if (strcmp(a->cmd, "info") == 0) {
        /* one torrent: its object, not the array */
        result = json_array_get(result, 0);
        if (!result) return say(CTL_EXIT_FAILURE, "empty reply to info");
    }
    for (size_t i = 0; i < sizeof(printers) / sizeof(printers[0]); i++) {
        if (strcmp(a->cmd, printers[i].cmd) != 0) continue;
        if (a->json) return print_json(result);
        printers[i].print(stdout, result);
        return CTL_EXIT_OK;
    }
    if (strcmp(a->cmd, "category") == 0) return print_category(a, result);
    if (strcmp(a->cmd, "priority") == 0) return print_priority(a, result);
    if (strcmp(a->cmd, "config") == 0) {
        if (a->json) return print_json(result);
        ctl_print_config(stdout, result, a->config_op);
        return CTL_EXIT_OK;
    }
    if (strcmp(a->cmd, "quit") == 0) return CTL_EXIT_OK;
    size_t i;
    json_t *id;
    json_array_foreach(result, i, id)
    {
        printf("%s %lld\n", past_tense(a->cmd), (long long)json_integer_value(id));
    }
    return CTL_EXIT_OK;
}

int ctl_client_run(const struct ctl_args *a, const char *socket_path)
{
    if (!a->cmd) return say(CTL_EXIT_USAGE, "no subcommand given");
    if (!socket_path || !*socket_path) return say(CTL_EXIT_USAGE, "no control socket path");
    int rc;
    json_t *req = build_request(a, &rc);
    if (!req) return rc;
    json_t *reply = NULL;
    rc = round_trip(socket_path, req, &reply);
    json_decref(req);
    if (rc) return rc;

    json_t *id = json_object_get(reply, "id");
    json_t *error = json_object_get(reply, "error");
    if (error)
        rc = print_error(error);
    else if (!json_is_integer(id) || json_integer_value(id) != REQUEST_ID)
        rc = say(CTL_EXIT_FAILURE, "reply from %s does not match the request", socket_path);
    else
        rc = print_result(a, json_object_get(reply, "result"));
    json_decref(reply);
    if (fflush(stdout) != 0 && rc == CTL_EXIT_OK) rc = CTL_EXIT_FAILURE;
    return rc;
}
