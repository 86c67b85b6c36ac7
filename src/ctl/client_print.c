/*
 * client_print.c — what the CLI prints without --json: tables for `ls`
 * and `category ls`, key: value lines for `info` (then its file table) and
 * `stats`, "KEY = VALUE" lines for `config`, `set` and `get`. Sizes, rates,
 * ETAs and ratios are util/fmt.h's: the TUI's spelling ("1.0 MiB", "-" for
 * an unknown ETA). Torrent names and file paths come from the
 * network, so every text from outside goes through util_term_fputs() (the
 * one terminal-safe writer: controls become '?', invalid bytes U+FFFD)
 * before it reaches the terminal (setting values, categories and tags too:
 * they are free text).
 */
#include "ctl/ctl_int.h"
#include "util/fmt.h"
#include "util/utf8.h"

#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <string.h>
#include <time.h>

/* Prints s (NULL: nothing) terminal-safe. */
static void put_clean(FILE *out, const char *s)
{
    util_term_fputs(s, out);
}

static double num(json_t *o, const char *key)
{
    return json_number_value(json_object_get(o, key));
}

/* A whole number from the daemon (sizes, rates, seconds): a JSON integer,
 * or a finite real in range; -1 (shown as "-") for anything else, 0 when
 * the key is missing. */
static int64_t whole(json_t *o, const char *key)
{
    json_t *v = json_object_get(o, key);
    if (!v || json_is_integer(v)) return (int64_t)json_integer_value(v);
    double d = json_number_value(v);
    return json_is_real(v) && d >= -9e18 && d <= 9e18 ? (int64_t)d : -1;
}

/* A duration in seconds; -1 (shown as "-") when it is not a whole number. */
static int64_t seconds(json_t *o, const char *key)
{
    json_t *v = json_object_get(o, key);
    return json_is_integer(v) ? (int64_t)json_integer_value(v) : -1;
}

static const char *str(json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s ? s : "";
}

/* put_clean(s), then spaces up to `width` bytes (none if s is as long). */
static void put_padded(FILE *out, const char *s, size_t width)
{
    put_clean(out, s);
    for (size_t n = strlen(s); n < width; n++)
        fputc(' ', out);
}

/* The widest value of `key` in rows, between min and max (0 if none has
 * one). */
static size_t column_width(json_t *rows, const char *key, size_t min, size_t max)
{
    size_t i, w = 0;
    json_t *r;
    json_array_foreach(rows, i, r)
    {
        size_t len = strlen(str(r, key));
        w = len > w ? len : w;
    }
    return w == 0 ? 0 : w < min ? min : w > max ? max : w;
}

void ctl_print_ls(FILE *out, json_t *result)
{
    /* the category and tags columns only when some torrent has one */
    size_t wc = column_width(result, "category", 8, 20), wt = column_width(result, "tags", 4, 30);
    bool labels = wc || wt;
    if (labels) {
        wc = wc ? wc : 8;
        wt = wt ? wt : 4;
    }
    fprintf(out, "%4s %5s %10s  %-11s %11s %11s %6s  ", "ID", "DONE", "SIZE", "STATE", "DOWN", "UP",
            "RATIO");
    if (labels) fprintf(out, "%-*s  %-*s  ", (int)wc, "CATEGORY", (int)wt, "TAGS");
    fputs("NAME\n", out);
    size_t i;
    json_t *t;
    json_array_foreach(result, i, t)
    {
        char size[UTIL_FMT_SIZE_LEN], down[UTIL_FMT_RATE_LEN], up[UTIL_FMT_RATE_LEN], ratio[16];
        int64_t total = whole(t, "total_bytes");
        if (total > 0)
            util_fmt_size(size, sizeof(size), total);
        else
            snprintf(size, sizeof(size), "?");
        util_fmt_rate(down, sizeof(down), whole(t, "down_rate"));
        util_fmt_rate(up, sizeof(up), whole(t, "up_rate"));
        util_fmt_ratio(ratio, sizeof ratio, num(t, "ratio"));
        int pct = (int)floor(num(t, "progress") * 100);
        char state[32];
        util_term_sanitize(state, sizeof state, str(t, "state"), strlen(str(t, "state")));
        fprintf(out, "%4lld %4d%% %10s  %-11s %11s %11s %6s  ",
                (long long)json_integer_value(json_object_get(t, "id")), pct, size, state, down, up,
                ratio);
        if (labels) {
            put_padded(out, str(t, "category"), wc);
            fputs("  ", out);
            put_padded(out, str(t, "tags"), wt);
            fputs("  ", out);
        }
        put_clean(out, str(t, "name"));
        fputc('\n', out);
    }
}

