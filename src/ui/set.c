/*
 * set.c — the lines of the settings editor and the text it shows
 * for keys and values; see set.h.
 *
 * The list is rebuilt only when the search changes (a key press in the
 * search prompt), never per frame: the pane then formats just the visible
 * lines.
 */
#include "ui/set.h"

#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "ui/format.h"
#include "util/utf8.h"

/* ---- search ----------------------------------------------------------------- */

/* Whether word (len bytes) occurs in s, ignoring ASCII case. */
static bool contains(const char *s, const char *word, size_t len)
{
    if (!s) return false;
    for (; *s; s++) {
        size_t i = 0;
        while (i < len && s[i] && tolower((unsigned char)s[i]) == tolower((unsigned char)word[i]))
            i++;
        if (i == len) return true;
    }
    return false;
}

bool ui_set_matches(const struct reg_key *k, const char *query)
{
    if (!k) return false;
    if (!query) return true;
    const char *q = query;
    for (;;) {
        while (*q && isspace((unsigned char)*q))
            q++;
        if (!*q) return true;
        size_t len = 0;
        while (q[len] && !isspace((unsigned char)q[len]))
            len++;
        if (!contains(k->key, q, len) && !contains(k->group, q, len) && !contains(k->help, q, len))
            return false;
        q += len;
    }
}

/* ---- the list ------------------------------------------------------------------- */

static bool is_listed(const struct reg_key *k, unsigned scope, const char *query)
{
    return (k->scope & scope) && ui_set_matches(k, query);
}

static bool group_known(const char *g, const char *const *groups, size_t n_groups)
{
    for (size_t i = 0; i < n_groups; i++)
        if (strcmp(groups[i], g) == 0) return true;
    return false;
}

/* Appends the matching keys of `group` (all unknown groups' keys when
 * group is NULL, each behind its own heading) to lines. */
static void add_group(struct ui_set_line *lines, size_t *n, size_t *n_keys, const char *group,
                      unsigned scope, const char *query, const char *const *groups, size_t n_groups)
{
    const char *heading = NULL;
    for (size_t i = 0; i < reg_count(); i++) {
        const struct reg_key *k = reg_at(i);
        if (!is_listed(k, scope, query)) continue;
        if (group ? strcmp(k->group, group) != 0 : group_known(k->group, groups, n_groups))
            continue;
        if (!heading || strcmp(heading, k->group) != 0) {
            heading = k->group;
            lines[(*n)++] = (struct ui_set_line){.group = k->group, .k = NULL};
        }
        lines[(*n)++] = (struct ui_set_line){.group = k->group, .k = k};
        (*n_keys)++;
    }
}

int ui_set_list_build(struct ui_set_list *l, unsigned scope, const char *query)
{
    size_t n_groups = 0;
    const char *const *groups = reg_groups(&n_groups);
    /* At most a heading per key plus the key itself. */
    struct ui_set_line *lines = malloc((2 * reg_count() + 1) * sizeof *lines);
    if (!lines) return -ENOMEM;
    size_t n = 0, n_keys = 0;
    for (size_t g = 0; g < n_groups; g++)
        add_group(lines, &n, &n_keys, groups[g], scope, query, groups, n_groups);
    add_group(lines, &n, &n_keys, NULL, scope, query, groups, n_groups);
    free(l->lines);
    l->lines = lines;
    l->n = n;
    l->n_keys = n_keys;
    return 0;
}

void ui_set_list_free(struct ui_set_list *l)
{
    free(l->lines);
    l->lines = NULL;
    l->n = l->n_keys = 0;
}

long ui_set_list_find(const struct ui_set_list *l, const struct reg_key *k)
{
    if (!k) return -1;
    for (size_t i = 0; i < l->n; i++)
        if (l->lines[i].k == k) return (long)i;
    return -1;
}

static long scan(const struct ui_set_list *l, long from, int dir)
{
    for (long i = from; i >= 0 && i < (long)l->n; i += dir)
        if (l->lines[i].k) return i;
    return -1;
}

long ui_set_list_seek(const struct ui_set_list *l, long line, int dir)
{
    if (l->n_keys == 0) return -1;
    if (line < 0) line = 0;
    if (line >= (long)l->n) line = (long)l->n - 1;
    dir = dir < 0 ? -1 : 1;
    long i = scan(l, line, dir);
    return i >= 0 ? i : scan(l, line, -dir);
}

/* ---- values ---------------------------------------------------------------------- */

bool ui_set_native_differs(const struct eng_setting_row *row)
{
    return row->has_native && strcmp(row->native, row->effective) != 0;
}

void ui_set_markers(char out[UI_SET_MARKERS_COLS + 1], const struct eng_setting_row *row)
{
    out[0] = row->has_stored ? '*' : ' ';
    out[1] = row->is_default ? ' ' : '+';
    out[2] = ui_set_native_differs(row) ? '!' : ' ';
    out[3] = '\0';
}

size_t ui_set_show(char *buf, size_t n, const char *value)
{
    if (n == 0) return 0;
    const char *v = value && *value ? value : "\"\"";
    size_t len = strlen(v);
    if (len > n - 1) len = n - 1; /* cut: the caller fits it to the screen anyway */
    memcpy(buf, v, len);
    buf[len] = '\0';
    return len;
}

