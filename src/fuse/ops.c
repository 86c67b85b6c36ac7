/*
 * ops.c — the FUSE low-level operations, run on the FUSE threads.
 *
 * Inodes are computed, not allocated: the root is 1 and node n of the
 * torrent in slot s is (s << 32) | n (fs_int.h), resolved through the
 * current root table. Nothing is remembered per lookup, so forget is free.
 *
 * The read path takes no lock shared by other files: an open file holds a
 * reference to its torrent, checks the verified-piece bytes, queues a
 * request for deadlines when pieces are missing (fs_post) and waits on its
 * torrent's condition variable; the data comes from the file on disk,
 * spliced by libfuse where it can.
 *
 * Everything is read-only: writes, creates, renames, setattr and xattr
 * changes get EROFS. rmdir of a torrent's directory removes the torrent when
 * spate.fuse_allow_remove is set.
 */
#include "fuse/fs_int.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <time.h>
#include <unistd.h>

#define ROOT_ENTRY_TIMEOUT 1.0 /* s: torrents come and go */
#define TREE_TIMEOUT 60.0      /* s: a torrent's tree never changes */
#define LOG_EVERY_S 10         /* at most one health-log line per torrent per 10 s */

/* An open file. */
struct fs_fh {
    struct fs_tor *tor; /* a reference */
    uint32_t node;
    int file;           /* libtorrent file index */
    bool nonblock;      /* opened O_NONBLOCK: EAGAIN instead of waiting */
    pthread_mutex_t mu; /* guards ra, sent_last and fd: the kernel may read one file in parallel */
    struct fs_ra ra;
    int32_t sent_last; /* the last piece this file already asked deadlines for, -1 none */
    int fd;            /* the file on disk, opened at the first read; -1 */
};

/* A directory opened for readdir: the table it lists (the root) or the
 * torrent it belongs to. */
struct fs_dh {
    struct fs_table *tab; /* root */
    struct fs_tor *tor;   /* torrent directory */
};

static struct fs *fs_of(fuse_req_t req)
{
    return fuse_req_userdata(req);
}

/* Resolves a non-root inode to its torrent (a new reference) and node. */
static struct fs_tor *resolve(struct fs *fs, fuse_ino_t ino, uint32_t *node)
{
    struct fs_table *tab = fs_table_get(fs);
    struct fs_tor *t = fs_table_slot(tab, FS_INO_SLOT(ino));
    if (t) {
        if (FS_INO_NODE(ino) >= t->tree.n_nodes)
            t = NULL;
        else
            fs_tor_ref(t);
    }
    fs_table_unref(tab);
    if (node) *node = FS_INO_NODE(ino);
    return t;
}

static void fill_root_attr(struct fs *fs, struct stat *st)
{
    struct fs_table *tab = fs_table_get(fs);
    memset(st, 0, sizeof *st);
    st->st_ino = FUSE_ROOT_ID;
    st->st_mode = S_IFDIR | 0555;
    st->st_nlink = 2 + (nlink_t)tab->n;
    st->st_mtime = st->st_ctime = st->st_atime = fs->mounted_at;
    st->st_uid = getuid();
    st->st_gid = getgid();
    fs_table_unref(tab);
}

static void fill_attr(const struct fs_tor *t, uint32_t node, struct stat *st)
{
    const struct fs_node *n = &t->tree.nodes[node];
    memset(st, 0, sizeof *st);
    st->st_ino = FS_INO(t->slot, node);
    st->st_uid = getuid();
    st->st_gid = getgid();
    long long done = atomic_load(&((struct fs_tor *)t)->completed_time);
    st->st_mtime = st->st_ctime = st->st_atime = done ? done : t->added_time;
    if (n->file >= 0) {
        st->st_mode = S_IFREG | 0444;
        st->st_nlink = 1;
        st->st_size = n->size;
        st->st_blocks = (n->size + 511) / 512;
        st->st_blksize = 128 * 1024;
    } else {
        st->st_mode = S_IFDIR | 0555;
        st->st_nlink = 2 + n->n_subdirs;
        st->st_size = 4096;
    }
}

