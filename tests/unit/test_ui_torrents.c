/*
 * test_ui_torrents.c — the pure part of the TUI torrent list
 * (src/ui/list.c): the category-or-tag filter, the text of the
 * category/tags column, which columns a width keeps (the added date and
 * the category/tags column dropped first; 80 columns keep name, progress,
 * state and rates), the name filter (case-insensitive, UTF-8), the views,
 * the sort orders (each key, both directions, spate.ui_sort's text) and
 * the marks.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <locale.h>
#include <string.h>

#include "ui/list.h"

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
    /* the item matcher itself (ui_list_has_item, now util_list_has) is
     * tested in test_util_str.c */
    assert_true(ui_list_matches("", "x,,y", "y"));
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

static void test_layout_80_columns_keep_name_progress_state_and_rates(void **state)
{
    (void)state;
    struct ui_list_layout l;
    ui_list_layout(&l, 80, 3, UI_LIST_LABELS_MIN);
    assert_true(l.width[UI_COL_MARK] == 1);
    assert_true(l.width[UI_COL_NAME] >= UI_LIST_NAME_MIN);
    assert_true(l.width[UI_COL_PROGRESS] > 0);
    assert_true(l.bar_cells > 0); /* a bar, not just a percent */
    assert_true(l.width[UI_COL_STATE] > 0);
    assert_true(l.width[UI_COL_DOWN] > 0);
    assert_true(l.width[UI_COL_UP] > 0);
    /* the least important went */
    assert_int_equal(l.width[UI_COL_ADDED], 0);
    assert_int_equal(l.width[UI_COL_LABELS], 0);
    assert_int_equal(l.width[UI_COL_RATIO], 0);
    assert_true(used(&l) <= 80);
}

static void test_layout_shows_the_added_date_on_wide_terminals_and_drops_it_first(void **state)
{
    (void)state;
    struct ui_list_layout l;
    ui_list_layout(&l, 160, 3, UI_LIST_LABELS_MIN);
    assert_int_equal(l.width[UI_COL_ADDED], 10);
    assert_int_equal(l.width[UI_COL_LABELS], UI_LIST_LABELS_MIN);
    /* wherever something is dropped, the added date is among it */
    for (int total = 40; total <= 200; total++) {
        ui_list_layout(&l, total, 3, UI_LIST_LABELS_MIN);
        bool dropped = l.width[UI_COL_LABELS] == 0 || l.width[UI_COL_ID] == 0;
        if (dropped) assert_int_equal(l.width[UI_COL_ADDED], 0);
        assert_int_equal(l.width[UI_COL_MARK], 1); /* the mark never goes */
    }
}

/* ---- the name filter ---------------------------------------------------------------- */

static void test_name_filter_is_a_case_insensitive_substring(void **state)
{
    (void)state;
    assert_true(ui_list_name_matches("Debian-12.iso", ""));
    assert_true(ui_list_name_matches("Debian-12.iso", NULL));
    assert_true(ui_list_name_matches("Debian-12.iso", "debian"));
    assert_true(ui_list_name_matches("Debian-12.iso", "AN-1"));
    assert_true(ui_list_name_matches("Debian-12.iso", ".iso"));
    assert_true(ui_list_name_matches("Debian-12.iso", "Debian-12.iso"));
    assert_false(ui_list_name_matches("Debian-12.iso", "debian-13"));
    assert_false(ui_list_name_matches("Debian-12.iso", "Debian-12.iso!"));
    assert_false(ui_list_name_matches("", "a"));
    assert_true(ui_list_name_matches("a b", " ")); /* blanks count as typed */
    /* a match after a partial one at the same start ("aab" in "aaab") */
    assert_true(ui_list_name_matches("aaab", "aab"));
}

static void test_name_filter_folds_non_ascii_case_per_character(void **state)
{
    (void)state;
    /* "Ética Ñandú" and "ÉTICA" */
    assert_true(ui_list_name_matches("\xc3\x89tica \xc3\x91"
                                     "and\xc3\xba",
                                     "\xc3\xa9tica"));
    assert_true(ui_list_name_matches("\xc3\xa9tica", "\xc3\x89TICA"));
    assert_true(ui_list_name_matches("\xc3\x89tica \xc3\x91"
                                     "and\xc3\xba",
                                     "\xc3\xb1"
                                     "AND\xc3\x9a"));
    /* Cyrillic: "Привет" found by "ПРИВ" */
    assert_true(ui_list_name_matches("\xd0\x9f\xd1\x80\xd0\xb8\xd0\xb2\xd0\xb5\xd1\x82",
                                     "\xd0\x9f\xd0\xa0\xd0\x98\xd0\x92"));
    /* CJK has no case: found as it is, not by a part of a character */
    assert_true(ui_list_name_matches("\xe4\xb8\xad\xe6\x96\x87.mkv", "\xe6\x96\x87"));
    assert_false(ui_list_name_matches("\xe4\xb8\xad\xe6\x96\x87.mkv", "\xe6"));
    /* e and é are different letters */
    assert_false(ui_list_name_matches("etica", "\xc3\xa9tica"));
    /* broken bytes in a name do not break the search */
    assert_true(ui_list_name_matches("ab\xff"
                                     "cd",
                                     "cd"));
    assert_false(ui_list_name_matches("ab\xff"
                                      "cd",
                                      "bc"));
}

