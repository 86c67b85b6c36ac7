/*
 * test_ui_files_info.c — the pure parts of the TUI's Files and Info tabs:
 * the file tree view (src/ui/ftree.c: display order, pad files left
 * out, collapsing, directory sums and common priority, priority steps) and
 * the Info tab's text (src/ui/info_text.c: the pieces map, dates and
 * durations).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ui/ftree.h"
#include "ui/info_text.h"

/* ---- helpers ------------------------------------------------------------------------ */

/* The rows as "depth:name" joined by spaces, directories with a '/'. */
static void rows_text(const struct ui_ftree *ft, char *buf, size_t n)
{
    size_t k = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < ft->n_rows; i++) {
        uint32_t v = ft->rows[i];
        int r = snprintf(buf + k, n - k, "%s%u:%s%s", i ? " " : "", ft->depth[v],
                         ft->t.nodes[v].name, ui_ftree_is_dir(ft, v) ? "/" : "");
        assert_true(r > 0 && (size_t)r < n - k);
        k += (size_t)r;
    }
}

/* The node named `name` (unique in these tests), or fails. */
static uint32_t node(const struct ui_ftree *ft, const char *name)
{
    for (uint32_t v = 1; v < ft->t.n_nodes; v++)
        if (strcmp(ft->t.nodes[v].name, name) == 0) return v;
    fail_msg("no node %s", name);
    return 0;
}

/* A multi-file torrent "top" with a nested tree and a pad file:
 *   0 top/b.bin        100
 *   1 top/.pad/0        28  (pad)
 *   2 top/sub/z.txt     10
 *   3 top/sub/deep/y    20
 *   4 top/a.bin        200
 *   5 top/sub/x.txt     30 */
static const struct fs_file_in multi[] = {
    {"top/b.bin", 100, false},     {"top/.pad/0", 28, true},  {"top/sub/z.txt", 10, false},
    {"top/sub/deep/y", 20, false}, {"top/a.bin", 200, false}, {"top/sub/x.txt", 30, false},
};
#define N_MULTI (sizeof multi / sizeof multi[0])

/* ---- the tree ----------------------------------------------------------------------- */

static void test_tree_lists_directories_first_then_files_by_name(void **state)
{
    (void)state;
    struct ui_ftree ft;
    assert_int_equal(ui_ftree_build(&ft, multi, N_MULTI, true), 0);
    char text[512];
    rows_text(&ft, text, sizeof text);
    /* the torrent's own directory is not a row; the pad file is nowhere */
    assert_string_equal(text, "0:sub/ 1:deep/ 2:y 1:x.txt 1:z.txt 0:a.bin 0:b.bin");
    assert_int_equal(ft.n_rows, 7);
    assert_int_equal(ft.t.nodes[node(&ft, "a.bin")].file, 4);
    assert_int_equal(ft.t.nodes[node(&ft, "y")].file, 3);
    ui_ftree_free(&ft);
}

static void test_tree_of_a_single_file_torrent_is_one_row(void **state)
{
    (void)state;
    const struct fs_file_in one[] = {{"movie.mkv", 12345, false}};
    struct ui_ftree ft;
    assert_int_equal(ui_ftree_build(&ft, one, 1, false), 0);
    char text[128];
    rows_text(&ft, text, sizeof text);
    assert_string_equal(text, "0:movie.mkv");
    assert_false(ui_ftree_is_dir(&ft, ft.rows[0]));
    assert_int_equal(ft.t.nodes[ft.rows[0]].size, 12345);
    assert_false(ui_ftree_toggle(&ft, ft.rows[0])); /* a file does not collapse */
    assert_int_equal(ft.n_rows, 1);
    ui_ftree_free(&ft);
}

static void test_tree_hides_pad_files_in_every_directory(void **state)
{
    (void)state;
    const struct fs_file_in in[] = {
        {"t/a", 10, false},      {"t/.pad/6", 6, true}, {"t/d/b", 10, false},
        {"t/d/.pad/6", 6, true}, {"t/c", 10, false},
    };
    struct ui_ftree ft;
    assert_int_equal(ui_ftree_build(&ft, in, 5, true), 0);
    char text[256];
    rows_text(&ft, text, sizeof text);
    assert_string_equal(text, "0:d/ 1:b 0:a 0:c");
    assert_null(strstr(text, "pad"));
    /* the torrent's size without the pads */
    assert_int_equal(ft.t.nodes[0].size, 30);
    ui_ftree_free(&ft);
}

