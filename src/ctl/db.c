/*
 * db.c — `spate db backups` and `spate db restore [FILE]`: the CLI face of
 * the store's backups (src/store/backup.c). These work on the data
 * directory itself, not over the control socket: the point of a restore is
 * that spate cannot start on the database in place (the entry's .run).
 */
#include "ctl/ctl_int.h"
#include "store/store.h"

#include <errno.h>
#include <limits.h>
#include <stdint.h>
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

/* db backups | restore [FILE]: checked here; the work needs no instance
 * (ctl_db_run). */
static int parse_db(struct ctl_args *a, char *err, size_t errlen)
{
    const char *op = a->pos[0];
    if (strcmp(op, "backups") == 0 && a->n_pos == 1) return 0;
    if (strcmp(op, "restore") == 0) return 0;
    if (strcmp(op, "backups") == 0)
        return ctl_usage_err(err, errlen, "db backups: unexpected argument '%s'", a->pos[1]);
    return ctl_usage_err(err, errlen, "db: unknown action '%s': give backups or restore [FILE]",
                         op);
}

const struct ctl_cmd ctl_cmd_db_entry = {
    .name = "db",
    .min_pos = 1,
    .max_pos = 2,
    .operands = "backups | restore [FILE]",
    .help = (const struct ctl_help[]){{"db backups",
                                       "list the database backups in DATA_DIR/backups", NULL},
                                      {"db restore [FILE]",
                                       "put back the newest backup (or FILE) after checking\n"
                                       "it; spate must not be running; the database in place\n"
                                       "is kept as spate.db.corrupt-TIME (spate.db_backups:\n"
                                       "how many backups are kept)",
                                       NULL},
                                      {NULL, NULL, NULL}},
    .parse = parse_db,
    .run = ctl_db_run,
};
