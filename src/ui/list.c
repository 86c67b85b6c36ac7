/*
 * list.c — the torrent list's columns, labels, filters, views,
 * sort orders and marks; see list.h.
 */
#include "ui/list.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <wctype.h>

#include "ui/format.h"
#include "util/str.h"
#include "util/utf8.h"

#define BAR_FULL 10
#define BAR_SMALL 5

static const struct ui_col_def cols[UI_COL__COUNT] = {
    [UI_COL_MARK] = {" ", 1, false},       [UI_COL_ID] = {"#", 0, true},
    [UI_COL_NAME] = {"Name", 0, false},    [UI_COL_LABELS] = {"Category/tags", 0, false},
    [UI_COL_SIZE] = {"Size", 8, true},     [UI_COL_PROGRESS] = {"Progress", 0, false},
    [UI_COL_STATE] = {"State", 11, false}, [UI_COL_DOWN] = {"Down", 10, true},
    [UI_COL_UP] = {"Up", 10, true},        [UI_COL_ETA] = {"ETA", 6, true},
    [UI_COL_RATIO] = {"Ratio", 5, true},   [UI_COL_PEERS] = {"P/S", 7, true},
    [UI_COL_ADDED] = {"Added", 10, false},
};

const struct ui_col_def *ui_col_def(enum ui_col c)
{
    return &cols[(unsigned)c < UI_COL__COUNT ? c : UI_COL_NAME];
}

/* ---- layout ---------------------------------------------------------------------- */

/* What a narrow terminal gives up first. */
enum step {
    DROP_ADDED,
    DROP_LABELS,
    DROP_ID,
    DROP_RATIO,
    DROP_PEERS,
    DROP_ETA,
    SMALL_BAR,
    DROP_SIZE,
    DROP_UP,
    PERCENT_ONLY,
    DROP_STATE,
    DROP_DOWN,
    N_STEPS
};

static int digits(int v)
{
    int d = 1;
    while (v >= 10) {
        v /= 10;
        d++;
    }
    return d;
}

int ui_list_labels_cols(int longest)
{
    if (longest <= 0) return 0;
    if (longest < UI_LIST_LABELS_MIN) return UI_LIST_LABELS_MIN;
    return longest > UI_LIST_LABELS_MAX ? UI_LIST_LABELS_MAX : longest;
}

void ui_list_layout(struct ui_list_layout *l, int total, int max_id, int labels_cols)
{
    for (int c = 0; c < UI_COL__COUNT; c++)
        l->width[c] = cols[c].width;
    l->width[UI_COL_ID] = digits(max_id) < 2 ? 2 : digits(max_id);
    l->width[UI_COL_LABELS] = labels_cols > 0 ? labels_cols : 0;
    l->bar_cells = BAR_FULL;
    l->width[UI_COL_PROGRESS] = BAR_FULL + 7;

    for (int step = 0;; step++) {
        int used = 0, shown = 0;
        for (int c = 0; c < UI_COL__COUNT; c++)
            if (c != UI_COL_NAME && l->width[c] > 0) used += l->width[c], shown++;
        int name = total - used - shown; /* one space before each column */
        if (name >= UI_LIST_NAME_MIN || step == N_STEPS) {
            l->width[UI_COL_NAME] = name > 1 ? name : 1;
            return;
        }
        switch ((enum step)step) {
        case DROP_ADDED:
            l->width[UI_COL_ADDED] = 0;
            break;
        case DROP_LABELS:
            l->width[UI_COL_LABELS] = 0;
            break;
        case DROP_ID:
            l->width[UI_COL_ID] = 0;
            break;
        case SMALL_BAR:
            l->bar_cells = BAR_SMALL;
            l->width[UI_COL_PROGRESS] = BAR_SMALL + 7;
            break;
        case DROP_RATIO:
            l->width[UI_COL_RATIO] = 0;
            break;
        case DROP_PEERS:
            l->width[UI_COL_PEERS] = 0;
            break;
        case DROP_ETA:
            l->width[UI_COL_ETA] = 0;
            break;
        case DROP_UP:
            l->width[UI_COL_UP] = 0;
            break;
        case PERCENT_ONLY:
            l->bar_cells = 0;
            l->width[UI_COL_PROGRESS] = 4;
            break;
        case DROP_STATE:
            l->width[UI_COL_STATE] = 0;
            break;
        case DROP_SIZE:
            l->width[UI_COL_SIZE] = 0;
            break;
        case DROP_DOWN:
        case N_STEPS:
            l->width[UI_COL_DOWN] = 0;
            break;
        }
    }
}

