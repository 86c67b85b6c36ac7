/*
 * test_registry.c — the settings registry: validation, clamping and
 * normalization of every type, and the native read-back of every session
 * key on a real libtorrent session (loopback only, DHT/LSD/UPnP/NAT-PMP
 * off), the alternative speed schedule on an injected clock, and the
 * combination rules.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "engine/engine.h"
#include "engine/registry.h"
#include "fixture.h"
#include "store/store.h"

/* ------------------------------------------------------------ pure table */

static void test_every_key_is_well_formed(void **state)
{
    (void)state;
    assert_true(reg_count() > 80);
    for (size_t i = 0; i < reg_count(); i++) {
        const struct reg_key *k = reg_at(i);
        assert_non_null(k->key);
        assert_true(reg_is_group(k->group));
        assert_non_null(k->help);
        assert_true(strlen(k->help) > 10);
        assert_true(k->scope & (REG_SESSION | REG_TORRENT));
        assert_ptr_equal(reg_find(k->key), k);
        assert_int_equal(reg_index(k), i);
        if (k->type == REG_INT) assert_true(k->min <= k->max);
        if (k->type == REG_ENUM) assert_non_null(k->enums);
        /* spate's own names only for spate's features */
        if (k->apply == REG_OWN || (k->apply == REG_DERIVED && (k->scope & REG_SESSION)))
            assert_true(strncmp(k->key, "spate.", 6) == 0 || k->scope == REG_TORRENT);
        /* a default is already normalized */
        char def[4096], norm[4096], msg[512];
        if (eng_setting_default(k->key, def, sizeof def) == 0) {
            assert_int_equal(reg_normalize(k, def, norm, sizeof norm, msg, sizeof msg), 0);
            if (strcmp(norm, def) != 0)
                fail_msg("%s: default '%s' normalizes to '%s'", k->key, def, norm);
        } else {
            fail_msg("%s: no default", k->key);
        }
    }
    assert_null(reg_find("no_such_key"));
    assert_null(reg_find(NULL));
}

/* The flags front ends read instead of a key's name (issue 11): each on
 * the keys that need it, and only where it makes sense. */
static void test_flags_say_what_names_used_to(void **state)
{
    (void)state;
    static const struct {
        const char *key;
        unsigned flags;
    } want[] = {
        {"trackers", REG_F_LIST | REG_F_TIERS | REG_F_NO_RESET},
        {"spate.default_trackers", REG_F_TIERS},
        {"web_seeds", REG_F_LIST | REG_F_NO_RESET},
        {"save_path", REG_F_NO_RESET},
        {"first_last_piece", REG_F_NEEDS_METADATA},
        {"storage_mode", REG_F_ADD_ONLY},
        {"tags", REG_F_LIST},
        {"spate.disk_io", REG_F_RESTART},
        {"listen_interfaces", REG_F_SSL_PORTS},
        {"category", REG_F_CATEGORY},
    };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        const struct reg_key *k = reg_find(want[i].key);
        assert_non_null(k);
        if (k->flags != want[i].flags)
            fail_msg("%s: flags %#x, want %#x", k->key, k->flags, want[i].flags);
    }
    const unsigned torrent_only =
        REG_F_LIST | REG_F_ADD_ONLY | REG_F_NO_RESET | REG_F_NEEDS_METADATA | REG_F_CATEGORY;
    for (size_t i = 0; i < reg_count(); i++) {
        const struct reg_key *k = reg_at(i);
        if ((k->flags & torrent_only) && k->scope != REG_TORRENT)
            fail_msg("%s: a per-torrent flag on a session key", k->key);
        if ((k->flags & REG_F_RESTART) && k->scope != REG_SESSION)
            fail_msg("%s: restart-only per torrent", k->key);
        if ((k->flags & REG_F_TIERS) && k->type != REG_URLS)
            fail_msg("%s: tiers on a list that is not of URLs", k->key);
        if ((k->flags & REG_F_SSL_PORTS) && k->type != REG_HOSTPORTS)
            fail_msg("%s: SSL ports on a value that is not host:port", k->key);
    }
    /* only a REG_F_SSL_PORTS key takes libtorrent's "s" (SSL) port suffix
     * (listen_interfaces: test_list_values) */
    char out[256], msg[256] = "";
    assert_int_equal(reg_normalize(reg_find("dht_bootstrap_nodes"), "a.b:6881s", out, sizeof out,
                                   msg, sizeof msg),
                     -EINVAL);
}

/* normalize(key, in) must give want (rc: 0 taken, 1 clamped). */
static void norm_ok(const char *key, const char *in, const char *want, int want_rc)
{
    char out[4096], msg[512] = "";
    const struct reg_key *k = reg_find(key);
    assert_non_null(k);
    int rc = reg_normalize(k, in, out, sizeof out, msg, sizeof msg);
    if (rc != want_rc) fail_msg("%s=%s: rc %d (%s), want %d", key, in, rc, msg, want_rc);
    assert_string_equal(out, want);
    if (want_rc == 1) assert_non_null(strstr(msg, "clamped"));
}

static void norm_bad(const char *key, const char *in)
{
    char out[4096], msg[512] = "";
    const struct reg_key *k = reg_find(key);
    assert_non_null(k);
    int rc = reg_normalize(k, in, out, sizeof out, msg, sizeof msg);
    if (rc != -EINVAL) fail_msg("%s='%s' accepted (rc %d, '%s')", key, in, rc, out);
    assert_non_null(strstr(msg, key));
    assert_null(strchr(msg, '\n'));
}

static void test_bool_values(void **state)
{
    (void)state;
    norm_ok("enable_dht", "YES", "true", 0);
    norm_ok("enable_dht", "off", "false", 0);
    norm_ok("enable_dht", "1", "true", 0);
    norm_bad("enable_dht", "");
    norm_bad("enable_dht", "2");
    norm_bad("enable_dht", "truee");
}

