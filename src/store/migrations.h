/*
 * migrations.h — private to src/store: the schema and its forward-only
 * migrations.
 *
 * The schema version is PRAGMA user_version. Migration N (1-based) turns a
 * version N-1 database into version N; each runs in its own transaction
 * which also bumps user_version, so a crash between two steps leaves a
 * database at a well-defined earlier version that the next open finishes.
 */
#ifndef SPATE_INTERNAL_STORE
#error                                                                                             \
    "store/migrations.h is private to src/store/ (docs/architecture.md); a unit test that needs it defines SPATE_INTERNAL_STORE"
#endif
#ifndef SPATE_STORE_MIGRATIONS_H
#define SPATE_STORE_MIGRATIONS_H

#include <stddef.h>

#include <sqlite3.h>

/* Reads PRAGMA user_version into *out. 0 or -EIO. */
int store_user_version(sqlite3 *db, int *out);

/* Brings `db` up to STORE_SCHEMA_VERSION. Returns 0, -EPROTO when the
 * database is newer than this build (nothing is written), or -EIO with a
 * one-line message in err (which may be NULL). */
int store_migrate(sqlite3 *db, char *err, size_t errlen);

#endif
