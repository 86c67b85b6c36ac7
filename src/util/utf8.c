/*
 * utf8.c — UTF-8 checking, U+FFFD replacement and terminal-safe text; see
 * utf8.h for the rules. The decoder is our own (no locale dependence, the
 * same answer in the CLI, the TUI, the engine and the mount).
 */
#include "util/utf8.h"

#include <stdlib.h>
#include <string.h>

size_t util_utf8_seq(const char *s, size_t n, uint32_t *cp)
{
    if (n == 0) return 0;
    const unsigned char *p = (const unsigned char *)s;
    unsigned c = p[0], lo = 0x80, hi = 0xbf;
    size_t k;
    uint32_t v;
    if (c < 0x80) {
        if (cp) *cp = c;
        return 1;
    }
    /* the second byte's range carries the rules that make the encoding
     * unique: no overlongs, no surrogates, nothing past U+10FFFF */
    if (c >= 0xc2 && c <= 0xdf) {
        k = 2, v = c & 0x1f;
    } else if (c >= 0xe0 && c <= 0xef) {
        k = 3, v = c & 0x0f;
        if (c == 0xe0) lo = 0xa0; /* overlong below U+0800 */
        if (c == 0xed) hi = 0x9f; /* U+D800-DFFF: surrogates */
    } else if (c >= 0xf0 && c <= 0xf4) {
        k = 4, v = c & 0x07;
        if (c == 0xf0) lo = 0x90; /* overlong below U+10000 */
        if (c == 0xf4) hi = 0x8f; /* beyond U+10FFFF */
    } else {
        return 0; /* a continuation byte, C0/C1 (always overlong) or F5-FF */
    }
    if (n < k || p[1] < lo || p[1] > hi) return 0;
    v = (v << 6) | (p[1] & 0x3f);
    for (size_t i = 2; i < k; i++) {
        if ((p[i] & 0xc0) != 0x80) return 0; /* also stops at a NUL */
        v = (v << 6) | (p[i] & 0x3f);
    }
    if (cp) *cp = v;
    return k;
}

size_t util_utf8_decode(const char *s, uint32_t *cp)
{
    /* a sequence never runs past the NUL: util_utf8_seq stops at the
     * first byte that is not a continuation */
    size_t k = util_utf8_seq(s, 4, cp);
    if (k) return k;
    *cp = 0xfffd;
    return 1;
}

size_t util_utf8_encode(uint32_t cp, char out[4])
{
    if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) cp = 0xfffd;
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (char)(0xc0 | (cp >> 6));
        out[1] = (char)(0x80 | (cp & 0x3f));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (char)(0xe0 | (cp >> 12));
        out[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
        out[2] = (char)(0x80 | (cp & 0x3f));
        return 3;
    }
    out[0] = (char)(0xf0 | (cp >> 18));
    out[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
    out[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
    out[3] = (char)(0x80 | (cp & 0x3f));
    return 4;
}

bool util_utf8_valid(const char *in, size_t len)
{
    for (size_t i = 0; i < len;) {
        size_t k = util_utf8_seq(in + i, len - i, NULL);
        if (!k) return false;
        i += k;
    }
    return true;
}

bool util_is_control(uint32_t cp)
{
    return cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp < 0xa0);
}

/* The shared body of the two sanitizers: term adds the control rule. */
static size_t sanitize(char *out, size_t outlen, const char *in, size_t len, bool term)
{
    size_t o = 0;
    if (outlen == 0) return 0;
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        size_t k = util_utf8_seq(in + i, len - i, &cp);
        const char *put = in + i;
        size_t put_len = k;
        if (!k) {
            put = UTIL_UTF8_REPL, put_len = 3, k = 1;
        } else if (term && util_is_control(cp)) {
            static const char repl = UTIL_TERM_REPL;
            put = &repl, put_len = 1;
        }
        if (o + put_len >= outlen) break; /* stop before what does not fit */
        memcpy(out + o, put, put_len);
        o += put_len;
        i += k;
    }
    out[o] = '\0';
    return o;
}

size_t util_utf8_sanitize(char *out, size_t outlen, const char *in, size_t len)
{
    return sanitize(out, outlen, in, len, false);
}

size_t util_term_sanitize(char *out, size_t outlen, const char *in, size_t len)
{
    return sanitize(out, outlen, in, len, true);
}

char *util_utf8_dup(const char *in, size_t len)
{
    if (len > (SIZE_MAX - 1) / 3) return NULL;
    char *out = malloc(3 * len + 1);
    if (out) util_utf8_sanitize(out, 3 * len + 1, in, len);
    return out;
}

int util_term_fputs(const char *s, FILE *f)
{
    char buf[1024];
    size_t len = s ? strlen(s) : 0;
    for (size_t i = 0; i < len;) {
        /* a piece that ends on a character boundary: the next piece must
         * not start inside a sequence */
        size_t n = 0;
        while (i + n < len && n < 256) {
            size_t k = util_utf8_seq(s + i + n, len - i - n, NULL);
            n += k ? k : 1;
        }
        size_t o = util_term_sanitize(buf, sizeof buf, s + i, n);
        if (fwrite(buf, 1, o, f) != o) return EOF;
        i += n;
    }
    return 0;
}
