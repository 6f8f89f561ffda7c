/*
 * report.c - socialroi report roi|channels|funnel (see report.h).
 *
 * The figures come from finance.roi_report, dashboard.channel_report and dashboard.funnel, so
 * the command and the views can never disagree; this file only formats: an aligned table for
 * people (money with two decimals and its currency), RFC 4180 CSV and JSON for machines (money
 * as exact integer micro-units, decimals as strings), each naming the model and the currency.
 * Blocking libpq: command-line tool only.
 */
#include "report.h"
#include "buf.h"
#include "clidb.h"
#include "json.h"
#include "money.h"
#include "xmalloc.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#define MAX_COLS 20

const char *const report_models[] = {"first_touch", "last_touch",        "linear", "position_based",
                                     "time_decay",  "platform_reported", NULL};

/* How a column prints in a table. */
enum col_kind { COL_TEXT, COL_MICROS, COL_DECIMAL, COL_PERCENT, COL_COUNT, COL_ARRAY };

struct col {
    const char *name;  /* SQL column and JSON/CSV key */
    const char *label; /* table header */
    enum col_kind kind;
};

static const struct col roi_cols[] = {
    {"key", "", COL_TEXT},
    {"platform", "PLATFORM", COL_TEXT},
    {"spend_micros", "SPEND", COL_MICROS},
    {"platform_spend_micros", "PLATFORM SPEND", COL_MICROS},
    {"configured_spend_micros", "CONFIGURED", COL_MICROS},
    {"leads", "LEADS", COL_DECIMAL},
    {"customers", "CUSTOMERS", COL_DECIMAL},
    {"revenue_micros", "REVENUE", COL_MICROS},
    {"roi", "ROI", COL_PERCENT},
    {"roas", "ROAS", COL_DECIMAL},
    {"cost_per_lead_micros", "COST/LEAD", COL_MICROS},
    {"customer_acquisition_cost_micros", "CAC", COL_MICROS},
    {"unconverted_currencies", "NO FX RATE", COL_ARRAY},
};

static const struct col channel_cols[] = {
    {"key", "", COL_TEXT},
    {"platform", "PLATFORM", COL_TEXT},
    {"account", "ACCOUNT", COL_TEXT},
    {"impressions", "IMPRESSIONS", COL_COUNT},
    {"reach", "REACH", COL_COUNT},
    {"views", "VIEWS", COL_COUNT},
    {"clicks", "CLICKS", COL_COUNT},
    {"engagements", "ENGAGEMENTS", COL_COUNT},
    {"engagement_rate", "ENG. RATE", COL_PERCENT},
    {"followers", "FOLLOWERS", COL_COUNT},
    {"followers_growth", "GROWTH", COL_COUNT},
    {"posts", "POSTS", COL_COUNT},
    {"paid_impressions", "PAID IMPR.", COL_COUNT},
    {"paid_clicks", "PAID CLICKS", COL_COUNT},
};

/* key: the campaign, as in roi --by campaign (every report's rows lead with "key") */
static const struct col funnel_cols[] = {
    {"key", "CAMPAIGN", COL_TEXT},
    {"month", "MONTH", COL_TEXT},
    {"interest_impressions", "IMPRESSIONS", COL_COUNT},
    {"interest_reach", "REACH", COL_COUNT},
    {"consideration_engagements", "ENGAGEMENTS", COL_COUNT},
    {"consideration_clicks", "CLICKS", COL_COUNT},
    {"trial_leads", "LEADS", COL_DECIMAL},
    {"loyalty_won_deals", "WON DEALS", COL_COUNT},
    {"loyalty_customers", "CUSTOMERS", COL_DECIMAL},
    {"advocacy_shares", "SHARES", COL_COUNT},
    {"advocacy_positive_mentions", "POS. MENTIONS", COL_COUNT},
    {"interest_to_consideration", "->CONSID.", COL_PERCENT},
    {"consideration_to_trial", "->TRIAL", COL_PERCENT},
    {"trial_to_loyalty", "->LOYALTY", COL_PERCENT},
};

