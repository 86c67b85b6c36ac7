/*
 * test_cli.c — unit tests for the `spate` command line (src/ctl/args.c),
 * the ID syntax the CLI accepts (eng_id_matches in src/engine/idspec.c),
 * file priority names (src/ctl/priority.c), the CLI's size formatting, the
 * `config` and per-torrent key checks, the lines and tables the CLI prints
 * (src/ctl/config.c, client_print.c), and the checks ctl_client_run() makes
 * before (and while) contacting a running instance: exit 2 for a missing
 * .torrent file, a bad ID, an unknown setting or a bad value, exit 3 when
 * nothing listens on the socket.
 */
#define SPATE_INTERNAL_CTL /* looks inside src/ctl/ (its private header) */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <setjmp.h>
#include <cmocka.h>

#include "util/utf8.h"
#include "ctl/ctl.h"
#include "ctl/ctl_int.h"
#include "engine/engine.h"

#define V1 "0123456789abcdef0123456789abcdef01234567"
#define V2 "fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210"

static struct ctl_args args;
static char err[256];

/* Parses a NULL-terminated argument list (argv[0] = "spate" is added). */
static int parse(const char *first, ...)
{
    static char *argv[64];
    int argc = 0;
    argv[argc++] = "spate";
    va_list ap;
    va_start(ap, first);
    for (const char *a = first; a; a = va_arg(ap, const char *))
        argv[argc++] = (char *)a;
    va_end(ap);
    argv[argc] = NULL;
    memset(err, 0, sizeof(err));
    return ctl_args_parse(argc, argv, &args, err, sizeof(err));
}

/* Expects a usage error whose message contains `needle`. */
static void expect_usage(const char *needle, int rc)
{
    assert_int_equal(rc, CTL_EXIT_USAGE);
    assert_non_null(strstr(err, needle));
    assert_null(strchr(err, '\n'));
}

/* --- argument parsing ---------------------------------------------------- */

static void test_args_no_arguments_means_tui(void **s)
{
    (void)s;
    assert_int_equal(parse(NULL), 0);
    assert_null(args.cmd);
    assert_false(args.daemon);
    assert_null(args.data_dir);
    assert_int_equal(args.n_sets, 0);
}

static void test_args_daemon_with_global_options(void **s)
{
    (void)s;
    assert_int_equal(
        parse("--daemon", "--data-dir", "/d", "--download-dir=/dl", "--socket", "/s.sock", NULL),
        0);
    assert_true(args.daemon);
    assert_null(args.cmd);
    assert_string_equal(args.data_dir, "/d");
    assert_string_equal(args.download_dir, "/dl");
    assert_string_equal(args.socket_path, "/s.sock");
}

static void test_args_global_options_before_and_after_subcommand(void **s)
{
    (void)s;
    assert_int_equal(parse("--data-dir", "/a", "ls", "--socket", "/b", "--json", NULL), 0);
    assert_string_equal(args.cmd, "ls");
    assert_string_equal(args.data_dir, "/a");
    assert_string_equal(args.socket_path, "/b");
    assert_true(args.json);

    assert_int_equal(parse("pause", "3", "--data-dir=/x", "abcdef", NULL), 0);
    assert_string_equal(args.cmd, "pause");
    assert_string_equal(args.data_dir, "/x");
    assert_int_equal(args.n_pos, 2);
    assert_string_equal(args.pos[0], "3");
    assert_string_equal(args.pos[1], "abcdef");
}

static void test_args_later_option_wins(void **s)
{
    (void)s;
    assert_int_equal(parse("--data-dir", "/a", "ls", "--data-dir", "/b", NULL), 0);
    assert_string_equal(args.data_dir, "/b");
}

static void test_args_set_is_split_and_repeatable(void **s)
{
    (void)s;
    assert_int_equal(parse("--set", "enable_dht=false", "--set=listen_interfaces=127.0.0.1:7001",
                           "ls", "--set", "user_agent=", NULL),
                     0);
    assert_int_equal(args.n_sets, 3);
    assert_string_equal(args.set_keys[0], "enable_dht");
    assert_string_equal(args.set_values[0], "false");
    /* only the first '=' splits */
    assert_string_equal(args.set_keys[1], "listen_interfaces");
    assert_string_equal(args.set_values[1], "127.0.0.1:7001");
    assert_string_equal(args.set_keys[2], "user_agent");
    assert_string_equal(args.set_values[2], "");
}

static void test_args_set_errors(void **s)
{
    (void)s;
    expect_usage("KEY=VALUE", parse("--set", "enable_dht", NULL));
    expect_usage("key", parse("--set", "=true", NULL));
    expect_usage("needs a value", parse("--set", NULL));
    char longkey[400];
    memset(longkey, 'k', sizeof(longkey));
    memcpy(longkey + 300, "=1", 3);
    expect_usage("too long", parse("--set", longkey, NULL));
}

static void test_args_add_with_options(void **s)
{
    (void)s;
    assert_int_equal(parse("add", "--paused", "--dir", "/dl", "--peer", "127.0.0.1:6881",
                           "--peer=[::1]:7000", "a.torrent", "magnet:?xt=urn:btih:x", NULL),
                     0);
    assert_string_equal(args.cmd, "add");
    assert_true(args.paused);
    assert_string_equal(args.dir, "/dl");
    assert_int_equal(args.n_peers, 2);
    assert_string_equal(args.peers[0], "127.0.0.1:6881");
    assert_string_equal(args.peers[1], "[::1]:7000");
    assert_int_equal(args.n_pos, 2);
    assert_string_equal(args.pos[0], "a.torrent");
    assert_string_equal(args.pos[1], "magnet:?xt=urn:btih:x");
}

static void test_args_double_dash_ends_options(void **s)
{
    (void)s;
    assert_int_equal(parse("add", "--", "--paused", "-x.torrent", NULL), 0);
    assert_false(args.paused);
    assert_int_equal(args.n_pos, 2);
    assert_string_equal(args.pos[0], "--paused");
    assert_string_equal(args.pos[1], "-x.torrent");
    /* a lone "-" is an operand */
    assert_int_equal(parse("add", "-", NULL), 0);
    assert_string_equal(args.pos[0], "-");
}

static void test_args_remove_delete_data_and_info_json(void **s)
{
    (void)s;
    assert_int_equal(parse("remove", "--delete-data", "1", "2", NULL), 0);
    assert_true(args.delete_data);
    assert_int_equal(args.n_pos, 2);
    assert_int_equal(parse("info", "7", "--json", NULL), 0);
    assert_true(args.json);
    assert_string_equal(args.pos[0], "7");
    for (const char *const *c = (const char *const[]){"resume", "recheck", "reannounce", NULL}; *c;
         c++) {
        assert_int_equal(parse(*c, "1", NULL), 0);
        assert_string_equal(args.cmd, *c);
    }
    assert_int_equal(parse("quit", NULL), 0);
    assert_string_equal(args.cmd, "quit");
}