/* ---- torrents for views and sorting --------------------------------------------------- */

static struct eng_torrent tor(int id, const char *name, enum eng_state st)
{
    return (struct eng_torrent){
        .id = id,
        .name = name,
        .state = st,
        .has_metadata = true,
        .category = "",
        .tags = "",
        .eta_s = -1,
        .queue_pos = -1,
        .user_paused = st == ENG_STATE_PAUSED,
    };
}

static void test_views_pick_torrents_by_state(void **state)
{
    (void)state;
    struct eng_torrent dl = tor(1, "dl", ENG_STATE_DOWNLOADING);
    struct eng_torrent meta = tor(2, "meta", ENG_STATE_METADATA);
    meta.has_metadata = false;
    struct eng_torrent seed = tor(3, "seed", ENG_STATE_SEEDING);
    seed.progress = 1.0;
    struct eng_torrent paused = tor(4, "paused", ENG_STATE_PAUSED);
    struct eng_torrent paused_done = tor(5, "paused done", ENG_STATE_PAUSED);
    paused_done.progress = 1.0;
    struct eng_torrent err = tor(6, "err", ENG_STATE_DOWNLOADING);
    err.error = "disk full";
    struct eng_torrent queued = tor(7, "queued", ENG_STATE_QUEUED);
    struct eng_torrent fin = tor(8, "finished", ENG_STATE_FINISHED);
    fin.progress = 1.0;
    struct eng_torrent *all[] = {&dl, &meta, &seed, &paused, &paused_done, &err, &queued, &fin};
    struct {
        enum ui_view v;
        const char *name;
        bool want[8];
    } cases[] = {
        {UI_VIEW_ALL, "all", {1, 1, 1, 1, 1, 1, 1, 1}},
        {UI_VIEW_DOWNLOADING, "downloading", {1, 1, 0, 0, 0, 0, 1, 0}},
        {UI_VIEW_SEEDING, "seeding", {0, 0, 1, 0, 0, 0, 0, 0}},
        {UI_VIEW_PAUSED, "paused", {0, 0, 0, 1, 1, 0, 0, 0}},
        {UI_VIEW_FINISHED, "finished", {0, 0, 1, 0, 1, 0, 0, 1}},
        {UI_VIEW_ERROR, "error", {0, 0, 0, 0, 0, 1, 0, 0}},
        {UI_VIEW_ACTIVE, "active", {0, 0, 0, 0, 0, 0, 0, 0}},
    };
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        assert_string_equal(ui_view_name(cases[c].v), cases[c].name);
        for (size_t i = 0; i < 8; i++) {
            if (ui_view_has(cases[c].v, all[i]) != cases[c].want[i])
                fail_msg("view %s, torrent %s", cases[c].name, all[i]->name);
        }
    }
    /* active: a rate either way */
    seed.up_rate = 10;
    dl.down_rate = 1;
    assert_true(ui_view_has(UI_VIEW_ACTIVE, &seed));
    assert_true(ui_view_has(UI_VIEW_ACTIVE, &dl));
    assert_false(ui_view_has(UI_VIEW_ACTIVE, &paused));
    /* the error state's text */
    assert_string_equal(ui_list_state_text(&err), "error");
    assert_string_equal(ui_list_state_text(&dl), "downloading");
}

static void test_views_cycle_both_ways(void **state)
{
    (void)state;
    assert_int_equal(ui_view_step(UI_VIEW_ALL, 1), UI_VIEW_DOWNLOADING);
    assert_int_equal(ui_view_step(UI_VIEW_ACTIVE, 1), UI_VIEW_ALL);
    assert_int_equal(ui_view_step(UI_VIEW_ALL, -1), UI_VIEW_ACTIVE);
    enum ui_view v = UI_VIEW_ALL;
    for (int i = 0; i < UI_VIEW__COUNT; i++)
        v = ui_view_step(v, 1);
    assert_int_equal(v, UI_VIEW_ALL);
    assert_null(ui_view_name(UI_VIEW__COUNT));
}