static void test_int_values_are_clamped(void **state)
{
    (void)state;
    norm_ok("connections_limit", "0070", "70", 0);
    norm_ok("connections_limit", "1", "2", 1);
    norm_ok("connections_limit", "100000", "65535", 1);
    norm_ok("connections_limit", "-5", "2", 1);
    norm_ok("peer_dscp", "64", "63", 1);
    norm_ok("download_rate_limit", "99999999999999999999999", "2147483647", 1);
    norm_ok("unchoke_slots_limit", "-1", "-1", 0);
    norm_bad("connections_limit", "");
    norm_bad("connections_limit", "12abc");
    norm_bad("connections_limit", " 12");
    norm_bad("connections_limit", "1.5");
    norm_bad("connections_limit", "0x10");
}

static void test_enum_values(void **state)
{
    (void)state;
    norm_ok("out_enc_policy", "pe_forced", "pe_forced", 0);
    norm_ok("out_enc_policy", "PE_DISABLED", "pe_disabled", 0);
    norm_ok("out_enc_policy", "1", "pe_enabled", 0);
    norm_ok("choking_algorithm", "2", "rate_based_choker", 0);
    norm_bad("choking_algorithm", "1"); /* no such value in libtorrent 2.0 */
    norm_bad("choking_algorithm", "bittyrant_choker");
    norm_bad("proxy_type", "https"); /* libtorrent has no HTTPS proxy type */
    norm_bad("proxy_type", "");
    norm_ok("spate.seed_limit_action", "Remove", "remove", 0);
}

static void test_string_values(void **state)
{
    (void)state;
    norm_ok("user_agent", "x/1", "x/1", 0);
    norm_ok("announce_ip", "", "", 0);
    norm_ok("announce_ip", "::1", "::1", 0);
    norm_bad("announce_ip", "example.org");
    norm_ok("peer_fingerprint", "-XX0001-", "-XX0001-", 0);
    norm_bad("peer_fingerprint", "-XX01-");
    norm_bad("user_agent", "a\nb");
    char big[400];
    memset(big, 'a', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    norm_bad("user_agent", big);
    norm_ok("proxy_password", "s3cret", "s3cret", 0);
    norm_bad("proxy_hostname", "a,b");
    norm_ok("spate.mount_dir", "/tmp/x", "/tmp/x", 0);
    norm_bad("spate.mount_dir", "relative/dir");
}

static void test_list_values(void **state)
{
    (void)state;
    norm_ok("listen_interfaces", " 0.0.0.0:6881 , [::]:6881,lo:7000s ",
            "0.0.0.0:6881,[::]:6881,lo:7000s", 0);
    norm_ok("listen_interfaces", "127.0.0.1:1,127.0.0.1:1", "127.0.0.1:1", 0);
    norm_bad("listen_interfaces", "127.0.0.1");
    norm_bad("listen_interfaces", "127.0.0.1:70000");
    norm_bad("listen_interfaces", "[fe80::zz]:1");
    norm_bad("dht_bootstrap_nodes", "router.example:1s"); /* SSL suffix only for listening */
    norm_ok("dht_bootstrap_nodes", "", "", 0);
    norm_ok("spate.default_trackers", "http://a/announce udp://b:1|https://c/x",
            "http://a/announce,udp://b:1|https://c/x", 0);
    norm_bad("spate.default_trackers", "ftp://a/announce");
    norm_ok("spate.ip_filter", "10.1.2.3/8, ::1, 1.2.3.4-1.2.3.9", "10.0.0.0/8,::1,1.2.3.4-1.2.3.9",
            0);
    norm_bad("spate.ip_filter", "10.0.0.0/33");
    norm_ok("spate.alt_speed_schedule", "Mon-Fri 8:00-18:00", "mon-fri 08:00-18:00", 0);
    norm_bad("spate.alt_speed_schedule", "mon 25:00-26:00");
}

/* --------------------------------------------------- on a real session */

/* A valid value for k that differs from its default (NULL: the key can
 * only be tested at the value the tests already use, e.g. LSD stays off). */
static const char *other_value(struct fx *f, const struct reg_key *k, char *buf, size_t buflen)
{
    char def[4096];
    assert_int_equal(eng_setting_default(k->key, def, sizeof def), 0);
    static const struct {
        const char *key, *value;
    } fixed[] = {
        /* network safety: no discovery, nothing off loopback */
        {"enable_dht", "false"},
        {"enable_lsd", NULL},
        {"enable_upnp", NULL},
        {"enable_natpmp", NULL},
        {"listen_interfaces", "127.0.0.1:0"},
        {"outgoing_interfaces", "lo"},
        {"announce_ip", "127.0.0.2"},
        {"peer_fingerprint", "-TT0001-"},
        {"dht_bootstrap_nodes", "127.0.0.1:1"},
        {"proxy_type", "socks5"},
        {"proxy_hostname", "127.0.0.1"},
        {"i2p_hostname", "127.0.0.1"},
        {"spate.ip_filter", "10.9.0.0/16,192.0.2.1"},
        {"spate.default_trackers", "http://127.0.0.1:1/announce"},
        {"spate.tracker_auth", "127.0.0.1=user:pw"},
        {"spate.alt_speed_schedule", "sat 10:00-11:00"},
        {"spate.mount_dir", "/tmp/spate-reg-mnt"},
        {"spate.storage_mode", "allocate"},
    };
    for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++)
        if (strcmp(fixed[i].key, k->key) == 0) return fixed[i].value;
    if (strcmp(k->key, "spate.ip_filter_file") == 0) {
        snprintf(buf, buflen, "%s/block.p2p", f->dir);
        FILE *fp = fopen(buf, "w");
        assert_non_null(fp);
        fputs("# test\nsome range:10.7.0.0-10.7.255.255\n", fp);
        fclose(fp);
        return buf;
    }
    switch (k->type) {
    case REG_BOOL:
        return strcmp(def, "true") == 0 ? "false" : "true";
    case REG_INT: {
        long long v = atoll(def);
        long long o = v + 7 <= k->max ? v + 7 : v - 7 >= k->min ? v - 7 : k->min;
        snprintf(buf, buflen, "%lld", o);
        return buf;
    }
    case REG_ENUM:
        for (const struct reg_enum *e = k->enums; e->name; e++)
            if (strcmp(e->name, def) != 0 && strcmp(e->name, "i2p_proxy") != 0) return e->name;
        return NULL;
    default:
        snprintf(buf, buflen, "%.200s-test", *def ? def : "x");
        return buf;
    }
}

