/*
 * category.c — categories over the control socket: category_list,
 * category_set and category_remove, and `spate category ls|set|rm`.
 *
 * A category is a named set of defaults (save path, rate limits, seeding
 * limits) a torrent takes when it gets the category (`set` with key
 * "category", or `add` with "category"). The engine checks, stores and
 * applies them (eng_category_*); this file checks the request's shape and
 * turns the rows into JSON. Shapes and errors: docs/protocol.md.
 *
 * The fields are one table (cat_fields): the CLI's KEY=VALUE keys, the
 * request's and the reply's JSON fields, the handler's defaults and the
 * one path among them all come from it.
 */
#include "ctl/ctl_int.h"
#include "util/utf8.h"

#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* --- the fields ------------------------------------------------------------ */

/* A field of struct eng_category: a path (text; the CLI makes it absolute,
 * "" is none: the session's) or an integer limit. */
struct cat_field {
    const char *key; /* the JSON field and the CLI's KEY */
    bool path;       /* save_path; else an int64_t */
    int64_t dflt;    /* an integer's value when the request leaves it out */
    size_t offset;   /* in struct eng_category */
};

static const struct cat_field cat_fields[] = {
    {"save_path", true, 0, offsetof(struct eng_category, save_path)},
    {"download_limit", false, 0,
     offsetof(struct eng_category, download_limit)}, /* bytes/s, 0 none */
    {"upload_limit", false, 0, offsetof(struct eng_category, upload_limit)},
    {"share_ratio_limit", false, -1,
     offsetof(struct eng_category, share_ratio_limit)},                             /* percent */
    {"seed_time_limit", false, -1, offsetof(struct eng_category, seed_time_limit)}, /* s */
};

#define N_FIELDS (sizeof(cat_fields) / sizeof(cat_fields[0]))

static const char **path_of(const struct eng_category *c, const struct cat_field *f)
{
    return (const char **)((char *)c + f->offset);
}

static int64_t *int_of(const struct eng_category *c, const struct cat_field *f)
{
    return (int64_t *)((char *)c + f->offset);
}

/* The field named by the klen bytes at key, or NULL. */
static const struct cat_field *field_find(const char *key, size_t klen)
{
    for (size_t i = 0; i < N_FIELDS; i++)
        if (strlen(cat_fields[i].key) == klen && strncmp(cat_fields[i].key, key, klen) == 0)
            return &cat_fields[i];
    return NULL;
}

/* --- the handlers ------------------------------------------------------------ */

/* {"name", then every field}: new reference. */
static json_t *category_json(const struct eng_category *c)
{
    json_t *o = json_pack("{s:o}", "name", ctl_json_str(c->name));
    for (size_t i = 0; o && i < N_FIELDS; i++) {
        const struct cat_field *f = &cat_fields[i];
        const char *p = f->path ? *path_of(c, f) : NULL;
        json_object_set_new(o, f->key,
                            f->path ? ctl_json_str(p ? p : "")
                                    : json_integer((json_int_t)*int_of(c, f)));
    }
    return o;
}

struct find {
    const char *name; /* NULL: every category into arr */
    json_t *arr;
};

static int collect(const struct eng_category *c, void *ud)
{
    struct find *f = ud;
    if (f->name && strcmp(f->name, c->name) != 0) return 0;
    json_array_append_new(f->arr, category_json(c));
    return f->name != NULL; /* the one asked for: stop */
}

/* The categories (all, or the one named) as an array; NULL with *err set
 * if the engine cannot read them. */
static json_t *categories(struct eng *e, const char *name, json_t **err)
{
    struct find f = {name, json_array()};
    int rc = f.arr ? eng_categories(e, collect, &f) : -ENOMEM;
    if (rc >= 0) return f.arr;
    json_decref(f.arr);
    return ctl_fail(err, CTL_E_INTERNAL, "cannot read the categories: %s", strerror(-rc));
}

