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
    bool read_only;        /* mounted "ro" at the kernel level (no rmdir then) */
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

/* ---- the mount policy (policy.c) ----
 * fs_policy_start: mounts as the settings say (spate.mount, spate.mount_dir,
 * spate.fuse_allow_other, spate.fuse_allow_remove) and follows them: after
 * each ENG_EV_SETTINGS where one of them changed, the mount is unmounted
 * and mounted again (a new place, allow_other on or off, read-only unless
 * spate.fuse_allow_remove). Every mount point passes eng_mount_dir_check;
 * a refused spate.mount_dir falls back to the default place
 * (fs_policy_default_dir), a refused default to no mount, each with a
 * line in the health log. A mount that fails leaves spate running without
 * it (the status says why: eng_set_mount_status) until the settings
 * change. verbose: also print those lines on stderr (the daemon). The
 * engine is borrowed and must outlive the policy. 0, -EINVAL, -ENOMEM.
 * fs_policy_sync: the same check now (fs_policy_start registers it as an
 * engine listener). fs_policy_stop: unmounts and frees; NULL is allowed.
 * Loop thread only. */
struct fs_policy;
int fs_policy_start(uv_loop_t *loop, struct eng *e, bool verbose, struct fs_policy **out);
void fs_policy_sync(struct fs_policy *p);
void fs_policy_stop(struct fs_policy *p);

/* The default mount point: RUNTIME_DIR/spate/mnt (runtime_dir is
 * $XDG_RUNTIME_DIR, NULL or "" when unset), else DATA_DIR/mnt. 0, or
 * -ENAMETOOLONG with out "". Pure. */
int fs_policy_default_dir(const char *runtime_dir, const char *data_dir, char *out, size_t n);

#endif
