/*
 * ipfilter.c — parsing IP filter rules; see ipfilter.h.
 *
 * Two inputs feed the same list of ranges: an inline list the user types
 * (strict: inet_pton syntax, first bad entry is an error) and blocklist
 * files downloaded from the net (lenient: eMule's zero-padded decimal
 * octets, bad lines counted and skipped). Everything here is untrusted
 * text, so every scan is bounded by an explicit length and a file line is
 * never buffered past IPF_LINE_MAX bytes. Results are built in a scratch
 * list and moved into the caller's only on success, which is what makes
 * "f unchanged on error" hold even for -ENOMEM.
 */
#include "engine/ipfilter.h"
#include "util/str.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define IPF_LINE_MAX 4096 /* bytes of one file line; longer lines are bad */
#define IPF_SHOW_MAX 64   /* bytes of an entry quoted in a message */
#define IPF_PATH_MAX 200  /* bytes of a path quoted in a message */
#define IPF_BAD_SHOWN 3   /* bad line numbers named in a warning */

/* ---- helpers ------------------------------------------------------------------ */

/* Copies s[0..n) into dst (max + 4 bytes) for quoting in a one-line
 * message: control and non-ASCII bytes become '?', and a text longer than
 * max is cut with "...". */
static void show(char *dst, size_t max, const char *s, size_t n)
{
    size_t k = n < max ? n : max;
    for (size_t i = 0; i < k; i++) {
        unsigned char c = (unsigned char)s[i];
        dst[i] = c < 0x20 || c >= 0x7f ? '?' : (char)c;
    }
    if (n > k) {
        memcpy(dst + k, "...", 3);
        k += 3;
    }
    dst[k] = '\0';
}

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

/* A character that can appear in an IPv4 or IPv6 address as text. */
static bool is_addr_char(char c)
{
    return isxdigit((unsigned char)c) || c == ':' || c == '.';
}

static int push(struct ipf *f, const struct ipf_range *r)
{
    if (f->n == f->cap) {
        size_t cap = f->cap ? f->cap * 2 : 16;
        if (cap < f->cap || cap > SIZE_MAX / sizeof *f->r) return -ENOMEM;
        struct ipf_range *nr = realloc(f->r, cap * sizeof *nr);
        if (!nr) return -ENOMEM;
        f->r = nr;
        f->cap = cap;
    }
    f->r[f->n++] = *r;
    return 0;
}

/* Moves the ranges of tmp to the end of f; tmp is freed either way. On
 * -ENOMEM f is unchanged. */
static int append_all(struct ipf *f, struct ipf *tmp)
{
    int rc = 0;
    if (tmp->n == 0) {
        /* nothing to add */
    } else if (f->n == 0 && f->cap == 0) {
        *f = *tmp; /* the common case: no copy */
        *tmp = (struct ipf){0};
    } else if (f->n > SIZE_MAX / sizeof *f->r - tmp->n) {
        rc = -ENOMEM;
    } else {
        size_t need = f->n + tmp->n;
        if (need > f->cap) {
            struct ipf_range *nr = realloc(f->r, need * sizeof *nr);
            if (!nr) {
                rc = -ENOMEM;
                goto out;
            }
            f->r = nr;
            f->cap = need;
        }
        memcpy(f->r + f->n, tmp->r, tmp->n * sizeof *tmp->r);
        f->n = need;
    }
out:
    ipf_free(tmp);
    return rc;
}

void ipf_free(struct ipf *f)
{
    if (!f) return;
    free(f->r);
    *f = (struct ipf){0};
}

/* ---- addresses ---------------------------------------------------------------- */

/* eMule's IPv4: four dot-separated decimal octets of 1-3 digits each,
 * leading zeros allowed and meaning nothing ("010" is ten, not eight). */
static bool parse_v4_decimal(const char *s, size_t n, uint8_t out[4])
{
    size_t i = 0;
    for (int part = 0; part < 4; part++) {
        if (part > 0) {
            if (i >= n || s[i] != '.') return false;
            i++;
        }
        unsigned v = 0;
        size_t d0 = i;
        while (i < n && i - d0 < 4 && isdigit((unsigned char)s[i]))
            v = v * 10 + (unsigned)(s[i++] - '0');
        if (i == d0 || i - d0 > 3 || v > 255) return false;
        out[part] = (uint8_t)v;
    }
    return i == n;
}

