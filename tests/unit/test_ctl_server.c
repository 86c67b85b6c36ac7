/*
 * test_ctl_server.c — the control server on a real unix socket (a real
 * engine on the fixture's loop): pipelined and concurrent clients, deferred
 * replies in order, the last line without a newline, oversized lines,
 * quit, and a stale socket file.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <semaphore.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include <setjmp.h>
#include <cmocka.h>

#include <jansson.h>
#include <uv.h>

#include "ctl/ctl.h"
#include "engine/engine.h"
#include "engine/registry.h"
#include "fixture.h"
#include "store/store.h"

/* --- the server on a real socket ---------------------------------------------------- */

static void on_quit(void *ud)
{
    struct fx *f = ud;
    f->quits++;
}

static void start_server(struct fx *f)
{
    char err[256] = "";
    int rc = ctl_server_start(&f->loop, f->e, f->sock, on_quit, f, &f->srv, err, sizeof(err));
    if (rc) fail_msg("ctl_server_start: %s", err);
}

static int connect_nb(const char *path)
{
    int fd = socket(AF_UNIX, SOCK_STREAM, 0);
    struct sockaddr_un a = {.sun_family = AF_UNIX};
    snprintf(a.sun_path, sizeof(a.sun_path), "%s", path);
    assert_int_equal(connect(fd, (struct sockaddr *)&a, sizeof(a)), 0);
    fcntl(fd, F_SETFL, O_NONBLOCK);
    return fd;
}

static uint64_t now_ms(void)
{
    return uv_hrtime() / 1000000;
}

/* Runs the loop while sending `out` (may be NULL) and reading until `want`
 * newline-terminated lines arrived or EOF; returns the bytes read. */
static size_t exchange(struct fx *f, int fd, const char *out, size_t n_out, int want, char *in,
                       size_t cap, bool *eof)
{
    size_t sent = 0, got = 0;
    int lines = 0;
    *eof = false;
    uint64_t deadline = now_ms() + 10000;
    while (now_ms() < deadline && lines < want && !*eof) {
        if (out && sent < n_out) {
            ssize_t w = send(fd, out + sent, n_out - sent, MSG_NOSIGNAL);
            if (w > 0) sent += (size_t)w;
        }
        uv_run(&f->loop, UV_RUN_NOWAIT);
        ssize_t r = recv(fd, in + got, cap - 1 - got, 0);
        if (r == 0) *eof = true;
        if (r > 0) {
            for (ssize_t i = 0; i < r; i++)
                lines += in[got + i] == '\n';
            got += (size_t)r;
        }
        if (r < 0) usleep(1000);
    }
    in[got] = '\0';
    return got;
}

static void test_server_serves_pipelined_and_concurrent_clients(void **state)
{
    struct fx *f = *state;
    start_server(f);
    struct stat st;
    assert_int_equal(stat(f->sock, &st), 0);
    assert_true(S_ISSOCK(st.st_mode));
    assert_int_equal(st.st_mode & 0777, 0600);

    int a = connect_nb(f->sock), b = connect_nb(f->sock);
    char in[8192];
    bool eof;
    /* two requests in one write, a blank line between them is ignored */
    const char *req = "{\"id\":1,\"cmd\":\"ls\"}\n\n{\"id\":2,\"cmd\":\"nope\"}\n";
    exchange(f, a, req, strlen(req), 2, in, sizeof(in), &eof);
    assert_false(eof);
    assert_string_equal(in, "{\"id\":1,\"result\":[]}\n"
                            "{\"id\":2,\"error\":{\"code\":\"unknown_command\",\"message\":"
                            "\"unknown command 'nope'\"}}\n");
    /* a CRLF client on the other connection */
    req = "{\"id\":3,\"cmd\":\"ls\"}\r\n";
    exchange(f, b, req, strlen(req), 1, in, sizeof(in), &eof);
    assert_string_equal(in, "{\"id\":3,\"result\":[]}\n");
    close(a);
    close(b);
    ctl_server_close(f->srv);
    f->srv = NULL;
    assert_int_equal(access(f->sock, F_OK), -1); /* unlinked */
}

/* A deferred reply (`add` of a path) keeps the order of replies: the
 * request after it in the same write is served only once it is sent. A
 * client that leaves while its reply is pending costs nothing (ASan). */
static void test_server_deferred_reply_keeps_order(void **state)
{
    struct fx *f = *state;
    start_server(f);
    char path[160], req[512], in[8192];
    snprintf(path, sizeof(path), "%s/order.torrent", f->dir);
    fx_write_torrent(path, "order.bin");
    snprintf(req, sizeof(req),
             "{\"id\":1,\"cmd\":\"add\",\"sources\":[\"%s\"],\"paused\":true}\n"
             "{\"id\":2,\"cmd\":\"ls\"}\n",
             path);
    int a = connect_nb(f->sock);
    bool eof;
    exchange(f, a, req, strlen(req), 2, in, sizeof(in), &eof);
    char *nl = strchr(in, '\n');
    assert_non_null(nl);
    *nl = '\0';
    json_t *first = json_loads(in, 0, NULL), *second = json_loads(nl + 1, 0, NULL);
    assert_non_null(first);
    assert_non_null(second);
    assert_int_equal(json_integer_value(json_object_get(first, "id")), 1);
    assert_int_equal(json_integer_value(json_object_get(second, "id")), 2);
    /* ls, served after the add, lists the torrent */
    assert_int_equal(json_array_size(json_object_get(second, "result")), 1);
    json_decref(first);
    json_decref(second);
    close(a);

    /* a client that sends an add and leaves at once */
    snprintf(req, sizeof(req), "{\"id\":3,\"cmd\":\"add\",\"sources\":[\"%s\"]}\n", path);
    int b = connect_nb(f->sock);
    assert_int_equal(send(b, req, strlen(req), 0), (ssize_t)strlen(req));
    for (int i = 0; i < 50; i++) {
        uv_run(&f->loop, UV_RUN_NOWAIT);
        usleep(1000);
    }
    close(b);
    for (int i = 0; i < 200; i++) {
        uv_run(&f->loop, UV_RUN_NOWAIT);
        usleep(1000);
    }
    /* the server still serves others */
    int c = connect_nb(f->sock);
    const char *ls = "{\"id\":4,\"cmd\":\"ls\"}\n";
    exchange(f, c, ls, strlen(ls), 1, in, sizeof(in), &eof);
    assert_non_null(strstr(in, "\"id\":4"));
    close(c);
}

