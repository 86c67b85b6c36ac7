/*
 * test_schedule.c — weekly schedules for the alternative speed limits
 * (src/engine/schedule.h): every form of the text syntax and its errors, the
 * exact canonical text, parse(format(s)) == s on fixed and random schedules,
 * and activity and next-change instants in UTC and in Europe/Berlin across
 * both DST changes of 2026.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "engine/schedule.h"

#define DAY (24 * 60)
#define MON 0
#define TUE 1
#define WED 2
#define THU 3
#define FRI 4
#define SAT 5
#define SUN 6

/* ---- helpers ---------------------------------------------------------------- */

static bool bit(const struct sched *s, int m)
{
    return s->bits[m / 8] >> (m % 8) & 1;
}

static void set(struct sched *s, int from, int to)
{
    for (int m = from; m < to; m++)
        s->bits[m / 8] |= (uint8_t)(1u << (m % 8));
}

static int count(const struct sched *s)
{
    int n = 0;
    for (int m = 0; m < SCHED_MINUTES; m++)
        n += bit(s, m);
    return n;
}

/* Minute of the week of day d (0 = Monday) at hh:mm. */
static int at(int d, int hh, int mm)
{
    return d * DAY + hh * 60 + mm;
}

static void parse_ok(const char *text, struct sched *s)
{
    char err[256] = "";
    int rc = sched_parse(text, s, err, sizeof err);
    if (rc != 0) fail_msg("sched_parse(\"%s\") = %d: %s", text, rc, err);
}

/* The schedule `text` must set exactly minutes [from, to) of the week. */
static void assert_parses_to_run(const char *text, int from, int to)
{
    struct sched s, want;
    memset(&want, 0, sizeof want);
    set(&want, from, to);
    parse_ok(text, &s);
    if (memcmp(&s, &want, sizeof s) != 0)
        fail_msg("\"%s\": %d minutes set, want [%d, %d)", text, count(&s), from, to);
}

static void assert_same(const char *a, const char *b)
{
    struct sched sa, sb;
    parse_ok(a, &sa);
    parse_ok(b, &sb);
    if (memcmp(&sa, &sb, sizeof sa) != 0) fail_msg("\"%s\" and \"%s\" differ", a, b);
}

/* `text` must be rejected with -EINVAL, leave *out alone and give a one-line
 * message that quotes `rule`. */
static void assert_rejected(const char *text, const char *rule)
{
    struct sched s;
    memset(&s, 0xa5, sizeof s);
    struct sched before = s;
    char err[256] = "";
    assert_int_equal(sched_parse(text, &s, err, sizeof err), -EINVAL);
    assert_memory_equal(&s, &before, sizeof s);
    char quoted[128];
    snprintf(quoted, sizeof quoted, "\"%s\"", rule);
    if (!strstr(err, quoted))
        fail_msg("error for \"%s\" is \"%s\", want it to quote %s", text, err, quoted);
    assert_null(strchr(err, '\n'));
}

static void assert_format(const struct sched *s, const char *want)
{
    static char buf[SCHED_TEXT_MAX];
    assert_int_equal(sched_format(s, buf, sizeof buf), 0);
    assert_string_equal(buf, want);
}

static void assert_normalizes(const char *text, const char *want)
{
    char buf[512], err[256] = "";
    int rc = sched_normalize(text, buf, sizeof buf, err, sizeof err);
    if (rc != 0) fail_msg("sched_normalize(\"%s\") = %d: %s", text, rc, err);
    assert_string_equal(buf, want);
}

static void assert_round_trip(const struct sched *s)
{
    static char buf[SCHED_TEXT_MAX];
    char err[256] = "";
    struct sched back;
    assert_int_equal(sched_format(s, buf, sizeof buf), 0);
    if (sched_parse(buf, &back, err, sizeof err) != 0) fail_msg("\"%.200s\": %s", buf, err);
    assert_memory_equal(&back, s, sizeof back);
}

static void use_tz(const char *tz)
{
    setenv("TZ", tz, 1);
    tzset();
}

static bool have_zoneinfo(const char *zone)
{
    char path[256];
    snprintf(path, sizeof path, "/usr/share/zoneinfo/%s", zone);
    return access(path, R_OK) == 0;
}

/* A local time in the current TZ (must not be ambiguous). */
static time_t local(int y, int mon, int d, int hh, int mm, int ss)
{
    struct tm tm = {.tm_year = y - 1900,
                    .tm_mon = mon - 1,
                    .tm_mday = d,
                    .tm_hour = hh,
                    .tm_min = mm,
                    .tm_sec = ss,
                    .tm_isdst = -1};
    time_t t = mktime(&tm);
    assert_true(t != (time_t)-1);
    return t;
}

