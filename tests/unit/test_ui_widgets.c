/*
 * test_ui_widgets.c — the pure parts of the settings editor's widgets:
 * the list editor (src/ui/wlist.c: which keys it edits, split and
 * join with tracker tiers, insert, replace, remove, moves, tier changes,
 * finding the item an engine message quotes, the value it applies) and
 * the schedule grid (src/ui/wsched.c: cells from a schedule and a
 * schedule from cells, partial hours, toggles, round trips through
 * sched_parse / sched_format); plus both overlays' key handling where it
 * needs no screen, and their keymap scopes (help rows, no clashes).
 *
 * Nothing here starts ncurses: the overlays are driven through their
 * key functions only, with keys that touch no UI.
 */
#define SPATE_INTERNAL_UI /* looks inside src/ui/ (its private header) */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include "engine/registry.h"
#include "engine/schedule.h"
#include "ui/keymap.h"
#include "ui/wlist.h"
#include "ui/wsched.h"

/* ---- helpers ------------------------------------------------------------------------ */

/* "a0,b0,c1": each item's text and tier, to compare a list in one go. */
static const char *dump(const struct ui_wlist *l)
{
    static char buf[1024];
    size_t o = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < l->n && o < sizeof buf; i++)
        o += (size_t)snprintf(buf + o, sizeof buf - o, "%s%s%d", i ? "," : "", l->items[i].text,
                              l->items[i].tier);
    return buf;
}

static void assert_joins(const struct ui_wlist *l, const char *want)
{
    char *j = ui_wlist_join(l);
    assert_non_null(j);
    assert_string_equal(j, want);
    free(j);
}

static struct ui_wlist split(const char *text, bool tiered)
{
    struct ui_wlist l = {0};
    assert_int_equal(ui_wlist_split(&l, text, tiered), 0);
    return l;
}

/* ---- which keys, which tiers ----------------------------------------------------- */

static void test_list_editor_takes_list_types_and_list_flagged_keys(void **state)
{
    (void)state;
    const char *yes[] = {"spate.ip_filter",
                         "listen_interfaces",
                         "dht_bootstrap_nodes",
                         "spate.default_trackers",
                         "trackers",
                         "web_seeds",
                         "tags"};
    const char *no[] = {"download_rate_limit", "category",       "spate.alt_speed_schedule",
                        "enable_dht",          "out_enc_policy", "spate.ip_filter_file"};
    for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++) {
        const struct reg_key *k = reg_find(yes[i]);
        assert_non_null(k);
        assert_true(ui_wlist_wants(k));
    }
    for (size_t i = 0; i < sizeof no / sizeof no[0]; i++) {
        const struct reg_key *k = reg_find(no[i]);
        assert_non_null(k);
        assert_false(ui_wlist_wants(k));
    }
    /* the whole registry: every list type and every REG_F_LIST key */
    for (size_t i = 0; i < reg_count(); i++) {
        const struct reg_key *k = reg_at(i);
        bool list = k->type == REG_HOSTPORTS || k->type == REG_CIDRS || k->type == REG_URLS ||
                    (k->flags & REG_F_LIST);
        assert_int_equal(ui_wlist_wants(k), list);
        if (ui_wlist_has_tiers(k)) assert_int_equal(k->type, REG_URLS);
    }
    assert_false(ui_wlist_wants(NULL));
}

static void test_only_tracker_lists_have_tiers(void **state)
{
    (void)state;
    assert_true(ui_wlist_has_tiers(reg_find("trackers")));
    assert_true(ui_wlist_has_tiers(reg_find("spate.default_trackers")));
    assert_false(ui_wlist_has_tiers(reg_find("web_seeds")));
    assert_false(ui_wlist_has_tiers(reg_find("spate.ip_filter")));
    assert_false(ui_wlist_has_tiers(reg_find("tags")));
    assert_false(ui_wlist_has_tiers(NULL));
}

/* ---- split and join ------------------------------------------------------------------ */

static void test_split_trims_items_and_drops_empty_ones(void **state)
{
    (void)state;
    struct ui_wlist l = split("  10.0.0.0/8 , ,1.2.3.4,,\t::1 ,", false);
    assert_int_equal(l.n, 3);
    assert_string_equal(dump(&l), "10.0.0.0/80,1.2.3.40,::10");
    assert_joins(&l, "10.0.0.0/8,1.2.3.4,::1");
    assert_int_equal(ui_wlist_tiers(&l), 1);
    ui_wlist_free(&l);
    assert_null(l.items);
    assert_int_equal(l.n, 0);

    l = split(NULL, false);
    assert_int_equal(l.n, 0);
    assert_int_equal(ui_wlist_tiers(&l), 0);
    assert_joins(&l, "");
    assert_int_equal(ui_wlist_split(&l, " , ,", true), 0);
    assert_int_equal(l.n, 0);
    ui_wlist_free(&l);
}

