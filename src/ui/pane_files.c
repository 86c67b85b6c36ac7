/*
 * pane_files.c — the Files tab of the detail area: the selected torrent's
 * files as a tree, with collapsible directories, and their priorities.
 *
 *    3 files, 12.0 MiB, 12.0 MiB wanted  Sequential: off (s)  First/last: off (f)
 *    Name                                            Size  Done  Priority
 *    ▾ sub/                                       4.0 MiB   50%  mixed
 *        c.bin                                    2.0 MiB  100%  high
 *        d.bin                                    2.0 MiB    0%  skip
 *      a.bin                                      8.0 MiB   12%  normal
 *
 * The tree (ftree.c, over util/file_tree.h's fs_tree) is built once per
 * torrent, when its metadata is known; each row of a directory shows the
 * sum of its files' sizes and bytes done and their common priority, or
 * "mixed". Keys (UI_SCOPE_FILES, while the detail area has the focus):
 * open/close a directory, priority up/down one step (skip, low, normal,
 * high) on the file or every file below the directory, skip toggles
 * skip/normal, and the torrent's sequential_download and first_last_piece
 * toggle. Every change goes through the engine (eng_set_file_priority,
 * eng_torrent_opt_set); errors go to the message line.
 *
 * Reading every file's priority costs one libtorrent call per file, so
 * they are re-read at most every PRIO_MS (the bytes done, one call, every
 * DONE_MS); a change this pane makes updates its copy at once. Only the
 * visible rows are formatted.
 *
 * View state only, for one torrent at a time (its id and info-hash): the
 * cursor (as a node, so it stays on its file when directories above
 * collapse), the scroll and which directories are collapsed. Another
 * selection starts fresh.
 */
#include "ui/ui_int.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ui/ftree.h"
#include "ui/format.h"

#define DONE_MS 1000 /* re-read the bytes done at most this often */
#define PRIO_MS 2000 /* re-read the priorities at most this often */
#define NAME_MIN 12  /* the name column keeps this many columns while others can go */
#define SIZE_W 9     /* the widest size is 8 ("1023 KiB", "99.9 MiB") */
#define PRIO_W 8     /* "Priority"; the values are at most 6 ("normal") */
#define PCT_W 4      /* "100%" */
#define BAR_CELLS 10 /* with a bar: "[##########] 100%" */

struct files_pane {
    struct ui_pane base;
    int id;             /* the torrent shown, 0 none */
    char info_hash[41]; /* and its hash: an id is not reused, but be sure */
    bool has_tree;
    int meta_rc; /* the last eng_meta_get's error, 0 when the tree is built */
    struct ui_ftree ft;
    int64_t *file_done; /* [ft.n_in_files], by libtorrent file index */
    int *file_prio;
    uint64_t done_ms, prio_ms; /* when last read; 0 never */
    bool seq, first_last;      /* the torrent's flags, as last read */
    bool seq_known, first_last_known;
    uint32_t cur; /* the node under the cursor, 0 none */
    size_t sel;   /* its row */
    size_t top;   /* first row shown */
    int page;     /* rows shown at the last draw */
};

/* Forgets the torrent: the next look starts fresh. */
static void reset(struct files_pane *fp)
{
    ui_ftree_free(&fp->ft);
    free(fp->file_done);
    free(fp->file_prio);
    fp->file_done = NULL;
    fp->file_prio = NULL;
    fp->has_tree = false;
    fp->meta_rc = 0;
    fp->done_ms = fp->prio_ms = 0;
    fp->seq_known = fp->first_last_known = false;
    fp->cur = 0;
    fp->sel = fp->top = 0;
}

/* Builds the tree from the torrent's metadata; 0 or the error (-EAGAIN:
 * none yet). */