/* An instant given in UTC, independent of TZ. */
static time_t utc(int y, int mon, int d, int hh, int mm, int ss)
{
    struct tm tm = {.tm_year = y - 1900,
                    .tm_mon = mon - 1,
                    .tm_mday = d,
                    .tm_hour = hh,
                    .tm_min = mm,
                    .tm_sec = ss};
    return timegm(&tm);
}

/* The next change found by trying every real minute boundary after `now`
 * (valid in zones whose offsets are whole minutes). */
static time_t brute_next_change(const struct sched *s, time_t now)
{
    bool was = sched_active(s, now);
    time_t t = now - now % 60 + 60;
    for (int i = 0; i < 3 * SCHED_MINUTES; i++, t += 60)
        if (sched_active(s, t) != was) return t;
    return (time_t)-1;
}

/* ---- sched_parse: the syntax ------------------------------------------------ */

static void test_parse_single_day_sets_exactly_the_range(void **state)
{
    (void)state;
    assert_parses_to_run("mon 08:00-18:00", at(MON, 8, 0), at(MON, 18, 0));
    assert_parses_to_run("wed 00:00-00:01", at(WED, 0, 0), at(WED, 0, 1));
    assert_parses_to_run("sun 23:59-24:00", SCHED_MINUTES - 1, SCHED_MINUTES);
}

static void test_parse_day_range_covers_each_day(void **state)
{
    (void)state;
    struct sched s;
    parse_ok("mon-fri 08:00-18:00", &s);
    assert_int_equal(count(&s), 5 * 600);
    for (int d = MON; d <= SUN; d++) {
        assert_int_equal(bit(&s, at(d, 8, 0)), d <= FRI);
        assert_int_equal(bit(&s, at(d, 17, 59)), d <= FRI);
        assert_false(bit(&s, at(d, 7, 59)));
        assert_false(bit(&s, at(d, 18, 0)));
    }
    assert_same("tue-thu 10:00-11:00", "tue,wed,thu 10:00-11:00");
    assert_same("mon-mon 10:00-11:00", "mon 10:00-11:00");
}

static void test_parse_comma_list_of_days_and_ranges(void **state)
{
    (void)state;
    struct sched s;
    parse_ok("sat,sun 10:00-12:30", &s);
    assert_int_equal(count(&s), 2 * 150);
    assert_true(bit(&s, at(SAT, 10, 0)));
    assert_true(bit(&s, at(SUN, 12, 29)));
    assert_false(bit(&s, at(SUN, 12, 30)));
    assert_same("mon,wed-fri,sun 01:00-02:00", "mon 01:00-02:00; wed 01:00-02:00;"
                                               "thu 01:00-02:00; fri 01:00-02:00; sun 01:00-02:00");
}

static void test_parse_full_day_names(void **state)
{
    (void)state;
    assert_same("monday,tuesday,wednesday,thursday,friday,saturday,sunday 05:00-06:00",
                "mon-sun 05:00-06:00");
    assert_same("Monday-Wednesday 05:00-06:00", "mon-wed 05:00-06:00");
    assert_same("saturday - sun 05:00-06:00", "sat,sun 05:00-06:00");
}

static void test_parse_is_case_insensitive(void **state)
{
    (void)state;
    assert_same("MON-Fri 08:00-09:00", "mon-fri 08:00-09:00");
    assert_same("SUNDAY 08:00-09:00", "sun 08:00-09:00");
    assert_same("WeekEnds 08:00-09:00; DAILY 01:00-02:00",
                "weekends 08:00-09:00; daily 01:00-02:00");
}

static void test_parse_group_words(void **state)
{
    (void)state;
    assert_same("daily 01:00-02:00", "mon-sun 01:00-02:00");
    assert_same("all 01:00-02:00", "mon-sun 01:00-02:00");
    assert_same("weekdays 01:00-02:00", "mon-fri 01:00-02:00");
    assert_same("weekends 01:00-02:00", "sat,sun 01:00-02:00");
    assert_same("weekends,wed 01:00-02:00", "wed,sat,sun 01:00-02:00");
}

static void test_parse_day_range_wraps_around_the_week(void **state)
{
    (void)state;
    assert_same("fri-mon 09:00-10:00", "fri,sat,sun,mon 09:00-10:00");
    assert_same("sun-tue 09:00-10:00", "mon,tue,sun 09:00-10:00");
    assert_same("tue-mon 09:00-10:00", "daily 09:00-10:00");
}

