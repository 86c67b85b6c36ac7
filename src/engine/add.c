/*
 * add.c — adding a torrent: reading its source, parsing the peers given
 * with it, adding it to the session and the table, and storing it.
 *
 * eng_add works on the loop thread; a .torrent path is read there with the
 * limits of safefile.h. eng_add_async reads the file on libuv's threadpool
 * first. eng_add_to_session is shared with the reload at start
 * (resume.c), which adds from the store instead.
 */
#include "engine/engine_int.h"
#include "engine/safefile.h"
#include "store/store.h"
#include "util/str.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ---------------------------------------------------------------- adding */

#define TORRENT_MAX_KEY "spate.torrent_file_max_bytes"

/* A .torrent file: a regular file under spate.torrent_file_max_bytes, not
 * in our mount, read without blocking on open (safefile.h). Blocks on slow
 * storage: the loop reads through eng_add_async's worker instead. */
static int read_file(struct eng *e, const char *path, void **out, size_t *n, char *err,
                     size_t errlen)
{
    int rc = eng_safe_read(path, ".torrent file", eng_setting_int(e, TORRENT_MAX_KEY),
                           TORRENT_MAX_KEY, e->mount_point, out, n, err, errlen);
    return rc == -ENOMEM ? rc : rc < 0 ? -EINVAL : 0;
}

/* Splits "HOST:PORT" or "[V6]:PORT" into an IP literal and a port. */
int eng_peer_parse(const char *hp, char *ip, size_t iplen, int *port)
{
    const char *colon;
    size_t hostlen;
    const char *host = hp;
    if (*hp == '[') {
        const char *close = strchr(hp, ']');
        if (!close || close[1] != ':') return -EINVAL;
        host = hp + 1;
        hostlen = (size_t)(close - host);
        colon = close + 1;
    } else {
        colon = strrchr(hp, ':');
        if (!colon) return -EINVAL;
        hostlen = (size_t)(colon - hp);
    }
    if (hostlen == 0 || hostlen >= iplen) return -EINVAL;
    char *end;
    long p = strtol(colon + 1, &end, 10);
    if (!colon[1] || *end || p <= 0 || p > 65535) return -EINVAL;
    memcpy(ip, host, hostlen);
    ip[hostlen] = '\0';
    if (strcmp(ip, "localhost") == 0) snprintf(ip, iplen, "127.0.0.1");
    *port = (int)p;
    return 0;
}

static int parse_peers(const char *const *peers, size_t n, struct eng_peer_list *pl, char *err,
                       size_t errlen)
{
    if (n > ENG_MAX_PEERS) {
        snprintf(err, errlen, "too many peers (at most %d)", ENG_MAX_PEERS);
        return -EINVAL;
    }
    pl->n = n;
    for (size_t i = 0; i < n; i++) {
        if (eng_peer_parse(peers[i], pl->ip[i], sizeof pl->ip[i], &pl->port[i])) {
            snprintf(err, errlen, "invalid peer '%s': expected IP:PORT or [IPv6]:PORT", peers[i]);
            return -EINVAL;
        }
        pl->ptr[i] = pl->ip[i];
    }
    return 0;
}

/* One peer as stored and shown: "IP:PORT" or "[V6]:PORT". */
void eng_peer_format(const char *ip, int port, char *out, size_t n)
{
    snprintf(out, n, strchr(ip, ':') ? "[%s]:%d" : "%s:%d", ip, port);
}

/* The peers as the store keeps them: comma-joined, normalized. */
static void join_peers(const struct eng_peer_list *pl, char *out, size_t n)
{
    size_t len = 0;
    out[0] = '\0';
    for (size_t i = 0; i < pl->n && len < n; i++) {
        char one[80];
        eng_peer_format(pl->ip[i], pl->port[i], one, sizeof one);
        int r = snprintf(out + len, n - len, "%s%s", len ? "," : "", one);
        if (r < 0 || (size_t)r >= n - len) {
            out[len] = '\0';
            break;
        }
        len += (size_t)r;
    }
}