static void test_split_reads_tiers_and_join_writes_them_back(void **state)
{
    (void)state;
    struct ui_wlist l = split("http://a/ann, http://b/ann | udp://c:1||udp://d:2|", true);
    assert_string_equal(dump(&l), "http://a/ann0,http://b/ann0,udp://c:11,udp://d:22");
    assert_int_equal(ui_wlist_tiers(&l), 3);
    assert_joins(&l, "http://a/ann,http://b/ann|udp://c:1|udp://d:2");
    /* a leading "|" or an empty tier makes no tier */
    assert_int_equal(ui_wlist_split(&l, "|,a|,|b", true), 0);
    assert_string_equal(dump(&l), "a0,b1");
    ui_wlist_free(&l);
}

static void test_without_tiers_a_bar_is_part_of_the_item(void **state)
{
    (void)state;
    struct ui_wlist l = split("a|b,c", false);
    assert_string_equal(dump(&l), "a|b0,c0");
    assert_joins(&l, "a|b,c");
    ui_wlist_free(&l);
}

static void test_join_of_split_gives_normalized_text_back(void **state)
{
    (void)state;
    const char *tiered[] = {"", "a", "a,b", "a|b", "a,b|c,d|e", "udp://x:1|http://y/a,http://z/a"};
    for (size_t i = 0; i < sizeof tiered / sizeof tiered[0]; i++) {
        struct ui_wlist l = split(tiered[i], true);
        assert_joins(&l, tiered[i]);
        ui_wlist_free(&l);
    }
    struct ui_wlist l = split("127.0.0.1:6881,[::1]:6881s", false);
    assert_joins(&l, "127.0.0.1:6881,[::1]:6881s");
    ui_wlist_free(&l);
}

static void test_split_again_replaces_the_items(void **state)
{
    (void)state;
    struct ui_wlist l = split("a,b", false);
    assert_int_equal(ui_wlist_split(&l, "c", false), 0);
    assert_string_equal(dump(&l), "c0");
    ui_wlist_free(&l);
}

/* ---- insert, replace, remove ---------------------------------------------------------- */

static void test_insert_puts_comma_separated_items_in_place(void **state)
{
    (void)state;
    struct ui_wlist l = split("a,d", false);
    assert_int_equal(ui_wlist_insert(&l, 1, " b , c ", 0), 2);
    assert_joins(&l, "a,b,c,d");
    assert_int_equal(ui_wlist_insert(&l, 99, "e", 0), 1); /* clamped: appended */
    assert_joins(&l, "a,b,c,d,e");
    assert_int_equal(ui_wlist_insert(&l, 0, " , ", 0), 0); /* blank: nothing */
    assert_int_equal(ui_wlist_insert(&l, 0, NULL, 0), 0);
    assert_int_equal(l.n, 5);
    ui_wlist_free(&l);

    l = split("", false);
    assert_int_equal(ui_wlist_insert(&l, 0, "10.0.0.0/8,192.168.0.0/16", 7), 2);
    assert_string_equal(dump(&l), "10.0.0.0/80,192.168.0.0/160"); /* no tiers: tier 0 */
    ui_wlist_free(&l);
}

static void test_insert_keeps_tier_order(void **state)
{
    (void)state;
    struct ui_wlist l = split("a|c", true);
    /* after a, in a's tier */
    assert_int_equal(ui_wlist_insert(&l, 1, "b", 0), 1);
    assert_string_equal(dump(&l), "a0,b0,c1");
    /* a tier beyond its neighbours is clamped: before c means at most c's */
    assert_int_equal(ui_wlist_insert(&l, 2, "x", 5), 1);
    assert_string_equal(dump(&l), "a0,b0,x1,c1");
    /* a "|" typed in an item does not start a tier: it separates items */
    assert_int_equal(ui_wlist_insert(&l, 4, "d|e", 1), 2);
    assert_string_equal(dump(&l), "a0,b0,x1,c1,d1,e1");
    /* appending past the last tier starts a new one */
    assert_int_equal(ui_wlist_insert(&l, 6, "f", 9), 1);
    assert_string_equal(dump(&l), "a0,b0,x1,c1,d1,e1,f2");
    ui_wlist_free(&l);
}

static void test_replace_edits_an_item_in_its_tier(void **state)
{
    (void)state;
    struct ui_wlist l = split("a,b|c", true);
    assert_int_equal(ui_wlist_replace(&l, 1, " B "), 1);
    assert_string_equal(dump(&l), "a0,B0,c1");
    assert_int_equal(ui_wlist_replace(&l, 2, "c1,c2"), 2);
    assert_string_equal(dump(&l), "a0,B0,c11,c21");
    /* blank removes it */
    assert_int_equal(ui_wlist_replace(&l, 0, "  "), 0);
    assert_string_equal(dump(&l), "B0,c11,c21");
    /* the last of a tier removed: the tier goes, the next renumbered */
    assert_int_equal(ui_wlist_replace(&l, 0, ""), 0);
    assert_string_equal(dump(&l), "c10,c20");
    assert_int_equal(ui_wlist_replace(&l, 5, "x"), -ERANGE);
    ui_wlist_free(&l);
}

