/*
 * world_pinterest.c - generation, /_advance, /_world and /_truth of the simulated Pinterest
 * business account and its ad account.
 *
 * User analytics: one UTC day of organic impressions, saves, pin clicks, outbound clicks and
 * engagements for every day of history; the latest day is PROCESSING until the first
 * /_advance, which restates it and makes it READY (reference §6.3). Ads: an ad account in EUR
 * (not USD, so "micro-dollar means dollars" mistakes show, §6.3, §15 item 13) with 3-4
 * campaigns, delivery on most UTC days, spend in micro-units with cents mostly and full micro
 * precision sometimes, conversions on some days, leads on the lead campaign; the first campaign
 * was paused for the last three days. /_advance restates spend, impressions and clicks of the last
 * two days and conversions, conversion value and leads of the last seven (conversion
 * windows, §8).
 * Truth names (README "Streams and records", pinterest.*): IMPRESSION -> impressions, SAVE ->
 * saves, PIN_CLICK -> clicks, OUTBOUND_CLICK -> link_clicks, ENGAGEMENT -> engagements, for
 * READY days only, keyed by UTC date; follower_count -> followers, following_count ->
 * following, pin_count -> posts; ad days keyed by UTC DATE: SPEND_IN_MICRO_DOLLAR ->
 * spend_micros (EUR), TOTAL_IMPRESSION -> impressions, TOTAL_CLICKTHROUGH -> clicks,
 * TOTAL_CONVERSIONS -> conversions, TOTAL_CONVERSIONS_VALUE_IN_MICRO_DOLLAR ->
 * conversion_value_micros, LEADS -> leads (0 when the column is left out of a row). Days
 * older than analytics serve (PIN_DAYS_BACK) are not in the truth: nobody can fetch them.
 */
#include "world_pinterest.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jw.h"
#include "xmalloc.h"

static const struct {
    const char *name, *objective;
    bool leads;
    int64_t base_cents, cpm_cents, ctr_bp;
} campaign_kinds[PIN_CAMPAIGNS_MAX] = {
    {"Frühjahr – Consideration 🌷", "CONSIDERATION", false, 6500, 900, 80},
    {"Retargeting | Warenkorb → Kauf", "WEB_CONVERSION", false, 4200, 1400, 140},
    {"Lead-Formular Q4 (DE/AT/CH)", "CONSIDERATION", true, 3800, 1100, 110},
    {"Awareness 2026 ✨", "AWARENESS", false, 2500, 500, 30},
};

struct pin_adday *pin_adday(const struct pin_world *pw, int c, int d)
{
    return &pw->ads[c * pw->ndays + d];
}

int64_t pin_followers(const struct pin_world *pw)
{
    return pw->followers_base + pw->followers_extra;
}

int pin_day_index(const struct pin_world *pw, int32_t day)
{
    int d = (int)(day - pw->first_day);
    return d >= 0 && d < pw->ndays ? d : -1;
}

bool pin_day_ready(const struct pin_world *pw, int d)
{
    return d < pw->ndays - 1 || pw->last_ready;
}

void pin_refresh_token(const struct pin_world *pw, char *out, size_t len)
{
    snprintf(out, len, "%s%s", PIN_REFRESH_PREFIX, pw->cred.refresh);
}

/* ---- generation ----------------------------------------------------------------------------- */

static void gen_day(struct rng *r, struct pin_day *day)
{
    day->impressions = rng_range(r, 800, 12000);
    day->saves = day->impressions * rng_range(r, 5, 30) / 1000;
    day->pin_clicks = day->impressions * rng_range(r, 5, 25) / 1000;
    day->outbound_clicks = day->impressions * rng_range(r, 2, 12) / 1000;
    day->engagements = day->saves + day->pin_clicks + day->outbound_clicks + rng_range(r, 0, 20);
}

