/*
 * backup.c — rolling backups of spate.db and putting one back.
 *
 * A backup is made with sqlite's online backup API (sqlite3_backup_*),
 * which copies a consistent snapshot page by page while the connection
 * keeps writing: a write through the same connection between two steps is
 * applied to the copy too. The caller bounds each step (pages), so a large
 * database is copied over several turns of the loop rather than in one
 * long stall. The copy is written under a temporary name (NAME.tmp) and
 * renamed only once complete, so a crash never leaves a partial file under
 * a backup's name; each backup is switched to rollback-journal mode so it
 * is one self-contained file.
 *
 * Names are spate-YYYYmmdd-HHMMSS.db in UTC: their byte order is their
 * time order, which listing, pruning and "the newest" rely on.
 *
 * store_restore() runs in the CLI (`spate db restore`), never while a spate
 * holds the data directory's lock.
 */
#include "store/store.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "store/store_int.h"

#define NAME_PREFIX "spate-"
#define NAME_SUFFIX ".db"
/* spate-YYYYmmdd-HHMMSS.db */
#define NAME_LEN (sizeof NAME_PREFIX - 1 + 15 + sizeof NAME_SUFFIX - 1)

struct store_backup {
    sqlite3 *dst;
    sqlite3_backup *bk;
    int done; /* the last step answered SQLITE_DONE */
    char final[PATH_MAX], tmp[PATH_MAX + 8];
};

static int is_backup_name(const char *n)
{
    if (strlen(n) != NAME_LEN || strncmp(n, NAME_PREFIX, sizeof NAME_PREFIX - 1) != 0 ||
        strcmp(n + NAME_LEN - (sizeof NAME_SUFFIX - 1), NAME_SUFFIX) != 0)
        return 0;
    const char *t = n + sizeof NAME_PREFIX - 1;
    for (int i = 0; i < 15; i++)
        if (i == 8 ? t[i] != '-' : (t[i] < '0' || t[i] > '9')) return 0;
    return 1;
}

static void stamp(time_t when, char *out, size_t n)
{
    struct tm tm;
    gmtime_r(&when, &tm);
    strftime(out, n, "%Y%m%d-%H%M%S", &tm);
}

static int64_t name_time(const char *name)
{
    struct tm tm;
    memset(&tm, 0, sizeof tm);
    const char *end = strptime(name + sizeof NAME_PREFIX - 1, "%Y%m%d-%H%M%S", &tm);
    return end ? (int64_t)timegm(&tm) : 0;
}

static void remove_tmp(const char *tmp)
{
    char j[PATH_MAX + 16];
    unlink(tmp);
    snprintf(j, sizeof j, "%s-journal", tmp);
    unlink(j);
}

int store_backup_begin(struct store *st, const char *dir, struct store_backup **out, char *err,
                       size_t errlen)
{
    if (err && errlen) err[0] = '\0';
    if (!st || !dir || !*dir || !out) return -EINVAL;
    *out = NULL;
    if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
        int e = errno;
        snprintf(err, errlen, "cannot create %s: %s", dir, strerror(e));
        return -e;
    }
    struct store_backup *b = calloc(1, sizeof *b);
    if (!b) return -ENOMEM;
    /* two backups within one second (before a migration, then the one at
     * start) take the next free second rather than overwrite */
    time_t now = time(NULL);
    for (int i = 0;; i++) {
        char ts[32];
        stamp(now + i, ts, sizeof ts);
        int r = snprintf(b->final, sizeof b->final, "%s/" NAME_PREFIX "%s" NAME_SUFFIX, dir, ts);
        if (r < 0 || (size_t)r >= sizeof b->final - 4) {
            free(b);
            snprintf(err, errlen, "backup path too long in %s", dir);
            return -ENAMETOOLONG;
        }
        struct stat sb;
        if (lstat(b->final, &sb) != 0 || i == 60) break;
    }
    snprintf(b->tmp, sizeof b->tmp, "%s.tmp", b->final);
    remove_tmp(b->tmp);
    int rc = store_file_private(b->tmp, NULL);
    if (rc < 0) {
        snprintf(err, errlen, "cannot create %s: %s", b->tmp, strerror(-rc));
        free(b);
        return rc;
    }
    /* No fsync of the copy (synchronous=OFF): at 10,000 torrents it would
     * hold the loop for a quarter of a second in the last step. A copy cut
     * short by a power failure fails the quick_check that restore runs, and
     * an older backup is still there. */
    if (sqlite3_open_v2(b->tmp, &b->dst, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL) !=
            SQLITE_OK ||
        sqlite3_exec(b->dst, "PRAGMA synchronous = OFF", NULL, NULL, NULL) != SQLITE_OK ||
        !(b->bk = sqlite3_backup_init(b->dst, "main", store_sqlite(st), "main"))) {
        snprintf(err, errlen, "cannot start a backup to %s: %s", b->tmp,
                 b->dst ? sqlite3_errmsg(b->dst) : "out of memory");
        sqlite3_close(b->dst);
        remove_tmp(b->tmp);
        free(b);
        return -EIO;
    }
    *out = b;
    return 0;
}

