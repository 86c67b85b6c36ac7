/*
 * test_ui_peers_trackers.c — the pure parts of the detail area's Peers and
 * Trackers tabs (src/ui/pane_peers.c, src/ui/pane_trackers.c): a peer's
 * flag letters and connection text, the order of the peers, the columns
 * each width keeps, a tracker's status and "next announce" texts, the
 * tracker list rebuilt for an edit or a removal with its tiers, and what
 * the add and edit prompts accept as a URL.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include "ui/pane_peers.h"
#include "ui/pane_trackers.h"

/* ---- peer flags ------------------------------------------------------------------- */

static const char *flags_of(const struct eng_peer *p)
{
    static char buf[UI_PEER_FLAGS_LEN];
    ui_peer_flags(p, buf, sizeof buf);
    return buf;
}

static void test_peer_flags_download_and_upload_follow_interest_and_chokes(void **state)
{
    (void)state;
    struct eng_peer p = {0};
    assert_string_equal(flags_of(&p), "");
    /* we are interested: D when it unchokes us, d when it chokes us */
    p.interesting = true;
    assert_string_equal(flags_of(&p), "D");
    p.remote_choked = true;
    assert_string_equal(flags_of(&p), "d");
    /* it is interested: U when we unchoke it, u when we choke it */
    p = (struct eng_peer){.remote_interested = true};
    assert_string_equal(flags_of(&p), "U");
    p.choked = true;
    assert_string_equal(flags_of(&p), "u");
    /* chokes alone, without interest, say nothing */
    p = (struct eng_peer){.choked = true, .remote_choked = true};
    assert_string_equal(flags_of(&p), "");
    p = (struct eng_peer){.interesting = true, .remote_interested = true};
    assert_string_equal(flags_of(&p), "DU");
}

static void test_peer_flags_have_a_fixed_order(void **state)
{
    (void)state;
    struct eng_peer p = {
        .interesting = true,
        .remote_interested = true,
        .choked = true,
        .optimistic = true,
        .snubbed = true,
        .incoming = true,
        .encrypted = true,
        .utp = true,
        .from_pex = true,
        .from_dht = true,
        .from_lsd = true,
        .from_tracker = true,
        .from_resume = true, /* no letter */
        .seed = true,        /* no letter: the progress says it */
    };
    assert_string_equal(flags_of(&p), "DuOSIEPXHLT");
    assert_true(strlen(flags_of(&p)) < UI_PEER_FLAGS_LEN);
    p = (struct eng_peer){.incoming = true, .ssl = true, .from_tracker = true};
    assert_string_equal(flags_of(&p), "IET"); /* SSL counts as encrypted */

    /* a small buffer gets a cut, terminated string */
    char small[3];
    p = (struct eng_peer){.interesting = true, .incoming = true, .utp = true, .from_dht = true};
    assert_int_equal(ui_peer_flags(&p, small, sizeof small), 2);
    assert_string_equal(small, "DI");
}

static void test_peer_flag_legend_explains_every_letter(void **state)
{
    (void)state;
    const char *legend = ui_peer_flag_legend();
    const char *letters = "DdUuOSIEPXHLT";
    for (const char *c = letters; *c; c++) {
        char line[3] = {*c, '\t', 0};
        /* each at the start of a line */
        const char *at = strstr(legend, line);
        assert_non_null(at);
        assert_true(at == legend || at[-1] == '\n');
    }
    assert_int_equal(legend[strlen(legend) - 1], '\n');
}

static void test_peer_conn_names_transport_and_encryption(void **state)
{
    (void)state;
    struct eng_peer p = {0};
    assert_string_equal(ui_peer_conn(&p), "TCP");
    p.utp = true;
    assert_string_equal(ui_peer_conn(&p), "uTP");
    p.encrypted = true;
    assert_string_equal(ui_peer_conn(&p), "uTP+enc");
    p.utp = false;
    assert_string_equal(ui_peer_conn(&p), "TCP+enc");
    p.ssl = true;
    assert_string_equal(ui_peer_conn(&p), "TCP+SSL");
    p.utp = true;
    assert_string_equal(ui_peer_conn(&p), "uTP+SSL");
}

