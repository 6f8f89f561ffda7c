/*
 * closecmd.h - socialroi close: close a calendar month (freeze its finance figures), reopen a
 * closed one with a reason, list the closes, through finance.close_period(),
 * finance.reopen_period() and finance.period_close (run as socialroi_finance).
 * Blocking libpq: command-line tool only.
 */
#ifndef SR_CLOSECMD_H
#define SR_CLOSECMD_H

#include <libpq-fe.h>
#include <stdbool.h>
#include <stdio.h>

/* Parses PERIOD (YYYY-MM) into day ("YYYY-MM-01", 11 bytes); false when it is not one. */
bool closecmd_period(const char *period, char day[11]);

/* Closes the month of day (by: who, NULL for the database user); 1 when refused or failed. */
int closecmd_close(PGconn *conn, const char *day, const char *by, FILE *out, FILE *err);
/* Reopens the closed month of day with reason; 1 when refused or failed. */
int closecmd_reopen(PGconn *conn, const char *day, const char *by, const char *reason, FILE *out,
                    FILE *err);
/* Prints the closes, newest first, as a table or a JSON array; 1 when the query failed. */
int closecmd_list(PGconn *conn, bool json, FILE *out, FILE *err);

#endif
