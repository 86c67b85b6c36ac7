/*
 * args.c — the `spate` command line: global options, the subcommand, its
 * options and operands, parsed into struct ctl_args.
 *
 * Global options (--data-dir, --download-dir, --socket, --set, --daemon,
 * --help, --version) may stand anywhere; a subcommand's own options (--json,
 * --paused, --dir, --peer, --opt, --category, ..., --delete-data) only after
 * it. "--opt=value" and "--opt value" are both accepted; "--" ends option
 * parsing. Operands that are not IDs are checked here too (`priority`'s PRIO
 * and FILEs, `config`'s and `category`'s action and operand count, the
 * shape of KEY=VALUE pairs); IDs and setting keys are the client's job.
 * After `config` a negative number is an operand (a VALUE), not an option;
 * after `set` so is any "-X" but -h and -V (tags -old removes a tag).
 * Nothing here does I/O: errors come back as CTL_EXIT_USAGE with a
 * one-line message.
 */
#include "ctl/ctl_int.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum opt_id {
    O_DATA_DIR,
    O_DOWNLOAD_DIR,
    O_SOCKET,
    O_SET,
    O_DAEMON,
    O_HELP,
    O_VERSION,
    O_JSON,
    O_PAUSED,
    O_DIR,
    O_PEER,
    O_DELETE_DATA,
    O_MOUNT,
    O_NO_MOUNT,
    O_THEME,
    O_OPT,
    O_SEED_MODE,
    O_CATEGORY,
    O_TAGS,
    O_TAG,
};

struct opt {
    const char *name; /* long name without "--" */
    char short_name;  /* 0 if none */
    enum opt_id id;
    bool takes_value;
    const char *cmds; /* NULL: global; else the subcommands it belongs to */
};

static const struct opt opts[] = {
    {"data-dir", 0, O_DATA_DIR, true, NULL},
    {"download-dir", 0, O_DOWNLOAD_DIR, true, NULL},
    {"socket", 0, O_SOCKET, true, NULL},
    {"set", 0, O_SET, true, NULL},
    {"daemon", 0, O_DAEMON, false, NULL},
    {"help", 'h', O_HELP, false, NULL},
    {"version", 'V', O_VERSION, false, NULL},
    {"json", 0, O_JSON, false, " ls info config get category stats "},
    {"paused", 0, O_PAUSED, false, " add "},
    {"dir", 0, O_DIR, true, " add "},
    {"peer", 0, O_PEER, true, " add "},
    {"delete-data", 0, O_DELETE_DATA, false, " remove "},
    {"mount", 0, O_MOUNT, true, NULL},
    {"no-mount", 0, O_NO_MOUNT, false, NULL},
    {"theme", 0, O_THEME, true, NULL},
    {"opt", 0, O_OPT, true, " add "},
    {"seed-mode", 0, O_SEED_MODE, false, " add "},
    {"category", 0, O_CATEGORY, true, " add ls "},
    {"tags", 0, O_TAGS, true, " add "},
    {"tag", 0, O_TAG, true, " ls "},
};

struct subcmd {
    const char *name;
    size_t min_pos;
    size_t max_pos;      /* SIZE_MAX: any number */
    const char *operand; /* for messages, NULL when none is taken */
};

static const struct subcmd subcmds[] = {
    {"add", 1, SIZE_MAX, "SOURCE"},
    {"ls", 0, 0, NULL},
    {"info", 1, 1, "ID"},
    {"pause", 1, SIZE_MAX, "ID"},
    {"resume", 1, SIZE_MAX, "ID"},
    {"recheck", 1, SIZE_MAX, "ID"},
    {"reannounce", 1, SIZE_MAX, "ID"},
    {"remove", 1, SIZE_MAX, "ID"},
    {"connect", 2, 2, "ID HOST:PORT"},
    {"priority", 3, SIZE_MAX, "ID PRIO FILE..."},
    {"config", 1, SIZE_MAX,
     "get [KEY|GROUP...] | set KEY VALUE | reset KEY|GROUP... | history [KEY]"},
    {"set", 3, SIZE_MAX, "ID... KEY VALUE"},
    {"get", 1, SIZE_MAX, "ID [KEY...]"},
    {"category", 1, SIZE_MAX, "ls | set NAME [KEY=VALUE...] | rm NAME"},
    {"stats", 0, 0, NULL},
    {"quit", 0, 0, NULL},
    {"db", 1, 2, "backups | restore [FILE]"},
};

#define N_OPTS (sizeof(opts) / sizeof(opts[0]))
#define N_SUBCMDS (sizeof(subcmds) / sizeof(subcmds[0]))

