/*
 * db_check.c — what spate.db's safety costs at scale: fills a database
 * with N torrents (default 10,000; each with a metainfo blob of META bytes
 * and resume data of RESUME bytes, as a one-file torrent of a few GB has),
 * then times store_open() (which runs PRAGMA quick_check), quick_check
 * alone, one whole backup, and the longest single step of a backup made in
 * the steps spate's loop uses (PAGES, default 256 as in
 * src/engine/db_upkeep.c). Figures only, no thresholds.
 *
 *   build/release/bench/db_check [N [META [RESUME [PAGES]]]]
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "store/store.h"

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

int main(int argc, char **argv)
{
    int n = argc > 1 ? atoi(argv[1]) : 10000;
    size_t meta = argc > 2 ? (size_t)atol(argv[2]) : 20000;
    size_t resume = argc > 3 ? (size_t)atol(argv[3]) : 2000;
    int pages = argc > 4 ? atoi(argv[4]) : 256;
    char dir[] = "/tmp/spate-dbbench-XXXXXX", path[128], bdir[128], err[512];
    if (!mkdtemp(dir)) return 1;
    snprintf(path, sizeof path, "%s/spate.db", dir);
    snprintf(bdir, sizeof bdir, "%s/backups", dir);

    struct store *st = NULL;
    if (store_open(path, &st, err, sizeof err)) return fprintf(stderr, "%s\n", err), 1;
    unsigned char *m = malloc(meta), *r = malloc(resume);
    for (size_t i = 0; i < meta; i++)
        m[i] = (unsigned char)rand();
    for (size_t i = 0; i < resume; i++)
        r[i] = (unsigned char)rand();
    store_begin(st);
    for (int i = 0; i < n; i++) {
        struct store_torrent t;
        memset(&t, 0, sizeof t);
        snprintf(t.info_hash, sizeof t.info_hash, "%040x", i + 1);
        m[0] = (unsigned char)i; /* distinct blobs */
        t.name = "a torrent of the benchmark";
        t.save_path = "/srv/torrents";
        t.metainfo = m;
        t.metainfo_len = meta;
        t.resume = r;
        t.resume_len = resume;
        t.queue_pos = i;
        t.peers = "";
        store_torrent_put(st, &t);
    }
    store_commit(st);
    store_close(st);
    struct stat sb;
    stat(path, &sb);
    printf("db: %d torrents, %.1f MiB\n", n, (double)sb.st_size / (1024 * 1024));

    double t0 = now_ms();
    if (store_open(path, &st, err, sizeof err)) return fprintf(stderr, "%s\n", err), 1;
    double t1 = now_ms();
    char why[256];
    store_quick_check(st, why, sizeof why);
    double t2 = now_ms();
    store_backup_now(st, bdir, NULL, 0, err, sizeof err);
    double t3 = now_ms();
    struct store_backup *b;
    double worst = 0;
    int steps = 0, worst_at = 0;
    if (store_backup_begin(st, bdir, &b, err, sizeof err) == 0) {
        int rc;
        do {
            double s0 = now_ms();
            rc = store_backup_step(b, pages);
            double d = now_ms() - s0;
            if (d > worst) {
                worst = d;
                worst_at = steps;
            }
            steps++;
        } while (rc == 1);
        store_backup_finish(b, NULL, 0);
    }
    printf("store_open (with quick_check): %.1f ms\n", t1 - t0);
    printf("quick_check alone (warm cache): %.1f ms\n", t2 - t1);
    printf("backup in one step: %.1f ms\n", t3 - t2);
    printf("backup in %d steps of %d pages: longest step %.1f ms (step %d)\n", steps, pages, worst,
           worst_at + 1);
    store_close(st);
    free(m);
    free(r);
    char cmd[200];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : 1;
}
