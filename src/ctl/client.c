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

/* One line "spate: ..." on stderr; returns `code`. The message may carry
 * text from the user, a torrent or the daemon: it is made terminal-safe
 * (util_term_fputs), so it stays one line and drives no terminal. */
int ctl_say(int code, const char *fmt, ...)
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
int ctl_exit_for_code(const char *code)
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
int ctl_dir_field(json_t *req, const char *field, const char *path)
{
    char *dir = absolute_dir(path);
    if (!dir) return ctl_say(CTL_EXIT_FAILURE, "cannot resolve '%s': %s", path, strerror(errno));
    json_object_set_new(req, field, ctl_json_str(dir));
    free(dir);
    return 0;
}

int ctl_ids_request(json_t *req, const char *const *ids, size_t n)
{
    json_t *arr = json_object_get(req, "ids");
    if (!arr) json_object_set_new(req, "ids", arr = json_array());
    for (size_t i = 0; i < n; i++) {
        if (eng_id_matches(ids[i], 0, "", "") < 0)
            return ctl_say(CTL_EXIT_USAGE,
                           "bad ID '%s': give the number `spate ls` shows or at least 6 hex digits "
                           "of the info-hash",
                           ids[i]);
        json_array_append_new(arr, ctl_json_str(ids[i]));
    }
    return 0;
}

/* The request for a->cmd, or NULL with *rc set (message already printed). */
static json_t *build_request(const struct ctl_cmd *c, const struct ctl_args *a, int *rc)
{
    json_t *req = json_pack("{s:i, s:s}", "id", REQUEST_ID, "cmd", c->name);
    if (!req) {
        *rc = ctl_say(CTL_EXIT_FAILURE, "out of memory");
        return NULL;
    }
    *rc = c->request ? c->request(a, req) : 0;
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
        return ctl_say(CTL_EXIT_USAGE, "control socket path too long (max %zu bytes): %s",
                       sizeof(addr.sun_path) - 1, path);
    memcpy(addr.sun_path, path, strlen(path));
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return ctl_say(CTL_EXIT_FAILURE, "socket: %s", strerror(errno));
    struct timeval tv = {.tv_sec = CTL_CLIENT_TIMEOUT_S};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
    if (connect(fd, (struct sockaddr *)&addr, sizeof(addr)) != 0) {
        int e = errno;
        close(fd);
        if (e == ENOENT || e == ECONNREFUSED)
            return ctl_say(CTL_EXIT_NO_INSTANCE,
                           "no running instance at %s (start `spate` or `spate --daemon`)", path);
        return ctl_say(CTL_EXIT_FAILURE, "cannot connect to %s: %s", path, strerror(e));
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
            return ctl_say(CTL_EXIT_FAILURE, "timed out sending to %s", path);
        if (w < 0) return ctl_say(CTL_EXIT_FAILURE, "cannot send to %s: %s", path, strerror(errno));
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
    if (!buf) return ctl_say(CTL_EXIT_FAILURE, "out of memory");
    for (;;) {
        if (len == cap) {
            char *nb = cap < CTL_MAX_REPLY ? realloc(buf, cap * 2) : NULL;
            if (!nb) {
                free(buf);
                return ctl_say(CTL_EXIT_FAILURE, "reply from %s too large", path);
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
                return ctl_say(CTL_EXIT_FAILURE, "the instance at %s closed the connection", path);
            if (e == EAGAIN || e == EWOULDBLOCK)
                return ctl_say(CTL_EXIT_FAILURE, "no reply from %s within %d s", path,
                               CTL_CLIENT_TIMEOUT_S);
            return ctl_say(CTL_EXIT_FAILURE, "cannot read from %s: %s", path, strerror(e));
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
        return ctl_say(CTL_EXIT_FAILURE, "out of memory");
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
        return ctl_say(CTL_EXIT_FAILURE, "malformed reply from %s: %s", path, jerr.text);
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
            ctl_say(0, "cannot add '%s': %s", json_string_value(json_object_get(r, "source")),
                    json_string_value(json_object_get(e, "message")));
        }
    } else {
        ctl_say(0, "%s", msg ? msg : code ? code : "unknown error");
    }
    return ctl_exit_for_code(code);
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
int ctl_print_json(json_t *v)
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
    if (rc != 0) return ctl_say(CTL_EXIT_FAILURE, "cannot write output");
    putchar('\n');
    return CTL_EXIT_OK;
}

int ctl_print_ids(const struct ctl_args *a, json_t *result)
{
    const struct ctl_cmd *c = ctl_cmd_find(a->cmd);
    size_t i;
    json_t *id;
    json_array_foreach(result, i, id)
    {
        printf("%s %lld\n", c->done, (long long)json_integer_value(id));
    }
    return CTL_EXIT_OK;
}

/* The entry's printer; --json prints the result as is for the commands
 * printed through print_text. */
static int print_result(const struct ctl_cmd *c, const struct ctl_args *a, json_t *result)
{
    if (c->print) return c->print(a, result);
    if (a->json) return ctl_print_json(result);
    c->print_text(stdout, result);
    return CTL_EXIT_OK;
}

int ctl_client_run(const struct ctl_args *a, const char *socket_path)
{
    const struct ctl_cmd *c = ctl_cmd_find(a->cmd);
    if (!c || c->run) return ctl_say(CTL_EXIT_USAGE, "no subcommand given");
    if (!socket_path || !*socket_path) return ctl_say(CTL_EXIT_USAGE, "no control socket path");
    int rc;
    json_t *req = build_request(c, a, &rc);
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
        rc = ctl_say(CTL_EXIT_FAILURE, "reply from %s does not match the request", socket_path);
    else
        rc = print_result(c, a, json_object_get(reply, "result"));
    json_decref(reply);
    if (fflush(stdout) != 0 && rc == CTL_EXIT_OK) rc = CTL_EXIT_FAILURE;
    return rc;
}
