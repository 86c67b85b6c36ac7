/*
 * theme.c — colours and attributes of the things the UI draws.
 *
 * A theme maps each enum ui_elem to a foreground, a background and
 * attributes. Three are built in ("default" for dark terminals, "light",
 * "mono" with attributes only), their text below kept equal to
 * themes/NAME.theme by tests/unit/test_ui_theme.c, so an installed spate
 * needs no data files; any other name is read from
 * DATA_DIR/themes/NAME.theme. The file format and the pure functions
 * (parser, choice, colour fallbacks) are described in theme.h.
 *
 * Which theme: spate.theme; "mono" whatever it says when NO_COLOR is set
 * or the terminal has fewer than 8 colours. A theme that cannot be loaded
 * gives the default one and a message for the message line.
 * ui_theme_init() runs at start and on every settings change, and reloads
 * only when the chosen name changed.
 *
 * DATA_DIR is the engine's (eng_data_dir): --data-dir or its default.
 *
 * Colour pairs: one per distinct (fg, bg) of the theme, numbered from 1 at
 * each load. start_color() is called only once some theme needs colours,
 * so a mono session never sends a colour sequence.
 */
#include "ui/theme.h"

#include "engine/safefile.h"
#include "util/str.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define THEME_FILE_MAX (64 * 1024) /* bytes; a theme is about 1 KiB */
#define LINE_MAX_LEN 1024
#define NAME_MAX_LEN 64

/* ---- the built-in themes: the text of themes/NAME.theme ------------------------ */

static const char builtin_default[] =
    "# spate theme: default (for dark terminals)\n"
    "#\n"
    "# One element per line:   element = fg bg [attrs]\n"
    "#   fg, bg  default (the terminal's own), black, red, green, yellow, blue,\n"
    "#           magenta, cyan, white, brightblack ... brightwhite, or 0-255;\n"
    "#           \"75/cyan\" means 75 on 256-colour terminals, cyan on others\n"
    "#   attrs   none, or any of bold, dim, underline, reverse, standout\n"
    "#           (separated by spaces or commas)\n"
    "# Elements not given look like `normal`. Copy this file to\n"
    "# DATA_DIR/themes/NAME.theme and run `spate --theme NAME` to try a change.\n"
    "\n"
    "normal       = default        default      none\n"
    "header       = 16/black       75/cyan      none\n"
    "selected     = default        default      reverse\n"
    "empty        = default        default      dim\n"
    "status       = 255/white      24/blue      none\n"
    "msg          = default        default      none\n"
    "msg_error    = 203/red        default      bold\n"
    "msg_warn     = 214/yellow     default      none\n"
    "prompt       = 221/yellow     default      bold\n"
    "bar          = 71/green       default      none\n"
    "state_active = 114/green      default      none\n"
    "state_seed   = 80/cyan        default      none\n"
    "state_idle   = 179/yellow     default      none\n"
    "state_busy   = 176/magenta    default      none\n"
    "state_error  = 203/red        default      bold\n"
    "help         = default        default      none\n"
    "help_title   = 80/cyan        default      bold\n"
    "help_key     = 221/yellow     default      bold\n";

static const char builtin_light[] =
    "# spate theme: light (for terminals with a light background)\n"
    "#\n"
    "# One element per line:   element = fg bg [attrs]\n"
    "#   fg, bg  default (the terminal's own), black, red, green, yellow, blue,\n"
    "#           magenta, cyan, white, brightblack ... brightwhite, or 0-255;\n"
    "#           \"25/blue\" means 25 on 256-colour terminals, blue on others\n"
    "#   attrs   none, or any of bold, dim, underline, reverse, standout\n"
    "#           (separated by spaces or commas)\n"
    "# Elements not given look like `normal`.\n"
    "\n"
    "normal       = default        default      none\n"
    "header       = 231/white      25/blue      bold\n"
    "selected     = 16/black       153/cyan     none\n"
    "empty        = default        default      dim\n"
    "status       = 231/white      24/blue      none\n"
    "msg          = default        default      none\n"
    "msg_error    = 160/red        default      bold\n"
    "msg_warn     = 130/magenta    default      bold\n"
    "prompt       = 19/blue        default      bold\n"
    "bar          = 28/green       default      none\n"
    "state_active = 28/green       default      none\n"
    "state_seed   = 25/blue        default      none\n"
    "state_idle   = 244/black      default      none\n"
    "state_busy   = 90/magenta     default      none\n"
    "state_error  = 160/red        default      bold\n"
    "help         = default        default      none\n"
    "help_title   = 25/blue        default      bold\n"
    "help_key     = 90/magenta     default      bold\n";