/* The stored peers of a torrent (comma-joined) into pl; an unusable one
 * is skipped with a warning, the rest still connect. */
void eng_stored_peers(struct eng *e, const char *row_peers, struct eng_peer_list *pl)
{
    pl->n = 0;
    const char *s = row_peers ? row_peers : "";
    while (*s && pl->n < ENG_MAX_PEERS) {
        size_t len = strcspn(s, ",");
        char one[80];
        if (len && len < sizeof one) {
            memcpy(one, s, len);
            one[len] = '\0';
            if (eng_peer_parse(one, pl->ip[pl->n], sizeof pl->ip[0], &pl->port[pl->n]) == 0) {
                pl->ptr[pl->n] = pl->ip[pl->n];
                pl->n++;
            } else {
                char m[160];
                snprintf(m, sizeof m, "stored peer '%s' is not IP:PORT; skipped", one);
                eng_log_event(e, "warn", NULL, m);
            }
        }
        s += len;
        if (*s == ',') s++;
    }
}

/* Adds to the session and the table; the store is the caller's business. */
int eng_add_to_session(struct eng *e, const struct lts_add *a, struct eng_tor **out, char *err,
                       size_t errlen)
{
    uint8_t key[LTS_KEY_LEN];
    char name[512] = "";
    int rc = lts_parse(a, key, name, sizeof name, err, errlen);
    if (rc) return rc;
    struct eng_tor *dup = eng_find_key(e, key);
    if (dup) {
        snprintf(err, errlen, "torrent already added as %d", dup->pub.id);
        *out = dup;
        return -EEXIST;
    }
    struct lts_torrent *h;
    rc = lts_add_torrent(e->ses, a, &h, key, err, errlen);
    if (rc) return rc;
    /* spate never asks for upload mode: libtorrent enters it on a failed
     * write (a full disk) and resume data carries it across a restart,
     * where nothing would end it */
    lts_set_torrent_flags(h, 0, LTS_TF_UPLOAD_MODE);
    if (!a->resume) eng_apply_pex(e, h);
    if (*eng_setting_str(e, "spate.tracker_auth")) eng_apply_tracker_auth(e, h);
    struct eng_tor *t = eng_table_insert(e, key, h, name, a->save_path);
    if (!t) {
        lts_remove(e->ses, h, false);
        lts_torrent_free(h);
        snprintf(err, errlen, "out of memory");
        return -ENOMEM;
    }
    t->pub.user_paused = a->paused;
    if (a->paused) t->pub.state = ENG_STATE_PAUSED;
    /* a .torrent or resume data carries the metadata: show its geometry at
     * once instead of after the first status refresh */
    struct lts_meta m;
    if (lts_files(h, &m, NULL, NULL) == 0) {
        t->pub.has_metadata = true;
        t->pub.total_bytes = m.total_size;
        t->pub.num_pieces = m.num_pieces;
        t->pub.piece_length = m.piece_length;
    }
    *out = t;
    return 0;
}