static int usage_err(char *err, size_t errlen, const char *fmt, ...)
{
    if (err && errlen) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err, errlen, fmt, ap);
        va_end(ap);
    }
    return CTL_EXIT_USAGE;
}

static const struct subcmd *find_subcmd(const char *name)
{
    for (size_t i = 0; i < N_SUBCMDS; i++)
        if (strcmp(subcmds[i].name, name) == 0) return &subcmds[i];
    return NULL;
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

static bool opt_belongs_to(const struct opt *o, const char *cmd)
{
    char word[32];
    snprintf(word, sizeof(word), " %s ", cmd);
    return strstr(o->cmds, word) != NULL;
}

/* The length of KEY in "KEY=VALUE" into *klen; a usage error naming `what`
 * (--set, --opt, ...) when there is no '=' or no KEY before it. */
static int kv_key_len(const char *what, const char *kv, size_t *klen, char *err, size_t errlen)
{
    const char *eq = strchr(kv, '=');
    if (!eq) return usage_err(err, errlen, "%s needs KEY=VALUE, got '%s'", what, kv);
    *klen = (size_t)(eq - kv);
    if (*klen == 0) return usage_err(err, errlen, "%s needs a key before '=', got '%s'", what, kv);
    return 0;
}

static int add_set(struct ctl_args *a, const char *kv, char *err, size_t errlen)
{
    size_t klen;
    int rc = kv_key_len("--set", kv, &klen, err, errlen);
    if (rc) return rc;
    if (klen >= sizeof(a->set_buf[0]))
        return usage_err(err, errlen, "--set key too long: '%.40s...'", kv);
    if (a->n_sets >= CTL_MAX_SETS)
        return usage_err(err, errlen, "too many --set options (at most %d)", CTL_MAX_SETS);
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
        if (!*val) return usage_err(err, errlen, "--mount needs a directory");
        a->mount_dir = val;
        break;
    case O_NO_MOUNT:
        a->no_mount = true;
        break;
    case O_THEME:
        if (!*val) return usage_err(err, errlen, "--theme needs a name");
        a->theme = val;
        break;

    case O_HELP:
        a->help = true;
        break;
    case O_VERSION:
        a->version = true;
        break;
    case O_JSON:
        a->json = true;
        break;
    case O_PAUSED:
        a->paused = true;
        break;
    case O_DIR:
        a->dir = val;
        break;
    case O_PEER:
        if (a->n_peers >= CTL_MAX_ARGS)
            return usage_err(err, errlen, "too many --peer options (at most %d)", CTL_MAX_ARGS);
        a->peers[a->n_peers++] = val;
        break;
    case O_DELETE_DATA:
        a->delete_data = true;
        break;
    case O_OPT: {
        size_t klen;
        int rc = kv_key_len("--opt", val, &klen, err, errlen);
        if (rc) return rc;
        if (a->n_opts >= CTL_MAX_ARGS)
            return usage_err(err, errlen, "too many --opt options (at most %d)", CTL_MAX_ARGS);
        a->opts[a->n_opts++] = val;
        break;
    }
    case O_SEED_MODE:
        a->seed_mode = true;
        break;
    case O_CATEGORY:
        a->category = val;
        break;
    case O_TAGS:
        a->tags = val;
        break;
    case O_TAG:
        a->tag = val;
        break;
    }
    return 0;
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
        if (!o) return usage_err(err, errlen, "unknown option '--%.*s'", (int)namelen, name);
    } else {
        o = arg[2] == '\0' ? find_opt(NULL, 0, arg[1]) : NULL;
        if (!o) return usage_err(err, errlen, "unknown option '%s'", arg);
    }

    if (o->cmds && !a->cmd)
        return usage_err(err, errlen, "option '--%s' must follow its subcommand (%.*s)", o->name,
                         (int)strlen(o->cmds) - 2, o->cmds + 1);
    if (o->cmds && !opt_belongs_to(o, a->cmd))
        return usage_err(err, errlen, "option '--%s' is not valid for '%s'", o->name, a->cmd);

    const char *val = NULL;
    if (o->takes_value) {
        if (inline_val) {
            val = inline_val;
        } else if (*i + 1 < argc) {
            val = argv[++*i];
        } else {
            return usage_err(err, errlen, "option '--%s' needs a value", o->name);
        }
        if (*val == '\0') return usage_err(err, errlen, "option '--%s' needs a value", o->name);
    } else if (inline_val) {
        return usage_err(err, errlen, "option '--%s' takes no value", o->name);
    }
    return apply_opt(a, o, val, err, errlen);
}

