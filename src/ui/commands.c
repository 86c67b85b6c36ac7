/*
 * commands.c — the torrent commands of the list: pause toggle, start,
 * stop, close, remove (with or without the data), recheck, reannounce,
 * queue up and down.
 *
 * Each acts on the marked torrents when any are marked, else on the
 * selected one (ui_pane_torrents_targets). The removing ones ask first:
 * the question names the torrent, or counts them ("remove 3 torrents
 * (data kept)?"); the ids asked about are kept in u->confirm_ids so that
 * `y` removes what the question said, whatever moved since. Every command
 * ends with one line on the message line: what was done, or the first
 * failure and how many failed.
 */
#include "ui/ui_int.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* What a command did, for its message. */
struct tally {
    size_t ok, failed;
    int first_ok_id;
    char first_ok_name[320];
    int fail_id, fail_rc;
    char fail_text[UI_MSG_LEN];
};

static void count(struct tally *t, struct ui *u, int id, int rc, const char *err)
{
    const struct eng_torrent *tor = eng_torrent_by_id(u->eng, id);
    if (rc == 0) {
        if (t->ok++ == 0) {
            t->first_ok_id = id;
            snprintf(t->first_ok_name, sizeof t->first_ok_name, "%s", tor ? tor->name : "?");
        }
        return;
    }
    if (t->failed++ == 0) {
        t->fail_id = id;
        t->fail_rc = rc;
        snprintf(t->fail_text, sizeof t->fail_text, "%s", err && *err ? err : strerror(-rc));
    }
}

/* "paused 2: name" for one, "paused 3 torrents" for more, or the
 * failure. */
static void report(struct ui *u, const struct tally *t, const char *done, const char *verb)
{
    if (t->failed) {
        if (t->ok + t->failed == 1)
            ui_msg(u, true, "%s %d failed: %s", verb, t->fail_id, t->fail_text);
        else
            ui_msg(u, true, "%s: %zu of %zu failed (%d: %s)", verb, t->failed, t->ok + t->failed,
                   t->fail_id, t->fail_text);
    } else if (t->ok == 1) {
        ui_msg(u, false, "%s %d: %s", done, t->first_ok_id, t->first_ok_name);
    } else {
        ui_msg(u, false, "%s %zu torrents", done, t->ok);
    }
}

static int *targets(struct ui *u, size_t *n)
{
    int *ids = ui_pane_torrents_targets(u->torrents, u->eng, n);
    if (!ids && *n == 0) ui_msg(u, false, "no torrent selected");
    return ids;
}

static bool running(const struct eng_torrent *t)
{
    return t && !t->user_paused;
}

static void pause_or_resume(struct ui *u, const int *ids, size_t n, bool resume, const char *done,
                            const char *verb)
{
    struct tally t = {0};
    for (size_t i = 0; i < n; i++) {
        const struct eng_torrent *tor = eng_torrent_by_id(u->eng, ids[i]);
        if (!tor) continue;
        if (resume != !running(tor) && n > 1) continue; /* already so: not counted */
        count(&t, u, ids[i], resume ? eng_resume(u->eng, ids[i]) : eng_pause(u->eng, ids[i]), NULL);
    }
    if (t.ok + t.failed == 0)
        ui_msg(u, false, "%zu torrents already %s", n, resume ? "running" : "paused");
    else
        report(u, &t, done, verb);
}

/* Queue moves go through the torrents in queue order (up: from the
 * front, down: from the back) so that a marked block moves as one. */
struct qitem {
    int id, pos;
};

static int qcmp(const void *a, const void *b)
{
    const struct qitem *x = a, *y = b;
    return (x->pos > y->pos) - (x->pos < y->pos);
}

static void queue_move(struct ui *u, const int *ids, size_t n, bool up)
{
    struct qitem *q = malloc(n * sizeof *q);
    if (!q) {
        ui_msg(u, true, "queue: out of memory");
        return;
    }
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        const struct eng_torrent *t = eng_torrent_by_id(u->eng, ids[i]);
        if (t) q[k++] = (struct qitem){ids[i], t->queue_pos};
    }
    qsort(q, k, sizeof *q, qcmp);
    struct tally t = {0};
    for (size_t i = 0; i < k; i++) {
        struct qitem *it = &q[up ? i : k - 1 - i];
        char err[UI_MSG_LEN] = "";
        count(&t, u, it->id,
              eng_torrent_opt_set(u->eng, it->id, "queue_position", up ? "up" : "down", err,
                                  sizeof err),
              err);
    }
    free(q);
    report(u, &t, up ? "queued up" : "queued down", up ? "queue up" : "queue down");
}

