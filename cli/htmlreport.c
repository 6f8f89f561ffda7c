/*
 * htmlreport.c - socialroi report html (see htmlreport.h).
 *
 * The figures come from the same functions and views as the other reports (finance.roi_report,
 * dashboard.funnel, dashboard.channel_daily, dashboard.share_of_voice, finance.roi_bridge,
 * finance.close_adjustments). Money is printed from
 * its integer micro-units as the ROI table prints it (two decimals and the currency); doubles
 * only place the marks. Each chart is a <figure> with its caption, the SVG (or "no data for
 * this period") and a <details> table of the exact figures.
 */
#include "htmlreport.h"
#include "buf.h"
#include "clidb.h"
#include "money.h"
#include "report.h"
#include "svg.h"
#include "timeutil.h"
#include "xmalloc.h"

#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

/* Strings a chart points at, owned here, freed together. */
struct strs {
    char **v;
    size_t n, cap;
};

static const char *strs_add(struct strs *s, const char *v)
{
    if (s->n == s->cap) {
        s->cap = s->cap ? 2 * s->cap : 64;
        s->v = xrealloc(s->v, s->cap * sizeof *s->v);
    }
    return s->v[s->n++] = xstrdup(v);
}

static void strs_free(struct strs *s)
{
    for (size_t i = 0; i < s->n; i++)
        free(s->v[i]);
    free(s->v);
    *s = (struct strs){0};
}

struct page {
    struct buf b;
    const struct htmlreport_opts *o;
    char *currency;
    FILE *err;
};

static const char *cell(PGresult *r, int row, int col)
{
    return PQgetisnull(r, row, col) ? NULL : PQgetvalue(r, row, col);
}

/* Money from micro-units as the ROI table prints it: "1234.57 USD", or "-". */
static const char *money_label(struct strs *s, const char *micros, const char *currency)
{
    char out[64];
    if (!micros)
        return strs_add(s, "-");
    report_money(micros, currency, out, sizeof out);
    return strs_add(s, out);
}

/* A decimal fraction (0.123456) as a percent with one decimal ("12.3 %"), or "-". */
static const char *percent_label(struct strs *s, const char *v)
{
    int64_t micros;
    char m[40], out[48];
    if (!v || money_parse_decimal(v, strlen(v), &micros) < 0)
        return strs_add(s, "-");
    money_format(micros * 100, 1, m, sizeof m);
    snprintf(out, sizeof out, "%s %%", m);
    return strs_add(s, out);
}

static double number(const char *v)
{
    return v ? strtod(v, NULL) : NAN;
}

static PGresult *query(struct page *p, PGconn *conn, const char *sql, int n,
                       const char *const *params)
{
    return clidb_query(conn, "report", sql, n, params, p->err);
}

static void figure_open(struct page *p, const char *id, const char *caption)
{
    buf_printf(&p->b, "<figure id=\"%s\">\n<figcaption>", id);
    svg_escape(&p->b, caption);
    buf_puts(&p->b, "</figcaption>\n");
}

static void no_data(struct page *p)
{
    buf_puts(&p->b, "<p class=\"empty\">no data for this period</p>\n");
}

static void figure_close(struct page *p, const char *caption, size_t ncols, const char *const *head,
                         size_t nrows, const char *const *cells)
{
    buf_puts(&p->b, "<details><summary>The figures</summary>\n");
    svg_table(&p->b, caption, ncols, head, nrows, cells);
    buf_puts(&p->b, "</details>\n</figure>\n");
}

/* ---- 1 and 2: spend vs revenue, ROI by model ------------------------------------------------ */

#define ROI_SQL                                                                                    \
    "SELECT key, spend_micros, revenue_micros, roi"                                                \
    " FROM finance.roi_report($1::date, $2::date, 'campaign', $3) ORDER BY key"

