/*
 * streamscmd.h - socialroi streams: the stream table, as the adapters declare it.
 *
 * One row per stream: its platform, default interval and lookback, day basis, what its
 * requests take (a window of days, a watermark, nothing), the longest window one request may
 * ask for, and whether it delivers the account's daily metrics. The README's stream table is
 * checked against this output. Pure printing.
 */
#ifndef SR_STREAMSCMD_H
#define SR_STREAMSCMD_H

#include <stdbool.h>
#include <stdio.h>

/* Prints the table (or a JSON array when json); returns 0. */
int streamscmd_run(bool json, FILE *out);

#endif
