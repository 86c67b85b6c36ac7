/*
 * server.c — the control socket on the loop thread (libuv).
 *
 * A unix stream socket at the given path, mode 0600, bound before the
 * engine accepts commands; a stale socket file left by a crash is replaced,
 * a live one is refused (-EADDRINUSE). Each accepted connection must come
 * from our own uid (SO_PEERCRED), gets its own line framer, and is served
 * request by request: ctl_handle_line_async() answers, the reply is queued with
 * uv_write (never a blocking write). A client that stops reading its
 * replies is throttled: we stop reading its requests until the queue
 * drains. A request whose handler must wait (ctl_handle_line_async: `add`
 * of a .torrent path read on a worker) is answered later; until then the
 * connection serves no further line and reads nothing more, so replies stay
 * in order. Its reply goes through a small token (struct ctl_wait) that
 * outlives the connection: a connection closed meanwhile only clears the
 * token's pointer, and the late reply is dropped. A line longer than CTL_MAX_LINE is answered with
 * "line_too_long" and the connection is closed once that reply is written.
 *
 * Idle clients: at most CTL_MAX_CONNS connections are served at once (the
 * rest are closed on accept), so each connection has a timer and is closed
 * after spate.ctl_idle_timeout_s without a complete request line and
 * without progress in writing its replies; a client that connects and
 * sends nothing, or stops reading, cannot hold a slot for good. A
 * connection that waits on us (see conn_waits_on_us) is never idle.
 *
 * Lifetime: ctl_server_close() closes every handle and unlinks the path;
 * the memory goes when the last close callback runs, so the caller runs the
 * loop once more afterwards (as it must for the engine anyway).
 */
#include "ctl/ctl_int.h"
#include "util/str.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#define CTL_MAX_CONNS 256
#define CTL_BACKLOG 64
#define CTL_READ_CHUNK (64 * 1024)
#define CTL_WRITE_HIGH (4 * 1024 * 1024) /* queued reply bytes that pause reading */
#define CTL_IDLE_KEY "spate.ctl_idle_timeout_s"
#define CTL_IDLE_DEFAULT_S 300 /* the registry's default, if it cannot be read */

struct ctl_conn;

/* A deferred reply's way back to its connection (NULL once it closed). */
struct ctl_wait {
    struct ctl_conn *c;
};

struct ctl_conn {
    uv_pipe_t h;
    struct ctl_wait *wait; /* a deferred reply is pending, or NULL */
    uv_timer_t idle;       /* closes the connection when it fires (idle_cb) */
    size_t idle_queued;    /* write queue bytes when the timer was last armed */
    int handles;           /* h and idle not yet closed: freed at 0 */
    struct ctl_server *s;
    struct ctl_framer fr;
    struct ctl_conn *prev, *next;
    size_t writes_pending;
    bool reading;
    bool eof;        /* the client has finished sending */
    bool quitting;   /* "quit" answered: no further requests are served */
    bool overflowed; /* line_too_long sent: close once written */
    bool closing;
};

struct ctl_server {
    uv_loop_t *loop;
    struct eng *e;
    uv_pipe_t listener;
    char *path;
    void (*on_quit)(void *ud);
    void *ud;
    struct ctl_conn *conns;
    size_t n_conns;
    int open_handles; /* listener + connections not yet closed */
    bool closing;
    char readbuf[CTL_READ_CHUNK]; /* alloc_cb and read_cb run back to back */
};

struct ctl_write {
    uv_write_t req;
    struct ctl_conn *c;
    bool quit; /* the reply to "quit": call on_quit once it is written */
    char data[];
};

static void server_unref(struct ctl_server *s)
{
    if (--s->open_handles > 0 || !s->closing) return;
    free(s->path);
    free(s);
}

/* --- connections ----------------------------------------------------------- */

static void conn_closed_cb(uv_handle_t *h)
{
    struct ctl_conn *c = h->data;
    struct ctl_server *s = c->s;
    if (--c->handles > 0) return; /* the pipe and its idle timer close apart */
    if (c->prev)
        c->prev->next = c->next;
    else
        s->conns = c->next;
    if (c->next) c->next->prev = c->prev;
    s->n_conns--;
    ctl_framer_free(&c->fr);
    free(c);
    server_unref(s);
}

static void conn_close(struct ctl_conn *c)
{
    if (c->closing) return;
    c->closing = true;
    if (c->wait) {
        c->wait->c = NULL; /* the reply, when it comes, is dropped */
        c->wait = NULL;
    }
    uv_close((uv_handle_t *)&c->idle, conn_closed_cb);
    uv_close((uv_handle_t *)&c->h, conn_closed_cb);
}

