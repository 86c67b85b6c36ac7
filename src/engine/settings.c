/*
 * settings.c — spate's default settings and the validation of `--set`.
 *
 * libtorrent's settings_pack names are validated against libtorrent itself
 * (the shim asks setting_by_name and checks the value's type). spate's own
 * keys, which tune the engine's timers, are listed in spate_keys[] with their
 * bounds. The full registry (groups, help, clamping, docs) grows from here.
 */
#include "engine/engine_int.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Defaults a user of rtorrent or qBittorrent expects. They are applied
 * before the user's --set values, which override them. */
static const struct eng_setting lt_defaults[] = {
    {"listen_interfaces", "0.0.0.0:6881,[::]:6881"},
    {"enable_dht", "true"},
    {"enable_lsd", "false"},
    {"enable_upnp", "false"},
    {"enable_natpmp", "false"},
    {"user_agent", "spate/" SPATE_VERSION},
    {"peer_fingerprint", "-SP0100-"},
    /* Outgoing connections use TCP; incoming uTP is still accepted. With
     * libtorrent's default (uTP first) a loopback/LAN download ran at
     * ~6 MB/s instead of ~140 MB/s (bench/swarm), and a peer without uTP
     * (aria2c, many seedboxes) was reached only after the uTP attempt timed
     * out and the reconnect back-off (about a minute) passed. */
    {"enable_outgoing_utp", "false"},
};

static const struct spate_key {
    const char *key;
    long long min, max, def;
    const char *help;
} spate_keys[] = {
    {"spate.resume_interval_s", 1, 86400, 60, "seconds between resume data saves"},
    {"spate.status_interval_ms", 100, 60000, 1000, "milliseconds between status refreshes"},
};

static const struct spate_key *spate_key_find(const char *key)
{
    for (size_t i = 0; i < sizeof spate_keys / sizeof spate_keys[0]; i++)
        if (strcmp(spate_keys[i].key, key) == 0) return &spate_keys[i];
    return NULL;
}

static int spate_key_parse(const struct spate_key *k, const char *value, long long *out, char *err,
                           size_t errlen)
{
    char *end;
    errno = 0;
    long long v = strtoll(value, &end, 10);
    if (!*value || *end || errno) {
        snprintf(err, errlen, "setting '%s' takes an integer, not '%s'", k->key, value);
        return -EINVAL;
    }
    if (v < k->min || v > k->max) {
        snprintf(err, errlen, "setting '%s' must be between %lld and %lld, not %lld", k->key,
                 k->min, k->max, v);
        return -EINVAL;
    }
    *out = v;
    return 0;
}

int eng_setting_validate(const char *key, const char *value, char *err, size_t errlen)
{
    if (!key || !value) return -EINVAL;
    const struct spate_key *k = spate_key_find(key);
    if (k) {
        long long v;
        return spate_key_parse(k, value, &v, err, errlen);
    }
    struct lts_pack *p = lts_pack_new();
    if (!p) return -ENOMEM;
    int rc = lts_pack_set(p, key, value, err, errlen);
    lts_pack_free(p);
    return rc;
}

void eng_settings_defaults(struct eng *e)
{
    for (size_t i = 0; i < sizeof spate_keys / sizeof spate_keys[0]; i++) {
        if (strcmp(spate_keys[i].key, "spate.resume_interval_s") == 0)
            e->resume_interval_ms = (uint64_t)spate_keys[i].def * 1000;
        else if (strcmp(spate_keys[i].key, "spate.status_interval_ms") == 0)
            e->status_interval_ms = (uint64_t)spate_keys[i].def;
    }
}

int eng_settings_build(struct eng *e, const struct eng_setting *user, size_t n_user,
                       struct lts_pack *pack, char *err, size_t errlen)
{
    for (size_t i = 0; i < sizeof lt_defaults / sizeof lt_defaults[0]; i++) {
        int rc = lts_pack_set(pack, lt_defaults[i].key, lt_defaults[i].value, err, errlen);
        if (rc) return rc;
    }
    for (size_t i = 0; i < n_user; i++) {
        int rc = eng_setting_apply_one(e, pack, user[i].key, user[i].value, err, errlen);
        if (rc) return rc;
    }
    return 0;
}

int eng_setting_apply_one(struct eng *e, struct lts_pack *pack, const char *key, const char *value,
                          char *err, size_t errlen)
{
    const struct spate_key *k = spate_key_find(key);
    if (k) {
        long long v;
        int rc = spate_key_parse(k, value, &v, err, errlen);
        if (rc) return rc;
        if (strcmp(key, "spate.resume_interval_s") == 0)
            e->resume_interval_ms = (uint64_t)v * 1000;
        else
            e->status_interval_ms = (uint64_t)v;
        return 0;
    }
    return lts_pack_set(pack, key, value, err, errlen);
}

int eng_setting_get(struct eng *e, const char *key, char *buf, size_t buflen)
{
    if (!e || !key || !buf || !buflen) return -EINVAL;
    if (strcmp(key, "spate.resume_interval_s") == 0) {
        snprintf(buf, buflen, "%llu", (unsigned long long)(e->resume_interval_ms / 1000));
        return 0;
    }
    if (strcmp(key, "spate.status_interval_ms") == 0) {
        snprintf(buf, buflen, "%llu", (unsigned long long)e->status_interval_ms);
        return 0;
    }
    return lts_get_setting(e->ses, key, buf, buflen);
}

int eng_setting_set(struct eng *e, const char *key, const char *value, char *err, size_t errlen)
{
    if (!e || !key || !value) return -EINVAL;
    struct lts_pack *p = lts_pack_new();
    if (!p) return -ENOMEM;
    int rc = eng_setting_apply_one(e, p, key, value, err, errlen);
    if (rc == 0 && !spate_key_find(key)) rc = lts_apply(e->ses, p, err, errlen);
    lts_pack_free(p);
    if (rc == 0 && spate_key_find(key)) eng_timers_restart(e);
    if (rc == 0) eng_refresh_cached(e);
    return rc;
}

void eng_refresh_cached(struct eng *e)
{
    char buf[16];
    e->dht_enabled =
        lts_get_setting(e->ses, "enable_dht", buf, sizeof buf) == 0 && strcmp(buf, "true") == 0;
}
