/*
 * svg.c - inline SVG charts and HTML tables (see svg.h).
 *
 * Geometry: a chart is 960 units wide and scales to its container (viewBox). Every mark is
 * one line of output, <rect class="mark"> or <circle class="mark">, with a <title> child
 * (the tooltip), so a reader can count them.
 */
#include "svg.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define W          960.0
#define LABEL_MAX  30 /* characters of a group label before it is cut (the tooltip has it all) */
#define BAR_H      16.0
#define STACK_H    22.0
#define BAND_GAP   12.0
#define LINE_H     300.0
#define AXIS_SPACE 50.0

static const char *const palette[SVG_COLOURS] = {
    "#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#000000", "#F0E442",
};

const char *svg_colour(size_t i)
{
    return palette[i % SVG_COLOURS];
}

void svg_escape(struct buf *b, const char *s)
{
    for (const char *p = s; p && *p; p++) {
        unsigned char ch = (unsigned char)*p;
        if (ch == '&')
            buf_puts(b, "&amp;");
        else if (ch == '<')
            buf_puts(b, "&lt;");
        else if (ch == '>')
            buf_puts(b, "&gt;");
        else if (ch == '"')
            buf_puts(b, "&quot;");
        else if (ch == '\'')
            buf_puts(b, "&#39;");
        else if (ch >= 0x20 || ch == '\t' || ch == '\n' || ch == '\r')
            buf_append(b, p, 1);
    }
}

/* s cut to at most max characters (UTF-8 code points) with an ellipsis, escaped. */
static void escape_cut(struct buf *b, const char *s, size_t max)
{
    size_t chars = 0, i = 0;
    for (; s[i]; i++) {
        if (((unsigned char)s[i] & 0xC0) != 0x80 && ++chars > max)
            break;
    }
    if (!s[i]) {
        svg_escape(b, s);
        return;
    }
    char cut[4 * LABEL_MAX + 1];
    size_t n = i < sizeof cut - 1 ? i : sizeof cut - 1;
    memcpy(cut, s, n);
    cut[n] = '\0';
    svg_escape(b, cut);
    buf_puts(b, "\xE2\x80\xA6"); /* … */
}

double svg_nice_step(double span, int n)
{
    if (!(span > 0) || !isfinite(span) || n < 1)
        return 1;
    double raw = span / n, mag = pow(10, floor(log10(raw))), norm = raw / mag;
    return (norm <= 1 ? 1 : norm <= 2 ? 2 : norm <= 5 ? 5 : 10) * mag;
}

void svg_axis_fit(struct svg_axis *a, double min, double max, int n, bool log)
{
    a->log = log;
    if (log) {
        if (!(min > 0) || !isfinite(min))
            min = 1;
        if (!(max >= min) || !isfinite(max))
            max = min;
        a->lo = pow(10, floor(log10(min)));
        a->hi = pow(10, ceil(log10(max)));
        if (a->hi <= a->lo)
            a->hi = a->lo * 10;
        a->step = 10;
        return;
    }
    if (!isfinite(min) || min > 0)
        min = 0;
    if (!isfinite(max) || max < 0)
        max = 0;
    if (max == min)
        max = min + 1;
    a->step = svg_nice_step(max - min, n);
    a->lo = floor(min / a->step) * a->step;
    a->hi = ceil(max / a->step) * a->step;
}

void svg_tick_label(double v, char *out, size_t len)
{
    static const char *const suffix[] = {"", "k", "M", "G", "T"};
    double m = fabs(v);
    size_t k = 0;
    while (m >= 1000 && k < 4) {
        m /= 1000;
        k++;
    }
    if (fabs(v) < 1e-9)
        snprintf(out, len, "0");
    else
        snprintf(out, len, "%s%.3g%s", v < 0 ? "-" : "", m, suffix[k]);
}

/* Where v falls on the axis, 0 (lo) .. 1 (hi), clamped. */
static double frac(const struct svg_axis *a, double v)
{
    double f;
    if (a->log)
        f = v > 0 ? (log10(v) - log10(a->lo)) / (log10(a->hi) - log10(a->lo)) : 0;
    else
        f = (v - a->lo) / (a->hi - a->lo);
    return f < 0 ? 0 : f > 1 ? 1 : f;
}