/* ---- sorting ------------------------------------------------------------------------- */

/* Three torrents whose order differs for every key: for key k, want[k]
 * is the ascending order of their ids. */
static void test_sort_orders_by_every_key_both_ways(void **state)
{
    (void)state;
    struct eng_torrent a = tor(1, "bravo", ENG_STATE_DOWNLOADING);
    struct eng_torrent b = tor(2, "Alpha", ENG_STATE_SEEDING);
    struct eng_torrent c = tor(3, "charlie", ENG_STATE_PAUSED);
    a.queue_pos = 1, b.queue_pos = -1, c.queue_pos = 0;
    a.wanted_bytes = 300, b.wanted_bytes = 100, c.wanted_bytes = 200;
    a.progress = 0.5, b.progress = 1.0, c.progress = 0.1;
    a.down_rate = 50, b.down_rate = 0, c.down_rate = 10;
    a.up_rate = 5, b.up_rate = 90, c.up_rate = 0;
    a.eta_s = 60; /* c is paused: no ETA, last; b seeds: no ETA */
    a.ratio = 0.5, b.ratio = 2.0, c.ratio = 0.0;
    a.peers = 3, b.peers = 3, c.peers = 1;
    a.seeds = 1, b.seeds = 0; /* a and b tie on peers: seeds decide */
    a.added_time = 300, b.added_time = 100, c.added_time = 200;
    const struct {
        enum ui_sort s;
        const char *name;
        int want[3];
    } cases[] = {
        {UI_SORT_QUEUE, "queue", {3, 1, 2}}, /* 0, 1, then out of the queue */
        {UI_SORT_NAME, "name", {2, 1, 3}},   /* case ignored: Alpha, bravo, charlie */
        {UI_SORT_SIZE, "size", {2, 3, 1}},   /* 100, 200, 300 */
        {UI_SORT_PROGRESS, "progress", {3, 1, 2}},
        {UI_SORT_STATE, "state", {1, 3, 2}}, /* downloading, paused, seeding */
        {UI_SORT_DOWN, "down", {2, 3, 1}},
        {UI_SORT_UP, "up", {3, 1, 2}},
        {UI_SORT_ETA, "eta", {1, 2, 3}}, /* 60 s, then the unknown ones by id */
        {UI_SORT_RATIO, "ratio", {3, 1, 2}},
        {UI_SORT_PEERS, "peers", {3, 2, 1}}, /* 1, then 3/0 before 3/1 */
        {UI_SORT_ADDED, "added", {2, 3, 1}},
    };
    assert_int_equal(sizeof cases / sizeof cases[0], UI_SORT__COUNT);
    for (size_t k = 0; k < UI_SORT__COUNT; k++) {
        assert_string_equal(ui_sort_name(cases[k].s), cases[k].name);
        for (int desc = 0; desc < 2; desc++) {
            const struct eng_torrent *rows[3] = {&c, &a, &b};
            ui_sort_rows(rows, 3, cases[k].s, desc);
            for (int i = 0; i < 3; i++) {
                int want = cases[k].want[desc ? 2 - i : i];
                if (rows[i]->id != want)
                    fail_msg("sort %s%s: row %d is %d, want %d", cases[k].name, desc ? ":desc" : "",
                             i, rows[i]->id, want);
            }
        }
    }
}

static void test_sort_ties_go_by_id_and_reverse_exactly(void **state)
{
    (void)state;
    struct eng_torrent t[4];
    for (int i = 0; i < 4; i++)
        t[i] = tor(i + 1, "same", ENG_STATE_PAUSED);
    for (int s = 0; s < UI_SORT__COUNT; s++) {
        const struct eng_torrent *rows[4] = {&t[2], &t[0], &t[3], &t[1]};
        ui_sort_rows(rows, 4, (enum ui_sort)s, false);
        for (int i = 0; i < 4; i++)
            assert_int_equal(rows[i]->id, i + 1);
        ui_sort_rows(rows, 4, (enum ui_sort)s, true);
        for (int i = 0; i < 4; i++)
            assert_int_equal(rows[i]->id, 4 - i);
        assert_true(ui_sort_cmp(&t[0], &t[0], (enum ui_sort)s, false) == 0);
    }
    /* names: case-folded first, then by bytes, so "a" and "A" differ */
    struct eng_torrent x = tor(1, "a", ENG_STATE_PAUSED), y = tor(2, "A", ENG_STATE_PAUSED);
    assert_true(ui_sort_cmp(&x, &y, UI_SORT_NAME, false) > 0);
    struct eng_torrent p = tor(3, "ab", ENG_STATE_PAUSED), q = tor(4, "B", ENG_STATE_PAUSED);
    assert_true(ui_sort_cmp(&p, &q, UI_SORT_NAME, false) < 0);
    /* no metadata sorts as the smallest size */
    struct eng_torrent m = tor(5, "magnet", ENG_STATE_METADATA);
    m.has_metadata = false;
    m.wanted_bytes = 0;
    struct eng_torrent z = tor(6, "empty", ENG_STATE_PAUSED);
    assert_true(ui_sort_cmp(&m, &z, UI_SORT_SIZE, false) < 0);
}

