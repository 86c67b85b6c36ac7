/*
 * format.c — pure text formatting for the terminal UI; see format.h.
 *
 * The UTF-8 decoder is our own so that a torrent name with broken bytes is
 * rendered predictably (U+FFFD) whatever the locale; only the width of a
 * valid code point comes from the C library (wcwidth), which is also what
 * ncursesw uses to place characters, so our columns and its agree.
 */
#include "ui/format.h"
#include "util/str.h"
#include "util/utf8.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <wchar.h>

static double clamp01(double f)
{
    if (isnan(f) || f < 0) return 0;
    return f > 1 ? 1 : f;
}

/* floor(frac * scale), but never `scale` unless frac is exactly 1. */
static int scaled_down(double frac, int scale)
{
    frac = clamp01(frac);
    if (frac >= 1.0) return scale;
    int v = (int)(frac * scale); /* non-negative: truncation is floor */
    return v >= scale ? scale - 1 : v;
}

size_t ui_fmt_percent(char *buf, size_t n, double frac)
{
    return util_snprintf(buf, n, "%d%%", scaled_down(frac, 100));
}

size_t ui_fmt_bar(char *buf, size_t n, double frac, int cells)
{
    if (n == 0) return 0;
    buf[0] = '\0';
    if (cells < 1 || (size_t)cells + 3 > n) return 0;
    int done = scaled_down(frac, cells);
    size_t k = 0;
    buf[k++] = '[';
    for (int i = 0; i < cells; i++)
        buf[k++] = i < done ? '#' : '.';
    buf[k++] = ']';
    buf[k] = '\0';
    return k;
}

size_t ui_fmt_progress(char *buf, size_t n, double frac, int cells)
{
    char bar[256], pct[8];
    if (cells > (int)sizeof bar - 3) cells = (int)sizeof bar - 3;
    ui_fmt_bar(bar, sizeof bar, frac, cells);
    ui_fmt_percent(pct, sizeof pct, frac);
    return util_snprintf(buf, n, "%s %4s", bar, pct);
}

/* ---- UTF-8 ---------------------------------------------------------------- */

/* One character as we render it: the bytes to emit and its width. */
struct glyph {
    char bytes[4];
    size_t len;
    int width;
};

/* Decodes the character at s into g; returns the input bytes consumed. */
static size_t next_glyph(const char *s, struct glyph *g)
{
    uint32_t cp;
    size_t used = util_utf8_decode(s, &cp);
    if (util_is_control(cp)) {
        /* C0/C1 controls would move the cursor or start escapes: the
         * replacement every front end shows (util/utf8.h) */
        g->bytes[0] = UTIL_TERM_REPL;
        g->len = 1;
        g->width = 1;
        return used;
    }
    g->len = util_utf8_encode(cp, g->bytes);
    int w = wcwidth((wchar_t)cp);
    /* -1: unassigned, or a non-UTF-8 locale; the terminal will most likely
     * give it one cell. */
    g->width = w < 0 ? 1 : w;
    return used;
}

int ui_str_width(const char *s)
{
    int w = 0;
    struct glyph g;
    while (*s) {
        s += next_glyph(s, &g);
        w += g.width;
    }
    return w;
}

/* Copies characters from `in` while they fit in `max_cols` columns and in
 * `max_bytes` bytes of buf. A zero-width character is kept only after a
 * kept base character. Sets *all when the whole input was copied.
 * Returns the columns written; *len gets the bytes written (no NUL). */
static int copy_cols(char *buf, size_t max_bytes, const char *in, int max_cols, size_t *len,
                     bool *all)
{
    int col = 0;
    size_t k = 0;
    bool have_base = false;
    struct glyph g;
    *all = false;
    while (*in) {
        size_t used = next_glyph(in, &g);
        if (g.width == 0 && !have_base) {
            in += used; /* a combining mark with nothing to combine with */
            continue;
        }
        if (col + g.width > max_cols || k + g.len > max_bytes) goto out;
        memcpy(buf + k, g.bytes, g.len);
        k += g.len;
        col += g.width;
        have_base = true;
        in += used;
    }
    *all = true;
out:
    *len = k;
    return col;
}

