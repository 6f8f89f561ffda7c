/*
 * retire.h - insights metrics a test retires while the simulator runs (POST /_retire, see
 * tests/sim/README.md): from then on a request naming one fails the whole call with error 100,
 * as Graph answers for a metric it has retired.
 */
#ifndef SIM_RETIRE_H
#define SIM_RETIRE_H

#include <stdbool.h>
#include <stddef.h>

/* Retires metric of platform ("facebook", "instagram"); false when the list is full. */
bool sim_retire(const char *platform, const char *metric);
/* True when the len bytes at metric name a metric retired on platform. */
bool sim_retired(const char *platform, const char *metric, size_t len);

#endif