static void test_args_priority_names_numbers_and_files(void **s)
{
    (void)s;
    assert_int_equal(parse("priority", "3", "high", "0", "12", NULL), 0);
    assert_string_equal(args.cmd, "priority");
    assert_string_equal(args.pos[0], "3"); /* the ID stays an operand for the client */
    assert_int_equal(args.prio, 7);
    assert_false(args.all_files);
    assert_int_equal(args.n_files, 2);
    assert_int_equal(args.files[0], 0);
    assert_int_equal(args.files[1], 12);

    const struct {
        const char *arg;
        int prio;
    } names[] = {{"skip", 0}, {"low", 1}, {"normal", 4}, {"high", 7}, {"HIGH", 7},
                 {"0", 0},    {"4", 4},   {"5", 5},      {"7", 7}};
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        assert_int_equal(parse("priority", "abcdef", names[i].arg, "1", NULL), 0);
        if (args.prio != names[i].prio)
            fail_msg("'%s' parsed as %d, not %d", names[i].arg, args.prio, names[i].prio);
    }

    assert_int_equal(parse("priority", "1", "skip", "all", NULL), 0);
    assert_int_equal(args.prio, 0);
    assert_true(args.all_files);
    assert_int_equal(args.n_files, 0);

    /* a repeated index is set once; global options may follow */
    assert_int_equal(parse("priority", "1", "low", "4", "2", "4", "--socket", "/s", NULL), 0);
    assert_int_equal(args.n_files, 2);
    assert_int_equal(args.files[0], 4);
    assert_int_equal(args.files[1], 2);
    assert_string_equal(args.socket_path, "/s");
    assert_int_equal(parse("priority", "1", "normal", "2147483647", NULL), 0);
    assert_int_equal(args.files[0], 2147483647);
}

static void test_args_priority_rejects_bad_forms(void **s)
{
    (void)s;
    expect_usage("priority: missing ID PRIO FILE", parse("priority", NULL));
    expect_usage("priority: missing ID PRIO FILE", parse("priority", "1", "high", NULL));
    expect_usage("bad priority 'urgent'", parse("priority", "1", "urgent", "0", NULL));
    expect_usage("bad priority '8'", parse("priority", "1", "8", "0", NULL));
    expect_usage("bad priority '07'", parse("priority", "1", "07", "0", NULL));
    expect_usage("bad priority ''", parse("priority", "1", "", "0", NULL));
    expect_usage("bad file 'x'", parse("priority", "1", "high", "0", "x", NULL));
    expect_usage("bad file '1.5'", parse("priority", "1", "high", "1.5", NULL));
    expect_usage("bad file ''", parse("priority", "1", "high", "", NULL));
    expect_usage("bad file '2147483648'", parse("priority", "1", "high", "2147483648", NULL));
    expect_usage("bad file 'ALL'", parse("priority", "1", "high", "ALL", NULL));
    expect_usage("either file indices or all", parse("priority", "1", "high", "all", "3", NULL));
    /* a negative number reads as an option, and is refused as one */
    expect_usage("unknown option '-1'", parse("priority", "1", "high", "-1", NULL));
    expect_usage("bad file '-1'", parse("priority", "1", "high", "--", "-1", NULL));
    expect_usage("not valid for 'priority'", parse("priority", "1", "high", "0", "--json", NULL));
}

static void test_args_config_get_set_reset(void **s)
{
    (void)s;
    assert_int_equal(parse("config", "get", "enable_dht", "spate.mount_dir", NULL), 0);
    assert_string_equal(args.cmd, "config");
    assert_string_equal(args.config_op, "get");
    assert_false(args.json);
    assert_int_equal(args.n_pos, 3);
    assert_string_equal(args.pos[1], "enable_dht");
    assert_string_equal(args.pos[2], "spate.mount_dir");

    /* --json anywhere after config; global options too */
    assert_int_equal(parse("config", "--json", "get", "a", "--socket", "/s", NULL), 0);
    assert_true(args.json);
    assert_string_equal(args.config_op, "get");
    assert_string_equal(args.socket_path, "/s");
    assert_int_equal(args.n_pos, 2);
    assert_int_equal(parse("--data-dir=/d", "config", "get", "a", "--json", NULL), 0);
    assert_true(args.json);

    assert_int_equal(parse("config", "set", "download_rate_limit", "12345", NULL), 0);
    assert_string_equal(args.config_op, "set");
    assert_int_equal(args.n_pos, 3);
    assert_string_equal(args.pos[1], "download_rate_limit");
    assert_string_equal(args.pos[2], "12345");
    /* "" is a value */
    assert_int_equal(parse("config", "set", "spate.mount_dir", "", NULL), 0);
    assert_string_equal(args.pos[2], "");
    /* a negative number is a value; other dashes go after "--" */
    assert_int_equal(parse("config", "set", "active_downloads", "-1", NULL), 0);
    assert_string_equal(args.pos[2], "-1");
    assert_int_equal(parse("config", "set", "user_agent", "--", "-x-", NULL), 0);
    assert_string_equal(args.pos[2], "-x-");
    /* a value with spaces is one argument */
    assert_int_equal(parse("config", "set", "user_agent", "my agent 1.0", NULL), 0);
    assert_string_equal(args.pos[2], "my agent 1.0");

    assert_int_equal(parse("config", "reset", "a", "b", "c", NULL), 0);
    assert_string_equal(args.config_op, "reset");
    assert_int_equal(args.n_pos, 4);
    /* help wins over a missing operand */
    assert_int_equal(parse("config", "--help", NULL), 0);
    assert_true(args.help);
}

static void test_args_config_rejects_bad_forms(void **s)
{
    (void)s;
    expect_usage("config: missing get [KEY|GROUP...] | set KEY VALUE", parse("config", NULL));
    expect_usage("config: unknown action 'show': give get, set, reset or history",
                 parse("config", "show", "enable_dht", NULL));
    expect_usage("unknown action 'GET'", parse("config", "GET", "enable_dht", NULL));
    expect_usage("config reset: missing KEY", parse("config", "reset", "--json", NULL));
    expect_usage("config set: missing KEY VALUE", parse("config", "set", NULL));
    expect_usage("config set: missing VALUE", parse("config", "set", "enable_dht", NULL));
    expect_usage("config history: takes at most one KEY",
                 parse("config", "history", "enable_dht", "user_agent", NULL));
    expect_usage("config set: takes one KEY and one VALUE, got 3",
                 parse("config", "set", "user_agent", "a", "b", NULL));
    expect_usage("config get: empty KEY", parse("config", "get", "enable_dht", "", NULL));
    expect_usage("config set: empty KEY", parse("config", "set", "", "1", NULL));
    /* options of other subcommands, or before config */
    expect_usage("not valid for 'config'", parse("config", "get", "a", "--paused", NULL));
    expect_usage("'--json' must follow its subcommand (ls info config get category stats)",
                 parse("--json", "config", "get", "a", NULL));
    expect_usage("unknown option '-x'", parse("config", "set", "user_agent", "-x", NULL));
    expect_usage("unknown option '-1x'", parse("config", "set", "user_agent", "-1x", NULL));
    /* negative numbers are operands only after config */
    expect_usage("unknown option '-1'", parse("pause", "-1", NULL));
    expect_usage("--daemon", parse("--daemon", "config", "get", "a", NULL));
}