/* the ROI bridge (finance.roi_bridge): each cause its contribution to the difference */
static const struct col bridge_cols[] = {
    {"key", "CHANNEL", COL_TEXT},
    {"month", "MONTH", COL_TEXT},
    {"platform_leads", "PLATFORM", COL_COUNT},
    {"crm_leads", "CRM", COL_COUNT},
    {"difference", "DIFFERENCE", COL_COUNT},
    {"form_lead_not_in_crm", "NOT IN CRM", COL_COUNT},
    {"repeated_form_submission", "REPEATED", COL_COUNT},
    {"credited_to_another_channel", "OTHER CHANNEL", COL_COUNT},
    {"day_basis", "DAY BASIS", COL_COUNT},
    {"crm_timing", "CRM TIMING", COL_COUNT},
    {"crm_lead_platform_did_not_count", "NOT COUNTED", COL_COUNT},
    {"organic_form_lead", "ORGANIC FORM", COL_COUNT},
    {"outside_attribution_window", "OUTSIDE WINDOW", COL_COUNT},
    {"restated_after_close", "RESTATED", COL_COUNT},
    {"unexplained", "UNEXPLAINED", COL_COUNT},
};

/* the same for money (finance.roi_bridge_revenue) */
static const struct col revenue_bridge_cols[] = {
    {"key", "CHANNEL", COL_TEXT},
    {"month", "MONTH", COL_TEXT},
    {"platform_revenue_micros", "PLATFORM", COL_MICROS},
    {"crm_revenue_micros", "CRM", COL_MICROS},
    {"difference_micros", "DIFFERENCE", COL_MICROS},
    {"outside_attribution_window_micros", "OUTSIDE WINDOW", COL_MICROS},
    {"unexplained_micros", "UNEXPLAINED", COL_MICROS},
    {"unconverted_currencies", "NO FX RATE", COL_ARRAY},
};

struct table {
    const char *title;
    const struct col *cols;
    size_t ncols;
    int idx[MAX_COLS]; /* result column of each col */
};

/* ---- value formatting --------------------------------------------------------------------------
 */

/* A PostgreSQL array of currency codes ({EUR,GBP}: letters only, never quoted) as a list. */
static void array_list(const char *v, const char *sep, char *out, size_t len)
{
    struct buf b = {0};
    for (const char *p = v + (*v == '{'), *e; *p && *p != '}'; p = *e ? e + 1 : e) {
        e = p + strcspn(p, ",}");
        buf_printf(&b, "%s%.*s", b.len ? sep : "", (int)(e - p), p);
    }
    snprintf(out, len, "%s", b.len ? b.data : "");
    buf_free(&b);
}

void report_money(const char *micros, const char *currency, char *out, size_t len)
{
    char m[40];
    money_format(atoll(micros), 2, m, sizeof m);
    snprintf(out, len, "%s %s", m, currency);
}

static void fmt_cell(const struct col *c, const char *v, const char *currency, char *out,
                     size_t len)
{
    int64_t micros;
    if (!v || !*v) {
        snprintf(out, len, "-");
        return;
    }
    switch (c->kind) {
    case COL_MICROS:
        report_money(v, currency, out, len);
        break;
    case COL_PERCENT:
        if (money_parse_decimal(v, strlen(v), &micros) == 0) {
            char m[40];
            money_format(micros * 100, 1, m, sizeof m);
            snprintf(out, len, "%s %%", m);
        } else {
            snprintf(out, len, "%s", v);
        }
        break;
    case COL_DECIMAL:
        if (money_parse_decimal(v, strlen(v), &micros) == 0)
            money_format(micros, 2, out, len);
        else
            snprintf(out, len, "%s", v);
        break;
    case COL_ARRAY:
        array_list(v, ", ", out, len);
        if (!*out)
            snprintf(out, len, "-");
        break;
    default:
        snprintf(out, len, "%s", v);
    }
}

