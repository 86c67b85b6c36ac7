/*
 * registry.c — the table of every setting and the validation, clamping and
 * normalization of their values (see registry.h).
 *
 * Adding a setting is one row in table[] below: its key (libtorrent's
 * settings_pack name, or "spate.*"), type, bounds, default, group, help and
 * the flags front ends read (REG_F_*). A REG_NATIVE key needs nothing
 * else: it is applied with apply_settings and read back from
 * get_settings(). A REG_DERIVED session key (or a spate key that acts when
 * it changes) also gets a line in settings.c's session_ops[] with its apply
 * and read-back functions; a per-torrent key gets a line in
 * torrent_opts.c's torrent_ops[] with its get, set and check. Nothing else
 * compares key names: test_registry applies every key and reads it back,
 * and `make docs` regenerates docs/settings.md from the table.
 *
 * Defaults of NULL are libtorrent's own (default_settings()); spate sets its
 * own default only where users of rtorrent or qBittorrent expect another
 * behaviour (NAT-PMP/UPnP/LSD off, TCP out, a spate user agent) and says why
 * in the help. Bounds are the safe ranges: a value outside them is clamped
 * and the message says what was stored.
 */
#include "engine/registry.h"
#include "engine/ipfilter.h"
#include "engine/schedule.h"
#include "util/str.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define KB 1024LL
#define MB (1024LL * 1024)
#define GB (1024LL * 1024 * 1024)

static const struct reg_enum enc_policy[] = {
    {"pe_forced", 0}, {"pe_enabled", 1}, {"pe_disabled", 2}, {NULL, 0}};
static const struct reg_enum enc_level[] = {
    {"pe_plaintext", 1}, {"pe_rc4", 2}, {"pe_both", 3}, {NULL, 0}};
static const struct reg_enum mixed_mode[] = {
    {"prefer_tcp", 0}, {"peer_proportional", 1}, {NULL, 0}};
static const struct reg_enum proxy_types[] = {{"none", 0},      {"socks4", 1}, {"socks5", 2},
                                              {"socks5_pw", 3}, {"http", 4},   {"http_pw", 5},
                                              {"i2p_proxy", 6}, {NULL, 0}};
static const struct reg_enum choker[] = {
    {"fixed_slots_choker", 0}, {"rate_based_choker", 2}, {NULL, 0}};
static const struct reg_enum seed_choker[] = {
    {"round_robin", 0}, {"fastest_upload", 1}, {"anti_leech", 2}, {NULL, 0}};
static const struct reg_enum io_mode[] = {
    {"enable_os_cache", 0}, {"disable_os_cache", 2}, {"write_through", 3}, {NULL, 0}};
static const struct reg_enum seed_action[] = {{"none", 0}, {"pause", 1}, {"remove", 2}, {NULL, 0}};
static const struct reg_enum storage_modes[] = {{"sparse", 0}, {"allocate", 1}, {NULL, 0}};
/* values are lts_disk_io's */
static const struct reg_enum disk_ios[] = {{"mmap", 0}, {"posix", 1}, {NULL, 0}};

static const char *check_ip(const char *v)
{
    unsigned char buf[16];
    if (!*v || inet_pton(AF_INET, v, buf) == 1 || inet_pton(AF_INET6, v, buf) == 1) return NULL;
    return "takes an IPv4 or IPv6 address or \"\"";
}

static const char *check_fingerprint(const char *v)
{
    return strlen(v) == 8 ? NULL : "takes exactly 8 characters, e.g. -SP0100-";
}

static const char *check_no_comma(const char *v)
{
    return strchr(v, ',') ? "takes a single value (no commas)" : NULL;
}

/* A theme name: letters, digits, '-', '_' (a file name, no path). */
static const char *check_theme_name(const char *v)
{
    if (!*v) return "takes a theme name";
    for (const char *c = v; *c; c++)
        if (!(isalnum((unsigned char)*c) || *c == '-' || *c == '_'))
            return "takes a theme name (letters, digits, - and _)";
    return NULL;
}

/* "host=user:password,...": no characters that would break a URL's
 * authority (the login is put into the tracker URL as user:password@). */
static const char *check_tracker_auth(const char *v)
{
    for (const char *p = v; *p;) {
        size_t len = strcspn(p, ",");
        const char *eq = memchr(p, '=', len);
        const char *colon = eq ? memchr(eq, ':', len - (size_t)(eq - p)) : NULL;
        if (!eq || eq == p || !colon || colon == eq + 1) return "takes host=user:password,...";
        for (const char *c = p; c < p + len; c++)
            if ((unsigned char)*c <= ' ' || *c == '@' || *c == '/' || *c == '?' || *c == '#' ||
                (c < eq && *c == ':'))
                return "takes host=user:password,... (no spaces, @, /, ?, # or a port)";
        p += len + (p[len] ? 1 : 0);
    }
    return NULL;
}

/* One row per setting, in display order. Fields left out are 0/NULL: no
 * unit, no bounds, libtorrent's default, no enums, no extra check, no
 * flags. */