/* Parses the address s[0..n) into out (16 bytes, zero-padded for IPv4).
 * lenient: IPv4 may have zero-padded decimal octets (blocklist files);
 * otherwise IPv4 is what inet_pton accepts. Returns NULL or a reason. */
static const char *parse_addr(const char *s, size_t n, bool lenient, uint8_t out[16], bool *v6)
{
    char buf[INET6_ADDRSTRLEN];
    memset(out, 0, 16);
    *v6 = false;
    if (n == 0) return "missing address";
    if (n >= sizeof buf) return "not an IPv4 or IPv6 address"; /* before scanning all of it */
    if (memchr(s, ':', n)) {
        *v6 = true;
        memcpy(buf, s, n);
        buf[n] = '\0';
        return inet_pton(AF_INET6, buf, out) == 1 ? NULL : "not an IPv4 or IPv6 address";
    }
    if (lenient) return parse_v4_decimal(s, n, out) ? NULL : "not an IPv4 or IPv6 address";
    if (n < INET_ADDRSTRLEN) {
        memcpy(buf, s, n);
        buf[n] = '\0';
        if (inet_pton(AF_INET, buf, out) == 1) return NULL;
    }
    /* inet_pton refuses "010.0.0.1"; say why rather than just "bad" */
    uint8_t tmp[4];
    if (parse_v4_decimal(s, n, tmp)) return "leading zeros in an IPv4 address are ambiguous";
    return "not an IPv4 or IPv6 address";
}

static size_t addr_len(bool v6)
{
    return v6 ? 16 : 4;
}

/* first/last of the block of `prefix` leading bits around a. */
static void apply_prefix(const uint8_t a[16], bool v6, unsigned prefix, struct ipf_range *r)
{
    memset(r, 0, sizeof *r);
    r->v6 = v6;
    for (unsigned i = 0; i < addr_len(v6); i++) {
        unsigned bits = prefix >= 8 * (i + 1) ? 8 : prefix > 8 * i ? prefix - 8 * i : 0;
        uint8_t mask = (uint8_t)(0xff00u >> bits);
        r->first[i] = a[i] & mask;
        r->last[i] = a[i] | (uint8_t)~mask;
    }
}

/* A range from two address texts; NULL or a reason. */
static const char *make_range(const char *a, size_t an, const char *b, size_t bn, bool lenient,
                              struct ipf_range *r)
{
    bool v6a, v6b;
    const char *why;
    memset(r, 0, sizeof *r);
    if ((why = parse_addr(a, an, lenient, r->first, &v6a))) return why;
    if ((why = parse_addr(b, bn, lenient, r->last, &v6b))) return why;
    if (v6a != v6b) return "a range cannot mix IPv4 and IPv6";
    r->v6 = v6a;
    if (memcmp(r->first, r->last, addr_len(v6a)) > 0) return "range start is above its end";
    return NULL;
}

/* ---- inline lists ------------------------------------------------------------- */

static bool is_list_sep(char c)
{
    return c == ',' || c == ';' || is_space(c);
}

/* The next entry of an inline list at *p, as s[0..*n); false at the end.
 * Whitespace next to a '-' is kept inside the entry so that "A - B" is one
 * range rather than three entries. */
static bool next_entry(const char **p, const char **s, size_t *n)
{
    const char *c = *p;
    while (*c && is_list_sep(*c))
        c++;
    if (!*c) {
        *p = c;
        return false;
    }
    const char *b = c;
    for (;;) {
        while (*c && !is_list_sep(*c))
            c++;
        const char *t = c;
        while (*t && is_space(*t))
            t++;
        if (t == c || !(c[-1] == '-' || *t == '-')) break;
        c = t;
    }
    *p = c;
    while (c > b && is_space(c[-1]))
        c--;
    *s = b;
    *n = (size_t)(c - b);
    return true;
}

enum ent_kind { ENT_ADDR, ENT_CIDR, ENT_RANGE };

struct entry {
    struct ipf_range r;
    enum ent_kind kind;
    unsigned prefix; /* ENT_CIDR */
};