static void spend_chart(struct page *p, PGresult *r)
{
    int n = PQntuples(r);
    struct strs s = {0};
    const char **groups = xcalloc((size_t)n + 1, sizeof *groups);
    const char **labels = xcalloc(2 * (size_t)n + 1, sizeof *labels);
    const char **cells = xcalloc(4 * (size_t)n + 1, sizeof *cells);
    double *values = xcalloc(2 * (size_t)n + 1, sizeof *values);
    char revenue[96], title[160];
    snprintf(revenue, sizeof revenue, "Attributed revenue (%s)", p->o->model);
    snprintf(title, sizeof title, "Spend vs attributed revenue per campaign, %s", p->currency);
    const char *series[] = {"Spend", revenue}, *head[] = {"Campaign", "Spend", revenue, "ROI"};
    for (int i = 0; i < n; i++) {
        groups[i] = cells[4 * i] = PQgetvalue(r, i, 0);
        for (int k = 0; k < 2; k++) {
            values[2 * i + k] = number(cell(r, i, 1 + k)) / 1e6;
            labels[2 * i + k] = cells[4 * i + 1 + k] =
                money_label(&s, cell(r, i, 1 + k), p->currency);
        }
        cells[4 * i + 3] = percent_label(&s, cell(r, i, 3));
    }
    struct svg_bars c = {.id = "chart-spend-revenue",
                         .title = title,
                         .y_label = "Campaign",
                         .ngroups = (size_t)n,
                         .nseries = 2,
                         .groups = groups,
                         .series = series,
                         .values = values,
                         .labels = labels};
    c.x_label = p->currency;
    figure_open(p, "spend-revenue", title);
    if (n)
        svg_bar_chart(&p->b, &c);
    else
        no_data(p);
    figure_close(p, title, 4, head, (size_t)n, cells);
    free(groups), free(labels), free(cells), free(values);
    strs_free(&s);
}

/* The row of campaign key in r, or -1. */
static int find_row(PGresult *r, const char *key)
{
    for (int i = 0; i < PQntuples(r); i++)
        if (strcmp(PQgetvalue(r, i, 0), key) == 0)
            return i;
    return -1;
}

static void roi_chart(struct page *p, PGresult *const *per_model, size_t nmodels, PGresult *keys)
{
    size_t n = (size_t)PQntuples(keys), w = nmodels + 1;
    struct strs s = {0};
    const char **groups = xcalloc(n + 1, sizeof *groups);
    const char **labels = xcalloc(n * nmodels + 1, sizeof *labels);
    const char **cells = xcalloc(n * w + 1, sizeof *cells);
    const char **head = xcalloc(w, sizeof *head);
    double *values = xcalloc(n * nmodels + 1, sizeof *values);
    const char *title = "ROI by attribution model per campaign";
    head[0] = "Campaign";
    for (size_t m = 0; m < nmodels; m++)
        head[m + 1] = report_models[m];
    for (size_t i = 0; i < n; i++) {
        groups[i] = cells[i * w] = PQgetvalue(keys, (int)i, 0);
        for (size_t m = 0; m < nmodels; m++) {
            int row = find_row(per_model[m], groups[i]);
            const char *roi = row < 0 ? NULL : cell(per_model[m], row, 3);
            values[i * nmodels + m] = number(roi) * 100;
            labels[i * nmodels + m] = cells[i * w + m + 1] = percent_label(&s, roi);
        }
    }
    struct svg_bars c = {.id = "chart-roi-models",
                         .title = title,
                         .x_label = "ROI (%)",
                         .y_label = "Campaign",
                         .ngroups = n,
                         .nseries = nmodels,
                         .groups = groups,
                         .series = report_models,
                         .values = values,
                         .labels = labels};
    figure_open(p, "roi-models", "ROI ((revenue - spend) / spend) under each attribution model");
    if (n)
        svg_bar_chart(&p->b, &c);
    else
        no_data(p);
    figure_close(p, title, w, head, n, cells);
    free(groups), free(labels), free(cells), free(head), free(values);
    strs_free(&s);
}

static int roi_charts(struct page *p, PGconn *fin)
{
    size_t nmodels = 0, chosen = 0;
    while (report_models[nmodels])
        nmodels++;
    PGresult **r = xcalloc(nmodels, sizeof *r);
    int rc = 0;
    for (size_t m = 0; m < nmodels && !rc; m++) {
        const char *params[3] = {p->o->from, p->o->to, report_models[m]};
        if (!(r[m] = query(p, fin, ROI_SQL, 3, params)))
            rc = 1;
        if (strcmp(report_models[m], p->o->model) == 0)
            chosen = m;
    }
    if (!rc) {
        spend_chart(p, r[chosen]);
        roi_chart(p, r, nmodels, r[chosen]);
    }
    for (size_t m = 0; m < nmodels; m++)
        PQclear(r[m]);
    free(r);
    return rc;
}