size_t ui_set_value_text(char *buf, size_t n, const struct eng_setting_row *row)
{
    if (n == 0) return 0;
    size_t len = ui_set_show(buf, n, row->effective);
    if (ui_set_native_differs(row) && len + 1 < n) {
        char native[256];
        ui_set_show(native, sizeof native, row->native);
        snprintf(buf + len, n - len, " (native %s)", native);
    }
    return strlen(buf);
}

size_t ui_set_describe(char *buf, size_t n, const struct reg_key *k)
{
    if (n == 0) return 0;
    const char *type = reg_type_name(k->type);
    size_t len;
    switch (k->type) {
    case REG_INT:
        snprintf(buf, n, "%s%s%s, %lld..%lld", type, k->unit ? ", " : "", k->unit ? k->unit : "",
                 k->min, k->max);
        break;
    case REG_ENUM:
        snprintf(buf, n, "%s:", type);
        for (const struct reg_enum *e = k->enums; e && e->name; e++) {
            len = strlen(buf);
            snprintf(buf + len, n - len, "%s %s", e == k->enums ? "" : ",", e->name);
        }
        break;
    case REG_STRING:
    case REG_SECRET:
        if (k->max > 0)
            snprintf(buf, n, "%s, at most %lld bytes%s", type, k->max,
                     k->type == REG_SECRET ? ", never shown" : "");
        else
            snprintf(buf, n, "%s%s", type, k->type == REG_SECRET ? ", never shown" : "");
        break;
    case REG_PATH:
        snprintf(buf, n, "%s: absolute, or \"\"", type);
        break;
    case REG_HOSTPORTS:
        snprintf(buf, n, "%s, comma separated", type);
        break;
    case REG_CIDRS:
        snprintf(buf, n, "%s: addresses, CIDRs or ranges, comma separated", type);
        break;
    case REG_URLS:
        snprintf(buf, n, "%s: http(s) or udp, comma separated", type);
        break;
    case REG_SCHEDULE:
        snprintf(buf, n, "%s: \"mon-fri 08:00-18:00; sat 10:00-12:00\"", type);
        break;
    case REG_BOOL:
    default:
        snprintf(buf, n, "%s", type);
        break;
    }
    return strlen(buf);
}

/* The engine's rule (torrent_opts.c): URL lists and the tags. */
size_t ui_set_prompt_label(char *buf, size_t n, const struct reg_key *k)
{
    if (n == 0) return 0;
    if (k->type == REG_INT)
        snprintf(buf, n, "%s (%s%s%lld..%lld): ", k->key, k->unit ? k->unit : "",
                 k->unit ? ", " : "", k->min, k->max);
    else
        snprintf(buf, n, "%s: ", k->key);
    return strlen(buf);
}

bool ui_set_add_only(const struct reg_key *k)
{
    return (k->flags & REG_F_ADD_ONLY) != 0;
}

bool ui_set_can_reset(const struct reg_key *k, unsigned scope, char *why, size_t n)
{
    bool add_only = ui_set_add_only(k);
    if (scope != REG_TORRENT || !(k->flags & REG_F_NO_RESET || add_only)) return true;
    if (n == 0) return false;
    if (add_only)
        snprintf(why, n, "%s is chosen when a torrent is added (spate add --opt %s=...)", k->key,
                 k->key);
    else if (k->type == REG_PATH)
        snprintf(why, n,
                 "%s has no default to restore (it would move the files): Enter types a "
                 "new one",
                 k->key);
    else
        snprintf(why, n,
                 "%s has no default to restore (it would drop them all): Enter edits "
                 "the list, -X removes one",
                 k->key);
    return false;
}

void ui_set_torrent_row(struct eng_setting_row *row, const struct reg_key *k, const char *value,
                        const char *def)
{
    row->k = k;
    snprintf(row->effective, sizeof row->effective, "%s", value ? value : "");
    snprintf(row->def, sizeof row->def, "%s", def ? def : "");
    row->stored[0] = row->native[0] = '\0';
    row->has_stored = row->has_native = false;
    /* A torrent's path and URL lists have no default to differ from:
     * their "" means none (see ui_set_can_reset). */
    row->is_default = (k->flags & REG_F_NO_RESET) || strcmp(row->effective, row->def) == 0;
}

/* ---- wrapping --------------------------------------------------------------------- */

static int cp_width(uint32_t cp)
{
    if (cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp < 0xa0)) return 1; /* shown as '?' */
    int w = wcwidth((wchar_t)cp);
    return w < 0 ? 1 : w;
}

size_t ui_set_wrap(const char *s, int cols, size_t *next)
{
    size_t i = 0, brk = 0, after_brk = 0;
    int col = 0;
    bool have_brk = false;
    while (s[i]) {
        uint32_t cp;
        size_t len = util_utf8_decode(s + i, &cp);
        int w = cp_width(cp);
        if (cp == ' ' || cp == '\t') {
            brk = i;
            after_brk = i + len;
            have_brk = true;
        } else if (col + w > cols && i > 0) {
            break;
        }
        col += w;
        i += len;
    }
    size_t end = i;
    if (s[i] && have_brk) {
        end = brk;
        i = after_brk;
    }
    while (end > 0 && (s[end - 1] == ' ' || s[end - 1] == '\t'))
        end--;
    while (s[i] == ' ' || s[i] == '\t')
        i++;
    if (next) *next = i;
    return end;
}
