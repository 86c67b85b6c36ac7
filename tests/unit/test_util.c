/*
 * test_util.c — the shared helpers of src/util/: UTF-8 checking and
 * decoding, U+FFFD replacement, and terminal-safe text (ESC sequences, C0,
 * DEL, C1 raw and UTF-8-encoded, newlines), with wide and combining
 * characters left untouched.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/utf8.h"

#define R UTIL_UTF8_REPL

/* util_term_sanitize of s (strlen) in a roomy buffer. */
static const char *term(const char *s)
{
    static char buf[1024];
    util_term_sanitize(buf, sizeof buf, s, strlen(s));
    return buf;
}

/* util_utf8_sanitize of s[0..len). */
static const char *valid(const char *s, size_t len)
{
    static char buf[1024];
    util_utf8_sanitize(buf, sizeof buf, s, len);
    return buf;
}

/* Whether out holds no byte a terminal would take as a control: C0, DEL,
 * a raw C1 byte or an encoded C1 (C2 80-9F). */
static void assert_terminal_safe(const char *out)
{
    const unsigned char *p = (const unsigned char *)out;
    for (size_t i = 0; p[i]; i++) {
        assert_true(p[i] >= 0x20 && p[i] != 0x7f);
        if (p[i] == 0xc2) assert_false(p[i + 1] >= 0x80 && p[i + 1] <= 0x9f);
    }
    assert_true(util_utf8_valid(out, strlen(out)));
}

static void test_seq_accepts_each_length_and_gives_the_code_point(void **state)
{
    (void)state;
    uint32_t cp;
    assert_int_equal(util_utf8_seq("A", 1, &cp), 1);
    assert_int_equal(cp, 'A');
    assert_int_equal(util_utf8_seq("\xc3\xa9", 2, &cp), 2); /* é */
    assert_int_equal(cp, 0xe9);
    assert_int_equal(util_utf8_seq("\xe4\xb8\xad", 3, &cp), 3); /* 中 */
    assert_int_equal(cp, 0x4e2d);
    assert_int_equal(util_utf8_seq("\xf0\x9f\x98\x80", 4, &cp), 4); /* 😀 */
    assert_int_equal(cp, 0x1f600);
    assert_int_equal(util_utf8_seq("\xf4\x8f\xbf\xbf", 4, &cp), 4); /* U+10FFFF */
    assert_int_equal(cp, 0x10ffff);
    assert_int_equal(util_utf8_seq("\xc2\x9b", 2, &cp), 2); /* C1 CSI is valid UTF-8 */
    assert_int_equal(cp, 0x9b);
    assert_int_equal(util_utf8_seq("A", 0, &cp), 0);
}

static void test_seq_refuses_overlong_forms(void **state)
{
    (void)state;
    assert_int_equal(util_utf8_seq("\xc0\xaf", 2, NULL), 0);         /* '/' in 2 */
    assert_int_equal(util_utf8_seq("\xc1\xbf", 2, NULL), 0);         /* DEL in 2 */
    assert_int_equal(util_utf8_seq("\xc0\x9b", 2, NULL), 0);         /* ESC in 2 */
    assert_int_equal(util_utf8_seq("\xe0\x82\x9b", 3, NULL), 0);     /* U+009B in 3 */
    assert_int_equal(util_utf8_seq("\xe0\x9f\xbf", 3, NULL), 0);     /* U+07FF in 3 */
    assert_int_equal(util_utf8_seq("\xf0\x8f\xbf\xbf", 4, NULL), 0); /* U+FFFF in 4 */
    assert_int_equal(util_utf8_seq("\xe0\xa0\x80", 3, NULL), 3);     /* U+0800: shortest */
}

