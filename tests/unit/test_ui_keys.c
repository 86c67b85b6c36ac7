/*
 * test_ui_keys.c — key rebinding (src/ui/keybind.c): key labels as the
 * help writes them parsed back into keys, and the setting spate.keys
 * ("ACTION=KEY,...") applied to the keymap, bad entries skipped and named.
 */
#define SPATE_INTERNAL_UI /* looks inside src/ui/ (its private header) */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <curses.h>
#include <errno.h>
#include <locale.h>
#include <string.h>

#include "ui/keybind.h"
#include "ui/keymap.h"
#include "ui/ui_int.h"

/* ---- labels ------------------------------------------------------------------------ */

static void assert_parses(const char *label, int want)
{
    int keys[UI_KEY_PARSE_MAX];
    int n = ui_key_parse(label, keys);
    if (n != 1 || keys[0] != want) fail_msg("\"%s\": %d keys, first %#x", label, n, keys[0]);
}

static void test_key_labels_parse_into_keys(void **state)
{
    (void)state;
    assert_parses("x", 'x');
    assert_parses("Q", 'Q'); /* case counts for characters */
    assert_parses("?", '?');
    assert_parses("^", '^');
    assert_parses("+", '+');
    assert_parses("\xc3\xa9", 0xe9); /* é */
    assert_parses("^X", UI_KEY_CTRL('x'));
    assert_parses("^x", UI_KEY_CTRL('x'));
    assert_parses("^S", 0x13);
    assert_parses("^?", 0x7f);
    assert_parses("F1", UI_KEY_FN(KEY_F(1)));
    assert_parses("F12", UI_KEY_FN(KEY_F(12)));
    assert_parses("f5", UI_KEY_FN(KEY_F(5)));
    assert_parses("Esc", UI_KEY_ESC);
    assert_parses("escape", UI_KEY_ESC);
    assert_parses("Tab", '\t');
    assert_parses("Shift-Tab", UI_KEY_FN(KEY_BTAB));
    assert_parses("Space", ' ');
    assert_parses("SPACE", ' ');
    assert_parses("Comma", ',');
    assert_parses("Up", UI_KEY_FN(KEY_UP));
    assert_parses("PgDn", UI_KEY_FN(KEY_NPAGE));
    assert_parses("pgup", UI_KEY_FN(KEY_PPAGE));
    assert_parses("Home", UI_KEY_FN(KEY_HOME));
    assert_parses("Delete", UI_KEY_FN(KEY_DC));
    assert_parses("  j  ", 'j'); /* blanks around ignored */
    int keys[UI_KEY_PARSE_MAX];
    assert_int_equal(ui_key_parse("Enter", keys), 3); /* ^M, ^J and the keypad's */
    assert_int_equal(keys[0], '\r');
    assert_int_equal(keys[1], '\n');
    assert_int_equal(keys[2], UI_KEY_FN(KEY_ENTER));
    assert_int_equal(ui_key_parse("Backspace", keys), 3);
}

static void test_bad_key_labels_are_refused(void **state)
{
    (void)state;
    int keys[UI_KEY_PARSE_MAX];
    const char *bad[] = {"",    "  ", "jk",   "Ctrl-X", "C-x",  "^1",     "^^^",    "F0", "F64",
                         "F05", "Fx", "\x01", "\x7f",   "\xff", "Enterr", "Resize", NULL};
    for (int i = 0; bad[i]; i++)
        if (ui_key_parse(bad[i], keys) != -EINVAL) fail_msg("\"%s\" parsed", bad[i]);
    assert_int_equal(ui_key_parse(NULL, keys), -EINVAL);
}

/* What the help shows for each action reads back as keys of that action. */
static void test_every_label_the_help_shows_parses_back(void **state)
{
    (void)state;
    ui_keymap_reset();
    const struct ui_action_info *a;
    for (size_t i = 0; (a = ui_keymap_action_at(i)) != NULL; i++) {
        char labels[256];
        ui_keymap_keys_for(a->scope, a->action, labels, sizeof labels);
        for (char *p = labels, *next; *p; p = next) {
            next = strstr(p, ", ");
            if (next)
                *next = '\0', next += 2;
            else
                next = p + strlen(p);
            int keys[UI_KEY_PARSE_MAX];
            int n = ui_key_parse(p, keys);
            if (n < 1) fail_msg("%s: label \"%s\" does not parse", a->name, p);
            bool bound = false;
            for (int k = 0; k < n; k++)
                bound |= ui_keymap_lookup(a->scope, keys[k]) == a->action;
            if (!bound) fail_msg("%s: \"%s\" is not its key", a->name, p);
        }
    }
}