/* Parses one inline entry s[0..n); NULL or a reason. */
static const char *parse_entry(const char *s, size_t n, struct entry *e)
{
    const char *dash = memchr(s, '-', n);
    if (dash) {
        const char *a_end = dash, *b = dash + 1, *end = s + n;
        while (a_end > s && is_space(a_end[-1]))
            a_end--;
        while (b < end && is_space(*b))
            b++;
        e->kind = ENT_RANGE;
        return make_range(s, (size_t)(a_end - s), b, (size_t)(end - b), false, &e->r);
    }
    const char *slash = memchr(s, '/', n);
    size_t an = slash ? (size_t)(slash - s) : n;
    uint8_t a[16];
    bool v6;
    const char *why = parse_addr(s, an, false, a, &v6);
    if (why) return why;
    if (!slash) {
        e->kind = ENT_ADDR;
        apply_prefix(a, v6, v6 ? 128 : 32, &e->r);
        return NULL;
    }
    const char *d = slash + 1, *end = s + n;
    unsigned prefix = 0;
    if (d == end || end - d > 3) return "bad prefix length";
    for (; d < end; d++) {
        if (!isdigit((unsigned char)*d)) return "bad prefix length";
        prefix = prefix * 10 + (unsigned)(*d - '0');
    }
    if (prefix > (v6 ? 128u : 32u))
        return v6 ? "prefix length above 128" : "prefix length above 32";
    e->kind = ENT_CIDR;
    e->prefix = prefix;
    apply_prefix(a, v6, prefix, &e->r);
    return NULL;
}

static int bad_entry(const char *s, size_t n, const char *why, char *err, size_t errlen)
{
    char shown[IPF_SHOW_MAX + 4];
    show(shown, IPF_SHOW_MAX, s, n);
    util_set_err(err, errlen, "bad IP filter entry \"%s\": %s", shown, why);
    return -EINVAL;
}

int ipf_parse_list(struct ipf *f, const char *list, char *err, size_t errlen)
{
    util_set_err(err, errlen, "%s", "");
    if (!f) {
        util_set_err(err, errlen, "no IP filter to add to");
        return -EINVAL;
    }
    struct ipf tmp = {0};
    const char *p = list ? list : "", *s;
    size_t n;
    while (next_entry(&p, &s, &n)) {
        struct entry e;
        const char *why = parse_entry(s, n, &e);
        if (why) {
            ipf_free(&tmp);
            return bad_entry(s, n, why, err, errlen);
        }
        if (push(&tmp, &e.r) != 0) {
            ipf_free(&tmp);
            util_set_err(err, errlen, "out of memory");
            return -ENOMEM;
        }
    }
    int rc = append_all(f, &tmp);
    if (rc) util_set_err(err, errlen, "out of memory");
    return rc;
}

/* The canonical text of e (see ipf_normalize_list) in buf. */
static void format_entry(const struct entry *e, char buf[2 * INET6_ADDRSTRLEN + 2])
{
    int af = e->r.v6 ? AF_INET6 : AF_INET;
    size_t len = addr_len(e->r.v6);
    bool single = memcmp(e->r.first, e->r.last, len) == 0;
    inet_ntop(af, e->r.first, buf, INET6_ADDRSTRLEN);
    if (single) return; /* an address, a /32 or /128, or "A-A" */
    size_t k = strlen(buf);
    if (e->kind == ENT_CIDR) {
        snprintf(buf + k, 2 * INET6_ADDRSTRLEN + 2 - k, "/%u", e->prefix);
    } else {
        buf[k++] = '-';
        inet_ntop(af, e->r.last, buf + k, INET6_ADDRSTRLEN);
    }
}

/* Whether the comma-joined list out[0..o) already holds the item t. */
static bool listed(const char *out, size_t o, const char *t, size_t tn)
{
    for (size_t i = 0; i < o;) {
        const char *c = memchr(out + i, ',', o - i);
        size_t end = c ? (size_t)(c - out) : o;
        if (end - i == tn && memcmp(out + i, t, tn) == 0) return true;
        i = end + 1;
    }
    return false;
}

