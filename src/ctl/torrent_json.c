/*
 * torrent_json.c — engine rows and figures as JSON for the control protocol.
 *
 * ctl_torrent_json() is the one place a torrent becomes JSON: `ls` uses its
 * short form, `info` the detailed one, so the two can never disagree on a
 * field. ctl_files_json() adds a torrent's file list to `info`
 * (torrent_set.c its settings). Field names and units are documented in
 * docs/protocol.md.
 */
#include "ctl/ctl_int.h"
#include "util/utf8.h"

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

json_t *ctl_json_str(const char *s)
{
    if (!s) return json_null();
    size_t n = strlen(s);
    json_t *j = json_stringn(s, n);
    if (j) return j;
    /* invalid UTF-8: each bad byte becomes U+FFFD */
    char *buf = util_utf8_dup(s, n);
    if (!buf) return NULL;
    j = json_string(buf);
    free(buf);
    return j;
}

/* A real rounded down to `scale` steps (progress never reads 1 early) or
 * to nearest; non-finite values become null. */
static json_t *real_floor(double v, double scale)
{
    if (!isfinite(v)) return json_null();
    return json_real(floor(v * scale) / scale);
}

static json_t *real_round(double v, double scale)
{
    if (!isfinite(v)) return json_null();
    return json_real(round(v * scale) / scale);
}

static void set(json_t *o, const char *key, json_t *v)
{
    json_object_set_new(o, key, v ? v : json_null());
}

static void add_detail(json_t *o, const struct eng_torrent *t)
{
    set(o, "info_hash_v2", t->info_hash_v2[0] ? json_string(t->info_hash_v2) : json_null());
    set(o, "wanted_bytes", json_integer(t->wanted_bytes));
    set(o, "downloaded", json_integer(t->downloaded));
    set(o, "uploaded", json_integer(t->uploaded));
    set(o, "session_downloaded", json_integer(t->session_downloaded));
    set(o, "num_pieces", json_integer(t->num_pieces));
    set(o, "pieces_done", json_integer(t->pieces_done));
    set(o, "piece_length", json_integer(t->piece_length));
    set(o, "added_time", json_integer(t->added_time));
    set(o, "completed_time", t->completed_time ? json_integer(t->completed_time) : json_null());
    set(o, "queue_pos", json_integer(t->queue_pos));
    set(o, "moving", json_boolean(t->moving));
    set(o, "has_metadata", json_boolean(t->has_metadata));
    set(o, "user_paused", json_boolean(t->user_paused));
}

json_t *ctl_torrent_json(const struct eng_torrent *t, bool detail)
{
    json_t *o = json_object();
    if (!o) return NULL;
    set(o, "id", json_integer(t->id));
    set(o, "info_hash", json_string(t->info_hash));
    set(o, "name", ctl_json_str(t->name ? t->name : ""));
    set(o, "state", json_string(eng_state_name(t->state)));
    set(o, "progress", real_floor(t->progress < 0 ? 0 : t->progress > 1 ? 1 : t->progress, 1e6));
    set(o, "total_bytes", json_integer(t->total_bytes));
    set(o, "done_bytes", json_integer(t->done_bytes));
    set(o, "down_rate", json_integer(t->down_rate));
    set(o, "up_rate", json_integer(t->up_rate));
    set(o, "peers", json_integer(t->peers));
    set(o, "seeds", json_integer(t->seeds));
    set(o, "ratio", real_round(t->ratio, 1e4));
    set(o, "eta_s", t->eta_s < 0 ? json_null() : json_integer(t->eta_s));
    set(o, "save_path", ctl_json_str(t->save_path ? t->save_path : ""));
    set(o, "error", ctl_json_str(t->error));
    set(o, "category", ctl_json_str(t->category ? t->category : ""));
    set(o, "tags", ctl_json_str(t->tags ? t->tags : ""));
    if (detail) add_detail(o, t);
    return o;
}

int ctl_files_json(struct eng *e, int id, json_t **out)
{
    struct eng_meta *m = NULL;
    int rc = eng_meta_get(e, id, &m);
    if (rc == -EAGAIN) {
        /* a magnet still fetching its metadata: no files yet */
        *out = json_array();
        return *out ? 0 : -ENOMEM;
    }
    if (rc) return rc;
    json_t *arr = json_array();
    /* every file's priority in one call: a torrent may have thousands */
    int *prios = calloc(m->n_files ? m->n_files : 1, sizeof *prios);
    rc = arr && prios ? 0 : -ENOMEM;
    if (!rc) rc = eng_file_priorities(e, id, prios, m->n_files);
    for (size_t i = 0; !rc && i < m->n_files; i++) {
        const struct eng_file *f = &m->files[i];
        int prio = f->index >= 0 && (size_t)f->index < m->n_files ? prios[f->index] : -1;
        if (prio < 0) {
            rc = -EIO;
            break;
        }

        json_t *o = json_object();
        if (!o || json_array_append_new(arr, o)) {
            rc = -ENOMEM;
            break;
        }
        set(o, "index", json_integer(f->index));
        set(o, "path", ctl_json_str(f->path));
        set(o, "size", json_integer(f->size));
        set(o, "priority", json_integer(prio));
        set(o, "pad", json_boolean(f->pad));
    }
    free(prios);
    eng_meta_free(m);

    if (rc) {
        json_decref(arr);
        return rc;
    }
    *out = arr;
    return 0;
}

json_t *ctl_stats_json(struct eng *e)
{
    struct eng_stats st;
    memset(&st, 0, sizeof(st));
    eng_get_stats(e, &st);
    json_t *o = json_object();
    if (!o) return NULL;
    set(o, "down_rate", json_integer(st.down_rate));
    set(o, "up_rate", json_integer(st.up_rate));
    set(o, "listen_port", json_integer(st.listen_port));
    set(o, "torrents", json_integer(st.n_torrents));
    set(o, "downloading", json_integer(st.n_downloading));
    set(o, "seeding", json_integer(st.n_seeding));
    set(o, "paused", json_integer(st.n_paused));
    set(o, "checking", json_integer(st.n_checking));
    set(o, "error", json_integer(st.n_error));
    set(o, "queued", json_integer(st.n_queued));
    set(o, "dht_enabled", json_boolean(st.dht_enabled));
    set(o, "blocked_peers", json_integer(eng_blocked_peers(e)));
    set(o, "ip_filter_ranges", json_integer(eng_ip_filter_ranges(e)));
    set(o, "alt_speed", json_boolean(eng_setting_int(e, "spate.alt_speed") != 0));
    return o;
}