/* ---- 3: the funnel -------------------------------------------------------------------------- */

struct stage {
    const char *sql, *label;
    bool decimal; /* attributed (fractional) counts */
};

static const struct stage stages[] = {
    {"sum(interest_impressions)", "Interest: impressions", false},
    {"sum(interest_reach)", "Interest: reach", false},
    {"sum(consideration_engagements)", "Consideration: engagements", false},
    {"sum(consideration_clicks)", "Consideration: clicks", false},
    {"sum(trial_leads)::numeric(30, 6)", "Trial: leads", true},
    {"sum(loyalty_won_deals)", "Loyalty: won deals", false},
    {"sum(loyalty_customers)::numeric(30, 6)", "Loyalty: customers", true},
    {"sum(advocacy_shares)", "Advocacy: shares", false},
};
#define NSTAGES (sizeof stages / sizeof stages[0])

static void funnel_draw(struct page *p, PGresult *r)
{
    struct strs s = {0};
    const char *groups[NSTAGES], *labels[NSTAGES], *cells[2 * NSTAGES];
    const char *series[] = {"All campaigns"}, *head[] = {"Stage", "All campaigns"};
    const char *title = "The funnel, all campaigns (log scale)";
    double values[NSTAGES];
    bool any = false;
    for (size_t i = 0; i < NSTAGES; i++) {
        const char *v = cell(r, 0, (int)i);
        int64_t micros;
        char m[40];
        groups[i] = cells[2 * i] = stages[i].label;
        values[i] = number(v);
        any = any || (v && values[i] != 0);
        if (v && stages[i].decimal && money_parse_decimal(v, strlen(v), &micros) == 0)
            money_format(micros, 2, m, sizeof m), v = m;
        labels[i] = cells[2 * i + 1] = strs_add(&s, v ? v : "-");
    }
    struct svg_bars c = {.id = "chart-funnel",
                         .title = title,
                         .x_label = "count (log scale)",
                         .y_label = "Stage",
                         .ngroups = NSTAGES,
                         .nseries = 1,
                         .groups = groups,
                         .series = series,
                         .values = values,
                         .labels = labels,
                         .log = true};
    figure_open(p, "funnel", "The funnel: every campaign's stages summed over the period's months");
    if (any)
        svg_bar_chart(&p->b, &c);
    else
        no_data(p);
    figure_close(p, title, 2, head, any ? NSTAGES : 0, cells);
    strs_free(&s);
}

static int funnel_chart(struct page *p, PGconn *dash)
{
    struct buf sql = {0};
    buf_puts(&sql, "SELECT ");
    for (size_t i = 0; i < NSTAGES; i++)
        buf_printf(&sql, "%s%s", i ? ", " : "", stages[i].sql);
    buf_puts(&sql, " FROM dashboard.funnel"
                   " WHERE month BETWEEN date_trunc('month', $1::date) AND $2::date");
    const char *params[2] = {p->o->from, p->o->to};
    PGresult *r = query(p, dash, sql.data, 2, params);
    buf_free(&sql);
    if (!r)
        return 1;
    funnel_draw(p, r);
    PQclear(r);
    return 0;
}

/* ---- 4: impressions per platform over the period ------------------------------------------- */

#define PERIODS_SQL                                                                                \
    "SELECT to_char(g, $4) FROM generate_series(date_trunc($3, $1::date), $2::date,"               \
    " ('1 ' || $3)::interval) g"
#define TREND_SQL                                                                                  \
    "SELECT platform, to_char(date_trunc($3, day), $4), sum(impressions)::bigint"                  \
    " FROM dashboard.channel_daily WHERE day BETWEEN $1::date AND $2::date"                        \
    " GROUP BY 1, 2 HAVING sum(impressions) IS NOT NULL ORDER BY 1, 2"

/* The distinct platforms of the rows (sorted by platform), as series names. */
static size_t trend_series(PGresult *r, const char **series)
{
    size_t n = 0;
    for (int i = 0; i < PQntuples(r); i++)
        if (!n || strcmp(series[n - 1], PQgetvalue(r, i, 0)) != 0)
            series[n++] = PQgetvalue(r, i, 0);
    return n;
}

