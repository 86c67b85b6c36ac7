/*
 * priority.c — file download priorities as users name them: skip, low,
 * normal, high or a number 0..7 (libtorrent download_priority_t: 0
 * dont_download, 1 low_priority, 4 default_priority, 7 top_priority).
 *
 * `info` (client_print.c) prints them; the protocol itself carries only
 * the numbers. Also the `priority ID PRIO FILE...` command: its operands,
 * request, handler, printer and table entry.
 */
#include "ctl/ctl_int.h"

#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Every value 0..7 has a name; the ones libtorrent leaves unnamed are their
 * digit. */
static const char *const prio_names[CTL_PRIO_MAX + 1] = {"skip",   "low", "2", "3",
                                                         "normal", "5",   "6", "high"};

int ctl_prio_parse(const char *s)
{
    if (!s) return -1;
    /* one digit: "07" or "+7" are more likely typos than intent */
    if (s[0] >= '0' && s[0] <= '0' + CTL_PRIO_MAX && s[1] == '\0') return s[0] - '0';
    for (int p = 0; p <= CTL_PRIO_MAX; p++)
        if (strcasecmp(s, prio_names[p]) == 0) return p;
    return -1;
}

const char *ctl_prio_name(int prio)
{
    if (prio < 0 || prio > CTL_PRIO_MAX) return "?";
    return prio_names[prio];
}

/* A file index as `info` shows it: decimal digits only, at most INT_MAX. */
static bool parse_index(const char *s, int *out)
{
    long long v = 0;
    if (!*s) return false;
    for (; *s; s++) {
        if (*s < '0' || *s > '9') return false;
        v = v * 10 + (*s - '0');
        if (v > INT_MAX) return false;
    }
    *out = (int)v;
    return true;
}

/* priority ID PRIO FILE...: PRIO into a->prio, the FILEs into a->files or
 * a->all_files. */
static int parse_priority(struct ctl_args *a, char *err, size_t errlen)
{
    a->prio = ctl_prio_parse(a->pos[1]);
    if (a->prio < 0)
        return ctl_usage_err(err, errlen,
                             "priority: bad priority '%s': give skip, low, normal, high or 0..7",
                             a->pos[1]);
    for (size_t i = 2; i < a->n_pos; i++) {
        const char *f = a->pos[i];
        int idx;
        if (strcmp(f, "all") == 0) {
            a->all_files = true;
            continue;
        }
        if (!parse_index(f, &idx))
            return ctl_usage_err(
                err, errlen,
                "priority: bad file '%s': give a file index `spate info ID` shows, "
                "or all",
                f);
        bool dup = false;
        for (size_t k = 0; k < a->n_files; k++)
            dup = dup || a->files[k] == idx;
        if (!dup) a->files[a->n_files++] = idx;
    }
    if (a->all_files && a->n_files)
        return ctl_usage_err(err, errlen, "priority: give either file indices or all, not both");
    return 0;
}

/* priority ID PRIO FILE...: args.c has parsed PRIO and the FILEs. */
static int priority_request(const struct ctl_args *a, json_t *req)
{
    json_object_set_new(req, "ids", json_array());
    json_object_set_new(req, "priority", json_integer(a->prio));
    json_t *files = a->all_files ? json_string("all") : json_array();
    for (size_t i = 0; !a->all_files && i < a->n_files; i++)
        json_array_append_new(files, json_integer(a->files[i]));
    json_object_set_new(req, "files", files);
    return ctl_ids_request(req, a->pos, 1);
}

static int print_priority(const struct ctl_args *a, json_t *result)
{
    size_t i;
    json_t *id;
    json_array_foreach(result, i, id)
    {
        long long n = (long long)json_integer_value(id);
        if (a->all_files)
            printf("set priority %s on all files of torrent %lld\n", ctl_prio_name(a->prio), n);
        else if (a->n_files == 1)
            printf("set priority %s on file %d of torrent %lld\n", ctl_prio_name(a->prio),
                   a->files[0], n);
        else
            printf("set priority %s on %zu files of torrent %lld\n", ctl_prio_name(a->prio),
                   a->n_files, n);
    }
    return CTL_EXIT_OK;
}

/* --- file priorities ------------------------------------------------------- */

/* Checks the "files" of a priority request against torrent `id`'s file
 * list: *meta_out gets the metadata (the caller frees it) when every index
 * names a file that is not a pad file. Otherwise appends one message per
 * problem to msg and returns the reply code of the first. */
