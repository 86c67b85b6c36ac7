/*
 * test_ui_health.c — the pure part of the TUI's Health tab
 * (src/ui/pane_health.c, pane_health.h): the rate sparklines and the lines
 * of the health log (local time, level, torrent, message, cut to a width).
 */
#define SPATE_INTERNAL_UI /* looks inside src/ui/ (its private header) */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ui/format.h"
#include "ui/pane_health.h"

#define B1 "\xe2\x96\x81" /* ▁ */
#define B2 "\xe2\x96\x82"
#define B3 "\xe2\x96\x83"
#define B4 "\xe2\x96\x84"
#define B5 "\xe2\x96\x85"
#define B6 "\xe2\x96\x86"
#define B7 "\xe2\x96\x87"
#define B8 "\xe2\x96\x88" /* █ */

static char buf[8192];

/* ---- the sparkline ---------------------------------------------------------------- */

static void test_spark_one_block_per_sample_scaled_to_the_max(void **state)
{
    (void)state;
    int64_t s[] = {0, 1, 2, 3, 4, 5, 6, 7};
    int64_t peak = -1;
    assert_int_equal(ui_health_sparkline(buf, sizeof buf, s, 8, 8, &peak), 8);
    assert_string_equal(buf, B1 B2 B3 B4 B5 B6 B7 B8);
    assert_int_equal(peak, 7);
    assert_int_equal(ui_str_width(buf), 8);
}

static void test_spark_scales_to_the_max_in_view_whatever_the_unit(void **state)
{
    (void)state;
    int64_t s[] = {1000000, 500000, 2000000, 0};
    int64_t peak;
    assert_int_equal(ui_health_sparkline(buf, sizeof buf, s, 4, 10, &peak), 4);
    /* 0.5 of the max: ceil(3.5) = 4 steps up; 0.25: ceil(1.75) = 2 */
    assert_string_equal(buf, B5 B3 B8 B1);
    assert_int_equal(peak, 2000000);
}

static void test_spark_nothing_but_zeros_is_a_flat_line(void **state)
{
    (void)state;
    int64_t s[] = {0, 0, 0};
    int64_t peak = 5;
    assert_int_equal(ui_health_sparkline(buf, sizeof buf, s, 3, 3, &peak), 3);
    assert_string_equal(buf, B1 B1 B1);
    assert_int_equal(peak, 0);
}

static void test_spark_a_trickle_shows_above_zero(void **state)
{
    (void)state;
    int64_t s[] = {1, 0, 1000000, -5};
    assert_int_equal(ui_health_sparkline(buf, sizeof buf, s, 4, 4, NULL), 4);
    assert_string_equal(buf, B2 B1 B8 B1); /* negative counts as nothing */
}

static void test_spark_shows_the_newest_samples_that_fit(void **state)
{
    (void)state;
    int64_t s[] = {100, 100, 100, 0, 7, 7};
    int64_t peak;
    /* the three newest: the old 100s are out of view and out of the scale */
    assert_int_equal(ui_health_sparkline(buf, sizeof buf, s, 6, 3, &peak), 3);
    assert_string_equal(buf, B1 B8 B8);
    assert_int_equal(peak, 7);
    /* fewer samples than cells: one cell per sample */
    assert_int_equal(ui_health_sparkline(buf, sizeof buf, s, 2, 50, NULL), 2);
    assert_string_equal(buf, B8 B8);
}

static void test_spark_empty_and_degenerate_inputs(void **state)
{
    (void)state;
    int64_t s[] = {1};
    int64_t peak = 9;
    assert_int_equal(ui_health_sparkline(buf, sizeof buf, s, 0, 10, &peak), 0);
    assert_string_equal(buf, "");
    assert_int_equal(peak, 0);
    assert_int_equal(ui_health_sparkline(buf, sizeof buf, s, 1, 0, NULL), 0);
    assert_string_equal(buf, "");
    assert_int_equal(ui_health_sparkline(buf, sizeof buf, NULL, 5, 5, NULL), 0);
    assert_int_equal(ui_health_sparkline(buf, 0, s, 1, 1, NULL), 0);
}

static void test_spark_small_buffer_gets_whole_cells(void **state)
{
    (void)state;
    int64_t s[] = {1, 2, 3, 4};
    char small[8]; /* two cells and the NUL */
    memset(small, 'z', sizeof small);
    assert_int_equal(ui_health_sparkline(small, sizeof small, s, 4, 4, NULL), 2);
    assert_int_equal(strlen(small), 6);
    assert_string_equal(small, B7 B8); /* the two newest, scaled to them: ceil(3 * 7 / 4) */
}