/* ---- peer order ------------------------------------------------------------------- */

static void test_peer_addresses_compare_numbers_as_numbers(void **state)
{
    (void)state;
    assert_true(ui_peer_addr_cmp("10.0.0.9:6881", "10.0.0.10:6881") < 0);
    assert_true(ui_peer_addr_cmp("10.0.0.10:6881", "10.0.0.9:6881") > 0);
    assert_true(ui_peer_addr_cmp("1.2.3.4:999", "1.2.3.4:6881") < 0);
    assert_true(ui_peer_addr_cmp("1.2.3.4:6881", "1.2.3.4:6881") == 0);
    assert_true(ui_peer_addr_cmp("2.0.0.1:1", "10.0.0.1:1") < 0);
    assert_true(ui_peer_addr_cmp("1.2.3.4:1", "1.2.3.4:1x") < 0); /* a prefix first */
    assert_true(ui_peer_addr_cmp("[::1]:80", "[::2]:80") < 0);
    assert_true(ui_peer_addr_cmp("", "") == 0);
}

static void test_peers_sort_by_down_rate_then_address_stably(void **state)
{
    (void)state;
    struct eng_peer v[6] = {
        {.addr = "10.0.0.10:1", .down_rate = 100}, {.addr = "10.0.0.9:1", .down_rate = 100},
        {.addr = "1.1.1.1:1", .down_rate = 0},     {.addr = "9.9.9.9:1", .down_rate = 5000},
        {.addr = "1.1.1.1:1", .down_rate = 0}, /* equal to [2]: by index */
        {.addr = "0.0.0.1:1", .down_rate = 0},
    };
    size_t order[6];
    ui_peers_sort(v, 6, order);
    const size_t want[6] = {3, 1, 0, 5, 2, 4};
    for (size_t i = 0; i < 6; i++)
        assert_int_equal(order[i], want[i]);
    /* the same again: nothing moves */
    size_t again[6];
    ui_peers_sort(v, 6, again);
    assert_memory_equal(order, again, sizeof order);
    /* empty and single lists */
    ui_peers_sort(v, 0, order);
    ui_peers_sort(v, 1, order);
    assert_int_equal(order[0], 0);
}

/* ---- peer columns ----------------------------------------------------------------- */

static int peer_used(const struct ui_peer_layout *l)
{
    int sum = 0, shown = 0;
    for (int c = 0; c < UI_PCOL__COUNT; c++)
        if (l->width[c] > 0) sum += l->width[c], shown++;
    return sum + (shown ? shown - 1 : 0);
}

static void test_peer_layout_shows_everything_at_120_and_drops_totals_at_80(void **state)
{
    (void)state;
    struct ui_peer_layout l;
    ui_peer_layout(&l, 120);
    for (int c = 0; c < UI_PCOL__COUNT; c++)
        assert_true(l.width[c] > 0);
    assert_int_equal(l.width[UI_PCOL_ADDR], UI_PEER_ADDR_COLS);
    assert_true(l.width[UI_PCOL_CLIENT] >= 20);
    assert_true(peer_used(&l) <= 120);

    ui_peer_layout(&l, 80);
    assert_int_equal(l.width[UI_PCOL_UPLOADED], 0);
    assert_int_equal(l.width[UI_PCOL_DOWNLOADED], 0);
    assert_int_equal(l.width[UI_PCOL_CONN], 0);
    assert_true(l.width[UI_PCOL_FLAGS] > 0);
    assert_true(l.width[UI_PCOL_DOWN] > 0 && l.width[UI_PCOL_UP] > 0);
    assert_true(l.width[UI_PCOL_PROGRESS] > 0);
    assert_true(l.width[UI_PCOL_CLIENT] >= UI_PEER_CLIENT_MIN);
    assert_int_equal(peer_used(&l), 80);

    /* a very wide terminal: the client stops growing */
    ui_peer_layout(&l, 400);
    assert_int_equal(l.width[UI_PCOL_CLIENT], UI_PEER_CLIENT_MAX);
}