static void test_config_check_keys_names_every_unknown_key(void **s)
{
    (void)s;
    char msg[256];
    const char *good[] = {"enable_dht",
                          "download_rate_limit",
                          "listen_interfaces",
                          "spate.mount",
                          "spate.mount_dir",
                          "spate.fuse_readahead_bytes",
                          "spate.fuse_read_timeout_s",
                          "spate.fuse_resume_paused",
                          "spate.fuse_allow_remove",
                          "spate.fuse_allow_other",
                          "spate.resume_interval_s",
                          "spate.status_interval_ms"};
    assert_int_equal(ctl_config_check_keys(good, sizeof(good) / sizeof(good[0]), msg, sizeof(msg)),
                     0);
    assert_string_equal(msg, "");
    const char *bad[] = {"enable_dht", "nope", "spate.nope", "", "ENABLE_DHT"};
    assert_int_equal(ctl_config_check_keys(bad, 5, msg, sizeof(msg)), 4);
    assert_string_equal(msg, "unknown setting 'nope'; unknown setting 'spate.nope'; unknown "
                             "setting ''; unknown setting 'ENABLE_DHT'");
    assert_int_equal(ctl_config_check_keys(bad + 1, 1, NULL, 0), 1);
}

static void test_print_config_lines(void **s)
{
    (void)s;
    json_t *rows = json_loads(
        "[{\"key\":\"download_rate_limit\",\"effective\":\"12345\",\"stored\":\"12345\","
        "\"default\":\"0\",\"native\":\"12345\"},"
        "{\"key\":\"enable_dht\",\"effective\":\"true\",\"stored\":null,\"default\":\"true\","
        "\"native\":\"true\"},"
        "{\"key\":\"spate.mount_dir\",\"effective\":\"\",\"stored\":\"\",\"default\":\"\","
        "\"native\":null},"
        "{\"key\":\"user_agent\",\"effective\":\"a\\u001bb\",\"stored\":null,\"default\":\"x\","
        "\"native\":\"a\\u001bb\"},"
        "{\"key\":\"spate.mount_dir\",\"effective\":\"/mnt/t\",\"stored\":\"/mnt/t\",\"default\":"
        "\"\",\"native\":null}]",
        0, NULL);
    assert_non_null(rows);
    char buf[2048];
    FILE *f = fmemopen(buf, sizeof(buf), "w");
    ctl_print_config(f, rows, "get");
    fclose(f);
    assert_string_equal(buf, "download_rate_limit = 12345 (stored: 12345) (default: 0)\n"
                             "enable_dht = true\n"
                             "spate.mount_dir = \"\" (stored: \"\")\n"
                             "user_agent = a?b (default: x)\n"
                             "spate.mount_dir = /mnt/t (stored: /mnt/t) (default: \"\")\n");
    f = fmemopen(buf, sizeof(buf), "w");
    ctl_print_config(f, json_array_get(rows, 0), "set");
    fclose(f);
    assert_string_equal(buf, "download_rate_limit = 12345 (stored)\n");
    f = fmemopen(buf, sizeof(buf), "w");
    ctl_print_config(f, rows, "reset");
    fclose(f);
    assert_non_null(strstr(buf, "enable_dht = true (default)\nspate.mount_dir = \"\" (default)\n"));
    json_decref(rows);
}

static void test_args_add_torrent_options(void **s)
{
    (void)s;
    assert_int_equal(parse("add", "--opt", "download_limit=1000", "--opt=tags=a,b", "--seed-mode",
                           "--category", "movies", "--tags", "x,y", "--opt",
                           "save_path=", "a.torrent", NULL),
                     0);
    assert_true(args.seed_mode);
    assert_string_equal(args.category, "movies");
    assert_string_equal(args.tags, "x,y");
    assert_int_equal(args.n_opts, 3);
    /* kept whole: the client splits them */
    assert_string_equal(args.opts[0], "download_limit=1000");
    assert_string_equal(args.opts[1], "tags=a,b");
    assert_string_equal(args.opts[2], "save_path=");
    assert_int_equal(args.n_pos, 1);

    expect_usage("--opt needs KEY=VALUE, got 'pex'", parse("add", "--opt", "pex", "a", NULL));
    expect_usage("--opt needs a key before '=', got '=1'", parse("add", "--opt", "=1", "a", NULL));
    expect_usage("'--opt' needs a value", parse("add", "a", "--opt", NULL));
    expect_usage("'--category' needs a value", parse("add", "--category=", "a", NULL));
    expect_usage("not valid for 'pause'", parse("pause", "1", "--seed-mode", NULL));
    expect_usage("not valid for 'ls'", parse("ls", "--tags", "a", NULL));
    expect_usage("not valid for 'add'", parse("add", "--tag", "a", "x.torrent", NULL));
}

static void test_args_ls_filters_and_stats(void **s)
{
    (void)s;
    assert_int_equal(parse("ls", "--category", "movies", "--tag=hd", "--json", NULL), 0);
    assert_string_equal(args.category, "movies");
    assert_string_equal(args.tag, "hd");
    assert_true(args.json);
    assert_int_equal(parse("stats", "--json", NULL), 0);
    assert_string_equal(args.cmd, "stats");
    assert_true(args.json);
    expect_usage("unexpected argument 'now'", parse("stats", "now", NULL));
}

static void test_args_set_and_get(void **s)
{
    (void)s;
    assert_int_equal(parse("set", "1", "abcdef", "download_limit", "1000", NULL), 0);
    assert_string_equal(args.cmd, "set");
    assert_int_equal(args.n_pos, 4);
    assert_string_equal(args.pos[2], "download_limit");
    assert_string_equal(args.pos[3], "1000");
    /* after set, "-X" is a value (a list item to remove), and so is "-1" */
    assert_int_equal(parse("set", "1", "tags", "-old", NULL), 0);
    assert_string_equal(args.pos[2], "-old");
    assert_int_equal(parse("set", "1", "queue_position", "-1", "--socket", "/s", NULL), 0);
    assert_string_equal(args.pos[2], "-1");
    assert_string_equal(args.socket_path, "/s");
    assert_int_equal(parse("set", "1", "save_path", "", NULL), 0);
    assert_string_equal(args.pos[2], "");
    /* -h still asks for help */
    assert_int_equal(parse("set", "-h", NULL), 0);
    assert_true(args.help);

    assert_int_equal(parse("get", "1", NULL), 0);
    assert_string_equal(args.cmd, "get");
    assert_int_equal(args.n_pos, 1);
    assert_int_equal(parse("get", "1", "pex", "tags", "--json", NULL), 0);
    assert_true(args.json);
    assert_int_equal(args.n_pos, 3);
}

static void test_args_set_and_get_reject_bad_forms(void **s)
{
    (void)s;
    expect_usage("set: missing ID... KEY VALUE", parse("set", NULL));
    expect_usage("set: missing ID... KEY VALUE", parse("set", "1", "pex", NULL));
    expect_usage("set: empty KEY", parse("set", "1", "", "true", NULL));
    expect_usage("not valid for 'set'", parse("set", "1", "pex", "true", "--json", NULL));
    expect_usage("unknown option '--old'", parse("set", "1", "tags", "--old", NULL));
    expect_usage("get: missing ID [KEY...]", parse("get", NULL));
    expect_usage("get: empty KEY", parse("get", "1", "pex", "", NULL));
    expect_usage("not valid for 'get'", parse("get", "1", "--paused", NULL));
    /* only set takes "-X" as a value */
    expect_usage("unknown option '-old'", parse("get", "1", "-old", NULL));
}

