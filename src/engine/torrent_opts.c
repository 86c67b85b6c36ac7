/*
 * torrent_opts.c — per-torrent settings (registry keys of scope
 * REG_TORRENT): validated like session keys, applied through the torrent's
 * handle (limits, flags, queue, move_storage, trackers, web seeds, piece
 * priorities) and read back from it. libtorrent keeps them in the resume
 * data; category and tags are spate's and live in the store's torrent row.
 * Categories carry defaults (save path, rate limits) applied when a torrent
 * gets the category.
 *
 * Each per-torrent key has one line in torrent_ops[] (get, set, check),
 * found through the registry's index; the rules common to all (add-only,
 * "+x"/"-x" list edits, tiers, metadata) come from the row's flags.
 */
#include "engine/engine_int.h"
#include "engine/registry.h"
#include "store/store.h"
#include "util/str.h"

#include <assert.h>
#include <ctype.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define OPT_MAX 4096

/* How a per-torrent key is read, set and checked: one line in
 * torrent_ops[] (after the "set" section) for every REG_TORRENT row of the
 * registry, found through the registry's index (topt_of). */
struct torrent_ops {
    const char *key;
    /* The value in effect as normalized text. 0 or an error. */
    int (*get)(struct eng *e, struct eng_tor *t, const struct torrent_ops *o, char *buf,
               size_t buflen);
    /* Applies a normalized value. 0, or an error with `why` set (or left
     * "": "libtorrent refused KEY=VALUE"); a warning in `why` with 0. NULL
     * for a key chosen on add (REG_F_ADD_ONLY). */
    int (*set)(struct eng *e, struct eng_tor *t, const struct torrent_ops *o, const char *norm,
               char *why, size_t whylen);
    /* More checks of a normalized value before the torrent exists (on
     * add); may be NULL. 0, or -EINVAL with err set. */
    int (*check)(struct eng *e, const char *norm, char *err, size_t errlen);
    /* Normalizes instead of reg_normalize (tags); may be NULL. */
    int (*normalize)(const char *in, char *out, size_t outlen, char *err, size_t errlen);
    /* A word taken instead of a value (queue moves "top", "up", ...): 1
     * if `value` is one (applied to t unless t is NULL), 0 if not, or an
     * error; may be NULL. */
    int (*verb)(struct eng_tor *t, const char *value);
    unsigned arg;  /* the limit (enum lts_limit) or flag (LTS_TF_*) */
    bool inverted; /* a flag whose true is the flag off (pex: disable_pex) */
};

static const struct torrent_ops *topt_of(const struct reg_key *k);

static const struct reg_key *torrent_key(const char *key, char *err, size_t errlen)
{
    const struct reg_key *k = reg_find(key);
    if (!k || !(k->scope & REG_TORRENT)) {
        snprintf(err, errlen,
                 k ? "'%.100s' is a session setting: spate config set %.100s VALUE"
                   : "unknown per-torrent setting '%.100s'",
                 key, key);
        return NULL;
    }
    return k;
}

/* ----------------------------------------------------------- lists */

/* ------------------------------------------------- tracker logins */

/* An http(s) URL's parts: where the authority starts (after "//"), the
 * length of a "user:password@" in it (0 if none), the host and its length
 * (without a port). False for other schemes. */
static bool http_parts(const char *url, size_t *auth_at, size_t *login_len, const char **host,
                       size_t *host_len)
{
    size_t skip = strncasecmp(url, "http://", 7) == 0    ? 7
                  : strncasecmp(url, "https://", 8) == 0 ? 8
                                                         : 0;
    if (!skip) return false;
    const char *a = url + skip;
    size_t alen = strcspn(a, "/?#");
    const char *at = memchr(a, '@', alen);
    *auth_at = skip;
    *login_len = at ? (size_t)(at - a) + 1 : 0;
    *host = a + *login_len;
    size_t hl = alen - *login_len;
    if (**host == '[') {
        const char *close = memchr(*host, ']', hl);
        *host_len = close ? (size_t)(close - *host) + 1 : hl;
    } else {
        const char *colon = memchr(*host, ':', hl);
        *host_len = colon ? (size_t)(colon - *host) : hl;
    }
    return true;
}

/* The URL without a login (what is shown). */
void eng_url_shown(const char *url, char *out, size_t outlen)
{

    size_t at, login, hl;
    const char *host;
    if (!http_parts(url, &at, &login, &host, &hl) || !login) {
        snprintf(out, outlen, "%s", url);
        return;
    }
    snprintf(out, outlen, "%.*s%s", (int)at, url, url + at + login);
}

