/*
 * democmd.h - socialroi demo: private PostgreSQL + simulator + daemon, end to end.
 * Command-line tool only (blocking). See democmd.c.
 */
#ifndef SR_DEMOCMD_H
#define SR_DEMOCMD_H

#include <stdio.h>

/* Runs the demo in dir (created if needed, reused if present); returns the exit code. */
int democmd_run(const char *dir, FILE *out, FILE *err);

#endif
