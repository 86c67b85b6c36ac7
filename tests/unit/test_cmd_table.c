/*
 * test_cmd_table.c — the command table (src/ctl/cmds.c, issue 12 "one
 * command, one entry"): every command has usage lines, a handler and a
 * printer; every protocol command is served by the entry that documents
 * it; `spate --help`, `spate help CMD` / `spate CMD --help` and the
 * command list of docs/protocol.md come from the table (run from the
 * repository root, as `make test` does; on a mismatch: `make docs`).
 */
#define SPATE_INTERNAL_CTL /* looks inside src/ctl/ (its private header) */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctl/ctl.h"
#include "ctl/ctl_int.h"

#define BEGIN "<!-- commands:begin -->\n"
#define END "<!-- commands:end -->\n"

/* What f(file) writes, malloc'd. */
static char *capture(void (*f)(void *), void *dummy)
{
    (void)dummy;
    char *buf = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&buf, &len);
    assert_non_null(mem);
    f(mem);
    fclose(mem);
    return buf;
}

static void test_every_command_has_usage_handler_and_printer(void **s)
{
    (void)s;
    size_t n = 0;
    for (size_t i = 0; ctl_cmds[i]; i++, n++) {
        const struct ctl_cmd *c = ctl_cmds[i];
        if (!c->help || !c->help[0].synopsis) fail_msg("%s has no usage line", c->name);
        for (const struct ctl_help *h = c->help; h->synopsis; h++) {
            if (strncmp(h->synopsis, c->name, strlen(c->name)) != 0 || !h->text || !*h->text)
                fail_msg("%s: usage line '%s' is not its own or says nothing", c->name,
                         h->synopsis);
        }
        if (c->run) continue; /* runs here (db, help): its own handler and output */
        if (!c->wire || !c->wire[0].name) fail_msg("%s has no protocol handler", c->name);
        for (const struct ctl_wire *w = c->wire; w->name; w++)
            if (!w->handle) fail_msg("%s: %s has no handler", c->name, w->name);
        if (!c->print && !c->print_text) fail_msg("%s has no printer", c->name);
        if (c->print == ctl_print_ids && !c->done) fail_msg("%s prints ids but no verb", c->name);
        if (c->print_text && !(c->options & CTL_OPT_JSON) && strcmp(c->name, "set") != 0)
            fail_msg("%s prints text but takes no --json", c->name);
        if (c->min_pos > c->max_pos) fail_msg("%s: more operands needed than taken", c->name);
        if (c->min_pos && !c->operands) fail_msg("%s: operands unnamed for messages", c->name);
    }
    assert_true(n >= 18);
}

static void test_names_are_unique_and_found(void **s)
{
    (void)s;
    for (size_t i = 0; ctl_cmds[i]; i++) {
        assert_ptr_equal(ctl_cmd_find(ctl_cmds[i]->name), ctl_cmds[i]);
        for (size_t j = 0; j < i; j++)
            if (strcmp(ctl_cmds[i]->name, ctl_cmds[j]->name) == 0)
                fail_msg("%s is in the table twice", ctl_cmds[i]->name);
    }
    assert_null(ctl_cmd_find("nosuch"));
    assert_null(ctl_cmd_find(NULL));
}

/* Each protocol command is served by the entry whose usage line sends it,
 * and each usage line that sends one names a command its entry serves. */
static void test_wire_commands_match_usage_lines(void **s)
{
    (void)s;
    for (size_t i = 0; ctl_cmds[i]; i++) {
        const struct ctl_cmd *c = ctl_cmds[i];
        for (const struct ctl_wire *w = c->wire; w && w->name; w++) {
            assert_ptr_equal(ctl_command_find(w->name), w->handle);
            bool documented = false;
            for (const struct ctl_help *h = c->help; h->synopsis; h++)
                documented = documented || (h->wire && strcmp(h->wire, w->name) == 0);
            if (!documented) fail_msg("%s: %s has no usage line", c->name, w->name);
        }
        for (const struct ctl_help *h = c->help; h->synopsis; h++) {
            if (!h->wire) continue;
            bool served = false;
            for (const struct ctl_wire *w = c->wire; w && w->name; w++)
                served = served || strcmp(h->wire, w->name) == 0;
            if (!served) fail_msg("%s: '%s' sends %s, not served", c->name, h->synopsis, h->wire);
        }
    }
    assert_null(ctl_command_find("nosuch"));
    assert_null(ctl_command_find("db")); /* local only */
}