static void test_tree_collapse_hides_the_subtree_and_expand_restores_it(void **state)
{
    (void)state;
    struct ui_ftree ft;
    assert_int_equal(ui_ftree_build(&ft, multi, N_MULTI, true), 0);
    uint32_t sub = node(&ft, "sub"), deep = node(&ft, "deep");
    char text[512];

    assert_true(ui_ftree_toggle(&ft, deep));
    rows_text(&ft, text, sizeof text);
    assert_string_equal(text, "0:sub/ 1:deep/ 1:x.txt 1:z.txt 0:a.bin 0:b.bin");

    assert_true(ui_ftree_toggle(&ft, sub));
    rows_text(&ft, text, sizeof text);
    assert_string_equal(text, "0:sub/ 0:a.bin 0:b.bin");
    /* a hidden node's row is its outermost collapsed ancestor's */
    assert_int_equal(ui_ftree_row_of(&ft, node(&ft, "y")), 0);
    assert_int_equal(ui_ftree_row_of(&ft, node(&ft, "b.bin")), 2);

    /* expanding sub shows deep still collapsed */
    assert_true(ui_ftree_toggle(&ft, sub));
    rows_text(&ft, text, sizeof text);
    assert_string_equal(text, "0:sub/ 1:deep/ 1:x.txt 1:z.txt 0:a.bin 0:b.bin");
    assert_int_equal(ui_ftree_row_of(&ft, node(&ft, "y")), 1);
    assert_int_equal(ui_ftree_row_of(&ft, node(&ft, "z.txt")), 3);

    assert_true(ui_ftree_toggle(&ft, deep));
    assert_int_equal(ft.n_rows, 7);
    assert_int_equal(ui_ftree_row_of(&ft, node(&ft, "y")), 2);
    ui_ftree_free(&ft);
}

static void collect(int file, void *ud)
{
    int *v = ud;
    v[++v[0]] = file;
}

static void test_tree_each_file_visits_the_files_below_a_node(void **state)
{
    (void)state;
    struct ui_ftree ft;
    assert_int_equal(ui_ftree_build(&ft, multi, N_MULTI, true), 0);
    int got[16] = {0};
    ui_ftree_each_file(&ft, node(&ft, "sub"), collect, got);
    assert_int_equal(got[0], 3);
    assert_int_equal(got[1], 3); /* deep/y, then x.txt, z.txt */
    assert_int_equal(got[2], 5);
    assert_int_equal(got[3], 2);
    /* collapsing changes nothing about what is below */
    ui_ftree_toggle(&ft, node(&ft, "sub"));
    memset(got, 0, sizeof got);
    ui_ftree_each_file(&ft, node(&ft, "sub"), collect, got);
    assert_int_equal(got[0], 3);
    memset(got, 0, sizeof got);
    ui_ftree_each_file(&ft, node(&ft, "a.bin"), collect, got);
    assert_int_equal(got[0], 1);
    assert_int_equal(got[1], 4);
    memset(got, 0, sizeof got);
    ui_ftree_each_file(&ft, 0, collect, got);
    assert_int_equal(got[0], 5); /* every file but the pad */
    ui_ftree_free(&ft);
}

/* ---- directory sums ------------------------------------------------------------------ */

static void test_directories_sum_sizes_and_bytes_done(void **state)
{
    (void)state;
    struct ui_ftree ft;
    assert_int_equal(ui_ftree_build(&ft, multi, N_MULTI, true), 0);
    /* the pad's figures must not count */
    const int64_t done[N_MULTI] = {50, 28, 10, 5, 0, 15};
    const int prio[N_MULTI] = {4, 0, 4, 4, 4, 4};
    ui_ftree_aggregate(&ft, done, prio);
    uint32_t sub = node(&ft, "sub"), deep = node(&ft, "deep");
    assert_int_equal(ft.t.nodes[sub].size, 60);
    assert_int_equal(ft.done[sub], 30);
    assert_int_equal(ft.done[deep], 5);
    assert_int_equal(ft.done[0], 80);
    assert_int_equal(ft.t.nodes[0].size, 360);
    assert_true(ui_ftree_fraction(&ft, sub) == 0.5);
    assert_true(ui_ftree_fraction(&ft, node(&ft, "z.txt")) == 1.0);
    assert_true(ui_ftree_fraction(&ft, node(&ft, "a.bin")) == 0.0);
    ui_ftree_free(&ft);
}

