/*
 * paths.c — path containment and the mount guard.
 *
 * The FUSE mount serves torrents' files by reading them from their save
 * paths; a mount placed over the download directory, the data directory or
 * a save path (or one of those placed inside the mount) makes spate read
 * its own mount (reads hang, a recheck never ends, SIGTERM is not served)
 * or hides the control socket and the database. eng_mount_dir_check()
 * refuses such a mount point and eng_save_path_check() refuses a save path
 * inside (or around) the active mount, so neither can be reached from
 * either side.
 *
 * Paths are compared canonically: realpath() of the longest existing prefix
 * (lookups only: lstat and readlink, never an open or a read; under our own
 * mount the lookups are served by the FUSE threads, not the loop), then the
 * rest lexically.
 */
#include "engine/engine_int.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int eng_path_normalize(const char *in, char *out, size_t n)
{
    if (!in || in[0] != '/' || !out || n < 2) return -EINVAL;
    size_t len = 0;
    out[len++] = '/';
    const char *p = in;
    while (*p) {
        while (*p == '/')
            p++;
        const char *s = p;
        while (*p && *p != '/')
            p++;
        size_t seg = (size_t)(p - s);
        if (seg == 0 || (seg == 1 && s[0] == '.')) continue;
        if (seg == 2 && s[0] == '.' && s[1] == '.') {
            while (len > 1 && out[len - 1] != '/')
                len--;
            if (len > 1) len--; /* the '/' before the dropped segment */
            continue;
        }
        if (len + (len > 1) + seg + 1 > n) return -ENAMETOOLONG;
        if (len > 1) out[len++] = '/';
        memcpy(out + len, s, seg);
        len += seg;
    }
    out[len] = '\0';
    return 0;
}

/* realpath() of the longest existing prefix of the normalized path norm,
 * the rest appended. */
static int canon_prefix(const char *norm, char *out, size_t n)
{
    char head[PATH_MAX], real[PATH_MAX], joined[PATH_MAX * 2];
    size_t cut = strlen(norm);
    for (;;) {
        memcpy(head, norm, cut);
        head[cut] = '\0';
        if (realpath(cut ? head : "/", real)) break;
        if (cut == 0) return -errno;
        do
            cut--;
        while (cut > 0 && norm[cut] != '/');
    }
    snprintf(joined, sizeof joined, "%s%s", real, norm + cut);
    return eng_path_normalize(joined, out, n);
}

/* The parent through canon_prefix, the last component through readlink()
 * only: a mount point's own root is never stat'ed (its FUSE server, maybe
 * hung or gone, is not asked). */
static int canon(const char *in, char *out, size_t n, int depth)
{
    char norm[PATH_MAX], parent[PATH_MAX], join[PATH_MAX * 2], tgt[PATH_MAX];
    if (depth > 40) return -ELOOP;
    int rc = eng_path_normalize(in, norm, sizeof norm);
    if (rc) return rc;
    if (strcmp(norm, "/") == 0) return snprintf(out, n, "/") < (int)n ? 0 : -ENAMETOOLONG;
    char *slash = strrchr(norm, '/');
    *slash = '\0';
    if ((rc = canon_prefix(slash == norm ? "/" : norm, parent, sizeof parent))) return rc;
    snprintf(join, sizeof join, "%s/%s", strcmp(parent, "/") ? parent : "", slash + 1);
    ssize_t len = readlink(join, tgt, sizeof tgt - 1);
    if (len < 0) return eng_path_normalize(join, out, n);
    tgt[len] = '\0';
    if (tgt[0] != '/') {
        snprintf(join, sizeof join, "%s/%s", parent, tgt);
        return canon(join, out, n, depth + 1);
    }
    return canon(tgt, out, n, depth + 1);
}

int eng_path_canon(const char *in, char *out, size_t n)
{
    return canon(in, out, n, 0);
}

bool eng_path_inside(const char *a, const char *b)
{
    char na[PATH_MAX], nb[PATH_MAX];
    if (eng_path_normalize(a, na, sizeof na) || eng_path_normalize(b, nb, sizeof nb)) return false;
    size_t lb = strlen(nb);
    if (strcmp(nb, "/") == 0) return true;
    return strncmp(na, nb, lb) == 0 && (na[lb] == '\0' || na[lb] == '/');
}

/* What `dir` (the mount point) does to `what` (canonical both): a message
 * part, or NULL when they do not overlap. */
static const char *overlap(const char *dir, const char *other)
{
    if (strcmp(dir, other) == 0) return "is";
    if (eng_path_inside(dir, other)) return "is inside";
    if (eng_path_inside(other, dir)) return "would contain";
    return NULL;
}

