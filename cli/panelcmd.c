/*
 * panelcmd.c - socialroi export panel / import mmm (see panelcmd.h).
 *
 * export: reads finance.mmm_panel (the finance role can), checks it has no holes, and writes
 * DIR/panel.csv (RFC 4180, CRLF) in one of three layouts plus DIR/manifest.json (layout, the
 * column roles in the names the model's configuration takes, weeks, rows, currency, the
 * currencies left unconverted, SHA-256 of panel.csv, a sufficiency check). Amounts are the
 * view's exact decimals, copied as text: no floating point on money.
 *
 * import: reads a CSV of per-channel ROI (robyn: pareto_aggregated.csv filtered to one solID;
 * meridian and generic: channel, roi, optional interval), checks every line, and stores it
 * with finance.import_mmm in one call: all rows or none, a file once (its SHA-256).
 */
#include "panelcmd.h"
#include "buf.h"
#include "clidb.h"
#include "csv.h"
#include "sha256.h"
#include "timeutil.h"
#include "xmalloc.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define EXIT_USAGE 2

/* Sufficiency thresholds; where each comes from is in the README and the manifest. */
#define MIN_WEEKS             104 /* two years of weekly data (Robyn, Meridian guidance) */
#define MIN_ROWS_PER_VARIABLE 10  /* Robyn: rows about 10 x the variables */
#define MIN_SPEND_WEEK_PCT    25  /* a channel spending in fewer weeks barely varies */

#define DB_USAGE                                                                                   \
    "  --dsn CONNINFO    the database (libpq connection string)\n"                                 \
    "  -c, --config FILE the daemon's configuration: its [daemon] database\n"                      \
    "Without --dsn or -c, libpq's environment (PGHOST, PGDATABASE, ...) is used.\n"

const char panelcmd_export_help[] =
    "usage: socialroi export panel [--layout meridian|robyn|long] [--from D] [--to D]\n"
    "                              [--out DIR] [--dsn DSN | -c FILE]\n\n"
    "Writes the weekly panel a marketing-mix model takes (finance.mmm_panel, as\n"
    "socialroi_finance): weeks are ISO weeks, starting on Monday; per ad platform the spend\n"
    "in the reporting currency (exact), impressions and clicks; the week's won CRM revenue\n"
    "and new leads; controls (organic engagements, brand and competitor mentions).\n"
    "DIR/panel.csv (RFC 4180) and DIR/manifest.json (layout, column roles, weeks, rows,\n"
    "currency, unconverted currencies, SHA-256 of panel.csv, sufficiency). Says on standard\n"
    "error whether the history is enough for a model; exits 0 either way.\n\n"
    "  --layout LAYOUT   meridian (default): one row a week, Meridian's column names;\n"
    "                    robyn: one row a week, Robyn's (DATE, revenue, CHANNEL_S, CHANNEL_I);\n"
    "                    long: one row per week and channel\n"
    "  --from D, --to D  only the weeks holding these days (default: all)\n"
    "  --out DIR         where to write (default .; created when missing)\n" DB_USAGE;

const char panelcmd_import_help[] =
    "usage: socialroi import mmm FILE [--model NAME] [--layout robyn|meridian|generic]\n"
    "                            [--from D --to D] [--dsn DSN | -c FILE]\n\n"
    "Stores a marketing-mix model's ROI per channel (as socialroi_finance), shown beside the\n"
    "rule-based figures in finance.channel_roi_mmm. All lines or none; the same file twice\n"
    "changes nothing. Accepted headers (more columns are ignored):\n"
    "  robyn     rn, roi_total[, solID]: Robyn's pareto_aggregated.csv cut to one solID;\n"
    "            rows without roi_total (trend, intercept...) are skipped, rn CHANNEL_S\n"
    "  meridian  channel, roi (or roi_mean)[, ci_lo, ci_hi]\n"
    "  generic   channel, roi[, roi_lower, roi_upper][, period_from, period_to]\n"
    "Channels are the ad platforms (x, facebook, instagram, linkedin, youtube, pinterest).\n\n"
    "  --model NAME      the name shown beside the ROI (default: the layout)\n"
    "  --layout LAYOUT   robyn, meridian or generic (default generic)\n"
    "  --from D, --to D  the period the model was fitted on (needed unless the file has\n"
    "                    period_from and period_to)\n" DB_USAGE;

static int usage_err(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Prints "socialroi: CMD: message (see socialroi CMD --help)"; returns EXIT_USAGE. */
static int usage_err(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "socialroi: %s: ", cmd);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, " (see socialroi %s --help)\n", cmd);
    return EXIT_USAGE;
}

