/*
 * test_ctl_client.c — the CLI client (ctl_client_run) end to end against a
 * daemon (the fixture's engine and the server on their own loop) in
 * another thread.
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

/* --- the CLI client against a server in another thread ------------------------------ */

struct daemon {
    struct fx f;
    sem_t ready;
    int start_rc;
};

static void daemon_quit(void *ud)
{
    struct daemon *d = ud;
    ctl_server_close(d->f.srv);
    d->f.srv = NULL;
    eng_shutdown(d->f.e, 2000); /* the loop ends once its handles close */
}

static void *daemon_main(void *arg)
{
    struct daemon *d = arg;
    struct fx *f = &d->f;
    char err[256];
    uv_loop_init(&f->loop);
    d->start_rc = fx_open_engine(f);
    if (d->start_rc == 0)
        d->start_rc =
            ctl_server_start(&f->loop, f->e, f->sock, daemon_quit, d, &f->srv, err, sizeof(err));
    sem_post(&d->ready);
    if (d->start_rc == 0) uv_run(&f->loop, UV_RUN_DEFAULT);
    fx_close_engine(f);
    uv_loop_close(&f->loop);
    return NULL;
}

/* Runs `spate ARGS...` in this thread; stdout and stderr land in out/errout. */
static int cli(const char *sock, char *out, size_t n, char *errout, size_t en, const char *first,
               ...)
{
    static char *argv[32];
    int argc = 0;
    argv[argc++] = "spate";
    va_list ap;
    va_start(ap, first);
    for (const char *a = first; a; a = va_arg(ap, const char *))
        argv[argc++] = (char *)a;
    va_end(ap);
    struct ctl_args args;
    char err[256];
    assert_int_equal(ctl_args_parse(argc, argv, &args, err, sizeof(err)), 0);

    fflush(stdout);
    fflush(stderr);
    FILE *o = tmpfile(), *e = tmpfile();
    int so = dup(1), se = dup(2);
    dup2(fileno(o), 1);
    dup2(fileno(e), 2);
    int rc = ctl_client_run(&args, sock);
    fflush(stdout);
    fflush(stderr);
    dup2(so, 1);
    dup2(se, 2);
    close(so);
    close(se);
    rewind(o);
    rewind(e);
    out[fread(out, 1, n - 1, o)] = '\0';
    errout[fread(errout, 1, en - 1, e)] = '\0';
    fclose(o);
    fclose(e);
    return rc;
}

/* A daemon (engine + server on their own loop) on a thread; stopped by a
 * `quit` request, then joined by the test and released with daemon_free. */
static struct daemon *daemon_start(pthread_t *th)
{
    struct daemon *d = calloc(1, sizeof(*d));
    assert_non_null(d);
    assert_int_equal(fx_init_dirs(&d->f), 0);
    sem_init(&d->ready, 0, 0);
    assert_int_equal(pthread_create(th, NULL, daemon_main, d), 0);
    sem_wait(&d->ready);
    assert_int_equal(d->start_rc, 0);
    return d;
}

static void daemon_free(struct daemon *d)
{
    sem_destroy(&d->ready);
    fx_remove_dir(d->f.dir);
    free(d);
}

