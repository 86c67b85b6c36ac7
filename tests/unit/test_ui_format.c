/*
 * test_ui_format.c — the UI's pure formatting (src/ui/format.c): percents,
 * progress bars, display-width truncation of UTF-8 names, and the add
 * prompt's path resolution (sizes, rates, ETAs and ratios are
 * util/fmt.h's: test_util_fmt.c). Every test asserts the exact
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
