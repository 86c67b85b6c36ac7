/*
 * test_ui_format.c — the UI's pure formatting (src/ui/format.c): sizes,
 * rates, ETAs, ratios, progress bars, display-width truncation of UTF-8
 * names, and the add prompt's path resolution. Every test asserts the exact
 * strings the user will see.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <locale.h>
#include <math.h>
#include <string.h>

#include "ui/format.h"

#define ELL UI_FMT_ELLIPSIS

/* ---- sizes and rates ------------------------------------------------------- */

static const char *size(int64_t v)
{
    static char buf[UI_FMT_SIZE_LEN];
    ui_fmt_size(buf, sizeof buf, v);
    return buf;
}

static const char *rate(int64_t v)
{
    static char buf[UI_FMT_RATE_LEN];
    ui_fmt_rate(buf, sizeof buf, v);
    return buf;
}

static void test_size_bytes_below_one_kib_are_whole(void **state)
{
    (void)state;
    assert_string_equal(size(0), "0 B");
    assert_string_equal(size(1), "1 B");
    assert_string_equal(size(1023), "1023 B");
}

static void test_size_binary_units_one_decimal(void **state)
{
    (void)state;
    assert_string_equal(size(1024), "1.0 KiB");
    assert_string_equal(size(1536), "1.5 KiB");
    assert_string_equal(size(1610612736), "1.5 GiB");
    assert_string_equal(size(64LL << 20), "64.0 MiB");
    assert_string_equal(size(3LL << 40), "3.0 TiB");
}

static void test_size_no_decimal_from_100_and_never_1024(void **state)
{
    (void)state;
    assert_string_equal(size(100LL << 20), "100 MiB");
    assert_string_equal(size(1047962), "1023 KiB"); /* 1023.4 KiB */
    assert_string_equal(size(1048575), "1.0 MiB");  /* 1023.999 KiB */
    assert_string_equal(size(INT64_MAX), "8.0 EiB");
    assert_string_equal(size(-1), "-");
}

static void test_size_cut_to_small_buffer(void **state)
{
    (void)state;
    char buf[5];
    assert_int_equal(ui_fmt_size(buf, sizeof buf, 1610612736), 4);
    assert_string_equal(buf, "1.5 ");
}

static void test_rate_appends_per_second(void **state)
{
    (void)state;
    assert_string_equal(rate(0), "0 B/s");
    assert_string_equal(rate(512), "512 B/s");
    assert_string_equal(rate(2411725), "2.3 MiB/s");
    assert_string_equal(rate(120 * 1024), "120 KiB/s");
    assert_string_equal(rate(-5), "-");
}

/* ---- ETA and ratio ----------------------------------------------------------- */

static const char *eta(int64_t v)
{
    static char buf[UI_FMT_ETA_LEN];
    ui_fmt_eta(buf, sizeof buf, v);
    return buf;
}

static void test_eta_unknown_is_infinity(void **state)
{
    (void)state;
    assert_string_equal(eta(-1), "\xe2\x88\x9e");
    assert_string_equal(eta(-12345), "\xe2\x88\x9e");
}

static void test_eta_zero_and_seconds(void **state)
{
    (void)state;
    assert_string_equal(eta(0), "0s");
    assert_string_equal(eta(59), "59s");
}

static void test_eta_two_units_zero_padded(void **state)
{
    (void)state;
    assert_string_equal(eta(60), "1m00s");
    assert_string_equal(eta(3599), "59m59s");
    assert_string_equal(eta(3720), "1h02m");
    assert_string_equal(eta(86399), "23h59m");
    assert_string_equal(eta(86400 + 4 * 3600 + 59), "1d04h");
}

static void test_eta_long_is_days_then_infinity(void **state)
{
    (void)state;
    assert_string_equal(eta(100LL * 86400), "100d");
    assert_string_equal(eta(999LL * 86400 + 86399), "999d");
    assert_string_equal(eta(1000LL * 86400), "\xe2\x88\x9e");
    assert_string_equal(eta(INT64_MAX), "\xe2\x88\x9e");
}

static void test_ratio_formats(void **state)
{
    (void)state;
    char buf[16];
    ui_fmt_ratio(buf, sizeof buf, 0);
    assert_string_equal(buf, "0.00");
    ui_fmt_ratio(buf, sizeof buf, 1.25);
    assert_string_equal(buf, "1.25");
    ui_fmt_ratio(buf, sizeof buf, 150);
    assert_string_equal(buf, "150.0");
    ui_fmt_ratio(buf, sizeof buf, 12345);
    assert_string_equal(buf, "12345");
    ui_fmt_ratio(buf, sizeof buf, 1e9);
    assert_string_equal(buf, "99999+");
    ui_fmt_ratio(buf, sizeof buf, -1);
    assert_string_equal(buf, "-");
    ui_fmt_ratio(buf, sizeof buf, NAN);
    assert_string_equal(buf, "-");
}