static void test_action_names_are_unique_and_found(void **state)
{
    (void)state;
    const struct ui_action_info *a, *b;
    for (size_t i = 0; (a = ui_keymap_action_at(i)) != NULL; i++) {
        assert_ptr_equal(ui_action_by_name(a->name, strlen(a->name)), a);
        for (size_t j = i + 1; (b = ui_keymap_action_at(j)) != NULL; j++)
            assert_string_not_equal(a->name, b->name);
    }
    assert_null(ui_action_by_name("no-such-action", 14));
    assert_null(ui_action_by_name("qui", 3));
}

/* ---- spate.keys ---------------------------------------------------------------------- */

static void keys_of(enum ui_scope scope, enum ui_action a, char *buf, size_t n)
{
    ui_keymap_keys_for(scope, a, buf, n);
}

static void test_rebinding_quit_moves_it_off_q(void **state)
{
    (void)state;
    char bad[256], keys[64];
    assert_int_equal(ui_keys_apply("quit=Q", bad, sizeof bad), 0);
    assert_string_equal(bad, "");
    assert_int_equal(ui_keymap_lookup(UI_SCOPE_LIST, 'Q'), UI_ACT_QUIT);
    assert_int_equal(ui_keymap_lookup(UI_SCOPE_LIST, 'q'), UI_ACT_NONE);
    keys_of(UI_SCOPE_LIST, UI_ACT_QUIT, keys, sizeof keys);
    assert_string_equal(keys, "Q"); /* the help says so */
    /* other scopes keep their q */
    assert_int_equal(ui_keymap_lookup(UI_SCOPE_DETAIL, 'q'), UI_ACT_DETAIL_CLOSE);
    assert_int_equal(ui_keymap_lookup(UI_SCOPE_SETTINGS, 'q'), UI_ACT_SETTINGS);
    /* applying again starts from the defaults: "" restores q */
    assert_int_equal(ui_keys_apply("", bad, sizeof bad), 0);
    assert_int_equal(ui_keymap_lookup(UI_SCOPE_LIST, 'q'), UI_ACT_QUIT);
    assert_int_equal(ui_keymap_lookup(UI_SCOPE_LIST, 'Q'), UI_ACT_NONE);
    assert_int_equal(ui_keys_apply(NULL, bad, sizeof bad), 0);
    assert_int_equal(ui_keymap_lookup(UI_SCOPE_LIST, 'q'), UI_ACT_QUIT);
}

static void test_rebinding_several_keys_scopes_and_moves(void **state)
{
    (void)state;
    char bad[256], keys[64];
    /* two keys for one action, blanks around entries, a trailing comma */
    assert_int_equal(ui_keys_apply(" quit = Q , quit=^Q,help=F5,", bad, sizeof bad), 0);
    keys_of(UI_SCOPE_LIST, UI_ACT_QUIT, keys, sizeof keys);
    assert_string_equal(keys, "Q, ^Q");
    keys_of(UI_SCOPE_LIST, UI_ACT_HELP, keys, sizeof keys);
    assert_string_equal(keys, "F5");
    /* a key bound elsewhere in the scope moves over */
    assert_int_equal(ui_keys_apply("pause=d", bad, sizeof bad), 0);
    assert_int_equal(ui_keymap_lookup(UI_SCOPE_LIST, 'd'), UI_ACT_PAUSE_TOGGLE);
    assert_int_equal(ui_keymap_lookup(UI_SCOPE_LIST, 'p'), UI_ACT_NONE);
    keys_of(UI_SCOPE_LIST, UI_ACT_REMOVE, keys, sizeof keys);
    assert_string_equal(keys, "");
    /* an action binds in its own scope; Enter binds all three codes */
    assert_int_equal(ui_keys_apply("detail-close=x,tracker-edit=Enter", bad, sizeof bad), 0);
    assert_int_equal(ui_keymap_lookup(UI_SCOPE_DETAIL, 'x'), UI_ACT_DETAIL_CLOSE);
    assert_int_equal(ui_keymap_lookup(UI_SCOPE_DETAIL, 'q'), UI_ACT_NONE);
    assert_int_equal(ui_keymap_lookup(UI_SCOPE_LIST, 'x'), UI_ACT_NONE);
    assert_int_equal(ui_keymap_lookup(UI_SCOPE_TRACKERS, '\r'), UI_ACT_TRACKER_EDIT);
    assert_int_equal(ui_keymap_lookup(UI_SCOPE_TRACKERS, UI_KEY_FN(KEY_ENTER)),
                     UI_ACT_TRACKER_EDIT);
    assert_int_equal(ui_keymap_lookup(UI_SCOPE_TRACKERS, 'e'), UI_ACT_NONE);
    /* "ACTION=" unbinds */
    assert_int_equal(ui_keys_apply("alt-speed=", bad, sizeof bad), 0);
    assert_int_equal(ui_keymap_lookup(UI_SCOPE_LIST, 'A'), UI_ACT_NONE);
    ui_keymap_reset();
}

