/*
 * test_ipfilter.c — IP filter rules (src/engine/ipfilter.h): inline lists
 * (addresses, CIDRs, ranges, the errors and their rollback), their
 * normalized spelling, eMule ipfilter.dat and PeerGuardian P2P blocklist
 * files, and range lookup at the boundaries. Blocklist files are written
 * to a mkdtemp directory under /tmp that the group teardown removes.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "engine/ipfilter.h"

/* ---- helpers ---------------------------------------------------------------- */

static char g_dir[64]; /* the group's scratch directory */

static int group_setup(void **state)
{
    (void)state;
    strcpy(g_dir, "/tmp/spate-ipfilter-XXXXXX");
    return mkdtemp(g_dir) ? 0 : -1;
}

static int group_teardown(void **state)
{
    (void)state;
    DIR *d = opendir(g_dir);
    if (d) {
        struct dirent *e;
        char p[512];
        while ((e = readdir(d)))
            if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) {
                snprintf(p, sizeof p, "%s/%s", g_dir, e->d_name);
                unlink(p);
            }
        closedir(d);
    }
    return rmdir(g_dir);
}

/* Writes len bytes of data to g_dir/name; returns the path (static). */
static const char *write_file(const char *name, const char *data, size_t len)
{
    static char path[256];
    snprintf(path, sizeof path, "%s/%s", g_dir, name);
    FILE *fp = fopen(path, "wb");
    assert_non_null(fp);
    assert_int_equal(fwrite(data, 1, len, fp), len);
    assert_int_equal(fclose(fp), 0);
    return path;
}

static const char *write_text(const char *name, const char *text)
{
    return write_file(name, text, strlen(text));
}

/* An address as 16 bytes (IPv4 in the first 4, the rest zero). */
static bool addr(const char *text, uint8_t out[16])
{
    memset(out, 0, 16);
    bool v6 = strchr(text, ':') != NULL;
    assert_int_equal(inet_pton(v6 ? AF_INET6 : AF_INET, text, out), 1);
    return v6;
}

static void assert_range(const struct ipf_range *r, const char *first, const char *last)
{
    uint8_t a[16], b[16];
    bool v6 = addr(first, a);
    assert_int_equal(addr(last, b), v6);
    assert_int_equal(r->v6, v6);
    assert_memory_equal(r->first, a, 16);
    assert_memory_equal(r->last, b, 16);
}

/* Parses a list that must give exactly one range, first-last. */
static void assert_one(const char *list, const char *first, const char *last)
{
    struct ipf f = {0};
    char err[256];
    assert_int_equal(ipf_parse_list(&f, list, err, sizeof err), 0);
    assert_string_equal(err, "");
    assert_int_equal(f.n, 1);
    assert_range(&f.r[0], first, last);
    ipf_free(&f);
}

/* A bad list must fail with -EINVAL, name `names` in err and leave a list
 * that already holds ranges exactly as it was. */
static void assert_bad(const char *list, const char *names)
{
    struct ipf f = {0};
    char err[256];
    assert_int_equal(ipf_parse_list(&f, "192.0.2.0/24, 2001:db8::/32", err, sizeof err), 0);
    struct ipf_range before[2];
    memcpy(before, f.r, sizeof before);
    size_t cap = f.cap;

    assert_int_equal(ipf_parse_list(&f, list, err, sizeof err), -EINVAL);
    if (!strstr(err, names)) fail_msg("err \"%s\" does not name \"%s\"", err, names);
    assert_null(strchr(err, '\n'));
    assert_int_equal(f.n, 2);
    assert_int_equal(f.cap, cap);
    assert_memory_equal(f.r, before, sizeof before);
    ipf_free(&f);
}

static void assert_norm(const char *list, const char *want)
{
    char out[512], err[256];
    assert_int_equal(ipf_normalize_list(list, out, sizeof out, err, sizeof err), 0);
    assert_string_equal(out, want);
    assert_string_equal(err, "");
}

static bool contains(const struct ipf *f, const char *text)
{
    uint8_t a[16];
    bool v6 = addr(text, a);
    return ipf_contains(f, a, v6);
}

/* ---- ipf_parse_list: what is accepted ------------------------------------------ */

static void test_parse_ipv4_address_is_a_one_address_range(void **state)
{
    (void)state;
    assert_one("10.0.0.1", "10.0.0.1", "10.0.0.1");
    assert_one("255.255.255.255", "255.255.255.255", "255.255.255.255");
    assert_one("0.0.0.0", "0.0.0.0", "0.0.0.0");
}

static void test_parse_ipv6_address_is_a_one_address_range(void **state)
{
    (void)state;
    assert_one("::1", "::1", "::1");
    assert_one("2001:DB8:0:0:0:0:0:1", "2001:db8::1", "2001:db8::1");
    assert_one("::ffff:10.0.0.1", "::ffff:10.0.0.1", "::ffff:10.0.0.1"); /* mapped: IPv6 */
}

