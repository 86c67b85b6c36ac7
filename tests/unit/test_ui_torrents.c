/*
 * test_ui_torrents.c — the pure part of the TUI torrent list
 * (src/ui/torrent_list.c): the category-or-tag filter, the text of the
 * category/tags column, and which columns a width keeps (the category/tags
 * column shown only when some torrent has labels, and dropped first).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <locale.h>
#include <string.h>

#include "ui/torrent_list.h"

/* ---- the filter ------------------------------------------------------------------- */

static void test_filter_empty_or_blank_passes_everything(void **state)
{
    (void)state;
    assert_true(ui_list_matches("", "", NULL));
    assert_true(ui_list_matches("", "", ""));
    assert_true(ui_list_matches("films", "a,b", "  "));
    assert_true(ui_list_matches(NULL, NULL, ""));
}

static void test_filter_matches_the_category_exactly(void **state)
{
    (void)state;
    assert_true(ui_list_matches("films", "", "films"));
    assert_true(ui_list_matches("films", "", "  films "));   /* outer blanks ignored */
    assert_false(ui_list_matches("films", "", "film"));      /* no prefix */
    assert_false(ui_list_matches("films", "", "ilms"));      /* no substring */
    assert_false(ui_list_matches("films", "", "Films"));     /* case counts, like spate ls */
    assert_false(ui_list_matches("", "", "films"));          /* none */
    assert_false(ui_list_matches("old films", "", "films")); /* the whole name */
}

static void test_filter_matches_a_tag_as_a_whole_item(void **state)
{
    (void)state;
    assert_true(ui_list_matches("", "a,b", "a"));
    assert_true(ui_list_matches("", "a,b", "b"));
    assert_true(ui_list_matches("", "linux, iso ,x", "iso")); /* blanks around items */
    assert_true(ui_list_matches("films", "hd", "hd"));        /* a tag of a categorized one */
    assert_false(ui_list_matches("", "ab,c", "a"));           /* not part of an item */
    assert_false(ui_list_matches("", "a,b", "a,b"));          /* one item, not the list */
    assert_false(ui_list_matches("", "a,b", ","));
    assert_false(ui_list_matches("", "", "a"));
    assert_false(ui_list_matches("", NULL, "a"));
    assert_true(ui_list_has_item("x,,y", "y", 1));
    assert_false(ui_list_has_item("x,,y", "", 0)); /* an empty item never matches */
}

/* ---- the labels column ------------------------------------------------------------ */

static void test_labels_show_category_then_tags_in_brackets(void **state)
{
    (void)state;
    char buf[64];
    assert_int_equal(ui_list_labels(buf, sizeof buf, "films", "a,b"), strlen("films [a,b]"));
    assert_string_equal(buf, "films [a,b]");
    ui_list_labels(buf, sizeof buf, "films", "");
    assert_string_equal(buf, "films");
    ui_list_labels(buf, sizeof buf, "", "a,b");
    assert_string_equal(buf, "[a,b]");
    ui_list_labels(buf, sizeof buf, "", "");
    assert_string_equal(buf, "");
    ui_list_labels(buf, sizeof buf, NULL, NULL);
    assert_string_equal(buf, "");
    char small[6];
    ui_list_labels(small, sizeof small, "films", "a");
    assert_string_equal(small, "films"); /* cut, terminated */
}

static void test_labels_column_width_is_clamped_and_absent_without_labels(void **state)
{
    (void)state;
    assert_int_equal(ui_list_labels_cols(0), 0);
    assert_int_equal(ui_list_labels_cols(1), UI_LIST_LABELS_MIN);
    assert_int_equal(ui_list_labels_cols(UI_LIST_LABELS_MIN + 2), UI_LIST_LABELS_MIN + 2);
    assert_int_equal(ui_list_labels_cols(500), UI_LIST_LABELS_MAX);
    /* the title fits the narrowest column */
    assert_true((int)strlen(ui_col_def(UI_COL_LABELS)->title) <= UI_LIST_LABELS_MIN);
}

/* ---- layout ---------------------------------------------------------------------- */