static void trend_draw(struct page *p, PGresult *x, PGresult *r, const char *grain)
{
    size_t nx = (size_t)PQntuples(x), rows = (size_t)PQntuples(r);
    const char **xs = xcalloc(nx + 1, sizeof *xs), **series = xcalloc(rows + 1, sizeof *series);
    size_t ns = trend_series(r, series), w = ns + 1;
    const char **labels = xcalloc(nx * ns + 1, sizeof *labels);
    const char **cells = xcalloc(nx * w + 1, sizeof *cells), **head = xcalloc(w, sizeof *head);
    double *values = xcalloc(nx * ns + 1, sizeof *values);
    const char *title = "Impressions per platform";
    for (size_t i = 0; i < nx; i++)
        xs[i] = cells[i * w] = PQgetvalue(x, (int)i, 0);
    for (size_t k = 0; k < nx * ns; k++)
        values[k] = NAN, labels[k] = "-";
    for (size_t row = 0, s = 0; row < rows; row++) {
        s += row && strcmp(PQgetvalue(r, (int)row, 0), PQgetvalue(r, (int)row - 1, 0)) != 0;
        for (size_t i = 0; i < nx; i++)
            if (strcmp(xs[i], PQgetvalue(r, (int)row, 1)) == 0) {
                values[s * nx + i] = number(PQgetvalue(r, (int)row, 2));
                labels[s * nx + i] = PQgetvalue(r, (int)row, 2);
            }
    }
    head[0] = grain;
    for (size_t s = 0; s < ns; s++) {
        head[s + 1] = series[s];
        for (size_t i = 0; i < nx; i++)
            cells[i * w + s + 1] = labels[s * nx + i];
    }
    struct svg_lines c = {.id = "chart-channel-trends",
                          .title = title,
                          .x_label = grain,
                          .y_label = "impressions",
                          .nx = nx,
                          .nseries = ns,
                          .x = xs,
                          .series = series,
                          .values = values,
                          .labels = labels};
    figure_open(p, "channel-trends", "Impressions per platform and day (month over long periods)");
    if (ns)
        svg_line_chart(&p->b, &c);
    else
        no_data(p);
    figure_close(p, title, w, head, ns ? nx : 0, cells);
    free(xs), free(series), free(labels), free(cells), free(head), free(values);
}

static int trend_chart(struct page *p, PGconn *dash)
{
    int32_t from = 0, to = 0;
    if (time_parse_date(p->o->from, &from) < 0 || time_parse_date(p->o->to, &to) < 0)
        from = to = 0; /* checked by the caller */
    bool days = to - from <= 92;
    const char *params[4] = {p->o->from, p->o->to, days ? "day" : "month",
                             days ? "YYYY-MM-DD" : "YYYY-MM"};
    PGresult *x = query(p, dash, PERIODS_SQL, 4, params), *r = NULL;
    if (x && (r = query(p, dash, TREND_SQL, 4, params)))
        trend_draw(p, x, r, days ? "day" : "month");
    int rc = x && r ? 0 : 1;
    PQclear(x);
    PQclear(r);
    return rc;
}

/* ---- 5: share of voice ---------------------------------------------------------------------- */

#define SOV_SQL                                                                                    \
    "SELECT account, CASE WHEN side = 'brand' THEN '' ELSE subject END,"                           \
    " sum(mentions)::bigint, sum(sum(mentions)) OVER (PARTITION BY account)::bigint"               \
    " FROM dashboard.share_of_voice WHERE grain = 'day' AND period BETWEEN $1::date AND $2::date"  \
    " GROUP BY 1, 2 ORDER BY 1, 2"

#define BRAND "The brand (the account's own name)"

/* Index of name in the series, added when new. */
static size_t series_index(const char **series, size_t *n, const char *name)
{
    for (size_t i = 0; i < *n; i++)
        if (strcmp(series[i], name) == 0)
            return i;
    series[*n] = name;
    return (*n)++;
}

