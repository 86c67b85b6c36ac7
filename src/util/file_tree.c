/*
 * file_tree.c — a torrent's file list as an immutable tree; see file_tree.h.
 *
 * The tree is built once, when the torrent's metadata is known, and then
 * read by any number of FUSE threads without locks, so it is plain arrays:
 * nodes, each directory's children as one sorted slice of `children`
 * (lookup is a binary search, readdir a walk), and the names in one block.
 *
 * Building sorts instead of hashing: file lists come from untrusted
 * torrents, and a sort is O(n log n) whatever names an attacker picks.
 *  1. every path is split and each component sanitized;
 *  2. the paths are sorted component by component, so files sharing a
 *     directory are adjacent and the directories fall out of one walk;
 *  3. the nodes are sorted by (directory, name) and clashing names are
 *     given "~N", repeating in the rare case where a new name clashes again
 *     (only possible when cutting over-long names makes two equal).
 */
#include "util/file_tree.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* One file's path, split and sanitized. */
struct rec {
    const char **comp; /* its components; the last one names the file */
    uint32_t n;        /* >= 1 */
    int32_t file;      /* input index = libtorrent file index */
    int64_t size;
};

/* One non-root node while its name is made unique in its directory. */
struct ent {
    const char *name;
    uint32_t node, parent;
    uint32_t first; /* lowest input index below it: who came first keeps the name */
};

/* Calls fn(seg, len, arg) for each non-empty '/'-separated segment of path;
 * returns how many there are. */
static uint32_t segments(const char *path, void (*fn)(const char *, size_t, void *), void *arg)
{
    uint32_t n = 0;
    for (const char *p = path; *p;) {
        const char *e = strchr(p, '/');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        if (len) {
            n++;
            if (fn) fn(p, len, arg);
        }
        p += len + (e ? 1 : 0);
    }
    return n;
}

/* fill_seg's state: where one path's components and their names go. */
struct fill {
    const char **comp;
    uint32_t n, skip; /* components stored so far; leading ones still to skip */
    char *w;
};

static void fill_seg(const char *seg, size_t len, void *arg)
{
    struct fill *f = arg;
    if (f->skip) {
        f->skip--;
        return;
    }
    /* a sanitized name is never longer than its input (every bad byte
     * becomes one '_'; ".", ".." keep their length), which sizes the buffer */
    size_t k = fs_sanitize_name(seg, len, f->w, FS_NAME_MAX + 1);
    f->comp[f->n++] = f->w;
    f->w += k + 1;
}

/* Orders paths component by component; at one position a directory sorts
 * before a file of the same name, so that no path is a prefix of another
 * and all paths below one directory are adjacent. Equal paths keep input
 * order. */
static int cmp_rec(const void *pa, const void *pb)
{
    const struct rec *a = pa, *b = pb;
    for (uint32_t j = 0;; j++) {
        bool fa = j + 1 == a->n, fb = j + 1 == b->n;
        int s = strcmp(a->comp[j], b->comp[j]);
        if (s) return s;
        if (fa != fb) return fa ? 1 : -1;
        if (fa) break; /* both files, same name */
    }
    return (a->file > b->file) - (a->file < b->file);
}

static int cmp_ent(const void *pa, const void *pb)
{
    const struct ent *a = pa, *b = pb;
    if (a->parent != b->parent) return a->parent < b->parent ? -1 : 1;
    int s = strcmp(a->name, b->name);
    if (s) return s;
    return (a->first > b->first) - (a->first < b->first);
}

/* Whether name is among the n entries e (sorted by name). */
static bool has_name(const struct ent *e, size_t n, const char *name)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int s = strcmp(e[mid].name, name);
        if (s == 0) return true;
        if (s < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return false;
}

/* base with "~k" before its extension, cut to FS_NAME_MAX on a UTF-8
 * boundary (base is valid UTF-8). A leading dot is not an extension
 * (".hidden" -> ".hidden~2"), nor is one too long to leave room for a stem.
 * Returns the length written to out (FS_NAME_MAX + 1 bytes). */
static size_t dup_name(const char *base, unsigned long k, char *out)
{
    char suf[24];
    size_t sl = (size_t)snprintf(suf, sizeof suf, "~%lu", k);
    size_t bl = strlen(base);
    const char *dot = strrchr(base, '.');
    size_t ext = dot && dot != base ? bl - (size_t)(dot - base) : 0;
    if (ext + sl + 1 > FS_NAME_MAX) ext = 0;
    size_t stem = bl - ext;
    if (stem + sl + ext > FS_NAME_MAX) {
        stem = FS_NAME_MAX - sl - ext;
        while (stem > 0 && ((unsigned char)base[stem] & 0xc0) == 0x80)
            stem--;
    }
    memcpy(out, base, stem);
    memcpy(out + stem, suf, sl);
    memcpy(out + stem + sl, base + bl - ext, ext);
    out[stem + sl + ext] = '\0';
    return stem + sl + ext;
}