int store_backup_step(struct store_backup *b, int pages)
{
    if (!b || !b->bk) return -EINVAL;
    if (b->done) return 0;
    int rc = sqlite3_backup_step(b->bk, pages);
    if (rc == SQLITE_DONE) {
        b->done = 1;
        return 0;
    }
    /* BUSY/LOCKED: another connection holds a lock; try again next turn */
    if (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED) return 1;
    return -EIO;
}

int store_backup_finish(struct store_backup *b, char *path, size_t pathlen)
{
    if (!b) return -EINVAL;
    int ok = b->done && sqlite3_backup_finish(b->bk) == SQLITE_OK;
    if (!b->done) sqlite3_backup_finish(b->bk);
    /* one self-contained file: no -wal/-shm beside a backup */
    if (ok)
        ok = sqlite3_exec(b->dst, "PRAGMA journal_mode = DELETE", NULL, NULL, NULL) == SQLITE_OK;
    if (sqlite3_close(b->dst) != SQLITE_OK) ok = 0;
    if (ok && rename(b->tmp, b->final) != 0) ok = 0;
    if (!ok) remove_tmp(b->tmp);
    if (ok && path && pathlen) snprintf(path, pathlen, "%s", b->final);
    free(b);
    return ok ? 0 : -EIO;
}

int store_backup_now(struct store *st, const char *dir, char *path, size_t pathlen, char *err,
                     size_t errlen)
{
    struct store_backup *b;
    int rc = store_backup_begin(st, dir, &b, err, errlen);
    if (rc < 0) return rc;
    /* bounded: a writer elsewhere holding a lock for ever must not hang us */
    for (int i = 0; i < 1000 && (rc = store_backup_step(b, -1)) == 1; i++)
        sqlite3_sleep(5);
    rc = store_backup_finish(b, path, pathlen);
    if (rc < 0) snprintf(err, errlen, "the backup into %s failed", dir);
    return rc;
}

/* The backup names in dir, sorted newest first, malloc'd (free each and the
 * array); *n their count. A missing dir is 0 names. */
static int read_names(const char *dir, char ***out, size_t *n)
{
    *out = NULL;
    *n = 0;
    DIR *d = opendir(dir);
    if (!d) return errno == ENOENT ? 0 : -errno;
    size_t cap = 0;
    struct dirent *de;
    int rc = 0;
    while ((de = readdir(d))) {
        if (!is_backup_name(de->d_name)) continue;
        if (*n == cap) {
            size_t nc = cap ? cap * 2 : 16;
            char **v = realloc(*out, nc * sizeof *v);
            if (!v) {
                rc = -ENOMEM;
                break;
            }
            *out = v;
            cap = nc;
        }
        if (!((*out)[*n] = strdup(de->d_name))) {
            rc = -ENOMEM;
            break;
        }
        (*n)++;
    }
    closedir(d);
    for (size_t i = 1; i < *n; i++) /* insertion sort, descending: few names */
        for (size_t j = i; j > 0 && strcmp((*out)[j - 1], (*out)[j]) < 0; j--) {
            char *t = (*out)[j];
            (*out)[j] = (*out)[j - 1];
            (*out)[j - 1] = t;
        }
    return rc;
}