/* The URL with the login spate.tracker_auth has for its host (and without
 * one when it has none). */
static void url_with_login(struct eng *e, const char *url, char *out, size_t outlen)
{
    char plain[OPT_MAX];
    eng_url_shown(url, plain, sizeof plain);
    size_t at, login, hl;
    const char *host;
    snprintf(out, outlen, "%s", plain);
    if (!http_parts(plain, &at, &login, &host, &hl)) return;
    for (const char *p = eng_setting_str(e, "spate.tracker_auth"); *p;) {
        size_t len = strcspn(p, ",");
        const char *eq = memchr(p, '=', len);
        if (eq && (size_t)(eq - p) == hl && strncasecmp(p, host, hl) == 0) {
            snprintf(out, outlen, "%.*s%.*s@%s", (int)at, plain, (int)(len - (size_t)(eq - p) - 1),
                     eq + 1, plain + at);
            return;
        }
        p += len + (p[len] ? 1 : 0);
    }
}

/* Puts spate.tracker_auth's logins into one torrent's tracker URLs (and
 * takes away logins no longer configured); tiers stay. */
int eng_apply_tracker_auth(struct eng *e, struct lts_torrent *h)
{
    struct lts_tracker *v;
    size_t n;
    int rc = lts_trackers(h, &v, &n);
    if (rc || !n) return rc;
    char **urls = calloc(n, sizeof *urls);
    int *tiers = calloc(n, sizeof *tiers);
    bool changed = false;
    rc = urls && tiers ? 0 : -ENOMEM;
    for (size_t i = 0; !rc && i < n; i++) {
        char buf[OPT_MAX];
        url_with_login(e, v[i].url, buf, sizeof buf);
        changed |= strcmp(buf, v[i].url) != 0;
        tiers[i] = v[i].tier;
        if (!(urls[i] = strdup(buf))) rc = -ENOMEM;
    }
    if (!rc && changed) rc = lts_replace_trackers(h, (const char *const *)urls, tiers, n);
    for (size_t i = 0; urls && i < n; i++)
        free(urls[i]);
    free(urls);
    free(tiers);
    lts_trackers_free(v, n);
    return rc;
}

void eng_apply_tracker_auth_all(struct eng *e)
{
    for (size_t i = 0; i < e->n; i++)
        eng_apply_tracker_auth(e, e->tors[i]->h);
}

/* Logins in libtorrent's tracker URLs as "host=user:password" (for the
 * native value of spate.tracker_auth), distinct, comma-joined. */
int eng_tracker_logins(struct eng *e, char *buf, size_t buflen)
{
    size_t o = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < e->n; i++) {
        struct lts_tracker *v;
        size_t n;
        if (lts_trackers(e->tors[i]->h, &v, &n)) continue;
        for (size_t j = 0; j < n; j++) {
            size_t at, login, hl;
            const char *host;
            if (!http_parts(v[j].url, &at, &login, &host, &hl) || !login) continue;
            char item[OPT_MAX];
            snprintf(item, sizeof item, "%.*s=%.*s", (int)hl, host, (int)(login - 1),
                     v[j].url + at);
            if (strstr(buf, item)) continue;
            o += (size_t)snprintf(buf + o, o < buflen ? buflen - o : 0, "%s%s", o ? "," : "", item);
        }
        lts_trackers_free(v, n);
    }
    return o < buflen ? 0 : -ERANGE;
}

/* Trackers as "url,url|url" (tiers separated by "|"), logins left out. */
static int trackers_text(struct lts_torrent *h, char *buf, size_t buflen)
{
    struct lts_tracker *v;
    size_t n;
    int rc = lts_trackers(h, &v, &n);
    if (rc) return rc;
    size_t o = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < n && o < buflen; i++) {
        char shown[OPT_MAX];
        eng_url_shown(v[i].url, shown, sizeof shown);
        o += (size_t)snprintf(buf + o, buflen - o, "%s%s",
                              i == 0                       ? ""
                              : v[i].tier != v[i - 1].tier ? "|"
                                                           : ",",
                              shown);
    }
    lts_trackers_free(v, n);
    return o < buflen ? 0 : -ERANGE;
}