/* ---- progress ------------------------------------------------------------------ */

static const char *pct(double f)
{
    static char buf[8];
    ui_fmt_percent(buf, sizeof buf, f);
    return buf;
}

static const char *bar(double f, int cells)
{
    static char buf[64];
    ui_fmt_bar(buf, sizeof buf, f, cells);
    return buf;
}

static const char *progress(double f, int cells)
{
    static char buf[64];
    ui_fmt_progress(buf, sizeof buf, f, cells);
    return buf;
}

static void test_percent_rounds_down_never_100_before_done(void **state)
{
    (void)state;
    assert_string_equal(pct(0), "0%");
    assert_string_equal(pct(0.005), "0%");
    assert_string_equal(pct(0.53), "53%");
    assert_string_equal(pct(0.999), "99%");
    assert_string_equal(pct(0.99999999), "99%");
    assert_string_equal(pct(1.0), "100%");
}

static void test_percent_clamps_out_of_range(void **state)
{
    (void)state;
    assert_string_equal(pct(-0.5), "0%");
    assert_string_equal(pct(1.5), "100%");
    assert_string_equal(pct(NAN), "0%");
}

static void test_bar_edges(void **state)
{
    (void)state;
    assert_string_equal(bar(0, 10), "[..........]");
    assert_string_equal(bar(0.01, 10), "[..........]");
    assert_string_equal(bar(0.1, 10), "[#.........]");
    assert_string_equal(bar(0.53, 10), "[#####.....]");
    assert_string_equal(bar(0.999, 10), "[#########.]");
    assert_string_equal(bar(1.0, 10), "[##########]");
    assert_string_equal(bar(1.0, 1), "[#]");
    assert_string_equal(bar(0.999, 1), "[.]");
    assert_string_equal(bar(0.5, 0), "");
    static char big[1100];
    assert_int_equal(ui_fmt_bar(big, sizeof big, 0.999, 1000), 1002);
    assert_string_equal(big + 999, "#.]");
    assert_int_equal(ui_fmt_bar(big, sizeof big, 0.9999999, 1000), 1002);
    assert_string_equal(big + 1000, ".]");
}

static void test_bar_does_not_overflow_small_buffer(void **state)
{
    (void)state;
    char buf[6];
    assert_int_equal(ui_fmt_bar(buf, sizeof buf, 0.5, 10), 0);
    assert_string_equal(buf, "");
    assert_int_equal(ui_fmt_bar(buf, sizeof buf, 0.5, 3), 5);
    assert_string_equal(buf, "[#..]");
}

static void test_progress_bar_with_aligned_percent(void **state)
{
    (void)state;
    assert_string_equal(progress(0, 10), "[..........]   0%");
    assert_string_equal(progress(0.53, 10), "[#####.....]  53%");
    assert_string_equal(progress(0.999, 10), "[#########.]  99%");
    assert_string_equal(progress(1, 10), "[##########] 100%");
    assert_string_equal(progress(0.6, 5), "[###..]  60%");
}

/* ---- width-aware truncation ------------------------------------------------------- */

static char tbuf[256];
static int twidth;

static const char *trunc_to(const char *in, int cols)
{
    twidth = ui_fmt_truncate(tbuf, sizeof tbuf, in, cols);
    return tbuf;
}

static const char *fit_to(const char *in, int cols, bool right)
{
    twidth = ui_fmt_fit(tbuf, sizeof tbuf, in, cols, right);
    return tbuf;
}

static void test_width_counts_wide_and_combining(void **state)
{
    (void)state;
    assert_int_equal(ui_str_width("abc"), 3);
    assert_int_equal(ui_str_width("日本語"), 6);
    assert_int_equal(ui_str_width("cafe\xcc\x81"), 4); /* e + U+0301 */
    assert_int_equal(ui_str_width(""), 0);
}

static void test_truncate_ascii_with_ellipsis(void **state)
{
    (void)state;
    assert_string_equal(trunc_to("hello world", 8), "hello w" ELL);
    assert_int_equal(twidth, 8);
    assert_string_equal(trunc_to("hello world", 1), ELL);
    assert_int_equal(twidth, 1);
    assert_string_equal(trunc_to("hello world", 0), "");
    assert_int_equal(twidth, 0);
}

