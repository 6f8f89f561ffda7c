/*
 * fxcsv.h - read an ECB-style CSV of daily exchange rates.
 *
 * A header row with a Date column and one column per currency (ISO codes), then one row per
 * day: "2026-11-20,1.0842,162.31,...". Empty cells and "N/A" are skipped; anything else that is
 * not a decimal number is an error with its line. The output is the JSON rows
 * socialroi.import_fx takes (quotes kept as decimal text). Pure file reading.
 */
#ifndef SR_FXCSV_H
#define SR_FXCSV_H

#include "buf.h"

#include <stddef.h>

struct fxcsv_stats {
    size_t days, quotes, skipped;
};

/*
 * Parses path into out (a JSON array). Returns 0, or -1 with a message naming the file and
 * line in err.
 */
int fxcsv_read(const char *path, struct buf *out, struct fxcsv_stats *st, char *err, size_t errlen);

#endif