/* Replaces the trackers with a normalized "a,b|c" list. */
static int trackers_set(struct lts_torrent *h, const char *norm)
{
    size_t cap = 1;
    for (const char *c = norm; *c; c++)
        cap += *c == ',' || *c == '|';
    const char **urls = calloc(cap, sizeof *urls);
    int *tiers = calloc(cap, sizeof *tiers);
    char *copy = strdup(norm);
    int rc = urls && tiers && copy ? 0 : -ENOMEM;
    size_t n = 0;
    int tier = 0;
    for (char *s = copy; !rc && s && *s;) {
        char *end = s + strcspn(s, ",|");
        char sep = *end;
        *end = '\0';
        if (*s) {
            urls[n] = s;
            tiers[n++] = tier;
        }
        if (sep == '|') tier++;
        s = sep ? end + 1 : NULL;
    }
    if (!rc) rc = lts_replace_trackers(h, urls, tiers, n);
    free(urls);
    free(tiers);
    free(copy);
    return rc;
}

static int web_seeds_text(struct lts_torrent *h, char *buf, size_t buflen)
{
    char **v;
    size_t n;
    int rc = lts_url_seeds(h, &v, &n);
    if (rc) return rc;
    size_t o = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < n && o < buflen; i++)
        o += (size_t)snprintf(buf + o, buflen - o, "%s%s", i ? "," : "", v[i]);
    lts_strings_free(v, n);
    return o < buflen ? 0 : -ERANGE;
}

/* Makes the web seeds exactly the normalized list. */
static int web_seeds_set(struct lts_torrent *h, const char *norm)
{
    char **v;
    size_t n;
    int rc = lts_url_seeds(h, &v, &n);
    if (rc) return rc;
    for (size_t i = 0; i < n; i++) {
        if (!util_list_has(norm, ",", v[i], strlen(v[i]))) lts_remove_url_seed(h, v[i]);
    }
    lts_strings_free(v, n);
    char *copy = strdup(norm);
    if (!copy) return -ENOMEM;
    for (char *s = strtok(copy, ","); s; s = strtok(NULL, ","))
        lts_add_url_seed(h, s);
    free(copy);
    return 0;
}

/* Tags: trimmed, no empty ones, duplicates dropped, at most 1024 bytes. */
static int tags_normalize(const char *in, char *out, size_t outlen, char *err, size_t errlen)
{
    size_t o = 0;
    out[0] = '\0';
    for (const char *p = in; *p;) {
        size_t raw = strcspn(p, ","), len = raw;
        const char *item = p;
        p += raw + (p[raw] ? 1 : 0);
        item = util_trim(item, &len);
        if (!len) continue;
        for (size_t i = 0; i < len; i++)
            if ((unsigned char)item[i] < 0x20) {
                snprintf(err, errlen, "tags: control characters are not allowed");
                return -EINVAL;
            }
        if (util_list_has(out, ",", item, len)) continue; /* a duplicate */
        if (o + len + 2 > outlen || o + len + 1 > 1024) {
            snprintf(err, errlen, "tags: at most 1024 bytes in all");
            return -EINVAL;
        }
        if (o) out[o++] = ',';
        memcpy(out + o, item, len);
        out[o += len] = '\0';
    }
    return 0;
}

/* "+x" adds x to the current list (after sep_add: "|" puts a tracker in a
 * tier of its own), "-x" removes it; anything else is the new list. cur and
 * out may not overlap. -ERANGE if the result does not fit. */
static int list_edit(const char *cur, const char *value, char sep_add, char *out, size_t outlen)
{
    if (value[0] != '+' && value[0] != '-')
        return snprintf(out, outlen, "%s", value) < (int)outlen ? 0 : -ERANGE;
    const char *x = value + 1;
    while (isspace((unsigned char)*x))
        x++;
    if (value[0] == '+') {
        char sep[2] = {*cur ? sep_add : '\0', '\0'};
        return snprintf(out, outlen, "%s%s%s", cur, sep, x) < (int)outlen ? 0 : -ERANGE;
    }
    size_t o = 0, xl = strlen(x);
    out[0] = '\0';
    for (const char *p = cur; *p;) {
        size_t l = strcspn(p, ",|");
        char sep = p[l];
        if (!(l == xl && strncmp(p, x, l) == 0) && o + l + 2 < outlen) {
            memcpy(out + o, p, l);
            o += l;
            if (sep) out[o++] = sep;
            out[o] = '\0';
        } else if (sep == '|' && o && out[o - 1] == ',') {
            out[o - 1] = '|'; /* the removed one ended its tier: the tier boundary stays */
        }
        p += l + (sep ? 1 : 0);
    }
    while (o && (out[o - 1] == ',' || out[o - 1] == '|'))
        out[--o] = '\0';
    return 0;
}

