/*
 * unit.h - what every unit test includes: cmocka and a few helpers.
 *
 * Unit tests run from the repository root (tests/run.sh changes there), so they can read
 * README.md, config/ and tests/fixtures/ by relative path.
 */
#ifndef SR_UNIT_H
#define SR_UNIT_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

/* Writes text to a new file in a fresh temporary directory; returns the path (static buffer). */
const char *unit_write_file(const char *dir, const char *name, const char *text, int mode);
/* Creates a temporary directory; caller removes it with unit_rmdir. */
char *unit_tmpdir(void);
void unit_rmdir(const char *dir);
/* Reads a whole file into a NUL-terminated buffer (caller frees); NULL on error. */
char *unit_read_file(const char *path, size_t *len);

#endif
