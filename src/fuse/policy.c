/*
 * policy.c — where and how the mount is: it follows the settings.
 *
 * spate.mount (on/off), spate.mount_dir (the place; "" for the default,
 * $XDG_RUNTIME_DIR/spate/mnt, else DATA_DIR/mnt), spate.fuse_allow_other
 * (FUSE allow_other) and spate.fuse_allow_remove (which needs a writable
 * mount: without it the mount is read-only at the kernel level too) are
 * read at start and after every settings event; when any of them changes
 * the mount is unmounted and mounted again as they say, so turning
 * allow_other off revokes other users' access at once.
 *
 * Every mount point passes eng_mount_dir_check() first (the download dir,
 * the data dir, categories' and torrents' save paths must not overlap it).
 * A refused spate.mount_dir falls back to the default place, a refused
 * default to no mount; either is one line in the health log. The engine is
 * told where the mount is (eng_set_mount_point) so that save paths cannot
 * move into it afterwards.
 */
#include "engine/engine.h"
#include "fuse/fs.h"
#include "util/path.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

struct fs_policy {
    uv_loop_t *loop;
    struct eng *e;
    bool verbose;
    struct fs *fs;
    bool synced; /* inputs below hold the last sync's settings */
    char inputs[PATH_MAX + 64];
    char last_warn[1200]; /* not repeated at every settings event */
};

int fs_policy_default_dir(const char *runtime_dir, const char *data_dir, char *out, size_t n)
{
    int r = runtime_dir && *runtime_dir ? snprintf(out, n, "%s/spate/mnt", runtime_dir)
                                        : snprintf(out, n, "%s/mnt", data_dir ? data_dir : "");
    if (r < 0 || (size_t)r >= n || out[0] != '/') {
        if (n) out[0] = '\0';
        return -ENAMETOOLONG;
    }
    return 0;
}

static bool is_true(struct eng *e, const char *key)
{
    char v[16] = "";
    eng_setting_get(e, key, v, sizeof v);
    return strcmp(v, "true") == 0;
}

static void report(struct fs_policy *p, const char *level, const char *msg)
{
    if (strcmp(level, "warn") == 0) {
        if (strcmp(p->last_warn, msg) == 0) return;
        snprintf(p->last_warn, sizeof p->last_warn, "%s", msg);
    }
    eng_log(p->e, level, 0, msg);
    if (p->verbose)
        fprintf(stderr, "spate: %s%s\n", msg,
                strcmp(level, "error") == 0 ? "; running without the mount" : "");
}

/* The checked mount point into out ("" for none). */
static void wanted(struct fs_policy *p, const char *dir, char *out, size_t n)
{
    char err[1024], msg[1200], def[PATH_MAX];
    out[0] = '\0';
    if (!is_true(p->e, "spate.mount")) return;
    if (*dir) {
        if (eng_mount_dir_check(p->e, dir, err, sizeof err) == 0) {
            snprintf(out, n, "%s", dir);
            return;
        }
        snprintf(msg, sizeof msg, "spate.mount_dir ignored: %s; trying the default place", err);
        report(p, "warn", msg);
    }
    if (fs_policy_default_dir(getenv("XDG_RUNTIME_DIR"), eng_data_dir(p->e), def, sizeof def)) {
        report(p, "warn", "mount: the default mount point's path is too long; no mount");
        return;
    }
    if (eng_mount_dir_check(p->e, def, err, sizeof err) == 0) {
        snprintf(out, n, "%s", def);
        return;
    }
    snprintf(msg, sizeof msg, "mount: %s; running without the mount", err);
    report(p, "warn", msg);
}

static void unmount(struct fs_policy *p)
{
    if (!p->fs) return;
    fs_unmount(p->fs);
    p->fs = NULL;
    eng_set_mount_point(p->e, NULL);
}

void fs_policy_sync(struct fs_policy *p)
{
    if (!p) return;
    char dir[PATH_MAX] = "", inputs[sizeof p->inputs];
    eng_setting_get(p->e, "spate.mount_dir", dir, sizeof dir);
    bool other = is_true(p->e, "spate.fuse_allow_other");
    bool ro = !is_true(p->e, "spate.fuse_allow_remove");
    snprintf(inputs, sizeof inputs, "%d%d%d%s", is_true(p->e, "spate.mount"), other, ro, dir);
    if (p->synced && strcmp(inputs, p->inputs) == 0) return;
    p->synced = true;
    snprintf(p->inputs, sizeof p->inputs, "%s", inputs);

    char want[PATH_MAX], err[PATH_MAX + 256] = "";
    wanted(p, dir, want, sizeof want);
    unmount(p);
    if (!*want) {
        eng_set_mount_status(p->e, is_true(p->e, "spate.mount") ? p->last_warn : "off");
        return;
    }
    int rc = util_mkdir_p(want, 0700);
    if (rc) {
        snprintf(err, sizeof err, "mount: cannot create %s: %s", want, strerror(-rc));
        eng_set_mount_status(p->e, err);
        report(p, "error", err);
        return;
    }
    struct fs_options o = {.mount_dir = want, .allow_other = other, .read_only = ro};
    if (fs_mount(p->loop, p->e, &o, &p->fs, err, sizeof err) < 0) {
        p->fs = NULL;
        eng_set_mount_status(p->e, err);
        report(p, "error", err);
        return;
    }
    p->last_warn[0] = '\0';
    eng_set_mount_point(p->e, fs_dir(p->fs));
    eng_set_mount_status(p->e, fs_dir(p->fs));
    if (p->verbose) fprintf(stderr, "spate: files mounted at %s\n", fs_dir(p->fs));
}

static void on_engine(void *ud, enum eng_event ev, const struct eng_torrent *t)
{
    (void)t;
    if (ev == ENG_EV_SETTINGS) fs_policy_sync(ud);
}

int fs_policy_start(uv_loop_t *loop, struct eng *e, bool verbose, struct fs_policy **out)
{
    if (!loop || !e || !out) return -EINVAL;
    struct fs_policy *p = calloc(1, sizeof *p);
    if (!p) return -ENOMEM;
    p->loop = loop;
    p->e = e;
    p->verbose = verbose;
    fs_policy_sync(p);
    eng_add_listener(e, on_engine, p);
    *out = p;
    return 0;
}

void fs_policy_stop(struct fs_policy *p)
{
    if (!p) return;
    eng_remove_listener(p->e, on_engine, p);
    unmount(p);
    free(p);
}