static void reply_entry(fuse_req_t req, const struct fs_tor *t, uint32_t node, double timeout)
{
    struct fuse_entry_param e;
    memset(&e, 0, sizeof e);
    e.ino = FS_INO(t->slot, node);
    e.generation = 1;
    fill_attr(t, node, &e.attr);
    e.attr_timeout = node == 0 ? ROOT_ENTRY_TIMEOUT : TREE_TIMEOUT;
    e.entry_timeout = timeout;
    fuse_reply_entry(req, &e);
}

static void op_lookup(fuse_req_t req, fuse_ino_t parent, const char *name)
{
    struct fs *fs = fs_of(req);
    if (parent == FUSE_ROOT_ID) {
        struct fs_table *tab = fs_table_get(fs);
        struct fs_tor *t = fs_table_name(tab, name);
        if (t)
            reply_entry(req, t, 0, ROOT_ENTRY_TIMEOUT);
        else
            fuse_reply_err(req, ENOENT);
        fs_table_unref(tab);
        return;
    }
    uint32_t dir;
    struct fs_tor *t = resolve(fs, parent, &dir);
    if (!t) {
        fuse_reply_err(req, ENOENT);
        return;
    }
    int64_t child = t->tree.nodes[dir].file >= 0 ? -1 : fs_tree_lookup(&t->tree, dir, name);
    if (child < 0)
        fuse_reply_err(req, t->tree.nodes[dir].file >= 0 ? ENOTDIR : ENOENT);
    else
        reply_entry(req, t, (uint32_t)child, TREE_TIMEOUT);
    fs_tor_unref(t);
}

static void op_getattr(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
    (void)fi;
    struct fs *fs = fs_of(req);
    struct stat st;
    if (ino == FUSE_ROOT_ID) {
        fill_root_attr(fs, &st);
        fuse_reply_attr(req, &st, ROOT_ENTRY_TIMEOUT);
        return;
    }
    uint32_t node;
    struct fs_tor *t = resolve(fs, ino, &node);
    if (!t) {
        fuse_reply_err(req, ENOENT);
        return;
    }
    fill_attr(t, node, &st);
    fuse_reply_attr(req, &st, node == 0 ? ROOT_ENTRY_TIMEOUT : TREE_TIMEOUT);
    fs_tor_unref(t);
}

/* ------------------------------------------------------------ directories */

static void op_opendir(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
    struct fs *fs = fs_of(req);
    struct fs_dh *dh = calloc(1, sizeof *dh);
    if (!dh) {
        fuse_reply_err(req, ENOMEM);
        return;
    }
    if (ino == FUSE_ROOT_ID) {
        dh->tab = fs_table_get(fs); /* a stable listing across readdir calls */
    } else {
        uint32_t node;
        dh->tor = resolve(fs, ino, &node);
        if (!dh->tor || dh->tor->tree.nodes[node].file >= 0) {
            int err = dh->tor ? ENOTDIR : ENOENT;
            fs_tor_unref(dh->tor);
            free(dh);
            fuse_reply_err(req, err);
            return;
        }
    }
    fi->fh = (uintptr_t)dh;
    fuse_reply_open(req, fi);
}

/* Adds one entry; returns false when the buffer is full. */
static bool add_entry(fuse_req_t req, char *buf, size_t size, size_t *used, const char *name,
                      uint64_t ino, bool dir, off_t next)
{
    struct stat st;
    memset(&st, 0, sizeof st);
    st.st_ino = ino;
    st.st_mode = dir ? S_IFDIR : S_IFREG;
    size_t need = fuse_add_direntry(req, NULL, 0, name, NULL, 0);
    if (*used + need > size) return false;
    fuse_add_direntry(req, buf + *used, size - *used, name, &st, next);
    *used += need;
    return true;
}

