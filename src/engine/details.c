/*
 * details.c — what the TUI's detail panes show of one torrent: its peers,
 * trackers, file progress, metadata extras and download queue. Thin views
 * over the shim; text that came from peers or the torrent's author is
 * made terminal-safe here. The session's health is in health.c.
 */
#include "engine/engine_int.h"
#include "util/utf8.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Copies s into a buffer of n bytes as terminal-safe UTF-8 (util/utf8.h):
 * peer client names and a torrent's comment, creator and source are
 * whatever the peer or the torrent's author wrote. */
static void term_copy(char *dst, size_t n, const char *s)
{
    util_term_sanitize(dst, n, s ? s : "", s ? strlen(s) : 0);
}

int eng_peers(struct eng *e, int id, struct eng_peer **out, size_t *n)
{
    struct eng_tor *t = e ? eng_row_by_id(e, id) : NULL;
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
    struct eng_tor *t = e ? eng_row_by_id(e, id) : NULL;
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
    struct eng_tor *t = e ? eng_row_by_id(e, id) : NULL;
    return t ? lts_file_progress(t->h, done, n) : -ENOENT;
}

int eng_info_get(struct eng *e, int id, struct eng_info *out)
{
    struct eng_tor *t = e ? eng_row_by_id(e, id) : NULL;
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
    struct eng_tor *t = e ? eng_row_by_id(e, id) : NULL;
    return t ? lts_downloading_pieces(t->h, out, max) : -ENOENT;
}
