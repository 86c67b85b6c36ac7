/*
 * test_ui_theme.c — the pure part of the TUI's themes (src/ui/theme.c,
 * theme.h): the theme file parser and its messages, elements inheriting
 * from `normal`, the 256-colour values and their 8-colour fallbacks, the
 * choice of theme (NO_COLOR, terminals without colours) and the built-in
 * themes, whose text must equal themes/NAME.theme (run from the repo root).
 */
#define SPATE_INTERNAL_UI /* looks inside src/ui/ (its private header) */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ui/theme.h"

static struct ui_theme theme;
static char err[1024];

/* Parses text as "t.theme"; returns the result code. */
static int parse(const char *text)
{
    memset(&theme, 0x5a, sizeof theme); /* nothing may be left unset */
    err[0] = '\0';
    return ui_theme_parse(text, "t.theme", &theme, err, sizeof err);
}

static void assert_colour(struct ui_theme_colour c, short c256, short c8)
{
    assert_int_equal(c.c256, c256);
    assert_int_equal(c.c8, c8);
}

/* ---- the parser --------------------------------------------------------------------- */

static void test_theme_parse_good_line_sets_fg_bg_and_attrs(void **state)
{
    (void)state;
    assert_int_equal(parse("selected = black cyan bold\n"), 0);
    const struct ui_theme_style *s = &theme.el[UI_EL_SELECTED];
    assert_colour(s->fg, COLOR_BLACK, COLOR_BLACK);
    assert_colour(s->bg, COLOR_CYAN, COLOR_CYAN);
    assert_true(s->attrs == A_BOLD);
    assert_string_equal(err, "");
}

static void test_theme_every_element_has_a_name_the_parser_takes(void **state)
{
    (void)state;
    char text[4096] = "";
    for (int e = 0; e < UI_EL__COUNT; e++) {
        const char *name = ui_theme_elem_name((enum ui_elem)e);
        assert_non_null(name);
        /* each element a colour of its own: e % 256 on the background */
        size_t len = strlen(text);
        snprintf(text + len, sizeof text - len, "%s = default %d underline\n", name, e);
    }
    assert_null(ui_theme_elem_name(UI_EL__COUNT));
    assert_int_equal(parse(text), 0);
    for (int e = 0; e < UI_EL__COUNT; e++) {
        assert_colour(theme.el[e].fg, -1, -1);
        assert_colour(theme.el[e].bg, (short)e, (short)e);
        assert_true(theme.el[e].attrs == A_UNDERLINE);
    }
}

static void test_theme_comments_blanks_and_crlf_are_ignored(void **state)
{
    (void)state;
    assert_int_equal(parse("# a theme\r\n"
                           "\r\n"
                           "   \t\n"
                           "  normal = red blue bold   # the rest of the screen\r\n"
                           "#header = green green\n"
                           "header=yellow default"),
                     0);
    assert_colour(theme.el[UI_EL_NORMAL].fg, COLOR_RED, COLOR_RED);
    assert_colour(theme.el[UI_EL_NORMAL].bg, COLOR_BLUE, COLOR_BLUE);
    assert_true(theme.el[UI_EL_NORMAL].attrs == A_BOLD);
    /* the last line has no newline; attrs left out are none */
    assert_colour(theme.el[UI_EL_HEADER].fg, COLOR_YELLOW, COLOR_YELLOW);
    assert_colour(theme.el[UI_EL_HEADER].bg, -1, -1);
    assert_true(theme.el[UI_EL_HEADER].attrs == A_NORMAL);
}

static void test_theme_colours_by_name_number_and_bright(void **state)
{
    (void)state;
    assert_int_equal(parse("normal = brightred bright-blue\n"
                           "header = 0 255\n"
                           "bar = WHITE Default\n"
                           "Help_Key = bright_black magenta\n"),
                     0);
    assert_colour(theme.el[UI_EL_NORMAL].fg, 9, 9);
    assert_colour(theme.el[UI_EL_NORMAL].bg, 12, 12);
    assert_colour(theme.el[UI_EL_HEADER].fg, 0, 0);
    assert_colour(theme.el[UI_EL_HEADER].bg, 255, 255);
    assert_colour(theme.el[UI_EL_BAR].fg, COLOR_WHITE, COLOR_WHITE);
    assert_colour(theme.el[UI_EL_BAR].bg, -1, -1);
    assert_colour(theme.el[UI_EL_HELP_KEY].fg, 8, 8);
    assert_colour(theme.el[UI_EL_HELP_KEY].bg, COLOR_MAGENTA, COLOR_MAGENTA);
}

