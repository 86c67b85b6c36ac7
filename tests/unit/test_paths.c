/*
 * test_paths.c — path containment for the mount guard (src/engine/paths.c):
 * lexical normalization, eng_path_inside on equal, nested and sibling-prefix
 * paths, trailing slashes and "..", and eng_path_canon through a symlinked
 * prefix and a missing tail.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "engine/engine.h"

static void norm_is(const char *in, const char *want)
{
    char out[PATH_MAX];
    assert_int_equal(eng_path_normalize(in, out, sizeof out), 0);
    assert_string_equal(out, want);
}

static void test_paths_normalize_collapses_dots_and_slashes(void **state)
{
    (void)state;
    norm_is("/", "/");
    norm_is("//", "/");
    norm_is("/a/b/", "/a/b");
    norm_is("/a//b///c", "/a/b/c");
    norm_is("/a/./b/.", "/a/b");
    norm_is("/a/b/../c", "/a/c");
    norm_is("/a/b/../../..", "/");
    norm_is("/../a", "/a");
    norm_is("/a/..b/c", "/a/..b/c");
    char out[8];
    assert_int_equal(eng_path_normalize("a/b", out, sizeof out), -EINVAL);
    assert_int_equal(eng_path_normalize("", out, sizeof out), -EINVAL);
    assert_int_equal(eng_path_normalize("/abcdefghij", out, sizeof out), -ENAMETOOLONG);
}

static void test_paths_inside_equal_and_nested(void **state)
{
    (void)state;
    assert_true(eng_path_inside("/a/b", "/a/b"));
    assert_true(eng_path_inside("/a/b/c", "/a/b"));
    assert_true(eng_path_inside("/a/b/c/d", "/a"));
    assert_true(eng_path_inside("/anything", "/"));
    assert_true(eng_path_inside("/", "/"));
    assert_false(eng_path_inside("/a", "/a/b"));
    assert_false(eng_path_inside("/", "/a"));
}

static void test_paths_inside_sibling_prefix_is_not_inside(void **state)
{
    (void)state;
    assert_false(eng_path_inside("/a/bc", "/a/b"));
    assert_false(eng_path_inside("/a/b", "/a/bc"));
    assert_false(eng_path_inside("/a/b-c/d", "/a/b"));
    assert_false(eng_path_inside("/data/spate2", "/data/spate"));
}

static void test_paths_inside_trailing_slashes_and_dotdot(void **state)
{
    (void)state;
    assert_true(eng_path_inside("/a/b/", "/a/b"));
    assert_true(eng_path_inside("/a/b", "/a/b/"));
    assert_true(eng_path_inside("/a/b//c/", "/a/b///"));
    assert_true(eng_path_inside("/a/x/../b/c", "/a/b"));
    assert_false(eng_path_inside("/a/b/../c", "/a/b"));
    assert_true(eng_path_inside("/a/b/c/..", "/a/b"));
    assert_false(eng_path_inside("relative", "/"));
}

static void test_paths_canon_resolves_symlinked_prefix(void **state)
{
    (void)state;
    char tmpl[] = "/tmp/spate-paths.XXXXXX", real[PATH_MAX], link[PATH_MAX * 2], dir[PATH_MAX * 2],
         got[PATH_MAX], want[PATH_MAX * 4];
    assert_non_null(mkdtemp(tmpl));
    assert_non_null(realpath(tmpl, real));
    snprintf(dir, sizeof dir, "%s/real", real);
    assert_int_equal(mkdir(dir, 0700), 0);
    snprintf(link, sizeof link, "%s/link", real);
    assert_int_equal(symlink(dir, link), 0);

    /* an existing path through the link */
    snprintf(want, sizeof want, "%s/link", real);
    assert_int_equal(eng_path_canon(want, got, sizeof got), 0);
    assert_string_equal(got, dir);
    /* a missing tail after the link, with "." and a trailing slash */
    snprintf(want, sizeof want, "%s/link/./not/yet/", real);
    assert_int_equal(eng_path_canon(want, got, sizeof got), 0);
    snprintf(want, sizeof want, "%s/not/yet", dir);
    assert_string_equal(got, want);
    /* so a mount dir given through the link is inside the real dir */
    snprintf(want, sizeof want, "%s/link/mnt", real);
    assert_int_equal(eng_path_canon(want, got, sizeof got), 0);
    assert_true(eng_path_inside(got, dir));
    /* ".." is resolved before the lookup: real/../real is real */
    snprintf(want, sizeof want, "%s/real/../real", real);
    assert_int_equal(eng_path_canon(want, got, sizeof got), 0);
    assert_string_equal(got, dir);
    /* the last component itself a symlink (absolute and relative) */
    snprintf(want, sizeof want, "%s/rel", real);
    assert_int_equal(symlink("link/../real", want), 0);
    assert_int_equal(eng_path_canon(want, got, sizeof got), 0);
    assert_string_equal(got, dir);
    unlink(want);
    /* a path that does not exist at all keeps its normalized form */
    assert_int_equal(eng_path_canon("/nonexistent-spate-x/a/../b", got, sizeof got), 0);
    assert_string_equal(got, "/nonexistent-spate-x/b");
    assert_int_equal(eng_path_canon("/", got, sizeof got), 0);
    assert_string_equal(got, "/");

    unlink(link);
    rmdir(dir);
    rmdir(real);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_paths_normalize_collapses_dots_and_slashes),
        cmocka_unit_test(test_paths_inside_equal_and_nested),
        cmocka_unit_test(test_paths_inside_sibling_prefix_is_not_inside),
        cmocka_unit_test(test_paths_inside_trailing_slashes_and_dotdot),
        cmocka_unit_test(test_paths_canon_resolves_symlinked_prefix),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