static const struct reg_key table[] = {
    /* network */
    {.key = "listen_interfaces",
     .type = REG_HOSTPORTS,
     .apply = REG_NATIVE,
     .scope = REG_SESSION,
     .group = "network",
     .def = "0.0.0.0:6881,[::]:6881",
     .flags = REG_F_SSL_PORTS,
     .help = "interfaces and ports to listen on, IPv4 and IPv6 (a trailing s: SSL)"},
    {.key = "outgoing_interfaces",
     .type = REG_STRING,
     .apply = REG_NATIVE,
     .scope = REG_SESSION,
     .group = "network",
     .max = 1024,
     .help = "comma list of devices or addresses outgoing connections bind to; \"\": any"},
    {.key = "outgoing_port",
     .type = REG_INT,
     .apply = REG_NATIVE,
     .scope = REG_SESSION,
     .group = "network",
     .max = 65535,
     .help = "first local port of outgoing connections; 0: any port"},
    {.key = "num_outgoing_ports",
     .type = REG_INT,
     .apply = REG_NATIVE,
     .scope = REG_SESSION,
     .group = "network",
     .max = 65535,
     .help = "size of the outgoing port range starting at outgoing_port"},
    {.key = "peer_dscp",
     .type = REG_INT,
     .apply = REG_NATIVE,
     .scope = REG_SESSION,
     .group = "network",
     .max = 63,
     .help = "DSCP value of peer traffic (the TOS byte's upper six bits)"},
    {.key = "send_socket_buffer_size",
     .type = REG_INT,
     .apply = REG_NATIVE,
     .scope = REG_SESSION,
     .group = "network",
     .unit = "bytes",
     .max = 64 * MB,
     .help = "peer socket send buffer; 0: the system's default"},
    {.key = "recv_socket_buffer_size",
     .type = REG_INT,
     .apply = REG_NATIVE,
     .scope = REG_SESSION,
     .group = "network",
     .unit = "bytes",
     .max = 64 * MB,
     .help = "peer socket receive buffer; 0: the system's default"},
    {.key = "enable_incoming_tcp",
     .type = REG_BOOL,
     .apply = REG_NATIVE,
     .scope = REG_SESSION,
     .group = "network",
     .help = "accept incoming TCP peer connections"},
    {.key = "enable_outgoing_tcp",
     .type = REG_BOOL,
     .apply = REG_NATIVE,
     .scope = REG_SESSION,
     .group = "network",
     .help = "make outgoing TCP peer connections"},
    {.key = "enable_incoming_utp",
     .type = REG_BOOL,
     .apply = REG_NATIVE,
     .scope = REG_SESSION,
     .group = "network",
     .help = "accept incoming uTP peer connections (BEP 29)"},
    {.key = "enable_outgoing_utp",
     .type = REG_BOOL,
     .apply = REG_NATIVE,
     .scope = REG_SESSION,
     .group = "network",
     .def = "false",
     .help = "make outgoing uTP connections; off: TCP out is ~20x faster on a LAN and reaches "
             "peers without uTP at once"},
    {.key = "mixed_mode_algorithm",
     .type = REG_ENUM,
     .apply = REG_NATIVE,
     .scope = REG_SESSION,
     .group = "network",
     .enums = mixed_mode,
     .help = "how TCP and uTP peers share the rate limit"},
    {.key = "out_enc_policy",
     .type = REG_ENUM,
     .apply = REG_NATIVE,
     .scope = REG_SESSION,
     .group = "network",
     .enums = enc_policy,
     .help = "protocol encryption of outgoing connections"},
    {.key = "in_enc_policy",
     .type = REG_ENUM,
     .apply = REG_NATIVE,
     .scope = REG_SESSION,
     .group = "network",
     .enums = enc_policy,
     .help = "protocol encryption of incoming connections"},
    {.key = "allowed_enc_level",
     .type = REG_ENUM,
     .apply = REG_NATIVE,
     .scope = REG_SESSION,
     .group = "network",
     .enums = enc_level,
     .help = "encryption levels allowed: plaintext (header only), rc4 (full stream) or both"},
    {.key = "prefer_rc4",
     .type = REG_BOOL,
     .apply = REG_NATIVE,
     .scope = REG_SESSION,
     .group = "network",
     .help = "prefer full-stream RC4 when both are allowed"},
    {.key = "allow_multiple_connections_per_ip",
     .type = REG_BOOL,
     .apply = REG_NATIVE,
     .scope = REG_SESSION,
     .group = "network",
     .help = "allow several peers behind one IP address in a swarm"},
    {.key = "announce_ip",
     .type = REG_STRING,
     .apply = REG_NATIVE,
     .scope = REG_SESSION,
     .group = "network",
     .max = 64,
     .check = check_ip,
     .help = "IP address sent to trackers as ours; \"\": let the tracker see it"},
    {.key = "user_agent",
     .type = REG_STRING,
     .apply = REG_NATIVE,
     .scope = REG_SESSION,
     .group = "network",
     .max = 256,
     .def = "spate/" SPATE_VERSION,
     .help = "client name sent to trackers and web seeds"},
    {.key = "peer_fingerprint",
     .type = REG_STRING,
     .apply = REG_NATIVE,
     .scope = REG_SESSION,
     .group = "network",
     .max = 8,
     .def = "-SP0100-",
     .check = check_fingerprint,
     .help = "first 8 bytes of our peer ID (Azureus style)"},
    {.key = "handshake_client_version",
     .type = REG_STRING,
     .apply = REG_NATIVE,
     .scope = REG_SESSION,
     .group = "network",
     .max = 256,
     .help = "client name in the extension handshake (BEP 10); \"\": user_agent"},

    /* discovery */
    {.key = "enable_dht",
     .type = REG_BOOL,
     .apply = REG_NATIVE,
     .scope = REG_SESSION,
     .group = "discovery",
     .def = "true",
     .help = "find peers through the DHT (BEP 5)"},
    {.key = "dht_bootstrap_nodes",
     .type = REG_HOSTPORTS,
     .apply = REG_NATIVE,
     .scope = REG_SESSION,
     .group = "discovery",
     .help = "DHT nodes to join the network through"},
    {.key = "enable_lsd",
     .type = REG_BOOL,
     .apply = REG_NATIVE,
     .scope = REG_SESSION,
     .group = "discovery",
     .def = "false",
     .help = "local service discovery: multicast on the LAN (BEP 14)"},
    {.key = "enable_upnp",
     .type = REG_BOOL,
     .apply = REG_NATIVE,
     .scope = REG_SESSION,
     .group = "discovery",
     .def = "false",
     .help = "map the listen port on the router with UPnP"},
    {.key = "enable_natpmp",
     .type = REG_BOOL,
     .apply = REG_NATIVE,
     .scope = REG_SESSION,
     .group = "discovery",
     .def = "false",
     .help = "map the listen port on the router with NAT-PMP / PCP"},
    {.key = "spate.pex",
     .type = REG_BOOL,
     .apply = REG_DERIVED,
     .scope = REG_SESSION,
     .group = "discovery",
     .def = "true",
     .help = "peer exchange (BEP 11) in every torrent; off sets each torrent's disable_pex flag"},

    /* proxy */
    {.key = "proxy_type",
     .type = REG_ENUM,
     .apply = REG_NATIVE,
     .scope = REG_SESSION,
     .group = "proxy",
     .enums = proxy_types,
     .help = "proxy kind; *_pw ones send proxy_username/proxy_password (no HTTPS proxy in "
             "libtorrent)"},
    {.key = "proxy_hostname",
     .type = REG_STRING,
     .apply = REG_NATIVE,
     .scope = REG_SESSION,
     .group = "proxy",
     .max = 256,
     .check = check_no_comma,
     .help = "proxy host name or address"},
    {.key = "proxy_port",
     .type = REG_INT,
     .apply = REG_NATIVE,
     .scope = REG_SESSION,
     .group = "proxy",
     .max = 65535,
     .help = "the proxy's port number"},
    {.key = "proxy_username",
     .type = REG_STRING,
     .apply = REG_NATIVE,
     .scope = REG_SESSION,
     .group = "proxy",
     .max = 256,
     .help = "user name for socks5_pw and http_pw"},
    {.key = "proxy_password",
     .type = REG_SECRET,
     .apply = REG_NATIVE,
     .scope = REG_SESSION,
     .group = "proxy",
     .max = 256,
     .help = "password for socks5_pw and http_pw (stored apart, never printed)"},
    {.key = "proxy_hostnames",
     .type = REG_BOOL,
     .apply = REG_NATIVE,
     .scope = REG_SESSION,
     .group = "proxy",
     .help = "let the proxy resolve host names"},
    {.key = "proxy_peer_connections",
     .type = REG_BOOL,
     .apply = REG_NATIVE,
     .scope = REG_SESSION,
     .group = "proxy",
     .help = "send peer connections through the proxy"},
    {.key = "proxy_tracker_connections",
     .type = REG_BOOL,
     .apply = REG_NATIVE,
     .scope = REG_SESSION,
     .group = "proxy",
     .help = "send tracker connections through the proxy"},
    {.key = "anonymous_mode",
     .type = REG_BOOL,
     .apply = REG_NATIVE,
     .scope = REG_SESSION,
     .group = "proxy",
     .help = "hide the client's identity; with a proxy, peers and trackers must go through it"},
    {.key = "i2p_hostname",
     .type = REG_STRING,
     .apply = REG_NATIVE,
     .scope = REG_SESSION,
     .group = "proxy",
     .max = 256,
     .check = check_no_comma,
     .help = "I2P SAM bridge host"},
    {.key = "i2p_port",
     .type = REG_INT,
     .apply = REG_NATIVE,
     .scope = REG_SESSION,
     .group = "proxy",
     .max = 65535,
     .help = "I2P SAM bridge port"},

    /* ip filter */
    {.key = "spate.ip_filter",
     .type = REG_CIDRS,
     .apply = REG_DERIVED,
     .scope = REG_SESSION,
     .group = "ip_filter",
     .def = "",
     .help = "addresses, CIDRs or ranges to block (libtorrent ip_filter)"},
    {.key = "spate.ip_filter_file",
     .type = REG_PATH,
     .apply = REG_DERIVED,
     .scope = REG_SESSION,
     .group = "ip_filter",
     .def = "",
     .help = "blocklist file in eMule .dat or PeerGuardian P2P format, reloaded on change"},
    {.key = "spate.ip_filter_file_max_bytes",
     .type = REG_INT,
     .apply = REG_OWN,
     .scope = REG_SESSION,
     .group = "ip_filter",
     .unit = "bytes",
     .min = 1 * KB,
     .max = 4 * GB,
     .def = "536870912",
     .help = "largest blocklist file read; a larger one is refused and the previous filter stays"},
    {.key = "apply_ip_filter_to_trackers",
     .type = REG_BOOL,
     .apply = REG_NATIVE,
     .scope = REG_SESSION,
     .group = "ip_filter",
     .help = "the IP filter also blocks trackers"},

    /* limits and queueing */
    {.key = "download_rate_limit",
     .type = REG_INT,
     .apply = REG_NATIVE,
     .scope = REG_SESSION,
     .group = "limits",
     .unit = "bytes/s",
     .max = INT_MAX,
     .help = "global download rate limit; 0: unlimited"},
    {.key = "upload_rate_limit",
     .type = REG_INT,
     .apply = REG_NATIVE,
     .scope = REG_SESSION,
     .group = "limits",
     .unit = "bytes/s",
     .max = INT_MAX,
     .help = "global upload rate limit; 0: unlimited"},
    {.key = "connections_limit",
     .type = REG_INT,
     .apply = REG_NATIVE,
     .scope = REG_SESSION,
     .group = "limits",
     .min = 2,
     .max = 65535,
     .help = "peer connections open at most, all torrents together"},
    {.key = "unchoke_slots_limit",
     .type = REG_INT,
     .apply = REG_NATIVE,
     .scope = REG_SESSION,
     .group = "limits",
     .min = -1,
     .max = 65535,
     .help = "peers unchoked at once (fixed_slots_choker); -1: unlimited"},
    {.key = "num_optimistic_unchoke_slots",
     .type = REG_INT,
     .apply = REG_NATIVE,
     .scope = REG_SESSION,
     .group = "limits",
     .max = 1000,
     .help = "optimistic unchoke slots; 0: a fifth of the unchoke slots"},
    {.key = "connection_speed",
     .type = REG_INT,
     .apply = REG_NATIVE,
     .scope = REG_SESSION,
     .group = "limits",
     .unit = "per s",
     .min = 1,
     .max = 1000,
     .help = "new outgoing peer connection attempts per second (the half-open limit)"},
    {.key = "choking_algorithm",
     .type = REG_ENUM,
     .apply = REG_NATIVE,
     .scope = REG_SESSION,
     .group = "limits",
     .enums = choker,
     .help = "how peers to unchoke are counted"},
    {.key = "seed_choking_algorithm",
     .type = REG_ENUM,
     .apply = REG_NATIVE,
     .scope = REG_SESSION,
     .group = "limits",
     .enums = seed_choker,
     .help = "which peers a seed unchokes"},
    {.key = "active_downloads",
     .type = REG_INT,
     .apply = REG_NATIVE,
     .scope = REG_SESSION,
     .group = "limits",
     .min = -1,
     .max = 100000,
     .help = "auto-managed torrents downloading at once; -1: unlimited"},
    {.key = "active_seeds",
     .type = REG_INT,
     .apply = REG_NATIVE,
     .scope = REG_SESSION,
     .group = "limits",
     .min = -1,
     .max = 100000,
     .help = "auto-managed torrents seeding at once; -1: unlimited"},
    {.key = "active_limit",
     .type = REG_INT,
     .apply = REG_NATIVE,
     .scope = REG_SESSION,
     .group = "limits",
     .min = -1,
     .max = 100000,
     .help = "auto-managed torrents active at once; -1: unlimited"},
    {.key = "active_checking",
     .type = REG_INT,
     .apply = REG_NATIVE,
     .scope = REG_SESSION,
     .group = "limits",
     .min = 1,
     .max = 100,
     .help = "torrents checking their files at once"},
    {.key = "dont_count_slow_torrents",
     .type = REG_BOOL,
     .apply = REG_NATIVE,
     .scope = REG_SESSION,
     .group = "limits",
     .help = "slow torrents do not count against the active limits"},
    {.key = "auto_manage_prefer_seeds",
     .type = REG_BOOL,
     .apply = REG_NATIVE,
     .scope = REG_SESSION,
     .group = "limits",
     .help = "the queue starts seeds before downloads"},
    {.key = "spate.ctl_idle_timeout_s",
     .type = REG_INT,
     .apply = REG_OWN,
     .scope = REG_SESSION,
     .group = "limits",
     .unit = "s",
     .min = 1,
     .max = 86400,
     .def = "300",
     .help = "seconds a control-socket client may stay connected without sending a request or "
             "reading a reply before it is closed (the socket serves at most 256 at once)"},

    /* alternative speed limits */
    {.key = "spate.alt_speed",
     .type = REG_BOOL,
     .apply = REG_DERIVED,
     .scope = REG_SESSION,
     .group = "alt_speed",
     .def = "false",
     .help = "alternative speed limits in force (set by hand or by the schedule)"},
    {.key = "spate.alt_download_rate_limit",
     .type = REG_INT,
     .apply = REG_DERIVED,
     .scope = REG_SESSION,
     .group = "alt_speed",
     .unit = "bytes/s",
     .max = INT_MAX,
     .def = "0",
     .help = "download_rate_limit applied while alternative speed is on; 0: unlimited"},
    {.key = "spate.alt_upload_rate_limit",
     .type = REG_INT,
     .apply = REG_DERIVED,
     .scope = REG_SESSION,
     .group = "alt_speed",
     .unit = "bytes/s",
     .max = INT_MAX,
     .def = "0",
     .help = "upload_rate_limit applied while alternative speed is on; 0: unlimited"},
    {.key = "spate.alt_speed_schedule",
     .type = REG_SCHEDULE,
     .apply = REG_OWN,
     .scope = REG_SESSION,
     .group = "alt_speed",
     .def = "",
     .help = "weekly local-time ranges with alternative speed on, e.g. \"mon-fri 08:00-18:00\"; "
             "\"\": no schedule"},

    /* seeding */
    {.key = "share_ratio_limit",
     .type = REG_INT,
     .apply = REG_NATIVE,
     .scope = REG_SESSION,
     .group = "seeding",
     .unit = "%",
     .max = 100000,
     .help = "share ratio (upload/download) after which a seed is done, in percent"},
    {.key = "seed_time_ratio_limit",
     .type = REG_INT,
     .apply = REG_NATIVE,
     .scope = REG_SESSION,
     .group = "seeding",
     .unit = "%",
     .max = 100000,
     .help = "seeding time / downloading time after which a seed is done, in percent"},
    {.key = "seed_time_limit",
     .type = REG_INT,
     .apply = REG_NATIVE,
     .scope = REG_SESSION,
     .group = "seeding",
     .unit = "s",
     .max = INT_MAX,
     .help = "seeding time after which a seed is done"},
    {.key = "spate.seed_limit_action",
     .type = REG_ENUM,
     .apply = REG_OWN,
     .scope = REG_SESSION,
     .group = "seeding",
     .def = "none",
     .enums = seed_action,
     .help = "what happens to a seed that reached share_ratio_limit or seed_time_limit "
             "(libtorrent only lowers its queue priority)"},

    /* disk */
    {.key = "max_queued_disk_bytes",
     .type = REG_INT,
     .apply = REG_NATIVE,
     .scope = REG_SESSION,
     .group = "disk",
     .unit = "bytes",
     .min = 16 * KB,
     .max = 1 * GB,
     .help = "bytes waiting to be written before peers are throttled"},
    {.key = "aio_threads",
     .type = REG_INT,
     .apply = REG_NATIVE,
     .scope = REG_SESSION,
     .group = "disk",
     .min = 1,
     .max = 64,
     .help = "disk I/O threads"},
    {.key = "hashing_threads",
     .type = REG_INT,
     .apply = REG_NATIVE,
     .scope = REG_SESSION,
     .group = "disk",
     .min = 1,
     .max = 64,
     .help = "threads verifying piece hashes"},
    {.key = "checking_mem_usage",
     .type = REG_INT,
     .apply = REG_NATIVE,
     .scope = REG_SESSION,
     .group = "disk",
     .unit = "blocks",
     .min = 1,
     .max = 65536,
     .help = "16 KiB blocks read ahead while checking files"},
    {.key = "file_pool_size",
     .type = REG_INT,
     .apply = REG_NATIVE,
     .scope = REG_SESSION,
     .group = "disk",
     .min = 4,
     .max = 65536,
     .help = "files kept open at once"},
    {.key = "send_buffer_watermark",
     .type = REG_INT,
     .apply = REG_NATIVE,
     .scope = REG_SESSION,
     .group = "disk",
     .unit = "bytes",
     .max = 256 * MB,
     .help = "upper bound of a peer's send buffer before disk reads pause"},
    {.key = "send_buffer_low_watermark",
     .type = REG_INT,
     .apply = REG_NATIVE,
     .scope = REG_SESSION,
     .group = "disk",
     .unit = "bytes",
     .max = 256 * MB,
     .help = "send buffer level at which more is read from disk"},
    {.key = "send_buffer_watermark_factor",
     .type = REG_INT,
     .apply = REG_NATIVE,
     .scope = REG_SESSION,
     .group = "disk",
     .unit = "%",
     .min = 1,
     .max = 10000,
     .help = "send buffer target as a percentage of the peer's upload rate"},
    {.key = "disk_io_write_mode",
     .type = REG_ENUM,
     .apply = REG_NATIVE,
     .scope = REG_SESSION,
     .group = "disk",
     .enums = io_mode,
     .help = "page cache use for writes"},
    {.key = "disk_io_read_mode",
     .type = REG_ENUM,
     .apply = REG_NATIVE,
     .scope = REG_SESSION,
     .group = "disk",
     .enums = io_mode,
     .help = "page cache use for reads"},
    {.key = "spate.storage_mode",
     .type = REG_ENUM,
     .apply = REG_DERIVED,
     .scope = REG_SESSION,
     .group = "disk",
     .def = "sparse",
     .enums = storage_modes,
     .help = "new torrents' files: sparse, or allocated in full at start (add_torrent_params)"},
    {.key = "spate.disk_io",
     .type = REG_ENUM,
     .apply = REG_DERIVED,
     .scope = REG_SESSION,
     .group = "disk",
     .def = "posix",
     .enums = disk_ios,
     .flags = REG_F_RESTART,
     .help = "disk I/O backend: posix (pread/pwrite) or mmap (memory-mapped files); restart-only: "
             "libtorrent chooses it when the session starts (session_params::disk_io_constructor)"},
    {.key = "spate.disk_full_retry_s",
     .type = REG_INT,
     .apply = REG_OWN,
     .scope = REG_SESSION,
     .group = "disk",
     .unit = "s",
     .max = 86400,
     .def = "30",
     .help =
         "seconds between retries of a torrent stopped by a full disk (0: only `spate resume`)"},
    {.key = "spate.torrent_file_max_bytes",
     .type = REG_INT,
     .apply = REG_OWN,
     .scope = REG_SESSION,
     .group = "disk",
     .unit = "bytes",
     .min = 1 * KB,
     .max = 1 * GB,
     .def = "16777216",
     .help = "largest .torrent file read when adding a path; a larger one is refused"},
    {.key = "spate.resume_interval_s",
     .type = REG_INT,
     .apply = REG_OWN,
     .scope = REG_SESSION,
     .group = "disk",
     .unit = "s",
     .min = 1,
     .max = 86400,
     .def = "60",
     .help = "seconds between resume data saves"},
    {.key = "spate.status_interval_ms",
     .type = REG_INT,
     .apply = REG_OWN,
     .scope = REG_SESSION,
     .group = "disk",
     .unit = "ms",
     .min = 100,
     .max = 60000,
     .def = "1000",
     .help = "status refresh (post_torrent_updates) and statistics interval"},
    {.key = "spate.db_backups",
     .type = REG_INT,
     .apply = REG_OWN,
     .scope = REG_SESSION,
     .group = "disk",
     .max = 100,
     .def = "3",
     .help = "daily backups of spate.db kept in DATA_DIR/backups (sqlite online backup; also made "
             "before a schema migration; `spate db restore` puts one back); 0: none"},

    /* trackers */
    {.key = "announce_to_all_trackers",
     .type = REG_BOOL,
     .apply = REG_NATIVE,
     .scope = REG_SESSION,
     .group = "trackers",
     .help = "announce to every tracker of a tier, not only the first that works"},
    {.key = "announce_to_all_tiers",
     .type = REG_BOOL,
     .apply = REG_NATIVE,
     .scope = REG_SESSION,
     .group = "trackers",
     .help = "announce to one tracker in every tier (BEP 12)"},
    {.key = "tracker_completion_timeout",
     .type = REG_INT,
     .apply = REG_NATIVE,
     .scope = REG_SESSION,
     .group = "trackers",
     .unit = "s",
     .min = 1,
     .max = 3600,
     .help = "seconds a tracker request may take in all"},
    {.key = "tracker_receive_timeout",
     .type = REG_INT,
     .apply = REG_NATIVE,
     .scope = REG_SESSION,
     .group = "trackers",
     .unit = "s",
     .min = 1,
     .max = 3600,
     .help = "seconds of silence from a tracker before giving up"},
    {.key = "stop_tracker_timeout",
     .type = REG_INT,
     .apply = REG_NATIVE,
     .scope = REG_SESSION,
     .group = "trackers",
     .unit = "s",
     .max = 3600,
     .help = "seconds to wait for the stopped announces at quit"},
    {.key = "validate_https_trackers",
     .type = REG_BOOL,
     .apply = REG_NATIVE,
     .scope = REG_SESSION,
     .group = "trackers",
     .help = "check HTTPS trackers' certificates"},
    {.key = "spate.tracker_auth",
     .type = REG_SECRET,
     .apply = REG_DERIVED,
     .scope = REG_SESSION,
     .group = "trackers",
     .max = 4096,
     .def = "",
     .check = check_tracker_auth,
     .help = "HTTP(S) tracker logins, host=user:password comma list, sent as Basic auth in the "
             "tracker URLs (stored apart, never printed)"},
    {.key = "spate.default_trackers",
     .type = REG_URLS,
     .apply = REG_DERIVED,
     .scope = REG_SESSION,
     .group = "trackers",
     .def = "",
     .flags = REG_F_TIERS,
     .help = "trackers added to every new public torrent (in a tier after its own)"},

    /* mount */
    {.key = "spate.mount",
     .type = REG_BOOL,
     .apply = REG_OWN,
     .scope = REG_SESSION,
     .group = "mount",
     .def = "true",
     .help = "show every torrent's files in a FUSE mount"},
    {.key = "spate.mount_dir",
     .type = REG_PATH,
     .apply = REG_OWN,
     .scope = REG_SESSION,
     .group = "mount",
     .def = "",
     .help = "the mount point; \"\": $XDG_RUNTIME_DIR/spate/mnt, else DATA_DIR/mnt"},
    {.key = "spate.fuse_readahead_bytes",
     .type = REG_INT,
     .apply = REG_OWN,
     .scope = REG_SESSION,
     .group = "mount",
     .unit = "bytes",
     .max = 1 * GB,
     .def = "16777216",
     .help = "bytes fetched ahead of a sequential reader of the mount"},
    {.key = "spate.fuse_read_timeout_s",
     .type = REG_INT,
     .apply = REG_OWN,
     .scope = REG_SESSION,
     .group = "mount",
     .unit = "s",
     .min = 1,
     .max = 86400,
     .def = "60",
     .help = "seconds a read of the mount waits for missing pieces (then EIO)"},
    {.key = "spate.fuse_resume_paused",
     .type = REG_BOOL,
     .apply = REG_OWN,
     .scope = REG_SESSION,
     .group = "mount",
     .def = "false",
     .help = "a read of a paused torrent's missing pieces resumes it"},
    {.key = "spate.fuse_allow_remove",
     .type = REG_BOOL,
     .apply = REG_OWN,
     .scope = REG_SESSION,
     .group = "mount",
     .def = "false",
     .help = "rmdir of a torrent's directory in the mount removes the torrent"},
    {.key = "spate.fuse_allow_other",
     .type = REG_BOOL,
     .apply = REG_OWN,
     .scope = REG_SESSION,
     .group = "mount",
     .def = "false",
     .help = "other users may read the mount (FUSE allow_other)"},
    {.key = "spate.fuse_prefetch_ends",
     .type = REG_BOOL,
     .apply = REG_OWN,
     .scope = REG_SESSION,
     .group = "mount",
     .def = "true",
     .help = "fetch the first and last piece of each file early while mounted"},

    /* the terminal UI */
    {.key = "spate.theme",
     .type = REG_STRING,
     .apply = REG_OWN,
     .scope = REG_SESSION,
     .group = "ui",
     .max = 64,
     .def = "default",
     .check = check_theme_name,
     .help = "colour theme: default (dark), light, mono, or NAME for DATA_DIR/themes/NAME.theme; "
             "NO_COLOR in the environment means mono"},
    {.key = "spate.keys",
     .type = REG_STRING,
     .apply = REG_OWN,
     .scope = REG_SESSION,
     .group = "ui",
     .max = 4096,
     .def = "",
     .help = "key rebindings, ACTION=KEY comma list (e.g. \"remove=x,quit=Q\"); actions are "
             "named in the TUI's help"},
    {.key = "spate.ui_sort",
     .type = REG_STRING,
     .apply = REG_OWN,
     .scope = REG_SESSION,
     .group = "ui",
     .max = 64,
     .def = "queue",
     .help = "the torrent list's sort column, with \":desc\" for the reverse order (s and S change "
             "it)"},

    /* per torrent (`spate set ID KEY VALUE`, `spate add --opt KEY=VALUE`) */
    {.key = "download_limit",
     .type = REG_INT,
     .apply = REG_NATIVE,
     .scope = REG_TORRENT,
     .group = "torrent",
     .unit = "bytes/s",
     .max = INT_MAX,
     .def = "0",
     .help = "the torrent's download rate limit; 0: unlimited"},
    {.key = "upload_limit",
     .type = REG_INT,
     .apply = REG_NATIVE,
     .scope = REG_TORRENT,
     .group = "torrent",
     .unit = "bytes/s",
     .max = INT_MAX,
     .def = "0",
     .help = "the torrent's upload rate limit; 0: unlimited"},
    {.key = "max_connections",
     .type = REG_INT,
     .apply = REG_NATIVE,
     .scope = REG_TORRENT,
     .group = "torrent",
     .max = 65535,
     .def = "0",
     .help = "the torrent's peer connections at most; 0: unlimited"},
    {.key = "max_uploads",
     .type = REG_INT,
     .apply = REG_NATIVE,
     .scope = REG_TORRENT,
     .group = "torrent",
     .max = 65535,
     .def = "0",
     .help = "the torrent's unchoked peers at most; 0: unlimited"},
    {.key = "sequential_download",
     .type = REG_BOOL,
     .apply = REG_NATIVE,
     .scope = REG_TORRENT,
     .group = "torrent",
     .def = "false",
     .help = "download pieces in order"},
    {.key = "first_last_piece",
     .type = REG_BOOL,
     .apply = REG_DERIVED,
     .scope = REG_TORRENT,
     .group = "torrent",
     .def = "false",
     .flags = REG_F_NEEDS_METADATA,
     .help = "the first and last piece of each file first (piece priority 7)"},
    {.key = "super_seeding",
     .type = REG_BOOL,
     .apply = REG_NATIVE,
     .scope = REG_TORRENT,
     .group = "torrent",
     .def = "false",
     .help = "super seeding (BEP 16) once the torrent is a seed"},
    {.key = "pex",
     .type = REG_BOOL,
     .apply = REG_NATIVE,
     .scope = REG_TORRENT,
     .group = "torrent",
     .def = "true",
     .help = "peer exchange (BEP 11) for this torrent (torrent flag disable_pex)"},
    {.key = "auto_managed",
     .type = REG_BOOL,
     .apply = REG_NATIVE,
     .scope = REG_TORRENT,
     .group = "torrent",
     .def = "false",
     .help = "the queue may start and stop the torrent (active_* limits)"},
    {.key = "queue_position",
     .type = REG_INT,
     .apply = REG_NATIVE,
     .scope = REG_TORRENT,
     .group = "torrent",
     .min = -1,
     .max = INT_MAX,
     .def = "-1",
     .help = "position in the download queue (also up, down, top, bottom); -1: not queued"},
    {.key = "storage_mode",
     .type = REG_ENUM,
     .apply = REG_NATIVE,
     .scope = REG_TORRENT,
     .group = "torrent",
     .def = "sparse",
     .enums = storage_modes,
     .flags = REG_F_ADD_ONLY,
     .help = "files sparse or allocated in full; chosen on add (default: spate.storage_mode)"},
    {.key = "save_path",
     .type = REG_PATH,
     .apply = REG_NATIVE,
     .scope = REG_TORRENT,
     .group = "torrent",
     .def = "",
     .flags = REG_F_NO_RESET,
     .help = "where the files are; a change moves them (move_storage)"},
    {.key = "trackers",
     .type = REG_URLS,
     .apply = REG_NATIVE,
     .scope = REG_TORRENT,
     .group = "torrent",
     .def = "",
     .flags = REG_F_LIST | REG_F_TIERS | REG_F_NO_RESET,
     .help = "the torrent's trackers; tiers separated by \"|\" (BEP 12)"},
    {.key = "web_seeds",
     .type = REG_URLS,
     .apply = REG_NATIVE,
     .scope = REG_TORRENT,
     .group = "torrent",
     .def = "",
     .flags = REG_F_LIST | REG_F_NO_RESET,
     .help = "HTTP seeds (BEP 19)"},
    {.key = "category",
     .type = REG_STRING,
     .apply = REG_OWN,
     .scope = REG_TORRENT,
     .group = "torrent",
     .max = 64,
     .def = "",
     .check = check_no_comma,
     .flags = REG_F_CATEGORY,
     .help = "category: its defaults (save path, limits) apply when it is set"},
    {.key = "tags",
     .type = REG_STRING,
     .apply = REG_OWN,
     .scope = REG_TORRENT,
     .group = "torrent",
     .max = 1024,
     .def = "",
     .flags = REG_F_LIST,
     .help = "comma list of free labels"},
};

