/*
 * parsecmd.h - socialroi parse: run a stream's parser on a saved response body.
 *
 * Prints the normalized records as JSON Lines (DESIGN §4), or one {"type":"error",...} line for
 * an API error body, or a message for a body that is not valid for the stream. This is the tool
 * to reach for when numbers look wrong, and the tests' way into every parser.
 * Pure file reading and printing.
 */
#ifndef SR_PARSECMD_H
#define SR_PARSECMD_H

#include <stdint.h>
#include <stdio.h>

#define PARSE_EXIT_OK        0
#define PARSE_EXIT_MALFORMED 2
#define PARSE_EXIT_API_ERROR 3

struct parse_opts {
    const char *stream;
    const char *file;     /* "-" reads standard input */
    long status;          /* HTTP status the body came with (default 200) */
    const char **headers; /* "Name: value" */
    size_t nheaders;
    const char *page; /* the page cursor the body answered (multi-page streams), or NULL */
    int64_t now_us;   /* the moment the body is read at (epoch microseconds); 0: the clock */
};

/* Returns the exit code: 0 records, 2 malformed body or bad input, 3 API error body. */
int parsecmd_run(const struct parse_opts *o, FILE *out, FILE *err);

#endif
