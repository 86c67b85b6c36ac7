/*
 * names.c — safe names for the mount; see tree.h.
 *
 * Torrent metadata is untrusted: a path component may hold '/', control
 * characters, broken UTF-8 or "..". Every name the kernel sees goes through
 * here so that a listing can neither escape its directory nor confuse a
 * terminal, and so that each name stays valid UTF-8 even when it is cut.
 * The UTF-8 check is our own (no locale dependence): it refuses overlong
 * forms, surrogates and code points above U+10FFFF, as the standard does.
 */
#include "fuse/tree.h"

#include <ctype.h>
#include <string.h>

#define CLASH_HEX 8 /* info-hash digits in a clash suffix */

/* Length of the valid UTF-8 sequence of 2-4 bytes at s (n bytes left), or 0
 * when s does not start one. The second byte's range carries the rules that
 * make the encoding unique (no overlongs, no surrogates, nothing past
 * U+10FFFF). */
static size_t utf8_seq(const unsigned char *s, size_t n)
{
    unsigned c = s[0], lo = 0x80, hi = 0xbf;
    size_t k;
    if (c >= 0xc2 && c <= 0xdf) {
        k = 2;
    } else if (c >= 0xe0 && c <= 0xef) {
        k = 3;
        if (c == 0xe0) lo = 0xa0; /* overlong below U+0800 */
        if (c == 0xed) hi = 0x9f; /* U+D800-DFFF: surrogates */
    } else if (c >= 0xf0 && c <= 0xf4) {
        k = 4;
        if (c == 0xf0) lo = 0x90; /* overlong below U+10000 */
        if (c == 0xf4) hi = 0x8f; /* beyond U+10FFFF */
    } else {
        return 0; /* a continuation byte, C0/C1 (always overlong) or F5-FF */
    }
    if (n < k || s[1] < lo || s[1] > hi) return 0;
    for (size_t i = 2; i < k; i++)
        if ((s[i] & 0xc0) != 0x80) return 0;
    return k;
}

size_t fs_sanitize_name(const char *in, size_t len, char *out, size_t outlen)
{
    const unsigned char *s = (const unsigned char *)in;
    if (outlen < 2) { /* outside the contract: at least stay in bounds */
        if (outlen) out[0] = '\0';
        return 0;
    }
    size_t max = outlen - 1 < FS_NAME_MAX ? outlen - 1 : FS_NAME_MAX;
    size_t o = 0;
    for (size_t i = 0; i < len;) {
        size_t k = s[i] < 0x80 ? 1 : utf8_seq(s + i, len - i);
        if (o + (k ? k : 1) > max) break; /* stop before a character that does not fit */
        if (k == 0 || s[i] < 0x20 || s[i] == 0x7f || s[i] == '/') {
            out[o++] = '_';
            i++;
        } else {
            memcpy(out + o, s + i, k);
            o += k;
            i += k;
        }
    }
    out[o] = '\0';
    /* "", "." and ".." would name the directory itself or its parent */
    if (o == 0 || (o == 1 && out[0] == '.') || (o == 2 && out[0] == '.' && out[1] == '.')) {
        o = o == 2 ? 2 : 1;
        memset(out, '_', o);
        out[o] = '\0';
    }
    return o;
}

void fs_torrent_dir_name(const char *torrent_name, const char *info_hash, bool clash, char *out,
                         size_t outlen)
{
    const char *name = torrent_name ? torrent_name : "";
    if (outlen < 2) {
        if (outlen) out[0] = '\0';
        return;
    }
    size_t max = outlen - 1 < FS_NAME_MAX ? outlen - 1 : FS_NAME_MAX;
    char suffix[CLASH_HEX + 4] = " [";
    size_t sl = 2;
    for (size_t i = 0; clash && info_hash && i < CLASH_HEX && isxdigit((unsigned char)info_hash[i]);
         i++)
        suffix[sl++] = (char)tolower((unsigned char)info_hash[i]);
    suffix[sl++] = ']';
    suffix[sl] = '\0';
    /* the suffix is what tells two same-named torrents apart, so it is the
     * name that gets cut; with no room for both, the name alone is better
     * than a broken suffix */
    if (!clash || max < sl + 1) {
        fs_sanitize_name(name, strlen(name), out, max + 1);
        return;
    }
    size_t n = fs_sanitize_name(name, strlen(name), out, max - sl + 1);
    memcpy(out + n, suffix, sl + 1);
}
