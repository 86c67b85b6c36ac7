/*
 * add_line.c — the options of the TUI's add prompt; see add_line.h.
 */
#include "ui/add_line.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "engine/registry.h"
#include "util/str.h"

/* The next blank-separated word of *p, NUL-terminated in place; NULL at
 * the end. */
static char *word(char **p)
{
    char *s = *p;
    while (isspace((unsigned char)*s))
        s++;
    if (!*s) return *p = s, NULL;
    char *e = s;
    while (*e && !isspace((unsigned char)*e))
        e++;
    if (*e) *e++ = '\0';
    *p = e;
    return s;
}

static int add_opt(struct ui_add_line *o, const char *key, const char *value, char *err,
                   size_t errlen)
{
    if (o->n_opts == UI_ADD_MAX_OPTS) {
        snprintf(err, errlen, "add: at most %d settings", UI_ADD_MAX_OPTS);
        return -EINVAL;
    }
    o->opts[o->n_opts].key = key;
    o->opts[o->n_opts++].value = value;
    return 0;
}

int ui_add_line_parse(char *line, struct ui_add_line *o, char *err, size_t errlen)
{
    memset(o, 0, sizeof *o);
    char *p = line;
    for (;;) {
        char *rest = p;
        while (isspace((unsigned char)*rest))
            rest++;
        char *w = word(&p);
        if (!w) break;
        const char *eq = strchr(w, '=');
        bool is_opt = strncmp(w, "--", 2) == 0;
        bool is_key = !is_opt && eq && eq != w && strchr(w, '/') == NULL && !util_is_magnet(w);
        if (!is_opt && !is_key) {
            /* the source: this word and everything after it */
            if (*p) p[-1] = ' ';
            o->source = rest;
            break;
        }
        if (is_key) {
            *(char *)eq = '\0';
            const struct reg_key *k = reg_find(w);
            if (!k || !(k->scope & REG_TORRENT)) {
                snprintf(err, errlen, "add: '%.64s' is not a per-torrent setting", w);
                return -EINVAL;
            }
            if (add_opt(o, w, eq + 1, err, errlen)) return -EINVAL;
            continue;
        }
        if (strcmp(w, "--paused") == 0) {
            o->paused = true;
        } else if (strcmp(w, "--seed-mode") == 0) {
            o->seed_mode = true;
        } else if (strcmp(w, "--category") == 0 || strcmp(w, "--tags") == 0 ||
                   strcmp(w, "--dir") == 0) {
            char *v = word(&p);
            if (!v) {
                snprintf(err, errlen, "add: %s needs a value", w);
                return -EINVAL;
            }
            if (strcmp(w, "--dir") == 0)
                o->dir = v;
            else if (add_opt(o, w[2] == 'c' ? "category" : "tags", v, err, errlen))
                return -EINVAL;
        } else {
            snprintf(err, errlen,
                     "add: unknown option '%.40s' (--paused, --seed-mode, --category, --tags, "
                     "--dir, KEY=VALUE)",
                     w);
            return -EINVAL;
        }
    }
    if (!o->source || !*o->source) {
        snprintf(err, errlen, "add: give a .torrent path or a magnet link");
        return -EINVAL;
    }
    /* trailing blanks are not part of the source */
    char *end = (char *)o->source + strlen(o->source);
    while (end > o->source && isspace((unsigned char)end[-1]))
        *--end = '\0';
    return 0;
}