static void test_spark_huge_rates_do_not_overflow(void **state)
{
    (void)state;
    int64_t s[] = {INT64_MAX, INT64_MAX / 2, 1};
    assert_int_equal(ui_health_sparkline(buf, sizeof buf, s, 3, 3, NULL), 3);
    assert_string_equal(buf, B8 B5 B2);
}

/* ---- the log ------------------------------------------------------------------------ */

static void test_log_time_is_local_hh_mm_ss(void **state)
{
    (void)state;
    setenv("TZ", "UTC", 1);
    tzset();
    assert_int_equal(ui_health_time(buf, sizeof buf, 0), 8);
    assert_string_equal(buf, "00:00:00");
    ui_health_time(buf, sizeof buf, 86400 + 3600 * 13 + 60 * 4 + 5);
    assert_string_equal(buf, "13:04:05");
    setenv("TZ", "XYZ-2", 1); /* two hours east of UTC */
    tzset();
    ui_health_time(buf, sizeof buf, 0);
    assert_string_equal(buf, "02:00:00");
    setenv("TZ", "UTC", 1);
    tzset();
}

static void test_log_line_columns(void **state)
{
    (void)state;
    int w = ui_health_log_line(buf, sizeof buf, 3600 + 2, "error", "ubuntu.iso",
                               "file_open (/dl/x): Permission denied", 80);
    int tw = ui_health_torrent_cols(80);
    assert_int_equal(tw, 16);
    char want[256];
    snprintf(want, sizeof want, "01:00:02 error %-*s %s", tw, "ubuntu.iso",
             "file_open (/dl/x): Permission denied");
    assert_string_equal(buf, want);
    assert_int_equal(w, ui_str_width(want));
    /* the level sits where the pane colours it */
    assert_memory_equal(buf + UI_HEALTH_LEVEL_COL, "error", UI_HEALTH_LEVEL_COLS);
    ui_health_log_line(buf, sizeof buf, 0, "warn", "x", "m", 80);
    assert_memory_equal(buf + UI_HEALTH_LEVEL_COL, "warn ", UI_HEALTH_LEVEL_COLS);
    ui_health_log_line(buf, sizeof buf, 0, "info", "x", "m", 80);
    assert_memory_equal(buf + UI_HEALTH_LEVEL_COL, "info ", UI_HEALTH_LEVEL_COLS);
}

static void test_log_line_session_events_have_a_dash(void **state)
{
    (void)state;
    ui_health_log_line(buf, sizeof buf, 0, "error", NULL, "listen failed", 60);
    int tw = ui_health_torrent_cols(60);
    char want[128];
    snprintf(want, sizeof want, "00:00:00 error %-*s listen failed", tw, "-");
    assert_string_equal(buf, want);
    ui_health_log_line(buf, sizeof buf, 0, "info", "", "x", 60);
    assert_non_null(strstr(buf, " - "));
    ui_health_log_line(buf, sizeof buf, 0, NULL, NULL, NULL, 60);
    assert_memory_equal(buf + UI_HEALTH_LEVEL_COL, "?    ", 5);
}

static void test_log_line_drops_the_name_libtorrent_puts_first(void **state)
{
    (void)state;
    ui_health_log_line(buf, sizeof buf, 0, "error", "a.iso", "a.iso ERROR: (20 Not a directory)",
                       60);
    int tw = ui_health_torrent_cols(60);
    char want[128];
    snprintf(want, sizeof want, "00:00:00 error %-*s ERROR: (20 Not a directory)", tw, "a.iso");
    assert_string_equal(buf, want);
    /* only the name as a word of its own, and never the whole message */
    ui_health_log_line(buf, sizeof buf, 0, "info", "a", "ab c", 60);
    assert_non_null(strstr(buf, " ab c"));
    ui_health_log_line(buf, sizeof buf, 0, "info", "a.iso", "a.iso ", 60);
    assert_non_null(strstr(buf, " a.iso "));
    ui_health_log_line(buf, sizeof buf, 0, "info", "a.iso", "a.iso", 60);
    assert_int_equal(ui_str_width(buf), 15 + tw + 1 + 5);
}

