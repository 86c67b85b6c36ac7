/*
 * framer.c — splits a byte stream into '\n'-terminated lines for the
 * control protocol, one framer per connection.
 *
 * Bytes are appended by ctl_framer_feed() and popped line by line by
 * ctl_framer_next(). A line may not exceed CTL_MAX_LINE bytes including its
 * newline; the check runs as bytes arrive, so a client can never make the
 * buffer grow past one read chunk plus one maximal line. A trailing '\r' is
 * dropped so that CRLF clients work too.
 */
#include "ctl/ctl.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

void ctl_framer_init(struct ctl_framer *f)
{
    memset(f, 0, sizeof(*f));
}

void ctl_framer_free(struct ctl_framer *f)
{
    free(f->buf);
    memset(f, 0, sizeof(*f));
}

/* Bytes of the unterminated line at the end of the buffer. (buf is NULL
 * until the first byte arrives: no pointer arithmetic on it before.) */
static size_t partial_len(const struct ctl_framer *f)
{
    size_t n = f->len - f->head;
    if (n == 0) return 0;
    const char *start = f->buf + f->head;
    const char *nl = memrchr(start, '\n', n);
    return nl ? (size_t)(start + n - (nl + 1)) : n;
}

static int append(struct ctl_framer *f, const char *data, size_t n)
{
    if (n == 0) return 0;
    /* drop popped lines first: this invalidates the last borrowed line */
    if (f->head) {
        memmove(f->buf, f->buf + f->head, f->len - f->head);
        f->len -= f->head;
        f->head = 0;
    }
    if (f->len + n > f->cap) {
        size_t cap = f->cap ? f->cap : 4096;
        while (cap < f->len + n)
            cap *= 2;
        char *nb = realloc(f->buf, cap);
        if (!nb) return -ENOMEM;
        f->buf = nb;
        f->cap = cap;
    }
    memcpy(f->buf + f->len, data, n);
    f->len += n;
    return 0;
}

int ctl_framer_feed(struct ctl_framer *f, const char *data, size_t n)
{
    if (f->overflow) return -EMSGSIZE;
    size_t cur = partial_len(f); /* bytes of the line in progress */
    size_t ok = 0;               /* bytes of `data` that may be kept */
    const char *p = data, *end = data + n;

    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        if (!nl) {
            cur += (size_t)(end - p);
            /* even the newline still to come would not fit */
            if (cur >= CTL_MAX_LINE)
                f->overflow = true;
            else
                ok = n;
            break;
        }
        cur += (size_t)(nl - p) + 1;
        if (cur > CTL_MAX_LINE) {
            f->overflow = true;
            break;
        }
        cur = 0;
        p = nl + 1;
        ok = (size_t)(p - data);
    }
    /* keep the complete lines before an oversized one so they are served */
    int rc = append(f, data, ok);
    if (rc) return rc;
    return f->overflow ? -EMSGSIZE : 0;
}

int ctl_framer_next(struct ctl_framer *f, const char **line, size_t *len)
{
    size_t n = f->len - f->head;
    if (n == 0) {
        f->head = f->len = 0;
        return 0;
    }
    char *start = f->buf + f->head;
    char *nl = memchr(start, '\n', n);
    if (!nl) return 0;
    size_t l = (size_t)(nl - start);
    if (l && start[l - 1] == '\r') l--;
    *line = start;
    *len = l;
    f->head += (size_t)(nl - start) + 1;
    return 1;
}
