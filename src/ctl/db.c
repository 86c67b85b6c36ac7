/*
 * db.c — `spate db backups` and `spate db restore [FILE]`: the CLI face of
 * the store's backups (src/store/backup.c). These work on the data
 * directory itself, not over the control socket: the point of a restore is
 * that spate cannot start on the database in place.
 */
#include "ctl/ctl.h"
#include "store/store.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

static int print_backup(const char *path, int64_t bytes, int64_t mtime, void *ud)
{
    (void)mtime;
    int *n = ud;
    printf("%s  %lld bytes\n", path, (long long)bytes);
    (*n)++;
    return 0;
}

int ctl_db_run(const struct ctl_args *a, const char *data_dir)
{
    char dir[PATH_MAX], msg[3 * PATH_MAX];
    if (snprintf(dir, sizeof dir, "%s/backups", data_dir) >= (int)sizeof dir) {
        fprintf(stderr, "spate: data dir path too long: %s\n", data_dir);
        return CTL_EXIT_FAILURE;
    }
    if (strcmp(a->pos[0], "backups") == 0) {
        int n = 0;
        int rc = store_backups_list(dir, print_backup, &n);
        if (rc < 0) {
            fprintf(stderr, "spate: cannot list %s: %s\n", dir, strerror(-rc));
            return CTL_EXIT_FAILURE;
        }
        if (n == 0) fprintf(stderr, "spate: no backup in %s\n", dir);
        return CTL_EXIT_OK;
    }
    int rc = store_restore(data_dir, a->n_pos > 1 ? a->pos[1] : NULL, msg, sizeof msg);
    if (rc < 0) {
        fprintf(stderr, "spate: db restore: %s\n", msg);
        return CTL_EXIT_FAILURE;
    }
    printf("%s\n", msg);
    return CTL_EXIT_OK;
}
