/*
 * store_int.h — private to src/store: what the files of the store share
 * beyond the public contract of store.h.
 */
#ifndef SPATE_INTERNAL_STORE
#error                                                                                             \
    "store/store_int.h is private to src/store/ (docs/architecture.md); a unit test that needs it defines SPATE_INTERNAL_STORE"
#endif
#ifndef SPATE_STORE_INT_H
#define SPATE_STORE_INT_H

#include <sqlite3.h>

struct store;

/* The connection behind st (borrowed; loop thread only, as st). */
sqlite3 *store_sqlite(struct store *st);

#endif