static void test_client_talks_to_server(void **state)
{
    (void)state;
    pthread_t th;
    struct daemon *d = daemon_start(&th);

    static char out[65536], err[4096];
    const char *sock = d->f.sock;
    char tpath[160];
    snprintf(tpath, sizeof(tpath), "%s/cli.torrent", d->f.dir);
    fx_write_torrent(tpath, "cli.bin");

    /* a relative path is resolved by the client */
    char cwd[512];
    assert_non_null(getcwd(cwd, sizeof(cwd)));
    assert_int_equal(chdir(d->f.dir), 0);
    int rc = cli(sock, out, sizeof(out), err, sizeof(err), "add", "--paused", "--dir", "sub",
                 "cli.torrent", NULL);
    assert_int_equal(chdir(cwd), 0);
    if (rc != 0) fail_msg("add failed (%d): %s", rc, err);
    assert_string_equal(out, "added 1 cli.bin\n");

    /* poll until the engine's first status refresh has filled the row */
    json_t *ls = NULL;
    for (int i = 0; i < 100; i++) {
        json_decref(ls);
        rc = cli(sock, out, sizeof(out), err, sizeof(err), "ls", "--json", NULL);
        assert_int_equal(rc, 0);
        ls = json_loads(out, 0, NULL);
        assert_int_equal(json_array_size(ls), 1);
        if (json_integer_value(json_object_get(json_array_get(ls, 0), "total_bytes")) > 0) break;
        usleep(50000);
    }
    char want_dir[160];
    snprintf(want_dir, sizeof(want_dir), "%s/sub", d->f.dir);
    assert_string_equal(json_string_value(json_object_get(json_array_get(ls, 0), "save_path")),
                        want_dir);
    json_decref(ls);

    rc = cli(sock, out, sizeof(out), err, sizeof(err), "ls", NULL);
    assert_int_equal(rc, 0);
    assert_non_null(strstr(out, "NAME\n"));
    assert_non_null(strstr(out, "16.0 KiB"));
    assert_non_null(strstr(out, "paused"));
    assert_non_null(strstr(out, "cli.bin\n"));

    rc = cli(sock, out, sizeof(out), err, sizeof(err), "info", "1", NULL);
    assert_int_equal(rc, 0);
    assert_non_null(strstr(out, "name:"));
    assert_non_null(strstr(out, "16.0 KiB (16384 bytes)"));

    rc = cli(sock, out, sizeof(out), err, sizeof(err), "info", "1", "--json", NULL);
    assert_int_equal(rc, 0);
    json_t *info = json_loads(out, 0, NULL);
    assert_int_equal(json_integer_value(json_object_get(info, "num_pieces")), 1);
    json_decref(info);

    /* errors from the instance: one line, exit 2 */
    rc = cli(sock, out, sizeof(out), err, sizeof(err), "pause", "9", NULL);
    assert_int_equal(rc, CTL_EXIT_USAGE);
    assert_string_equal(err, "spate: no torrent matches ID '9'\n");
    rc = cli(sock, out, sizeof(out), err, sizeof(err), "add", "magnet:?xt=urn:btih:zz", NULL);
    assert_int_equal(rc, CTL_EXIT_USAGE);
    assert_non_null(strstr(err, "spate: cannot add 'magnet:?xt=urn:btih:zz'"));
    rc = cli(sock, out, sizeof(out), err, sizeof(err), "add", tpath, NULL);
    assert_int_equal(rc, CTL_EXIT_USAGE); /* exists */

    /* info's file table; a priority set by the CLI shows up in it */
    rc = cli(sock, out, sizeof(out), err, sizeof(err), "info", "1", NULL);
    assert_int_equal(rc, 0);
    assert_non_null(strstr(out, "\nfiles:             1\n"
                                " INDEX  PRIORITY      SIZE  PATH\n"
                                "     0  normal    16.0 KiB  cli.bin\n"));
    rc = cli(sock, out, sizeof(out), err, sizeof(err), "priority", "1", "skip", "0", NULL);
    if (rc != 0) fail_msg("priority failed (%d): %s", rc, err);
    assert_string_equal(out, "set priority skip on file 0 of torrent 1\n");
    for (int i = 0; i < 100; i++) {
        rc = cli(sock, out, sizeof(out), err, sizeof(err), "info", "1", NULL);
        assert_int_equal(rc, 0);
        if (strstr(out, "     0  skip      16.0 KiB  cli.bin\n")) break;
        usleep(50000);
    }
    assert_non_null(strstr(out, "     0  skip      16.0 KiB  cli.bin\n"));
    rc = cli(sock, out, sizeof(out), err, sizeof(err), "priority", "1", "7", "all", NULL);
    assert_int_equal(rc, 0);
    assert_string_equal(out, "set priority high on all files of torrent 1\n");

    /* an index past the end, an unknown torrent, a torrent without
     * metadata: one line each, exit 2 */
    rc = cli(sock, out, sizeof(out), err, sizeof(err), "priority", "1", "low", "0", "3", NULL);
    assert_int_equal(rc, CTL_EXIT_USAGE);
    assert_string_equal(err, "spate: torrent 1 has no file 3 (its files are 0..0)\n");
    rc = cli(sock, out, sizeof(out), err, sizeof(err), "priority", "9", "low", "0", NULL);
    assert_int_equal(rc, CTL_EXIT_USAGE);
    assert_string_equal(err, "spate: no torrent matches ID '9'\n");
    rc = cli(sock, out, sizeof(out), err, sizeof(err), "add", "--paused",
             "magnet:?xt=urn:btih:00112233445566778899aabbccddeeff00112233", NULL);
    assert_int_equal(rc, 0);
    assert_non_null(strstr(out, "added 2 "));
    rc = cli(sock, out, sizeof(out), err, sizeof(err), "priority", "2", "low", "all", NULL);
    assert_int_equal(rc, CTL_EXIT_USAGE);
    assert_string_equal(err, "spate: torrent 2 has no metadata yet: its files are not known\n");
    rc = cli(sock, out, sizeof(out), err, sizeof(err), "info", "2", NULL);
    assert_int_equal(rc, 0);
    assert_non_null(strstr(out, "\nfiles:             not known yet (no metadata)\n"));

    rc = cli(sock, out, sizeof(out), err, sizeof(err), "resume", "1", NULL);
    assert_int_equal(rc, 0);
    assert_string_equal(out, "resumed 1\n");

    rc = cli(sock, out, sizeof(out), err, sizeof(err), "quit", NULL);
    assert_int_equal(rc, 0);
    pthread_join(th, NULL);
    assert_int_equal(access(sock, F_OK), -1);
    rc = cli(sock, out, sizeof(out), err, sizeof(err), "ls", NULL);
    assert_int_equal(rc, CTL_EXIT_NO_INSTANCE);

    daemon_free(d);
}

