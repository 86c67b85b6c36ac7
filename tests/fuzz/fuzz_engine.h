/*
 * fuzz_engine.h — a real engine for the libFuzzer targets that need one
 * (fuzz_protocol.c, fuzz_add.c): a libtorrent session on loopback with
 * DHT, LSD, UPnP and NAT-PMP off, a store and a download dir in a fresh
 * directory under $TMPDIR, built once per process in LLVMFuzzerInitialize.
 *
 * Network fence: the engine is only built inside a network namespace whose
 * sole interface is "lo" (tests/fuzz/run.sh runs every target under
 * `unshare -n`), so no input can make spate talk to the outside (a
 * config_set that turns DHT on, a magnet's tracker, a peer address).
 * fuzz_engine_init() aborts with a message otherwise.
 *
 * fuzz_engine_reset() removes every torrent after each input so memory
 * stays bounded, and lets the loop run the work that piled up. Single
 * threaded (libFuzzer calls one input at a time on one thread).
 */
#ifndef SPATE_FUZZ_ENGINE_H
#define SPATE_FUZZ_ENGINE_H

#include <ifaddrs.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <uv.h>

#include "engine/engine.h"
#include "store/store.h"

static uv_loop_t fuzz_loop;
static struct store *fuzz_st;
static struct eng *fuzz_eng;

/* True when every interface of this network namespace is "lo". */
static int fuzz_only_loopback(void)
{
    struct ifaddrs *ifa = NULL;
    if (getifaddrs(&ifa) != 0) return 0;
    int ok = 1;
    for (struct ifaddrs *i = ifa; i; i = i->ifa_next)
        if (strcmp(i->ifa_name, "lo") != 0) ok = 0;
    freeifaddrs(ifa);
    return ok;
}

/* Builds the engine; exits the process (a harness, not spate) on failure. */
static void fuzz_engine_init(void)
{
    static const struct eng_setting loopback[] = {
        {"enable_dht", "false"},
        {"enable_lsd", "false"},
        {"enable_upnp", "false"},
        {"enable_natpmp", "false"},
        {"listen_interfaces", "127.0.0.1:0"},
    };
    if (!fuzz_only_loopback() && !getenv("SPATE_FUZZ_ALLOW_NET")) {
        fprintf(stderr, "fuzz: this target builds a real engine; run it in a loopback-only "
                        "network namespace (`unshare -n`, as tests/fuzz/run.sh does)\n");
        exit(2);
    }
    const char *tmp = getenv("TMPDIR");
    static char dir[512], dl[600], db[600];
    snprintf(dir, sizeof(dir), "%s/spate-fuzz-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(dir)) {
        perror("fuzz: mkdtemp");
        exit(2);
    }
    snprintf(dl, sizeof(dl), "%s/dl", dir);
    snprintf(db, sizeof(db), "%s/spate.db", dir);
    char err[256] = "";
    if (mkdir(dl, 0700) != 0 || uv_loop_init(&fuzz_loop) != 0 ||
        store_open(db, &fuzz_st, err, sizeof(err)) != 0) {
        fprintf(stderr, "fuzz: cannot set up %s: %s\n", dir, err);
        exit(2);
    }
    struct eng_options o = {
        .data_dir = dir,
        .download_dir = dl,
        .settings = loopback,
        .n_settings = sizeof(loopback) / sizeof(loopback[0]),
    };
    if (eng_new(&fuzz_loop, fuzz_st, &o, &fuzz_eng, err, sizeof(err)) != 0) {
        fprintf(stderr, "fuzz: eng_new: %s\n", err);
        exit(2);
    }
}

/* Removes every torrent (data kept: nothing is downloaded) and runs the
 * loop's pending work once. */
static void fuzz_engine_reset(void)
{
    while (eng_torrent_count(fuzz_eng) > 0) {
        const struct eng_torrent *t = eng_torrent_at(fuzz_eng, 0);
        if (eng_remove(fuzz_eng, t->id, false) != 0) abort(); /* the table would grow */
    }
    uv_run(&fuzz_loop, UV_RUN_NOWAIT);
}

#endif