struct common_opts {
    const char *dsn, *config, *layout, *from, *to, *out, *model;
    int first_arg; /* optind after parsing */
};

/* Parses both commands' options (export takes --out, import --model); -1 to go on. */
static int parse_opts(const char *cmd, int argc, char **argv, bool export, struct common_opts *o)
{
    static const struct option lo[] = {{"dsn", required_argument, NULL, 'd'},
                                       {"config", required_argument, NULL, 'c'},
                                       {"layout", required_argument, NULL, 'L'},
                                       {"from", required_argument, NULL, 'f'},
                                       {"to", required_argument, NULL, 't'},
                                       {"out", required_argument, NULL, 'o'},
                                       {"model", required_argument, NULL, 'm'},
                                       {"help", no_argument, NULL, 'h'},
                                       {NULL, 0, NULL, 0}};
    int ch;
    optind = 1;
    opterr = 0;
    while ((ch = getopt_long(argc, argv, ":c:h", lo, NULL)) != -1) {
        switch (ch) {
        case 'h':
            fputs(export ? panelcmd_export_help : panelcmd_import_help, stdout);
            return 0;
        case 'd':
            o->dsn = optarg;
            break;
        case 'c':
            o->config = optarg;
            break;
        case 'L':
            o->layout = optarg;
            break;
        case 'f':
            o->from = optarg;
            break;
        case 't':
            o->to = optarg;
            break;
        case 'o':
            if (!export)
                return usage_err(cmd, "%s does not apply to import", "--out");
            o->out = optarg;
            break;
        case 'm':
            if (export)
                return usage_err(cmd, "%s does not apply to export", "--model");
            o->model = optarg;
            break;
        case ':':
            return usage_err(cmd, "%s needs a value", argv[optind - 1]);
        default:
            return usage_err(cmd, "unknown option %s", argv[optind - 1]);
        }
    }
    int32_t d;
    if ((o->from && time_parse_date(o->from, &d) < 0) || (o->to && time_parse_date(o->to, &d) < 0))
        return usage_err(cmd, "--from and --to take dates, YYYY-MM-DD");
    if (o->from && o->to && strcmp(o->from, o->to) > 0)
        return usage_err(cmd, "--from %s is after --to", o->from);
    o->first_arg = optind;
    return -1;
}

/* ---- export ------------------------------------------------------------------------------- */

enum col {
    C_WEEK,
    C_CHANNEL,
    C_KIND,
    C_CURRENCY,
    C_SPEND,
    C_IMPR,
    C_CLICKS,
    C_REVENUE,
    C_LEADS,
    C_ORGANIC,
    C_BRAND,
    C_COMPETITOR
};

static const char *const control_cols[] = {"organic_engagements", "brand_mentions",
                                           "competitor_mentions"};
#define N_CONTROLS 3

struct panel {
    PGresult *rows;
    int nweeks, nch;
    char **channels; /* borrowed from rows */
    char *unconverted_json;
};

/* Row of week w's KPI, and of its channel c (rows are ordered week, kind, channel). */
static int kpi_row(const struct panel *p, int w)
{
    return w * (p->nch + 1);
}

static int media_row(const struct panel *p, int w, int c)
{
    return w * (p->nch + 1) + 1 + c;
}

static const char *val(const struct panel *p, int row, enum col c)
{
    return PQgetvalue(p->rows, row, c);
}

