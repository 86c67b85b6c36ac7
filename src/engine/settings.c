/*
 * settings.c — the settings profile on top of the registry (registry.h):
 * values in effect, the stored profile and its history, applying every key
 * natively (apply_settings, set_ip_filter, torrent flags, the alternative
 * speed limits) and reading it back.
 *
 * A key's configured value is its default, replaced by the stored profile,
 * replaced by `--set` (one run), replaced by every later change. All of them
 * pass reg_normalize (validation, clamping) and the combination checks
 * below. The value libtorrent is asked to hold ("effective") is the
 * configured one except for download_rate_limit and upload_rate_limit while
 * the alternative speed limits are on.
 *
 * A settings_pack key needs nothing here; every other way a session key
 * acts (checks needing libtorrent or the engine, engine fields it mirrors,
 * its apply and read-back) is one line in session_ops[], found through the
 * registry's index: nothing below compares key names.
 */
#include "engine/engine_int.h"
#include "engine/ipfilter.h"
#include "engine/registry.h"
#include "engine/safefile.h"
#include "engine/schedule.h"
#include "store/store.h"

#include <assert.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define VAL_MAX 4096
#define IPF_MAX_KEY "spate.ip_filter_file_max_bytes"

/* How a session key acts beyond "apply_settings, read back from
 * get_settings()": one line in session_ops[] (at the end of the section
 * "applying natively"), found through the registry's index (ops_of). A
 * REG_NATIVE key without a line needs none. Every hook may be NULL. */
struct session_ops {
    const char *key;
    /* More checks of a normalized value: with e NULL those that need no
     * engine (any thread, eng_setting_validate), with e those that do
     * (every value set: by hand, `--set`, the stored profile). 0, or
     * -EINVAL with msg set. */
    int (*check)(struct eng *e, const struct reg_key *k, const char *norm, char *msg,
                 size_t msglen);
    /* Mirrors a new value (already in e->val) into the engine's fields;
     * also before the session exists and when a change is rolled back. */
    void (*cache)(struct eng *e, const char *norm);
    /* A native key's value for libtorrent when it is not the configured
     * one (the alternative speed limits); NULL: the configured one. */
    const char *(*effective)(const struct eng *e, const struct reg_key *k);
    /* Applies a non-native key (already in e->val) to the session. 0 or
     * an error with err set; a warning in err with 0. */
    int (*apply)(struct eng *e, const struct reg_key *k, char *err, size_t errlen);
    /* Reads back what libtorrent holds for a non-native key: 1 with buf
     * set, 0 if nothing to show, or an error. */
    int (*native)(struct eng *e, const struct reg_key *k, char *buf, size_t buflen);
    /* A rate limit's partner: the alternative limit that replaces it, or
     * for an alternative limit the settings_pack key that holds it. */
    const char *pair;
};

static const struct session_ops *ops_of(const struct reg_key *k);

static const struct reg_key *session_key(const char *key)
{
    const struct reg_key *k = reg_find(key);
    return k && (k->scope & REG_SESSION) ? k : NULL;
}

static const char *val(const struct eng *e, const char *key)
{
    const struct reg_key *k = reg_find(key);
    return k && e->val ? e->val[reg_index(k)] : "";
}

static bool val_true(const struct eng *e, const char *key)
{
    return strcmp(val(e, key), "true") == 0;
}

const char *eng_setting_str(const struct eng *e, const char *key)
{
    return val(e, key);
}

long long eng_setting_int(const struct eng *e, const char *key)
{
    const char *v = val(e, key);
    return strcmp(v, "true") == 0 ? 1 : atoll(v);
}

static int default_compute(const struct reg_key *k, char *buf, size_t buflen)
{
    if (k->def) return snprintf(buf, buflen, "%s", k->def) < (int)buflen ? 0 : -ERANGE;
    if (k->scope == REG_TORRENT) return snprintf(buf, buflen, "%s", "") ? 0 : 0;
    char raw[VAL_MAX];
    int rc = lts_default_setting(k->key, raw, sizeof raw);
    if (rc) return rc;
    if (k->type == REG_ENUM) {
        const char *name = reg_enum_name(k, atoi(raw));
        return snprintf(buf, buflen, "%s", name ? name : raw) < (int)buflen ? 0 : -ERANGE;
    }
    char msg[256];
    rc = reg_normalize(k, raw, buf, buflen, msg, sizeof msg);
    return rc < 0 ? rc : 0;
}

/* Defaults never change in a process: computed once (libtorrent builds
 * its whole default_settings() for each lookup), any thread. */
static char **defaults;
static pthread_once_t defaults_once = PTHREAD_ONCE_INIT;

static void defaults_init(void)
{
    char **d = calloc(reg_count(), sizeof *d);
    for (size_t i = 0; d && i < reg_count(); i++) {
        char buf[VAL_MAX];
        if (default_compute(reg_at(i), buf, sizeof buf) == 0) d[i] = strdup(buf);
    }
    defaults = d;
}

/* The default of k as normalized text. */
static int default_of(const struct reg_key *k, char *buf, size_t buflen)
{
    pthread_once(&defaults_once, defaults_init);
    const char *d = defaults ? defaults[reg_index(k)] : NULL;
    if (!d) return default_compute(k, buf, buflen);
    return snprintf(buf, buflen, "%s", d) < (int)buflen ? 0 : -ERANGE;
}

