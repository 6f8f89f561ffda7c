/*
 * svg.h - a small writer of inline SVG charts and HTML fragments for a self-contained page.
 *
 * Horizontal bar charts (grouped or stacked, linear or log scale), line charts over
 * categories, their axes with nice tick steps, a legend, a <title> tooltip on every mark, and
 * HTML tables. Every string is escaped on the way out. Values are doubles for the pixel
 * geometry only: what a mark says in text is the caller's exact label, printed as given.
 * A colour-blind safe palette (Okabe and Ito). Pure: it only appends to a struct buf.
 */
#ifndef SR_SVG_H
#define SR_SVG_H

#include "buf.h"

#include <stdbool.h>
#include <stddef.h>

#define SVG_COLOURS 8

/* The i-th series colour (wraps around), "#rrggbb". */
const char *svg_colour(size_t i);

/* Appends s escaped for HTML/XML text and attribute values (& < > " '); drops control
 * characters XML does not allow. NULL appends nothing. */
void svg_escape(struct buf *b, const char *s);

/* A round tick step (1, 2 or 5 times a power of ten) giving about n ticks over span. */
double svg_nice_step(double span, int n);

/* A value axis: lo..hi in multiples of step, always holding 0 on a linear scale. */
struct svg_axis {
    double lo, hi, step;
    bool log; /* then lo and hi are powers of ten and ticks fall on each power */
};

/* Fits an axis around min..max with about n ticks (log: over the positive values only). */
void svg_axis_fit(struct svg_axis *a, double min, double max, int n, bool log);

/* A compact tick label: 0, 250, 1.5k, 2M, 3G, -40, 0.5. */
void svg_tick_label(double v, char *out, size_t len);

/*
 * Horizontal bars: one band per group (a campaign), one bar per series in it (grouped) or
 * the series stacked end to end (stacked). values and labels hold ngroups * nseries entries,
 * group-major; a NAN value (or <= 0 on a log scale) draws no bar. labels are the exact
 * figures, printed next to each bar and in its tooltip (stacked: tooltip only).
 */
struct svg_bars {
    const char *id, *title, *x_label, *y_label;
    size_t ngroups, nseries;
    const char *const *groups;
    const char *const *series;
    const double *values;
    const char *const *labels;
    /* grouped, linear: where each bar starts (a waterfall's floating steps), same layout as
     * values; NULL: every bar starts at 0 */
    const double *starts;
    bool stacked, log;
};

/* Appends the chart as an <svg>; returns the number of marks (bars) drawn. */
size_t svg_bar_chart(struct buf *b, const struct svg_bars *c);

/*
 * Lines over categories (days, months) on the x axis: one line and one point per value of
 * each series. values and labels hold nseries * nx entries, series-major; NAN is a gap.
 */
struct svg_lines {
    const char *id, *title, *x_label, *y_label;
    size_t nx, nseries;
    const char *const *x;
    const char *const *series;
    const double *values;
    const char *const *labels;
};

/* Appends the chart as an <svg>; returns the number of marks (points) drawn. */
size_t svg_line_chart(struct buf *b, const struct svg_lines *c);

/* An HTML <table>: ncols header cells, then nrows rows of cells (row-major), all escaped;
 * columns from the second on are right-aligned (figures). */
void svg_table(struct buf *b, const char *caption, size_t ncols, const char *const *head,
               size_t nrows, const char *const *cells);

#endif
