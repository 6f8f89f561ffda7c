/*
 * streamscmd.c - socialroi streams (see streamscmd.h).
 */
#include "streamscmd.h"
#include "adapter.h"

#include <cJSON.h>
#include <inttypes.h>
#include <stdlib.h>

static const char *const basis_names[] = {
    [BASIS_UTC] = "utc", [BASIS_ACCOUNT_TZ] = "account_tz", [BASIS_PACIFIC] = "pacific"};

/* "15m", "6h", "30d" (the README's units), "0" for none. */
static const char *duration(int64_t ms, char *buf, size_t len)
{
    if (ms == 0)
        snprintf(buf, len, "0");
    else if (ms % DAYS(1) == 0)
        snprintf(buf, len, "%" PRId64 "d", ms / DAYS(1));
    else if (ms % HOURS(1) == 0)
        snprintf(buf, len, "%" PRId64 "h", ms / HOURS(1));
    else if (ms % MINUTES(1) == 0)
        snprintf(buf, len, "%" PRId64 "m", ms / MINUTES(1));
    else
        snprintf(buf, len, "%" PRId64 "s", ms / 1000);
    return buf;
}

static const char *takes(const struct stream_def *d)
{
    return d->windowed ? "window" : d->incremental ? "since" : "-";
}

static void print_table(FILE *out)
{
    fprintf(out, "%-28s %-10s %-8s %-8s %-10s %-6s %-10s %s\n", "STREAM", "PLATFORM", "INTERVAL",
            "LOOKBACK", "BASIS", "TAKES", "MAX_DAYS", "DAILY_METRICS");
    const struct adapter *ad;
    const struct stream_def *d;
    for (size_t i = 0; (d = adapter_stream_at(i, &ad)) != NULL; i++) {
        char iv[32], lb[32];
        fprintf(out, "%-28s %-10s %-8s %-8s %-10s %-6s %-10d %s\n", d->name,
                platform_info(ad->platform)->name, duration(d->interval_ms, iv, sizeof iv),
                duration(d->lookback_ms, lb, sizeof lb), basis_names[d->basis], takes(d),
                d->max_window_days, d->daily_metrics ? "yes" : "no");
    }
}

static void print_json(FILE *out)
{
    cJSON *arr = cJSON_CreateArray();
    const struct adapter *ad;
    const struct stream_def *d;
    for (size_t i = 0; (d = adapter_stream_at(i, &ad)) != NULL; i++) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "stream", d->name);
        cJSON_AddStringToObject(o, "platform", platform_info(ad->platform)->name);
        cJSON_AddNumberToObject(o, "interval_s", (double)(d->interval_ms / 1000));
        cJSON_AddNumberToObject(o, "lookback_s", (double)(d->lookback_ms / 1000));
        cJSON_AddStringToObject(o, "basis", basis_names[d->basis]);
        cJSON_AddStringToObject(o, "takes", takes(d));
        cJSON_AddNumberToObject(o, "max_window_days", d->max_window_days);
        cJSON_AddNumberToObject(o, "max_days_back", d->max_days_back);
        cJSON_AddBoolToObject(o, "daily_metrics", d->daily_metrics);
        cJSON_AddItemToArray(arr, o);
    }
    char *s = cJSON_PrintUnformatted(arr);
    fprintf(out, "%s\n", s);
    free(s);
    cJSON_Delete(arr);
}

int streamscmd_run(bool json, FILE *out)
{
    if (json)
        print_json(out);
    else
        print_table(out);
    return 0;
}