/* ---- labels and filter ----------------------------------------------------------- */

size_t ui_list_labels(char *buf, size_t n, const char *category, const char *tags)
{
    if (n == 0) return 0;
    const char *c = category ? category : "", *t = tags ? tags : "";
    snprintf(buf, n, "%s%s%s%s%s", c, *c && *t ? " " : "", *t ? "[" : "", t, *t ? "]" : "");
    return strlen(buf);
}

bool ui_list_matches(const char *category, const char *tags, const char *filter)
{
    size_t len = filter ? strlen(filter) : 0;
    const char *f = filter ? util_trim(filter, &len) : "";
    if (len == 0) return true;
    const char *c = category ? category : "";
    if (strlen(c) == len && strncmp(c, f, len) == 0) return true;
    return util_list_has(tags, ",", f, len);
}

const char *ui_list_state_text(const struct eng_torrent *t)
{
    return t->error && *t->error ? eng_state_name(ENG_STATE_ERROR) : eng_state_name(t->state);
}

/* ---- the name filter ------------------------------------------------------------- */

static uint32_t fold(uint32_t cp)
{
    return (uint32_t)towlower((wint_t)cp);
}

void ui_name_query_set(struct ui_name_query *q, const char *text)
{
    q->n = 0;
    while (text && *text && q->n < UI_NAME_QUERY_MAX) {
        uint32_t cp;
        text += util_utf8_decode(text, &cp);
        q->cp[q->n++] = fold(cp);
    }
}

bool ui_name_query_match(const struct ui_name_query *q, const char *name)
{
    if (q->n == 0) return true;
    if (!name) return false;
    /* Naive search, one start per character: names are short, and this
     * runs once per torrent when the view is rebuilt, not per frame. */
    for (const char *start = name; *start;) {
        const char *s = start;
        size_t i = 0;
        uint32_t cp, first_len = 0;
        while (i < q->n && *s) {
            size_t len = util_utf8_decode(s, &cp);
            if (s == start) first_len = (uint32_t)len;
            if (fold(cp) != q->cp[i]) break;
            s += len;
            i++;
        }
        if (i == q->n) return true;
        start += first_len ? first_len : util_utf8_decode(start, &cp);
    }
    return false;
}

bool ui_list_name_matches(const char *name, const char *text)
{
    static struct ui_name_query q; /* 1 KiB: not on the stack */
    ui_name_query_set(&q, text);
    return ui_name_query_match(&q, name);
}

/* ---- views ----------------------------------------------------------------------- */

static const char *const view_names[UI_VIEW__COUNT] = {
    "all", "downloading", "seeding", "paused", "finished", "error", "active",
};

const char *ui_view_name(enum ui_view v)
{
    return (unsigned)v < UI_VIEW__COUNT ? view_names[v] : NULL;
}

static bool has_error(const struct eng_torrent *t)
{
    return (t->error && *t->error) || t->state == ENG_STATE_ERROR;
}

static bool complete(const struct eng_torrent *t)
{
    return t->state == ENG_STATE_SEEDING || t->state == ENG_STATE_FINISHED ||
           (t->has_metadata && t->progress >= 1.0);
}

bool ui_view_has(enum ui_view v, const struct eng_torrent *t)
{
    bool paused = t->user_paused || t->state == ENG_STATE_PAUSED;
    switch (v) {
    case UI_VIEW_ALL:
        return true;
    case UI_VIEW_DOWNLOADING:
        if (paused || has_error(t)) return false;
        return t->state == ENG_STATE_DOWNLOADING || t->state == ENG_STATE_METADATA ||
               (t->state == ENG_STATE_QUEUED && !complete(t));
    case UI_VIEW_SEEDING:
        if (paused || has_error(t)) return false;
        return t->state == ENG_STATE_SEEDING || (t->state == ENG_STATE_QUEUED && complete(t));
    case UI_VIEW_PAUSED:
        return paused;
    case UI_VIEW_FINISHED:
        return complete(t);
    case UI_VIEW_ERROR:
        return has_error(t);
    case UI_VIEW_ACTIVE:
        return t->down_rate > 0 || t->up_rate > 0;
    case UI_VIEW__COUNT:
        break;
    }
    return false;
}

