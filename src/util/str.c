/*
 * str.c — blanks, comma lists, error text and the magnet test; see str.h.
 * Before these had one home there were five trims with three ideas of a
 * blank, two tag matchers (one trimming, one not), three verbatim set_err
 * and four magnet tests.
 */
#include "util/str.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

bool util_is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

const char *util_trim(const char *s, size_t *len)
{
    while (*len && util_is_space(*s))
        s++, (*len)--;
    while (*len && util_is_space(s[*len - 1]))
        (*len)--;
    return s;
}

char *util_trim_nul(char *s)
{
    size_t len = strlen(s);
    char *t = (char *)util_trim(s, &len);
    t[len] = '\0';
    return t;
}

bool util_list_has(const char *list, const char *seps, const char *item, size_t len)
{
    if (!list || len == 0) return false;
    for (const char *p = list; *p;) {
        size_t raw = strcspn(p, seps), l = raw;
        const char *it = util_trim(p, &l);
        if (l == len && memcmp(it, item, len) == 0) return true;
        p += raw + (p[raw] ? 1 : 0);
    }
    return false;
}

void util_vset_err(char *err, size_t errlen, const char *fmt, va_list ap)
{
    if (err && errlen) vsnprintf(err, errlen, fmt, ap);
}

void util_set_err(char *err, size_t errlen, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    util_vset_err(err, errlen, fmt, ap);
    va_end(ap);
}

int util_fail(char *err, size_t errlen, int rc, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    util_vset_err(err, errlen, fmt, ap);
    va_end(ap);
    return rc;
}

size_t util_snprintf(char *buf, size_t n, const char *fmt, ...)
{
    if (n == 0) return 0;
    va_list ap;
    va_start(ap, fmt);
    int r = vsnprintf(buf, n, fmt, ap);
    va_end(ap);
    if (r < 0) {
        buf[0] = '\0';
        return 0;
    }
    return (size_t)r < n ? (size_t)r : n - 1;
}

bool util_is_magnet(const char *s)
{
    return strncasecmp(s, "magnet:", 7) == 0;
}
