/*
 * world_linkedin.c - generation, /_advance, /_world and /_truth of the simulated LinkedIn
 * business (one organization, one ad account in EUR, one Lead Gen Form).
 *
 * Organization statistics: follower gains (organic and paid) and share statistics for every
 * UTC day of history; /_advance restates the last day, which LinkedIn serves partial
 * (reference §4.6). Ads: five campaigns (lead generation, website visits, video, a lead
 * campaign paused for the last three days, an archived one that ran in the first half), with
 * delivery on most days; costs in the account currency are decimal strings, some padded
 * ("509.980"), some in exponent notation ("2.09449E+2"), and the paused campaign's first idle
 * day has an element with a late conversion and the recorded "-2E-18" cost (§4.3, §10.4,
 * §15 item 9). /_advance restates the last two days: cost and conversions arrive late.
 * Leads: the people's LinkedIn leads (world_people.c), each counted as a oneClickLead of its
 * campaign on its UTC day, and three test leads mixed in (§4.5).
 * Truth names (README "Streams and records", linkedin.*): followerGains organic + paid ->
 * followers_gained, impressionCount -> impressions, clickCount -> clicks, likeCount -> likes,
 * commentCount -> comments, shareCount -> shares per UTC day; firstDegreeSize -> followers;
 * ad days: costInLocalCurrency -> spend_micros (|x| < 1e-6 is 0), impressions, clicks,
 * oneClickLeads -> leads, externalWebsiteConversions -> conversions,
 * conversionValueInLocalCurrency -> conversion_value_micros; campaign metrics: likes,
 * comments, shares, follows -> followers_gained, videoViews -> views, landingPageClicks ->
 * link_clicks, for every day with an element.
 * Members (employee advocacy): two employees with tokens of their own, each with posts on about
 * a third of the days (shares and ugcPosts, newest first) and the daily totals of their posts;
 * their truth sits under the organization's "members", keyed by person id: metric_daily
 * IMPRESSION -> impressions, REACTION -> likes, COMMENT -> comments, RESHARE -> shares per UTC
 * day; content per post URN (published_at) with metrics impressions, reach (MEMBERS_REACHED),
 * likes, comments, shares (TOTAL). Member statistics are not restated by /_advance.
 */
#include "world_linkedin.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "jw.h"
#include "world_people.h"
#include "xmalloc.h"

static const struct {
    const char *name, *status, *objective, *cost_type;
    int64_t budget_eur, cpm_cents, ctr_bp;
    unsigned delivery_pct;
} plans[LI_CAMPAIGNS] = {
    {"Lead Gen – Q4 Webinar (EU)", "ACTIVE", "LEAD_GENERATION", "CPM", 150, 3200, 90, 90},
    {"Website Visits | Pricing page", "ACTIVE", "WEBSITE_VISIT", "CPC", 100, 2600, 60, 85},
    {"Brand Video – „Budgets that survive the CFO“", "ACTIVE", "VIDEO_VIEW", "CPM", 60, 1400, 25,
     80},
    {"Lead Gen – Partner launch", "PAUSED", "LEAD_GENERATION", "CPM", 120, 3500, 80, 85},
    {"Retargeting – Demo (2026 H2)", "ARCHIVED", "WEBSITE_CONVERSION", "CPC", 80, 3000, 70, 90},
};

struct li_adday *li_adday(struct li_world *li, int c, int d)
{
    return &li->ads[c * li->ndays + d];
}

int64_t li_followers_at(const struct li_world *li, int d)
{
    int64_t n = li->followers_base;
    for (int i = 0; i <= d && i < li->ndays; i++)
        n += li->days[i].organic_gain + li->days[i].paid_gain;
    return n;
}

int64_t li_now(const struct world *w)
{
    int64_t t = (int64_t)time(NULL), start = day_start_utc(w->today);
    return t < start ? start : t >= start + 86400 ? start + 86399 : t;
}

/* ---- cost strings --------------------------------------------------------------------------- */

