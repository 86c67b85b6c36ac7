/*
 * test_ctl_framer.c — the control protocol's line framer (src/ctl/framer.c)
 * and the JSON string helper that replaces invalid UTF-8; no engine.
 */
#define SPATE_INTERNAL_CTL /* looks inside src/ctl/ (its private header) */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <setjmp.h>
#include <cmocka.h>

#include <jansson.h>

#include "ctl/ctl.h"
#include "ctl/ctl_int.h"

/* --- framer ------------------------------------------------------------------------- */

static void test_framer_splits_line_across_feeds(void **s)
{
    (void)s;
    struct ctl_framer fr;
    const char *line;
    size_t len;
    ctl_framer_init(&fr);
    assert_int_equal(ctl_framer_feed(&fr, "{\"id\":1,", 8), 0);
    assert_int_equal(ctl_framer_next(&fr, &line, &len), 0);
    assert_int_equal(ctl_framer_feed(&fr, "\"cmd\":\"ls\"}", 11), 0);
    assert_int_equal(ctl_framer_next(&fr, &line, &len), 0);
    assert_int_equal(ctl_framer_feed(&fr, "\n", 1), 0);
    assert_int_equal(ctl_framer_next(&fr, &line, &len), 1);
    assert_int_equal(len, 19);
    assert_memory_equal(line, "{\"id\":1,\"cmd\":\"ls\"}", 19);
    assert_int_equal(ctl_framer_next(&fr, &line, &len), 0);
    ctl_framer_free(&fr);
}

static void test_framer_yields_several_lines_from_one_feed(void **s)
{
    (void)s;
    struct ctl_framer fr;
    const char *line;
    size_t len;
    ctl_framer_init(&fr);
    const char *in = "one\ntwo\r\n\nthree\nfou";
    assert_int_equal(ctl_framer_feed(&fr, in, strlen(in)), 0);
    const char *want[] = {"one", "two", "", "three"};
    for (size_t i = 0; i < 4; i++) {
        assert_int_equal(ctl_framer_next(&fr, &line, &len), 1);
        assert_int_equal(len, strlen(want[i]));
        assert_memory_equal(line, want[i], len);
    }
    assert_int_equal(ctl_framer_next(&fr, &line, &len), 0);
    /* the partial line survives compaction on the next feed */
    assert_int_equal(ctl_framer_feed(&fr, "r\n", 2), 0);
    assert_int_equal(ctl_framer_next(&fr, &line, &len), 1);
    assert_int_equal(len, 4);
    assert_memory_equal(line, "four", 4);
    ctl_framer_free(&fr);
}

static void test_framer_accepts_line_of_max_length(void **s)
{
    (void)s;
    struct ctl_framer fr;
    const char *line;
    size_t len;
    char *big = malloc(CTL_MAX_LINE);
    memset(big, 'x', CTL_MAX_LINE);
    big[CTL_MAX_LINE - 1] = '\n'; /* exactly CTL_MAX_LINE bytes with the newline */
    ctl_framer_init(&fr);
    assert_int_equal(ctl_framer_feed(&fr, big, CTL_MAX_LINE), 0);
    assert_int_equal(ctl_framer_next(&fr, &line, &len), 1);
    assert_int_equal(len, CTL_MAX_LINE - 1);
    assert_false(fr.overflow);
    ctl_framer_free(&fr);
    free(big);
}

/* Regression (found by tests/fuzz/fuzz_protocol.c): a framer that holds no
 * buffer yet (fresh, or freed) computed buf + head on a NULL buf, undefined
 * behaviour that clang's UBSan (pointer-overflow) reports and gcc's does not.
 * Feeding nothing, popping and feeding into such a framer must work. */