/* Reads the panel for the range; checks its shape (a KPI row and every channel each week). */
static int panel_read(PGconn *conn, const struct common_opts *o, struct panel *p)
{
    const char *params[2] = {o->from, o->to};
    p->rows = clidb_query(
        conn, "export",
        "SELECT week, channel, kind, currency, spend, impressions, clicks, revenue, leads,"
        "       organic_engagements, brand_mentions, competitor_mentions"
        "  FROM finance.mmm_panel"
        " WHERE ($1::date IS NULL OR week >= date_trunc('week', $1::date)::date)"
        "   AND ($2::date IS NULL OR week <= $2::date)"
        " ORDER BY week, kind, channel",
        2, params, stderr);
    if (!p->rows)
        return 1;
    int n = PQntuples(p->rows);
    if (n == 0) {
        fprintf(stderr, "socialroi: export: no spend, won revenue or leads in the range: "
                        "nothing to export\n");
        return 1;
    }
    while (p->nch + 1 < n && strcmp(PQgetvalue(p->rows, p->nch + 1, C_KIND), "media") == 0 &&
           strcmp(PQgetvalue(p->rows, p->nch + 1, C_WEEK), PQgetvalue(p->rows, 0, C_WEEK)) == 0)
        p->nch++;
    p->nweeks = n / (p->nch + 1);
    p->channels = xcalloc((size_t)p->nch + 1, sizeof *p->channels);
    for (int c = 0; c < p->nch; c++)
        p->channels[c] = PQgetvalue(p->rows, 1 + c, C_CHANNEL);
    bool ok = n % (p->nch + 1) == 0;
    for (int w = 0; ok && w < p->nweeks; w++) {
        ok = strcmp(val(p, kpi_row(p, w), C_KIND), "kpi") == 0;
        for (int c = 0; ok && c < p->nch; c++)
            ok = strcmp(val(p, media_row(p, w, c), C_CHANNEL), p->channels[c]) == 0 &&
                 strcmp(val(p, media_row(p, w, c), C_WEEK), val(p, kpi_row(p, w), C_WEEK)) == 0;
    }
    if (!ok) {
        fprintf(stderr, "socialroi: export: finance.mmm_panel is not one KPI row and one row per "
                        "channel each week: refusing to write a panel with holes\n");
        return 1;
    }
    PGresult *u =
        clidb_query(conn, "export",
                    "SELECT COALESCE(array_to_json(array_agg(DISTINCT u ORDER BY u)), '[]')::text"
                    "  FROM finance.mmm_panel, unnest(unconverted_currencies) u"
                    " WHERE ($1::date IS NULL OR week >= date_trunc('week', $1::date)::date)"
                    "   AND ($2::date IS NULL OR week <= $2::date)",
                    2, params, stderr);
    if (!u)
        return 1;
    p->unconverted_json = xstrdup(PQgetvalue(u, 0, 0));
    PQclear(u);
    return 0;
}

static void csv_cell(struct buf *b, const char *v, bool first)
{
    if (!first)
        buf_puts(b, ",");
    if (!strpbrk(v, ",\"\r\n")) {
        buf_puts(b, v);
        return;
    }
    buf_puts(b, "\"");
    for (const char *s = v; *s; s++) {
        buf_append(b, s, 1);
        if (*s == '"')
            buf_puts(b, "\""); /* a quote inside is doubled */
    }
    buf_puts(b, "\"");
}

/* Column names of the layout, with their roles in the manifest. */
struct names {
    const char *time, *kpi, *leads, *spend_suffix, *media_suffix, *clicks_suffix;
};

static const struct names meridian_names = {"time",   "revenue",     "leads",
                                            "_spend", "_impression", "_clicks"};
static const struct names robyn_names = {"DATE", "revenue", "leads", "_S", "_I", "_C"};

static void add_names(cJSON *arr, char **channels, int nch, const char *suffix)
{
    char name[128];
    for (int c = 0; c < nch; c++) {
        snprintf(name, sizeof name, "%s%s", channels[c], suffix);
        cJSON_AddItemToArray(arr, cJSON_CreateString(name));
    }
}

static cJSON *string_array(const char *const *v, int n)
{
    cJSON *a = cJSON_CreateArray();
    for (int i = 0; i < n; i++)
        cJSON_AddItemToArray(a, cJSON_CreateString(v[i]));
    return a;
}

/* One row a week: time, KPI, leads, per channel spend, media, clicks, then the controls. */
static void write_wide(const struct panel *p, const struct names *nm, struct buf *b)
{
    char name[128];
    csv_cell(b, nm->time, true);
    csv_cell(b, nm->kpi, false);
    csv_cell(b, nm->leads, false);
    const char *suffixes[3] = {nm->spend_suffix, nm->media_suffix, nm->clicks_suffix};
    for (int s = 0; s < 3; s++)
        for (int c = 0; c < p->nch; c++) {
            snprintf(name, sizeof name, "%s%s", p->channels[c], suffixes[s]);
            csv_cell(b, name, false);
        }
    for (int k = 0; k < N_CONTROLS; k++)
        csv_cell(b, control_cols[k], false);
    buf_puts(b, "\r\n");
    const enum col media_cols[3] = {C_SPEND, C_IMPR, C_CLICKS};
    for (int w = 0; w < p->nweeks; w++) {
        int k = kpi_row(p, w);
        csv_cell(b, val(p, k, C_WEEK), true);
        csv_cell(b, val(p, k, C_REVENUE), false);
        csv_cell(b, val(p, k, C_LEADS), false);
        for (int s = 0; s < 3; s++)
            for (int c = 0; c < p->nch; c++)
                csv_cell(b, val(p, media_row(p, w, c), media_cols[s]), false);
        for (int j = 0; j < N_CONTROLS; j++)
            csv_cell(b, val(p, k, C_ORGANIC + j), false);
        buf_puts(b, "\r\n");
    }
}