static void test_log_line_cut_to_the_width(void **state)
{
    (void)state;
    char msg[300];
    memset(msg, 'm', sizeof msg - 1);
    msg[sizeof msg - 1] = '\0';
    int w = ui_health_log_line(buf, sizeof buf, 0, "warn", "a torrent with a very long name indeed",
                               msg, 80);
    assert_int_equal(w, 80);
    assert_int_equal(ui_str_width(buf), 80);
    assert_non_null(strstr(buf, UI_FMT_ELLIPSIS)); /* the name, then the line, cut */
    size_t len = strlen(buf);
    assert_string_equal(buf + len - strlen(UI_FMT_ELLIPSIS), UI_FMT_ELLIPSIS);
    /* the message starts right after the torrent column */
    int tw = ui_health_torrent_cols(80);
    assert_int_equal(ui_str_width(strstr(buf, "mmm")) + 15 + tw + 1, 80);
}

static void test_log_line_narrow_drops_the_torrent(void **state)
{
    (void)state;
    assert_int_equal(ui_health_torrent_cols(39), 0);
    assert_int_equal(ui_health_torrent_cols(40), 12);
    assert_int_equal(ui_health_torrent_cols(200), 30);
    ui_health_log_line(buf, sizeof buf, 0, "error", "name", "disk full", 30);
    assert_string_equal(buf, "00:00:00 error disk full");
    ui_health_log_line(buf, sizeof buf, 0, "error", "name", "disk full", 20);
    assert_int_equal(ui_str_width(buf), 20);
    assert_string_equal(buf, "00:00:00 error disk" UI_FMT_ELLIPSIS);
}

static void test_log_line_controls_cannot_move_the_cursor(void **state)
{
    (void)state;
    ui_health_log_line(buf, sizeof buf, 0, "error", "a\x1b[2Jb", "line1\nline2\ttab\r", 100);
    assert_null(strchr(buf, '\x1b'));
    assert_null(strchr(buf, '\n'));
    assert_null(strchr(buf, '\t'));
    assert_null(strchr(buf, '\r'));
    assert_non_null(strstr(buf, "line1?line2?tab?"));
}

static void test_log_header_matches_the_columns(void **state)
{
    (void)state;
    char line[512];
    ui_health_log_header(buf, sizeof buf, 80);
    ui_health_log_line(line, sizeof line, 0, "info", "t", "the message", 80);
    assert_int_equal(strstr(buf, "Level") - buf, UI_HEALTH_LEVEL_COL);
    assert_int_equal(strstr(buf, "Message") - buf, strstr(line, "the message") - line);
    assert_int_equal(strstr(buf, "Torrent") - buf, strstr(line, "t ") - line);
    assert_int_equal(strncmp(buf, "Time ", 5), 0);
}

static void test_log_level_colours(void **state)
{
    (void)state;
    assert_int_equal(ui_health_level_elem("error"), UI_EL_MSG_ERROR);
    assert_int_equal(ui_health_level_elem("warn"), UI_EL_MSG_WARN);
    assert_int_equal(ui_health_level_elem("info"), UI_EL_NORMAL);
    assert_int_equal(ui_health_level_elem(NULL), UI_EL_NORMAL);
}

static int setup_locale(void **state)
{
    (void)state;
    /* widths need a UTF-8 LC_CTYPE, as the UI has after setlocale() */
    if (!setlocale(LC_ALL, "C.UTF-8") && !setlocale(LC_ALL, "C.utf8") &&
        !setlocale(LC_ALL, "en_US.UTF-8"))
        return -1;
    setenv("TZ", "UTC", 1);
    tzset();
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_spark_one_block_per_sample_scaled_to_the_max),
        cmocka_unit_test(test_spark_scales_to_the_max_in_view_whatever_the_unit),
        cmocka_unit_test(test_spark_nothing_but_zeros_is_a_flat_line),
        cmocka_unit_test(test_spark_a_trickle_shows_above_zero),
        cmocka_unit_test(test_spark_shows_the_newest_samples_that_fit),
        cmocka_unit_test(test_spark_empty_and_degenerate_inputs),
        cmocka_unit_test(test_spark_small_buffer_gets_whole_cells),
        cmocka_unit_test(test_spark_huge_rates_do_not_overflow),
        cmocka_unit_test(test_log_time_is_local_hh_mm_ss),
        cmocka_unit_test(test_log_line_columns),
        cmocka_unit_test(test_log_line_session_events_have_a_dash),
        cmocka_unit_test(test_log_line_drops_the_name_libtorrent_puts_first),
        cmocka_unit_test(test_log_line_cut_to_the_width),
        cmocka_unit_test(test_log_line_narrow_drops_the_torrent),
        cmocka_unit_test(test_log_line_controls_cannot_move_the_cursor),
        cmocka_unit_test(test_log_header_matches_the_columns),
        cmocka_unit_test(test_log_level_colours),
    };
    return cmocka_run_group_tests(tests, setup_locale, NULL);
}
