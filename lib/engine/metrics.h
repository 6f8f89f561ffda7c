/*
 * metrics.h - Prometheus text exposition (format 0.0.4) written into a buffer.
 *
 * Modules describe what they count by writing families and samples when /metrics is asked
 * for; nothing is kept between scrapes here. Label values are escaped as the format requires.
 * Pure text building.
 */
#ifndef SR_METRICS_H
#define SR_METRICS_H

#include "buf.h"

#include <stdint.h>

/* Writes the # HELP and # TYPE lines; type is "counter" or "gauge". */
void metrics_family(struct buf *b, const char *name, const char *type, const char *help);
/*
 * Writes one sample. Labels are name/value string pairs ending with NULL:
 *   metrics_u64(b, "socialroi_fetch_total", 12, "platform", "x", NULL);
 */
void metrics_u64(struct buf *b, const char *name, uint64_t value, ...);
void metrics_i64(struct buf *b, const char *name, int64_t value, ...);
void metrics_f64(struct buf *b, const char *name, double value, ...);

/* Process metrics: start time, CPU seconds, resident memory, open fds. */
void metrics_process(struct buf *b, double start_time_s);

#endif