/* One row per week and channel; the week's KPI and controls repeat on each of its rows. */
static void write_long(const struct panel *p, struct buf *b)
{
    static const char *const head[] = {"week",   "channel", "spend", "impressions",
                                       "clicks", "revenue", "leads"};
    for (int i = 0; i < 7; i++)
        csv_cell(b, head[i], i == 0);
    for (int k = 0; k < N_CONTROLS; k++)
        csv_cell(b, control_cols[k], false);
    buf_puts(b, "\r\n");
    for (int w = 0; w < p->nweeks; w++)
        for (int c = 0; c < p->nch; c++) {
            int m = media_row(p, w, c), k = kpi_row(p, w);
            csv_cell(b, val(p, m, C_WEEK), true);
            csv_cell(b, p->channels[c], false);
            csv_cell(b, val(p, m, C_SPEND), false);
            csv_cell(b, val(p, m, C_IMPR), false);
            csv_cell(b, val(p, m, C_CLICKS), false);
            csv_cell(b, val(p, k, C_REVENUE), false);
            csv_cell(b, val(p, k, C_LEADS), false);
            for (int j = 0; j < N_CONTROLS; j++)
                csv_cell(b, val(p, k, C_ORGANIC + j), false);
            buf_puts(b, "\r\n");
        }
}

/* The column roles, in the argument names of the model's own configuration. */
static cJSON *roles(const struct panel *p, const char *layout)
{
    cJSON *r = cJSON_CreateObject();
    if (strcmp(layout, "meridian") == 0) { /* meridian.data.load.CoordToColumns */
        cJSON_AddStringToObject(r, "time", meridian_names.time);
        cJSON_AddStringToObject(r, "kpi", meridian_names.kpi);
        cJSON_AddStringToObject(r, "kpi_type", "revenue");
        add_names(cJSON_AddArrayToObject(r, "media"), p->channels, p->nch, "_impression");
        add_names(cJSON_AddArrayToObject(r, "media_spend"), p->channels, p->nch, "_spend");
        cJSON_AddItemToObject(r, "controls", string_array(control_cols + 1, 2));
        cJSON_AddItemToObject(r, "organic_media", string_array(control_cols, 1));
        cJSON *un = cJSON_AddArrayToObject(r, "unassigned");
        cJSON_AddItemToArray(un, cJSON_CreateString("leads"));
        add_names(un, p->channels, p->nch, "_clicks");
    } else if (strcmp(layout, "robyn") == 0) { /* robyn_inputs() */
        cJSON_AddStringToObject(r, "date_var", robyn_names.time);
        cJSON_AddStringToObject(r, "dep_var", robyn_names.kpi);
        cJSON_AddStringToObject(r, "dep_var_type", "revenue");
        add_names(cJSON_AddArrayToObject(r, "paid_media_spends"), p->channels, p->nch, "_S");
        add_names(cJSON_AddArrayToObject(r, "paid_media_vars"), p->channels, p->nch, "_I");
        cJSON_AddItemToObject(r, "context_vars", string_array(control_cols + 1, 2));
        cJSON_AddItemToObject(r, "organic_vars", string_array(control_cols, 1));
        cJSON *un = cJSON_AddArrayToObject(r, "unassigned");
        cJSON_AddItemToArray(un, cJSON_CreateString("leads"));
        add_names(un, p->channels, p->nch, "_C");
    } else {
        cJSON_AddStringToObject(r, "time", "week");
        cJSON_AddStringToObject(r, "channel", "channel");
        cJSON_AddStringToObject(r, "kpi", "revenue");
        cJSON *s = cJSON_AddArrayToObject(r, "spend");
        cJSON_AddItemToArray(s, cJSON_CreateString("spend"));
        cJSON *m = cJSON_AddArrayToObject(r, "media");
        cJSON_AddItemToArray(m, cJSON_CreateString("impressions"));
        cJSON_AddItemToArray(m, cJSON_CreateString("clicks"));
        cJSON_AddItemToObject(r, "controls", string_array(control_cols, N_CONTROLS));
        cJSON_AddStringToObject(r, "note",
                                "revenue, leads and the controls are the week's: "
                                "they repeat on each channel's row");
    }
    return r;
}