static void test_peer_layout_fits_every_width_and_keeps_the_address(void **state)
{
    (void)state;
    for (int total = 1; total <= 300; total++) {
        struct ui_peer_layout l;
        ui_peer_layout(&l, total);
        assert_true(peer_used(&l) <= total);
        assert_true(l.width[UI_PCOL_ADDR] >= 1);
        if (l.width[UI_PCOL_CLIENT] > 0) assert_true(l.width[UI_PCOL_CLIENT] >= UI_PEER_CLIENT_MIN);
    }
    assert_true(strlen(ui_peer_col_title(UI_PCOL_DOWNLOADED)) <= 10);
    assert_true(ui_peer_col_right(UI_PCOL_DOWN));
    assert_false(ui_peer_col_right(UI_PCOL_ADDR));
}

/* ---- tracker texts ---------------------------------------------------------------- */

static void test_tracker_status_texts(void **state)
{
    (void)state;
    assert_string_equal(ui_tracker_status_text(ENG_TRACKER_WORKING), "working");
    assert_string_equal(ui_tracker_status_text(ENG_TRACKER_UPDATING), "updating");
    assert_string_equal(ui_tracker_status_text(ENG_TRACKER_ERROR), "error");
    assert_string_equal(ui_tracker_status_text(ENG_TRACKER_NOT_CONTACTED), "not contacted");
    assert_string_equal(ui_tracker_status_text(ENG_TRACKER_DISABLED), "disabled");
    assert_string_equal(ui_tracker_status_text((enum eng_tracker_status)99), "?");
}

static const char *next_of(enum eng_tracker_status st, int64_t s)
{
    static char buf[UI_TRACKER_NEXT_LEN];
    struct eng_tracker t = {.status = st, .next_announce_s = s};
    ui_tracker_next_text(buf, sizeof buf, &t);
    return buf;
}

static void test_tracker_next_announce_text(void **state)
{
    (void)state;
    assert_string_equal(next_of(ENG_TRACKER_WORKING, -1), "-");
    assert_string_equal(next_of(ENG_TRACKER_WORKING, 0), "now");
    assert_string_equal(next_of(ENG_TRACKER_WORKING, 1), "in 1s");
    assert_string_equal(next_of(ENG_TRACKER_WORKING, 59), "in 59s");
    assert_string_equal(next_of(ENG_TRACKER_WORKING, 60), "in 1m");
    assert_string_equal(next_of(ENG_TRACKER_WORKING, 28 * 60 + 59), "in 28m");
    assert_string_equal(next_of(ENG_TRACKER_ERROR, 3599), "in 59m");
    assert_string_equal(next_of(ENG_TRACKER_WORKING, 3720), "in 1h02m");
    assert_string_equal(next_of(ENG_TRACKER_WORKING, 3 * 86400 + 4 * 3600), "in 3d04h");
    /* updating: it is announcing now; disabled: never */
    assert_string_equal(next_of(ENG_TRACKER_UPDATING, 1800), "now");
    assert_string_equal(next_of(ENG_TRACKER_DISABLED, 1800), "-");
    /* the widest fits the column and the buffer */
    assert_true(strlen(next_of(ENG_TRACKER_WORKING, 23 * 3600 + 59 * 60)) <= 9);
    char tiny[4];
    struct eng_tracker t = {.status = ENG_TRACKER_WORKING, .next_announce_s = 3720};
    assert_int_equal(ui_tracker_next_text(tiny, sizeof tiny, &t), 3);
    assert_string_equal(tiny, "in ");
}