/* Every subcommand option belongs to some command, so --help can name it. */
static void test_every_option_has_a_command(void **s)
{
    (void)s;
    for (unsigned bit = CTL_OPT_JSON; bit <= CTL_OPT_TAG; bit <<= 1) {
        bool owned = false;
        for (size_t i = 0; ctl_cmds[i]; i++)
            owned = owned || (ctl_cmds[i]->options & bit);
        if (!owned) fail_msg("option bit %#x belongs to no command", bit);
    }
}

static void usage_to(void *f)
{
    ctl_usage(f);
}

/* --help lists each command's usage lines, as the table has them, in
 * table order. */
static void test_help_comes_from_the_table(void **s)
{
    (void)s;
    char *text = capture(usage_to, NULL);
    const char *at = text;
    for (size_t i = 0; ctl_cmds[i]; i++) {
        char *one = NULL;
        size_t len = 0;
        FILE *mem = open_memstream(&one, &len);
        ctl_help_print(ctl_cmds[i], mem);
        fclose(mem);
        const char *found = strstr(at, one);
        if (!found) fail_msg("--help lacks (or reorders) the lines of %s", ctl_cmds[i]->name);
        at = found + len;
        free(one);
    }
    free(text);
}

static void test_help_for_one_command(void **s)
{
    (void)s;
    char *out = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&out, &len);
    struct ctl_args a = {.cmd = "priority"};
    ctl_help(&a, mem);
    fclose(mem);
    assert_non_null(strstr(out, "  priority ID PRIO FILE...\n"));
    assert_non_null(strstr(out, "skip"));
    assert_null(strstr(out, "config set")); /* only its own lines */
    free(out);

    /* `spate help CMD` and `spate CMD --help` parse; an unknown CMD does not */
    char err[256];
    char *help_argv[] = {"spate", "help", "category", NULL};
    assert_int_equal(ctl_args_parse(3, help_argv, &a, err, sizeof err), 0);
    assert_string_equal(a.cmd, "help");
    char *dash_argv[] = {"spate", "config", "--help", NULL};
    assert_int_equal(ctl_args_parse(3, dash_argv, &a, err, sizeof err), 0);
    assert_true(a.help);
    assert_string_equal(a.cmd, "config");
    char *bad_argv[] = {"spate", "help", "nosuch", NULL};
    assert_int_equal(ctl_args_parse(3, bad_argv, &a, err, sizeof err), CTL_EXIT_USAGE);
    assert_non_null(strstr(err, "unknown subcommand 'nosuch'"));
    char *two_argv[] = {"spate", "help", "ls", "info", NULL};
    assert_int_equal(ctl_args_parse(4, two_argv, &a, err, sizeof err), CTL_EXIT_USAGE);
}

static char *slurp(const char *path)
{
    FILE *fp = fopen(path, "rb");
    if (!fp) return NULL;
    size_t cap = 1 << 16, len = 0, got;
    char *buf = malloc(cap);
    while (buf && (got = fread(buf + len, 1, cap - len - 1, fp)) > 0) {
        len += got;
        if (len + 1 == cap) buf = realloc(buf, cap *= 2);
    }
    fclose(fp);
    if (buf) buf[len] = '\0';
    return buf;
}

static void doc_to(void *f)
{
    assert_int_equal(ctl_commands_doc(f), 0);
}

static void test_protocol_md_command_list_is_up_to_date(void **s)
{
    (void)s;
    char *file = slurp("docs/protocol.md");
    if (!file) fail_msg("docs/protocol.md missing");
    char *b = strstr(file, BEGIN), *e = b ? strstr(b, END) : NULL;
    if (!e) fail_msg("docs/protocol.md has no %s...%s section", "commands:begin", "commands:end");
    b += strlen(BEGIN);
    char *gen = capture(doc_to, NULL);
    if (strlen(gen) != (size_t)(e - b) || memcmp(gen, b, strlen(gen)) != 0)
        fail_msg("docs/protocol.md's command list is out of date with the table: run `make docs`");
    /* and every protocol command has its own section below the list */
    for (size_t i = 0; ctl_cmds[i]; i++)
        for (const struct ctl_wire *w = ctl_cmds[i]->wire; w && w->name; w++) {
            char needle[64];
            snprintf(needle, sizeof needle, "`%s`", w->name);
            const char *sec = strstr(e, needle);
            if (!sec) fail_msg("docs/protocol.md has no section for %s", w->name);
        }
    free(gen);
    free(file);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_command_has_usage_handler_and_printer),
        cmocka_unit_test(test_names_are_unique_and_found),
        cmocka_unit_test(test_wire_commands_match_usage_lines),
        cmocka_unit_test(test_every_option_has_a_command),
        cmocka_unit_test(test_help_comes_from_the_table),
        cmocka_unit_test(test_help_for_one_command),
        cmocka_unit_test(test_protocol_md_command_list_is_up_to_date),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
