/*
 * idspec.c — resolving a torrent ID as a user types it: the number `spate
 * ls` shows, or a prefix of at least 6 hex digits of the v1 or v2
 * info-hash (case-insensitive).
 */
#include "engine/engine_int.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define ENG_MIN_HASH_PREFIX 6

static bool all_digits(const char *s)
{
    if (!*s) return false;
    for (; *s; s++)
        if (!isdigit((unsigned char)*s)) return false;
    return true;
}

static bool all_hex(const char *s)
{
    if (!*s) return false;
    for (; *s; s++)
        if (!isxdigit((unsigned char)*s)) return false;
    return true;
}

static bool hex_prefix(const char *spec, size_t n, const char *hash)
{
    if (!hash || strlen(hash) < n) return false;
    return strncasecmp(spec, hash, n) == 0;
}

int eng_id_matches(const char *spec, int id, const char *info_hash, const char *info_hash_v2)
{
    if (!spec) return -EINVAL;
    size_t n = strlen(spec);
    /* short all-digit strings are ids; 6+ digits could be a hash prefix too */
    if (all_digits(spec) && n < ENG_MIN_HASH_PREFIX) return atoi(spec) == id;
    if (!all_hex(spec) || n < ENG_MIN_HASH_PREFIX || n > 64) {
        if (all_digits(spec)) return strtol(spec, NULL, 10) == id;
        return -EINVAL;
    }
    if (all_digits(spec) && strtol(spec, NULL, 10) == id) return 1;
    return hex_prefix(spec, n, info_hash) || hex_prefix(spec, n, info_hash_v2);
}

int eng_resolve_id(const struct eng *e, const char *spec, int *id_out)
{
    if (!e || !spec) return -EINVAL;
    int found = 0, id = 0;
    for (size_t i = 0; i < e->n; i++) {
        const struct eng_torrent *t = &e->tors[i]->pub;
        int m = eng_id_matches(spec, t->id, t->info_hash, t->info_hash_v2);
        if (m < 0) return m;
        if (m) {
            if (found && id != t->id) return -EEXIST;
            found = 1;
            id = t->id;
        }
    }
    if (!found) {
        /* report malformed specs even on an empty table */
        int m = eng_id_matches(spec, 0, "", "");
        return m < 0 ? m : -ENOENT;
    }
    if (id_out) *id_out = id;
    return 0;
}