_Static_assert(sizeof table / sizeof table[0] <= REG_MAX_KEYS, "raise REG_MAX_KEYS");

static const char *const groups[] = {"network",  "discovery", "proxy",   "ip_filter",
                                     "limits",   "alt_speed", "seeding", "disk",
                                     "trackers", "mount",     "ui",      "torrent"};

size_t reg_count(void)
{
    return sizeof table / sizeof table[0];
}

const struct reg_key *reg_at(size_t i)
{
    return i < reg_count() ? &table[i] : NULL;
}

const struct reg_key *reg_find(const char *key)
{
    if (!key) return NULL;
    for (size_t i = 0; i < reg_count(); i++)
        if (strcmp(table[i].key, key) == 0) return &table[i];
    return NULL;
}

size_t reg_index(const struct reg_key *k)
{
    return (size_t)(k - table);
}

const char *const *reg_groups(size_t *n)
{
    *n = sizeof groups / sizeof groups[0];
    return groups;
}

bool reg_is_group(const char *name)
{
    for (size_t i = 0; name && i < sizeof groups / sizeof groups[0]; i++)
        if (strcmp(groups[i], name) == 0) return true;
    return false;
}

const char *reg_type_name(enum reg_type t)
{
    static const char *const names[] = {
        [REG_BOOL] = "bool",
        [REG_INT] = "int",
        [REG_ENUM] = "enum",
        [REG_STRING] = "string",
        [REG_SECRET] = "secret",
        [REG_PATH] = "path",
        [REG_HOSTPORTS] = "host:port list",
        [REG_CIDRS] = "CIDR list",
        [REG_URLS] = "URL list",
        [REG_SCHEDULE] = "weekly schedule",
    };
    return (unsigned)t < sizeof names / sizeof names[0] ? names[t] : "?";
}