static const char builtin_mono[] =
    "# spate theme: mono (no colours, attributes only)\n"
    "#\n"
    "# Used whatever spate.theme says when NO_COLOR is set or the terminal has\n"
    "# fewer than 8 colours. Same format as the other themes:\n"
    "#   element = fg bg [attrs]    (here fg and bg are always `default`)\n"
    "\n"
    "normal       = default  default  none\n"
    "header       = default  default  reverse bold\n"
    "selected     = default  default  reverse\n"
    "empty        = default  default  dim\n"
    "status       = default  default  reverse\n"
    "msg          = default  default  none\n"
    "msg_error    = default  default  bold\n"
    "msg_warn     = default  default  bold\n"
    "prompt       = default  default  bold\n"
    "bar          = default  default  none\n"
    "state_active = default  default  none\n"
    "state_seed   = default  default  none\n"
    "state_idle   = default  default  dim\n"
    "state_busy   = default  default  none\n"
    "state_error  = default  default  bold\n"
    "help         = default  default  none\n"
    "help_title   = default  default  bold\n"
    "help_key     = default  default  bold\n";

static const struct {
    const char *name, *text;
} builtins[] = {
    {"default", builtin_default},
    {"light", builtin_light},
    {"mono", builtin_mono},
};

const char *ui_theme_builtin(const char *name)
{
    for (size_t i = 0; name && i < sizeof builtins / sizeof builtins[0]; i++)
        if (strcmp(name, builtins[i].name) == 0) return builtins[i].text;
    return NULL;
}

/* ---- names ------------------------------------------------------------------------ */

static const char *const elem_names[UI_EL__COUNT] = {
    [UI_EL_NORMAL] = "normal",
    [UI_EL_HEADER] = "header",
    [UI_EL_SELECTED] = "selected",
    [UI_EL_EMPTY] = "empty",
    [UI_EL_STATUS] = "status",
    [UI_EL_MSG] = "msg",
    [UI_EL_MSG_ERROR] = "msg_error",
    [UI_EL_MSG_WARN] = "msg_warn",
    [UI_EL_PROMPT] = "prompt",
    [UI_EL_BAR] = "bar",
    [UI_EL_STATE_ACTIVE] = "state_active",
    [UI_EL_STATE_SEED] = "state_seed",
    [UI_EL_STATE_IDLE] = "state_idle",
    [UI_EL_STATE_BUSY] = "state_busy",
    [UI_EL_STATE_ERROR] = "state_error",
    [UI_EL_HELP] = "help",
    [UI_EL_HELP_TITLE] = "help_title",
    [UI_EL_HELP_KEY] = "help_key",
};

const char *ui_theme_elem_name(enum ui_elem e)
{
    return (int)e >= 0 && e < UI_EL__COUNT ? elem_names[e] : NULL;
}

static const char *const colour_names[8] = {"black", "red",     "green", "yellow",
                                            "blue",  "magenta", "cyan",  "white"};

static const struct {
    const char *name;
    attr_t attr;
} attr_names[] = {
    {"none", A_NORMAL},         {"bold", A_BOLD},       {"dim", A_DIM},
    {"underline", A_UNDERLINE}, {"reverse", A_REVERSE}, {"standout", A_STANDOUT},
};

bool ui_theme_name_ok(const char *name)
{
    size_t n = 0;
    if (!name) return false;
    for (; name[n]; n++)
        if (!isalnum((unsigned char)name[n]) && name[n] != '-' && name[n] != '_') return false;
    return n >= 1 && n <= NAME_MAX_LEN;
}

/* ---- colours ---------------------------------------------------------------------- */

short ui_theme_colour_basic(short n)
{
    if (n < 0) return -1;
    if (n < 16) return n & 7;
    if (n >= 232) return n < 244 ? COLOR_BLACK : COLOR_WHITE; /* greys: 8 .. 238 */
    int i = n - 16, r = i / 36, g = i / 6 % 6, b = i % 6;
    int max = r > g ? (r > b ? r : b) : (g > b ? g : b);
    if (max == 0) return COLOR_BLACK;
    if (r == g && g == b) return max >= 3 ? COLOR_WHITE : COLOR_BLACK;
    /* the strongest components, and any other bright one */
    short c = 0;
    if (r == max || r >= 3) c |= COLOR_RED;
    if (g == max || g >= 3) c |= COLOR_GREEN;
    if (b == max || b >= 3) c |= COLOR_BLUE;
    return c;
}

