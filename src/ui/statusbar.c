/*
 * statusbar.c — the two bottom lines.
 *
 * The status line shows the session: global down/up rates with the rate
 * limits in force, "ALT" while the alternative speed limits are on,
 * torrent counts by state, the free space where torrents are downloaded
 * (statvfs on eng_download_dir, read at most every FREE_MS), the mount's
 * status and the listen port (eng_get_stats). What does not fit goes, in
 * the order ui_status_compose() says (statusbar.h). The message line below
 * it shows, in order of precedence: the open prompt, the open y/n
 * question, a fresh message (the result of the last command, an engine
 * error or log line), the error of the selected torrent (in the torrent
 * list), then the last message again.
 */
#include "ui/ui_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/statvfs.h>

#include "ui/format.h"
#include "ui/statusbar.h"

#define FRESH_MS 15000       /* a message outranks the selected torrent's error */
#define FREE_MS 5000         /* the free space is read this often at most */
#define SEP " \xe2\x94\x82 " /* " │ " */

/* ---- the pure part ---------------------------------------------------------------- */

const char *ui_status_mount(const char *status)
{
    if (!status || !*status || strcmp(status, "off") == 0) return "mnt: off";
    return status[0] == '/' ? "mnt: ok" : "mnt: failed";
}

static bool has(const char *s)
{
    return s && *s;
}

/* The line at compaction `level` (0: everything, 6: rates and ALT). */
static void compose_level(char *buf, size_t n, const struct ui_status_parts *p, int level)
{
    const char *rates = level >= 2 && has(p->rates_short) ? p->rates_short : p->rates;
    const char *counts = level >= 2 && has(p->counts_short) ? p->counts_short : p->counts;
    const char *parts[] = {
        rates,
        p->alt ? "ALT" : NULL,
        level < 6 ? counts : NULL,
        level < 5 ? p->free : NULL,
        level < 4 ? p->mount : NULL,
        level < 3 ? p->port : NULL,
    };
    size_t len = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++) {
        if (!has(parts[i])) continue;
        int r = snprintf(buf + len, n - len, "%s%s", len ? SEP : " ", parts[i]);
        if (r < 0 || (size_t)r >= n - len) break;
        len += (size_t)r;
    }
}

int ui_status_compose(char *buf, size_t n, int width, const struct ui_status_parts *p)
{
    if (n == 0) return 0;
    char line[1024];
    int level, lw = 0;
    bool hint = false;
    int hint_w = has(p->hint) ? ui_str_width(p->hint) + 1 : 0; /* and a blank after */
    for (level = 0; level <= 6; level++) {
        compose_level(line, sizeof line, p, level);
        lw = ui_str_width(line);
        hint = level == 0 && hint_w > 0;
        if (lw + (hint ? 1 + hint_w : 0) <= width) break;
    }
    if (level > 6) {
        /* still too wide: rates and ALT, cut */
        hint = false;
        lw = ui_fmt_truncate(buf, n, line, width);
        return lw;
    }
    if (!hint) {
        snprintf(buf, n, "%s", line);
        return lw;
    }
    int pad = width - lw - hint_w;
    snprintf(buf, n, "%s%*s%s ", line, pad, "", p->hint);
    return width;
}

/* ---- drawing ---------------------------------------------------------------------- */

/* The free space is read on libuv's threadpool: statvfs on a hung network
 * filesystem would otherwise stop the loop thread (and with it the whole
 * instance), not just one frame. u is NULL once the UI is gone. */
struct ui_free_job {
    uv_work_t req;
    struct ui *u;
    char *dir;
    int64_t bytes;
};

static void free_work(uv_work_t *req)
{
    struct ui_free_job *j = req->data;
    struct statvfs sv;
    j->bytes = statvfs(j->dir, &sv) == 0 ? (int64_t)sv.f_bavail * (int64_t)sv.f_frsize : -1;
}

static void free_done(uv_work_t *req, int status)
{
    struct ui_free_job *j = req->data;
    if (j->u) {
        j->u->free_job = NULL;
        if (status == 0 && j->bytes != j->u->free_bytes) {
            j->u->free_bytes = j->bytes;
            ui_mark_dirty(j->u);
        }
    }
    free(j->dir);
    free(j);
}

void ui_statusbar_stop(struct ui *u)
{
    if (!u->free_job) return;
    u->free_job->u = NULL;
    uv_cancel((uv_req_t *)&u->free_job->req);
    u->free_job = NULL;
}

/* The free bytes under the download directory, -1 if unknown: the last
 * figure a worker read; a new read starts at most every FREE_MS. */
static int64_t free_space(struct ui *u)
{
    uint64_t now = uv_now(u->loop);
    if (!u->free_ms) u->free_bytes = -1;
    if (u->free_job || (u->free_ms && now - u->free_ms < FREE_MS)) return u->free_bytes;
    u->free_ms = now ? now : 1;
    const char *dir = eng_download_dir(u->eng);
    struct ui_free_job *j = dir && *dir ? calloc(1, sizeof *j) : NULL;
    if (!j) return u->free_bytes = -1;
    j->u = u;
    j->dir = strdup(dir);
    j->req.data = j;
    if (!j->dir || uv_queue_work(u->loop, &j->req, free_work, free_done) != 0) {
        free(j->dir);
        free(j);
        return u->free_bytes;
    }
    u->free_job = j;
    return u->free_bytes;
}