/* BigDecimal-style scientific notation of a positive amount: "2.09449E+2", "5E-1". */
static void exp_text(int64_t micros, char *buf, size_t len)
{
    char plain[40], digits[40];
    size_t nd = 0, intlen = 0, lead = 0;
    bool in_int = true, seen = false;
    fmt_decimal_micros(micros, plain, sizeof plain);
    for (const char *p = plain; *p; p++) {
        if (*p == '.') {
            in_int = false;
            continue;
        }
        intlen += in_int;
        if (!seen && *p == '0') {
            lead++;
            continue;
        }
        seen = true;
        digits[nd++] = *p;
    }
    while (nd > 1 && digits[nd - 1] == '0')
        nd--;
    digits[nd] = '\0';
    long e = (long)intlen - 1 - (long)lead;
    snprintf(buf, len, "%c%s%sE%c%ld", digits[0], nd > 1 ? "." : "", digits + 1, e >= 0 ? '+' : '-',
             e >= 0 ? e : -e);
}

void li_cost_text(const struct li_adday *a, char *buf, size_t len)
{
    char plain[40];
    fmt_decimal_micros(a->cost_micros, plain, sizeof plain);
    if (a->style == LI_COST_TINY) {
        snprintf(buf, len, "-2E-18");
    } else if (a->style == LI_COST_EXP && a->cost_micros >= 10000000) {
        exp_text(a->cost_micros, buf, len);
    } else if (a->style == LI_COST_PADDED && a->cost_micros % 1000 == 0) {
        /* three decimals, the way the value was recorded ("509.980") */
        snprintf(buf, len, "%lld.%03lld", (long long)(a->cost_micros / 1000000),
                 (long long)(a->cost_micros % 1000000 / 1000));
    } else {
        snprintf(buf, len, "%s", plain);
    }
}

/* ---- generation ----------------------------------------------------------------------------- */

static void gen_ids(struct li_world *li, const struct world *w)
{
    char d[16];
    rng_digits(&li->rng, li->org, 8);
    rng_digits(&li->rng, d, 8);
    snprintf(li->account, sizeof li->account, "5%s", d);
    rng_digits(&li->rng, li->form, 7);
    for (int c = 0; c < LI_CAMPAIGNS; c++) {
        struct li_campaign *k = &li->camps[c];
        rng_digits(&li->rng, d, 8);
        snprintf(k->id, sizeof k->id, "6%s", d);
        rng_digits(&li->rng, d, 8);
        snprintf(k->group, sizeof k->group, "6%s", d);
        rng_digits(&li->rng, d, 8);
        snprintf(k->creative, sizeof k->creative, "2%s", d);
        k->name = plans[c].name;
        k->status = plans[c].status;
        k->objective = plans[c].objective;
        k->cost_type = plans[c].cost_type;
        k->daily_budget_micros = plans[c].budget_eur * 1000000;
        k->unit_cost_micros = plans[c].cpm_cents * 10000 / 2;
        k->created_ms =
            (day_start_utc(world_first_day(w)) - rng_range(&li->rng, 2, 40) * 86400) * 1000 +
            rng_range(&li->rng, 0, 86399999);
        k->run_start_ms = k->created_ms + rng_range(&li->rng, 3600000, 86400000);
        k->modified_ms = day_start_utc(w->today - 1) * 1000 - rng_range(&li->rng, 0, 864000000);
    }
    rng_alnum(&li->rng, li->client_id, "", 14);
    rng_alnum(&li->rng, li->client_secret, "", 16);
    li->org_name = "Acme Analytics";
    li->account_name = "Acme Analytics – EMEA (EUR)";
    li->form_name = "Q4 webinar sign-up";
    li->currency = "EUR";
}

static void gen_days(struct li_world *li)
{
    li->followers_base = rng_range(&li->rng, 3000, 20000);
    for (int d = 0; d < li->ndays; d++) {
        struct li_orgday *o = &li->days[d];
        o->organic_gain = rng_range(&li->rng, 0, 25);
        o->paid_gain = rng_pct(&li->rng, 60) ? rng_range(&li->rng, 0, 6) : 0;
        o->impressions = rng_range(&li->rng, 300, 5000);
        o->unique_impressions = o->impressions * rng_range(&li->rng, 60, 85) / 100;
        o->clicks = o->impressions * rng_range(&li->rng, 5, 40) / 1000;
        o->likes = o->impressions * rng_range(&li->rng, 5, 25) / 1000;
        o->comments = o->likes * rng_range(&li->rng, 0, 20) / 100;
        o->shares = o->likes * rng_range(&li->rng, 0, 15) / 100;
    }
}