short ui_theme_colour_pick(struct ui_theme_colour c, int colours)
{
    /* Past the first 16, the 256-colour numbers mean something only on
     * 256-colour terminals (88-colour ones number theirs differently). */
    if (c.c256 < 0 || colours >= 256 || (c.c256 < 16 && c.c256 < colours)) return c.c256;
    if (c.c8 < 0 || (c.c8 < 16 && c.c8 < colours)) return c.c8;
    return ui_theme_colour_basic(c.c8);
}

const char *ui_theme_choose(const char *setting, const char *no_color, int colours)
{
    if ((no_color && *no_color) || colours < 8) return UI_THEME_MONO;
    return setting && *setting ? setting : UI_THEME_DEFAULT;
}

/* ---- the parser ------------------------------------------------------------------- */

/* A word of the file quoted for a message: at most 32 bytes, controls as '?'. */
static const char *quoted(const char *w, char *buf, size_t n)
{
    size_t j = 0;
    for (size_t i = 0; w[i] && j + 4 < n && i < 32; i++)
        buf[j++] = (unsigned char)w[i] < 0x20 || w[i] == 0x7f ? '?' : w[i];
    if (strlen(w) > 32 && j + 4 < n) buf[j++] = '.', buf[j++] = '.', buf[j++] = '.';
    buf[j] = '\0';
    return buf;
}

/* One colour word: "default", a name, "brightNAME" / "bright-NAME", 0-255. */
static int colour_word(const char *w, short *out)
{
    if (strcasecmp(w, "default") == 0) {
        *out = -1;
        return 0;
    }
    if (isdigit((unsigned char)w[0])) {
        size_t len = strspn(w, "0123456789");
        if (w[len] || len > 3 || atoi(w) > 255) return -1;
        *out = (short)atoi(w);
        return 0;
    }
    const char *base = w;
    short bright = 0;
    if (strncasecmp(w, "bright", 6) == 0) {
        base = w + 6;
        if (*base == '-' || *base == '_') base++;
        bright = 8;
    }
    for (short i = 0; i < 8; i++)
        if (strcasecmp(base, colour_names[i]) == 0) {
            *out = i + bright;
            return 0;
        }
    return -1;
}

/* "C" or "C256/C8". */
static int colour_spec(const char *w, struct ui_theme_colour *c)
{
    char first[LINE_MAX_LEN];
    const char *slash = strchr(w, '/');
    if (!slash) {
        if (colour_word(w, &c->c256) < 0) return -1;
        c->c8 = c->c256;
        return 0;
    }
    size_t len = (size_t)(slash - w);
    if (len >= sizeof first) return -1;
    memcpy(first, w, len);
    first[len] = '\0';
    if (colour_word(first, &c->c256) < 0 || colour_word(slash + 1, &c->c8) < 0) return -1;
    return 0;
}

static int attr_word(const char *w, attr_t *out)
{
    for (size_t i = 0; i < sizeof attr_names / sizeof attr_names[0]; i++)
        if (strcasecmp(w, attr_names[i].name) == 0) {
            *out |= attr_names[i].attr;
            return 0;
        }
    return -1;
}

/* Splits s in place at blanks and commas; returns the word count (at most max). */
static int split_words(char *s, char **words, int max)
{
    int n = 0;
    char *save = NULL;
    for (char *w = strtok_r(s, " \t\r\v\f,", &save); w; w = strtok_r(NULL, " \t\r\v\f,", &save)) {
        if (n == max) return max + 1;
        words[n++] = w;
    }
    return n;
}

/* Parses one line (comment stripped, not empty); 0 or -EINVAL with the
 * message (without "FILE:LINE: ") in err. */
