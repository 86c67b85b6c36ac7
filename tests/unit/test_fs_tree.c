/*
 * test_fs_tree.c — the FUSE bridge's pure logic (src/util/file_tree.h,
 * src/fuse/pieces.h): name
 * sanitizing, torrent directory names, the inode tree built from a file
 * list, file offset -> piece maths and the read-ahead planner. Each test
 * checks the exact names, node shapes and piece numbers the mount relies on.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuse/pieces.h"
#include "util/file_tree.h"

#define KIB 1024LL
#define MIB (1024LL * 1024)
#define GIB (1024LL * 1024 * 1024)

/* ---- helpers ---------------------------------------------------------------- */

static size_t san(const char *in, size_t len, char out[FS_NAME_MAX + 1])
{
    return fs_sanitize_name(in, len, out, FS_NAME_MAX + 1);
}

static void assert_san(const char *in, size_t len, const char *want)
{
    char out[FS_NAME_MAX + 1];
    size_t n = san(in, len, out);
    assert_string_equal(out, want);
    assert_int_equal(n, strlen(want));
}

/* Whether s[0..n) is valid UTF-8 (a simple decoder, independent of names.c). */
static int valid_utf8(const unsigned char *s, size_t n)
{
    for (size_t i = 0; i < n;) {
        unsigned c = s[i];
        size_t k = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
        if (k == 0 || i + k > n) return 0;
        for (size_t j = 1; j < k; j++)
            if ((s[i + j] & 0xc0) != 0x80) return 0;
        i += k;
    }
    return 1;
}

static void build(const struct fs_file_in *files, size_t n, bool multi, struct fs_tree *t)
{
    assert_int_equal(fs_tree_build(files, n, multi, t), 0);
}

/* The child `name` of `dir`, which must exist. */
static uint32_t child(const struct fs_tree *t, uint32_t dir, const char *name)
{
    int64_t c = fs_tree_lookup(t, dir, name);
    if (c < 0) fail_msg("no '%s' in node %u", name, (unsigned)dir);
    assert_int_equal(t->nodes[c].parent, dir);
    return (uint32_t)c;
}

/* Checks what every tree must satisfy: node 0 is a directory named "" and
 * its own parent, each node is the child of its parent exactly once, each
 * directory's children are strictly sorted (so unique), and sizes and
 * n_subdirs add up. */
static void check_tree(const struct fs_tree *t)
{
    assert_true(t->n_nodes >= 1);
    assert_string_equal(t->nodes[0].name, "");
    assert_int_equal(t->nodes[0].parent, 0);
    assert_int_equal(t->nodes[0].file, -1);
    size_t listed = 0;
    for (uint32_t v = 0; v < t->n_nodes; v++) {
        const struct fs_node *d = &t->nodes[v];
        if (d->file >= 0) {
            assert_int_equal(d->n_children, 0);
            continue;
        }
        int64_t size = 0;
        uint32_t subdirs = 0;
        for (uint32_t i = 0; i < d->n_children; i++) {
            uint32_t c = t->children[d->first_child + i];
            assert_true(c > 0 && c < t->n_nodes);
            assert_int_equal(t->nodes[c].parent, v);
            assert_true(strlen(t->nodes[c].name) >= 1);
            assert_true(strlen(t->nodes[c].name) <= FS_NAME_MAX);
            assert_null(strchr(t->nodes[c].name, '/'));
            if (i > 0) {
                uint32_t p = t->children[d->first_child + i - 1];
                assert_true(strcmp(t->nodes[p].name, t->nodes[c].name) < 0);
            }
            size += t->nodes[c].size;
            subdirs += t->nodes[c].file < 0;
            assert_int_equal(fs_tree_lookup(t, v, t->nodes[c].name), c);
        }
        assert_int_equal(d->size, size);
        assert_int_equal(d->n_subdirs, subdirs);
        listed += d->n_children;
    }
    assert_int_equal(listed, t->n_nodes - 1);
}

/* ---- fs_sanitize_name -------------------------------------------------------- */

static void test_sanitize_replaces_slash_and_control_chars(void **state)
{
    (void)state;
    assert_san("a/b\tc\x7f\x1b[31m", 11, "a_b_c__[31m");
    assert_san("../../etc", 9, ".._.._etc");
    assert_san("x\0y", 3, "x_y"); /* an embedded NUL is a control char too */
    assert_san("\r\n", 2, "__");
}

/* C1 controls (U+0080-009F; U+009B is a CSI on its own): the encoded
 * character is one '_', a raw C1 byte is a bad byte ('_' too); U+00A0 and
 * above stay. */
static void test_sanitize_replaces_c1_controls_raw_and_encoded(void **state)
{
    (void)state;
    assert_san("a\xc2\x9b"
               "31mb",
               7, "a_31mb");
    assert_san("a\x9b"
               "31mb",
               6, "a_31mb");
    assert_san("\xc2\x80\xc2\x85\xc2\x9f", 6, "___");
    assert_san("\xc2\xa0x\xc2\xa9", 5, "\xc2\xa0x\xc2\xa9"); /* NBSP, © */
    char in[2] = {(char)0xc2, 0}, raw[1];
    for (unsigned c = 0x80; c < 0xa0; c++) {
        in[1] = (char)c;
        raw[0] = (char)c;
        assert_san(in, 2, "_");
        assert_san(raw, 1, "_");
    }
}

static void test_sanitize_replaces_each_invalid_utf8_byte(void **state)
{
    (void)state;
    assert_san("\x80", 1, "_"); /* lone continuation byte */
    assert_san("a\xff\xfe"
               "b",
               4, "a__b");                   /* bytes never valid in UTF-8 */
    assert_san("\xe2\x82\xac\x80", 4, "€_"); /* a valid character, then a stray continuation */
}

static void test_sanitize_replaces_overlong_encodings(void **state)
{
    (void)state;
    assert_san("\xc0\xaf", 2, "__");               /* '/' in two bytes */
    assert_san("\xc1\xbf", 2, "__");               /* U+007F in two bytes */
    assert_san("\xe0\x80\xaf", 3, "___");          /* '/' in three bytes */
    assert_san("\xe0\x9f\xbf", 3, "___");          /* U+07FF in three bytes */
    assert_san("\xf0\x80\x80\xaf", 4, "____");     /* '/' in four bytes */
    assert_san("\xf0\x8f\xbf\xbf", 4, "____");     /* U+FFFF in four bytes */
    assert_san("\xe0\xa0\x80", 3, "\xe0\xa0\x80"); /* U+0800: the shortest form, kept */
}