const char *reg_enum_name(const struct reg_key *k, int v)
{
    for (const struct reg_enum *e = k->enums; e && e->name; e++)
        if (e->value == v) return e->name;
    return NULL;
}

int reg_enum_value(const struct reg_key *k, const char *name)
{
    for (const struct reg_enum *e = k->enums; e && e->name; e++)
        if (strcasecmp(e->name, name) == 0) return e->value;
    char *end;
    errno = 0;
    long v = strtol(name, &end, 10);
    if (*name && !*end && !errno && v >= 0 && v <= INT_MAX && reg_enum_name(k, (int)v))
        return (int)v;
    return -1;
}

static int put(char *out, size_t outlen, const char *s)
{
    size_t n = strlen(s);
    if (n >= outlen) return -ERANGE;
    memcpy(out, s, n + 1);
    return 0;
}

/* "host:port", "[v6]:port" or "dev:port" (with a trailing "s" for SSL
 * listen sockets when ssl); port 0..65535. */
static bool hostport_ok(const char *s, size_t len, bool ssl)
{
    if (ssl && len && s[len - 1] == 's') len--;
    size_t colon = len;
    while (colon && s[colon - 1] != ':')
        colon--;
    if (colon < 2 || colon == len || len - colon > 5) return false;
    long port = 0;
    for (size_t i = colon; i < len; i++) {
        if (!isdigit((unsigned char)s[i])) return false;
        port = port * 10 + (s[i] - '0');
    }
    if (port > 65535) return false;
    size_t hl = colon - 1;
    if (s[0] == '[') {
        char addr[64];
        unsigned char buf[16];
        if (hl < 3 || s[hl - 1] != ']' || hl - 2 >= sizeof addr) return false;
        memcpy(addr, s + 1, hl - 2);
        addr[hl - 2] = '\0';
        return inet_pton(AF_INET6, addr, buf) == 1;
    }
    for (size_t i = 0; i < hl; i++)
        if (!(isalnum((unsigned char)s[i]) || s[i] == '.' || s[i] == '-' || s[i] == '_'))
            return false;
    return true;
}

