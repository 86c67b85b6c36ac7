/*
 * fuzz_ipfilter.c — libFuzzer target for the IP filter parsers
 * (src/engine/ipfilter.c): the inline rule list (ipf_parse_list,
 * ipf_normalize_list) and the blocklist file reader (ipf_load_file, fed
 * from a memfd so no file is written).
 *
 * Input: first byte bit 0: 0 = the rest is an inline list, 1 = the rest is
 * a blocklist file's contents. Checked: the documented return values; on
 * error f is unchanged; a normalized list parses and normalizes to itself;
 * a file's return value is the number of ranges added.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "engine/ipfilter.h"

static void probe(const struct ipf *f)
{
    static const uint8_t a4[4] = {10, 0, 0, 1}, a6[16] = {0xfd};
    (void)ipf_contains(f, a4, false);
    (void)ipf_contains(f, a6, true);
    for (size_t i = 0; i < f->n; i++) {
        (void)ipf_contains(f, f->r[i].first, f->r[i].v6);
        if (!ipf_contains(f, f->r[i].last, f->r[i].v6)) abort();
        if (memcmp(f->r[i].first, f->r[i].last, 16) > 0) abort(); /* first <= last */
    }
}

static void inline_list(const char *s)
{
    struct ipf f = {0};
    char err[256];
    int rc = ipf_parse_list(&f, s, err, sizeof(err));
    if (rc != 0 && rc != -EINVAL && rc != -ENOMEM) abort();
    if (rc != 0 && f.n != 0) abort(); /* f unchanged on error */
    if (rc == -EINVAL && err[0] == '\0') abort();
    probe(&f);
    size_t outlen = 2 * strlen(s) + 64;
    char *a = malloc(outlen), *b = malloc(outlen);
    if (!a || !b) abort();
    int nrc = ipf_normalize_list(s, a, outlen, err, sizeof(err));
    if ((nrc == 0) != (rc == 0)) abort(); /* both accept or both refuse */
    if (nrc == 0) {
        struct ipf g = {0};
        if (ipf_parse_list(&g, a, err, sizeof(err)) != 0) abort();
        if (ipf_normalize_list(a, b, outlen, err, sizeof(err)) != 0 || strcmp(a, b) != 0) abort();
        ipf_free(&g);
    }
    free(a);
    free(b);
    ipf_free(&f);
}

static void blocklist(const uint8_t *data, size_t size)
{
    int fd = memfd_create("blocklist", MFD_CLOEXEC);
    if (fd < 0) abort();
    for (size_t off = 0; off < size;) {
        ssize_t w = write(fd, data + off, size - off);
        if (w <= 0) abort();
        off += (size_t)w;
    }
    char path[64], err[256];
    snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
    struct ipf f = {0};
    size_t n_bad = 0;
    int rc = ipf_load_file(&f, path, &n_bad, err, sizeof(err));
    if (rc >= 0 && (size_t)rc != f.n) abort();
    if (rc < 0 && f.n != 0) abort();
    if (rc == -EINVAL && err[0] == '\0') abort();
    if (n_bad > 0 && err[0] == '\0') abort(); /* bad lines are always named */
    probe(&f);
    ipf_free(&f);
    close(fd);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1) return 0;
    if (data[0] & 1) {
        blocklist(data + 1, size - 1);
        return 0;
    }
    char *s = malloc(size);
    if (!s) abort();
    memcpy(s, data + 1, size - 1);
    s[size - 1] = '\0';
    inline_list(s);
    free(s);
    return 0;
}
