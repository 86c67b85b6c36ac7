/*
 * test_safefile.c — eng_safe_open / eng_safe_read (src/engine/safefile.h):
 * what a user-named file must be before spate reads it, checked without
 * ever blocking on open().
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "engine/safefile.h"

static char dir[64];

static int setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/spate-safefile.XXXXXX");
    return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

static void write_file(const char *path, size_t n)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    for (size_t i = 0; i < n; i++)
        fputc('a' + (int)(i % 26), f);
    fclose(f);
}

/* A small regular file is read whole, NUL-terminated. */
static void test_safe_read_reads_a_regular_file(void **state)
{
    (void)state;
    char path[128], err[512];
    snprintf(path, sizeof path, "%s/ok", dir);
    write_file(path, 100);
    void *buf = NULL;
    size_t n = 0;
    assert_int_equal(eng_safe_read(path, "file", 100, "k", NULL, &buf, &n, err, sizeof err), 0);
    assert_int_equal(n, 100);
    assert_int_equal(((char *)buf)[0], 'a');
    assert_int_equal(((char *)buf)[100], '\0');
    free(buf);
}

/* Regression (issue 10): a FIFO, a character device and a directory are
 * refused at open time, naming what they are; opening the FIFO does not
 * wait for a writer. */
static void test_safe_open_refuses_what_is_not_a_regular_file(void **state)
{
    (void)state;
    char fifo[128], err[512];
    snprintf(fifo, sizeof fifo, "%s/pipe", dir);
    assert_int_equal(mkfifo(fifo, 0600), 0);
    const struct {
        const char *path, *what;
    } cases[] = {{fifo, "a FIFO"}, {"/dev/zero", "a character device"}, {dir, "a directory"}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        assert_int_equal(
            eng_safe_open(cases[i].path, "list", 1 << 20, NULL, NULL, NULL, err, sizeof err),
            -EINVAL);
        if (!strstr(err, cases[i].what) || !strstr(err, "only a regular file"))
            fail_msg("%s: %s", cases[i].path, err);
    }
    void *buf = (void *)1;
    size_t n = 7;
    assert_int_equal(eng_safe_read("/dev/zero", "list", -1, NULL, NULL, &buf, &n, err, sizeof err),
                     -EINVAL);
    assert_null(buf);
    assert_int_equal(n, 0);
}

/* A file over the cap is -EFBIG, and the message names the setting. */
static void test_safe_open_enforces_the_size_cap(void **state)
{
    (void)state;
    char path[128], err[512];
    snprintf(path, sizeof path, "%s/big", dir);
    write_file(path, 2000);
    assert_int_equal(
        eng_safe_open(path, "list", 1999, "spate.x_max_bytes", NULL, NULL, err, sizeof err),
        -EFBIG);
    assert_non_null(strstr(err, "spate.x_max_bytes"));
    assert_non_null(strstr(err, "2000 bytes"));
    int64_t size = 0;
    int fd = eng_safe_open(path, "list", 2000, NULL, NULL, &size, err, sizeof err);
    assert_true(fd >= 0);
    assert_int_equal(size, 2000);
    close(fd);
}

/* A file on the device of the mount directory (spate's own mount) is
 * refused; here the "mount" is the test's own directory, same device. */
static void test_safe_open_refuses_a_file_in_the_mount(void **state)
{
    (void)state;
    char path[128], err[512];
    snprintf(path, sizeof path, "%s/inside", dir);
    write_file(path, 10);
    assert_int_equal(eng_safe_open(path, "list", -1, NULL, dir, NULL, err, sizeof err), -EDEADLK);
    assert_non_null(strstr(err, "spate's own mount"));
    /* no mount (it cannot be stat'ed): no check */
    int fd = eng_safe_open(path, "list", -1, NULL, "/nonexistent/mnt", NULL, err, sizeof err);
    assert_true(fd >= 0);
    close(fd);
}

/* A missing file is -ENOENT with the path in the message. */
static void test_safe_open_missing_file(void **state)
{
    (void)state;
    char err[512];
    assert_int_equal(
        eng_safe_open("/nonexistent/x", "theme", -1, NULL, NULL, NULL, err, sizeof err), -ENOENT);
    assert_non_null(strstr(err, "/nonexistent/x"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_safe_read_reads_a_regular_file),
        cmocka_unit_test(test_safe_open_refuses_what_is_not_a_regular_file),
        cmocka_unit_test(test_safe_open_enforces_the_size_cap),
        cmocka_unit_test(test_safe_open_refuses_a_file_in_the_mount),
        cmocka_unit_test(test_safe_open_missing_file),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