static void test_remove_drops_the_item_and_an_emptied_tier(void **state)
{
    (void)state;
    struct ui_wlist l = split("a|b|c,d", true);
    ui_wlist_remove(&l, 1);
    assert_string_equal(dump(&l), "a0,c1,d1");
    assert_joins(&l, "a|c,d");
    ui_wlist_remove(&l, 9); /* out of range: nothing */
    assert_int_equal(l.n, 3);
    ui_wlist_remove(&l, 0);
    ui_wlist_remove(&l, 0);
    ui_wlist_remove(&l, 0);
    assert_int_equal(l.n, 0);
    assert_joins(&l, "");
    ui_wlist_free(&l);
}

/* ---- moves and tiers ------------------------------------------------------------------ */

static void test_move_swaps_inside_a_list_without_tiers(void **state)
{
    (void)state;
    struct ui_wlist l = split("a,b,c", false);
    assert_int_equal(ui_wlist_move(&l, 0, +1), 1);
    assert_joins(&l, "b,a,c");
    assert_int_equal(ui_wlist_move(&l, 1, +1), 2);
    assert_joins(&l, "b,c,a");
    assert_int_equal(ui_wlist_move(&l, 2, +1), 2); /* the last stays */
    assert_int_equal(ui_wlist_move(&l, 0, -1), 0); /* the first stays */
    assert_int_equal(ui_wlist_move(&l, 2, -1), 1);
    assert_joins(&l, "b,a,c");
    assert_int_equal(ui_wlist_move(&l, 7, -1), 7); /* out of range */
    assert_joins(&l, "b,a,c");
    ui_wlist_free(&l);
}

static void test_move_crosses_a_tier_edge_into_the_next_tier(void **state)
{
    (void)state;
    struct ui_wlist l = split("a,b|c,d", true);
    /* b is the last of tier 0: down puts it first in tier 1, same place */
    assert_int_equal(ui_wlist_move(&l, 1, +1), 1);
    assert_string_equal(dump(&l), "a0,b1,c1,d1");
    assert_joins(&l, "a|b,c,d");
    /* inside tier 1 it swaps */
    assert_int_equal(ui_wlist_move(&l, 1, +1), 2);
    assert_joins(&l, "a|c,b,d");
    /* c is the first of tier 1: up puts it last in tier 0 */
    assert_int_equal(ui_wlist_move(&l, 1, -1), 1);
    assert_joins(&l, "a,c|b,d");
    /* a tier of one moved into its neighbour is gone */
    ui_wlist_split(&l, "a|b|c", true);
    assert_int_equal(ui_wlist_move(&l, 1, -1), 1);
    assert_string_equal(dump(&l), "a0,b0,c1");
    ui_wlist_free(&l);
}

static void test_to_tier_moves_between_tiers_and_makes_new_ones(void **state)
{
    (void)state;
    struct ui_wlist l = split("a,b|c,d", true);
    /* a to the next tier: the start of it */
    assert_int_equal(ui_wlist_to_tier(&l, 0, +1), 1);
    assert_joins(&l, "b|a,c,d");
    /* d to the previous tier: the end of it */
    assert_int_equal(ui_wlist_to_tier(&l, 3, -1), 1);
    assert_joins(&l, "b,d|a,c");
    /* c from the last tier: a new tier of its own at the end */
    assert_int_equal(ui_wlist_to_tier(&l, 3, +1), 3);
    assert_joins(&l, "b,d|a|c");
    /* alone in the last tier: nowhere further */
    assert_int_equal(ui_wlist_to_tier(&l, 3, +1), 3);
    assert_joins(&l, "b,d|a|c");
    /* d from the first tier: a new first tier */
    assert_int_equal(ui_wlist_to_tier(&l, 1, -1), 0);
    assert_joins(&l, "d|b|a|c");
    assert_int_equal(ui_wlist_tiers(&l), 4);
    /* alone in the first tier: nowhere further */
    assert_int_equal(ui_wlist_to_tier(&l, 0, -1), 0);
    /* b (alone in tier 1) to the next: tier 1 is gone */
    assert_int_equal(ui_wlist_to_tier(&l, 1, +1), 1);
    assert_joins(&l, "d|b,a|c");
    ui_wlist_free(&l);

    /* no tiers: nothing */
    l = split("a,b", false);
    assert_int_equal(ui_wlist_to_tier(&l, 0, +1), 0);
    assert_joins(&l, "a,b");
    ui_wlist_free(&l);
}