/* The blocklist file's load on the threadpool has reported. */
static bool ipf_loaded(struct fx *f, int id)
{
    (void)id;
    return !eng_ip_filter_loading(f->e);
}

static void check_row(struct fx *f, const struct reg_key *k, const char *want)
{
    struct eng_setting_row *r = malloc(sizeof *r);
    assert_non_null(r);
    assert_int_equal(eng_setting_row(f->e, k->key, r), 0);
    if (k->type == REG_SECRET) {
        assert_string_equal(r->effective, "(set)");
        assert_string_equal(r->stored, "(set)");
        /* tracker logins are native only in torrents' tracker URLs */
        if (strcmp(k->key, "spate.tracker_auth") != 0 || f->e == NULL || *r->native)
            assert_string_equal(r->native, "(set)");
    } else if (want) {
        if (strcmp(r->effective, want) != 0)
            fail_msg("%s: effective '%s', want '%s'", k->key, r->effective, want);
        if (!r->has_stored || strcmp(r->stored, want) != 0)
            fail_msg("%s: stored '%s', want '%s'", k->key, r->stored, want);
    }
    if (k->apply == REG_NATIVE) {
        assert_true(r->has_native);
        if (strcmp(r->native, r->effective) != 0)
            fail_msg("%s: libtorrent reports '%s', effective '%s'", k->key, r->native,
                     r->effective);
    }
    if (k->apply == REG_OWN) assert_false(r->has_native);
    free(r);
}

/* Every session key: a non-default value is applied, stored, and
 * libtorrent reports it back; then again after a restart (the stored
 * profile is applied at start). */
static void test_every_key_reads_back_natively(void **state)
{
    struct fx *f = *state;
    char(*want)[4096] = calloc(reg_count(), sizeof *want);
    assert_non_null(want);
    size_t n_tested = 0, n_session = 0;
    for (size_t i = 0; i < reg_count(); i++) {
        const struct reg_key *k = reg_at(i);
        if (!(k->scope & REG_SESSION)) continue;
        n_session++;
        char buf[4096], msg[1024] = "", norm[4096];
        const char *v = other_value(f, k, buf, sizeof buf);
        if (!v) continue;
        int rc = eng_setting_store(f->e, k->key, v, "test", msg, sizeof msg);
        if (rc) fail_msg("%s=%s: %d %s", k->key, v, rc, msg);
        assert_true(reg_normalize(k, v, norm, sizeof norm, msg, sizeof msg) >= 0);
        snprintf(want[i], sizeof want[i], "%s", norm);
        check_row(f, k, norm);
        n_tested++;
    }
    /* all but LSD, UPnP and NAT-PMP, which stay off (loopback only) */
    assert_int_equal(n_tested, n_session - 3);
    assert_true(n_session >= 70);
    /* anonymous_mode with a proxy turned these back on (combination rule) */
    snprintf(want[reg_index(reg_find("proxy_peer_connections"))], 4096, "true");
    snprintf(want[reg_index(reg_find("proxy_tracker_connections"))], 4096, "true");
    /* a later key may not undo an earlier one (alternative speed is off:
     * its schedule is Saturday and the clock is 1970's Thursday) */
    f->now = 0;
    eng_settings_tick(f->e);
    for (size_t i = 0; i < reg_count(); i++)
        if (want[i][0] || reg_at(i)->type == REG_BOOL) {
            if (!(reg_at(i)->scope & REG_SESSION) || !want[i][0]) continue;
            check_row(f, reg_at(i),
                      strcmp(reg_at(i)->key, "spate.alt_speed") == 0 ? NULL : want[i]);
        }
    /* derived keys: libtorrent's ip_filter holds the inline list's two
     * ranges and the file's one (the file is parsed on the threadpool) */
    char nat[256];
    assert_true(fx_run_until(f, ipf_loaded, 0, 10000));
    assert_int_equal(eng_setting_native(f->e, "spate.ip_filter", nat, sizeof nat), 1);
    assert_string_equal(nat, "3 blocked ranges");
    assert_int_equal(eng_ip_filter_ranges(f->e), 3);

    /* after a restart the stored profile is in force again */
    fx_close_engine(f);
    assert_int_equal(fx_open_engine(f), 0);
    for (size_t i = 0; i < reg_count(); i++) {
        const struct reg_key *k = reg_at(i);
        if (!(k->scope & REG_SESSION) || !want[i][0]) continue;
        if (strcmp(k->key, "spate.alt_speed") == 0) continue; /* the schedule decides */
        /* --set of the fixture wins over the profile for these */
        if (!fx_sets_key(k->key)) check_row(f, k, want[i]);
    }
    /* restart-only: the session now runs on the backend stored before */
    assert_int_equal(eng_setting_native(f->e, "spate.disk_io", nat, sizeof nat), 1);
    assert_string_equal(nat, want[reg_index(reg_find("spate.disk_io"))]);
    free(want);
}

/* spate.disk_io is chosen when the session is created: a change is stored
 * and reported as restart-only, libtorrent keeps the backend in use (the
 * native value), and after a restart the new one is in use. */