/* Spend in micros: cents mostly, full micro precision about a third of the time. */
static int64_t gen_spend(struct rng *r, int64_t base_cents)
{
    int64_t micros = base_cents * rng_range(r, 40, 160) / 100 * 10000;
    if (rng_pct(r, 35))
        micros += rng_range(r, 1, 9999);
    return micros;
}

static void gen_adday(struct rng *r, int c, struct pin_adday *a)
{
    a->delivered = true;
    a->spend_micros = gen_spend(r, campaign_kinds[c].base_cents);
    a->paid_impressions = a->spend_micros * 1000 /
                          (campaign_kinds[c].cpm_cents * rng_range(r, 70, 130) / 100 * 10000);
    if (a->paid_impressions < 1)
        a->paid_impressions = 1;
    a->impressions = a->paid_impressions + a->paid_impressions * rng_range(r, 0, 25) / 100;
    a->clicks = a->impressions * (campaign_kinds[c].ctr_bp * rng_range(r, 50, 150) / 100) / 10000;
    a->outbound_clicks = a->clicks * rng_range(r, 50, 90) / 100;
    a->saves = a->impressions * rng_range(r, 1, 10) / 1000;
    a->conversions = c == 1 ? (rng_pct(r, 30) ? 0 : rng_range(r, 1, 6)) : rng_pct(r, 8);
    for (int64_t i = 0; i < a->conversions; i++)
        a->conversion_value_micros += rng_range(r, 1990, 24900) * 10000;
    a->leads = campaign_kinds[c].leads && !rng_pct(r, 20) ? rng_range(r, 1, 5) : 0;
}

static void gen_campaigns(struct pin_world *pw, const struct world *w)
{
    char d[16];
    pw->ncamps = (int)rng_range(&pw->rng, 3, PIN_CAMPAIGNS_MAX);
    for (int c = 0; c < pw->ncamps; c++) {
        struct pin_campaign *k = &pw->camps[c];
        rng_digits(&pw->rng, d, 9);
        snprintf(k->id, sizeof k->id, "626%s", d);
        k->name = campaign_kinds[c].name;
        k->objective = campaign_kinds[c].objective;
        k->leads = campaign_kinds[c].leads;
        k->paused = c == 0;
        k->daily_cap_micros = campaign_kinds[c].base_cents * 20000;
        k->created = day_start_utc(world_first_day(w)) - 86400 * (40 + c) + 3600 * (9 + c);
        for (int i = 0; i < pw->ndays; i++) {
            /* the first campaign was paused for the last three days */
            if (rng_pct(&pw->rng, 88) && !(k->paused && i >= pw->ndays - 3))
                gen_adday(&pw->rng, c, pin_adday(pw, c, i));
        }
    }
}

static void *pin_world_new(const struct world *w)
{
    struct pin_world *pw = xcalloc(1, sizeof *pw);
    rng_seed(&pw->rng, w->seed, "pinterest");
    pw->first_day = world_first_day(w);
    pw->ndays = w->ndays;
    pw->days = xcalloc((size_t)pw->ndays, sizeof *pw->days);
    pw->ads = xcalloc((size_t)pw->ndays * PIN_CAMPAIGNS_MAX, sizeof *pw->ads);
    rng_digits(&pw->rng, pw->user_id, 18);
    snprintf(pw->username, sizeof pw->username, "acmeanalytics");
    rng_digits(&pw->rng, pw->ad_account, 12);
    rng_digits(&pw->rng, pw->client_id, 7);
    rng_alnum(&pw->rng, pw->client_secret, "", 40);
    pw->currency = "EUR";
    cred_init(&pw->cred, w, "pinterest", "pina_", 100);
    pw->followers_base = rng_range(&pw->rng, 900, 6000);
    pw->following = rng_range(&pw->rng, 40, 300);
    pw->pins = rng_range(&pw->rng, 300, 2500);
    pw->boards = rng_range(&pw->rng, 8, 40);
    for (int i = 0; i < pw->ndays; i++)
        gen_day(&pw->rng, &pw->days[i]);
    gen_campaigns(pw, w);
    return pw;
}

