/*
 * fs_int.h — the FUSE bridge's private state, shared by src/fuse/ only.
 *
 * Two kinds of threads meet here:
 *  - the loop thread (bridge.c) builds a struct fs_tor when a torrent's
 *    metadata is known, publishes immutable root tables (struct fs_table),
 *    sets the verified-piece bytes and broadcasts the torrent's condition
 *    variable, and serves the requests FUSE threads queue;
 *  - the FUSE threads (ops.c) resolve inodes through the current table, read
 *    files with pread/splice and wait for pieces.
 * Fields marked "shared" are atomics or guarded as their comment says;
 * everything else of a fs_tor is immutable once published.
 */
#ifndef SPATE_INTERNAL_FUSE
#error                                                                                             \
    "fuse/fs_int.h is private to src/fuse/ (docs/architecture.md); a unit test that needs it defines SPATE_INTERNAL_FUSE"
#endif
#ifndef SPATE_FS_INT_H
#define SPATE_FS_INT_H

#define FUSE_USE_VERSION 35

#include "engine/engine.h"
#include "fuse/fs.h"
#include "fuse/pieces.h"
#include "util/file_tree.h"

#include <fuse_lowlevel.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <time.h>

#define FS_THREADS 32 /* FUSE worker threads: blocked readers each hold one */

/* Inode numbers: the root is FUSE_ROOT_ID (1); node n of the torrent with
 * slot s is (s << 32) | n. Slots are never reused within a mount, so the
 * kernel never sees one inode number name two different files. */
#define FS_INO(slot, node) (((uint64_t)(slot) << 32) | (uint64_t)(node))
#define FS_INO_SLOT(ino) ((uint64_t)(ino) >> 32)
#define FS_INO_NODE(ino) ((uint32_t)((uint64_t)(ino)&0xffffffffu))

struct fs_tfile {
    int64_t offset, size; /* bytes, in the torrent */
    char *disk_path;      /* where libtorrent writes it */
    bool pad;             /* BEP 47 pad file (not in the tree) */
};

/* One torrent as the mount sees it. Reference-counted: held by the live set
 * (loop thread), by each table that lists it and by each open file. */
struct fs_tor {
    atomic_int refs;
    int id;        /* engine id */
    uint64_t slot; /* inode high bits */
    char info_hash[65];
    char *dirname; /* its directory's name at the root */
    struct fs_tree tree;
    struct fs_geom geom;
    struct fs_tfile *files; /* by libtorrent file index */
    size_t n_files;
    int64_t added_time;

    /* shared: written by the loop thread, read by FUSE threads */
    _Atomic uint8_t *have; /* [geom.num_pieces]: 1 once written and verified */
    atomic_int n_have;
    atomic_int state;            /* enum eng_state */
    atomic_bool paused;          /* paused by the user */
    atomic_bool gone;            /* removed, or the mount is going away */
    atomic_llong progress_ppm;   /* of the wanted bytes, millionths */
    atomic_llong completed_time; /* s since the epoch, 0 if never */
    atomic_int open_files;       /* open file handles (rmdir gives EBUSY) */
    atomic_llong last_log_s;     /* rate limit of health-log lines from readers */
    /* readers wait on cond (with mu) for pieces; the loop thread broadcasts */
    pthread_mutex_t mu;
    pthread_cond_t cond;
};

/* The root directory at one moment: immutable, reference-counted. */
struct fs_table {
    atomic_int refs;
    size_t n;
    struct fs_tor **by_name; /* sorted by dirname (strcmp) */
    struct fs_tor **by_slot; /* sorted by slot */
};

enum fs_req_kind {
    FS_REQ_FETCH,  /* set deadlines / raise priority / maybe resume */
    FS_REQ_LOG,    /* write msg to the health log */
    FS_REQ_REMOVE, /* rmdir: remove the torrent; the sender waits on done */
};

/* A request from a FUSE thread to the loop thread, heap-allocated. FETCH
 * and LOG are freed by the loop thread. REMOVE is completed (done, rc)
 * under tor->mu with a broadcast and freed by its sender, unless the sender
 * gave up waiting (abandoned, under tor->mu): then the loop thread frees it. */
struct fs_req {
    enum fs_req_kind kind;
    struct fs_tor *tor; /* a reference owned by the request */
    int file;           /* libtorrent file index (FETCH) */
    struct fs_ra_plan plan;
    int32_t dl_first, dl_last; /* pieces that get deadlines (FETCH); dl_first -1: none */
    bool resume;               /* resume the paused torrent (FETCH) */
    char msg[320];             /* LOG */
    bool done, abandoned;      /* REMOVE, under tor->mu */
    int rc;
    struct fs_req *next;
};

struct fs {
    uv_loop_t *loop;
    struct eng *eng;
    char *dir;
    time_t mounted_at; /* the root's times */
    struct fuse_session *se;
    pthread_t threads[FS_THREADS];
    int n_threads;
    atomic_bool stopping;

    /* the current root table, swapped by the loop thread under the write
     * lock; FUSE threads take a reference under the read lock (briefly,
     * never around a wait or an I/O) */
    pthread_rwlock_t tab_lock;
    struct fs_table *tab;

    /* loop thread only */
    struct fs_tor **live; /* torrents in the mount, sorted by id */
    size_t n_live, cap_live;
    uint64_t next_slot;

    /* requests from FUSE threads */
    uv_async_t async;
    bool async_ready;
    pthread_mutex_t q_mu;
    struct fs_req *q_head, *q_tail;

    /* settings, refreshed by the loop thread on ENG_EV_SETTINGS */
    atomic_llong readahead; /* bytes */
    atomic_int timeout_s;   /* a read's wait for pieces */
    atomic_bool resume_paused;
    atomic_bool allow_remove;
    atomic_bool prefetch_ends;
};

/* bridge.c (loop thread unless said otherwise) */
int fs_bridge_start(struct fs *fs);
void fs_bridge_stop(struct fs *fs); /* marks every torrent gone, wakes all waiters */
void fs_bridge_free(struct fs *fs); /* after the FUSE threads ended */
/* Any thread. */
void fs_tor_ref(struct fs_tor *t);
void fs_tor_unref(struct fs_tor *t);
struct fs_table *fs_table_get(struct fs *fs); /* a reference to the current table */
void fs_table_unref(struct fs_table *tab);
struct fs_tor *fs_table_slot(const struct fs_table *tab, uint64_t slot);    /* borrowed */
struct fs_tor *fs_table_name(const struct fs_table *tab, const char *name); /* borrowed */
/* Queues a request and wakes the loop thread (any thread). */
void fs_post(struct fs *fs, struct fs_req *r);

/* ops.c */
extern const struct fuse_lowlevel_ops fs_ops;

#endif
