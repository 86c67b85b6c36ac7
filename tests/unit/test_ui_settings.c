/*
 * test_ui_settings.c — the pure part of the TUI settings editor
 * (src/ui/set.c): which keys it lists, grouped how, the search,
 * moving between key lines, and the text it shows for markers, values,
 * types, bounds and prompts, in session and in torrent scope (which keys
 * a torrent's editor lists, its list prompts, the keys it will not reset);
 * plus the keymap rows and prompt prefill the editor relies on.
 *
 * Structure tests walk the real registry (so a new key is covered without
 * touching this file); exact-text tests use keys made up here.
 */
#define SPATE_INTERNAL_UI /* looks inside src/ui/ (its private header) */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <curses.h>
#include <limits.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include "engine/registry.h"
#include "ui/keymap.h"
#include "ui/set.h"
#include "ui/wlist.h"
#include "ui/ui_int.h"

static size_t session_keys(void)
{
    size_t n = 0;
    for (size_t i = 0; i < reg_count(); i++)
        if (reg_at(i)->scope & REG_SESSION) n++;
    return n;
}

static long group_rank(const char *g)
{
    size_t n;
    const char *const *groups = reg_groups(&n);
    for (size_t i = 0; i < n; i++)
        if (strcmp(groups[i], g) == 0) return (long)i;
    return (long)n; /* unknown groups come last */
}

/* ---- the list ------------------------------------------------------------------- */

static void test_list_has_every_session_key_once(void **state)
{
    (void)state;
    struct ui_set_list l = {0};
    assert_int_equal(ui_set_list_build(&l, REG_SESSION, NULL), 0);
    assert_int_equal(l.n_keys, session_keys());
    for (size_t i = 0; i < reg_count(); i++) {
        const struct reg_key *k = reg_at(i);
        size_t seen = 0;
        for (size_t j = 0; j < l.n; j++)
            if (l.lines[j].k == k) seen++;
        assert_int_equal(seen, (k->scope & REG_SESSION) ? 1 : 0);
    }
    ui_set_list_free(&l);
    assert_null(l.lines);
}

static void test_list_groups_keys_under_headings_in_registry_group_order(void **state)
{
    (void)state;
    struct ui_set_list l = {0};
    assert_int_equal(ui_set_list_build(&l, REG_SESSION, ""), 0);
    assert_true(l.n > 0);
    assert_null(l.lines[0].k); /* starts with a heading */
    const char *heading = NULL;
    long last_rank = -1;
    size_t headings = 0;
    for (size_t i = 0; i < l.n; i++) {
        const struct ui_set_line *line = &l.lines[i];
        if (!line->k) {
            /* a heading: a new group, later in reg_groups(), never empty */
            headings++;
            assert_true(group_rank(line->group) >= last_rank);
            if (heading) assert_string_not_equal(heading, line->group);
            last_rank = group_rank(line->group);
            heading = line->group;
            assert_true(i + 1 < l.n);
            assert_non_null(l.lines[i + 1].k);
        } else {
            assert_string_equal(line->k->group, heading);
            assert_string_equal(line->group, heading);
        }
    }
    assert_int_equal(l.n, l.n_keys + headings);
    ui_set_list_free(&l);
}

static void test_search_matches_key_group_and_help_ignoring_case(void **state)
{
    (void)state;
    struct reg_key k = {.key = "download_rate_limit",
                        .type = REG_INT,
                        .group = "limits",
                        .help = "global download rate limit; 0: unlimited"};
    assert_true(ui_set_matches(&k, NULL));
    assert_true(ui_set_matches(&k, ""));
    assert_true(ui_set_matches(&k, "   "));
    assert_true(ui_set_matches(&k, "DOWNLOAD_RATE"));
    assert_true(ui_set_matches(&k, "Unlimited"));
    assert_true(ui_set_matches(&k, "limits"));
    /* every word must match, anywhere */
    assert_true(ui_set_matches(&k, "rate  GLOBAL"));
    assert_false(ui_set_matches(&k, "rate upload"));
    assert_false(ui_set_matches(&k, "upload_rate_limit"));
    assert_false(ui_set_matches(NULL, ""));
}

