/*
 * dbschema.h - ask a connected database which schema version it is at.
 *
 * The daemon runs this on every (re)connect and refuses to write into a schema older than the
 * migrations it was built with. Runs on the event loop; not thread-safe.
 */
#ifndef SR_DBSCHEMA_H
#define SR_DBSCHEMA_H

struct pgconn;

/* version is 0 for a database never migrated; err is non-NULL when the question failed. */
typedef void dbschema_fn(void *arg, int version, const char *err);

/* Returns 0 (cb will be called exactly once) or -1 when the connection is not up. */
int dbschema_query(struct pgconn *c, dbschema_fn *cb, void *arg);

#endif
