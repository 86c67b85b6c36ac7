/*
 * schedule.c — weekly schedules for the alternative speed limits; see
 * schedule.h.
 *
 * The text form is what a user types (and what the settings store keeps, in
 * its canonical form from sched_format); the bitmap is what the engine asks
 * "active now?" and "when does that change?", the second to arm one timer
 * instead of polling. Evaluation is in local time, like the schedulers of
 * Transmission and qBittorrent, so sched_next_change() walks real time and
 * watches the UTC offset: across a DST change the local clock skips or
 * repeats an hour, and a mapping from local minutes back to time_t (mktime)
 * would be ambiguous there.
 */
#include "engine/schedule.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#define DAY_MINUTES (24 * 60)
#define DAY_BYTES (DAY_MINUTES / 8) /* a day is whole bytes of the bitmap */
#define WHY_MAX 96                  /* one reason inside an error message */
#define MAX_ROUNDS 64               /* offset changes tolerated in one search */

static const char *const day_short[7] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
static const char *const day_long[7] = {"monday", "tuesday",  "wednesday", "thursday",
                                        "friday", "saturday", "sunday"};

/* Words for sets of days; they cannot end or start a day range. */
static const struct {
    const char *word;
    unsigned mask; /* bit d = day d, 0 = Monday */
} day_groups[] = {
    {"daily", 0x7f},
    {"all", 0x7f},
    {"weekdays", 0x1f},
    {"weekends", 0x60},
};

static bool bit_get(const struct sched *s, int m)
{
    return s->bits[m >> 3] >> (m & 7) & 1;
}

/* Sets minutes [from, to) of the week, 0 <= from <= to <= SCHED_MINUTES. */
static void set_minutes(struct sched *s, int from, int to)
{
    for (int m = from; m < to; m++)
        s->bits[m >> 3] |= (uint8_t)(1u << (m & 7));
}

/* 1 if every minute is set, 0 if none is, -1 otherwise. */
static int uniform(const struct sched *s)
{
    uint8_t first = s->bits[0];
    if (first != 0 && first != 0xff) return -1;
    for (size_t i = 1; i < sizeof s->bits; i++)
        if (s->bits[i] != first) return -1;
    return first == 0xff;
}

/* ---- parsing ---------------------------------------------------------------- */

static const char *skip_ws(const char *p, const char *end)
{
    while (p < end && isspace((unsigned char)*p))
        p++;
    return p;
}

/* The day word w[0..n): sets *mask and returns the day index 0..6, or
 * returns -1 for a group word; -2 if the word is unknown. */
static int lookup_day(const char *w, size_t n, unsigned *mask)
{
    for (int d = 0; d < 7; d++) {
        if ((n == 3 && strncasecmp(w, day_short[d], 3) == 0) ||
            (n == strlen(day_long[d]) && strncasecmp(w, day_long[d], n) == 0)) {
            *mask = 1u << d;
            return d;
        }
    }
    for (size_t i = 0; i < sizeof day_groups / sizeof day_groups[0]; i++) {
        if (n == strlen(day_groups[i].word) && strncasecmp(w, day_groups[i].word, n) == 0) {
            *mask = day_groups[i].mask;
            return -1;
        }
    }
    return -2;
}

/* Length of the token at p to quote in a message: up to the next space or
 * '-', at least one character. */
static int token_len(const char *p, const char *end)
{
    const char *q = p;
    while (q < end && !isspace((unsigned char)*q) && (q == p || *q != '-'))
        q++;
    return (int)(q - p);
}