static bool url_ok(const char *s, size_t len)
{
    static const char *const schemes[] = {"http://", "https://", "udp://"};
    for (size_t i = 0; i < len; i++)
        if ((unsigned char)s[i] <= ' ' || s[i] == ',' || s[i] == '|') return false;
    for (size_t i = 0; i < 3; i++) {
        size_t sl = strlen(schemes[i]);
        if (len > sl && strncasecmp(s, schemes[i], sl) == 0) return true;
    }
    return false;
}

/* Comma lists (HOSTPORTS, URLS): each item trimmed and checked, empty items
 * and duplicates dropped, rejoined with ",". URL lists keep "|" between
 * tiers. */
static int norm_list(const struct reg_key *k, const char *value, char *out, size_t outlen,
                     char *msg, size_t msglen)
{
    bool urls = k->type == REG_URLS;
    bool ssl = (k->flags & REG_F_SSL_PORTS) != 0;
    size_t o = 0;
    out[0] = '\0';
    for (const char *p = value; *p;) {
        size_t len = strcspn(p, urls ? ",| \t\n" : ",");
        const char *item = util_trim(p, &len);
        size_t raw = strcspn(p, urls ? ",| \t\n" : ",");
        char sep = p[raw];
        if (len) {
            if (urls ? !url_ok(item, len) : !hostport_ok(item, len, ssl)) {
                snprintf(msg, msglen, "setting '%s': '%.*s' is not %s", k->key,
                         (int)(len > 200 ? 200 : len), item,
                         urls ? "an http://, https:// or udp:// URL" : "host:port");
                return -EINVAL;
            }
            if (!util_list_has(out, ",|", item, len)) {
                if (o + len + 2 > outlen) return -ERANGE;
                if (o && out[o - 1] != '|') out[o++] = ',';
                memcpy(out + o, item, len);
                o += len;
                out[o] = '\0';
            }
        }
        if (urls && sep == '|' && o && out[o - 1] != '|') {
            if (o + 2 > outlen) return -ERANGE;
            out[o++] = '|';
            out[o] = '\0';
        }
        p += raw + (sep ? 1 : 0);
    }
    if (o && out[o - 1] == '|') out[--o] = '\0';
    return 0;
}

