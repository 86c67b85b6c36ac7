/*
 * ftree.c — the Files tab's tree view over the mount's file tree; see
 * ftree.h.
 *
 * Everything is arrays indexed by node, filled in one pre-order walk: a
 * directory's subtree is then one slice of `order` (pos .. pos + span),
 * so skipping a collapsed directory, visiting every file below one and
 * summing bottom-up (a reverse walk, children come after their parent)
 * are all plain loops, linear in the number of nodes.
 */
#include "ui/ftree.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

void ui_ftree_free(struct ui_ftree *ft)
{
    if (!ft) return;
    fs_tree_free(&ft->t);
    free(ft->order);
    free(ft->pos);
    free(ft->span);
    free(ft->depth);
    free(ft->collapsed);
    free(ft->done);
    free(ft->prio);
    free(ft->rows);
    memset(ft, 0, sizeof *ft);
}

bool ui_ftree_is_dir(const struct ui_ftree *ft, uint32_t v)
{
    return v < ft->t.n_nodes && ft->t.nodes[v].file < 0;
}

/* The rows: the walk of `order`, jumping over collapsed subtrees. */
static void rows_build(struct ui_ftree *ft)
{
    size_t k = 0;
    for (uint32_t i = 1; i < ft->t.n_nodes;) {
        uint32_t v = ft->order[i];
        ft->rows[k++] = v;
        i += ft->collapsed[v] ? ft->span[v] : 1;
    }
    ft->n_rows = k;
}

/* Display order: pre-order from node 0, in each directory its
 * subdirectories, then its files, each group in the tree's (name) order. */
static void order_build(struct ui_ftree *ft, uint32_t *stack)
{
    const struct fs_tree *t = &ft->t;
    size_t sp = 0, k = 0;
    stack[sp++] = 0;
    while (sp) {
        uint32_t v = stack[--sp];
        ft->order[k++] = v;
        const struct fs_node *d = &t->nodes[v];
        /* pushed in reverse so that they pop in display order */
        for (uint32_t pass = 0; pass < 2; pass++) {
            bool want_dirs = pass == 1;
            for (uint32_t c = d->n_children; c-- > 0;) {
                uint32_t ch = t->children[d->first_child + c];
                if ((t->nodes[ch].file < 0) == want_dirs) stack[sp++] = ch;
            }
        }
    }
}

int ui_ftree_build(struct ui_ftree *ft, const struct fs_file_in *files, size_t n, bool multi_file)
{
    memset(ft, 0, sizeof *ft);
    int rc = fs_tree_build(files, n, multi_file, &ft->t);
    if (rc) return rc;
    size_t nn = ft->t.n_nodes;
    ft->n_in_files = n;
    ft->order = calloc(nn, sizeof *ft->order);
    ft->pos = calloc(nn, sizeof *ft->pos);
    ft->span = calloc(nn, sizeof *ft->span);
    ft->depth = calloc(nn, sizeof *ft->depth);
    ft->collapsed = calloc(nn, sizeof *ft->collapsed);
    ft->done = calloc(nn, sizeof *ft->done);
    ft->prio = calloc(nn, sizeof *ft->prio);
    ft->rows = calloc(nn, sizeof *ft->rows);
    uint32_t *stack = calloc(nn, sizeof *stack);
    if (!ft->order || !ft->pos || !ft->span || !ft->depth || !ft->collapsed || !ft->done ||
        !ft->prio || !ft->rows || !stack) {
        free(stack);
        ui_ftree_free(ft);
        return -ENOMEM;
    }
    order_build(ft, stack);
    free(stack);
    const struct fs_node *nodes = ft->t.nodes;
    for (uint32_t i = 0; i < nn; i++) {
        uint32_t v = ft->order[i], p = nodes[v].parent;
        ft->pos[v] = i;
        ft->span[v] = 1;
        ft->depth[v] = v == 0 || p == 0 ? 0 : ft->depth[p] + 1;
        ft->prio[v] = nodes[v].file < 0 ? UI_PRIO_NONE : UI_PRIO_NORMAL;
    }
    for (uint32_t i = (uint32_t)nn; i-- > 1;) {
        uint32_t v = ft->order[i];
        ft->span[nodes[v].parent] += ft->span[v];
    }
    rows_build(ft);
    return 0;
}

