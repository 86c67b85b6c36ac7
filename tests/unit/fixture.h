/*
 * fixture.h — the shared unit-test fixture: a fresh temp directory per
 * test, the store opened on DIR/spate.db, and a real engine (a libtorrent
 * session on loopback only: DHT, LSD, UPnP and NAT-PMP off, listening on
 * 127.0.0.1 port 0) on its own libuv loop; helpers that run that loop
 * until a condition holds, within a bound; requests through the control
 * protocol; and the store rows and raw sqlite look-ups the store tests
 * share. Linked into every unit test (Makefile); not thread-safe except
 * where said. Every helper that can fail a test does so through cmocka.
 */
#ifndef SPATE_TEST_FIXTURE_H
#define SPATE_TEST_FIXTURE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <jansson.h>
#include <uv.h>

#include "store/store.h"

struct eng;
struct ctl_server;

/* One test's world. Every path is under `dir`, which the teardown removes. */
struct fx {
    uv_loop_t loop;
    bool loop_open; /* loop initialised by the setup: the teardown closes it */
    char dir[64];   /* /tmp/spate-test-XXXXXX */
    char dl[96];    /* DIR/dl, the download directory */
    char sock[96];  /* DIR/control.sock, for tests that start a ctl server */
    char path[128]; /* DIR/spate.db */
    struct store *st;
    struct eng *e;
    struct eng *peer;       /* fx_open_peer's engine, or NULL */
    struct ctl_server *srv; /* closed by fx_close_engine if a test started one */
    int quits;              /* on_quit calls, for server tests */
    bool fake_clock;        /* the engine reads `now` as its wall clock */
    time_t now;
};

/* --- setups and teardown (cmocka shapes: *state is the struct fx) --------- */

/* A directory only: dir and path set, nothing opened. */
int fx_setup_dir(void **state);
/* A directory and the store opened on `path`; no engine, no loop. */
int fx_setup_store(void **state);
/* Directory, store and engine on `loop`. */
int fx_setup(void **state);
/* fx_setup with an injected clock (`now`, starting at 0) and TZ=UTC. */
int fx_setup_clock(void **state);
/* Closes whatever is open (server, engine, loop, store), removes `dir`
 * and frees the fixture; -1 (a failed test) if the loop or dir will not go. */
int fx_teardown(void **state);

/* Whether the fixture gives the engine `key` on its command line (--set:
 * it wins over the stored profile), e.g. enable_dht. */
bool fx_sets_key(const char *key);

/* Creates a fresh `dir` (mkdtemp) with `dl` in it and fills every path;
 * 0 or -1. Opens nothing. */
int fx_init_dirs(struct fx *f);
/* Opens the store on `path` and an engine on `loop` (already initialised;
 * the caller's thread owns it). 0, or -1 with the reason on stderr (no
 * cmocka assertion, so a daemon thread may call it). */
int fx_open_engine(struct fx *f);
/* A second loopback engine on `loop` without a store (a peer for `e`:
 * a seeder), its data and download dir `name` under `dir`; kept in
 * `peer` and closed with the engine. Fails the test if it cannot start. */
struct eng *fx_open_peer(struct fx *f, const char *name);
/* Closes the server if any, shuts the engine (and the peer) down, runs `loop` until every
 * handle closed, frees the engine and closes the store. */
void fx_close_engine(struct fx *f);
/* Closes and reopens the store on `path` (fails the test if it will not). */
void fx_reopen_store(struct fx *f);
/* Removes `path` and everything under it (no symlinks followed); 0 or -1. */
int fx_remove_dir(const char *path);

/* --- running the loop ------------------------------------------------------ */

/* Runs `loop` (UV_RUN_NOWAIT, a short sleep between turns) until pred(f,
 * arg) is true or `timeout_ms` passed; returns pred's last answer. */
bool fx_run_until(struct fx *f, bool (*pred)(struct fx *f, int arg), int arg, int timeout_ms);
/* Runs the loop until the row of torrent `id` has its size (the engine
 * fills rows from libtorrent's status updates); fails after 5 s. */
void fx_wait_for_status(struct fx *f, int id);

/* --- requests through the control protocol (ctl_handle_line) ------------ */

/* Sends one request line and parses the reply (one JSON object on one
 * line, else the test fails); `quit` gets the quit flag (may be NULL). */
json_t *fx_call(struct fx *f, const char *line, bool *quit);
/* fx_call with a printf-formatted request (up to 4 KiB). */
json_t *fx_callf(struct fx *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Asserts the reply is an error with `code` and a message; returns the
 * error object (borrowed from r). */
json_t *fx_expect_error(json_t *r, const char *code);
/* Asserts the reply has a result and no error; returns it (borrowed). */
json_t *fx_expect_result(json_t *r);
/* Writes a minimal single-file .torrent `name` (one 16 KiB piece, data not
 * on disk) to `path`. */
void fx_write_torrent(const char *path, const char *name);
/* Writes DIR/NAME.torrent and adds it paused through `add`; *id_out gets
 * its id. Returns the reply (the caller frees it). */
json_t *fx_add_torrent(struct fx *f, const char *name, int *id_out);
/* Adds a magnet nobody can serve (no DHT, no peers: it never gets
 * metadata), paused; returns its id. */
int fx_add_magnet(struct fx *f);
/* Asserts one string-or-null field of a setting row (want NULL: JSON null). */
void fx_expect_field(json_t *row, const char *field, const char *want);
/* Asserts one row of config_get: its 9 fields, `stored` and `native` may
 * be NULL (JSON null). */
void fx_expect_row(json_t *row, const char *key, const char *effective, const char *stored,
                   const char *def, const char *native);
/* The number of per-torrent keys in the registry. */
size_t fx_n_torrent_keys(void);
/* Asserts one category object of `category_list`. */
void fx_expect_category(json_t *c, const char *name, const char *save_path, long long dl,
                        long long ul, long long ratio, long long seed_time);

/* --- store rows and the file behind the store's back --------------------- */

/* 40 lowercase hex digits from a number. */
void fx_make_hash(char out[41], unsigned n);

/* A torrent row as store_torrents_load gave it (owned copies). */
struct fx_row {
    char hash[41];
    char *name, *magnet, *save_path, *category, *tags;
    void *meta, *resume;
    size_t meta_len, resume_len;
    int64_t added, completed, queue;
    int paused;
};

struct fx_rows {
    struct fx_row r[32];
    int n;
};

/* Loads every torrent of `st` into rs (asserts the load succeeds). */
void fx_load_all(struct store *st, struct fx_rows *rs);
/* Frees what fx_load_all copied; rs is empty afterwards. */
void fx_rows_free(struct fx_rows *rs);
/* Asserts a row's category and tags. */
void fx_assert_labels(const struct fx_row *r, const char *category, const char *tags);
/* A torrent with a name, a save path, an added time and no queue position
 * (points at `hash` and `name`, which must outlive it). */
struct store_torrent fx_basic_torrent(const char *hash, const char *name);
/* Puts n basic torrents with hashes base..base+n-1 (asserts each put). */
void fx_put_n(struct store *st, unsigned base, int n);
/* The first column of the first row of `sql` on the database file at
 * `path`, opened read-only; INT64_MIN if there is none. */
int64_t fx_raw_int(const char *path, const char *sql);

#endif