/* "N mentions, P %" with the share rounded half up to a tenth of a percent, in integers. */
static const char *sov_label(struct strs *s, const char *mentions, const char *total)
{
    long long m = atoll(mentions), t = atoll(total), tenths = t ? (m * 2000 + t) / (2 * t) : 0;
    char out[96];
    snprintf(out, sizeof out, "%s mentions, %lld.%lld %%", mentions, tenths / 10, tenths % 10);
    return strs_add(s, out);
}

static void sov_draw(struct page *p, PGresult *r)
{
    size_t rows = (size_t)PQntuples(r), ng = 0, ns = 0;
    struct strs s = {0};
    const char **groups = xcalloc(rows + 1, sizeof *groups);
    const char **series = xcalloc(rows + 1, sizeof *series);
    const char **cells = xcalloc(3 * rows + 1, sizeof *cells);
    series[ns++] = BRAND;
    for (size_t i = 0; i < rows; i++) {
        const char *subject = *PQgetvalue(r, (int)i, 1) ? PQgetvalue(r, (int)i, 1) : BRAND;
        series_index(series, &ns, subject);
        if (!ng || strcmp(groups[ng - 1], PQgetvalue(r, (int)i, 0)) != 0)
            groups[ng++] = PQgetvalue(r, (int)i, 0);
    }
    const char **labels = xcalloc(ng * ns + 1, sizeof *labels);
    double *values = xcalloc(ng * ns + 1, sizeof *values);
    for (size_t k = 0; k < ng * ns; k++)
        values[k] = NAN, labels[k] = "-";
    for (size_t i = 0, g = 0; i < rows; i++) {
        g += i && strcmp(PQgetvalue(r, (int)i, 0), PQgetvalue(r, (int)i - 1, 0)) != 0;
        const char *subject = *PQgetvalue(r, (int)i, 1) ? PQgetvalue(r, (int)i, 1) : BRAND;
        size_t k = g * ns + series_index(series, &ns, subject);
        values[k] = number(PQgetvalue(r, (int)i, 2));
        labels[k] = sov_label(&s, PQgetvalue(r, (int)i, 2), PQgetvalue(r, (int)i, 3));
        cells[3 * i] = groups[g];
        cells[3 * i + 1] = subject;
        cells[3 * i + 2] = labels[k];
    }
    const char *head[] = {"Account", "Subject", "Mentions, share"};
    const char *title = "Share of voice on X: the brand vs its competitors";
    struct svg_bars c = {.id = "chart-share-of-voice",
                         .title = title,
                         .x_label = "mentions",
                         .y_label = "X account",
                         .ngroups = ng,
                         .nseries = ns,
                         .groups = groups,
                         .series = series,
                         .values = values,
                         .labels = labels,
                         .stacked = true};
    figure_open(p, "share-of-voice", "Mentions of the brand and of each competitor, stacked");
    if (ng)
        svg_bar_chart(&p->b, &c);
    else
        no_data(p);
    figure_close(p, title, 3, head, rows, cells);
    free(groups), free(series), free(cells), free(labels), free(values);
    strs_free(&s);
}

static int sov_chart(struct page *p, PGconn *dash)
{
    const char *params[2] = {p->o->from, p->o->to};
    PGresult *r = query(p, dash, SOV_SQL, 2, params);
    if (!r)
        return 1;
    sov_draw(p, r);
    PQclear(r);
    return 0;
}

/* ---- 6: the ROI bridge as a waterfall ------------------------------------------------------ */

/* The steps from the platforms' leads to the CRM's (finance.roi_bridge): each cause takes away
 * what it explains, so the walk ends where the CRM's count stands. */
static const char *const bridge_steps[] = {"form_lead_not_in_crm",
                                           "repeated_form_submission",
                                           "credited_to_another_channel",
                                           "day_basis",
                                           "crm_timing",
                                           "crm_lead_platform_did_not_count",
                                           "organic_form_lead",
                                           "outside_attribution_window",
                                           "restated_after_close",
                                           "unexplained"};
#define NBRIDGE (sizeof bridge_steps / sizeof bridge_steps[0])

