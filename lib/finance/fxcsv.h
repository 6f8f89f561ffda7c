/*
 * fxcsv.h - read a CSV of daily exchange rates: the ECB's files and their like.
 *
 * RFC 4180 (lib/csv.c), with a header row holding a Date column and one column per currency
 * (ISO codes), then one row per day. Both files the ECB publishes are read as they come:
 *   eurofxref.csv (daily):       "Date, USD, JPY, ..., ZAR, " / "04 December 2026, 1.0842, ..."
 *   eurofxref-hist.csv (history): "Date,USD,JPY,...,ZAR," / "2026-12-04,1.0842,N/A,..."
 * Spaces around fields are trimmed, a trailing comma makes an empty column that is ignored,
 * dates are YYYY-MM-DD or "DD Month YYYY" (English month names), and empty or "N/A" cells are
 * skipped. Anything else that is not a positive decimal is an error naming the file and line.
 * The output is the JSON rows socialroi.import_fx takes (quotes kept as decimal text, days as
 * YYYY-MM-DD). Pure file reading.
 */
#ifndef SR_FXCSV_H
#define SR_FXCSV_H

#include "buf.h"

#include <stddef.h>
#include <stdint.h>

struct fxcsv_stats {
    size_t days, quotes, skipped;
};

/*
 * Parses path into out (a JSON array). Returns 0, or -1 with a message naming the file and
 * line in err.
 */
int fxcsv_read(const char *path, struct buf *out, struct fxcsv_stats *st, char *err, size_t errlen);

/* "2026-12-04" or "04 December 2026" (also "4 Dec 2026"); returns 0 or -1. */
int fxcsv_parse_day(const char *s, int32_t *day);

#endif