static void test_client_config_get_set_reset(void **state)
{
    (void)state;
    pthread_t th;
    struct daemon *d = daemon_start(&th);
    static char out[65536], err[4096];
    const char *sock = d->f.sock;

    int rc = cli(sock, out, sizeof(out), err, sizeof(err), "config", "get", "download_rate_limit",
                 "enable_dht", "spate.mount_dir", NULL);
    if (rc != 0) fail_msg("config get failed (%d): %s", rc, err);
    assert_string_equal(out, "download_rate_limit = 0\n"
                             "enable_dht = false (default: true)\n"
                             "spate.mount_dir = \"\"\n");

    rc = cli(sock, out, sizeof(out), err, sizeof(err), "config", "set", "download_rate_limit",
             "12345", NULL);
    if (rc != 0) fail_msg("config set failed (%d): %s", rc, err);
    assert_string_equal(out, "download_rate_limit = 12345 (stored)\n");
    rc =
        cli(sock, out, sizeof(out), err, sizeof(err), "config", "set", "spate.mount_dir", "", NULL);
    assert_int_equal(rc, 0);
    assert_string_equal(out, "spate.mount_dir = \"\" (stored)\n");
    /* a negative number is a value, not an option */
    rc = cli(sock, out, sizeof(out), err, sizeof(err), "config", "set", "active_downloads", "-1",
             NULL);
    assert_int_equal(rc, 0);
    assert_string_equal(out, "active_downloads = -1 (stored)\n");

    rc = cli(sock, out, sizeof(out), err, sizeof(err), "config", "get", "download_rate_limit",
             "spate.mount_dir", "active_downloads", NULL);
    assert_int_equal(rc, 0);
    assert_string_equal(out, "download_rate_limit = 12345 (stored: 12345) (default: 0)\n"
                             "spate.mount_dir = \"\" (stored: \"\")\n"
                             "active_downloads = -1 (stored: -1) (default: 3)\n");

    rc = cli(sock, out, sizeof(out), err, sizeof(err), "config", "get", "--json",
             "download_rate_limit", "spate.mount_dir", NULL);
    assert_int_equal(rc, 0);
    json_t *rows = json_loads(out, 0, NULL);
    assert_int_equal(json_array_size(rows), 2);
    fx_expect_row(json_array_get(rows, 0), "download_rate_limit", "12345", "12345", "0", "12345");
    fx_expect_row(json_array_get(rows, 1), "spate.mount_dir", "", "", "", NULL);
    json_decref(rows);
    /* `config get` with no key: every session key */
    static char all[1 << 20];
    rc = cli(sock, all, sizeof(all), err, sizeof(err), "config", "get", "--json", NULL);
    assert_int_equal(rc, 0);
    rows = json_loads(all, 0, NULL);
    size_t n_session = 0;
    for (size_t i = 0; i < reg_count(); i++)
        n_session += (reg_at(i)->scope & REG_SESSION) != 0;
    assert_int_equal(json_array_size(rows), n_session);
    json_decref(rows);

    /* a bad value, an unknown key: one line, exit 2, nothing changed */
    rc = cli(sock, out, sizeof(out), err, sizeof(err), "config", "set", "download_rate_limit",
             "fast", NULL);
    assert_int_equal(rc, CTL_EXIT_USAGE);
    assert_string_equal(err, "spate: setting 'download_rate_limit' takes an integer, not "
                             "'fast'\n");
    assert_string_equal(out, "");
    rc = cli(sock, out, sizeof(out), err, sizeof(err), "config", "reset", "download_rate_limit",
             "nope", NULL);
    assert_int_equal(rc, CTL_EXIT_USAGE);
    assert_string_equal(err, "spate: unknown setting 'nope'\n");
    rc =
        cli(sock, out, sizeof(out), err, sizeof(err), "config", "get", "download_rate_limit", NULL);
    assert_int_equal(rc, 0);
    assert_string_equal(out, "download_rate_limit = 12345 (stored: 12345) (default: 0)\n");

    rc = cli(sock, out, sizeof(out), err, sizeof(err), "config", "reset", "download_rate_limit",
             "spate.mount_dir", "active_downloads", NULL);
    assert_int_equal(rc, 0);
    assert_string_equal(out, "download_rate_limit = 0 (default)\n"
                             "spate.mount_dir = \"\" (default)\n"
                             "active_downloads = 3 (default)\n");
    rc = cli(sock, out, sizeof(out), err, sizeof(err), "config", "get", "download_rate_limit",
             "active_downloads", NULL);
    assert_int_equal(rc, 0);
    assert_string_equal(out, "download_rate_limit = 0\nactive_downloads = 3\n");

    rc = cli(sock, out, sizeof(out), err, sizeof(err), "quit", NULL);
    assert_int_equal(rc, 0);
    pthread_join(th, NULL);
    daemon_free(d);
}

