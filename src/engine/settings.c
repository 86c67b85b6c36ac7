/*
 * settings.c — spate's default settings and the validation of `--set`.
 *
 * libtorrent's settings_pack names are validated against libtorrent itself
 * (the shim asks setting_by_name and checks the value's type). spate's own
 * keys, which tune the engine's timers, are listed in spate_keys[] with their
 * bounds. The full registry (groups, help, clamping, docs) grows from here.
 */
#include "engine/engine_int.h"
#include "store/store.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

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

/* spate's own keys: integers with bounds, booleans (shown as true/false)
 * or paths ("" or absolute). Their values live in eng.spate_val[] /
 * eng.spate_str[], indexed like this table (enum eng_spate_key). */
enum sk_type { SKT_INT, SKT_BOOL, SKT_PATH };

static const struct spate_key {
    const char *key;
    enum sk_type type;
    long long min, max, def;
    const char *help;
} spate_keys[SK_COUNT] = {
    [SK_RESUME_INTERVAL_S] = {"spate.resume_interval_s", SKT_INT, 1, 86400, 60,
                              "seconds between resume data saves"},
    [SK_STATUS_INTERVAL_MS] = {"spate.status_interval_ms", SKT_INT, 100, 60000, 1000,
                               "milliseconds between status refreshes"},
    [SK_FUSE_READAHEAD] = {"spate.fuse_readahead_bytes", SKT_INT, 0, 1LL << 30, 16LL << 20,
                           "bytes fetched ahead of a sequential reader of the mount"},
    [SK_FUSE_READ_TIMEOUT_S] = {"spate.fuse_read_timeout_s", SKT_INT, 1, 86400, 60,
                                "seconds a read of the mount waits for missing pieces (then EIO)"},
    [SK_FUSE_RESUME_PAUSED] = {"spate.fuse_resume_paused", SKT_BOOL, 0, 1, 0,
                               "a read of a paused torrent's missing pieces resumes it"},
    [SK_FUSE_ALLOW_REMOVE] = {"spate.fuse_allow_remove", SKT_BOOL, 0, 1, 0,
                              "rmdir of a torrent's directory in the mount removes the torrent"},
    [SK_FUSE_ALLOW_OTHER] = {"spate.fuse_allow_other", SKT_BOOL, 0, 1, 0,
                             "other users may read the mount (FUSE allow_other)"},
    [SK_FUSE_PREFETCH_ENDS] = {"spate.fuse_prefetch_ends", SKT_BOOL, 0, 1, 1,
                               "fetch the first and last piece of each file early while mounted"},
    [SK_MOUNT] = {"spate.mount", SKT_BOOL, 0, 1, 1, "show every torrent's files in a FUSE mount"},
    [SK_MOUNT_DIR] = {"spate.mount_dir", SKT_PATH, 0, 0, 0,
                      "the mount point; \"\": $XDG_RUNTIME_DIR/spate/mnt, else DATA_DIR/mnt"},
};

static int spate_key_find(const char *key)
{
    for (int i = 0; i < SK_COUNT; i++)
        if (strcmp(spate_keys[i].key, key) == 0) return i;
    return -1;
}

/* Parses value for key k into *num (ints, bools) or checks it (paths). */
static int spate_key_parse(const struct spate_key *k, const char *value, long long *num, char *err,
                           size_t errlen)
{
    if (k->type == SKT_PATH) {
        if (*value && value[0] != '/') {
            snprintf(err, errlen, "setting '%s' takes an absolute path or \"\", not '%s'", k->key,
                     value);
            return -EINVAL;
        }
        if (strlen(value) >= 4096) {
            snprintf(err, errlen, "setting '%s': path too long", k->key);
            return -EINVAL;
        }
        return 0;
    }
    if (k->type == SKT_BOOL) {
        static const char *const yes[] = {"true", "1", "yes", "on"};
        static const char *const no[] = {"false", "0", "no", "off"};
        for (size_t i = 0; i < 4; i++) {
            if (strcasecmp(value, yes[i]) == 0) return *num = 1, 0;
            if (strcasecmp(value, no[i]) == 0) return *num = 0, 0;
        }
        snprintf(err, errlen, "setting '%s' takes true or false, not '%s'", k->key, value);
        return -EINVAL;
    }
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
    *num = v;
    return 0;
}