static void gen_adday(struct rng *r, int c, struct li_adday *a)
{
    int64_t s = rng_range(r, 0, 99);
    a->present = true;
    a->style = s < 60   ? LI_COST_PLAIN
               : s < 75 ? LI_COST_PADDED
               : s < 90 ? LI_COST_EXP
                        : LI_COST_WHOLE;
    a->cost_micros = plans[c].budget_eur * rng_range(r, 40, 110) * 10000;
    if (a->style == LI_COST_WHOLE)
        a->cost_micros = a->cost_micros / 1000000 * 1000000;
    else if (rng_pct(r, 50)) /* LinkedIn often has three decimals */
        a->cost_micros += rng_range(r, 1, 9) * 1000;
    a->impressions = a->cost_micros / (plans[c].cpm_cents * rng_range(r, 80, 120) / 100) / 10;
    a->reach = a->impressions * rng_range(r, 50, 80) / 100;
    a->clicks = a->impressions * (plans[c].ctr_bp * rng_range(r, 60, 140) / 100) / 10000;
    a->landing_clicks = a->clicks * rng_range(r, 50, 90) / 100;
    a->likes = a->impressions * rng_range(r, 0, 8) / 1000;
    a->comments = a->likes * rng_range(r, 0, 25) / 100;
    a->shares = a->likes * rng_range(r, 0, 15) / 100;
    a->follows = rng_range(r, 0, 3);
    if (c == 2) {
        a->video_starts = a->impressions * rng_range(r, 20, 40) / 100;
        a->video_views = a->video_starts * rng_range(r, 40, 80) / 100;
        a->video_completions = a->video_views * rng_range(r, 20, 50) / 100;
    }
    if (c == 1 || c == 4) {
        a->conversions = rng_pct(r, 40) ? rng_range(r, 1, 3) : 0;
        for (int64_t i = 0; i < a->conversions; i++)
            a->conversion_value_micros += rng_range(r, 40, 900) * 1000000;
    }
}

/* The paused campaign stopped three days ago, the archived one half way. */
static bool idle(const struct li_world *li, int c, int d)
{
    return (c == 3 && d >= li->ndays - 3) || (c == 4 && d >= li->ndays / 2);
}

static void gen_ads(struct li_world *li)
{
    for (int c = 0; c < LI_CAMPAIGNS; c++) {
        for (int d = 0; d < li->ndays; d++) {
            bool on = rng_pct(&li->rng, plans[c].delivery_pct);
            if (on && !idle(li, c, d))
                gen_adday(&li->rng, c, li_adday(li, c, d));
        }
    }
    if (li->ndays >= 3) { /* a conversion counted after the pause, at no cost */
        struct li_adday *a = li_adday(li, 3, li->ndays - 3);
        a->present = true;
        a->style = LI_COST_TINY;
        a->conversions = 1;
    }
}

/* ---- members -------------------------------------------------------------------------------- */

static const char *const member_names[LI_MEMBERS] = {"Dana Whitfield", "Tomás Ibarra"};
static const char *const post_texts[] = {
    "Three things our customers taught us about attribution this quarter.",
    "We are hiring analysts in Dublin – come work with me!",
    "Proud of the team: the Q4 webinar had 400 sign-ups. Recording inside.",
    "How we cut reporting time from days to minutes (a thread of lessons).",
    "",
};

static void gen_member(struct li_member *m, struct rng *r, const struct world *w, int i,
                       int32_t first_day, int ndays)
{
    char tag[24], d[24];
    rng_alnum(r, m->person, "", 10);
    m->name = member_names[i];
    snprintf(tag, sizeof tag, "li-member%d", i); /* a cred tag holds 15 characters */
    cred_init(&m->cred, w, tag, "AQW", 180);
    m->days = xcalloc((size_t)ndays, sizeof *m->days);
    m->posts = xcalloc((size_t)ndays, sizeof *m->posts);
    for (int k = ndays - 1; k >= 0; k--) { /* newest first */
        struct li_memday *md = &m->days[k];
        md->impressions = rng_range(r, 0, 900);
        md->reactions = md->impressions * rng_range(r, 0, 30) / 1000;
        md->comments = md->reactions * rng_range(r, 0, 30) / 100;
        md->reshares = md->reactions * rng_range(r, 0, 20) / 100;
        if (!rng_pct(r, 33))
            continue;
        struct li_post *p = &m->posts[m->nposts++];
        rng_digits(r, d, 19);
        snprintf(p->urn, sizeof p->urn, "urn:li:%s:%s", rng_pct(r, 50) ? "share" : "ugcPost", d);
        p->published_ms =
            (day_start_utc(first_day + k) + rng_range(r, 6 * 3600, 20 * 3600)) * 1000 +
            rng_range(r, 0, 999);
        snprintf(p->text, sizeof p->text, "%s",
                 post_texts[rng_range(r, 0, sizeof post_texts / sizeof post_texts[0] - 1)]);
        p->impressions = rng_range(r, 50, 6000);
        p->reached = p->impressions * rng_range(r, 55, 90) / 100;
        p->reactions = p->impressions * rng_range(r, 5, 40) / 1000;
        p->comments = p->reactions * rng_range(r, 0, 40) / 100;
        p->reshares = p->reactions * rng_range(r, 0, 25) / 100;
    }
}