static int parse_line(char *line, int lineno, struct ui_theme *t, int *set_on, char *err,
                      size_t errlen)
{
    char q[48];
    char *eq = strchr(line, '=');
    char *name = eq ? (*eq = '\0', util_trim_nul(line)) : NULL;
    if (!name || !*name) {
        snprintf(err, errlen, "expected \"element = fg bg [attrs]\"");
        return -EINVAL;
    }
    int e = 0;
    while (e < UI_EL__COUNT && !(elem_names[e] && strcasecmp(name, elem_names[e]) == 0))
        e++;
    if (e == UI_EL__COUNT) {
        snprintf(err, errlen, "unknown element \"%s\" (the names are in themes/default.theme)",
                 quoted(name, q, sizeof q));
        return -EINVAL;
    }
    if (set_on[e]) {
        snprintf(err, errlen, "\"%s\" is already set on line %d", elem_names[e], set_on[e]);
        return -EINVAL;
    }
    char *w[16];
    int n = split_words(eq + 1, w, 16);
    if (n < 2) {
        snprintf(err, errlen, "\"%s\" needs a foreground and a background colour", elem_names[e]);
        return -EINVAL;
    }
    if (n > 16) {
        snprintf(err, errlen, "too many words for \"%s\"", elem_names[e]);
        return -EINVAL;
    }
    struct ui_theme_style s = {.attrs = A_NORMAL};
    for (int i = 0; i < 2; i++)
        if (colour_spec(w[i], i == 0 ? &s.fg : &s.bg) < 0) {
            snprintf(err, errlen,
                     "unknown colour \"%s\" (default, black, red, green, yellow, blue, magenta, "
                     "cyan, white, brightblack ... brightwhite, 0-255, or N/FALLBACK)",
                     quoted(w[i], q, sizeof q));
            return -EINVAL;
        }
    for (int i = 2; i < n; i++)
        if (attr_word(w[i], &s.attrs) < 0) {
            snprintf(err, errlen,
                     "unknown attribute \"%s\" (none, bold, dim, underline, reverse, standout)",
                     quoted(w[i], q, sizeof q));
            return -EINVAL;
        }
    t->el[e] = s;
    set_on[e] = lineno;
    return 0;
}

int ui_theme_parse(const char *text, const char *file, struct ui_theme *out, char *err,
                   size_t errlen)
{
    static const struct ui_theme_style plain = {{-1, -1}, {-1, -1}, A_NORMAL};
    int set_on[UI_EL__COUNT] = {0}; /* the line that set each element, 0 none */
    char line[LINE_MAX_LEN + 1], msg[512];
    struct ui_theme t;
    if (!file) file = "theme";
    if (err && errlen) err[0] = '\0';
    int lineno = 0;
    for (const char *p = text ? text : ""; *p;) {
        const char *end = strchr(p, '\n');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        lineno++;
        if (len > LINE_MAX_LEN) {
            snprintf(err, errlen, "%s:%d: line longer than %d bytes", file, lineno, LINE_MAX_LEN);
            return -EINVAL;
        }
        memcpy(line, p, len);
        line[len] = '\0';
        p += len + (end ? 1 : 0);
        char *hash = strchr(line, '#');
        if (hash) *hash = '\0';
        char *s = util_trim_nul(line);
        if (!*s) continue;
        if (parse_line(s, lineno, &t, set_on, msg, sizeof msg) < 0) {
            snprintf(err, errlen, "%s:%d: %s", file, lineno, msg);
            return -EINVAL;
        }
    }
    if (!set_on[UI_EL_NORMAL]) t.el[UI_EL_NORMAL] = plain;
    for (int e = 0; e < UI_EL__COUNT; e++)
        if (!set_on[e]) t.el[e] = t.el[UI_EL_NORMAL];
    *out = t;
    return 0;
}

/* ---- loading ---------------------------------------------------------------------- */

/* Reads a whole file of at most THEME_FILE_MAX bytes; *text malloc'd. The
 * UI runs on the loop thread: the file is opened without blocking and only
 * a small regular file outside spate's own mount is read (safefile.h), so
 * a FIFO, a device or a theme inside the mount cannot stall the loop. */
static int read_file(const char *path, const char *mount_dir, char **text, char *err, size_t errlen)
{
    void *buf = NULL;
    size_t n = 0;
    char m[1024];
    int rc = eng_safe_read(path, "theme", THEME_FILE_MAX, NULL, mount_dir, &buf, &n, m, sizeof m);
    if (rc == -EFBIG)
        snprintf(err, errlen, "%.900s: larger than 64 KiB", path);
    else if (rc < 0)
        snprintf(err, errlen, "%s", m);
    else if (memchr(buf, '\0', n)) {
        snprintf(err, errlen, "%.900s: not a text file", path);
        free(buf);
        rc = -EINVAL;
    } else
        *text = buf;
    return rc;
}

/* Loads theme `name` (built in, else DATA_DIR/themes/NAME.theme). */
static int load(const char *data_dir, const char *mount_dir, const char *name, struct ui_theme *t,
                char *err, size_t errlen)
{
    const char *text = ui_theme_builtin(name);
    char label[64];
    if (text) {
        snprintf(label, sizeof label, "themes/%s.theme", name);
        return ui_theme_parse(text, label, t, err, errlen);
    }
    if (!ui_theme_name_ok(name)) {
        snprintf(err, errlen, "not a theme name (letters, digits, - and _)");
        return -EINVAL;
    }
    char path[4200];
    snprintf(path, sizeof path, "%s/themes/%s.theme", data_dir, name);
    char *file = NULL;
    int rc = read_file(path, mount_dir, &file, err, errlen);
    if (rc < 0) return rc;
    rc = ui_theme_parse(file, path, t, err, errlen);
    free(file);
    return rc;
}

