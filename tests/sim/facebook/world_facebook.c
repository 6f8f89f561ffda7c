/*
 * world_facebook.c - generation, /_advance, /_world and /_truth of the simulated Meta
 * business (one Page, one ad account in USD on America/Los_Angeles, one lead form).
 *
 * Page insights: a value for every Pacific day of history; /_advance restates the last two
 * days (reference §2.2, tests/sim/README.md). Posts: about 120 over the days, reactions,
 * comments and shares grow (§2.2). Ads: three campaigns with delivery on most but not all
 * days, spend in micro-units printed as major-unit decimal strings with cents and sometimes
 * more decimals, lead and purchase actions on some days; /_advance restates spend, clicks and
 * leads of the last three days (attribution, §2.3, §8). Leads: about 40, some organic, names
 * with non-ASCII letters and an emoji, a few without e-mail (§2.4). The leads are the
 * people's (world_people.c): the person's name and e-mail address as typed, the Meta campaign
 * they clicked (none for an organic lead), at the time they answered.
 * Truth names: page_post_engagements -> engagements, page_daily_follows_unique ->
 * followers_gained, page_media_view -> views, page_total_media_view_unique -> reach; the day
 * is the Pacific day ending at end_time. Reactions -> likes. Ad days keyed by date_start.
 */
#include "world_facebook.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jw.h"
#include "world_people.h"
#include "xmalloc.h"

static const char *const messages[] = {
    "How we measure social ROI in 2026 — a short guide for B2B teams.",
    "Webinar recording: «Budgets that survive the CFO» is online now 🎥",
    "Three charts on pipeline per follower. Spoiler: it’s not the likes.",
    "Nouveautés : rapports de ROI par campagne et export CSV.",
    "Join us in München next week — Stand B12, Halle 4.",
    "Customer story: how Ødegaard & Co. cut cost per lead by 31%",
    "新しいダッシュボードを公開しました。",
    "Hiring: senior data engineer (remote, EU/US) 🚀",
    "Reminder: attribution windows change what \"yesterday\" means.",
    "Our Q4 benchmark report is out. Link in comments.",
};

static const char *const status_types[] = {"mobile_status_update", "added_photos", "shared_story",
                                           "added_video"};

struct fb_adday *fb_adday(struct fb_world *fb, int c, int d)
{
    return &fb->ads[c * fb->ndays + d];
}

int64_t fb_followers_at(const struct fb_world *fb, int d)
{
    int64_t n = fb->followers_base;
    for (int i = 0; i <= d && i < fb->ndays; i++)
        n += fb->days[i].follows - fb->days[i].unfollows;
    return n;
}

/* ---- generation ----------------------------------------------------------------------------- */

static void gen_ids(struct fb_world *fb)
{
    static const char *const names[FB_CAMPAIGNS] = {
        "Lead Gen – Webinar Q4", "Retargeting | Demo → Purchase", "Brand Awareness 🚀 2026"};
    static const char *const objectives[FB_CAMPAIGNS] = {"OUTCOME_LEADS", "OUTCOME_SALES",
                                                         "OUTCOME_AWARENESS"};
    char d[24];
    rng_digits(&fb->rng, fb->page_id, 15);
    rng_digits(&fb->rng, fb->ad_account, 15);
    rng_digits(&fb->rng, d, 13);
    snprintf(fb->form_id, sizeof fb->form_id, "10%s", d);
    rng_digits(&fb->rng, fb->business_id, 15);
    for (int c = 0; c < FB_CAMPAIGNS; c++) {
        struct fb_campaign *k = &fb->camps[c];
        rng_digits(&fb->rng, d, 13);
        snprintf(k->id, sizeof k->id, "2385%s", d);
        rng_digits(&fb->rng, d, 13);
        snprintf(k->adset_id, sizeof k->adset_id, "2385%s", d);
        for (int a = 0; a < 2; a++) {
            rng_digits(&fb->rng, d, 13);
            snprintf(k->ad_ids[a], sizeof k->ad_ids[a], "2385%s", d);
        }
        k->name = names[c];
        k->objective = objectives[c];
    }
    rng_digits(&fb->rng, fb->client_id, 15);
    rng_alnum(&fb->rng, fb->client_secret, "", 32);
    fb->page_name = "Acme Analytics";
    fb->account_name = "Acme Analytics – Ads (USD)";
    fb->form_name = "Webinar sign-up (EN/DE)";
}