static void test_truncate_exact_fit_keeps_everything(void **state)
{
    (void)state;
    assert_string_equal(trunc_to("hello", 5), "hello");
    assert_int_equal(twidth, 5);
    assert_string_equal(trunc_to("日本語", 6), "日本語");
    assert_int_equal(twidth, 6);
    assert_string_equal(trunc_to("cafe\xcc\x81", 4), "cafe\xcc\x81");
    assert_int_equal(twidth, 4);
    assert_string_equal(trunc_to("short", 40), "short");
    assert_int_equal(twidth, 5);
}

static void test_truncate_wide_cjk_never_splits(void **state)
{
    (void)state;
    /* 7 wide characters, 14 columns */
    assert_string_equal(trunc_to("日本語テキスト", 7), "日本語" ELL);
    assert_int_equal(twidth, 7);
    /* 8 columns: a 4th character would straddle the edge */
    assert_string_equal(trunc_to("日本語テキスト", 8), "日本語" ELL);
    assert_int_equal(twidth, 7);
    assert_string_equal(trunc_to("日本語テキスト", 2), ELL);
    assert_int_equal(twidth, 1);
    assert_string_equal(trunc_to("a日本", 4), "a日" ELL);
    assert_int_equal(twidth, 4);
}

static void test_truncate_keeps_combining_marks_with_base(void **state)
{
    (void)state;
    const char *s = "e\xcc\x81"
                    "e\xcc\x81"
                    "e\xcc\x81"
                    "e\xcc\x81"; /* 4 columns */
    assert_string_equal(trunc_to(s, 3), "e\xcc\x81"
                                        "e\xcc\x81" ELL);
    assert_int_equal(twidth, 3);
    /* two marks on one base */
    assert_string_equal(trunc_to("xa\xcc\x81\xcc\xa3yz", 3), "xa\xcc\x81\xcc\xa3" ELL);
    assert_int_equal(twidth, 3);
    /* a leading mark has nothing to combine with: dropped */
    assert_string_equal(trunc_to("\xcc\x81"
                                 "ab",
                                 5),
                        "ab");
    assert_int_equal(twidth, 2);
}

static void test_truncate_sanitizes_controls_and_bad_bytes(void **state)
{
    (void)state;
    assert_string_equal(trunc_to("a\tb\x1b[2Jc", 20), "a?b?[2Jc");
    assert_int_equal(twidth, 8);
    assert_string_equal(trunc_to("a\xff"
                                 "b",
                                 20),
                        "a\xef\xbf\xbd"
                        "b");
    assert_int_equal(twidth, 3);
    /* overlong encoding of '/' and a truncated sequence */
    assert_string_equal(trunc_to("\xc0\xaf\xe6\x97", 20),
                        "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");
}

static void test_truncate_small_buffer_never_splits(void **state)
{
    (void)state;
    char buf[5];
    int w = ui_fmt_truncate(buf, sizeof buf, "日本語", 20);
    assert_string_equal(buf, ELL);
    assert_int_equal(w, 1);
    char buf2[8];
    w = ui_fmt_truncate(buf2, sizeof buf2, "日本語", 20);
    assert_string_equal(buf2, "日" ELL);
    assert_int_equal(w, 3);
}

static void test_fit_pads_to_exact_width(void **state)
{
    (void)state;
    assert_string_equal(fit_to("abc", 6, false), "abc   ");
    assert_int_equal(twidth, 6);
    assert_string_equal(fit_to("abc", 6, true), "   abc");
    assert_string_equal(fit_to("日本語テキスト", 8, false), "日本語" ELL " ");
    assert_int_equal(twidth, 8);
    assert_string_equal(fit_to("hello world", 5, false), "hell" ELL);
    assert_string_equal(fit_to("", 3, false), "   ");
}

/* ---- add prompt --------------------------------------------------------------------- */

static char rbuf[512];

static int resolve(const char *typed)
{
    return ui_resolve_source(rbuf, sizeof rbuf, typed, "/home/u/dl", "/home/u/");
}

static void test_resolve_relative_joins_cwd(void **state)
{
    (void)state;
    assert_int_equal(resolve("x.torrent"), 0);
    assert_string_equal(rbuf, "/home/u/dl/x.torrent");
    assert_int_equal(resolve("./sub/x.torrent"), 0);
    assert_string_equal(rbuf, "/home/u/dl/sub/x.torrent");
    assert_int_equal(ui_resolve_source(rbuf, sizeof rbuf, "a", "/", NULL), 0);
    assert_string_equal(rbuf, "/a");
}

static void test_resolve_tilde_and_absolute(void **state)
{
    (void)state;
    assert_int_equal(resolve("~/t/a.torrent"), 0);
    assert_string_equal(rbuf, "/home/u/t/a.torrent");
    assert_int_equal(resolve("~"), 0);
    assert_string_equal(rbuf, "/home/u");
    assert_int_equal(resolve("/srv/b.torrent"), 0);
    assert_string_equal(rbuf, "/srv/b.torrent");
    assert_int_equal(ui_resolve_source(rbuf, sizeof rbuf, "~/x", "/", NULL), -EINVAL);
}