static void test_sanitize_replaces_surrogates_and_code_points_past_u10ffff(void **state)
{
    (void)state;
    assert_san("\xed\xa0\x80", 3, "___");      /* U+D800 */
    assert_san("\xed\xbf\xbf", 3, "___");      /* U+DFFF */
    assert_san("\xf4\x90\x80\x80", 4, "____"); /* U+110000 */
    assert_san("\xf5\x80\x80\x80", 4, "____");
    assert_san("\xed\x9f\xbf", 3, "\xed\x9f\xbf");         /* U+D7FF, kept */
    assert_san("\xf4\x8f\xbf\xbf", 4, "\xf4\x8f\xbf\xbf"); /* U+10FFFF, kept */
}

static void test_sanitize_replaces_truncated_sequences(void **state)
{
    (void)state;
    assert_san("a\xc3", 2, "a_");                  /* cut by the end of the name */
    assert_san("\xe6\x97\xe6\x97\xa5", 5, "__日"); /* cut, then a whole character */
    assert_san("\xf0\x9f\x8e"
               "x",
               4, "___x"); /* cut by an ASCII byte */
    char out[FS_NAME_MAX + 1];
    san("\xe6\x97\xa5\xe6", 3, out); /* len stops before the 4th byte: it is not read */
    assert_string_equal(out, "日");
}

static void test_sanitize_dot_names_and_empty_name(void **state)
{
    (void)state;
    assert_san("", 0, "_");
    assert_san(".", 1, "_");
    assert_san("..", 2, "__");
    assert_san("...", 3, "...");
    assert_san(".hidden", 7, ".hidden");
    assert_san("a..b", 4, "a..b");
}

static void test_sanitize_keeps_valid_non_ascii_byte_for_byte(void **state)
{
    (void)state;
    const char *in = "Café – 日本語 🎵 Ωμέγα.mkv";
    char out[FS_NAME_MAX + 1];
    size_t n = san(in, strlen(in), out);
    assert_int_equal(n, strlen(in));
    assert_memory_equal(out, in, n + 1);
}

static void test_sanitize_cuts_long_ascii_name_at_name_max(void **state)
{
    (void)state;
    char in[300], out[FS_NAME_MAX + 1];
    memset(in, 'a', sizeof in);
    assert_int_equal(san(in, sizeof in, out), FS_NAME_MAX);
    assert_int_equal(strlen(out), FS_NAME_MAX);
    assert_memory_equal(out, in, FS_NAME_MAX);
}

static void test_sanitize_cuts_long_name_on_utf8_boundary(void **state)
{
    (void)state;
    char in[2 + 100 * 4 + 1] = "ab", out[FS_NAME_MAX + 1];
    for (int i = 0; i < 100; i++)
        strcat(in, "🎵"); /* 4 bytes each: 255 - 2 = 253 leaves room for 63 */
    size_t n = san(in, strlen(in), out);
    assert_int_equal(n, 2 + 63 * 4);
    assert_memory_equal(out, in, n);
    assert_true(valid_utf8((const unsigned char *)out, n));

    char in2[200 * 2 + 1] = "";
    for (int i = 0; i < 200; i++)
        strcat(in2, "é"); /* 2 bytes each: 255 would split the 128th */
    n = san(in2, strlen(in2), out);
    assert_int_equal(n, 254);
    assert_true(valid_utf8((const unsigned char *)out, n));
}

static void test_sanitize_respects_small_output_buffer(void **state)
{
    (void)state;
    char out[6];
    assert_int_equal(fs_sanitize_name("日本語", 9, out, sizeof out), 3);
    assert_string_equal(out, "日"); /* "日本" would need 6 bytes + NUL */
    assert_int_equal(fs_sanitize_name("abcdefgh", 8, out, sizeof out), 5);
    assert_string_equal(out, "abcde");
    char two[2];
    assert_int_equal(fs_sanitize_name("..", 2, two, sizeof two), 1);
    assert_string_equal(two, "_");
    assert_int_equal(fs_sanitize_name("é", 2, two, sizeof two), 1);
    assert_string_equal(two, "_"); /* nothing fits: never an empty name */
}

/* ---- fs_torrent_dir_name ----------------------------------------------------- */

static const char HASH[] = "0123abcd89ef0123abcd89ef0123abcd89ef0123";

static void test_dir_name_without_clash_is_the_sanitized_name(void **state)
{
    (void)state;
    char out[FS_NAME_MAX + 1];
    fs_torrent_dir_name("Debian 12/netinst\n", HASH, false, out, sizeof out);
    assert_string_equal(out, "Debian 12_netinst_");
    fs_torrent_dir_name("..", HASH, false, out, sizeof out);
    assert_string_equal(out, "__");
    fs_torrent_dir_name("", HASH, false, out, sizeof out);
    assert_string_equal(out, "_");
}

static void test_dir_name_with_clash_appends_hash_prefix(void **state)
{
    (void)state;
    char out[FS_NAME_MAX + 1];
    fs_torrent_dir_name("Debian 12", HASH, true, out, sizeof out);
    assert_string_equal(out, "Debian 12 [0123abcd]");
    fs_torrent_dir_name("", HASH, true, out, sizeof out);
    assert_string_equal(out, "_ [0123abcd]");
}

static void test_dir_name_long_name_keeps_clash_suffix_whole(void **state)
{
    (void)state;
    char name[400], out[FS_NAME_MAX + 1];
    memset(name, 'x', 300);
    name[300] = '\0';
    fs_torrent_dir_name(name, HASH, true, out, sizeof out);
    assert_int_equal(strlen(out), FS_NAME_MAX);
    assert_string_equal(out + FS_NAME_MAX - 11, " [0123abcd]");
    assert_memory_equal(out, name, FS_NAME_MAX - 11);

    name[0] = '\0';
    for (int i = 0; i < 120; i++)
        strcat(name, "日"); /* 360 bytes; 244 left for the name fit 81 whole characters */
    fs_torrent_dir_name(name, HASH, true, out, sizeof out);
    assert_int_equal(strlen(out), 81 * 3 + 11);
    assert_memory_equal(out, name, 81 * 3);
    assert_string_equal(out + 81 * 3, " [0123abcd]");
}

static void test_dir_name_respects_small_output_buffer(void **state)
{
    (void)state;
    char out[16];
    fs_torrent_dir_name("abcdefghijkl", HASH, true, out, sizeof out);
    assert_string_equal(out, "abcd [0123abcd]");
}

/* ---- fs_tree_build / fs_tree_lookup ------------------------------------------ */