/* Its own stream, so the organization's data stays what it was without members. */
static void gen_members(struct li_world *li, const struct world *w)
{
    struct rng r;
    rng_seed(&r, w->seed, "linkedin-members");
    for (int i = 0; i < LI_MEMBERS; i++)
        gen_member(&li->members[i], &r, w, i, li->first_day, li->ndays);
}

struct li_member *li_member_by_token(struct li_world *li, const char *token, enum cred_state *state)
{
    for (int i = 0; token && i < LI_MEMBERS; i++) {
        enum cred_state s = cred_check(&li->members[i].cred, token);
        if (s != CRED_UNKNOWN) {
            *state = s;
            return &li->members[i];
        }
    }
    *state = CRED_UNKNOWN;
    return NULL;
}

static void *li_world_new(const struct world *w)
{
    struct li_world *li = xcalloc(1, sizeof *li);
    rng_seed(&li->rng, w->seed, "linkedin");
    li->first_day = world_first_day(w);
    li->ndays = w->ndays;
    li->days = xcalloc((size_t)li->ndays, sizeof *li->days);
    li->ads = xcalloc((size_t)li->ndays * LI_CAMPAIGNS, sizeof *li->ads);
    gen_ids(li, w);
    cred_init(&li->cred, w, "linkedin", "AQV", 180);
    /* authorized 15 days ago: 60-day access token, 365-day refresh token (reference §4.1) */
    li->token_expires = day_start_utc(w->today) - 15 * 86400 + 5184000 + 37215;
    li->refresh_expires = li->token_expires - 5184000 + 31536000;
    li->page_key = rng_next(&li->rng);
    gen_days(li);
    gen_ads(li);
    gen_members(li, w);
    return li;
}

static void li_world_free(void *pd)
{
    struct li_world *li = pd;
    if (!li)
        return;
    for (int i = 0; i < LI_MEMBERS; i++) {
        free(li->members[i].posts);
        free(li->members[i].days);
    }
    free(li->leads);
    free(li->ads);
    free(li->days);
    free(li);
}

/* ---- leads ---------------------------------------------------------------------------------- */

static struct li_lead *new_lead(struct li_world *li, int64_t at_ms, int campaign)
{
    static const char hex[] = "0123456789abcdef";
    li->leads = xgrow(li->leads, &li->leadcap, li->nleads + 1, sizeof *li->leads);
    struct li_lead *l = &li->leads[li->nleads++];
    memset(l, 0, sizeof *l);
    char *o = l->id;
    for (int i = 0; i < 32; i++) { /* a UUID and the form version */
        if (i == 8 || i == 12 || i == 16 || i == 20)
            *o++ = '-';
        *o++ = hex[rng_next(&li->rng) % 16];
    }
    snprintf(o, sizeof l->id - (size_t)(o - l->id), "-%d", (int)rng_range(&li->rng, 1, 9));
    l->at_ms = at_ms;
    l->campaign = campaign;
    l->size_option = (int)rng_range(&li->rng, 1, 5);
    return l;
}

/* A person's answer counts as a oneClickLead of its campaign on its UTC day. */
static void count_lead(struct li_world *li, const struct li_lead *l)
{
    int d = (int)((l->at_ms / 1000 - day_start_utc(li->first_day)) / 86400);
    if (d < 0 || d >= li->ndays)
        return;
    struct li_adday *a = li_adday(li, l->campaign, d);
    if (!a->present && idle(li, l->campaign, d)) { /* attributed to a day without delivery */
        a->present = true;
        a->style = LI_COST_TINY;
    } else if (!a->present) {
        gen_adday(&li->rng, l->campaign, a);
    }
    a->leads++;
    a->form_opens += 1 + rng_range(&li->rng, 0, 3);
    if (a->clicks < a->leads)
        a->clicks = a->leads;
}