static void test_search_lists_only_matching_keys_and_their_headings(void **state)
{
    (void)state;
    /* the first session key, searched for by its name in upper case */
    const struct reg_key *want = NULL;
    for (size_t i = 0; i < reg_count() && !want; i++)
        if (reg_at(i)->scope & REG_SESSION) want = reg_at(i);
    assert_non_null(want);
    char upper[128];
    size_t n = strlen(want->key);
    assert_true(n < sizeof upper);
    for (size_t i = 0; i <= n; i++)
        upper[i] =
            (char)((want->key[i] >= 'a' && want->key[i] <= 'z') ? want->key[i] - 32 : want->key[i]);
    struct ui_set_list l = {0};
    assert_int_equal(ui_set_list_build(&l, REG_SESSION, upper), 0);
    assert_true(l.n_keys >= 1);
    assert_true(ui_set_list_find(&l, want) >= 1);
    for (size_t i = 0; i < l.n; i++) {
        if (l.lines[i].k) {
            assert_true(ui_set_matches(l.lines[i].k, upper));
        } else {
            assert_true(i + 1 < l.n); /* no heading without keys */
            assert_non_null(l.lines[i + 1].k);
        }
    }
    ui_set_list_free(&l);
}

static void test_search_with_no_match_is_empty(void **state)
{
    (void)state;
    struct ui_set_list l = {0};
    assert_int_equal(ui_set_list_build(&l, REG_SESSION, "no-such-setting-xyzzy"), 0);
    assert_int_equal(l.n, 0);
    assert_int_equal(l.n_keys, 0);
    assert_int_equal(ui_set_list_seek(&l, 0, +1), -1);
    assert_int_equal(ui_set_list_find(&l, reg_at(0)), -1);
    /* and back to everything, in the same list */
    assert_int_equal(ui_set_list_build(&l, REG_SESSION, NULL), 0);
    assert_int_equal(l.n_keys, session_keys());
    ui_set_list_free(&l);
}

static void test_search_never_lists_per_torrent_only_keys(void **state)
{
    (void)state;
    for (size_t i = 0; i < reg_count(); i++) {
        const struct reg_key *k = reg_at(i);
        if (k->scope & REG_SESSION) continue;
        struct ui_set_list l = {0};
        assert_int_equal(ui_set_list_build(&l, REG_SESSION, k->key), 0);
        assert_int_equal(ui_set_list_find(&l, k), -1);
        ui_set_list_free(&l);
    }
}

/* ---- torrent scope ------------------------------------------------------------------ */

static void test_torrent_scope_lists_every_per_torrent_key_and_no_session_only_key(void **state)
{
    (void)state;
    struct ui_set_list l = {0};
    assert_int_equal(ui_set_list_build(&l, REG_TORRENT, NULL), 0);
    size_t want = 0;
    for (size_t i = 0; i < reg_count(); i++) {
        const struct reg_key *k = reg_at(i);
        if (k->scope & REG_TORRENT) want++;
        assert_int_equal(ui_set_list_find(&l, k) >= 0, (k->scope & REG_TORRENT) != 0);
    }
    assert_true(want > 0);
    assert_int_equal(l.n_keys, want);
    assert_null(l.lines[0].k); /* grouped like the session's */
    /* the search works the same */
    const struct reg_key *dl = reg_find("download_limit");
    if (dl && (dl->scope & REG_TORRENT)) {
        assert_int_equal(ui_set_list_build(&l, REG_TORRENT, "DOWNLOAD_LIMIT"), 0);
        assert_true(ui_set_list_find(&l, dl) >= 0);
        assert_int_equal(ui_set_list_build(&l, REG_SESSION, "download_limit"), 0);
        assert_int_equal(ui_set_list_find(&l, dl) >= 0, (dl->scope & REG_SESSION) != 0);
    }
    ui_set_list_free(&l);
}