static void test_seq_refuses_surrogates_and_past_u10ffff(void **state)
{
    (void)state;
    assert_int_equal(util_utf8_seq("\xed\xa0\x80", 3, NULL), 0); /* U+D800 */
    assert_int_equal(util_utf8_seq("\xed\xbf\xbf", 3, NULL), 0); /* U+DFFF */
    assert_int_equal(util_utf8_seq("\xed\x9f\xbf", 3, NULL), 3); /* U+D7FF */
    assert_int_equal(util_utf8_seq("\xf4\x90\x80\x80", 4, NULL), 0);
    assert_int_equal(util_utf8_seq("\xf5\x80\x80\x80", 4, NULL), 0);
    assert_int_equal(util_utf8_seq("\xff", 1, NULL), 0);
    assert_int_equal(util_utf8_seq("\xfe", 1, NULL), 0);
}

static void test_seq_refuses_truncated_sequences_and_lone_continuations(void **state)
{
    (void)state;
    assert_int_equal(util_utf8_seq("\xe4\xb8\xad", 2, NULL), 0); /* cut by n */
    assert_int_equal(util_utf8_seq("\xe4\xb8", 3, NULL), 0);     /* cut by the NUL */
    assert_int_equal(util_utf8_seq("\xe4x\xad", 3, NULL), 0);
    assert_int_equal(util_utf8_seq("\xf0\x9f\x98", 4, NULL), 0);
    assert_int_equal(util_utf8_seq("\x80", 1, NULL), 0);
    assert_int_equal(util_utf8_seq("\x9b", 1, NULL), 0); /* raw C1 byte */
    assert_int_equal(util_utf8_seq("\xbf", 1, NULL), 0);
}

static void test_decode_advances_one_byte_with_u_fffd_on_bad_input(void **state)
{
    (void)state;
    uint32_t cp;
    assert_int_equal(util_utf8_decode("\x9b[2J", &cp), 1);
    assert_int_equal(cp, 0xfffd);
    assert_int_equal(util_utf8_decode("\xe4\xb8", &cp), 1);
    assert_int_equal(cp, 0xfffd);
    assert_int_equal(util_utf8_decode("\xe4\xb8\xad!", &cp), 3);
    assert_int_equal(cp, 0x4e2d);
}

static void test_encode_round_trips_and_replaces_surrogates(void **state)
{
    (void)state;
    const uint32_t cps[] = {0, 'a', 0x7f, 0x80, 0x9b, 0x7ff, 0x800, 0xfffd, 0x10000, 0x10ffff};
    for (size_t i = 0; i < sizeof cps / sizeof cps[0]; i++) {
        char b[5] = {0};
        size_t n = util_utf8_encode(cps[i], b);
        uint32_t back;
        if (cps[i] == 0) {
            assert_int_equal(n, 1);
            continue;
        }
        assert_int_equal(util_utf8_seq(b, n, &back), n);
        assert_int_equal(back, cps[i]);
    }
    char b[4];
    assert_int_equal(util_utf8_encode(0xd800, b), 3);
    assert_memory_equal(b, R, 3);
    assert_int_equal(util_utf8_encode(0x110000, b), 3);
    assert_memory_equal(b, R, 3);
}

static void test_valid_checks_a_whole_buffer(void **state)
{
    (void)state;
    assert_true(util_utf8_valid("", 0));
    assert_true(util_utf8_valid("plain \xe4\xb8\xad \xc2\x9b", 12));
    assert_false(util_utf8_valid("plain \x9b", 7));
    assert_false(util_utf8_valid("\xe4\xb8", 2));
    assert_true(util_utf8_valid("a\0b", 3)); /* NUL is valid UTF-8 */
}

static void test_is_control_covers_c0_del_and_c1_only(void **state)
{
    (void)state;
    for (uint32_t c = 0; c < 0x20; c++)
        assert_true(util_is_control(c));
    assert_true(util_is_control(0x7f));
    for (uint32_t c = 0x80; c < 0xa0; c++)
        assert_true(util_is_control(c));
    assert_false(util_is_control(' '));
    assert_false(util_is_control('~'));
    assert_false(util_is_control(0xa0)); /* no-break space */
    assert_false(util_is_control(0x200b));
    assert_false(util_is_control(0xfffd));
}