static void test_parse_range_past_midnight_runs_into_next_day(void **state)
{
    (void)state;
    assert_parses_to_run("fri 22:00-02:00", at(FRI, 22, 0), at(SAT, 2, 0));
    assert_same("mon-wed 23:30-00:30",
                "mon 23:30-24:00; tue 00:00-00:30; tue 23:30-24:00; wed 00:00-00:30;"
                "wed 23:30-24:00; thu 00:00-00:30");
    /* ending at 00:00 is the same as ending at 24:00 */
    assert_same("thu 20:00-00:00", "thu 20:00-24:00");
}

static void test_parse_sunday_past_midnight_wraps_into_monday(void **state)
{
    (void)state;
    struct sched s, want;
    parse_ok("sun 23:00-01:00", &s);
    memset(&want, 0, sizeof want);
    set(&want, 0, at(MON, 1, 0));
    set(&want, at(SUN, 23, 0), SCHED_MINUTES);
    assert_memory_equal(&s, &want, sizeof s);
}

static void test_parse_2400_ends_the_day_without_touching_the_next(void **state)
{
    (void)state;
    assert_parses_to_run("sun 23:00-24:00", at(SUN, 23, 0), SCHED_MINUTES);
    assert_parses_to_run("tue 00:00-24:00", at(TUE, 0, 0), at(WED, 0, 0));
    struct sched s;
    parse_ok("daily 00:00-24:00", &s);
    assert_int_equal(count(&s), SCHED_MINUTES);
}

static void test_parse_rules_add_up_across_semicolons_and_newlines(void **state)
{
    (void)state;
    struct sched s;
    parse_ok("mon 08:00-10:00; mon 09:00-11:00\ntue 01:00-02:00\n\n;;wed 03:00-04:00;", &s);
    assert_int_equal(count(&s), 180 + 60 + 60);
    assert_true(bit(&s, at(MON, 10, 59)));
    assert_false(bit(&s, at(MON, 11, 0)));
    assert_true(bit(&s, at(TUE, 1, 0)));
    assert_true(bit(&s, at(WED, 3, 59)));
}

static void test_parse_whitespace_is_free(void **state)
{
    (void)state;
    assert_same("  mon  -  fri \t 8:00 - 18:00 ;\r\n\t sat , sun 1:00-2:00  ",
                "mon-fri 08:00-18:00; sat,sun 01:00-02:00");
    assert_same("mon08:00-09:00", "mon 08:00-09:00");
}

static void test_parse_empty_text_is_never_active(void **state)
{
    (void)state;
    const char *texts[] = {"", "   ", " \n\t\n ", ";", " ; ;\n"};
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
        struct sched s;
        memset(&s, 0xff, sizeof s);
        parse_ok(texts[i], &s);
        assert_int_equal(count(&s), 0);
    }
}

/* ---- sched_parse: errors ---------------------------------------------------- */

static void test_parse_rejects_unknown_day(void **state)
{
    (void)state;
    assert_rejected("mox 10:00-12:00", "mox 10:00-12:00");
    assert_rejected("mon-fro 10:00-12:00", "mon-fro 10:00-12:00");
    assert_rejected("mo 10:00-12:00", "mo 10:00-12:00");
    assert_rejected("weekday 10:00-12:00", "weekday 10:00-12:00");

    char err[256];
    struct sched s;
    assert_int_equal(sched_parse("mox 10:00-12:00", &s, err, sizeof err), -EINVAL);
    assert_non_null(strstr(err, "unknown day \"mox\""));
}

static void test_parse_rejects_hour_out_of_range(void **state)
{
    (void)state;
    assert_rejected("mon 25:00-26:00", "mon 25:00-26:00");
    assert_rejected("mon 10:00-25:00", "mon 10:00-25:00");
    assert_rejected("mon 24:30-10:00", "mon 24:30-10:00");
    assert_rejected("mon 100:00-10:00", "mon 100:00-10:00");
}

static void test_parse_rejects_minute_out_of_range_or_malformed(void **state)
{
    (void)state;
    assert_rejected("mon 10:60-11:00", "mon 10:60-11:00");
    assert_rejected("mon 10:00-11:5", "mon 10:00-11:5");
    assert_rejected("mon 10:000-11:00", "mon 10:000-11:00");
    assert_rejected("mon 1000-1100", "mon 1000-1100");
    assert_rejected("mon 10.00-11.00", "mon 10.00-11.00");
    assert_rejected("mon 10:00:30-11:00", "mon 10:00:30-11:00");
    assert_rejected("mon 10:00x-11:00", "mon 10:00x-11:00");
}