static void test_tracker_scrape_counts_show_a_dash_when_unknown(void **state)
{
    (void)state;
    char buf[16];
    ui_tracker_count_text(buf, sizeof buf, -1);
    assert_string_equal(buf, "-");
    ui_tracker_count_text(buf, sizeof buf, 0);
    assert_string_equal(buf, "0");
    assert_int_equal(ui_tracker_count_text(buf, sizeof buf, 12345), 5);
    assert_string_equal(buf, "12345");
}

/* ---- the tracker list for edit and remove ----------------------------------------- */

static char *join(const struct eng_tracker *v, size_t n, size_t at, const char *replace)
{
    char *s = ui_trackers_join(v, n, at, replace);
    assert_non_null(s);
    return s;
}

#define EXPECT_JOIN(want, v, n, at, replace)                                                       \
    do {                                                                                           \
        char *got_ = join(v, n, at, replace);                                                      \
        assert_string_equal(got_, want);                                                           \
        free(got_);                                                                                \
    } while (0)

static void test_trackers_join_keeps_tiers(void **state)
{
    (void)state;
    struct eng_tracker v[4] = {
        {.url = "http://a/announce", .tier = 0},
        {.url = "http://b/announce", .tier = 0},
        {.url = "udp://c:80", .tier = 1},
        {.url = "http://d/announce", .tier = 3}, /* a gap: still its own tier */
    };
    /* as it is */
    EXPECT_JOIN("http://a/announce,http://b/announce|udp://c:80|http://d/announce", v, 4, 4, NULL);
    /* an edit keeps the tracker's tier and place */
    EXPECT_JOIN("http://a/announce,http://x/announce|udp://c:80|http://d/announce", v, 4, 1,
                "http://x/announce");
    EXPECT_JOIN("http://a/announce,http://b/announce|udp://y:81|http://d/announce", v, 4, 2,
                "udp://y:81");
    /* a removal drops it; a tier left empty goes with it */
    EXPECT_JOIN("http://b/announce|udp://c:80|http://d/announce", v, 4, 0, NULL);
    EXPECT_JOIN("http://a/announce,http://b/announce|http://d/announce", v, 4, 2, NULL);
    EXPECT_JOIN("http://a/announce,http://b/announce|udp://c:80", v, 4, 3, NULL);
    /* the last one removed: no trackers */
    EXPECT_JOIN("", v, 1, 0, NULL);
    EXPECT_JOIN("", v, 0, 0, NULL);
}

static void test_trackers_join_groups_tiers_listed_out_of_order(void **state)
{
    (void)state;
    struct eng_tracker v[4] = {
        {.url = "u2", .tier = 2},
        {.url = "u0", .tier = 0},
        {.url = "u2b", .tier = 2},
        {.url = "u0b", .tier = 0},
    };
    EXPECT_JOIN("u0,u0b|u2,u2b", v, 4, 4, NULL);
    EXPECT_JOIN("u0,u0b|X,u2b", v, 4, 0, "X");
    EXPECT_JOIN("u0b|u2,u2b", v, 4, 1, NULL);
}

/* ---- what the prompts accept ------------------------------------------------------ */

static void test_tracker_url_is_trimmed_and_one_url_only(void **state)
{
    (void)state;
    char buf[64];
    assert_int_equal(ui_tracker_url_clean("  http://a/announce \t", buf, sizeof buf), 0);
    assert_string_equal(buf, "http://a/announce");
    assert_int_equal(ui_tracker_url_clean("", buf, sizeof buf), -ENODATA);
    assert_int_equal(ui_tracker_url_clean("   ", buf, sizeof buf), -ENODATA);
    assert_int_equal(ui_tracker_url_clean(NULL, buf, sizeof buf), -ENODATA);
    assert_int_equal(ui_tracker_url_clean("http://a,http://b", buf, sizeof buf), -EINVAL);
    assert_int_equal(ui_tracker_url_clean("http://a|http://b", buf, sizeof buf), -EINVAL);
    assert_int_equal(ui_tracker_url_clean("http://a http://b", buf, sizeof buf), -EINVAL);
    char small[8];
    assert_int_equal(ui_tracker_url_clean("http://a/announce", small, sizeof small), -ENAMETOOLONG);
}

