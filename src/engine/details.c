/*
 * details.c — what the TUI's detail panes show: a torrent's peers,
 * trackers, file progress, metadata extras and download queue, and the
 * session's health (listen sockets, DHT nodes, disk queue, IP filter, rate
 * history, the health log). Thin views over the shim; the only state kept
 * here is what libtorrent reports once (listen results, session counters)
 * and the rate history.
 */
#include "engine/engine_int.h"
#include "store/store.h"
#include "util/utf8.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void eng_details_init(struct eng *e)
{
    e->metric_dht_nodes = lts_metric_index("dht.dht_nodes");
    e->metric_incoming = lts_metric_index("net.has_incoming_connections");
    e->metric_disk_jobs = lts_metric_index("disk.queued_disk_jobs");
    e->metric_disk_bytes = lts_metric_index("disk.queued_write_bytes");
    e->dht_nodes = e->disk_jobs = e->disk_bytes = -1;
}

void eng_details_free(struct eng *e)
{
    free(e->mount_status);
    e->mount_status = NULL;
    free(e->mount_point);
    e->mount_point = NULL;
}

void eng_details_listen(struct eng *e, bool ok, const char *message)
{
    /* libtorrent's message: "listening on 127.0.0.1:6881 (device: ) type: TCP"
     * or "listening on ... failed: [op] ... error" — kept whole, one row per
     * socket (a new result for the same socket replaces the old) */
    const char *m = message ? message : "";
    const char *on = strstr(m, "on ");
    char what[128];
    snprintf(what, sizeof what, "%s", on ? on + 3 : m);
    char *cut = strstr(what, " failed");
    if (cut) *cut = '\0';
    size_t i;
    for (i = 0; i < e->n_listen; i++)
        if (strcmp(e->listen[i].what, what) == 0) break;
    if (i == e->n_listen) {
        if (e->n_listen == sizeof e->listen / sizeof e->listen[0]) return;
        e->n_listen++;
    }
    snprintf(e->listen[i].what, sizeof e->listen[i].what, "%s", what);
    const char *err = ok ? NULL : strstr(m, "failed");
    snprintf(e->listen[i].error, sizeof e->listen[i].error, "%s",
             ok    ? ""
             : err ? err + (strncmp(err, "failed: ", 8) == 0 ? 8 : 0)
                   : m);
}

void eng_details_stats(struct eng *e, const int64_t *c, size_t n)
{
#define METRIC(idx) ((idx) >= 0 && (size_t)(idx) < n ? c[idx] : -1)
    e->dht_nodes = METRIC(e->metric_dht_nodes);
    e->disk_jobs = METRIC(e->metric_disk_jobs);
    e->disk_bytes = METRIC(e->metric_disk_bytes);
    if (METRIC(e->metric_incoming) > 0) e->incoming_seen = true;
#undef METRIC
}

void eng_details_sample(struct eng *e)
{
    int64_t down = 0, up = 0;
    for (size_t i = 0; i < e->n; i++) {
        down += e->tors[i]->pub.down_rate;
        up += e->tors[i]->pub.up_rate;
    }
    e->rate_down[e->rate_head] = down;
    e->rate_up[e->rate_head] = up;
    e->rate_head = (e->rate_head + 1) % ENG_RATE_HISTORY;
    if (e->rate_n < ENG_RATE_HISTORY) e->rate_n++;
    lts_post_session_stats(e->ses);
}

size_t eng_rate_history(const struct eng *e, int64_t *down, int64_t *up, size_t max)
{
    if (!e) return 0;
    size_t n = e->rate_n < max ? e->rate_n : max;
    /* the newest n, oldest first */
    size_t start = (e->rate_head + ENG_RATE_HISTORY - n) % ENG_RATE_HISTORY;
    for (size_t i = 0; i < n; i++) {
        size_t k = (start + i) % ENG_RATE_HISTORY;
        if (down) down[i] = e->rate_down[k];
        if (up) up[i] = e->rate_up[k];
    }
    return n;
}