static void test_parse_rejects_start_equal_to_end_and_2400_start(void **state)
{
    (void)state;
    assert_rejected("mon 10:00-10:00", "mon 10:00-10:00");
    assert_rejected("mon 0:00-00:00", "mon 0:00-00:00");
    assert_rejected("mon 24:00-01:00", "mon 24:00-01:00");
}

static void test_parse_rejects_missing_range_or_days(void **state)
{
    (void)state;
    assert_rejected("mon", "mon");
    assert_rejected("mon-fri", "mon-fri");
    assert_rejected("mon 10:00", "mon 10:00");
    assert_rejected("mon 10:00-", "mon 10:00-");
    assert_rejected("10:00-11:00", "10:00-11:00");
    assert_rejected("mon, 10:00-11:00", "mon, 10:00-11:00");
    assert_rejected("mon- 10:00-11:00", "mon- 10:00-11:00");
}

static void test_parse_rejects_trailing_junk(void **state)
{
    (void)state;
    assert_rejected("mon 10:00-11:00 x", "mon 10:00-11:00 x");
    assert_rejected("mon 10:00-11:00-12:00", "mon 10:00-11:00-12:00");
    assert_rejected("mon 10:00-11:00, tue 10:00-11:00", "mon 10:00-11:00, tue 10:00-11:00");
}

static void test_parse_rejects_group_word_in_day_range(void **state)
{
    (void)state;
    assert_rejected("weekdays-sun 10:00-11:00", "weekdays-sun 10:00-11:00");
    assert_rejected("mon-daily 10:00-11:00", "mon-daily 10:00-11:00");
}

static void test_parse_error_quotes_only_the_bad_rule(void **state)
{
    (void)state;
    char err[256];
    struct sched s;
    memset(&s, 0, sizeof s);
    assert_int_equal(
        sched_parse("mon 10:00-11:00;\n  tue 9:00-9:00  \nwed 1:00-2:00", &s, err, sizeof err),
        -EINVAL);
    assert_non_null(strstr(err, "\"tue 9:00-9:00\""));
    assert_null(strstr(err, "mon"));
    assert_null(strstr(err, "wed"));
    assert_int_equal(count(&s), 0); /* the good first rule is not applied either */
}

static void test_parse_error_message_fits_small_or_missing_buffers(void **state)
{
    (void)state;
    struct sched s;
    char err[8];
    memset(err, 'x', sizeof err);
    assert_int_equal(sched_parse("mox 10:00-11:00", &s, err, sizeof err), -EINVAL);
    assert_int_equal(strlen(err), sizeof err - 1);
    assert_int_equal(sched_parse("mox 10:00-11:00", &s, NULL, 0), -EINVAL);
    err[0] = 'x';
    assert_int_equal(sched_parse("mox 10:00-11:00", &s, err, 0), -EINVAL);
    assert_int_equal(err[0], 'x');
}

/* ---- sched_format ----------------------------------------------------------- */

static void test_format_empty_schedule_is_empty_string(void **state)
{
    (void)state;
    struct sched s;
    memset(&s, 0, sizeof s);
    assert_format(&s, "");
    char one[1] = {'x'};
    assert_int_equal(sched_format(&s, one, sizeof one), 0);
    assert_string_equal(one, "");
}

static void test_format_groups_days_with_the_same_runs(void **state)
{
    (void)state;
    assert_normalizes("sun,sat 10:00-12:30;\n weekdays 8:00-18:00",
                      "mon-fri 08:00-18:00; sat,sun 10:00-12:30");
    assert_normalizes("mon,wed,fri 12:00-13:00; fri,wed,mon 9:00-10:00; tue 0:00-0:01",
                      "mon,wed,fri 09:00-10:00; mon,wed,fri 12:00-13:00; tue 00:00-00:01");
    assert_normalizes("fri-tue 07:00-08:00", "mon,tue,fri-sun 07:00-08:00");
    assert_normalizes("mon 01:00-02:00; tue 01:00-02:00; thu-sat 01:00-02:00; mon 05:00-06:00",
                      "mon 01:00-02:00; mon 05:00-06:00; tue,thu-sat 01:00-02:00");
}

static void test_format_merges_overlapping_and_adjacent_rules(void **state)
{
    (void)state;
    assert_normalizes("mon 08:00-10:00; mon 09:00-11:00; mon 11:00-12:00", "mon 08:00-12:00");
}

