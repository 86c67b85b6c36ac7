/*
 * keybind.c — key labels back to keys, and spate.keys applied to the
 * keymap; see keybind.h.
 *
 * The labels are the ones ui_key_label() writes, so whatever the help
 * overlay shows can be typed into spate.keys as it is.
 */
#include "ui/keybind.h"

#include <curses.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "ui/format.h"
#include "util/str.h"
#include "util/utf8.h"

static const struct {
    const char *name;
    int keys[UI_KEY_PARSE_MAX];
    int n;
} named[] = {
    {"Enter", {'\r', '\n', UI_KEY_FN(KEY_ENTER)}, 3},
    {"Return", {'\r', '\n', UI_KEY_FN(KEY_ENTER)}, 3},
    {"Esc", {UI_KEY_ESC}, 1},
    {"Escape", {UI_KEY_ESC}, 1},
    {"Tab", {'\t'}, 1},
    {"Shift-Tab", {UI_KEY_FN(KEY_BTAB)}, 1},
    {"BTab", {UI_KEY_FN(KEY_BTAB)}, 1},
    {"Space", {' '}, 1},
    {"Comma", {','}, 1},
    {"Backspace", {UI_KEY_FN(KEY_BACKSPACE), 0x7f, UI_KEY_CTRL('h')}, 3},
    {"Delete", {UI_KEY_FN(KEY_DC)}, 1},
    {"Del", {UI_KEY_FN(KEY_DC)}, 1},
    {"Insert", {UI_KEY_FN(KEY_IC)}, 1},
    {"Ins", {UI_KEY_FN(KEY_IC)}, 1},
    {"Up", {UI_KEY_FN(KEY_UP)}, 1},
    {"Down", {UI_KEY_FN(KEY_DOWN)}, 1},
    {"Left", {UI_KEY_FN(KEY_LEFT)}, 1},
    {"Right", {UI_KEY_FN(KEY_RIGHT)}, 1},
    {"PgUp", {UI_KEY_FN(KEY_PPAGE)}, 1},
    {"PageUp", {UI_KEY_FN(KEY_PPAGE)}, 1},
    {"PgDn", {UI_KEY_FN(KEY_NPAGE)}, 1},
    {"PageDown", {UI_KEY_FN(KEY_NPAGE)}, 1},
    {"Home", {UI_KEY_FN(KEY_HOME)}, 1},
    {"End", {UI_KEY_FN(KEY_END)}, 1},
};

int ui_key_parse(const char *label, int keys[UI_KEY_PARSE_MAX])
{
    if (!label) return -EINVAL;
    while (*label == ' ' || *label == '\t')
        label++;
    size_t len = strlen(label);
    while (len && (label[len - 1] == ' ' || label[len - 1] == '\t'))
        len--;
    if (len == 0) return -EINVAL;

    /* one character: itself (case counts: "q" is not "Q") */
    uint32_t cp;
    size_t cl = util_utf8_decode(label, &cp);
    if (cl == len) {
        if (cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp < 0xa0) || cp == 0xfffd) return -EINVAL;
        keys[0] = (int)cp;
        return 1;
    }
    /* ^X: a control key; ^? is DEL */
    if (len == 2 && label[0] == '^') {
        unsigned char c = (unsigned char)label[1];
        if (c == '?') {
            keys[0] = 0x7f;
            return 1;
        }
        if (c >= 'a' && c <= 'z') c = (unsigned char)(c - 'a' + 'A');
        if (c < '@' || c > '_') return -EINVAL;
        keys[0] = c - '@';
        return 1;
    }
    /* F1 .. F63 */
    if ((label[0] == 'F' || label[0] == 'f') && len >= 2 && len <= 3) {
        int v = 0;
        for (size_t i = 1; i < len; i++) {
            if (label[i] < '0' || label[i] > '9') return -EINVAL;
            v = v * 10 + (label[i] - '0');
        }
        if (v < 1 || v > 63 || label[1] == '0') return -EINVAL;
        keys[0] = UI_KEY_FN(KEY_F(v));
        return 1;
    }
    for (size_t i = 0; i < sizeof named / sizeof named[0]; i++) {
        if (strlen(named[i].name) != len || strncasecmp(named[i].name, label, len) != 0) continue;
        memcpy(keys, named[i].keys, sizeof named[i].keys);
        return named[i].n;
    }
    return -EINVAL;
}

