/*
 * fuzz_protocol.c — libFuzzer target for the control protocol: bytes as a
 * client would send them go through the line framer (ctl_framer_feed/next,
 * fed in pieces) and each complete line through ctl_handle_line() against a
 * real engine (fuzz_engine.h: loopback, DHT/LSD/UPnP/NAT-PMP off, temp
 * dir). Every reply must be one line holding a JSON object with "id" and
 * exactly one of "result" and "error".
 *
 * Inputs that name a file-system path are skipped, not sent: any string in
 * the request (key or value) that starts with '/' or '~' or holds "..", so
 * a request cannot read a device, move data or delete files outside the
 * temp dir (the checks of path values are covered by fuzz_settings). Per
 * input: at most 16 lines; every torrent is removed afterwards.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "ctl/ctl.h"
#include "fuzz_engine.h"

#define MAX_LINES 16

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    fuzz_engine_init();
    return 0;
}

static int path_like(const char *s)
{
    return s[0] == '/' || s[0] == '~' || strstr(s, "..") != NULL;
}

/* Whether v holds a string (or key) that could name a path. */
static int names_path(json_t *v, int depth)
{
    if (depth > 64) return 1;
    if (json_is_string(v)) return path_like(json_string_value(v));
    const char *k;
    json_t *x;
    size_t i;
    if (json_is_object(v)) {
        json_object_foreach(v, k, x)
        {
            if (path_like(k) || names_path(x, depth + 1)) return 1;
        }
    } else if (json_is_array(v)) {
        json_array_foreach(v, i, x)
        {
            if (names_path(x, depth + 1)) return 1;
        }
    }
    return 0;
}

static void check_reply(const char *out)
{
    if (!out || strchr(out, '\n')) abort();
    json_error_t jerr;
    json_t *r = json_loads(out, 0, &jerr);
    if (!json_is_object(r) || !json_object_get(r, "id")) abort();
    int has_res = json_object_get(r, "result") != NULL;
    int has_err = json_object_get(r, "error") != NULL;
    if (has_res == has_err) abort();
    if (has_err) {
        json_t *e = json_object_get(r, "error");
        if (!json_is_string(json_object_get(e, "code")) ||
            !json_is_string(json_object_get(e, "message")))
            abort();
    }
    json_decref(r);
}

static void handle(const char *line, size_t len)
{
    json_t *req = json_loadb(line, len, JSON_DECODE_ANY | JSON_REJECT_DUPLICATES, NULL);
    int skip = req && names_path(req, 0);
    json_decref(req);
    if (skip) return;
    bool quit = false;
    char *out = ctl_handle_line(fuzz_eng, line, len, &quit);
    check_reply(out);
    free(out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct ctl_framer f;
    ctl_framer_init(&f);
    /* piece sizes 1..64 from the input's length, so splits vary */
    size_t step = 1 + size % 64, lines = 0;
    for (size_t off = 0; off < size && lines < MAX_LINES && !f.overflow; off += step) {
        size_t n = size - off < step ? size - off : step;
        if (ctl_framer_feed(&f, (const char *)data + off, n) != 0) break;
        const char *line;
        size_t len;
        while (lines < MAX_LINES && ctl_framer_next(&f, &line, &len) == 1) {
            handle(line, len);
            lines++;
        }
    }
    ctl_framer_free(&f);
    fuzz_engine_reset();
    return 0;
}