int eng_setting_default(const char *key, char *buf, size_t buflen)
{
    if (!key || !buf || !buflen) return -EINVAL;
    const struct reg_key *k = reg_find(key);
    return k ? default_of(k, buf, buflen) : -EINVAL;
}

static int set_val(struct eng *e, const struct reg_key *k, const char *norm)
{
    char *copy = strdup(norm);
    if (!copy) return -ENOMEM;
    size_t i = reg_index(k);
    free(e->val[i]);
    e->val[i] = copy;
    const struct session_ops *o = ops_of(k);
    if (o && o->cache) o->cache(e, norm);
    return 0;
}

void eng_settings_defaults(struct eng *e)
{
    e->val = calloc(reg_count(), sizeof *e->val);
    if (!e->val) return;
    for (size_t i = 0; i < reg_count(); i++) {
        const struct reg_key *k = reg_at(i);
        char def[VAL_MAX] = "";
        if (k->scope & REG_SESSION) default_of(k, def, sizeof def);
        set_val(e, k, def);
    }
}

void eng_settings_free(struct eng *e)
{
    for (size_t i = 0; e->val && i < reg_count(); i++)
        free(e->val[i]);
    free(e->val);
    e->val = NULL;
    free(e->alt_sched);
    e->alt_sched = NULL;
    ipf_free(&e->ipf_file);
}

/* ------------------------------------------------------------ validation */

/* Validates key=value fully: registry normalization plus the checks that
 * depend on this libtorrent. norm gets the normalized text; msg a warning
 * (rc 0) or the error (rc < 0). */
static int validate(const struct reg_key *k, const char *value, char *norm, size_t normlen,
                    char *msg, size_t msglen)
{
    int rc = reg_normalize(k, value, norm, normlen, msg, msglen);
    if (rc == -ERANGE) snprintf(msg, msglen, "setting '%s': value too long", k->key);
    if (rc < 0) return rc == -ERANGE ? -EINVAL : rc;
    const struct session_ops *o = ops_of(k);
    return o && o->check ? o->check(NULL, k, norm, msg, msglen) : 0;
}

int eng_setting_validate(const char *key, const char *value, char *err, size_t errlen)
{
    if (!key || !value) return -EINVAL;
    const struct reg_key *k = session_key(key);
    if (!k) {
        snprintf(err, errlen,
                 reg_find(key) ? "'%.100s' is a per-torrent setting: spate set ID %s VALUE"
                               : "unknown setting '%.100s'",
                 key, key);
        return -EINVAL;
    }
    char norm[VAL_MAX];
    return validate(k, value, norm, sizeof norm, err, errlen);
}

/* ---------------------------------------------------- applying natively */

/* The value libtorrent is asked to hold for a native key. */
static const char *effective(const struct eng *e, const struct reg_key *k)
{
    const struct session_ops *o = ops_of(k);
    return o && o->effective ? o->effective(e, k) : e->val[reg_index(k)];
}

static int pack_native(struct eng *e, struct lts_pack *pack, const struct reg_key *k, char *err,
                       size_t errlen)
{
    const char *v = effective(e, k);
    char num[16];
    if (k->type == REG_ENUM) {
        snprintf(num, sizeof num, "%d", reg_enum_value(k, v));
        v = num;
    }
    return eng_pack_set(pack, k->key, v, err, errlen);
}

static void log_warn(struct eng *e, const char *msg)
{
    if (msg && *msg) eng_log(e, "warn", 0, msg);
}

/* ---------------------------------------------------------- the IP filter
 *
 * libtorrent's ip_filter holds the inline list (spate.ip_filter, parsed on
 * the loop: it is a bounded setting value) plus the ranges of the blocklist
 * file (spate.ip_filter_file), which is opened, checked (regular file, size
 * cap, not in our mount) and parsed on libuv's threadpool: a huge file, a
 * slow disk or a file that changed into a FIFO never stalls the loop. One
 * job at most is in flight (e->ipf_job); a request meanwhile marks it stale
 * (e->ipf_again) and a fresh job starts when it reports. A file that fails
 * leaves the ranges of the last good load in force, with one line in the
 * health log. */

struct ipf_job {
    uv_work_t req;
    struct eng *e; /* NULL once the engine shut down: the job only frees itself */
    char *path, *mount_dir;
    int64_t max_bytes;
    bool only_if_changed; /* the periodic check: parse only if mtime/size moved */
    int64_t old_mtime_ns, old_size;
    /* results, written by the worker, read on the loop after it */
    bool unchanged;
    int64_t mtime_ns, size;
    struct ipf f;
    long n;
    size_t bad;
    char msg[600];
};

static void file_sig(const char *path, int64_t *mtime_ns, int64_t *size)
{
    struct stat sb;
    if (!*path || stat(path, &sb) != 0) {
        *mtime_ns = *size = -1;
        return;
    }
    *mtime_ns = (int64_t)sb.st_mtim.tv_sec * 1000000000 + sb.st_mtim.tv_nsec;
    *size = (int64_t)sb.st_size;
}