/* ------------------------------------------------- first/last piece */

/* The first and last piece of each wanted file: calls fn(piece). */
static int each_end_piece(struct eng *e, int id, void (*fn)(struct lts_torrent *, int, int),
                          struct lts_torrent *h, int arg)
{
    struct eng_meta *m;
    int rc = eng_meta_get(e, id, &m);
    if (rc) return rc;
    int n = 0;
    for (size_t i = 0; i < m->n_files; i++) {
        const struct eng_file *f = &m->files[i];
        if (f->pad || f->size == 0) continue;
        int first = (int)(f->offset / m->piece_length);
        int last = (int)((f->offset + f->size - 1) / m->piece_length);
        fn(h, first, arg);
        fn(h, last, arg);
        n++;
    }
    eng_meta_free(m);
    return n;
}

static void set_prio(struct lts_torrent *h, int piece, int prio)
{
    lts_set_piece_priority(h, piece, prio);
}

static int first_last_get(struct eng *e, struct eng_tor *t, bool *on)
{
    struct eng_meta *m;
    int rc = eng_meta_get(e, t->pub.id, &m);
    if (rc) return rc;
    *on = m->n_files > 0;
    for (size_t i = 0; i < m->n_files && *on; i++) {
        const struct eng_file *f = &m->files[i];
        if (f->pad || f->size == 0) continue;
        *on = lts_piece_priority(t->h, (int)(f->offset / m->piece_length)) == 7 &&
              lts_piece_priority(t->h, (int)((f->offset + f->size - 1) / m->piece_length)) == 7;
    }
    eng_meta_free(m);
    return 0;
}

/* ------------------------------------------------------------ get */

static int get_limit(struct eng *e, struct eng_tor *t, const struct torrent_ops *o, char *buf,
                     size_t buflen)
{
    (void)e;
    int v;
    int rc = lts_torrent_limit(t->h, (enum lts_limit)o->arg, &v);
    return rc ? rc : snprintf(buf, buflen, "%d", v) < (int)buflen ? 0 : -ERANGE;
}

static int get_flag(struct eng *e, struct eng_tor *t, const struct torrent_ops *o, char *buf,
                    size_t buflen)
{
    (void)e;
    unsigned f;
    int rc = lts_torrent_flags(t->h, &f);
    if (rc) return rc;
    bool on = ((f & o->arg) != 0) != o->inverted;
    snprintf(buf, buflen, "%s", on ? "true" : "false");
    return 0;
}

static int get_queue(struct eng *e, struct eng_tor *t, const struct torrent_ops *o, char *buf,
                     size_t buflen)
{
    (void)e, (void)o;
    int v;
    int rc = lts_queue_position(t->h, &v);
    return rc ? rc : (snprintf(buf, buflen, "%d", v), 0);
}

static int get_save_path(struct eng *e, struct eng_tor *t, const struct torrent_ops *o, char *buf,
                         size_t buflen)
{
    (void)e, (void)o;
    return lts_save_path(t->h, buf, buflen);
}

static int get_storage_mode(struct eng *e, struct eng_tor *t, const struct torrent_ops *o,
                            char *buf, size_t buflen)
{
    (void)e, (void)o;
    bool alloc;
    int rc = lts_storage_allocated(t->h, &alloc);
    return rc ? rc : (snprintf(buf, buflen, "%s", alloc ? "allocate" : "sparse"), 0);
}

static int get_trackers(struct eng *e, struct eng_tor *t, const struct torrent_ops *o, char *buf,
                        size_t buflen)
{
    (void)e, (void)o;
    return trackers_text(t->h, buf, buflen);
}

static int get_web_seeds(struct eng *e, struct eng_tor *t, const struct torrent_ops *o, char *buf,
                         size_t buflen)
{
    (void)e, (void)o;
    return web_seeds_text(t->h, buf, buflen);
}

static int get_first_last(struct eng *e, struct eng_tor *t, const struct torrent_ops *o, char *buf,
                          size_t buflen)
{
    (void)o;
    bool on = false;
    if (t->pub.has_metadata && first_last_get(e, t, &on) != 0) return -EIO;
    snprintf(buf, buflen, "%s", on ? "true" : "false");
    return 0;
}