/* The sufficiency check: into the manifest, and its verdict on err. */
static cJSON *sufficiency(const struct panel *p, FILE *err)
{
    cJSON *s = cJSON_CreateObject(), *reasons = cJSON_CreateArray();
    cJSON *sparse = cJSON_CreateArray(), *nokpi = cJSON_CreateArray();
    char msg[512];
    int variables = p->nch + N_CONTROLS;
    if (p->nweeks < MIN_WEEKS) {
        snprintf(msg, sizeof msg, "%d weeks of history, fewer than %d (two years of weekly data)",
                 p->nweeks, MIN_WEEKS);
        cJSON_AddItemToArray(reasons, cJSON_CreateString(msg));
    }
    if (p->nweeks < MIN_ROWS_PER_VARIABLE * variables) {
        snprintf(msg, sizeof msg,
                 "%d weeks for %d variables (%d channels, %d controls), fewer "
                 "than %d per variable",
                 p->nweeks, variables, p->nch, N_CONTROLS, MIN_ROWS_PER_VARIABLE);
        cJSON_AddItemToArray(reasons, cJSON_CreateString(msg));
    }
    for (int c = 0; c < p->nch; c++) {
        int spent = 0;
        for (int w = 0; w < p->nweeks; w++)
            spent += strspn(val(p, media_row(p, w, c), C_SPEND), "0.") !=
                     strlen(val(p, media_row(p, w, c), C_SPEND));
        if (spent * 100 < MIN_SPEND_WEEK_PCT * p->nweeks) {
            cJSON_AddItemToArray(sparse, cJSON_CreateString(p->channels[c]));
            snprintf(msg, sizeof msg, "%s has spend in %d of %d weeks (fewer than %d %%)",
                     p->channels[c], spent, p->nweeks, MIN_SPEND_WEEK_PCT);
            cJSON_AddItemToArray(reasons, cJSON_CreateString(msg));
        }
    }
    for (int w = 0; w < p->nweeks; w++) {
        int k = kpi_row(p, w);
        if (strspn(val(p, k, C_REVENUE), "0.") == strlen(val(p, k, C_REVENUE)) &&
            strcmp(val(p, k, C_LEADS), "0") == 0)
            cJSON_AddItemToArray(nokpi, cJSON_CreateString(val(p, k, C_WEEK)));
    }
    if (cJSON_GetArraySize(nokpi) > 0) {
        snprintf(msg, sizeof msg, "%d of %d weeks have no KPI (no won revenue, no lead)",
                 cJSON_GetArraySize(nokpi), p->nweeks);
        cJSON_AddItemToArray(reasons, cJSON_CreateString(msg));
    }
    bool ok = cJSON_GetArraySize(reasons) == 0;
    cJSON_AddBoolToObject(s, "sufficient", ok);
    cJSON_AddNumberToObject(s, "weeks", p->nweeks);
    cJSON_AddNumberToObject(s, "min_weeks", MIN_WEEKS);
    cJSON_AddNumberToObject(s, "variables", variables);
    cJSON_AddNumberToObject(s, "min_weeks_per_variable", MIN_ROWS_PER_VARIABLE);
    cJSON_AddNumberToObject(s, "min_spend_weeks_percent", MIN_SPEND_WEEK_PCT);
    cJSON_AddItemToObject(s, "channels_with_too_few_spend_weeks", sparse);
    cJSON_AddItemToObject(s, "weeks_without_kpi", nokpi);
    cJSON_AddItemToObject(s, "reasons", reasons);
    cJSON_AddStringToObject(s, "source",
                            "Robyn: about two years of weekly data and rows about 10 x the "
                            "variables; Meridian: two years of weekly data (104 points) is "
                            "already few per parameter for a national model");
    if (ok) {
        fprintf(err,
                "socialroi: export: sufficient for a marketing-mix model: %d weeks, at "
                "least %d per variable, every channel spends in %d %% of weeks or more, "
                "every week has a KPI\n",
                p->nweeks, MIN_ROWS_PER_VARIABLE, MIN_SPEND_WEEK_PCT);
    } else {
        fprintf(err, "socialroi: export: NOT sufficient for a marketing-mix model:\n");
        for (int i = 0; i < cJSON_GetArraySize(reasons); i++)
            fprintf(err, "  - %s\n", cJSON_GetArrayItem(reasons, i)->valuestring);
        fprintf(err, "  (the panel is written all the same; see sufficiency in manifest.json)\n");
    }
    return s;
}

static int write_file(const char *dir, const char *name, const char *data, size_t len)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(data, 1, len, f) != len || fclose(f) != 0) {
        fprintf(stderr, "socialroi: export: cannot write %s: %s\n", path, strerror(errno));
        return 1;
    }
    return 0;
}