/* Worker thread: touches only the job. */
static void ipf_work(uv_work_t *req)
{
    struct ipf_job *j = req->data;
    file_sig(j->path, &j->mtime_ns, &j->size);
    if (j->only_if_changed && j->mtime_ns == j->old_mtime_ns && j->size == j->old_size) {
        j->unchanged = true;
        return;
    }
    int fd = eng_safe_open(j->path, "IP filter file", j->max_bytes, IPF_MAX_KEY, j->mount_dir, NULL,
                           j->msg, sizeof j->msg);
    if (fd < 0) {
        j->n = fd;
        return;
    }
    FILE *fp = fdopen(fd, "r");
    if (!fp) {
        close(fd);
        j->n = -ENOMEM;
        snprintf(j->msg, sizeof j->msg, "out of memory");
        return;
    }
    j->n = ipf_load_stream(&j->f, fp, j->path, &j->bad, j->msg, sizeof j->msg);
    fclose(fp);
}

static void ipf_job_free(struct ipf_job *j)
{
    ipf_free(&j->f);
    free(j->path);
    free(j->mount_dir);
    free(j);
}

/* The inline list plus the file's ranges of the last good load, into
 * libtorrent. */
static int ipf_install(struct eng *e, char *err, size_t errlen)
{
    struct ipf f = {0};
    char msg[512] = "";
    int rc = ipf_parse_list(&f, val(e, "spate.ip_filter"), msg, sizeof msg);
    if (rc) {
        snprintf(err, errlen, "spate.ip_filter: %s", msg);
        ipf_free(&f);
        return rc;
    }
    if (!*val(e, "spate.ip_filter_file")) ipf_free(&e->ipf_file);
    for (size_t i = 0; i < e->ipf_file.n; i++) {
        if (f.n == f.cap) {
            size_t cap = f.cap ? f.cap * 2 : 64;
            while (cap < f.n + e->ipf_file.n - i)
                cap *= 2;
            struct ipf_range *r = realloc(f.r, cap * sizeof *r);
            if (!r) {
                ipf_free(&f);
                snprintf(err, errlen, "out of memory");
                return -ENOMEM;
            }
            f.r = r;
            f.cap = cap;
        }
        f.r[f.n++] = e->ipf_file.r[i];
    }
    _Static_assert(sizeof(struct ipf_range) == sizeof(struct lts_ip_range), "same layout");
    rc = lts_set_ip_filter(e->ses, (const struct lts_ip_range *)f.r, f.n);
    if (!rc) e->ip_filter_ranges = (long)f.n;
    ipf_free(&f);
    if (rc) snprintf(err, errlen, "libtorrent refused the IP filter");
    return rc;
}

static int ipf_request(struct eng *e, bool only_if_changed);

/* Loop thread: the job reports. */
static void ipf_done(uv_work_t *req, int status)
{
    struct ipf_job *j = req->data;
    struct eng *e = j->e;
    if (!e || status == UV_ECANCELED || e->shut_down) {
        if (e) e->ipf_job = NULL;
        ipf_job_free(j);
        return;
    }
    e->ipf_job = NULL;
    e->ipf_mtime_ns = j->mtime_ns;
    e->ipf_size = j->size;
    if (e->ipf_again) {
        /* the settings changed while this one ran: its result is stale */
        e->ipf_again = false;
        ipf_job_free(j);
        ipf_request(e, false);
        return;
    }
    char line[800], err[512] = "";
    if (j->unchanged) {
        /* nothing to do */
    } else if (j->n < 0) {
        snprintf(line, sizeof line, "ip filter: %s (the previous filter stays in force)", j->msg);
        log_warn(e, line);
    } else {
        snprintf(line, sizeof line, "ip filter: %ld ranges from %s%s%s", j->n, j->path,
                 j->bad ? "; " : "", j->bad ? j->msg : "");
        eng_log(e, j->bad ? "warn" : "info", 0, line);
        ipf_free(&e->ipf_file);
        e->ipf_file = j->f;
        memset(&j->f, 0, sizeof j->f);
        if (ipf_install(e, err, sizeof err)) log_warn(e, err);
        eng_emit(e, ENG_EV_SETTINGS, NULL);
    }
    ipf_job_free(j);
}

/* Starts loading the blocklist file on the threadpool (or marks the job in
 * flight stale). Returns 0 or -ENOMEM / a libuv error. */
static int ipf_request(struct eng *e, bool only_if_changed)
{
    if (e->ipf_job) {
        if (!only_if_changed) e->ipf_again = true;
        return 0;
    }
    const char *path = val(e, "spate.ip_filter_file");
    if (!*path) return 0;
    struct ipf_job *j = calloc(1, sizeof *j);
    if (!j) return -ENOMEM;
    j->e = e;
    j->path = strdup(path);
    j->mount_dir = e->mount_point ? strdup(e->mount_point) : NULL;
    j->max_bytes = eng_setting_int(e, IPF_MAX_KEY);
    j->only_if_changed = only_if_changed;
    j->old_mtime_ns = e->ipf_mtime_ns;
    j->old_size = e->ipf_size;
    j->req.data = j;
    int rc = j->path ? uv_queue_work(e->loop, &j->req, ipf_work, ipf_done) : -ENOMEM;
    if (rc) {
        ipf_job_free(j);
        return rc;
    }
    e->ipf_job = j;
    return 0;
}

/* The IP filter after a change of spate.ip_filter*: the inline list now,
 * the file's ranges when its worker reports. */
static int apply_ip_filter(struct eng *e, char *err, size_t errlen)
{
    int rc = ipf_install(e, err, errlen);
    if (rc) return rc;
    rc = ipf_request(e, false);
    if (rc) snprintf(err, errlen, "cannot start loading the IP filter file: %s", uv_strerror(rc));
    return rc;
}