static void test_split_tier_breaks_a_tier_and_joins_it_again(void **state)
{
    (void)state;
    struct ui_wlist l = split("a,b,c|d", true);
    ui_wlist_split_tier(&l, 1);
    assert_joins(&l, "a|b,c|d");
    assert_string_equal(dump(&l), "a0,b1,c1,d2");
    ui_wlist_split_tier(&l, 1); /* at a tier's start: joins the previous */
    assert_joins(&l, "a,b,c|d");
    ui_wlist_split_tier(&l, 0); /* the first item: nothing */
    ui_wlist_split_tier(&l, 3);
    assert_joins(&l, "a,b,c,d");
    ui_wlist_free(&l);

    l = split("a,b", false);
    ui_wlist_split_tier(&l, 1);
    assert_joins(&l, "a,b");
    ui_wlist_free(&l);
}

static void test_find_quoted_names_the_item_an_error_quotes(void **state)
{
    (void)state;
    struct ui_wlist l = split("10.0.0.0/3,10.0.0.0/33,1.2.3.4", false);
    assert_int_equal(ui_wlist_find_quoted(&l, "setting 'spate.ip_filter': bad IP filter entry "
                                              "\"10.0.0.0/33\": prefix length out of range"),
                     1);
    assert_int_equal(ui_wlist_find_quoted(&l, "setting 'x': '1.2.3.4' is not host:port"), 2);
    assert_int_equal(ui_wlist_find_quoted(&l, "nothing quoted 10.0.0.0/3 here"), -1);
    assert_int_equal(ui_wlist_find_quoted(&l, NULL), -1);
    ui_wlist_free(&l);
}

/* ---- the list editor's keys and value --------------------------------------------- */

static void test_list_editor_keys_move_delete_apply_and_cancel(void **state)
{
    (void)state;
    ui_keymap_reset();
    const struct reg_key *k = reg_find("spate.ip_filter");
    struct ui_wlist_editor *ed = ui_wlist_open(k, "10.0.0.0/8,1.2.3.4,::1", NULL);
    assert_non_null(ed);
    assert_ptr_equal(ui_wlist_reg_key(ed), k);
    assert_false(ui_wlist_changed(ed));
    assert_false(ui_wlist_prompting(ed));
    /* j then K: the second item to the top */
    assert_int_equal(ui_wlist_key(ed, NULL, 'j'), UI_WLIST_EDITING);
    assert_int_equal(ui_wlist_key(ed, NULL, 'K'), UI_WLIST_EDITING);
    char *v = ui_wlist_value(ed);
    assert_string_equal(v, "1.2.3.4,10.0.0.0/8,::1");
    free(v);
    assert_true(ui_wlist_changed(ed));
    /* G, d: the last goes; Delete the next */
    ui_wlist_key(ed, NULL, 'G');
    ui_wlist_key(ed, NULL, 'd');
    ui_wlist_key(ed, NULL, UI_KEY_FN(KEY_DC));
    v = ui_wlist_value(ed);
    assert_string_equal(v, "1.2.3.4");
    free(v);
    assert_int_equal(ui_wlist_key(ed, NULL, 'w'), UI_WLIST_APPLY);
    assert_int_equal(ui_wlist_key(ed, NULL, UI_KEY_ESC), UI_WLIST_CANCEL);
    /* help and redraw are the UI's; other keys are swallowed */
    assert_int_equal(ui_wlist_key(ed, NULL, '?'), UI_WLIST_PASS);
    assert_int_equal(ui_wlist_key(ed, NULL, UI_KEY_CTRL('l')), UI_WLIST_PASS);
    assert_int_equal(ui_wlist_key(ed, NULL, 'q'), UI_WLIST_EDITING);
    assert_int_equal(ui_wlist_key(ed, NULL, 'p'), UI_WLIST_EDITING);
    ui_wlist_close(ed);
    ui_wlist_close(NULL);
}

static void test_list_editor_failure_puts_the_cursor_on_the_bad_item(void **state)
{
    (void)state;
    ui_keymap_reset();
    struct ui_wlist_editor *ed =
        ui_wlist_open(reg_find("spate.ip_filter"), "1.1.1.1,10.0.0.0/33,2.2.2.2", NULL);
    assert_non_null(ed);
    ui_wlist_failed(ed, "setting 'spate.ip_filter': bad IP filter entry \"10.0.0.0/33\": x");
    /* the cursor is on it: d deletes it */
    ui_wlist_key(ed, NULL, 'd');
    char *v = ui_wlist_value(ed);
    assert_string_equal(v, "1.1.1.1,2.2.2.2");
    free(v);
    ui_wlist_close(ed);
}