static void test_theme_256_colour_with_8_colour_fallback(void **state)
{
    (void)state;
    assert_int_equal(parse("header = 75/cyan 16/default bold\n"), 0);
    assert_colour(theme.el[UI_EL_HEADER].fg, 75, COLOR_CYAN);
    assert_colour(theme.el[UI_EL_HEADER].bg, 16, -1);
}

static void test_theme_attrs_several_by_blank_or_comma(void **state)
{
    (void)state;
    assert_int_equal(parse("header = default default bold,underline reverse\n"
                           "empty = default default dim standout\n"
                           "msg = default default none\n"),
                     0);
    assert_true(theme.el[UI_EL_HEADER].attrs == (A_BOLD | A_UNDERLINE | A_REVERSE));
    assert_true(theme.el[UI_EL_EMPTY].attrs == (A_DIM | A_STANDOUT));
    assert_true(theme.el[UI_EL_MSG].attrs == A_NORMAL);
}

static void test_theme_missing_elements_inherit_from_normal(void **state)
{
    (void)state;
    assert_int_equal(parse("header = black cyan\n"
                           "normal = 250/white 235/black dim\n"),
                     0);
    for (int e = 0; e < UI_EL__COUNT; e++) {
        if (e == UI_EL_HEADER) continue;
        assert_colour(theme.el[e].fg, 250, COLOR_WHITE);
        assert_colour(theme.el[e].bg, 235, COLOR_BLACK);
        assert_true(theme.el[e].attrs == A_DIM);
    }
    assert_colour(theme.el[UI_EL_HEADER].fg, COLOR_BLACK, COLOR_BLACK);
}

static void test_theme_without_normal_uses_the_terminal_default(void **state)
{
    (void)state;
    assert_int_equal(parse("# nothing but a comment\n"), 0);
    for (int e = 0; e < UI_EL__COUNT; e++) {
        assert_colour(theme.el[e].fg, -1, -1);
        assert_colour(theme.el[e].bg, -1, -1);
        assert_true(theme.el[e].attrs == A_NORMAL);
    }
    assert_int_equal(parse(""), 0);
}

static void test_theme_bad_line_names_file_and_line(void **state)
{
    (void)state;
    assert_int_equal(parse("# ok\nnormal = red default\nheader red default\n"), -EINVAL);
    assert_string_equal(err, "t.theme:3: expected \"element = fg bg [attrs]\"");
    assert_int_equal(parse("= red default\n"), -EINVAL);
    assert_string_equal(err, "t.theme:1: expected \"element = fg bg [attrs]\"");
}

static void test_theme_unknown_element_is_named(void **state)
{
    (void)state;
    assert_int_equal(parse("normal = red default\n\nheadr = red default\n"), -EINVAL);
    assert_non_null(strstr(err, "t.theme:3: unknown element \"headr\""));
    /* the UI_EL_ prefix is not part of the name */
    assert_int_equal(parse("ui_el_header = red default\n"), -EINVAL);
    assert_non_null(strstr(err, "t.theme:1: unknown element"));
}

static void test_theme_unknown_colour_is_named_with_the_choices(void **state)
{
    (void)state;
    assert_int_equal(parse("normal = pink default\n"), -EINVAL);
    assert_non_null(strstr(err, "t.theme:1: unknown colour \"pink\""));
    assert_non_null(strstr(err, "0-255"));
    const char *bad[] = {"normal = 256 default\n",     "normal = red -1\n",
                         "normal = 75/ default\n",     "normal = /cyan default\n",
                         "normal = 75/cyan/red red\n", "normal = 12x default\n",
                         "normal = bright default\n",  "normal = brightdefault red\n",
                         "normal = 0001 red\n"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_int_equal(parse(bad[i]), -EINVAL);
        assert_non_null(strstr(err, "unknown colour"));
    }
}