static void test_args_category_ls_set_rm(void **s)
{
    (void)s;
    assert_int_equal(parse("category", "ls", "--json", NULL), 0);
    assert_string_equal(args.cmd, "category");
    assert_string_equal(args.category_op, "ls");
    assert_true(args.json);
    assert_int_equal(parse("category", "set", "movies", "save_path=/m", "download_limit=5000",
                           "upload_limit=0", "share_ratio_limit=-1", "seed_time_limit=3600", NULL),
                     0);
    assert_string_equal(args.category_op, "set");
    assert_int_equal(args.n_pos, 7);
    assert_string_equal(args.pos[1], "movies");
    assert_int_equal(parse("category", "set", "tv", NULL), 0); /* all defaults */
    assert_int_equal(parse("category", "set", "tv", "save_path=", NULL), 0);
    assert_int_equal(parse("category", "rm", "tv", NULL), 0);
    assert_string_equal(args.category_op, "rm");
}

static void test_args_category_rejects_bad_forms(void **s)
{
    (void)s;
    expect_usage("category: missing ls | set NAME", parse("category", NULL));
    expect_usage("category: unknown action 'list': give ls, set or rm",
                 parse("category", "list", NULL));
    expect_usage("category ls: unexpected argument 'x'", parse("category", "ls", "x", NULL));
    expect_usage("category set: missing NAME", parse("category", "set", NULL));
    expect_usage("category rm: missing NAME", parse("category", "rm", NULL));
    expect_usage("category rm: takes one NAME, got 2", parse("category", "rm", "a", "b", NULL));
    expect_usage("category set needs KEY=VALUE, got 'fast'",
                 parse("category", "set", "a", "fast", NULL));
    expect_usage("category set: unknown key 'speed'",
                 parse("category", "set", "a", "speed=5", NULL));
    expect_usage("category set: download_limit takes an integer, not 'fast'",
                 parse("category", "set", "a", "download_limit=fast", NULL));
    expect_usage("category set: seed_time_limit takes an integer, not ''",
                 parse("category", "set", "a", "seed_time_limit=", NULL));
    expect_usage("category set: upload_limit takes an integer, not ' 5'",
                 parse("category", "set", "a", "upload_limit= 5", NULL));
    expect_usage("not valid for 'category'", parse("category", "ls", "--paused", NULL));
}

/* The category fields are one table (src/ctl/category.c): the message for
 * an unknown key names every field, in the table's order, as it always
 * did; a path field takes any text, the others integers. */
static void test_args_category_keys_come_from_the_field_table(void **s)
{
    (void)s;
    assert_int_equal(parse("category", "set", "a", "speed=5", NULL), CTL_EXIT_USAGE);
    assert_string_equal(err, "category set: unknown key 'speed': give save_path, download_limit, "
                             "upload_limit, share_ratio_limit or seed_time_limit");
    assert_int_equal(parse("category", "set", "a", "save_path=fast", "download_limit=1",
                           "upload_limit=2", "share_ratio_limit=-1", "seed_time_limit=0", NULL),
                     0);
    expect_usage("category set: share_ratio_limit takes an integer, not 'x'",
                 parse("category", "set", "a", "share_ratio_limit=x", NULL));
}

static void test_torrent_check_keys_names_session_and_unknown_keys(void **s)
{
    (void)s;
    char msg[512];
    const char *good[] = {"download_limit",
                          "upload_limit",
                          "max_connections",
                          "max_uploads",
                          "sequential_download",
                          "first_last_piece",
                          "super_seeding",
                          "pex",
                          "auto_managed",
                          "queue_position",
                          "save_path",
                          "trackers",
                          "web_seeds",
                          "category",
                          "tags"};
    assert_int_equal(ctl_torrent_check_keys(good, sizeof(good) / sizeof(good[0]), msg, sizeof(msg)),
                     0);
    assert_string_equal(msg, "");
    const char *bad[] = {"pex", "enable_dht", "nope", "torrent"};
    assert_int_equal(ctl_torrent_check_keys(bad, 4, msg, sizeof(msg)), 3);
    assert_string_equal(msg, "'enable_dht' is a session setting (spate config set enable_dht "
                             "VALUE); unknown setting 'nope'; unknown setting 'torrent'");
    /* and the other way round */
    assert_int_equal(ctl_config_check_keys(good, 1, msg, sizeof(msg)), 1);
    assert_string_equal(msg, "'download_limit' is a per-torrent setting (spate set ID "
                             "download_limit VALUE)");
}

/* Prints through fn into a buffer; returns it (static). */
static const char *printed(void (*fn)(FILE *, json_t *), const char *json)
{
    static char buf[4096];
    json_t *v = json_loads(json, 0, NULL);
    assert_non_null(v);
    FILE *f = fmemopen(buf, sizeof(buf), "w");
    fn(f, v);
    fclose(f);
    json_decref(v);
    return buf;
}

static void test_print_ls_shows_labels_only_when_some_torrent_has_them(void **s)
{
    (void)s;
    const char *plain = "[{\"id\":1,\"name\":\"a.bin\",\"state\":\"paused\",\"progress\":0.5,"
                        "\"total_bytes\":2048,\"down_rate\":0,\"up_rate\":0,\"ratio\":0,"
                        "\"category\":\"\",\"tags\":\"\"}]";
    assert_string_equal(printed(ctl_print_ls, plain),
                        "  ID  DONE       SIZE  STATE              DOWN          UP  RATIO  NAME\n"
                        "   1   50%    2.0 KiB  paused            0 B/s       0 B/s   0.00  "
                        "a.bin\n");
    const char *labels =
        "[{\"id\":1,\"name\":\"a.bin\",\"state\":\"paused\",\"total_bytes\":0,"
        "\"category\":\"documentaries\",\"tags\":\"\"},"
        "{\"id\":2,\"name\":\"b\\u001b.bin\",\"state\":\"seeding\",\"total_bytes\":0,"
        "\"category\":\"\",\"tags\":\"hd,x\"}]";
    const char *out = printed(ctl_print_ls, labels);
    assert_non_null(strstr(out, "RATIO  CATEGORY       TAGS  NAME\n"));
    assert_non_null(strstr(out, "0.00  documentaries        a.bin\n"));
    assert_non_null(strstr(out, "0.00                 hd,x  b?.bin\n"));
}

/* Whether out has a byte a terminal takes as a control, newlines aside:
 * C0, DEL, a C1 as UTF-8 (C2 80-9F) or raw (not UTF-8 at all). */
static bool has_control(const char *out)
{
    const unsigned char *p = (const unsigned char *)out;
    for (size_t i = 0; p[i]; i++) {
        if ((p[i] < 0x20 && p[i] != '\n') || p[i] == 0x7f) return true;
        if (p[i] == 0xc2 && p[i + 1] >= 0x80 && p[i + 1] <= 0x9f) return true;
    }
    return !util_utf8_valid(out, strlen(out));
}