/* --- idle connections ------------------------------------------------------ */

/* Whether the connection waits on us, not on its client, and so is never
 * idle however long it is quiet: one waiting for a deferred reply (and, to
 * come, a subscribed connection with events pushed to it). */
static bool conn_waits_on_us(const struct ctl_conn *c)
{
    return c->wait != NULL;
}

static size_t write_queue(struct ctl_conn *c)
{
    return uv_stream_get_write_queue_size((uv_stream_t *)&c->h);
}

static void idle_cb(uv_timer_t *t);

/* (Re)starts the idle timer: spate.ctl_idle_timeout_s from now, read at
 * every start so that a config_set applies from the next request on. */
static void idle_restart(struct ctl_conn *c)
{
    if (c->closing) return;
    char v[32];
    long long secs = CTL_IDLE_DEFAULT_S;
    if (eng_setting_get(c->s->e, CTL_IDLE_KEY, v, sizeof v) == 0 && atoll(v) > 0) secs = atoll(v);
    c->idle_queued = write_queue(c);
    uv_timer_start(&c->idle, idle_cb, (uint64_t)secs * 1000, 0);
}

/* The timeout passed with no request line and no write completed. A reply
 * still being written to a client that reads it (the queue shrank since
 * the timer was armed) is progress: the timer starts again; a client that
 * neither sends nor reads is closed. */
static void idle_cb(uv_timer_t *t)
{
    struct ctl_conn *c = t->data;
    if (c->closing) return;
    if (conn_waits_on_us(c) || (c->writes_pending && write_queue(c) < c->idle_queued)) {
        idle_restart(c);
        return;
    }
    conn_close(c);
}

static void conn_process(struct ctl_conn *c);
static void deferred_cb(void *ud, char *line);

static void write_cb(uv_write_t *req, int status)
{
    struct ctl_write *w = (struct ctl_write *)req;
    struct ctl_conn *c = w->c;
    struct ctl_server *s = c->s;
    bool quit = w->quit;
    free(w);
    c->writes_pending--;
    /* the client asked to quit even if it left before reading the reply */
    if (quit && !s->closing && s->on_quit) s->on_quit(s->ud);
    if (c->closing) return;
    if (status < 0) {
        conn_close(c);
        return;
    }
    idle_restart(c); /* a reply written: the client is reading */
    conn_process(c);
}

/* Queues `reply` plus a newline (copied). Returns 0 or a libuv error. */
static int conn_send(struct ctl_conn *c, const char *reply, bool quit)
{
    size_t n = strlen(reply);
    struct ctl_write *w = malloc(sizeof(*w) + n + 1);
    if (!w) return UV_ENOMEM;
    memcpy(w->data, reply, n);
    w->data[n] = '\n';
    w->c = c;
    w->quit = quit;
    uv_buf_t b = uv_buf_init(w->data, (unsigned)(n + 1));
    int rc = uv_write(&w->req, (uv_stream_t *)&c->h, &b, 1, write_cb);
    if (rc) {
        free(w);
        return rc;
    }
    c->writes_pending++;
    return 0;
}

static bool blank(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r') return false;
    return true;
}

static bool throttled(struct ctl_conn *c)
{
    return uv_stream_get_write_queue_size((uv_stream_t *)&c->h) > CTL_WRITE_HIGH;
}

static void alloc_cb(uv_handle_t *h, size_t suggested, uv_buf_t *buf)
{
    (void)suggested;
    struct ctl_conn *c = h->data;
    *buf = uv_buf_init(c->s->readbuf, sizeof(c->s->readbuf));
}

static void read_cb(uv_stream_t *st, ssize_t nread, const uv_buf_t *buf);

static void set_reading(struct ctl_conn *c, bool on)
{
    if (on == c->reading) return;
    if (on) {
        if (uv_read_start((uv_stream_t *)&c->h, alloc_cb, read_cb) != 0) {
            conn_close(c);
            return;
        }
    } else {
        uv_read_stop((uv_stream_t *)&c->h);
    }
    c->reading = on;
}

/* Serves the complete lines waiting in the framer, then decides whether to
 * keep reading, pause (throttled) or close. */