static void sync_leads(struct li_world *li, const struct world *w)
{
    const struct people *pp = w->people;
    for (; li->people_leads < pp->nleads; li->people_leads++) {
        const struct pp_lead *pl = &pp->leads[li->people_leads];
        if (pl->plat != pp->li)
            continue;
        const struct pp_person *p = &pp->persons[pl->person];
        struct li_lead *l =
            new_lead(li, pl->at * 1000 + rng_range(&li->rng, 0, 999), (int)pl->camp);
        snprintf(l->first, sizeof l->first, "%s", p->first);
        snprintf(l->last, sizeof l->last, "%s", p->last);
        snprintf(l->email, sizeof l->email, "%s", p->email);
        l->company = p->company;
        count_lead(li, l);
    }
}

static int cmp_lead(const void *a, const void *b)
{
    const struct li_lead *x = a, *y = b;
    return (x->at_ms > y->at_ms) - (x->at_ms < y->at_ms);
}

/* Test leads from the form's preview, mixed in by time (reference §4.5). */
static void test_leads(struct li_world *li, const struct world *w)
{
    int64_t start = day_start_utc(world_first_day(w)), end = day_start_utc(w->today);
    for (int i = 0; i < 3; i++) {
        struct li_lead *l = new_lead(li, rng_range(&li->rng, start, end - 1) * 1000, 0);
        l->test = true;
        snprintf(l->first, sizeof l->first, "Test");
        snprintf(l->last, sizeof l->last, "Lead %d", i + 1);
        snprintf(l->email, sizeof l->email, "test.lead%d@linkedin.example", i + 1);
        l->company = "LinkedIn Test Company";
    }
    qsort(li->leads, li->nleads, sizeof *li->leads, cmp_lead);
}

static void li_link(void *pd, const struct world *w)
{
    struct li_world *li = pd;
    sync_leads(li, w);
    test_leads(li, w);
}

static const char *li_ad_campaign(void *pd, size_t i)
{
    const struct li_world *li = pd;
    return i < LI_CAMPAIGNS ? li->camps[i].id : NULL;
}

/* ---- /_advance ------------------------------------------------------------------------------ */

/* The last two days: cost and conversions arrive late; the last org day completes. */
static void restate(struct li_world *li)
{
    for (int c = 0; c < LI_CAMPAIGNS; c++) {
        for (int d = li->ndays - 2; d < li->ndays; d++) {
            struct li_adday *a = d >= 0 ? li_adday(li, c, d) : NULL;
            if (!a || !a->present || a->style == LI_COST_TINY)
                continue;
            int64_t more = a->cost_micros / 100 * rng_range(&li->rng, 0, 5) / 10000 * 10000;
            a->cost_micros += a->style == LI_COST_WHOLE ? more / 1000000 * 1000000 : more;
            a->impressions += rng_range(&li->rng, 0, 40);
            if (rng_pct(&li->rng, 30)) {
                a->conversions++;
                a->conversion_value_micros += rng_range(&li->rng, 40, 400) * 1000000;
            }
        }
    }
    if (li->ndays > 0) {
        struct li_orgday *o = &li->days[li->ndays - 1];
        o->organic_gain += rng_range(&li->rng, 0, 3);
        o->impressions += rng_range(&li->rng, 10, 200);
        o->likes += rng_range(&li->rng, 0, 4);
    }
}

static void li_advance(void *pd, const struct world *w)
{
    struct li_world *li = pd;
    restate(li);
    sync_leads(li, w);
}

/* ---- /_world and /_truth -------------------------------------------------------------------- */

static void li_account_json(void *pd, const struct world *w, struct jw *j)
{
    const struct li_world *li = pd;
    (void)w;
    jw_obj(j);
    jw_kstr(j, "organization", li->org);
    jw_kstr(j, "ad_account", li->account);
    jw_kstr(j, "currency", li->currency);
    jw_karr(j, "forms");
    jw_str(j, li->form);
    jw_end(j);
    jw_karr(j, "campaigns");
    for (int c = 0; c < LI_CAMPAIGNS; c++)
        jw_str(j, li->camps[c].id);
    jw_end(j);
    jw_kstr(j, "access_token", li->cred.access);
    jw_kstr(j, "refresh_token", li->cred.refresh);
    jw_kstr(j, "client_id", li->client_id);
    jw_kstr(j, "client_secret", li->client_secret);
    jw_kint(j, "token_expires_at", li->token_expires);
    jw_karr(j, "members"); /* employees' own tokens, the same application */
    for (int i = 0; i < LI_MEMBERS; i++) {
        const struct li_member *m = &li->members[i];
        jw_obj(j);
        jw_kstr(j, "person", m->person);
        jw_kstr(j, "name", m->name);
        jw_kstr(j, "access_token", m->cred.access);
        jw_kstr(j, "refresh_token", m->cred.refresh);
        jw_kint(j, "token_expires_at", li->token_expires);
        jw_end(j);
    }
    jw_end(j);
    jw_end(j);
}