static const char *priority_check(struct eng *e, int id, json_t *files, struct eng_meta **meta_out,
                                  char *msg, size_t msglen)
{
    char m[256];
    int rc = eng_meta_get(e, id, meta_out);
    if (rc == -EAGAIN) {
        snprintf(m, sizeof(m), "torrent %d has no metadata yet: its files are not known", id);
        ctl_msg_append(msg, msglen, m);
        return CTL_E_NO_METADATA;
    }
    if (rc) {
        snprintf(m, sizeof(m), "cannot read the files of torrent %d: %s", id, strerror(-rc));
        ctl_msg_append(msg, msglen, m);
        return ctl_code_for_errno(rc);
    }
    const struct eng_meta *meta = *meta_out;
    const char *code = NULL;
    size_t i;
    json_t *v;
    json_array_foreach(files, i, v)
    {
        json_int_t idx = json_integer_value(v);
        if (idx >= 0 && (size_t)idx < meta->n_files && !meta->files[idx].pad) continue;
        if (idx >= 0 && (size_t)idx < meta->n_files)
            snprintf(m, sizeof(m), "file %lld of torrent %d is a pad file (BEP 47)", (long long)idx,
                     id);
        else
            snprintf(m, sizeof(m), "torrent %d has no file %lld (its files are 0..%zu)", id,
                     (long long)idx, meta->n_files - 1);
        ctl_msg_append(msg, msglen, m);
        code = CTL_E_BAD_REQUEST;
    }
    if (code) {
        eng_meta_free(*meta_out);
        *meta_out = NULL;
    }
    return code;
}

/* Sets `prio` on the listed files of one torrent, or on every file but
 * the pad files when `files` is NULL ("all"). */
static int priority_apply(struct eng *e, int id, const struct eng_meta *meta, json_t *files,
                          int prio)
{
    size_t n = files ? json_array_size(files) : meta->n_files;
    for (size_t i = 0; i < n; i++) {
        int idx = files ? (int)json_integer_value(json_array_get(files, i)) : meta->files[i].index;
        if (!files && meta->files[i].pad) continue; /* libtorrent never downloads them */
        int rc = eng_set_file_priority(e, id, idx, prio);
        if (rc) return rc;
    }
    return 0;
}

/* "files" is "all" (files_out = NULL) or a non-empty array of integers. */
static bool priority_files(json_t *req, json_t **files_out)
{
    json_t *files = json_object_get(req, "files");
    *files_out = NULL;
    if (json_is_string(files)) return strcmp(json_string_value(files), "all") == 0;
    if (!json_is_array(files) || json_array_size(files) == 0) return false;
    size_t i;
    json_t *v;
    json_array_foreach(files, i, v)
    {
        if (!json_is_integer(v)) return false;
    }
    *files_out = files;
    return true;
}

/* priority {"ids":[ID],"priority":0..7,"files":[INDEX...]|"all"}: set the
 * download priority of files. Every torrent and every index is checked
 * before anything changes. */
static json_t *cmd_priority(struct eng *e, json_t *req, bool *q, json_t **err)
{
    (void)q;
    json_t *jp = json_object_get(req, "priority");
    if (!json_is_integer(jp) || json_integer_value(jp) < 0 || json_integer_value(jp) > CTL_PRIO_MAX)
        return ctl_fail(err, CTL_E_BAD_REQUEST,
                        "\"priority\" must be an integer 0..7 (0 skip, 1 low, 4 normal, 7 high)");
    int prio = (int)json_integer_value(jp);
    json_t *files;
    if (!priority_files(req, &files))
        return ctl_fail(err, CTL_E_BAD_REQUEST,
                        "\"files\" must be \"all\" or a non-empty array of file indices");
    struct ctl_id_list l;
    if (ctl_resolve_ids(e, req, &l, err)) return NULL;
    struct eng_meta **metas = calloc(l.n, sizeof(*metas));
    if (!metas) {
        free(l.ids);
        return ctl_fail(err, CTL_E_INTERNAL, "out of memory");
    }
    char msg[512] = "";
    const char *code = NULL;
    for (size_t i = 0; i < l.n; i++) {
        const char *c = priority_check(e, l.ids[i], files, &metas[i], msg, sizeof(msg));
        if (!code) code = c;
    }
    json_t *done = code ? NULL : json_array();
    for (size_t i = 0; done && i < l.n; i++) {
        int rc = priority_apply(e, l.ids[i], metas[i], files, prio);
        if (rc) {
            /* the checks passed, so only libtorrent can fail here */
            code = ctl_code_for_errno(rc);
            snprintf(msg, sizeof(msg), "setting file priorities of torrent %d failed: %s", l.ids[i],
                     strerror(-rc));
            json_decref(done);
            done = NULL;
            break;
        }
        json_array_append_new(done, json_integer(l.ids[i]));
    }
    for (size_t i = 0; i < l.n; i++)
        eng_meta_free(metas[i]);
    free(metas);
    free(l.ids);
    if (!done && !code) return ctl_fail(err, CTL_E_INTERNAL, "out of memory");
    if (!done) *err = ctl_error_obj(code, msg);
    return done;
}

const struct ctl_cmd ctl_cmd_priority_entry = {
    .name = "priority",
    .min_pos = 3,
    .max_pos = SIZE_MAX,
    .operands = "ID PRIO FILE...",
    .help = (const struct ctl_help[]){{"priority ID PRIO FILE...",
                                       "set the download priority of files: PRIO is skip,\n"
                                       "low, normal, high or 0..7; FILE is an index `info`\n"
                                       "shows, or all",
                                       "priority"},
                                      {NULL, NULL, NULL}},
    .parse = parse_priority,
    .request = priority_request,
    .print = print_priority,
    .wire = (const struct ctl_wire[]){{"priority", cmd_priority}, {NULL, NULL}},
};