static void test_list_keys_open_the_list_editor_others_prompt(void **state)
{
    (void)state;
    struct reg_key tr = *reg_find("trackers");
    struct reg_key ws = *reg_find("web_seeds");
    struct reg_key tg = *reg_find("tags");
    struct reg_key ca = *reg_find("category");
    struct reg_key dl = *reg_find("download_limit");
    /* the torrent's lists and the session's URL lists get the list editor */
    struct reg_key dt = *reg_find("spate.default_trackers");
    assert_true(ui_wlist_wants(&tr));
    assert_true(ui_wlist_wants(&ws));
    assert_true(ui_wlist_wants(&tg));
    assert_true(ui_wlist_wants(&dt));
    assert_false(ui_wlist_wants(&ca));
    assert_false(ui_wlist_wants(&dl));
    char buf[256];
    ui_set_prompt_label(buf, sizeof buf, &ca);
    assert_string_equal(buf, "category: ");
    ui_set_prompt_label(buf, sizeof buf, &dl);
    assert_string_equal(buf, "download_limit (bytes/s, 0..2147483647): ");
    /* every registry key has a label */
    for (size_t i = 0; i < reg_count(); i++)
        assert_true(ui_set_prompt_label(buf, sizeof buf, reg_at(i)) > strlen(reg_at(i)->key));
}

static void test_torrent_reset_is_refused_for_save_path_trackers_and_web_seeds(void **state)
{
    (void)state;
    struct reg_key sp = *reg_find("save_path");
    struct reg_key tr = *reg_find("trackers");
    struct reg_key tg = *reg_find("tags");
    struct reg_key ca = *reg_find("category");
    struct reg_key sq = {.key = "sequential_download", .type = REG_BOOL, .scope = REG_TORRENT};
    char why[256] = "";
    assert_false(ui_set_can_reset(&sp, REG_TORRENT, why, sizeof why));
    assert_non_null(strstr(why, "save_path"));
    assert_non_null(strstr(why, "move the files"));
    assert_false(ui_set_can_reset(&tr, REG_TORRENT, why, sizeof why));
    assert_non_null(strstr(why, "trackers"));
    assert_non_null(strstr(why, "drop them all"));
    why[0] = '\0';
    assert_true(ui_set_can_reset(&tg, REG_TORRENT, why, sizeof why));
    assert_true(ui_set_can_reset(&ca, REG_TORRENT, why, sizeof why));
    assert_true(ui_set_can_reset(&sq, REG_TORRENT, why, sizeof why));
    assert_string_equal(why, ""); /* untouched when allowed */
    /* a key chosen on add is neither edited nor reset */
    struct reg_key sm = *reg_find("storage_mode");
    assert_true(ui_set_add_only(&sm));
    assert_false(ui_set_add_only(&sq));
    assert_false(ui_set_can_reset(&sm, REG_TORRENT, why, sizeof why));
    assert_non_null(strstr(why, "added"));
    why[0] = '\0';
    /* session paths and URL lists reset as before */
    struct reg_key dd = {.key = "spate.download_dir", .type = REG_PATH, .scope = REG_SESSION};
    assert_true(ui_set_can_reset(&dd, REG_SESSION, why, sizeof why));
    /* the real registry: a torrent's save_path, trackers, web_seeds */
    const char *never[] = {"save_path", "trackers", "web_seeds"};
    for (size_t i = 0; i < sizeof never / sizeof never[0]; i++) {
        const struct reg_key *k = reg_find(never[i]);
        if (k && (k->scope & REG_TORRENT))
            assert_false(ui_set_can_reset(k, REG_TORRENT, why, sizeof why));
    }
}

static void test_torrent_row_has_a_value_and_a_default_only(void **state)
{
    (void)state;
    static struct eng_setting_row r;
    struct reg_key dl = *reg_find("download_limit");
    char m[UI_SET_MARKERS_COLS + 1], buf[64];
    ui_set_torrent_row(&r, &dl, "12345", "0");
    assert_ptr_equal(r.k, &dl);
    assert_false(r.is_default);
    assert_false(r.has_stored);
    assert_false(r.has_native);
    ui_set_markers(m, &r);
    assert_string_equal(m, " + ");
    ui_set_value_text(buf, sizeof buf, &r);
    assert_string_equal(buf, "12345");
    ui_set_torrent_row(&r, &dl, "0", "0");
    ui_set_markers(m, &r);
    assert_string_equal(m, "   ");
    ui_set_torrent_row(&r, &dl, NULL, NULL);
    assert_true(r.is_default);
    /* a save path or tracker list is never "not default" */
    struct reg_key sp = *reg_find("save_path");
    struct reg_key tr = *reg_find("trackers");
    ui_set_torrent_row(&r, &sp, "/srv/dl", "");
    assert_true(r.is_default);
    ui_set_torrent_row(&r, &tr, "udp://t.example:6969", "");
    assert_true(r.is_default);
    ui_set_torrent_row(&r, &dl, NULL, NULL);
    ui_set_value_text(buf, sizeof buf, &r);
    assert_string_equal(buf, "\"\"");
}