static void op_readdir(fuse_req_t req, fuse_ino_t ino, size_t size, off_t off,
                       struct fuse_file_info *fi)
{
    struct fs_dh *dh = (struct fs_dh *)(uintptr_t)fi->fh;
    char *buf = malloc(size);
    if (!buf) {
        fuse_reply_err(req, ENOMEM);
        return;
    }
    size_t used = 0;
    /* offsets: 1 after ".", 2 after "..", 3 + i after child i */
    if (off < 1 && !add_entry(req, buf, size, &used, ".", ino, true, 1)) goto out;
    if (off < 2 && !add_entry(req, buf, size, &used, "..", FUSE_ROOT_ID, true, 2)) goto out;
    if (dh->tab) {
        for (size_t i = off > 2 ? (size_t)off - 2 : 0; i < dh->tab->n; i++) {
            const struct fs_tor *t = dh->tab->by_name[i];
            if (!add_entry(req, buf, size, &used, t->dirname, FS_INO(t->slot, 0), true,
                           (off_t)(i + 3)))
                break;
        }
    } else {
        const struct fs_tree *tr = &dh->tor->tree;
        const struct fs_node *d = &tr->nodes[FS_INO_NODE(ino)];
        for (size_t i = off > 2 ? (size_t)off - 2 : 0; i < d->n_children; i++) {
            uint32_t c = tr->children[d->first_child + i];
            if (!add_entry(req, buf, size, &used, tr->nodes[c].name, FS_INO(dh->tor->slot, c),
                           tr->nodes[c].file < 0, (off_t)(i + 3)))
                break;
        }
    }
out:
    fuse_reply_buf(req, buf, used);
    free(buf);
}

static void op_releasedir(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
    (void)ino;
    struct fs_dh *dh = (struct fs_dh *)(uintptr_t)fi->fh;
    if (dh) {
        fs_table_unref(dh->tab);
        fs_tor_unref(dh->tor);
        free(dh);
    }
    fuse_reply_err(req, 0);
}

/* ------------------------------------------------------------------ files */

static void op_open(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
    struct fs *fs = fs_of(req);
    if ((fi->flags & O_ACCMODE) != O_RDONLY || (fi->flags & O_TRUNC)) {
        fuse_reply_err(req, EROFS);
        return;
    }
    if (ino == FUSE_ROOT_ID) {
        fuse_reply_err(req, EISDIR);
        return;
    }
    uint32_t node;
    struct fs_tor *t = resolve(fs, ino, &node);
    if (!t) {
        fuse_reply_err(req, ENOENT);
        return;
    }
    if (t->tree.nodes[node].file < 0) {
        fs_tor_unref(t);
        fuse_reply_err(req, EISDIR);
        return;
    }
    struct fs_fh *fh = calloc(1, sizeof *fh);
    if (!fh) {
        fs_tor_unref(t);
        fuse_reply_err(req, ENOMEM);
        return;
    }
    fh->tor = t;
    fh->node = node;
    fh->file = t->tree.nodes[node].file;
    fh->nonblock = (fi->flags & O_NONBLOCK) != 0;
    fh->fd = -1;
    fh->sent_last = -1;
    fh->ra.next_off = -1;
    fh->ra.win_first = fh->ra.win_last = -1;
    pthread_mutex_init(&fh->mu, NULL);
    atomic_fetch_add(&t->open_files, 1);
    fi->fh = (uintptr_t)fh;
    fi->keep_cache = 1; /* verified torrent data never changes */
    fuse_reply_open(req, fi);
}

static void op_release(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
    (void)ino;
    struct fs_fh *fh = (struct fs_fh *)(uintptr_t)fi->fh;
    if (fh) {
        if (fh->fd >= 0) close(fh->fd);
        atomic_fetch_sub(&fh->tor->open_files, 1);
        fs_tor_unref(fh->tor);
        pthread_mutex_destroy(&fh->mu);
        free(fh);
    }
    fuse_reply_err(req, 0);
}

static bool all_have(struct fs_tor *t, int32_t first, int32_t last)
{
    for (int32_t i = first; i >= 0 && i <= last; i++)
        if (!atomic_load(&t->have[i])) return false;
    return true;
}