static int build_tree(struct files_pane *fp, struct eng *e)
{
    struct eng_meta *m = NULL;
    int rc = eng_meta_get(e, fp->id, &m);
    if (rc) return rc;
    size_t n = m->n_files;
    struct fs_file_in *in = calloc(n ? n : 1, sizeof *in);
    fp->file_done = calloc(n ? n : 1, sizeof *fp->file_done);
    fp->file_prio = calloc(n ? n : 1, sizeof *fp->file_prio);
    rc = in && fp->file_done && fp->file_prio ? 0 : -ENOMEM;
    for (size_t i = 0; !rc && i < n; i++) {
        /* files come in index order; fs_tree_build takes position i as index i */
        in[i] = (struct fs_file_in){m->files[i].path, m->files[i].size, m->files[i].pad};
        fp->file_prio[i] = UI_PRIO_NORMAL;
    }
    if (!rc) rc = ui_ftree_build(&fp->ft, in, n, m->multi_file);
    free(in);
    eng_meta_free(m);
    if (rc) {
        free(fp->file_done);
        free(fp->file_prio);
        fp->file_done = NULL;
        fp->file_prio = NULL;
        return rc;
    }
    fp->has_tree = true;
    fp->cur = fp->ft.n_rows ? fp->ft.rows[0] : 0;
    return 0;
}

static void read_flags(struct files_pane *fp, struct eng *e)
{
    char v[16];
    fp->seq_known = eng_torrent_opt_get(e, fp->id, "sequential_download", v, sizeof v) == 0;
    fp->seq = fp->seq_known && strcmp(v, "true") == 0;
    fp->first_last_known = eng_torrent_opt_get(e, fp->id, "first_last_piece", v, sizeof v) == 0;
    fp->first_last = fp->first_last_known && strcmp(v, "true") == 0;
}

/* Re-reads what is due and re-sums the directories. */
static void update_figures(struct files_pane *fp, struct ui *u)
{
    uint64_t now = uv_now(u->loop);
    if (!fp->done_ms || now - fp->done_ms >= DONE_MS) {
        read_flags(fp, u->eng);
        if (fp->has_tree &&
            eng_file_progress(u->eng, fp->id, fp->file_done, fp->ft.n_in_files) != 0)
            memset(fp->file_done, 0, fp->ft.n_in_files * sizeof *fp->file_done);
        fp->done_ms = now ? now : 1;
    }
    if (fp->has_tree && (!fp->prio_ms || now - fp->prio_ms >= PRIO_MS)) {
        /* one call for every file (a torrent may have thousands) */
        if (eng_file_priorities(u->eng, fp->id, fp->file_prio, fp->ft.n_in_files) != 0)
            for (size_t f = 0; f < fp->ft.n_in_files; f++)
                fp->file_prio[f] = -1;
        fp->prio_ms = now ? now : 1;
    }

    if (fp->has_tree) ui_ftree_aggregate(&fp->ft, fp->file_done, fp->file_prio);
}

/* Follows the list's selection; returns its torrent or NULL. Builds the
 * tree once the metadata is there and keeps the figures fresh. */
static const struct eng_torrent *sync_torrent(struct files_pane *fp, struct ui *u)
{
    int id = ui_selected_id(u);
    const struct eng_torrent *t = id > 0 ? eng_torrent_by_id(u->eng, id) : NULL;
    if (!t) {
        if (fp->id) reset(fp);
        fp->id = 0;
        return NULL;
    }
    if (t->id != fp->id || strcmp(t->info_hash, fp->info_hash) != 0) {
        reset(fp);
        fp->id = t->id;
        snprintf(fp->info_hash, sizeof fp->info_hash, "%s", t->info_hash);
    }
    if (!fp->has_tree && t->has_metadata) {
        fp->meta_rc = build_tree(fp, u->eng);
        if (fp->meta_rc == 0) fp->done_ms = fp->prio_ms = 0; /* read them now */
    }
    update_figures(fp, u);
    return t;
}

/* The row under the cursor, from the cursor's node (rows change when
 * directories open and close). */
static void resolve_cursor(struct files_pane *fp)
{
    struct ui_ftree *ft = &fp->ft;
    if (!fp->has_tree || ft->n_rows == 0) {
        fp->sel = 0;
        fp->cur = 0;
        return;
    }
    fp->sel = fp->cur ? ui_ftree_row_of(ft, fp->cur) : 0;
    fp->cur = ft->rows[fp->sel];
}