void eng_health(struct eng *e, struct eng_health *o)
{
    memset(o, 0, sizeof *o);
    if (!e) return;
    memcpy(o->listen, e->listen, sizeof o->listen);
    o->n_listen = e->n_listen;
    o->dht_nodes = e->dht_nodes;
    o->incoming_seen = e->incoming_seen;
    o->disk_queued_jobs = e->disk_jobs;
    o->disk_queued_bytes = e->disk_bytes;
    o->blocked_peers = e->blocked_peers;
    o->ip_filter_ranges = e->ip_filter_ranges;
    o->alt_speed = eng_setting_int(e, "spate.alt_speed") != 0;
    o->mount = eng_mount_status(e);
}

void eng_set_mount_status(struct eng *e, const char *text)
{
    if (!e) return;
    char *copy = strdup(text ? text : "");
    if (!copy) return;
    free(e->mount_status);
    e->mount_status = copy;
}

const char *eng_mount_status(const struct eng *e)
{
    return e && e->mount_status ? e->mount_status : "";
}

const char *eng_download_dir(const struct eng *e)
{
    return e ? e->download_dir : "";
}

const char *eng_data_dir(const struct eng *e)
{
    return e ? e->data_dir : "";
}

/* ------------------------------------------------------------ torrents */

/* Copies s into a buffer of n bytes as terminal-safe UTF-8 (util/utf8.h):
 * peer client names and a torrent's comment, creator and source are
 * whatever the peer or the torrent's author wrote. */
static void term_copy(char *dst, size_t n, const char *s)
{
    util_term_sanitize(dst, n, s ? s : "", s ? strlen(s) : 0);
}

int eng_peers(struct eng *e, int id, struct eng_peer **out, size_t *n)
{
    struct eng_tor *t = e ? eng_tor_by_id(e, id) : NULL;
    if (!t || !out || !n) return t ? -EINVAL : -ENOENT;
    *out = NULL;
    *n = 0;
    struct lts_peer *v;
    size_t nv;
    int rc = lts_peers(t->h, &v, &nv);
    if (rc || !nv) return rc;
    struct eng_peer *o = calloc(nv, sizeof *o);
    if (!o) {
        free(v);
        return -ENOMEM;
    }
    for (size_t i = 0; i < nv; i++) {
        unsigned f = v[i].flags;
        snprintf(o[i].addr, sizeof o[i].addr, "%s", v[i].addr);
        term_copy(o[i].client, sizeof o[i].client, v[i].client);
        o[i].interesting = f & LTS_PF_INTERESTING;
        o[i].choked = f & LTS_PF_CHOKED;
        o[i].remote_interested = f & LTS_PF_REMOTE_INTERESTED;
        o[i].remote_choked = f & LTS_PF_REMOTE_CHOKED;
        o[i].optimistic = f & LTS_PF_OPTIMISTIC;
        o[i].snubbed = f & LTS_PF_SNUBBED;
        o[i].seed = f & LTS_PF_SEED;
        o[i].incoming = f & LTS_PF_INCOMING;
        o[i].utp = f & LTS_PF_UTP;
        o[i].encrypted = f & LTS_PF_ENCRYPTED;
        o[i].ssl = f & LTS_PF_SSL;
        o[i].from_tracker = f & LTS_PF_FROM_TRACKER;
        o[i].from_dht = f & LTS_PF_FROM_DHT;
        o[i].from_pex = f & LTS_PF_FROM_PEX;
        o[i].from_lsd = f & LTS_PF_FROM_LSD;
        o[i].from_resume = f & LTS_PF_FROM_RESUME;
        o[i].progress = v[i].progress;
        o[i].down_rate = v[i].down_rate;
        o[i].up_rate = v[i].up_rate;
        o[i].downloaded = v[i].total_download;
        o[i].uploaded = v[i].total_upload;
    }
    free(v);
    *out = o;
    *n = nv;
    return 0;
}

