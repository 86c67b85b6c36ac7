/*
 * mount.c — mounting, the FUSE thread pool, unmounting and stale mounts.
 *
 * spate runs its own pool of FS_THREADS threads over one libfuse session
 * (fuse_session_receive_buf + fuse_session_process_buf) instead of
 * fuse_session_loop_mt(), so that stopping never depends on the kernel:
 * fs_unmount() sets a flag, interrupts every thread blocked in read(2) on
 * /dev/fuse with a signal whose handler does nothing (installed without
 * SA_RESTART), joins them, and only then unmounts. A reader still holding a
 * file open in the mount cannot keep spate from exiting.
 *
 * A process killed with SIGKILL leaves its mount behind: the kernel answers
 * ENOTCONN for it until it is unmounted. fs_clean_stale() finds such a mount
 * in /proc/self/mountinfo and detaches it (umount2 as root, fusermount3
 * otherwise) before mounting again.
 */
#include "fuse/fs_int.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define FS_WAKE_SIGNAL SIGUSR2
#define FS_STACK_BYTES (256 * 1024)

extern char **environ;

/* ------------------------------------------------------------ stale mounts */

/* Undoes mountinfo's octal escapes (\040 for a space, ...) in place. */
static void unescape(char *s)
{
    char *o = s;
    for (char *p = s; *p; p++) {
        if (p[0] == '\\' && p[1] >= '0' && p[1] <= '3' && p[2] >= '0' && p[2] <= '7' &&
            p[3] >= '0' && p[3] <= '7') {
            *o++ = (char)((p[1] - '0') * 64 + (p[2] - '0') * 8 + (p[3] - '0'));
            p += 3;
        } else {
            *o++ = *p;
        }
    }
    *o = '\0';
}

/* Is `dir` a mount point, and of which filesystem type? 1 yes, 0 no. */
static int mounted_at(const char *dir, char *fstype, size_t n)
{
    FILE *f = fopen("/proc/self/mountinfo", "re");
    if (!f) return 0;
    char line[4096];
    int found = 0;
    while (fgets(line, sizeof line, f)) {
        /* id parent major:minor root MOUNT_POINT opts ... - FSTYPE source opts */
        char *save, *field = strtok_r(line, " ", &save);
        char *mp = NULL;
        for (int i = 0; field && i < 4; i++)
            field = strtok_r(NULL, " ", &save);
        if (!field) continue;
        mp = field;
        unescape(mp);
        if (strcmp(mp, dir) != 0) continue;
        while ((field = strtok_r(NULL, " ", &save)) && strcmp(field, "-") != 0) {
        }
        field = field ? strtok_r(NULL, " ", &save) : NULL;
        snprintf(fstype, n, "%s", field ? field : "");
        found = 1; /* the last matching line is the mount on top */
    }
    fclose(f);
    return found;
}

static int run_fusermount(const char *dir)
{
    char *argv[] = {"fusermount3", "-u", "-q", "-z", (char *)dir, NULL};
    pid_t pid;
    if (posix_spawnp(&pid, "fusermount3", NULL, NULL, argv, environ) != 0) return -ENOENT;
    int status;
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR) return -ECHILD;
    return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -EPERM;
}

int fs_clean_stale(const char *dir, char *err, size_t errlen)
{
    char type[64];
    if (!mounted_at(dir, type, sizeof type)) return 0;
    /* forced past the attribute cache: a dead mount's root answers stat()
     * from the cache for a moment after its server died */
    struct statx stx;
    if (statx(AT_FDCWD, dir, AT_STATX_FORCE_SYNC, STATX_TYPE, &stx) == 0 || errno != ENOTCONN) {
        snprintf(err, errlen, "%s is already a mount point (%s); use --mount DIR or --no-mount",
                 dir, type);
        return -EBUSY;
    }
    if (umount2(dir, MNT_DETACH) == 0 || run_fusermount(dir) == 0) {
        snprintf(err, errlen, "cleaned a stale mount at %s (left by a process that died)", dir);
        return 1;
    }
    snprintf(err, errlen, "a stale mount at %s could not be removed (try fusermount3 -u -z %s)",
             dir, dir);
    return -EPERM;
}

/* ----------------------------------------------------------------- threads */

static void on_wake_signal(int sig)
{
    (void)sig; /* only interrupts read(2) on /dev/fuse */
}

static void *worker(void *arg)
{
    struct fs *fs = arg;
    struct fuse_buf buf;
    memset(&buf, 0, sizeof buf);
    while (!atomic_load(&fs->stopping) && !fuse_session_exited(fs->se)) {
        int rc = fuse_session_receive_buf(fs->se, &buf);
        if (rc == -EINTR || rc == -EAGAIN) continue;
        if (rc <= 0) break; /* unmounted (0 / -ENODEV) or a fatal error */
        fuse_session_process_buf(fs->se, &buf);
    }
    free(buf.mem);
    return NULL;
}