/* Columns used: the sum of the shown widths plus a blank before each but
 * the first. */
static int used(const struct ui_list_layout *l)
{
    int sum = 0, shown = 0;
    for (int c = 0; c < UI_COL__COUNT; c++)
        if (l->width[c] > 0) sum += l->width[c], shown++;
    return sum + (shown ? shown - 1 : 0);
}

static void test_layout_without_labels_never_shows_the_column(void **state)
{
    (void)state;
    for (int total = 20; total <= 300; total += 7) {
        struct ui_list_layout l;
        ui_list_layout(&l, total, 9, 0);
        assert_int_equal(l.width[UI_COL_LABELS], 0);
        assert_true(l.width[UI_COL_NAME] >= 1);
    }
}

static void test_layout_shows_labels_at_120_columns(void **state)
{
    (void)state;
    struct ui_list_layout l;
    ui_list_layout(&l, 120, 2, UI_LIST_LABELS_MIN);
    assert_int_equal(l.width[UI_COL_LABELS], UI_LIST_LABELS_MIN);
    assert_true(l.width[UI_COL_NAME] >= UI_LIST_NAME_MIN);
    assert_true(l.width[UI_COL_ID] > 0); /* nothing else had to go */
    assert_int_equal(l.width[UI_COL_PROGRESS], 17);
    assert_true(l.width[UI_COL_PEERS] > 0);
    assert_int_equal(used(&l), 120);
}

static void test_layout_drops_labels_first_and_80_columns_equal_no_labels(void **state)
{
    (void)state;
    struct ui_list_layout with, without;
    ui_list_layout(&with, 80, 2, UI_LIST_LABELS_MIN);
    ui_list_layout(&without, 80, 2, 0);
    assert_int_equal(with.width[UI_COL_LABELS], 0);
    assert_memory_equal(&with, &without, sizeof with); /* 80x24 reads as before */
    assert_true(with.width[UI_COL_NAME] >= UI_LIST_NAME_MIN);
    assert_true(used(&with) <= 80);
    /* the widest width that drops it still has the id (labels go first) */
    for (int total = 60; total <= 200; total++) {
        struct ui_list_layout l;
        ui_list_layout(&l, total, 2, UI_LIST_LABELS_MAX);
        if (l.width[UI_COL_LABELS] == 0) continue;
        /* shown: then nothing else was dropped and the name has room */
        assert_true(l.width[UI_COL_ID] > 0);
        assert_true(l.width[UI_COL_RATIO] > 0);
        assert_true(l.width[UI_COL_NAME] >= UI_LIST_NAME_MIN);
        assert_int_equal(used(&l), total);
    }
}

static void test_layout_fits_every_width(void **state)
{
    (void)state;
    for (int labels = 0; labels <= UI_LIST_LABELS_MAX; labels += UI_LIST_LABELS_MAX / 2) {
        for (int total = 20; total <= 250; total++) {
            struct ui_list_layout l;
            ui_list_layout(&l, total, 12345, ui_list_labels_cols(labels));
            /* the name may be squeezed to 1 on tiny terminals, never more
             * than the width */
            if (l.width[UI_COL_NAME] > 1) assert_int_equal(used(&l), total);
            assert_true(l.width[UI_COL_NAME] >= 1);
        }
    }
}

int main(void)
{
    setlocale(LC_ALL, "C.UTF-8");
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_filter_empty_or_blank_passes_everything),
        cmocka_unit_test(test_filter_matches_the_category_exactly),
        cmocka_unit_test(test_filter_matches_a_tag_as_a_whole_item),
        cmocka_unit_test(test_labels_show_category_then_tags_in_brackets),
        cmocka_unit_test(test_labels_column_width_is_clamped_and_absent_without_labels),
        cmocka_unit_test(test_layout_without_labels_never_shows_the_column),
        cmocka_unit_test(test_layout_shows_labels_at_120_columns),
        cmocka_unit_test(test_layout_drops_labels_first_and_80_columns_equal_no_labels),
        cmocka_unit_test(test_layout_fits_every_width),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