/* The next tick after t, or a value past hi. */
static double next_tick(const struct svg_axis *a, double t)
{
    return a->log ? t * 10 : t + a->step;
}

static void svg_open(struct buf *b, const char *id, const char *title, double h)
{
    buf_printf(b,
               "<svg id=\"%s-svg\" viewBox=\"0 0 %.0f %.0f\" width=\"100%%\" role=\"img\" "
               "aria-labelledby=\"%s-t\" font-family=\"system-ui, sans-serif\" "
               "font-size=\"12\">\n<title id=\"%s-t\">",
               id, W, h, id, id);
    svg_escape(b, title);
    buf_puts(b, "</title>\n<text x=\"10\" y=\"20\" font-size=\"16\" font-weight=\"bold\">");
    svg_escape(b, title);
    buf_puts(b, "</text>\n");
}

/* The legend below the title, wrapping; returns its height. */
static double legend(struct buf *b, const char *const *names, size_t n, bool write)
{
    double x = 10, y = 36;
    for (size_t i = 0; i < n; i++) {
        double w = 28 + 7.0 * (double)strlen(names[i]);
        if (x > 10 && x + w > W - 10) {
            x = 10;
            y += 18;
        }
        if (write) {
            buf_printf(b,
                       "<rect x=\"%.1f\" y=\"%.1f\" width=\"12\" height=\"12\" fill=\"%s\"/>"
                       "<text x=\"%.1f\" y=\"%.1f\">",
                       x, y, svg_colour(i), x + 16, y + 10);
            svg_escape(b, names[i]);
            buf_puts(b, "</text>\n");
        }
        x += w;
    }
    return y + 18 - 36 + 8;
}

/* The axis titles: x below the plot, y rotated at the left edge. */
static void axis_titles(struct buf *b, const char *x_label, const char *y_label, double left,
                        double top, double bottom)
{
    buf_printf(b, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">", (left + W - 30) / 2,
               bottom + 38);
    svg_escape(b, x_label);
    buf_printf(b,
               "</text>\n<text transform=\"translate(14 %.1f) rotate(-90)\" "
               "text-anchor=\"middle\">",
               (top + bottom) / 2);
    svg_escape(b, y_label);
    buf_puts(b, "</text>\n");
}

/* Vertical grid lines and tick labels of a horizontal value axis. */
static void x_ticks(struct buf *b, const struct svg_axis *a, double left, double right, double top,
                    double bottom)
{
    char t[32];
    int n = 0;
    for (double v = a->lo; v <= a->hi * (1 + 1e-9) + 1e-12 && n++ < 64; v = next_tick(a, v)) {
        double x = left + frac(a, v) * (right - left);
        svg_tick_label(v, t, sizeof t);
        buf_printf(b,
                   "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\"/>"
                   "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%s</text>\n",
                   x, top, x, bottom, fabs(v) < 1e-12 && !a->log ? "#555" : "#ddd", x, bottom + 16,
                   t);
    }
}

/* One mark's tooltip: "group, series: label". */
static void tooltip(struct buf *b, const char *group, const char *series, const char *label)
{
    buf_puts(b, "<title>");
    svg_escape(b, group);
    buf_puts(b, ", ");
    svg_escape(b, series);
    buf_puts(b, ": ");
    svg_escape(b, label);
    buf_puts(b, "</title>");
}

static void bar_rect(struct buf *b, double x, double y, double w, double h, size_t s)
{
    buf_printf(b,
               "<rect class=\"mark\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" "
               "fill=\"%s\">",
               x, y, w, h, svg_colour(s));
}

/* The bars of one group, grouped: one per series with its label; returns the marks drawn. */
static size_t group_bars(struct buf *b, const struct svg_bars *c, const struct svg_axis *a,
                         size_t g, double y, double left, double plot_w)
{
    size_t marks = 0;
    for (size_t s = 0; s < c->nseries; s++) {
        size_t i = g * c->nseries + s;
        double v = c->values[i], by = y + (double)s * BAR_H, base = c->starts ? c->starts[i] : 0;
        double x0 = left + frac(a, a->log ? a->lo : base) * plot_w, end = x0;
        const char *label = c->labels[i];
        if (!isnan(v) && (!a->log || v > 0)) {
            double x1 = left + frac(a, base + v) * plot_w;
            bar_rect(b, x1 < x0 ? x1 : x0, by + 1, fabs(x1 - x0), BAR_H - 2, s);
            tooltip(b, c->groups[g], c->series[s], label);
            buf_puts(b, "</rect>\n");
            marks++;
            end = x1 > x0 ? x1 : x0;
        }
        buf_printf(b, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"11\">", end + 4, by + 12);
        svg_escape(b, label);
        buf_puts(b, "</text>\n");
    }
    return marks;
}