static void gen_days(struct fb_world *fb)
{
    fb->followers_base = rng_range(&fb->rng, 2000, 9000);
    for (int d = 0; d < fb->ndays; d++) {
        struct fb_day *day = &fb->days[d];
        day->views = rng_range(&fb->rng, 400, 8000);
        day->reach = day->views * rng_range(&fb->rng, 40, 80) / 100;
        day->engagements = rng_range(&fb->rng, 15, 400);
        day->follows = rng_range(&fb->rng, 0, 15);
        day->unfollows = rng_range(&fb->rng, 0, 3);
    }
}

static struct fb_post *add_post(struct fb_world *fb, int64_t t)
{
    char d[24];
    fb->posts = xgrow(fb->posts, &fb->postcap, fb->nposts + 1, sizeof *fb->posts);
    struct fb_post *p = &fb->posts[fb->nposts++];
    memset(p, 0, sizeof *p);
    rng_digits(&fb->rng, d, 15);
    snprintf(p->id, sizeof p->id, "%s_122%s", fb->page_id, d);
    p->created = t;
    size_t m = (size_t)rng_range(&fb->rng, 0, sizeof messages / sizeof messages[0] - 1);
    p->message = rng_pct(&fb->rng, 12) ? NULL : xstrdup(messages[m]);
    p->status_type = status_types[rng_range(&fb->rng, 0, 3)];
    p->reactions = rng_range(&fb->rng, 0, 180);
    p->comments = p->reactions * rng_range(&fb->rng, 0, 20) / 100;
    p->shares = rng_pct(&fb->rng, 15) ? 0 : rng_range(&fb->rng, 1, 25);
    return p;
}

