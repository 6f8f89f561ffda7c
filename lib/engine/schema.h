/*
 * schema.h - the migrations compiled into the binaries (from sql/NNN_name.sql by make).
 *
 * Embedding them means an installed socialroi always migrates to exactly the schema its
 * socialroid expects, with no search path for SQL files. Pure data and lookups.
 */
#ifndef SR_SCHEMA_H
#define SR_SCHEMA_H

#include <stddef.h>

struct schema_file {
    const char *name; /* "001_core.sql" */
    const char *sql;
    size_t len;
};

/* Generated table, in version order. */
extern const struct schema_file schema_files[];
extern const size_t schema_nfiles;

/* The version a file name carries (its NNN prefix), or -1 when the name is malformed. */
int schema_file_version(const char *name);
/* The highest version compiled in: the schema the daemon requires. */
int schema_expected_version(void);

#endif