/* Every text field of ls and info, from the daemon, a torrent or a user,
 * reaches the terminal with its controls (ESC, C1 U+009B and U+0085, DEL,
 * newline, tab) as '?'. */
static void test_print_ls_and_info_replace_controls_in_every_field(void **s)
{
    (void)s;
    const char *ls = "[{\"id\":1,\"name\":\"n\\u001b[2J\\u009b31m\\n\",\"state\":\"x\\u009by\","
                     "\"total_bytes\":0,\"category\":\"c\\u0085\\t\",\"tags\":\"t\\u007f\"}]";
    const char *out = printed(ctl_print_ls, ls);
    assert_false(has_control(out));
    assert_non_null(strstr(out, "x?y"));
    assert_non_null(strstr(out, "c??"));
    assert_non_null(strstr(out, "n?[2J?31m?\n"));
    const char *info =
        "{\"id\":1,\"name\":\"n\\u009b\",\"info_hash\":\"h\\u001b\",\"state\":\"s\\u009b\","
        "\"error\":\"e\\r\\u009b\",\"save_path\":\"/"
        "p\\u001b]0;t\\u0007\",\"category\":\"c\\u0085\","
        "\"tags\":\"t\\n\",\"has_metadata\":true,\"files\":[{\"index\":0,\"priority\":4,"
        "\"size\":1,\"path\":\"d\\u001b/f\\u009b\"}]}";
    out = printed(ctl_print_info, info);
    assert_false(has_control(out));
    assert_non_null(strstr(out, "/p?]0;t?\n"));
    assert_non_null(strstr(out, "d?/f?\n"));
}

static void test_print_torrent_opts_categories_and_stats(void **s)
{
    (void)s;
    json_t *one = json_loads("[{\"id\":3,\"key\":\"download_limit\",\"value\":\"5\"},"
                             "{\"id\":3,\"key\":\"save_path\",\"value\":\"\"},"
                             "{\"id\":3,\"key\":\"tags\",\"value\":null}]",
                             0, NULL);
    char buf[1024];
    FILE *f = fmemopen(buf, sizeof(buf), "w");
    ctl_print_torrent_opts(f, one);
    fclose(f);
    assert_string_equal(buf, "download_limit = 5\nsave_path = \"\"\ntags = (unreadable)\n");
    json_decref(one);
    assert_string_equal(printed(ctl_print_torrent_opts,
                                "[{\"id\":1,\"key\":\"pex\",\"value\":\"true\"},"
                                "{\"id\":2,\"key\":\"pex\",\"value\":\"true\"}]"),
                        "torrent 1: pex = true\ntorrent 2: pex = true\n");

    assert_string_equal(
        printed(ctl_print_categories,
                "[{\"name\":\"tv\",\"save_path\":\"/srv/tv\",\"download_limit\":1048576,"
                "\"upload_limit\":0,\"share_ratio_limit\":150,\"seed_time_limit\":7200},"
                "{\"name\":\"x\",\"save_path\":\"\",\"download_limit\":0,\"upload_limit\":10,"
                "\"share_ratio_limit\":-1,\"seed_time_limit\":-1}]"),
        "NAME         DOWN          UP  RATIO SEED TIME  SAVE PATH\n"
        "tv      1.0 MiB/s           -   1.50     2h00m  /srv/tv\n"
        "x               -      10 B/s      -         -  -\n");
    /* one category (category set's result) prints the same */
    assert_non_null(strstr(printed(ctl_print_categories, "{\"name\":\"tv\",\"download_limit\":0,"
                                                         "\"share_ratio_limit\":0}"),
                           "\ntv              -           -   0.00"));

    assert_string_equal(
        printed(ctl_print_stats,
                "{\"down_rate\":2048,\"up_rate\":0,\"listen_port\":6881,\"torrents\":3,"
                "\"downloading\":1,\"seeding\":1,\"paused\":1,\"checking\":0,\"queued\":0,"
                "\"error\":0,\"dht_enabled\":true,\"alt_speed\":true,\"ip_filter_ranges\":12,"
                "\"blocked_peers\":4}"),
        "rates:             down 2.0 KiB/s, up 0 B/s\n"
        "listen port:       6881\n"
        "torrents:          3 (1 downloading, 1 seeding, 1 paused, 0 checking, 0 queued, 0 "
        "error)\n"
        "dht:               on\n"
        "alt speed limits:  on\n"
        "ip filter:         12 ranges, 4 peers blocked\n");
}

static void test_prio_names_round_trip(void **s)
{
    (void)s;
    for (int p = 0; p <= CTL_PRIO_MAX; p++)
        assert_int_equal(ctl_prio_parse(ctl_prio_name(p)), p);
    assert_string_equal(ctl_prio_name(0), "skip");
    assert_string_equal(ctl_prio_name(1), "low");
    assert_string_equal(ctl_prio_name(4), "normal");
    assert_string_equal(ctl_prio_name(7), "high");
    assert_string_equal(ctl_prio_name(8), "?");
    assert_string_equal(ctl_prio_name(-1), "?");
    assert_int_equal(ctl_prio_parse(NULL), -1);
    assert_int_equal(ctl_prio_parse("hi"), -1);
    assert_int_equal(ctl_prio_parse("-1"), -1);
}

static void test_args_help_and_version(void **s)
{
    (void)s;
    assert_int_equal(parse("--help", NULL), 0);
    assert_true(args.help);
    assert_int_equal(parse("-h", NULL), 0);
    assert_true(args.help);
    assert_int_equal(parse("-V", NULL), 0);
    assert_true(args.version);
    assert_int_equal(parse("--version", NULL), 0);
    assert_true(args.version);
    /* help wins over a missing operand */
    assert_int_equal(parse("info", "--help", NULL), 0);
    assert_true(args.help);
    assert_string_equal(args.cmd, "info");
}

static void test_args_unknown_option(void **s)
{
    (void)s;
    expect_usage("unknown option '--frobnicate'", parse("--frobnicate", NULL));
    expect_usage("unknown option '--frobnicate'", parse("ls", "--frobnicate=3", NULL));
    expect_usage("unknown option '-x'", parse("-x", NULL));
    expect_usage("unknown option '-hV'", parse("-hV", NULL));
}

static void test_args_subcommand_option_in_wrong_place(void **s)
{
    (void)s;
    expect_usage("must follow", parse("--json", "ls", NULL));
    expect_usage("not valid for 'ls'", parse("ls", "--paused", NULL));
    expect_usage("not valid for 'add'", parse("add", "--json", "x.torrent", NULL));
}

static void test_args_missing_value(void **s)
{
    (void)s;
    expect_usage("'--data-dir' needs a value", parse("--data-dir", NULL));
    expect_usage("'--socket' needs a value", parse("ls", "--socket", NULL));
    expect_usage("'--dir' needs a value", parse("add", "x.torrent", "--dir", NULL));
    expect_usage("'--peer' needs a value", parse("add", "x.torrent", "--peer=", NULL));
    expect_usage("'--download-dir' needs a value", parse("--download-dir=", NULL));
}

static void test_args_flag_with_value(void **s)
{
    (void)s;
    expect_usage("takes no value", parse("--daemon=yes", NULL));
    expect_usage("takes no value", parse("ls", "--json=1", NULL));
}