/* The detail tabs' actions and keys are made from the tab table: tab i is
 * "tab-NAME" from its class, on key '1' + i, in help between tab-prev and
 * zoom, and spate.keys rebinds it by that name. */
static void test_tab_actions_and_keys_come_from_the_tab_table(void **state)
{
    (void)state;
    char bad[256], keys[64];
    assert_int_equal(ui_keys_apply("", bad, sizeof bad), 0);
    assert_true(ui_n_tabs >= 5 && ui_n_tabs <= UI_TABS_MAX);
    size_t prev = 0;
    const struct ui_action_info *a;
    for (size_t i = 0; (a = ui_keymap_action_at(i)) != NULL; i++)
        if (a->action == UI_ACT_TAB_PREV) prev = i;
    for (size_t t = 0; t < ui_n_tabs; t++) {
        const struct ui_pane_class *c = ui_tabs[t];
        a = ui_action_by_name(c->action, strlen(c->action));
        assert_non_null(a);
        assert_int_equal(a->action, UI_ACT_TAB(t));
        assert_int_equal(ui_tab_of(a->action), (int)t);
        assert_ptr_equal(a, ui_keymap_action_at(prev + 1 + t));
        assert_string_equal(a->help, c->help);
        assert_int_equal(ui_keymap_lookup(UI_SCOPE_LIST, (int)('1' + t)), UI_ACT_TAB(t));
    }
    assert_string_equal(ui_keymap_action_at(prev + 1 + ui_n_tabs)->name, "zoom");
    assert_string_equal(ui_tabs[2]->action, "tab-files");
    assert_int_equal(ui_keys_apply("tab-files=F", bad, sizeof bad), 0);
    assert_int_equal(ui_keymap_lookup(UI_SCOPE_LIST, 'F'), UI_ACT_TAB(2));
    assert_int_equal(ui_keymap_lookup(UI_SCOPE_LIST, '3'), UI_ACT_NONE);
    keys_of(UI_SCOPE_LIST, UI_ACT_TAB(2), keys, sizeof keys);
    assert_string_equal(keys, "F");
    assert_int_equal(ui_tab_of(UI_ACT_ZOOM), -1);
    assert_int_equal(ui_keys_apply("", bad, sizeof bad), 0);
    assert_int_equal(ui_keymap_lookup(UI_SCOPE_LIST, '3'), UI_ACT_TAB(2));
}

static void test_bad_entries_are_skipped_and_named(void **state)
{
    (void)state;
    char bad[256];
    int n = ui_keys_apply("quit=Q,nosuch=x,remove=Ctrl-X,justtext,=y,help=?", bad, sizeof bad);
    assert_int_equal(n, 4);
    assert_string_equal(bad, "nosuch=x, remove=Ctrl-X, justtext, =y");
    /* the good ones still apply; the bad ones changed nothing */
    assert_int_equal(ui_keymap_lookup(UI_SCOPE_LIST, 'Q'), UI_ACT_QUIT);
    assert_int_equal(ui_keymap_lookup(UI_SCOPE_LIST, '?'), UI_ACT_HELP);
    assert_int_equal(ui_keymap_lookup(UI_SCOPE_LIST, 'd'), UI_ACT_REMOVE);
    assert_int_equal(ui_keymap_lookup(UI_SCOPE_LIST, 'x'), UI_ACT_NONE);
    /* a small buffer: cut, terminated */
    char small[8];
    assert_int_equal(ui_keys_apply("nosuch=x,other=y", small, sizeof small), 2);
    assert_true(strlen(small) < sizeof small);
    ui_keymap_reset();
}

int main(void)
{
    setlocale(LC_ALL, "C.UTF-8");
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_key_labels_parse_into_keys),
        cmocka_unit_test(test_bad_key_labels_are_refused),
        cmocka_unit_test(test_every_label_the_help_shows_parses_back),
        cmocka_unit_test(test_action_names_are_unique_and_found),
        cmocka_unit_test(test_rebinding_quit_moves_it_off_q),
        cmocka_unit_test(test_rebinding_several_keys_scopes_and_moves),
        cmocka_unit_test(test_bad_entries_are_skipped_and_named),
        cmocka_unit_test(test_tab_actions_and_keys_come_from_the_tab_table),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