/* category_list {}: every category, in name order. */
json_t *ctl_cmd_category_list(struct eng *e, json_t *req, bool *q, json_t **err)
{
    (void)req, (void)q;
    return categories(e, NULL, err);
}

/* category_set {"name", fields}: creates or replaces; a missing field
 * takes its default ("" for the path). The category as stored. */
json_t *ctl_cmd_category_set(struct eng *e, json_t *req, bool *q, json_t **err)
{
    (void)q;
    struct eng_category c = {.name = json_string_value(json_object_get(req, "name"))};
    if (!c.name) return ctl_fail(err, CTL_E_BAD_REQUEST, "\"name\" must be a string");
    for (size_t i = 0; i < N_FIELDS; i++) {
        const struct cat_field *f = &cat_fields[i];
        json_t *v = json_object_get(req, f->key);
        if (f->path) {
            if (v && !json_is_string(v))
                return ctl_fail(err, CTL_E_BAD_REQUEST, "\"%s\" must be a string", f->key);
            *path_of(&c, f) = v ? json_string_value(v) : "";
        } else {
            if (v && !json_is_integer(v))
                return ctl_fail(err, CTL_E_BAD_REQUEST, "\"%s\" must be an integer", f->key);
            *int_of(&c, f) = v ? json_integer_value(v) : f->dflt;
        }
    }
    char msg[512] = "";
    int rc = eng_category_set(e, &c, msg, sizeof(msg));
    if (rc == -EINVAL) return ctl_fail(err, CTL_E_INVALID_VALUE, "%s", msg);
    if (rc) return ctl_fail(err, CTL_E_INTERNAL, "%s", msg[0] ? msg : strerror(-rc));
    json_t *found = categories(e, c.name, err);
    if (!found) return NULL;
    json_t *row = json_incref(json_array_get(found, 0));
    json_decref(found);
    return row ? row : category_json(&c); /* an engine without a store keeps none */
}

/* category_remove {"name"}: {"name"} of the category removed; its torrents
 * lose it. */
json_t *ctl_cmd_category_remove(struct eng *e, json_t *req, bool *q, json_t **err)
{
    (void)q;
    const char *name = json_string_value(json_object_get(req, "name"));
    if (!name) return ctl_fail(err, CTL_E_BAD_REQUEST, "\"name\" must be a string");
    char msg[512] = "";
    int rc = eng_category_remove(e, name, msg, sizeof(msg));
    if (rc == -ENOENT)
        return ctl_fail(err, CTL_E_NOT_FOUND, "%s", msg[0] ? msg : "no such category");
    if (rc) return ctl_fail(err, CTL_E_INTERNAL, "%s", msg[0] ? msg : strerror(-rc));
    return json_pack("{s:o}", "name", ctl_json_str(name));
}

/* --- the table entry: `spate category` ----------------------------------- */

/* category ls | set NAME [KEY=VALUE...] | rm NAME: the action into
 * a->category_op; NAME and the pairs stay in a->pos. The keys are the
 * fields, the limits integers. */