static void test_tree_single_file_torrent_has_the_file_under_node_0(void **state)
{
    (void)state;
    struct fs_file_in in[] = {{"movie.mkv", 700 * MIB, false}};
    struct fs_tree t;
    build(in, 1, false, &t);
    check_tree(&t);
    assert_int_equal(t.n_nodes, 2);
    assert_int_equal(t.nodes[0].n_children, 1);
    uint32_t f = child(&t, 0, "movie.mkv");
    assert_int_equal(t.nodes[f].file, 0);
    assert_int_equal(t.nodes[f].size, 700 * MIB);
    assert_int_equal(t.nodes[0].size, 700 * MIB);
    assert_int_equal(t.nodes[0].n_subdirs, 0);
    fs_tree_free(&t);
}

static void test_tree_multi_file_strips_torrent_dir_and_nests(void **state)
{
    (void)state;
    struct fs_file_in in[] = {
        {"Album/cd1/01.flac", 30, false},
        {"Album/cd1/art/front.jpg", 5, false},
        {"Album/cd2/01.flac", 40, false},
        {"Album/info.txt", 1, false},
    };
    struct fs_tree t;
    build(in, 4, true, &t);
    check_tree(&t);
    assert_int_equal(fs_tree_lookup(&t, 0, "Album"), -1);
    assert_int_equal(t.nodes[0].n_children, 3);
    uint32_t cd1 = child(&t, 0, "cd1"), cd2 = child(&t, 0, "cd2");
    uint32_t art = child(&t, cd1, "art");
    assert_int_equal(t.nodes[cd1].file, -1);
    assert_int_equal(t.nodes[child(&t, cd1, "01.flac")].file, 0);
    assert_int_equal(t.nodes[child(&t, art, "front.jpg")].file, 1);
    assert_int_equal(t.nodes[child(&t, cd2, "01.flac")].file, 2);
    assert_int_equal(t.nodes[child(&t, 0, "info.txt")].file, 3);
    assert_int_equal(t.n_nodes, 1 + 3 + 4); /* root, cd1 cd2 art, four files */
    fs_tree_free(&t);
}

static void test_tree_merges_a_directory_listed_in_several_places(void **state)
{
    (void)state;
    struct fs_file_in in[] = {
        {"T/d/1", 1, false},
        {"T/e", 2, false},
        {"T/d/2", 3, false},
    };
    struct fs_tree t;
    build(in, 3, true, &t);
    check_tree(&t);
    uint32_t d = child(&t, 0, "d");
    assert_int_equal(t.nodes[d].n_children, 2);
    assert_int_equal(t.nodes[child(&t, d, "2")].file, 2);
    assert_int_equal(t.nodes[0].n_children, 2);
    fs_tree_free(&t);
}

static void test_tree_hides_pad_files(void **state)
{
    (void)state;
    struct fs_file_in in[] = {
        {"T/a.bin", 100, false},
        {"T/.pad/924", 924, true},
        {"T/b.bin", 200, false},
        {"T/.pad/824", 824, true},
    };
    struct fs_tree t;
    build(in, 4, true, &t);
    check_tree(&t);
    assert_int_equal(t.n_nodes, 3);
    assert_int_equal(fs_tree_lookup(&t, 0, ".pad"), -1);
    assert_int_equal(t.nodes[child(&t, 0, "b.bin")].file, 2); /* libtorrent's index, pads count */
    assert_int_equal(t.nodes[0].size, 300);
    fs_tree_free(&t);
}

static void test_tree_keeps_zero_byte_files(void **state)
{
    (void)state;
    struct fs_file_in in[] = {
        {"T/empty", 0, false},
        {"T/sub/also-empty", 0, false},
    };
    struct fs_tree t;
    build(in, 2, true, &t);
    check_tree(&t);
    uint32_t e = child(&t, 0, "empty");
    assert_int_equal(t.nodes[e].file, 0);
    assert_int_equal(t.nodes[e].size, 0);
    uint32_t sub = child(&t, 0, "sub");
    assert_int_equal(t.nodes[child(&t, sub, "also-empty")].file, 1);
    assert_int_equal(t.nodes[sub].size, 0);
    fs_tree_free(&t);
}

static void test_tree_empty_file_list_is_just_the_root(void **state)
{
    (void)state;
    struct fs_file_in in[] = {{"T/.pad/1", 1, true}};
    struct fs_tree t;
    build(in, 1, true, &t);
    check_tree(&t);
    assert_int_equal(t.n_nodes, 1);
    assert_int_equal(t.nodes[0].n_children, 0);
    assert_int_equal(t.nodes[0].size, 0);
    assert_int_equal(fs_tree_lookup(&t, 0, "1"), -1);
    fs_tree_free(&t);
    build(NULL, 0, false, &t);
    assert_int_equal(t.n_nodes, 1);
    fs_tree_free(&t);
}

static void test_tree_sanitizes_components_and_skips_empty_ones(void **state)
{
    (void)state;
    struct fs_file_in in[] = {
        {"/T//a/../b/", 1, false},
        {"T/./c\x01", 2, false},
    };
    struct fs_tree t;
    build(in, 2, true, &t);
    check_tree(&t);
    uint32_t a = child(&t, 0, "a");
    uint32_t up = child(&t, a, "__");
    assert_int_equal(t.nodes[child(&t, up, "b")].file, 0);
    uint32_t dot = child(&t, 0, "_");
    assert_int_equal(t.nodes[child(&t, dot, "c_")].file, 1);
    fs_tree_free(&t);
}

static void test_tree_duplicate_names_get_tilde_before_extension(void **state)
{
    (void)state;
    struct fs_file_in in[] = {
        {"T/a.txt", 1, false},   {"T/a.txt", 2, false},    {"T/a.txt", 3, false},
        {"T/README", 4, false},  {"T/README", 5, false},   {"T/.hidden", 6, false},
        {"T/.hidden", 7, false}, {"T/x.tar.gz", 8, false}, {"T/x.tar.gz", 9, false},
    };
    struct fs_tree t;
    build(in, 9, true, &t);
    check_tree(&t);
    assert_int_equal(t.nodes[child(&t, 0, "a.txt")].file, 0); /* the first one keeps its name */
    assert_int_equal(t.nodes[child(&t, 0, "a~2.txt")].file, 1);
    assert_int_equal(t.nodes[child(&t, 0, "a~3.txt")].file, 2);
    assert_int_equal(t.nodes[child(&t, 0, "README")].file, 3);
    assert_int_equal(t.nodes[child(&t, 0, "README~2")].file, 4);
    assert_int_equal(t.nodes[child(&t, 0, ".hidden")].file, 5);
    assert_int_equal(t.nodes[child(&t, 0, ".hidden~2")].file, 6);
    assert_int_equal(t.nodes[child(&t, 0, "x.tar.gz")].file, 7);
    assert_int_equal(t.nodes[child(&t, 0, "x.tar~2.gz")].file, 8);
    fs_tree_free(&t);
}

