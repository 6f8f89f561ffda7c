/*
 * fxcsv.c - ECB-style daily rates CSV (see fxcsv.h).
 */
#include "fxcsv.h"
#include "json.h"
#include "money.h"
#include "timeutil.h"
#include "xmalloc.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_COLUMNS 256

static char *trim(char *s)
{
    while (isspace((unsigned char)*s) || *s == '"')
        s++;
    char *e = s + strlen(s);
    while (e > s && (isspace((unsigned char)e[-1]) || e[-1] == '"'))
        *--e = '\0';
    return s;
}

/* Splits line at commas in place; returns the number of fields. */
static size_t split(char *line, char **fields, size_t max)
{
    size_t n = 0;
    char *p = line;
    while (n < max) {
        char *comma = strchr(p, ',');
        if (comma)
            *comma = '\0';
        fields[n++] = trim(p);
        if (!comma)
            break;
        p = comma + 1;
    }
    return n;
}

/* A positive decimal quote, checked with the exact parser (no double involved). */
static bool is_quote(const char *s)
{
    int64_t micros;
    return *s && money_parse_decimal(s, strlen(s), &micros) == 0 && micros > 0;
}

/* Copies the column names into cols (all owned, freed by the caller). */
static int read_header(char *line, char **cols, size_t *ncols, char *err, size_t errlen,
                       const char *path)
{
    char *f[MAX_COLUMNS];
    *ncols = split(line, f, MAX_COLUMNS);
    for (size_t i = 0; i < *ncols; i++)
        cols[i] = xstrdup(f[i]);
    if (*ncols < 2 || strcasecmp(cols[0], "Date") != 0) {
        snprintf(err, errlen, "%s:1: the first column must be Date, then one per currency", path);
        return -1;
    }
    for (size_t i = 1; i < *ncols; i++) {
        /* an empty name: the ECB file ends every line with a comma */
        if (*cols[i] && !money_currency_valid(cols[i])) {
            snprintf(err, errlen, "%s:1: column %zu: \"%s\" is not a currency code", path, i + 1,
                     cols[i]);
            return -1;
        }
    }
    return 0;
}

static int read_row(char *line, size_t lineno, char **cols, size_t ncols, struct buf *out,
                    struct fxcsv_stats *st, char *err, size_t errlen, const char *path)
{
    char *f[MAX_COLUMNS];
    int32_t day;
    size_t n = split(line, f, MAX_COLUMNS);
    if (n == 1 && !*f[0])
        return 0;
    if (time_parse_date(f[0], &day) < 0) {
        snprintf(err, errlen, "%s:%zu: \"%s\" is not a date (YYYY-MM-DD)", path, lineno, f[0]);
        return -1;
    }
    st->days++;
    for (size_t i = 1; i < n && i < ncols; i++) {
        if (!*cols[i] || !*f[i] || strcmp(f[i], "N/A") == 0) {
            st->skipped += *cols[i] != '\0';
            continue;
        }
        if (!is_quote(f[i])) {
            snprintf(err, errlen, "%s:%zu: %s: \"%s\" is not a positive decimal rate", path, lineno,
                     cols[i], f[i]);
            return -1;
        }
        buf_printf(out, "%s{\"day\":\"%s\",\"currency\":\"%s\",\"quote\":", st->quotes ? "," : "",
                   f[0], cols[i]);
        json_write_str(out, f[i]);
        buf_puts(out, "}");
        st->quotes++;
    }
    return 0;
}

int fxcsv_read(const char *path, struct buf *out, struct fxcsv_stats *st, char *err, size_t errlen)
{
    FILE *fp = fopen(path, "r");
    char *line = NULL, *cols[MAX_COLUMNS] = {0};
    size_t cap = 0, ncols = 0, lineno = 0;
    int rc = 0;
    memset(st, 0, sizeof *st);
    if (!fp) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return -1;
    }
    buf_puts(out, "[");
    while (rc == 0 && getline(&line, &cap, fp) > 0) {
        line[strcspn(line, "\r\n")] = '\0';
        lineno++;
        if (lineno == 1)
            rc = read_header(line, cols, &ncols, err, errlen, path);
        else
            rc = read_row(line, lineno, cols, ncols, out, st, err, errlen, path);
    }
    buf_puts(out, "]");
    if (rc == 0 && lineno == 0) {
        snprintf(err, errlen, "%s: empty file", path);
        rc = -1;
    }
    for (size_t i = 0; i < ncols; i++)
        free(cols[i]);
    free(line);
    fclose(fp);
    return rc;
}