/* Parses a day list at *pp into *days. 0 or -EINVAL with the reason. */
static int parse_days(const char **pp, const char *end, unsigned *days, char *why)
{
    const char *p = *pp;
    for (;;) {
        p = skip_ws(p, end);
        const char *w = p;
        while (p < end && isalpha((unsigned char)*p))
            p++;
        if (p == w) {
            if (*days == 0 && (p == end || isdigit((unsigned char)*p)))
                snprintf(why, WHY_MAX, "missing days before the time range");
            else
                snprintf(why, WHY_MAX, "expected a day, got \"%.*s\"", token_len(p, end), p);
            return -EINVAL;
        }
        unsigned mask;
        int d1 = lookup_day(w, (size_t)(p - w), &mask);
        if (d1 == -2) {
            snprintf(why, WHY_MAX, "unknown day \"%.*s\"", (int)(p - w), w);
            return -EINVAL;
        }
        const char *q = skip_ws(p, end);
        if (q < end && *q == '-') { /* a day range; the range of times starts with a digit */
            const char *w2 = q = skip_ws(q + 1, end);
            while (q < end && isalpha((unsigned char)*q))
                q++;
            unsigned mask2;
            int d2 = q > w2 ? lookup_day(w2, (size_t)(q - w2), &mask2) : -2;
            if (q == w2) {
                snprintf(why, WHY_MAX, "expected a day after \"%.*s-\"", (int)(p - w), w);
                return -EINVAL;
            }
            if (d2 == -2) {
                snprintf(why, WHY_MAX, "unknown day \"%.*s\"", (int)(q - w2), w2);
                return -EINVAL;
            }
            if (d1 < 0 || d2 < 0) {
                const char *g = d1 < 0 ? w : w2;
                int gl = d1 < 0 ? (int)(p - w) : (int)(q - w2);
                snprintf(why, WHY_MAX, "\"%.*s\" cannot be part of a day range", gl, g);
                return -EINVAL;
            }
            /* "fri-mon" wraps around the week */
            for (int d = d1;; d = (d + 1) % 7) {
                mask |= 1u << d;
                if (d == d2) break;
            }
            p = q;
        }
        *days |= mask;
        p = skip_ws(p, end);
        if (p < end && *p == ',') {
            p++;
            continue;
        }
        *pp = p;
        return 0;
    }
}

/* Parses "H:MM" or "HH:MM" at *pp (< end) into minutes of the day, 0..1440
 * (24:00 included; the caller decides where it is allowed). */
static int parse_time(const char **pp, const char *end, int *out, char *why)
{
    const char *p = *pp;
    int n = token_len(p, end);
    const char *q = p;
    int h = 0, m = 0, hd = 0;
    while (q < end && hd < 3 && isdigit((unsigned char)*q))
        h = h * 10 + (*q++ - '0'), hd++;
    bool ok = hd >= 1 && hd <= 2 && q < end && *q == ':';
    if (ok) {
        q++;
        ok = end - q >= 2 && isdigit((unsigned char)q[0]) && isdigit((unsigned char)q[1]);
    }
    if (ok) {
        m = (q[0] - '0') * 10 + (q[1] - '0');
        q += 2;
        ok = (q == end || (!isalnum((unsigned char)*q) && *q != ':')) && m < 60 &&
             (h < 24 || (h == 24 && m == 0));
    }
    if (!ok) {
        snprintf(why, WHY_MAX, "bad time \"%.*s\" (want HH:MM, 00:00 to 24:00)", n, p);
        return -EINVAL;
    }
    *out = h * 60 + m;
    *pp = q;
    return 0;
}