/* ---- table, CSV, JSON
 * ---------------------------------------------------------------------------- */

static void print_table(const struct table *t, PGresult *r, const char *currency, FILE *out)
{
    int rows = PQntuples(r);
    size_t width[MAX_COLS];
    char cell[128];
    for (size_t c = 0; c < t->ncols; c++) {
        width[c] = strlen(t->cols[c].label);
        for (int i = 0; i < rows; i++) {
            fmt_cell(&t->cols[c], PQgetisnull(r, i, t->idx[c]) ? NULL : PQgetvalue(r, i, t->idx[c]),
                     currency, cell, sizeof cell);
            if (strlen(cell) > width[c])
                width[c] = strlen(cell);
        }
    }
    fprintf(out, "%s\n\n", t->title);
    for (size_t c = 0; c < t->ncols; c++)
        fprintf(out, c ? "  %*s" : "%-*s", (int)width[c], t->cols[c].label);
    fputc('\n', out);
    for (int i = 0; i < rows; i++) {
        for (size_t c = 0; c < t->ncols; c++) {
            fmt_cell(&t->cols[c], PQgetisnull(r, i, t->idx[c]) ? NULL : PQgetvalue(r, i, t->idx[c]),
                     currency, cell, sizeof cell);
            fprintf(out, c ? "  %*s" : "%-*s", (int)width[c], cell);
        }
        fputc('\n', out);
    }
    if (!rows)
        fprintf(out, "(nothing in this period)\n");
}

static void csv_field(struct buf *b, const char *v)
{
    if (!v)
        return;
    if (!strpbrk(v, ",\"\r\n")) {
        buf_puts(b, v);
        return;
    }
    buf_puts(b, "\"");
    for (const char *p = v; *p; p++) {
        if (*p == '"')
            buf_puts(b, "\"\"");
        else
            buf_append(b, p, 1);
    }
    buf_puts(b, "\"");
}

/* RFC 4180: CRLF line ends, fields quoted when they hold commas, quotes or line breaks. */
static void print_csv(const struct table *t, PGresult *r, const struct report_opts *o,
                      const char *currency, FILE *out)
{
    struct buf b = {0};
    buf_puts(&b, "report,model,currency,from,to");
    for (size_t c = 0; c < t->ncols; c++) {
        buf_puts(&b, ",");
        csv_field(&b, t->cols[c].name);
    }
    buf_puts(&b, "\r\n");
    for (int i = 0; i < PQntuples(r); i++) {
        buf_printf(&b, "%s,%s,%s,%s,%s", o->what, o->model ? o->model : "", currency, o->from,
                   o->to);
        for (size_t c = 0; c < t->ncols; c++) {
            const char *v = PQgetisnull(r, i, t->idx[c]) ? NULL : PQgetvalue(r, i, t->idx[c]);
            char list[256];
            buf_puts(&b, ",");
            if (v && t->cols[c].kind == COL_ARRAY) /* EUR;GBP: no array syntax in a cell */
                array_list(v, ";", list, sizeof list), v = list;
            csv_field(&b, v);
        }
        buf_puts(&b, "\r\n");
    }
    fwrite(b.data, 1, b.len, out);
    buf_free(&b);
}

static void json_value(struct buf *b, const struct col *c, const char *v)
{
    if (!v) {
        buf_puts(b, "null");
    } else if (c->kind == COL_MICROS || c->kind == COL_COUNT) {
        buf_puts(b, v); /* exact integers */
    } else if (c->kind == COL_ARRAY) {
        /* {EUR,GBP} -> ["EUR","GBP"] (codes: letters only) */
        buf_puts(b, "[");
        for (const char *p = v + 1, *e; *p && *p != '}'; p = *e ? e + 1 : e) {
            e = p + strcspn(p, ",}");
            buf_printf(b, "%s\"%.*s\"", p == v + 1 ? "" : ",", (int)(e - p), p);
        }
        buf_puts(b, "]");
    } else {
        json_write_str(b, v); /* decimals as strings: no float in between */
    }
}

