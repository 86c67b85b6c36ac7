/*
 * resume.c — resume data: asked of libtorrent, written to the store, and
 * read back at start.
 *
 * libtorrent saves resume data asynchronously: eng_request_resume asks,
 * the answer comes as an alert (alerts.c) and is written to the store
 * inside the drain's one transaction (eng_store_resume). A torrent has at
 * most one save in flight (resume_pending); e->resume_outstanding counts
 * them so that shutdown can wait. At start, eng_resume_reload re-adds
 * every stored torrent from its resume data, or from its source when that
 * is unusable.
 */
#include "engine/engine_int.h"
#include "store/store.h"

#include <assert.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

void eng_request_resume(struct eng *e, struct eng_tor *t)
{
    if (!t->h || t->resume_pending) return;
    if (lts_save_resume(t->h) == 0) {
        t->resume_pending = true;
        e->resume_outstanding++;
    }
}

/* Like eng_request_resume, but when a save is already under way it may predate
 * the change: ask again once it lands. */
void eng_request_resume_fresh(struct eng *e, struct eng_tor *t)
{
    if (t->resume_pending)
        t->resume_again = true;
    else
        eng_request_resume(e, t);
}

void eng_resume_done(struct eng *e, struct eng_tor *t)
{
    if (t && t->resume_pending) {
        t->resume_pending = false;
        assert(e->resume_outstanding > 0); /* counts the rows with resume_pending */
        if (e->resume_outstanding > 0) e->resume_outstanding--;
        if (t->resume_again) {
            t->resume_again = false;
            eng_request_resume(e, t);
        }
    }
}

void eng_store_resume(struct eng *e, struct eng_tor *t, const void *data, size_t n)
{
    if (!e->st) return;
    if (!e->in_batch && store_begin(e->st) == 0) e->in_batch = true;
    if (store_resume_put(e->st, t->pub.info_hash, t->pub.name, data, n) < 0)
        eng_log_event(e, "error", t, "could not write resume data to the store");
}

struct load_ctx {
    struct eng *e;
    int loaded, failed;
};

static int load_one(const struct store_torrent *row, void *ud)
{
    struct load_ctx *c = ud;
    struct eng *e = c->e;
    char err[512];
    struct eng_tor *t = NULL;
    struct lts_add a = {0};
    /* the peers the user gave (add --peer, connect) are connected again:
     * without a tracker or the DHT they may be the only way to the swarm */
    struct eng_peer_list pl;
    eng_stored_peers(e, row->peers, &pl);
    a.save_path = row->save_path && *row->save_path ? row->save_path : e->download_dir;
    a.peer_addrs = pl.ptr;
    a.peer_ports = pl.port;
    a.n_peers = pl.n;
    int rc = -EINVAL;
    if (row->resume && row->resume_len) {
        a.resume = row->resume;
        a.n_resume = row->resume_len;
        a.torrent = row->metainfo;
        a.n_torrent = row->metainfo_len;
        rc = eng_add_to_session(e, &a, &t, err, sizeof err);
        if (rc && rc != -EEXIST) {
            char m[700];
            snprintf(m, sizeof m, "%s: resume data unusable (%s), adding from source",
                     row->info_hash, err);
            eng_log_event(e, "warn", NULL, m);
        }
    }
    if (rc && rc != -EEXIST) {
        memset(&a, 0, sizeof a);
        a.save_path = row->save_path && *row->save_path ? row->save_path : e->download_dir;
        a.peer_addrs = pl.ptr;
        a.peer_ports = pl.port;
        a.n_peers = pl.n;
        a.paused = row->paused;
        if (row->metainfo && row->metainfo_len) {
            a.torrent = row->metainfo;
            a.n_torrent = row->metainfo_len;
        } else {
            a.magnet = row->magnet;
        }
        rc = eng_add_to_session(e, &a, &t, err, sizeof err);
    }
    if (rc == 0) {
        t->pub.added_time = row->added_time;
        t->pub.completed_time = row->completed_time;
        eng_set_str(&t->category, &t->pub.category, row->category ? row->category : "");
        eng_set_str(&t->tags, &t->pub.tags, row->tags ? row->tags : "");
        if (row->name && *row->name) eng_set_str(&t->name, &t->pub.name, row->name);
        c->loaded++;
    } else if (rc != -EEXIST) {
        char m[700];
        snprintf(m, sizeof m, "%s: could not be restored: %s", row->info_hash, err);
        eng_log_event(e, "error", NULL, m);
        c->failed++;
    }
    return 0;
}

void eng_resume_reload(struct eng *e)
{
    if (!e->st) return;
    struct load_ctx c = {.e = e};
    store_torrents_load(e->st, load_one, &c);
}
