/*
 * main.c — argument parsing, picking the mode (TUI, --daemon, or a CLI
 * subcommand) and wiring the modules together. Nothing else lives here.
 *
 *   spate [OPTIONS]            the TUI, with the engine in-process
 *   spate --daemon [OPTIONS]   headless, until SIGINT/SIGTERM or `spate quit`
 *   spate COMMAND [ARGS]       talks to the running instance over its socket
 */
#include "ctl/ctl.h"
#include "engine/engine.h"
#include "fuse/fs.h"
#include "store/store.h"
#include "ui/ui.h"
#include "util/path.h"
#include "util/utf8.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#define SHUTDOWN_TIMEOUT_MS 15000

struct app {
    uv_loop_t *loop;
    struct store *st;
    struct eng *eng;
    struct ctl_server *ctl;
    struct ui *ui;
    struct fs_policy *mount;
    uv_signal_t sigint, sigterm, sighup;
    bool stopping;
};

/* Prints "spate: MESSAGE" and a newline on stderr. The message may echo
 * user input (paths, --set values, text from the engine or the server):
 * it is written terminal-safe (util_term_fputs), always one line. */
static void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void say(const char *fmt, ...)
{
    char buf[2 * PATH_MAX + 1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    fputs("spate: ", stderr);
    util_term_fputs(buf, stderr);
    fputc('\n', stderr);
}

/* snprintf that reports truncation: 0, or -ENAMETOOLONG. */
static int fmt_path(char *out, size_t n, const char *a, const char *b)
{
    int r = snprintf(out, n, "%s%s", a, b);
    return (r < 0 || (size_t)r >= n) ? -ENAMETOOLONG : 0;
}

/* Makes `in` absolute against the cwd (without requiring it to exist). */
static void absolute(const char *in, char *out, size_t n)
{
    char cwd[PATH_MAX];
    if (in[0] == '/' || !getcwd(cwd, sizeof cwd) || fmt_path(cwd, sizeof cwd, cwd, "/") ||
        fmt_path(out, n, cwd, in))
        snprintf(out, n, "%s", in);
}

static void default_dirs(const struct ctl_args *a, char *data, char *dl, char *sock, size_t n)
{
    const char *home = getenv("HOME");
    if (!home || !*home) home = "/tmp";
    const char *xdg;
    if (a->data_dir)
        absolute(a->data_dir, data, n);
    else if ((xdg = getenv("XDG_DATA_HOME")) && *xdg)
        snprintf(data, n, "%s/spate", xdg);
    else
        snprintf(data, n, "%s/.local/share/spate", home);
    if (a->download_dir)
        absolute(a->download_dir, dl, n);
    else if ((xdg = getenv("XDG_DOWNLOAD_DIR")) && *xdg)
        snprintf(dl, n, "%s", xdg);
    else
        snprintf(dl, n, "%s/Downloads", home);
    if (a->socket_path)
        absolute(a->socket_path, sock, n);
    else
        fmt_path(sock, n, data, "/control.sock");
}

/* Takes DATA_DIR/spate.lock; returns the fd, or -1 with a message. */
static int take_lock(const char *data_dir)
{
    char path[PATH_MAX];
    if (fmt_path(path, sizeof path, data_dir, "/spate.lock")) {
        say("data dir path too long: %s", data_dir);
        return -1;
    }
    int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0) {
        say("cannot open %s: %s", path, strerror(errno));
        return -1;
    }
    fchmod(fd, 0600); /* an existing lock file keeps its mode otherwise */
    if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
        char pid[32] = "";
        ssize_t n = pread(fd, pid, sizeof pid - 1, 0);
        pid[n > 0 ? n : 0] = '\0';
        pid[strcspn(pid, "\n")] = '\0';
        say("another instance%s%s%s is already running on %s", *pid ? " (pid " : "", pid,
            *pid ? ")" : "", data_dir);
        close(fd);
        return -1;
    }
    char buf[32];
    int len = snprintf(buf, sizeof buf, "%ld\n", (long)getpid());
    if (ftruncate(fd, 0) == 0 && pwrite(fd, buf, (size_t)len, 0) != len) {
        /* the pid is informative only */
    }
    return fd;
}