static void test_list_editor_tier_keys_change_tracker_tiers(void **state)
{
    (void)state;
    ui_keymap_reset();
    struct ui_wlist_editor *ed =
        ui_wlist_open(reg_find("trackers"), "http://a/x,http://b/x|udp://c:1", "trackers of 1");
    assert_non_null(ed);
    ui_wlist_key(ed, NULL, 'j');
    ui_wlist_key(ed, NULL, ']'); /* b to the start of tier 2 */
    char *v = ui_wlist_value(ed);
    assert_string_equal(v, "http://a/x|http://b/x,udp://c:1");
    free(v);
    ui_wlist_key(ed, NULL, '<'); /* and back */
    v = ui_wlist_value(ed);
    assert_string_equal(v, "http://a/x,http://b/x|udp://c:1");
    free(v);
    ui_wlist_key(ed, NULL, '|'); /* a new tier at b */
    v = ui_wlist_value(ed);
    assert_string_equal(v, "http://a/x|http://b/x|udp://c:1");
    free(v);
    ui_wlist_key(ed, NULL, 'J'); /* b down: into c's tier, first */
    v = ui_wlist_value(ed);
    assert_string_equal(v, "http://a/x|http://b/x,udp://c:1");
    free(v);
    ui_wlist_close(ed);
}

static void test_list_value_of_tags_never_reads_as_an_edit(void **state)
{
    (void)state;
    /* eng_torrent_opt_set reads "+x" / "-x" as an edit of a list key */
    struct ui_wlist_editor *ed = ui_wlist_open(reg_find("tags"), "-draft,b", NULL);
    assert_non_null(ed);
    char *v = ui_wlist_value(ed);
    assert_string_equal(v, " -draft,b");
    free(v);
    ui_wlist_close(ed);
    /* other lists are sent as they are */
    ed = ui_wlist_open(reg_find("spate.ip_filter"), "", NULL);
    assert_non_null(ed);
    v = ui_wlist_value(ed);
    assert_string_equal(v, "");
    free(v);
    assert_false(ui_wlist_changed(ed));
    ui_wlist_close(ed);
}

/* ---- the schedule grid --------------------------------------------------------------- */

static struct sched parse(const char *text)
{
    struct sched s;
    char err[256];
    assert_int_equal(sched_parse(text, &s, err, sizeof err), 0);
    return s;
}

static void assert_formats(const struct sched *s, const char *want)
{
    static char buf[SCHED_TEXT_MAX];
    assert_int_equal(sched_format(s, buf, sizeof buf), 0);
    assert_string_equal(buf, want);
}

static void test_cells_show_active_inactive_and_partial_hours(void **state)
{
    (void)state;
    struct sched s = parse("mon 08:00-10:00; tue 08:30-09:15; sun 23:59-24:00");
    assert_int_equal(ui_wsched_cell(&s, 0, 7), UI_WSCHED_OFF);
    assert_int_equal(ui_wsched_cell(&s, 0, 8), UI_WSCHED_ON);
    assert_int_equal(ui_wsched_cell(&s, 0, 9), UI_WSCHED_ON);
    assert_int_equal(ui_wsched_cell(&s, 0, 10), UI_WSCHED_OFF);
    assert_int_equal(ui_wsched_cell(&s, 1, 8), UI_WSCHED_PART);
    assert_int_equal(ui_wsched_cell(&s, 1, 9), UI_WSCHED_PART);
    assert_int_equal(ui_wsched_cell(&s, 1, 10), UI_WSCHED_OFF);
    assert_int_equal(ui_wsched_cell(&s, 6, 23), UI_WSCHED_PART);
    /* out of range */
    assert_int_equal(ui_wsched_cell(&s, 7, 0), UI_WSCHED_OFF);
    assert_int_equal(ui_wsched_cell(&s, 0, 24), UI_WSCHED_OFF);
    assert_int_equal(ui_wsched_cell(&s, -1, 8), UI_WSCHED_OFF);

    char grid[UI_WSCHED_DAYS][UI_WSCHED_HOURS];
    ui_wsched_to_grid(&s, grid);
    assert_memory_equal(grid[0], "........##..............", 24);
    assert_memory_equal(grid[1], "........++..............", 24);
    assert_memory_equal(grid[2], "........................", 24);
    assert_memory_equal(grid[6], ".......................+", 24);
}

static void test_grid_to_schedule_and_back_round_trips_through_the_text(void **state)
{
    (void)state;
    const char *texts[] = {"", "mon 08:00-10:00", "mon-fri 08:00-18:00; sat,sun 10:00-12:00",
                           "mon,wed 00:00-24:00", "sun 23:00-24:00"};
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
        struct sched s = parse(texts[i]), back;
        char grid[UI_WSCHED_DAYS][UI_WSCHED_HOURS];
        ui_wsched_to_grid(&s, grid);
        ui_wsched_from_grid(grid, NULL, &back);
        assert_memory_equal(&back, &s, sizeof s);
        assert_formats(&back, texts[i]);
        /* and what that text parses to is the same grid */
        struct sched again = parse(texts[i]);
        char grid2[UI_WSCHED_DAYS][UI_WSCHED_HOURS];
        ui_wsched_to_grid(&again, grid2);
        assert_memory_equal(grid2, grid, sizeof grid);
    }
}