static void conn_process(struct ctl_conn *c)
{
    struct ctl_server *s = c->s;
    const char *line;
    size_t len;
    bool drained = false;

    while (!c->closing && !c->quitting && !c->overflowed && !c->wait) {
        if (throttled(c)) break;
        if (!ctl_framer_next(&c->fr, &line, &len)) {
            drained = true;
            break;
        }
        if (blank(line, len)) {
            idle_restart(c); /* a line received */
            continue;
        }
        bool quit = false, deferred = false;
        struct ctl_wait *w = malloc(sizeof(*w));
        if (!w) {
            conn_close(c);
            return;
        }
        w->c = c;
        char *reply = ctl_handle_line_async(s->e, line, len, &quit, deferred_cb, w, &deferred);
        if (deferred) {
            c->wait = w; /* deferred_cb frees w */
            break;
        }
        free(w);
        int rc = reply ? conn_send(c, reply, quit) : UV_ENOMEM;
        free(reply);
        if (quit) c->quitting = true;
        if (rc) {
            conn_close(c);
            if (quit && !s->closing && s->on_quit) s->on_quit(s->ud);
            return;
        }
        idle_restart(c); /* a request served, its reply queued */
    }
    if (c->closing) return;

    if (drained && c->fr.overflow && !c->overflowed && !c->quitting) {
        char msg[160];
        snprintf(msg, sizeof(msg),
                 "{\"id\":null,\"error\":{\"code\":\"" CTL_E_LINE_TOO_LONG
                 "\",\"message\":\"request line longer than %d bytes\"}}",
                 CTL_MAX_LINE);
        c->overflowed = true;
        if (conn_send(c, msg, false)) {
            conn_close(c);
            return;
        }
    }
    bool finished = c->eof || c->overflowed;
    if (finished && c->writes_pending == 0 && !c->wait) {
        conn_close(c);
        return;
    }
    set_reading(c, !finished && !throttled(c) && !c->wait);
}

/* A deferred reply: sent if its connection is still open, then the
 * connection goes on with its next request. */
static void deferred_cb(void *ud, char *line)
{
    struct ctl_wait *w = ud;
    struct ctl_conn *c = w->c;
    free(w);
    if (!c) {
        free(line);
        return;
    }
    c->wait = NULL;
    int rc = line ? conn_send(c, line, false) : UV_ENOMEM;
    free(line);
    if (rc) {
        conn_close(c);
        return;
    }
    idle_restart(c); /* the reply is queued: from now on the client is awaited */
    conn_process(c);
}

static void read_cb(uv_stream_t *st, ssize_t nread, const uv_buf_t *buf)
{
    struct ctl_conn *c = st->data;
    if (c->closing) return;
    if (nread > 0) {
        int rc = ctl_framer_feed(&c->fr, buf->base, (size_t)nread);
        if (rc == -ENOMEM) {
            conn_close(c);
            return;
        }
    } else if (nread == UV_EOF) {
        c->eof = true;
        /* serve a last request sent without its newline */
        if (!c->fr.overflow) ctl_framer_feed(&c->fr, "\n", 1);
    } else if (nread < 0) {
        conn_close(c);
        return;
    }
    conn_process(c);
}

/* The peer must run as our effective uid (the socket's mode is the first
 * fence, this is the second). */
static bool peer_allowed(struct ctl_conn *c)
{
    uv_os_fd_t fd;
    struct ucred cr;
    socklen_t len = sizeof(cr);
    if (uv_fileno((uv_handle_t *)&c->h, &fd) != 0) return false;
    if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cr, &len) != 0) return false;
    return cr.uid == geteuid();
}

static void on_connection(uv_stream_t *listener, int status)
{
    struct ctl_server *s = listener->data;
    if (status < 0 || s->closing) return;
    struct ctl_conn *c = calloc(1, sizeof(*c));
    if (!c) return;
    uv_pipe_init(s->loop, &c->h, 0);
    uv_timer_init(s->loop, &c->idle);
    c->h.data = c;
    c->idle.data = c;
    c->handles = 2;
    c->s = s;
    ctl_framer_init(&c->fr);
    c->next = s->conns;
    if (s->conns) s->conns->prev = c;
    s->conns = c;
    s->n_conns++;
    s->open_handles++;
    if (uv_accept(listener, (uv_stream_t *)&c->h) != 0 || !peer_allowed(c) ||
        s->n_conns > CTL_MAX_CONNS) {
        conn_close(c);
        return;
    }
    idle_restart(c);
    set_reading(c, true);
}

/* --- the listening socket ------------------------------------------------- */

/* Clears the way for bind(): nothing there is fine; a socket nobody answers
 * on is a leftover of a crash and is unlinked; a live one is -EADDRINUSE. */