/* ---- moving ----------------------------------------------------------------------- */

static void test_seek_skips_headings_and_stops_at_the_ends(void **state)
{
    (void)state;
    struct reg_key a = {.key = "a"}, b = {.key = "b"}, c = {.key = "c"};
    struct ui_set_line lines[] = {
        {"g1", NULL}, {"g1", &a}, {"g1", &b}, {"g2", NULL}, {"g2", &c},
    };
    struct ui_set_list l = {.lines = lines, .n = 5, .n_keys = 3};
    assert_int_equal(ui_set_list_seek(&l, 0, +1), 1);  /* home */
    assert_int_equal(ui_set_list_seek(&l, 2, +1), 2);  /* a key is itself */
    assert_int_equal(ui_set_list_seek(&l, 3, +1), 4);  /* down over a heading */
    assert_int_equal(ui_set_list_seek(&l, 3, -1), 2);  /* up over a heading */
    assert_int_equal(ui_set_list_seek(&l, 0, -1), 1);  /* up from the first key */
    assert_int_equal(ui_set_list_seek(&l, 5, +1), 4);  /* down from the last key */
    assert_int_equal(ui_set_list_seek(&l, 99, +1), 4); /* page down past the end */
    assert_int_equal(ui_set_list_seek(&l, -7, -1), 1); /* page up past the start */
    assert_int_equal(ui_set_list_find(&l, &c), 4);
    assert_int_equal(ui_set_list_find(&l, NULL), -1);
}

/* ---- values -------------------------------------------------------------------------- */

static struct eng_setting_row *row_of(const char *eff, const char *def, const char *stored,
                                      const char *native)
{
    static struct eng_setting_row r;
    memset(&r, 0, sizeof r);
    snprintf(r.effective, sizeof r.effective, "%s", eff);
    snprintf(r.def, sizeof r.def, "%s", def);
    r.is_default = strcmp(eff, def) == 0;
    if (stored) {
        r.has_stored = true;
        snprintf(r.stored, sizeof r.stored, "%s", stored);
    }
    if (native) {
        r.has_native = true;
        snprintf(r.native, sizeof r.native, "%s", native);
    }
    return &r;
}

static const char *markers(const struct eng_setting_row *r)
{
    static char m[UI_SET_MARKERS_COLS + 1];
    ui_set_markers(m, r);
    return m;
}

static void test_markers_say_stored_not_default_and_native_differs(void **state)
{
    (void)state;
    assert_string_equal(markers(row_of("0", "0", NULL, "0")), "   ");
    assert_string_equal(markers(row_of("0", "0", NULL, NULL)), "   ");
    assert_string_equal(markers(row_of("1000", "0", "1000", "1000")), "*+ ");
    assert_string_equal(markers(row_of("0", "0", "0", "0")), "*  "); /* stored the default */
    assert_string_equal(markers(row_of("1000", "0", NULL, "0")), " +!");
    assert_false(ui_set_native_differs(row_of("5", "0", NULL, NULL)));
    assert_true(ui_set_native_differs(row_of("5", "0", NULL, "6")));
}

static void test_value_text_quotes_empty_and_adds_a_differing_native(void **state)
{
    (void)state;
    char buf[256];
    ui_set_value_text(buf, sizeof buf, row_of("1000", "0", "1000", "1000"));
    assert_string_equal(buf, "1000");
    ui_set_value_text(buf, sizeof buf, row_of("", "", NULL, NULL));
    assert_string_equal(buf, "\"\"");
    ui_set_value_text(buf, sizeof buf, row_of("1000", "0", NULL, "0"));
    assert_string_equal(buf, "1000 (native 0)");
    ui_set_value_text(buf, sizeof buf, row_of("x", "", NULL, ""));
    assert_string_equal(buf, "x (native \"\")");
    /* a small buffer: cut, still terminated */
    char small[4];
    ui_set_value_text(small, sizeof small, row_of("123456", "0", NULL, "1"));
    assert_string_equal(small, "123");
    ui_set_show(buf, sizeof buf, NULL);
    assert_string_equal(buf, "\"\"");
}