static void test_server_serves_last_line_without_newline(void **state)
{
    struct fx *f = *state;
    start_server(f);
    int a = connect_nb(f->sock);
    const char *req = "{\"id\":4,\"cmd\":\"ls\"}";
    assert_int_equal(send(a, req, strlen(req), 0), (ssize_t)strlen(req));
    shutdown(a, SHUT_WR);
    char in[1024];
    bool eof;
    exchange(f, a, NULL, 0, 1, in, sizeof(in), &eof);
    assert_string_equal(in, "{\"id\":4,\"result\":[]}\n");
    exchange(f, a, NULL, 0, 1, in, sizeof(in), &eof);
    assert_true(eof); /* closed after answering */
    close(a);
}

static void test_server_line_too_long_is_answered_then_closed(void **state)
{
    struct fx *f = *state;
    start_server(f);
    int a = connect_nb(f->sock);
    size_t n = CTL_MAX_LINE + 4096;
    char *big = malloc(n);
    memset(big, ' ', n);
    memcpy(big, "{\"id\":1,\"cmd\":\"ls\"}\n", 20);
    char in[4096];
    bool eof;
    exchange(f, a, big, n, 2, in, sizeof(in), &eof);
    /* the request before the long line is still answered */
    assert_non_null(strstr(in, "{\"id\":1,\"result\":[]}\n"));
    assert_non_null(strstr(in, "{\"id\":null,\"error\":{\"code\":\"line_too_long\""));
    exchange(f, a, NULL, 0, 1, in, sizeof(in), &eof);
    assert_true(eof);
    free(big);
    close(a);
    /* the server still serves others */
    int b = connect_nb(f->sock);
    const char *req = "{\"id\":5,\"cmd\":\"ls\"}\n";
    exchange(f, b, req, strlen(req), 1, in, sizeof(in), &eof);
    assert_string_equal(in, "{\"id\":5,\"result\":[]}\n");
    close(b);
}

static void test_server_quit_replies_then_calls_on_quit(void **state)
{
    struct fx *f = *state;
    start_server(f);
    int a = connect_nb(f->sock);
    const char *req = "{\"id\":6,\"cmd\":\"quit\"}\n{\"id\":7,\"cmd\":\"ls\"}\n";
    char in[1024];
    bool eof;
    exchange(f, a, req, strlen(req), 1, in, sizeof(in), &eof);
    assert_string_equal(in, "{\"id\":6,\"result\":true}\n");
    for (int i = 0; i < 10; i++)
        uv_run(&f->loop, UV_RUN_NOWAIT);
    assert_int_equal(f->quits, 1);
    /* nothing is served after quit */
    exchange(f, a, NULL, 0, 1, in, sizeof(in), &eof);
    assert_string_equal(in, "");
    close(a);
}

static void test_server_replaces_stale_socket_refuses_live_one(void **state)
{
    struct fx *f = *state;
    /* a socket file left behind by a crashed instance */
    int fd = socket(AF_UNIX, SOCK_STREAM, 0);
    struct sockaddr_un a = {.sun_family = AF_UNIX};
    snprintf(a.sun_path, sizeof(a.sun_path), "%s", f->sock);
    assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof(a)), 0);
    close(fd);
    start_server(f);

    struct ctl_server *second = NULL;
    char err[256] = "";
    int rc = ctl_server_start(&f->loop, f->e, f->sock, on_quit, f, &second, err, sizeof(err));
    assert_int_equal(rc, -EADDRINUSE);
    assert_null(second);
    assert_non_null(strstr(err, "already listening"));
    assert_int_equal(access(f->sock, F_OK), 0); /* the live socket is untouched */

    /* a regular file is never unlinked */
    char file[128];
    snprintf(file, sizeof(file), "%s/not-a-socket", f->dir);
    fclose(fopen(file, "w"));
    rc = ctl_server_start(&f->loop, f->e, file, on_quit, f, &second, err, sizeof(err));
    assert_int_equal(rc, -ENOTSOCK);
    assert_int_equal(access(file, F_OK), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
#define ENG_TEST(t) cmocka_unit_test_setup_teardown(t, fx_setup, fx_teardown)
        ENG_TEST(test_server_serves_pipelined_and_concurrent_clients),
        ENG_TEST(test_server_serves_last_line_without_newline),
        ENG_TEST(test_server_deferred_reply_keeps_order),
        ENG_TEST(test_server_line_too_long_is_answered_then_closed),
        ENG_TEST(test_server_quit_replies_then_calls_on_quit),
        ENG_TEST(test_server_replaces_stale_socket_refuses_live_one),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
