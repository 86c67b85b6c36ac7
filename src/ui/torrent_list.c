/*
 * torrent_list.c — the torrent list's columns, labels and filter; see
 * torrent_list.h.
 */
#include "ui/torrent_list.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#define BAR_FULL 10
#define BAR_SMALL 5

static const struct ui_col_def cols[UI_COL__COUNT] = {
    [UI_COL_ID] = {"#", 0, true},
    [UI_COL_NAME] = {"Name", 0, false},
    [UI_COL_LABELS] = {"Category/tags", 0, false},
    [UI_COL_SIZE] = {"Size", 8, true},
    [UI_COL_PROGRESS] = {"Progress", 0, false},
    [UI_COL_STATE] = {"State", 11, false},
    [UI_COL_DOWN] = {"Down", 10, true},
    [UI_COL_UP] = {"Up", 10, true},
    [UI_COL_ETA] = {"ETA", 6, true},
    [UI_COL_RATIO] = {"Ratio", 5, true},
    [UI_COL_PEERS] = {"P/S", 7, true},
};

const struct ui_col_def *ui_col_def(enum ui_col c)
{
    return &cols[(unsigned)c < UI_COL__COUNT ? c : UI_COL_NAME];
}

/* ---- layout ---------------------------------------------------------------------- */

/* What a narrow terminal gives up first. */
enum step {
    DROP_LABELS,
    DROP_ID,
    SMALL_BAR,
    DROP_RATIO,
    DROP_PEERS,
    DROP_ETA,
    DROP_UP,
    PERCENT_ONLY,
    DROP_STATE,
    DROP_SIZE,
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

/* Trims blanks around s[0..*len): returns the start, *len updated. */
static const char *trim(const char *s, size_t *len)
{
    while (*len && isspace((unsigned char)*s))
        s++, (*len)--;
    while (*len && isspace((unsigned char)s[*len - 1]))
        (*len)--;
    return s;
}

bool ui_list_has_item(const char *list, const char *item, size_t len)
{
    if (!list || len == 0) return false;
    for (const char *p = list;;) {
        size_t l = strcspn(p, ",");
        const char *it = trim(p, &l);
        if (l == len && strncmp(it, item, len) == 0) return true;
        p += strcspn(p, ",");
        if (!*p) return false;
        p++;
    }
}

bool ui_list_matches(const char *category, const char *tags, const char *filter)
{
    size_t len = filter ? strlen(filter) : 0;
    const char *f = filter ? trim(filter, &len) : "";
    if (len == 0) return true;
    const char *c = category ? category : "";
    if (strlen(c) == len && strncmp(c, f, len) == 0) return true;
    return ui_list_has_item(tags, f, len);
}
