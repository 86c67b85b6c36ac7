/*
 * registry.c — the table of every setting and the validation, clamping and
 * normalization of their values (see registry.h).
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

#define N REG_NATIVE
#define D REG_DERIVED
#define O REG_OWN
#define S REG_SESSION
#define T REG_TORRENT
#define IMAX INT_MAX

/* key, type, apply, scope, group, unit, min, max, default, enums, help, check
 * [, flags]: most rows have no flags, so the last field is left out */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"
static const struct reg_key table[] = {

    /* network */
    {"listen_interfaces", REG_HOSTPORTS, N, S, "network", NULL, 0, 0, "0.0.0.0:6881,[::]:6881",
     NULL, "interfaces and ports to listen on, IPv4 and IPv6 (a trailing s: SSL)", NULL},
    {"outgoing_interfaces", REG_STRING, N, S, "network", NULL, 0, 1024, NULL, NULL,
     "comma list of devices or addresses outgoing connections bind to; \"\": any", NULL},
    {"outgoing_port", REG_INT, N, S, "network", NULL, 0, 65535, NULL, NULL,
     "first local port of outgoing connections; 0: any port", NULL},
    {"num_outgoing_ports", REG_INT, N, S, "network", NULL, 0, 65535, NULL, NULL,
     "size of the outgoing port range starting at outgoing_port", NULL},
    {"peer_dscp", REG_INT, N, S, "network", NULL, 0, 63, NULL, NULL,
     "DSCP value of peer traffic (the TOS byte's upper six bits)", NULL},
    {"send_socket_buffer_size", REG_INT, N, S, "network", "bytes", 0, 64 * MB, NULL, NULL,
     "peer socket send buffer; 0: the system's default", NULL},
    {"recv_socket_buffer_size", REG_INT, N, S, "network", "bytes", 0, 64 * MB, NULL, NULL,
     "peer socket receive buffer; 0: the system's default", NULL},
    {"enable_incoming_tcp", REG_BOOL, N, S, "network", NULL, 0, 0, NULL, NULL,
     "accept incoming TCP peer connections", NULL},
    {"enable_outgoing_tcp", REG_BOOL, N, S, "network", NULL, 0, 0, NULL, NULL,
     "make outgoing TCP peer connections", NULL},
    {"enable_incoming_utp", REG_BOOL, N, S, "network", NULL, 0, 0, NULL, NULL,
     "accept incoming uTP peer connections (BEP 29)", NULL},
    {"enable_outgoing_utp", REG_BOOL, N, S, "network", NULL, 0, 0, "false", NULL,
     "make outgoing uTP connections; off: TCP out is ~20x faster on a LAN and reaches "
     "peers without uTP at once",
     NULL},
    {"mixed_mode_algorithm", REG_ENUM, N, S, "network", NULL, 0, 0, NULL, mixed_mode,
     "how TCP and uTP peers share the rate limit", NULL},
    {"out_enc_policy", REG_ENUM, N, S, "network", NULL, 0, 0, NULL, enc_policy,
     "protocol encryption of outgoing connections", NULL},
    {"in_enc_policy", REG_ENUM, N, S, "network", NULL, 0, 0, NULL, enc_policy,
     "protocol encryption of incoming connections", NULL},
    {"allowed_enc_level", REG_ENUM, N, S, "network", NULL, 0, 0, NULL, enc_level,
     "encryption levels allowed: plaintext (header only), rc4 (full stream) or both", NULL},
    {"prefer_rc4", REG_BOOL, N, S, "network", NULL, 0, 0, NULL, NULL,
     "prefer full-stream RC4 when both are allowed", NULL},
    {"allow_multiple_connections_per_ip", REG_BOOL, N, S, "network", NULL, 0, 0, NULL, NULL,
     "allow several peers behind one IP address in a swarm", NULL},
    {"announce_ip", REG_STRING, N, S, "network", NULL, 0, 64, NULL, NULL,
     "IP address sent to trackers as ours; \"\": let the tracker see it", check_ip},
    {"user_agent", REG_STRING, N, S, "network", NULL, 0, 256, "spate/" SPATE_VERSION, NULL,
     "client name sent to trackers and web seeds", NULL},
    {"peer_fingerprint", REG_STRING, N, S, "network", NULL, 0, 8, "-SP0100-", NULL,
     "first 8 bytes of our peer ID (Azureus style)", check_fingerprint},
    {"handshake_client_version", REG_STRING, N, S, "network", NULL, 0, 256, NULL, NULL,
     "client name in the extension handshake (BEP 10); \"\": user_agent", NULL},

    /* discovery */
    {"enable_dht", REG_BOOL, N, S, "discovery", NULL, 0, 0, "true", NULL,
     "find peers through the DHT (BEP 5)", NULL},
    {"dht_bootstrap_nodes", REG_HOSTPORTS, N, S, "discovery", NULL, 0, 0, NULL, NULL,
     "DHT nodes to join the network through", NULL},
    {"enable_lsd", REG_BOOL, N, S, "discovery", NULL, 0, 0, "false", NULL,
     "local service discovery: multicast on the LAN (BEP 14)", NULL},
    {"enable_upnp", REG_BOOL, N, S, "discovery", NULL, 0, 0, "false", NULL,
     "map the listen port on the router with UPnP", NULL},
    {"enable_natpmp", REG_BOOL, N, S, "discovery", NULL, 0, 0, "false", NULL,
     "map the listen port on the router with NAT-PMP / PCP", NULL},
    {"spate.pex", REG_BOOL, D, S, "discovery", NULL, 0, 0, "true", NULL,
     "peer exchange (BEP 11) in every torrent; off sets each torrent's disable_pex flag", NULL},

    /* proxy */
    {"proxy_type", REG_ENUM, N, S, "proxy", NULL, 0, 0, NULL, proxy_types,
     "proxy kind; *_pw ones send proxy_username/proxy_password (no HTTPS proxy in libtorrent)",
     NULL},
    {"proxy_hostname", REG_STRING, N, S, "proxy", NULL, 0, 256, NULL, NULL,
     "proxy host name or address", check_no_comma},
    {"proxy_port", REG_INT, N, S, "proxy", NULL, 0, 65535, NULL, NULL, "the proxy's port number",
     NULL},
    {"proxy_username", REG_STRING, N, S, "proxy", NULL, 0, 256, NULL, NULL,
     "user name for socks5_pw and http_pw", NULL},
    {"proxy_password", REG_SECRET, N, S, "proxy", NULL, 0, 256, NULL, NULL,
     "password for socks5_pw and http_pw (stored apart, never printed)", NULL},
    {"proxy_hostnames", REG_BOOL, N, S, "proxy", NULL, 0, 0, NULL, NULL,
     "let the proxy resolve host names", NULL},
    {"proxy_peer_connections", REG_BOOL, N, S, "proxy", NULL, 0, 0, NULL, NULL,
     "send peer connections through the proxy", NULL},
    {"proxy_tracker_connections", REG_BOOL, N, S, "proxy", NULL, 0, 0, NULL, NULL,
     "send tracker connections through the proxy", NULL},
    {"anonymous_mode", REG_BOOL, N, S, "proxy", NULL, 0, 0, NULL, NULL,
     "hide the client's identity; with a proxy, peers and trackers must go through it", NULL},
    {"i2p_hostname", REG_STRING, N, S, "proxy", NULL, 0, 256, NULL, NULL, "I2P SAM bridge host",
     check_no_comma},
    {"i2p_port", REG_INT, N, S, "proxy", NULL, 0, 65535, NULL, NULL, "I2P SAM bridge port", NULL},

    /* ip filter */
    {"spate.ip_filter", REG_CIDRS, D, S, "ip_filter", NULL, 0, 0, "", NULL,
     "addresses, CIDRs or ranges to block (libtorrent ip_filter)", NULL},
    {"spate.ip_filter_file", REG_PATH, D, S, "ip_filter", NULL, 0, 0, "", NULL,
     "blocklist file in eMule .dat or PeerGuardian P2P format, reloaded on change", NULL},
    {"spate.ip_filter_file_max_bytes", REG_INT, O, S, "ip_filter", "bytes", 1 * KB, 4 * GB,
     "536870912", NULL,
     "largest blocklist file read; a larger one is refused and the previous filter stays", NULL},
    {"apply_ip_filter_to_trackers", REG_BOOL, N, S, "ip_filter", NULL, 0, 0, NULL, NULL,
     "the IP filter also blocks trackers", NULL},

    /* limits and queueing */
    {"download_rate_limit", REG_INT, N, S, "limits", "bytes/s", 0, IMAX, NULL, NULL,
     "global download rate limit; 0: unlimited", NULL},
    {"upload_rate_limit", REG_INT, N, S, "limits", "bytes/s", 0, IMAX, NULL, NULL,
     "global upload rate limit; 0: unlimited", NULL},
    {"connections_limit", REG_INT, N, S, "limits", NULL, 2, 65535, NULL, NULL,
     "peer connections open at most, all torrents together", NULL},
    {"unchoke_slots_limit", REG_INT, N, S, "limits", NULL, -1, 65535, NULL, NULL,
     "peers unchoked at once (fixed_slots_choker); -1: unlimited", NULL},
    {"num_optimistic_unchoke_slots", REG_INT, N, S, "limits", NULL, 0, 1000, NULL, NULL,
     "optimistic unchoke slots; 0: a fifth of the unchoke slots", NULL},
    {"connection_speed", REG_INT, N, S, "limits", "per s", 1, 1000, NULL, NULL,
     "new outgoing peer connection attempts per second (the half-open limit)", NULL},
    {"choking_algorithm", REG_ENUM, N, S, "limits", NULL, 0, 0, NULL, choker,
     "how peers to unchoke are counted", NULL},
    {"seed_choking_algorithm", REG_ENUM, N, S, "limits", NULL, 0, 0, NULL, seed_choker,
     "which peers a seed unchokes", NULL},
    {"active_downloads", REG_INT, N, S, "limits", NULL, -1, 100000, NULL, NULL,
     "auto-managed torrents downloading at once; -1: unlimited", NULL},
    {"active_seeds", REG_INT, N, S, "limits", NULL, -1, 100000, NULL, NULL,
     "auto-managed torrents seeding at once; -1: unlimited", NULL},
    {"active_limit", REG_INT, N, S, "limits", NULL, -1, 100000, NULL, NULL,
     "auto-managed torrents active at once; -1: unlimited", NULL},
    {"active_checking", REG_INT, N, S, "limits", NULL, 1, 100, NULL, NULL,
     "torrents checking their files at once", NULL},
    {"dont_count_slow_torrents", REG_BOOL, N, S, "limits", NULL, 0, 0, NULL, NULL,
     "slow torrents do not count against the active limits", NULL},
    {"auto_manage_prefer_seeds", REG_BOOL, N, S, "limits", NULL, 0, 0, NULL, NULL,
     "the queue starts seeds before downloads", NULL},
    {"spate.ctl_idle_timeout_s", REG_INT, O, S, "limits", "s", 1, 86400, "300", NULL,
     "seconds a control-socket client may stay connected without sending a request or "
     "reading a reply before it is closed (the socket serves at most 256 at once)",
     NULL},

    /* alternative speed limits */
    {"spate.alt_speed", REG_BOOL, D, S, "alt_speed", NULL, 0, 0, "false", NULL,
     "alternative speed limits in force (set by hand or by the schedule)", NULL},
    {"spate.alt_download_rate_limit", REG_INT, D, S, "alt_speed", "bytes/s", 0, IMAX, "0", NULL,
     "download_rate_limit applied while alternative speed is on; 0: unlimited", NULL},
    {"spate.alt_upload_rate_limit", REG_INT, D, S, "alt_speed", "bytes/s", 0, IMAX, "0", NULL,
     "upload_rate_limit applied while alternative speed is on; 0: unlimited", NULL},
    {"spate.alt_speed_schedule", REG_SCHEDULE, O, S, "alt_speed", NULL, 0, 0, "", NULL,
     "weekly local-time ranges with alternative speed on, e.g. \"mon-fri 08:00-18:00\"; "
     "\"\": no schedule",
     NULL},

    /* seeding */
    {"share_ratio_limit", REG_INT, N, S, "seeding", "%", 0, 100000, NULL, NULL,
     "share ratio (upload/download) after which a seed is done, in percent", NULL},
    {"seed_time_ratio_limit", REG_INT, N, S, "seeding", "%", 0, 100000, NULL, NULL,
     "seeding time / downloading time after which a seed is done, in percent", NULL},
    {"seed_time_limit", REG_INT, N, S, "seeding", "s", 0, IMAX, NULL, NULL,
     "seeding time after which a seed is done", NULL},
    {"spate.seed_limit_action", REG_ENUM, O, S, "seeding", NULL, 0, 0, "none", seed_action,
     "what happens to a seed that reached share_ratio_limit or seed_time_limit "
     "(libtorrent only lowers its queue priority)",
     NULL},

    /* disk */
    {"max_queued_disk_bytes", REG_INT, N, S, "disk", "bytes", 16 * KB, 1 * GB, NULL, NULL,
     "bytes waiting to be written before peers are throttled", NULL},
    {"aio_threads", REG_INT, N, S, "disk", NULL, 1, 64, NULL, NULL, "disk I/O threads", NULL},
    {"hashing_threads", REG_INT, N, S, "disk", NULL, 1, 64, NULL, NULL,
     "threads verifying piece hashes", NULL},
    {"checking_mem_usage", REG_INT, N, S, "disk", "blocks", 1, 65536, NULL, NULL,
     "16 KiB blocks read ahead while checking files", NULL},
    {"file_pool_size", REG_INT, N, S, "disk", NULL, 4, 65536, NULL, NULL, "files kept open at once",
     NULL},
    {"send_buffer_watermark", REG_INT, N, S, "disk", "bytes", 0, 256 * MB, NULL, NULL,
     "upper bound of a peer's send buffer before disk reads pause", NULL},
    {"send_buffer_low_watermark", REG_INT, N, S, "disk", "bytes", 0, 256 * MB, NULL, NULL,
     "send buffer level at which more is read from disk", NULL},
    {"send_buffer_watermark_factor", REG_INT, N, S, "disk", "%", 1, 10000, NULL, NULL,
     "send buffer target as a percentage of the peer's upload rate", NULL},
    {"disk_io_write_mode", REG_ENUM, N, S, "disk", NULL, 0, 0, NULL, io_mode,
     "page cache use for writes", NULL},
    {"disk_io_read_mode", REG_ENUM, N, S, "disk", NULL, 0, 0, NULL, io_mode,
     "page cache use for reads", NULL},
    {"spate.storage_mode", REG_ENUM, D, S, "disk", NULL, 0, 0, "sparse", storage_modes,
     "new torrents' files: sparse, or allocated in full at start (add_torrent_params)", NULL},
    {"spate.disk_io", REG_ENUM, D, S, "disk", NULL, 0, 0, "posix", disk_ios,
     "disk I/O backend: posix (pread/pwrite) or mmap (memory-mapped files); restart-only: "
     "libtorrent chooses it when the session starts (session_params::disk_io_constructor)",
     NULL},
    {"spate.disk_full_retry_s", REG_INT, O, S, "disk", "s", 0, 86400, "30", NULL,
     "seconds between retries of a torrent stopped by a full disk (0: only `spate resume`)", NULL},
    {"spate.torrent_file_max_bytes", REG_INT, O, S, "disk", "bytes", 1 * KB, 1 * GB, "16777216",
     NULL, "largest .torrent file read when adding a path; a larger one is refused", NULL},
    {"spate.resume_interval_s", REG_INT, O, S, "disk", "s", 1, 86400, "60", NULL,
     "seconds between resume data saves", NULL},
    {"spate.status_interval_ms", REG_INT, O, S, "disk", "ms", 100, 60000, "1000", NULL,
     "status refresh (post_torrent_updates) and statistics interval", NULL},
    {"spate.db_backups", REG_INT, O, S, "disk", NULL, 0, 100, "3", NULL,
     "daily backups of spate.db kept in DATA_DIR/backups (sqlite online backup; also made "
     "before a schema migration; `spate db restore` puts one back); 0: none",
     NULL},

    /* trackers */
    {"announce_to_all_trackers", REG_BOOL, N, S, "trackers", NULL, 0, 0, NULL, NULL,
     "announce to every tracker of a tier, not only the first that works", NULL},
    {"announce_to_all_tiers", REG_BOOL, N, S, "trackers", NULL, 0, 0, NULL, NULL,
     "announce to one tracker in every tier (BEP 12)", NULL},
    {"tracker_completion_timeout", REG_INT, N, S, "trackers", "s", 1, 3600, NULL, NULL,
     "seconds a tracker request may take in all", NULL},
    {"tracker_receive_timeout", REG_INT, N, S, "trackers", "s", 1, 3600, NULL, NULL,
     "seconds of silence from a tracker before giving up", NULL},
    {"stop_tracker_timeout", REG_INT, N, S, "trackers", "s", 0, 3600, NULL, NULL,
     "seconds to wait for the stopped announces at quit", NULL},
    {"validate_https_trackers", REG_BOOL, N, S, "trackers", NULL, 0, 0, NULL, NULL,
     "check HTTPS trackers' certificates", NULL},
    {"spate.tracker_auth", REG_SECRET, D, S, "trackers", NULL, 0, 4096, "", NULL,
     "HTTP(S) tracker logins, host=user:password comma list, sent as Basic auth in the "
     "tracker URLs (stored apart, never printed)",
     check_tracker_auth},
    {"spate.default_trackers", REG_URLS, D, S, "trackers", NULL, 0, 0, "", NULL,
     "trackers added to every new public torrent (in a tier after its own)", NULL},

    /* mount */
    {"spate.mount", REG_BOOL, O, S, "mount", NULL, 0, 0, "true", NULL,
     "show every torrent's files in a FUSE mount", NULL},
    {"spate.mount_dir", REG_PATH, O, S, "mount", NULL, 0, 0, "", NULL,
     "the mount point; \"\": $XDG_RUNTIME_DIR/spate/mnt, else DATA_DIR/mnt", NULL},
    {"spate.fuse_readahead_bytes", REG_INT, O, S, "mount", "bytes", 0, 1 * GB, "16777216", NULL,
     "bytes fetched ahead of a sequential reader of the mount", NULL},
    {"spate.fuse_read_timeout_s", REG_INT, O, S, "mount", "s", 1, 86400, "60", NULL,
     "seconds a read of the mount waits for missing pieces (then EIO)", NULL},
    {"spate.fuse_resume_paused", REG_BOOL, O, S, "mount", NULL, 0, 0, "false", NULL,
     "a read of a paused torrent's missing pieces resumes it", NULL},
    {"spate.fuse_allow_remove", REG_BOOL, O, S, "mount", NULL, 0, 0, "false", NULL,
     "rmdir of a torrent's directory in the mount removes the torrent", NULL},
    {"spate.fuse_allow_other", REG_BOOL, O, S, "mount", NULL, 0, 0, "false", NULL,
     "other users may read the mount (FUSE allow_other)", NULL},
    {"spate.fuse_prefetch_ends", REG_BOOL, O, S, "mount", NULL, 0, 0, "true", NULL,
     "fetch the first and last piece of each file early while mounted", NULL},

    /* the terminal UI */
    {"spate.theme", REG_STRING, O, S, "ui", NULL, 0, 64, "default", NULL,
     "colour theme: default (dark), light, mono, or NAME for DATA_DIR/themes/NAME.theme; "
     "NO_COLOR in the environment means mono",
     check_theme_name},
    {"spate.keys", REG_STRING, O, S, "ui", NULL, 0, 4096, "", NULL,
     "key rebindings, ACTION=KEY comma list (e.g. \"remove=x,quit=Q\"); actions are "
     "named in the TUI's help",
     NULL},
    {"spate.ui_sort", REG_STRING, O, S, "ui", NULL, 0, 64, "queue", NULL,
     "the torrent list's sort column, with \":desc\" for the reverse order (s and S change "
     "it)",
     NULL},

    /* per torrent (`spate set ID KEY VALUE`, `spate add --opt KEY=VALUE`) */
    {"download_limit", REG_INT, N, T, "torrent", "bytes/s", 0, IMAX, "0", NULL,
     "the torrent's download rate limit; 0: unlimited", NULL},
    {"upload_limit", REG_INT, N, T, "torrent", "bytes/s", 0, IMAX, "0", NULL,
     "the torrent's upload rate limit; 0: unlimited", NULL},
    {"max_connections", REG_INT, N, T, "torrent", NULL, 0, 65535, "0", NULL,
     "the torrent's peer connections at most; 0: unlimited", NULL},
    {"max_uploads", REG_INT, N, T, "torrent", NULL, 0, 65535, "0", NULL,
     "the torrent's unchoked peers at most; 0: unlimited", NULL},
    {"sequential_download", REG_BOOL, N, T, "torrent", NULL, 0, 0, "false", NULL,
     "download pieces in order", NULL},
    {"first_last_piece", REG_BOOL, D, T, "torrent", NULL, 0, 0, "false", NULL,
     "the first and last piece of each file first (piece priority 7)", NULL},
    {"super_seeding", REG_BOOL, N, T, "torrent", NULL, 0, 0, "false", NULL,
     "super seeding (BEP 16) once the torrent is a seed", NULL},
    {"pex", REG_BOOL, N, T, "torrent", NULL, 0, 0, "true", NULL,
     "peer exchange (BEP 11) for this torrent (torrent flag disable_pex)", NULL},
    {"auto_managed", REG_BOOL, N, T, "torrent", NULL, 0, 0, "false", NULL,
     "the queue may start and stop the torrent (active_* limits)", NULL},
    {"queue_position", REG_INT, N, T, "torrent", NULL, -1, IMAX, "-1", NULL,
     "position in the download queue (also up, down, top, bottom); -1: not queued", NULL},
    {"storage_mode", REG_ENUM, N, T, "torrent", NULL, 0, 0, "sparse", storage_modes,
     "files sparse or allocated in full; chosen on add (default: spate.storage_mode)", NULL,
     REG_F_ADD_ONLY},
    {"save_path", REG_PATH, N, T, "torrent", NULL, 0, 0, "", NULL,
     "where the files are; a change moves them (move_storage)", NULL},
    {"trackers", REG_URLS, N, T, "torrent", NULL, 0, 0, "", NULL,
     "the torrent's trackers; tiers separated by \"|\" (BEP 12)", NULL, REG_F_LIST},
    {"web_seeds", REG_URLS, N, T, "torrent", NULL, 0, 0, "", NULL, "HTTP seeds (BEP 19)", NULL,
     REG_F_LIST},
    {"category", REG_STRING, O, T, "torrent", NULL, 0, 64, "", NULL,
     "category: its defaults (save path, limits) apply when it is set", check_no_comma},
    {"tags", REG_STRING, O, T, "torrent", NULL, 0, 1024, "", NULL, "comma list of free labels",
     NULL, REG_F_LIST},
};
#pragma GCC diagnostic pop

#undef N
#undef D
#undef O
#undef S
#undef T

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
    bool ssl = strcmp(k->key, "listen_interfaces") == 0;
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