static void test_theme_unknown_attribute_is_named(void **state)
{
    (void)state;
    assert_int_equal(parse("normal = red default bold blink\n"), -EINVAL);
    assert_non_null(strstr(err, "t.theme:1: unknown attribute \"blink\""));
    assert_non_null(strstr(err, "standout"));
}

static void test_theme_missing_background_and_duplicates_are_errors(void **state)
{
    (void)state;
    assert_int_equal(parse("normal = red\n"), -EINVAL);
    assert_string_equal(err, "t.theme:1: \"normal\" needs a foreground and a background colour");
    assert_int_equal(parse("normal =\n"), -EINVAL);
    assert_non_null(strstr(err, "needs a foreground and a background"));
    assert_int_equal(parse("bar = red default\nnormal = red default\nBAR = blue default\n"),
                     -EINVAL);
    assert_string_equal(err, "t.theme:3: \"bar\" is already set on line 1");
}

static void test_theme_message_quotes_safely(void **state)
{
    (void)state;
    /* a control character and a very long word stay short and printable */
    assert_int_equal(parse("normal = re\x01"
                           "d default\n"),
                     -EINVAL);
    assert_non_null(strstr(err, "\"re?d\""));
    char text[600];
    memset(text, 'x', sizeof text);
    memcpy(text, "normal = ", 9);
    strcpy(text + 500, " default\n");
    assert_int_equal(parse(text), -EINVAL);
    assert_true(strlen(err) < 300);
    assert_non_null(strstr(err, "...\""));
}

static void test_theme_overlong_line_is_an_error(void **state)
{
    (void)state;
    char *text = malloc(3000);
    assert_non_null(text);
    memset(text, '#', 2999);
    text[2999] = '\0';
    assert_int_equal(parse(text), -EINVAL);
    assert_non_null(strstr(err, "t.theme:1: line longer than"));
    free(text);
}

static void test_theme_parse_small_error_buffer(void **state)
{
    (void)state;
    char small[8];
    assert_int_equal(ui_theme_parse("nope\n", "t.theme", &theme, small, sizeof small), -EINVAL);
    assert_string_equal(small, "t.theme");
    assert_int_equal(ui_theme_parse("normal = red default\n", NULL, &theme, NULL, 0), 0);
}

/* ---- colours on the terminal at hand -------------------------------------------------- */

static void test_theme_pick_uses_256_colours_only_when_the_terminal_has_them(void **state)
{
    (void)state;
    struct ui_theme_colour c = {75, COLOR_CYAN};
    assert_int_equal(ui_theme_colour_pick(c, 256), 75);
    assert_int_equal(ui_theme_colour_pick(c, 16), COLOR_CYAN);
    assert_int_equal(ui_theme_colour_pick(c, 8), COLOR_CYAN);
    /* 88-colour terminals number their palette differently */
    assert_int_equal(ui_theme_colour_pick(c, 88), COLOR_CYAN);
    struct ui_theme_colour d = {-1, -1};
    assert_int_equal(ui_theme_colour_pick(d, 8), -1);
    assert_int_equal(ui_theme_colour_pick(d, 256), -1);
    /* a 256-colour default with a default fallback */
    struct ui_theme_colour g = {244, -1};
    assert_int_equal(ui_theme_colour_pick(g, 8), -1);
}

static void test_theme_pick_without_fallback_approximates(void **state)
{
    (void)state;
    struct ui_theme_colour bright = {9, 9}; /* brightred */
    assert_int_equal(ui_theme_colour_pick(bright, 16), 9);
    assert_int_equal(ui_theme_colour_pick(bright, 8), COLOR_RED);
    struct ui_theme_colour sky = {75, 75};
    assert_int_equal(ui_theme_colour_pick(sky, 8), COLOR_CYAN);
    struct ui_theme_colour fallback_bright = {208, 11}; /* brightyellow on 16 */
    assert_int_equal(ui_theme_colour_pick(fallback_bright, 16), 11);
    assert_int_equal(ui_theme_colour_pick(fallback_bright, 8), COLOR_YELLOW);
}

