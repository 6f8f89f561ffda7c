/*
 * schema.c - lookups over the embedded migrations (see schema.h).
 */
#include "schema.h"

#include <ctype.h>

int schema_file_version(const char *name)
{
    int v = 0;
    for (int i = 0; i < 3; i++) {
        if (!isdigit((unsigned char)name[i]))
            return -1;
        v = v * 10 + (name[i] - '0');
    }
    return name[3] == '_' && name[4] ? v : -1;
}

int schema_expected_version(void)
{
    return schema_nfiles ? schema_file_version(schema_files[schema_nfiles - 1].name) : 0;
}