/* ---- applying --------------------------------------------------------------------- */

static attr_t attrs[UI_EL__COUNT];
static char applied[NAME_MAX_LEN + 8]; /* the name last chosen, "" none */
static WINDOW *applied_on;             /* the stdscr it was applied on */
static bool colour_started;            /* start_color() done on that screen */
static bool default_colours;           /* use_default_colors() worked: -1 allowed */

static void apply(const struct ui_theme *t, int colours)
{
    short pair_fg[UI_EL__COUNT + 1], pair_bg[UI_EL__COUNT + 1];
    short pairs = 0; /* pairs used, numbered 1..pairs */
    for (int e = 0; e < UI_EL__COUNT; e++) {
        const struct ui_theme_style *s = &t->el[e];
        attrs[e] = s->attrs;
        if (colours < 8) continue;
        short fg = ui_theme_colour_pick(s->fg, colours);
        short bg = ui_theme_colour_pick(s->bg, colours);
        if (fg < 0 && bg < 0) continue;
        if (!default_colours) {
            if (fg < 0) fg = COLOR_WHITE;
            if (bg < 0) bg = COLOR_BLACK;
        }
        short p = 1;
        while (p <= pairs && !(pair_fg[p] == fg && pair_bg[p] == bg))
            p++;
        if (p > pairs) {
            if (p >= COLOR_PAIRS || init_pair(p, fg, bg) == ERR) continue;
            pair_fg[p] = fg;
            pair_bg[p] = bg;
            pairs = p;
        }
        attrs[e] |= COLOR_PAIR(p);
    }
}

int ui_theme_init(struct eng *e, char *err, size_t errlen)
{
    char setting[NAME_MAX_LEN + 8] = "";
    if (err && errlen) err[0] = '\0';
    if (e && eng_setting_get(e, "spate.theme", setting, sizeof setting) < 0) setting[0] = '\0';
    const char *no_color = getenv("NO_COLOR");
    bool fresh = applied_on != stdscr; /* a new screen: nothing set up on it */
    if (fresh) {
        applied[0] = '\0';
        applied_on = stdscr;
        colour_started = false;
    }
    int colours = 0;
    if (has_colors() && strcmp(ui_theme_choose(setting, no_color, 256), UI_THEME_MONO) != 0) {
        if (!colour_started) {
            start_color();
            default_colours = use_default_colors() == OK;
            colour_started = true;
        }
        colours = COLORS;
    }
    const char *name = ui_theme_choose(setting, no_color, colours);
    if (!fresh && strcmp(name, applied) == 0) return 0;
    snprintf(applied, sizeof applied, "%s", name);

    struct ui_theme t;
    char why[1024];
    int rc = load(eng_data_dir(e), eng_mount_point(e), name, &t, why, sizeof why);
    if (rc < 0) {
        snprintf(err, errlen, "theme \"%s\" could not be loaded (using default): %s", name, why);
        load(eng_data_dir(e), eng_mount_point(e), UI_THEME_DEFAULT, &t, why, sizeof why);
    }
    apply(&t, colours);
    /* Cells whose pair number stayed but whose colours changed: repaint all. */
    if (!fresh) clearok(curscr, TRUE);
    return rc;
}

attr_t ui_attr(enum ui_elem e)
{
    return (int)e >= 0 && e < UI_EL__COUNT ? attrs[e] : A_NORMAL;
}

enum ui_elem ui_state_elem(const struct eng_torrent *t)
{
    if (t->error && *t->error) return UI_EL_STATE_ERROR;
    switch (t->state) {
    case ENG_STATE_DOWNLOADING:
        return UI_EL_STATE_ACTIVE;
    case ENG_STATE_SEEDING:
    case ENG_STATE_FINISHED:
        return UI_EL_STATE_SEED;
    case ENG_STATE_PAUSED:
    case ENG_STATE_QUEUED:
        return UI_EL_STATE_IDLE;
    case ENG_STATE_CHECKING:
    case ENG_STATE_METADATA:
        return UI_EL_STATE_BUSY;
    case ENG_STATE_ERROR:
        return UI_EL_STATE_ERROR;
    }
    return UI_EL_NORMAL;
}