static void test_disk_io_is_restart_only(void **state)
{
    struct fx *f = *state;
    char msg[512] = "", nat[64], eff[64];
    assert_int_equal(eng_setting_native(f->e, "spate.disk_io", nat, sizeof nat), 1);
    assert_string_equal(nat, "posix"); /* the default */
    assert_int_equal(eng_setting_store(f->e, "spate.disk_io", "mmap", "t", msg, sizeof msg), 0);
    if (!strstr(msg, "restart-only") || !strstr(msg, "next start"))
        fail_msg("no restart-only message: '%s'", msg);
    assert_int_equal(eng_setting_get(f->e, "spate.disk_io", eff, sizeof eff), 0);
    assert_string_equal(eff, "mmap");
    assert_int_equal(eng_setting_native(f->e, "spate.disk_io", nat, sizeof nat), 1);
    assert_string_equal(nat, "posix");
    /* back to the backend in use: nothing to wait for, no message */
    msg[0] = '\0';
    assert_int_equal(eng_setting_store(f->e, "spate.disk_io", "posix", "t", msg, sizeof msg), 0);
    assert_string_equal(msg, "");
    assert_int_equal(eng_setting_store(f->e, "spate.disk_io", "mmap", "t", msg, sizeof msg), 0);
    fx_close_engine(f);
    assert_int_equal(fx_open_engine(f), 0);
    assert_int_equal(eng_setting_native(f->e, "spate.disk_io", nat, sizeof nat), 1);
    assert_string_equal(nat, "mmap");
    assert_int_equal(eng_setting_get(f->e, "spate.disk_io", eff, sizeof eff), 0);
    assert_string_equal(eff, "mmap");
}

static void test_alt_speed_follows_schedule_on_injected_clock(void **state)
{
    struct fx *f = *state;
    char msg[512], nat[64];
    /* 2026-11-23 is a Monday */
    struct tm tm = {
        .tm_year = 126, .tm_mon = 10, .tm_mday = 23, .tm_hour = 9, .tm_min = 59, .tm_sec = 59};
    time_t boundary_minus_1 = timegm(&tm);
    f->now = boundary_minus_1;
    assert_int_equal(eng_setting_store(f->e, "download_rate_limit", "500000", "t", msg, sizeof msg),
                     0);
    assert_int_equal(
        eng_setting_store(f->e, "spate.alt_download_rate_limit", "1000", "t", msg, sizeof msg), 0);
    assert_int_equal(
        eng_setting_store(f->e, "spate.alt_upload_rate_limit", "2000", "t", msg, sizeof msg), 0);
    assert_int_equal(eng_setting_store(f->e, "spate.alt_speed_schedule", "mon 10:00-11:00", "t",
                                       msg, sizeof msg),
                     0);
    eng_settings_tick(f->e);
    assert_int_equal(eng_setting_native(f->e, "download_rate_limit", nat, sizeof nat), 1);
    assert_string_equal(nat, "500000");
    assert_int_equal(eng_setting_int(f->e, "spate.alt_speed"), 0);

    f->now = boundary_minus_1 + 2; /* 10:00:01 */
    eng_settings_tick(f->e);
    assert_int_equal(eng_setting_native(f->e, "download_rate_limit", nat, sizeof nat), 1);
    assert_string_equal(nat, "1000");
    assert_int_equal(eng_setting_native(f->e, "upload_rate_limit", nat, sizeof nat), 1);
    assert_string_equal(nat, "2000");
    char eff[64];
    assert_int_equal(eng_setting_get(f->e, "download_rate_limit", eff, sizeof eff), 0);
    assert_string_equal(eff, "1000");

    /* by hand: off until the next boundary */
    assert_int_equal(eng_setting_set(f->e, "spate.alt_speed", "false", msg, sizeof msg), 0);
    f->now += 600;
    eng_settings_tick(f->e);
    assert_int_equal(eng_setting_native(f->e, "download_rate_limit", nat, sizeof nat), 1);
    assert_string_equal(nat, "500000");

    /* 11:00:01: the range ends (already off), next Monday 10:00 on again */
    f->now = boundary_minus_1 + 3600 + 2;
    eng_settings_tick(f->e);
    assert_int_equal(eng_setting_int(f->e, "spate.alt_speed"), 0);
    f->now = boundary_minus_1 + 7 * 86400 + 2;
    eng_settings_tick(f->e);
    assert_int_equal(eng_setting_int(f->e, "spate.alt_speed"), 1);
    assert_int_equal(eng_setting_native(f->e, "download_rate_limit", nat, sizeof nat), 1);
    assert_string_equal(nat, "1000");

    /* the schedule removed: alternative speed stays as it is, by hand off */
    assert_int_equal(eng_setting_reset(f->e, "spate.alt_speed_schedule", "t", msg, sizeof msg), 0);
    assert_int_equal(eng_setting_set(f->e, "spate.alt_speed", "off", msg, sizeof msg), 0);
    f->now += 86400;
    eng_settings_tick(f->e);
    assert_int_equal(eng_setting_native(f->e, "download_rate_limit", nat, sizeof nat), 1);
    assert_string_equal(nat, "500000");
}

static void test_clamped_value_is_stored_clamped_with_a_message(void **state)
{
    struct fx *f = *state;
    char msg[512] = "", buf[64];
    assert_int_equal(eng_setting_store(f->e, "connections_limit", "999999", "t", msg, sizeof msg),
                     0);
    assert_non_null(strstr(msg, "65535"));
    assert_int_equal(eng_setting_stored(f->e, "connections_limit", buf, sizeof buf), 1);
    assert_string_equal(buf, "65535");
    assert_int_equal(eng_setting_native(f->e, "connections_limit", buf, sizeof buf), 1);
    assert_string_equal(buf, "65535");
}

static void test_bad_values_change_nothing(void **state)
{
    struct fx *f = *state;
    static const char *const bad[][2] = {
        {"connections_limit", "many"}, {"out_enc_policy", "pe_sometimes"},
        {"proxy_type", "https"},       {"listen_interfaces", "127.0.0.1"},
        {"spate.ip_filter", "1.2.3"},  {"spate.ip_filter_file", "/nonexistent/list.dat"},
        {"announce_ip", "nowhere"},    {"no_such_setting", "1"},
        {"download_limit", "5"}, /* per-torrent key */
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char before[4096] = "", after[4096] = "", msg[512] = "";
        eng_setting_get(f->e, bad[i][0], before, sizeof before);
        assert_int_equal(eng_setting_store(f->e, bad[i][0], bad[i][1], "t", msg, sizeof msg),
                         -EINVAL);
        assert_true(msg[0] != '\0');
        assert_null(strchr(msg, '\n'));
        eng_setting_get(f->e, bad[i][0], after, sizeof after);
        assert_string_equal(before, after);
        assert_int_equal(eng_setting_stored(f->e, bad[i][0], after, sizeof after) == 1, 0);
    }
}

