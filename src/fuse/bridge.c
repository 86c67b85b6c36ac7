/*
 * bridge.c — the loop thread's side of the FUSE mount.
 *
 * It turns engine events into what the FUSE threads read: a struct fs_tor
 * per torrent with metadata (file tree, geometry, verified pieces, state),
 * and immutable root tables swapped in when torrents come and go. It also
 * serves the requests readers queue (piece deadlines, priorities, resuming a
 * paused torrent, health-log lines, rmdir), because only this thread may
 * call the engine.
 */
#include "fuse/fs_int.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Deadlines (ms from now) for read-ahead pieces: the k-th piece after the
 * ones a reader waits for aims at k * FS_RA_STEP_MS, so libtorrent fetches
 * them in order without starving the pieces needed now (deadline 0). */
#define FS_RA_STEP_MS 100

/* ----------------------------------------------------------- references */

void fs_tor_ref(struct fs_tor *t)
{
    atomic_fetch_add(&t->refs, 1);
}

static void tor_free(struct fs_tor *t)
{
    fs_tree_free(&t->tree);
    for (size_t i = 0; i < t->n_files; i++)
        free(t->files[i].disk_path);
    free(t->files);
    free((void *)t->have);
    free(t->dirname);
    pthread_mutex_destroy(&t->mu);
    pthread_cond_destroy(&t->cond);
    free(t);
}

void fs_tor_unref(struct fs_tor *t)
{
    if (t && atomic_fetch_sub(&t->refs, 1) == 1) tor_free(t);
}

void fs_table_unref(struct fs_table *tab)
{
    if (!tab || atomic_fetch_sub(&tab->refs, 1) != 1) return;
    for (size_t i = 0; i < tab->n; i++)
        fs_tor_unref(tab->by_name[i]);
    free(tab->by_name);
    free(tab->by_slot);
    free(tab);
}

struct fs_table *fs_table_get(struct fs *fs)
{
    pthread_rwlock_rdlock(&fs->tab_lock);
    struct fs_table *tab = fs->tab;
    atomic_fetch_add(&tab->refs, 1);
    pthread_rwlock_unlock(&fs->tab_lock);
    return tab;
}

struct fs_tor *fs_table_slot(const struct fs_table *tab, uint64_t slot)
{
    size_t lo = 0, hi = tab->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (tab->by_slot[mid]->slot < slot)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < tab->n && tab->by_slot[lo]->slot == slot ? tab->by_slot[lo] : NULL;
}