/* The segments of one stacked group; returns the marks drawn. */
static size_t group_stack(struct buf *b, const struct svg_bars *c, const struct svg_axis *a,
                          size_t g, double y, double left, double plot_w)
{
    size_t marks = 0;
    double sum = 0;
    for (size_t s = 0; s < c->nseries; s++) {
        double v = c->values[g * c->nseries + s];
        if (isnan(v) || v <= 0)
            continue;
        double x0 = left + frac(a, sum) * plot_w, x1 = left + frac(a, sum + v) * plot_w;
        bar_rect(b, x0, y + 1, x1 - x0, STACK_H - 2, s);
        tooltip(b, c->groups[g], c->series[s], c->labels[g * c->nseries + s]);
        buf_puts(b, "</rect>\n");
        sum += v;
        marks++;
    }
    return marks;
}

/* The value range the bars need: each value, or each group's sum when stacked. */
static void bar_range(const struct svg_bars *c, double *min, double *max)
{
    *min = INFINITY;
    *max = -INFINITY;
    for (size_t g = 0; g < c->ngroups; g++) {
        double sum = 0;
        for (size_t s = 0; s < c->nseries; s++) {
            double v = c->values[g * c->nseries + s];
            if (isnan(v) || (c->log && v <= 0))
                continue;
            double base = c->starts && !c->stacked ? c->starts[g * c->nseries + s] : 0;
            if (c->stacked) {
                sum += v > 0 ? v : 0;
                v = sum;
            }
            v += base;
            *min = v < *min ? v : *min;
            *max = v > *max ? v : *max;
            if (c->starts && !c->stacked) { /* a floating bar spans from its start */
                *min = base < *min ? base : *min;
                *max = base > *max ? base : *max;
            }
        }
    }
}

size_t svg_bar_chart(struct buf *b, const struct svg_bars *c)
{
    double left = 240, right = W - 150, min, max;
    double band = (c->stacked ? STACK_H : (double)c->nseries * BAR_H) + BAND_GAP;
    double top = 36 + legend(b, c->series, c->nseries, false);
    double bottom = top + (double)c->ngroups * band, plot_w = right - left;
    struct svg_axis a;
    size_t marks = 0;
    bar_range(c, &min, &max);
    svg_axis_fit(&a, min, max, 6, c->log);
    svg_open(b, c->id, c->title, bottom + AXIS_SPACE);
    legend(b, c->series, c->nseries, true);
    x_ticks(b, &a, left, right, top, bottom);
    for (size_t g = 0; g < c->ngroups; g++) {
        double y = top + (double)g * band + BAND_GAP / 2;
        double mid = y + (band - BAND_GAP) / 2 + 4;
        buf_printf(b, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\"><title>", left - 8, mid);
        svg_escape(b, c->groups[g]);
        buf_puts(b, "</title>");
        escape_cut(b, c->groups[g], LABEL_MAX);
        buf_puts(b, "</text>\n");
        marks += c->stacked ? group_stack(b, c, &a, g, y, left, plot_w)
                            : group_bars(b, c, &a, g, y, left, plot_w);
    }
    axis_titles(b, c->x_label, c->y_label, left, top, bottom);
    buf_puts(b, "</svg>\n");
    return marks;
}

/* Horizontal grid lines and tick labels of a vertical value axis. */
static void y_ticks(struct buf *b, const struct svg_axis *a, double left, double top, double bottom)
{
    char t[32];
    int n = 0;
    for (double v = a->lo; v <= a->hi * (1 + 1e-9) + 1e-12 && n++ < 64; v = next_tick(a, v)) {
        double y = bottom - frac(a, v) * (bottom - top);
        svg_tick_label(v, t, sizeof t);
        buf_printf(b,
                   "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\"/>"
                   "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">%s</text>\n",
                   left, y, W - 30, y, fabs(v) < 1e-12 ? "#555" : "#ddd", left - 6, y + 4, t);
    }
}

