/*
 * schedule.h — a weekly time schedule at minute resolution, as used to switch
 * the alternative speed limits on and off (Transmission's alt-speed
 * scheduler, qBittorrent's bandwidth scheduler).
 *
 * A schedule is a plain bitmap over the 10080 minutes of a week, so it can be
 * copied with memcpy, compared with memcmp and stored as its canonical text
 * (sched_format). Parsing and formatting are pure; sched_active() and
 * sched_next_change() read the local time zone (localtime_r) and take the
 * current time from the caller, so tests can inject any clock.
 *
 * Thread-safety: any thread; the time functions use localtime_r, which reads
 * TZ (do not change TZ concurrently). A struct sched is a value: callers that
 * share one across threads must synchronize writes to it themselves.
 *
 * Errors: 0 or a negative errno-style code. -EINVAL: bad schedule text, with
 * a one-line message for the user in `err` quoting the bad rule, nothing
 * written to the output. -ERANGE: the output buffer is too small.
 */
#ifndef SPATE_ENGINE_SCHEDULE_H
#define SPATE_ENGINE_SCHEDULE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#define SCHED_MINUTES (7 * 24 * 60)

/* Bytes that always hold sched_format()'s text, NUL included: at most 720
 * runs per day, each "mon 00:00-00:01; " (a day list of g days adds at most
 * 4g-1 characters but then stands for g days). */
#define SCHED_TEXT_MAX 85680

/* A weekly schedule at minute resolution: bit m set = active during minute m
 * of the week, m = day*1440 + hour*60 + minute, day 0 = Monday. Bit m is
 * bits[m / 8] & (1 << m % 8). All-zero = never active. */
struct sched {
    uint8_t bits[SCHED_MINUTES / 8];
};

/* Parses the text form into *out. The text is zero or more rules separated
 * by ';' or newlines (empty rules are skipped). Each rule is DAYS RANGE:
 *  - DAYS is a comma list of day names or day ranges: mon tue wed thu fri sat
 *    sun or monday..sunday, case-insensitive; "mon-fri"; "fri-mon" wraps
 *    around the week ("mon-mon" is Monday alone); the words "daily" and "all"
 *    (every day), "weekdays" (mon-fri) and "weekends" (sat,sun) may appear in
 *    the list but not in a range;
 *  - RANGE is "HH:MM-HH:MM", 24h (the hour may have one digit, minutes have
 *    two); "24:00" may end a range; start == end is an error; an end before
 *    the start runs past midnight into the next day ("fri 22:00-02:00" is Fri
 *    22:00 to Sat 02:00; "sun 23:00-01:00" ends on Monday 01:00).
 * Whitespace is free around every token. Rules add up (a union). "" or only
 * whitespace is a valid schedule that is never active.
 * Returns 0, or -EINVAL with a one-line message in err (quoting the bad rule)
 * and *out unchanged. err may be NULL (errlen is then ignored). */
int sched_parse(const char *text, struct sched *out, char *err, size_t errlen);

/* Writes the canonical text of *s to buf: one rule per maximal run of active
 * minutes within a day (a run across midnight is cut into "... 22:00-24:00"
 * and "... 00:00-02:00" of the next day), days with the same runs listed
 * together ("mon-fri" for 3+ consecutive days, "sat,sun" otherwise, Monday
 * first), rules joined by "; ", e.g. "mon-fri 08:00-18:00; sat,sun
 * 10:00-12:30". An empty schedule gives "". sched_parse() of the result gives
 * *s back. A buffer of SCHED_TEXT_MAX bytes is always enough.
 * Returns 0, or -ERANGE if buflen is too small (buf then holds "" if
 * buflen > 0). */
int sched_format(const struct sched *s, char *buf, size_t buflen);

/* sched_parse() then sched_format(): the canonical form of `text`. Errors as
 * for both; on -ERANGE err says so too. */
int sched_normalize(const char *text, char *buf, size_t buflen, char *err, size_t errlen);

/* Minute of the week, 0..SCHED_MINUTES-1, of a normalized broken-down time
 * (as from localtime_r; tm_wday 0 = Sunday, as in struct tm). Seconds are
 * ignored. */
int sched_minute_of_week(const struct tm *tm);

/* Whether *s is active at `now`, taken in local time (localtime_r). False if
 * `now` cannot be converted. */
bool sched_active(const struct sched *s, time_t now);

/* The first time t > now at which sched_active(s, t) differs from
 * sched_active(s, now): a local minute boundary (seconds 0), or the instant
 * of a UTC offset change (DST) when the local minute that follows it has the
 * other state (e.g. a rule starting inside the skipped spring-forward hour
 * takes effect when the clocks jump). (time_t)-1 if the schedule never
 * changes (empty or always active) or `now` cannot be converted. Walks real
 * time, so skipped and repeated local hours are handled; at most one week
 * of local minutes is scanned between offset changes. */
time_t sched_next_change(const struct sched *s, time_t now);

#endif