void eng_ip_filter_stop(struct eng *e)
{
    if (!e || !e->ipf_job) return;
    struct ipf_job *j = e->ipf_job;
    e->ipf_job = NULL;
    j->e = NULL; /* ipf_done frees it; uv_cancel only works before it ran */
    uv_cancel((uv_req_t *)&j->req);
}

bool eng_ip_filter_loading(const struct eng *e)
{
    return e && e->ipf_job;
}

/* spate.pex: off sets every torrent's disable_pex flag, on clears it. */
void eng_apply_pex(struct eng *e, struct lts_torrent *only)
{
    unsigned flags = val_true(e, "spate.pex") ? 0 : LTS_TF_DISABLE_PEX;
    if (only) {
        if (flags) lts_set_torrent_flags(only, flags, LTS_TF_DISABLE_PEX);
        return;
    }
    for (size_t i = 0; i < e->n; i++)
        lts_set_torrent_flags(e->tors[i]->h, flags, LTS_TF_DISABLE_PEX);
}

static int apply_alt(struct eng *e, char *err, size_t errlen)
{
    struct lts_pack *p = lts_pack_new();
    if (!p) return -ENOMEM;
    int rc = pack_native(e, p, reg_find("download_rate_limit"), err, errlen);
    if (!rc) rc = pack_native(e, p, reg_find("upload_rate_limit"), err, errlen);
    if (!rc) rc = lts_apply(e->ses, p, err, errlen);
    lts_pack_free(p);
    return rc;
}

static int parse_schedule(struct eng *e)
{
    struct sched *s = calloc(1, sizeof *s);
    char msg[256];
    if (!s) return -ENOMEM;
    if (sched_parse(val(e, "spate.alt_speed_schedule"), s, msg, sizeof msg) != 0) {
        free(s);
        return -EINVAL;
    }
    free(e->alt_sched);
    e->alt_sched = s;
    e->sched_known = false;
    return 0;
}

/* The disk I/O backend the session is to be created with. */
static enum lts_disk_io disk_io_wanted(const struct eng *e)
{
    const struct reg_key *k = reg_find("spate.disk_io");
    return reg_enum_value(k, e->val[reg_index(k)]) == LTS_DISK_IO_MMAP ? LTS_DISK_IO_MMAP
                                                                       : LTS_DISK_IO_POSIX;
}

/* anonymous_mode with a proxy: libtorrent 2.0 has no force_proxy any more
 * (deprecated in 1.2); peers and trackers must then go through the proxy,
 * which is proxy_peer_connections and proxy_tracker_connections. */
static bool anon_with_proxy(const struct eng *e)
{
    return val_true(e, "anonymous_mode") && strcmp(val(e, "proxy_type"), "none") != 0;
}

/* ------------------------------------------- keys beyond settings_pack */

static int check_i2p(struct eng *e, const struct reg_key *k, const char *norm, char *msg,
                     size_t msglen)
{
    (void)e, (void)k;
    if (strcmp(norm, "i2p_proxy") != 0 || lts_has_i2p()) return 0;
    snprintf(msg, msglen, "proxy_type i2p_proxy: this libtorrent was built without I2P");
    return -EINVAL;
}

/* Cheap checks only (open O_NONBLOCK and fstat, never a read): the file is
 * parsed off the loop thread once the value is in effect. Without the
 * engine: that it opens; a change by hand (the session runs) also checks
 * its size against spate.ip_filter_file_max_bytes and that it is not in
 * our mount. A stored one is checked by the worker that loads it. */
static int check_ip_filter_file(struct eng *e, const struct reg_key *k, const char *norm, char *msg,
                                size_t msglen)
{
    if (!*norm || (e && !e->ses)) return 0;
    char m[512];
    int fd = e ? eng_safe_open(norm, "IP filter file", eng_setting_int(e, IPF_MAX_KEY), IPF_MAX_KEY,
                               e->mount_point, NULL, m, sizeof m)
               : eng_safe_open(norm, "IP filter file", -1, NULL, NULL, NULL, m, sizeof m);
    if (fd < 0) {
        snprintf(msg, msglen, "%s: %s", k->key, m);
        return -EINVAL;
    }
    close(fd);
    return 0;
}

/* A mount over spate's own files wedges it (paths.c); also from the stored
 * profile, which then logs it and keeps the default. */
static int check_mount_dir(struct eng *e, const struct reg_key *k, const char *norm, char *msg,
                           size_t msglen)
{
    (void)k;
    return e && *norm ? eng_mount_dir_check(e, norm, msg, msglen) : 0;
}

/* proxy_peer_connections and proxy_tracker_connections stay true while
 * anonymous_mode is on with a proxy (set_one turns them on with it). */
static int check_via_proxy(struct eng *e, const struct reg_key *k, const char *norm, char *msg,
                           size_t msglen)
{
    if (!e || strcmp(norm, "false") != 0 || !anon_with_proxy(e)) return 0;
    snprintf(msg, msglen,
             "%s must stay true while anonymous_mode is on with a proxy (the address "
             "would leak)",
             k->key);
    return -EINVAL;
}

static void cache_resume_interval(struct eng *e, const char *norm)
{
    e->resume_interval_ms = (uint64_t)atoll(norm) * 1000;
}

static void cache_status_interval(struct eng *e, const char *norm)
{
    e->status_interval_ms = (uint64_t)atoll(norm);
}

/* The schedule is parsed whenever it changes (ENOMEM keeps the last). */
static void cache_schedule(struct eng *e, const char *norm)
{
    (void)norm;
    parse_schedule(e);
}