static void test_anonymous_mode_with_proxy_keeps_traffic_on_the_proxy(void **state)
{
    struct fx *f = *state;
    char msg[512] = "", nat[64];
    assert_int_equal(
        eng_setting_store(f->e, "proxy_peer_connections", "false", "t", msg, sizeof msg), 0);
    assert_int_equal(eng_setting_store(f->e, "proxy_hostname", "127.0.0.1", "t", msg, sizeof msg),
                     0);
    assert_int_equal(eng_setting_store(f->e, "proxy_type", "socks5", "t", msg, sizeof msg), 0);
    msg[0] = '\0';
    assert_int_equal(eng_setting_store(f->e, "anonymous_mode", "true", "t", msg, sizeof msg), 0);
    assert_non_null(strstr(msg, "proxy_peer_connections set to true"));
    assert_int_equal(eng_setting_native(f->e, "proxy_peer_connections", nat, sizeof nat), 1);
    assert_string_equal(nat, "true");
    assert_int_equal(eng_setting_stored(f->e, "proxy_peer_connections", nat, sizeof nat), 1);
    assert_string_equal(nat, "true");
    /* and may not be turned off while both are on */
    assert_int_equal(
        eng_setting_store(f->e, "proxy_tracker_connections", "false", "t", msg, sizeof msg),
        -EINVAL);
    assert_non_null(strstr(msg, "anonymous_mode"));
    assert_int_equal(eng_setting_native(f->e, "proxy_tracker_connections", nat, sizeof nat), 1);
    assert_string_equal(nat, "true");
    /* without a proxy it may */
    assert_int_equal(eng_setting_store(f->e, "proxy_type", "none", "t", msg, sizeof msg), 0);
    assert_int_equal(
        eng_setting_store(f->e, "proxy_tracker_connections", "false", "t", msg, sizeof msg), 0);
}

static void test_secret_is_stored_apart_and_never_shown(void **state)
{
    struct fx *f = *state;
    char msg[512], buf[256];
    assert_int_equal(eng_setting_store(f->e, "proxy_password", "hunter2", "t", msg, sizeof msg), 0);
    assert_int_equal(store_setting_get(f->st, "proxy_password", buf, sizeof buf), -ENOENT);
    assert_int_equal(store_secret_get(f->st, "proxy_password", buf, sizeof buf), 0);
    assert_string_equal(buf, "hunter2");
    assert_int_equal(eng_setting_native(f->e, "proxy_password", buf, sizeof buf), 1);
    assert_string_equal(buf, "hunter2"); /* libtorrent has it */
    struct eng_setting_row *r = malloc(sizeof *r);
    assert_non_null(r);
    assert_int_equal(eng_setting_row(f->e, "proxy_password", r), 0);
    assert_null(strstr(r->effective, "hunter2"));
    assert_null(strstr(r->stored, "hunter2"));
    assert_null(strstr(r->native, "hunter2"));
    free(r);
}

static bool is_seeding(struct fx *f, int id)
{
    const struct eng_torrent *t = eng_torrent_by_id(f->e, id);
    return t && t->state == ENG_STATE_SEEDING;
}

static bool is_paused(struct fx *f, int id)
{
    const struct eng_torrent *t = eng_torrent_by_id(f->e, id);
    return t && t->user_paused;
}

/* A one-piece .torrent (its data need not exist: it is added in seed mode). */
static void write_torrent(const char *path, const char *name)
{
    FILE *fp = fopen(path, "wb");
    assert_non_null(fp);
    fprintf(fp,
            "d4:infod6:lengthi16384e4:name%zu:%s12:piece lengthi16384e6:pieces20:", strlen(name),
            name);
    fputs("BBBBBBBBBBBBBBBBBBBBee", fp);
    fclose(fp);
}

static int add_seed(struct fx *f, const char *name, const struct eng_setting *opts, size_t n_opts)
{
    char path[160], err[512] = "";
    snprintf(path, sizeof path, "%s/%s.torrent", f->dir, name);
    write_torrent(path, name);
    /* the file, at its size: seed mode trusts its content */
    char data[160];
    snprintf(data, sizeof data, "%s/%s", f->dl, name);
    FILE *fp = fopen(data, "wb");
    assert_non_null(fp);
    assert_int_equal(ftruncate(fileno(fp), 16384), 0);
    fclose(fp);
    struct eng_add_params p = {.source = path, .seed_mode = true, .opts = opts, .n_opts = n_opts};
    int id = 0;
    if (eng_add(f->e, &p, &id, err, sizeof err) != 0) fail_msg("add: %s", err);
    return id;
}

/* Per-torrent settings given on add are applied and read back from
 * libtorrent; a bad one refuses the whole add. */
