/*
 * fuzz_schedule.c — libFuzzer target for the weekly schedule parser
 * (src/engine/schedule.c): sched_parse, sched_format, sched_normalize and
 * the time functions, in TZ=UTC.
 *
 * Input: the first 4 bytes are a time (seconds since the epoch, little
 * endian, for sched_active/sched_next_change), the rest is the schedule
 * text. Checked: on error *out is unchanged and err is set; formatting a
 * parsed schedule and parsing it back gives the same bits; normalizing is
 * idempotent; the next change really changes the state.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "engine/schedule.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    setenv("TZ", "UTC", 1);
    tzset();
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 4) return 0;
    time_t now = (time_t)((uint32_t)data[0] | (uint32_t)data[1] << 8 | (uint32_t)data[2] << 16 |
                          (uint32_t)data[3] << 24);
    char *text = malloc(size - 3);
    if (!text) abort();
    memcpy(text, data + 4, size - 4);
    text[size - 4] = '\0';

    static struct sched s, back;
    static char buf[SCHED_TEXT_MAX], buf2[SCHED_TEXT_MAX];
    char err[256] = "";
    memset(&s, 0xa5, sizeof(s));
    int rc = sched_parse(text, &s, err, sizeof(err));
    if (rc != 0) {
        if (rc != -EINVAL || err[0] == '\0') abort();
        for (size_t i = 0; i < sizeof(s.bits); i++)
            if (s.bits[i] != 0xa5) abort(); /* *out unchanged */
    } else {
        if (sched_format(&s, buf, sizeof(buf)) != 0) abort();
        memset(&back, 0, sizeof(back));
        if (sched_parse(buf, &back, err, sizeof(err)) != 0) abort();
        if (memcmp(&s, &back, sizeof(s)) != 0) abort();
        if (sched_normalize(buf, buf2, sizeof(buf2), err, sizeof(err)) != 0) abort();
        if (strcmp(buf, buf2) != 0) abort();
        bool on = sched_active(&s, now);
        time_t next = sched_next_change(&s, now);
        if (next != (time_t)-1 && (next <= now || sched_active(&s, next) == on)) abort();
    }
    free(text);
    return 0;
}