/* While spate.alt_speed is on, a rate limit holds its alternative. */
static const char *effective_alt(const struct eng *e, const struct reg_key *k)
{
    return val_true(e, "spate.alt_speed") ? val(e, ops_of(k)->pair) : e->val[reg_index(k)];
}

static int apply_ip_filter_key(struct eng *e, const struct reg_key *k, char *err, size_t errlen)
{
    (void)k;
    return apply_ip_filter(e, err, errlen);
}

static int apply_pex_key(struct eng *e, const struct reg_key *k, char *err, size_t errlen)
{
    (void)k, (void)err, (void)errlen;
    eng_apply_pex(e, NULL);
    return 0;
}

static int apply_tracker_auth(struct eng *e, const struct reg_key *k, char *err, size_t errlen)
{
    (void)k, (void)err, (void)errlen;
    eng_apply_tracker_auth_all(e);
    return 0;
}

static int apply_alt_key(struct eng *e, const struct reg_key *k, char *err, size_t errlen)
{
    (void)k;
    return apply_alt(e, err, errlen);
}

/* The schedule (parsed by cache_schedule) decides spate.alt_speed now. */
static int apply_schedule(struct eng *e, const struct reg_key *k, char *err, size_t errlen)
{
    (void)k;
    eng_settings_tick(e);
    return apply_alt(e, err, errlen);
}

static int apply_timers(struct eng *e, const struct reg_key *k, char *err, size_t errlen)
{
    (void)k, (void)err, (void)errlen;
    eng_timers_restart(e);
    return 0;
}

static int native_ip_filter(struct eng *e, const struct reg_key *k, char *buf, size_t buflen)
{
    (void)k;
    long n = lts_ip_filter_blocked(e->ses);
    if (n < 0) return (int)n;
    snprintf(buf, buflen, "%ld blocked ranges", n);
    return 1;
}

/* The backend in use, which a change meets only at the next start. */
static int native_disk_io(struct eng *e, const struct reg_key *k, char *buf, size_t buflen)
{
    const char *name = reg_enum_name(k, (int)lts_disk_io(e->ses));
    snprintf(buf, buflen, "%s", name ? name : "?");
    return 1;
}

static int native_tracker_auth(struct eng *e, const struct reg_key *k, char *buf, size_t buflen)
{
    (void)k;
    int rc = eng_tracker_logins(e, buf, buflen);
    return rc ? rc : 1;
}

static int native_pex(struct eng *e, const struct reg_key *k, char *buf, size_t buflen)
{
    (void)k;
    if (e->n == 0) return 0;
    size_t off = 0;
    for (size_t i = 0; i < e->n; i++) {
        unsigned f = 0;
        if (lts_torrent_flags(e->tors[i]->h, &f) == 0 && (f & LTS_TF_DISABLE_PEX)) off++;
    }
    snprintf(buf, buflen, "%s", off == e->n ? "false" : off == 0 ? "true" : "mixed");
    return 1;
}

/* Which limits libtorrent holds: the alternative ones ("true") or the
 * normal ones; when both are equal, the configured state. */
static int native_alt_speed(struct eng *e, const struct reg_key *k, char *buf, size_t buflen)
{
    (void)k;
    char d[32], u[32];
    if (lts_get_setting(e->ses, "download_rate_limit", d, sizeof d) ||
        lts_get_setting(e->ses, "upload_rate_limit", u, sizeof u))
        return -EIO;
    bool on = val_true(e, "spate.alt_speed");
    const char *want_d = val(e, on ? "spate.alt_download_rate_limit" : "download_rate_limit");
    const char *want_u = val(e, on ? "spate.alt_upload_rate_limit" : "upload_rate_limit");
    bool holds = strcmp(d, want_d) == 0 && strcmp(u, want_u) == 0;
    snprintf(buf, buflen, "%s", holds == on ? "true" : "false");
    return 1;
}

/* An alternative limit is read back (from its pair) while it is in force. */
static int native_alt_limit(struct eng *e, const struct reg_key *k, char *buf, size_t buflen)
{
    char v[32];
    if (!val_true(e, "spate.alt_speed")) return 0;
    if (lts_get_setting(e->ses, ops_of(k)->pair, v, sizeof v)) return -EIO;
    snprintf(buf, buflen, "%s", v);
    return 1;
}

static const struct session_ops session_ops[] = {
    {.key = "proxy_type", .check = check_i2p},
    {.key = "proxy_peer_connections", .check = check_via_proxy},
    {.key = "proxy_tracker_connections", .check = check_via_proxy},
    {.key = "download_rate_limit",
     .effective = effective_alt,
     .pair = "spate.alt_download_rate_limit"},
    {.key = "upload_rate_limit", .effective = effective_alt, .pair = "spate.alt_upload_rate_limit"},
    {.key = "spate.pex", .apply = apply_pex_key, .native = native_pex},
    {.key = "spate.ip_filter", .apply = apply_ip_filter_key, .native = native_ip_filter},
    {.key = "spate.ip_filter_file",
     .check = check_ip_filter_file,
     .apply = apply_ip_filter_key,
     .native = native_ip_filter},
    {.key = "spate.ip_filter_file_max_bytes", .apply = apply_ip_filter_key},
    {.key = "spate.alt_speed", .apply = apply_alt_key, .native = native_alt_speed},
    {.key = "spate.alt_download_rate_limit",
     .apply = apply_alt_key,
     .native = native_alt_limit,
     .pair = "download_rate_limit"},
    {.key = "spate.alt_upload_rate_limit",
     .apply = apply_alt_key,
     .native = native_alt_limit,
     .pair = "upload_rate_limit"},
    {.key = "spate.alt_speed_schedule", .cache = cache_schedule, .apply = apply_schedule},
    {.key = "spate.disk_io", .native = native_disk_io},
    {.key = "spate.resume_interval_s", .cache = cache_resume_interval, .apply = apply_timers},
    {.key = "spate.status_interval_ms", .cache = cache_status_interval, .apply = apply_timers},
    {.key = "spate.tracker_auth", .apply = apply_tracker_auth, .native = native_tracker_auth},
    {.key = "spate.mount_dir", .check = check_mount_dir},
};

