/*
 * sqlsplit.h - split a migration file into its statements, so that an error can name the
 * statement's line (PostgreSQL reports no position for most errors of a multi-statement
 * string). Knows what may hide a ';': quoted strings and identifiers, -- and block comments,
 * and dollar-quoted bodies ($$ ... $$, $tag$ ... $tag$). Pure.
 */
#ifndef SR_SQLSPLIT_H
#define SR_SQLSPLIT_H

#include <stdbool.h>
#include <stddef.h>

/* Length of the statement at sql (through its ';', or to the end). */
size_t sqlsplit_next(const char *sql, size_t len);

/* Length of the white space and comments that lead the text (all of it when blank). */
size_t sqlsplit_lead(const char *sql, size_t len);

/* Whether the text holds nothing but white space and comments. */
bool sqlsplit_blank(const char *sql, size_t len);

/* 1-based line of offset off in text. */
int sqlsplit_line(const char *text, size_t off);

#endif