static void test_args_unknown_subcommand(void **s)
{
    (void)s;
    expect_usage("unknown subcommand 'frob'", parse("frob", NULL));
    expect_usage("unknown subcommand 'x.torrent'", parse("x.torrent", NULL));
}

static void test_args_missing_or_extra_operands(void **s)
{
    (void)s;
    expect_usage("add: missing SOURCE", parse("add", "--paused", NULL));
    expect_usage("info: missing ID", parse("info", NULL));
    expect_usage("info: takes one ID", parse("info", "1", "2", NULL));
    expect_usage("pause: missing ID", parse("pause", NULL));
    expect_usage("remove: missing ID", parse("remove", "--delete-data", NULL));
    expect_usage("unexpected argument '1'", parse("ls", "1", NULL));
    expect_usage("unexpected argument 'now'", parse("quit", "now", NULL));
}

static void test_args_daemon_with_subcommand(void **s)
{
    (void)s;
    expect_usage("--daemon", parse("--daemon", "ls", NULL));
    expect_usage("--daemon", parse("quit", "--daemon", NULL));
}

static void test_args_db_backups_and_restore(void **s)
{
    (void)s;
    assert_int_equal(parse("db", "backups", NULL), 0);
    assert_string_equal(args.cmd, "db");
    assert_int_equal(parse("--data-dir", "/d", "db", "restore", NULL), 0);
    assert_int_equal(args.n_pos, 1);
    assert_int_equal(parse("db", "restore", "/b/spate-20260101-000000.db", NULL), 0);
    assert_int_equal(args.n_pos, 2);
    expect_usage("db: unknown action 'wipe'", parse("db", "wipe", NULL));
    expect_usage("unexpected argument", parse("db", "backups", "x", NULL));
    expect_usage("db", parse("db", NULL));
    expect_usage("db", parse("db", "restore", "a", "b", NULL));
}

static void test_usage_lists_commands_and_exit_codes(void **s)
{
    (void)s;
    char buf[8192] = "";
    FILE *f = fmemopen(buf, sizeof(buf) - 1, "w");
    assert_non_null(f);
    ctl_usage(f);
    fclose(f);
    const char *needles[] = {"add ",
                             "ls ",
                             "info ID",
                             "pause ID",
                             "resume ID",
                             "recheck ID",
                             "reannounce ID",
                             "priority ID PRIO FILE",
                             "skip",
                             "--delete-data",
                             "quit",
                             "db backups",
                             "db restore [FILE]",
                             "--data-dir",
                             "--download-dir",
                             "--socket",
                             "--set KEY=VALUE",
                             "--daemon",
                             "--help",
                             "--version",
                             "--peer",
                             "--paused",
                             "--dir",
                             "--json",
                             "config get [KEY|GROUP...]",
                             "config set KEY VALUE",
                             "config reset KEY",
                             "set ID... KEY VALUE",
                             "get ID [KEY...]",
                             "category ls",
                             "category set NAME [KEY=VALUE]",
                             "category rm NAME",
                             "stats",
                             "--opt KEY=VALUE",
                             "--seed-mode",
                             "--category NAME",
                             "--tag TAG",
                             "queue_position",
                             "\"+X\" adds X",
                             "spate.mount_dir",
                             "kept across restarts",
                             "one run only",
                             "0  success",
                             "1  runtime failure",
                             "2  usage",
                             "3  no running instance"};
    for (size_t i = 0; i < sizeof(needles) / sizeof(needles[0]); i++) {
        if (!strstr(buf, needles[i])) fail_msg("usage text lacks '%s'", needles[i]);
    }
}

/* --- IDs --------------------------------------------------------------------- */

static void test_id_decimal_matches_id(void **s)
{
    (void)s;
    assert_int_equal(eng_id_matches("3", 3, V1, ""), 1);
    assert_int_equal(eng_id_matches("3", 4, V1, ""), 0);
    assert_int_equal(eng_id_matches("12", 12, V1, V2), 1);
}

static void test_id_hex_prefix_of_v1_or_v2(void **s)
{
    (void)s;
    assert_int_equal(eng_id_matches("012345", 1, V1, ""), 1);
    assert_int_equal(eng_id_matches(V1, 1, V1, ""), 1);
    assert_int_equal(eng_id_matches("fedcba98", 1, V1, V2), 1);
    assert_int_equal(eng_id_matches(V2, 1, V1, V2), 1);
    assert_int_equal(eng_id_matches("abcdef", 1, V1, V2), 0);
    /* a v2 prefix does not match a torrent without a v2 hash */
    assert_int_equal(eng_id_matches("fedcba98", 1, V1, ""), 0);
}

static void test_id_hex_prefix_is_case_insensitive(void **s)
{
    (void)s;
    assert_int_equal(eng_id_matches("0123456789ABCDEF", 1, V1, ""), 1);
    assert_int_equal(eng_id_matches("FEDCBA", 1, V1, V2), 1);
}

static void test_id_malformed_specs_are_einval(void **s)
{
    (void)s;
    assert_int_equal(eng_id_matches("abc", 1, V1, ""), -EINVAL);   /* < 6 hex */
    assert_int_equal(eng_id_matches("abcde", 1, V1, ""), -EINVAL); /* 5 hex */
    assert_int_equal(eng_id_matches("xyz123", 1, V1, ""), -EINVAL);
    assert_int_equal(eng_id_matches("0123g5", 1, V1, ""), -EINVAL);
    assert_int_equal(eng_id_matches("", 1, V1, ""), -EINVAL);
    assert_int_equal(eng_id_matches("-1", 1, V1, ""), -EINVAL);
    assert_int_equal(eng_id_matches(NULL, 1, V1, ""), -EINVAL);
}

static void test_id_six_digits_may_be_hash_prefix(void **s)
{
    (void)s;
    /* six decimal digits are a valid hex prefix: they match the hash */
    assert_int_equal(eng_id_matches("012345", 7, V1, ""), 1);
    assert_int_equal(eng_id_matches("999999", 7, V1, ""), 0);
}

/* --- formatting ------------------------------------------------------------------ */

/* `spate ls` and `spate info` spell numbers as the TUI does (util/fmt.h):
 * 1048575 bytes is "1.0 MiB" (it read "1023 KiB"), an unknown ETA "-", a
 * ratio of 150 "150.0" in a column of 6. */
static void test_print_ls_and_info_spell_numbers_like_the_tui(void **s)
{
    (void)s;
    const char *ls = "[{\"id\":1,\"name\":\"a.bin\",\"state\":\"seeding\",\"progress\":1,"
                     "\"total_bytes\":1048575,\"down_rate\":2621440,\"up_rate\":-1,"
                     "\"ratio\":150,\"category\":\"\",\"tags\":\"\"}]";
    assert_string_equal(printed(ctl_print_ls, ls),
                        "  ID  DONE       SIZE  STATE              DOWN          UP  RATIO  NAME\n"
                        "   1  100%    1.0 MiB  seeding       2.5 MiB/s           -  150.0  "
                        "a.bin\n");
    const char *info = "{\"id\":1,\"name\":\"a.bin\",\"state\":\"seeding\",\"total_bytes\":1048575,"
                       "\"piece_length\":16384,\"ratio\":1.25,\"eta_s\":-1,\"files\":[]}";
    const char *out = printed(ctl_print_info, info);
    assert_non_null(strstr(out, "\nsize:              1.0 MiB (1048575 bytes)\n"));
    assert_non_null(strstr(out, "\nratio:             1.25\n"));
    assert_non_null(strstr(out, "\neta:               -\n"));
    assert_non_null(strstr(out, ", 16.0 KiB each\n"));
}