static void test_describe_gives_type_unit_bounds_and_names(void **state)
{
    (void)state;
    static const struct reg_enum enc[] = {
        {"pe_forced", 0}, {"pe_enabled", 1}, {"pe_disabled", 2}, {NULL, 0}};
    struct reg_key ki = {
        .key = "download_rate_limit", .type = REG_INT, .unit = "bytes/s", .min = 0, .max = INT_MAX};
    struct reg_key kn = {.key = "active_limit", .type = REG_INT, .min = -1, .max = 500};
    struct reg_key ke = {.key = "out_enc_policy", .type = REG_ENUM, .enums = enc};
    struct reg_key kb = {.key = "announce_to_all_trackers", .type = REG_BOOL};
    struct reg_key ks = {.key = "user_agent", .type = REG_STRING, .max = 256};
    struct reg_key kp = {.key = "proxy_password", .type = REG_SECRET, .max = 256};
    struct reg_key kd = {.key = "spate.download_dir", .type = REG_PATH};
    char buf[256];
    ui_set_describe(buf, sizeof buf, &ki);
    assert_string_equal(buf, "int, bytes/s, 0..2147483647");
    ui_set_describe(buf, sizeof buf, &kn);
    assert_string_equal(buf, "int, -1..500");
    ui_set_describe(buf, sizeof buf, &ke);
    assert_string_equal(buf, "enum: pe_forced, pe_enabled, pe_disabled");
    ui_set_describe(buf, sizeof buf, &kb);
    assert_string_equal(buf, "bool");
    ui_set_describe(buf, sizeof buf, &ks);
    assert_string_equal(buf, "string, at most 256 bytes");
    ui_set_describe(buf, sizeof buf, &kp);
    assert_string_equal(buf, "secret, at most 256 bytes, never shown");
    ui_set_describe(buf, sizeof buf, &kd);
    assert_string_equal(buf, "path: absolute, or \"\"");
}

static void test_describe_covers_every_registry_key(void **state)
{
    (void)state;
    for (size_t i = 0; i < reg_count(); i++) {
        char buf[512];
        const struct reg_key *k = reg_at(i);
        assert_true(ui_set_describe(buf, sizeof buf, k) > 0);
        assert_true(strncmp(buf, reg_type_name(k->type), strlen(reg_type_name(k->type))) == 0);
    }
}

static void test_prompt_label_shows_unit_and_bounds_of_an_int(void **state)
{
    (void)state;
    struct reg_key ki = {
        .key = "download_rate_limit", .type = REG_INT, .unit = "bytes/s", .min = 0, .max = INT_MAX};
    struct reg_key kn = {.key = "active_limit", .type = REG_INT, .min = -1, .max = 500};
    struct reg_key ks = {.key = "user_agent", .type = REG_STRING, .max = 256};
    char buf[256];
    ui_set_prompt_label(buf, sizeof buf, &ki);
    assert_string_equal(buf, "download_rate_limit (bytes/s, 0..2147483647): ");
    ui_set_prompt_label(buf, sizeof buf, &kn);
    assert_string_equal(buf, "active_limit (-1..500): ");
    ui_set_prompt_label(buf, sizeof buf, &ks);
    assert_string_equal(buf, "user_agent: ");
}

/* ---- wrapping ------------------------------------------------------------------------ */

static void test_wrap_breaks_after_the_last_blank_that_fits(void **state)
{
    (void)state;
    const char *s = "global download rate limit; 0: unlimited";
    size_t next, len = ui_set_wrap(s, 20, &next);
    assert_int_equal(len, strlen("global download rate"));
    assert_string_equal(s + next, "limit; 0: unlimited");
    len = ui_set_wrap(s + next, 20, &next);
    assert_int_equal(len, strlen("limit; 0: unlimited"));
    /* everything fits */
    len = ui_set_wrap("short", 20, &next);
    assert_int_equal(len, 5);
    assert_int_equal(next, 5);
}

static void test_wrap_cuts_a_word_longer_than_the_line(void **state)
{
    (void)state;
    size_t next, len = ui_set_wrap("abcdefghij klm", 4, &next);
    assert_int_equal(len, 4);
    assert_int_equal(next, 4);
    /* always some progress, even at width 0 */
    len = ui_set_wrap("abc", 0, &next);
    assert_int_equal(len, 1);
    assert_int_equal(next, 1);
    /* a wide character that would straddle the edge goes to the next line */
    len = ui_set_wrap("ab\xe4\xb8\xad", 3, &next); /* "ab中" */
    assert_int_equal(len, 2);
    assert_int_equal(next, 2);
}