static void test_utf8_sanitize_replaces_each_bad_byte_and_keeps_controls(void **state)
{
    (void)state;
    assert_string_equal(valid("ok", 2), "ok");
    assert_string_equal(valid("a\xff"
                              "b",
                              3),
                        "a" R "b");
    assert_string_equal(valid("\xc0\xaf", 2), R R); /* overlong: each byte */
    assert_string_equal(valid("\xed\xa0\x80", 3), R R R);
    assert_string_equal(valid("x\xe4\xb8", 3), "x" R R);
    /* controls stay: this is for JSON and the store, not the terminal */
    assert_string_equal(valid("a\x1b[0m\n", 6), "a\x1b[0m\n");
    assert_string_equal(valid("\xc2\x9b", 2), "\xc2\x9b");
}

static void test_term_replaces_escape_sequences(void **state)
{
    (void)state;
    assert_string_equal(term("\x1b[2J\x1b[H evil"), "?[2J?[H evil");
    assert_string_equal(term("\x1b]0;title\x07"), "?]0;title?"); /* OSC with BEL */
    assert_string_equal(term("\x1b]52;c;aGk=\x1b\\"), "?]52;c;aGk=?\\");
    assert_terminal_safe(term("\x1b[31mred\x1b[0m"));
}

static void test_term_replaces_c1_raw_and_utf8_encoded(void **state)
{
    (void)state;
    /* U+009B is a CSI on its own; raw it is not UTF-8 at all */
    assert_string_equal(term("a\xc2\x9b"
                             "2Jb"),
                        "a?2Jb");
    assert_string_equal(term("a\x9b"
                             "2Jb"),
                        "a" R "2Jb");
    assert_string_equal(term("\xc2\x80\xc2\x85\xc2\x9d\xc2\x9f"), "????");
    assert_string_equal(term("\xc2\xa0"), "\xc2\xa0"); /* U+00A0 is not C1 */
    for (unsigned c = 0x80; c < 0xa0; c++) {
        char in[3] = {(char)0xc2, (char)c, 0};
        assert_string_equal(term(in), "?");
        char raw[2] = {(char)c, 0};
        assert_string_equal(term(raw), R);
    }
}

static void test_term_replaces_c0_newlines_tabs_and_del(void **state)
{
    (void)state;
    assert_string_equal(term("line1\nline2\r\n\ttab"), "line1?line2???tab");
    assert_string_equal(term("a\x7f"
                             "b\x08"
                             "c\x07"),
                        "a?b?c?");
    for (unsigned c = 1; c < 0x20; c++) {
        char in[2] = {(char)c, 0};
        assert_string_equal(term(in), "?");
    }
    char nul[3] = {'a', 0, 'b'};
    char out[8];
    assert_int_equal(util_term_sanitize(out, sizeof out, nul, 3), 3);
    assert_string_equal(out, "a?b");
}

static void test_term_replaces_overlong_and_surrogate_controls_as_bad_bytes(void **state)
{
    (void)state;
    /* an overlong ESC or CSI must not decode to a control anywhere */
    assert_string_equal(term("\xc0\x9b"), R R);
    assert_string_equal(term("\xe0\x80\x9b"), R R R);
    assert_string_equal(term("\xed\xa0\x80x"), R R R "x");
    assert_string_equal(term("ab\xf0\x9f\x98"), "ab" R R R); /* truncated at the end */
}

static void test_term_keeps_wide_combining_and_other_characters(void **state)
{
    (void)state;
    const char *keep[] = {
        "\xe4\xb8\xad\xe6\x96\x87",          /* 中文: wide */
        "e\xcc\x81",                         /* e + combining acute */
        "\xf0\x9f\x98\x80 emoji",            /* 😀 */
        "\xe2\x80\x8b\xe2\x80\xae",          /* ZWSP, RLO: not controls in our sense */
        "caf\xc3\xa9 \xc2\xa0 \xef\xbf\xbd", /* é, NBSP, U+FFFD */
        "[brackets] (parens) ~!@#$%^&*",
    };
    for (size_t i = 0; i < sizeof keep / sizeof keep[0]; i++)
        assert_string_equal(term(keep[i]), keep[i]);
}

