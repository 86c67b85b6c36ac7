/*
 * test_util_fmt.c — sizes, rates, ETAs and ratios (src/util/fmt.c): the one
 * spelling `spate ls`, `spate info` and the TUI print. Every test asserts
 * the exact strings the user will see.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <string.h>

#include "util/fmt.h"

/* ---- sizes and rates ------------------------------------------------------- */

static const char *size(int64_t v)
{
    static char buf[UTIL_FMT_SIZE_LEN];
    util_fmt_size(buf, sizeof buf, v);
    return buf;
}

static const char *rate(int64_t v)
{
    static char buf[UTIL_FMT_RATE_LEN];
    util_fmt_rate(buf, sizeof buf, v);
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
    assert_int_equal(util_fmt_size(buf, sizeof buf, 1610612736), 4);
    assert_string_equal(buf, "1.5 ");
}

/* What test_cli.c asserted of the CLI's own copy, now the one spelling:
 * 1048575 bytes read "1023 KiB" in `spate ls`. */
static void test_size_as_the_cli_prints_it(void **state)
{
    (void)state;
    char b[32];
    util_fmt_size(b, sizeof(b), 0);
    assert_string_equal(b, "0 B");
    util_fmt_size(b, sizeof(b), 1023);
    assert_string_equal(b, "1023 B");
    util_fmt_size(b, sizeof(b), 1024);
    assert_string_equal(b, "1.0 KiB");
    util_fmt_size(b, sizeof(b), 1536LL * 1024 * 1024);
    assert_string_equal(b, "1.5 GiB");
    util_fmt_size(b, sizeof(b), 1024LL * 1024 - 1); /* never "1024 KiB" */
    assert_string_equal(b, "1.0 MiB");
    util_fmt_size(b, sizeof(b), -1);
    assert_string_equal(b, "-");
    util_fmt_rate(b, sizeof(b), 5 * 1024 * 1024 / 2);
    assert_string_equal(b, "2.5 MiB/s");
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
    static char buf[UTIL_FMT_ETA_LEN];
    util_fmt_eta(buf, sizeof buf, v);
    return buf;
}

static void test_eta_unknown_is_dash(void **state)
{
    (void)state;
    assert_string_equal(eta(-1), "-");
    assert_string_equal(eta(-12345), "-");
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

static void test_eta_long_is_days_then_dash(void **state)
{
    (void)state;
    assert_string_equal(eta(100LL * 86400), "100d");
    assert_string_equal(eta(999LL * 86400 + 86399), "999d");
    assert_string_equal(eta(1000LL * 86400), "1000d");
    assert_string_equal(eta(99999LL * 86400 + 86399), "99999d"); /* 6 columns, the TUI's */
    assert_string_equal(eta(100000LL * 86400), "-");
    assert_string_equal(eta(INT64_MAX), "-");
}

static void test_ratio_formats(void **state)
{
    (void)state;
    char buf[16];
    util_fmt_ratio(buf, sizeof buf, 0);
    assert_string_equal(buf, "0.00");
    util_fmt_ratio(buf, sizeof buf, 1.25);
    assert_string_equal(buf, "1.25");
    util_fmt_ratio(buf, sizeof buf, 150);
    assert_string_equal(buf, "150.0");
    util_fmt_ratio(buf, sizeof buf, 12345);
    assert_string_equal(buf, "12345");
    util_fmt_ratio(buf, sizeof buf, 1e9);
    assert_string_equal(buf, "99999+");
    util_fmt_ratio(buf, sizeof buf, -1);
    assert_string_equal(buf, "-");
    util_fmt_ratio(buf, sizeof buf, NAN);
    assert_string_equal(buf, "-");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_size_bytes_below_one_kib_are_whole),
        cmocka_unit_test(test_size_binary_units_one_decimal),
        cmocka_unit_test(test_size_no_decimal_from_100_and_never_1024),
        cmocka_unit_test(test_size_cut_to_small_buffer),
        cmocka_unit_test(test_size_as_the_cli_prints_it),
        cmocka_unit_test(test_rate_appends_per_second),
        cmocka_unit_test(test_eta_unknown_is_dash),
        cmocka_unit_test(test_eta_zero_and_seconds),
        cmocka_unit_test(test_eta_two_units_zero_padded),
        cmocka_unit_test(test_eta_long_is_days_then_dash),
        cmocka_unit_test(test_ratio_formats),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