static void print_json(const struct table *t, PGresult *r, const struct report_opts *o,
                       const char *currency, FILE *out)
{
    struct buf b = {0};
    char model[64] = "null"; /* a report without attribution has no model */
    if (o->model)
        snprintf(model, sizeof model, "\"%s\"", o->model);
    buf_printf(&b,
               "{\"report\":\"%s\",\"by\":\"%s\",\"model\":%s,\"currency\":\"%s\","
               "\"from\":\"%s\",\"to\":\"%s\",\"rows\":[",
               o->what, o->by, model, currency, o->from, o->to);
    for (int i = 0; i < PQntuples(r); i++) {
        buf_puts(&b, i ? ",{" : "{");
        for (size_t c = 0; c < t->ncols; c++) {
            buf_printf(&b, "%s\"%s\":", c ? "," : "", t->cols[c].name);
            json_value(&b, &t->cols[c],
                       PQgetisnull(r, i, t->idx[c]) ? NULL : PQgetvalue(r, i, t->idx[c]));
        }
        buf_puts(&b, "}");
    }
    buf_puts(&b, "]}\n");
    fwrite(b.data, 1, b.len, out);
    buf_free(&b);
}

/* ---- queries -----------------------------------------------------------------------------------
 */

static PGresult *query(PGconn *conn, const struct report_opts *o, FILE *err)
{
    const char *p[4] = {o->from, o->to, o->by, o->model};
    const char *sql;
    int n = 4;
    if (strcmp(o->what, "roi") == 0) {
        sql = "SELECT * FROM finance.roi_report($1::date, $2::date, $3, $4)";
    } else if (strcmp(o->what, "channels") == 0) {
        sql = "SELECT * FROM dashboard.channel_report($1::date, $2::date, $3)";
        n = 3;
    } else if (strcmp(o->what, "bridge") == 0) {
        sql = "SELECT channel, to_char(month, 'YYYY-MM') AS month, platform_leads, crm_leads, "
              "difference, form_lead_not_in_crm, repeated_form_submission, "
              "credited_to_another_channel, day_basis, crm_timing, "
              "crm_lead_platform_did_not_count, organic_form_lead, outside_attribution_window, "
              "restated_after_close, unexplained FROM finance.roi_bridge WHERE month BETWEEN "
              "date_trunc('month', "
              "$1::date) AND $2::date ORDER BY channel, month";
        n = 2;
    } else if (strcmp(o->what, "revenue-bridge") == 0) {
        /* amounts are exact with six decimals: times a million they are the micro-units */
        sql = "SELECT channel, to_char(month, 'YYYY-MM') AS month, "
              "(platform_revenue * 1000000)::bigint AS platform_revenue_micros, "
              "(crm_revenue * 1000000)::bigint AS crm_revenue_micros, "
              "(difference * 1000000)::bigint AS difference_micros, "
              "(outside_attribution_window * 1000000)::bigint "
              "AS outside_attribution_window_micros, "
              "(unexplained * 1000000)::bigint AS unexplained_micros, unconverted_currencies "
              "FROM finance.roi_bridge_revenue WHERE month BETWEEN date_trunc('month', "
              "$1::date) AND $2::date ORDER BY channel, month";
        n = 2;
    } else {
        /* the view has rounded half to even to 6 places; the cast only prints all six, as the
         * ROI report does, and names nothing a reader may not use */
        sql = "SELECT COALESCE(campaign, '(brand-wide)') AS campaign, "
              "to_char(month, 'YYYY-MM') AS month, interest_impressions, "
              "interest_reach, consideration_engagements, consideration_clicks, "
              "trial_leads::numeric(30, 6) AS trial_leads, loyalty_won_deals, "
              "loyalty_customers::numeric(30, 6) AS loyalty_customers, advocacy_shares, "
              "advocacy_positive_mentions, "
              "interest_to_consideration::numeric(30, 6) AS interest_to_consideration, "
              "consideration_to_trial::numeric(30, 6) AS consideration_to_trial, "
              "trial_to_loyalty::numeric(30, 6) AS trial_to_loyalty "
              "FROM dashboard.funnel WHERE month BETWEEN date_trunc('month', $1::date) AND "
              "$2::date ORDER BY campaign, month";
        n = 2;
    }
    PGresult *r = PQexecParams(conn, sql, n, NULL, p, NULL, NULL, 0);
    if (PQresultStatus(r) != PGRES_TUPLES_OK) {
        clidb_error(err, "report", conn, r);
        PQclear(r);
        return NULL;
    }
    return r;
}