static int parse_category(struct ctl_args *a, char *err, size_t errlen)
{
    static const char *const ops[] = {"ls", "set", "rm"};
    for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++)
        if (strcmp(a->pos[0], ops[i]) == 0) a->category_op = ops[i];
    if (!a->category_op)
        return ctl_usage_err(err, errlen, "category: unknown action '%s': give ls, set or rm",
                             a->pos[0]);
    bool ls = strcmp(a->category_op, "ls") == 0, rm = strcmp(a->category_op, "rm") == 0;
    if (ls && a->n_pos > 1)
        return ctl_usage_err(err, errlen, "category ls: unexpected argument '%s'", a->pos[1]);
    if (!ls && a->n_pos < 2)
        return ctl_usage_err(err, errlen, "category %s: missing NAME", a->pos[0]);
    if (rm && a->n_pos > 2)
        return ctl_usage_err(err, errlen, "category rm: takes one NAME, got %zu", a->n_pos - 1);
    for (size_t i = 2; i < a->n_pos; i++) {
        const char *kv = a->pos[i];
        size_t klen;
        int rc = ctl_kv_key_len("category set", kv, &klen, err, errlen);
        if (rc) return rc;
        const struct cat_field *f = field_find(kv, klen);
        if (!f) {
            char keys[256] = "";
            for (size_t k = 0; k < N_FIELDS; k++) {
                size_t len = strlen(keys);
                snprintf(keys + len, sizeof(keys) - len, "%s%s",
                         k == 0             ? ""
                         : k + 1 < N_FIELDS ? ", "
                                            : " or ",
                         cat_fields[k].key);
            }
            return ctl_usage_err(err, errlen, "category set: unknown key '%.*s': give %s",
                                 (int)klen, kv, keys);
        }
        long long v;
        if (!f->path && !ctl_parse_int64(kv + klen + 1, &v))
            return ctl_usage_err(err, errlen, "category set: %s takes an integer, not '%s'", f->key,
                                 kv + klen + 1);
    }
    return 0;
}

/* category ls|set|rm: the request is category_list, category_set or
 * category_remove. parse_category has checked set's KEY=VALUE pairs; the
 * path is made absolute, as --dir is ("" stays: none, the session's). */
static int category_request(const struct ctl_args *a, json_t *req)
{
    const char *op = a->category_op;
    json_object_set_new(req, "cmd",
                        json_string(strcmp(op, "ls") == 0    ? "category_list"
                                    : strcmp(op, "set") == 0 ? "category_set"
                                                             : "category_remove"));
    if (a->n_pos > 1) json_object_set_new(req, "name", ctl_json_str(a->pos[1]));
    for (size_t i = 2; i < a->n_pos; i++) {
        const char *kv = a->pos[i], *v = strchr(kv, '=') + 1;
        const struct cat_field *f = field_find(kv, (size_t)(v - 1 - kv));
        long long n = 0;
        if (!f->path)
            json_object_set_new(req, f->key, json_integer(ctl_parse_int64(v, &n) ? n : 0));
        else if (!*v)
            json_object_set_new(req, f->key, json_string(""));
        else if (ctl_dir_field(req, f->key, v))
            return CTL_EXIT_FAILURE;
    }
    return 0;
}

/* The table for ls and set (the category as saved), a line for rm. */
static int print_category(const struct ctl_args *a, json_t *result)
{
    if (strcmp(a->category_op, "rm") == 0) {
        fputs("removed category ", stdout);
        util_term_fputs(json_string_value(json_object_get(result, "name")), stdout);
        putchar('\n');
        return CTL_EXIT_OK;
    }
    if (a->json) return ctl_print_json(result);
    ctl_print_categories(stdout, result);
    return CTL_EXIT_OK;
}

const struct ctl_cmd ctl_cmd_category_entry = {
    .name = "category",
    .min_pos = 1,
    .max_pos = SIZE_MAX,
    .operands = "ls | set NAME [KEY=VALUE...] | rm NAME",
    .options = CTL_OPT_JSON,
    .help =
        (const struct ctl_help[]){
            {"category ls [--json]", "list categories", "category_list"},
            {"category set NAME [KEY=VALUE]...",
             "create or replace a category; KEY is save_path,\n"
             "download_limit, upload_limit (bytes/s, 0 none),\n"
             "share_ratio_limit (percent), seed_time_limit (s);\n"
             "-1 for the last two: the session's",
             "category_set"},
            {"category rm NAME", "remove a category (its torrents lose it)", "category_remove"},
            {NULL, NULL, NULL}},
    .parse = parse_category,
    .request = category_request,
    .print = print_category,
    .wire = (const struct ctl_wire[]){{"category_list", ctl_cmd_category_list},
                                      {"category_set", ctl_cmd_category_set},
                                      {"category_remove", ctl_cmd_category_remove},
                                      {NULL, NULL}},
};