static int get_category(struct eng *e, struct eng_tor *t, const struct torrent_ops *o, char *buf,
                        size_t buflen)
{
    (void)e, (void)o;
    snprintf(buf, buflen, "%s", t->pub.category);
    return 0;
}

static int get_tags(struct eng *e, struct eng_tor *t, const struct torrent_ops *o, char *buf,
                    size_t buflen)
{
    (void)e, (void)o;
    snprintf(buf, buflen, "%s", t->pub.tags);
    return 0;
}

int eng_torrent_opt_get(struct eng *e, int id, const char *key, char *buf, size_t buflen)
{
    char err[256];
    if (!e || !key || !buf || !buflen) return -EINVAL;
    const struct reg_key *k = torrent_key(key, err, sizeof err);
    if (!k) return -EINVAL;
    struct eng_tor *t = eng_row_by_id(e, id);
    if (!t) return -ENOENT;
    const struct torrent_ops *o = topt_of(k);
    return o && o->get ? o->get(e, t, o, buf, buflen) : -EINVAL;
}

/* ------------------------------------------------------------ set */

struct cat_find {
    const char *name;
    bool found;
    char save_path[OPT_MAX];
    int64_t dl, ul, ratio, seed_time;
};

static int cat_cb(const struct store_category *c, void *ud)
{
    struct cat_find *f = ud;
    if (strcmp(c->name, f->name) != 0) return 0;
    f->found = true;
    snprintf(f->save_path, sizeof f->save_path, "%s", c->save_path ? c->save_path : "");
    f->dl = c->download_limit;
    f->ul = c->upload_limit;
    f->ratio = c->share_ratio_limit;
    f->seed_time = c->seed_time_limit;
    return 1;
}

static int save_labels(struct eng *e, struct eng_tor *t)
{
    if (e->st &&
        store_torrent_set_labels(e->st, t->pub.info_hash, t->pub.category, t->pub.tags) < 0)
        return -EIO;
    return 0;
}

static int set_category(struct eng *e, struct eng_tor *t, const char *name, char *err,
                        size_t errlen)
{
    struct cat_find f = {.name = name};
    if (*name) {
        if (e->st) store_categories_load(e->st, cat_cb, &f);
        if (!f.found) {
            snprintf(err, errlen, "no category '%.100s' (spate category set NAME ...)", name);
            return -EINVAL;
        }
    }
    eng_set_str(&t->category, &t->pub.category, name);
    int rc = save_labels(e, t);
    if (rc) {
        snprintf(err, errlen, "the store could not save the category");
        return rc;
    }
    /* the category's defaults */
    if (f.found && f.dl > 0) lts_set_torrent_limit(t->h, LTS_DOWNLOAD_LIMIT, (int)f.dl);
    if (f.found && f.ul > 0) lts_set_torrent_limit(t->h, LTS_UPLOAD_LIMIT, (int)f.ul);
    if (f.found && f.save_path[0] && strcmp(f.save_path, t->pub.save_path) != 0 &&
        eng_save_path_check(e, f.save_path, err, errlen) == 0 &&
        lts_move_storage(t->h, f.save_path) == 0)
        t->pub.moving = true;
    return 0;
}

static int set_limit(struct eng *e, struct eng_tor *t, const struct torrent_ops *o,
                     const char *norm, char *why, size_t whylen)
{
    (void)e, (void)why, (void)whylen;
    return lts_set_torrent_limit(t->h, (enum lts_limit)o->arg, atoi(norm));
}

static int set_flag(struct eng *e, struct eng_tor *t, const struct torrent_ops *o, const char *norm,
                    char *why, size_t whylen)
{
    (void)e, (void)why, (void)whylen;
    bool on = strcmp(norm, "true") == 0;
    return lts_set_torrent_flags(t->h, on != o->inverted ? o->arg : 0, o->arg);
}

/* -1 takes the torrent out of the queue (not auto-managed). */
static int set_queue(struct eng *e, struct eng_tor *t, const struct torrent_ops *o,
                     const char *norm, char *why, size_t whylen)
{
    (void)e, (void)o, (void)why, (void)whylen;
    int pos = atoi(norm);
    return pos < 0 ? lts_set_torrent_flags(t->h, 0, LTS_TF_AUTO_MANAGED)
                   : lts_set_queue_position(t->h, pos);
}