/* Parses one rule [p, end) (trimmed, non-empty) and adds it to *s. */
static int parse_rule(const char *p, const char *end, struct sched *s, char *why)
{
    unsigned days = 0;
    int start, stop;
    if (parse_days(&p, end, &days, why) < 0) return -EINVAL;
    if (p == end) {
        snprintf(why, WHY_MAX, "missing time range HH:MM-HH:MM");
        return -EINVAL;
    }
    if (parse_time(&p, end, &start, why) < 0) return -EINVAL;
    p = skip_ws(p, end);
    if (p == end || *p != '-') {
        snprintf(why, WHY_MAX, "missing end of the time range");
        return -EINVAL;
    }
    p = skip_ws(p + 1, end);
    if (p == end) {
        snprintf(why, WHY_MAX, "missing end of the time range");
        return -EINVAL;
    }
    if (parse_time(&p, end, &stop, why) < 0) return -EINVAL;
    p = skip_ws(p, end);
    if (p != end) {
        snprintf(why, WHY_MAX, "unexpected \"%.*s\" after the time range", (int)(end - p), p);
        return -EINVAL;
    }
    if (start == DAY_MINUTES) {
        snprintf(why, WHY_MAX, "24:00 can only end a time range");
        return -EINVAL;
    }
    if (start == stop) {
        snprintf(why, WHY_MAX, "empty time range (start equals end)");
        return -EINVAL;
    }
    for (int d = 0; d < 7; d++) {
        if (!(days >> d & 1)) continue;
        int base = d * DAY_MINUTES;
        if (stop > start) {
            set_minutes(s, base + start, base + stop);
        } else { /* past midnight into the next day; Sunday's goes on into Monday */
            int next = (d + 1) % 7 * DAY_MINUTES;
            set_minutes(s, base + start, base + DAY_MINUTES);
            set_minutes(s, next, next + stop);
        }
    }
    return 0;
}

int sched_parse(const char *text, struct sched *out, char *err, size_t errlen)
{
    struct sched s;
    memset(&s, 0, sizeof s);
    const char *p = text;
    for (;;) {
        const char *q = p;
        while (*q && *q != ';' && *q != '\n')
            q++;
        const char *a = skip_ws(p, q), *b = q;
        while (b > a && isspace((unsigned char)b[-1]))
            b--;
        char why[WHY_MAX];
        if (a < b && parse_rule(a, b, &s, why) < 0) {
            if (err && errlen)
                snprintf(err, errlen, "bad schedule rule \"%.*s\": %s", (int)(b - a), a, why);
            return -EINVAL;
        }
        if (!*q) break;
        p = q + 1;
    }
    *out = s;
    return 0;
}

/* ---- formatting ------------------------------------------------------------- */

/* An output buffer; len counts what was asked for, even past cap. */
struct text {
    char *buf;
    size_t cap, len;
};

static void put(struct text *t, const char *s, size_t n)
{
    if (t->len + n < t->cap) memcpy(t->buf + t->len, s, n);
    t->len += n;
}

static void put_str(struct text *t, const char *s)
{
    put(t, s, strlen(s));
}

/* Minutes of the day 0..1440 as "HH:MM". */
static void put_time(struct text *t, int min)
{
    char s[6] = {(char)('0' + min / 600),     (char)('0' + min / 60 % 10), ':',
                 (char)('0' + min % 60 / 10), (char)('0' + min % 10),      '\0'};
    put(t, s, 5);
}

/* The day set `mask` (non-empty): runs of 3+ days as "mon-fri", shorter
 * runs as single names, all joined by ','. Monday first, no wrapping. */
static void put_days(struct text *t, unsigned mask)
{
    bool first = true;
    for (int d = 0; d < 7;) {
        if (!(mask >> d & 1)) {
            d++;
            continue;
        }
        int e = d;
        while (e + 1 < 7 && (mask >> (e + 1) & 1))
            e++;
        if (!first) put(t, ",", 1);
        first = false;
        if (e - d >= 2) {
            put_str(t, day_short[d]);
            put(t, "-", 1);
            put_str(t, day_short[e]);
        } else {
            for (int x = d; x <= e; x++) {
                if (x > d) put(t, ",", 1);
                put_str(t, day_short[x]);
            }
        }
        d = e + 1;
    }
}

int sched_format(const struct sched *s, char *buf, size_t buflen)
{
    struct text t = {buf, buflen, 0};
    unsigned done = 0;
    for (int d = 0; d < 7; d++) {
        if (done >> d & 1) continue;
        const uint8_t *day = s->bits + d * DAY_BYTES;
        unsigned mask = 1u << d;
        for (int e = d + 1; e < 7; e++)
            if (memcmp(day, s->bits + e * DAY_BYTES, DAY_BYTES) == 0) mask |= 1u << e;
        done |= mask;
        int base = d * DAY_MINUTES;
        for (int m = 0; m < DAY_MINUTES;) {
            if (!bit_get(s, base + m)) {
                m++;
                continue;
            }
            int e = m;
            while (e < DAY_MINUTES && bit_get(s, base + e))
                e++;
            if (t.len) put(&t, "; ", 2);
            put_days(&t, mask);
            put(&t, " ", 1);
            put_time(&t, m);
            put(&t, "-", 1);
            put_time(&t, e);
            m = e;
        }
    }
    if (t.len >= buflen) {
        if (buflen) buf[0] = '\0';
        return -ERANGE;
    }
    buf[t.len] = '\0';
    return 0;
}