static void test_add_opts_read_back(void **state)
{
    struct fx *f = *state;
    const struct eng_setting opts[] = {
        {"download_limit", "100000"},
        {"upload_limit", "200000"},
        {"max_connections", "20"},
        {"sequential_download", "yes"},
        {"pex", "false"},
        {"trackers", "http://127.0.0.1:1/a|http://127.0.0.1:2/b"},
        {"tags", " x, y ,x"},
        {"storage_mode", "allocate"},
    };
    int id = add_seed(f, "opts", opts, sizeof opts / sizeof opts[0]);
    const char *want[][2] = {
        {"download_limit", "100000"},
        {"upload_limit", "200000"},
        {"max_connections", "20"},
        {"sequential_download", "true"},
        {"pex", "false"},
        {"super_seeding", "false"},
        {"trackers", "http://127.0.0.1:1/a|http://127.0.0.1:2/b"},
        {"tags", "x,y"},
        {"storage_mode", "allocate"},
    };
    char buf[512];
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        assert_int_equal(eng_torrent_opt_get(f->e, id, want[i][0], buf, sizeof buf), 0);
        if (strcmp(buf, want[i][1]) != 0)
            fail_msg("%s: '%s' want '%s'", want[i][0], buf, want[i][1]);
    }
    /* after add: limits clamped, list edits */
    char msg[512] = "";
    assert_int_equal(eng_torrent_opt_set(f->e, id, "max_uploads", "999999", msg, sizeof msg), 0);
    assert_non_null(strstr(msg, "clamped"));
    assert_int_equal(eng_torrent_opt_get(f->e, id, "max_uploads", buf, sizeof buf), 0);
    assert_string_equal(buf, "65535");
    assert_int_equal(
        eng_torrent_opt_set(f->e, id, "trackers", "-http://127.0.0.1:1/a", msg, sizeof msg), 0);
    assert_int_equal(
        eng_torrent_opt_set(f->e, id, "trackers", "+udp://127.0.0.3:3", msg, sizeof msg), 0);
    assert_int_equal(eng_torrent_opt_get(f->e, id, "trackers", buf, sizeof buf), 0);
    assert_string_equal(buf, "http://127.0.0.1:2/b|udp://127.0.0.3:3");
    /* removing the last tracker of a tier keeps the tiers apart */
    assert_int_equal(eng_torrent_opt_set(f->e, id, "trackers",
                                         "http://127.0.0.4/x,http://127.0.0.5/y|http://127.0.0.6/z",
                                         msg, sizeof msg),
                     0);
    assert_int_equal(
        eng_torrent_opt_set(f->e, id, "trackers", "-http://127.0.0.5/y", msg, sizeof msg), 0);
    assert_int_equal(eng_torrent_opt_get(f->e, id, "trackers", buf, sizeof buf), 0);
    assert_string_equal(buf, "http://127.0.0.4/x|http://127.0.0.6/z");
    assert_int_equal(
        eng_torrent_opt_set(f->e, id, "web_seeds", "http://127.0.0.1:4/w", msg, sizeof msg), 0);
    assert_int_equal(eng_torrent_opt_get(f->e, id, "web_seeds", buf, sizeof buf), 0);
    assert_string_equal(buf, "http://127.0.0.1:4/w");
    assert_int_equal(eng_torrent_opt_set(f->e, id, "super_seeding", "on", msg, sizeof msg), 0);
    assert_int_equal(eng_torrent_opt_get(f->e, id, "super_seeding", buf, sizeof buf), 0);
    assert_string_equal(buf, "true");
    /* bad values change nothing */
    assert_int_equal(eng_torrent_opt_set(f->e, id, "download_limit", "lots", msg, sizeof msg),
                     -EINVAL);
    assert_int_equal(eng_torrent_opt_set(f->e, id, "trackers", "+ftp://x", msg, sizeof msg),
                     -EINVAL);
    assert_int_equal(eng_torrent_opt_set(f->e, id, "category", "nope", msg, sizeof msg), -EINVAL);
    assert_int_equal(eng_torrent_opt_set(f->e, id, "enable_dht", "true", msg, sizeof msg), -EINVAL);
    assert_int_equal(eng_torrent_opt_set(f->e, id, "storage_mode", "sparse", msg, sizeof msg),
                     -EINVAL);
    assert_int_equal(eng_torrent_opt_get(f->e, id, "download_limit", buf, sizeof buf), 0);
    assert_string_equal(buf, "100000");
    /* a bad opt on add adds nothing */
    size_t n = eng_torrent_count(f->e);
    const struct eng_setting bad[] = {{"upload_limit", "1"}, {"pex", "sometimes"}};
    char path[160], err[512] = "";
    snprintf(path, sizeof path, "%s/bad.torrent", f->dir);
    write_torrent(path, "bad");
    struct eng_add_params p = {.source = path, .opts = bad, .n_opts = 2};
    assert_int_equal(eng_add(f->e, &p, NULL, err, sizeof err), -EINVAL);
    assert_non_null(strstr(err, "pex"));
    assert_int_equal(eng_torrent_count(f->e), n);
}

/* A category's defaults apply when a torrent gets it; its seeding limit
 * with spate.seed_limit_action=pause pauses the seed. */
static void test_category_and_seed_limit_action(void **state)
{
    struct fx *f = *state;
    char msg[512] = "", buf[64];
    struct eng_category c = {.name = "linux",
                             .download_limit = 3000,
                             .upload_limit = 0,
                             .share_ratio_limit = -1,
                             .seed_time_limit = 1};
    assert_int_equal(eng_category_set(f->e, &c, msg, sizeof msg), 0);
    struct eng_category badc = {.name = "a,b", .share_ratio_limit = -1, .seed_time_limit = -1};
    assert_int_equal(eng_category_set(f->e, &badc, msg, sizeof msg), -EINVAL);
    int id = add_seed(f, "cat", NULL, 0);
    if (!fx_run_until(f, is_seeding, id, 10000))
        fail_msg("state %s, progress %f meta %d total %lld log %s error %s",
                 eng_state_name(eng_torrent_by_id(f->e, id)->state),
                 eng_torrent_by_id(f->e, id)->progress, eng_torrent_by_id(f->e, id)->has_metadata,
                 (long long)eng_torrent_by_id(f->e, id)->total_bytes, eng_last_log(f->e),
                 eng_torrent_by_id(f->e, id)->error ? eng_torrent_by_id(f->e, id)->error : "-");
    assert_int_equal(eng_torrent_opt_set(f->e, id, "category", "linux", msg, sizeof msg), 0);
    assert_int_equal(eng_torrent_opt_get(f->e, id, "download_limit", buf, sizeof buf), 0);
    assert_string_equal(buf, "3000");
    assert_string_equal(eng_torrent_by_id(f->e, id)->category, "linux");
    /* no action by default: still seeding after the limit */
    usleep(1500 * 1000);
    for (int i = 0; i < 100; i++) {
        uv_run(&f->loop, UV_RUN_NOWAIT);
        usleep(10000);
    }
    assert_false(is_paused(f, id));
    assert_int_equal(
        eng_setting_store(f->e, "spate.seed_limit_action", "pause", "t", msg, sizeof msg), 0);
    assert_true(fx_run_until(f, is_paused, id, 10000));
    /* the category's removal leaves the torrent without one */
    assert_int_equal(eng_category_remove(f->e, "linux", msg, sizeof msg), 0);
    assert_string_equal(eng_torrent_by_id(f->e, id)->category, "");
    assert_int_equal(eng_category_remove(f->e, "linux", msg, sizeof msg), -ENOENT);
}

