/*
 * ui_render.c — the cost of one frame of the torrent list with N synthetic
 * torrents, drawn on a virtual screen (an ncurses SCREEN writing to
 * /dev/null, 160x50). The torrents are magnets added paused to a real
 * engine (loopback, DHT/LSD/UPnP/NAT-PMP off): nothing is downloaded.
 *
 * Each frame is what the TUI does on a key or once a second: erase, draw
 * the list pane, push the changed cells (doupdate). Between frames the
 * selection moves one row (as a user holding j), so the cells do change.
 * frame_key_us: frames after a key (the sorted view is kept);
 * frame_refresh_us: frames after a status refresh (the view is rebuilt:
 * filter and sort over all N). Prints mean and p99 in microseconds, and
 * the ratio against the same frame with no torrent (the reference in the
 * same run).
 *
 *   build/release/bench/ui_render [N...]      (default: 0 1000 10000)
 *   env: BENCH_UI_FRAMES (default 300)
 */
#define SPATE_INTERNAL_UI /* looks inside src/ui/ (its private header) */
#include "engine/engine.h"
#include "ui/ui_int.h"

#include <curses.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static const struct eng_setting loopback[] = {
    {"enable_dht", "false"},
    {"enable_lsd", "false"},
    {"enable_upnp", "false"},
    {"enable_natpmp", "false"},
    {"listen_interfaces", "127.0.0.1:0"},
};

static double now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* Adds n paused magnets with distinct info-hashes and names. */
static int add_magnets(struct eng *e, int n)
{
    char magnet[256], err[512];
    for (int i = 0; i < n; i++) {
        snprintf(magnet, sizeof magnet,
                 "magnet:?xt=urn:btih:%08x%08x%08x%08x%08x&dn=synthetic%%20torrent%%20%05d", i,
                 0x5eed0000u + (unsigned)i, 0xabcdef01u, 0x12345678u, 0x0badf00du, i);
        struct eng_add_params p = {.source = magnet, .paused = true};
        if (eng_add(e, &p, NULL, err, sizeof err) != 0) {
            fprintf(stderr, "add %d: %s\n", i, err);
            return -1;
        }
    }
    return 0;
}

/* Runs `frames` frames of the list pane; mean and p99 into out[0..1].
 * refresh: each frame follows a change of the engine's table (the list
 * rebuilds its sorted, filtered view, as after each status refresh);
 * otherwise only the selection moves (a key). */
static void run_frames(struct ui *u, struct ui_pane *p, WINDOW *w, int frames, bool refresh,
                       double out[2])
{
    double *t = calloc((size_t)frames, sizeof *t);
    if (!t) exit(1);
    for (int f = 0; f < frames; f++) {
        double t0 = now_us();
        if (refresh) ui_pane_torrents_changed(p);
        werase(w);
        p->draw(p, u, w);
        wnoutrefresh(w);
        doupdate();
        t[f] = now_us() - t0;
        if (p->on_action) p->on_action(p, u, UI_ACT_DOWN);
    }
    double sum = 0;
    for (int f = 0; f < frames; f++)
        sum += t[f];
    qsort(t, (size_t)frames, sizeof *t, cmp_double);
    out[0] = sum / frames;
    out[1] = t[(int)(frames * 0.99) < frames ? (int)(frames * 0.99) : frames - 1];
    free(t);
}

int main(int argc, char **argv)
{
    int sizes[8] = {0, 1000, 10000}, n_sizes = 3;
    if (argc > 1) {
        n_sizes = 0;
        for (int i = 1; i < argc && n_sizes < 8; i++)
            sizes[n_sizes++] = atoi(argv[i]);
    }
    const char *fe = getenv("BENCH_UI_FRAMES");
    int frames = fe && atoi(fe) > 0 ? atoi(fe) : 300;

    FILE *out = fopen("/dev/null", "w"), *in = fopen("/dev/null", "r");
    if (!out || !in) return 1;
    SCREEN *scr = newterm("xterm-256color", out, in);
    if (!scr) {
        fprintf(stderr, "newterm failed (TERM xterm-256color missing?)\n");
        return 1;
    }
    set_term(scr);
    resizeterm(50, 160);
    WINDOW *w = newwin(40, 160, 0, 0);

    double base[2] = {0, 0};
    printf("# ui_render: %d frames per size, list pane 160x40 on a virtual screen\n", frames);
    for (int s = 0; s < n_sizes; s++) {
        char dir[] = "/tmp/spate-uibench-XXXXXX";
        if (!mkdtemp(dir)) return 1;
        char dl[64], err[512] = "";
        snprintf(dl, sizeof dl, "%s/dl", dir);
        mkdir(dl, 0700);
        uv_loop_t loop;
        uv_loop_init(&loop);
        struct eng *e;
        struct eng_options o = {.data_dir = dir,
                                .download_dir = dl,
                                .settings = loopback,
                                .n_settings = sizeof loopback / sizeof loopback[0]};
        if (eng_new(&loop, NULL, &o, &e, err, sizeof err) != 0) {
            fprintf(stderr, "eng_new: %s\n", err);
            return 1;
        }
        double t0 = now_us();
        if (add_magnets(e, sizes[s]) != 0) return 1;
        double add_ms = (now_us() - t0) / 1e3;
        for (int i = 0; i < 50; i++) /* let the first status refresh land */
            uv_run(&loop, UV_RUN_NOWAIT), usleep(2000);

        char terr[256];
        if (ui_theme_init(e, terr, sizeof terr) < 0) fprintf(stderr, "theme: %s\n", terr);
        struct ui *u = calloc(1, sizeof *u);
        u->eng = e;
        u->loop = &loop;
        u->rows = 50;
        u->cols = 160;
        struct ui_pane *p = ui_pane_torrents_new();
        u->torrents = p;
        static const char *const what[] = {"frame_key_us", "frame_refresh_us"};
        for (int k = 0; k < 2; k++) {
            double r[2];
            run_frames(u, p, w, frames, k == 1, r);
            if (sizes[s] == 0) base[k] = r[0];
            printf("%-16s n=%-6d mean=%8.1f p99=%8.1f ratio_vs_empty=%6.2f", what[k], sizes[s],
                   r[0], r[1], base[k] > 0 ? r[0] / base[k] : 0.0);
            printf(k == 0 ? "   (added in %.0f ms)\n" : "\n", add_ms);
        }
        fflush(stdout);
        if (p->free) p->free(p);
        free(u);
        eng_shutdown(e, 2000);
        uv_run(&loop, UV_RUN_DEFAULT);
        eng_free(e);
        uv_loop_close(&loop);
        char cmd[128];
        snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
        if (system(cmd) != 0) fprintf(stderr, "cannot remove %s\n", dir);
    }
    delwin(w);
    endwin();
    delscreen(scr);
    fclose(out);
    fclose(in);
    return 0;
}