static void pin_world_free(void *pd)
{
    struct pin_world *pw = pd;
    if (!pw)
        return;
    free(pw->ads);
    free(pw->days);
    free(pw);
}

static const char *pin_ad_campaign(void *pd, size_t i)
{
    const struct pin_world *pw = pd;
    return i < (size_t)pw->ncamps ? pw->camps[i].id : NULL;
}

/* ---- /_advance ------------------------------------------------------------------------------ */

static void restate_ads(struct pin_world *pw)
{
    for (int c = 0; c < pw->ncamps; c++) {
        for (int d = pw->ndays - 7; d < pw->ndays; d++) {
            struct pin_adday *a = d >= 0 ? pin_adday(pw, c, d) : NULL;
            if (!a || !a->delivered)
                continue;
            if (d >= pw->ndays - 2) { /* late delivery data */
                int64_t more = a->spend_micros * rng_range(&pw->rng, 0, 5) / 100;
                a->spend_micros += more;
                a->paid_impressions += more / 10000;
                a->impressions += more / 10000 + rng_range(&pw->rng, 0, 20);
                a->clicks += rng_range(&pw->rng, 0, 2);
            }
            if (rng_pct(&pw->rng, 30)) { /* conversions attributed late */
                a->conversions++;
                a->conversion_value_micros += rng_range(&pw->rng, 1990, 24900) * 10000;
            }
            if (pw->camps[c].leads)
                a->leads += rng_pct(&pw->rng, 25);
        }
    }
}

static void pin_advance(void *pd, const struct world *w)
{
    struct pin_world *pw = pd;
    struct pin_day *last = &pw->days[pw->ndays - 1];
    (void)w;
    if (!pw->last_ready) { /* the latest day is complete now */
        int64_t more = last->impressions * rng_range(&pw->rng, 5, 20) / 100;
        last->impressions += more;
        last->saves += more * rng_range(&pw->rng, 5, 30) / 1000;
        last->pin_clicks += more * rng_range(&pw->rng, 5, 25) / 1000;
        last->engagements += more * rng_range(&pw->rng, 10, 50) / 1000;
        pw->last_ready = true;
    }
    restate_ads(pw);
    pw->followers_extra += rng_range(&pw->rng, 0, 9);
    pw->pins += rng_range(&pw->rng, 0, 3);
}

/* ---- /_world and /_truth -------------------------------------------------------------------- */

static void pin_account_json(void *pd, const struct world *w, struct jw *j)
{
    const struct pin_world *pw = pd;
    char rt[CRED_MAX + 8];
    (void)w;
    pin_refresh_token(pw, rt, sizeof rt);
    jw_obj(j);
    jw_kstr(j, "user", pw->username);
    jw_kstr(j, "ad_account", pw->ad_account);
    jw_kstr(j, "currency", pw->currency);
    jw_karr(j, "campaigns");
    for (int c = 0; c < pw->ncamps; c++)
        jw_str(j, pw->camps[c].id);
    jw_end(j);
    jw_kstr(j, "access_token", pw->cred.access);
    jw_kstr(j, "refresh_token", rt);
    jw_kstr(j, "client_id", pw->client_id);
    jw_kstr(j, "client_secret", pw->client_secret);
    jw_end(j);
}

static int64_t day_metric(const struct pin_day *d, int m)
{
    switch (m) {
    case 0:
        return d->impressions;
    case 1:
        return d->saves;
    case 2:
        return d->pin_clicks;
    case 3:
        return d->outbound_clicks;
    default:
        return d->engagements;
    }
}

static const char *const truth_names[] = {"impressions", "saves", "clicks", "link_clicks",
                                          "engagements"};
#define NTRUTH 5

/* Whether analytics still serve day d of the history. */
bool pin_day_served(const struct pin_world *pw, const struct world *w, int d)
{
    return pw->first_day + d >= w->today - PIN_DAYS_BACK;
}