int ipf_normalize_list(const char *list, char *out, size_t outlen, char *err, size_t errlen)
{
    util_set_err(err, errlen, "%s", "");
    if (!out || outlen == 0) {
        util_set_err(err, errlen, "no room for the normalized IP filter list");
        return -ERANGE;
    }
    out[0] = '\0';
    const char *p = list ? list : "", *s;
    size_t n, o = 0;
    while (next_entry(&p, &s, &n)) {
        struct entry e;
        const char *why = parse_entry(s, n, &e);
        if (why) {
            out[0] = '\0';
            return bad_entry(s, n, why, err, errlen);
        }
        char t[2 * INET6_ADDRSTRLEN + 2];
        format_entry(&e, t);
        size_t tn = strlen(t);
        if (listed(out, o, t, tn)) continue;
        if (o + (o > 0) + tn >= outlen) {
            out[0] = '\0';
            util_set_err(err, errlen, "normalized IP filter list does not fit in %zu bytes",
                         outlen);
            return -ERANGE;
        }
        if (o > 0) out[o++] = ',';
        memcpy(out + o, t, tn + 1);
        o += tn;
    }
    return 0;
}

/* ---- blocklist files ---------------------------------------------------------- */

enum line_result { LINE_BAD, LINE_BLOCK, LINE_ALLOW, LINE_OTHER };

static size_t skip_space(const char *s, size_t i, size_t n)
{
    while (i < n && is_space(s[i]))
        i++;
    return i;
}

static size_t addr_span(const char *s, size_t i, size_t n)
{
    while (i < n && is_addr_char(s[i]))
        i++;
    return i;
}

/* eMule: "A - B , level [, description]". LINE_OTHER when the line does not
 * have that shape, LINE_BAD when it does but the range is invalid. */
static enum line_result parse_emule(const char *s, size_t n, struct ipf_range *r)
{
    size_t a = 0, a_end = addr_span(s, 0, n);
    if (a_end == a) return LINE_OTHER;
    size_t i = skip_space(s, a_end, n);
    if (i >= n || s[i] != '-') return LINE_OTHER;
    size_t b = skip_space(s, i + 1, n), b_end = addr_span(s, b, n);
    if (b_end == b) return LINE_OTHER;
    i = skip_space(s, b_end, n);
    if (i >= n || s[i] != ',') return LINE_OTHER;
    i = skip_space(s, i + 1, n);
    size_t d0 = i;
    unsigned long level = 0;
    while (i < n && isdigit((unsigned char)s[i]) && i - d0 < 9)
        level = level * 10 + (unsigned long)(s[i++] - '0');
    if (i == d0 || (i < n && isdigit((unsigned char)s[i]))) return LINE_OTHER;
    i = skip_space(s, i, n);
    if (i < n && s[i] != ',') return LINE_OTHER;
    if (make_range(s + a, a_end - a, s + b, b_end - b, true, r)) return LINE_BAD;
    return level >= 128 ? LINE_ALLOW : LINE_BLOCK;
}

/* Length in bits of the common prefix of two 16-byte addresses. */
static unsigned common_bits(const uint8_t *x, const uint8_t *y)
{
    unsigned bits = 0;
    for (int i = 0; i < 16; i++) {
        uint8_t d = x[i] ^ y[i];
        if (!d) {
            bits += 8;
            continue;
        }
        while (!(d & 0x80)) {
            d = (uint8_t)(d << 1);
            bits++;
        }
        break;
    }
    return bits;
}

/* PeerGuardian P2P: "description:A-B". The range is found from the end of
 * the line (addresses never hold '-' but descriptions may); the start
 * address is the run of address characters before the '-', in which the
 * separating ':' is chosen (see ipfilter.h for IPv6). */
