/*
 * file_tree.h — a torrent's file list as a tree with safe names: the
 * pure code the FUSE mount (its inodes) and the TUI's Files tab (what it
 * shows) share, so both name a torrent's files the same way.
 *
 * Safe names: names.c; the tree: file_tree.c. Nothing here touches
 * libfuse, libtorrent, the engine or threads: every function is a pure
 * computation over its arguments, so the FUSE threads can use the results
 * freely (a built tree is immutable) and the unit tests
 * (tests/unit/test_fs_tree.c) can check them directly. The fs_ prefix
 * stays from the mount, where this code was born.
 */
#ifndef SPATE_UTIL_FILE_TREE_H
#define SPATE_UTIL_FILE_TREE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define FS_NAME_MAX 255 /* bytes of one path component, as NAME_MAX */

/* Makes one path component safe to show in the mount: writes a
 * NUL-terminated name of at most FS_NAME_MAX bytes (and outlen-1) to out.
 *  - '/' and each control character (C0 0x00-0x1f, DEL 0x7f, and C1
 *    U+0080-009F encoded as UTF-8, util_is_control()) become one '_';
 *  - bytes that are not valid UTF-8 become '_' (one per bad byte);
 *  - "" becomes "_", "." becomes "_", ".." becomes "__";
 *  - an over-long name is cut on a UTF-8 character boundary.
 * `in` has `len` bytes (need not be NUL-terminated). Returns the length
 * written. outlen must be >= 2. */
size_t fs_sanitize_name(const char *in, size_t len, char *out, size_t outlen);

/* The name of a torrent's directory at the root of the mount: the
 * sanitized torrent name, or with `clash` set the same followed by
 * " [" + the first 8 hex digits of info_hash + "]" (the suffix is kept
 * whole; the name part is cut to fit FS_NAME_MAX). */
void fs_torrent_dir_name(const char *torrent_name, const char *info_hash, bool clash, char *out,
                         size_t outlen);

/* One node of a torrent's tree. Node 0 is the torrent's own directory. */
struct fs_node {
    const char *name;     /* sanitized, unique within its directory; node 0: "" */
    uint32_t parent;      /* node index; node 0's parent is itself */
    uint32_t first_child; /* index into fs_tree.children of the first child */
    uint32_t n_children;  /* 0 for files */
    int32_t file;         /* libtorrent file index, -1 for directories */
    int64_t size;         /* bytes; directories: sum of their files */
    uint32_t n_subdirs;   /* directories directly inside (for st_nlink) */
};

/* An immutable tree built from a torrent's file list (file_storage). */
struct fs_tree {
    struct fs_node *nodes;
    uint32_t n_nodes;
    uint32_t *children; /* per directory: its children's node indices, sorted by name (strcmp) */
    char *names;        /* storage for the node names */
};

/* One entry of the torrent's file list, as libtorrent gives it. */
struct fs_file_in {
    const char *path; /* '/'-separated; for a multi-file torrent it starts with the torrent's
                         own directory name, which is stripped (node 0 stands for it) */
    int64_t size;     /* bytes */
    bool pad;         /* BEP 47 pad file: left out of the tree */
};

/* Builds the tree of n files. Every path component is sanitized with
 * fs_sanitize_name(); empty components are skipped; when two entries of one
 * directory end up with the same name, later ones get "~2", "~3", ... before
 * their extension ("a.txt" -> "a~2.txt"); a file and a directory of the same
 * name are disambiguated the same way. multi_file: strip each path's first
 * component. 0 or -ENOMEM; on success release with fs_tree_free(). */
int fs_tree_build(const struct fs_file_in *files, size_t n, bool multi_file, struct fs_tree *out);
void fs_tree_free(struct fs_tree *t);

/* The child of directory node `dir` named `name` (binary search), or -1. */
int64_t fs_tree_lookup(const struct fs_tree *t, uint32_t dir, const char *name);

#endif