static void select_row(struct files_pane *fp, size_t i)
{
    if (!fp->has_tree || fp->ft.n_rows == 0) return;
    fp->sel = i < fp->ft.n_rows ? i : fp->ft.n_rows - 1;
    fp->cur = fp->ft.rows[fp->sel];
}

/* ---- drawing ------------------------------------------------------------------------ */

/* Column widths for a window `width` wide; 0: the column is dropped. */
struct layout {
    int name, size, done, prio;
    int bar; /* cells of the done column's bar, 0: a percent only */
};

static void layout(struct layout *l, int width)
{
    l->size = SIZE_W;
    l->prio = PRIO_W;
    l->bar = width >= 100 ? BAR_CELLS : 0;
    l->done = l->bar ? l->bar + 7 : PCT_W;
    /* a blank before each column and at the left edge */
    for (;;) {
        int used = 1 + (l->size ? l->size + 1 : 0) + (l->done ? l->done + 1 : 0) +
                   (l->prio ? l->prio + 1 : 0);
        l->name = width - used;
        if (l->name >= NAME_MIN) return;
        if (l->size)
            l->size = 0;
        else if (l->prio)
            l->prio = 0;
        else if (l->done)
            l->done = 0;
        else
            break;
    }
    if (l->name < 1) l->name = width > 1 ? width - 1 : 1;
}

static void hint(WINDOW *w, int y, int width, const char *text)
{
    int tw = ui_str_width(text);
    wmove(w, y, tw < width ? (width - tw) / 2 : 0);
    wattrset(w, ui_attr(UI_EL_EMPTY));
    ui_put(w, text, width, false);
    wattrset(w, A_NORMAL);
}

static void draw_summary(struct files_pane *fp, const struct eng_torrent *t, WINDOW *w, int width)
{
    char line[512], seq_k[32], fl_k[32], total[UTIL_FMT_SIZE_LEN], wanted[UTIL_FMT_SIZE_LEN];
    size_t k = 0;
    line[0] = '\0';
    if (fp->has_tree) {
        size_t files = 0;
        for (uint32_t v = 0; v < fp->ft.t.n_nodes; v++)
            files += fp->ft.t.nodes[v].file >= 0;
        util_fmt_size(total, sizeof total, t->total_bytes);
        util_fmt_size(wanted, sizeof wanted, t->wanted_bytes);
        int r = snprintf(line, sizeof line, " %zu file%s, %s, %s wanted ", files,
                         files == 1 ? "" : "s", total, wanted);
        k = r > 0 && (size_t)r < sizeof line ? (size_t)r : 0;
    }
    ui_keymap_keys_for(UI_SCOPE_FILES, UI_ACT_FILE_SEQUENTIAL, seq_k, sizeof seq_k);
    ui_keymap_keys_for(UI_SCOPE_FILES, UI_ACT_FILE_FIRST_LAST, fl_k, sizeof fl_k);
    snprintf(line + k, sizeof line - k, " Sequential: %s (%s)  First/last: %s (%s)",
             !fp->seq_known ? "?"
             : fp->seq      ? "on"
                            : "off",
             seq_k,
             !fp->first_last_known ? "?"
             : fp->first_last      ? "on"
                                   : "off",
             fl_k);
    wmove(w, 0, 0);
    wattrset(w, ui_attr(UI_EL_NORMAL));
    ui_put(w, line, width, true);
}

static void draw_header(WINDOW *w, int y, const struct layout *l, int width)
{
    char cell[64];
    wattrset(w, ui_attr(UI_EL_HEADER));
    wmove(w, y, 0);
    int x = 1;
    waddch(w, ' ');
    x += ui_put(w, "Name", l->name, true);
    if (l->size) {
        ui_fmt_fit(cell, sizeof cell, "Size", l->size, true);
        waddch(w, ' ');
        x += 1 + ui_put(w, cell, l->size, false);
    }
    if (l->done) {
        ui_fmt_fit(cell, sizeof cell, "Done", l->done, true);
        waddch(w, ' ');
        x += 1 + ui_put(w, cell, l->done, false);
    }
    if (l->prio) {
        waddch(w, ' ');
        x += 1 + ui_put(w, "Priority", l->prio, true);
    }
    while (x++ < width)
        waddch(w, ' ');
    wattrset(w, A_NORMAL);
}