static void test_format_cuts_runs_at_midnight(void **state)
{
    (void)state;
    assert_normalizes("fri 22:00-02:00", "fri 22:00-24:00; sat 00:00-02:00");
    assert_normalizes("sun 23:00-01:00", "mon 00:00-01:00; sun 23:00-24:00");
    assert_normalizes("daily 00:00-24:00", "mon-sun 00:00-24:00");
    assert_normalizes("daily 22:00-06:00", "mon-sun 00:00-06:00; mon-sun 22:00-24:00");
}

static void test_format_reports_erange_when_buffer_too_small(void **state)
{
    (void)state;
    struct sched s;
    parse_ok("mon-fri 08:00-18:00", &s); /* 19 characters */
    char buf[20];
    assert_int_equal(sched_format(&s, buf, 20), 0);
    assert_string_equal(buf, "mon-fri 08:00-18:00");
    memset(buf, 'x', sizeof buf);
    assert_int_equal(sched_format(&s, buf, 19), -ERANGE);
    assert_string_equal(buf, "");
    assert_int_equal(sched_format(&s, NULL, 0), -ERANGE);

    char err[128] = "";
    assert_int_equal(sched_normalize("weekdays 8:00-18:00", buf, 10, err, sizeof err), -ERANGE);
    assert_true(strlen(err) > 0);
    assert_int_equal(sched_normalize("mox 8:00-18:00", buf, sizeof buf, err, sizeof err), -EINVAL);
    assert_non_null(strstr(err, "mox"));
}

static void test_format_worst_case_fits_sched_text_max(void **state)
{
    (void)state;
    /* every other minute, each day shifted differently so that no two days
     * group: the most rules there can be */
    struct sched s;
    memset(&s, 0, sizeof s);
    for (int d = 0; d < 7; d++)
        for (int m = d % 2; m < DAY; m += 2)
            if (d < 2 || m != d) set(&s, d * DAY + m, d * DAY + m + 1);
    static char buf[SCHED_TEXT_MAX];
    assert_int_equal(sched_format(&s, buf, sizeof buf), 0);
    assert_true(strlen(buf) < SCHED_TEXT_MAX);
    assert_true(strlen(buf) > 7 * 700 * 17 - 200);
    assert_round_trip(&s);
}

/* ---- round trips -------------------------------------------------------------- */

static void test_round_trip_fixed_schedules(void **state)
{
    (void)state;
    const char *texts[] = {
        "",
        "mon-fri 08:00-18:00; sat,sun 10:00-12:30",
        "fri 22:00-02:00",
        "sun 23:00-01:00",
        "daily 00:00-24:00",
        "daily 00:00-23:59",
        "mon 00:00-00:01; sun 23:59-24:00",
        "tue,thu 07:15-07:45; tue 12:00-13:00; fri-mon 19:00-03:30",
    };
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
        struct sched s;
        parse_ok(texts[i], &s);
        assert_round_trip(&s);
    }
}

static void test_round_trip_random_schedules(void **state)
{
    (void)state;
    srand(20260329);
    for (int i = 0; i < 300; i++) {
        struct sched s;
        memset(&s, 0, sizeof s);
        if (i % 3 == 0) { /* noise: any bit pattern at all */
            for (size_t b = 0; b < sizeof s.bits; b++)
                s.bits[b] = (uint8_t)rand();
        } else { /* a few runs, some across midnight or the week's end */
            int runs = 1 + rand() % 12;
            for (int r = 0; r < runs; r++) {
                int from = rand() % SCHED_MINUTES, len = 1 + rand() % (2 * DAY);
                for (int m = from; m < from + len; m++)
                    set(&s, m % SCHED_MINUTES, m % SCHED_MINUTES + 1);
            }
            if (i % 3 == 2) /* copy Monday to other days, so days group */
                for (int d = 1; d < 7; d++)
                    if (rand() % 2) memcpy(s.bits + d * DAY / 8, s.bits, DAY / 8);
        }
        assert_round_trip(&s);
    }
}

/* ---- evaluation --------------------------------------------------------------- */

static void test_minute_of_week_starts_on_monday(void **state)
{
    (void)state;
    struct tm tm = {.tm_wday = 1};
    assert_int_equal(sched_minute_of_week(&tm), 0);
    tm = (struct tm){.tm_wday = 0, .tm_hour = 23, .tm_min = 59, .tm_sec = 59};
    assert_int_equal(sched_minute_of_week(&tm), SCHED_MINUTES - 1);
    tm = (struct tm){.tm_wday = 5, .tm_hour = 22, .tm_min = 7};
    assert_int_equal(sched_minute_of_week(&tm), at(FRI, 22, 7));
}