void ui_statusbar_draw(struct ui *u, WINDOW *w)
{
    int width = getmaxx(w);
    struct eng_stats st;
    memset(&st, 0, sizeof st);
    eng_get_stats(u->eng, &st);

    char down[UTIL_FMT_RATE_LEN + 40], up[UTIL_FMT_RATE_LEN + 40], port[64];
    util_fmt_rate(down, sizeof down, st.down_rate);
    util_fmt_rate(up, sizeof up, st.up_rate);
    /* the limits in force, if any (the alternative ones while ALT) */
    char buf[64];
    long long lim[2] = {0, 0};
    if (eng_setting_get(u->eng, "download_rate_limit", buf, sizeof buf) == 0) lim[0] = atoll(buf);
    if (eng_setting_get(u->eng, "upload_rate_limit", buf, sizeof buf) == 0) lim[1] = atoll(buf);
    char *rates[2] = {down, up};
    for (int i = 0; i < 2; i++) {
        if (lim[i] <= 0) continue;
        char l[UTIL_FMT_RATE_LEN];
        util_fmt_rate(l, sizeof l, lim[i]);
        size_t len = strlen(rates[i]);
        snprintf(rates[i] + len, sizeof down - len, "/%s", l);
    }
    if (st.listen_port > 0)
        snprintf(port, sizeof port, "port %d", st.listen_port);
    else
        snprintf(port, sizeof port, "not listening");

    char rl[160], rs[160], cl[256], cs[128], fr[64];
    snprintf(rl, sizeof rl, "\xe2\x86\x93 %s  \xe2\x86\x91 %s", down, up);
    snprintf(rs, sizeof rs, "\xe2\x86\x93%s \xe2\x86\x91%s", down, up);
    snprintf(cl, sizeof cl, "%d torrents: %d downloading, %d seeding, %d paused, %d error",
             st.n_torrents, st.n_downloading, st.n_seeding, st.n_paused, st.n_error);
    snprintf(cs, sizeof cs, "%d: %d dl %d seed %d paused %d err", st.n_torrents, st.n_downloading,
             st.n_seeding, st.n_paused, st.n_error);
    int64_t fb = free_space(u);
    fr[0] = '\0';
    if (fb >= 0) {
        char sz[UTIL_FMT_SIZE_LEN];
        util_fmt_size(sz, sizeof sz, fb);
        snprintf(fr, sizeof fr, "%s free", sz);
    }
    char help[40], hint[48];
    if (ui_keymap_keys_for(UI_SCOPE_LIST, UI_ACT_HELP, help, sizeof help) == 0) help[0] = '\0';
    help[strcspn(help, ",")] = '\0'; /* the first key */
    snprintf(hint, sizeof hint, "%s%shelp", help, help[0] ? " " : "");
    struct ui_status_parts parts = {
        .rates = rl,
        .rates_short = rs,
        .alt = eng_setting_int(u->eng, "spate.alt_speed") != 0,
        .counts = cl,
        .counts_short = cs,
        .free = fr,
        .mount = ui_status_mount(eng_mount_status(u->eng)),
        .port = port,
        .hint = help[0] ? hint : NULL,
    };
    char line[1024];
    ui_status_compose(line, sizeof line, width, &parts);

    wattrset(w, ui_attr(UI_EL_STATUS));
    wmove(w, 0, 0);
    ui_put(w, line, width, true);
    wattrset(w, A_NORMAL);
}

static void draw_question(struct ui *u, WINDOW *w, const char *text)
{
    int width = getmaxx(w);
    wmove(w, 0, 0);
    wattrset(w, ui_attr(UI_EL_PROMPT));
    /* keep the "[y/n]" visible: cut the question, not the choice */
    const char *yn = " [y/n] ";
    int yn_w = ui_str_width(yn);
    int used = ui_put(w, text, width > yn_w ? width - yn_w : width, false);
    if (used + yn_w <= width) ui_put(w, yn, yn_w, false);
    wattrset(w, A_NORMAL);
    (void)u;
}

void ui_msgline_draw(struct ui *u, WINDOW *w)
{
    int width = getmaxx(w);
    /* The bottom-right cell: writing it would scroll some terminals. */
    int cols = width > 1 ? width - 1 : width;

    if (u->mode == UI_MODE_PROMPT) {
        ui_prompt_draw(&u->prompt, w);
        return;
    }
    if (u->mode == UI_MODE_CONFIRM) {
        draw_question(u, w, u->confirm_text);
        return;
    }

    bool fresh = u->msg[0] && uv_now(u->loop) - u->msg_ms < FRESH_MS;
    const struct eng_torrent *sel = NULL;
    if (!fresh && u->torrents && u->panes[u->focus] == u->torrents) {
        int id = ui_pane_torrents_selected(u->torrents, u->eng);
        sel = id > 0 ? eng_torrent_by_id(u->eng, id) : NULL;
        if (sel && !(sel->error && *sel->error)) sel = NULL;
    }
    wmove(w, 0, 0);
    if (sel) {
        char line[UI_MSG_LEN];
        snprintf(line, sizeof line, "%s: %s", sel->name, sel->error);
        wattrset(w, ui_attr(UI_EL_MSG_ERROR));
        ui_put(w, line, cols, false);
    } else if (u->msg[0]) {
        wattrset(w, ui_attr(u->msg_error  ? UI_EL_MSG_ERROR
                            : u->msg_warn ? UI_EL_MSG_WARN
                                          : UI_EL_MSG));
        ui_put(w, u->msg, cols, false);
    }
    wattrset(w, A_NORMAL);
}