static void test_an_empty_file_counts_as_complete(void **state)
{
    (void)state;
    const struct fs_file_in in[] = {{"t/empty", 0, false}, {"t/full", 8, false}};
    struct ui_ftree ft;
    assert_int_equal(ui_ftree_build(&ft, in, 2, true), 0);
    const int64_t done[2] = {0, 8};
    ui_ftree_aggregate(&ft, done, NULL);
    assert_true(ui_ftree_fraction(&ft, node(&ft, "empty")) == 1.0);
    assert_true(ui_ftree_fraction(&ft, 0) == 1.0);
    ui_ftree_free(&ft);
}

static void test_directory_priority_is_common_or_mixed(void **state)
{
    (void)state;
    struct ui_ftree ft;
    assert_int_equal(ui_ftree_build(&ft, multi, N_MULTI, true), 0);
    uint32_t sub = node(&ft, "sub"), deep = node(&ft, "deep");

    /* all normal (the pad, skipped, does not make it mixed) */
    int prio[N_MULTI] = {4, 0, 4, 4, 4, 4};
    ui_ftree_aggregate(&ft, NULL, prio);
    assert_int_equal(ft.prio[sub], UI_PRIO_NORMAL);
    assert_int_equal(ft.prio[0], UI_PRIO_NORMAL);
    assert_string_equal(ui_prio_name(ft.prio[sub]), "normal");

    /* one file below sub high: sub and the root mixed, deep not */
    prio[5] = 7;
    ui_ftree_aggregate(&ft, NULL, prio);
    assert_int_equal(ft.prio[sub], UI_PRIO_MIXED);
    assert_int_equal(ft.prio[deep], UI_PRIO_NORMAL);
    assert_int_equal(ft.prio[0], UI_PRIO_MIXED);
    assert_string_equal(ui_prio_name(ft.prio[sub]), "mixed");
    assert_int_equal(ft.prio[node(&ft, "x.txt")], UI_PRIO_HIGH);

    /* all of sub skipped: sub skip, the root still mixed */
    prio[2] = prio[3] = prio[5] = 0;
    ui_ftree_aggregate(&ft, NULL, prio);
    assert_int_equal(ft.prio[sub], UI_PRIO_SKIP);
    assert_int_equal(ft.prio[deep], UI_PRIO_SKIP);
    assert_int_equal(ft.prio[0], UI_PRIO_MIXED);

    /* an unreadable priority makes its directory mixed */
    prio[3] = -5;
    ui_ftree_aggregate(&ft, NULL, prio);
    assert_int_equal(ft.prio[deep], UI_PRIO_MIXED);
    assert_int_equal(ft.prio[sub], UI_PRIO_MIXED);
    ui_ftree_free(&ft);
}

/* ---- priority steps ------------------------------------------------------------------ */

static void test_priority_steps_skip_low_normal_high(void **state)
{
    (void)state;
    assert_int_equal(ui_prio_up(0), 1);
    assert_int_equal(ui_prio_up(1), 4);
    assert_int_equal(ui_prio_up(4), 7);
    assert_int_equal(ui_prio_up(7), 7);
    assert_int_equal(ui_prio_down(7), 4);
    assert_int_equal(ui_prio_down(4), 1);
    assert_int_equal(ui_prio_down(1), 0);
    assert_int_equal(ui_prio_down(0), 0);
    /* libtorrent's in-between values go to the next step that way */
    assert_int_equal(ui_prio_up(2), 4);
    assert_int_equal(ui_prio_up(3), 4);
    assert_int_equal(ui_prio_up(5), 7);
    assert_int_equal(ui_prio_up(6), 7);
    assert_int_equal(ui_prio_down(6), 4);
    assert_int_equal(ui_prio_down(5), 4);
    assert_int_equal(ui_prio_down(3), 1);
    assert_int_equal(ui_prio_down(2), 1);
}