static int start_threads(struct fs *fs)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_wake_signal; /* no SA_RESTART: read(2) must return EINTR */
    sigemptyset(&sa.sa_mask);
    if (sigaction(FS_WAKE_SIGNAL, &sa, NULL) < 0) return -errno;
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setstacksize(&attr, FS_STACK_BYTES);
    /* the threads must not take the signals libuv handles on the loop */
    sigset_t all, old;
    sigfillset(&all);
    sigdelset(&all, FS_WAKE_SIGNAL);
    sigdelset(&all, SIGSEGV);
    sigdelset(&all, SIGBUS);
    sigdelset(&all, SIGFPE);
    sigdelset(&all, SIGILL);
    sigdelset(&all, SIGABRT);
    pthread_sigmask(SIG_SETMASK, &all, &old);
    int rc = 0;
    for (int i = 0; i < FS_THREADS; i++) {
        if ((rc = pthread_create(&fs->threads[i], &attr, worker, fs)) != 0) break;
        fs->n_threads++;
    }
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    pthread_attr_destroy(&attr);
    return fs->n_threads > 0 ? 0 : -rc;
}

static void stop_threads(struct fs *fs)
{
    atomic_store(&fs->stopping, true);
    fuse_session_exit(fs->se);
    /* a thread may be between its check and read(2): signal until it ends */
    for (int i = 0; i < fs->n_threads; i++) {
        for (int tries = 0; tries < 2000; tries++) {
            if (pthread_kill(fs->threads[i], FS_WAKE_SIGNAL) != 0) break;
            struct timespec ts = {0, 0};
            clock_gettime(CLOCK_REALTIME, &ts);
            ts.tv_nsec += 5 * 1000 * 1000;
            if (ts.tv_nsec >= 1000000000L) ts.tv_sec++, ts.tv_nsec -= 1000000000L;
            if (pthread_timedjoin_np(fs->threads[i], NULL, &ts) == 0) {
                fs->threads[i] = 0;
                break;
            }
        }
        if (fs->threads[i]) pthread_join(fs->threads[i], NULL);
    }
    fs->n_threads = 0;
}

/* --------------------------------------------------------------- lifecycle */

int fs_mount(uv_loop_t *loop, struct eng *e, const struct fs_options *o, struct fs **out, char *err,
             size_t errlen)
{
    if (!loop || !e || !o || !o->mount_dir || o->mount_dir[0] != '/' || !out) {
        snprintf(err, errlen, "mount: the mount point must be an absolute path");
        return -EINVAL;
    }
    if (access("/dev/fuse", R_OK | W_OK) != 0) {
        snprintf(err, errlen, "mount: /dev/fuse is not available (%s)", strerror(errno));
        return -ENODEV;
    }
    char msg[600];
    int rc = fs_clean_stale(o->mount_dir, msg, sizeof msg);
    if (rc < 0) {
        snprintf(err, errlen, "mount: %s", msg);
        return rc;
    }
    if (rc == 1) eng_log(e, "warn", 0, msg);
    struct stat st;
    if (stat(o->mount_dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
        snprintf(err, errlen, "mount: %s is not a directory", o->mount_dir);
        return -ENOTDIR;
    }
    struct fs *fs = calloc(1, sizeof *fs);
    if (!fs || !(fs->dir = strdup(o->mount_dir))) {
        free(fs);
        snprintf(err, errlen, "mount: out of memory");
        return -ENOMEM;
    }
    fs->loop = loop;
    fs->eng = e;
    fs->mounted_at = time(NULL);
    if ((rc = fs_bridge_start(fs)) != 0) {
        snprintf(err, errlen, "mount: cannot start: %s", strerror(-rc));
        fs_bridge_stop(fs);
        fs_bridge_free(fs);
        return rc;
    }
    char opts[128];
    /* "ro": the kernel refuses every write before it reaches us, a second
     * fence behind ops.c's EROFS answers */
    snprintf(opts, sizeof opts, "fsname=spate,subtype=spate%s%s",
             o->allow_other ? ",allow_other" : "", o->read_only ? ",ro" : "");
    char *argv[] = {"spate", "-o", opts, NULL};
    struct fuse_args args = FUSE_ARGS_INIT(3, argv);
    fs->se = fuse_session_new(&args, &fs_ops, sizeof fs_ops, fs);
    fuse_opt_free_args(&args); /* libfuse may have copied argv into args */
    if (!fs->se) {
        snprintf(err, errlen, "mount: cannot create the FUSE session");
        rc = -EIO;
        goto fail;
    }
    if (fuse_session_mount(fs->se, fs->dir) != 0) {
        snprintf(err, errlen, "mount: cannot mount at %s (see the message above)", fs->dir);
        rc = -EIO;
        goto fail;
    }
    if ((rc = start_threads(fs)) != 0) {
        snprintf(err, errlen, "mount: cannot start threads: %s", strerror(-rc));
        fuse_session_unmount(fs->se);
        goto fail;
    }
    *out = fs;
    return 0;
fail:
    fs_bridge_stop(fs);
    if (fs->se) fuse_session_destroy(fs->se);
    fs_bridge_free(fs);
    return rc;
}

void fs_unmount(struct fs *fs)
{
    if (!fs) return;
    fs_bridge_stop(fs); /* readers waiting for pieces fail with EIO now */
    stop_threads(fs);
    fuse_session_unmount(fs->se);
    fuse_session_destroy(fs->se);
    fs_bridge_free(fs);
}

const char *fs_dir(const struct fs *fs)
{
    return fs ? fs->dir : "";
}