static void test_a_partial_cell_keeps_its_minutes_from_the_base(void **state)
{
    (void)state;
    struct sched s = parse("tue 08:30-09:15; wed 10:00-11:00"), out;
    char grid[UI_WSCHED_DAYS][UI_WSCHED_HOURS];
    ui_wsched_to_grid(&s, grid);
    /* with the base: the same schedule, minutes and all */
    ui_wsched_from_grid(grid, &s, &out);
    assert_memory_equal(&out, &s, sizeof s);
    assert_formats(&out, "tue 08:30-09:15; wed 10:00-11:00");
    /* out may be the base */
    out = s;
    grid[2][10] = UI_WSCHED_OFF;
    ui_wsched_from_grid(grid, &out, &out);
    assert_formats(&out, "tue 08:30-09:15");
    /* without a base a partial hour counts as the whole hour */
    ui_wsched_from_grid(grid, NULL, &out);
    assert_formats(&out, "tue 08:00-10:00");
    /* any other character clears */
    grid[1][8] = 'z';
    ui_wsched_from_grid(grid, &s, &out);
    assert_formats(&out, "tue 09:00-09:15");
}

static void test_toggling_a_cell_sets_or_clears_the_whole_hour(void **state)
{
    (void)state;
    struct sched s = parse("");
    ui_wsched_toggle_cell(&s, 0, 8);
    ui_wsched_toggle_cell(&s, 0, 9);
    assert_formats(&s, "mon 08:00-10:00");
    ui_wsched_toggle_cell(&s, 0, 9);
    assert_formats(&s, "mon 08:00-09:00");
    /* a partial hour becomes active as a whole */
    s = parse("tue 08:30-08:45");
    assert_int_equal(ui_wsched_cell(&s, 1, 8), UI_WSCHED_PART);
    ui_wsched_toggle_cell(&s, 1, 8);
    assert_int_equal(ui_wsched_cell(&s, 1, 8), UI_WSCHED_ON);
    assert_formats(&s, "tue 08:00-09:00");
    ui_wsched_toggle_cell(&s, 1, 8);
    assert_formats(&s, "");
    /* untouched partial hours keep their minutes */
    s = parse("mon 08:30-09:00");
    ui_wsched_toggle_cell(&s, 4, 20);
    assert_formats(&s, "mon 08:30-09:00; fri 20:00-21:00");
    /* out of range: nothing */
    ui_wsched_toggle_cell(&s, 7, 0);
    ui_wsched_set_hour(&s, 0, 24, true);
    assert_formats(&s, "mon 08:30-09:00; fri 20:00-21:00");
    /* across midnight: two rules, and the text parses back to the same */
    s = parse("");
    ui_wsched_toggle_cell(&s, 6, 23);
    ui_wsched_toggle_cell(&s, 0, 0);
    assert_formats(&s, "mon 00:00-01:00; sun 23:00-24:00");
}

static void test_day_and_hour_toggles_fill_then_clear(void **state)
{
    (void)state;
    struct sched s = parse("wed 10:15-11:00");
    ui_wsched_toggle_day(&s, 2); /* not all on: all on */
    assert_formats(&s, "wed 00:00-24:00");
    ui_wsched_toggle_day(&s, 2); /* all on: off */
    assert_formats(&s, "");
    ui_wsched_toggle_hour(&s, 12);
    assert_formats(&s, "mon-sun 12:00-13:00");
    ui_wsched_toggle_cell(&s, 3, 12); /* one day off: the column fills again */
    ui_wsched_toggle_hour(&s, 12);
    assert_formats(&s, "mon-sun 12:00-13:00");
    ui_wsched_toggle_hour(&s, 12);
    assert_formats(&s, "");
    ui_wsched_toggle_day(&s, 9);   /* out of range */
    ui_wsched_toggle_hour(&s, 24); /* out of range */
    assert_formats(&s, "");
    s = parse("daily 00:00-24:00");
    ui_wsched_clear(&s);
    assert_formats(&s, "");
}

