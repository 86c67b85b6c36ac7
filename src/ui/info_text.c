/*
 * info_text.c — the pieces map and the dates and durations of the Info
 * tab; see info_text.h.
 */
#include "ui/info_text.h"

#include <stdbool.h>
#include <stdio.h>
#include <time.h>

void ui_pieces_map(const uint8_t *pieces, int n, enum ui_piece_cell *out, int cells)
{
    for (int c = 0; c < cells; c++) {
        if (n <= 0 || !pieces) {
            out[c] = UI_CELL_MISSING;
            continue;
        }
        int64_t first = (int64_t)c * n / cells, end = (int64_t)(c + 1) * n / cells;
        if (end <= first) end = first + 1;
        bool all = true, some = false, dl = false;
        for (int64_t i = first; i < end; i++) {
            bool have = pieces[i] & UI_PIECE_HAVE_BIT;
            all = all && have;
            some = some || have;
            dl = dl || (pieces[i] & UI_PIECE_DL_BIT);
        }
        out[c] = all    ? UI_CELL_HAVE
                 : dl   ? UI_CELL_DOWNLOADING
                 : some ? UI_CELL_PARTIAL
                        : UI_CELL_MISSING;
    }
}

char ui_piece_glyph(enum ui_piece_cell c)
{
    switch (c) {
    case UI_CELL_HAVE:
        return '#';
    case UI_CELL_DOWNLOADING:
        return '>';
    case UI_CELL_PARTIAL:
        return '+';
    case UI_CELL_MISSING:
        break;
    }
    return '.';
}

/* snprintf's length as written (cut to the buffer). */
static size_t written(int r, size_t n)
{
    if (r < 0) return 0;
    return (size_t)r < n ? (size_t)r : n - 1;
}

size_t ui_info_date(char *buf, size_t n, int64_t t)
{
    if (n == 0) return 0;
    struct tm tm;
    time_t tt = (time_t)t;
    if (t <= 0 || !localtime_r(&tt, &tm)) return written(snprintf(buf, n, "-"), n);
    size_t k = strftime(buf, n, "%Y-%m-%d %H:%M", &tm);
    if (k == 0) buf[0] = '\0';
    return k;
}

size_t ui_info_duration(char *buf, size_t n, int64_t s)
{
    if (n == 0) return 0;
    const long long day = 86400;
    long long v = (long long)s;
    int r;
    if (s < 0)
        r = snprintf(buf, n, "-");
    else if (v < 60)
        r = snprintf(buf, n, "%llds", v);
    else if (v < 3600)
        r = snprintf(buf, n, "%lldm %02llds", v / 60, v % 60);
    else if (v < day)
        r = snprintf(buf, n, "%lldh %02lldm", v / 3600, v % 3600 / 60);
    else
        r = snprintf(buf, n, "%lldd %02lldh", v / day, v % day / 3600);
    return written(r, n);
}