static void metric_truth(const struct pin_world *pw, const struct world *w, struct jw *j)
{
    char day[16];
    jw_kobj(j, "metric_daily");
    for (int m = 0; m < NTRUTH; m++) {
        jw_kobj(j, truth_names[m]);
        for (int d = 0; d < pw->ndays; d++) {
            if (!pin_day_ready(pw, d) || !pin_day_served(pw, w, d))
                continue;
            fmt_date(pw->first_day + d, day, sizeof day);
            jw_kint(j, day, day_metric(&pw->days[d], m));
        }
        jw_end(j);
    }
    jw_end(j);
}

static void adday_truth(const struct pin_adday *a, const char *day, struct jw *j)
{
    jw_kobj(j, day);
    jw_kint(j, "spend_micros", a->spend_micros);
    jw_kint(j, "impressions", a->impressions);
    jw_kint(j, "clicks", a->clicks);
    jw_kint(j, "leads", a->leads);
    jw_kint(j, "conversions", a->conversions);
    jw_kint(j, "conversion_value_micros", a->conversion_value_micros);
    jw_end(j);
}

static void campaigns_truth(const struct pin_world *pw, const struct world *w, struct jw *j)
{
    char day[16];
    jw_kobj(j, "campaigns");
    for (int c = 0; c < pw->ncamps; c++) {
        jw_kobj(j, pw->camps[c].id);
        jw_kstr(j, "name", pw->camps[c].name);
        jw_kstr(j, "status", pw->camps[c].paused ? "PAUSED" : "ACTIVE");
        jw_kobj(j, "days");
        for (int d = 0; d < pw->ndays; d++) {
            if (!pin_adday(pw, c, d)->delivered || !pin_day_served(pw, w, d))
                continue;
            fmt_date(pw->first_day + d, day, sizeof day);
            adday_truth(pin_adday(pw, c, d), day, j);
        }
        jw_end(j);
        jw_end(j);
    }
    jw_end(j);
}

static void pin_truth_json(void *pd, const struct world *w, struct jw *j)
{
    const struct pin_world *pw = pd;
    jw_obj(j);
    jw_kobj(j, pw->username);
    metric_truth(pw, w, j);
    jw_kobj(j, "snapshots");
    jw_kint(j, "followers", pin_followers(pw));
    jw_kint(j, "following", pw->following);
    jw_kint(j, "posts", pw->pins);
    jw_end(j);
    jw_kstr(j, "ad_account", pw->ad_account);
    jw_kstr(j, "currency", pw->currency);
    campaigns_truth(pw, w, j);
    jw_end(j);
    jw_end(j);
}

static void pin_totals_json(void *pd, const struct world *w, struct jw *j)
{
    const struct pin_world *pw = pd;
    int64_t ad_days = 0, spend = 0, ready = 0;
    (void)w;
    for (int d = 0; d < pw->ndays; d++)
        ready += pin_day_ready(pw, d);
    for (int c = 0; c < pw->ncamps; c++) {
        for (int d = 0; d < pw->ndays; d++) {
            const struct pin_adday *a = pin_adday(pw, c, d);
            ad_days += a->delivered;
            spend += a->delivered ? a->spend_micros : 0;
        }
    }
    jw_obj(j);
    jw_kint(j, "metric_days", NTRUTH * ready);
    jw_kint(j, "snapshots", 3);
    jw_kint(j, "campaigns", pw->ncamps);
    jw_kint(j, "ad_days", ad_days);
    jw_kint(j, "spend_micros", spend);
    jw_end(j);
}

const struct sim_platform sim_platform_pinterest = {
    .name = "pinterest",
    .world_new = pin_world_new,
    .world_free = pin_world_free,
    .advance = pin_advance,
    .account_json = pin_account_json,
    .truth_json = pin_truth_json,
    .totals_json = pin_totals_json,
    .serve = sim_pinterest_serve,
    .fault = sim_pinterest_fault,
    .ad_campaign = pin_ad_campaign,
};