static void test_parse_ipv4_cidr_covers_the_block(void **state)
{
    (void)state;
    assert_one("10.0.0.0/8", "10.0.0.0", "10.255.255.255");
    assert_one("192.168.4.0/22", "192.168.4.0", "192.168.7.255");
    assert_one("172.16.0.0/12", "172.16.0.0", "172.31.255.255");
}

static void test_parse_non_canonical_cidr_clears_host_bits(void **state)
{
    (void)state;
    assert_one("10.1.2.3/8", "10.0.0.0", "10.255.255.255");
    assert_one("192.168.5.77/22", "192.168.4.0", "192.168.7.255");
    assert_one("2001:db8:abcd::1/33", "2001:db8:8000::", "2001:db8:ffff:ffff:ffff:ffff:ffff:ffff");
}

static void test_parse_prefix_zero_covers_the_whole_family(void **state)
{
    (void)state;
    assert_one("1.2.3.4/0", "0.0.0.0", "255.255.255.255");
    assert_one("::/0", "::", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff");
}

static void test_parse_full_prefix_is_a_single_address(void **state)
{
    (void)state;
    assert_one("10.9.8.7/32", "10.9.8.7", "10.9.8.7");
    assert_one("2001:db8::5/128", "2001:db8::5", "2001:db8::5");
    assert_one("10.9.8.7/31", "10.9.8.6", "10.9.8.7");
}

static void test_parse_ipv6_cidr_covers_the_block(void **state)
{
    (void)state;
    assert_one("fd00::/8", "fd00::", "fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff");
    assert_one("2001:db8::/127", "2001:db8::", "2001:db8::1");
}

static void test_parse_ranges_of_both_families(void **state)
{
    (void)state;
    assert_one("192.168.1.5-192.168.1.9", "192.168.1.5", "192.168.1.9");
    assert_one("10.0.0.1-10.0.0.1", "10.0.0.1", "10.0.0.1");
    assert_one("2001:db8::1-2001:db8::ff", "2001:db8::1", "2001:db8::ff");
    assert_one("1.2.3.4 - 1.2.3.9", "1.2.3.4", "1.2.3.9"); /* spaces around '-' */
    assert_one("1.2.3.4 -1.2.3.9", "1.2.3.4", "1.2.3.9");
    assert_one("1.2.3.4-\n1.2.3.9", "1.2.3.4", "1.2.3.9");
}

static void test_parse_all_separators_and_empty_entries(void **state)
{
    (void)state;
    struct ipf f = {0};
    char err[256];
    assert_int_equal(
        ipf_parse_list(&f, " ,,10.0.0.1;;\n::1\t10.0.0.0/8 ,\r\n1.1.1.1-1.1.1.2,", err, sizeof err),
        0);
    assert_int_equal(f.n, 4);
    assert_range(&f.r[0], "10.0.0.1", "10.0.0.1");
    assert_range(&f.r[1], "::1", "::1");
    assert_range(&f.r[2], "10.0.0.0", "10.255.255.255");
    assert_range(&f.r[3], "1.1.1.1", "1.1.1.2");
    ipf_free(&f);
}

static void test_parse_empty_list_adds_nothing(void **state)
{
    (void)state;
    struct ipf f = {0};
    char err[256] = "junk";
    assert_int_equal(ipf_parse_list(&f, "", err, sizeof err), 0);
    assert_string_equal(err, "");
    assert_int_equal(ipf_parse_list(&f, " ,; \n\t", err, sizeof err), 0);
    assert_int_equal(ipf_parse_list(&f, NULL, err, sizeof err), 0);
    assert_int_equal(f.n, 0);
    ipf_free(&f);
}

static void test_parse_appends_to_ranges_already_there(void **state)
{
    (void)state;
    struct ipf f = {0};
    assert_int_equal(ipf_parse_list(&f, "10.0.0.1", NULL, 0), 0);
    assert_int_equal(ipf_parse_list(&f, "10.0.0.2, ::2", NULL, 0), 0);
    assert_int_equal(f.n, 3);
    assert_range(&f.r[0], "10.0.0.1", "10.0.0.1");
    assert_range(&f.r[2], "::2", "::2");
    /* many entries: the list grows past its first allocation */
    char big[40 * 1000] = "";
    for (int i = 0; i < 1000; i++)
        snprintf(big + strlen(big), sizeof big - strlen(big), "10.%d.%d.0/24,", i / 256, i % 256);
    assert_int_equal(ipf_parse_list(&f, big, NULL, 0), 0);
    assert_int_equal(f.n, 1003);
    assert_range(&f.r[1002], "10.3.231.0", "10.3.231.255");
    ipf_free(&f);
    assert_null(f.r);
    assert_int_equal(f.n, 0);
    ipf_free(&f); /* twice is harmless */
    ipf_free(NULL);
}

/* ---- ipf_parse_list: what is refused --------------------------------------------- */

static void test_parse_rejects_octet_above_255(void **state)
{
    (void)state;
    assert_bad("10.0.0.1, 10.0.0.256", "\"10.0.0.256\"");
    assert_bad("256.1.1.1/8", "\"256.1.1.1/8\"");
    assert_bad("1.1.1.1-1.1.1.300", "\"1.1.1.1-1.1.1.300\"");
}

static void test_parse_rejects_prefix_too_long_or_malformed(void **state)
{
    (void)state;
    assert_bad("10.0.0.0/33", "above 32");
    assert_bad("fd00::/129", "above 128");
    assert_bad("10.0.0.0/", "\"10.0.0.0/\"");
    assert_bad("10.0.0.0/-1", "\"10.0.0.0/-1\"");
    assert_bad("10.0.0.0/+8", "\"10.0.0.0/+8\"");
    assert_bad("10.0.0.0/0008", "\"10.0.0.0/0008\"");
    assert_bad("10.0.0.0/8/8", "\"10.0.0.0/8/8\"");
    assert_bad("/8", "\"/8\"");
}

static void test_parse_rejects_incomplete_addresses(void **state)
{
    (void)state;
    assert_bad("1.2.3", "\"1.2.3\"");
    assert_bad("1.2.3.", "\"1.2.3.\"");
    assert_bad("1.2.3.4.5", "\"1.2.3.4.5\"");
    assert_bad("1..3.4", "\"1..3.4\"");
    assert_bad("2001:db8:::1", "\"2001:db8:::1\"");
    assert_bad("fe80::1%eth0", "\"fe80::1%eth0\"");
}

static void test_parse_rejects_words_as_range_ends(void **state)
{
    (void)state;
    assert_bad("a-b", "\"a-b\"");
    assert_bad("1.2.3.4-", "\"1.2.3.4-\"");
    assert_bad("-1.2.3.4", "\"-1.2.3.4\"");
    assert_bad("1.2.3.4--1.2.3.5", "\"1.2.3.4--1.2.3.5\"");
    assert_bad("1.2.3.4-1.2.3.5-1.2.3.6", "\"1.2.3.4-1.2.3.5-1.2.3.6\"");
    assert_bad("1.2.3.0/24-1.2.4.0", "\"1.2.3.0/24-1.2.4.0\"");
    assert_bad("localhost", "\"localhost\"");
}

static void test_parse_rejects_reversed_range(void **state)
{
    (void)state;
    assert_bad("10.0.0.9-10.0.0.1", "above its end");
    assert_bad("2001:db8::2-2001:db8::1", "above its end");
}

static void test_parse_rejects_range_mixing_families(void **state)
{
    (void)state;
    assert_bad("10.0.0.1-::ffff:10.0.0.9", "mix IPv4 and IPv6");
    assert_bad("::1-10.0.0.1", "mix IPv4 and IPv6");
}

static void test_parse_rejects_trailing_junk(void **state)
{
    (void)state;
    assert_bad("10.0.0.1x", "\"10.0.0.1x\"");
    assert_bad("10.0.0.0/8x", "\"10.0.0.0/8x\"");
    assert_bad("10.0.0.1-10.0.0.2.", "\"10.0.0.1-10.0.0.2.\"");
    assert_bad("::1g", "\"::1g\"");
    assert_bad("10.0.0.1/32\x01", "\"10.0.0.1/32?\""); /* control bytes shown as '?' */
}

static void test_parse_rejects_leading_zeros_inline(void **state)
{
    (void)state;
    /* 010 is 8 to inet_aton and 10 to eMule: too ambiguous to guess */
    assert_bad("010.0.0.1", "leading zeros");
}

static void test_parse_error_names_the_first_bad_entry_and_rolls_back(void **state)
{
    (void)state;
    struct ipf f = {0};
    char err[256];
    assert_int_equal(ipf_parse_list(&f, "1.1.1.1, 2.2.2.2, bogus, 1.2.3", err, sizeof err),
                     -EINVAL);
    assert_non_null(strstr(err, "\"bogus\""));
    assert_null(strstr(err, "1.2.3\""));
    assert_int_equal(f.n, 0); /* the good entries before it are not kept */
    assert_null(f.r);
    ipf_free(&f);
    assert_bad("1.1.1.1, 2.2.2.2, bogus", "\"bogus\"");
    /* a long entry is cut in the message, which stays one line */
    char longe[300];
    memset(longe, '7', sizeof longe - 1);
    longe[sizeof longe - 1] = '\0';
    assert_int_equal(ipf_parse_list(&f, longe, err, sizeof err), -EINVAL);
    assert_true(strlen(err) < 120);
    assert_non_null(strstr(err, "...\""));
    /* err may be absent or tiny */
    assert_int_equal(ipf_parse_list(&f, "x", NULL, 0), -EINVAL);
    assert_int_equal(ipf_parse_list(&f, "x", err, 1), -EINVAL);
    assert_string_equal(err, "");
}

static void test_parse_random_input_never_crashes(void **state)
{
    (void)state;
    /* a cheap fuzz over the characters that matter; every list either
     * parses or fails cleanly, and its normalized form parses to the same
     * set of blocked addresses' ends */
    static const char alphabet[] = "0123456789abcdef:./-,; \n%xF";
    unsigned seed = 12345;
    char list[48], out[1024], err[256];
    for (int iter = 0; iter < 20000; iter++) {
        size_t n = (size_t)(iter % (int)(sizeof list - 1));
        for (size_t i = 0; i < n; i++) {
            seed = seed * 1103515245u + 12345u;
            list[i] = alphabet[(seed >> 16) % (sizeof alphabet - 1)];
        }
        list[n] = '\0';
        struct ipf f = {0}, g = {0};
        int rc = ipf_parse_list(&f, list, err, sizeof err);
        assert_true(rc == 0 || rc == -EINVAL);
        int nr = ipf_normalize_list(list, out, sizeof out, err, sizeof err);
        assert_int_equal(nr, rc);
        if (rc == 0) {
            assert_int_equal(ipf_parse_list(&g, out, err, sizeof err), 0);
            for (size_t i = 0; i < f.n; i++) {
                assert_true(ipf_contains(&g, f.r[i].first, f.r[i].v6));
                assert_true(ipf_contains(&g, f.r[i].last, f.r[i].v6));
            }
        } else {
            assert_int_equal(f.n, 0);
        }
        ipf_free(&f);
        ipf_free(&g);
    }
}

/* ---- ipf_normalize_list ------------------------------------------------------- */

static void test_normalize_rewrites_each_entry_canonically(void **state)
{
    (void)state;
    assert_norm("10.1.2.3/8", "10.0.0.0/8");
    assert_norm("10.9.8.7/32", "10.9.8.7");
    assert_norm("2001:DB8:0:0::1/128", "2001:db8::1");
    assert_norm("2001:0db8:0000::0001", "2001:db8::1");
    assert_norm("FD12:3456::/8", "fd00::/8");
    assert_norm("1.2.3.4 - 1.2.3.9", "1.2.3.4-1.2.3.9");
    assert_norm("2001:db8::1-2001:db8:0::ff", "2001:db8::1-2001:db8::ff");
    assert_norm("5.5.5.5-5.5.5.5", "5.5.5.5");
    assert_norm("0.0.0.0/0;::/0", "0.0.0.0/0,::/0");
    assert_norm(" 10.0.0.1 ;\n172.16.9.9/12,\t::1 ,", "10.0.0.1,172.16.0.0/12,::1");
}

static void test_normalize_drops_duplicates_keeping_input_order(void **state)
{
    (void)state;
    assert_norm("10.0.0.2, 10.0.0.1, 10.0.0.2/32, 10.0.0.1", "10.0.0.2,10.0.0.1");
    assert_norm("10.1.0.0/16, 10.1.2.3/16, ::1, 0:0::1", "10.1.0.0/16,::1");
    /* the same addresses written differently are different entries */
    assert_norm("10.0.0.0/8, 10.0.0.0-10.255.255.255", "10.0.0.0/8,10.0.0.0-10.255.255.255");
    /* one entry must not be mistaken for a prefix of another */
    assert_norm("10.0.0.10, 10.0.0.1", "10.0.0.10,10.0.0.1");
}

static void test_normalize_empty_list_is_empty_string(void **state)
{
    (void)state;
    assert_norm("", "");
    assert_norm(" ,,; ", "");
    assert_norm(NULL, "");
}

static void test_normalize_rejects_bad_entry(void **state)
{
    (void)state;
    char out[64] = "stale", err[256];
    assert_int_equal(ipf_normalize_list("10.0.0.1, 10.0.0.0/33", out, sizeof out, err, sizeof err),
                     -EINVAL);
    assert_string_equal(out, "");
    assert_non_null(strstr(err, "\"10.0.0.0/33\""));
}

static void test_normalize_reports_too_small_output(void **state)
{
    (void)state;
    char out[64], err[256];
    /* "10.0.0.1,10.0.0.2" is 17 bytes + NUL */
    assert_int_equal(ipf_normalize_list("10.0.0.1,10.0.0.2", out, 18, err, sizeof err), 0);
    assert_string_equal(out, "10.0.0.1,10.0.0.2");
    assert_int_equal(ipf_normalize_list("10.0.0.1,10.0.0.2", out, 17, err, sizeof err), -ERANGE);
    assert_string_equal(out, "");
    assert_non_null(strstr(err, "17 bytes"));
    assert_int_equal(ipf_normalize_list("", out, 1, err, sizeof err), 0);
    assert_int_equal(ipf_normalize_list("", out, 0, err, sizeof err), -ERANGE);
}

/* ---- ipf_load_file: eMule ipfilter.dat ---------------------------------------- */

static void test_load_emule_leading_zeros_are_decimal(void **state)
{
    (void)state;
    const char *p = write_text("emule.dat", "001.002.003.004 - 001.002.003.255 , 000 , Some ISP\n"
                                            "010.008.009.000 - 010.008.009.099 , 100 , octal? no\n"
                                            "000.000.000.000 - 000.255.255.255 , 000 , Bogon\n");
    struct ipf f = {0};
    size_t bad = 99;
    char err[256];
    assert_int_equal(ipf_load_file(&f, p, &bad, err, sizeof err), 3);
    assert_int_equal(bad, 0);
    assert_string_equal(err, "");
    assert_range(&f.r[0], "1.2.3.4", "1.2.3.255");
    assert_range(&f.r[1], "10.8.9.0", "10.8.9.99");
    assert_range(&f.r[2], "0.0.0.0", "0.255.255.255");
    ipf_free(&f);
}

static void test_load_emule_allowed_levels_are_skipped_not_bad(void **state)
{
    (void)state;
    const char *p = write_text("levels.dat", "1.0.0.0 - 1.0.0.255 , 127 , blocked\n"
                                             "2.0.0.0 - 2.0.0.255 , 128 , allowed\n"
                                             "3.0.0.0 - 3.0.0.255 , 255 , allowed\n"
                                             "4.0.0.0 - 4.0.0.255 , 0\n"
                                             "5.0.0.0-5.0.0.255,200\n");
    struct ipf f = {0};
    size_t bad = 99;
    char err[256];
    assert_int_equal(ipf_load_file(&f, p, &bad, err, sizeof err), 2);
    assert_int_equal(bad, 0);
    assert_range(&f.r[0], "1.0.0.0", "1.0.0.255");
    assert_range(&f.r[1], "4.0.0.0", "4.0.0.255");
    assert_false(contains(&f, "2.0.0.1"));
    /* a file of allowed entries only is not an error: nothing is blocked */
    p = write_text("allowed.dat", "2.0.0.0 - 2.0.0.255 , 128 , allowed\n");
    assert_int_equal(ipf_load_file(&f, p, &bad, err, sizeof err), 0);
    assert_int_equal(f.n, 2);
    ipf_free(&f);
}

static void test_load_emule_crlf_comments_and_blank_lines(void **state)
{
    (void)state;
    const char *p =
        write_text("crlf.dat", "\xef\xbb\xbf# eMule filter\r\n"
                               "// generated\r\n"
                               "\r\n"
                               "   \t\r\n"
                               "  001.002.003.004 - 001.002.003.005 , 000 , with, commas, \r\n"
                               "006.006.006.006 - 006.006.006.006 , 050 ,\r\n"
                               "007.000.000.000 - 007.000.000.010 , 010"); /* no final newline */
    struct ipf f = {0};
    size_t bad = 99;
    char err[256];
    assert_int_equal(ipf_load_file(&f, p, &bad, err, sizeof err), 3);
    assert_int_equal(bad, 0);
    assert_range(&f.r[0], "1.2.3.4", "1.2.3.5");
    assert_range(&f.r[1], "6.6.6.6", "6.6.6.6");
    assert_range(&f.r[2], "7.0.0.0", "7.0.0.10");
    ipf_free(&f);
}

static void test_load_emule_rejects_bad_octets_and_reversed_ranges(void **state)
{
    (void)state;
    const char *p = write_text("badoct.dat", "001.002.003.256 - 001.002.003.255 , 000 , x\n"
                                             "0001.2.3.4 - 1.2.3.5 , 000 , x\n"
                                             "1.2.3.9 - 1.2.3.5 , 000 , x\n"
                                             "1.2.3.4 - ::1 , 000 , x\n"
                                             "1.2.3.4 - 1.2.3.5 , 000 x\n"
                                             "1.2.3.4 - 1.2.3.5 , , x\n"
                                             "9.9.9.9 - 9.9.9.9 , 000 , good\n");
    struct ipf f = {0};
    size_t bad = 0;
    char err[256];
    assert_int_equal(ipf_load_file(&f, p, &bad, err, sizeof err), 1);
    assert_int_equal(bad, 6);
    assert_range(&f.r[0], "9.9.9.9", "9.9.9.9");
    ipf_free(&f);
}

/* ---- ipf_load_file: PeerGuardian P2P ------------------------------------------- */

static void test_load_p2p_description_may_contain_colons(void **state)
{
    (void)state;
    const char *p = write_text("p2p.txt", "Some Org:1.2.3.4-1.2.3.255\n"
                                          "Evil Corp: HQ: Room 5:10.0.0.0-10.0.0.127\n"
                                          "Foo-Bar Inc.:20.0.0.1-20.0.0.2\r\n"
                                          "Cafe:30.0.0.1-30.0.0.9\n"
                                          ":40.0.0.1-40.0.0.1\n"
                                          "spaced:50.0.0.1 - 50.0.0.2\n");
    struct ipf f = {0};
    size_t bad = 99;
    char err[256];
    assert_int_equal(ipf_load_file(&f, p, &bad, err, sizeof err), 6);
    assert_int_equal(bad, 0);
    assert_range(&f.r[0], "1.2.3.4", "1.2.3.255");
    assert_range(&f.r[1], "10.0.0.0", "10.0.0.127");
    assert_range(&f.r[2], "20.0.0.1", "20.0.0.2");
    assert_range(&f.r[3], "30.0.0.1", "30.0.0.9");
    assert_range(&f.r[4], "40.0.0.1", "40.0.0.1");
    assert_range(&f.r[5], "50.0.0.1", "50.0.0.2");
    ipf_free(&f);
}

static void test_load_ipv6_ranges_in_both_formats(void **state)
{
    (void)state;
    const char *p = write_text("v6.txt", "2001:db8:: - 2001:db8::ffff , 000 , eMule v6\n"
                                         "docs:2001:db8:1::-2001:db8:1::ff\n"
                                         "Cafe:Bad:2001:db8:2::1-2001:db8:2::9\n"
                                         "loop:::1-::1\n");
    struct ipf f = {0};
    size_t bad = 99;
    char err[256];
    assert_int_equal(ipf_load_file(&f, p, &bad, err, sizeof err), 4);
    assert_int_equal(bad, 0);
    assert_range(&f.r[0], "2001:db8::", "2001:db8::ffff");
    assert_range(&f.r[1], "2001:db8:1::", "2001:db8:1::ff");
    /* "Bad:2001:db8:2::1" and "db8:2::1" also read as addresses; the start
     * that shares the most with the end wins */
    assert_range(&f.r[2], "2001:db8:2::1", "2001:db8:2::9");
    assert_range(&f.r[3], "::1", "::1");
    ipf_free(&f);
}

static void test_load_mixed_file_counts_bad_lines_and_warns(void **state)
{
    (void)state;
    const char *p = write_text("mixed.txt", "# header\n"
                                            "Org:1.1.1.0-1.1.1.255\n"
                                            "not a rule\n"
                                            "2.2.2.2 - 2.2.2.3 , 000 , x\n"
                                            "1.2.3.4-1.2.3.5\n"     /* bare range: no format */
                                            "Org:1.2.3.4\n"         /* no range */
                                            "Org:1.2.3.9-1.2.3.4\n" /* reversed */
                                            "Org:3.3.3.3-3.3.3.4\n");
    struct ipf f = {0};
    size_t bad = 0;
    char err[256];
    assert_int_equal(ipf_load_file(&f, p, &bad, err, sizeof err), 3);
    assert_int_equal(bad, 4);
    assert_non_null(strstr(err, "4 bad lines"));
    assert_non_null(strstr(err, "lines 3, 5, 6, ..."));
    assert_null(strchr(err, '\n'));
    assert_true(contains(&f, "3.3.3.4"));
    ipf_free(&f);
}

static void test_load_long_line_is_bad_and_parsing_goes_on(void **state)
{
    (void)state;
    size_t n = 100 * 1024;
    char *data = malloc(n + 64);
    assert_non_null(data);
    memcpy(data, "Desc:", 5);
    memset(data + 5, 'x', n);
    strcpy(data + 5 + n, ":1.2.3.4-1.2.3.5\nOk:5.6.7.8-5.6.7.9\n");
    const char *p = write_text("long.txt", data);
    free(data);
    struct ipf f = {0};
    size_t bad = 0;
    char err[256];
    assert_int_equal(ipf_load_file(&f, p, &bad, err, sizeof err), 1);
    assert_int_equal(bad, 1);
    assert_non_null(strstr(err, "line 1)"));
    assert_range(&f.r[0], "5.6.7.8", "5.6.7.9");
    /* a file that is one long line (no newline at all) has no ranges */
    data = malloc(n + 1);
    assert_non_null(data);
    memset(data, ':', n);
    data[n] = '\0';
    p = write_text("colons.txt", data);
    free(data);
    assert_int_equal(ipf_load_file(&f, p, &bad, err, sizeof err), -EINVAL);
    assert_int_equal(bad, 1);
    assert_int_equal(f.n, 1);
    ipf_free(&f);
}

static void test_load_line_with_nul_byte_is_bad(void **state)
{
    (void)state;
    static const char data[] = "A:1.2.3.4-1.2.3.5\0junk\nB:5.6.7.8-5.6.7.9\n";
    const char *p = write_file("nul.txt", data, sizeof data - 1);
    struct ipf f = {0};
    size_t bad = 0;
    assert_int_equal(ipf_load_file(&f, p, &bad, NULL, 0), 1);
    assert_int_equal(bad, 1);
    assert_range(&f.r[0], "5.6.7.8", "5.6.7.9");
    ipf_free(&f);
}

/* ---- ipf_load_file: errors ----------------------------------------------------- */

static void test_load_missing_file_returns_negative_errno(void **state)
{
    (void)state;
    struct ipf f = {0};
    assert_int_equal(ipf_parse_list(&f, "10.0.0.1", NULL, 0), 0);
    size_t bad = 99;
    char err[256], path[300];
    snprintf(path, sizeof path, "%s/does-not-exist.dat", g_dir);
    assert_int_equal(ipf_load_file(&f, path, &bad, err, sizeof err), -ENOENT);
    assert_int_equal(bad, 0);
    assert_non_null(strstr(err, "cannot read "));
    assert_non_null(strstr(err, "does-not-exist.dat: "));
    assert_non_null(strstr(err, strerror(ENOENT)));
    assert_int_equal(f.n, 1);
    /* a directory opens but cannot be read */
    assert_int_equal(ipf_load_file(&f, g_dir, &bad, err, sizeof err), -EISDIR);
    assert_int_equal(f.n, 1);
    ipf_free(&f);
}

static void test_load_file_of_only_bad_lines_is_einval(void **state)
{
    (void)state;
    const char *p = write_text("allbad.txt", "# a comment is fine\n"
                                             "hello\n"
                                             "1.2.3.4\n"
                                             "Org:1.2.3.256-1.2.3.300\n"
                                             "1.2.3.4 - 1.2.3.5\n");
    struct ipf f = {0};
    assert_int_equal(ipf_parse_list(&f, "10.0.0.1", NULL, 0), 0);
    struct ipf_range before = f.r[0];
    size_t bad = 0;
    char err[256];
    assert_int_equal(ipf_load_file(&f, p, &bad, err, sizeof err), -EINVAL);
    assert_int_equal(bad, 4);
    assert_non_null(strstr(err, "no IP ranges"));
    assert_non_null(strstr(err, "lines 2, 3, 4, ..."));
    assert_int_equal(f.n, 1);
    assert_memory_equal(&f.r[0], &before, sizeof before);
    ipf_free(&f);
}

static void test_load_compressed_file_is_named_as_such(void **state)
{
    (void)state;
    static const char gz[] = "\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03\xcb\x48\n\xcd\xc9";
    const char *p = write_file("list.gz", gz, sizeof gz - 1);
    struct ipf f = {0};
    char err[256];
    assert_int_equal(ipf_load_file(&f, p, NULL, err, sizeof err), -EINVAL);
    assert_non_null(strstr(err, "compressed"));
    assert_int_equal(f.n, 0);
}

static void test_load_empty_or_comment_only_file_adds_nothing(void **state)
{
    (void)state;
    struct ipf f = {0};
    size_t bad = 99;
    char err[256];
    assert_int_equal(ipf_load_file(&f, write_text("empty.txt", ""), &bad, err, sizeof err), 0);
    assert_int_equal(bad, 0);
    assert_string_equal(err, "");
    const char *p = write_text("comments.txt", "# one\n// two\n\n\r\n");
    assert_int_equal(ipf_load_file(&f, p, &bad, err, sizeof err), 0);
    assert_int_equal(f.n, 0);
}

static void test_load_streams_a_large_file(void **state)
{
    (void)state;
    char path[300];
    snprintf(path, sizeof path, "%s/large.txt", g_dir);
    FILE *fp = fopen(path, "w");
    assert_non_null(fp);
    for (int i = 0; i < 200000; i++)
        fprintf(fp, "Range %d:%d.%d.%d.0-%d.%d.%d.255\n", i, 10 + i / 65536, (i / 256) % 256,
                i % 256, 10 + i / 65536, (i / 256) % 256, i % 256);
    assert_int_equal(fclose(fp), 0);
    struct ipf f = {0};
    assert_int_equal(ipf_parse_list(&f, "9.9.9.9", NULL, 0), 0);
    size_t bad = 99;
    assert_int_equal(ipf_load_file(&f, path, &bad, NULL, 0), 200000);
    assert_int_equal(bad, 0);
    assert_int_equal(f.n, 200001);
    assert_range(&f.r[200000], "13.13.63.0", "13.13.63.255");
    ipf_free(&f);
}

/* ---- ipf_contains ------------------------------------------------------------- */

static void test_contains_ipv4_range_boundaries(void **state)
{
    (void)state;
    struct ipf f = {0};
    assert_int_equal(ipf_parse_list(&f, "10.0.0.0/8, 192.168.1.5-192.168.1.9", NULL, 0), 0);
    assert_false(contains(&f, "9.255.255.255"));
    assert_true(contains(&f, "10.0.0.0"));
    assert_true(contains(&f, "10.128.3.4"));
    assert_true(contains(&f, "10.255.255.255"));
    assert_false(contains(&f, "11.0.0.0"));
    assert_false(contains(&f, "192.168.1.4"));
    assert_true(contains(&f, "192.168.1.5"));
    assert_true(contains(&f, "192.168.1.9"));
    assert_false(contains(&f, "192.168.1.10"));
    ipf_free(&f);
}

static void test_contains_ipv6_range_boundaries(void **state)
{
    (void)state;
    struct ipf f = {0};
    assert_int_equal(ipf_parse_list(&f, "2001:db8::100-2001:db8::1:0, fd00::/8", NULL, 0), 0);
    assert_false(contains(&f, "2001:db8::ff"));
    assert_true(contains(&f, "2001:db8::100"));
    assert_true(contains(&f, "2001:db8::ffff"));
    assert_true(contains(&f, "2001:db8::1:0"));
    assert_false(contains(&f, "2001:db8::1:1"));
    assert_false(contains(&f, "fcff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"));
    assert_true(contains(&f, "fd00::"));
    assert_true(contains(&f, "fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"));
    assert_false(contains(&f, "fe00::"));
    ipf_free(&f);
}

static void test_contains_keeps_families_apart(void **state)
{
    (void)state;
    struct ipf f = {0};
    assert_false(contains(&f, "10.0.0.1")); /* empty */
    assert_false(ipf_contains(NULL, (const uint8_t *)"\x0a\0\0\x01", false));
    assert_int_equal(ipf_parse_list(&f, "10.0.0.0/8", NULL, 0), 0);
    /* 0a00:: starts with the same bytes as 10.0.0.0 but is IPv6 */
    assert_false(contains(&f, "a00::1"));
    assert_false(contains(&f, "::ffff:10.0.0.1"));
    assert_int_equal(ipf_parse_list(&f, "::/0", NULL, 0), 0);
    assert_true(contains(&f, "a00::1"));
    assert_false(contains(&f, "11.0.0.0"));
    ipf_free(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_ipv4_address_is_a_one_address_range),
        cmocka_unit_test(test_parse_ipv6_address_is_a_one_address_range),
        cmocka_unit_test(test_parse_ipv4_cidr_covers_the_block),
        cmocka_unit_test(test_parse_non_canonical_cidr_clears_host_bits),
        cmocka_unit_test(test_parse_prefix_zero_covers_the_whole_family),
        cmocka_unit_test(test_parse_full_prefix_is_a_single_address),
        cmocka_unit_test(test_parse_ipv6_cidr_covers_the_block),
        cmocka_unit_test(test_parse_ranges_of_both_families),
        cmocka_unit_test(test_parse_all_separators_and_empty_entries),
        cmocka_unit_test(test_parse_empty_list_adds_nothing),
        cmocka_unit_test(test_parse_appends_to_ranges_already_there),
        cmocka_unit_test(test_parse_rejects_octet_above_255),
        cmocka_unit_test(test_parse_rejects_prefix_too_long_or_malformed),
        cmocka_unit_test(test_parse_rejects_incomplete_addresses),
        cmocka_unit_test(test_parse_rejects_words_as_range_ends),
        cmocka_unit_test(test_parse_rejects_reversed_range),
        cmocka_unit_test(test_parse_rejects_range_mixing_families),
        cmocka_unit_test(test_parse_rejects_trailing_junk),
        cmocka_unit_test(test_parse_rejects_leading_zeros_inline),
        cmocka_unit_test(test_parse_error_names_the_first_bad_entry_and_rolls_back),
        cmocka_unit_test(test_parse_random_input_never_crashes),
        cmocka_unit_test(test_normalize_rewrites_each_entry_canonically),
        cmocka_unit_test(test_normalize_drops_duplicates_keeping_input_order),
        cmocka_unit_test(test_normalize_empty_list_is_empty_string),
        cmocka_unit_test(test_normalize_rejects_bad_entry),
        cmocka_unit_test(test_normalize_reports_too_small_output),
        cmocka_unit_test(test_load_emule_leading_zeros_are_decimal),
        cmocka_unit_test(test_load_emule_allowed_levels_are_skipped_not_bad),
        cmocka_unit_test(test_load_emule_crlf_comments_and_blank_lines),
        cmocka_unit_test(test_load_emule_rejects_bad_octets_and_reversed_ranges),
        cmocka_unit_test(test_load_p2p_description_may_contain_colons),
        cmocka_unit_test(test_load_ipv6_ranges_in_both_formats),
        cmocka_unit_test(test_load_mixed_file_counts_bad_lines_and_warns),
        cmocka_unit_test(test_load_long_line_is_bad_and_parsing_goes_on),
        cmocka_unit_test(test_load_line_with_nul_byte_is_bad),
        cmocka_unit_test(test_load_missing_file_returns_negative_errno),
        cmocka_unit_test(test_load_file_of_only_bad_lines_is_einval),
        cmocka_unit_test(test_load_compressed_file_is_named_as_such),
        cmocka_unit_test(test_load_empty_or_comment_only_file_adds_nothing),
        cmocka_unit_test(test_load_streams_a_large_file),
        cmocka_unit_test(test_contains_ipv4_range_boundaries),
        cmocka_unit_test(test_contains_ipv6_range_boundaries),
        cmocka_unit_test(test_contains_keeps_families_apart),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
