/*
 * test_settings_doc.c — docs/settings.md is what the registry generates
 * (run from the repository root, as `make test` does). On a mismatch: run
 * `make docs` and commit the result.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/engine.h"
#include "engine/registry.h"

static char *slurp(const char *path, size_t *n)
{
    FILE *fp = fopen(path, "rb");
    if (!fp) return NULL;
    size_t cap = 1 << 16, len = 0;
    char *buf = malloc(cap);
    size_t got;
    while (buf && (got = fread(buf + len, 1, cap - len, fp)) > 0) {
        len += got;
        if (len == cap) buf = realloc(buf, cap *= 2);
    }
    fclose(fp);
    *n = len;
    return buf;
}

static void test_docs_settings_md_is_up_to_date(void **state)
{
    (void)state;
    char *gen = NULL;
    size_t gen_len = 0, file_len = 0;
    FILE *mem = open_memstream(&gen, &gen_len);
    assert_non_null(mem);
    assert_int_equal(eng_settings_doc(mem), 0);
    fclose(mem);
    char *file = slurp("docs/settings.md", &file_len);
    if (!file) fail_msg("docs/settings.md missing: run `make docs`");
    if (file_len != gen_len || memcmp(file, gen, gen_len) != 0)
        fail_msg("docs/settings.md is out of date with the registry: run `make docs`");
    free(file);
    free(gen);
}

static void test_docs_name_every_key(void **state)
{
    (void)state;
    char *gen = NULL;
    size_t gen_len = 0;
    FILE *mem = open_memstream(&gen, &gen_len);
    assert_non_null(mem);
    assert_int_equal(eng_settings_doc(mem), 0);
    fclose(mem);
    for (size_t i = 0; i < reg_count(); i++) {
        char needle[200];
        snprintf(needle, sizeof needle, "| `%s` |", reg_at(i)->key);
        if (!strstr(gen, needle)) fail_msg("%s is not in the generated docs", reg_at(i)->key);
    }
    free(gen);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_docs_settings_md_is_up_to_date),
        cmocka_unit_test(test_docs_name_every_key),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