static void test_tree_names_equal_after_sanitizing_are_disambiguated(void **state)
{
    (void)state;
    struct fs_file_in in[] = {
        {"T/a\x01"
         "b.txt",
         1, false},
        {"T/a_b.txt", 2, false},
        {"T/a/b.txt", 3, false}, /* a directory "a" and its file, not a clash */
    };
    struct fs_tree t;
    build(in, 3, true, &t);
    check_tree(&t);
    assert_int_equal(t.nodes[child(&t, 0, "a_b.txt")].file, 0);
    assert_int_equal(t.nodes[child(&t, 0, "a_b~2.txt")].file, 1);
    fs_tree_free(&t);
}

static void test_tree_generated_name_skips_a_name_already_taken(void **state)
{
    (void)state;
    struct fs_file_in in[] = {
        {"T/a.txt", 1, false},
        {"T/a.txt", 2, false},
        {"T/a~2.txt", 3, false},
    };
    struct fs_tree t;
    build(in, 3, true, &t);
    check_tree(&t);
    assert_int_equal(t.nodes[child(&t, 0, "a.txt")].file, 0);
    assert_int_equal(t.nodes[child(&t, 0, "a~2.txt")].file, 2); /* a real name wins */
    assert_int_equal(t.nodes[child(&t, 0, "a~3.txt")].file, 1);
    assert_int_equal(t.n_nodes, 4);
    fs_tree_free(&t);
}

static void test_tree_file_and_directory_of_same_name_are_disambiguated(void **state)
{
    (void)state;
    struct fs_file_in file_first[] = {
        {"T/x", 1, false},
        {"T/x/y", 2, false},
        {"T/x/z", 3, false},
    };
    struct fs_tree t;
    build(file_first, 3, true, &t);
    check_tree(&t);
    uint32_t x = child(&t, 0, "x");
    assert_int_equal(t.nodes[x].file, 0);
    uint32_t dir = child(&t, 0, "x~2");
    assert_int_equal(t.nodes[dir].file, -1);
    assert_int_equal(t.nodes[dir].n_children, 2); /* both files went into the one directory */
    assert_int_equal(t.nodes[child(&t, dir, "z")].file, 2);
    fs_tree_free(&t);

    struct fs_file_in dir_first[] = {
        {"T/x.d/y", 1, false},
        {"T/x.d", 2, false},
    };
    build(dir_first, 2, true, &t);
    check_tree(&t);
    assert_int_equal(t.nodes[child(&t, 0, "x.d")].file, -1);
    assert_int_equal(t.nodes[child(&t, 0, "x~2.d")].file, 1);
    fs_tree_free(&t);

    /* a directory comes as early as its earliest file, wherever that sorts */
    struct fs_file_in mixed[] = {
        {"T/x/z", 1, false},
        {"T/x", 2, false},
        {"T/x/a", 3, false},
    };
    build(mixed, 3, true, &t);
    check_tree(&t);
    assert_int_equal(t.nodes[child(&t, 0, "x")].file, -1);
    assert_int_equal(t.nodes[child(&t, 0, "x~2")].file, 1);
    fs_tree_free(&t);
}

static void test_tree_duplicate_long_names_stay_within_name_max(void **state)
{
    (void)state;
    char name[2 + 300 + 1] = "T/";
    memset(name + 2, 'n', 300 - 4);
    memcpy(name + 2 + 300 - 4, ".mkv", 5); /* 300 bytes, sanitized to its first 255 */
    char cut[FS_NAME_MAX + 1];
    memcpy(cut, name + 2, FS_NAME_MAX);
    cut[FS_NAME_MAX] = '\0';
    struct fs_file_in in[] = {{name, 1, false}, {name, 2, false}};
    struct fs_tree t;
    build(in, 2, true, &t);
    check_tree(&t);
    assert_int_equal(t.nodes[child(&t, 0, cut)].file, 0);

    char want[FS_NAME_MAX + 1];
    memset(want, 'n', FS_NAME_MAX - 2);
    memcpy(want + FS_NAME_MAX - 2, "~2", 3); /* the cut name has no extension left */
    assert_int_equal(t.nodes[child(&t, 0, want)].file, 1);

    /* with an extension, it is kept and the stem is cut on a UTF-8 boundary */
    char u[2 + 84 * 3 + 4 + 1] = "T/";
    for (int i = 0; i < 84; i++)
        strcat(u, "日");
    strcat(u, ".mkv"); /* 256 bytes: sanitized to 84 characters + ".mk" (255) */
    char v[2 + 80 * 3 + 4 + 1] = "T/";
    for (int i = 0; i < 80; i++)
        strcat(v, "日");
    strcat(v, ".mkv"); /* 244 bytes: room for "~2" without cutting */
    struct fs_file_in in2[] = {{u, 1, false}, {u, 2, false}, {v, 3, false}, {v, 4, false}};
    fs_tree_free(&t);
    build(in2, 4, true, &t);
    check_tree(&t);
    char w[FS_NAME_MAX + 1] = "";
    for (int i = 0; i < 80; i++)
        strcat(w, "日");
    strcat(w, "~2.mkv");
    assert_int_equal(t.nodes[child(&t, 0, w)].file, 3);
    char x[FS_NAME_MAX + 1] = "";
    for (int i = 0; i < 84; i++)
        strcat(x, "日");
    strcat(x, ".mk");
    assert_int_equal(t.nodes[child(&t, 0, x)].file, 0);
    /* 84 characters + "~2.mk" is 257 bytes; 250 would split the 84th */
    x[83 * 3] = '\0';
    strcat(x, "~2.mk");
    assert_int_equal(strlen(x), 254);
    assert_int_equal(t.nodes[child(&t, 0, x)].file, 1);
    fs_tree_free(&t);
}