static int cmp_time(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

/* n random instants in [first_day, today) UTC, ascending. Caller frees. */
static int64_t *random_times(struct fb_world *fb, const struct world *w, size_t n)
{
    int64_t start = day_start_utc(world_first_day(w)), end = day_start_utc(w->today);
    int64_t *t = xcalloc(n, sizeof *t);
    for (size_t i = 0; i < n; i++)
        t[i] = rng_range(&fb->rng, start, end - 1);
    qsort(t, n, sizeof *t, cmp_time);
    return t;
}

static void gen_posts(struct fb_world *fb, const struct world *w)
{
    size_t n = (size_t)rng_range(&fb->rng, 115, 125);
    int64_t *t = random_times(fb, w, n);
    for (size_t i = 0; i < n; i++)
        add_post(fb, t[i]);
    free(t);
}

/* Spend: cents mostly, sometimes three or four decimals, now and then whole dollars. */
static int64_t gen_spend(struct rng *r, int c)
{
    static const int64_t base_cents[FB_CAMPAIGNS] = {4500, 2800, 1400};
    int64_t micros = base_cents[c] * rng_range(r, 50, 150) / 100 * 10000;
    int64_t kind = rng_range(r, 0, 99);
    if (kind < 7)
        micros += rng_range(r, 1, 99) * 100;
    else if (kind < 10)
        micros += rng_range(r, 1, 9) * 1000;
    else if (kind < 13)
        micros = micros / 1000000 * 1000000 + 1000000;
    return micros;
}

static void gen_adday(struct rng *r, int c, struct fb_adday *a)
{
    static const int64_t cpm_cents[FB_CAMPAIGNS] = {1500, 2200, 800};
    static const int64_t ctr_bp[FB_CAMPAIGNS] = {150, 250, 40}; /* 1 bp = 0.01 % */
    a->spend_micros = gen_spend(r, c);
    if (c == 2 && rng_pct(r, 20)) /* a trickle: a few impressions, no click, no action */
        a->spend_micros = rng_range(r, 5, 90) * 10000;
    a->impressions = a->spend_micros * 1000 / (cpm_cents[c] * rng_range(r, 70, 130) / 100) / 10000;
    if (a->impressions < 1)
        a->impressions = 1;
    a->clicks = a->impressions * (ctr_bp[c] * rng_range(r, 50, 150) / 100) / 10000;
    a->link_clicks = a->clicks * rng_range(r, 60, 90) / 100;
    a->reach = a->impressions * rng_range(r, 55, 90) / 100;
    if (c == 0)
        a->leads = rng_pct(r, 25) ? 0 : rng_range(r, 1, 4);
    else if (c == 1)
        a->leads = rng_pct(r, 10);
    if (c == 1)
        a->purchases = rng_pct(r, 35) ? 0 : rng_range(r, 1, 3);
    else if (c == 0)
        a->purchases = rng_pct(r, 5);
    for (int64_t i = 0; i < a->purchases; i++)
        a->purchase_value_micros += rng_range(r, 4900, 49900) * 10000;
}

static void gen_ads(struct fb_world *fb)
{
    static const unsigned delivery_pct[FB_CAMPAIGNS] = {90, 80, 85};
    for (int c = 0; c < FB_CAMPAIGNS; c++) {
        for (int d = 0; d < fb->ndays; d++) {
            struct fb_adday *a = fb_adday(fb, c, d);
            /* the awareness campaign was paused for the last two days */
            a->delivered = rng_pct(&fb->rng, delivery_pct[c]) && !(c == 2 && d >= fb->ndays - 2);
            if (a->delivered)
                gen_adday(&fb->rng, c, a);
        }
    }
}

/* The form answer of a person's lead: ad, platform and extra questions drawn here. */
static void add_lead(struct fb_world *fb, const struct pp_lead *pl, const struct pp_person *p)
{
    fb->leads = xgrow(fb->leads, &fb->leadcap, fb->nleads + 1, sizeof *fb->leads);
    struct fb_lead *l = &fb->leads[fb->nleads];
    char d[24];
    memset(l, 0, sizeof *l);
    rng_digits(&fb->rng, d, 15);
    snprintf(l->id, sizeof l->id, "1%s", d);
    l->created = pl->at;
    l->campaign = pl->camp == PP_NONE ? -1 : (int)pl->camp;
    l->ad = l->campaign < 0 ? -1 : (int)rng_range(&fb->rng, 0, 1);
    l->instagram = rng_pct(&fb->rng, 25);
    snprintf(l->name, sizeof l->name, "%s", p->name);
    bool email = !rng_pct(&fb->rng, 10); /* drawn for everyone: the draws stay in step */
    if (p->form_email != PP_EMAIL_DRAWN)
        email = p->form_email == PP_EMAIL_ALWAYS;
    if (email)
        snprintf(l->email, sizeof l->email, "%s", p->email);
    snprintf(l->phone, sizeof l->phone, "+1415555%04d", (int)rng_range(&fb->rng, 0, 9999));
    l->custom = rng_pct(&fb->rng, 30) ? 1 : rng_pct(&fb->rng, 15) ? 2 : 0;
    fb->nleads++;
}

/*
 * A paid answer counts as a lead of its campaign on its day of the ad account's time zone
 * (America/Los_Angeles), on top of the day's pixel leads; a day without delivery gets a small
 * row of its own (drawn from form_rng, so the drawn days stay what they were). An answer
 * outside the days of history has no row to count in.
 */
static void count_lead(struct fb_world *fb, const struct fb_lead *l)
{
    if (l->campaign < 0)
        return;
    int64_t d = (int64_t)pacific_day_of(l->created) - fb->first_day;
    if (d < 0 || d >= fb->ndays)
        return;
    struct fb_adday *a = fb_adday(fb, l->campaign, (int)d);
    if (!a->delivered) {
        gen_adday(&fb->form_rng, l->campaign, a);
        a->leads = a->purchases = a->purchase_value_micros = 0;
        a->delivered = true;
    }
    a->leads++;
    a->form_leads++;
    if (a->clicks < a->form_leads)
        a->clicks = a->form_leads;
    if (a->impressions < a->clicks)
        a->impressions = a->clicks;
}

int64_t fb_pixel_leads(const struct fb_world *fb, int c, int d)
{
    const struct fb_adday *a = &fb->ads[(size_t)c * (size_t)fb->ndays + (size_t)d];
    return a->delivered ? a->leads - a->form_leads : 0;
}

/* Takes the people's Meta leads that are not form answers yet (they only grow). */
static void sync_leads(struct fb_world *fb, const struct world *w)
{
    const struct people *pp = w->people;
    for (; fb->people_leads < pp->nleads; fb->people_leads++) {
        const struct pp_lead *pl = &pp->leads[fb->people_leads];
        if (pl->plat == pp->fb) {
            add_lead(fb, pl, &pp->persons[pl->person]);
            count_lead(fb, &fb->leads[fb->nleads - 1]);
        }
    }
}

static void fb_link(void *pd, const struct world *w)
{
    sync_leads(pd, w);
}

static const char *fb_ad_campaign(void *pd, size_t i)
{
    const struct fb_world *fb = pd;
    return i < FB_CAMPAIGNS ? fb->camps[i].id : NULL;
}

static void *fb_world_new(const struct world *w)
{
    struct fb_world *fb = xcalloc(1, sizeof *fb);
    rng_seed(&fb->rng, w->seed, "facebook");
    rng_seed(&fb->form_rng, w->seed, "facebook-forms");
    fb->first_day = world_first_day(w);
    fb->outage = -1;
    fb->ndays = w->ndays;
    fb->days = xcalloc((size_t)fb->ndays, sizeof *fb->days);
    fb->ads = xcalloc((size_t)fb->ndays * FB_CAMPAIGNS, sizeof *fb->ads);
    gen_ids(fb);
    cred_init(&fb->cred, w, "facebook", "EAA", 180);
    gen_days(fb);
    gen_posts(fb, w);
    gen_ads(fb);
    return fb; /* the leads come with the people: fb_link */
}

static void fb_world_free(void *pd)
{
    struct fb_world *fb = pd;
    if (!fb)
        return;
    for (size_t i = 0; i < fb->nposts; i++)
        free(fb->posts[i].message);
    free(fb->posts);
    free(fb->leads);
    free(fb->ads);
    free(fb->days);
    free(fb);
}

/* ---- /_advance ------------------------------------------------------------------------------ */

/* Page insights of the last two days are restated upwards. */
static void restate_days(struct fb_world *fb)
{
    for (int d = fb->ndays - 2; d < fb->ndays; d++) {
        if (d < 0)
            continue;
        struct fb_day *day = &fb->days[d];
        int64_t more_views = rng_range(&fb->rng, 20, 300);
        day->views += more_views;
        day->reach += rng_range(&fb->rng, 10, more_views);
        day->engagements += rng_range(&fb->rng, 1, 25);
        day->follows += rng_range(&fb->rng, 0, 2);
    }
}

/*
 * A tracking outage (POST /_outage): the day's page insights read 0 views, reach and
 * engagements until DELETE /_outage restates them (follows stay: the fan count is kept).
 */
static int fb_outage(void *pd, const struct world *w, int32_t day, bool on)
{
    (void)w;
    struct fb_world *fb = pd;
    if (fb->outage >= 0) {
        struct fb_day *d = &fb->days[fb->outage];
        d->views += fb->outage_kept.views; /* restatements since then stay on top */
        d->reach += fb->outage_kept.reach;
        d->engagements += fb->outage_kept.engagements;
        fb->outage = -1;
    }
    if (!on)
        return 0;
    int64_t d = (int64_t)day - fb->first_day;
    if (d < 0 || d >= fb->ndays)
        return -1;
    fb->outage = (int)d;
    fb->outage_kept = fb->days[d];
    fb->days[d].views = fb->days[d].reach = fb->days[d].engagements = 0;
    return 0;
}

/* Spend, clicks and leads of the last three delivery days change (attribution). */
static void restate_ads(struct fb_world *fb)
{
    for (int c = 0; c < FB_CAMPAIGNS; c++) {
        for (int d = fb->ndays - 3; d < fb->ndays; d++) {
            struct fb_adday *a = d >= 0 ? fb_adday(fb, c, d) : NULL;
            if (!a || !a->delivered)
                continue;
            a->spend_micros += a->spend_micros / 10000 * rng_range(&fb->rng, 0, 6) / 100 * 10000;
            int64_t more = rng_range(&fb->rng, 0, 3);
            if (a->clicks + more <= a->impressions)
                a->clicks += more;
            if (c == 0)
                a->leads += rng_pct(&fb->rng, 40);
        }
    }
}

static void grow_posts(struct fb_world *fb)
{
    for (size_t i = 0; i < fb->nposts; i++) {
        struct fb_post *p = &fb->posts[i];
        if (!rng_pct(&fb->rng, 40))
            continue;
        p->reactions += rng_range(&fb->rng, 0, 3);
        p->comments += rng_pct(&fb->rng, 30);
        p->shares += rng_pct(&fb->rng, 15);
    }
}

static void fb_advance(void *pd, const struct world *w)
{
    struct fb_world *fb = pd;
    restate_days(fb);
    restate_ads(fb);
    grow_posts(fb);
    /* New items early in the world's today, after every earlier one. */
    int64_t base = day_start_utc(w->today) + (int64_t)(w->generation - 1) * 600;
    add_post(fb, base + rng_range(&fb->rng, 300, 450));
    sync_leads(fb, w); /* people_advance has added one or two */
}

/* ---- /_world and /_truth -------------------------------------------------------------------- */

static void fb_account_json(void *pd, const struct world *w, struct jw *j)
{
    const struct fb_world *fb = pd;
    (void)w;
    jw_obj(j);
    jw_kstr(j, "page_id", fb->page_id);
    jw_kstr(j, "ad_account", fb->ad_account);
    jw_karr(j, "forms");
    jw_str(j, fb->form_id);
    jw_end(j);
    jw_karr(j, "campaigns");
    for (int c = 0; c < FB_CAMPAIGNS; c++)
        jw_str(j, fb->camps[c].id);
    jw_end(j);
    jw_kstr(j, "access_token", fb->cred.access);
    jw_kstr(j, "client_id", fb->client_id);
    jw_kstr(j, "client_secret", fb->client_secret);
    jw_kstr(j, "currency", "USD");
    jw_kstr(j, "timezone", "America/Los_Angeles");
    jw_end(j);
}

static void metric_truth(const struct fb_world *fb, struct jw *j, const char *name, size_t off)
{
    char day[16];
    jw_kobj(j, name);
    for (int d = 0; d < fb->ndays; d++) {
        fmt_date(fb->first_day + d, day, sizeof day);
        jw_kint(j, day, *(const int64_t *)((const char *)&fb->days[d] + off));
    }
    jw_end(j);
}

static void posts_truth(const struct fb_world *fb, struct jw *j)
{
    char ts[32];
    jw_kobj(j, "content");
    for (size_t i = 0; i < fb->nposts; i++) {
        const struct fb_post *p = &fb->posts[i];
        fmt_iso_z(p->created, ts, sizeof ts);
        jw_kobj(j, p->id);
        jw_kstr(j, "published_at", ts);
        jw_kobj(j, "metrics");
        jw_kint(j, "likes", p->reactions);
        jw_kint(j, "comments", p->comments);
        jw_kint(j, "shares", p->shares);
        jw_end(j);
        jw_end(j);
    }
    jw_end(j);
}

static void adday_truth(const struct fb_adday *a, struct jw *j, const char *day)
{
    jw_kobj(j, day);
    jw_kint(j, "spend_micros", a->spend_micros);
    jw_kint(j, "impressions", a->impressions);
    jw_kint(j, "clicks", a->clicks);
    jw_kint(j, "leads", a->leads);
    jw_kint(j, "conversions", a->purchases);
    jw_kint(j, "conversion_value_micros", a->purchase_value_micros);
    jw_end(j);
}

static void campaigns_truth(struct fb_world *fb, struct jw *j)
{
    char day[16];
    jw_kobj(j, "campaigns");
    for (int c = 0; c < FB_CAMPAIGNS; c++) {
        jw_kobj(j, fb->camps[c].id);
        jw_kstr(j, "name", fb->camps[c].name);
        jw_kobj(j, "days");
        for (int d = 0; d < fb->ndays; d++) {
            fmt_date(fb->first_day + d, day, sizeof day);
            if (fb_adday(fb, c, d)->delivered)
                adday_truth(fb_adday(fb, c, d), j, day);
        }
        jw_end(j);
        jw_end(j);
    }
    jw_end(j);
}

static void leads_truth(const struct fb_world *fb, struct jw *j)
{
    char ts[32];
    jw_kobj(j, "leads");
    for (size_t i = 0; i < fb->nleads; i++) {
        const struct fb_lead *l = &fb->leads[i];
        fmt_iso_z(l->created, ts, sizeof ts);
        jw_kobj(j, l->id);
        jw_kstr(j, "created_at", ts);
        jw_kstr(j, "form", fb->form_id);
        jw_kstr_or_null(j, "campaign", l->campaign >= 0 ? fb->camps[l->campaign].id : NULL);
        jw_kstr_or_null(j, "ad", l->campaign >= 0 ? fb->camps[l->campaign].ad_ids[l->ad] : NULL);
        jw_kbool(j, "has_email", l->email[0] != '\0');
        jw_end(j);
    }
    jw_end(j);
}

static void fb_truth_json(void *pd, const struct world *w, struct jw *j)
{
    struct fb_world *fb = pd;
    (void)w;
    jw_obj(j);
    jw_kobj(j, fb->page_id);
    jw_kobj(j, "metric_daily");
    metric_truth(fb, j, "engagements", offsetof(struct fb_day, engagements));
    metric_truth(fb, j, "followers_gained", offsetof(struct fb_day, follows));
    metric_truth(fb, j, "views", offsetof(struct fb_day, views));
    metric_truth(fb, j, "reach", offsetof(struct fb_day, reach));
    jw_end(j);
    posts_truth(fb, j);
    jw_kstr(j, "ad_account", fb->ad_account);
    jw_kstr(j, "currency", "USD");
    campaigns_truth(fb, j);
    leads_truth(fb, j);
    jw_end(j);
    jw_end(j);
}

static void fb_totals_json(void *pd, const struct world *w, struct jw *j)
{
    struct fb_world *fb = pd;
    int64_t ad_days = 0, spend = 0;
    (void)w;
    for (int c = 0; c < FB_CAMPAIGNS; c++) {
        for (int d = 0; d < fb->ndays; d++) {
            const struct fb_adday *a = fb_adday(fb, c, d);
            ad_days += a->delivered;
            spend += a->delivered ? a->spend_micros : 0;
        }
    }
    jw_obj(j);
    jw_kint(j, "posts", (int64_t)fb->nposts);
    jw_kint(j, "metric_days", 4 * (int64_t)fb->ndays);
    jw_kint(j, "ad_days", ad_days);
    jw_kint(j, "spend_micros", spend);
    jw_kint(j, "leads", (int64_t)fb->nleads);
    jw_end(j);
}

const struct sim_platform sim_platform_facebook = {
    .name = "facebook",
    .world_new = fb_world_new,
    .world_free = fb_world_free,
    .advance = fb_advance,
    .account_json = fb_account_json,
    .truth_json = fb_truth_json,
    .totals_json = fb_totals_json,
    .serve = sim_facebook_serve,
    .fault = sim_facebook_fault,
    .ad_campaign = fb_ad_campaign,
    .link = fb_link,
    .outage = fb_outage,
};