static void test_sanitize_never_splits_a_character_or_overflows(void **state)
{
    (void)state;
    char out[8];
    memset(out, 'X', sizeof out);
    /* 中 is 3 bytes: two fit in 7 bytes + NUL, not a third half */
    assert_int_equal(util_term_sanitize(out, sizeof out, "\xe4\xb8\xad\xe4\xb8\xad\xe4\xb8\xad", 9),
                     6);
    assert_string_equal(out, "\xe4\xb8\xad\xe4\xb8\xad");
    /* U+FFFD does not fit in 2 bytes + NUL */
    assert_int_equal(util_term_sanitize(out, 3, "a\xff", 2), 1);
    assert_string_equal(out, "a");
    assert_int_equal(util_term_sanitize(out, 1, "abc", 3), 0);
    assert_string_equal(out, "");
    assert_int_equal(util_term_sanitize(out, 0, "abc", 3), 0);
    /* worst case: every byte bad, 3 * len + 1 is enough */
    char bad[] = "\xff\xfe\x80", big[10];
    assert_int_equal(util_utf8_sanitize(big, sizeof big, bad, 3), 9);
    assert_string_equal(big, R R R);
}

static void test_utf8_dup_copies_valid_and_replaces_bad(void **state)
{
    (void)state;
    char *d = util_utf8_dup("a\x9b"
                            "b\x1b",
                            4);
    assert_non_null(d);
    assert_string_equal(d, "a" R "b\x1b");
    free(d);
    d = util_utf8_dup("", 0);
    assert_string_equal(d, "");
    free(d);
}

static void test_term_fputs_writes_long_text_safely(void **state)
{
    (void)state;
    /* long enough to be written in several pieces, with multi-byte
     * characters and controls across the piece boundaries */
    char in[4000], *out = NULL;
    size_t n = 0, len = 0;
    while (len + 8 < sizeof in) {
        memcpy(in + len, "\xe4\xb8\xad\xc2\x9b\x1b\xff", 7);
        len += 7;
    }
    in[len] = '\0';
    FILE *f = open_memstream(&out, &n);
    assert_non_null(f);
    assert_int_equal(util_term_fputs(in, f), 0);
    assert_int_equal(util_term_fputs(NULL, f), 0);
    fclose(f);
    assert_int_equal(n, len / 7 * (3 + 1 + 1 + 3));
    assert_terminal_safe(out);
    for (size_t i = 0; i < n; i += 8)
        assert_memory_equal(out + i, "\xe4\xb8\xad??" R, 8);
    free(out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_seq_accepts_each_length_and_gives_the_code_point),
        cmocka_unit_test(test_seq_refuses_overlong_forms),
        cmocka_unit_test(test_seq_refuses_surrogates_and_past_u10ffff),
        cmocka_unit_test(test_seq_refuses_truncated_sequences_and_lone_continuations),
        cmocka_unit_test(test_decode_advances_one_byte_with_u_fffd_on_bad_input),
        cmocka_unit_test(test_encode_round_trips_and_replaces_surrogates),
        cmocka_unit_test(test_valid_checks_a_whole_buffer),
        cmocka_unit_test(test_is_control_covers_c0_del_and_c1_only),
        cmocka_unit_test(test_utf8_sanitize_replaces_each_bad_byte_and_keeps_controls),
        cmocka_unit_test(test_term_replaces_escape_sequences),
        cmocka_unit_test(test_term_replaces_c1_raw_and_utf8_encoded),
        cmocka_unit_test(test_term_replaces_c0_newlines_tabs_and_del),
        cmocka_unit_test(test_term_replaces_overlong_and_surrogate_controls_as_bad_bytes),
        cmocka_unit_test(test_term_keeps_wide_combining_and_other_characters),
        cmocka_unit_test(test_sanitize_never_splits_a_character_or_overflows),
        cmocka_unit_test(test_utf8_dup_copies_valid_and_replaces_bad),
        cmocka_unit_test(test_term_fputs_writes_long_text_safely),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