static void test_active_at_boundaries(void **state)
{
    (void)state;
    use_tz("UTC");
    struct sched s;
    parse_ok("wed 10:00-11:30", &s);
    /* 2026-03-04 is a Wednesday */
    assert_false(sched_active(&s, local(2026, 3, 4, 9, 59, 59)));
    assert_true(sched_active(&s, local(2026, 3, 4, 10, 0, 0)));
    assert_true(sched_active(&s, local(2026, 3, 4, 11, 29, 0)));
    assert_true(sched_active(&s, local(2026, 3, 4, 11, 29, 59)));
    assert_false(sched_active(&s, local(2026, 3, 4, 11, 30, 0)));
    assert_false(sched_active(&s, local(2026, 3, 11, 9, 59, 0)));
    assert_true(sched_active(&s, local(2026, 3, 11, 10, 0, 0))); /* a week later */
    assert_false(sched_active(&s, local(2026, 3, 5, 10, 0, 0))); /* Thursday */
}

static void test_active_past_midnight_from_sunday_into_monday(void **state)
{
    (void)state;
    use_tz("UTC");
    struct sched s;
    parse_ok("sun 23:00-01:00", &s);
    /* 2026-03-08 is a Sunday */
    assert_false(sched_active(&s, local(2026, 3, 8, 22, 59, 0)));
    assert_true(sched_active(&s, local(2026, 3, 8, 23, 0, 0)));
    assert_true(sched_active(&s, local(2026, 3, 9, 0, 0, 0)));
    assert_true(sched_active(&s, local(2026, 3, 9, 0, 59, 0)));
    assert_false(sched_active(&s, local(2026, 3, 9, 1, 0, 0)));
    assert_int_equal(sched_next_change(&s, local(2026, 3, 8, 12, 0, 0)),
                     local(2026, 3, 8, 23, 0, 0));
    assert_int_equal(sched_next_change(&s, local(2026, 3, 8, 23, 30, 0)),
                     local(2026, 3, 9, 1, 0, 0));
}

static void test_empty_schedule_is_never_active_and_never_changes(void **state)
{
    (void)state;
    use_tz("UTC");
    struct sched s;
    parse_ok("", &s);
    for (time_t t = local(2026, 3, 2, 0, 0, 0); t < local(2026, 3, 9, 0, 0, 0); t += 3600 + 7) {
        assert_false(sched_active(&s, t));
        assert_int_equal(sched_next_change(&s, t), (time_t)-1);
    }
}

static void test_whole_week_is_always_active_and_never_changes(void **state)
{
    (void)state;
    use_tz("UTC");
    struct sched s;
    parse_ok("weekdays 00:00-24:00; weekends 0:00-24:00", &s);
    assert_int_equal(count(&s), SCHED_MINUTES);
    for (time_t t = local(2026, 3, 2, 0, 0, 0); t < local(2026, 3, 9, 0, 0, 0); t += 3600 + 7) {
        assert_true(sched_active(&s, t));
        assert_int_equal(sched_next_change(&s, t), (time_t)-1);
    }
}

static void test_next_change_lands_on_minute_boundaries(void **state)
{
    (void)state;
    use_tz("UTC");
    struct sched s;
    parse_ok("wed 10:00-11:30", &s);
    time_t start = local(2026, 3, 4, 10, 0, 0), end = local(2026, 3, 4, 11, 30, 0);
    assert_int_equal(sched_next_change(&s, local(2026, 3, 4, 9, 0, 0)), start);
    assert_int_equal(sched_next_change(&s, local(2026, 3, 4, 9, 59, 30)), start);
    assert_int_equal(sched_next_change(&s, start - 1), start);
    assert_int_equal(sched_next_change(&s, start), end);
    assert_int_equal(sched_next_change(&s, end - 1), end);
    /* at the end, the next change is the start a week later */
    assert_int_equal(sched_next_change(&s, end), local(2026, 3, 11, 10, 0, 0));
}

