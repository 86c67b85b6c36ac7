/*
 * fmt.c — sizes, rates, ETAs and share ratios for people; see fmt.h. The
 * rules were the TUI's (src/ui/format.c), which `spate ls` now shares.
 */
#include "util/fmt.h"
#include "util/str.h"

#include <math.h>

static const char *const size_units[] = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
#define N_SIZE_UNITS (sizeof size_units / sizeof size_units[0])

size_t util_fmt_size(char *buf, size_t n, int64_t bytes)
{
    if (bytes < 0) return util_snprintf(buf, n, "-");
    if (bytes < 1024) return util_snprintf(buf, n, "%d B", (int)bytes);
    double v = (double)bytes;
    size_t u = 0;
    while (v >= 1024.0 && u + 1 < N_SIZE_UNITS) {
        v /= 1024.0;
        u++;
    }
    if (v < 99.95) return util_snprintf(buf, n, "%.1f %s", v, size_units[u]);
    /* "%.0f" of 1023.5.. would print "1024 KiB": say "1.0 MiB" instead. */
    if (v >= 1023.5 && u + 1 < N_SIZE_UNITS)
        return util_snprintf(buf, n, "%.1f %s", v / 1024.0, size_units[u + 1]);
    return util_snprintf(buf, n, "%.0f %s", v, size_units[u]);
}

size_t util_fmt_rate(char *buf, size_t n, int64_t bytes_per_s)
{
    if (bytes_per_s < 0) return util_snprintf(buf, n, "-");
    char s[UTIL_FMT_SIZE_LEN];
    util_fmt_size(s, sizeof s, bytes_per_s);
    return util_snprintf(buf, n, "%s/s", s);
}

size_t util_fmt_eta(char *buf, size_t n, int64_t s)
{
    const int64_t day = 86400;
    if (s < 0 || s >= 100000 * day) return util_snprintf(buf, n, "-");
    long long v = (long long)s;
    if (v < 60) return util_snprintf(buf, n, "%llds", v);
    if (v < 3600) return util_snprintf(buf, n, "%lldm%02llds", v / 60, v % 60);
    if (v < day) return util_snprintf(buf, n, "%lldh%02lldm", v / 3600, v % 3600 / 60);
    if (v < 100 * day) return util_snprintf(buf, n, "%lldd%02lldh", v / day, v % day / 3600);
    return util_snprintf(buf, n, "%lldd", v / day);
}

size_t util_fmt_ratio(char *buf, size_t n, double r)
{
    if (isnan(r) || r < 0) return util_snprintf(buf, n, "-");
    if (r < 99.995) return util_snprintf(buf, n, "%.2f", r);
    if (r < 999.95) return util_snprintf(buf, n, "%.1f", r);
    if (r < 99999.5) return util_snprintf(buf, n, "%.0f", r);
    return util_snprintf(buf, n, "99999+");
}
