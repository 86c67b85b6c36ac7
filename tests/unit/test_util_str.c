/*
 * test_util_str.c — the small string helpers of src/util/str.c: blanks
 * trimmed (one idea of a blank where five copies had three), comma lists
 * (one tag matcher where the CLI's did not trim and the TUI's did), error
 * text into a caller buffer, the magnet test, and util_snprintf.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "util/str.h"

/* util_trim of s as a NUL-terminated copy (static). */
static const char *trimmed(const char *s)
{
    static char buf[256];
    size_t len = strlen(s);
    const char *t = util_trim(s, &len);
    memcpy(buf, t, len);
    buf[len] = '\0';
    return buf;
}

static void test_trim_takes_every_ascii_blank_from_both_ends(void **state)
{
    (void)state;
    assert_string_equal(trimmed(" \t\n\v\f\ra b\r\n"), "a b"); /* inner blanks stay */
    assert_string_equal(trimmed("x"), "x");
    assert_string_equal(trimmed(" \t "), "");
    assert_string_equal(trimmed(""), "");
    /* not a blank: NBSP (UTF-8 C2 A0) and other bytes past ASCII */
    assert_string_equal(trimmed("\xc2\xa0x\xc2\xa0"), "\xc2\xa0x\xc2\xa0");
    assert_true(util_is_space('\v'));
    assert_false(util_is_space('\0'));
    assert_false(util_is_space('_'));
}

static void test_trim_reads_only_len_bytes(void **state)
{
    (void)state;
    const char s[] = "  ab  cd";
    size_t len = 6; /* "  ab  " */
    const char *t = util_trim(s, &len);
    assert_ptr_equal(t, s + 2);
    assert_int_equal(len, 2);
    len = 0;
    assert_null(util_trim(NULL, &len)); /* nothing to read, nothing read */
    assert_int_equal(len, 0);
}

static void test_trim_nul_in_place(void **state)
{
    (void)state;
    char a[] = "\t name = x \n";
    char *t = util_trim_nul(a);
    assert_ptr_equal(t, a + 2);
    assert_string_equal(t, "name = x");
    char b[] = "   ";
    assert_string_equal(util_trim_nul(b), "");
}

static void test_list_has_whole_trimmed_items(void **state)
{
    (void)state;
    assert_true(util_list_has("a,b", ",", "a", 1));
    assert_true(util_list_has("a,b", ",", "b", 1));
    assert_true(util_list_has("linux, iso ,x", ",", "iso", 3)); /* blanks around items */
    assert_false(util_list_has("ab,c", ",", "a", 1));           /* not part of an item */
    assert_false(util_list_has("a,b", ",", "a,b", 3));          /* one item, not the list */
    assert_false(util_list_has("a,b", ",", ",", 1));
    assert_false(util_list_has("", ",", "a", 1));
    assert_false(util_list_has(NULL, ",", "a", 1));
    /* from test_ui_torrents.c (ui_list_has_item, now this) */
    assert_true(util_list_has("x,,y", ",", "y", 1));
    assert_false(util_list_has("x,,y", ",", "", 0)); /* an empty item never matches */
    assert_false(util_list_has(" , ", ",", "", 0));
    /* item is a length, not a string */
    assert_true(util_list_has("a,bc", ",", "bcd", 2));
}

static void test_list_has_with_tiers(void **state)
{
    (void)state;
    const char *trackers = "http://a/ann,http://b/ann|udp://c:1";
    assert_true(util_list_has(trackers, ",|", "udp://c:1", strlen("udp://c:1")));
    assert_true(util_list_has(trackers, ",|", "http://b/ann", strlen("http://b/ann")));
    /* with "," alone, "|" is part of an item */
    assert_false(util_list_has(trackers, ",", "udp://c:1", strlen("udp://c:1")));
}

static void test_set_err_formats_cuts_and_tolerates_no_buffer(void **state)
{
    (void)state;
    char err[8] = "old";
    util_set_err(err, sizeof err, "bad %s at %d", "line", 12);
    assert_string_equal(err, "bad lin"); /* cut to 7 bytes + NUL */
    util_set_err(err, 0, "x");           /* errlen 0: untouched */
    assert_string_equal(err, "bad lin");
    util_set_err(NULL, 10, "x"); /* NULL: nothing, no crash */
    char big[64];
    util_set_err(big, sizeof big, "%d%%", 50);
    assert_string_equal(big, "50%");
}

static void test_snprintf_returns_what_landed(void **state)
{
    (void)state;
    char buf[5];
    assert_int_equal(util_snprintf(buf, sizeof buf, "%s", "ab"), 2);
    assert_string_equal(buf, "ab");
    assert_int_equal(util_snprintf(buf, sizeof buf, "%s", "abcdefgh"), 4);
    assert_string_equal(buf, "abcd");
    buf[0] = 'z';
    assert_int_equal(util_snprintf(buf, 0, "%s", "ab"), 0);
    assert_int_equal(buf[0], 'z'); /* n 0: nothing written */
}

static void test_is_magnet_by_scheme_any_case(void **state)
{
    (void)state;
    assert_true(util_is_magnet("magnet:?xt=urn:btih:0123456789abcdef0123456789abcdef01234567"));
    assert_true(util_is_magnet("MAGNET:?xt=x"));
    assert_true(util_is_magnet("Magnet:"));
    assert_false(util_is_magnet("magnet"));
    assert_false(util_is_magnet(""));
    assert_false(util_is_magnet(" magnet:?xt=x")); /* callers trim first */
    assert_false(util_is_magnet("./magnet:x.torrent"));
    assert_false(util_is_magnet("/tmp/magnet:.torrent"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_trim_takes_every_ascii_blank_from_both_ends),
        cmocka_unit_test(test_trim_reads_only_len_bytes),
        cmocka_unit_test(test_trim_nul_in_place),
        cmocka_unit_test(test_list_has_whole_trimmed_items),
        cmocka_unit_test(test_list_has_with_tiers),
        cmocka_unit_test(test_set_err_formats_cuts_and_tolerates_no_buffer),
        cmocka_unit_test(test_snprintf_returns_what_landed),
        cmocka_unit_test(test_is_magnet_by_scheme_any_case),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