/* The category labels under the x axis: about ten of them, evenly spread. */
static void x_categories(struct buf *b, const struct svg_lines *c, double left, double step,
                         double bottom)
{
    size_t every = (c->nx + 9) / 10;
    for (size_t i = 0; i < c->nx; i += every ? every : 1) {
        buf_printf(b, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">",
                   left + ((double)i + 0.5) * step, bottom + 16);
        svg_escape(b, c->x[i]);
        buf_puts(b, "</text>\n");
    }
}

/* One series: its line (broken at gaps) and a point per value; returns the points drawn. */
static size_t series_line(struct buf *b, const struct svg_lines *c, const struct svg_axis *a,
                          size_t s, double left, double step, double top, double bottom)
{
    struct buf pts = {0};
    size_t marks = 0;
    for (size_t i = 0; i <= c->nx; i++) {
        double v = i < c->nx ? c->values[s * c->nx + i] : NAN;
        if (isnan(v)) {
            if (pts.len)
                buf_printf(b,
                           "<polyline points=\"%s\" fill=\"none\" stroke=\"%s\" "
                           "stroke-width=\"2\"/>\n",
                           pts.data, svg_colour(s));
            buf_reset(&pts);
            continue;
        }
        double x = left + ((double)i + 0.5) * step, y = bottom - frac(a, v) * (bottom - top);
        buf_printf(&pts, "%s%.1f,%.1f", pts.len ? " " : "", x, y);
        buf_printf(b, "<circle class=\"mark\" cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%s\">", x, y,
                   svg_colour(s));
        tooltip(b, c->series[s], c->x[i], c->labels[s * c->nx + i]);
        buf_puts(b, "</circle>\n");
        marks++;
    }
    buf_free(&pts);
    return marks;
}

size_t svg_line_chart(struct buf *b, const struct svg_lines *c)
{
    double left = 80, right = W - 30, min = INFINITY, max = -INFINITY;
    double top = 36 + legend(b, c->series, c->nseries, false), bottom = top + LINE_H;
    double step = c->nx ? (right - left) / (double)c->nx : 0;
    struct svg_axis a;
    size_t marks = 0;
    for (size_t i = 0; i < c->nx * c->nseries; i++) {
        if (!isnan(c->values[i])) {
            min = c->values[i] < min ? c->values[i] : min;
            max = c->values[i] > max ? c->values[i] : max;
        }
    }
    svg_axis_fit(&a, min, max, 5, false);
    svg_open(b, c->id, c->title, bottom + AXIS_SPACE);
    legend(b, c->series, c->nseries, true);
    y_ticks(b, &a, left, top, bottom);
    x_categories(b, c, left, step, bottom);
    for (size_t s = 0; s < c->nseries; s++)
        marks += series_line(b, c, &a, s, left, step, top, bottom);
    axis_titles(b, c->x_label, c->y_label, left, top, bottom);
    buf_puts(b, "</svg>\n");
    return marks;
}

void svg_table(struct buf *b, const char *caption, size_t ncols, const char *const *head,
               size_t nrows, const char *const *cells)
{
    buf_puts(b, "<table>\n<caption>");
    svg_escape(b, caption);
    buf_puts(b, "</caption>\n<thead><tr>");
    for (size_t c = 0; c < ncols; c++) {
        buf_puts(b, "<th scope=\"col\">");
        svg_escape(b, head[c]);
        buf_puts(b, "</th>");
    }
    buf_puts(b, "</tr></thead>\n<tbody>\n");
    for (size_t r = 0; r < nrows; r++) {
        buf_puts(b, "<tr>");
        for (size_t c = 0; c < ncols; c++) {
            buf_puts(b, c ? "<td class=\"num\">" : "<th scope=\"row\">");
            svg_escape(b, cells[r * ncols + c]);
            buf_puts(b, c ? "</td>" : "</th>");
        }
        buf_puts(b, "</tr>\n");
    }
    buf_puts(b, "</tbody>\n</table>\n");
}