/* session_ops[] by registry index, built once (any thread). */
static const struct session_ops *ops_index[REG_MAX_KEYS];
static pthread_once_t ops_once = PTHREAD_ONCE_INIT;

static void ops_init(void)
{
    for (size_t i = 0; i < sizeof session_ops / sizeof session_ops[0]; i++) {
        const struct reg_key *k = reg_find(session_ops[i].key);
        assert(k && (k->scope & REG_SESSION) && !ops_index[reg_index(k)]);
        assert(!session_ops[i].pair || reg_find(session_ops[i].pair));
        if (k) ops_index[reg_index(k)] = &session_ops[i];
    }
}

static const struct session_ops *ops_of(const struct reg_key *k)
{
    pthread_once(&ops_once, ops_init);
    return ops_index[reg_index(k)];
}

/* A restart-only key (REG_F_RESTART) whose new value is not the one in
 * use: the warning says when it takes effect. */
static void restart_note(struct eng *e, const struct reg_key *k, char *msg, size_t msglen)
{
    const struct session_ops *o = ops_of(k);
    char now[128];
    if (!o || !o->native || o->native(e, k, now, sizeof now) != 1) return;
    const char *want = e->val[reg_index(k)];
    if (strcmp(now, want) != 0)
        snprintf(msg, msglen,
                 "%s is restart-only: %s takes effect at the next start (%s is in use until "
                 "then)",
                 k->key, want, now);
}

/* Sets k to norm in e->val and, with a session, applies it (and what the
 * combination rules imply) at once. Without a session (start-up) native keys
 * go into pack. On failure nothing changes. changed[] (may be NULL) gets the
 * other keys the change implied. */
static int set_one(struct eng *e, struct lts_pack *pack, const struct reg_key *k, const char *norm,
                   const struct reg_key **implied, size_t *n_implied, char *msg, size_t msglen)
{
    static const char *const via_proxy[] = {"proxy_peer_connections", "proxy_tracker_connections"};
    const struct session_ops *o = ops_of(k);
    int rc = o && o->check ? o->check(e, k, norm, msg, msglen) : 0;
    if (rc) return rc;
    char *old = strdup(e->val[reg_index(k)]);
    if (!old) return -ENOMEM;
    rc = set_val(e, k, norm);
    if (rc) goto out;
    size_t ni = 0;
    if (anon_with_proxy(e))
        for (size_t i = 0; i < 2; i++) {
            const struct reg_key *p = reg_find(via_proxy[i]);
            if (val_true(e, p->key)) continue;
            set_val(e, p, "true");
            if (implied && ni < 2) implied[ni++] = p;
            size_t len = strlen(msg);
            snprintf(msg + len, msglen - len, "%s%s set to true (anonymous_mode with a proxy)",
                     len ? "; " : "", p->key);
        }
    if (n_implied) *n_implied = ni;
    if (k->apply == REG_NATIVE || ni) {
        struct lts_pack *p = pack ? pack : lts_pack_new();
        if (!p) {
            rc = -ENOMEM;
        } else {
            if (k->apply == REG_NATIVE) rc = pack_native(e, p, k, msg, msglen);
            for (size_t i = 0; !rc && i < ni; i++)
                rc = pack_native(e, p, implied[i], msg, msglen);
            if (!rc && !pack && e->ses) rc = lts_apply(e->ses, p, msg, msglen);
            if (!pack) lts_pack_free(p);
        }
    } else if (e->ses) {
        if (o && o->apply) rc = o->apply(e, k, msg, msglen);
        if (!rc && (k->flags & REG_F_RESTART)) restart_note(e, k, msg, msglen);
    }
    if (rc) {
        set_val(e, k, old);
        for (size_t i = 0; i < ni; i++)
            set_val(e, implied[i], "false");
    }
out:
    free(old);
    return rc;
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
    char err[512] = "", msg[700], norm[VAL_MAX];
    const struct reg_key *k = session_key(key);
    int rc = k ? validate(k, value, norm, sizeof norm, err, sizeof err) : -EINVAL;
    if (!k) snprintf(err, sizeof err, "unknown setting");
    if (rc >= 0) rc = set_one(c->e, c->pack, k, norm, NULL, NULL, err, sizeof err);
    if (rc < 0) {
        snprintf(msg, sizeof msg, "stored setting %s ignored: %s", key, err);
        eng_log(c->e, "warn", 0, msg);
    }
    return 0;
}

