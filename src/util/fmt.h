/*
 * fmt.h — numbers for people: sizes, rates, ETAs and share ratios, the one
 * spelling that `spate ls`/`spate info` and the TUI both print (src/util/).
 *
 * The spelling is meant for reading, also on a terminal that is not UTF-8
 * and by a script that splits on blanks: binary units ("1.5 GiB"), at most
 * two units of time ("1h02m"), plain ASCII, and "-" for a value that is
 * unknown or has no meaning (a negative size, an unknown ETA). Rounding is to
 * the nearest, except that a number never reads as the next unit's 1024
 * ("1.0 MiB", not "1024 KiB").
 *
 * Every function writes a NUL-terminated string into a caller buffer `buf`
 * of `n` bytes and never writes past it (n == 0 writes nothing); output that
 * does not fit is cut. They return strlen(buf). Pure functions, no locale
 * dependence, no global state: safe from any thread. Depends on no other
 * module of spate.
 */
#ifndef SPATE_UTIL_FMT_H
#define SPATE_UTIL_FMT_H

#include <stddef.h>
#include <stdint.h>

/* Buffer sizes that always suffice. */
#define UTIL_FMT_SIZE_LEN 16 /* "1023.9 KiB" + NUL, with margin */
#define UTIL_FMT_RATE_LEN 20 /* "1023 KiB/s" */
#define UTIL_FMT_ETA_LEN 16  /* "12h05m", "99999d", "-" */

/* A byte count in binary units: "0 B", "1023 B", "1.0 KiB", "1.5 GiB",
 * "123 MiB" (one decimal below 100, none from 100 up, never "1024 X").
 * Negative counts give "-". */
size_t util_fmt_size(char *buf, size_t n, int64_t bytes);

/* A rate in bytes/s as util_fmt_size() plus "/s": "0 B/s", "2.3 MiB/s".
 * Negative rates give "-". */
size_t util_fmt_rate(char *buf, size_t n, int64_t bytes_per_s);

/* A duration in seconds, at most two units: "0s", "59s", "1m05s", "1h02m",
 * "3d04h", from 100 days on days only ("123d"). Unknown (negative) and
 * 100000 days (about 274 years) or more give "-". */
size_t util_fmt_eta(char *buf, size_t n, int64_t seconds);

/* A share ratio (uploaded / downloaded): "0.00", "1.25", "123.4", "12345",
 * "99999+"; negative or NaN (unknown) "-". At most 6 characters. */
size_t util_fmt_ratio(char *buf, size_t n, double ratio);

#endif
