/*
 * names.c — safe names for the mount and the Files tab; see file_tree.h.
 *
 * Torrent metadata is untrusted: a path component may hold '/', control
 * characters, broken UTF-8 or "..". Every name the kernel sees goes through
 * here so that a listing can neither escape its directory nor confuse a
 * terminal, and so that each name stays valid UTF-8 even when it is cut.
 * The UTF-8 check and the control rule are util/utf8.h's, the same as the
 * CLI's and the TUI's: overlong forms, surrogates and code points above
 * U+10FFFF are bad bytes; C0, DEL and C1 (U+0080-009F, a CSI as U+009B)
 * are controls. Here both become '_' (a file name has no U+FFFD tradition
 * and '_' keeps names short).
 */
#include "util/file_tree.h"
#include "util/utf8.h"

#include <ctype.h>
#include <string.h>

#define CLASH_HEX 8 /* info-hash digits in a clash suffix */

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
        uint32_t cp = 0;
        size_t k = util_utf8_seq(in + i, len - i, &cp);
        if (o + (k ? k : 1) > max) break; /* stop before a character that does not fit */
        if (k == 0) {                     /* each bad byte */
            out[o++] = '_';
            i++;
        } else if (util_is_control(cp) || cp == '/') { /* C0, DEL, C1: the whole character */
            out[o++] = '_';
            i += k;
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