static int queue_verb(struct eng_tor *t, const char *value)
{
    static const char *const moves[] = {"top", "up", "down", "bottom"};
    for (int i = 0; i < 4; i++)
        if (strcasecmp(value, moves[i]) == 0) {
            int rc = t ? lts_queue_move(t->h, (enum lts_queue_move)i) : 0;
            return rc ? rc : 1;
        }
    return 0;
}

/* A new save path moves the files (move_storage). */
static int set_save_path(struct eng *e, struct eng_tor *t, const struct torrent_ops *o,
                         const char *norm, char *why, size_t whylen)
{
    (void)o;
    if (!*norm) {
        snprintf(why, whylen, "save_path: give an absolute directory");
        return -EINVAL;
    }
    int rc = eng_save_path_check(e, norm, why, whylen);
    if (rc) return rc;
    rc = lts_move_storage(t->h, norm);
    if (!rc) t->pub.moving = true;
    return rc;
}

static int set_trackers(struct eng *e, struct eng_tor *t, const struct torrent_ops *o,
                        const char *norm, char *why, size_t whylen)
{
    (void)o, (void)why, (void)whylen;
    int rc = trackers_set(t->h, norm);
    if (!rc) rc = eng_apply_tracker_auth(e, t->h);
    if (!rc) lts_force_reannounce(t->h);
    return rc;
}

static int set_web_seeds(struct eng *e, struct eng_tor *t, const struct torrent_ops *o,
                         const char *norm, char *why, size_t whylen)
{
    (void)e, (void)o, (void)why, (void)whylen;
    return web_seeds_set(t->h, norm);
}

/* Piece priority 7 for the first and last piece of each file, 4 back. */
static int set_first_last(struct eng *e, struct eng_tor *t, const struct torrent_ops *o,
                          const char *norm, char *why, size_t whylen)
{
    (void)o, (void)why, (void)whylen;
    int n = each_end_piece(e, t->pub.id, set_prio, t->h, strcmp(norm, "true") == 0 ? 7 : 4);
    return n < 0 ? n : 0;
}

static int set_category_key(struct eng *e, struct eng_tor *t, const struct torrent_ops *o,
                            const char *norm, char *why, size_t whylen)
{
    (void)o;
    return set_category(e, t, norm, why, whylen);
}

static int check_category(struct eng *e, const char *norm, char *err, size_t errlen)
{
    if (!*norm) return 0;
    struct cat_find f = {.name = norm};
    if (e->st) store_categories_load(e->st, cat_cb, &f);
    if (f.found) return 0;
    snprintf(err, errlen, "no category '%.100s' (spate category set NAME ...)", norm);
    return -EINVAL;
}

static int set_tags(struct eng *e, struct eng_tor *t, const struct torrent_ops *o, const char *norm,
                    char *why, size_t whylen)
{
    (void)o, (void)why, (void)whylen;
    eng_set_str(&t->tags, &t->pub.tags, norm);
    return save_labels(e, t);
}

static const struct torrent_ops torrent_ops[] = {
    {.key = "download_limit", .get = get_limit, .set = set_limit, .arg = LTS_DOWNLOAD_LIMIT},
    {.key = "upload_limit", .get = get_limit, .set = set_limit, .arg = LTS_UPLOAD_LIMIT},
    {.key = "max_connections", .get = get_limit, .set = set_limit, .arg = LTS_MAX_CONNECTIONS},
    {.key = "max_uploads", .get = get_limit, .set = set_limit, .arg = LTS_MAX_UPLOADS},
    {.key = "sequential_download", .get = get_flag, .set = set_flag, .arg = LTS_TF_SEQUENTIAL},
    {.key = "first_last_piece", .get = get_first_last, .set = set_first_last},
    {.key = "super_seeding", .get = get_flag, .set = set_flag, .arg = LTS_TF_SUPER_SEEDING},
    {.key = "pex", .get = get_flag, .set = set_flag, .arg = LTS_TF_DISABLE_PEX, .inverted = true},
    {.key = "auto_managed", .get = get_flag, .set = set_flag, .arg = LTS_TF_AUTO_MANAGED},
    {.key = "queue_position", .get = get_queue, .set = set_queue, .verb = queue_verb},
    {.key = "storage_mode", .get = get_storage_mode},
    {.key = "save_path", .get = get_save_path, .set = set_save_path},
    {.key = "trackers", .get = get_trackers, .set = set_trackers},
    {.key = "web_seeds", .get = get_web_seeds, .set = set_web_seeds},
    {.key = "category", .get = get_category, .set = set_category_key, .check = check_category},
    {.key = "tags", .get = get_tags, .set = set_tags, .normalize = tags_normalize},
};