static void org_truth(const struct li_world *li, struct jw *j)
{
    static const char *const names[] = {"followers_gained", "impressions", "clicks", "likes",
                                        "comments",         "shares"};
    char day[16];
    jw_kobj(j, "metric_daily");
    for (size_t m = 0; m < sizeof names / sizeof names[0]; m++) {
        jw_kobj(j, names[m]);
        for (int d = 0; d < li->ndays; d++) {
            const struct li_orgday *o = &li->days[d];
            const int64_t v[] = {o->organic_gain + o->paid_gain,
                                 o->impressions,
                                 o->clicks,
                                 o->likes,
                                 o->comments,
                                 o->shares};
            fmt_date(li->first_day + d, day, sizeof day);
            jw_kint(j, day, v[m]);
        }
        jw_end(j);
    }
    jw_end(j);
    jw_kobj(j, "snapshots");
    jw_kint(j, "followers", li_followers_at(li, li->ndays - 1));
    jw_end(j);
}

static void adday_truth(const struct li_adday *a, struct jw *j, const char *day)
{
    jw_kobj(j, day);
    jw_kint(j, "spend_micros", a->style == LI_COST_TINY ? 0 : a->cost_micros);
    jw_kint(j, "impressions", a->impressions);
    jw_kint(j, "clicks", a->clicks);
    jw_kint(j, "leads", a->leads);
    jw_kint(j, "conversions", a->conversions);
    jw_kint(j, "conversion_value_micros", a->conversion_value_micros);
    jw_end(j);
}

static void campaign_metrics_truth(struct li_world *li, int c, struct jw *j)
{
    static const char *const names[] = {"likes", "comments",   "shares", "followers_gained",
                                        "views", "link_clicks"};
    char day[16];
    jw_kobj(j, "metric_daily");
    for (size_t m = 0; m < sizeof names / sizeof names[0]; m++) {
        jw_kobj(j, names[m]);
        for (int d = 0; d < li->ndays; d++) {
            const struct li_adday *a = li_adday(li, c, d);
            const int64_t v[] = {a->likes,   a->comments,    a->shares,
                                 a->follows, a->video_views, a->landing_clicks};
            fmt_date(li->first_day + d, day, sizeof day);
            if (a->present)
                jw_kint(j, day, v[m]);
        }
        jw_end(j);
    }
    jw_end(j);
}

static void campaigns_truth(struct li_world *li, struct jw *j)
{
    char day[16];
    jw_kobj(j, "campaigns");
    for (int c = 0; c < LI_CAMPAIGNS; c++) {
        jw_kobj(j, li->camps[c].id);
        jw_kstr(j, "name", li->camps[c].name);
        jw_kstr(j, "status", li->camps[c].status);
        jw_kobj(j, "days");
        for (int d = 0; d < li->ndays; d++) {
            fmt_date(li->first_day + d, day, sizeof day);
            if (li_adday(li, c, d)->present)
                adday_truth(li_adday(li, c, d), j, day);
        }
        jw_end(j);
        campaign_metrics_truth(li, c, j);
        jw_end(j);
    }
    jw_end(j);
}

/* 2026-11-03T10:00:00.123Z: LinkedIn times are milliseconds. */
static void fmt_ms(int64_t ms, char *buf, size_t len)
{
    char s[32];
    fmt_iso_z(ms / 1000, s, sizeof s);
    s[strlen(s) - 1] = '\0';
    snprintf(buf, len, "%s.%03dZ", s, (int)(ms % 1000));
}