static void test_resolve_trims_quotes_and_blanks(void **state)
{
    (void)state;
    assert_int_equal(resolve("  '/tmp/my file.torrent' \n"), 0);
    assert_string_equal(rbuf, "/tmp/my file.torrent");
    assert_int_equal(resolve("\"rel.torrent\""), 0);
    assert_string_equal(rbuf, "/home/u/dl/rel.torrent");
}

static void test_resolve_magnet_kept_verbatim(void **state)
{
    (void)state;
    const char *m = "magnet:?xt=urn:btih:0123456789abcdef0123456789abcdef01234567&dn=x";
    assert_int_equal(resolve(m), 0);
    assert_string_equal(rbuf, m);
    assert_int_equal(resolve(" MAGNET:?xt=urn:btih:AB "), 0);
    assert_string_equal(rbuf, "MAGNET:?xt=urn:btih:AB");
}

static void test_resolve_file_uri_percent_decoded(void **state)
{
    (void)state;
    assert_int_equal(resolve("file:///tmp/a%20b.torrent"), 0);
    assert_string_equal(rbuf, "/tmp/a b.torrent");
    assert_int_equal(resolve("file://localhost/x%2Fy"), 0);
    assert_string_equal(rbuf, "/x/y");
    assert_int_equal(resolve("file://host/x"), -EINVAL);
    assert_int_equal(resolve("file:///a%00b"), -EINVAL);
}

static void test_resolve_rejects_empty_and_too_long(void **state)
{
    (void)state;
    assert_int_equal(resolve(""), -EINVAL);
    assert_int_equal(resolve("   \n"), -EINVAL);
    assert_int_equal(resolve("''"), -EINVAL);
    char small[12];
    assert_int_equal(ui_resolve_source(small, sizeof small, "x.torrent", "/home/u", NULL),
                     -ENAMETOOLONG);
    assert_string_equal(small, "");
}

static int setup_locale(void **state)
{
    (void)state;
    /* wcwidth() needs a UTF-8 LC_CTYPE, as the UI has after setlocale(). */
    if (!setlocale(LC_ALL, "C.UTF-8") && !setlocale(LC_ALL, "C.utf8") &&
        !setlocale(LC_ALL, "en_US.UTF-8"))
        return -1;
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_size_bytes_below_one_kib_are_whole),
        cmocka_unit_test(test_size_binary_units_one_decimal),
        cmocka_unit_test(test_size_no_decimal_from_100_and_never_1024),
        cmocka_unit_test(test_size_cut_to_small_buffer),
        cmocka_unit_test(test_rate_appends_per_second),
        cmocka_unit_test(test_eta_unknown_is_infinity),
        cmocka_unit_test(test_eta_zero_and_seconds),
        cmocka_unit_test(test_eta_two_units_zero_padded),
        cmocka_unit_test(test_eta_long_is_days_then_infinity),
        cmocka_unit_test(test_ratio_formats),
        cmocka_unit_test(test_percent_rounds_down_never_100_before_done),
        cmocka_unit_test(test_percent_clamps_out_of_range),
        cmocka_unit_test(test_bar_edges),
        cmocka_unit_test(test_bar_does_not_overflow_small_buffer),
        cmocka_unit_test(test_progress_bar_with_aligned_percent),
        cmocka_unit_test(test_width_counts_wide_and_combining),
        cmocka_unit_test(test_truncate_ascii_with_ellipsis),
        cmocka_unit_test(test_truncate_exact_fit_keeps_everything),
        cmocka_unit_test(test_truncate_wide_cjk_never_splits),
        cmocka_unit_test(test_truncate_keeps_combining_marks_with_base),
        cmocka_unit_test(test_truncate_sanitizes_controls_and_bad_bytes),
        cmocka_unit_test(test_truncate_small_buffer_never_splits),
        cmocka_unit_test(test_fit_pads_to_exact_width),
        cmocka_unit_test(test_resolve_relative_joins_cwd),
        cmocka_unit_test(test_resolve_tilde_and_absolute),
        cmocka_unit_test(test_resolve_trims_quotes_and_blanks),
        cmocka_unit_test(test_resolve_magnet_kept_verbatim),
        cmocka_unit_test(test_resolve_file_uri_percent_decoded),
        cmocka_unit_test(test_resolve_rejects_empty_and_too_long),
    };
    return cmocka_run_group_tests(tests, setup_locale, NULL);
}