enum ui_view ui_view_step(enum ui_view v, int step)
{
    int n = UI_VIEW__COUNT;
    int i = ((int)v + step % n + n) % n;
    return (enum ui_view)i;
}

/* ---- sorting --------------------------------------------------------------------- */

static const char *const sort_names[UI_SORT__COUNT] = {
    "queue", "name", "size", "progress", "state", "down", "up", "eta", "ratio", "peers", "added",
};

static const enum ui_col sort_cols[UI_SORT__COUNT] = {
    UI_COL__COUNT, UI_COL_NAME, UI_COL_SIZE,  UI_COL_PROGRESS, UI_COL_STATE, UI_COL_DOWN,
    UI_COL_UP,     UI_COL_ETA,  UI_COL_RATIO, UI_COL_PEERS,    UI_COL_ADDED,
};

const char *ui_sort_name(enum ui_sort s)
{
    return (unsigned)s < UI_SORT__COUNT ? sort_names[s] : NULL;
}

enum ui_col ui_sort_col(enum ui_sort s)
{
    return (unsigned)s < UI_SORT__COUNT ? sort_cols[s] : UI_COL__COUNT;
}

int ui_sort_parse(const char *text, enum ui_sort *s, bool *desc)
{
    *s = UI_SORT_QUEUE;
    *desc = false;
    size_t len = text ? strlen(text) : 0;
    const char *t = text ? util_trim(text, &len) : "";
    size_t name_len = 0;
    while (name_len < len && t[name_len] != ':')
        name_len++;
    bool d = false;
    if (name_len < len) {
        const char *dir = t + name_len + 1;
        size_t dl = len - name_len - 1;
        if (dl == 4 && strncasecmp(dir, "desc", 4) == 0)
            d = true;
        else if (!(dl == 3 && strncasecmp(dir, "asc", 3) == 0))
            return -EINVAL;
    }
    for (int i = 0; i < UI_SORT__COUNT; i++) {
        if (strlen(sort_names[i]) == name_len && strncasecmp(t, sort_names[i], name_len) == 0) {
            *s = (enum ui_sort)i;
            *desc = d;
            return 0;
        }
    }
    return -EINVAL;
}

size_t ui_sort_format(char *buf, size_t n, enum ui_sort s, bool desc)
{
    if (n == 0) return 0;
    const char *name = ui_sort_name(s);
    snprintf(buf, n, "%s%s", name ? name : "queue", desc ? ":desc" : "");
    return strlen(buf);
}

static int cmp_i64(int64_t a, int64_t b)
{
    return (a > b) - (a < b);
}

static int cmp_double(double a, double b)
{
    return (a > b) - (a < b);
}

/* Names compared per character, case-folded; then byte order, so that
 * "a" and "A" still have an order. */
static int cmp_name(const char *a, const char *b)
{
    const char *p = a ? a : "", *q = b ? b : "";
    while (*p && *q) {
        uint32_t x, y;
        p += util_utf8_decode(p, &x);
        q += util_utf8_decode(q, &y);
        x = fold(x);
        y = fold(y);
        if (x != y) return x < y ? -1 : 1;
    }
    if (*p || *q) return *p ? 1 : -1;
    return strcmp(a ? a : "", b ? b : "");
}

static int64_t size_of(const struct eng_torrent *t)
{
    if (!t->has_metadata) return -1;
    return t->wanted_bytes ? t->wanted_bytes : t->total_bytes;
}

/* Seconds to go, unknown and not downloading as the largest. */
static int64_t eta_of(const struct eng_torrent *t)
{
    bool downloading = t->state == ENG_STATE_DOWNLOADING || t->state == ENG_STATE_METADATA;
    return downloading && t->eta_s >= 0 ? t->eta_s : INT64_MAX;
}