/* torrent_ops[] by registry index, built once (any thread); every
 * per-torrent key has its line. */
static const struct torrent_ops *topt_index[REG_MAX_KEYS];
static pthread_once_t topt_once = PTHREAD_ONCE_INIT;

static void topt_init(void)
{
    for (size_t i = 0; i < sizeof torrent_ops / sizeof torrent_ops[0]; i++) {
        const struct reg_key *k = reg_find(torrent_ops[i].key);
        assert(k && (k->scope & REG_TORRENT) && !topt_index[reg_index(k)]);
        if (k) topt_index[reg_index(k)] = &torrent_ops[i];
    }
    for (size_t i = 0; i < reg_count(); i++)
        assert(!(reg_at(i)->scope & REG_TORRENT) || topt_index[i]);
}

static const struct torrent_ops *topt_of(const struct reg_key *k)
{
    pthread_once(&topt_once, topt_init);
    return topt_index[reg_index(k)];
}

/* Normalizes a value of k (o's normalizer or the registry's). */
static int topt_normalize(const struct reg_key *k, const struct torrent_ops *o, const char *value,
                          char *norm, size_t normlen, char *msg, size_t msglen)
{
    return o && o->normalize ? o->normalize(value, norm, normlen, msg, msglen)
                             : reg_normalize(k, value, norm, normlen, msg, msglen);
}

int eng_torrent_opt_set(struct eng *e, int id, const char *key, const char *value, char *err,
                        size_t errlen)
{
    if (!e || !key || !value) return -EINVAL;
    err[0] = '\0';
    const struct reg_key *k = torrent_key(key, err, errlen);
    if (!k) return -EINVAL;
    struct eng_tor *t = eng_row_by_id(e, id);
    if (!t) {
        snprintf(err, errlen, "no torrent %d", id);
        return -ENOENT;
    }
    const struct torrent_ops *o = topt_of(k);
    char cur[OPT_MAX], edited[OPT_MAX], norm[OPT_MAX], msg[512] = "", why[OPT_MAX] = "";
    if ((k->flags & REG_F_ADD_ONLY) || !o || !o->set) {
        snprintf(err, errlen, "%s is chosen on add (spate add --opt %s=...)", key, key);
        return -EINVAL;
    }
    int rc = o->verb ? o->verb(t, value) : 0;
    if (rc < 0) return rc;
    if (rc == 1) {
        eng_request_resume(e, t);
        eng_emit(e, ENG_EV_UPDATED, &t->pub);
        return 0;
    }
    /* "+x" / "-x" edit the lists */
    if (k->flags & REG_F_LIST) {
        rc = eng_torrent_opt_get(e, id, key, cur, sizeof cur);
        if (rc) return rc;
        if (list_edit(cur, value, (k->flags & REG_F_TIERS) ? '|' : ',', edited, sizeof edited)) {
            snprintf(err, errlen, "%s: value too long", key);
            return -EINVAL;
        }
        value = edited;
    }
    rc = topt_normalize(k, o, value, norm, sizeof norm, msg, sizeof msg);
    if (rc < 0) {
        snprintf(err, errlen, "%s", msg[0] ? msg : "value too long");
        return -EINVAL;
    }
    snprintf(err, errlen, "%s", msg); /* a clamping warning */
    if ((k->flags & REG_F_NEEDS_METADATA) && !t->pub.has_metadata) {
        snprintf(err, errlen, "%s: the torrent has no metadata yet", key);
        return -EAGAIN;
    }
    rc = o->set(e, t, o, norm, why, sizeof why);
    if (rc) {
        if (why[0])
            snprintf(err, errlen, "%s", why);
        else
            snprintf(err, errlen, "libtorrent refused %s=%s", key, norm);
        return rc;
    }
    if (why[0]) snprintf(err, errlen, "%s", why);
    /* resume data carries the change across restarts */
    eng_request_resume(e, t);
    eng_emit(e, ENG_EV_UPDATED, &t->pub);
    return 0;
}