static void leads_truth(const struct li_world *li, struct jw *j)
{
    char ts[40];
    jw_kobj(j, "leads");
    for (size_t i = 0; i < li->nleads; i++) {
        const struct li_lead *l = &li->leads[i];
        if (l->test)
            continue;
        fmt_ms(l->at_ms, ts, sizeof ts);
        jw_kobj(j, l->id);
        jw_kstr(j, "created_at", ts);
        jw_kstr(j, "form", li->form);
        jw_kstr(j, "campaign", li->camps[l->campaign].id);
        jw_kbool(j, "has_email", l->email[0] != '\0');
        jw_end(j);
    }
    jw_end(j);
}

/* 2026-11-03T10:00:00.123Z: LinkedIn times are milliseconds. */
static void fmt_ms(int64_t ms, char *buf, size_t len);

static void members_truth(const struct li_world *li, struct jw *j)
{
    static const char *const names[] = {"impressions", "likes", "comments", "shares"};
    char day[16], ts[40];
    jw_kobj(j, "members");
    for (int i = 0; i < LI_MEMBERS; i++) {
        const struct li_member *m = &li->members[i];
        jw_kobj(j, m->person);
        jw_kobj(j, "metric_daily");
        for (size_t k = 0; k < sizeof names / sizeof names[0]; k++) {
            jw_kobj(j, names[k]);
            for (int d = 0; d < li->ndays; d++) {
                const struct li_memday *md = &m->days[d];
                const int64_t v[] = {md->impressions, md->reactions, md->comments, md->reshares};
                fmt_date(li->first_day + d, day, sizeof day);
                jw_kint(j, day, v[k]);
            }
            jw_end(j);
        }
        jw_end(j);
        jw_kobj(j, "content");
        for (size_t p = 0; p < m->nposts; p++) {
            const struct li_post *po = &m->posts[p];
            fmt_ms(po->published_ms, ts, sizeof ts);
            jw_kobj(j, po->urn);
            jw_kstr(j, "published_at", ts);
            jw_kobj(j, "metrics");
            jw_kint(j, "impressions", po->impressions);
            jw_kint(j, "reach", po->reached);
            jw_kint(j, "likes", po->reactions);
            jw_kint(j, "comments", po->comments);
            jw_kint(j, "shares", po->reshares);
            jw_end(j);
            jw_end(j);
        }
        jw_end(j);
        jw_end(j);
    }
    jw_end(j);
}

static void li_truth_json(void *pd, const struct world *w, struct jw *j)
{
    struct li_world *li = pd;
    (void)w;
    jw_obj(j);
    jw_kobj(j, li->org);
    org_truth(li, j);
    jw_kstr(j, "ad_account", li->account);
    jw_kstr(j, "currency", li->currency);
    campaigns_truth(li, j);
    leads_truth(li, j);
    members_truth(li, j);
    jw_end(j);
    jw_end(j);
}

static void li_totals_json(void *pd, const struct world *w, struct jw *j)
{
    struct li_world *li = pd;
    int64_t ad_days = 0, spend = 0, leads = 0;
    (void)w;
    for (int c = 0; c < LI_CAMPAIGNS; c++) {
        for (int d = 0; d < li->ndays; d++) {
            const struct li_adday *a = li_adday(li, c, d);
            ad_days += a->present;
            spend += a->present && a->style != LI_COST_TINY ? a->cost_micros : 0;
        }
    }
    for (size_t i = 0; i < li->nleads; i++)
        leads += !li->leads[i].test;
    jw_obj(j);
    /* every metric_daily row: the organization's and the campaigns' */
    jw_kint(j, "metric_days", 6 * (int64_t)li->ndays + 6 * ad_days);
    jw_kint(j, "org_metric_days", 6 * (int64_t)li->ndays);
    jw_kint(j, "snapshots", 1);
    jw_kint(j, "campaigns", LI_CAMPAIGNS);
    jw_kint(j, "ad_days", ad_days);
    jw_kint(j, "campaign_metric_days", 6 * ad_days);
    jw_kint(j, "spend_micros", spend);
    jw_kint(j, "leads", leads);
    jw_kint(j, "test_leads", (int64_t)li->nleads - leads);
    jw_end(j);
}

const struct sim_platform sim_platform_linkedin = {
    .name = "linkedin",
    .world_new = li_world_new,
    .world_free = li_world_free,
    .advance = li_advance,
    .account_json = li_account_json,
    .truth_json = li_truth_json,
    .totals_json = li_totals_json,
    .serve = sim_linkedin_serve,
    .fault = sim_linkedin_fault,
    .ad_campaign = li_ad_campaign,
    .link = li_link,
};