static void test_framer_without_buffer_feeds_and_pops(void **s)
{
    (void)s;
    struct ctl_framer fr;
    const char *line = NULL;
    size_t len = 0;
    ctl_framer_init(&fr);
    assert_int_equal(ctl_framer_next(&fr, &line, &len), 0);
    assert_int_equal(ctl_framer_feed(&fr, "", 0), 0);
    assert_null(fr.buf);
    assert_int_equal(ctl_framer_feed(&fr, "{}\n", 3), 0);
    assert_int_equal(ctl_framer_next(&fr, &line, &len), 1);
    assert_int_equal(len, 2);
    ctl_framer_free(&fr);
    assert_int_equal(ctl_framer_next(&fr, &line, &len), 0);
    assert_int_equal(ctl_framer_feed(&fr, "x", 1), 0);
    assert_int_equal(ctl_framer_next(&fr, &line, &len), 0);
    ctl_framer_free(&fr);
}

static void test_framer_oversized_line_is_emsgsize(void **s)
{
    (void)s;
    struct ctl_framer fr;
    char *big = malloc(CTL_MAX_LINE + 1);
    memset(big, 'x', CTL_MAX_LINE + 1);
    ctl_framer_init(&fr);
    /* in one feed, no newline yet: already too long */
    assert_int_equal(ctl_framer_feed(&fr, big, CTL_MAX_LINE), -EMSGSIZE);
    assert_true(fr.overflow);
    /* and it stays failed */
    assert_int_equal(ctl_framer_feed(&fr, "\n", 1), -EMSGSIZE);
    ctl_framer_free(&fr);

    /* across feeds */
    ctl_framer_init(&fr);
    assert_int_equal(ctl_framer_feed(&fr, big, CTL_MAX_LINE / 2), 0);
    assert_int_equal(ctl_framer_feed(&fr, big, CTL_MAX_LINE / 2), -EMSGSIZE);
    assert_true(fr.cap <= 2 * (size_t)CTL_MAX_LINE); /* memory stays bounded */
    ctl_framer_free(&fr);

    /* a complete line one byte too long */
    ctl_framer_init(&fr);
    big[CTL_MAX_LINE] = '\n';
    assert_int_equal(ctl_framer_feed(&fr, big, CTL_MAX_LINE + 1), -EMSGSIZE);
    ctl_framer_free(&fr);
    free(big);
}

static void test_framer_keeps_lines_before_oversized_one(void **s)
{
    (void)s;
    struct ctl_framer fr;
    const char *line;
    size_t len;
    size_t n = CTL_MAX_LINE + 16;
    char *buf = malloc(n);
    memset(buf, 'y', n);
    memcpy(buf, "ok\n", 3);
    ctl_framer_init(&fr);
    assert_int_equal(ctl_framer_feed(&fr, buf, n), -EMSGSIZE);
    assert_int_equal(ctl_framer_next(&fr, &line, &len), 1);
    assert_int_equal(len, 2);
    assert_memory_equal(line, "ok", 2);
    assert_int_equal(ctl_framer_next(&fr, &line, &len), 0);
    ctl_framer_free(&fr);
    free(buf);
}

static void test_json_str_replaces_invalid_utf8(void **s)
{
    (void)s;
    json_t *j = ctl_json_str("a\xff"
                             "b\xc3\xa9");
    assert_non_null(j);
    assert_string_equal(json_string_value(j), "a\xef\xbf\xbd"
                                              "b\xc3\xa9");
    json_decref(j);
    j = ctl_json_str(NULL);
    assert_true(json_is_null(j));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_framer_splits_line_across_feeds),
        cmocka_unit_test(test_framer_yields_several_lines_from_one_feed),
        cmocka_unit_test(test_framer_accepts_line_of_max_length),
        cmocka_unit_test(test_framer_without_buffer_feeds_and_pops),
        cmocka_unit_test(test_framer_oversized_line_is_emsgsize),
        cmocka_unit_test(test_framer_keeps_lines_before_oversized_one),
        cmocka_unit_test(test_json_str_replaces_invalid_utf8),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