static int export_write(const struct panel *p, const struct common_opts *o)
{
    struct buf csv = {0};
    if (strcmp(o->layout, "long") == 0)
        write_long(p, &csv);
    else
        write_wide(p, strcmp(o->layout, "robyn") == 0 ? &robyn_names : &meridian_names, &csv);
    char hex[65];
    sha256_hex(csv.data, csv.len, hex);
    int rows = strcmp(o->layout, "long") == 0 ? p->nweeks * p->nch : p->nweeks;

    cJSON *m = cJSON_CreateObject();
    cJSON_AddStringToObject(m, "layout", o->layout);
    cJSON_AddStringToObject(m, "file", "panel.csv");
    cJSON_AddStringToObject(m, "sha256", hex);
    cJSON_AddStringToObject(m, "week_start", "Monday (ISO 8601 weeks)");
    cJSON_AddStringToObject(m, "first_week", val(p, 0, C_WEEK));
    cJSON_AddStringToObject(m, "last_week", val(p, kpi_row(p, p->nweeks - 1), C_WEEK));
    cJSON_AddNumberToObject(m, "weeks", p->nweeks);
    cJSON_AddNumberToObject(m, "rows", rows);
    cJSON *ch = cJSON_AddArrayToObject(m, "channels");
    add_names(ch, p->channels, p->nch, "");
    cJSON_AddStringToObject(m, "currency", val(p, 0, C_CURRENCY));
    cJSON_AddItemToObject(m, "unconverted_currencies", cJSON_Parse(p->unconverted_json));
    cJSON_AddItemToObject(m, "columns", roles(p, o->layout));
    cJSON_AddItemToObject(m, "sufficiency", sufficiency(p, stderr));
    char *json = cJSON_Print(m);
    cJSON_Delete(m);

    int rc = 0;
    if (mkdir(o->out, 0777) < 0 && errno != EEXIST) {
        fprintf(stderr, "socialroi: export: cannot create %s: %s\n", o->out, strerror(errno));
        rc = 1;
    }
    if (rc == 0)
        rc = write_file(o->out, "panel.csv", csv.data, csv.len);
    if (rc == 0) {
        size_t n = strlen(json);
        json[n] = '\n'; /* cJSON_Print's buffer ends "}\0": the newline replaces the NUL */
        rc = write_file(o->out, "manifest.json", json, n + 1);
        json[n] = '\0';
    }
    if (rc == 0)
        printf("export panel: %s layout, %d weeks (%s to %s), %d channels, %d rows: %s/panel.csv "
               "(sha256 %s), %s/manifest.json\n",
               o->layout, p->nweeks, val(p, 0, C_WEEK), val(p, kpi_row(p, p->nweeks - 1), C_WEEK),
               p->nch, rows, o->out, hex, o->out);
    free(json);
    buf_free(&csv);
    return rc;
}

int panelcmd_export(int argc, char **argv)
{
    struct common_opts o = {.layout = "meridian", .out = "."};
    int rc = parse_opts("export", argc, argv, true, &o);
    if (rc >= 0)
        return rc;
    if (o.first_arg >= argc)
        return usage_err("export", "missing what to export: %s", "panel");
    if (strcmp(argv[o.first_arg], "panel") != 0)
        return usage_err("export", "\"%s\" is not an export: panel", argv[o.first_arg]);
    if (o.first_arg + 1 < argc)
        return usage_err("export", "unexpected argument \"%s\"", argv[o.first_arg + 1]);
    if (strcmp(o.layout, "meridian") != 0 && strcmp(o.layout, "robyn") != 0 &&
        strcmp(o.layout, "long") != 0)
        return usage_err("export", "--layout takes meridian, robyn or long, not \"%s\"", o.layout);
    PGconn *conn = clidb_connect("export", o.dsn, o.config, stderr);
    if (!conn)
        return 1;
    struct panel p = {0};
    rc = panel_read(conn, &o, &p);
    if (rc == 0)
        rc = export_write(&p, &o);
    PQclear(p.rows);
    free(p.channels);
    free(p.unconverted_json);
    PQfinish(conn);
    return rc;
}

/* ---- import ------------------------------------------------------------------------------- */

/* A decimal number as PostgreSQL's numeric reads it: [-+]digits[.digits][e[-+]digits]. */
static bool is_number(const char *s)
{
    const char *p = s + (*s == '-' || *s == '+');
    size_t ip = strspn(p, "0123456789"), fp = 0;
    p += ip;
    if (*p == '.') {
        fp = strspn(p + 1, "0123456789");
        p += 1 + fp;
    }
    if (ip + fp == 0)
        return false;
    if (*p == 'e' || *p == 'E') {
        p++;
        p += *p == '-' || *p == '+';
        size_t ep = strspn(p, "0123456789");
        if (ep == 0)
            return false;
        p += ep;
    }
    return *p == '\0';
}

static char *trim(char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        s[--n] = '\0';
    return s;
}