/* ---- keys and prompt ------------------------------------------------------------------- */

static void test_keymap_opens_the_editor_from_the_list_and_help_lists_it(void **state)
{
    (void)state;
    ui_keymap_reset();
    assert_int_equal(ui_keymap_lookup(UI_SCOPE_LIST, 'O'), UI_ACT_SETTINGS);
    char keys[64];
    assert_true(ui_keymap_keys_for(UI_SCOPE_LIST, UI_ACT_SETTINGS, keys, sizeof keys) > 0);
    assert_non_null(strstr(keys, "O"));
    assert_int_equal(ui_keymap_lookup(UI_SCOPE_SETTINGS, '\r'), UI_ACT_SETTINGS_EDIT);
    assert_int_equal(ui_keymap_lookup(UI_SCOPE_SETTINGS, '/'), UI_ACT_SETTINGS_SEARCH);
    assert_int_equal(ui_keymap_lookup(UI_SCOPE_SETTINGS, 'r'), UI_ACT_SETTINGS_RESET);
    assert_int_equal(ui_keymap_lookup(UI_SCOPE_SETTINGS, UI_KEY_ESC), UI_ACT_SETTINGS_CLOSE);
    assert_int_equal(ui_keymap_lookup(UI_SCOPE_SETTINGS, 'q'), UI_ACT_SETTINGS); /* leaves */
    /* movement comes from the list scope (the editor falls back to it) */
    assert_int_equal(ui_keymap_lookup(UI_SCOPE_SETTINGS, 'j'), UI_ACT_NONE);
    assert_int_equal(ui_keymap_lookup(UI_SCOPE_LIST, 'j'), UI_ACT_DOWN);
    /* every settings action has a help row with keys */
    enum ui_action want[] = {UI_ACT_SETTINGS, UI_ACT_SETTINGS_EDIT, UI_ACT_SETTINGS_SEARCH,
                             UI_ACT_SETTINGS_RESET, UI_ACT_SETTINGS_CLOSE};
    for (size_t w = 0; w < sizeof want / sizeof want[0]; w++) {
        const struct ui_action_info *a;
        bool found = false;
        for (size_t i = 0; (a = ui_keymap_action_at(i)) != NULL; i++) {
            if (a->action != want[w]) continue;
            found = ui_keymap_keys_for(a->scope, a->action, keys, sizeof keys) > 0;
        }
        assert_true(found);
    }
}

static void test_keymap_the_open_key_does_not_clash_in_the_list(void **state)
{
    (void)state;
    ui_keymap_reset();
    /* 'O' is bound once in the list scope, to the editor */
    const struct ui_action_info *a;
    for (size_t i = 0; (a = ui_keymap_action_at(i)) != NULL; i++) {
        if (a->scope != UI_SCOPE_LIST || a->action == UI_ACT_SETTINGS) continue;
        char keys[64];
        ui_keymap_keys_for(UI_SCOPE_LIST, a->action, keys, sizeof keys);
        for (char *t = strtok(keys, ", "); t; t = strtok(NULL, ", "))
            assert_string_not_equal(t, "O");
    }
}