int sched_normalize(const char *text, char *buf, size_t buflen, char *err, size_t errlen)
{
    struct sched s;
    int rc = sched_parse(text, &s, err, errlen);
    if (rc < 0) {
        if (buflen) buf[0] = '\0';
        return rc;
    }
    rc = sched_format(&s, buf, buflen);
    if (rc < 0 && err && errlen)
        snprintf(err, errlen, "schedule text longer than %zu bytes", buflen ? buflen - 1 : 0);
    return rc;
}

/* ---- evaluation in local time ----------------------------------------------- */

int sched_minute_of_week(const struct tm *tm)
{
    /* fields are normalized in practice; the modulo keeps a stray one in range */
    long long m =
        (long long)(tm->tm_wday + 6) * DAY_MINUTES + (long long)tm->tm_hour * 60 + tm->tm_min;
    return (int)((m % SCHED_MINUTES + SCHED_MINUTES) % SCHED_MINUTES);
}

bool sched_active(const struct sched *s, time_t now)
{
    struct tm tm;
    if (!localtime_r(&now, &tm)) return false;
    return bit_get(s, sched_minute_of_week(&tm));
}

static bool utc_offset(time_t t, long *off)
{
    struct tm tm;
    if (!localtime_r(&t, &tm)) return false;
    *off = tm.tm_gmtoff;
    return true;
}

/* Finds the first time in (t, c] whose UTC offset is not `off`: probes every
 * hour (no zone changes its offset twice within an hour), then bisects to
 * the second. */
static bool offset_change(time_t t, time_t c, long off, time_t *at)
{
    for (time_t lo = t; lo < c;) {
        time_t hi = c - lo > 3600 ? lo + 3600 : c;
        long o;
        if (!utc_offset(hi, &o)) return false;
        if (o != off) {
            while (hi - lo > 1) {
                time_t mid = lo + (hi - lo) / 2;
                if (utc_offset(mid, &o) && o == off)
                    lo = mid;
                else
                    hi = mid;
            }
            *at = hi;
            return true;
        }
        lo = hi;
    }
    return false;
}

time_t sched_next_change(const struct sched *s, time_t now)
{
    if (uniform(s) >= 0) return (time_t)-1;
    struct tm tm;
    if (!localtime_r(&now, &tm)) return (time_t)-1;
    bool was = bit_get(s, sched_minute_of_week(&tm));
    /* Invariant: the state is `was` all through [now, t], and tm is the
     * local time of t. Each round either finds the change or moves t past
     * one offset change. */
    time_t t = now;
    for (int round = 0; round < MAX_ROUNDS; round++) {
        int m = sched_minute_of_week(&tm);
        int k = 1; /* the k-th local minute after t's is the first in the other state */
        while (bit_get(s, (m + k) % SCHED_MINUTES) == was)
            k++;
        /* as long as the offset holds, local minutes start every 60 s; tm_sec
         * is 60 only during a leap second */
        int sec = tm.tm_sec < 60 ? tm.tm_sec : 59;
        time_t next = t + (60 - sec) + (time_t)(k - 1) * 60, jump;
        if (offset_change(t, next, tm.tm_gmtoff, &jump)) next = jump;
        if (!localtime_r(&next, &tm)) return (time_t)-1;
        if (bit_get(s, sched_minute_of_week(&tm)) != was) return next;
        /* the clock jumped to a minute in the same state (or, in a zone
         * with leap seconds, the minute came a second late): go on from there */
        t = next;
    }
    return (time_t)-1;
}