/* ---- tracker columns -------------------------------------------------------------- */

static int tracker_used(const struct ui_tracker_layout *l)
{
    int sum = 0, shown = 0;
    for (int c = 0; c < UI_TCOL__COUNT; c++)
        if (l->width[c] > 0) sum += l->width[c], shown++;
    return sum + (shown ? shown - 1 : 0);
}

static void test_tracker_layout_at_120_and_80(void **state)
{
    (void)state;
    struct ui_tracker_layout l;
    ui_tracker_layout(&l, 120);
    for (int c = 0; c < UI_TCOL__COUNT; c++)
        assert_true(l.width[c] > 0);
    assert_true(l.width[UI_TCOL_URL] >= 50);
    assert_int_equal(tracker_used(&l), 120);
    assert_true(l.width[UI_TCOL_STATUS] >= (int)strlen("not contacted"));

    ui_tracker_layout(&l, 80);
    assert_int_equal(l.width[UI_TCOL_DOWNLOADED], 0); /* the first to go */
    assert_true(l.width[UI_TCOL_STATUS] > 0 && l.width[UI_TCOL_NEXT] > 0);
    assert_true(l.width[UI_TCOL_FAILS] > 0 && l.width[UI_TCOL_TIER] > 0);
    assert_true(l.width[UI_TCOL_URL] >= UI_TRACKER_URL_MIN);
    assert_int_equal(tracker_used(&l), 80);
}

static void test_tracker_layout_fits_every_width(void **state)
{
    (void)state;
    for (int total = 1; total <= 300; total++) {
        struct ui_tracker_layout l;
        ui_tracker_layout(&l, total);
        assert_true(l.width[UI_TCOL_URL] >= 1);
        if (total >= UI_TRACKER_URL_MIN) {
            assert_int_equal(tracker_used(&l), total);
            assert_true(l.width[UI_TCOL_URL] >= UI_TRACKER_URL_MIN);
        } else {
            assert_true(tracker_used(&l) <= total);
        }
    }
    assert_string_equal(ui_tracker_col_title(UI_TCOL_URL), "URL");
    assert_true(ui_tracker_col_right(UI_TCOL_SEEDS));
}

int main(void)
{
    setlocale(LC_ALL, "C.UTF-8");
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_peer_flags_download_and_upload_follow_interest_and_chokes),
        cmocka_unit_test(test_peer_flags_have_a_fixed_order),
        cmocka_unit_test(test_peer_flag_legend_explains_every_letter),
        cmocka_unit_test(test_peer_conn_names_transport_and_encryption),
        cmocka_unit_test(test_peer_addresses_compare_numbers_as_numbers),
        cmocka_unit_test(test_peers_sort_by_down_rate_then_address_stably),
        cmocka_unit_test(test_peer_layout_shows_everything_at_120_and_drops_totals_at_80),
        cmocka_unit_test(test_peer_layout_fits_every_width_and_keeps_the_address),
        cmocka_unit_test(test_tracker_status_texts),
        cmocka_unit_test(test_tracker_next_announce_text),
        cmocka_unit_test(test_tracker_scrape_counts_show_a_dash_when_unknown),
        cmocka_unit_test(test_trackers_join_keeps_tiers),
        cmocka_unit_test(test_trackers_join_groups_tiers_listed_out_of_order),
        cmocka_unit_test(test_tracker_url_is_trimmed_and_one_url_only),
        cmocka_unit_test(test_tracker_layout_at_120_and_80),
        cmocka_unit_test(test_tracker_layout_fits_every_width),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