static void test_schedule_grid_keys_edit_and_show_the_canonical_text(void **state)
{
    (void)state;
    ui_keymap_reset();
    const struct reg_key *k = reg_find("spate.alt_speed_schedule");
    assert_non_null(k);
    char err[256] = "";
    struct ui_wsched_editor *ed = ui_wsched_open(k, "", NULL, err, sizeof err);
    assert_non_null(ed);
    assert_ptr_equal(ui_wsched_reg_key(ed), k);
    assert_string_equal(ui_wsched_value(ed), "");
    assert_false(ui_wsched_changed(ed));
    /* Mon 08:00 and 09:00 from Mon 00:00: eight times right, space, right, space */
    for (int i = 0; i < 8; i++)
        assert_int_equal(ui_wsched_key(ed, 'l'), UI_WSCHED_EDITING);
    ui_wsched_key(ed, ' ');
    ui_wsched_key(ed, UI_KEY_FN(KEY_RIGHT));
    ui_wsched_key(ed, ' ');
    assert_string_equal(ui_wsched_value(ed), "mon 08:00-10:00");
    assert_true(ui_wsched_changed(ed));
    /* down a day, r fills it; c fills the column of 09:00 */
    ui_wsched_key(ed, 'j');
    ui_wsched_key(ed, 'r');
    assert_string_equal(ui_wsched_value(ed), "mon 08:00-10:00; tue 00:00-24:00");
    ui_wsched_key(ed, 'r');
    ui_wsched_key(ed, 'c');
    assert_string_equal(ui_wsched_value(ed), "mon 08:00-10:00; tue-sun 09:00-10:00");
    /* the cursor stops at the edges */
    for (int i = 0; i < 30; i++) {
        ui_wsched_key(ed, 'h');
        ui_wsched_key(ed, 'k');
    }
    ui_wsched_key(ed, ' ');
    assert_string_equal(ui_wsched_value(ed),
                        "mon 00:00-01:00; mon 08:00-10:00; tue-sun 09:00-10:00");
    ui_wsched_key(ed, 'x');
    assert_string_equal(ui_wsched_value(ed), "");
    assert_false(ui_wsched_changed(ed));
    assert_int_equal(ui_wsched_key(ed, 'w'), UI_WSCHED_APPLY);
    assert_int_equal(ui_wsched_key(ed, UI_KEY_ESC), UI_WSCHED_CANCEL);
    assert_int_equal(ui_wsched_key(ed, '?'), UI_WSCHED_PASS);
    assert_int_equal(ui_wsched_key(ed, 'q'), UI_WSCHED_EDITING);
    ui_wsched_close(ed);
    ui_wsched_close(NULL);
}

static void test_schedule_grid_refuses_a_value_that_does_not_parse(void **state)
{
    (void)state;
    char err[256] = "";
    const struct reg_key *k = reg_find("spate.alt_speed_schedule");
    assert_null(ui_wsched_open(k, "mon 25:00-26:00", NULL, err, sizeof err));
    assert_non_null(strstr(err, "spate.alt_speed_schedule: "));
    struct ui_wsched_editor *ed = ui_wsched_open(k, "tue 08:30-09:15", "t", err, sizeof err);
    assert_non_null(ed);
    assert_string_equal(ui_wsched_value(ed), "tue 08:30-09:15");
    ui_wsched_close(ed);
}

/* ---- the keymap scopes ---------------------------------------------------------------- */