struct fs_tor *fs_table_name(const struct fs_table *tab, const char *name)
{
    size_t lo = 0, hi = tab->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(tab->by_name[mid]->dirname, name);
        if (c == 0) return tab->by_name[mid];
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

static int cmp_name(const void *a, const void *b)
{
    return strcmp((*(struct fs_tor *const *)a)->dirname, (*(struct fs_tor *const *)b)->dirname);
}

static int cmp_slot(const void *a, const void *b)
{
    uint64_t x = (*(struct fs_tor *const *)a)->slot, y = (*(struct fs_tor *const *)b)->slot;
    return x < y ? -1 : x > y;
}

/* Publishes a table of the live set. On allocation failure the old table
 * stays (the mount lags, nothing breaks). */
static int publish(struct fs *fs)
{
    struct fs_table *tab = calloc(1, sizeof *tab);
    size_t n = fs->n_live;
    if (!tab) return -ENOMEM;
    tab->by_name = calloc(n ? n : 1, sizeof *tab->by_name);
    tab->by_slot = calloc(n ? n : 1, sizeof *tab->by_slot);
    if (!tab->by_name || !tab->by_slot) {
        free(tab->by_name);
        free(tab->by_slot);
        free(tab);
        return -ENOMEM;
    }
    atomic_init(&tab->refs, 1);
    tab->n = n;
    for (size_t i = 0; i < n; i++) {
        fs_tor_ref(fs->live[i]);
        tab->by_name[i] = tab->by_slot[i] = fs->live[i];
    }
    qsort(tab->by_name, n, sizeof *tab->by_name, cmp_name);
    qsort(tab->by_slot, n, sizeof *tab->by_slot, cmp_slot);
    pthread_rwlock_wrlock(&fs->tab_lock);
    struct fs_table *old = fs->tab;
    fs->tab = tab;
    pthread_rwlock_unlock(&fs->tab_lock);
    fs_table_unref(old);
    return 0;
}

/* ------------------------------------------------------------- live set */

static ssize_t live_index(const struct fs *fs, int id)
{
    size_t lo = 0, hi = fs->n_live;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (fs->live[mid]->id < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < fs->n_live && fs->live[lo]->id == id ? (ssize_t)lo : -(ssize_t)lo - 1;
}

static struct fs_tor *live_find(const struct fs *fs, int id)
{
    ssize_t i = live_index(fs, id);
    return i >= 0 ? fs->live[i] : NULL;
}

static bool name_taken(const struct fs *fs, const char *name)
{
    for (size_t i = 0; i < fs->n_live; i++)
        if (strcmp(fs->live[i]->dirname, name) == 0) return true;
    return false;
}

static void wake(struct fs_tor *t)
{
    pthread_mutex_lock(&t->mu);
    pthread_cond_broadcast(&t->cond);
    pthread_mutex_unlock(&t->mu);
}

static void update_state(struct fs_tor *t, const struct eng_torrent *et)
{
    atomic_store(&t->state, (int)et->state);
    atomic_store(&t->paused, et->user_paused);
    atomic_store(&t->progress_ppm, (long long)(et->progress * 1e6));
    if (et->completed_time) atomic_store(&t->completed_time, et->completed_time);
}

/* Re-reads the verified pieces from libtorrent (after a recheck, or when
 * alerts were dropped) and wakes the readers. */
static void reload_have(struct fs *fs, struct fs_tor *t)
{
    int np = t->geom.num_pieces;
    uint8_t *buf = malloc((size_t)np);
    if (!buf) return;
    if (eng_have_pieces(fs->eng, t->id, buf, np) == 0) {
        int n = 0;
        for (int i = 0; i < np; i++) {
            atomic_store(&t->have[i], buf[i]);
            n += buf[i];
        }
        atomic_store(&t->n_have, n);
    }
    free(buf);
    wake(t);
}

/* Builds the mount's view of torrent `et` (which has metadata). */
static struct fs_tor *tor_build(struct fs *fs, const struct eng_torrent *et)
{
    struct eng_meta *m;
    if (eng_meta_get(fs->eng, et->id, &m) != 0) return NULL;
    struct fs_tor *t = calloc(1, sizeof *t);
    struct fs_file_in *in = calloc(m->n_files ? m->n_files : 1, sizeof *in);
    if (!t || !in) goto fail;
    atomic_init(&t->refs, 1);
    pthread_mutex_init(&t->mu, NULL);
    /* readers time their waits on CLOCK_MONOTONIC: a clock change must not
     * end or stretch them */
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&t->cond, &ca);
    pthread_condattr_destroy(&ca);
    t->id = et->id;
    t->slot = ++fs->next_slot;
    snprintf(t->info_hash, sizeof t->info_hash, "%s", et->info_hash);
    t->added_time = et->added_time;
    t->geom.piece_length = m->piece_length;
    t->geom.num_pieces = m->num_pieces;
    t->geom.total_size = m->total_size;
    t->n_files = m->n_files;
    t->files = calloc(m->n_files ? m->n_files : 1, sizeof *t->files);
    t->have = calloc(m->num_pieces > 0 ? (size_t)m->num_pieces : 1, sizeof *t->have);
    char name[FS_NAME_MAX + 1];
    fs_torrent_dir_name(et->name, et->info_hash, false, name, sizeof name);
    if (name_taken(fs, name)) fs_torrent_dir_name(et->name, et->info_hash, true, name, sizeof name);
    t->dirname = strdup(name);
    if (!t->files || !t->have || !t->dirname) goto fail;
    for (size_t i = 0; i < m->n_files; i++) {
        t->files[i].offset = m->files[i].offset;
        t->files[i].size = m->files[i].size;
        t->files[i].pad = m->files[i].pad;
        if (!(t->files[i].disk_path = strdup(m->files[i].disk_path))) goto fail;
        in[i].path = m->files[i].path;
        in[i].size = m->files[i].size;
        in[i].pad = m->files[i].pad;
    }
    if (fs_tree_build(in, m->n_files, m->multi_file, &t->tree) != 0) goto fail;
    update_state(t, et);
    free(in);
    eng_meta_free(m);
    reload_have(fs, t);
    return t;
fail:
    free(in);
    eng_meta_free(m);
    if (t) {
        t->n_files = t->files ? t->n_files : 0;
        tor_free(t);
    }
    return NULL;
}

/* Players and file managers read a file's first bytes (headers) and often
 * its last ones (indexes, moov atoms) before anything else: ask for the
 * first and last piece of each wanted file early, behind any reader's own
 * deadlines (FS_ENDS_MS). Bounded to the first FS_ENDS_FILES files so a
 * torrent of thousands of files costs nothing much. */
#define FS_ENDS_FILES 64
#define FS_ENDS_MS 1000

static void prefetch_ends(struct fs *fs, struct fs_tor *t)
{
    if (!atomic_load(&fs->prefetch_ends) || atomic_load(&t->paused)) return;
    if (atomic_load(&t->n_have) == t->geom.num_pieces) return;
    size_t done = 0;
    for (size_t i = 0; i < t->n_files && done < FS_ENDS_FILES; i++) {
        const struct fs_tfile *f = &t->files[i];
        int32_t first, last;
        if (f->size <= 0 ||
            !fs_piece_range(&t->geom, f->offset, f->size, 0, f->size, &first, &last))
            continue;
        if (f->pad) continue;
        if (eng_file_priority(fs->eng, t->id, (int)i) == 0) continue;
        done++;
        if (!atomic_load(&t->have[first])) eng_piece_deadline(fs->eng, t->id, first, FS_ENDS_MS);
        if (last != first && !atomic_load(&t->have[last]))
            eng_piece_deadline(fs->eng, t->id, last, 2 * FS_ENDS_MS);
    }
}

static void live_add(struct fs *fs, const struct eng_torrent *et)
{
    if (!et->has_metadata) return;
    ssize_t i = live_index(fs, et->id);
    if (i >= 0) return;
    size_t at = (size_t)(-i - 1);
    if (fs->n_live == fs->cap_live) {
        size_t cap = fs->cap_live ? fs->cap_live * 2 : 16;
        struct fs_tor **nl = realloc(fs->live, cap * sizeof *nl);
        if (!nl) return;
        fs->live = nl;
        fs->cap_live = cap;
    }
    struct fs_tor *t = tor_build(fs, et);
    if (!t) {
        eng_log(fs->eng, "warn", et->id, "mount: could not build the torrent's file tree");
        return;
    }
    memmove(&fs->live[at + 1], &fs->live[at], (fs->n_live - at) * sizeof *fs->live);
    fs->live[at] = t;
    fs->n_live++;
    publish(fs);
    prefetch_ends(fs, t);
}

static void live_remove(struct fs *fs, int id)
{
    ssize_t i = live_index(fs, id);
    if (i < 0) return;
    struct fs_tor *t = fs->live[i];
    memmove(&fs->live[i], &fs->live[i + 1], (fs->n_live - (size_t)i - 1) * sizeof *fs->live);
    fs->n_live--;
    atomic_store(&t->gone, true);
    wake(t);
    publish(fs);
    fs_tor_unref(t);
}

static void load_settings(struct fs *fs)
{
    char buf[64];
    if (eng_setting_get(fs->eng, "spate.fuse_readahead_bytes", buf, sizeof buf) == 0)
        atomic_store(&fs->readahead, atoll(buf));
    if (eng_setting_get(fs->eng, "spate.fuse_read_timeout_s", buf, sizeof buf) == 0)
        atomic_store(&fs->timeout_s, atoi(buf));
    if (eng_setting_get(fs->eng, "spate.fuse_resume_paused", buf, sizeof buf) == 0)
        atomic_store(&fs->resume_paused, strcmp(buf, "true") == 0);
    if (eng_setting_get(fs->eng, "spate.fuse_allow_remove", buf, sizeof buf) == 0)
        atomic_store(&fs->allow_remove, strcmp(buf, "true") == 0);
    if (eng_setting_get(fs->eng, "spate.fuse_prefetch_ends", buf, sizeof buf) == 0)
        atomic_store(&fs->prefetch_ends, strcmp(buf, "true") == 0);
}

/* --------------------------------------------------------- engine events */

static void on_engine(void *ud, enum eng_event ev, const struct eng_torrent *t)
{
    struct fs *fs = ud;
    if (atomic_load(&fs->stopping)) return;
    switch (ev) {
    case ENG_EV_ADDED:
    case ENG_EV_METADATA:
        if (t) live_add(fs, t);
        break;
    case ENG_EV_REMOVED:
        if (t) live_remove(fs, t->id);
        break;
    case ENG_EV_UPDATED:
        if (t) {
            struct fs_tor *x = live_find(fs, t->id);
            if (x) update_state(x, t);
            break;
        }
        for (size_t i = 0; i < fs->n_live; i++) {
            const struct eng_torrent *et = eng_torrent_by_id(fs->eng, fs->live[i]->id);
            if (et) update_state(fs->live[i], et);
        }
        break;
    case ENG_EV_FINISHED:
    case ENG_EV_ERROR: {
        struct fs_tor *x = t ? live_find(fs, t->id) : NULL;
        if (x) {
            update_state(x, t);
            if (ev == ENG_EV_FINISHED && !atomic_load(&x->completed_time))
                atomic_store(&x->completed_time, (long long)time(NULL));
        }
        break;
    }
    case ENG_EV_SETTINGS:
        load_settings(fs);
        break;
    case ENG_EV_LOG:
        break;
    }
}

static void on_piece(void *ud, int id, int piece)
{
    struct fs *fs = ud;
    struct fs_tor *t = live_find(fs, id);
    if (!t) return;
    if (piece < 0) {
        reload_have(fs, t);
        return;
    }
    if (piece >= t->geom.num_pieces) return;
    if (atomic_exchange(&t->have[piece], 1) == 0) atomic_fetch_add(&t->n_have, 1);
    wake(t);
}

/* ------------------------------------------------------------- requests */

void fs_post(struct fs *fs, struct fs_req *r)
{
    r->next = NULL;
    pthread_mutex_lock(&fs->q_mu);
    if (fs->q_tail)
        fs->q_tail->next = r;
    else
        fs->q_head = r;
    fs->q_tail = r;
    pthread_mutex_unlock(&fs->q_mu);
    uv_async_send(&fs->async);
}

static void serve_fetch(struct fs *fs, struct fs_req *r)
{
    struct fs_tor *t = r->tor;
    if (atomic_load(&t->gone) || !eng_torrent_by_id(fs->eng, t->id)) return;
    char msg[400];
    if (r->resume && atomic_load(&t->paused)) {
        if (eng_resume(fs->eng, t->id) == 0) {
            atomic_store(&t->paused, false);
            snprintf(msg, sizeof msg, "mount: a read of '%s' resumed the torrent", t->dirname);
            eng_log(fs->eng, "info", t->id, msg);
        }
    }
    int prio = eng_file_priority(fs->eng, t->id, r->file);
    if (prio == 0 && eng_set_file_priority(fs->eng, t->id, r->file, 4) == 0) {
        snprintf(msg, sizeof msg, "mount: a read raised the priority of a skipped file of '%s'",
                 t->dirname);
        eng_log(fs->eng, "info", t->id, msg);
    }
    const struct fs_ra_plan *p = &r->plan;
    if (p->reset) {
        for (int32_t i = p->old_first; i >= 0 && i <= p->old_last; i++) {
            bool keep = (p->need_first >= 0 && i >= p->need_first && i <= p->need_last) ||
                        (p->ra_first >= 0 && i >= p->ra_first && i <= p->ra_last);
            if (!keep && !atomic_load(&t->have[i])) eng_piece_deadline(fs->eng, t->id, i, -1);
        }
    }
    for (int32_t i = r->dl_first; i >= 0 && i <= r->dl_last; i++) {
        if (atomic_load(&t->have[i])) continue;
        bool needed = p->need_first >= 0 && i >= p->need_first && i <= p->need_last;
        int ms =
            needed ? 0 : (i - (p->need_last >= 0 ? p->need_last : r->dl_first) + 1) * FS_RA_STEP_MS;
        eng_piece_deadline(fs->eng, t->id, i, ms);
    }
}

/* Answers a REMOVE: to its waiting sender, or frees it if the sender left. */
static void complete(struct fs_req *r, int rc)
{
    struct fs_tor *t = r->tor;
    fs_tor_ref(t);
    pthread_mutex_lock(&t->mu);
    bool abandoned = r->abandoned;
    r->rc = rc;
    r->done = true;
    pthread_cond_broadcast(&t->cond);
    pthread_mutex_unlock(&t->mu);
    if (abandoned) {
        fs_tor_unref(r->tor);
        free(r);
    }
    fs_tor_unref(t);
}

static void serve(struct fs *fs, struct fs_req *r)
{
    switch (r->kind) {
    case FS_REQ_FETCH:
        serve_fetch(fs, r);
        break;
    case FS_REQ_LOG:
        eng_log(fs->eng, "warn", r->tor->id, r->msg);
        break;
    case FS_REQ_REMOVE: {
        struct fs_tor *t = r->tor;
        int rc = -ENOENT;
        if (atomic_load(&t->open_files) > 0)
            rc = -EBUSY;
        else if (!atomic_load(&t->gone))
            rc = eng_remove(fs->eng, t->id, false);
        if (rc == 0) {
            char msg[400];
            snprintf(msg, sizeof msg, "mount: '%s' removed by rmdir", t->dirname);
            eng_log(fs->eng, "info", 0, msg);
        }
        complete(r, rc);
        return;
    }
    }
    fs_tor_unref(r->tor);
    free(r);
}

/* Takes the queue; with `run` false the requests are failed, not served
 * (the mount is going away). */
static void drain(struct fs *fs, bool run)
{
    pthread_mutex_lock(&fs->q_mu);
    struct fs_req *r = fs->q_head;
    fs->q_head = fs->q_tail = NULL;
    pthread_mutex_unlock(&fs->q_mu);
    while (r) {
        struct fs_req *next = r->next;
        if (run) {
            serve(fs, r);
        } else if (r->kind == FS_REQ_REMOVE) {
            complete(r, -EIO);
        } else {
            fs_tor_unref(r->tor);
            free(r);
        }
        r = next;
    }
}

static void on_async(uv_async_t *a)
{
    struct fs *fs = a->data;
    drain(fs, !atomic_load(&fs->stopping));
}

/* ------------------------------------------------------------ lifecycle */

int fs_bridge_start(struct fs *fs)
{
    pthread_rwlock_init(&fs->tab_lock, NULL);
    pthread_mutex_init(&fs->q_mu, NULL);
    int rc = uv_async_init(fs->loop, &fs->async, on_async);
    if (rc) return rc;
    fs->async.data = fs;
    fs->async_ready = true;
    load_settings(fs);
    size_t n = eng_torrent_count(fs->eng);
    for (size_t i = 0; i < n; i++)
        live_add(fs, eng_torrent_at(fs->eng, i));
    if (!fs->tab && publish(fs) != 0) return -ENOMEM;
    eng_add_listener(fs->eng, on_engine, fs);
    eng_set_piece_listener(fs->eng, on_piece, fs);
    return 0;
}

void fs_bridge_stop(struct fs *fs)
{
    atomic_store(&fs->stopping, true);
    eng_remove_listener(fs->eng, on_engine, fs);
    eng_set_piece_listener(fs->eng, NULL, NULL);
    for (size_t i = 0; i < fs->n_live; i++) {
        atomic_store(&fs->live[i]->gone, true);
        wake(fs->live[i]);
    }
    drain(fs, false);
}

static void on_async_closed(uv_handle_t *h)
{
    free(h->data);
}

void fs_bridge_free(struct fs *fs)
{
    drain(fs, false);
    for (size_t i = 0; i < fs->n_live; i++)
        fs_tor_unref(fs->live[i]);
    free(fs->live);
    fs_table_unref(fs->tab);
    pthread_rwlock_destroy(&fs->tab_lock);
    pthread_mutex_destroy(&fs->q_mu);
    free(fs->dir);
    if (!fs->async_ready) {
        free(fs);
        return;
    }
    /* the struct goes with the handle: libuv still owns it until closed */
    fs->async.data = fs;
    uv_close((uv_handle_t *)&fs->async, on_async_closed);
}
