/*
 * args.c — the `spate` command line: global options, the subcommand, its
 * options and operands, parsed into struct ctl_args.
 *
 * Global options (--data-dir, --download-dir, --socket, --set, --daemon,
 * --help, --version) may stand anywhere; a subcommand's own options (--json,
 * --paused, --dir, --peer, --opt, --category, ..., --delete-data) only after
 * it (which subcommand takes which: the entry's .options in the command
 * table). "--opt=value" and "--opt value" are both accepted; "--" ends
 * option parsing. The operand count comes from the entry, and so do the
 * checks of operands that are not IDs (its .parse: `priority`'s PRIO and
 * FILEs, `config`'s and `category`'s action, ...) and which "-X" is an
 * operand (its .dash_operand); IDs and setting keys are the client's job.
 * Nothing here does I/O: errors come back as CTL_EXIT_USAGE with a
 * one-line message.
 */
#include "ctl/ctl_int.h"
#include "util/str.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The global options; the subcommands' own are the CTL_OPT_* bits. */
enum {
    O_DATA_DIR = 1u << 16,
    O_DOWNLOAD_DIR,
    O_SOCKET,
    O_SET,
    O_DAEMON,
    O_HELP,
    O_VERSION,
    O_MOUNT,
    O_NO_MOUNT,
    O_THEME,
};

struct opt {
    const char *name; /* long name without "--" */
    char short_name;  /* 0 if none */
    unsigned id;      /* O_* (global) or a CTL_OPT_* bit (a subcommand's) */
    bool takes_value;
};

static const struct opt opts[] = {
    {"data-dir", 0, O_DATA_DIR, true},
    {"download-dir", 0, O_DOWNLOAD_DIR, true},
    {"socket", 0, O_SOCKET, true},
    {"set", 0, O_SET, true},
    {"daemon", 0, O_DAEMON, false},
    {"help", 'h', O_HELP, false},
    {"version", 'V', O_VERSION, false},
    {"json", 0, CTL_OPT_JSON, false},
    {"paused", 0, CTL_OPT_PAUSED, false},
    {"dir", 0, CTL_OPT_DIR, true},
    {"peer", 0, CTL_OPT_PEER, true},
    {"delete-data", 0, CTL_OPT_DELETE_DATA, false},
    {"mount", 0, O_MOUNT, true},
    {"no-mount", 0, O_NO_MOUNT, false},
    {"theme", 0, O_THEME, true},
    {"opt", 0, CTL_OPT_OPT, true},
    {"seed-mode", 0, CTL_OPT_SEED_MODE, false},
    {"category", 0, CTL_OPT_CATEGORY, true},
    {"tags", 0, CTL_OPT_TAGS, true},
    {"tag", 0, CTL_OPT_TAG, true},
};

#define N_OPTS (sizeof(opts) / sizeof(opts[0]))

static bool is_global(const struct opt *o)
{
    return o->id >= O_DATA_DIR;
}

int ctl_usage_err(char *err, size_t errlen, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    util_vset_err(err, errlen, fmt, ap);
    va_end(ap);
    return CTL_EXIT_USAGE;
}

/* Finds "--name" (namelen bytes of name) or "-c". */
static const struct opt *find_opt(const char *name, size_t namelen, char short_name)
{
    for (size_t i = 0; i < N_OPTS; i++) {
        if (short_name) {
            if (opts[i].short_name == short_name) return &opts[i];
        } else if (strlen(opts[i].name) == namelen && strncmp(opts[i].name, name, namelen) == 0) {
            return &opts[i];
        }
    }
    return NULL;
}

/* The length of KEY in "KEY=VALUE" into *klen; a usage error naming `what`
 * (--set, --opt, ...) when there is no '=' or no KEY before it. */
int ctl_kv_key_len(const char *what, const char *kv, size_t *klen, char *err, size_t errlen)
{
    const char *eq = strchr(kv, '=');
    if (!eq) return ctl_usage_err(err, errlen, "%s needs KEY=VALUE, got '%s'", what, kv);
    *klen = (size_t)(eq - kv);
    if (*klen == 0)
        return ctl_usage_err(err, errlen, "%s needs a key before '=', got '%s'", what, kv);
    return 0;
}