static void test_tree_duplicate_with_extension_too_long_to_keep(void **state)
{
    (void)state;
    char name[2 + FS_NAME_MAX + 1] = "T/a.";
    memset(name + 4, 'x', FS_NAME_MAX - 2); /* "a." + 253 x: the extension is 254 bytes */
    name[2 + FS_NAME_MAX] = '\0';
    struct fs_file_in in[] = {{name, 1, false}, {name, 2, false}};
    struct fs_tree t;
    build(in, 2, true, &t);
    check_tree(&t);
    char want[FS_NAME_MAX + 1];
    memcpy(want, name + 2, FS_NAME_MAX - 2); /* the name cut as a whole, then "~2" */
    memcpy(want + FS_NAME_MAX - 2, "~2", 3);
    assert_int_equal(t.nodes[child(&t, 0, want)].file, 1);
    fs_tree_free(&t);
}

static void test_tree_cut_names_that_clash_again_are_renamed_again(void **state)
{
    (void)state;
    /* two different long names whose "~2" forms are cut to the same name */
    char a[2 + FS_NAME_MAX + 1] = "T/", b[2 + FS_NAME_MAX + 1] = "T/";
    memset(a + 2, 'n', FS_NAME_MAX);
    a[2 + FS_NAME_MAX] = '\0';
    memset(b + 2, 'n', FS_NAME_MAX - 1);
    memcpy(b + 2 + FS_NAME_MAX - 1, "m", 2);
    struct fs_file_in in[] = {{a, 1, false}, {a, 2, false}, {b, 3, false}, {b, 4, false}};
    struct fs_tree t;
    build(in, 4, true, &t);
    check_tree(&t);
    assert_int_equal(t.nodes[0].n_children, 4);
    char want[FS_NAME_MAX + 1];
    memset(want, 'n', FS_NAME_MAX - 2);
    memcpy(want + FS_NAME_MAX - 2, "~2", 3);
    assert_int_equal(t.nodes[child(&t, 0, want)].file, 1);
    memcpy(want + FS_NAME_MAX - 2, "~3", 3);
    assert_int_equal(t.nodes[child(&t, 0, want)].file, 3);
    fs_tree_free(&t);
}

static void test_tree_path_without_components_still_names_a_file(void **state)
{
    (void)state;
    struct fs_file_in multi[] = {{"T", 1, false}, {"T/a", 2, false}};
    struct fs_tree t;
    build(multi, 2, true, &t);
    check_tree(&t);
    /* nothing to strip but the file's own name: it is kept */
    assert_int_equal(t.nodes[child(&t, 0, "T")].file, 0);
    assert_int_equal(t.nodes[child(&t, 0, "a")].file, 1);
    fs_tree_free(&t);

    struct fs_file_in none[] = {{"///", 1, false}};
    build(none, 1, false, &t);
    check_tree(&t);
    assert_int_equal(t.n_nodes, 2);
    assert_int_equal(t.nodes[child(&t, 0, "_")].file, 0);
    fs_tree_free(&t);
}

static void test_tree_many_duplicates_all_get_unique_names(void **state)
{
    (void)state;
    enum { N = 2000 };
    struct fs_file_in *in = calloc(N, sizeof *in);
    assert_non_null(in);
    for (int i = 0; i < N; i++)
        in[i] = (struct fs_file_in){"T/d/f", i, false};
    struct fs_tree t;
    build(in, N, true, &t);
    check_tree(&t);
    uint32_t d = child(&t, 0, "d");
    assert_int_equal(t.nodes[d].n_children, N);
    assert_int_equal(t.nodes[child(&t, d, "f")].file, 0);
    assert_int_equal(t.nodes[child(&t, d, "f~1000")].file, 999);
    assert_int_equal(t.nodes[child(&t, d, "f~2000")].file, 1999);
    fs_tree_free(&t);
    free(in);
}

static void test_tree_children_sorted_and_lookup_finds_each(void **state)
{
    (void)state;
    const char *names[] = {"zeta", "Alpha", "beta", "_x", "日本", "Zeta", "alpha", "0"};
    enum { N = sizeof names / sizeof names[0] };
    struct fs_file_in in[N];
    char paths[N][32];
    for (int i = 0; i < N; i++) {
        snprintf(paths[i], sizeof paths[i], "T/%s", names[i]);
        in[i] = (struct fs_file_in){paths[i], i, false};
    }
    struct fs_tree t;
    build(in, N, true, &t);
    check_tree(&t);
    const char *sorted[] = {"0", "Alpha", "Zeta", "_x", "alpha", "beta", "zeta", "日本"};
    assert_int_equal(t.nodes[0].n_children, N);
    for (int i = 0; i < N; i++) {
        uint32_t c = t.children[t.nodes[0].first_child + (uint32_t)i];
        assert_string_equal(t.nodes[c].name, sorted[i]);
        int64_t got = fs_tree_lookup(&t, 0, names[i]);
        assert_true(got > 0);
        assert_int_equal(t.nodes[got].file, i);
    }
    assert_int_equal(fs_tree_lookup(&t, 0, "gamma"), -1);
    assert_int_equal(fs_tree_lookup(&t, 0, ""), -1);
    assert_int_equal(fs_tree_lookup(&t, 0, "alph"), -1);
    assert_int_equal(fs_tree_lookup(&t, 0, "\xff"), -1);
    /* a file has no children, and a node that does not exist has none either */
    assert_int_equal(fs_tree_lookup(&t, child(&t, 0, "beta"), "beta"), -1);
    assert_int_equal(fs_tree_lookup(&t, t.n_nodes, "beta"), -1);
    fs_tree_free(&t);
}

static void test_tree_directory_sizes_and_subdir_counts(void **state)
{
    (void)state;
    struct fs_file_in in[] = {
        {"T/a/1", 10, false},     {"T/a/b/2", 20, false},  {"T/a/c/3", 30, false},
        {"T/a/c/d/4", 40, false}, {"T/5", 5 * GIB, false}, {"T/.pad/x", 999, true},
    };
    struct fs_tree t;
    build(in, 6, true, &t);
    check_tree(&t);
    uint32_t a = child(&t, 0, "a"), c = child(&t, a, "c"), d = child(&t, c, "d");
    assert_int_equal(t.nodes[0].size, 100 + 5 * GIB);
    assert_int_equal(t.nodes[0].n_subdirs, 1);
    assert_int_equal(t.nodes[a].size, 100);
    assert_int_equal(t.nodes[a].n_subdirs, 2);
    assert_int_equal(t.nodes[c].size, 70);
    assert_int_equal(t.nodes[c].n_subdirs, 1);
    assert_int_equal(t.nodes[d].size, 40);
    assert_int_equal(t.nodes[d].n_subdirs, 0);
    fs_tree_free(&t);
}

