/*
 * pack.c — a setting's value, given as text, into a libtorrent settings
 * pack. The engine parses (with the registry's spellings: reg_normalize)
 * and words the messages; the shim only takes typed values
 * (lts_pack_set_bool/int/str).
 */
#include "engine/engine_int.h"
#include "engine/registry.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int eng_pack_set(struct lts_pack *p, const char *name, const char *value, char *err, size_t errlen)
{
    if (!p || !name || !value) return -EINVAL;
    int type = lts_setting_type(name);
    if (type < 0) {
        snprintf(err, err ? errlen : 0, "unknown setting '%s'", name);
        return -EINVAL;
    }
    /* err is written on failure only: callers append to what it holds */
    char norm[32], msg[256];
    if (type == LTS_SETTING_BOOL) {
        struct reg_key k = {.key = name, .type = REG_BOOL};
        if (reg_normalize(&k, value, norm, sizeof norm, msg, sizeof msg) != 0) {
            snprintf(err, err ? errlen : 0, "%s", msg);
            return -EINVAL;
        }
        return lts_pack_set_bool(p, name, strcmp(norm, "true") == 0);
    }
    if (type == LTS_SETTING_INT) {
        /* out of range is refused here, not clamped: the registry clamps
         * a key's value into its own [min, max] before it gets here */
        struct reg_key k = {.key = name, .type = REG_INT, .min = INT32_MIN, .max = INT32_MAX};
        if (reg_normalize(&k, value, norm, sizeof norm, NULL, 0) != 0) {
            snprintf(err, err ? errlen : 0, "setting '%s' takes a 32-bit integer, not '%.100s'",
                     name, value);
            return -EINVAL;
        }
        return lts_pack_set_int(p, name, (int)strtol(norm, NULL, 10));
    }
    return lts_pack_set_str(p, name, value);
}
