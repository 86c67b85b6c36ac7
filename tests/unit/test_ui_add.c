/*
 * test_ui_add.c — the options of the TUI's add prompt (add_line.c).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "ui/add_line.h"

static void parse_ok(const char *in, struct ui_add_line *o, char *buf, size_t n)
{
    char err[256] = "";
    snprintf(buf, n, "%s", in);
    if (ui_add_line_parse(buf, o, err, sizeof err) != 0) fail_msg("'%s': %s", in, err);
}

static void parse_bad(const char *in, const char *needle)
{
    char buf[512], err[256] = "";
    struct ui_add_line o;
    snprintf(buf, sizeof buf, "%s", in);
    assert_int_equal(ui_add_line_parse(buf, &o, err, sizeof err), -EINVAL);
    if (!strstr(err, needle)) fail_msg("'%s': message '%s' lacks '%s'", in, err, needle);
    assert_null(strchr(err, '\n'));
}

static void test_plain_source_is_the_whole_line(void **state)
{
    (void)state;
    char buf[512];
    struct ui_add_line o;
    parse_ok("  ~/My Films/film one.torrent  ", &o, buf, sizeof buf);
    assert_string_equal(o.source, "~/My Films/film one.torrent");
    assert_false(o.paused);
    assert_int_equal(o.n_opts, 0);
    assert_null(o.dir);
    parse_ok("magnet:?xt=urn:btih:0123456789abcdef0123456789abcdef01234567&dn=a=b", &o, buf,
             sizeof buf);
    assert_string_equal(o.source, "magnet:?xt=urn:btih:0123456789abcdef0123456789abcdef01234567"
                                  "&dn=a=b");
}

static void test_options_then_source(void **state)
{
    (void)state;
    char buf[512];
    struct ui_add_line o;
    parse_ok("--paused --seed-mode --category films --tags a,b --dir /srv/x "
             "download_limit=1000 sequential_download=true /tmp/a b.torrent",
             &o, buf, sizeof buf);
    assert_true(o.paused);
    assert_true(o.seed_mode);
    assert_string_equal(o.dir, "/srv/x");
    assert_string_equal(o.source, "/tmp/a b.torrent");
    assert_int_equal(o.n_opts, 4);
    assert_string_equal(o.opts[0].key, "category");
    assert_string_equal(o.opts[0].value, "films");
    assert_string_equal(o.opts[1].key, "tags");
    assert_string_equal(o.opts[1].value, "a,b");
    assert_string_equal(o.opts[2].key, "download_limit");
    assert_string_equal(o.opts[2].value, "1000");
    assert_string_equal(o.opts[3].key, "sequential_download");
}

static void test_a_path_with_equals_is_a_source(void **state)
{
    (void)state;
    char buf[512];
    struct ui_add_line o;
    parse_ok("./x=y.torrent", &o, buf, sizeof buf);
    assert_string_equal(o.source, "./x=y.torrent");
    assert_int_equal(o.n_opts, 0);
}

/* A magnet link in capitals is a source, as `spate add` and the engine
 * take it (util_is_magnet: the scheme in any case); it was parsed as a
 * "MAGNET:?xt=..." setting, which left no source. */
static void test_a_magnet_in_any_case_is_a_source(void **state)
{
    (void)state;
    char buf[512];
    struct ui_add_line o;
    parse_ok("MAGNET:?xt=urn:btih:0123456789abcdef0123456789abcdef01234567&dn=a", &o, buf,
             sizeof buf);
    assert_string_equal(o.source, "MAGNET:?xt=urn:btih:0123456789abcdef0123456789abcdef01234567"
                                  "&dn=a");
    assert_int_equal(o.n_opts, 0);
}

static void test_bad_lines(void **state)
{
    (void)state;
    parse_bad("--bogus x.torrent", "unknown option '--bogus'");
    parse_bad("--category", "--category needs a value");
    parse_bad("--paused", "give a .torrent path or a magnet link");
    parse_bad("enable_dht=false x.torrent", "'enable_dht' is not a per-torrent setting");
    parse_bad("nosuch=1 x.torrent", "'nosuch' is not a per-torrent setting");
    char many[1024] = "";
    for (int i = 0; i < UI_ADD_MAX_OPTS + 1; i++)
        strcat(many, "pex=true ");
    strcat(many, "x.torrent");
    parse_bad(many, "at most");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_plain_source_is_the_whole_line),
        cmocka_unit_test(test_options_then_source),
        cmocka_unit_test(test_a_path_with_equals_is_a_source),
        cmocka_unit_test(test_a_magnet_in_any_case_is_a_source),
        cmocka_unit_test(test_bad_lines),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
