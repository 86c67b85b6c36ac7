/*
 * prompt.c — a one-line text editor on the message line (the add prompt,
 * the settings editor's values and search).
 *
 * The text is kept as wide characters so that cursor movement and deletion
 * work per character; it is turned into UTF-8 only when submitted. Editing
 * keys come from the keymap's prompt scope; any other printable key is
 * inserted at the cursor. A long line scrolls horizontally to keep the
 * cursor visible. A masked prompt (secrets) draws '*' for every character.
 */
#include "ui/ui_int.h"

#include <stdio.h>
#include <string.h>
#include <wctype.h>

#include "ui/format.h"
#include "util/utf8.h"

void ui_prompt_start(struct ui_prompt *p, const char *label)
{
    snprintf(p->label, sizeof p->label, "%s", label);
    p->len = p->cursor = p->first = 0;
    p->masked = false;
}

void ui_prompt_set_text(struct ui_prompt *p, const char *utf8)
{
    p->len = p->first = 0;
    while (utf8 && *utf8 && p->len < UI_PROMPT_MAX) {
        uint32_t cp;
        utf8 += util_utf8_decode(utf8, &cp);
        p->text[p->len++] = (wchar_t)cp;
    }
    p->cursor = p->len;
}

static void insert(struct ui_prompt *p, wchar_t c)
{
    if (p->len >= UI_PROMPT_MAX) return;
    memmove(&p->text[p->cursor + 1], &p->text[p->cursor], (p->len - p->cursor) * sizeof p->text[0]);
    p->text[p->cursor++] = c;
    p->len++;
}

static void delete_range(struct ui_prompt *p, size_t from, size_t to)
{
    if (from >= to) return;
    memmove(&p->text[from], &p->text[to], (p->len - to) * sizeof p->text[0]);
    p->len -= to - from;
    p->cursor = from;
}

enum ui_prompt_result ui_prompt_key(struct ui_prompt *p, int key)
{
    size_t w;
    switch (ui_keymap_lookup(UI_SCOPE_PROMPT, key)) {
    case UI_ACT_PROMPT_SUBMIT:
        return UI_PROMPT_SUBMIT;
    case UI_ACT_CANCEL:
        return UI_PROMPT_CANCEL;
    case UI_ACT_PROMPT_BACKSPACE:
        if (p->cursor > 0) delete_range(p, p->cursor - 1, p->cursor);
        break;
    case UI_ACT_PROMPT_DELETE:
        if (p->cursor < p->len) {
            size_t at = p->cursor;
            delete_range(p, at, at + 1);
        }
        break;
    case UI_ACT_PROMPT_DELETE_WORD:
        /* like a shell's ^W: blanks, then the word, before the cursor */
        w = p->cursor;
        while (w > 0 && iswspace((wint_t)p->text[w - 1]))
            w--;
        while (w > 0 && !iswspace((wint_t)p->text[w - 1]) && p->text[w - 1] != L'/')
            w--;
        if (w == p->cursor && w > 0) w--; /* a lone '/' */
        delete_range(p, w, p->cursor);
        break;
    case UI_ACT_PROMPT_CLEAR:
        p->len = p->cursor = p->first = 0;
        break;
    case UI_ACT_PROMPT_LEFT:
        if (p->cursor > 0) p->cursor--;
        break;
    case UI_ACT_PROMPT_RIGHT:
        if (p->cursor < p->len) p->cursor++;
        break;
    case UI_ACT_PROMPT_HOME:
        p->cursor = 0;
        break;
    case UI_ACT_PROMPT_END:
        p->cursor = p->len;
        break;
    default:
        /* Unbound: insert printable characters, ignore other keys. */
        if (!UI_KEY_IS_FN(key) && key >= 0x20 && key != 0x7f && key <= 0x10ffff &&
            !(key >= 0x80 && key < 0xa0))
            insert(p, (wchar_t)key);
        break;
    }
    return UI_PROMPT_EDITING;
}

void ui_prompt_text(const struct ui_prompt *p, char *buf, size_t n)
{
    if (n == 0) return;
    size_t k = 0;
    for (size_t i = 0; i < p->len; i++) {
        char u[4];
        size_t l = util_utf8_encode((uint32_t)p->text[i], u);
        if (k + l + 1 > n) break;
        memcpy(buf + k, u, l);
        k += l;
    }
    buf[k] = '\0';
}

static int cwidth(const struct ui_prompt *p, wchar_t c)
{
    if (p->masked) return 1;
    int w = wcwidth(c);
    return w < 0 ? 1 : w;
}

void ui_prompt_draw(struct ui_prompt *p, WINDOW *w)
{
    int width = getmaxx(w);
    wmove(w, 0, 0);
    wattrset(w, ui_attr(UI_EL_PROMPT));
    /* A long label (a setting's key, unit and bounds) may take all but
     * the last 16 columns; the text scrolls in what is left. */
    int label_max = width - 16 > width / 2 ? width - 16 : width / 2;
    int label_w = ui_put(w, p->label, label_max, false);
    wattrset(w, ui_attr(UI_EL_MSG));

    /* Room for the text, keeping the last cell free for the cursor. */
    int room = width - label_w - 1;
    if (room < 1) {
        wattrset(w, A_NORMAL);
        return;
    }
    /* Scroll so that the cursor is visible, with a little context. */
    if (p->cursor < p->first) p->first = p->cursor > 8 ? p->cursor - 8 : 0;
    for (;;) {
        int cw = 0;
        for (size_t i = p->first; i < p->cursor; i++)
            cw += cwidth(p, p->text[i]);
        if (cw < room || p->first >= p->cursor) break;
        p->first++;
    }

    int col = 0, cursor_col = 0;
    for (size_t i = p->first; i < p->len; i++) {
        if (i == p->cursor) cursor_col = col;
        int cw = cwidth(p, p->text[i]);
        if (col + cw > room) break;
        wchar_t one[2] = {p->masked ? L'*' : p->text[i], 0};
        if (cw == 0 && col == 0) continue; /* a combining mark with its base scrolled off */
        waddnwstr(w, one, 1);
        col += cw;
    }
    if (p->cursor >= p->len) {
        int cw = 0;
        for (size_t i = p->first; i < p->cursor; i++)
            cw += cwidth(p, p->text[i]);
        cursor_col = cw;
    }
    wattrset(w, A_NORMAL);
    wmove(w, 0, label_w + cursor_col);
}