/* A blocklist file that changes on disk is loaded again (checked every
 * tenth tick, i.e. every 10 s), on the threadpool: the result reaches
 * libtorrent once the loop runs. */
static void test_blocklist_file_reloads_on_change(void **state)
{
    struct fx *f = *state;
    char path[160], msg[512] = "", nat[64];
    snprintf(path, sizeof path, "%s/list.dat", f->dir);
    FILE *fp = fopen(path, "w");
    assert_non_null(fp);
    fputs("010.000.000.000 - 010.255.255.255 , 000 , ten\n", fp);
    fclose(fp);
    assert_int_equal(eng_setting_store(f->e, "spate.ip_filter_file", path, "t", msg, sizeof msg),
                     0);
    assert_true(fx_run_until(f, ipf_loaded, 0, 10000));
    assert_int_equal(eng_setting_native(f->e, "spate.ip_filter_file", nat, sizeof nat), 1);
    assert_string_equal(nat, "1 blocked ranges");
    fp = fopen(path, "a");
    assert_non_null(fp);
    fputs("192.168.000.000 - 192.168.255.255 , 100 , lan\n"
          "172.016.000.000 - 172.031.255.255 , 200 , allowed\n",
          fp);
    fclose(fp);
    for (int i = 0; i < 10; i++)
        eng_settings_tick(f->e);
    assert_true(fx_run_until(f, ipf_loaded, 0, 10000));
    assert_int_equal(eng_setting_native(f->e, "spate.ip_filter_file", nat, sizeof nat), 1);
    assert_string_equal(nat, "2 blocked ranges");
    assert_int_equal(eng_ip_filter_ranges(f->e), 2);
    /* a file that disappears leaves the previous filter in force, with a log line */
    assert_int_equal(unlink(path), 0);
    for (int i = 0; i < 10; i++)
        eng_settings_tick(f->e);
    assert_true(fx_run_until(f, ipf_loaded, 0, 10000));
    assert_int_equal(eng_setting_native(f->e, "spate.ip_filter_file", nat, sizeof nat), 1);
    assert_string_equal(nat, "2 blocked ranges");
    assert_non_null(strstr(eng_last_log(f->e), "previous filter stays in force"));
    /* a FIFO in its place is refused by the worker without blocking */
    assert_int_equal(mkfifo(path, 0600), 0);
    for (int i = 0; i < 10; i++)
        eng_settings_tick(f->e);
    assert_true(fx_run_until(f, ipf_loaded, 0, 10000));
    assert_non_null(strstr(eng_last_log(f->e), "a FIFO"));
    assert_int_equal(eng_ip_filter_ranges(f->e), 2);
    assert_int_equal(unlink(path), 0);
}

static int resume_has_secret(const struct store_torrent *t, void *ud)
{
    assert_true(t->resume_len > 0);
    if (memmem(t->resume, t->resume_len, "s3cret", 6)) ++*(int *)ud;
    return 0;
}

/* spate.tracker_auth: the login goes into the matching tracker URLs that
 * libtorrent announces to, and never shows in the torrent's tracker list. */
static void test_tracker_auth_reaches_urls_never_shown(void **state)
{
    struct fx *f = *state;
    const struct eng_setting opts[] = {
        {"trackers", "http://127.0.0.1:1/announce|http://127.0.0.2:1/announce"}};
    int id = add_seed(f, "auth", opts, 1);
    char msg[512] = "", buf[1024];
    assert_int_equal(eng_setting_store(f->e, "spate.tracker_auth", "127.0.0.1=alice:s3cret", "t",
                                       msg, sizeof msg),
                     0);
    assert_int_equal(eng_setting_native(f->e, "spate.tracker_auth", buf, sizeof buf), 1);
    assert_string_equal(buf, "127.0.0.1=alice:s3cret"); /* in libtorrent's URL */
    assert_int_equal(eng_torrent_opt_get(f->e, id, "trackers", buf, sizeof buf), 0);
    assert_string_equal(buf, "http://127.0.0.1:1/announce|http://127.0.0.2:1/announce");
    struct eng_setting_row *r = malloc(sizeof *r);
    assert_non_null(r);
    assert_int_equal(eng_setting_row(f->e, "spate.tracker_auth", r), 0);
    assert_string_equal(r->native, "(set)");
    assert_null(strstr(r->effective, "s3cret"));
    free(r);
    /* a tracker set later gets it too; a bad login is refused */
    assert_int_equal(
        eng_torrent_opt_set(f->e, id, "trackers", "+https://127.0.0.1/x", msg, sizeof msg), 0);
    assert_int_equal(eng_torrent_opt_get(f->e, id, "trackers", buf, sizeof buf), 0);
    assert_null(strstr(buf, "alice"));
    assert_int_equal(
        eng_setting_store(f->e, "spate.tracker_auth", "127.0.0.1=a@b:c", "t", msg, sizeof msg),
        -EINVAL);
    /* resume data never holds the login; it is put back at the next start
     * (a change after the login makes libtorrent write resume data again) */
    assert_int_equal(eng_torrent_opt_set(f->e, id, "upload_limit", "12345", msg, sizeof msg), 0);
    for (int i = 0; i < 50; i++) {
        uv_run(&f->loop, UV_RUN_NOWAIT);
        usleep(10000);
    }
    fx_close_engine(f);
    struct store *st;
    char path[128], err[256];
    snprintf(path, sizeof path, "%s/spate.db", f->dir);
    assert_int_equal(store_open(path, &st, err, sizeof err), 0);
    int found = 0;
    assert_int_equal(store_torrents_load(st, resume_has_secret, &found), 0);
    store_close(st);
    assert_int_equal(found, 0);
    assert_int_equal(fx_open_engine(f), 0);
    assert_int_equal(eng_setting_native(f->e, "spate.tracker_auth", buf, sizeof buf), 1);
    assert_string_equal(buf, "127.0.0.1=alice:s3cret");
    /* reset: the logins leave the URLs */
    assert_int_equal(eng_setting_reset(f->e, "spate.tracker_auth", "t", msg, sizeof msg), 0);
    assert_int_equal(eng_setting_native(f->e, "spate.tracker_auth", buf, sizeof buf), 1);
    assert_string_equal(buf, "");
}

