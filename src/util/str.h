/*
 * str.h — small string helpers every module shares (src/util/): blanks
 * trimmed, comma lists, error text into a caller buffer, and what counts as
 * a magnet link.
 *
 * Blanks are ASCII whitespace: space, \t, \n, \v, \f and \r (isspace() in
 * the C locale, whatever the locale is). A comma list is "a,b,c": items are
 * compared with their surrounding blanks trimmed, and an empty item never
 * matches; tracker lists also take "|" between tiers (pass it in `seps`).
 *
 * Pure functions over caller memory, no global state: safe from any thread.
 * Depends on no other module of spate.
 */
#ifndef SPATE_UTIL_STR_H
#define SPATE_UTIL_STR_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

/* Whether c is an ASCII blank (see above). */
bool util_is_space(char c);

/* s[0..*len) without its leading and trailing blanks: returns the new
 * start and sets *len to the new length (0 for an all-blank text). s is not
 * written to and need not be NUL-terminated. */
const char *util_trim(const char *s, size_t *len);

/* Trims the NUL-terminated s in place: writes a NUL after its last
 * non-blank and returns its first non-blank (a pointer into s). */
char *util_trim_nul(char *s);

/* Whether the list (NUL-terminated, NULL counts as empty) whose items are
 * separated by any character of `seps` (e.g. "," or ",|") holds the item
 * item[0..len), comparing each trimmed item byte for byte. An empty item
 * (len 0) is never held. */
bool util_list_has(const char *list, const char *seps, const char *item, size_t len);

/* Formats a message into err (errlen bytes, cut to fit, always
 * NUL-terminated); nothing when err is NULL or errlen is 0. For functions
 * that return 0 or -errno and explain a failure in a caller buffer. */
void util_set_err(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* util_set_err with a va_list, for wrappers of their own. */
void util_vset_err(char *err, size_t errlen, const char *fmt, va_list ap)
    __attribute__((format(printf, 3, 0)));
/* util_set_err, then returns rc: `return util_fail(err, errlen, -EINVAL, ...)`. */
int util_fail(char *err, size_t errlen, int rc, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* snprintf() that returns what landed in buf: the length written, cut to
 * n - 1 when the text did not fit (0, with buf "", on an encoding error;
 * nothing at all when n is 0). */
size_t util_snprintf(char *buf, size_t n, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Whether s (NUL-terminated, not NULL) is a magnet link: it starts with the
 * URI scheme "magnet:" in any case (RFC 3986 schemes are case-insensitive).
 * Everything else a user adds is a .torrent file's path. */
bool util_is_magnet(const char *s);

#endif