static void draw_row(struct files_pane *fp, WINDOW *w, int y, size_t row, const struct layout *l,
                     bool cursor)
{
    const struct ui_ftree *ft = &fp->ft;
    uint32_t v = ft->rows[row];
    const struct fs_node *nd = &ft->t.nodes[v];
    bool dir = nd->file < 0;
    int prio = ft->prio[v];
    double frac = ui_ftree_fraction(ft, v);
    attr_t base = cursor                 ? ui_attr(UI_EL_SELECTED)
                  : prio == UI_PRIO_SKIP ? ui_attr(UI_EL_EMPTY)
                                         : ui_attr(UI_EL_NORMAL);
    char text[FS_NAME_MAX + 16], cell[4096]; /* cell: the name padded to its column */

    wmove(w, y, 0);
    wattrset(w, base);
    waddch(w, ' ');
    /* indent by depth, but leave the name at least half the column */
    int indent = 2 * (int)ft->depth[v];
    if (indent > l->name / 2) indent = l->name / 2;
    for (int i = 0; i < indent; i++)
        waddch(w, ' ');
    /* ▸ collapsed, ▾ open (U+25B8, U+25BE) */
    snprintf(text, sizeof text, "%s%s%s",
             dir ? (ft->collapsed[v] ? "\xe2\x96\xb8 " : "\xe2\x96\xbe ") : "  ", nd->name,
             dir ? "/" : "");
    ui_fmt_fit(cell, sizeof cell, text, l->name - indent, false);
    waddstr(w, cell);
    if (l->size) {
        char s[UTIL_FMT_SIZE_LEN];
        util_fmt_size(s, sizeof s, nd->size);
        ui_fmt_fit(cell, sizeof cell, s, l->size, true);
        waddch(w, ' ');
        waddstr(w, cell);
    }
    if (l->done) {
        char s[64];
        if (l->bar)
            ui_fmt_progress(s, sizeof s, frac, l->bar);
        else
            ui_fmt_percent(s, sizeof s, frac);
        ui_fmt_fit(cell, sizeof cell, s, l->done, true);
        waddch(w, ' ');
        if (!cursor && prio != UI_PRIO_SKIP && frac >= 1.0) wattrset(w, ui_attr(UI_EL_STATE_SEED));
        waddstr(w, cell);
        wattrset(w, base);
    }
    if (l->prio) {
        ui_fmt_fit(cell, sizeof cell, ui_prio_name(prio), l->prio, false);
        waddch(w, ' ');
        if (!cursor && prio == UI_PRIO_HIGH) wattrset(w, ui_attr(UI_EL_STATE_ACTIVE));
        if (!cursor && prio == UI_PRIO_MIXED) wattrset(w, ui_attr(UI_EL_STATE_BUSY));
        waddstr(w, cell);
    }
    wattrset(w, A_NORMAL);
}

