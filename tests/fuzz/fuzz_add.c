/*
 * fuzz_add.c — libFuzzer target for the add path: .torrent bytes and magnet
 * URIs through eng_add() into a real engine (fuzz_engine.h: loopback,
 * DHT/LSD/UPnP/NAT-PMP off, temp dir), then the torrent's table row,
 * metadata and files are read back as `spate info` would, and every
 * torrent is removed again.
 *
 * Input: the first byte picks the form (bit 0: 0 = the rest is a .torrent
 * file's bytes, 1 = the rest is a magnet URI; a URI not starting with
 * "magnet:" gets "magnet:?" put in front, so a path is never read), bit 1
 * adds the same input a second time (the duplicate path). Torrents are
 * always added paused.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "fuzz_engine.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    fuzz_engine_init();
    return 0;
}

/* Reads back what `spate info` shows of every torrent. */
static void read_back(void)
{
    for (size_t i = 0; i < eng_torrent_count(fuzz_eng); i++) {
        const struct eng_torrent *t = eng_torrent_at(fuzz_eng, i);
        char buf[4096];
        if (strlen(t->name) > (1u << 20)) abort();
        eng_torrent_opt_get(fuzz_eng, t->id, "trackers", buf, sizeof(buf));
        eng_torrent_opt_get(fuzz_eng, t->id, "web_seeds", buf, sizeof(buf));
        struct eng_meta *m = NULL;
        if (eng_meta_get(fuzz_eng, t->id, &m) == 0) eng_meta_free(m);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1) return 0;
    uint8_t mode = data[0];
    data++;
    size--;
    char *magnet = NULL;
    struct eng_add_params p = {.paused = true};
    if (mode & 1) {
        bool prefixed = size >= 7 && strncasecmp((const char *)data, "magnet:", 7) == 0;
        const char *pre = prefixed ? "" : "magnet:?";
        size_t pl = strlen(pre);
        magnet = malloc(pl + size + 1);
        if (!magnet) return 0;
        memcpy(magnet, pre, pl);
        memcpy(magnet + pl, data, size);
        magnet[pl + size] = '\0';
        p.source = magnet;
    } else {
        p.bytes = data;
        p.n_bytes = size;
    }
    for (int round = 0; round < ((mode & 2) ? 2 : 1); round++) {
        char err[512] = "";
        int id = 0;
        int rc = eng_add(fuzz_eng, &p, &id, err, sizeof(err));
        if (rc != 0 && err[0] == '\0') abort();      /* every refusal says why */
        if (memchr(err, '\n', strlen(err))) abort(); /* one line */
    }
    read_back();
    free(magnet);
    fuzz_engine_reset();
    return 0;
}