static void on_close_noop(uv_handle_t *h)
{
    (void)h;
}

/* Shuts everything down once; runs on the loop thread. */
static void app_stop(struct app *app)
{
    if (app->stopping) return;
    app->stopping = true;
    if (app->ui) {
        ui_free(app->ui);
        app->ui = NULL;
    }
    if (app->ctl) {
        ctl_server_close(app->ctl);
        app->ctl = NULL;
    }
    /* before the engine: readers waiting for pieces are woken with EIO */
    fs_policy_stop(app->mount);
    app->mount = NULL;
    int missing = eng_shutdown(app->eng, SHUTDOWN_TIMEOUT_MS);
    if (missing > 0) say("resume data of %d torrent(s) could not be saved in time", missing);
    uv_close((uv_handle_t *)&app->sigint, on_close_noop);
    uv_close((uv_handle_t *)&app->sigterm, on_close_noop);
    uv_close((uv_handle_t *)&app->sighup, on_close_noop);
}

static void on_signal(uv_signal_t *s, int signum)
{
    (void)signum;
    app_stop(s->data);
}

static void on_quit(void *ud)
{
    app_stop(ud);
}

/* Fatal-signal handlers that were installed before ours (libtorrent's, for
 * faults in its memory-mapped disk I/O). */
static struct sigaction prev_handler[NSIG];

static void crash_handler(int sig, siginfo_t *info, void *ctx)
{
    /* libtorrent recovers from faults inside its mmap'ed files by jumping
     * out of its handler; if it returns, the fault is a real crash */
    const struct sigaction *prev = &prev_handler[sig];
    if ((prev->sa_flags & SA_SIGINFO) && prev->sa_sigaction)
        prev->sa_sigaction(sig, info, ctx);
    else if (prev->sa_handler != SIG_DFL && prev->sa_handler != SIG_IGN && prev->sa_handler)
        prev->sa_handler(sig);
    ui_emergency_restore();
    signal(sig, SIG_DFL);
    raise(sig);
}

/* Restores the terminal on a crash; installed after the engine so that
 * libtorrent's own handlers are chained, not replaced. */
static void install_crash_handlers(void)
{
    static const int sigs[] = {SIGSEGV, SIGBUS, SIGABRT, SIGFPE, SIGILL};
    for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++) {
        struct sigaction sa;
        memset(&sa, 0, sizeof sa);
        sa.sa_sigaction = crash_handler;
        sa.sa_flags = SA_SIGINFO | SA_NODEFER;
        sigemptyset(&sa.sa_mask);
        sigaction(sigs[i], &sa, &prev_handler[sigs[i]]);
    }
}