static void files_draw(struct ui_pane *p, struct ui *u, WINDOW *w)
{
    struct files_pane *fp = (struct files_pane *)p;
    int h, width;
    getmaxyx(w, h, width);
    const struct eng_torrent *t = sync_torrent(fp, u);
    int mid = h > 1 ? h / 2 : 0;
    if (!t) {
        hint(w, mid, width, "No torrent selected.");
        return;
    }
    draw_summary(fp, t, w, width);
    if (h < 2) return;
    if (!fp->has_tree) {
        char text[160];
        if (!t->has_metadata || fp->meta_rc == -EAGAIN)
            snprintf(text, sizeof text, "Waiting for metadata\xe2\x80\xa6");
        else
            snprintf(text, sizeof text, "Cannot read the files: %s", strerror(-fp->meta_rc));
        hint(w, mid > 1 ? mid : 1, width, text);
        return;
    }

    struct layout l;
    layout(&l, width);
    draw_header(w, 1, &l, width);
    int rows = h - 2;
    fp->page = rows > 0 ? rows : 1;
    if (rows <= 0) return;
    const struct ui_ftree *ft = &fp->ft;
    if (ft->n_rows == 0) {
        hint(w, 2 + (rows - 1) / 2, width, "No files.");
        return;
    }
    resolve_cursor(fp);
    /* keep the cursor on screen, and the screen full when possible */
    if (fp->sel < fp->top) fp->top = fp->sel;
    if (fp->sel >= fp->top + (size_t)rows) fp->top = fp->sel - (size_t)rows + 1;
    if (fp->top + (size_t)rows > ft->n_rows)
        fp->top = ft->n_rows > (size_t)rows ? ft->n_rows - (size_t)rows : 0;
    bool focused = ui_detail_focused(u);
    for (int r = 0; r < rows && fp->top + (size_t)r < ft->n_rows; r++) {
        size_t i = fp->top + (size_t)r;
        draw_row(fp, w, 2 + r, i, &l, focused && i == fp->sel);
    }
}

/* ---- actions ------------------------------------------------------------------------ */

enum prio_op { OP_UP, OP_DOWN, OP_SET };

/* What applying a priority change to the files below a node does. */
struct prio_job {
    struct files_pane *fp;
    struct eng *e;
    enum prio_op op;
    int value; /* OP_SET */
    size_t files, changed, failed;
    int first_err, first_err_file;
};

static void prio_one(int f, void *ud)
{
    struct prio_job *j = ud;
    int old = j->fp->file_prio[f];
    int now = j->op == OP_UP ? ui_prio_up(old) : j->op == OP_DOWN ? ui_prio_down(old) : j->value;
    j->files++;
    if (now == old) return;
    int rc = eng_set_file_priority(j->e, j->fp->id, f, now);
    if (rc) {
        if (!j->failed++) {
            j->first_err = rc;
            j->first_err_file = f;
        }
        return;
    }
    j->fp->file_prio[f] = now;
    j->changed++;
}

static void change_priority(struct files_pane *fp, struct ui *u, enum ui_action a)
{
    if (!fp->has_tree || fp->ft.n_rows == 0) {
        ui_msg(u, true, "no files yet: waiting for the torrent's metadata");
        return;
    }
    resolve_cursor(fp);
    uint32_t v = fp->cur;
    struct ui_ftree *ft = &fp->ft;
    struct prio_job j = {.fp = fp, .e = u->eng};
    j.op = a == UI_ACT_FILE_PRIO_UP ? OP_UP : a == UI_ACT_FILE_PRIO_DOWN ? OP_DOWN : OP_SET;
    if (a == UI_ACT_FILE_SKIP) j.value = ui_prio_skip_toggle(ft->prio[v]);
    ui_ftree_each_file(ft, v, prio_one, &j);
    ui_ftree_aggregate(ft, fp->file_done, fp->file_prio);

    const struct fs_node *nd = &ft->t.nodes[v];
    bool dir = nd->file < 0;
    if (j.failed) {
        ui_msg(u, true, "cannot set the priority of file %d%s: %s", j.first_err_file,
               j.failed > 1 ? " and others" : "", strerror(-j.first_err));
        return;
    }
    int now = ft->prio[v];
    if (!dir)
        ui_msg(u, false, "%s: %s", nd->name, ui_prio_name(now));
    else if (now != UI_PRIO_MIXED)
        ui_msg(u, false, "%s/: %zu file%s %s", nd->name, j.files, j.files == 1 ? "" : "s",
               ui_prio_name(now));
    else
        ui_msg(u, false, "%s/: %zu of %zu files %s one step", nd->name, j.changed, j.files,
               a == UI_ACT_FILE_PRIO_UP ? "up" : "down");
}

/* Toggles one of the torrent's flags (sequential_download,
 * first_last_piece). */