static void test_next_change_scans_a_full_week(void **state)
{
    (void)state;
    use_tz("UTC");
    struct sched s;
    parse_ok("mon 00:00-00:01", &s);
    /* 2026-03-02 is a Monday */
    assert_int_equal(sched_next_change(&s, local(2026, 3, 2, 0, 0, 1)), local(2026, 3, 2, 0, 1, 0));
    assert_int_equal(sched_next_change(&s, local(2026, 3, 2, 0, 1, 0)), local(2026, 3, 9, 0, 0, 0));
    /* active all week but one minute */
    parse_ok("mon 00:01-24:00; tue-sun 00:00-24:00", &s);
    assert_int_equal(sched_next_change(&s, local(2026, 3, 2, 0, 0, 30)),
                     local(2026, 3, 2, 0, 1, 0));
    assert_int_equal(sched_next_change(&s, local(2026, 3, 2, 0, 1, 0)), local(2026, 3, 9, 0, 0, 0));
}

static void test_active_uses_local_time(void **state)
{
    (void)state;
    if (!have_zoneinfo("Europe/Berlin")) skip();
    use_tz("Europe/Berlin");
    struct sched s;
    parse_ok("wed 10:00-11:00", &s);
    /* 2026-03-04 10:00 CET = 09:00 UTC; 2026-07-01 10:00 CEST = 08:00 UTC */
    assert_false(sched_active(&s, utc(2026, 3, 4, 8, 59, 59)));
    assert_true(sched_active(&s, utc(2026, 3, 4, 9, 0, 0)));
    assert_false(sched_active(&s, utc(2026, 3, 4, 10, 0, 0)));
    assert_true(sched_active(&s, utc(2026, 7, 1, 8, 0, 0)));
    assert_false(sched_active(&s, utc(2026, 7, 1, 9, 0, 0)));
    use_tz("UTC");
}

static void test_next_change_across_spring_forward_in_berlin(void **state)
{
    (void)state;
    if (!have_zoneinfo("Europe/Berlin")) skip();
    use_tz("Europe/Berlin");
    struct sched s;
    /* 2026-03-29: at 01:00 UTC the clocks go from 02:00 CET to 03:00 CEST */
    time_t now = utc(2026, 3, 29, 0, 30, 0); /* Sunday 01:30 CET */
    parse_ok("sun 03:30-05:00", &s);
    assert_false(sched_active(&s, now));
    assert_int_equal(sched_next_change(&s, now), utc(2026, 3, 29, 1, 30, 0)); /* 03:30 CEST */
    assert_int_equal(sched_next_change(&s, utc(2026, 3, 29, 1, 30, 0)), utc(2026, 3, 29, 3, 0, 0));
    /* a rule starting in the skipped hour takes effect when the clocks jump */
    parse_ok("sun 02:30-04:00", &s);
    assert_int_equal(sched_next_change(&s, now), utc(2026, 3, 29, 1, 0, 0));
    assert_true(sched_active(&s, utc(2026, 3, 29, 1, 0, 0)));
    assert_false(sched_active(&s, utc(2026, 3, 29, 0, 59, 59)));
    /* a rule inside the skipped hour never happens that week */
    parse_ok("sun 02:10-02:20", &s);
    assert_int_equal(sched_next_change(&s, now), utc(2026, 4, 5, 0, 10, 0)); /* 02:10 CEST */
    /* a rule ending in the skipped hour ends when the clocks jump */
    parse_ok("sun 01:00-02:30", &s);
    assert_true(sched_active(&s, now));
    assert_int_equal(sched_next_change(&s, now), utc(2026, 3, 29, 1, 0, 0));
    use_tz("UTC");
}

static void test_next_change_across_fall_back_in_berlin(void **state)
{
    (void)state;
    if (!have_zoneinfo("Europe/Berlin")) skip();
    use_tz("Europe/Berlin");
    struct sched s;
    /* 2026-10-25: at 01:00 UTC the clocks go back from 03:00 CEST to 02:00 CET,
     * so local 02:00-02:59 happens twice */
    parse_ok("sun 02:30-03:30", &s);
    time_t t = utc(2026, 10, 24, 23, 0, 0); /* Sunday 01:00 CEST */
    const time_t want[] = {
        utc(2026, 10, 25, 0, 30, 0), /* 02:30 CEST: on */
        utc(2026, 10, 25, 1, 0, 0),  /* 03:00 CEST becomes 02:00 CET: off */
        utc(2026, 10, 25, 1, 30, 0), /* 02:30 CET: on again */
        utc(2026, 10, 25, 2, 30, 0), /* 03:30 CET: off */
    };
    bool on = false;
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        assert_int_equal(sched_active(&s, t), on);
        t = sched_next_change(&s, t);
        assert_int_equal(t, want[i]);
        on = !on;
    }
    /* a run through the repeated hour just lasts an hour longer */
    parse_ok("sun 01:00-04:00", &s);
    assert_int_equal(sched_next_change(&s, utc(2026, 10, 24, 23, 30, 0)),
                     utc(2026, 10, 25, 3, 0, 0));
    use_tz("UTC");
}