int eng_torrent_opt_check(struct eng *e, const char *key, const char *value, char *err,
                          size_t errlen)
{
    if (!e || !key || !value) return -EINVAL;
    const struct reg_key *k = torrent_key(key, err, errlen);
    if (!k) return -EINVAL;
    const struct torrent_ops *o = topt_of(k);
    char norm[OPT_MAX], msg[512] = "";
    if (o && o->verb && o->verb(NULL, value) == 1) return 0;
    /* "+x"/"-x" on a new torrent: check x */
    const char *v =
        (k->flags & REG_F_LIST) && (value[0] == '+' || value[0] == '-') ? value + 1 : value;
    int rc = topt_normalize(k, o, v, norm, sizeof norm, msg, sizeof msg);
    if (rc < 0) {
        snprintf(err, errlen, "%s", msg[0] ? msg : "value too long");
        return -EINVAL;
    }
    return o && o->check ? o->check(e, norm, err, errlen) : 0;
}

/* ------------------------------------------------------- categories */

int eng_category_set(struct eng *e, const struct eng_category *c, char *err, size_t errlen)
{
    if (!e || !c || !c->name) return -EINVAL;
    size_t len = strlen(c->name);
    if (!len || len > 64 || strchr(c->name, ',') || c->name[0] == ' ' || c->name[len - 1] == ' ') {
        snprintf(err, errlen, "a category name has 1 to 64 characters, no commas or outer spaces");
        return -EINVAL;
    }
    for (size_t i = 0; i < len; i++)
        if ((unsigned char)c->name[i] < 0x20) {
            snprintf(err, errlen, "a category name has no control characters");
            return -EINVAL;
        }
    if (c->save_path && *c->save_path && c->save_path[0] != '/') {
        snprintf(err, errlen, "category save_path must be absolute");
        return -EINVAL;
    }
    int rc = eng_save_path_check(e, c->save_path, err, errlen);
    if (rc) return rc;
    if (c->download_limit < 0 || c->upload_limit < 0 || c->download_limit > 2147483647 ||
        c->upload_limit > 2147483647 || c->share_ratio_limit < -1 || c->seed_time_limit < -1) {
        snprintf(err, errlen,
                 "category limits: rates 0..2147483647 bytes/s, ratio and seed time -1 or more");
        return -EINVAL;
    }
    if (!e->st) return 0;
    struct store_category row = {
        .name = c->name,
        .save_path = c->save_path ? c->save_path : "",
        .download_limit = c->download_limit,
        .upload_limit = c->upload_limit,
        .share_ratio_limit = c->share_ratio_limit,
        .seed_time_limit = c->seed_time_limit,
    };
    if (store_category_put(e->st, &row) < 0) {
        snprintf(err, errlen, "the store could not save the category");
        return -EIO;
    }
    return 0;
}

int eng_category_remove(struct eng *e, const char *name, char *err, size_t errlen)
{
    if (!e || !name) return -EINVAL;
    int rc = e->st ? store_category_delete(e->st, name) : -ENOENT;
    if (rc == -ENOENT) snprintf(err, errlen, "no category '%.100s'", name);
    if (rc) return rc;
    for (size_t i = 0; i < e->n; i++)
        if (strcmp(e->tors[i]->pub.category, name) == 0) {
            eng_set_str(&e->tors[i]->category, &e->tors[i]->pub.category, "");
            save_labels(e, e->tors[i]);
        }
    return 0;
}

struct cat_list {
    int (*cb)(const struct eng_category *c, void *ud);
    void *ud;
};

static int cat_list_cb(const struct store_category *c, void *ud)
{
    struct cat_list *l = ud;
    struct eng_category x = {
        .name = c->name,
        .save_path = c->save_path,
        .download_limit = c->download_limit,
        .upload_limit = c->upload_limit,
        .share_ratio_limit = c->share_ratio_limit,
        .seed_time_limit = c->seed_time_limit,
    };
    return l->cb(&x, l->ud);
}

int eng_categories(struct eng *e, int (*cb)(const struct eng_category *c, void *ud), void *ud)
{
    if (!e || !cb) return -EINVAL;
    if (!e->st) return 0;
    struct cat_list l = {cb, ud};
    return store_categories_load(e->st, cat_list_cb, &l);
}

int eng_category_seed_limits(struct eng *e, const char *name, int64_t *ratio, int64_t *seed_time)
{
    struct cat_find f = {.name = name};
    if (!e || !name || !*name) return -ENOENT;
    if (e->st) store_categories_load(e->st, cat_cb, &f);
    if (!f.found) return -ENOENT;
    *ratio = f.ratio;
    *seed_time = f.seed_time;
    return 0;
}
