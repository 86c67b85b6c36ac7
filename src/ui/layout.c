/*
 * layout.c — the screen's split and the tab bar's labels; see layout.h.
 */
#include "ui/layout.h"

#include <string.h>

#include "ui/format.h"

void ui_layout_split(struct ui_split *s, int rows, int cols, bool zoomed)
{
    (void)cols; /* every part takes the whole width */
    int main_h = rows - UI_STATUS_LINES;
    if (main_h < 1) main_h = 1;
    memset(s, 0, sizeof *s);
    s->tabs_y = -1;
    if (zoomed) {
        /* the tab bar stays: it says which tab this is */
        if (main_h >= 1 + UI_SPLIT_DETAIL_MIN) {
            s->tabs_y = 0;
            s->detail_y = 1;
            s->detail_h = main_h - 1;
        } else {
            s->detail_y = 0;
            s->detail_h = main_h;
        }
        return;
    }
    if (rows < UI_SPLIT_MIN_ROWS) {
        s->list_h = main_h;
        return;
    }
    int list = main_h * UI_SPLIT_LIST_PCT / 100;
    if (list < UI_SPLIT_LIST_MIN) list = UI_SPLIT_LIST_MIN;
    if (main_h - list - 1 < UI_SPLIT_DETAIL_MIN) list = main_h - 1 - UI_SPLIT_DETAIL_MIN;
    s->list_h = list;
    s->tabs_y = list;
    s->detail_y = list + 1;
    s->detail_h = main_h - list - 1;
}

static int label_width(const char *key, const char *title, bool with_title)
{
    int w = ui_str_width(key ? key : "");
    if (with_title && title && *title) w += 1 + ui_str_width(title);
    return w + 2; /* a blank or bracket each side */
}

void ui_tabbar_layout(struct ui_tabbar *b, const char *const *keys, const char *const *titles,
                      size_t n, int width)
{
    if (n > UI_TABBAR_MAX) n = UI_TABBAR_MAX;
    b->n = n;
    b->short_form = false;
    for (int pass = 0; pass < 2; pass++) {
        bool with_title = pass == 0;
        int x = 0;
        bool all = true;
        for (size_t i = 0; i < n; i++) {
            int w = label_width(keys[i], titles[i], with_title);
            if (x + w > width) {
                b->x[i] = -1;
                b->w[i] = 0;
                all = false;
                continue;
            }
            b->x[i] = x;
            b->w[i] = w;
            x += w + 1;
        }
        b->short_form = !with_title;
        if (all) return;
    }
}

int ui_tabbar_hit(const struct ui_tabbar *b, int x)
{
    for (size_t i = 0; i < b->n; i++)
        if (b->x[i] >= 0 && x >= b->x[i] && x < b->x[i] + b->w[i]) return (int)i;
    return -1;
}