static void test_widget_scopes_have_help_rows_and_no_clashes(void **state)
{
    (void)state;
    ui_keymap_reset();
    enum ui_scope scopes[] = {UI_SCOPE_WLIST, UI_SCOPE_WSCHED};
    for (size_t s = 0; s < 2; s++) {
        const struct ui_action_info *a;
        char seen[64][32];
        size_t n_seen = 0, rows = 0;
        for (size_t i = 0; (a = ui_keymap_action_at(i)) != NULL; i++) {
            if (a->scope != scopes[s]) continue;
            rows++;
            char keys[64];
            /* every row of the scope has keys (so help lists it) */
            assert_true(ui_keymap_keys_for(a->scope, a->action, keys, sizeof keys) > 0);
            /* and no key label is on two of its rows */
            for (char *t = strtok(keys, ","); t; t = strtok(NULL, ",")) {
                while (*t == ' ')
                    t++;
                for (size_t j = 0; j < n_seen; j++)
                    assert_string_not_equal(seen[j], t);
                assert_true(n_seen < 64);
                snprintf(seen[n_seen++], sizeof seen[0], "%s", t);
            }
        }
        assert_true(rows >= 10);
    }
    /* the keys the widgets document */
    assert_int_equal(ui_keymap_lookup(UI_SCOPE_WLIST, 'a'), UI_ACT_WLIST_ADD);
    assert_int_equal(ui_keymap_lookup(UI_SCOPE_WLIST, 'e'), UI_ACT_WLIST_EDIT);
    assert_int_equal(ui_keymap_lookup(UI_SCOPE_WLIST, '\r'), UI_ACT_WLIST_EDIT);
    assert_int_equal(ui_keymap_lookup(UI_SCOPE_WLIST, 'd'), UI_ACT_WLIST_DELETE);
    assert_int_equal(ui_keymap_lookup(UI_SCOPE_WLIST, 'K'), UI_ACT_WLIST_MOVE_UP);
    assert_int_equal(ui_keymap_lookup(UI_SCOPE_WLIST, 'J'), UI_ACT_WLIST_MOVE_DOWN);
    assert_int_equal(ui_keymap_lookup(UI_SCOPE_WLIST, '['), UI_ACT_WLIST_TIER_PREV);
    assert_int_equal(ui_keymap_lookup(UI_SCOPE_WLIST, '>'), UI_ACT_WLIST_TIER_NEXT);
    assert_int_equal(ui_keymap_lookup(UI_SCOPE_WLIST, 'w'), UI_ACT_WLIST_APPLY);
    assert_int_equal(ui_keymap_lookup(UI_SCOPE_WLIST, UI_KEY_ESC), UI_ACT_CANCEL);
    assert_int_equal(ui_keymap_lookup(UI_SCOPE_WSCHED, ' '), UI_ACT_WSCHED_TOGGLE);
    assert_int_equal(ui_keymap_lookup(UI_SCOPE_WSCHED, 'r'), UI_ACT_WSCHED_DAY);
    assert_int_equal(ui_keymap_lookup(UI_SCOPE_WSCHED, 'c'), UI_ACT_WSCHED_HOUR);
    assert_int_equal(ui_keymap_lookup(UI_SCOPE_WSCHED, 'x'), UI_ACT_WSCHED_CLEAR);
    assert_int_equal(ui_keymap_lookup(UI_SCOPE_WSCHED, 'w'), UI_ACT_WSCHED_APPLY);
    assert_int_equal(ui_keymap_lookup(UI_SCOPE_WSCHED, UI_KEY_ESC), UI_ACT_CANCEL);
    /* the settings editor's own keys are not taken over by its widgets'
     * scopes: they are separate */
    assert_int_equal(ui_keymap_lookup(UI_SCOPE_SETTINGS, 'w'), UI_ACT_NONE);
    assert_int_equal(ui_keymap_lookup(UI_SCOPE_LIST, 'w'), UI_ACT_NONE);
    /* ^S is not bound: the terminal's flow control would stop its output */
    assert_int_equal(ui_keymap_lookup(UI_SCOPE_WLIST, UI_KEY_CTRL('s')), UI_ACT_NONE);
    assert_int_equal(ui_keymap_lookup(UI_SCOPE_WSCHED, UI_KEY_CTRL('s')), UI_ACT_NONE);
}

int main(void)
{
    setlocale(LC_ALL, "C.UTF-8");
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_list_editor_takes_list_types_and_list_flagged_keys),
        cmocka_unit_test(test_only_tracker_lists_have_tiers),
        cmocka_unit_test(test_split_trims_items_and_drops_empty_ones),
        cmocka_unit_test(test_split_reads_tiers_and_join_writes_them_back),
        cmocka_unit_test(test_without_tiers_a_bar_is_part_of_the_item),
        cmocka_unit_test(test_join_of_split_gives_normalized_text_back),
        cmocka_unit_test(test_split_again_replaces_the_items),
        cmocka_unit_test(test_insert_puts_comma_separated_items_in_place),
        cmocka_unit_test(test_insert_keeps_tier_order),
        cmocka_unit_test(test_replace_edits_an_item_in_its_tier),
        cmocka_unit_test(test_remove_drops_the_item_and_an_emptied_tier),
        cmocka_unit_test(test_move_swaps_inside_a_list_without_tiers),
        cmocka_unit_test(test_move_crosses_a_tier_edge_into_the_next_tier),
        cmocka_unit_test(test_to_tier_moves_between_tiers_and_makes_new_ones),
        cmocka_unit_test(test_split_tier_breaks_a_tier_and_joins_it_again),
        cmocka_unit_test(test_find_quoted_names_the_item_an_error_quotes),
        cmocka_unit_test(test_list_editor_keys_move_delete_apply_and_cancel),
        cmocka_unit_test(test_list_editor_failure_puts_the_cursor_on_the_bad_item),
        cmocka_unit_test(test_list_editor_tier_keys_change_tracker_tiers),
        cmocka_unit_test(test_list_value_of_tags_never_reads_as_an_edit),
        cmocka_unit_test(test_cells_show_active_inactive_and_partial_hours),
        cmocka_unit_test(test_grid_to_schedule_and_back_round_trips_through_the_text),
        cmocka_unit_test(test_a_partial_cell_keeps_its_minutes_from_the_base),
        cmocka_unit_test(test_toggling_a_cell_sets_or_clears_the_whole_hour),
        cmocka_unit_test(test_day_and_hour_toggles_fill_then_clear),
        cmocka_unit_test(test_schedule_grid_keys_edit_and_show_the_canonical_text),
        cmocka_unit_test(test_schedule_grid_refuses_a_value_that_does_not_parse),
        cmocka_unit_test(test_widget_scopes_have_help_rows_and_no_clashes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