static void test_next_change_matches_brute_force_search(void **state)
{
    (void)state;
    const char *zones[] = {"UTC", "Europe/Berlin", "America/New_York", "Australia/Lord_Howe"};
    srand(4242);
    for (size_t z = 0; z < sizeof zones / sizeof zones[0]; z++) {
        if (z > 0 && !have_zoneinfo(zones[z])) continue;
        use_tz(zones[z]);
        for (int i = 0; i < 24; i++) {
            struct sched s;
            memset(&s, 0, sizeof s);
            for (int r = 1 + rand() % 4; r > 0; r--) {
                int from = rand() % SCHED_MINUTES, len = 1 + rand() % 300;
                set(&s, from, from + len < SCHED_MINUTES ? from + len : SCHED_MINUTES);
            }
            /* around both DST changes of 2026 in the northern and southern zones */
            time_t base = i % 2 ? utc(2026, 3, 25, 0, 0, 0) : utc(2026, 10, 1, 0, 0, 0);
            time_t now = base + rand() % (40 * 24 * 3600);
            time_t got = sched_next_change(&s, now), want = brute_next_change(&s, now);
            if (got != want)
                fail_msg("%s, schedule %d, now %lld: got %lld, want %lld", zones[z], i,
                         (long long)now, (long long)got, (long long)want);
        }
    }
    use_tz("UTC");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_single_day_sets_exactly_the_range),
        cmocka_unit_test(test_parse_day_range_covers_each_day),
        cmocka_unit_test(test_parse_comma_list_of_days_and_ranges),
        cmocka_unit_test(test_parse_full_day_names),
        cmocka_unit_test(test_parse_is_case_insensitive),
        cmocka_unit_test(test_parse_group_words),
        cmocka_unit_test(test_parse_day_range_wraps_around_the_week),
        cmocka_unit_test(test_parse_range_past_midnight_runs_into_next_day),
        cmocka_unit_test(test_parse_sunday_past_midnight_wraps_into_monday),
        cmocka_unit_test(test_parse_2400_ends_the_day_without_touching_the_next),
        cmocka_unit_test(test_parse_rules_add_up_across_semicolons_and_newlines),
        cmocka_unit_test(test_parse_whitespace_is_free),
        cmocka_unit_test(test_parse_empty_text_is_never_active),
        cmocka_unit_test(test_parse_rejects_unknown_day),
        cmocka_unit_test(test_parse_rejects_hour_out_of_range),
        cmocka_unit_test(test_parse_rejects_minute_out_of_range_or_malformed),
        cmocka_unit_test(test_parse_rejects_start_equal_to_end_and_2400_start),
        cmocka_unit_test(test_parse_rejects_missing_range_or_days),
        cmocka_unit_test(test_parse_rejects_trailing_junk),
        cmocka_unit_test(test_parse_rejects_group_word_in_day_range),
        cmocka_unit_test(test_parse_error_quotes_only_the_bad_rule),
        cmocka_unit_test(test_parse_error_message_fits_small_or_missing_buffers),
        cmocka_unit_test(test_format_empty_schedule_is_empty_string),
        cmocka_unit_test(test_format_groups_days_with_the_same_runs),
        cmocka_unit_test(test_format_merges_overlapping_and_adjacent_rules),
        cmocka_unit_test(test_format_cuts_runs_at_midnight),
        cmocka_unit_test(test_format_reports_erange_when_buffer_too_small),
        cmocka_unit_test(test_format_worst_case_fits_sched_text_max),
        cmocka_unit_test(test_round_trip_fixed_schedules),
        cmocka_unit_test(test_round_trip_random_schedules),
        cmocka_unit_test(test_minute_of_week_starts_on_monday),
        cmocka_unit_test(test_active_at_boundaries),
        cmocka_unit_test(test_active_past_midnight_from_sunday_into_monday),
        cmocka_unit_test(test_empty_schedule_is_never_active_and_never_changes),
        cmocka_unit_test(test_whole_week_is_always_active_and_never_changes),
        cmocka_unit_test(test_next_change_lands_on_minute_boundaries),
        cmocka_unit_test(test_next_change_scans_a_full_week),
        cmocka_unit_test(test_active_uses_local_time),
        cmocka_unit_test(test_next_change_across_spring_forward_in_berlin),
        cmocka_unit_test(test_next_change_across_fall_back_in_berlin),
        cmocka_unit_test(test_next_change_matches_brute_force_search),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