static void test_theme_basic_colour_of_the_xterm_palette(void **state)
{
    (void)state;
    assert_int_equal(ui_theme_colour_basic(-1), -1);
    for (short i = 0; i < 8; i++) {
        assert_int_equal(ui_theme_colour_basic(i), i);
        assert_int_equal(ui_theme_colour_basic(i + 8), i);
    }
    assert_int_equal(ui_theme_colour_basic(16), COLOR_BLACK);    /* 000 */
    assert_int_equal(ui_theme_colour_basic(196), COLOR_RED);     /* 500 */
    assert_int_equal(ui_theme_colour_basic(46), COLOR_GREEN);    /* 050 */
    assert_int_equal(ui_theme_colour_basic(21), COLOR_BLUE);     /* 005 */
    assert_int_equal(ui_theme_colour_basic(226), COLOR_YELLOW);  /* 550 */
    assert_int_equal(ui_theme_colour_basic(201), COLOR_MAGENTA); /* 505 */
    assert_int_equal(ui_theme_colour_basic(51), COLOR_CYAN);     /* 055 */
    assert_int_equal(ui_theme_colour_basic(231), COLOR_WHITE);   /* 555 */
    assert_int_equal(ui_theme_colour_basic(88), COLOR_RED);      /* 200: a dark red */
    assert_int_equal(ui_theme_colour_basic(203), COLOR_RED);     /* 522: a light red */
    assert_int_equal(ui_theme_colour_basic(214), COLOR_YELLOW);  /* 530: orange */
    assert_int_equal(ui_theme_colour_basic(59), COLOR_BLACK);    /* 111: dark grey */
    assert_int_equal(ui_theme_colour_basic(232), COLOR_BLACK);   /* the greys */
    assert_int_equal(ui_theme_colour_basic(243), COLOR_BLACK);
    assert_int_equal(ui_theme_colour_basic(244), COLOR_WHITE);
    assert_int_equal(ui_theme_colour_basic(255), COLOR_WHITE);
}

/* ---- which theme ------------------------------------------------------------------------ */

static void test_theme_no_color_means_mono_whatever_the_setting(void **state)
{
    (void)state;
    assert_string_equal(ui_theme_choose("light", "1", 256), "mono");
    assert_string_equal(ui_theme_choose("mytheme", "yes", 256), "mono");
    assert_string_equal(ui_theme_choose("", "0", 256), "mono"); /* any non-empty value */
    /* set but empty: as if not set (no-color.org) */
    assert_string_equal(ui_theme_choose("light", "", 256), "light");
    assert_string_equal(ui_theme_choose("light", NULL, 256), "light");
}

static void test_theme_few_colours_means_mono(void **state)
{
    (void)state;
    assert_string_equal(ui_theme_choose("default", NULL, 0), "mono");
    assert_string_equal(ui_theme_choose("light", NULL, 2), "mono");
    assert_string_equal(ui_theme_choose("light", NULL, 7), "mono");
    assert_string_equal(ui_theme_choose("light", NULL, 8), "light");
    assert_string_equal(ui_theme_choose("mono", NULL, 256), "mono");
}

static void test_theme_empty_setting_means_default(void **state)
{
    (void)state;
    assert_string_equal(ui_theme_choose(NULL, NULL, 256), "default");
    assert_string_equal(ui_theme_choose("", NULL, 8), "default");
    assert_string_equal(ui_theme_choose("my-theme_2", NULL, 8), "my-theme_2");
}

static void test_theme_names_that_stay_in_the_themes_dir(void **state)
{
    (void)state;
    assert_true(ui_theme_name_ok("default"));
    assert_true(ui_theme_name_ok("solarized-dark_2"));
    assert_false(ui_theme_name_ok(""));
    assert_false(ui_theme_name_ok(NULL));
    assert_false(ui_theme_name_ok("../x"));
    assert_false(ui_theme_name_ok("a/b"));
    assert_false(ui_theme_name_ok("a.theme"));
    assert_false(ui_theme_name_ok("a b"));
    char longname[70];
    memset(longname, 'a', 65);
    longname[65] = '\0';
    assert_false(ui_theme_name_ok(longname));
    longname[64] = '\0';
    assert_true(ui_theme_name_ok(longname));
}

/* ---- the built-in themes ------------------------------------------------------------------ */

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    static char buf[65536];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    return buf;
}