int eng_add(struct eng *e, const struct eng_add_params *p, int *id_out, char *err, size_t errlen)
{
    if (!e || !p || (!p->source && !p->bytes)) {
        snprintf(err, errlen, "nothing to add");
        return -EINVAL;
    }
    struct eng_peer_list pl;
    int rc = parse_peers(p->peers, p->n_peers, &pl, err, errlen);
    if (rc) return rc;
    /* never into our own mount (paths.c) */
    if ((rc = eng_save_path_check(e, p->save_path, err, errlen))) return rc;

    struct lts_add a = {0};
    void *bytes = NULL;
    size_t n_bytes = 0;
    const char *magnet = NULL;
    if (p->source && util_is_magnet(p->source)) {
        magnet = p->source;
        a.magnet = magnet;
    } else if (p->source) {
        rc = read_file(e, p->source, &bytes, &n_bytes, err, errlen);
        if (rc) return rc;
        a.torrent = bytes;
        a.n_torrent = n_bytes;
    } else {
        a.torrent = p->bytes;
        a.n_torrent = p->n_bytes;
    }
    for (size_t i = 0; i < p->n_opts; i++) {
        rc = eng_torrent_opt_check(e, p->opts[i].key, p->opts[i].value, err, errlen);
        if (rc) {
            free(bytes);
            return rc;
        }
    }
    a.save_path = p->save_path && *p->save_path ? p->save_path : e->download_dir;
    a.paused = p->paused;
    a.seed_mode = p->seed_mode;
    const char *mode = eng_setting_str(e, "spate.storage_mode");
    for (size_t i = 0; i < p->n_opts; i++)
        if (strcmp(p->opts[i].key, "storage_mode") == 0) mode = p->opts[i].value;
    a.allocate = strcasecmp(mode, "allocate") == 0 || strcmp(mode, "1") == 0;
    /* spate.default_trackers: one more tier per "|" group after the
     * torrent's own (the shim leaves private torrents alone, BEP 27) */
    char *dt = strdup(eng_setting_str(e, "spate.default_trackers"));
    const char *turls[64];
    int ttiers[64];
    size_t nt = 0;
    int tier = 0;
    for (char *s = dt; s && *s && nt < 64;) {
        char *end = s + strcspn(s, ",|");
        char sep = *end;
        *end = '\0';
        if (*s) {
            turls[nt] = s;
            ttiers[nt++] = tier;
        }
        tier += sep == '|';
        s = sep ? end + 1 : NULL;
    }
    a.trackers = turls;
    a.tracker_tiers = ttiers;
    a.n_trackers = nt;
    a.peer_addrs = pl.ptr;
    a.peer_ports = pl.port;
    a.n_peers = pl.n;

    char peers_row[ENG_MAX_PEERS * 72];
    join_peers(&pl, peers_row, sizeof peers_row);

    struct eng_tor *t = NULL;
    rc = eng_add_to_session(e, &a, &t, err, errlen);
    free(dt);
    if (rc == -EEXIST && t && id_out) *id_out = t->pub.id;
    if (rc) {
        free(bytes);
        return rc;
    }
    if (p->seed_mode)
        eng_log_event(e, "warn", t,
                      "added in seed mode: its files were not checked; a wrong file is "
                      "found only when a peer's hash check fails");
    t->pub.added_time = (int64_t)time(NULL);
    if (e->st) {
        struct store_torrent row = {
            .name = t->pub.name,
            .magnet = magnet,
            .metainfo = a.torrent,
            .metainfo_len = a.n_torrent,
            .save_path = a.save_path,
            .added_time = t->pub.added_time,
            .queue_pos = -1,
            .paused = p->paused,
            .peers = peers_row,
        };
        memcpy(row.info_hash, t->pub.info_hash, sizeof row.info_hash);
        if (store_torrent_put(e->st, &row) < 0)
            eng_log_event(e, "error", t, "could not store torrent");
    }
    free(bytes);
    if (id_out) *id_out = t->pub.id;
    for (size_t i = 0; i < p->n_opts; i++) {
        if (strcmp(p->opts[i].key, "storage_mode") == 0) continue; /* applied by the add */
        char m[512] = "", line[700];
        int orc = eng_torrent_opt_set(e, t->pub.id, p->opts[i].key, p->opts[i].value, m, sizeof m);
        if (orc || m[0]) {
            snprintf(line, sizeof line, "%s=%s: %s", p->opts[i].key, p->opts[i].value,
                     m[0] ? m : "not applied");
            eng_log_event(e, "warn", t, line);
        }
    }
    eng_emit(e, ENG_EV_ADDED, &t->pub);
    lts_post_updates(e->ses);
    return 0;
}

/* ---------------------------------------------------- adding from a file
 *
 * eng_add_async: the .torrent is read on libuv's threadpool (a slow disk,
 * a network filesystem or a file that turns out to be in our own mount
 * never stalls the loop), then added on the loop with eng_add's bytes
 * path. Jobs in flight are listed in e->add_jobs so that shutdown can
 * answer their callers and detach them. */