static int add_set(struct ctl_args *a, const char *kv, char *err, size_t errlen)
{
    size_t klen;
    int rc = ctl_kv_key_len("--set", kv, &klen, err, errlen);
    if (rc) return rc;
    if (klen >= sizeof(a->set_buf[0]))
        return ctl_usage_err(err, errlen, "--set key too long: '%.40s...'", kv);
    if (a->n_sets >= CTL_MAX_SETS)
        return ctl_usage_err(err, errlen, "too many --set options (at most %d)", CTL_MAX_SETS);
    memcpy(a->set_buf[a->n_sets], kv, klen);
    a->set_buf[a->n_sets][klen] = '\0';
    a->set_keys[a->n_sets] = a->set_buf[a->n_sets];
    a->set_values[a->n_sets] = kv + klen + 1;
    a->n_sets++;
    return 0;
}

static int apply_opt(struct ctl_args *a, const struct opt *o, const char *val, char *err,
                     size_t errlen)
{
    switch (o->id) {
    case O_DATA_DIR:
        a->data_dir = val;
        break;
    case O_DOWNLOAD_DIR:
        a->download_dir = val;
        break;
    case O_SOCKET:
        a->socket_path = val;
        break;
    case O_SET:
        return add_set(a, val, err, errlen);
    case O_DAEMON:
        a->daemon = true;
        break;
    case O_MOUNT:
        if (!*val) return ctl_usage_err(err, errlen, "--mount needs a directory");
        a->mount_dir = val;
        break;
    case O_NO_MOUNT:
        a->no_mount = true;
        break;
    case O_THEME:
        if (!*val) return ctl_usage_err(err, errlen, "--theme needs a name");
        a->theme = val;
        break;

    case O_HELP:
        a->help = true;
        break;
    case O_VERSION:
        a->version = true;
        break;
    case CTL_OPT_JSON:
        a->json = true;
        break;
    case CTL_OPT_PAUSED:
        a->paused = true;
        break;
    case CTL_OPT_DIR:
        a->dir = val;
        break;
    case CTL_OPT_PEER:
        if (a->n_peers >= CTL_MAX_ARGS)
            return ctl_usage_err(err, errlen, "too many --peer options (at most %d)", CTL_MAX_ARGS);
        a->peers[a->n_peers++] = val;
        break;
    case CTL_OPT_DELETE_DATA:
        a->delete_data = true;
        break;
    case CTL_OPT_OPT: {
        size_t klen;
        int rc = ctl_kv_key_len("--opt", val, &klen, err, errlen);
        if (rc) return rc;
        if (a->n_opts >= CTL_MAX_ARGS)
            return ctl_usage_err(err, errlen, "too many --opt options (at most %d)", CTL_MAX_ARGS);
        a->opts[a->n_opts++] = val;
        break;
    }
    case CTL_OPT_SEED_MODE:
        a->seed_mode = true;
        break;
    case CTL_OPT_CATEGORY:
        a->category = val;
        break;
    case CTL_OPT_TAGS:
        a->tags = val;
        break;
    case CTL_OPT_TAG:
        a->tag = val;
        break;
    }
    return 0;
}

/* Parses the option at argv[*i], consuming its value from argv[*i + 1] when
 * it is not given inline. */
/* The entries taking option bit `id`, as "ls info config" (table order). */
static void owners(unsigned id, char *buf, size_t n)
{
    buf[0] = '\0';
    for (size_t i = 0; ctl_cmds[i]; i++) {
        if (!(ctl_cmds[i]->options & id)) continue;
        size_t len = strlen(buf);
        snprintf(buf + len, n - len, "%s%s", len ? " " : "", ctl_cmds[i]->name);
    }
}

/* Parses the option at argv[*i], consuming its value from argv[*i + 1] when
 * it is not given inline. */