static int add_positional(struct ctl_args *a, const char *arg, char *err, size_t errlen)
{
    if (!a->cmd) {
        const struct subcmd *sc = find_subcmd(arg);
        if (!sc) return usage_err(err, errlen, "unknown subcommand '%s'", arg);
        a->cmd = sc->name;
        return 0;
    }
    if (a->n_pos >= CTL_MAX_ARGS)
        return usage_err(err, errlen, "too many arguments (at most %d)", CTL_MAX_ARGS);
    a->pos[a->n_pos++] = arg;
    return 0;
}

static int check_operands(const struct ctl_args *a, char *err, size_t errlen)
{
    if (a->mount_dir && a->no_mount)
        return usage_err(err, errlen, "--mount and --no-mount exclude each other");
    if (a->daemon && a->cmd)
        return usage_err(err, errlen, "--daemon cannot be combined with the subcommand '%s'",
                         a->cmd);
    if (!a->cmd) return 0;
    const struct subcmd *sc = find_subcmd(a->cmd);
    if (a->n_pos < sc->min_pos)
        return usage_err(err, errlen, "%s: missing %s", sc->name, sc->operand);
    if (a->n_pos > sc->max_pos) {
        if (sc->max_pos == 0)
            return usage_err(err, errlen, "%s: unexpected argument '%s'", sc->name, a->pos[0]);
        return usage_err(err, errlen, "%s: takes one %s, got %zu", sc->name, sc->operand, a->n_pos);
    }
    return 0;
}

/* A file index as `info` shows it: decimal digits only, at most INT_MAX. */
static bool parse_index(const char *s, int *out)
{
    long long v = 0;
    if (!*s) return false;
    for (; *s; s++) {
        if (*s < '0' || *s > '9') return false;
        v = v * 10 + (*s - '0');
        if (v > INT_MAX) return false;
    }
    *out = (int)v;
    return true;
}

/* priority ID PRIO FILE...: PRIO into a->prio, the FILEs into a->files or
 * a->all_files. */
static int parse_priority(struct ctl_args *a, char *err, size_t errlen)
{
    a->prio = ctl_prio_parse(a->pos[1]);
    if (a->prio < 0)
        return usage_err(err, errlen,
                         "priority: bad priority '%s': give skip, low, normal, high or 0..7",
                         a->pos[1]);
    for (size_t i = 2; i < a->n_pos; i++) {
        const char *f = a->pos[i];
        int idx;
        if (strcmp(f, "all") == 0) {
            a->all_files = true;
            continue;
        }
        if (!parse_index(f, &idx))
            return usage_err(err, errlen,
                             "priority: bad file '%s': give a file index `spate info ID` shows, "
                             "or all",
                             f);
        bool dup = false;
        for (size_t k = 0; k < a->n_files; k++)
            dup = dup || a->files[k] == idx;
        if (!dup) a->files[a->n_files++] = idx;
    }
    if (a->all_files && a->n_files)
        return usage_err(err, errlen, "priority: give either file indices or all, not both");
    return 0;
}

/* config get [KEY|GROUP...] | set KEY VALUE | reset KEY|GROUP...: the action into
 * a->config_op; the keys stay in a->pos. Keys are checked by the client
 * (eng_setting_*), which knows every setting; a VALUE may be "". */
static int parse_config(struct ctl_args *a, char *err, size_t errlen)
{
    static const char *const ops[] = {"get", "set", "reset", "history"};
    for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++)
        if (strcmp(a->pos[0], ops[i]) == 0) a->config_op = ops[i];
    if (!a->config_op)
        return usage_err(err, errlen,
                         "config: unknown action '%s': give get, set, reset or history", a->pos[0]);
    bool set = strcmp(a->config_op, "set") == 0;
    bool history = strcmp(a->config_op, "history") == 0;
    if (history && a->n_pos > 2)
        return usage_err(err, errlen, "config history: takes at most one KEY");
    if (a->n_pos < 2 && strcmp(a->config_op, "get") != 0 && !history)
        return usage_err(err, errlen, "config %s: missing %s", a->config_op,
                         set ? "KEY VALUE" : "KEY");
    if (set && a->n_pos < 3) return usage_err(err, errlen, "config set: missing VALUE");
    if (set && a->n_pos > 3)
        return usage_err(err, errlen,
                         "config set: takes one KEY and one VALUE, got %zu arguments (quote a "
                         "VALUE with spaces)",
                         a->n_pos - 1);
    for (size_t i = 1; i < a->n_pos - set; i++)
        if (!a->pos[i][0]) return usage_err(err, errlen, "config %s: empty KEY", a->config_op);
    return 0;
}

/* set ID... KEY VALUE: KEY must not be empty (VALUE may). */
static int parse_set(struct ctl_args *a, char *err, size_t errlen)
{
    if (!a->pos[a->n_pos - 2][0]) return usage_err(err, errlen, "set: empty KEY");
    return 0;
}

