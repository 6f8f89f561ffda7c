/*
 * fxcsv.c - daily exchange rates from the ECB's CSV files (see fxcsv.h).
 */
#include "fxcsv.h"
#include "csv.h"
#include "json.h"
#include "money.h"
#include "timeutil.h"
#include "xmalloc.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define MAX_FILE (256u << 20) /* the full ECB history is a few MB */

/* Trims spaces and tabs in place. */
static char *trim(char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    char *e = s + strlen(s);
    while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
        *--e = '\0';
    return s;
}

int fxcsv_parse_day(const char *s, int32_t *day)
{
    static const char *const months[] = {"january",   "february", "march",    "april",
                                         "may",       "june",     "july",     "august",
                                         "september", "october",  "november", "december"};
    char name[16];
    int d, y, used = 0;
    if (time_parse_date(s, day) == 0)
        return 0;
    if (sscanf(s, "%2d %15[A-Za-z] %4d%n", &d, name, &y, &used) != 3 || s[used] || d < 1 || d > 31)
        return -1;
    for (unsigned m = 0; m < 12; m++) {
        size_t n = strlen(name);
        if (n >= 3 && strncasecmp(name, months[m], n) == 0 && n <= strlen(months[m])) {
            char iso[16];
            snprintf(iso, sizeof iso, "%04d-%02u-%02d", y, m + 1, d);
            return time_parse_date(iso, day); /* checks the day exists in that month */
        }
    }
    return -1;
}

/* A positive decimal quote, checked with the exact parser (no double involved). */
static bool is_quote(const char *s)
{
    int64_t micros;
    return *s && money_parse_decimal(s, strlen(s), &micros) == 0 && micros > 0;
}

/* Checks the header and keeps the column names (trimmed) in rec. */
static int read_header(struct csv_record *rec, char *err, size_t errlen, const char *path)
{
    for (size_t i = 0; i < rec->n; i++)
        memmove(rec->fields[i], trim(rec->fields[i]), strlen(trim(rec->fields[i])) + 1);
    if (rec->n < 2 || strcasecmp(rec->fields[0], "Date") != 0) {
        snprintf(err, errlen, "%s:1: the first column must be Date, then one per currency", path);
        return -1;
    }
    for (size_t i = 1; i < rec->n; i++) {
        /* an empty name: the ECB ends every line with a comma */
        if (*rec->fields[i] && !money_currency_valid(rec->fields[i])) {
            snprintf(err, errlen, "%s:1: column %zu: \"%s\" is not a currency code", path, i + 1,
                     rec->fields[i]);
            return -1;
        }
    }
    return 0;
}

static int read_row(struct csv_record *row, const struct csv_record *cols, struct buf *out,
                    struct fxcsv_stats *st, char *err, size_t errlen, const char *path)
{
    int32_t day;
    char iso[16];
    const char *date = trim(row->fields[0]);
    if (row->n == 1 && !*date)
        return 0; /* a blank line */
    if (fxcsv_parse_day(date, &day) < 0) {
        snprintf(err, errlen, "%s:%zu: \"%s\" is not a date (YYYY-MM-DD or 04 December 2026)", path,
                 row->line, date);
        return -1;
    }
    time_format_date(day, iso, sizeof iso);
    st->days++;
    for (size_t i = 1; i < row->n && i < cols->n; i++) {
        const char *v = trim(row->fields[i]), *cur = cols->fields[i];
        if (!*cur || !*v || strcmp(v, "N/A") == 0) {
            st->skipped += *cur != '\0';
            continue;
        }
        if (!is_quote(v)) {
            snprintf(err, errlen, "%s:%zu: %s: \"%s\" is not a positive decimal rate", path,
                     row->line, cur, v);
            return -1;
        }
        buf_printf(out, "%s{\"day\":\"%s\",\"currency\":\"%s\",\"quote\":", st->quotes ? "," : "",
                   iso, cur);
        json_write_str(out, v);
        buf_puts(out, "}");
        st->quotes++;
    }
    return 0;
}

/* The whole file; returns 0 or -1 with err. */
static int slurp(const char *path, struct buf *text, char *err, size_t errlen)
{
    FILE *fp = fopen(path, "rb");
    char chunk[65536];
    size_t n;
    if (!fp) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return -1;
    }
    while ((n = fread(chunk, 1, sizeof chunk, fp)) > 0 && text->len < MAX_FILE)
        buf_append(text, chunk, n);
    bool bad = ferror(fp) || text->len >= MAX_FILE;
    fclose(fp);
    if (bad)
        snprintf(err, errlen, "%s: %s", path, text->len >= MAX_FILE ? "too large" : "read error");
    return bad ? -1 : 0;
}

int fxcsv_read(const char *path, struct buf *out, struct fxcsv_stats *st, char *err, size_t errlen)
{
    struct buf text = {0};
    struct csv_record cols = {0}, row = {0};
    size_t pos = 0, line = 1;
    char why[256];
    int rc = 0, got;
    memset(st, 0, sizeof *st);
    if (slurp(path, &text, err, errlen) < 0) {
        buf_free(&text);
        return -1;
    }
    if (text.len >= 3 && memcmp(text.data, "\xEF\xBB\xBF", 3) == 0)
        pos = 3; /* a UTF-8 byte order mark, as spreadsheet exports write */
    buf_puts(out, "[");
    got = csv_next(text.data, text.len, &pos, &line, &cols, why, sizeof why);
    if (got == 0)
        snprintf(err, errlen, "%s: empty file", path);
    rc = got == 1 ? read_header(&cols, err, errlen, path) : -1;
    while (rc == 0 &&
           (got = csv_next(text.data, text.len, &pos, &line, &row, why, sizeof why)) == 1)
        rc = read_row(&row, &cols, out, st, err, errlen, path);
    if (got < 0)
        snprintf(err, errlen, "%s: %s", path, why);
    buf_puts(out, "]");
    csv_record_free(&cols);
    csv_record_free(&row);
    buf_free(&text);
    return rc == 0 && got >= 0 ? 0 : -1;
}