static void test_tree_free_leaves_an_empty_tree(void **state)
{
    (void)state;
    struct fs_file_in in[] = {{"f", 1, false}};
    struct fs_tree t;
    build(in, 1, false, &t);
    fs_tree_free(&t);
    assert_null(t.nodes);
    assert_null(t.children);
    assert_null(t.names);
    assert_int_equal(t.n_nodes, 0);
    fs_tree_free(&t); /* and a second free is harmless */
    assert_int_equal(fs_tree_lookup(&t, 0, "f"), -1);
}

/* ---- fs_piece_range ---------------------------------------------------------- */

/* 10 pieces of 100 bytes, the last one 50 bytes. */
static const struct fs_geom G = {100, 10, 950};

static void assert_range(int64_t foff, int64_t fsize, int64_t off, int64_t len, int32_t want_first,
                         int32_t want_last)
{
    int32_t first = -7, last = -7;
    assert_int_equal(fs_piece_range(&G, foff, fsize, off, len, &first, &last), 1);
    assert_int_equal(first, want_first);
    assert_int_equal(last, want_last);
}

static void assert_empty(const struct fs_geom *g, int64_t foff, int64_t fsize, int64_t off,
                         int64_t len)
{
    int32_t first = -7, last = -7;
    assert_int_equal(fs_piece_range(g, foff, fsize, off, len, &first, &last), 0);
}

static void test_piece_range_file_at_torrent_start(void **state)
{
    (void)state;
    assert_range(0, 250, 0, 1, 0, 0);
    assert_range(0, 250, 0, 100, 0, 0);
    assert_range(0, 250, 99, 2, 0, 1);
    assert_range(0, 250, 0, 250, 0, 2);
}

static void test_piece_range_file_spanning_several_pieces(void **state)
{
    (void)state;
    assert_range(0, 950, 150, 300, 1, 4); /* bytes 150..449 */
    assert_range(0, 950, 200, 200, 2, 3); /* exactly pieces 2 and 3 */
}

static void test_piece_range_file_starting_mid_piece(void **state)
{
    (void)state;
    assert_range(130, 200, 0, 10, 1, 1);  /* torrent bytes 130..139 */
    assert_range(130, 200, 0, 200, 1, 3); /* 130..329 */
    assert_range(130, 200, 70, 1, 2, 2);  /* 200 */
    assert_range(130, 200, 69, 1, 1, 1);  /* 199 */
}

static void test_piece_range_last_short_piece(void **state)
{
    (void)state;
    assert_range(900, 50, 0, 50, 9, 9);
    assert_range(850, 100, 0, 100, 8, 9);
    assert_range(0, 950, 949, 1, 9, 9);
}

static void test_piece_range_offset_at_or_beyond_file_end_is_empty(void **state)
{
    (void)state;
    assert_empty(&G, 100, 50, 50, 10);
    assert_empty(&G, 100, 50, 1000, 10);
    assert_empty(&G, 0, 950, 950, 1);
}

static void test_piece_range_zero_length_read_is_empty(void **state)
{
    (void)state;
    assert_empty(&G, 0, 950, 0, 0);
    assert_empty(&G, 0, 950, 500, 0);
}

static void test_piece_range_zero_byte_file_is_empty(void **state)
{
    (void)state;
    assert_empty(&G, 300, 0, 0, 4096);
    assert_empty(&G, 950, 0, 0, 1); /* a 0-byte file at the very end of the torrent */
}

static void test_piece_range_clips_read_at_file_end(void **state)
{
    (void)state;
    assert_range(0, 250, 0, 1000, 0, 2);        /* not 9: the file ends in piece 2 */
    assert_range(130, 200, 150, 4096, 2, 3);    /* 280..329 */
    assert_range(0, 250, 200, INT64_MAX, 2, 2); /* no overflow on a huge length */
}

static void test_piece_range_offsets_beyond_4gib(void **state)
{
    (void)state;
    const struct fs_geom big = {4 * MIB, 3000, 3000 * 4 * MIB - 123};
    int32_t first, last;
    /* a file starting at 5 GiB + 1 MiB: piece 1280 holds 5 GiB .. 5 GiB + 4 MiB */
    assert_int_equal(fs_piece_range(&big, 5 * GIB + MIB, 6 * GIB, 0, 3 * MIB, &first, &last), 1);
    assert_int_equal(first, 1280);
    assert_int_equal(last, 1280);
    /* 4 GiB into that file: 9 GiB + 1 MiB is in piece 2304 */
    assert_int_equal(
        fs_piece_range(&big, 5 * GIB + MIB, 6 * GIB, 4 * GIB, 3 * MIB + 1, &first, &last), 1);
    assert_int_equal(first, 2304);
    assert_int_equal(last, 2305);
    /* the torrent's last (short) piece */
    assert_int_equal(fs_piece_range(&big, 0, big.total_size, big.total_size - 1, 1, &first, &last),
                     1);
    assert_int_equal(first, 2999);
    assert_int_equal(last, 2999);
}

/* ---- fs_ra_plan -------------------------------------------------------------- */

/* 64 pieces of 1 MiB; the file under test is the whole torrent unless said. */
static const struct fs_geom RG = {MIB, 64, 64 * MIB};
#define WIN (4 * MIB)

static struct fs_ra fresh_ra(void)
{
    return (struct fs_ra){.next_off = -1, .streak = 0, .win_first = -1, .win_last = -1};
}

static struct fs_ra_plan plan(struct fs_ra *ra, int64_t off, int64_t len, int64_t window)
{
    struct fs_ra_plan p;
    fs_ra_plan(ra, &RG, 0, RG.total_size, off, len, window, &p);
    return p;
}

static void assert_plan(const struct fs_ra_plan *p, int32_t nf, int32_t nl, int32_t rf, int32_t rl)
{
    assert_int_equal(p->need_first, nf);
    assert_int_equal(p->need_last, nl);
    assert_int_equal(p->ra_first, rf);
    assert_int_equal(p->ra_last, rl);
}

static void test_ra_first_read_gets_one_piece_of_readahead(void **state)
{
    (void)state;
    struct fs_ra ra = fresh_ra();
    struct fs_ra_plan p = plan(&ra, 0, 128 * KIB, WIN);
    assert_plan(&p, 0, 0, 1, 1);
    assert_false(p.reset);
    assert_int_equal(ra.next_off, 128 * KIB);
    assert_int_equal(ra.streak, 0);
    assert_int_equal(ra.win_first, 0);
    assert_int_equal(ra.win_last, 1);
}