static int spate_key_store(struct eng *e, int i, long long v, const char *str)
{
    if (spate_keys[i].type == SKT_PATH) {
        char *copy = strdup(str ? str : "");
        if (!copy) return -ENOMEM;
        free(e->spate_str[i]);
        e->spate_str[i] = copy;
        return 0;
    }
    e->spate_val[i] = v;
    if (i == SK_RESUME_INTERVAL_S)
        e->resume_interval_ms = (uint64_t)v * 1000;
    else if (i == SK_STATUS_INTERVAL_MS)
        e->status_interval_ms = (uint64_t)v;
    return 0;
}

static void spate_key_format(const struct eng *e, int k, char *buf, size_t buflen)
{
    if (spate_keys[k].type == SKT_PATH)
        snprintf(buf, buflen, "%s", e->spate_str[k] ? e->spate_str[k] : "");
    else if (spate_keys[k].type == SKT_BOOL)
        snprintf(buf, buflen, "%s", e->spate_val[k] ? "true" : "false");
    else
        snprintf(buf, buflen, "%lld", e->spate_val[k]);
}

int eng_setting_validate(const char *key, const char *value, char *err, size_t errlen)
{
    if (!key || !value) return -EINVAL;
    int k = spate_key_find(key);
    if (k >= 0) {
        long long v;
        return spate_key_parse(&spate_keys[k], value, &v, err, errlen);
    }
    struct lts_pack *p = lts_pack_new();
    if (!p) return -ENOMEM;
    int rc = lts_pack_set(p, key, value, err, errlen);
    lts_pack_free(p);
    return rc;
}

void eng_settings_defaults(struct eng *e)
{
    for (int i = 0; i < SK_COUNT; i++)
        spate_key_store(e, i, spate_keys[i].def, "");
}

void eng_settings_free(struct eng *e)
{
    for (int i = 0; i < SK_COUNT; i++) {
        free(e->spate_str[i]);
        e->spate_str[i] = NULL;
    }
}

int eng_setting_default(const char *key, char *buf, size_t buflen)
{
    if (!key || !buf || !buflen) return -EINVAL;
    int k = spate_key_find(key);
    if (k >= 0) {
        if (spate_keys[k].type == SKT_PATH)
            snprintf(buf, buflen, "%s", "");
        else if (spate_keys[k].type == SKT_BOOL)
            snprintf(buf, buflen, "%s", spate_keys[k].def ? "true" : "false");
        else
            snprintf(buf, buflen, "%lld", spate_keys[k].def);
        return 0;
    }
    for (size_t i = 0; i < sizeof lt_defaults / sizeof lt_defaults[0]; i++) {
        if (strcmp(lt_defaults[i].key, key) == 0) {
            snprintf(buf, buflen, "%s", lt_defaults[i].value);
            return 0;
        }
    }
    return lts_default_setting(key, buf, buflen);
}

struct stored_ctx {
    struct eng *e;
    struct lts_pack *pack;
};

/* A stored value that no longer validates (a key an older or newer spate
 * knew) is reported in the health log and skipped: it must not keep spate
 * from starting. */
static int apply_stored(const char *key, const char *value, void *ud)
{
    struct stored_ctx *c = ud;
    char err[512], msg[700];
    if (eng_setting_apply_one(c->e, c->pack, key, value, err, sizeof err) != 0) {
        snprintf(msg, sizeof msg, "stored setting %s=%s ignored: %s", key, value, err);
        eng_log(c->e, "warn", 0, msg);
    }
    return 0;
}