int eng_settings_build(struct eng *e, const struct eng_setting *user, size_t n_user,
                       struct lts_pack *pack, char *err, size_t errlen)
{
    if (!e->val) return -ENOMEM;
    for (size_t i = 0; i < reg_count(); i++) {
        const struct reg_key *k = reg_at(i);
        if (!(k->scope & REG_SESSION) || k->apply != REG_NATIVE) continue;
        int rc = pack_native(e, pack, k, err, errlen);
        if (rc) return rc;
    }
    if (e->st) {
        struct stored_ctx c = {e, pack};
        store_settings_load(e->st, apply_stored, &c);
        store_secrets_load(e->st, apply_stored, &c);
    }
    for (size_t i = 0; i < n_user; i++) {
        char norm[VAL_MAX], msg[512] = "";
        int rc = eng_setting_validate(user[i].key, user[i].value, msg, sizeof msg);
        const struct reg_key *k = session_key(user[i].key);
        if (!rc) rc = validate(k, user[i].value, norm, sizeof norm, msg, sizeof msg);
        if (!rc) rc = set_one(e, pack, k, norm, NULL, NULL, msg, sizeof msg);
        if (rc < 0) {
            snprintf(err, errlen, "%s", msg);
            return rc;
        }
    }
    lts_pack_set_disk_io(pack, disk_io_wanted(e));
    return parse_schedule(e) == -ENOMEM ? -ENOMEM : 0;
}

void eng_settings_start(struct eng *e)
{
    char err[512] = "";
    if (apply_ip_filter(e, err, sizeof err)) log_warn(e, err);
    eng_settings_tick(e);
    if (apply_alt(e, err, sizeof err)) log_warn(e, err);
}

/* The alternative speed schedule: at each change of the schedule's state
 * (and at start) spate.alt_speed follows it; a change by hand holds until
 * the next boundary, like Transmission's scheduler. Called every second and
 * after a schedule change; every tenth call also reloads a blocklist file
 * whose modification time or size changed. */
void eng_settings_tick(struct eng *e)
{
    /* every 10 s: a blocklist file that changed is loaded again */
    if (e && e->ses && ++e->ticks % 10 == 0 && *val(e, "spate.ip_filter_file"))
        ipf_request(e, true); /* the worker compares mtime and size */
    if (!e || !e->alt_sched || !*val(e, "spate.alt_speed_schedule")) {
        if (e) e->sched_known = false;
        return;
    }
    time_t now = e->clock ? e->clock(e->clock_ud) : time(NULL);
    bool on = sched_active(e->alt_sched, now);
    if (e->sched_known && on == e->sched_state) return;
    e->sched_known = true;
    e->sched_state = on;
    if (on == val_true(e, "spate.alt_speed")) return;
    char err[512] = "", line[64];
    set_val(e, reg_find("spate.alt_speed"), on ? "true" : "false");
    if (e->ses && apply_alt(e, err, sizeof err)) log_warn(e, err);
    snprintf(line, sizeof line, "alternative speed limits %s (schedule)", on ? "on" : "off");
    eng_log(e, "info", 0, line);
    eng_emit(e, ENG_EV_SETTINGS, NULL);
}

/* ------------------------------------------------------------- changing */

static void history(struct eng *e, const struct reg_key *k, const char *old, const char *now,
                    const char *source)
{
    if (!e->st || (!old && !now) || (old && now && strcmp(old, now) == 0)) return;
    if (k->type == REG_SECRET) {
        old = old ? "(secret)" : NULL;
        now = now ? "(secret)" : NULL;
    }
    if (store_setting_history_add(e->st, (int64_t)time(NULL), k->key, old, now,
                                  source && *source ? source : "unknown") < 0)
        eng_log(e, "warn", 0, "store: could not record a settings change in the history");
}

static int stored_get(struct eng *e, const struct reg_key *k, char *buf, size_t buflen)
{
    if (!e->st) return 0;
    int rc = k->type == REG_SECRET ? store_secret_get(e->st, k->key, buf, buflen)
                                   : store_setting_get(e->st, k->key, buf, buflen);
    return rc == 0 ? 1 : rc == -ENOENT ? 0 : rc;
}

static int stored_put(struct eng *e, const struct reg_key *k, const char *value, const char *source)
{
    if (!e->st) return 0;
    char old[VAL_MAX];
    int had = stored_get(e, k, old, sizeof old);
    int rc = k->type == REG_SECRET ? store_secret_put(e->st, k->key, value)
                                   : store_setting_put(e->st, k->key, value);
    if (rc < 0) return rc;
    history(e, k, had == 1 ? old : NULL, value, source);
    return 0;
}

/* Validates, applies now; with store, also keeps it in the profile. */
static int change(struct eng *e, const char *key, const char *value, bool store, const char *source,
                  char *err, size_t errlen)
{
    if (!e || !key || !value) return -EINVAL;
    char norm[VAL_MAX], msg[1024] = "";
    int rc = eng_setting_validate(key, value, msg, sizeof msg);
    const struct reg_key *k = session_key(key);
    const struct reg_key *implied[2];
    size_t ni = 0;
    if (!rc) rc = validate(k, value, norm, sizeof norm, msg, sizeof msg);
    if (!rc) rc = set_one(e, NULL, k, norm, implied, &ni, msg, sizeof msg);
    snprintf(err, errlen, "%s", msg);
    if (rc) return rc;
    if (store) {
        rc = stored_put(e, k, norm, source);
        for (size_t i = 0; !rc && i < ni; i++)
            rc = stored_put(e, implied[i], "true", source);
        if (rc) {
            snprintf(err, errlen, "applied, but the store could not save %s", key);
            rc = -EIO;
        }
    }
    eng_refresh_cached(e);
    eng_emit(e, ENG_EV_SETTINGS, NULL);
    return rc;
}

