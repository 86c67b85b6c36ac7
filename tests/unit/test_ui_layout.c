/*
 * test_ui_layout.c — where things go on the TUI's screen: the split
 * between torrent list, tab bar and detail area for terminal sizes
 * (src/ui/layout.c), the tab bar's labels and clicks on them, and what
 * the status line gives up on narrow terminals (src/ui/statusbar.c).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <locale.h>
#include <string.h>

#include "ui/format.h"
#include "ui/layout.h"
#include "ui/statusbar.h"

/* ---- the split --------------------------------------------------------------------- */

/* Everything above the status lines is used once, in order. */
static void assert_tiles(const struct ui_split *s, int rows)
{
    int main_h = rows - UI_STATUS_LINES, y = 0;
    if (s->list_h > 0) {
        assert_int_equal(s->list_y, y);
        y += s->list_h;
    }
    if (s->tabs_y >= 0) {
        assert_int_equal(s->tabs_y, y);
        y++;
    }
    if (s->detail_h > 0) {
        assert_int_equal(s->detail_y, y);
        y += s->detail_h;
    }
    assert_int_equal(y, main_h);
}

static void test_split_80x24_list_on_top_tabs_and_details_below(void **state)
{
    (void)state;
    struct ui_split s;
    ui_layout_split(&s, 24, 80, false);
    assert_tiles(&s, 24);
    assert_int_equal(s.list_y, 0);
    assert_true(s.list_h >= 5 + 3 - 3); /* title, header and rows */
    /* about 55-60% of the 22 rows above the status lines */
    assert_true(s.list_h >= 22 * 55 / 100 && s.list_h <= 22 * 60 / 100 + 1);
    assert_int_equal(s.tabs_y, s.list_h);
    assert_true(s.detail_h >= UI_SPLIT_DETAIL_MIN);
}

static void test_split_120x30(void **state)
{
    (void)state;
    struct ui_split s;
    ui_layout_split(&s, 30, 120, false);
    assert_tiles(&s, 30);
    assert_true(s.list_h >= 28 * 55 / 100 && s.list_h <= 28 * 60 / 100 + 1);
    assert_true(s.detail_h >= 10);
}

static void test_split_60x15_hides_the_details_unless_zoomed(void **state)
{
    (void)state;
    struct ui_split s;
    ui_layout_split(&s, 15, 60, false);
    assert_tiles(&s, 15);
    assert_int_equal(s.list_h, 13);
    assert_int_equal(s.tabs_y, -1);
    assert_int_equal(s.detail_h, 0);
    ui_layout_split(&s, 15, 60, true);
    assert_tiles(&s, 15);
    assert_int_equal(s.list_h, 0);
    assert_int_equal(s.tabs_y, 0);
    assert_int_equal(s.detail_h, 12);
}

static void test_split_zoomed_gives_the_details_everything_but_the_tab_bar(void **state)
{
    (void)state;
    struct ui_split s;
    ui_layout_split(&s, 24, 80, true);
    assert_tiles(&s, 24);
    assert_int_equal(s.list_h, 0);
    assert_int_equal(s.tabs_y, 0);
    assert_int_equal(s.detail_y, 1);
    assert_int_equal(s.detail_h, 21);
    /* tiny: no room for the tab bar as well */
    ui_layout_split(&s, 5, 40, true);
    assert_tiles(&s, 5);
    assert_int_equal(s.tabs_y, -1);
    assert_int_equal(s.detail_h, 3);
}

static void test_split_every_size_keeps_3_torrent_rows_and_a_usable_detail_area(void **state)
{
    (void)state;
    for (int rows = 4; rows <= 200; rows++) {
        for (int zoomed = 0; zoomed < 2; zoomed++) {
            struct ui_split s;
            ui_layout_split(&s, rows, 80, zoomed);
            assert_tiles(&s, rows);
            if (zoomed) {
                assert_int_equal(s.list_h, 0);
                continue;
            }
            if (rows < UI_SPLIT_MIN_ROWS) {
                assert_int_equal(s.detail_h, 0);
                continue;
            }
            assert_true(s.list_h >= UI_SPLIT_LIST_MIN);
            assert_true(s.detail_h >= UI_SPLIT_DETAIL_MIN);
        }
    }
}

/* ---- the tab bar ------------------------------------------------------------------- */

static const char *const keys[] = {"1", "2", "3", "4", "5"};
static const char *const titles[] = {"Peers", "Trackers", "Files", "Info", "Health"};

static void test_tabbar_lays_out_labels_and_finds_clicks(void **state)
{
    (void)state;
    struct ui_tabbar b;
    ui_tabbar_layout(&b, keys, titles, 5, 80);
    assert_false(b.short_form);
    /* " 1 Peers " " 2 Trackers " ...: one blank between labels */
    assert_int_equal(b.x[0], 0);
    assert_int_equal(b.w[0], (int)strlen(" 1 Peers "));
    assert_int_equal(b.x[1], b.w[0] + 1);
    assert_int_equal(b.w[1], (int)strlen(" 2 Trackers "));
    for (int i = 0; i < 5; i++) {
        assert_int_equal(ui_tabbar_hit(&b, b.x[i]), i);
        assert_int_equal(ui_tabbar_hit(&b, b.x[i] + b.w[i] - 1), i);
    }
    assert_int_equal(ui_tabbar_hit(&b, b.w[0]), -1); /* the blank between */
    assert_int_equal(ui_tabbar_hit(&b, 79), -1);
    assert_int_equal(ui_tabbar_hit(&b, -1), -1);
}