static void toggle_flag(struct files_pane *fp, struct ui *u, const char *key, const char *what)
{
    char v[16], err[256] = "";
    int rc = eng_torrent_opt_get(u->eng, fp->id, key, v, sizeof v);
    if (rc) {
        ui_msg(u, true, "cannot read %s: %s", key, strerror(-rc));
        return;
    }
    bool on = strcmp(v, "true") != 0;
    rc = eng_torrent_opt_set(u->eng, fp->id, key, on ? "true" : "false", err, sizeof err);
    if (rc == -EAGAIN)
        ui_msg(u, true, "%s: not before the torrent's metadata has arrived", what);
    else if (rc)
        ui_msg(u, true, "%s", err[0] ? err : strerror(-rc));
    else
        ui_msg(u, false, "%s: %s", what, on ? "on" : "off");
    read_flags(fp, u->eng);
}

static bool files_action(struct ui_pane *p, struct ui *u, enum ui_action a)
{
    struct files_pane *fp = (struct files_pane *)p;
    if (!sync_torrent(fp, u)) {
        if (a >= UI_ACT_FILE_OPEN && a <= UI_ACT_FILE_FIRST_LAST) {
            ui_msg(u, true, "no torrent selected");
            return true;
        }
        return a >= UI_ACT_UP && a <= UI_ACT_END;
    }
    resolve_cursor(fp);
    size_t n = fp->has_tree ? fp->ft.n_rows : 0;
    size_t page = fp->page > 1 ? (size_t)fp->page - 1 : 1;
    switch (a) {
    case UI_ACT_DOWN:
        if (fp->sel + 1 < n) select_row(fp, fp->sel + 1);
        return true;
    case UI_ACT_UP:
        if (fp->sel > 0) select_row(fp, fp->sel - 1);
        return true;
    case UI_ACT_PAGE_DOWN:
        select_row(fp, fp->sel + page);
        fp->top += page; /* the page scrolls along, like less */
        return true;
    case UI_ACT_PAGE_UP:
        select_row(fp, fp->sel > page ? fp->sel - page : 0);
        fp->top = fp->top > page ? fp->top - page : 0;
        return true;
    case UI_ACT_HOME:
        select_row(fp, 0);
        return true;
    case UI_ACT_END:
        select_row(fp, n ? n - 1 : 0);
        return true;
    case UI_ACT_FILE_OPEN:
        if (n && !ui_ftree_toggle(&fp->ft, fp->cur)) {
            char up[32], down[32], skip[32];
            ui_keymap_keys_for(UI_SCOPE_FILES, UI_ACT_FILE_PRIO_UP, up, sizeof up);
            ui_keymap_keys_for(UI_SCOPE_FILES, UI_ACT_FILE_PRIO_DOWN, down, sizeof down);
            ui_keymap_keys_for(UI_SCOPE_FILES, UI_ACT_FILE_SKIP, skip, sizeof skip);
            ui_msg(u, false, "a file: %s and %s change its priority, %s skips it", up, down, skip);
        }
        resolve_cursor(fp);
        return true;
    case UI_ACT_FILE_PRIO_UP:
    case UI_ACT_FILE_PRIO_DOWN:
    case UI_ACT_FILE_SKIP:
        change_priority(fp, u, a);
        return true;
    case UI_ACT_FILE_SEQUENTIAL:
        toggle_flag(fp, u, "sequential_download", "sequential download");
        return true;
    case UI_ACT_FILE_FIRST_LAST:
        toggle_flag(fp, u, "first_last_piece", "first and last piece of each file first");
        return true;
    default:
        return false;
    }
}

static void files_free(struct ui_pane *p)
{
    struct files_pane *fp = (struct files_pane *)p;
    reset(fp);
    free(fp);
}

static struct ui_pane *files_new(void)
{
    struct files_pane *fp = calloc(1, sizeof *fp);
    if (!fp) return NULL;
    fp->base.cls = &ui_pane_files;
    fp->page = 1;
    return &fp->base;
}

const struct ui_pane_class ui_pane_files = {
    .title = "Files",
    .scope = UI_SCOPE_FILES,
    .action = "tab-files",
    .help = "files",
    .new = files_new,
    .draw = files_draw,
    .on_action = files_action,
    .free = files_free,
};