/* The question before a removal, with the ids it is about. */
static void ask_remove(struct ui *u, enum ui_action a, int *ids, size_t n)
{
    bool closing = a == UI_ACT_CLOSE, data = a == UI_ACT_REMOVE_DATA;
    if (n == 1) {
        const struct eng_torrent *t = eng_torrent_by_id(u->eng, ids[0]);
        ui_ask(u, a, ids[0], "%s %d: %s%s?", closing ? "close" : "remove", ids[0],
               t ? t->name : "?",
               closing ? " (remove it, keep the data)"
               : data  ? " AND DELETE ITS DATA"
                       : " (data kept)");
        free(ids);
        return;
    }
    ui_ask(u, a, 0, "%s %zu torrents%s?", closing ? "close" : "remove", n,
           closing ? " (remove them, keep the data)"
           : data  ? " AND DELETE THEIR DATA"
                   : " (data kept)");
    u->confirm_ids = ids; /* owned until the answer */
    u->n_confirm_ids = n;
}

bool ui_cmd_torrents(struct ui *u, enum ui_action a)
{
    switch (a) {
    case UI_ACT_PAUSE_TOGGLE:
    case UI_ACT_START:
    case UI_ACT_STOP:
    case UI_ACT_CLOSE:
    case UI_ACT_REMOVE:
    case UI_ACT_REMOVE_DATA:
    case UI_ACT_RECHECK:
    case UI_ACT_REANNOUNCE:
    case UI_ACT_QUEUE_UP:
    case UI_ACT_QUEUE_DOWN:
        break;
    default:
        return false;
    }
    size_t n = 0;
    int *ids = targets(u, &n);
    if (!ids) {
        if (n) ui_msg(u, true, "out of memory");
        return true;
    }
    struct tally t = {0};
    switch (a) {
    case UI_ACT_PAUSE_TOGGLE: {
        /* one: toggles; several: pauses them unless all are paused */
        bool any_running = false;
        for (size_t i = 0; i < n && !any_running; i++)
            any_running = running(eng_torrent_by_id(u->eng, ids[i]));
        if (any_running)
            pause_or_resume(u, ids, n, false, "paused", "pause");
        else
            pause_or_resume(u, ids, n, true, "resumed", "resume");
        break;
    }
    case UI_ACT_START:
        pause_or_resume(u, ids, n, true, "started", "start");
        break;
    case UI_ACT_STOP:
        pause_or_resume(u, ids, n, false, "stopped", "stop");
        break;
    case UI_ACT_CLOSE:
    case UI_ACT_REMOVE:
    case UI_ACT_REMOVE_DATA:
        ask_remove(u, a, ids, n);
        return true; /* ids kept or freed there */
    case UI_ACT_RECHECK:
        for (size_t i = 0; i < n; i++)
            count(&t, u, ids[i], eng_recheck(u->eng, ids[i]), NULL);
        report(u, &t, "checking", "recheck");
        break;
    case UI_ACT_REANNOUNCE:
        for (size_t i = 0; i < n; i++)
            count(&t, u, ids[i], eng_reannounce(u->eng, ids[i]), NULL);
        report(u, &t, "announcing", "reannounce");
        break;
    case UI_ACT_QUEUE_UP:
    case UI_ACT_QUEUE_DOWN:
        queue_move(u, ids, n, a == UI_ACT_QUEUE_UP);
        break;
    default:
        break;
    }
    free(ids);
    return true;
}

void ui_cmd_confirmed(struct ui *u, enum ui_action a, int id)
{
    int one[1] = {id};
    const int *ids = u->confirm_ids ? u->confirm_ids : one;
    size_t n = u->confirm_ids ? u->n_confirm_ids : 1;
    bool data = a == UI_ACT_REMOVE_DATA;
    struct tally t = {0};
    for (size_t i = 0; i < n; i++) {
        const struct eng_torrent *tor = eng_torrent_by_id(u->eng, ids[i]);
        if (!tor) {
            count(&t, u, ids[i], -ENOENT, "already gone");
            continue;
        }
        /* the name before it goes: count() reads it after */
        char name[256];
        snprintf(name, sizeof name, "%s", tor->name);
        int rc = eng_remove(u->eng, ids[i], data);
        if (rc == 0 && t.ok == 0) {
            t.first_ok_id = ids[i];
            snprintf(t.first_ok_name, sizeof t.first_ok_name, "%s%s", name,
                     data ? " (data deleted)" : "");
        }
        if (rc == 0)
            t.ok++;
        else
            count(&t, u, ids[i], rc, NULL);
    }
    free(u->confirm_ids);
    u->confirm_ids = NULL;
    u->n_confirm_ids = 0;
    if (t.failed)
        report(u, &t, "removed", "remove");
    else if (t.ok == 1)
        ui_msg(u, false, "removed %d: %s", t.first_ok_id, t.first_ok_name);
    else
        ui_msg(u, false, "removed %zu torrents%s", t.ok, data ? " (data deleted)" : "");
}
