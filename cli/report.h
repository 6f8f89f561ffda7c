/*
 * report.h - socialroi report roi|channels|funnel|bridge|revenue-bridge: figures from the
 * finance and dashboard functions and views as a table, RFC 4180 CSV or JSON. Blocking libpq:
 * command-line tool only.
 */
#ifndef SR_REPORT_H
#define SR_REPORT_H

#include <libpq-fe.h>
#include <stdio.h>

struct report_opts {
    const char *what;   /* roi, channels, funnel, bridge, revenue-bridge */
    const char *from;   /* YYYY-MM-DD */
    const char *to;     /* YYYY-MM-DD */
    const char *by;     /* campaign, channel, month */
    const char *model;  /* first_touch, last_touch, linear, position_based, time_decay,
                           platform_reported */
    const char *format; /* table, csv, json */
};

/* The attribution models, in the order reports show them; NULL-terminated. */
extern const char *const report_models[];

/* The reporting currency, read through dashboard (the readers cannot read the settings);
 * "USD" when the database does not say. The caller frees it. */
char *report_currency(PGconn *conn);

/* Integer micro-units as the reports print money: two decimals and the currency
 * ("1234.57 USD"). */
void report_money(const char *micros, const char *currency, char *out, size_t len);

/* Prints the report; returns 0, or 1 when the database refused the query. */
int report_run(PGconn *conn, const struct report_opts *o, FILE *out, FILE *err);

#endif