static void test_skip_toggles_between_skip_and_normal(void **state)
{
    (void)state;
    assert_int_equal(ui_prio_skip_toggle(0), 4);
    assert_int_equal(ui_prio_skip_toggle(4), 0);
    assert_int_equal(ui_prio_skip_toggle(7), 0);
    assert_int_equal(ui_prio_skip_toggle(1), 0);
    assert_int_equal(ui_prio_skip_toggle(UI_PRIO_MIXED), 0); /* some are wanted: skip all */
}

static void test_priority_names(void **state)
{
    (void)state;
    assert_string_equal(ui_prio_name(0), "skip");
    assert_string_equal(ui_prio_name(1), "low");
    assert_string_equal(ui_prio_name(4), "normal");
    assert_string_equal(ui_prio_name(7), "high");
    assert_string_equal(ui_prio_name(5), "5");
    assert_string_equal(ui_prio_name(UI_PRIO_MIXED), "mixed");
    assert_string_equal(ui_prio_name(UI_PRIO_NONE), "-");
    assert_string_equal(ui_prio_name(8), "-");
}

/* ---- the pieces map ------------------------------------------------------------------- */

/* The map of `pieces` ("h" have, "d" downloading, "-" missing) on `cells`
 * cells, as the glyphs the tab draws. */
static void map_text(const char *pieces, int cells, char *out)
{
    uint8_t p[256] = {0};
    int n = (int)strlen(pieces);
    for (int i = 0; i < n; i++)
        p[i] = pieces[i] == 'h' ? UI_PIECE_HAVE_BIT : pieces[i] == 'd' ? UI_PIECE_DL_BIT : 0;
    enum ui_piece_cell cell[256];
    ui_pieces_map(p, n, cell, cells);
    for (int c = 0; c < cells; c++)
        out[c] = ui_piece_glyph(cell[c]);
    out[cells] = '\0';
}

static void test_pieces_map_one_cell_per_piece(void **state)
{
    (void)state;
    char m[64];
    map_text("hhd--h", 6, m);
    assert_string_equal(m, "##>..#");
}

static void test_pieces_map_fewer_cells_than_pieces(void **state)
{
    (void)state;
    char m[64];
    /* 10 pieces on 5 cells, two each: hh h- d- -- -- */
    map_text("hhh-d-----", 5, m);
    assert_string_equal(m, "#+>..");
    map_text("hhhhhhhh", 4, m);
    assert_string_equal(m, "####");
    /* downloading wins over partly had; all had wins over all */
    map_text("hdhh", 2, m);
    assert_string_equal(m, ">#");
    /* 7 pieces on 3 cells: [0,2) [2,4) [4,7) */
    map_text("--hh-h-", 3, m);
    assert_string_equal(m, ".#+");
    /* everything on one cell */
    map_text("hhhhhhh-", 1, m);
    assert_string_equal(m, "+");
    map_text("hhhhhhhh", 1, m);
    assert_string_equal(m, "#");
}

static void test_pieces_map_more_cells_than_pieces(void **state)
{
    (void)state;
    char m[64];
    /* 3 pieces on 9 cells: each piece three cells */
    map_text("hd-", 9, m);
    assert_string_equal(m, "###>>>...");
    /* 2 pieces on 5 cells: cells 0-2 piece 0 (c*2/5 = 0,0,0,1,1) */
    map_text("h-", 5, m);
    assert_string_equal(m, "###..");
    /* one piece fills the bar */
    map_text("d", 7, m);
    assert_string_equal(m, ">>>>>>>");
}

static void test_pieces_map_without_pieces_is_all_missing(void **state)
{
    (void)state;
    enum ui_piece_cell cell[4];
    ui_pieces_map(NULL, 0, cell, 4);
    for (int c = 0; c < 4; c++)
        assert_int_equal(cell[c], UI_CELL_MISSING);
}