int eng_setting_set(struct eng *e, const char *key, const char *value, char *err, size_t errlen)
{
    return change(e, key, value, false, NULL, err, errlen);
}

int eng_setting_store(struct eng *e, const char *key, const char *value, const char *source,
                      char *err, size_t errlen)
{
    return change(e, key, value, true, source, err, errlen);
}

int eng_setting_stored(struct eng *e, const char *key, char *buf, size_t buflen)
{
    if (!e || !key || !buf || !buflen) return -EINVAL;
    const struct reg_key *k = session_key(key);
    return k ? stored_get(e, k, buf, buflen) : -EINVAL;
}

int eng_setting_reset(struct eng *e, const char *key, const char *source, char *err, size_t errlen)
{
    if (!e || !key) return -EINVAL;
    const struct reg_key *k = session_key(key);
    char def[VAL_MAX];
    if (!k || default_of(k, def, sizeof def)) {
        snprintf(err, errlen, "unknown setting '%.100s'", key);
        return -EINVAL;
    }
    int rc = change(e, key, def, false, NULL, err, errlen);
    if (rc) return rc;
    char old[VAL_MAX];
    if (stored_get(e, k, old, sizeof old) == 1) {
        rc = k->type == REG_SECRET ? store_secret_delete(e->st, key)
                                   : store_setting_delete(e->st, key);
        if (rc == 0) history(e, k, old, NULL, source);
    }
    return 0;
}

/* ------------------------------------------------------------- reading */

int eng_setting_get(struct eng *e, const char *key, char *buf, size_t buflen)
{
    if (!e || !key || !buf || !buflen) return -EINVAL;
    const struct reg_key *k = session_key(key);
    if (!k) return -EINVAL;
    return snprintf(buf, buflen, "%s",
                    k->apply == REG_NATIVE ? effective(e, k) : e->val[reg_index(k)]) < (int)buflen
               ? 0
               : -ERANGE;
}

int eng_setting_native(struct eng *e, const char *key, char *buf, size_t buflen)
{
    if (!e || !key || !buf || !buflen) return -EINVAL;
    const struct reg_key *k = session_key(key);
    if (!k) return -EINVAL;
    buf[0] = '\0';
    if (k->apply == REG_NATIVE) {
        char raw[VAL_MAX];
        int rc = lts_get_setting(e->ses, k->key, raw, sizeof raw);
        if (rc) return rc;
        const char *name = k->type == REG_ENUM ? reg_enum_name(k, atoi(raw)) : NULL;
        snprintf(buf, buflen, "%s", name ? name : raw);
        return 1;
    }
    const struct session_ops *o = ops_of(k);
    return o && o->native ? o->native(e, k, buf, buflen) : 0;
}

int eng_setting_row(struct eng *e, const char *key, struct eng_setting_row *row)
{
    if (!e || !key || !row) return -EINVAL;
    const struct reg_key *k = session_key(key);
    if (!k) return -EINVAL;
    memset(row, 0, sizeof *row);
    row->k = k;
    int rc = eng_setting_get(e, key, row->effective, sizeof row->effective);
    if (!rc) rc = default_of(k, row->def, sizeof row->def);
    if (!rc) {
        int has = stored_get(e, k, row->stored, sizeof row->stored);
        if (has < 0) return has;
        row->has_stored = has == 1;
        has = eng_setting_native(e, key, row->native, sizeof row->native);
        if (has < 0) return has;
        row->has_native = has == 1;
    }
    if (rc) return rc;
    row->is_default = strcmp(row->effective, row->def) == 0;
    if (k->type == REG_SECRET) {
        /* never printed: only whether one is set */
        static const char *const hide = "(set)";
        if (*row->effective) snprintf(row->effective, sizeof row->effective, "%s", hide);
        if (row->has_stored && *row->stored) snprintf(row->stored, sizeof row->stored, "%s", hide);
        if (*row->native) snprintf(row->native, sizeof row->native, "%s", hide);
    }
    return 0;
}

struct hist_ctx {
    const char *key;
    int left;
    eng_history_fn cb;
    void *ud;
};

static int hist_one(int64_t time, const char *key, const char *old, const char *now,
                    const char *source, void *ud)
{
    struct hist_ctx *c = ud;
    if (c->key && strcmp(c->key, key) != 0) return 0;
    int rc = c->cb(time, key, old, now, source, c->ud);
    return rc ? rc : --c->left == 0 ? 1 : 0;
}

int eng_setting_history(struct eng *e, const char *key, int limit, eng_history_fn cb, void *ud)
{
    if (!e || !cb) return -EINVAL;
    if (!e->st) return 0;
    struct hist_ctx c = {key, limit > 0 ? limit : -1, cb, ud};
    int rc = store_setting_history_load(e->st, key ? 0 : limit, hist_one, &c);
    return rc < 0 ? rc : 0;
}

long eng_ip_filter_ranges(const struct eng *e)
{
    return e ? e->ip_filter_ranges : 0;
}

void eng_refresh_cached(struct eng *e)
{
    char buf[16];
    e->dht_enabled =
        lts_get_setting(e->ses, "enable_dht", buf, sizeof buf) == 0 && strcmp(buf, "true") == 0;
}
