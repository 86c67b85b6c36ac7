/*
 * statusbar.c — the two bottom lines.
 *
 * The status line shows the session: global down/up rates with the rate
 * limits in force, torrent counts by state, "ALT" while the alternative
 * speed limits are on, and the listen port (eng_get_stats). The message line below it
 * shows, in order of precedence: the open prompt, the open y/n question, a
 * fresh message (the result of the last command, an engine error or log
 * line), the error of the selected torrent (in the torrent list), then the
 * last message again.
 */
#include "ui/ui_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ui/format.h"

#define FRESH_MS 15000 /* a message outranks the selected torrent's error */

void ui_statusbar_draw(struct ui *u, WINDOW *w)
{
    int width = getmaxx(w);
    struct eng_stats st;
    memset(&st, 0, sizeof st);
    eng_get_stats(u->eng, &st);

    char down[UI_FMT_RATE_LEN + 40], up[UI_FMT_RATE_LEN + 40], port[64], line[640];
    ui_fmt_rate(down, sizeof down, st.down_rate);
    ui_fmt_rate(up, sizeof up, st.up_rate);
    /* the limits in force, if any; "alt" while the alternative ones are */
    char buf[64];
    long long lim[2] = {0, 0};
    if (eng_setting_get(u->eng, "download_rate_limit", buf, sizeof buf) == 0) lim[0] = atoll(buf);
    if (eng_setting_get(u->eng, "upload_rate_limit", buf, sizeof buf) == 0) lim[1] = atoll(buf);
    char *rates[2] = {down, up};
    for (int i = 0; i < 2; i++) {
        if (lim[i] <= 0) continue;
        char l[UI_FMT_RATE_LEN];
        ui_fmt_rate(l, sizeof l, lim[i]);
        size_t len = strlen(rates[i]);
        snprintf(rates[i] + len, sizeof down - len, "/%s", l);
    }
    bool alt = eng_setting_int(u->eng, "spate.alt_speed") != 0;
    if (st.listen_port > 0)
        snprintf(port, sizeof port, "%sport %d", alt ? "ALT \xe2\x94\x82 " : "", st.listen_port);
    else
        snprintf(port, sizeof port, "%snot listening", alt ? "ALT \xe2\x94\x82 " : "");

    /* The long form when it fits, else a compact one, else cut. */
    snprintf(line, sizeof line,
             " \xe2\x86\x93 %s  \xe2\x86\x91 %s \xe2\x94\x82 %d torrents: %d downloading, "
             "%d seeding, %d paused, %d error \xe2\x94\x82 %s",
             down, up, st.n_torrents, st.n_downloading, st.n_seeding, st.n_paused, st.n_error,
             port);
    if (ui_str_width(line) > width)
        snprintf(line, sizeof line,
                 " \xe2\x86\x93%s \xe2\x86\x91%s \xe2\x94\x82 %d: %d dl %d seed %d paused %d err "
                 "\xe2\x94\x82 %s",
                 down, up, st.n_torrents, st.n_downloading, st.n_seeding, st.n_paused, st.n_error,
                 port);

    const char *hint = "? help ";
    int hint_w = ui_str_width(hint);
    int line_w = ui_str_width(line);

    wattrset(w, ui_attr(UI_EL_STATUS));
    wmove(w, 0, 0);
    if (line_w + 1 + hint_w <= width) {
        ui_put(w, line, width - hint_w, true);
        ui_put(w, hint, hint_w, false);
    } else {
        ui_put(w, line, width, true);
    }
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