/* One directory against the mount point (only when equal, with
 * equal_only): 0, or -EINVAL with the message. */
static int against_how(const char *mnt, const char *raw, const char *what, const char *name,
                       bool equal_only, char *err, size_t errlen)
{
    char other[PATH_MAX];
    if (!raw || raw[0] != '/' || eng_path_canon(raw, other, sizeof other)) return 0;
    const char *how = overlap(mnt, other);
    if (!how || (equal_only && strcmp(how, "is") != 0)) return 0;
    snprintf(err, errlen,
             "mount dir %s %s %s%s%s%s %s: the mount must not overlap the files spate reads or "
             "keeps",
             mnt, how, what, name ? " '" : "", name ? name : "", name ? "'" : "", other);
    return -EINVAL;
}

static int against(const char *mnt, const char *raw, const char *what, const char *name, char *err,
                   size_t errlen)
{
    return against_how(mnt, raw, what, name, false, err, errlen);
}

struct cat_check {
    const char *mnt;
    char *err;
    size_t errlen;
    int rc;
};

static int cat_check_cb(const struct eng_category *c, void *ud)
{
    struct cat_check *k = ud;
    k->rc = against(k->mnt, c->save_path, "the save path of category", c->name, k->err, k->errlen);
    return k->rc ? 1 : 0;
}

int eng_mount_dir_check(struct eng *e, const char *dir, char *err, size_t errlen)
{
    if (!e || !dir || dir[0] != '/') {
        snprintf(err, errlen, "mount dir must be an absolute path");
        return -EINVAL;
    }
    char mnt[PATH_MAX], data[PATH_MAX], own[PATH_MAX];
    int rc = eng_path_canon(dir, mnt, sizeof mnt);
    if (rc) {
        snprintf(err, errlen, "mount dir %.200s: %s", dir, strerror(-rc));
        return -EINVAL;
    }
    /* "is X" says most: before "is inside" / "would contain" */
    if ((rc = against_how(mnt, e->download_dir, "the download directory", NULL, true, err,
                          errlen)) ||
        (rc = against_how(mnt, e->data_dir, "the data directory", NULL, true, err, errlen)))
        return rc;
    if ((rc = against(mnt, e->download_dir, "the download directory", NULL, err, errlen)))
        return rc;
    /* DATA_DIR/mnt is the mount's own place (the default without
     * $XDG_RUNTIME_DIR); any other overlap with the data dir hides or
     * shadows the database, the lock or the socket */
    bool own_place = eng_path_canon(e->data_dir, data, sizeof data) == 0 &&
                     snprintf(own, sizeof own, "%s/mnt", data) < (int)sizeof own &&
                     strcmp(mnt, own) == 0;
    if (!own_place && (rc = against(mnt, e->data_dir, "the data directory", NULL, err, errlen)))
        return rc;
    struct cat_check c = {mnt, err, errlen, 0};
    eng_categories(e, cat_check_cb, &c);
    if (c.rc) return c.rc;
    const char *last = NULL;
    for (size_t i = 0; i < e->n; i++) {
        const char *sp = e->tors[i]->pub.save_path;
        if (last && strcmp(sp, last) == 0) continue; /* most share the download dir */
        last = sp;
        char what[64];
        snprintf(what, sizeof what, "the save path of torrent %d", e->tors[i]->pub.id);
        if ((rc = against(mnt, sp, what, NULL, err, errlen))) return rc;
    }
    return 0;
}

int eng_save_path_check(struct eng *e, const char *path, char *err, size_t errlen)
{
    if (!e || !e->mount_point || !path || path[0] != '/') return 0;
    char p[PATH_MAX];
    if (eng_path_canon(path, p, sizeof p)) return 0;
    const char *how = NULL;
    if (eng_path_inside(p, e->mount_point))
        how = "is inside";
    else if (eng_path_inside(e->mount_point, p))
        how = "contains";
    if (!how) return 0;
    snprintf(err, errlen,
             "save path %.1000s %s spate's mount %.1000s: choose a directory outside it", p, how,
             e->mount_point);
    return -EINVAL;
}

void eng_set_mount_point(struct eng *e, const char *dir)
{
    if (!e) return;
    char canon[PATH_MAX];
    free(e->mount_point);
    e->mount_point = NULL;
    if (dir && *dir && eng_path_canon(dir, canon, sizeof canon) == 0)
        e->mount_point = strdup(canon);
}

const char *eng_mount_point(const struct eng *e)
{
    return e && e->mount_point ? e->mount_point : "";
}