int eng_settings_build(struct eng *e, const struct eng_setting *user, size_t n_user,
                       struct lts_pack *pack, char *err, size_t errlen)
{
    for (size_t i = 0; i < sizeof lt_defaults / sizeof lt_defaults[0]; i++) {
        int rc = lts_pack_set(pack, lt_defaults[i].key, lt_defaults[i].value, err, errlen);
        if (rc) return rc;
    }
    if (e->st) {
        struct stored_ctx c = {e, pack};
        store_settings_load(e->st, apply_stored, &c);
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
    int k = spate_key_find(key);
    if (k >= 0) {
        long long v = 0;
        int rc = spate_key_parse(&spate_keys[k], value, &v, err, errlen);
        return rc ? rc : spate_key_store(e, k, v, value);
    }
    return lts_pack_set(pack, key, value, err, errlen);
}

int eng_setting_get(struct eng *e, const char *key, char *buf, size_t buflen)
{
    if (!e || !key || !buf || !buflen) return -EINVAL;
    int k = spate_key_find(key);
    if (k >= 0) {
        spate_key_format(e, k, buf, buflen);
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
    bool own = spate_key_find(key) >= 0;
    if (rc == 0 && !own) rc = lts_apply(e->ses, p, err, errlen);
    lts_pack_free(p);
    if (rc == 0 && own) eng_timers_restart(e);
    if (rc == 0) {
        eng_refresh_cached(e);
        eng_emit(e, ENG_EV_SETTINGS, NULL);
    }
    return rc;
}

/* Records a change of the stored profile in the settings history (when the
 * stored value really changed). old/now NULL: not stored. */
static void history(struct eng *e, const char *key, const char *old, const char *now,
                    const char *source)
{
    if (!e->st || (!old && !now) || (old && now && strcmp(old, now) == 0)) return;
    if (store_setting_history_add(e->st, (int64_t)time(NULL), key, old, now,
                                  source && *source ? source : "unknown") < 0)
        eng_log(e, "warn", 0, "store: could not record a settings change in the history");
}

int eng_setting_store(struct eng *e, const char *key, const char *value, const char *source,
                      char *err, size_t errlen)
{
    if (!e || !key || !value) return -EINVAL;
    int rc = eng_setting_set(e, key, value, err, errlen);
    if (rc) return rc;
    if (!e->st) return 0;
    /* stored normalized: as spate or libtorrent reads it back ("yes" ->
     * "true", "007" -> "7") */
    char now[4096], old[4096];
    if (eng_setting_get(e, key, now, sizeof now) != 0) snprintf(now, sizeof now, "%s", value);
    int had = eng_setting_stored(e, key, old, sizeof old);
    if (store_setting_put(e->st, key, now) < 0) {
        snprintf(err, errlen, "applied, but the store could not save %s", key);
        return -EIO;
    }
    history(e, key, had == 1 ? old : NULL, now, source);
    return 0;
}

int eng_setting_stored(struct eng *e, const char *key, char *buf, size_t buflen)
{
    if (!e || !key || !buf || !buflen) return -EINVAL;
    if (!e->st) return 0;
    int rc = store_setting_get(e->st, key, buf, buflen);
    return rc == 0 ? 1 : rc == -ENOENT ? 0 : rc;
}

int eng_setting_reset(struct eng *e, const char *key, const char *source, char *err, size_t errlen)
{
    if (!e || !key) return -EINVAL;
    char def[4096];
    int rc = eng_setting_default(key, def, sizeof def);
    if (rc) {
        snprintf(err, errlen, "unknown setting '%s'", key);
        return -EINVAL;
    }
    if ((rc = eng_setting_set(e, key, def, err, errlen)) != 0) return rc;
    char old[4096];
    if (e->st && eng_setting_stored(e, key, old, sizeof old) == 1 &&
        store_setting_delete(e->st, key) == 0)
        history(e, key, old, NULL, source);
    return 0;
}

void eng_refresh_cached(struct eng *e)
{
    char buf[16];
    e->dht_enabled =
        lts_get_setting(e->ses, "enable_dht", buf, sizeof buf) == 0 && strcmp(buf, "true") == 0;
}