static void test_ra_zero_initialised_state_is_a_first_read(void **state)
{
    (void)state;
    struct fs_ra ra;
    memset(&ra, 0, sizeof ra);
    /* not a seek away from a window [0, 0] that was never asked for */
    struct fs_ra_plan p = plan(&ra, 10 * MIB, 4 * KIB, WIN);
    assert_plan(&p, 10, 10, 11, 11);
    assert_false(p.reset);
    assert_int_equal(ra.next_off, 10 * MIB + 4 * KIB);
}

static void test_ra_sequential_reads_widen_to_window(void **state)
{
    (void)state;
    struct fs_ra ra = fresh_ra();
    plan(&ra, 0, 128 * KIB, WIN);
    struct fs_ra_plan p = plan(&ra, 128 * KIB, 128 * KIB, WIN);
    /* window bytes after the read: 256 KiB .. 4 MiB + 256 KiB */
    assert_plan(&p, 0, 0, 1, 4);
    assert_false(p.reset);
    assert_int_equal(ra.streak, 1);
    for (int64_t off = 256 * KIB; off < 3 * MIB; off += 128 * KIB)
        p = plan(&ra, off, 128 * KIB, WIN);
    /* the last read ends at 3 MiB: read-ahead to 7 MiB */
    assert_plan(&p, 2, 2, 3, 6);
    assert_false(p.reset);
    assert_int_equal(ra.streak, 23);
    assert_int_equal(ra.win_first, 2);
    assert_int_equal(ra.win_last, 6);
}

static void test_ra_sequential_readahead_clipped_at_file_end(void **state)
{
    (void)state;
    struct fs_ra ra = fresh_ra();
    struct fs_ra_plan p;
    fs_ra_plan(&ra, &RG, 0, 62 * MIB, 60 * MIB, 128 * KIB, WIN, &p);
    fs_ra_plan(&ra, &RG, 0, 62 * MIB, 60 * MIB + 128 * KIB, 128 * KIB, WIN, &p);
    assert_plan(&p, 60, 60, 61, 61); /* the file ends with piece 61, the torrent does not */
    fs_ra_plan(&ra, &RG, 0, 62 * MIB, 60 * MIB + 256 * KIB, 4 * MIB, WIN, &p);
    assert_plan(&p, 60, 61, -1, -1); /* to the end: nothing left to read ahead */
    assert_int_equal(ra.streak, 2);
    assert_int_equal(ra.next_off, 62 * MIB);
}

static void test_ra_file_in_middle_of_torrent_uses_torrent_pieces(void **state)
{
    (void)state;
    struct fs_ra ra = fresh_ra();
    struct fs_ra_plan p;
    /* a 3 MiB file starting at 10.5 MiB: pieces 10..13 */
    fs_ra_plan(&ra, &RG, 10 * MIB + 512 * KIB, 3 * MIB, 0, 256 * KIB, WIN, &p);
    assert_plan(&p, 10, 10, 11, 11);
    fs_ra_plan(&ra, &RG, 10 * MIB + 512 * KIB, 3 * MIB, 256 * KIB, 256 * KIB, WIN, &p);
    assert_plan(&p, 10, 10, 11, 13); /* ends exactly at 11 MiB; the file ends in piece 13 */
    assert_int_equal(ra.next_off, 512 * KIB); /* file offsets, not torrent offsets */
}

static void test_ra_read_within_128k_after_next_off_is_sequential(void **state)
{
    (void)state;
    struct fs_ra ra = fresh_ra();
    plan(&ra, 0, 128 * KIB, WIN);
    struct fs_ra_plan p = plan(&ra, 256 * KIB, 128 * KIB, WIN); /* 128 KiB past next_off */
    assert_plan(&p, 0, 0, 1, 4);
    assert_int_equal(ra.streak, 1);

    p = plan(&ra, 512 * KIB + 1, 4 * KIB, WIN); /* 128 KiB + 1 past: not sequential */
    assert_plan(&p, 0, 0, 1, 1);
    assert_false(p.reset); /* but within the window: no seek */
    assert_int_equal(ra.streak, 0);

    ra = fresh_ra();
    plan(&ra, 1 * MIB, 128 * KIB, WIN);
    p = plan(&ra, 1 * MIB, 128 * KIB, WIN); /* going back is not sequential */
    assert_plan(&p, 1, 1, 2, 2);
    assert_int_equal(ra.streak, 0);
}

static void test_ra_seek_resets_with_old_window(void **state)
{
    (void)state;
    struct fs_ra ra = fresh_ra();
    plan(&ra, 0, 128 * KIB, WIN);
    plan(&ra, 128 * KIB, 128 * KIB, WIN); /* window 0..4 */
    struct fs_ra_plan p = plan(&ra, 40 * MIB, 64 * KIB, WIN);
    assert_true(p.reset);
    assert_int_equal(p.old_first, 0);
    assert_int_equal(p.old_last, 4);
    assert_plan(&p, 40, 40, 41, 41);
    assert_int_equal(ra.streak, 0);
    assert_int_equal(ra.win_first, 40);
    assert_int_equal(ra.win_last, 41);

    p = plan(&ra, 2 * MIB, 4 * KIB, WIN); /* and back: another seek */
    assert_true(p.reset);
    assert_int_equal(p.old_first, 40);
    assert_int_equal(p.old_last, 41);

    p = plan(&ra, 2 * MIB + 4 * KIB, 4 * KIB, WIN); /* then streaming again */
    assert_false(p.reset);
    assert_int_equal(p.old_first, -1);
    assert_plan(&p, 2, 2, 3, 6);
}

static void test_ra_random_reads_get_one_piece_of_readahead(void **state)
{
    (void)state;
    struct fs_ra ra = fresh_ra();
    struct fs_ra_plan p = plan(&ra, 20 * MIB, 2 * MIB + 1, WIN);
    assert_plan(&p, 20, 22, 23, 23);
    p = plan(&ra, 5 * MIB, 4 * KIB, WIN);
    assert_plan(&p, 5, 5, 6, 6);
    p = plan(&ra, 63 * MIB + 5, 4 * KIB, WIN); /* the file's last piece: nothing after it */
    assert_plan(&p, 63, 63, -1, -1);
}

static void test_ra_random_read_inside_window_keeps_its_far_end(void **state)
{
    (void)state;
    struct fs_ra ra = fresh_ra();
    plan(&ra, 0, 128 * KIB, WIN);
    plan(&ra, 128 * KIB, 128 * KIB, WIN); /* window 0..4 */
    struct fs_ra_plan p = plan(&ra, 2 * MIB, 4 * KIB, WIN);
    assert_false(p.reset);
    assert_plan(&p, 2, 2, 3, 3);
    /* piece 4 still has this reader's deadline: a later seek must drop it */
    assert_int_equal(ra.win_first, 2);
    assert_int_equal(ra.win_last, 4);
    p = plan(&ra, 10 * MIB, 4 * KIB, WIN);
    assert_true(p.reset);
    assert_int_equal(p.old_first, 2);
    assert_int_equal(p.old_last, 4);
}