/* Queues a health-log line for torrent t, at most one per LOG_EVERY_S. */
static void log_reader(struct fs *fs, struct fs_tor *t, const char *msg)
{
    long long now = (long long)time(NULL);
    long long last = atomic_load(&t->last_log_s);
    if (now - last < LOG_EVERY_S || !atomic_compare_exchange_strong(&t->last_log_s, &last, now))
        return;
    struct fs_req *r = calloc(1, sizeof *r);
    if (!r) return;
    r->kind = FS_REQ_LOG;
    fs_tor_ref(t);
    r->tor = t;
    snprintf(r->msg, sizeof r->msg, "%s", msg);
    fs_post(fs, r);
}

/* Asks the loop thread for deadlines on the pieces this read needs and its
 * read-ahead, skipping those already asked for by this file. Called with
 * fh->mu held; cheap when every piece is there. */
static void request_pieces(struct fs *fs, struct fs_fh *fh, const struct fs_ra_plan *p,
                           bool missing, bool resume)
{
    struct fs_tor *t = fh->tor;
    int32_t first = p->need_first >= 0 ? p->need_first : p->ra_first;
    int32_t last = p->ra_first >= 0 ? p->ra_last : p->need_last;
    if (first < 0) return;
    if (p->reset) fh->sent_last = -1;
    /* pieces up to sent_last already have deadlines, unless needed now */
    int32_t dl_first = missing ? first : (fh->sent_last >= first ? fh->sent_last + 1 : first);
    if (!missing && !p->reset && all_have(t, dl_first, last)) return;
    if (dl_first > last && !p->reset && !resume) return;
    struct fs_req *r = calloc(1, sizeof *r);
    if (!r) return;
    r->kind = FS_REQ_FETCH;
    fs_tor_ref(t);
    r->tor = t;
    r->file = fh->file;
    r->plan = *p;
    r->dl_first = dl_first <= last ? dl_first : -1;
    r->dl_last = last;
    r->resume = resume;
    if (last > fh->sent_last) fh->sent_last = last;
    fs_post(fs, r);
}

static int open_disk(struct fs_fh *fh)
{
    if (fh->fd >= 0) return 0;
    fh->fd = open(fh->tor->files[fh->file].disk_path, O_RDONLY | O_CLOEXEC);
    return fh->fd >= 0 ? 0 : -errno;
}

/* Waits until pieces [first, last] are verified, the torrent goes away, or
 * the timeout passes. 0, -EIO (gone) or -ETIMEDOUT. */
static int wait_pieces(struct fs *fs, struct fs_tor *t, int32_t first, int32_t last)
{
    struct timespec until;
    clock_gettime(CLOCK_MONOTONIC, &until);
    until.tv_sec += atomic_load(&fs->timeout_s);
    int rc = 0;
    pthread_mutex_lock(&t->mu);
    while (!all_have(t, first, last)) {
        if (atomic_load(&t->gone) || atomic_load(&fs->stopping)) {
            rc = -EIO;
            break;
        }
        if (pthread_cond_timedwait(&t->cond, &t->mu, &until) == ETIMEDOUT &&
            !all_have(t, first, last)) {
            rc = -ETIMEDOUT;
            break;
        }
    }
    pthread_mutex_unlock(&t->mu);
    return rc;
}

static void op_read(fuse_req_t req, fuse_ino_t ino, size_t size, off_t off,
                    struct fuse_file_info *fi)
{
    (void)ino;
    struct fs *fs = fs_of(req);
    struct fs_fh *fh = (struct fs_fh *)(uintptr_t)fi->fh;
    struct fs_tor *t = fh->tor;
    const struct fs_tfile *f = &t->files[fh->file];
    char msg[320];
    if (atomic_load(&t->gone)) {
        fuse_reply_err(req, EIO);
        return;
    }
    if (off < 0 || off >= f->size || size == 0) {
        fuse_reply_buf(req, NULL, 0);
        return;
    }
    size_t len = (int64_t)size > f->size - off ? (size_t)(f->size - off) : size;