/* --- the client before and at the socket ------------------------------------------- */

struct capture {
    int saved;
    char path[64];
};

static void capture_stderr(struct capture *c)
{
    fflush(stderr);
    snprintf(c->path, sizeof(c->path), "/tmp/spate-test-err-XXXXXX");
    int fd = mkstemp(c->path);
    assert_true(fd >= 0);
    c->saved = dup(2);
    dup2(fd, 2);
    close(fd);
}

/* Restores stderr and returns what was written to it (static buffer). */
static const char *captured(struct capture *c)
{
    static char buf[4096];
    fflush(stderr);
    dup2(c->saved, 2);
    close(c->saved);
    FILE *f = fopen(c->path, "r");
    size_t n = f ? fread(buf, 1, sizeof(buf) - 1, f) : 0;
    buf[n] = '\0';
    if (f) fclose(f);
    unlink(c->path);
    return buf;
}

static int run_client(const char *sock, const char **out_err, const char *first, ...)
{
    static char *argv[32];
    int argc = 0;
    argv[argc++] = "spate";
    va_list ap;
    va_start(ap, first);
    for (const char *a = first; a; a = va_arg(ap, const char *))
        argv[argc++] = (char *)a;
    va_end(ap);
    assert_int_equal(ctl_args_parse(argc, argv, &args, err, sizeof(err)), 0);
    struct capture c;
    capture_stderr(&c);
    int rc = ctl_client_run(&args, sock);
    *out_err = captured(&c);
    return rc;
}

static void test_client_no_instance_exits_3(void **s)
{
    (void)s;
    const char *e;
    int rc = run_client("/tmp/spate-test-no-such.sock", &e, "ls", NULL);
    assert_int_equal(rc, CTL_EXIT_NO_INSTANCE);
    assert_non_null(strstr(e, "spate: no running instance at /tmp/spate-test-no-such.sock"));
    assert_non_null(strstr(e, "spate --daemon"));
}

static void test_client_stale_socket_exits_3(void **s)
{
    (void)s;
    char dir[] = "/tmp/spate-test-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[96];
    snprintf(path, sizeof(path), "%s/control.sock", dir);
    /* a socket file nobody listens on, as a crash leaves it */
    int fd = socket(AF_UNIX, SOCK_STREAM, 0);
    struct sockaddr_un a = {.sun_family = AF_UNIX};
    snprintf(a.sun_path, sizeof(a.sun_path), "%s", path);
    assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof(a)), 0);
    close(fd);
    const char *e;
    assert_int_equal(run_client(path, &e, "quit", NULL), CTL_EXIT_NO_INSTANCE);
    assert_non_null(strstr(e, "no running instance"));
    unlink(path);
    rmdir(dir);
}

static void test_client_missing_torrent_file_exits_2_before_connecting(void **s)
{
    (void)s;
    const char *e;
    /* no instance runs: exit 2 (not 3) shows the check came first */
    int rc = run_client("/tmp/spate-test-no-such.sock", &e, "add", "/nonexistent/x.torrent", NULL);
    assert_int_equal(rc, CTL_EXIT_USAGE);
    assert_non_null(strstr(e, "spate: cannot open torrent file '/nonexistent/x.torrent'"));
    assert_int_equal(strchr(e, '\n') - e + 1, (long)strlen(e)); /* one line */
}

static void test_client_directory_is_not_a_torrent(void **s)
{
    (void)s;
    const char *e;
    assert_int_equal(run_client("/tmp/spate-test-no-such.sock", &e, "add", "/tmp", NULL),
                     CTL_EXIT_USAGE);
    assert_non_null(strstr(e, "'/tmp' is not a .torrent file"));
}

static void test_client_bad_id_exits_2_before_connecting(void **s)
{
    (void)s;
    const char *e;
    assert_int_equal(run_client("/tmp/spate-test-no-such.sock", &e, "pause", "1", "xyz", NULL),
                     CTL_EXIT_USAGE);
    assert_non_null(strstr(e, "spate: bad ID 'xyz'"));
    assert_int_equal(run_client("/tmp/spate-test-no-such.sock", &e, "info", "abc", NULL),
                     CTL_EXIT_USAGE);
    assert_non_null(strstr(e, "bad ID 'abc'"));
}

static void test_client_priority_bad_id_exits_2_before_connecting(void **s)
{
    (void)s;
    const char *e;
    assert_int_equal(
        run_client("/tmp/spate-test-no-such.sock", &e, "priority", "xyz", "high", "0", NULL),
        CTL_EXIT_USAGE);
    assert_non_null(strstr(e, "spate: bad ID 'xyz'"));
    /* a good request gets as far as the (missing) instance */
    assert_int_equal(
        run_client("/tmp/spate-test-no-such.sock", &e, "priority", "1", "high", "0", NULL),
        CTL_EXIT_NO_INSTANCE);
}

static void test_client_config_checks_keys_and_values_before_connecting(void **s)
{
    (void)s;
    const char *e, *nosock = "/tmp/spate-test-no-such.sock";
    assert_int_equal(run_client(nosock, &e, "config", "get", "enable_dht", "nope", "spate.x", NULL),
                     CTL_EXIT_USAGE);
    assert_string_equal(e, "spate: unknown setting 'nope'; unknown setting 'spate.x'\n");
    assert_int_equal(run_client(nosock, &e, "config", "reset", "nope", NULL), CTL_EXIT_USAGE);
    assert_string_equal(e, "spate: unknown setting 'nope'\n");
    assert_int_equal(run_client(nosock, &e, "config", "set", "nope", "1", NULL), CTL_EXIT_USAGE);
    assert_string_equal(e, "spate: unknown setting 'nope'\n");
    /* bad values: the engine's one-line message */
    assert_int_equal(run_client(nosock, &e, "config", "set", "download_rate_limit", "fast", NULL),
                     CTL_EXIT_USAGE);
    assert_string_equal(e, "spate: setting 'download_rate_limit' takes an integer, not "
                           "'fast'\n");
    assert_int_equal(run_client(nosock, &e, "config", "set", "spate.mount", "maybe", NULL),
                     CTL_EXIT_USAGE);
    assert_non_null(strstr(e, "spate: setting 'spate.mount' takes true or false"));
    assert_int_equal(run_client(nosock, &e, "config", "set", "spate.mount_dir", "mnt", NULL),
                     CTL_EXIT_USAGE);
    assert_non_null(strstr(e, "absolute path"));
    /* good requests get as far as the (missing) instance */
    assert_int_equal(run_client(nosock, &e, "config", "get", "enable_dht", "spate.mount", NULL),
                     CTL_EXIT_NO_INSTANCE);
    assert_int_equal(run_client(nosock, &e, "config", "set", "spate.mount_dir", "", NULL),
                     CTL_EXIT_NO_INSTANCE);
    assert_int_equal(run_client(nosock, &e, "config", "reset", "download_rate_limit", NULL),
                     CTL_EXIT_NO_INSTANCE);
}