static void bridge_draw(struct page *p, PGresult *r)
{
    struct strs s = {0};
    const char *groups[NBRIDGE + 2], *labels[NBRIDGE + 2], *cells[2 * (NBRIDGE + 2)];
    const char *series[] = {"Leads"}, *head[] = {"Step", "Leads"};
    const char *title = "From the platforms' leads to the CRM's, all channels";
    double values[NBRIDGE + 2], starts[NBRIDGE + 2];
    /* columns: platform_leads, the causes in bridge_steps' order, crm_leads */
    long long walk = atoll(PQgetvalue(r, 0, 0));
    bool any = walk != 0 || atoll(PQgetvalue(r, 0, (int)NBRIDGE + 1)) != 0;
    groups[0] = "platform-reported leads";
    values[0] = (double)walk, starts[0] = 0;
    labels[0] = strs_add(&s, PQgetvalue(r, 0, 0));
    for (size_t i = 0; i < NBRIDGE; i++) { /* a cause is its part of platform - crm */
        long long part = atoll(PQgetvalue(r, 0, (int)i + 1));
        char l[32];
        snprintf(l, sizeof l, "%+lld", -part);
        groups[i + 1] = bridge_steps[i];
        starts[i + 1] = (double)walk, values[i + 1] = (double)-part;
        labels[i + 1] = strs_add(&s, l);
        walk -= part;
    }
    groups[NBRIDGE + 1] = "CRM-verified leads";
    starts[NBRIDGE + 1] = 0, values[NBRIDGE + 1] = (double)walk;
    labels[NBRIDGE + 1] = strs_add(&s, PQgetvalue(r, 0, (int)NBRIDGE + 1));
    for (size_t i = 0; i < NBRIDGE + 2; i++)
        cells[2 * i] = groups[i], cells[2 * i + 1] = labels[i];
    struct svg_bars c = {.id = "chart-bridge",
                         .title = title,
                         .x_label = "leads",
                         .y_label = "Step",
                         .ngroups = NBRIDGE + 2,
                         .nseries = 1,
                         .groups = groups,
                         .series = series,
                         .values = values,
                         .labels = labels,
                         .starts = starts};
    figure_open(p, "bridge",
                "The ROI bridge (finance.roi_bridge): the leads the platforms reported, each "
                "named cause of the difference, and the leads the CRM verified");
    if (any)
        svg_bar_chart(&p->b, &c);
    else
        no_data(p);
    figure_close(p, title, 2, head, any ? NBRIDGE + 2 : 0, cells);
    strs_free(&s);
}

static int bridge_chart(struct page *p, PGconn *fin)
{
    struct buf sql = {0};
    buf_puts(&sql, "SELECT COALESCE(sum(platform_leads), 0)");
    for (size_t i = 0; i < NBRIDGE; i++)
        buf_printf(&sql, ", COALESCE(sum(%s), 0)", bridge_steps[i]);
    buf_puts(&sql, ", COALESCE(sum(crm_leads), 0) FROM finance.roi_bridge"
                   " WHERE month BETWEEN date_trunc('month', $1::date) AND $2::date");
    const char *params[2] = {p->o->from, p->o->to};
    PGresult *r = query(p, fin, sql.data, 2, params);
    buf_free(&sql);
    if (!r)
        return 1;
    bridge_draw(p, r);
    PQclear(r);
    return 0;
}

/* ---- 7: what moved closed months ------------------------------------------------------------ */

#define ADJUST_SQL                                                                                 \
    "SELECT cause, (COALESCE(sum(amount) FILTER (WHERE figure = 'spend'), 0) * 1000000)::bigint,"  \
    " (COALESCE(sum(amount) FILTER (WHERE figure = 'revenue'), 0) * 1000000)::bigint"              \
    " FROM finance.close_adjustments WHERE cut = 'campaign' AND model = $3"                        \
    " AND period BETWEEN date_trunc('month', $1::date) AND $2::date"                               \
    " AND figure IN ('spend', 'revenue') GROUP BY cause ORDER BY cause"