static int64_t queue_of(const struct eng_torrent *t)
{
    return t->queue_pos >= 0 ? t->queue_pos : INT64_MAX;
}

int ui_sort_cmp(const struct eng_torrent *a, const struct eng_torrent *b, enum ui_sort s, bool desc)
{
    int c = 0;
    switch (s) {
    case UI_SORT_QUEUE:
        c = cmp_i64(queue_of(a), queue_of(b));
        break;
    case UI_SORT_NAME:
        c = cmp_name(a->name, b->name);
        break;
    case UI_SORT_SIZE:
        c = cmp_i64(size_of(a), size_of(b));
        break;
    case UI_SORT_PROGRESS:
        c = cmp_double(a->progress, b->progress);
        break;
    case UI_SORT_STATE:
        c = strcmp(ui_list_state_text(a), ui_list_state_text(b));
        break;
    case UI_SORT_DOWN:
        c = cmp_i64(a->down_rate, b->down_rate);
        break;
    case UI_SORT_UP:
        c = cmp_i64(a->up_rate, b->up_rate);
        break;
    case UI_SORT_ETA:
        c = cmp_i64(eta_of(a), eta_of(b));
        break;
    case UI_SORT_RATIO:
        c = cmp_double(a->ratio, b->ratio);
        break;
    case UI_SORT_PEERS:
        c = a->peers != b->peers ? (a->peers > b->peers) - (a->peers < b->peers)
                                 : (a->seeds > b->seeds) - (a->seeds < b->seeds);
        break;
    case UI_SORT_ADDED:
        c = cmp_i64(a->added_time, b->added_time);
        break;
    case UI_SORT__COUNT:
        break;
    }
    if (c == 0) c = (a->id > b->id) - (a->id < b->id);
    return desc ? -c : c;
}

struct sort_ctx {
    enum ui_sort s;
    bool desc;
};

static int rows_cmp(const void *x, const void *y, void *ud)
{
    const struct sort_ctx *ctx = ud;
    const struct eng_torrent *const *a = x, *const *b = y;
    return ui_sort_cmp(*a, *b, ctx->s, ctx->desc);
}

void ui_sort_rows(const struct eng_torrent **rows, size_t n, enum ui_sort s, bool desc)
{
    struct sort_ctx ctx = {s, desc};
    if (n > 1) qsort_r(rows, n, sizeof rows[0], rows_cmp, &ctx);
}

/* ---- marks ----------------------------------------------------------------------- */

/* Index of id in m, or where it would go. */
static size_t marks_find(const struct ui_marks *m, int id)
{
    size_t lo = 0, hi = m->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (m->ids[mid] < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

bool ui_marks_has(const struct ui_marks *m, int id)
{
    size_t i = marks_find(m, id);
    return i < m->n && m->ids[i] == id;
}

int ui_marks_set(struct ui_marks *m, int id, bool on)
{
    size_t i = marks_find(m, id);
    bool has = i < m->n && m->ids[i] == id;
    if (on == has) return 0;
    if (!on) {
        memmove(&m->ids[i], &m->ids[i + 1], (m->n - i - 1) * sizeof m->ids[0]);
        m->n--;
        return 0;
    }
    if (m->n == m->cap) {
        size_t cap = m->cap ? m->cap * 2 : 16;
        int *ids = realloc(m->ids, cap * sizeof *ids);
        if (!ids) return -ENOMEM;
        m->ids = ids;
        m->cap = cap;
    }
    memmove(&m->ids[i + 1], &m->ids[i], (m->n - i) * sizeof m->ids[0]);
    m->ids[i] = id;
    m->n++;
    return 0;
}

void ui_marks_clear(struct ui_marks *m)
{
    m->n = 0;
}

size_t ui_marks_keep(struct ui_marks *m, bool (*alive)(int id, void *ud), void *ud)
{
    size_t k = 0, before = m->n;
    for (size_t i = 0; i < m->n; i++)
        if (alive(m->ids[i], ud)) m->ids[k++] = m->ids[i];
    m->n = k;
    return before - k;
}

void ui_marks_free(struct ui_marks *m)
{
    free(m->ids);
    m->ids = NULL;
    m->n = m->cap = 0;
}