    pthread_mutex_lock(&fh->mu);
    struct fs_ra_plan plan;
    fs_ra_plan(&fh->ra, &t->geom, f->offset, f->size, off, (int64_t)len,
               atomic_load(&fs->readahead), &plan);
    bool missing = !all_have(t, plan.need_first, plan.need_last);
    bool paused = atomic_load(&t->paused);
    bool resume = missing && paused && atomic_load(&fs->resume_paused);
    if (!missing || !paused || resume) request_pieces(fs, fh, &plan, missing, resume);
    pthread_mutex_unlock(&fh->mu);

    if (missing && paused && !resume) {
        snprintf(msg, sizeof msg,
                 "mount: a read of '%s' needs pieces of a paused torrent "
                 "(set spate.fuse_resume_paused=true to resume it on read)",
                 t->dirname);
        log_reader(fs, t, msg);
        fuse_reply_err(req, fh->nonblock ? EAGAIN : EIO);
        return;
    }
    if (missing) {
        if (fh->nonblock) {
            fuse_reply_err(req, EAGAIN);
            return;
        }
        int rc = wait_pieces(fs, t, plan.need_first, plan.need_last);
        if (rc == -ETIMEDOUT) {
            snprintf(msg, sizeof msg, "mount: a read of '%s' timed out waiting for pieces %d-%d",
                     t->dirname, plan.need_first, plan.need_last);
            log_reader(fs, t, msg);
        }
        if (rc) {
            fuse_reply_err(req, EIO);
            return;
        }
    }
    pthread_mutex_lock(&fh->mu);
    int rc = open_disk(fh);
    int fd = fh->fd;
    pthread_mutex_unlock(&fh->mu);
    if (rc) {
        snprintf(msg, sizeof msg, "mount: cannot open %s: %s", f->disk_path, strerror(-rc));
        log_reader(fs, t, msg);
        fuse_reply_err(req, EIO);
        return;
    }
    struct fuse_bufvec bv = FUSE_BUFVEC_INIT(len);
    bv.buf[0].flags = FUSE_BUF_IS_FD | FUSE_BUF_FD_SEEK;
    bv.buf[0].fd = fd;
    bv.buf[0].pos = off;
    fuse_reply_data(req, &bv, FUSE_BUF_SPLICE_MOVE);
}

/* ----------------------------------------------------------------- xattrs */

static const char *const xattr_names[] = {"user.spate.info_hash", "user.spate.state",
                                          "user.spate.progress", "user.spate.pieces"};

/* Pieces of node `node`: a file's own range, or the whole torrent for
 * directories. */
static void node_pieces(struct fs_tor *t, uint32_t node, int32_t *first, int32_t *last)
{
    const struct fs_node *n = &t->tree.nodes[node];
    *first = 0;
    *last = t->geom.num_pieces - 1;
    if (n->file >= 0) {
        const struct fs_tfile *f = &t->files[n->file];
        if (!fs_piece_range(&t->geom, f->offset, f->size, 0, f->size, first, last))
            *first = *last = -1;
    }
}

static int xattr_value(struct fs_tor *t, uint32_t node, const char *name, char *out, size_t n)
{
    int32_t first, last, have = 0, total;
    node_pieces(t, node, &first, &last);
    total = first >= 0 ? last - first + 1 : 0;
    for (int32_t i = first; i >= 0 && i <= last; i++)
        have += atomic_load(&t->have[i]);
    if (strcmp(name, xattr_names[0]) == 0) return snprintf(out, n, "%s", t->info_hash);
    if (strcmp(name, xattr_names[1]) == 0)
        return snprintf(out, n, "%s", eng_state_name((enum eng_state)atomic_load(&t->state)));
    if (strcmp(name, xattr_names[2]) == 0) {
        double p;
        if (t->tree.nodes[node].file >= 0)
            p = total ? (double)have / total : 1.0;
        else
            p = (double)atomic_load(&t->progress_ppm) / 1e6;
        return snprintf(out, n, "%.4f", p);
    }
    if (strcmp(name, xattr_names[3]) == 0) return snprintf(out, n, "%d/%d", have, total);
    return -1;
}