int ui_fmt_truncate(char *buf, size_t n, const char *in, int cols)
{
    if (n == 0) return 0;
    buf[0] = '\0';
    if (cols <= 0 || !in) return 0;
    size_t len;
    bool all;
    int w = copy_cols(buf, n - 1, in, cols, &len, &all);
    if (all) {
        buf[len] = '\0';
        return w;
    }
    /* It does not fit: again, leaving room for the ellipsis. */
    const size_t ell = sizeof UI_FMT_ELLIPSIS - 1;
    if (n - 1 < ell) {
        buf[0] = '\0';
        return 0;
    }
    w = copy_cols(buf, n - 1 - ell, in, cols - 1, &len, &all);
    memcpy(buf + len, UI_FMT_ELLIPSIS, ell);
    buf[len + ell] = '\0';
    return w + 1;
}

int ui_fmt_fit(char *buf, size_t n, const char *in, int cols, bool right_align)
{
    if (n == 0) return 0;
    int w = ui_fmt_truncate(buf, n, in, cols);
    size_t len = strlen(buf);
    int pad = cols - w;
    if (pad <= 0) return w;
    if (len + (size_t)pad + 1 > n) pad = (int)(n - 1 - len);
    if (right_align) {
        memmove(buf + pad, buf, len + 1);
        memset(buf, ' ', (size_t)pad);
    } else {
        memset(buf + len, ' ', (size_t)pad);
        buf[len + (size_t)pad] = '\0';
    }
    return w + pad;
}

/* ---- add-prompt input ------------------------------------------------------ */

static int hexval(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

int ui_resolve_source(char *buf, size_t n, const char *typed, const char *cwd, const char *home)
{
    if (n == 0 || !typed) return -EINVAL;
    buf[0] = '\0';

    /* Trim blanks (pastes often carry a newline) and one pair of quotes
     * (terminals quote dropped files). */
    size_t len = strlen(typed);
    const char *s = util_trim(typed, &len);
    if (len >= 2 && (s[0] == '\'' || s[0] == '"') && s[len - 1] == s[0]) {
        s++;
        len -= 2;
    }
    if (len == 0) return -EINVAL;

    if (len >= 7 && util_is_magnet(s)) {
        if (len + 1 > n) return -ENAMETOOLONG;
        memcpy(buf, s, len);
        buf[len] = '\0';
        return 0;
    }

    char path[4096];
    if (len >= 7 && strncasecmp(s, "file://", 7) == 0) {
        /* file:///abs/path or file://localhost/abs/path, %XX escaped */
        const char *p = s + 7, *end = s + len;
        if ((size_t)(end - p) >= 9 && strncasecmp(p, "localhost", 9) == 0) p += 9;
        if (p == end || *p != '/') return -EINVAL;
        size_t k = 0;
        while (p < end) {
            char c = *p++;
            if (c == '%' && end - p >= 2 && hexval(p[0]) >= 0 && hexval(p[1]) >= 0) {
                c = (char)(hexval(p[0]) * 16 + hexval(p[1]));
                p += 2;
            }
            if (k + 1 >= sizeof path) return -ENAMETOOLONG;
            path[k++] = c;
        }
        path[k] = '\0';
        if (strlen(path) != k) /* an escaped NUL */
            return -EINVAL;
        if (k + 1 > n) return -ENAMETOOLONG;
        memcpy(buf, path, k + 1);
        return 0;
    }

    if (len + 1 > sizeof path) return -ENAMETOOLONG;
    memcpy(path, s, len);
    path[len] = '\0';

    int r;
    if (path[0] == '~' && (path[1] == '\0' || path[1] == '/')) {
        if (!home || !*home) return -EINVAL;
        size_t hl = strlen(home);
        while (hl > 1 && home[hl - 1] == '/')
            hl--;
        r = snprintf(buf, n, "%.*s%s", (int)hl, home, path + 1);
    } else if (path[0] == '/') {
        r = snprintf(buf, n, "%s", path);
    } else {
        if (!cwd || !*cwd) return -EINVAL;
        const char *rel = path;
        while (rel[0] == '.' && rel[1] == '/') /* "./x" reads better as "x" */
            rel += 2;
        size_t cl = strlen(cwd);
        bool slash = cl > 0 && cwd[cl - 1] == '/';
        r = snprintf(buf, n, "%s%s%s", cwd, slash ? "" : "/", rel);
    }
    if (r < 0 || (size_t)r >= n) {
        buf[0] = '\0';
        return -ENAMETOOLONG;
    }
    return 0;
}
