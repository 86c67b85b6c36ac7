/*
 * theme.c — colours and attributes of the things the UI draws.
 *
 * One built-in theme with an 8-colour palette over the terminal's default
 * background (use_default_colors), and a monochrome fallback made of
 * attributes only, used when the terminal has no colours or NO_COLOR is
 * set. Theme files (themes/NAME.theme) will fill the same table later.
 */
#include "ui/ui_int.h"

struct elem_style {
    short fg, bg;  /* -1: the terminal's default */
    attr_t colour; /* extra attributes with colours */
    attr_t mono;   /* attributes without colours */
};

static const struct elem_style defaults[UI_EL__COUNT] = {
    [UI_EL_NORMAL] = {-1, -1, A_NORMAL, A_NORMAL},
    [UI_EL_HEADER] = {COLOR_BLACK, COLOR_CYAN, A_NORMAL, A_REVERSE | A_BOLD},
    [UI_EL_SELECTED] = {-1, -1, A_REVERSE, A_REVERSE},
    [UI_EL_EMPTY] = {-1, -1, A_DIM, A_DIM},
    [UI_EL_STATUS] = {COLOR_WHITE, COLOR_BLUE, A_NORMAL, A_REVERSE},
    [UI_EL_MSG] = {-1, -1, A_NORMAL, A_NORMAL},
    [UI_EL_MSG_ERROR] = {COLOR_RED, -1, A_BOLD, A_BOLD},
    [UI_EL_MSG_WARN] = {COLOR_YELLOW, -1, A_NORMAL, A_BOLD},
    [UI_EL_PROMPT] = {COLOR_YELLOW, -1, A_BOLD, A_BOLD},
    [UI_EL_BAR] = {COLOR_GREEN, -1, A_NORMAL, A_NORMAL},
    [UI_EL_STATE_ACTIVE] = {COLOR_GREEN, -1, A_NORMAL, A_NORMAL},
    [UI_EL_STATE_SEED] = {COLOR_CYAN, -1, A_NORMAL, A_NORMAL},
    [UI_EL_STATE_IDLE] = {COLOR_YELLOW, -1, A_NORMAL, A_DIM},
    [UI_EL_STATE_BUSY] = {COLOR_MAGENTA, -1, A_NORMAL, A_NORMAL},
    [UI_EL_STATE_ERROR] = {COLOR_RED, -1, A_BOLD, A_BOLD},
    [UI_EL_HELP] = {-1, -1, A_NORMAL, A_NORMAL},
    [UI_EL_HELP_TITLE] = {COLOR_CYAN, -1, A_BOLD, A_BOLD},
    [UI_EL_HELP_KEY] = {COLOR_YELLOW, -1, A_BOLD, A_BOLD},
};

static attr_t attrs[UI_EL__COUNT];

void ui_theme_init(bool colour)
{
    if (colour) {
        start_color();
        use_default_colors();
    }
    short pair = 1;
    for (int e = 0; e < UI_EL__COUNT; e++) {
        const struct elem_style *s = &defaults[e];
        if (!colour) {
            attrs[e] = s->mono;
            continue;
        }
        attrs[e] = s->colour;
        if ((s->fg != -1 || s->bg != -1) && pair < COLOR_PAIRS) {
            init_pair(pair, s->fg, s->bg);
            attrs[e] |= COLOR_PAIR(pair);
            pair++;
        }
    }
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
