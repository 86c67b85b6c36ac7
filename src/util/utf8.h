/*
 * utf8.h — UTF-8 and terminal-safe text: the one home for both (src/util/).
 *
 * Text that reaches spate from outside (torrent names and paths, peer client
 * names, tracker messages, categories, tags, setting values, the daemon's
 * replies) is untrusted: it may be invalid UTF-8, and it may hold control
 * characters that a terminal obeys (ESC starting a CSI sequence, the C1
 * control U+009B that is a CSI on its own, newlines that forge output
 * lines). Every front end that writes such text to a terminal passes it
 * through util_term_sanitize() or util_term_fputs(); JSON and the store keep
 * the text as it is (made valid with util_utf8_sanitize()).
 *
 * The rules, the same everywhere:
 *  - UTF-8 is checked by the standard's rules (RFC 3629): no overlong forms,
 *    no surrogates (U+D800-DFFF), nothing past U+10FFFF, no truncated
 *    sequence. Each byte that does not belong to a valid sequence becomes
 *    U+FFFD (the replacement character), one per bad byte. A raw C1 byte
 *    (0x80-0x9F on its own) is such a byte.
 *  - In terminal-safe text every control character becomes UTIL_TERM_REPL
 *    ('?'): C0 (U+0000-001F, including tab, newline and carriage return: the
 *    text is always one line, so it can neither forge a line nor misalign a
 *    column), DEL (U+007F) and C1 (U+0080-009F, encoded as UTF-8). Nothing
 *    else changes: wide characters, combining marks and every other code
 *    point pass through as they are.
 *
 * Pure functions over caller buffers, no locale dependence, no global state:
 * safe from any thread. Depends on no other module of spate.
 */
#ifndef SPATE_UTIL_UTF8_H
#define SPATE_UTIL_UTF8_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* What a control character becomes in terminal-safe text: visible, one
 * column wide, ASCII (safe in any locale). */
#define UTIL_TERM_REPL '?'

/* U+FFFD, what an invalid byte becomes, as UTF-8 (3 bytes). */
#define UTIL_UTF8_REPL "\xef\xbf\xbd"

/* Length (1..4) of the valid UTF-8 sequence at s, reading at most n bytes
 * (n >= 1), with its code point in *cp (cp may be NULL); 0 when s does not
 * start a valid sequence: a continuation byte, C0/C1 or F5-FF as a lead, an
 * overlong form, a surrogate, a code point past U+10FFFF, or a sequence cut
 * short by n or by a byte that is not a continuation (a NUL included). */
size_t util_utf8_seq(const char *s, size_t n, uint32_t *cp);

/* Decodes the character at s in a NUL-terminated string (s[0] != 0): its
 * length in bytes, the code point in *cp. An invalid or truncated sequence
 * gives U+FFFD for one byte, so a loop over a string always advances. */
size_t util_utf8_decode(const char *s, uint32_t *cp);

/* Encodes cp as UTF-8 into out (no NUL); surrogates and values past
 * U+10FFFF become U+FFFD. Returns the length, 1..4. */
size_t util_utf8_encode(uint32_t cp, char out[4]);

/* Whether in[0..len) is valid UTF-8 (by util_utf8_seq()'s rules). */
bool util_utf8_valid(const char *in, size_t len);

/* Whether cp is a control character a terminal may act on: C0
 * (U+0000-001F), DEL (U+007F) or C1 (U+0080-009F). */
bool util_is_control(uint32_t cp);

/* Copies in[0..len) into out (outlen bytes, outlen >= 1) as valid UTF-8:
 * each invalid byte becomes U+FFFD. Stops before a character that does not
 * fit, so the result is never cut inside a character (3 * len + 1 bytes
 * always suffice). Always NUL-terminates; returns the bytes written
 * without the NUL. */
size_t util_utf8_sanitize(char *out, size_t outlen, const char *in, size_t len);

/* As util_utf8_sanitize(), and each control character (util_is_control())
 * becomes UTIL_TERM_REPL: the result is safe to write to a terminal and is
 * one line. */
size_t util_term_sanitize(char *out, size_t outlen, const char *in, size_t len);

/* A new valid UTF-8 copy of in[0..len) (util_utf8_sanitize()); the caller
 * frees it. NULL when out of memory. */
char *util_utf8_dup(const char *in, size_t len);

/* Writes the NUL-terminated s (NULL: nothing) to f as util_term_sanitize()
 * makes it, without a length limit. Returns 0, or EOF on a write error. */
int util_term_fputs(const char *s, FILE *f);

#endif
