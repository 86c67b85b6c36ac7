/*
 * registry.h — the settings registry: one table that describes every
 * setting spate has (docs/settings.md is generated from it).
 *
 * Each row gives the key (libtorrent's settings_pack name where libtorrent
 * has the knob, "spate.*" for spate's own features), its type, bounds or
 * allowed values, default, unit, group, scope and one line of help. From
 * this table and only from it come validation and clamping (reg_normalize),
 * the store's rows, `--set`, `spate config`, the TUI settings editor and the
 * generated documentation.
 *
 * How a key reaches libtorrent (enum reg_apply):
 *  - REG_NATIVE:  a settings_pack entry, applied with apply_settings and
 *                 read back from session.get_settings();
 *  - REG_DERIVED: spate's key applied through another libtorrent call
 *                 (set_ip_filter, per-torrent flags, add_torrent_params,
 *                 the alternative speed limits onto download_rate_limit);
 *                 read back from that call's counterpart;
 *  - REG_OWN:     spate's own feature (mount, store timers, UI): nothing
 *                 native to read back.
 * The engine's tables beside this one say how a key acts (settings.c
 * session_ops[], torrent_opts.c torrent_ops[], indexed by reg_index());
 * front ends read the row's flags (REG_F_*), never a key's name.
 *
 * Everything here is constant data and pure functions: any thread.
 */
#ifndef SPATE_REGISTRY_H
#define SPATE_REGISTRY_H

#include <stdbool.h>
#include <stddef.h>

enum reg_type {
    REG_BOOL,      /* "true" / "false" (also yes/no, on/off, 1/0 on input) */
    REG_INT,       /* decimal integer in [min, max]; out of range is clamped */
    REG_ENUM,      /* one of the names in enums[] (or its number on input) */
    REG_STRING,    /* free text, at most max bytes, no control characters */
    REG_SECRET,    /* like REG_STRING, stored apart and never printed */
    REG_PATH,      /* "" or an absolute path */
    REG_HOSTPORTS, /* comma list of host:port ([v6]:port); libtorrent's
                    * listen_interfaces syntax (port suffix "s" = SSL) when
                    * the key allows it */
    REG_CIDRS,     /* comma list of addresses, CIDRs or ranges */
    REG_URLS,      /* comma list of http(s)/udp URLs */
    REG_SCHEDULE,  /* weekly schedule, "mon-fri 08:00-18:00; sat 10:00-12:00" */
};

enum reg_apply { REG_NATIVE, REG_DERIVED, REG_OWN };

/* Scope: where the key applies. Session keys are `spate config` keys;
 * per-torrent keys are set with `spate set ID KEY VALUE` and on add. */
enum reg_scope { REG_SESSION = 1, REG_TORRENT = 2 };

struct reg_enum {
    const char *name; /* libtorrent's enumerator name, e.g. "pe_forced" */
    int value;        /* its value in settings_pack */
};

struct reg_key {
    const char *key;
    enum reg_type type;
    enum reg_apply apply;
    unsigned scope; /* REG_SESSION and/or REG_TORRENT */
    const char *group;
    const char *unit; /* "bytes/s", "bytes", "s", "ms", "%", "per s" or NULL */
    long long min, max;
    /* spate's default as normalized text, or NULL: libtorrent's own
     * default (default_settings()) */
    const char *def;
    const struct reg_enum *enums; /* REG_ENUM: terminated by a NULL name */
    const char *help;
    /* extra check of a normalized value (an IP address, a fingerprint's
     * length, ...): NULL if fine, else a static message; may be NULL */
    const char *(*check)(const char *value);
    unsigned flags; /* REG_F_* */
};

/* Flags: what front ends and the engine read from the row instead of
 * guessing from a key's name. */
/* Per-torrent list keys take "+X" (add X) and "-X" (remove X). */
#define REG_F_LIST 1u
/* Chosen when a torrent is added; fixed after. */
#define REG_F_ADD_ONLY 2u
/* A URL list in tiers: "|" separates the tiers (BEP 12). */
#define REG_F_TIERS 4u
/* A per-torrent key with no default to restore: its "" means none (a
 * torrent's save path, its trackers, its web seeds). */
#define REG_F_NO_RESET 8u
/* Needs the torrent's metadata (its files) to be set. */
#define REG_F_NEEDS_METADATA 16u
/* Takes effect at the next start only; the read-back shows what is in
 * use until then. */
#define REG_F_RESTART 32u
/* REG_HOSTPORTS: a port may carry libtorrent's "s" suffix (SSL listen
 * socket). */
#define REG_F_SSL_PORTS 64u
/* The value names a category: front ends offer the categories there are. */
#define REG_F_CATEGORY 128u

/* At most this many rows (a compile-time bound for tables indexed by
 * reg_index()). */
#define REG_MAX_KEYS 256

/* The table, in display order (grouped). reg_at(i) for i < reg_count(). */
size_t reg_count(void);
const struct reg_key *reg_at(size_t i);
/* The row of `key`, or NULL if the registry has no such key. */
const struct reg_key *reg_find(const char *key);
/* The index of k in the table (k from reg_at/reg_find). */
size_t reg_index(const struct reg_key *k);

/* The groups in display order: names[0..*n-1], static strings. */
const char *const *reg_groups(size_t *n);
/* Whether `name` is a group. */
bool reg_is_group(const char *name);

/* "bool", "int", "enum", ... for docs and `config get --json`. */
const char *reg_type_name(enum reg_type t);

/* Validates `value` for k and writes its normalized text into out (the form
 * the store keeps and `config get` shows: "true", "42", "pe_forced",
 * "10.0.0.0/8,::1", ...). Returns 0 if taken as given, 1 if it was clamped
 * into [min, max] (msg says what is stored), -EINVAL for a value of the
 * wrong type or shape (msg: one line, out unspecified), -ERANGE if out is
 * too small. */
int reg_normalize(const struct reg_key *k, const char *value, char *out, size_t outlen, char *msg,
                  size_t msglen);

/* For REG_ENUM: the name of value v, or NULL. And the value of a name
 * (or of a decimal number that is a valid value), -1 if none. */
const char *reg_enum_name(const struct reg_key *k, int v);
int reg_enum_value(const struct reg_key *k, const char *name);

#endif
