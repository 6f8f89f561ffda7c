/*
 * htmlreport.h - socialroi report html: one self-contained HTML page (no network, no script)
 * with seven inline SVG charts and their figures: spend vs attributed revenue per campaign,
 * ROI by attribution model, the funnel, impressions per platform over the period, share of
 * voice, the ROI bridge as a waterfall, and what moved the closed months. Blocking libpq:
 * command-line tool only.
 */
#ifndef SR_HTMLREPORT_H
#define SR_HTMLREPORT_H

#include <libpq-fe.h>
#include <stdio.h>

struct htmlreport_opts {
    const char *from, *to; /* YYYY-MM-DD */
    const char *model;     /* the model of the spend vs revenue chart */
    const char *out;       /* the file to write, or NULL for stdout */
};

/*
 * Writes the page. dash reads the dashboard views (as socialroi_dashboard), fin the ROI (as
 * socialroi_finance); both may be the same connection (borrowed). The file is written only
 * once every query succeeded. Returns 0, or 1 after saying why on err.
 */
int htmlreport_run(PGconn *dash, PGconn *fin, const struct htmlreport_opts *o, FILE *out,
                   FILE *err);

#endif
