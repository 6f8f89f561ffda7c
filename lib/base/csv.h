/*
 * csv.h - RFC 4180 records from text in memory.
 *
 * Fields are separated by commas; a field may be quoted ("a, b", with "" for a quote inside,
 * line breaks allowed); records end at CRLF, LF or the end of the text. A line that ends with
 * a comma has an empty last field. Leniency where real files need it: spaces around a quoted
 * field are allowed, unquoted fields are returned as they are (the caller trims). Pure.
 */
#ifndef SR_CSV_H
#define SR_CSV_H

#include <stddef.h>

struct csv_record {
    char **fields; /* NUL-terminated copies */
    size_t n, cap;
    size_t line; /* the line the record starts on, 1-based */
};

/*
 * Reads the record at *pos (advanced past it); *line counts lines (start at 1). Returns 1 for
 * a record, 0 at the end of the text, -1 for a malformed record (err says why).
 */
int csv_next(const char *text, size_t len, size_t *pos, size_t *line, struct csv_record *rec,
             char *err, size_t errlen);

void csv_record_free(struct csv_record *rec);

#endif
