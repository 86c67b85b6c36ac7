/*
 * cmds.c — the command table: every `spate` subcommand, in the order
 * --help lists them, and what is generated from it: `spate --help`, `spate
 * help CMD` / `spate CMD --help`, the server's lookup of a protocol command
 * and the command list of docs/protocol.md (`make docs`,
 * tests/unit/test_protocol_doc.c keeps it in step).
 *
 * Each entry (struct ctl_cmd, ctl_int.h) lives with its handler: add a
 * command by writing its entry and listing it here.
 */
#include "ctl/ctl_int.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

const struct ctl_cmd *const ctl_cmds[] = {
    &ctl_cmd_add_entry,
    &ctl_cmd_ls_entry,
    &ctl_cmd_info_entry,
    &ctl_cmd_pause_entry,
    &ctl_cmd_resume_entry,
    &ctl_cmd_recheck_entry,
    &ctl_cmd_reannounce_entry,
    &ctl_cmd_connect_entry,
    &ctl_cmd_priority_entry,
    &ctl_cmd_remove_entry,
    &ctl_cmd_config_entry,
    &ctl_cmd_set_entry,
    &ctl_cmd_get_entry,
    &ctl_cmd_category_entry,
    &ctl_cmd_stats_entry,
    &ctl_cmd_quit_entry,
    &ctl_cmd_db_entry,
    &ctl_cmd_help_entry,
    NULL,
};

const struct ctl_cmd *ctl_cmd_find(const char *name)
{
    for (size_t i = 0; name && ctl_cmds[i]; i++)
        if (strcmp(ctl_cmds[i]->name, name) == 0) return ctl_cmds[i];
    return NULL;
}

ctl_cmd_fn ctl_command_find(const char *name)
{
    for (size_t i = 0; name && ctl_cmds[i]; i++)
        for (const struct ctl_wire *w = ctl_cmds[i]->wire; w && w->name; w++)
            if (strcmp(w->name, name) == 0) return w->handle;
    return NULL;
}

int ctl_run(const struct ctl_args *a, const char *data_dir, const char *socket_path)
{
    const struct ctl_cmd *c = ctl_cmd_find(a->cmd);
    if (c && c->run) return c->run(a, data_dir);
    return ctl_client_run(a, socket_path);
}

/* --- help ------------------------------------------------------------------ */

#define HELP_COL 26 /* where the description starts */

static const char usage_head[] =
    "usage: spate [OPTIONS]                     run the terminal UI (and the control socket)\n"
    "       spate --daemon [OPTIONS]            run headless until SIGINT/SIGTERM\n"
    "       spate [OPTIONS] COMMAND [ARGS...]   talk to the running instance\n"
    "\n"
    "Commands:\n";

static const char usage_tail[] =
    "\n"
    "ID is the number `spate ls` shows or at least 6 hex digits of the info-hash.\n"
    "\n"
    "KEY is a libtorrent setting (settings_pack name: enable_dht,\n"
    "download_rate_limit, listen_interfaces, ...) or one of spate's (spate.mount,\n"
    "spate.ip_filter, spate.alt_speed_schedule, ...); GROUP is network, discovery,\n"
    "proxy, ip_filter, limits, alt_speed, seeding, disk, trackers, mount or ui.\n"
    "Every key, its type, range and default: docs/settings.md.\n"
    "Per-torrent KEYs (set, get, add --opt): download_limit, upload_limit,\n"
    "max_connections, max_uploads, sequential_download, first_last_piece,\n"
    "super_seeding, pex, auto_managed, queue_position (a number, top, up, down,\n"
    "bottom; -1 leaves the queue), save_path (moves the files), trackers\n"
    "(\"URL,URL|URL\": \"|\" starts a tier), web_seeds, category, tags. For\n"
    "trackers, web_seeds and tags \"+X\" adds X and \"-X\" removes it; after set,\n"
    "a VALUE starting with one '-' is a VALUE, not an option (but -h, -V).\n"
    "What `config set` and `config reset` change applies at once (a new\n"
    "spate.mount_dir moves the mount) and is kept across restarts; --set changes a\n"
    "setting for one run only.\n"
    "VALUE may be \"\" (spate.mount_dir \"\": the default place);\n"
    "a negative number is taken as a VALUE, other VALUEs starting with '-' go\n"
    "after '--'.\n"
    "\n"
    "Options (before or after the command):\n"
    "  --data-dir DIR          state directory (default $XDG_DATA_HOME/spate)\n"
    "  --download-dir DIR      where new torrents are saved (default $XDG_DOWNLOAD_DIR\n"
    "                          or ~/Downloads)\n"
    "  --socket PATH           control socket (default DATA_DIR/control.sock)\n"
    "  --set KEY=VALUE         a setting for this run only (KEY as for config),\n"
    "                          over the stored ones; repeatable, e.g.\n"
    "                          --set enable_dht=false\n"
    "  --daemon                run without the terminal UI\n"
    "  --mount DIR             where the FUSE mount shows every torrent's files\n"
    "                          (default $XDG_RUNTIME_DIR/spate/mnt, else DATA_DIR/mnt)\n"
    "  --no-mount              do not mount\n"
    "  --theme NAME            the TUI's colours for this run: default, light, mono or\n"
    "                          a file in DATA_DIR/themes (stored: spate.theme)\n"
    "  -h, --help              show this help\n"
    "  -V, --version           show the version\n"
    "Options take their value as the next argument or after '=' (--dir=DIR);\n"
    "'--' ends the options.\n"
    "\n"
    "Exit codes:\n"
    "  0  success\n"
    "  1  runtime failure\n"
    "  2  usage or validation error (bad option, bad ID, invalid torrent, ...)\n"
    "  3  no running instance on the control socket\n";

