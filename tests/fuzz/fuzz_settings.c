/*
 * fuzz_settings.c — libFuzzer target for the settings validator,
 * reg_normalize() in src/engine/registry.c.
 *
 * Input: the first byte picks the key (reg_at(byte % reg_count())), the
 * second the size of the output buffer (small sizes reach -ERANGE), the rest
 * (up to the first NUL) is the value. Checked: only the documented return
 * codes; a refusal has a message; an accepted value is NUL-terminated, one
 * line, and normalizes to itself (0, not clamped again).
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/registry.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2) return 0;
    const struct reg_key *k = reg_at(data[0] % reg_count());
    size_t outlen = data[1] < 0x80 ? (size_t)data[1] + 1 : 8192;
    char *value = malloc(size - 1);
    char *out = malloc(outlen), *again = malloc(8192);
    if (!value || !out || !again) abort();
    memcpy(value, data + 2, size - 2);
    value[size - 2] = '\0';
    char msg[512] = "";
    int rc = reg_normalize(k, value, out, outlen, msg, sizeof(msg));
    if (rc != 0 && rc != 1 && rc != -EINVAL && rc != -ERANGE) abort();
    if (rc == -EINVAL && msg[0] == '\0') abort();
    if (rc == 1 && msg[0] == '\0') abort(); /* a clamp says what is stored */
    if (rc >= 0) {
        if (!memchr(out, '\0', outlen) || strchr(out, '\n')) abort();
        char msg2[512] = "";
        int rc2 = reg_normalize(k, out, again, 8192, msg2, sizeof(msg2));
        if (rc2 != 0) {
            fprintf(stderr, "key %s: '%s' -> '%s' (rc %d) -> rc %d %s\n", k->key, value, out, rc,
                    rc2, msg2);
            abort();
        }
        if (strcmp(out, again) != 0) {
            fprintf(stderr, "key %s: '%s' -> '%s' -> '%s'\n", k->key, value, out, again);
            abort();
        }
    }
    free(value);
    free(out);
    free(again);
    return 0;
}