static void free_names(char **v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(v[i]);
    free(v);
}

int store_backups_list(const char *dir,
                       int (*cb)(const char *path, int64_t bytes, int64_t mtime, void *ud),
                       void *ud)
{
    if (!dir || !cb) return -EINVAL;
    char **v;
    size_t n;
    int rc = read_names(dir, &v, &n);
    for (size_t i = 0; rc == 0 && i < n; i++) {
        char p[PATH_MAX];
        struct stat sb;
        snprintf(p, sizeof p, "%s/%s", dir, v[i]);
        if (stat(p, &sb) != 0) continue;
        rc = cb(p, (int64_t)sb.st_size, (int64_t)sb.st_mtime, ud);
    }
    free_names(v, n);
    return rc;
}

int store_backups_prune(const char *dir, int keep)
{
    if (!dir || keep < 0) return -EINVAL;
    char **v;
    size_t n;
    int rc = read_names(dir, &v, &n);
    int deleted = 0;
    for (size_t i = (size_t)keep; rc == 0 && i < n; i++) {
        char p[PATH_MAX];
        snprintf(p, sizeof p, "%s/%s", dir, v[i]);
        if (unlink(p) == 0) deleted++;
    }
    free_names(v, n);
    return rc < 0 ? rc : deleted;
}

int64_t store_backup_newest(const char *dir)
{
    char **v;
    size_t n;
    int64_t t = 0;
    if (dir && read_names(dir, &v, &n) == 0) {
        if (n) t = name_time(v[0]);
        free_names(v, n);
    }
    return t;
}

/* --------------------------------------------------------------- restore */

struct newest {
    char path[PATH_MAX];
};

static int take_newest(const char *path, int64_t bytes, int64_t mtime, void *ud)
{
    (void)bytes;
    (void)mtime;
    snprintf(((struct newest *)ud)->path, PATH_MAX, "%s", path);
    return 1;
}

/* Opens `path` read-only and quick_checks it: 0, -EBADMSG (why in msg),
 * or -EIO. */
static int check_backup(const char *path, char *why, size_t n)
{
    sqlite3 *db = NULL;
    int rc = -EIO;
    snprintf(why, n, "cannot open it");
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL) == SQLITE_OK) {
        sqlite3_stmt *s = NULL;
        int prc = sqlite3_prepare_v2(db, "PRAGMA quick_check", -1, &s, NULL);
        int step = prc == SQLITE_OK ? sqlite3_step(s) : prc;
        const char *r = step == SQLITE_ROW ? (const char *)sqlite3_column_text(s, 0) : NULL;
        if (r && !strcmp(r, "ok")) {
            rc = 0;
        } else {
            snprintf(why, n, "%s", r ? r : sqlite3_errmsg(db));
            why[strcspn(why, "\n")] = '\0';
            rc = -EBADMSG;
        }
        sqlite3_finalize(s);
    }
    sqlite3_close(db);
    return rc;
}

/* Copies the database at src into the new file dst (0600) with the backup
 * API, leaving dst a rollback-journal database. */
static int copy_db(const char *src, const char *dst)
{
    remove_tmp(dst);
    if (store_file_private(dst, NULL) < 0) return -EIO;
    sqlite3 *in = NULL, *out = NULL;
    int ok =
        sqlite3_open_v2(src, &in, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL) == SQLITE_OK &&
        sqlite3_open_v2(dst, &out, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL) == SQLITE_OK;
    if (ok) {
        sqlite3_backup *b = sqlite3_backup_init(out, "main", in, "main");
        ok = b && sqlite3_backup_step(b, -1) == SQLITE_DONE;
        if (b && sqlite3_backup_finish(b) != SQLITE_OK) ok = 0;
    }
    if (ok) ok = sqlite3_exec(out, "PRAGMA journal_mode = DELETE", NULL, NULL, NULL) == SQLITE_OK;
    sqlite3_close(in);
    if (sqlite3_close(out) != SQLITE_OK) ok = 0;
    if (!ok) remove_tmp(dst);
    return ok ? 0 : -EIO;
}