static void test_client_torrent_keys_checked_before_connecting(void **s)
{
    (void)s;
    const char *e, *nosock = "/tmp/spate-test-no-such.sock";
    assert_int_equal(run_client(nosock, &e, "set", "1", "dl_limit", "5", NULL), CTL_EXIT_USAGE);
    assert_string_equal(e, "spate: unknown setting 'dl_limit'\n");
    assert_int_equal(run_client(nosock, &e, "set", "1", "enable_dht", "true", NULL),
                     CTL_EXIT_USAGE);
    assert_string_equal(e, "spate: 'enable_dht' is a session setting (spate config set "
                           "enable_dht VALUE)\n");
    assert_int_equal(run_client(nosock, &e, "set", "1", "xyz", "pex", "true", NULL),
                     CTL_EXIT_USAGE);
    assert_non_null(strstr(e, "spate: bad ID 'xyz'"));
    assert_int_equal(run_client(nosock, &e, "get", "1", "pex", "nope", "enable_dht", NULL),
                     CTL_EXIT_USAGE);
    assert_string_equal(e, "spate: unknown setting 'nope'; 'enable_dht' is a session setting "
                           "(spate config set enable_dht VALUE)\n");
    assert_int_equal(run_client(nosock, &e, "get", "zz", NULL), CTL_EXIT_USAGE);
    assert_non_null(strstr(e, "bad ID 'zz'"));

    char dir[] = "/tmp/spate-test-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[96];
    snprintf(path, sizeof(path), "%s/x.torrent", dir);
    fclose(fopen(path, "w"));
    assert_int_equal(
        run_client(nosock, &e, "add", "--opt", "pex=false", "--opt", "speed=1", path, NULL),
        CTL_EXIT_USAGE);
    assert_string_equal(e, "spate: unknown setting 'speed'\n");
    /* good requests get as far as the (missing) instance */
    assert_int_equal(run_client(nosock, &e, "add", "--opt", "pex=false", "--category", "tv",
                                "--tags", "a", "--seed-mode", path, NULL),
                     CTL_EXIT_NO_INSTANCE);
    unlink(path);
    rmdir(dir);
    assert_int_equal(run_client(nosock, &e, "set", "1", "2", "tags", "-a", NULL),
                     CTL_EXIT_NO_INSTANCE);
    assert_int_equal(run_client(nosock, &e, "get", "1", NULL), CTL_EXIT_NO_INSTANCE);
    assert_int_equal(run_client(nosock, &e, "category", "set", "tv", "save_path=rel", NULL),
                     CTL_EXIT_NO_INSTANCE);
    assert_int_equal(run_client(nosock, &e, "category", "ls", NULL), CTL_EXIT_NO_INSTANCE);
    assert_int_equal(run_client(nosock, &e, "stats", NULL), CTL_EXIT_NO_INSTANCE);
    assert_int_equal(run_client(nosock, &e, "ls", "--tag", "a", NULL), CTL_EXIT_NO_INSTANCE);
}

static void test_client_socket_path_too_long_exits_2(void **s)
{
    (void)s;
    char path[200];
    memset(path, 'a', sizeof(path));
    path[0] = '/';
    path[sizeof(path) - 1] = '\0';
    const char *e;
    assert_int_equal(run_client(path, &e, "ls", NULL), CTL_EXIT_USAGE);
    assert_non_null(strstr(e, "too long"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_args_no_arguments_means_tui),
        cmocka_unit_test(test_args_daemon_with_global_options),
        cmocka_unit_test(test_args_global_options_before_and_after_subcommand),
        cmocka_unit_test(test_args_later_option_wins),
        cmocka_unit_test(test_args_set_is_split_and_repeatable),
        cmocka_unit_test(test_args_set_errors),
        cmocka_unit_test(test_args_add_with_options),
        cmocka_unit_test(test_args_double_dash_ends_options),
        cmocka_unit_test(test_args_remove_delete_data_and_info_json),
        cmocka_unit_test(test_args_priority_names_numbers_and_files),
        cmocka_unit_test(test_args_priority_rejects_bad_forms),
        cmocka_unit_test(test_args_config_get_set_reset),
        cmocka_unit_test(test_args_config_rejects_bad_forms),
        cmocka_unit_test(test_config_check_keys_names_every_unknown_key),
        cmocka_unit_test(test_print_config_lines),
        cmocka_unit_test(test_args_add_torrent_options),
        cmocka_unit_test(test_args_ls_filters_and_stats),
        cmocka_unit_test(test_args_set_and_get),
        cmocka_unit_test(test_args_set_and_get_reject_bad_forms),
        cmocka_unit_test(test_args_category_ls_set_rm),
        cmocka_unit_test(test_args_category_rejects_bad_forms),
        cmocka_unit_test(test_args_category_keys_come_from_the_field_table),
        cmocka_unit_test(test_torrent_check_keys_names_session_and_unknown_keys),
        cmocka_unit_test(test_print_ls_shows_labels_only_when_some_torrent_has_them),
        cmocka_unit_test(test_print_ls_and_info_replace_controls_in_every_field),
        cmocka_unit_test(test_print_torrent_opts_categories_and_stats),
        cmocka_unit_test(test_prio_names_round_trip),
        cmocka_unit_test(test_args_help_and_version),
        cmocka_unit_test(test_args_unknown_option),
        cmocka_unit_test(test_args_subcommand_option_in_wrong_place),
        cmocka_unit_test(test_args_missing_value),
        cmocka_unit_test(test_args_flag_with_value),
        cmocka_unit_test(test_args_unknown_subcommand),
        cmocka_unit_test(test_args_missing_or_extra_operands),
        cmocka_unit_test(test_args_daemon_with_subcommand),
        cmocka_unit_test(test_args_db_backups_and_restore),
        cmocka_unit_test(test_usage_lists_commands_and_exit_codes),
        cmocka_unit_test(test_id_decimal_matches_id),
        cmocka_unit_test(test_id_hex_prefix_of_v1_or_v2),
        cmocka_unit_test(test_id_hex_prefix_is_case_insensitive),
        cmocka_unit_test(test_id_malformed_specs_are_einval),
        cmocka_unit_test(test_id_six_digits_may_be_hash_prefix),
        cmocka_unit_test(test_print_ls_and_info_spell_numbers_like_the_tui),
        cmocka_unit_test(test_client_no_instance_exits_3),
        cmocka_unit_test(test_client_stale_socket_exits_3),
        cmocka_unit_test(test_client_missing_torrent_file_exits_2_before_connecting),
        cmocka_unit_test(test_client_directory_is_not_a_torrent),
        cmocka_unit_test(test_client_bad_id_exits_2_before_connecting),
        cmocka_unit_test(test_client_priority_bad_id_exits_2_before_connecting),
        cmocka_unit_test(test_client_config_checks_keys_and_values_before_connecting),
        cmocka_unit_test(test_client_torrent_keys_checked_before_connecting),
        cmocka_unit_test(test_client_socket_path_too_long_exits_2),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