static void test_keymap_opens_torrent_settings_and_the_filter_from_the_list(void **state)
{
    (void)state;
    ui_keymap_reset();
    assert_int_equal(ui_keymap_lookup(UI_SCOPE_LIST, 'e'), UI_ACT_TORRENT_SETTINGS);
    assert_int_equal(ui_keymap_lookup(UI_SCOPE_LIST, 'c'), UI_ACT_FILTER);
    /* the editor does not take them over: e there comes from the list */
    assert_int_equal(ui_keymap_lookup(UI_SCOPE_SETTINGS, 'e'), UI_ACT_NONE);
    /* each is in the help, with its key, once in the list scope */
    struct {
        enum ui_action a;
        const char *key, *words;
    } want[] = {{UI_ACT_TORRENT_SETTINGS, "e", "torrent settings"},
                {UI_ACT_FILTER, "c", "category or tag"}};
    for (size_t w = 0; w < sizeof want / sizeof want[0]; w++) {
        const struct ui_action_info *a;
        int rows = 0;
        for (size_t i = 0; (a = ui_keymap_action_at(i)) != NULL; i++) {
            char keys[64];
            if (a->action != want[w].a) continue;
            rows++;
            assert_int_equal(a->scope, UI_SCOPE_LIST);
            assert_non_null(strstr(a->help, want[w].words));
            ui_keymap_keys_for(a->scope, a->action, keys, sizeof keys);
            assert_string_equal(keys, want[w].key);
        }
        assert_int_equal(rows, 1);
        /* no other list action has that key */
        for (size_t i = 0; (a = ui_keymap_action_at(i)) != NULL; i++) {
            char keys[64];
            if (a->scope != UI_SCOPE_LIST || a->action == want[w].a) continue;
            ui_keymap_keys_for(UI_SCOPE_LIST, a->action, keys, sizeof keys);
            for (char *t = strtok(keys, ", "); t; t = strtok(NULL, ", "))
                assert_string_not_equal(t, want[w].key);
        }
    }
}

static void test_prompt_prefill_round_trips_utf8_and_puts_the_cursor_at_the_end(void **state)
{
    (void)state;
    static struct ui_prompt p;
    ui_prompt_start(&p, "user_agent: ");
    assert_false(p.masked);
    ui_prompt_set_text(&p, "spate/0.1 \xc3\xa9t\xc3\xa9");
    assert_int_equal(p.len, 13);
    assert_int_equal(p.cursor, 13);
    char out[64];
    ui_prompt_text(&p, out, sizeof out);
    assert_string_equal(out, "spate/0.1 \xc3\xa9t\xc3\xa9");
    /* typing goes at the end; Backspace deletes from there */
    ui_prompt_key(&p, '!');
    ui_prompt_key(&p, 0x7f);
    ui_prompt_key(&p, 0x7f);
    ui_prompt_text(&p, out, sizeof out);
    assert_string_equal(out, "spate/0.1 \xc3\xa9t");
    /* a restart clears text and mask */
    p.masked = true;
    ui_prompt_start(&p, "proxy_password: ");
    assert_false(p.masked);
    assert_int_equal(p.len, 0);
    ui_prompt_set_text(&p, NULL);
    assert_int_equal(p.len, 0);
}

int main(void)
{
    setlocale(LC_ALL, "C.UTF-8");
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_list_has_every_session_key_once),
        cmocka_unit_test(test_list_groups_keys_under_headings_in_registry_group_order),
        cmocka_unit_test(test_search_matches_key_group_and_help_ignoring_case),
        cmocka_unit_test(test_search_lists_only_matching_keys_and_their_headings),
        cmocka_unit_test(test_search_with_no_match_is_empty),
        cmocka_unit_test(test_search_never_lists_per_torrent_only_keys),
        cmocka_unit_test(test_torrent_scope_lists_every_per_torrent_key_and_no_session_only_key),
        cmocka_unit_test(test_list_keys_open_the_list_editor_others_prompt),

        cmocka_unit_test(test_torrent_reset_is_refused_for_save_path_trackers_and_web_seeds),
        cmocka_unit_test(test_torrent_row_has_a_value_and_a_default_only),
        cmocka_unit_test(test_seek_skips_headings_and_stops_at_the_ends),
        cmocka_unit_test(test_markers_say_stored_not_default_and_native_differs),
        cmocka_unit_test(test_value_text_quotes_empty_and_adds_a_differing_native),
        cmocka_unit_test(test_describe_gives_type_unit_bounds_and_names),
        cmocka_unit_test(test_describe_covers_every_registry_key),
        cmocka_unit_test(test_prompt_label_shows_unit_and_bounds_of_an_int),
        cmocka_unit_test(test_wrap_breaks_after_the_last_blank_that_fits),
        cmocka_unit_test(test_wrap_cuts_a_word_longer_than_the_line),
        cmocka_unit_test(test_keymap_opens_the_editor_from_the_list_and_help_lists_it),
        cmocka_unit_test(test_keymap_the_open_key_does_not_clash_in_the_list),
        cmocka_unit_test(test_keymap_opens_torrent_settings_and_the_filter_from_the_list),
        cmocka_unit_test(test_prompt_prefill_round_trips_utf8_and_puts_the_cursor_at_the_end),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