int eng_trackers(struct eng *e, int id, struct eng_tracker **out, size_t *n)
{
    struct eng_tor *t = e ? eng_tor_by_id(e, id) : NULL;
    if (!t || !out || !n) return t ? -EINVAL : -ENOENT;
    *out = NULL;
    *n = 0;
    struct lts_tracker *v;
    size_t nv;
    int rc = lts_trackers(t->h, &v, &nv);
    if (rc || !nv) return rc;
    struct eng_tracker *o = calloc(nv, sizeof *o);
    if (!o) {
        lts_trackers_free(v, nv);
        return -ENOMEM;
    }
    for (size_t i = 0; i < nv; i++) {
        char shown[4096];
        eng_url_shown(v[i].url, shown, sizeof shown);
        o[i].url = strdup(shown);
        o[i].message = strdup(v[i].message ? v[i].message : "");
        o[i].tier = v[i].tier;
        o[i].status = !v[i].enabled    ? ENG_TRACKER_DISABLED
                      : v[i].updating  ? ENG_TRACKER_UPDATING
                      : v[i].fails > 0 ? ENG_TRACKER_ERROR
                      : v[i].working   ? ENG_TRACKER_WORKING
                                       : ENG_TRACKER_NOT_CONTACTED;
        o[i].seeds = v[i].scrape_complete;
        o[i].peers = v[i].scrape_incomplete;
        o[i].downloaded = v[i].scrape_downloaded;
        o[i].next_announce_s = v[i].next_announce_s;
        o[i].fails = v[i].fails;
        if (!o[i].url || !o[i].message) {
            lts_trackers_free(v, nv);
            eng_trackers_free(o, nv);
            return -ENOMEM;
        }
    }
    lts_trackers_free(v, nv);
    *out = o;
    *n = nv;
    return 0;
}

void eng_trackers_free(struct eng_tracker *v, size_t n)
{
    for (size_t i = 0; v && i < n; i++) {
        free(v[i].url);
        free(v[i].message);
    }
    free(v);
}

int eng_file_progress(struct eng *e, int id, int64_t *done, size_t n)
{
    struct eng_tor *t = e ? eng_tor_by_id(e, id) : NULL;
    return t ? lts_file_progress(t->h, done, n) : -ENOENT;
}

int eng_info_get(struct eng *e, int id, struct eng_info *out)
{
    struct eng_tor *t = e ? eng_tor_by_id(e, id) : NULL;
    if (!t || !out) return t ? -EINVAL : -ENOENT;
    struct lts_info_extra x;
    int rc = lts_info_extra(t->h, &x);
    if (rc) return rc == -ENOENT ? -EAGAIN : rc;
    term_copy(out->comment, sizeof out->comment, x.comment);
    term_copy(out->creator, sizeof out->creator, x.creator);
    term_copy(out->source, sizeof out->source, x.source);
    out->creation_date = x.creation_date;
    out->is_private = x.is_private;
    return 0;
}

int eng_downloading_pieces(struct eng *e, int id, int *out, size_t max)
{
    struct eng_tor *t = e ? eng_tor_by_id(e, id) : NULL;
    return t ? lts_downloading_pieces(t->h, out, max) : -ENOENT;
}

/* ---------------------------------------------------------- health log */

struct events_ctx {
    struct eng *e;
    eng_event_fn cb;
    void *ud;
};

static int event_one(int64_t time, const char *level, const char *info_hash, const char *message,
                     void *ud)
{
    struct events_ctx *c = ud;
    const char *who = info_hash;
    for (size_t i = 0; info_hash && i < c->e->n; i++)
        if (strcmp(c->e->tors[i]->pub.info_hash, info_hash) == 0) who = c->e->tors[i]->pub.name;
    return c->cb(time, level, who, message, c->ud);
}

int eng_events(struct eng *e, int limit, eng_event_fn cb, void *ud)
{
    if (!e || !cb) return -EINVAL;
    if (!e->st) return 0;
    struct events_ctx c = {e, cb, ud};
    int rc = store_events_load(e->st, limit, event_one, &c);
    return rc < 0 ? rc : 0;
}