bool ui_ftree_toggle(struct ui_ftree *ft, uint32_t v)
{
    if (v == 0 || !ui_ftree_is_dir(ft, v)) return false;
    ft->collapsed[v] = !ft->collapsed[v];
    rows_build(ft);
    return true;
}

size_t ui_ftree_row_of(const struct ui_ftree *ft, uint32_t v)
{
    if (ft->n_rows == 0 || v >= ft->t.n_nodes) return 0;
    /* the outermost collapsed ancestor hides v, and is itself a row */
    uint32_t shown = v;
    for (uint32_t a = ft->t.nodes[v].parent; a != 0; a = ft->t.nodes[a].parent)
        if (ft->collapsed[a]) shown = a;
    if (shown == 0) return 0;
    /* rows are in display order: binary search by position */
    size_t lo = 0, hi = ft->n_rows;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (ft->pos[ft->rows[mid]] < ft->pos[shown])
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < ft->n_rows ? lo : ft->n_rows - 1;
}

void ui_ftree_aggregate(struct ui_ftree *ft, const int64_t *file_done, const int *file_prio)
{
    const struct fs_node *nodes = ft->t.nodes;
    uint32_t nn = ft->t.n_nodes;
    for (uint32_t v = 0; v < nn; v++) {
        int32_t f = nodes[v].file;
        if (f < 0 || (size_t)f >= ft->n_in_files) {
            ft->done[v] = 0;
            ft->prio[v] = UI_PRIO_NONE;
            continue;
        }
        ft->done[v] = file_done ? file_done[f] : 0;
        int p = file_prio ? file_prio[f] : UI_PRIO_NORMAL;
        ft->prio[v] = p < 0 || p > UI_PRIO_HIGH ? UI_PRIO_MIXED : p;
    }
    /* bottom-up: in reverse display order every child precedes its parent */
    for (uint32_t i = nn; i-- > 1;) {
        uint32_t v = ft->order[i], p = nodes[v].parent;
        ft->done[p] += ft->done[v];
        int cp = ft->prio[v];
        if (cp == UI_PRIO_NONE) continue;
        if (ft->prio[p] == UI_PRIO_NONE)
            ft->prio[p] = cp;
        else if (ft->prio[p] != cp)
            ft->prio[p] = UI_PRIO_MIXED;
    }
}

double ui_ftree_fraction(const struct ui_ftree *ft, uint32_t v)
{
    if (v >= ft->t.n_nodes) return 0;
    int64_t size = ft->t.nodes[v].size, done = ft->done[v];
    if (size <= 0) return 1.0;
    if (done <= 0) return 0;
    return done >= size ? 1.0 : (double)done / (double)size;
}

void ui_ftree_each_file(const struct ui_ftree *ft, uint32_t v, void (*fn)(int file, void *ud),
                        void *ud)
{
    if (v >= ft->t.n_nodes) return;
    for (uint32_t i = ft->pos[v], end = ft->pos[v] + ft->span[v]; i < end; i++) {
        int32_t f = ft->t.nodes[ft->order[i]].file;
        if (f >= 0) fn(f, ud);
    }
}

int ui_prio_up(int p)
{
    if (p < UI_PRIO_LOW) return UI_PRIO_LOW;
    if (p < UI_PRIO_NORMAL) return UI_PRIO_NORMAL;
    return UI_PRIO_HIGH;
}

int ui_prio_down(int p)
{
    if (p > UI_PRIO_NORMAL) return UI_PRIO_NORMAL;
    if (p > UI_PRIO_LOW) return UI_PRIO_LOW;
    return UI_PRIO_SKIP;
}

int ui_prio_skip_toggle(int p)
{
    return p == UI_PRIO_SKIP ? UI_PRIO_NORMAL : UI_PRIO_SKIP;
}

const char *ui_prio_name(int p)
{
    static const char *const names[] = {"skip", "low", "2", "3", "normal", "5", "6", "high"};
    if (p == UI_PRIO_MIXED) return "mixed";
    if (p < 0 || p > UI_PRIO_HIGH) return "-";
    return names[p];
}
