/*
 * settings_doc.c — docs/settings.md, written from the registry alone
 * (`make docs`; tests/unit/test_settings_doc.c fails when the checked-in
 * file and the registry disagree).
 */
#include "engine/engine.h"
#include "engine/registry.h"

#include <stdio.h>
#include <string.h>

/* A table cell: '|' and newlines would break the row. */
static void cell(FILE *out, const char *s)
{
    for (; s && *s; s++) {
        if (*s == '|')
            fputs("\\|", out);
        else
            fputc(*s == '\n' ? ' ' : *s, out);
    }
}

static void bounds(FILE *out, const struct reg_key *k)
{
    if (k->type == REG_INT) {
        fprintf(out, "%lld … %lld", k->min, k->max);
    } else if (k->type == REG_ENUM) {
        for (const struct reg_enum *e = k->enums; e->name; e++)
            fprintf(out, "%s`%s`", e == k->enums ? "" : ", ", e->name);
    } else if (k->type == REG_STRING || k->type == REG_SECRET) {
        fprintf(out, "≤ %lld bytes", k->max);
    }
}

static const char *how(const struct reg_key *k)
{
    switch (k->apply) {
    case REG_NATIVE:
        return k->scope & REG_TORRENT ? "torrent_handle" : "settings_pack";
    case REG_DERIVED:
        return "derived";
    case REG_OWN:
        return "spate";
    }
    return "";
}

static void table(FILE *out, const char *group, unsigned scope)
{
    fputs("| key | type | unit | range | default | applied | meaning |\n"
          "|---|---|---|---|---|---|---|\n",
          out);
    for (size_t i = 0; i < reg_count(); i++) {
        const struct reg_key *k = reg_at(i);
        if (strcmp(k->group, group) != 0 || !(k->scope & scope)) continue;
        char def[4096] = "";
        eng_setting_default(k->key, def, sizeof def);
        fprintf(out, "| `%s` | %s | %s | ", k->key, reg_type_name(k->type), k->unit ? k->unit : "");
        bounds(out, k);
        fputs(" | ", out);
        if (k->type == REG_SECRET || !*def)
            fputs("\"\"", out);
        else
            fputc('`', out), cell(out, def), fputc('`', out);
        fprintf(out, " | %s | ", how(k));
        cell(out, k->help);
        fputs(" |\n", out);
    }
    fputc('\n', out);
}

int eng_settings_doc(FILE *out)
{
    fputs("# Settings\n\n"
          "<!-- Generated from src/engine/registry.c by `make docs`; do not edit by hand.\n"
          "     tests/unit/test_settings_doc.c fails when this file is out of date. -->\n\n"
          "Every setting spate has, from its one registry. Session settings are shown\n"
          "and changed with `spate config get [KEY|GROUP]`, `spate config set KEY VALUE`\n"
          "and `spate config reset KEY`, with `--set KEY=VALUE` for one run, and in the\n"
          "TUI's settings editor. Per-torrent settings are changed with\n"
          "`spate set ID KEY VALUE`, given on add with `spate add --opt KEY=VALUE`,\n"
          "and read with `spate get ID [KEY]`.\n\n"
          "Values are validated and stored normalized (`yes` → `true`, `0070` → `70`);\n"
          "an integer outside its range is clamped and the message says what was\n"
          "stored. Every change is applied at once and recorded in the settings\n"
          "history. A default of libtorrent's own comes from `default_settings()`.\n\n"
          "*applied*: `settings_pack` — libtorrent's setting of that name, read back\n"
          "from `session.get_settings()`; `torrent_handle` — the torrent's own call,\n"
          "read back from it; `derived` — spate applies it through another libtorrent\n"
          "call (`set_ip_filter`, torrent flags, `add_torrent_params`, the rate limits\n"
          "while alternative speed is on) and reads that back; `spate` — spate's own\n"
          "feature (nothing native).\n\n"
          "Secrets (`proxy_password`) are stored apart from the profile and shown only\n"
          "as `(set)`.\n\n",
          out);
    size_t n;
    const char *const *groups = reg_groups(&n);
    for (size_t g = 0; g < n; g++) {
        bool torrent = strcmp(groups[g], "torrent") == 0;
        fprintf(out, "## %s\n\n", torrent ? "per torrent" : groups[g]);
        if (torrent)
            fputs("For lists, `+X` adds X and `-X` removes it; trackers are `url,url|url`\n"
                  "with tiers separated by `|`. `queue_position` also takes `top`, `up`,\n"
                  "`down` and `bottom`. `category` must exist (`spate category set`) and\n"
                  "applies its save path and rate limits.\n\n",
                  out);
        table(out, groups[g], torrent ? REG_TORRENT : REG_SESSION);
    }
    return ferror(out) ? -1 : 0;
}