static void test_pieces_map_of_many_pieces_counts_every_one(void **state)
{
    (void)state;
    /* 100000 pieces on 80 cells: a single missing piece shows as partial */
    int n = 100000;
    uint8_t *p = malloc((size_t)n);
    assert_non_null(p);
    memset(p, UI_PIECE_HAVE_BIT, (size_t)n);
    p[n - 1] = 0;
    enum ui_piece_cell cell[80];
    ui_pieces_map(p, n, cell, 80);
    for (int c = 0; c < 79; c++)
        assert_int_equal(cell[c], UI_CELL_HAVE);
    assert_int_equal(cell[79], UI_CELL_PARTIAL);
    free(p);
}

/* ---- dates and durations -------------------------------------------------------------- */

static void test_dates_in_local_time_and_none(void **state)
{
    (void)state;
    char b[64];
    setenv("TZ", "UTC", 1);
    tzset();
    assert_int_equal(ui_info_date(b, sizeof b, 1714566896), 16);
    assert_string_equal(b, "2024-05-01 12:34");
    setenv("TZ", "CET-1", 1); /* UTC+1, no summer time */
    tzset();
    ui_info_date(b, sizeof b, 1714566896);
    assert_string_equal(b, "2024-05-01 13:34");
    ui_info_date(b, sizeof b, 0);
    assert_string_equal(b, "-");
    ui_info_date(b, sizeof b, -5);
    assert_string_equal(b, "-");
    /* a short buffer gives "" rather than half a date */
    char s[8];
    ui_info_date(s, sizeof s, 1714566896);
    assert_string_equal(s, "");
    setenv("TZ", "UTC", 1);
    tzset();
}

static void test_durations_have_two_units(void **state)
{
    (void)state;
    char b[32];
    ui_info_duration(b, sizeof b, 0);
    assert_string_equal(b, "0s");
    ui_info_duration(b, sizeof b, 59);
    assert_string_equal(b, "59s");
    ui_info_duration(b, sizeof b, 65);
    assert_string_equal(b, "1m 05s");
    ui_info_duration(b, sizeof b, 3600 + 120 + 7);
    assert_string_equal(b, "1h 02m");
    ui_info_duration(b, sizeof b, 3 * 86400 + 4 * 3600 + 59);
    assert_string_equal(b, "3d 04h");
    /* no cap: a long-seeding torrent shows its days */
    ui_info_duration(b, sizeof b, 1234LL * 86400 + 5 * 3600);
    assert_string_equal(b, "1234d 05h");
    ui_info_duration(b, sizeof b, -1);
    assert_string_equal(b, "-");
    char s[4];
    assert_int_equal(ui_info_duration(s, sizeof s, 65), 3);
    assert_string_equal(s, "1m ");
}

int main(void)
{
    setlocale(LC_ALL, "C.UTF-8");
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tree_lists_directories_first_then_files_by_name),
        cmocka_unit_test(test_tree_of_a_single_file_torrent_is_one_row),
        cmocka_unit_test(test_tree_hides_pad_files_in_every_directory),
        cmocka_unit_test(test_tree_collapse_hides_the_subtree_and_expand_restores_it),
        cmocka_unit_test(test_tree_each_file_visits_the_files_below_a_node),
        cmocka_unit_test(test_directories_sum_sizes_and_bytes_done),
        cmocka_unit_test(test_an_empty_file_counts_as_complete),
        cmocka_unit_test(test_directory_priority_is_common_or_mixed),
        cmocka_unit_test(test_priority_steps_skip_low_normal_high),
        cmocka_unit_test(test_skip_toggles_between_skip_and_normal),
        cmocka_unit_test(test_priority_names),
        cmocka_unit_test(test_pieces_map_one_cell_per_piece),
        cmocka_unit_test(test_pieces_map_fewer_cells_than_pieces),
        cmocka_unit_test(test_pieces_map_more_cells_than_pieces),
        cmocka_unit_test(test_pieces_map_without_pieces_is_all_missing),
        cmocka_unit_test(test_pieces_map_of_many_pieces_counts_every_one),
        cmocka_unit_test(test_dates_in_local_time_and_none),
        cmocka_unit_test(test_durations_have_two_units),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