/* ------------------------------------------- details for the TUI panes */

static bool tracker_answered(struct fx *f, int id)
{
    struct eng_tracker *v;
    size_t n;
    if (eng_trackers(f->e, id, &v, &n) != 0) return false;
    bool done = n == 1 && v[0].status == ENG_TRACKER_ERROR && v[0].message[0];
    eng_trackers_free(v, n);
    return done;
}

static bool has_rate_samples(struct fx *f, int id)
{
    (void)id;
    struct eng_health h;
    eng_health(f->e, &h);
    return eng_rate_history(f->e, NULL, NULL, 10) >= 2 && h.dht_nodes >= 0;
}

/* Trackers with their state (a dead loopback tracker gives an error with
 * libtorrent's message), file progress, metadata extras, listen sockets,
 * session counters, rate history and the health log. */
static void test_details_for_panes(void **state)
{
    struct fx *f = *state;
    const struct eng_setting opts[] = {{"trackers", "http://u:pw@127.0.0.1:9/announce"}};
    int id = add_seed(f, "detail", opts, 1);
    assert_true(fx_run_until(f, is_seeding, id, 10000));
    if (!fx_run_until(f, tracker_answered, id, 10000)) fail_msg("the dead tracker never failed");
    struct eng_tracker *tr;
    size_t n;
    assert_int_equal(eng_trackers(f->e, id, &tr, &n), 0);
    assert_string_equal(tr[0].url, "http://127.0.0.1:9/announce"); /* login never shown */
    assert_int_equal(tr[0].tier, 0);
    assert_true(tr[0].fails >= 1);
    eng_trackers_free(tr, n);

    int64_t done[2] = {-1, -1};
    assert_int_equal(eng_file_progress(f->e, id, done, 1), 0);
    assert_int_equal(done[0], 16384); /* seed mode: all of it */
    struct eng_info info;
    assert_int_equal(eng_info_get(f->e, id, &info), 0);
    assert_string_equal(info.comment, "");
    assert_false(info.is_private);
    int q[4];
    assert_int_equal(eng_downloading_pieces(f->e, id, q, 4), 0);
    struct eng_peer *peers;
    assert_int_equal(eng_peers(f->e, id, &peers, &n), 0);
    assert_int_equal(n, 0);
    free(peers);
    assert_int_equal(eng_peers(f->e, 999, &peers, &n), -ENOENT);

    assert_true(fx_run_until(f, has_rate_samples, id, 10000));
    struct eng_health h;
    eng_health(f->e, &h);
    assert_true(h.n_listen >= 1);
    assert_non_null(strstr(h.listen[0].what, "127.0.0.1"));
    assert_string_equal(h.listen[0].error, "");
    assert_int_equal(h.dht_nodes, 0); /* DHT is off */
    eng_set_mount_status(f->e, "off");
    eng_health(f->e, &h);
    assert_string_equal(h.mount, "off");
    int64_t down[ENG_RATE_HISTORY];
    size_t ns = eng_rate_history(f->e, down, NULL, ENG_RATE_HISTORY);
    assert_true(ns >= 2 && ns <= ENG_RATE_HISTORY);
    assert_int_equal(down[ns - 1], 0);
}

static int count_event(int64_t time, const char *level, const char *torrent, const char *message,
                       void *ud)
{
    (void)time;
    (void)torrent;
    assert_non_null(level);
    if (strstr(message, "seed mode")) ++*(int *)ud;
    return 0;
}

static void test_health_log_names_the_torrent(void **state)
{
    struct fx *f = *state;
    add_seed(f, "logged", NULL, 0);
    int n = 0;
    assert_int_equal(eng_events(f->e, 50, count_event, &n), 0);
    assert_int_equal(n, 1); /* the seed mode warning */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_key_is_well_formed),
        cmocka_unit_test(test_flags_say_what_names_used_to),
        cmocka_unit_test(test_bool_values),
        cmocka_unit_test(test_int_values_are_clamped),
        cmocka_unit_test(test_enum_values),
        cmocka_unit_test(test_string_values),
        cmocka_unit_test(test_list_values),
#define ENG_TEST(t) cmocka_unit_test_setup_teardown(t, fx_setup_clock, fx_teardown)
        ENG_TEST(test_every_key_reads_back_natively),
        ENG_TEST(test_disk_io_is_restart_only),
        ENG_TEST(test_alt_speed_follows_schedule_on_injected_clock),
        ENG_TEST(test_clamped_value_is_stored_clamped_with_a_message),
        ENG_TEST(test_bad_values_change_nothing),
        ENG_TEST(test_anonymous_mode_with_proxy_keeps_traffic_on_the_proxy),
        ENG_TEST(test_secret_is_stored_apart_and_never_shown),
        ENG_TEST(test_add_opts_read_back),
        ENG_TEST(test_details_for_panes),
        ENG_TEST(test_health_log_names_the_torrent),
        ENG_TEST(test_tracker_auth_reaches_urls_never_shown),
        ENG_TEST(test_blocklist_file_reloads_on_change),
        ENG_TEST(test_category_and_seed_limit_action),
#undef ENG_TEST
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
