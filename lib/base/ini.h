/*
 * ini.h - the INI reader under the config and credentials files.
 *
 * Our own small reader instead of libinih: Debian's libinih is built without line numbers in
 * the handler, and every semantic error (unknown key, bad duration, missing credential) must
 * name file:line. It also gives us `include = glob` relative to the including file.
 *
 * Syntax: `[kind]` or `[kind NAME]` (NAME may be double-quoted) section headers; `key = value`;
 * whole-line comments start with # or ;, inline comments with whitespace then # or ;. A value
 * may be double-quoted to keep leading or trailing spaces and comment characters (\" and \\ are
 * the escapes). `include = PATTERN` (when allowed) reads each matching file in sorted order;
 * a pattern without wildcards must match a file.
 *
 * Pure file reading; no event loop involvement.
 */
#ifndef SR_INI_H
#define SR_INI_H

#include <stdbool.h>
#include <stddef.h>

struct ini_pos {
    const char *file; /* valid only during the callback */
    int line;
};

struct ini_handler {
    /* A section header; name is "" for `[daemon]`. Return -1 to skip its keys. */
    int (*section)(void *arg, const struct ini_pos *pos, const char *kind, const char *name);
    /* A key in the current section (section kind "" before any header). */
    void (*key)(void *arg, const struct ini_pos *pos, const char *key, const char *value);
    /* A syntax or file error. */
    void (*error)(void *arg, const struct ini_pos *pos, const char *msg);
    bool allow_include;
};

/* Reads path; returns the number of errors reported through h->error. */
int ini_parse_file(const char *path, const struct ini_handler *h, void *arg);

/* Parses an in-memory buffer as if it were the file `name` (includes resolve against cwd). */
int ini_parse_buffer(const char *name, const char *buf, size_t len, const struct ini_handler *h,
                     void *arg);

#endif