static void adjust_draw(struct page *p, PGresult *r)
{
    size_t n = (size_t)PQntuples(r);
    struct strs s = {0};
    const char **groups = xcalloc(n + 1, sizeof *groups);
    const char **labels = xcalloc(2 * n + 1, sizeof *labels);
    const char **cells = xcalloc(3 * n + 1, sizeof *cells);
    double *values = xcalloc(2 * n + 1, sizeof *values);
    const char *series[] = {"Spend", "Revenue"}, *head[] = {"Cause", "Spend", "Revenue"};
    char title[160];
    snprintf(title, sizeof title, "Changes to closed months by cause (%s), %s", p->o->model,
             p->currency);
    for (size_t i = 0; i < n; i++) {
        groups[i] = cells[3 * i] = PQgetvalue(r, (int)i, 0);
        for (size_t k = 0; k < 2; k++) {
            const char *micros = PQgetvalue(r, (int)i, (int)k + 1);
            values[2 * i + k] = number(micros) / 1e6;
            labels[2 * i + k] = cells[3 * i + k + 1] = money_label(&s, micros, p->currency);
        }
    }
    struct svg_bars c = {.id = "chart-adjustments",
                         .title = title,
                         .x_label = p->currency,
                         .y_label = "Cause",
                         .ngroups = n,
                         .nseries = 2,
                         .groups = groups,
                         .series = series,
                         .values = values,
                         .labels = labels};
    figure_open(p, "adjustments",
                "What moved the figures of closed months since their close "
                "(finance.close_adjustments), per cause");
    if (n)
        svg_bar_chart(&p->b, &c);
    else
        no_data(p);
    figure_close(p, title, 3, head, n, cells);
    free(groups), free(labels), free(cells), free(values);
    strs_free(&s);
}

static int adjust_chart(struct page *p, PGconn *fin)
{
    const char *params[3] = {p->o->from, p->o->to, p->o->model};
    PGresult *r = query(p, fin, ADJUST_SQL, 3, params);
    if (!r)
        return 1;
    adjust_draw(p, r);
    PQclear(r);
    return 0;
}

/* ---- the page ------------------------------------------------------------------------------- */

static const char style[] =
    "body{font-family:system-ui,sans-serif;color:#111;background:#fff;max-width:1000px;"
    "margin:1em auto;padding:0 1em;line-height:1.4}"
    "h1{font-size:1.5em;margin-bottom:.2em}.meta{color:#444;margin-top:0}"
    "figure{margin:2em 0;padding:0;border-top:1px solid #ccc}"
    "figcaption{font-weight:600;margin:.6em 0}svg{display:block;max-width:100%;height:auto}"
    ".empty{padding:1em;background:#f4f4f4;color:#333;font-style:italic}"
    "table{border-collapse:collapse;font-size:.85em;margin:.5em 0}"
    "caption{text-align:left;font-weight:600;padding:.3em 0}"
    "th,td{border:1px solid #bbb;padding:.2em .5em;text-align:left}"
    "td.num{text-align:right;font-variant-numeric:tabular-nums}"
    "summary{cursor:pointer;color:#0b4f8a}"
    "@media print{body{max-width:none;margin:0}figure{break-inside:avoid}"
    "summary{color:#111}a{color:#111}}";

static void page_head(struct page *p)
{
    buf_puts(&p->b, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                    "<title>socialroi report ");
    buf_printf(&p->b, "%s..%s</title>\n<style>%s</style>\n</head>\n<body>\n", p->o->from, p->o->to,
               style);
    buf_printf(&p->b,
               "<h1>socialroi report, %s..%s</h1>\n<p class=\"meta\">Money in %s; spend vs "
               "revenue under the %s model; days are UTC.</p>\n",
               p->o->from, p->o->to, p->currency, p->o->model);
}

static int write_page(const struct buf *b, const char *path, FILE *out, FILE *err)
{
    FILE *f = path ? fopen(path, "w") : out;
    if (!f || fwrite(b->data, 1, b->len, f) != b->len || (path ? fclose(f) : fflush(f)) != 0) {
        fprintf(err, "socialroi: report: cannot write %s: %m\n", path ? path : "the page");
        return 1;
    }
    return 0;
}

int htmlreport_run(PGconn *dash, PGconn *fin, const struct htmlreport_opts *o, FILE *out, FILE *err)
{
    struct page p = {.o = o, .err = err, .currency = report_currency(fin)};
    page_head(&p);
    int rc = roi_charts(&p, fin) || funnel_chart(&p, dash) || trend_chart(&p, dash) ||
             sov_chart(&p, dash) || bridge_chart(&p, fin) || adjust_chart(&p, fin);
    buf_puts(&p.b, "</body>\n</html>\n");
    if (!rc)
        rc = write_page(&p.b, o->out, out, err);
    buf_free(&p.b);
    free(p.currency);
    return rc;
}