static int norm_text(const struct reg_key *k, const char *value, char *out, size_t outlen,
                     char *msg, size_t msglen)
{
    size_t len = strlen(value);
    if ((long long)len > k->max) {
        snprintf(msg, msglen, "setting '%s' takes at most %lld bytes, not %zu", k->key, k->max,
                 len);
        return -EINVAL;
    }
    for (size_t i = 0; i < len; i++)
        if ((unsigned char)value[i] < 0x20 || value[i] == 0x7f) {
            snprintf(msg, msglen, "setting '%s': control characters are not allowed", k->key);
            return -EINVAL;
        }
    return put(out, outlen, value);
}

int reg_normalize(const struct reg_key *k, const char *value, char *out, size_t outlen, char *msg,
                  size_t msglen)
{
    if (!k || !value || !out || !outlen) return -EINVAL;
    if (msg && msglen) msg[0] = '\0';
    char tmp[256];
    switch (k->type) {
    case REG_BOOL: {
        static const char *const yes[] = {"true", "1", "yes", "on"};
        static const char *const no[] = {"false", "0", "no", "off"};
        for (size_t i = 0; i < 4; i++) {
            if (strcasecmp(value, yes[i]) == 0) return put(out, outlen, "true");
            if (strcasecmp(value, no[i]) == 0) return put(out, outlen, "false");
        }
        snprintf(msg, msglen, "setting '%s' takes true or false, not '%.100s'", k->key, value);
        return -EINVAL;
    }
    case REG_INT: {
        char *end;
        errno = 0;
        long long v = strtoll(value, &end, 10);
        bool over = errno == ERANGE;
        if (!*value || isspace((unsigned char)*value) || *end || (errno && !over)) {
            snprintf(msg, msglen, "setting '%s' takes an integer, not '%.100s'", k->key, value);
            return -EINVAL;
        }
        long long c = v < k->min ? k->min : v > k->max ? k->max : v;
        snprintf(tmp, sizeof tmp, "%lld", c);
        int rc = put(out, outlen, tmp);
        if (rc) return rc;
        if (c != v || over) {
            snprintf(msg, msglen,
                     "setting '%s' must be between %lld and %lld: %.40s clamped to %lld", k->key,
                     k->min, k->max, value, c);
            return 1;
        }
        return 0;
    }
    case REG_ENUM: {
        int v = reg_enum_value(k, value);
        if (v < 0) {
            size_t o = 0;
            for (const struct reg_enum *e = k->enums; e->name && o < sizeof tmp; e++)
                o += (size_t)snprintf(tmp + o, sizeof tmp - o, "%s%s", o ? ", " : "", e->name);
            snprintf(msg, msglen, "setting '%s' takes one of %s, not '%.100s'", k->key, tmp, value);
            return -EINVAL;
        }
        return put(out, outlen, reg_enum_name(k, v));
    }
    case REG_STRING:
    case REG_SECRET: {
        int rc = norm_text(k, value, out, outlen, msg, msglen);
        if (rc) return rc;
        const char *bad = k->check ? k->check(out) : NULL;
        if (bad) {
            snprintf(msg, msglen, "setting '%s' %s, not '%.100s'", k->key, bad, value);
            return -EINVAL;
        }
        return 0;
    }
    case REG_PATH:
        if (*value && value[0] != '/') {
            snprintf(msg, msglen, "setting '%s' takes an absolute path or \"\", not '%.200s'",
                     k->key, value);
            return -EINVAL;
        }
        if (strlen(value) >= 4096) {
            snprintf(msg, msglen, "setting '%s': path too long", k->key);
            return -EINVAL;
        }
        return norm_text(&(struct reg_key){.key = k->key, .max = 4095}, value, out, outlen, msg,
                         msglen);
    case REG_HOSTPORTS:
    case REG_URLS:
        return norm_list(k, value, out, outlen, msg, msglen);
    case REG_CIDRS: {
        char e[256];
        int rc = ipf_normalize_list(value, out, outlen, e, sizeof e);
        if (rc == -EINVAL) snprintf(msg, msglen, "setting '%s': %s", k->key, e);
        return rc;
    }
    case REG_SCHEDULE: {
        char e[256];
        int rc = sched_normalize(value, out, outlen, e, sizeof e);
        if (rc == -EINVAL) snprintf(msg, msglen, "setting '%s': %s", k->key, e);
        return rc;
    }
    }
    return -EINVAL;
}