/* Everything fs_tree_build allocates on its way; freed in one place. */
struct build {
    struct rec *recs;
    const char **comps;
    char *buf; /* sanitized components, then generated names */
    size_t used, cap;
    struct fs_node *nodes;
    size_t *noff;     /* [node]: its name's offset in buf */
    uint32_t *first;  /* [node]: see struct ent */
    uint32_t *stack;  /* the directory nodes of the current path */
    struct ent *ents; /* the non-root nodes */
    uint32_t *children;
    char *names;
};

static void build_free(struct build *b)
{
    free(b->recs);
    free(b->comps);
    free(b->buf);
    free(b->nodes);
    free(b->noff);
    free(b->first);
    free(b->stack);
    free(b->ents);
    free(b->children);
    free(b->names);
}

/* Renames every entry whose name an earlier entry of its directory already
 * has; ents is sorted (cmp_ent). Sets *renamed to how many; 0 or -ENOMEM.
 * New names are checked against all the names the directory had on entry,
 * so they can only clash among themselves: the caller sorts and repeats. */
static int rename_clashes(struct build *b, struct ent *ents, size_t ne, size_t *renamed)
{
    size_t clashes = 0;
    for (size_t i = 1; i < ne; i++)
        if (ents[i].parent == ents[i - 1].parent && strcmp(ents[i].name, ents[i - 1].name) == 0)
            clashes++;
    *renamed = clashes;
    if (!clashes) return 0;
    /* room for all new names up front, so that ents' pointers stay valid
     * while they are written */
    if (clashes > (SIZE_MAX - b->used) / (FS_NAME_MAX + 1)) return -ENOMEM;
    size_t need = b->used + clashes * (FS_NAME_MAX + 1);
    if (need > b->cap) {
        char *nb = realloc(b->buf, need);
        if (!nb) return -ENOMEM;
        b->buf = nb;
        b->cap = need;
        for (size_t i = 0; i < ne; i++)
            ents[i].name = nb + b->noff[ents[i].node];
    }
    size_t lo = 0, hi = 0; /* the current directory's entries */
    for (size_t i = 0; i < ne;) {
        if (i == hi) {
            lo = hi;
            while (hi < ne && ents[hi].parent == ents[lo].parent)
                hi++;
        }
        size_t j = i + 1;
        while (j < hi && strcmp(ents[j].name, ents[i].name) == 0)
            j++;
        unsigned long k = 2;
        for (size_t m = i + 1; m < j; m++, k++) {
            char cand[FS_NAME_MAX + 1];
            size_t len = dup_name(ents[i].name, k, cand);
            while (has_name(ents + lo, hi - lo, cand))
                len = dup_name(ents[i].name, ++k, cand);
            memcpy(b->buf + b->used, cand, len + 1);
            b->noff[ents[m].node] = b->used;
            b->used += len + 1;
        }
        i = j;
    }
    return 0;
}

