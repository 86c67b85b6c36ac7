/*
 * usage.c — the text of `spate --help`: modes, subcommands, options and
 * exit codes. Keep it in step with args.c and docs/protocol.md.
 */
#include "ctl/ctl.h"

#include <stdio.h>

static const char usage_text[] =
    "usage: spate [OPTIONS]                     run the terminal UI (and the control socket)\n"
    "       spate --daemon [OPTIONS]            run headless until SIGINT/SIGTERM\n"
    "       spate [OPTIONS] COMMAND [ARGS...]   talk to the running instance\n"
    "\n"
    "Commands:\n"
    "  add [--paused] [--dir DIR] [--peer HOST:PORT]... SOURCE...\n"
    "                          add torrents; SOURCE is a .torrent file or a magnet URI\n"
    "  ls [--json]             list torrents (--json: an array of objects)\n"
    "  info ID [--json]        details of one torrent and its files\n"
    "  pause ID...             pause torrents\n"
    "  resume ID...            resume torrents\n"
    "  recheck ID...           verify the data on disk again\n"
    "  reannounce ID...        announce to trackers (and DHT) now\n"
    "  connect ID HOST:PORT    connect the torrent to a peer now\n"
    "  priority ID PRIO FILE...\n"
    "                          set the download priority of files: PRIO is skip,\n"
    "                          low, normal, high or 0..7; FILE is an index `info`\n"
    "                          shows, or all\n"
    "  remove [--delete-data] ID...\n"
    "                          remove torrents (and their downloaded files)\n"
    "  quit                    stop the running instance\n"
    "\n"
    "ID is the number `spate ls` shows or at least 6 hex digits of the info-hash.\n"
    "\n"
    "Options (before or after the command):\n"
    "  --data-dir DIR          state directory (default $XDG_DATA_HOME/spate)\n"
    "  --download-dir DIR      where new torrents are saved (default $XDG_DOWNLOAD_DIR\n"
    "                          or ~/Downloads)\n"
    "  --socket PATH           control socket (default DATA_DIR/control.sock)\n"
    "  --set KEY=VALUE         a libtorrent setting (settings_pack name), repeatable,\n"
    "                          e.g. --set enable_dht=false\n"
    "  --daemon                run without the terminal UI\n"
    "  --mount DIR             where the FUSE mount shows every torrent's files\n"
    "                          (default $XDG_RUNTIME_DIR/spate/mnt, else DATA_DIR/mnt)\n"
    "  --no-mount              do not mount\n"
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

void ctl_usage(void *file)
{
    fputs(usage_text, file ? (FILE *)file : stdout);
}