static enum line_result parse_p2p(const char *s, size_t n, struct ipf_range *r)
{
    size_t b = n;
    while (b > 0 && is_addr_char(s[b - 1]))
        b--;
    if (b == n) return LINE_BAD;
    size_t i = b;
    while (i > 0 && is_space(s[i - 1]))
        i--;
    if (i == 0 || s[i - 1] != '-') return LINE_BAD;
    i--;
    while (i > 0 && is_space(s[i - 1]))
        i--;
    size_t a_end = i, a0 = i;
    while (a0 > 0 && is_addr_char(s[a0 - 1]))
        a0--;
    uint8_t last[16];
    bool v6;
    if (parse_addr(s + b, n - b, true, last, &v6)) return LINE_BAD;
    if (!v6) {
        const char *colon = NULL;
        for (size_t k = a0; k < a_end; k++)
            if (s[k] == ':') colon = s + k;
        if (!colon) return LINE_BAD;
        const char *a = colon + 1;
        if (make_range(a, (size_t)(s + a_end - a), s + b, n - b, true, r)) return LINE_BAD;
        return LINE_BLOCK;
    }
    bool found = false;
    unsigned best = 0;
    /* no address is INET6_ADDRSTRLEN long, so only the ':'s just before
     * a_end are worth trying (and a line of colons stays linear) */
    size_t k0 = a_end - a0 > INET6_ADDRSTRLEN ? a_end - INET6_ADDRSTRLEN : a0;
    for (size_t k = k0; k < a_end; k++) {
        if (s[k] != ':') continue;
        struct ipf_range c;
        if (make_range(s + k + 1, a_end - k - 1, s + b, n - b, true, &c)) continue;
        unsigned score = common_bits(c.first, c.last);
        if (!found || score >= best) {
            *r = c;
            best = score;
            found = true;
        }
    }
    return found ? LINE_BLOCK : LINE_BAD;
}

/* Classifies one line (trimmed, NUL-terminated, n bytes). */
static enum line_result parse_line(const char *s, size_t n, struct ipf_range *r)
{
    if (memchr(s, '\0', n)) return LINE_BAD;
    enum line_result lr = parse_emule(s, n, r);
    return lr == LINE_OTHER ? parse_p2p(s, n, r) : lr;
}

/* Reads one line without its '\n' into buf (IPF_LINE_MAX + 1 bytes), NUL-
 * terminated; *too_long when it did not fit (the rest is read and dropped,
 * so a huge line costs no memory). False at end of file or on error. */
static bool read_line(FILE *fp, char *buf, size_t *len, bool *too_long)
{
    size_t n = 0;
    int c;
    bool any = false;
    *too_long = false;
    while ((c = getc_unlocked(fp)) != EOF) {
        any = true;
        if (c == '\n') break;
        if (n < IPF_LINE_MAX)
            buf[n++] = (char)c;
        else
            *too_long = true;
    }
    buf[n] = '\0';
    *len = n;
    return any;
}

/* "lines 3, 7, 12, ..." for a message. */
static void format_lines(char *dst, size_t dstlen, const unsigned long *lines, size_t n_bad)
{
    size_t shown = n_bad < IPF_BAD_SHOWN ? n_bad : IPF_BAD_SHOWN;
    int k = snprintf(dst, dstlen, "line%s", n_bad > 1 ? "s" : "");
    for (size_t i = 0; i < shown && k >= 0 && (size_t)k < dstlen; i++)
        k += snprintf(dst + k, dstlen - (size_t)k, "%s %lu", i ? "," : "", lines[i]);
    if (n_bad > shown && k >= 0 && (size_t)k < dstlen)
        snprintf(dst + k, dstlen - (size_t)k, ", ...");
}

int ipf_load_file(struct ipf *f, const char *path, size_t *n_bad, char *err, size_t errlen)
{
    util_set_err(err, errlen, "%s", "");
    if (n_bad) *n_bad = 0;
    if (!f || !path) {
        util_set_err(err, errlen, "no IP filter file given");
        return -EINVAL;
    }
    char shown[IPF_PATH_MAX + 4], ebuf[128];
    show(shown, IPF_PATH_MAX, path, strlen(path));
    FILE *fp = fopen(path, "re");
    if (!fp) {
        int e = errno;
        util_set_err(err, errlen, "cannot read %s: %s", shown, strerror_r(e, ebuf, sizeof ebuf));
        return -e;
    }
    int rc = ipf_load_stream(f, fp, path, n_bad, err, errlen);
    fclose(fp);
    return rc;
}