/* Column index of the first of names in the header, or -1. */
static int find_col(const struct csv_record *h, const char *const *names)
{
    for (; *names; names++)
        for (size_t i = 0; i < h->n; i++)
            if (strcmp(trim(h->fields[i]), *names) == 0)
                return (int)i;
    return -1;
}

struct import_cols {
    int channel, roi, lower, upper, from, to, sol;
};

static int header_cols(const char *layout, const struct csv_record *h, struct import_cols *c,
                       const char *file)
{
    static const char *const rn[] = {"rn", NULL}, *const roi_total[] = {"roi_total", NULL};
    static const char *const sol[] = {"solID", NULL}, *const channel[] = {"channel", NULL};
    static const char *const roi_m[] = {"roi", "roi_mean", NULL}, *const roi[] = {"roi", NULL};
    static const char *const lo_m[] = {"ci_lo", NULL}, *const hi_m[] = {"ci_hi", NULL};
    static const char *const lo[] = {"roi_lower", NULL}, *const hi[] = {"roi_upper", NULL};
    static const char *const from[] = {"period_from", NULL}, *const to[] = {"period_to", NULL};
    bool robyn = strcmp(layout, "robyn") == 0, meridian = strcmp(layout, "meridian") == 0;
    c->channel = find_col(h, robyn ? rn : channel);
    c->roi = find_col(h, robyn ? roi_total : meridian ? roi_m : roi);
    c->lower = robyn ? -1 : find_col(h, meridian ? lo_m : lo);
    c->upper = robyn ? -1 : find_col(h, meridian ? hi_m : hi);
    c->from = find_col(h, from);
    c->to = find_col(h, to);
    c->sol = robyn ? find_col(h, sol) : -1;
    if (c->channel < 0 || c->roi < 0) {
        fprintf(stderr, "socialroi: import: %s: the header lacks %s (a %s file has %s)\n", file,
                c->channel < 0 ? (robyn ? "rn" : "channel") : (robyn ? "roi_total" : "roi"), layout,
                robyn      ? "rn, roi_total[, solID]"
                : meridian ? "channel, roi[, ci_lo, ci_hi]"
                           : "channel, roi[, roi_lower, roi_upper][, period_from, period_to]");
        return -1;
    }
    return 0;
}

static const char *field(const struct csv_record *r, int i)
{
    return i >= 0 && (size_t)i < r->n ? trim(r->fields[i]) : "";
}

/* Robyn names a channel's variable CHANNEL_S (spend) or CHANNEL_I / _P (exposure). */
static void robyn_channel(char *name)
{
    size_t n = strlen(name);
    if (n > 2 && name[n - 2] == '_' && strchr("SIP", name[n - 1]))
        name[n - 2] = '\0';
}

struct import_args {
    const char *file, *model, *layout, *from, *to;
    char sha[65];
    struct buf rows; /* JSON array */
    int nrows;
};

/* Checks every line and builds the rows; returns 0, or 1 after saying which line is wrong. */
static int import_read(const char *text, size_t len, struct import_args *a)
{
    struct csv_record rec = {0}, head = {0};
    struct import_cols c;
    size_t pos = 0, line = 1;
    char err[256], sol_seen[128] = "";
    int rc = 1;
    if (csv_next(text, len, &pos, &line, &head, err, sizeof err) != 1) {
        fprintf(stderr, "socialroi: import: %s: no header line\n", a->file);
        goto out;
    }
    if (header_cols(a->layout, &head, &c, a->file) < 0)
        goto out;
    cJSON *arr = cJSON_CreateArray();
    int r;
    while ((r = csv_next(text, len, &pos, &line, &rec, err, sizeof err)) == 1) {
        if (rec.n == 1 && field(&rec, 0)[0] == '\0')
            continue; /* a blank line */
        char channel[128];
        const char *roi = field(&rec, c.roi), *lo = field(&rec, c.lower);
        const char *hi = field(&rec, c.upper);
        snprintf(channel, sizeof channel, "%s", field(&rec, c.channel));
        if (strcmp(a->layout, "robyn") == 0) {
            if (roi[0] == '\0' || strcmp(roi, "NA") == 0)
                continue; /* not a paid medium: trend, intercept, context and organic vars */
            const char *s = field(&rec, c.sol);
            if (c.sol >= 0 && sol_seen[0] && strcmp(s, sol_seen) != 0) {
                fprintf(stderr,
                        "socialroi: import: %s: line %zu: a second solID (%s after %s): "
                        "keep the rows of the one model you chose\n",
                        a->file, rec.line, s, sol_seen);
                break;
            }
            snprintf(sol_seen, sizeof sol_seen, "%s", s);
            robyn_channel(channel);
        }
        const char *bad = !is_number(roi)             ? roi
                          : (lo[0] && !is_number(lo)) ? lo
                          : (hi[0] && !is_number(hi)) ? hi
                                                      : NULL;
        if (channel[0] == '\0' || bad) {
            fprintf(stderr, "socialroi: import: %s: line %zu: %s%s%s\n", a->file, rec.line,
                    channel[0] == '\0' ? "no channel" : "not a number: \"",
                    channel[0] == '\0' ? "" : bad, channel[0] == '\0' ? "" : "\"");
            break;
        }
        if (c.from >= 0 && !a->from)
            a->from = xstrdup(field(&rec, c.from));
        if (c.to >= 0 && !a->to)
            a->to = xstrdup(field(&rec, c.to));
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "channel", channel);
        cJSON_AddStringToObject(o, "roi", roi);
        cJSON_AddStringToObject(o, "roi_lower", lo);
        cJSON_AddStringToObject(o, "roi_upper", hi);
        cJSON_AddItemToArray(arr, o);
        a->nrows++;
    }
    if (r < 0)
        fprintf(stderr, "socialroi: import: %s: line %zu: %s\n", a->file, line, err);
    if (r == 0 && a->nrows == 0)
        fprintf(stderr, "socialroi: import: %s: no channel with a ROI in the file\n", a->file);
    if (r == 0 && a->nrows > 0) {
        char *j = cJSON_PrintUnformatted(arr);
        buf_puts(&a->rows, j);
        free(j);
        rc = 0;
    }
    cJSON_Delete(arr);