static void op_getxattr(fuse_req_t req, fuse_ino_t ino, const char *name, size_t size)
{
    uint32_t node;
    struct fs_tor *t = ino == FUSE_ROOT_ID ? NULL : resolve(fs_of(req), ino, &node);
    if (!t) {
        fuse_reply_err(req, ino == FUSE_ROOT_ID ? ENODATA : ENOENT);
        return;
    }
    char val[128];
    int len = xattr_value(t, node, name, val, sizeof val);
    fs_tor_unref(t);
    if (len < 0)
        fuse_reply_err(req, ENODATA);
    else if (size == 0)
        fuse_reply_xattr(req, (size_t)len);
    else if (size < (size_t)len)
        fuse_reply_err(req, ERANGE);
    else
        fuse_reply_buf(req, val, (size_t)len);
}

static void op_listxattr(fuse_req_t req, fuse_ino_t ino, size_t size)
{
    char list[128];
    size_t len = 0;
    if (ino != FUSE_ROOT_ID)
        for (size_t i = 0; i < sizeof xattr_names / sizeof xattr_names[0]; i++) {
            size_t n = strlen(xattr_names[i]) + 1;
            memcpy(list + len, xattr_names[i], n);
            len += n;
        }
    if (size == 0)
        fuse_reply_xattr(req, len);
    else if (size < len)
        fuse_reply_err(req, ERANGE);
    else
        fuse_reply_buf(req, list, len);
}

/* ------------------------------------------------------------------ rmdir */

static void op_rmdir(fuse_req_t req, fuse_ino_t parent, const char *name)
{
    struct fs *fs = fs_of(req);
    if (parent != FUSE_ROOT_ID || !atomic_load(&fs->allow_remove)) {
        fuse_reply_err(req, EROFS);
        return;
    }
    struct fs_table *tab = fs_table_get(fs);
    struct fs_tor *t = fs_table_name(tab, name);
    if (t) fs_tor_ref(t);
    fs_table_unref(tab);
    if (!t) {
        fuse_reply_err(req, ENOENT);
        return;
    }
    if (atomic_load(&t->open_files) > 0) {
        fs_tor_unref(t);
        fuse_reply_err(req, EBUSY);
        return;
    }
    struct fs_req *r = calloc(1, sizeof *r);
    if (!r) {
        fs_tor_unref(t);
        fuse_reply_err(req, ENOMEM);
        return;
    }
    r->kind = FS_REQ_REMOVE;
    fs_tor_ref(t);
    r->tor = t;
    fs_post(fs, r);
    struct timespec until;
    clock_gettime(CLOCK_MONOTONIC, &until);
    until.tv_sec += 30;
    pthread_mutex_lock(&t->mu);
    while (!r->done && !atomic_load(&fs->stopping))
        if (pthread_cond_timedwait(&t->cond, &t->mu, &until) == ETIMEDOUT) break;
    int rc = r->done ? r->rc : -EIO;
    /* not answered yet: whoever takes it from the queue frees it */
    if (!r->done) r->abandoned = true;
    bool mine = r->done;
    pthread_mutex_unlock(&t->mu);
    if (mine) {
        fs_tor_unref(r->tor);
        free(r);
    }
    fs_tor_unref(t);
    fuse_reply_err(req, -rc);
}

/* --------------------------------------------------------------- the rest */

static void op_statfs(fuse_req_t req, fuse_ino_t ino)
{
    (void)ino;
    struct fs_table *tab = fs_table_get(fs_of(req));
    uint64_t bytes = 0, files = 1;
    for (size_t i = 0; i < tab->n; i++) {
        bytes += (uint64_t)tab->by_name[i]->geom.total_size;
        files += tab->by_name[i]->tree.n_nodes;
    }
    fs_table_unref(tab);
    struct statvfs sv;
    memset(&sv, 0, sizeof sv);
    sv.f_bsize = sv.f_frsize = 4096;
    sv.f_blocks = (bytes + 4095) / 4096;
    sv.f_files = files;
    sv.f_namemax = FS_NAME_MAX;
    fuse_reply_statfs(req, &sv);
}