static void test_client_set_get_category_stats(void **state)
{
    (void)state;
    pthread_t th;
    struct daemon *d = daemon_start(&th);
    static char out[65536], err[4096];
    const char *sock = d->f.sock;

    int rc = cli(sock, out, sizeof(out), err, sizeof(err), "category", "set", "movies",
                 "download_limit=5000", "share_ratio_limit=150", "save_path=", NULL);
    if (rc != 0) fail_msg("category set failed (%d): %s", rc, err);
    assert_string_equal(out, "NAME           DOWN          UP  RATIO SEED TIME  SAVE PATH\n"
                             "movies    4.9 KiB/s           -   1.50         -  -\n");
    rc = cli(sock, out, sizeof(out), err, sizeof(err), "category", "ls", NULL);
    assert_int_equal(rc, 0);
    assert_non_null(strstr(out, "\nmovies    4.9 KiB/s "));
    rc = cli(sock, out, sizeof(out), err, sizeof(err), "category", "ls", "--json", NULL);
    assert_int_equal(rc, 0);
    json_t *cats = json_loads(out, 0, NULL);
    assert_int_equal(json_array_size(cats), 1);
    fx_expect_category(json_array_get(cats, 0), "movies", "", 5000, 0, 150, -1);
    json_decref(cats);

    /* add with per-torrent settings: the category's limit, an explicit one, tags */
    char t1[160], t2[160];
    snprintf(t1, sizeof(t1), "%s/one.torrent", d->f.dir);
    snprintf(t2, sizeof(t2), "%s/two.torrent", d->f.dir);
    fx_write_torrent(t1, "one.bin");
    fx_write_torrent(t2, "two.bin");
    rc = cli(sock, out, sizeof(out), err, sizeof(err), "add", "--paused", "--opt",
             "upload_limit=3000", "--opt=pex=false", "--category", "movies", "--tags", "a,b", t1,
             NULL);
    if (rc != 0) fail_msg("add failed (%d): %s", rc, err);
    assert_string_equal(out, "added 1 one.bin\n");
    rc = cli(sock, out, sizeof(out), err, sizeof(err), "add", "--paused", t2, NULL);
    assert_int_equal(rc, 0);
    rc = cli(sock, out, sizeof(out), err, sizeof(err), "get", "1", "download_limit", "upload_limit",
             "pex", "category", "tags", NULL);
    if (rc != 0) fail_msg("get failed (%d): %s", rc, err);
    assert_string_equal(out, "download_limit = 5000\n"
                             "upload_limit = 3000\n"
                             "pex = false\n"
                             "category = movies\n"
                             "tags = a,b\n");
    rc = cli(sock, out, sizeof(out), err, sizeof(err), "info", "1", NULL);
    assert_int_equal(rc, 0);
    assert_non_null(strstr(out, "\ncategory:          movies\ntags:              a,b\n"));
    rc = cli(sock, out, sizeof(out), err, sizeof(err), "get", "2", "--json", NULL);
    assert_int_equal(rc, 0);
    json_t *rows = json_loads(out, 0, NULL);
    assert_int_equal(json_array_size(rows), fx_n_torrent_keys());
    json_decref(rows);

    /* set: "-X" after set is a value, not an option */
    rc = cli(sock, out, sizeof(out), err, sizeof(err), "set", "1", "tags", "-a", NULL);
    if (rc != 0) fail_msg("set failed (%d): %s", rc, err);
    assert_string_equal(out, "tags = b\n");
    rc = cli(sock, out, sizeof(out), err, sizeof(err), "set", "1", "tags", "+c", NULL);
    assert_string_equal(out, "tags = b,c\n");
    rc = cli(sock, out, sizeof(out), err, sizeof(err), "set", "1", "2", "download_limit", "100",
             NULL);
    assert_int_equal(rc, 0);
    assert_string_equal(out, "torrent 1: download_limit = 100\n"
                             "torrent 2: download_limit = 100\n");
    rc =
        cli(sock, out, sizeof(out), err, sizeof(err), "set", "2", "max_connections", "70000", NULL);
    assert_int_equal(rc, 0);
    assert_string_equal(out, "max_connections = 65535\n");
    assert_non_null(strstr(err, "warning: "));
    /* errors: one line, exit 2, nothing changed */
    rc = cli(sock, out, sizeof(out), err, sizeof(err), "set", "1", "2", "download_limit", "fast",
             NULL);
    assert_int_equal(rc, CTL_EXIT_USAGE);
    assert_non_null(strstr(err, "'fast'"));
    assert_int_equal(strchr(err, '\n') - err + 1, (long)strlen(err));
    rc = cli(sock, out, sizeof(out), err, sizeof(err), "set", "2", "category", "nope", NULL);
    assert_int_equal(rc, CTL_EXIT_USAGE);
    assert_non_null(strstr(err, "spate: no category 'nope'"));
    rc = cli(sock, out, sizeof(out), err, sizeof(err), "get", "1", "2", NULL);
    assert_int_equal(rc, CTL_EXIT_USAGE);
    assert_non_null(strstr(err, "unknown setting '2'"));
    rc = cli(sock, out, sizeof(out), err, sizeof(err), "get", "2", "download_limit", NULL);
    assert_string_equal(out, "download_limit = 100\n");

    /* ls: the category and tags columns once a torrent has one; filters */
    rc = cli(sock, out, sizeof(out), err, sizeof(err), "ls", NULL);
    assert_int_equal(rc, 0);
    assert_non_null(strstr(out, "RATIO  CATEGORY  TAGS  NAME\n"));
    assert_non_null(strstr(out, "0.00  movies    b,c   one.bin\n"));
    assert_non_null(strstr(out, "0.00                  two.bin\n"));
    rc = cli(sock, out, sizeof(out), err, sizeof(err), "ls", "--category", "movies", NULL);
    assert_int_equal(rc, 0);
    assert_non_null(strstr(out, "one.bin"));
    assert_null(strstr(out, "two.bin"));
    rc = cli(sock, out, sizeof(out), err, sizeof(err), "ls", "--tag", "c", "--json", NULL);
    assert_int_equal(rc, 0);
    json_t *ls = json_loads(out, 0, NULL);
    assert_int_equal(json_array_size(ls), 1);
    assert_string_equal(json_string_value(json_object_get(json_array_get(ls, 0), "tags")), "b,c");
    json_decref(ls);

    rc = cli(sock, out, sizeof(out), err, sizeof(err), "stats", NULL);
    assert_int_equal(rc, 0);
    assert_non_null(strstr(out, "torrents:          2 (0 downloading"));
    assert_non_null(strstr(out, "\nalt speed limits:  off\n"));
    assert_non_null(strstr(out, "\nip filter:         "));
    assert_non_null(strstr(out, " ranges, 0 peers blocked\n"));
    rc = cli(sock, out, sizeof(out), err, sizeof(err), "stats", "--json", NULL);
    assert_int_equal(rc, 0);
    json_t *st = json_loads(out, 0, NULL);
    assert_true(json_is_false(json_object_get(st, "alt_speed")));
    assert_int_equal(json_integer_value(json_object_get(st, "blocked_peers")), 0);
    json_decref(st);

    rc = cli(sock, out, sizeof(out), err, sizeof(err), "category", "rm", "movies", NULL);
    assert_int_equal(rc, 0);
    assert_string_equal(out, "removed category movies\n");
    rc = cli(sock, out, sizeof(out), err, sizeof(err), "category", "rm", "movies", NULL);
    assert_int_equal(rc, CTL_EXIT_USAGE);
    assert_string_equal(err, "spate: no category 'movies'\n");
    rc = cli(sock, out, sizeof(out), err, sizeof(err), "get", "1", "category", NULL);
    assert_string_equal(out, "category = \"\"\n");

    rc = cli(sock, out, sizeof(out), err, sizeof(err), "quit", NULL);
    assert_int_equal(rc, 0);
    pthread_join(th, NULL);
    daemon_free(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_client_talks_to_server),
        cmocka_unit_test(test_client_config_get_set_reset),
        cmocka_unit_test(test_client_set_get_category_stats),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