char *report_currency(PGconn *conn)
{
    /* through dashboard: the reader roles cannot read socialroi.setting */
    PGresult *r = PQexec(conn, "SELECT dashboard.reporting_currency()");
    char *c = xstrdup(
        PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1 ? PQgetvalue(r, 0, 0) : "USD");
    PQclear(r);
    return c;
}

#define KIND(what, title, cols, by_first)                                                          \
    {                                                                                              \
        what, title, cols, sizeof cols / sizeof cols[0], by_first                                  \
    }

/* Each report: its rows' columns, and whether its first column is what --by says. */
static const struct kind {
    const char *what, *title;
    const struct col *cols;
    size_t ncols;
    bool by_first;
} kinds[] = {
    KIND("roi", "ROI", roi_cols, true),
    KIND("channels", "Channels", channel_cols, true),
    KIND("funnel", "Funnel", funnel_cols, false),
    KIND("bridge", "Lead bridge", bridge_cols, false),
    KIND("revenue-bridge", "Revenue bridge", revenue_bridge_cols, false),
};

static const struct kind *kind_of(const char *what)
{
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
        if (strcmp(kinds[i].what, what) == 0)
            return &kinds[i];
    return &kinds[0];
}

int report_run(PGconn *conn, const struct report_opts *o, FILE *out, FILE *err)
{
    struct table t = {0};
    struct col cols[MAX_COLS];
    char title[256];
    const struct kind *k = kind_of(o->what);
    t.ncols = k->ncols;
    memcpy(cols, k->cols, t.ncols * sizeof cols[0]);
    if (k->by_first) /* the first column is what the rows are by */
        cols[0].label = strcmp(o->by, "month") == 0     ? "MONTH"
                        : strcmp(o->by, "channel") == 0 ? "CHANNEL"
                                                        : "CAMPAIGN";
    t.cols = cols;
    PGresult *r = query(conn, o, err);
    if (!r)
        return 1;
    for (size_t c = 0; c < t.ncols; c++) /* "key" is the first column, whatever its name */
        t.idx[c] = c == 0 ? 0 : PQfnumber(r, t.cols[c].name);
    char *currency = report_currency(conn);
    struct report_opts shown = *o;
    if (strcmp(o->what, "roi") != 0)
        shown.model = NULL; /* only ROI is attributed */
    snprintf(title, sizeof title, "%s by %s, %s..%s%s%s, currency %s", k->title, o->by, o->from,
             o->to, shown.model ? ", model " : "", shown.model ? shown.model : "", currency);
    t.title = title;
    o = &shown;
    if (strcmp(o->format, "csv") == 0)
        print_csv(&t, r, o, currency, out);
    else if (strcmp(o->format, "json") == 0)
        print_json(&t, r, o, currency, out);
    else
        print_table(&t, r, currency, out);
    free(currency);
    PQclear(r);
    return 0;
}
