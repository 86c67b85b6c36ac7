/*
 * category.c — categories over the control socket: category_list,
 * category_set and category_remove.
 *
 * A category is a named set of defaults (save path, rate limits, seeding
 * limits) a torrent takes when it gets the category (`set` with key
 * "category", or `add` with "category"). The engine checks, stores and
 * applies them (eng_category_*); this file checks the request's shape and
 * turns the rows into JSON. Shapes and errors: docs/protocol.md.
 */
#include "ctl/ctl_int.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

/* {"name","save_path","download_limit","upload_limit","share_ratio_limit",
 * "seed_time_limit"}: new reference. */
static json_t *category_json(const struct eng_category *c)
{
    return json_pack("{s:o, s:o, s:I, s:I, s:I, s:I}", "name", ctl_json_str(c->name), "save_path",
                     ctl_json_str(c->save_path ? c->save_path : ""), "download_limit",
                     (json_int_t)c->download_limit, "upload_limit", (json_int_t)c->upload_limit,
                     "share_ratio_limit", (json_int_t)c->share_ratio_limit, "seed_time_limit",
                     (json_int_t)c->seed_time_limit);
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

/* category_set {"name","save_path","download_limit","upload_limit",
 * "share_ratio_limit","seed_time_limit"}: creates or replaces; missing
 * fields take "", 0, 0, -1, -1. The category as stored. */
json_t *ctl_cmd_category_set(struct eng *e, json_t *req, bool *q, json_t **err)
{
    (void)q;
    struct eng_category c = {.save_path = "", .share_ratio_limit = -1, .seed_time_limit = -1};
    json_t *jp = json_object_get(req, "save_path");
    c.name = json_string_value(json_object_get(req, "name"));
    if (!c.name) return ctl_fail(err, CTL_E_BAD_REQUEST, "\"name\" must be a string");
    if (jp && !json_is_string(jp))
        return ctl_fail(err, CTL_E_BAD_REQUEST, "\"save_path\" must be a string");
    if (jp) c.save_path = json_string_value(jp);
    const struct {
        const char *field;
        int64_t *out;
    } ints[] = {{"download_limit", &c.download_limit},
                {"upload_limit", &c.upload_limit},
                {"share_ratio_limit", &c.share_ratio_limit},
                {"seed_time_limit", &c.seed_time_limit}};
    for (size_t i = 0; i < sizeof(ints) / sizeof(ints[0]); i++) {
        json_t *v = json_object_get(req, ints[i].field);
        if (v && !json_is_integer(v))
            return ctl_fail(err, CTL_E_BAD_REQUEST, "\"%s\" must be an integer", ints[i].field);
        if (v) *ints[i].out = json_integer_value(v);
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