static void line(FILE *out, const char *key, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void line(FILE *out, const char *key, const char *fmt, ...)
{
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    fprintf(out, "%-18s ", key);
    put_clean(out, buf);
    fputc('\n', out);
}

static void bytes_line(FILE *out, const char *label, json_t *t, const char *key)
{
    char s[UTIL_FMT_SIZE_LEN];
    util_fmt_size(s, sizeof(s), whole(t, key));
    line(out, label, "%s (%.0f bytes)", s, num(t, key));
}

static void time_line(FILE *out, const char *label, json_t *v)
{
    if (!json_is_integer(v)) {
        line(out, label, "-");
        return;
    }
    time_t tt = (time_t)json_integer_value(v);
    struct tm tm;
    char s[64];
    if (!localtime_r(&tt, &tm) || !strftime(s, sizeof(s), "%Y-%m-%d %H:%M:%S", &tm))
        snprintf(s, sizeof(s), "%lld", (long long)tt);
    line(out, label, "%s", s);
}

/* The file table of `info`: index, priority, size, path; 28 columns before
 * the path. Pad files (BEP 47) are libtorrent's business, not the user's. */
static void print_files(FILE *out, json_t *t)
{
    json_t *files = json_object_get(t, "files");
    size_t i, n_pad = 0;
    json_t *f;
    json_array_foreach(files, i, f)
    {
        n_pad += json_is_true(json_object_get(f, "pad"));
    }
    if (json_array_size(files) == 0) {
        line(out, "files:", "%s",
             json_is_true(json_object_get(t, "has_metadata")) ? "none"
                                                              : "not known yet (no metadata)");
        return;
    }
    if (n_pad)
        line(out, "files:", "%zu (and %zu pad %s, not shown)", json_array_size(files) - n_pad,
             n_pad, n_pad == 1 ? "file" : "files");
    else
        line(out, "files:", "%zu", json_array_size(files));
    fprintf(out, "%6s  %-8s %9s  %s\n", "INDEX", "PRIORITY", "SIZE", "PATH");
    json_array_foreach(files, i, f)
    {
        if (json_is_true(json_object_get(f, "pad"))) continue;
        char size[UTIL_FMT_SIZE_LEN];
        util_fmt_size(size, sizeof(size), whole(f, "size"));
        fprintf(out, "%6lld  %-8s %9s  ",
                (long long)json_integer_value(json_object_get(f, "index")),
                ctl_prio_name((int)json_integer_value(json_object_get(f, "priority"))), size);
        put_clean(out, str(f, "path"));
        fputc('\n', out);
    }
}

void ctl_print_info(FILE *out, json_t *t)
{
    char a[32], b[32];
    line(out, "id:", "%lld", (long long)json_integer_value(json_object_get(t, "id")));
    line(out, "name:", "%s", str(t, "name"));
    line(out, "info hash:", "%s", str(t, "info_hash"));
    if (json_is_string(json_object_get(t, "info_hash_v2")))
        line(out, "info hash v2:", "%s", str(t, "info_hash_v2"));
    line(out, "state:", "%s", str(t, "state"));
    if (json_is_string(json_object_get(t, "error"))) line(out, "error:", "%s", str(t, "error"));
    line(out, "progress:", "%.1f%%", floor(num(t, "progress") * 1000) / 10);
    bytes_line(out, "size:", t, "total_bytes");
    bytes_line(out, "wanted:", t, "wanted_bytes");
    bytes_line(out, "done:", t, "done_bytes");
    bytes_line(out, "downloaded:", t, "downloaded");
    bytes_line(out, "uploaded:", t, "uploaded");
    bytes_line(out, "this session:", t, "session_downloaded");
    util_fmt_rate(a, sizeof(a), whole(t, "down_rate"));
    util_fmt_rate(b, sizeof(b), whole(t, "up_rate"));
    line(out, "rates:", "down %s, up %s", a, b);
    line(out, "peers:", "%.0f (%.0f seeds)", num(t, "peers"), num(t, "seeds"));
    util_fmt_ratio(a, sizeof(a), num(t, "ratio"));
    line(out, "ratio:", "%s", a);
    util_fmt_eta(a, sizeof(a), seconds(t, "eta_s"));
    line(out, "eta:", "%s", a);
    util_fmt_size(a, sizeof(a), whole(t, "piece_length"));
    line(out, "pieces:", "%.0f of %.0f, %s each", num(t, "pieces_done"), num(t, "num_pieces"), a);
    line(out, "metadata:", "%s", json_is_true(json_object_get(t, "has_metadata")) ? "yes" : "no");
    line(out, "paused by user:", "%s",
         json_is_true(json_object_get(t, "user_paused")) ? "yes" : "no");
    line(out, "queue position:", "%.0f", num(t, "queue_pos"));
    line(out, "save path:", "%s", str(t, "save_path"));
    line(out, "category:", "%s", *str(t, "category") ? str(t, "category") : "-");
    line(out, "tags:", "%s", *str(t, "tags") ? str(t, "tags") : "-");
    time_line(out, "added:", json_object_get(t, "added_time"));
    time_line(out, "completed:", json_object_get(t, "completed_time"));
    print_files(out, t);
}

/* A setting's value: "" when empty, so `KEY = ` never looks truncated. */
static void put_value(FILE *out, const char *v)
{
    if (v && *v)
        put_clean(out, v);
    else
        fputs("\"\"", out);
}

/* A row's "warning" (a value clamped, ...) as a line on stderr. */
static void put_warning(json_t *row)
{
    const char *warn = str(row, "warning");
    if (!*warn) return;
    fputs("warning: ", stderr);
    put_clean(stderr, warn);
    fputc('\n', stderr);
}

static void config_line(FILE *out, json_t *row, const char *op)
{
    const char *eff = str(row, "effective");
    const char *def = str(row, "default");
    put_clean(out, str(row, "key"));
    fputs(" = ", out);
    put_value(out, eff);
    if (strcmp(op, "set") == 0) {
        fputs(" (stored)", out);
    } else if (strcmp(op, "reset") == 0) {
        fputs(" (default)", out);
    } else {
        json_t *stored = json_object_get(row, "stored");
        if (json_is_string(stored)) {
            fputs(" (stored: ", out);
            put_value(out, json_string_value(stored));
            fputc(')', out);
        }
        if (strcmp(eff, def) != 0) {
            fputs(" (default: ", out);
            put_value(out, def);
            fputc(')', out);
        }
        json_t *native = json_object_get(row, "native");
        if (json_is_string(native) && strcmp(json_string_value(native), eff) != 0) {
            fputs(" (libtorrent: ", out);
            put_value(out, json_string_value(native));
            fputc(')', out);
        }
    }
    fputc('\n', out);
    put_warning(row);
}

/* "2026-11-23 15:20:01  ctl   download_rate_limit: 0 -> 500000" (local
 * time; "default" for a value that was not stored). */
static void history_line(FILE *out, json_t *row)
{
    time_t t = (time_t)json_integer_value(json_object_get(row, "time"));
    struct tm tm;
    char when[32] = "?";
    if (localtime_r(&t, &tm)) strftime(when, sizeof when, "%Y-%m-%d %H:%M:%S", &tm);
    fprintf(out, "%s  %-5s ", when, str(row, "source"));
    put_clean(out, str(row, "key"));
    fputs(": ", out);
    json_t *old = json_object_get(row, "old"), *now = json_object_get(row, "new");
    if (json_is_string(old))
        put_value(out, json_string_value(old));
    else
        fputs("(default)", out);
    fputs(" -> ", out);
    if (json_is_string(now))
        put_value(out, json_string_value(now));
    else
        fputs("(default)", out);
    fputc('\n', out);
}

void ctl_print_config(FILE *out, json_t *rows, const char *op)
{
    if (strcmp(op, "history") == 0) {
        size_t i;
        json_t *row;
        json_array_foreach(rows, i, row)
        {
            history_line(out, row);
        }
        if (json_array_size(rows) == 0) fputs("no settings changed yet\n", out);
        return;
    }
    if (json_is_object(rows)) {
        config_line(out, rows, op);
        return;
    }
    size_t i;
    json_t *row;
    json_array_foreach(rows, i, row)
    {
        config_line(out, row, op);
    }
}

void ctl_print_torrent_opts(FILE *out, json_t *rows)
{
    json_t *first = json_object_get(json_array_get(rows, 0), "id");
    bool several = false;
    size_t i;
    json_t *row;
    json_array_foreach(rows, i, row)
    {
        several = several || !json_equal(json_object_get(row, "id"), first);
    }
    json_array_foreach(rows, i, row)
    {
        json_t *v = json_object_get(row, "value");
        if (several)
            fprintf(out,
                    "torrent %lld: ", (long long)json_integer_value(json_object_get(row, "id")));
        put_clean(out, str(row, "key"));
        fputs(" = ", out);
        if (json_is_string(v))
            put_value(out, json_string_value(v));
        else
            fputs("(unreadable)", out);
        fputc('\n', out);
        put_warning(row);
    }
}

/* A limit in bytes/s: "-" for none (0). */
static void fmt_limit(char *buf, size_t n, int64_t v)
{
    if (v > 0)
        util_fmt_rate(buf, n, v);
    else
        snprintf(buf, n, "-");
}

void ctl_print_categories(FILE *out, json_t *rows)
{
    json_t *one = json_is_object(rows) ? json_pack("[O]", rows) : json_incref(rows);
    size_t wn = column_width(one, "name", 4, 24);
    fprintf(out, "%-*s  %11s %11s %6s %9s  %s\n", (int)wn, "NAME", "DOWN", "UP", "RATIO",
            "SEED TIME", "SAVE PATH");
    size_t i;
    json_t *c;
    json_array_foreach(one, i, c)
    {
        char down[32], up[32], ratio[32], seed[32];
        fmt_limit(down, sizeof(down), whole(c, "download_limit"));
        fmt_limit(up, sizeof(up), whole(c, "upload_limit"));
        /* -1: the session's share_ratio_limit / seed_time_limit ("-") */
        util_fmt_ratio(ratio, sizeof(ratio), num(c, "share_ratio_limit") / 100);
        util_fmt_eta(seed, sizeof(seed), seconds(c, "seed_time_limit"));
        put_padded(out, str(c, "name"), wn);
        fprintf(out, "  %11s %11s %6s %9s  ", down, up, ratio, seed);
        put_clean(out, *str(c, "save_path") ? str(c, "save_path") : "-");
        fputc('\n', out);
    }
    json_decref(one);
}

static const char *on_off(json_t *o, const char *key)
{
    return json_is_true(json_object_get(o, key)) ? "on" : "off";
}

void ctl_print_stats(FILE *out, json_t *st)
{
    char down[32], up[32];
    util_fmt_rate(down, sizeof(down), whole(st, "down_rate"));
    util_fmt_rate(up, sizeof(up), whole(st, "up_rate"));
    line(out, "rates:", "down %s, up %s", down, up);
    line(out, "listen port:", "%.0f", num(st, "listen_port"));
    line(out, "torrents:",
         "%.0f (%.0f downloading, %.0f seeding, %.0f paused, %.0f checking, %.0f queued, %.0f "
         "error)",
         num(st, "torrents"), num(st, "downloading"), num(st, "seeding"), num(st, "paused"),
         num(st, "checking"), num(st, "queued"), num(st, "error"));
    line(out, "dht:", "%s", on_off(st, "dht_enabled"));
    line(out, "alt speed limits:", "%s", on_off(st, "alt_speed"));
    line(out, "ip filter:", "%.0f ranges, %.0f peers blocked", num(st, "ip_filter_ranges"),
         num(st, "blocked_peers"));
}