int ipf_load_stream(struct ipf *f, FILE *fp, const char *path, size_t *n_bad, char *err,
                    size_t errlen)
{
    util_set_err(err, errlen, "%s", "");
    if (n_bad) *n_bad = 0;
    if (!f || !fp || !path) {
        util_set_err(err, errlen, "no IP filter file given");
        return -EINVAL;
    }
    char shown[IPF_PATH_MAX + 4], ebuf[128];
    show(shown, IPF_PATH_MAX, path, strlen(path));
    char *buf = malloc(IPF_LINE_MAX + 1);
    if (!buf) {
        util_set_err(err, errlen, "out of memory");
        return -ENOMEM;
    }
    struct ipf tmp = {0};
    unsigned long lineno = 0, bad_lines[IPF_BAD_SHOWN];
    size_t bad = 0, entries = 0, len;
    bool too_long;
    int rc = 0;
    while (read_line(fp, buf, &len, &too_long)) {
        lineno++;
        if (too_long) {
            entries++;
            if (bad < IPF_BAD_SHOWN) bad_lines[bad] = lineno;
            bad++;
            continue;
        }
        char *s = buf;
        if (lineno == 1 && len >= 3 && memcmp(s, "\xef\xbb\xbf", 3) == 0) {
            s += 3; /* a UTF-8 BOM */
            len -= 3;
        }
        if (lineno == 1 && ((len >= 2 && memcmp(s, "\x1f\x8b", 2) == 0) ||
                            (len >= 4 && memcmp(s, "PK\x03\x04", 4) == 0))) {
            util_set_err(err, errlen, "%s is compressed (gzip or zip): unpack it first", shown);
            rc = -EINVAL;
            goto out;
        }
        while (len > 0 && is_space(s[len - 1]))
            len--; /* also the '\r' of CRLF */
        s[len] = '\0';
        while (len > 0 && is_space(*s)) {
            s++;
            len--;
        }
        if (len == 0 || s[0] == '#' || (s[0] == '/' && s[1] == '/')) continue;
        entries++;
        struct ipf_range r;
        enum line_result lr = parse_line(s, len, &r);
        if (lr == LINE_BAD) {
            if (bad < IPF_BAD_SHOWN) bad_lines[bad] = lineno;
            bad++;
        } else if (lr == LINE_BLOCK) {
            if (tmp.n >= INT_MAX) {
                util_set_err(err, errlen, "%s: more than %d ranges", shown, INT_MAX);
                rc = -EOVERFLOW;
                goto out;
            }
            if (push(&tmp, &r) != 0) {
                util_set_err(err, errlen, "out of memory");
                rc = -ENOMEM;
                goto out;
            }
        }
    }
    if (ferror(fp)) {
        int e = errno ? errno : EIO;
        util_set_err(err, errlen, "cannot read %s: %s", shown, strerror_r(e, ebuf, sizeof ebuf));
        rc = -e;
        goto out;
    }
    char where[64];
    format_lines(where, sizeof where, bad_lines, bad);
    if (entries > 0 && bad == entries) {
        util_set_err(err, errlen,
                     "no IP ranges in %s: %zu line%s match%s neither the eMule ipfilter.dat nor "
                     "the PeerGuardian P2P format (%s)",
                     shown, bad, bad > 1 ? "s" : "", bad > 1 ? "" : "es", where);
        rc = -EINVAL;
        goto out;
    }
    if (bad > 0)
        util_set_err(err, errlen, "%s: skipped %zu bad line%s (%s)", shown, bad, bad > 1 ? "s" : "",
                     where);
    rc = (int)tmp.n;
    if (append_all(f, &tmp) != 0) {
        util_set_err(err, errlen, "out of memory");
        rc = -ENOMEM;
    }
out:
    if (n_bad) *n_bad = bad;
    ipf_free(&tmp);
    free(buf);
    return rc;
}

/* ---- lookup ------------------------------------------------------------------- */

bool ipf_contains(const struct ipf *f, const uint8_t *addr, bool v6)
{
    if (!f || !addr) return false;
    size_t len = addr_len(v6);
    for (size_t i = 0; i < f->n; i++) {
        const struct ipf_range *r = &f->r[i];
        if (r->v6 == v6 && memcmp(r->first, addr, len) <= 0 && memcmp(addr, r->last, len) <= 0)
            return true;
    }
    return false;
}
