/*
 * health.c — the session's health as the TUI's Health tab shows it: listen
 * sockets, DHT nodes, disk queue, IP filter, the mount's status line, the
 * rate history and the health log.
 *
 * The only state kept here is what libtorrent reports once (listen
 * results, session counters: alerts.c hands them over) and the rate
 * history, sampled after each status refresh.
 */
#include "engine/engine_int.h"
#include "store/store.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void eng_health_init(struct eng *e)
{
    e->metric_dht_nodes = lts_metric_index("dht.dht_nodes");
    e->metric_incoming = lts_metric_index("net.has_incoming_connections");
    e->metric_disk_jobs = lts_metric_index("disk.queued_disk_jobs");
    e->metric_disk_bytes = lts_metric_index("disk.queued_write_bytes");
    e->dht_nodes = e->disk_jobs = e->disk_bytes = -1;
}

void eng_health_free(struct eng *e)
{
    free(e->mount_status);
    e->mount_status = NULL;
    free(e->mount_point);
    e->mount_point = NULL;
}

void eng_health_listen(struct eng *e, bool ok, const char *message)
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

void eng_health_stats(struct eng *e, const int64_t *c, size_t n)
{
#define METRIC(idx) ((idx) >= 0 && (size_t)(idx) < n ? c[idx] : -1)
    e->dht_nodes = METRIC(e->metric_dht_nodes);
    e->disk_jobs = METRIC(e->metric_disk_jobs);
    e->disk_bytes = METRIC(e->metric_disk_bytes);
    if (METRIC(e->metric_incoming) > 0) e->incoming_seen = true;
#undef METRIC
}

void eng_health_sample(struct eng *e)
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