out:
    csv_record_free(&rec);
    csv_record_free(&head);
    return rc;
}

static char *read_all(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    struct buf b = {0};
    char chunk[65536];
    size_t n;
    if (!f)
        return NULL;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        buf_append(&b, chunk, n);
    fclose(f);
    buf_append(&b, "", 1);
    char *s = buf_steal(&b, len);
    (*len)--;
    return s;
}

int panelcmd_import(int argc, char **argv)
{
    struct common_opts o = {.layout = "generic"};
    int rc = parse_opts("import", argc, argv, false, &o);
    if (rc >= 0)
        return rc;
    if (o.first_arg >= argc || strcmp(argv[o.first_arg], "mmm") != 0)
        return usage_err("import", "what to import: mmm FILE");
    if (o.first_arg + 2 != argc)
        return usage_err("import", "import mmm takes one FILE");
    if (strcmp(o.layout, "robyn") != 0 && strcmp(o.layout, "meridian") != 0 &&
        strcmp(o.layout, "generic") != 0)
        return usage_err("import", "--layout takes robyn, meridian or generic, not \"%s\"",
                         o.layout);
    struct import_args a = {
        .file = argv[o.first_arg + 1], .model = o.model ? o.model : o.layout, .layout = o.layout};
    size_t len;
    char *text = read_all(a.file, &len);
    if (!text) {
        fprintf(stderr, "socialroi: import: cannot read %s: %s\n", a.file, strerror(errno));
        return 1;
    }
    sha256_hex(text, len, a.sha);
    rc = import_read(text, len, &a);
    char *from = (char *)a.from, *to = (char *)a.to; /* the file's period, owned here */
    if (o.from)
        a.from = o.from;
    if (o.to)
        a.to = o.to;
    if (rc == 0 && (!a.from || !a.to)) {
        fprintf(stderr,
                "socialroi: import: %s: the period the model covers is unknown: give "
                "--from and --to (or period_from, period_to columns)\n",
                a.file);
        rc = 1;
    }
    if (rc == 0) {
        PGconn *conn = clidb_connect("import", o.dsn, o.config, stderr);
        const char *p[6] = {a.model, a.layout, a.sha, a.from, a.to, a.rows.data};
        PGresult *res = conn ? clidb_query(conn, "import",
                                           "SELECT run_id, imported, channels FROM "
                                           "finance.import_mmm($1, $2, $3, $4::date, $5::date, "
                                           "$6::jsonb)",
                                           6, p, stderr)
                             : NULL;
        if (res && strcmp(PQgetvalue(res, 0, 1), "t") == 0)
            printf("import mmm: run %s: %s channels of model %s (%s to %s) from %s\n",
                   PQgetvalue(res, 0, 0), PQgetvalue(res, 0, 2), a.model, a.from, a.to, a.file);
        else if (res)
            printf("import mmm: %s was imported before (run %s): nothing changed\n", a.file,
                   PQgetvalue(res, 0, 0));
        rc = res ? 0 : 1;
        PQclear(res);
        PQfinish(conn);
    }
    free(from);
    free(to);
    buf_free(&a.rows);
    free(text);
    return rc;
}