static void test_sort_setting_text_round_trips(void **state)
{
    (void)state;
    enum ui_sort s;
    bool desc;
    char buf[32];
    for (int i = 0; i < UI_SORT__COUNT; i++) {
        for (int d = 0; d < 2; d++) {
            ui_sort_format(buf, sizeof buf, (enum ui_sort)i, d);
            assert_int_equal(ui_sort_parse(buf, &s, &desc), 0);
            assert_int_equal(s, i);
            assert_int_equal(desc, d);
        }
    }
    ui_sort_format(buf, sizeof buf, UI_SORT_NAME, true);
    assert_string_equal(buf, "name:desc");
    ui_sort_format(buf, sizeof buf, UI_SORT_QUEUE, false);
    assert_string_equal(buf, "queue");
    assert_int_equal(ui_sort_parse(" Size:ASC ", &s, &desc), 0);
    assert_int_equal(s, UI_SORT_SIZE);
    assert_false(desc);
    /* bad text: -EINVAL and the default */
    const char *bad[] = {"", "nam", "name:", "name:down", "name:desc:x", "speed", NULL};
    for (int i = 0; bad[i]; i++) {
        s = UI_SORT_ETA;
        desc = true;
        assert_int_equal(ui_sort_parse(bad[i], &s, &desc), -EINVAL);
        assert_int_equal(s, UI_SORT_QUEUE);
        assert_false(desc);
    }
    assert_int_equal(ui_sort_parse(NULL, &s, &desc), -EINVAL);
    /* the column that shows each key; the queue has none */
    assert_int_equal(ui_sort_col(UI_SORT_QUEUE), UI_COL__COUNT);
    assert_int_equal(ui_sort_col(UI_SORT_NAME), UI_COL_NAME);
    assert_int_equal(ui_sort_col(UI_SORT_ADDED), UI_COL_ADDED);
}

/* ---- marks --------------------------------------------------------------------------- */

static bool odd(int id, void *ud)
{
    (void)ud;
    return id % 2 == 1;
}

static void test_marks_are_a_set_of_ids(void **state)
{
    (void)state;
    struct ui_marks m = {0};
    assert_false(ui_marks_has(&m, 1));
    for (int id = 40; id >= 1; id--) /* out of order, past the first allocation */
        assert_int_equal(ui_marks_set(&m, id, true), 0);
    assert_int_equal(m.n, 40);
    for (size_t i = 1; i < m.n; i++)
        assert_true(m.ids[i - 1] < m.ids[i]);       /* kept sorted */
    assert_int_equal(ui_marks_set(&m, 7, true), 0); /* twice: once */
    assert_int_equal(m.n, 40);
    assert_int_equal(ui_marks_set(&m, 7, false), 0);
    assert_false(ui_marks_has(&m, 7));
    assert_int_equal(ui_marks_set(&m, 7, false), 0); /* not there: fine */
    assert_int_equal(m.n, 39);
    /* dropped for torrents that went (here: the even ids) */
    assert_int_equal(ui_marks_keep(&m, odd, NULL), 20);
    assert_int_equal(m.n, 19);
    assert_true(ui_marks_has(&m, 1));
    assert_false(ui_marks_has(&m, 2));
    ui_marks_clear(&m);
    assert_int_equal(m.n, 0);
    assert_false(ui_marks_has(&m, 1));
    ui_marks_free(&m);
    ui_marks_free(&m); /* twice is fine */
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
        cmocka_unit_test(test_layout_80_columns_keep_name_progress_state_and_rates),
        cmocka_unit_test(test_layout_shows_the_added_date_on_wide_terminals_and_drops_it_first),
        cmocka_unit_test(test_name_filter_is_a_case_insensitive_substring),
        cmocka_unit_test(test_name_filter_folds_non_ascii_case_per_character),
        cmocka_unit_test(test_views_pick_torrents_by_state),
        cmocka_unit_test(test_views_cycle_both_ways),
        cmocka_unit_test(test_sort_orders_by_every_key_both_ways),
        cmocka_unit_test(test_sort_ties_go_by_id_and_reverse_exactly),
        cmocka_unit_test(test_sort_setting_text_round_trips),
        cmocka_unit_test(test_marks_are_a_set_of_ids),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
