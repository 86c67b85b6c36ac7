/*
 * fuzz_names.c — libFuzzer target for the FUSE name sanitizer
 * (src/util/names.c): fs_sanitize_name and fs_torrent_dir_name.
 *
 * Input: the first byte is the output buffer size (0..255), the second
 * picks the clash suffix, the rest is the raw name (may hold NULs for
 * fs_sanitize_name). Checked: the result fits, is valid UTF-8, holds no
 * '/', C0 control, DEL or C1 control, is never "", "." or "..", and its length is the
 * return value.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/file_tree.h"

/* Strict UTF-8 check (no overlongs, surrogates or > U+10FFFF). */
static bool valid_utf8(const unsigned char *s, size_t n)
{
    for (size_t i = 0; i < n;) {
        unsigned c = s[i];
        size_t k;
        unsigned lo = 0x80, hi = 0xbf;
        if (c < 0x80) {
            i++;
            continue;
        } else if (c >= 0xc2 && c <= 0xdf) {
            k = 2;
        } else if (c >= 0xe0 && c <= 0xef) {
            k = 3;
            if (c == 0xe0) lo = 0xa0;
            if (c == 0xed) hi = 0x9f;
        } else if (c >= 0xf0 && c <= 0xf4) {
            k = 4;
            if (c == 0xf0) lo = 0x90;
            if (c == 0xf4) hi = 0x8f;
        } else {
            return false;
        }
        if (i + k > n || s[i + 1] < lo || s[i + 1] > hi) return false;
        for (size_t j = 2; j < k; j++)
            if ((s[i + j] & 0xc0) != 0x80) return false;
        i += k;
    }
    return true;
}

static void check_name(const char *out, size_t outlen, size_t n)
{
    if (outlen < 2) return; /* outside the contract; only bounds are checked (by ASan) */
    if (n != strlen(out) || n >= outlen || n > FS_NAME_MAX) abort();
    if (n == 0 || strcmp(out, ".") == 0 || strcmp(out, "..") == 0) abort();
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)out[i];
        if (c == '/' || c < 0x20 || c == 0x7f) abort();
        /* C1 controls U+0080..U+009F are C2 80..C2 9F in UTF-8 */
        if (c == 0xc2 && i + 1 < n && (unsigned char)out[i + 1] <= 0x9f) abort();
    }
    if (!valid_utf8((const unsigned char *)out, n)) abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2) return 0;
    size_t outlen = data[0];
    uint8_t sel = data[1];
    const char *in = (const char *)data + 2;
    size_t len = size - 2;

    char *out = malloc(outlen ? outlen : 1);
    if (!out) abort();
    size_t n = fs_sanitize_name(in, len, out, outlen);
    check_name(out, outlen, n);

    char *name = malloc(len + 1);
    if (!name) abort();
    memcpy(name, in, len);
    name[len] = '\0';
    static const char hash[] = "0123456789abcdef0123456789abcdef01234567";
    fs_torrent_dir_name(name, (sel & 2) ? hash : NULL, sel & 1, out, outlen);
    if (outlen >= 2) check_name(out, outlen, strlen(out));
    free(name);
    free(out);
    return 0;
}
