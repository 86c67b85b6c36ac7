/*
 * safefile.c — open and read a user-named file without blocking on open()
 * and refusing FIFOs, devices, directories, oversized files and files in
 * spate's own mount (safefile.h).
 */
#include "engine/safefile.h"
#include "util/str.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *kind(mode_t m)
{
    if (S_ISDIR(m)) return "a directory";
    if (S_ISFIFO(m)) return "a FIFO";
    if (S_ISCHR(m)) return "a character device";
    if (S_ISBLK(m)) return "a block device";
    if (S_ISSOCK(m)) return "a socket";
    return "not a regular file";
}

int eng_safe_open(const char *path, const char *what, int64_t max_bytes, const char *limit_key,
                  const char *mount_dir, int64_t *size, char *err, size_t errlen)
{
    if (err && errlen) err[0] = '\0';
    if (!what) what = "file";
    if (!path || !*path) return util_fail(err, errlen, -EINVAL, "no %s given", what);
    /* a device is never even opened (opening some has side effects: a
     * tape rewinds, a watchdog arms); stat does not block on a FIFO */
    struct stat pre;
    if (stat(path, &pre) == 0 && !S_ISREG(pre.st_mode))
        return util_fail(err, errlen, -EINVAL, "%s %.300s is %s: only a regular file is read", what,
                         path, kind(pre.st_mode));
    /* O_NONBLOCK: should the path have become a FIFO since, opening it
     * without a writer returns at once; it changes nothing for the reads
     * of a regular file, which is all that is accepted below (fstat of the
     * open descriptor: no race between the check and the read) */
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
    if (fd < 0) {
        int e = errno;
        return util_fail(err, errlen, -e, "cannot open %s %.300s: %s", what, path, strerror(e));
    }
    struct stat sb;
    if (fstat(fd, &sb) != 0) {
        int e = errno;
        close(fd);
        return util_fail(err, errlen, -e, "cannot stat %s %.300s: %s", what, path, strerror(e));
    }
    if (!S_ISREG(sb.st_mode)) {
        close(fd);
        return util_fail(err, errlen, -EINVAL, "%s %.300s is %s: only a regular file is read", what,
                         path, kind(sb.st_mode));
    }
    if (max_bytes >= 0 && (int64_t)sb.st_size > max_bytes) {
        close(fd);
        return util_fail(err, errlen, -EFBIG,
                         "%s %.300s is %lld bytes, over the limit of %lld%s%s%s", what, path,
                         (long long)sb.st_size, (long long)max_bytes, limit_key ? " (" : "",
                         limit_key ? limit_key : "", limit_key ? ")" : "");
    }
    struct stat mb;
    if (mount_dir && *mount_dir && stat(mount_dir, &mb) == 0 && mb.st_dev == sb.st_dev) {
        close(fd);
        return util_fail(err, errlen, -EDEADLK,
                         "%s %.300s lies inside spate's own mount %.300s: copy it out first", what,
                         path, mount_dir);
    }
    if (size) *size = (int64_t)sb.st_size;
    return fd;
}

int eng_safe_read(const char *path, const char *what, int64_t max_bytes, const char *limit_key,
                  const char *mount_dir, void **out, size_t *n, char *err, size_t errlen)
{
    *out = NULL;
    *n = 0;
    int64_t size = 0;
    int fd = eng_safe_open(path, what, max_bytes, limit_key, mount_dir, &size, err, errlen);
    if (fd < 0) return fd;
    /* the file may change under us: read up to max_bytes + 1 to notice a
     * file that grew past the limit, and stop at end of file */
    size_t cap = (size_t)size + 1, got = 0;
    char *buf = malloc(cap + 1);
    if (!buf) {
        close(fd);
        return util_fail(err, errlen, -ENOMEM, "out of memory");
    }
    for (;;) {
        if (got == cap) {
            if (max_bytes >= 0 && (int64_t)got > max_bytes) {
                free(buf);
                close(fd);
                return util_fail(err, errlen, -EFBIG, "%s %.300s grew over the limit of %lld bytes",
                                 what ? what : "file", path, (long long)max_bytes);
            }
            size_t ncap = cap * 2;
            if (max_bytes >= 0 && (int64_t)ncap > max_bytes + 1) ncap = (size_t)max_bytes + 1;
            char *nb = ncap > cap ? realloc(buf, ncap + 1) : NULL;
            if (!nb) {
                free(buf);
                close(fd);
                return util_fail(err, errlen, -ENOMEM, "out of memory");
            }
            buf = nb;
            cap = ncap;
        }
        ssize_t r = read(fd, buf + got, cap - got);
        if (r < 0 && errno == EINTR) continue;
        if (r < 0) {
            int e = errno;
            free(buf);
            close(fd);
            return util_fail(err, errlen, -e, "cannot read %s %.300s: %s", what ? what : "file",
                             path, strerror(e));
        }
        if (r == 0) break;
        got += (size_t)r;
    }
    close(fd);
    buf[got] = '\0';
    *out = buf;
    *n = got;
    return 0;
}
