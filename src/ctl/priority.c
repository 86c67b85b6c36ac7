/*
 * priority.c — file download priorities as users name them: skip, low,
 * normal, high or a number 0..7 (libtorrent download_priority_t: 0
 * dont_download, 1 low_priority, 4 default_priority, 7 top_priority).
 *
 * The command line (args.c) parses them, `info` (client_print.c) prints
 * them; the protocol itself carries only the numbers.
 */
#include "ctl/ctl_int.h"

#include <string.h>
#include <strings.h>

/* Every value 0..7 has a name; the ones libtorrent leaves unnamed are their
 * digit. */
static const char *const prio_names[CTL_PRIO_MAX + 1] = {"skip",   "low", "2", "3",
                                                         "normal", "5",   "6", "high"};

int ctl_prio_parse(const char *s)
{
    if (!s) return -1;
    /* one digit: "07" or "+7" are more likely typos than intent */
    if (s[0] >= '0' && s[0] <= '0' + CTL_PRIO_MAX && s[1] == '\0') return s[0] - '0';
    for (int p = 0; p <= CTL_PRIO_MAX; p++)
        if (strcasecmp(s, prio_names[p]) == 0) return p;
    return -1;
}

const char *ctl_prio_name(int prio)
{
    if (prio < 0 || prio > CTL_PRIO_MAX) return "?";
    return prio_names[prio];
}