int store_restore(const char *data_dir, const char *file, char *msg, size_t msglen)
{
    if (!data_dir || !msg || !msglen) return -EINVAL;
    char lock[PATH_MAX], db[PATH_MAX], bdir[PATH_MAX], tmp[PATH_MAX];
    if (snprintf(lock, sizeof lock, "%s/spate.lock", data_dir) >= (int)sizeof lock ||
        snprintf(db, sizeof db, "%s/spate.db", data_dir) >= (int)sizeof db ||
        snprintf(bdir, sizeof bdir, "%s/backups", data_dir) >= (int)sizeof bdir ||
        snprintf(tmp, sizeof tmp, "%s/spate.db.restoring", data_dir) >= (int)sizeof tmp) {
        snprintf(msg, msglen, "data dir path too long: %s", data_dir);
        return -ENAMETOOLONG;
    }
    struct stat sb;
    if (stat(data_dir, &sb) != 0 || !S_ISDIR(sb.st_mode)) {
        snprintf(msg, msglen, "no data directory %s", data_dir);
        return -ENOENT;
    }
    /* held until we are done, so a spate starting meanwhile waits its turn */
    int lfd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (lfd < 0) {
        int e = errno;
        snprintf(msg, msglen, "cannot open %s: %s", lock, strerror(e));
        return -e;
    }
    if (flock(lfd, LOCK_EX | LOCK_NB) != 0) {
        char pid[32] = "";
        ssize_t n = pread(lfd, pid, sizeof pid - 1, 0);
        pid[n > 0 ? n : 0] = '\0';
        pid[strcspn(pid, "\n")] = '\0';
        snprintf(msg, msglen, "spate is running on %s%s%s%s; stop it first (spate quit)", data_dir,
                 *pid ? " (pid " : "", pid, *pid ? ")" : "");
        close(lfd);
        return -EBUSY;
    }
    struct newest nw = {.path = ""};
    if (file)
        snprintf(nw.path, sizeof nw.path, "%s", file);
    else
        store_backups_list(bdir, take_newest, &nw);
    int rc;
    char why[256], ts[32], kept[PATH_MAX + 64] = "";
    if (!*nw.path) {
        snprintf(msg, msglen, "no backup in %s", bdir);
        rc = -ENOENT;
    } else if (stat(nw.path, &sb) != 0 || !S_ISREG(sb.st_mode)) {
        snprintf(msg, msglen, "%s: not a regular file", nw.path);
        rc = -ENOENT;
    } else if ((rc = check_backup(nw.path, why, sizeof why)) < 0) {
        snprintf(msg, msglen, "%s is damaged too (%s); nothing restored", nw.path, why);
    } else if ((rc = copy_db(nw.path, tmp)) < 0) {
        snprintf(msg, msglen, "cannot copy %s to %s", nw.path, tmp);
    } else {
        stamp(time(NULL), ts, sizeof ts);
        snprintf(kept, sizeof kept, "%s.corrupt-%s", db, ts);
        char side[PATH_MAX + 80], kside[PATH_MAX + 96];
        if (rename(db, kept) != 0 && errno != ENOENT) {
            int e = errno;
            snprintf(msg, msglen, "cannot move %s aside: %s", db, strerror(e));
            remove_tmp(tmp);
            close(lfd);
            return -e;
        }
        /* the old -wal belongs to the old file; the -shm is only an index */
        snprintf(side, sizeof side, "%s-wal", db);
        snprintf(kside, sizeof kside, "%s-wal", kept);
        rename(side, kside); /* ENOENT: there was none */
        snprintf(side, sizeof side, "%s-shm", db);
        unlink(side);
        if (rename(tmp, db) != 0) {
            int e = errno;
            snprintf(msg, msglen, "cannot put %s in place: %s", tmp, strerror(e));
            close(lfd);
            return -e;
        }
        if (stat(kept, &sb) == 0)
            snprintf(msg, msglen, "restored %s from %s; the previous database is kept as %s", db,
                     nw.path, kept);
        else
            snprintf(msg, msglen, "restored %s from %s", db, nw.path);
        rc = 0;
    }
    close(lfd);
    return rc;
}