struct eng_add_job {
    uv_work_t req;
    struct eng *e; /* NULL once detached at shutdown: the job only frees itself */
    struct eng_add_job *next;
    struct eng_add_params p; /* the caller's, borrowed until cb */
    char *path, *mount_dir;
    int64_t max_bytes;
    eng_add_fn cb;
    void *ud;
    void *bytes; /* results, written by the worker */
    size_t n;
    int rc;
    char err[512];
};

static void add_job_free(struct eng_add_job *j)
{
    free(j->bytes);
    free(j->path);
    free(j->mount_dir);
    free(j);
}

/* Worker thread: touches only the job. */
static void add_work(uv_work_t *req)
{
    struct eng_add_job *j = req->data;
    j->rc = eng_safe_read(j->path, ".torrent file", j->max_bytes, TORRENT_MAX_KEY, j->mount_dir,
                          &j->bytes, &j->n, j->err, sizeof j->err);
    if (j->rc < 0 && j->rc != -ENOMEM) j->rc = -EINVAL;
}

static void add_done(uv_work_t *req, int status)
{
    struct eng_add_job *j = req->data;
    struct eng *e = j->e;
    if (!e) {
        add_job_free(j);
        return;
    }
    for (struct eng_add_job **pp = &e->add_jobs; *pp; pp = &(*pp)->next)
        if (*pp == j) {
            *pp = j->next;
            break;
        }
    int id = 0;
    if (status == UV_ECANCELED || e->shut_down) {
        j->rc = -ECANCELED;
        snprintf(j->err, sizeof j->err, "spate is shutting down");
    } else if (j->rc == 0) {
        struct eng_add_params p = j->p;
        p.source = NULL;
        p.bytes = j->bytes;
        p.n_bytes = j->n;
        j->err[0] = '\0';
        j->rc = eng_add(e, &p, &id, j->err, sizeof j->err);
    }
    j->cb(j->ud, j->rc, id, j->err);
    add_job_free(j);
}

int eng_add_async(struct eng *e, const struct eng_add_params *p, eng_add_fn cb, void *ud)
{
    char err[512] = "";
    int id = 0, rc;
    if (!cb) return -EINVAL;
    if (e && e->shut_down) {
        cb(ud, -ECANCELED, 0, "spate is shutting down");
        return 0;
    }
    if (!e || !p || !p->source || util_is_magnet(p->source)) {
        rc = eng_add(e, p, &id, err, sizeof err);
        cb(ud, rc, id, err);
        return 0;
    }
    struct eng_add_job *j = calloc(1, sizeof *j);
    if (j) {
        j->e = e;
        j->p = *p;
        j->path = strdup(p->source);
        j->mount_dir = e->mount_point ? strdup(e->mount_point) : NULL;
        j->max_bytes = eng_setting_int(e, TORRENT_MAX_KEY);
        j->cb = cb;
        j->ud = ud;
        j->req.data = j;
    }
    rc = !j || !j->path || (e->mount_point && !j->mount_dir) ? -ENOMEM
         : e->shut_down                                      ? -ECANCELED
                        : uv_queue_work(e->loop, &j->req, add_work, add_done);
    if (rc) {
        if (j) add_job_free(j);
        cb(ud, rc == -ECANCELED ? rc : -ENOMEM, 0,
           rc == -ECANCELED ? "spate is shutting down" : "cannot start reading the file");
        return 0;
    }
    j->next = e->add_jobs;
    e->add_jobs = j;
    return 0;
}

/* At shutdown: every add in flight is answered now (-ECANCELED) and
 * detached; its job frees itself when the threadpool reports. */
void eng_add_jobs_stop(struct eng *e)
{
    while (e->add_jobs) {
        struct eng_add_job *j = e->add_jobs;
        e->add_jobs = j->next;
        j->e = NULL;
        uv_cancel((uv_req_t *)&j->req);
        j->cb(j->ud, -ECANCELED, 0, "spate is shutting down");
    }
}
