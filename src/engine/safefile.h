/*
 * safefile.h — opening and reading a file a user named, without ever
 * blocking the caller on open() and without reading what is not a small
 * regular file.
 *
 * A path a user gives (a .torrent to add, a blocklist, a theme) may be a
 * FIFO (open blocks until a writer comes), a device (/dev/zero never
 * ends), a directory, a huge file, or a file inside spate's own FUSE mount
 * (a read there waits for pieces that only the loop thread can fetch).
 * These helpers open with O_NONBLOCK|O_NOCTTY|O_CLOEXEC, fstat the open
 * descriptor (no race between the check and the read), and refuse all of
 * these with a one-line message. Reading a regular file can still be slow
 * (a network filesystem): the engine calls eng_safe_read from a worker
 * thread, never from the loop.
 *
 * No shared state: any thread.
 */
#ifndef SPATE_ENGINE_SAFEFILE_H
#define SPATE_ENGINE_SAFEFILE_H

#include <stddef.h>
#include <stdint.h>

/* Opens path for reading without blocking: O_RDONLY|O_NONBLOCK|O_NOCTTY|
 * O_CLOEXEC, then fstat. Refuses, with a one-line message in err (errlen
 * bytes, may be NULL/0) naming `what` ("IP filter file", ".torrent file"):
 *  - a path that cannot be opened: -errno ("cannot open PATH: ..."),
 *  - anything but a regular file (FIFO, device, socket, directory): -EINVAL,
 *  - a file over max_bytes (max_bytes >= 0; the message names limit_key,
 *    the setting that holds the limit, when not NULL): -EFBIG,
 *  - when mount_dir is a non-empty path, a file on the same device as
 *    mount_dir (spate's own FUSE mount): -EDEADLK. mount_dir is stat()ed
 *    here; if that fails (no mount) the check is skipped.
 * On success returns the descriptor (>= 0; the caller closes it; reads
 * block normally on a regular file) and its size in *size (may be NULL). */
int eng_safe_open(const char *path, const char *what, int64_t max_bytes, const char *limit_key,
                  const char *mount_dir, int64_t *size, char *err, size_t errlen);

/* eng_safe_open, then reads the whole file into a malloc'd buffer *out
 * (the caller frees it; one spare NUL byte after the data) of *n bytes. A
 * file that grew past max_bytes while being read is refused (-EFBIG); a
 * read error is -errno. Same errors and message as eng_safe_open
 * otherwise; *out is NULL on error. Blocks on slow storage: call it from a
 * worker thread, never from the loop. */
int eng_safe_read(const char *path, const char *what, int64_t max_bytes, const char *limit_key,
                  const char *mount_dir, void **out, size_t *n, char *err, size_t errlen);

#endif