static void test_ra_window_zero_disables_readahead(void **state)
{
    (void)state;
    struct fs_ra ra = fresh_ra();
    struct fs_ra_plan p = plan(&ra, 0, 512 * KIB, 0);
    assert_plan(&p, 0, 0, -1, -1);
    p = plan(&ra, 512 * KIB, 512 * KIB, 0);
    assert_plan(&p, 0, 0, -1, -1);
    p = plan(&ra, 1 * MIB, 512 * KIB, 0); /* stepping into piece 1 is streaming, not a seek */
    assert_plan(&p, 1, 1, -1, -1);
    assert_false(p.reset);
    assert_int_equal(ra.streak, 2);
    p = plan(&ra, 30 * MIB, 512 * KIB, 0); /* a random read gets no piece either */
    assert_plan(&p, 30, 30, -1, -1);
    assert_true(p.reset);
    assert_int_equal(p.old_first, 1);
    assert_int_equal(p.old_last, 1);
}

static void test_ra_empty_read_plans_nothing_and_keeps_state(void **state)
{
    (void)state;
    struct fs_ra ra = fresh_ra();
    plan(&ra, 0, 128 * KIB, WIN);
    struct fs_ra before = ra;
    struct fs_ra_plan p = plan(&ra, 64 * MIB, 4 * KIB, WIN); /* at end of file */
    assert_plan(&p, -1, -1, -1, -1);
    assert_false(p.reset);
    p = plan(&ra, 5 * MIB, 0, WIN);
    assert_plan(&p, -1, -1, -1, -1);
    assert_false(p.reset);
    assert_memory_equal(&ra, &before, sizeof ra);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sanitize_replaces_slash_and_control_chars),
        cmocka_unit_test(test_sanitize_replaces_c1_controls_raw_and_encoded),
        cmocka_unit_test(test_sanitize_replaces_each_invalid_utf8_byte),
        cmocka_unit_test(test_sanitize_replaces_overlong_encodings),
        cmocka_unit_test(test_sanitize_replaces_surrogates_and_code_points_past_u10ffff),
        cmocka_unit_test(test_sanitize_replaces_truncated_sequences),
        cmocka_unit_test(test_sanitize_dot_names_and_empty_name),
        cmocka_unit_test(test_sanitize_keeps_valid_non_ascii_byte_for_byte),
        cmocka_unit_test(test_sanitize_cuts_long_ascii_name_at_name_max),
        cmocka_unit_test(test_sanitize_cuts_long_name_on_utf8_boundary),
        cmocka_unit_test(test_sanitize_respects_small_output_buffer),
        cmocka_unit_test(test_dir_name_without_clash_is_the_sanitized_name),
        cmocka_unit_test(test_dir_name_with_clash_appends_hash_prefix),
        cmocka_unit_test(test_dir_name_long_name_keeps_clash_suffix_whole),
        cmocka_unit_test(test_dir_name_respects_small_output_buffer),
        cmocka_unit_test(test_tree_single_file_torrent_has_the_file_under_node_0),
        cmocka_unit_test(test_tree_multi_file_strips_torrent_dir_and_nests),
        cmocka_unit_test(test_tree_merges_a_directory_listed_in_several_places),
        cmocka_unit_test(test_tree_hides_pad_files),
        cmocka_unit_test(test_tree_keeps_zero_byte_files),
        cmocka_unit_test(test_tree_empty_file_list_is_just_the_root),
        cmocka_unit_test(test_tree_sanitizes_components_and_skips_empty_ones),
        cmocka_unit_test(test_tree_duplicate_names_get_tilde_before_extension),
        cmocka_unit_test(test_tree_names_equal_after_sanitizing_are_disambiguated),
        cmocka_unit_test(test_tree_generated_name_skips_a_name_already_taken),
        cmocka_unit_test(test_tree_file_and_directory_of_same_name_are_disambiguated),
        cmocka_unit_test(test_tree_duplicate_long_names_stay_within_name_max),
        cmocka_unit_test(test_tree_duplicate_with_extension_too_long_to_keep),
        cmocka_unit_test(test_tree_cut_names_that_clash_again_are_renamed_again),
        cmocka_unit_test(test_tree_path_without_components_still_names_a_file),
        cmocka_unit_test(test_tree_many_duplicates_all_get_unique_names),
        cmocka_unit_test(test_tree_children_sorted_and_lookup_finds_each),
        cmocka_unit_test(test_tree_directory_sizes_and_subdir_counts),
        cmocka_unit_test(test_tree_free_leaves_an_empty_tree),
        cmocka_unit_test(test_piece_range_file_at_torrent_start),
        cmocka_unit_test(test_piece_range_file_spanning_several_pieces),
        cmocka_unit_test(test_piece_range_file_starting_mid_piece),
        cmocka_unit_test(test_piece_range_last_short_piece),
        cmocka_unit_test(test_piece_range_offset_at_or_beyond_file_end_is_empty),
        cmocka_unit_test(test_piece_range_zero_length_read_is_empty),
        cmocka_unit_test(test_piece_range_zero_byte_file_is_empty),
        cmocka_unit_test(test_piece_range_clips_read_at_file_end),
        cmocka_unit_test(test_piece_range_offsets_beyond_4gib),
        cmocka_unit_test(test_ra_first_read_gets_one_piece_of_readahead),
        cmocka_unit_test(test_ra_zero_initialised_state_is_a_first_read),
        cmocka_unit_test(test_ra_sequential_reads_widen_to_window),
        cmocka_unit_test(test_ra_sequential_readahead_clipped_at_file_end),
        cmocka_unit_test(test_ra_file_in_middle_of_torrent_uses_torrent_pieces),
        cmocka_unit_test(test_ra_read_within_128k_after_next_off_is_sequential),
        cmocka_unit_test(test_ra_seek_resets_with_old_window),
        cmocka_unit_test(test_ra_random_reads_get_one_piece_of_readahead),
        cmocka_unit_test(test_ra_random_read_inside_window_keeps_its_far_end),
        cmocka_unit_test(test_ra_window_zero_disables_readahead),
        cmocka_unit_test(test_ra_empty_read_plans_nothing_and_keeps_state),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