static int run_instance(const struct ctl_args *a, const char *data_dir, const char *dl_dir,
                        const char *sock)
{
    char err[1024] = "";
    struct eng_setting sets[CTL_MAX_SETS + 3];
    size_t n_sets = 0;
    for (size_t i = 0; i < a->n_sets; i++) {
        sets[n_sets].key = a->set_keys[i];
        sets[n_sets++].value = a->set_values[i];
    }
    /* --mount and --no-mount are the settings spate.mount(_dir) for this run */
    char mnt[PATH_MAX];
    if (a->no_mount) {
        sets[n_sets].key = "spate.mount";
        sets[n_sets++].value = "false";
    } else if (a->mount_dir) {
        absolute(a->mount_dir, mnt, sizeof mnt);
        sets[n_sets].key = "spate.mount";
        sets[n_sets++].value = "true";
        sets[n_sets].key = "spate.mount_dir";
        sets[n_sets++].value = mnt;
    }
    if (a->theme) {
        sets[n_sets].key = "spate.theme";
        sets[n_sets++].value = a->theme;
    }
    if (!a->daemon && (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO))) {
        say("the TUI needs a terminal; use `spate --daemon` to run headless");
        return CTL_EXIT_USAGE;
    }
    if (strlen(sock) >= sizeof(((struct sockaddr_un *)0)->sun_path)) {
        say("socket path too long: %s (use --socket)", sock);
        return CTL_EXIT_USAGE;
    }
    int rc = util_mkdir_p(data_dir, 0700);
    if (rc) {
        say("cannot create %s: %s", data_dir, strerror(-rc));
        return CTL_EXIT_FAILURE;
    }
    struct stat sb;
    if ((rc = util_mkdir_p(dl_dir, 0755)) == -ENOTDIR ||
        (!rc && stat(dl_dir, &sb) == 0 && !S_ISDIR(sb.st_mode))) {
        say("download dir %s is not a directory", dl_dir);
        return CTL_EXIT_USAGE;
    }
    if (rc) {
        say("cannot create %s: %s", dl_dir, strerror(-rc));
        return CTL_EXIT_FAILURE;
    }
    int lock_fd = take_lock(data_dir);
    if (lock_fd < 0) return CTL_EXIT_FAILURE;

    struct app app = {.loop = uv_default_loop()};
    int exit_code = CTL_EXIT_FAILURE;
    char db[PATH_MAX];
    if (fmt_path(db, sizeof db, data_dir, "/spate.db")) {
        say("data dir path too long: %s", data_dir);
        goto out;
    }
    if (store_open(db, &app.st, err, sizeof err) < 0) {
        say("%s", err);
        goto out;
    }
    struct eng_options eo = {
        .data_dir = data_dir,
        .download_dir = dl_dir,
        .settings = sets,
        .n_settings = n_sets,
    };
    if ((rc = eng_new(app.loop, app.st, &eo, &app.eng, err, sizeof err)) < 0) {
        say("%s", err);
        if (rc == -EINVAL) exit_code = CTL_EXIT_USAGE; /* a --set, --mount that was refused */
        goto out;
    }
    if (ctl_server_start(app.loop, app.eng, sock, on_quit, &app, &app.ctl, err, sizeof err) < 0) {
        say("%s", err);
        eng_shutdown(app.eng, SHUTDOWN_TIMEOUT_MS);
        uv_run(app.loop, UV_RUN_DEFAULT);
        goto out;
    }
    fs_policy_start(app.loop, app.eng, a->daemon, &app.mount);
    uv_signal_init(app.loop, &app.sigint);
    uv_signal_init(app.loop, &app.sigterm);
    uv_signal_init(app.loop, &app.sighup);
    app.sigint.data = app.sigterm.data = app.sighup.data = &app;
    uv_signal_start(&app.sigint, on_signal, SIGINT);
    uv_signal_start(&app.sigterm, on_signal, SIGTERM);
    uv_signal_start(&app.sighup, on_signal, SIGHUP);

    if (!a->daemon) {
        install_crash_handlers();
        if (ui_new(app.loop, app.eng, on_quit, &app, &app.ui, err, sizeof err) < 0) {
            say("%s", err);
            app_stop(&app);
            uv_run(app.loop, UV_RUN_DEFAULT);
            goto out;
        }
    } else {
        say("daemon running, data dir %s, socket %s", data_dir, sock);
    }
    uv_run(app.loop, UV_RUN_DEFAULT);
    exit_code = CTL_EXIT_OK;
out:
    eng_free(app.eng);
    store_close(app.st);
    uv_loop_close(app.loop);
    close(lock_fd);
    return exit_code;
}

int main(int argc, char **argv)
{
    static struct ctl_args a;
    char err[1024] = "";
    signal(SIGPIPE, SIG_IGN);
    if (ctl_args_parse(argc, argv, &a, err, sizeof err) != 0) {
        say("%s (try --help)", err);
        return CTL_EXIT_USAGE;
    }
    if (a.help) {
        ctl_help(&a, stdout);
        return CTL_EXIT_OK;
    }
    if (a.version) {
        printf("spate %s\n", SPATE_VERSION);
        return CTL_EXIT_OK;
    }
    for (size_t i = 0; i < a.n_sets; i++) {
        if (eng_setting_validate(a.set_keys[i], a.set_values[i], err, sizeof err) < 0) {
            say("--set: %s", err);
            return CTL_EXIT_USAGE;
        }
    }
    char data_dir[PATH_MAX], dl_dir[PATH_MAX], sock[PATH_MAX];
    default_dirs(&a, data_dir, dl_dir, sock, sizeof data_dir);
    if (a.cmd) return ctl_run(&a, data_dir, sock);
    return run_instance(&a, data_dir, dl_dir, sock);
}
