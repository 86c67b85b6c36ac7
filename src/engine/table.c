/*
 * table.c — the torrent table: rows ordered by id, the map from info-hash
 * key to row, and the lookups on both.
 *
 * Each torrent is one struct eng_tor (engine_int.h) in e->tors, kept in
 * the order of its id; ids are handed out from e->next_id and never reused,
 * so appending keeps the order and eng_row_by_id can bisect. e->map is an
 * open-addressing table on the libtorrent key of the same rows (alerts
 * name torrents by key). Every add and remove goes through
 * eng_table_insert / eng_table_remove, which keep both in step.
 */
#include "engine/engine_int.h"

#include <assert.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

static void key_hex(const uint8_t key[LTS_KEY_LEN], char out[41])
{
    static const char hex[] = "0123456789abcdef";
    for (int i = 0; i < LTS_KEY_LEN; i++) {
        out[2 * i] = hex[key[i] >> 4];
        out[2 * i + 1] = hex[key[i] & 15];
    }
    out[40] = '\0';
}

/* --------------------------------------------------------------- the map */

static size_t key_slot(const uint8_t key[LTS_KEY_LEN], size_t cap)
{
    assert(cap && (cap & (cap - 1)) == 0); /* a power of 2: the mask below */
    uint64_t h;
    memcpy(&h, key, sizeof h); /* info-hashes are uniformly distributed */
    return (size_t)h & (cap - 1);
}

static void map_insert(struct eng_tor **map, size_t cap, struct eng_tor *t)
{
    size_t i = key_slot(t->key, cap);
    while (map[i])
        i = (i + 1) & (cap - 1);
    map[i] = t;
}

static int map_rebuild(struct eng *e, size_t want)
{
    size_t cap = 64;
    while (cap < want * 2)
        cap *= 2;
    struct eng_tor **m = calloc(cap, sizeof *m);
    if (!m) return -ENOMEM;
    for (size_t i = 0; i < e->n; i++)
        map_insert(m, cap, e->tors[i]);
    free(e->map);
    e->map = m;
    e->map_cap = cap;
    return 0;
}

/* Without memory for a new map: the rows again into the one there is
 * (removing never needs more room). */
static void map_refill(struct eng *e)
{
    memset(e->map, 0, e->map_cap * sizeof *e->map);
    for (size_t i = 0; i < e->n; i++)
        map_insert(e->map, e->map_cap, e->tors[i]);
}

int eng_table_init(struct eng *e)
{
    e->next_id = 1;
    return map_rebuild(e, 0);
}

static void row_free(struct eng_tor *t);

void eng_table_free(struct eng *e)
{
    for (size_t i = 0; i < e->n; i++)
        row_free(e->tors[i]);
    free(e->tors);
    free(e->map);
    e->tors = e->map = NULL;
    e->n = e->cap = e->map_cap = 0;
}

struct eng_tor *eng_find_key(const struct eng *e, const uint8_t key[LTS_KEY_LEN])
{
    if (!e->map) return NULL;
    for (size_t i = key_slot(key, e->map_cap); e->map[i]; i = (i + 1) & (e->map_cap - 1))
        if (memcmp(e->map[i]->key, key, LTS_KEY_LEN) == 0) return e->map[i];
    return NULL;
}

struct eng_tor *eng_row_by_id(const struct eng *e, int id)
{
    /* ids only grow and the table is ordered by id (asserted on insert) */
    size_t lo = 0, hi = e->n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (e->tors[mid]->pub.id < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < e->n && e->tors[lo]->pub.id == id ? e->tors[lo] : NULL;
}

/* ------------------------------------------------------------- the table */

void eng_set_str(char **slot, const char **pub, const char *v)
{
    if (v && *slot && strcmp(*slot, v) == 0) return;
    char *copy = v ? strdup(v) : NULL;
    if (v && !copy) return; /* keep the old value rather than lose it */
    free(*slot);
    *slot = copy;
    *pub = copy;
}

struct eng_tor *eng_table_insert(struct eng *e, const uint8_t key[LTS_KEY_LEN],
                                 struct lts_torrent *h, const char *name, const char *save_path)
{
    if (e->n == e->cap) {
        size_t cap = e->cap ? e->cap * 2 : 64;
        struct eng_tor **n = realloc(e->tors, cap * sizeof *n);
        if (!n) return NULL;
        e->tors = n;
        e->cap = cap;
    }
    if ((e->n + 1) * 2 > e->map_cap && map_rebuild(e, e->n + 1)) return NULL;
    assert(!eng_find_key(e, key)); /* callers refuse a duplicate first */
    struct eng_tor *t = calloc(1, sizeof *t);
    if (!t) return NULL;
    memcpy(t->key, key, LTS_KEY_LEN);
    t->h = h;
    t->pub.id = e->next_id++;
    key_hex(key, t->pub.info_hash);
    t->pub.eta_s = -1;
    t->pub.queue_pos = -1;
    t->pub.state = ENG_STATE_CHECKING;
    eng_set_str(&t->name, &t->pub.name, name && *name ? name : t->pub.info_hash);
    eng_set_str(&t->save_path, &t->pub.save_path, save_path ? save_path : "");
    eng_set_str(&t->category, &t->pub.category, "");
    eng_set_str(&t->tags, &t->pub.tags, "");
    /* the order eng_row_by_id bisects: a new id is above every other */
    assert(t->pub.id > 0 && (e->n == 0 || e->tors[e->n - 1]->pub.id < t->pub.id));
    e->tors[e->n++] = t;
    map_insert(e->map, e->map_cap, t);
    assert(e->n * 2 <= e->map_cap && eng_find_key(e, key) == t);
    return t;
}

static void row_free(struct eng_tor *t)
{
    if (!t) return;
    lts_torrent_free(t->h);
    free(t->name);
    free(t->save_path);
    free(t->error);
    free(t->err_text);
    free(t->category);
    free(t->tags);
    free(t);
}

void eng_table_remove(struct eng *e, struct eng_tor *t)
{
    size_t i = 0;
    while (i < e->n && e->tors[i] != t)
        i++;
    assert(i < e->n); /* a row of this table */
    if (i == e->n) return;
    memmove(&e->tors[i], &e->tors[i + 1], (e->n - i - 1) * sizeof *e->tors);
    e->n--;
    if (map_rebuild(e, e->n)) map_refill(e);
    assert(!eng_find_key(e, t->key)); /* no slot left pointing at the freed row */
    row_free(t);
}

/* ------------------------------------------------------------------ reads */

size_t eng_torrent_count(const struct eng *e)
{
    return e ? e->n : 0;
}

const struct eng_torrent *eng_torrent_at(const struct eng *e, size_t i)
{
    return e && i < e->n ? &e->tors[i]->pub : NULL;
}

const struct eng_torrent *eng_torrent_by_id(const struct eng *e, int id)
{
    struct eng_tor *t = e ? eng_row_by_id(e, id) : NULL;
    return t ? &t->pub : NULL;
}