static void op_init(void *ud, struct fuse_conn_info *conn)
{
    (void)ud;
    /* reply with the pages libtorrent wrote, without a copy through us */
    if (conn->capable & FUSE_CAP_SPLICE_WRITE) conn->want |= FUSE_CAP_SPLICE_WRITE;
    if (conn->capable & FUSE_CAP_SPLICE_MOVE) conn->want |= FUSE_CAP_SPLICE_MOVE;
    conn->max_readahead = UINT32_MAX; /* as much as the kernel allows */
}

static void erofs_entry(fuse_req_t req)
{
    fuse_reply_err(req, EROFS);
}

static void op_mkdir(fuse_req_t req, fuse_ino_t p, const char *n, mode_t m)
{
    (void)p, (void)n, (void)m;
    erofs_entry(req);
}

static void op_mknod(fuse_req_t req, fuse_ino_t p, const char *n, mode_t m, dev_t d)
{
    (void)p, (void)n, (void)m, (void)d;
    erofs_entry(req);
}

static void op_unlink(fuse_req_t req, fuse_ino_t p, const char *n)
{
    (void)p, (void)n;
    erofs_entry(req);
}

static void op_symlink(fuse_req_t req, const char *l, fuse_ino_t p, const char *n)
{
    (void)l, (void)p, (void)n;
    erofs_entry(req);
}

static void op_link(fuse_req_t req, fuse_ino_t i, fuse_ino_t p, const char *n)
{
    (void)i, (void)p, (void)n;
    erofs_entry(req);
}

static void op_rename(fuse_req_t req, fuse_ino_t p, const char *n, fuse_ino_t np, const char *nn,
                      unsigned int flags)
{
    (void)p, (void)n, (void)np, (void)nn, (void)flags;
    erofs_entry(req);
}

static void op_setattr(fuse_req_t req, fuse_ino_t i, struct stat *a, int s,
                       struct fuse_file_info *fi)
{
    (void)i, (void)a, (void)s, (void)fi;
    erofs_entry(req);
}

static void op_write(fuse_req_t req, fuse_ino_t i, const char *b, size_t s, off_t o,
                     struct fuse_file_info *fi)
{
    (void)i, (void)b, (void)s, (void)o, (void)fi;
    erofs_entry(req);
}

static void op_create(fuse_req_t req, fuse_ino_t p, const char *n, mode_t m,
                      struct fuse_file_info *fi)
{
    (void)p, (void)n, (void)m, (void)fi;
    erofs_entry(req);
}

static void op_setxattr(fuse_req_t req, fuse_ino_t i, const char *n, const char *v, size_t s, int f)
{
    (void)i, (void)n, (void)v, (void)s, (void)f;
    erofs_entry(req);
}

static void op_removexattr(fuse_req_t req, fuse_ino_t i, const char *n)
{
    (void)i, (void)n;
    erofs_entry(req);
}

const struct fuse_lowlevel_ops fs_ops = {
    .init = op_init,
    .lookup = op_lookup,
    .getattr = op_getattr,
    .opendir = op_opendir,
    .readdir = op_readdir,
    .releasedir = op_releasedir,
    .open = op_open,
    .read = op_read,
    .release = op_release,
    .getxattr = op_getxattr,
    .listxattr = op_listxattr,
    .rmdir = op_rmdir,
    .statfs = op_statfs,
    .mkdir = op_mkdir,
    .mknod = op_mknod,
    .unlink = op_unlink,
    .symlink = op_symlink,
    .link = op_link,
    .rename = op_rename,
    .setattr = op_setattr,
    .write = op_write,
    .create = op_create,
    .setxattr = op_setxattr,
    .removexattr = op_removexattr,
};