/* One help line: "  SYNOPSIS" and the text at HELP_COL, on the same line
 * when the synopsis leaves room (one line, at most HELP_COL - 4 bytes),
 * else below it; a synopsis's own continuation lines are indented by 6. */
static void help_line(const struct ctl_help *h, FILE *f)
{
    bool inline_text = !strchr(h->synopsis, '\n') && strlen(h->synopsis) <= HELP_COL - 4;
    fputs("  ", f);
    for (const char *p = h->synopsis; *p; p++)
        fputs(*p == '\n' ? "\n      " : (char[]){*p, 0}, f);
    if (inline_text)
        fprintf(f, "%*s", (int)(HELP_COL - 2 - strlen(h->synopsis)), "");
    else
        fprintf(f, "\n%*s", HELP_COL, "");
    for (const char *p = h->text; *p; p++) {
        fputc(*p, f);
        if (*p == '\n') fprintf(f, "%*s", HELP_COL, "");
    }
    fputc('\n', f);
}

void ctl_help_print(const struct ctl_cmd *c, FILE *f)
{
    for (const struct ctl_help *h = c->help; h && h->synopsis; h++)
        help_line(h, f);
}

void ctl_usage(void *file)
{
    FILE *f = file ? file : stdout;
    fputs(usage_head, f);
    for (size_t i = 0; ctl_cmds[i]; i++)
        ctl_help_print(ctl_cmds[i], f);
    fputs(usage_tail, f);
}

void ctl_help(const struct ctl_args *a, void *file)
{
    FILE *f = file ? file : stdout;
    const struct ctl_cmd *c = ctl_cmd_find(a->cmd);
    if (!c) {
        ctl_usage(f);
        return;
    }
    fputs("usage: spate [OPTIONS] COMMAND [ARGS...]\n\n", f);
    ctl_help_print(c, f);
    fputs("\nIDs, KEYs, the options and the exit codes: spate --help.\n", f);
}

/* help [COMMAND]: the whole usage, or one command's. */
static int help_parse(struct ctl_args *a, char *err, size_t errlen)
{
    if (a->n_pos == 0 || ctl_cmd_find(a->pos[0])) return 0;
    snprintf(err, errlen, "help: unknown subcommand '%s'", a->pos[0]);
    return CTL_EXIT_USAGE;
}

static int help_run(const struct ctl_args *a, const char *data_dir)
{
    (void)data_dir;
    struct ctl_args one = {.cmd = a->n_pos ? a->pos[0] : NULL};
    ctl_help(&one, stdout);
    return fflush(stdout) == 0 ? CTL_EXIT_OK : CTL_EXIT_FAILURE;
}

const struct ctl_cmd ctl_cmd_help_entry = {
    .name = "help",
    .max_pos = 1,
    .operands = "COMMAND",
    .help = (const struct ctl_help[]){{"help [COMMAND]", "this help, or one command's", NULL},
                                      {NULL, NULL, NULL}},
    .parse = help_parse,
    .run = help_run,
};

/* --- docs/protocol.md's command list ------------------------------------ */

/* s with '|' escaped for a Markdown table cell and line breaks as spaces
 * (a synopsis's continuation, a text's lines). */
static void md_cell(const char *s, FILE *f)
{
    for (; *s; s++) {
        if (*s == '|')
            fputs("\\|", f);
        else
            fputc(*s == '\n' ? ' ' : *s, f);
    }
}

int ctl_commands_doc(void *file)
{
    FILE *f = file;
    fputs("<!-- generated from the command table (src/ctl/cmds.c) by `make docs`: edit the "
          "table, not this list -->\n\n",
          f);
    fputs("| Request `cmd` | CLI | What it does |\n|---|---|---|\n", f);
    for (size_t i = 0; ctl_cmds[i]; i++) {
        for (const struct ctl_help *h = ctl_cmds[i]->help; h && h->synopsis; h++) {
            if (h->wire)
                fprintf(f, "| `%s` | `spate ", h->wire);
            else
                fputs("| (none: runs locally) | `spate ", f);
            md_cell(h->synopsis, f);
            fputs("` | ", f);
            md_cell(h->text, f);
            fputs(" |\n", f);
        }
    }
    return ferror(f) ? -EIO : 0;
}