/* get ID [KEY...]: no KEY may be empty. */
static int parse_get(struct ctl_args *a, char *err, size_t errlen)
{
    for (size_t i = 1; i < a->n_pos; i++)
        if (!a->pos[i][0]) return usage_err(err, errlen, "get: empty KEY");
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

/* category ls | set NAME [KEY=VALUE...] | rm NAME: the action into
 * a->category_op; NAME and the pairs stay in a->pos. The keys are the
 * category's fields, the limits integers. */
static int parse_category(struct ctl_args *a, char *err, size_t errlen)
{
    static const char *const ops[] = {"ls", "set", "rm"};
    static const char *const keys[] = {"save_path", "download_limit", "upload_limit",
                                       "share_ratio_limit", "seed_time_limit"};
    for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++)
        if (strcmp(a->pos[0], ops[i]) == 0) a->category_op = ops[i];
    if (!a->category_op)
        return usage_err(err, errlen, "category: unknown action '%s': give ls, set or rm",
                         a->pos[0]);
    bool ls = strcmp(a->category_op, "ls") == 0, rm = strcmp(a->category_op, "rm") == 0;
    if (ls && a->n_pos > 1)
        return usage_err(err, errlen, "category ls: unexpected argument '%s'", a->pos[1]);
    if (!ls && a->n_pos < 2) return usage_err(err, errlen, "category %s: missing NAME", a->pos[0]);
    if (rm && a->n_pos > 2)
        return usage_err(err, errlen, "category rm: takes one NAME, got %zu", a->n_pos - 1);
    for (size_t i = 2; i < a->n_pos; i++) {
        const char *kv = a->pos[i];
        size_t klen, k = 0;
        int rc = kv_key_len("category set", kv, &klen, err, errlen);
        if (rc) return rc;
        while (k < sizeof(keys) / sizeof(keys[0]) &&
               !(strlen(keys[k]) == klen && strncmp(keys[k], kv, klen) == 0))
            k++;
        if (k == sizeof(keys) / sizeof(keys[0]))
            return usage_err(err, errlen,
                             "category set: unknown key '%.*s': give save_path, download_limit, "
                             "upload_limit, share_ratio_limit or seed_time_limit",
                             (int)klen, kv);
        long long v;
        if (k > 0 && !ctl_parse_int64(kv + klen + 1, &v))
            return usage_err(err, errlen, "category set: %s takes an integer, not '%s'", keys[k],
                             kv + klen + 1);
    }
    return 0;
}

/* db backups | restore [FILE]: checked here; the work needs no instance
 * (ctl_db_run). */
static int parse_db(struct ctl_args *a, char *err, size_t errlen)
{
    const char *op = a->pos[0];
    if (strcmp(op, "backups") == 0 && a->n_pos == 1) return 0;
    if (strcmp(op, "restore") == 0) return 0;
    if (strcmp(op, "backups") == 0)
        return usage_err(err, errlen, "db backups: unexpected argument '%s'", a->pos[1]);
    return usage_err(err, errlen, "db: unknown action '%s': give backups or restore [FILE]", op);
}

/* "-5": a value for `config set` (active_downloads -1), not an option. */
static bool is_negative_number(const char *s)
{
    if (*s++ != '-' || !*s) return false;
    for (; *s; s++)
        if (*s < '0' || *s > '9') return false;
    return true;
}

/* An argument with one dash that is an operand, not an option: a negative
 * number after `config`; after `set` anything but -h and -V ("-5", a list
 * item to remove: "-old"). */
static bool dash_operand(const struct ctl_args *a, const char *arg)
{
    if (!a->cmd || arg[1] == '-') return false;
    if (strcmp(a->cmd, "config") == 0) return is_negative_number(arg);
    if (strcmp(a->cmd, "set") == 0) return arg[2] != '\0' || !find_opt(NULL, 0, arg[1]);
    return false;
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
    if (!rc && a->cmd && strcmp(a->cmd, "priority") == 0) rc = parse_priority(a, err, errlen);
    if (!rc && a->cmd && strcmp(a->cmd, "config") == 0) rc = parse_config(a, err, errlen);
    if (!rc && a->cmd && strcmp(a->cmd, "category") == 0) rc = parse_category(a, err, errlen);
    if (!rc && a->cmd && strcmp(a->cmd, "set") == 0) rc = parse_set(a, err, errlen);
    if (!rc && a->cmd && strcmp(a->cmd, "get") == 0) rc = parse_get(a, err, errlen);
    if (!rc && a->cmd && strcmp(a->cmd, "db") == 0) rc = parse_db(a, err, errlen);
    return rc;
}
