/*
 * fs.h — the FUSE mount: every torrent's files, readable while they download.
 *
 * fs_mount() mounts a read-only filesystem (libfuse3, low-level API) whose
 * root holds one directory per torrent with metadata, each holding the
 * torrent's own file tree. Requests are served by a pool of FUSE threads
 * owned by this module; they read immutable snapshots of the torrents
 * published by the loop thread, read verified pieces straight from the files
 * on disk and, for missing pieces, ask the loop thread (uv_async) to set
 * piece deadlines, then wait on a per-torrent condition variable that the
 * loop thread signals as pieces are verified (docs/architecture.md, "The
 * FUSE bridge").
 *
 * Thread-safety: fs_mount() and fs_unmount() are called on the loop thread
 * that runs `e`; everything else happens inside.
 */
#ifndef SPATE_FS_H
#define SPATE_FS_H

#include <stdbool.h>
#include <stddef.h>
#include <uv.h>

struct eng;
struct fs;

struct fs_options {
    const char *mount_dir; /* absolute path of an existing directory */
    bool allow_other;      /* FUSE allow_other: other users may read the mount */
};

/* Cleans a stale mount left at `dir` by a process that died (a FUSE mount
 * whose server is gone: stat gives ENOTCONN). Returns 1 if one was
 * cleaned, 0 if there was none, -EBUSY if `dir` is a live mount (another
 * process serves it), another negative errno on failure; err gets a
 * one-line message whenever the return is not 0. */
int fs_clean_stale(const char *dir, char *err, size_t errlen);

/* Mounts at o->mount_dir (cleaning a stale mount first) and starts the FUSE
 * threads. The engine is borrowed and must outlive the mount. On success
 * *out is released with fs_unmount(). Errors: -EBUSY (already mounted),
 * -ENODEV (no /dev/fuse), -EACCES, ...; err gets one line. */
int fs_mount(uv_loop_t *loop, struct eng *e, const struct fs_options *o, struct fs **out, char *err,
             size_t errlen);

/* Wakes every waiting reader (their reads fail with EIO), stops the FUSE
 * threads and unmounts. Blocks the loop thread briefly; NULL is allowed.
 * The loop must run once afterwards so the module's handle closes. */
void fs_unmount(struct fs *fs);

/* The mount point, borrowed from fs. */
const char *fs_dir(const struct fs *fs);

#endif