/* Index of the action named name[0..len) in the actions table, -1. */
static long action_index(const char *name, size_t len)
{
    const struct ui_action_info *a;
    for (size_t i = 0; (a = ui_keymap_action_at(i)) != NULL; i++)
        if (strlen(a->name) == len && strncmp(a->name, name, len) == 0) return (long)i;
    return -1;
}

const struct ui_action_info *ui_action_by_name(const char *name, size_t len)
{
    long i = action_index(name, len);
    return i < 0 ? NULL : ui_keymap_action_at((size_t)i);
}

/* Removes every key of action a in its scope (through the help's labels,
 * which ui_key_parse reads back). */
static void unbind_all(const struct ui_action_info *a)
{
    char labels[512];
    ui_keymap_keys_for(a->scope, a->action, labels, sizeof labels);
    for (char *p = labels, *next; p && *p; p = next) {
        next = strstr(p, ", ");
        if (next) {
            *next = '\0';
            next += 2;
        }
        int keys[UI_KEY_PARSE_MAX];
        int n = ui_key_parse(p, keys);
        for (int k = 0; k < n; k++)
            if (ui_keymap_lookup(a->scope, keys[k]) == a->action)
                ui_keymap_bind(a->scope, keys[k], UI_ACT_NONE);
    }
}

/* Appends entry[0..len) to the comma list in bad. */
static void add_bad(char *bad, size_t n, const char *entry, size_t len)
{
    if (n == 0) return;
    size_t used = strlen(bad);
    if (used + 1 >= n) return;
    snprintf(bad + used, n - used, "%s%.*s", used ? ", " : "", (int)len, entry);
}

int ui_keys_apply(const char *spec, char *bad, size_t n)
{
    if (n) bad[0] = '\0';
    ui_keymap_reset();
    bool cleared[512] = {false}; /* by index in the actions table */
    int n_bad = 0;
    for (const char *p = spec ? spec : ""; *p;) {
        size_t len = strcspn(p, ",");
        const char *entry = p;
        p += len;
        if (*p) p++;
        entry = util_trim(entry, &len);
        if (len == 0) continue; /* "a=x,,b=y" or a trailing comma */
        const char *eq = memchr(entry, '=', len);
        const char *name = entry, *key = eq ? eq + 1 : NULL;
        size_t name_len = eq ? (size_t)(eq - entry) : len;
        size_t key_len = eq ? len - name_len - 1 : 0;
        name = util_trim(name, &name_len);
        key = util_trim(key, &key_len);
        long idx = eq ? action_index(name, name_len) : -1;
        int keys[UI_KEY_PARSE_MAX], nk = 0;
        if (idx >= 0 && key_len > 0) {
            char label[64];
            if (key_len < sizeof label) {
                memcpy(label, key, key_len);
                label[key_len] = '\0';
                nk = ui_key_parse(label, keys);
            } else {
                nk = -EINVAL;
            }
        }
        if (idx < 0 || nk < 0) {
            add_bad(bad, n, entry, len);
            n_bad++;
            continue;
        }
        const struct ui_action_info *a = ui_keymap_action_at((size_t)idx);
        if ((size_t)idx < sizeof cleared && !cleared[idx]) {
            unbind_all(a);
            cleared[idx] = true;
        }
        int rc = 0;
        for (int k = 0; k < nk && rc == 0; k++)
            rc = ui_keymap_bind(a->scope, keys[k], a->action);
        if (rc < 0) {
            add_bad(bad, n, entry, len);
            n_bad++;
        }
    }
    return n_bad;
}