static int clear_stale(const char *path, const struct sockaddr_un *addr, char *err, size_t errlen)
{
    struct stat st;
    if (lstat(path, &st) != 0) {
        if (errno == ENOENT) return 0;
        return util_fail(err, errlen, -errno, "cannot stat %s: %s", path, strerror(errno));
    }
    if (!S_ISSOCK(st.st_mode))
        return util_fail(err, errlen, -ENOTSOCK, "%s exists and is not a socket", path);
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (fd < 0) return util_fail(err, errlen, -errno, "socket: %s", strerror(errno));
    int rc = connect(fd, (const struct sockaddr *)addr, sizeof(*addr));
    int e = errno;
    close(fd);
    if (rc == 0 || e == EAGAIN || e == EINPROGRESS)
        return util_fail(err, errlen, -EADDRINUSE,
                         "another spate instance is already listening on %s", path);
    if (e == ECONNREFUSED) {
        if (unlink(path) != 0 && errno != ENOENT)
            return util_fail(err, errlen, -errno, "cannot remove stale socket %s: %s", path,
                             strerror(errno));
        return 0;
    }
    return util_fail(err, errlen, -e, "cannot check %s: %s", path, strerror(e));
}

/* socket + bind + chmod 0600, before anyone can connect (listen comes
 * later, from uv_listen). Returns the fd or a negative error. */
static int bind_socket(const char *path, const struct sockaddr_un *addr, char *err, size_t errlen)
{
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (fd < 0) return util_fail(err, errlen, -errno, "socket: %s", strerror(errno));
    if (bind(fd, (const struct sockaddr *)addr, sizeof(*addr)) != 0) {
        int e = errno;
        close(fd);
        return util_fail(err, errlen, -e, "cannot bind %s: %s", path, strerror(e));
    }
    if (chmod(path, 0600) != 0) {
        int e = errno;
        close(fd);
        unlink(path);
        return util_fail(err, errlen, -e, "cannot chmod %s: %s", path, strerror(e));
    }
    return fd;
}

static void listener_closed_cb(uv_handle_t *h)
{
    server_unref(h->data);
}

int ctl_server_start(uv_loop_t *loop, struct eng *e, const char *path, void (*on_quit)(void *ud),
                     void *ud, struct ctl_server **out, char *err, size_t errlen)
{
    struct sockaddr_un addr;
    memset(&addr, 0, sizeof(addr));
    addr.sun_family = AF_UNIX;
    if (!path || !*path) return util_fail(err, errlen, -EINVAL, "empty control socket path");
    if (strlen(path) >= sizeof(addr.sun_path))
        return util_fail(err, errlen, -ENAMETOOLONG,
                         "control socket path too long (max %zu bytes): %s",
                         sizeof(addr.sun_path) - 1, path);
    memcpy(addr.sun_path, path, strlen(path));

    int rc = clear_stale(path, &addr, err, errlen);
    if (rc) return rc;
    struct ctl_server *s = calloc(1, sizeof(*s));
    char *p = strdup(path);
    if (!s || !p) {
        free(s);
        free(p);
        return util_fail(err, errlen, -ENOMEM, "out of memory");
    }
    int fd = bind_socket(path, &addr, err, errlen);
    if (fd < 0) {
        free(s);
        free(p);
        return fd;
    }
    s->loop = loop;
    s->e = e;
    s->path = p;
    s->on_quit = on_quit;
    s->ud = ud;
    s->open_handles = 1;
    uv_pipe_init(loop, &s->listener, 0);
    s->listener.data = s;
    rc = uv_pipe_open(&s->listener, fd);
    if (rc == 0) rc = uv_listen((uv_stream_t *)&s->listener, CTL_BACKLOG, on_connection);
    if (rc) {
        util_fail(err, errlen, rc, "cannot listen on %s: %s", path, uv_strerror(rc));
        if (uv_fileno((uv_handle_t *)&s->listener, &(uv_os_fd_t){0}) != 0) close(fd);
        unlink(path);
        s->closing = true;
        uv_close((uv_handle_t *)&s->listener, listener_closed_cb);
        return rc;
    }
    *out = s;
    return 0;
}

void ctl_server_close(struct ctl_server *s)
{
    if (!s || s->closing) return;
    s->closing = true;
    unlink(s->path);
    for (struct ctl_conn *c = s->conns; c; c = c->next)
        conn_close(c);
    uv_close((uv_handle_t *)&s->listener, listener_closed_cb);
}