static void test_tabbar_drops_titles_then_labels_when_narrow(void **state)
{
    (void)state;
    struct ui_tabbar b;
    ui_tabbar_layout(&b, keys, titles, 5, 30);
    assert_true(b.short_form);
    for (int i = 0; i < 5; i++) {
        assert_int_equal(b.w[i], 3); /* " 4 " */
        assert_true(b.x[i] >= 0);
    }
    ui_tabbar_layout(&b, keys, titles, 5, 10);
    assert_true(b.short_form);
    assert_true(b.x[0] >= 0);
    assert_int_equal(b.x[4], -1);
    assert_int_equal(ui_tabbar_hit(&b, 9), -1);
}

/* ---- the status line ---------------------------------------------------------------- */

static const struct ui_status_parts parts = {
    .rates = "\xe2\x86\x93 1.0 MiB/s/2.0 MiB/s  \xe2\x86\x91 0 B/s",
    .rates_short = "\xe2\x86\x93"
                   "1.0 MiB/s/2.0 MiB/s \xe2\x86\x91"
                   "0 B/s",
    .alt = true,
    .counts = "3 torrents: 1 downloading, 0 seeding, 2 paused, 0 error",
    .counts_short = "3: 1 dl 0 seed 2 paused 0 err",
    .free = "12.3 GiB free",
    .mount = "mnt: ok",
    .port = "port 6881",
    .hint = "? help",
};

static void test_status_line_shows_everything_when_wide(void **state)
{
    (void)state;
    char line[1024];
    int w = ui_status_compose(line, sizeof line, 200, &parts);
    assert_int_equal(w, 200);
    assert_int_equal(ui_str_width(line), 200);
    assert_non_null(strstr(line, "1 downloading"));
    assert_non_null(strstr(line, "ALT"));
    assert_non_null(strstr(line, "12.3 GiB free"));
    assert_non_null(strstr(line, "mnt: ok"));
    assert_non_null(strstr(line, "port 6881"));
    /* the hint at the right edge, a blank after it */
    size_t len = strlen(line);
    assert_string_equal(line + len - strlen("? help "), "? help ");
}

static void test_status_line_fits_80_columns_dropping_in_order(void **state)
{
    (void)state;
    char line[1024];
    ui_status_compose(line, sizeof line, 80, &parts);
    assert_true(ui_str_width(line) <= 80);
    assert_non_null(strstr(line, "1.0 MiB/s/2.0 MiB/s")); /* rates and limits stay */
    assert_non_null(strstr(line, "ALT"));
    assert_non_null(strstr(line, "3: 1 dl")); /* counts, short */
    assert_null(strstr(line, "? help"));      /* the hint went first */
    /* the order parts go in, as the width shrinks */
    const char *order[] = {"? help",  "downloading",   "port 6881",
                           "mnt: ok", "12.3 GiB free", "3: 1 dl"};
    int gone_at[6];
    bool seen[6] = {false};
    for (int i = 0; i < 6; i++)
        gone_at[i] = -1;
    for (int width = 200; width >= 20; width--) {
        ui_status_compose(line, sizeof line, width, &parts);
        assert_true(ui_str_width(line) <= width);
        for (int i = 0; i < 6; i++) {
            if (strstr(line, order[i]))
                seen[i] = true; /* the short counts show up before they go */
            else if (seen[i] && gone_at[i] < 0)
                gone_at[i] = width;
        }
    }
    for (int i = 0; i < 6; i++)
        assert_true(seen[i] && gone_at[i] > 20);
    for (int i = 1; i < 6; i++)
        assert_true(gone_at[i - 1] >= gone_at[i]);
    /* at 20 columns the rates are cut, never dropped */
    ui_status_compose(line, sizeof line, 20, &parts);
    assert_int_equal(ui_str_width(line), 20);
    assert_non_null(strstr(line, "\xe2\x86\x93"));
}

static void test_status_line_leaves_out_missing_parts(void **state)
{
    (void)state;
    struct ui_status_parts p = parts;
    p.alt = false;
    p.free = "";
    p.mount = NULL;
    char line[1024];
    ui_status_compose(line, sizeof line, 200, &p);
    assert_null(strstr(line, "ALT"));
    assert_null(strstr(line, "free"));
    assert_null(strstr(line, "mnt"));
    assert_null(strstr(line, "\xe2\x94\x82  \xe2\x94\x82")); /* no empty part */
}

static void test_status_mount_is_ok_off_or_failed(void **state)
{
    (void)state;
    assert_string_equal(ui_status_mount("/run/user/1000/spate/mnt"), "mnt: ok");
    assert_string_equal(ui_status_mount("off"), "mnt: off");
    assert_string_equal(ui_status_mount(""), "mnt: off");
    assert_string_equal(ui_status_mount(NULL), "mnt: off");
    assert_string_equal(ui_status_mount("mount: cannot create /x: Permission denied"),
                        "mnt: failed");
}

int main(void)
{
    setlocale(LC_ALL, "C.UTF-8");
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_split_80x24_list_on_top_tabs_and_details_below),
        cmocka_unit_test(test_split_120x30),
        cmocka_unit_test(test_split_60x15_hides_the_details_unless_zoomed),
        cmocka_unit_test(test_split_zoomed_gives_the_details_everything_but_the_tab_bar),
        cmocka_unit_test(test_split_every_size_keeps_3_torrent_rows_and_a_usable_detail_area),
        cmocka_unit_test(test_tabbar_lays_out_labels_and_finds_clicks),
        cmocka_unit_test(test_tabbar_drops_titles_then_labels_when_narrow),
        cmocka_unit_test(test_status_line_shows_everything_when_wide),
        cmocka_unit_test(test_status_line_fits_80_columns_dropping_in_order),
        cmocka_unit_test(test_status_line_leaves_out_missing_parts),
        cmocka_unit_test(test_status_mount_is_ok_off_or_failed),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
