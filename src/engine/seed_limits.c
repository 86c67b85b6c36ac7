/*
 * seed_limits.c — spate.seed_limit_action: what happens to a seed that
 * reached its share ratio or seed time limit. Checked after every status
 * refresh (alerts.c); the limits come from the torrent's category, else
 * the session's settings.
 */
#include "engine/engine_int.h"

#include <stdio.h>
#include <string.h>

/* spate.seed_limit_action: a seed that reached its share ratio limit or
 * seed time limit (its category's, else the session's
 * share_ratio_limit / seed_time_limit; 0 = no limit) is paused or removed
 * (data kept). libtorrent itself only lets such a seed yield its queue
 * slot. */
void eng_seed_limits_check(struct eng *e)
{
    const char *action = eng_setting_str(e, "spate.seed_limit_action");
    if (strcmp(action, "none") == 0) return;
    int hit[64];
    size_t n_hit = 0;
    const int64_t session_ratio = eng_setting_int(e, "share_ratio_limit");
    const int64_t session_secs = eng_setting_int(e, "seed_time_limit");
    for (size_t i = 0; i < e->n && n_hit < 64; i++) {
        const struct eng_torrent *p = &e->tors[i]->pub;
        if (p->state != ENG_STATE_SEEDING && p->state != ENG_STATE_FINISHED) continue;
        int64_t ratio = session_ratio, secs = session_secs;

        int64_t cr, cs;
        if (*p->category && eng_category_seed_limits(e, p->category, &cr, &cs) == 0) {
            if (cr >= 0) ratio = cr;
            if (cs >= 0) secs = cs;
        }
        int64_t base = p->downloaded > 0 ? p->downloaded : p->wanted_bytes;
        bool by_ratio = ratio > 0 && base > 0 && p->uploaded * 100 >= ratio * base;
        bool by_time = secs > 0 && p->seeding_time_s >= secs;
        if (by_ratio || by_time) hit[n_hit++] = p->id;
    }
    for (size_t i = 0; i < n_hit; i++) {
        struct eng_tor *t = eng_row_by_id(e, hit[i]);
        char msg[200];
        snprintf(msg, sizeof msg, "seeding limit reached: %s (spate.seed_limit_action)",
                 strcmp(action, "remove") == 0 ? "removed, data kept" : "paused");
        if (t) eng_log_event(e, "info", t, msg);
        if (strcmp(action, "remove") == 0)
            eng_remove(e, hit[i], false);
        else
            eng_pause(e, hit[i]);
    }
}
