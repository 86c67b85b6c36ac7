/*
 * path.h — directories on the local filesystem.
 *
 * No shared state: any thread. It does blocking system calls: on the loop
 * thread only for spate's own directories (data, downloads, the mount
 * point), never for a path that could be on spate's own FUSE mount.
 */
#ifndef SPATE_UTIL_PATH_H
#define SPATE_UTIL_PATH_H

#include <sys/types.h>

/* mkdir -p: creates path and its missing parents with `mode` (minus the
 * umask). 0 if it exists or was created (an existing non-directory is not
 * detected here: callers stat it); -ENAMETOOLONG past PATH_MAX; else
 * -errno of the mkdir that failed (-ENOTDIR when a parent is a file). */
int util_mkdir_p(const char *path, mode_t mode);

#endif