static int parse_opt(int argc, char **argv, int *i, struct ctl_args *a, char *err, size_t errlen)
{
    const char *arg = argv[*i];
    const struct opt *o;
    const char *inline_val = NULL;

    if (arg[1] == '-') {
        const char *name = arg + 2;
        const char *eq = strchr(name, '=');
        size_t namelen = eq ? (size_t)(eq - name) : strlen(name);
        if (eq) inline_val = eq + 1;
        o = find_opt(name, namelen, 0);
        if (!o) return ctl_usage_err(err, errlen, "unknown option '--%.*s'", (int)namelen, name);
    } else {
        o = arg[2] == '\0' ? find_opt(NULL, 0, arg[1]) : NULL;
        if (!o) return ctl_usage_err(err, errlen, "unknown option '%s'", arg);
    }

    if (!is_global(o) && !a->cmd) {
        char names[256];
        owners(o->id, names, sizeof(names));
        return ctl_usage_err(err, errlen, "option '--%s' must follow its subcommand (%s)", o->name,
                             names);
    }
    if (!is_global(o) && !(ctl_cmd_find(a->cmd)->options & o->id))
        return ctl_usage_err(err, errlen, "option '--%s' is not valid for '%s'", o->name, a->cmd);

    const char *val = NULL;
    if (o->takes_value) {
        if (inline_val) {
            val = inline_val;
        } else if (*i + 1 < argc) {
            val = argv[++*i];
        } else {
            return ctl_usage_err(err, errlen, "option '--%s' needs a value", o->name);
        }
        if (*val == '\0') return ctl_usage_err(err, errlen, "option '--%s' needs a value", o->name);
    } else if (inline_val) {
        return ctl_usage_err(err, errlen, "option '--%s' takes no value", o->name);
    }
    return apply_opt(a, o, val, err, errlen);
}

static int add_positional(struct ctl_args *a, const char *arg, char *err, size_t errlen)
{
    if (!a->cmd) {
        const struct ctl_cmd *c = ctl_cmd_find(arg);
        if (!c) return ctl_usage_err(err, errlen, "unknown subcommand '%s'", arg);
        a->cmd = c->name;
        return 0;
    }
    if (a->n_pos >= CTL_MAX_ARGS)
        return ctl_usage_err(err, errlen, "too many arguments (at most %d)", CTL_MAX_ARGS);
    a->pos[a->n_pos++] = arg;
    return 0;
}

static int check_operands(const struct ctl_args *a, char *err, size_t errlen)
{
    if (a->mount_dir && a->no_mount)
        return ctl_usage_err(err, errlen, "--mount and --no-mount exclude each other");
    if (a->daemon && a->cmd)
        return ctl_usage_err(err, errlen, "--daemon cannot be combined with the subcommand '%s'",
                             a->cmd);
    if (!a->cmd) return 0;
    const struct ctl_cmd *c = ctl_cmd_find(a->cmd);
    if (a->n_pos < c->min_pos)
        return ctl_usage_err(err, errlen, "%s: missing %s", c->name, c->operands);
    if (a->n_pos > c->max_pos) {
        if (c->max_pos == 0)
            return ctl_usage_err(err, errlen, "%s: unexpected argument '%s'", c->name, a->pos[0]);
        return ctl_usage_err(err, errlen, "%s: takes one %s, got %zu", c->name, c->operands,
                             a->n_pos);
    }
    return 0;
}

bool ctl_parse_int64(const char *s, long long *out)
{
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (!*s || *end || errno || (*s != '-' && (*s < '0' || *s > '9'))) return false;
    *out = v;
    return true;
}

bool ctl_is_short_option(const char *arg)
{
    return arg[0] == '-' && arg[1] && !arg[2] && find_opt(NULL, 0, arg[1]);
}

/* An argument with one dash that is an operand, not an option: the
 * entry's .dash_operand says ("-5" after config, "-old" after set). */
static bool dash_operand(const struct ctl_args *a, const char *arg)
{
    if (!a->cmd || arg[1] == '-') return false;
    const struct ctl_cmd *c = ctl_cmd_find(a->cmd);
    return c->dash_operand && c->dash_operand(arg);
}

int ctl_args_parse(int argc, char **argv, struct ctl_args *a, char *err, size_t errlen)
{
    memset(a, 0, sizeof(*a));
    if (err && errlen) err[0] = '\0';
    bool options_done = false;

    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        int rc;
        if (!options_done && strcmp(arg, "--") == 0) {
            options_done = true;
            continue;
        }
        /* a lone "-" is an operand, as in most tools; so are the values
         * dash_operand() knows */
        bool option = !options_done && arg[0] == '-' && arg[1] != '\0' && !dash_operand(a, arg);
        if (option)
            rc = parse_opt(argc, argv, &i, a, err, errlen);
        else
            rc = add_positional(a, arg, err, errlen);
        if (rc) return rc;
    }
    /* --help and --version win over missing operands */
    if (a->help || a->version) return 0;
    int rc = check_operands(a, err, errlen);
    const struct ctl_cmd *c = ctl_cmd_find(a->cmd);
    if (!rc && c && c->parse) rc = c->parse(a, err, errlen);
    return rc;
}