int fs_tree_build(const struct fs_file_in *files, size_t n, bool multi_file, struct fs_tree *out)
{
    memset(out, 0, sizeof *out);
    struct build b = {0};
    if (n > INT32_MAX) return -ENOMEM; /* file indices are int32_t */

    /* pass 1: sizes */
    size_t n_rec = 0, n_comp = 0, max_n = 1;
    b.cap = 1; /* node 0's "" */
    for (size_t i = 0; i < n; i++) {
        if (files[i].pad) continue;
        const char *path = files[i].path ? files[i].path : "";
        uint32_t c = segments(path, NULL, NULL);
        /* a path that is only the torrent's directory (or nothing at all)
         * still names a file: keep its one component, or call it "_" */
        uint32_t kept = multi_file && c > 1 ? c - 1 : c ? c : 1;
        n_rec++;
        n_comp += kept;
        b.cap += strlen(path) + kept + 1;
        if (kept > max_n) max_n = kept;
    }
    if (n_comp >= UINT32_MAX) return -ENOMEM; /* node indices are uint32_t */

    b.recs = calloc(n_rec ? n_rec : 1, sizeof *b.recs);
    b.comps = calloc(n_comp ? n_comp : 1, sizeof *b.comps);
    b.buf = malloc(b.cap);
    b.nodes = calloc(n_comp + 1, sizeof *b.nodes);
    b.noff = calloc(n_comp + 1, sizeof *b.noff);
    b.first = calloc(n_comp + 1, sizeof *b.first);
    b.stack = calloc(max_n + 1, sizeof *b.stack);
    b.ents = calloc(n_comp ? n_comp : 1, sizeof *b.ents);
    if (!b.recs || !b.comps || !b.buf || !b.nodes || !b.noff || !b.first || !b.stack || !b.ents)
        goto nomem;

    /* pass 2: split and sanitize */
    struct fill f = {.comp = b.comps, .w = b.buf + 1};
    b.buf[0] = '\0';
    size_t r = 0;
    for (size_t i = 0; i < n; i++) {
        if (files[i].pad) continue;
        const char *path = files[i].path ? files[i].path : "";
        uint32_t c = segments(path, NULL, NULL);
        const char **start = f.comp + f.n;
        uint32_t before = f.n;
        f.skip = multi_file && c > 1 ? 1 : 0;
        segments(path, fill_seg, &f);
        if (c == 0) {
            memcpy(f.w, "_", 2);
            f.comp[f.n++] = f.w;
            f.w += 2;
        }
        b.recs[r++] = (struct rec){start, f.n - before, (int32_t)i, files[i].size};
    }
    b.used = (size_t)(f.w - b.buf);

    /* the directories: one walk over the sorted paths, reusing the prefix
     * the previous path shares */
    qsort(b.recs, n_rec, sizeof *b.recs, cmp_rec);
    uint32_t nn = 1;
    b.nodes[0].file = -1;
    b.stack[0] = 0;
    for (size_t i = 0; i < n_rec; i++) {
        const struct rec *rc = &b.recs[i], *prev = i ? &b.recs[i - 1] : NULL;
        uint32_t k = 0;
        while (prev && k + 1 < rc->n && k + 1 < prev->n && strcmp(rc->comp[k], prev->comp[k]) == 0)
            k++;
        for (uint32_t j = k; j + 1 < rc->n; j++) {
            uint32_t d = nn++;
            b.nodes[d].parent = b.stack[j];
            b.nodes[d].file = -1;
            b.noff[d] = (size_t)(rc->comp[j] - b.buf);
            b.first[d] = (uint32_t)rc->file;
            b.nodes[b.stack[j]].n_subdirs++;
            b.stack[j + 1] = d;
        }
        uint32_t v = nn++;
        b.nodes[v].parent = b.stack[rc->n - 1];
        b.nodes[v].file = rc->file;
        b.nodes[v].size = rc->size;
        b.noff[v] = (size_t)(rc->comp[rc->n - 1] - b.buf);
        b.first[v] = (uint32_t)rc->file;
        for (uint32_t j = 0; j < rc->n; j++) {
            b.nodes[b.stack[j]].size += rc->size;
            if (b.first[b.stack[j]] > (uint32_t)rc->file) b.first[b.stack[j]] = (uint32_t)rc->file;
        }
    }
    free(b.recs);
    free(b.comps);
    b.recs = NULL;
    b.comps = NULL;

    /* unique names, then each directory's children as a sorted slice */
    size_t ne = nn - 1;
    for (;;) {
        for (size_t i = 0; i < ne; i++) {
            uint32_t v = (uint32_t)i + 1;
            b.ents[i] = (struct ent){b.buf + b.noff[v], v, b.nodes[v].parent, b.first[v]};
        }
        qsort(b.ents, ne, sizeof *b.ents, cmp_ent);
        size_t renamed;
        if (rename_clashes(&b, b.ents, ne, &renamed)) goto nomem;
        if (renamed == 0) break;
    }
    b.children = calloc(ne ? ne : 1, sizeof *b.children);
    if (!b.children) goto nomem;
    for (size_t i = 0; i < ne; i++) {
        struct fs_node *p = &b.nodes[b.ents[i].parent];
        if (p->n_children == 0) p->first_child = (uint32_t)i;
        p->n_children++;
        b.children[i] = b.ents[i].node;
    }

    /* the names in one block of their own: buf also holds every path's
     * copy of its directories' names, and names given up on a clash */
    size_t total = 0;
    for (uint32_t v = 0; v < nn; v++)
        total += strlen(b.buf + b.noff[v]) + 1;
    if (!(b.names = malloc(total))) goto nomem;
    char *w = b.names;
    for (uint32_t v = 0; v < nn; v++) {
        size_t len = strlen(b.buf + b.noff[v]);
        memcpy(w, b.buf + b.noff[v], len + 1);
        b.nodes[v].name = w;
        w += len + 1;
    }

    struct fs_node *shrunk = realloc(b.nodes, nn * sizeof *b.nodes);
    out->nodes = shrunk ? shrunk : b.nodes;
    out->n_nodes = nn;
    out->children = b.children;
    out->names = b.names;
    b.nodes = NULL;
    b.children = NULL;
    b.names = NULL;
    build_free(&b);
    return 0;
nomem:
    build_free(&b);
    return -ENOMEM;
}

void fs_tree_free(struct fs_tree *t)
{
    if (!t) return;
    free(t->nodes);
    free(t->children);
    free(t->names);
    memset(t, 0, sizeof *t);
}

int64_t fs_tree_lookup(const struct fs_tree *t, uint32_t dir, const char *name)
{
    if (!t || !name || dir >= t->n_nodes || t->nodes[dir].file >= 0) return -1;
    const struct fs_node *d = &t->nodes[dir];
    size_t lo = 0, hi = d->n_children;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        uint32_t c = t->children[d->first_child + mid];
        int s = strcmp(t->nodes[c].name, name);
        if (s == 0) return c;
        if (s < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return -1;
}
