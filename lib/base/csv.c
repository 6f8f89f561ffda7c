/*
 * csv.c - RFC 4180 reading (see csv.h).
 */
#include "csv.h"
#include "buf.h"
#include "xmalloc.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void clear(struct csv_record *rec)
{
    for (size_t i = 0; i < rec->n; i++)
        free(rec->fields[i]);
    rec->n = 0;
}

void csv_record_free(struct csv_record *rec)
{
    clear(rec);
    free(rec->fields);
    memset(rec, 0, sizeof *rec);
}

static void add(struct csv_record *rec, struct buf *b)
{
    if (rec->n == rec->cap) {
        rec->cap = rec->cap ? rec->cap * 2 : 16;
        rec->fields = xrealloc(rec->fields, rec->cap * sizeof *rec->fields);
    }
    rec->fields[rec->n++] = b->len ? buf_steal(b, NULL) : xstrdup("");
    buf_free(b);
}

static bool at_eol(const char *t, size_t len, size_t i)
{
    return i >= len || t[i] == '\n' || t[i] == '\r';
}

/* Reads a quoted field whose opening quote is at *i; returns 0 or -1 (unterminated/junk). */
static int quoted(const char *t, size_t len, size_t *i, size_t *line, struct buf *b)
{
    for ((*i)++; *i < len; (*i)++) {
        if (t[*i] == '"') {
            if (*i + 1 < len && t[*i + 1] == '"') {
                buf_append(b, "\"", 1);
                (*i)++;
                continue;
            }
            for ((*i)++; *i < len && (t[*i] == ' ' || t[*i] == '\t'); (*i)++)
                ;
            return at_eol(t, len, *i) || t[*i] == ',' ? 0 : -1;
        }
        *line += t[*i] == '\n';
        buf_append(b, t + *i, 1);
    }
    return -1;
}

int csv_next(const char *t, size_t len, size_t *pos, size_t *line, struct csv_record *rec,
             char *err, size_t errlen)
{
    size_t i = *pos;
    struct buf b = {0};
    clear(rec);
    if (i >= len)
        return 0;
    rec->line = *line;
    for (;;) {
        size_t start = i;
        while (i < len && (t[i] == ' ' || t[i] == '\t'))
            i++;
        if (i < len && t[i] == '"') {
            if (quoted(t, len, &i, line, &b) < 0) {
                snprintf(err, errlen, "line %zu: a quoted field %s", rec->line,
                         i >= len ? "is never closed" : "has text after its closing quote");
                buf_free(&b);
                return -1;
            }
        } else {
            for (i = start; !at_eol(t, len, i) && t[i] != ','; i++)
                ;
            buf_append(&b, t + start, i - start);
        }
        add(rec, &b);
        if (i < len && t[i] == ',') {
            i++;
            continue;
        }
        break;
    }
    if (i < len && t[i] == '\r')
        i++;
    if (i < len && t[i] == '\n')
        i++;
    (*line)++;
    *pos = i;
    return 1;
}