static void test_theme_builtins_equal_the_theme_files(void **state)
{
    (void)state;
    const char *names[] = {"default", "light", "mono"};
    for (size_t i = 0; i < 3; i++) {
        char path[64];
        snprintf(path, sizeof path, "themes/%s.theme", names[i]);
        const char *file = slurp(path);
        if (!file) fail_msg("cannot read %s (run the tests from the repository root)", path);
        const char *builtin = ui_theme_builtin(names[i]);
        assert_non_null(builtin);
        if (strcmp(file, builtin) != 0)
            fail_msg("%s and the text built into src/ui/theme.c differ: copy the file's "
                     "lines into the string",
                     path);
    }
    assert_null(ui_theme_builtin("nosuch"));
    assert_null(ui_theme_builtin(NULL));
}

static void test_theme_builtins_parse_and_set_every_element(void **state)
{
    (void)state;
    const char *names[] = {"default", "light", "mono"};
    for (size_t i = 0; i < 3; i++) {
        const char *text = ui_theme_builtin(names[i]);
        assert_int_equal(parse(text), 0);
        /* every element written out, so a new one is a decision, not an accident */
        for (int e = 0; e < UI_EL__COUNT; e++) {
            char needle[64];
            snprintf(needle, sizeof needle, "\n%s ", ui_theme_elem_name((enum ui_elem)e));
            if (!strstr(text, needle)) fail_msg("theme %s lacks %s", names[i], needle + 1);
        }
    }
}

static void test_theme_mono_has_no_colour_and_default_has(void **state)
{
    (void)state;
    assert_int_equal(parse(ui_theme_builtin("mono")), 0);
    for (int e = 0; e < UI_EL__COUNT; e++) {
        assert_colour(theme.el[e].fg, -1, -1);
        assert_colour(theme.el[e].bg, -1, -1);
    }
    assert_true(theme.el[UI_EL_SELECTED].attrs & A_REVERSE);
    assert_int_equal(parse(ui_theme_builtin("default")), 0);
    assert_true(theme.el[UI_EL_HEADER].bg.c256 >= 0);
    assert_int_equal(theme.el[UI_EL_STATE_ERROR].fg.c8, COLOR_RED);
    assert_int_equal(theme.el[UI_EL_NORMAL].bg.c256, -1); /* the terminal's background */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_theme_parse_good_line_sets_fg_bg_and_attrs),
        cmocka_unit_test(test_theme_every_element_has_a_name_the_parser_takes),
        cmocka_unit_test(test_theme_comments_blanks_and_crlf_are_ignored),
        cmocka_unit_test(test_theme_colours_by_name_number_and_bright),
        cmocka_unit_test(test_theme_256_colour_with_8_colour_fallback),
        cmocka_unit_test(test_theme_attrs_several_by_blank_or_comma),
        cmocka_unit_test(test_theme_missing_elements_inherit_from_normal),
        cmocka_unit_test(test_theme_without_normal_uses_the_terminal_default),
        cmocka_unit_test(test_theme_bad_line_names_file_and_line),
        cmocka_unit_test(test_theme_unknown_element_is_named),
        cmocka_unit_test(test_theme_unknown_colour_is_named_with_the_choices),
        cmocka_unit_test(test_theme_unknown_attribute_is_named),
        cmocka_unit_test(test_theme_missing_background_and_duplicates_are_errors),
        cmocka_unit_test(test_theme_message_quotes_safely),
        cmocka_unit_test(test_theme_overlong_line_is_an_error),
        cmocka_unit_test(test_theme_parse_small_error_buffer),
        cmocka_unit_test(test_theme_pick_uses_256_colours_only_when_the_terminal_has_them),
        cmocka_unit_test(test_theme_pick_without_fallback_approximates),
        cmocka_unit_test(test_theme_basic_colour_of_the_xterm_palette),
        cmocka_unit_test(test_theme_no_color_means_mono_whatever_the_setting),
        cmocka_unit_test(test_theme_few_colours_means_mono),
        cmocka_unit_test(test_theme_empty_setting_means_default),
        cmocka_unit_test(test_theme_names_that_stay_in_the_themes_dir),
        cmocka_unit_test(test_theme_builtins_equal_the_theme_files),
        cmocka_unit_test(test_theme_builtins_parse_and_set_every_element),
        cmocka_unit_test(test_theme_mono_has_no_colour_and_default_has),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
