/*
 * world_bridge.c - the expected ROI bridge of the simulated world (see world_bridge.h; the
 * rules are tests/sim/README.md, "ROI bridge truth").
 *
 * Records: every Meta form answer and every LinkedIn form response (test leads left out), each
 * with the channel of its platform, whether an ad brought it (a campaign) and the month its
 * platform counts it in (Meta: the ad account's Pacific day; LinkedIn: the UTC day), and every
 * HubSpot contact (its creation and its sources). Records with one e-mail address (trimmed,
 * lower-cased) are one person, a record without one is a person of its own. A person's touches
 * are their form answers (on the form's channel) and their contacts' sources (the first at the
 * creation, on the network of a paid first click, else on no channel; the latest at its time).
 */
#include "world_bridge.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sim.h"
#include "timeutil.h"
#include "world_facebook.h"
#include "world_hubspot.h"
#include "world_linkedin.h"
#include "world_people.h"
#include "world_pinterest.h"
#include "xmalloc.h"

#define BR_WINDOW_MS (7 * 86400 * 1000LL) /* the platforms' default click window */

enum br_kind { BR_FORM, BR_CRM };

struct br_record {
    char key[160]; /* the person: e-mail trimmed and lower-cased, "" for none */
    enum br_kind kind;
    int64_t ms;
    const char *channel; /* a form's platform; a contact's first-source network or NULL */
    bool paid;           /* a form answer an ad brought */
    int32_t month;       /* a form's month on its platform's day */
    const char *latest_channel;
    int64_t latest_ms; /* a contact's latest source, 0 when none */
    int64_t click_ms;  /* a contact's first click (hs_analytics_first_timestamp), 0 when none */
    size_t person;
};

enum br_col {
    C_PLATFORM,
    C_CRM,
    C_NOT_IN_CRM,
    C_REPEATED,
    C_ELSEWHERE,
    C_DAY_BASIS,
    C_TIMING,
    C_NOT_COUNTED,
    C_ORGANIC,
    C_OUTSIDE,
    C_PIXEL,
    C_BY_CLICK,
    C_NCOLS
};

static const char *const col_names[C_NCOLS] = {
    "platform_leads",
    "crm_leads",
    "form_lead_not_in_crm",
    "repeated_form_submission",
    "credited_to_another_channel",
    "day_basis",
    "crm_timing",
    "crm_lead_platform_did_not_count",
    "organic_form_lead",
    "outside_attribution_window",
    "pixel_leads",
    "outside_window_by_first_click",
};

struct br_row {
    int32_t month;
    const char *channel;
    int64_t v[C_NCOLS];
};

struct br_calc {
    struct br_record *rec;
    size_t nrec, reccap;
    struct br_row *rows;
    size_t nrows, rowcap;
};

static int32_t month_of_day(int32_t day)
{
    int y;
    unsigned m, d;
    time_civil_from_days(day, &y, &m, &d);
    return time_days_from_civil(y, m, 1);
}

static int32_t utc_month(int64_t ms)
{
    int64_t s = ms >= 0 ? ms / 1000 : (ms - 999) / 1000;
    return month_of_day((int32_t)(s >= 0 ? s / 86400 : (s - 86399) / 86400));
}

static void add(struct br_calc *c, int32_t month, const char *channel, enum br_col col, int64_t n)
{
    for (size_t i = 0; i < c->nrows; i++) {
        if (c->rows[i].month == month && strcmp(c->rows[i].channel, channel) == 0) {
            c->rows[i].v[col] += n;
            return;
        }
    }
    c->rows = xgrow(c->rows, &c->rowcap, c->nrows + 1, sizeof *c->rows);
    struct br_row *r = &c->rows[c->nrows++];
    memset(r, 0, sizeof *r);
    r->month = month;
    r->channel = channel;
    r->v[col] = n;
}

static struct br_record *new_record(struct br_calc *c, const char *email, enum br_kind kind,
                                    int64_t ms)
{
    c->rec = xgrow(c->rec, &c->reccap, c->nrec + 1, sizeof *c->rec);
    struct br_record *r = &c->rec[c->nrec++];
    memset(r, 0, sizeof *r);
    const char *s = email ? email : "";
    size_t n = strlen(s), o = 0;
    while (n > 0 && isspace((unsigned char)s[n - 1]))
        n--;
    while (n > 0 && isspace((unsigned char)*s)) {
        s++;
        n--;
    }
    for (; o < n && o + 1 < sizeof r->key; o++)
        r->key[o] = (char)tolower((unsigned char)s[o]);
    r->kind = kind;
    r->ms = ms;
    return r;
}

static const void *pdata(const struct world *w, const char *name)
{
    size_t i;
    return sim_platform_find(name, &i) ? w->pdata[i] : NULL;
}

/* ---- the platforms' counts and the records -------------------------------------------------- */

static void meta(struct br_calc *c, const struct world *w)
{
    const struct fb_world *fb = pdata(w, "facebook");
    if (!fb)
        return;
    for (int k = 0; k < FB_CAMPAIGNS; k++) {
        for (int d = 0; d < fb->ndays; d++) {
            const struct fb_adday *a = &fb->ads[(size_t)k * (size_t)fb->ndays + (size_t)d];
            if (!a->delivered || a->leads == 0)
                continue;
            add(c, month_of_day(fb->first_day + d), "facebook", C_PLATFORM, a->leads);
            add(c, month_of_day(fb->first_day + d), "facebook", C_PIXEL, fb_pixel_leads(fb, k, d));
        }
    }
    for (size_t i = 0; i < fb->nleads; i++) {
        const struct fb_lead *l = &fb->leads[i];
        struct br_record *r = new_record(c, l->email, BR_FORM, l->created * 1000);
        r->channel = "facebook";
        r->paid = l->campaign >= 0;
        r->month = month_of_day(pacific_day_of(l->created));
    }
}

static void linkedin(struct br_calc *c, const struct world *w)
{
    const struct li_world *li = pdata(w, "linkedin");
    if (!li)
        return;
    for (int k = 0; k < LI_CAMPAIGNS; k++) {
        for (int d = 0; d < li->ndays; d++) {
            const struct li_adday *a = li_adday((struct li_world *)li, k, d);
            if (a->present && a->leads != 0)
                add(c, month_of_day(li->first_day + d), "linkedin", C_PLATFORM, a->leads);
        }
    }
    for (size_t i = 0; i < li->nleads; i++) {
        const struct li_lead *l = &li->leads[i];
        if (l->test)
            continue;
        struct br_record *r = new_record(c, l->email, BR_FORM, l->at_ms);
        r->channel = "linkedin";
        r->paid = true; /* every response is a lead generation campaign's */
        r->month = utc_month(l->at_ms);
    }
}

/* Pinterest has no forms here: every lead its ad rows report is its pixel's. */
static void pinterest(struct br_calc *c, const struct world *w)
{
    const struct pin_world *pw = pdata(w, "pinterest");
    if (!pw)
        return;
    for (int k = 0; k < pw->ncamps; k++) {
        for (int d = 0; d < pw->ndays; d++) {
            const struct pin_adday *a = pin_adday(pw, k, d);
            if (!a->delivered || a->leads == 0 || !pin_day_served(pw, w, d))
                continue;
            add(c, month_of_day(pw->first_day + d), "pinterest", C_PLATFORM, a->leads);
            add(c, month_of_day(pw->first_day + d), "pinterest", C_PIXEL, a->leads);
        }
    }
}

static void hubspot(struct br_calc *c, const struct world *w)
{
    const struct hs_world *hs = pdata(w, "hubspot");
    struct hs_facts f;
    for (size_t i = 0; hs && i < hs->ncontacts; i++) {
        hs_contact_facts(hs, w, i, &f);
        struct br_record *r = new_record(c, f.email[0] ? f.email : NULL, BR_CRM, f.created_ms);
        r->channel = f.first_click ? pp_plat_name(f.first_click->plat) : NULL;
        r->click_ms = f.first_click ? hs_ms(f.id, f.first_click->at) : 0;
        if (f.latest_click) {
            r->latest_channel = pp_plat_name(f.latest_click->plat);
            r->latest_ms = f.latest_click->at * 1000;
        }
    }
}

/* ---- persons and causes --------------------------------------------------------------------- */

static int cmp_key(const void *a, const void *b)
{
    const struct br_record *x = a, *y = b;
    int k = strcmp(x->key, y->key);
    return k ? k : (x->ms > y->ms) - (x->ms < y->ms);
}

static bool same_channel(const char *a, const char *b)
{
    return a && b && strcmp(a, b) == 0;
}

/* A channel of the bridge: a platform with an account (not the CRM). */
static bool bridge_channel(const char *ch)
{
    size_t i;
    return ch && strcmp(ch, "hubspot") != 0 && sim_platform_find(ch, &i);
}

/* One person: records [lo, hi) in time order. */
static void person(struct br_calc *c, const struct br_record *p, size_t n)
{
    const struct br_record *crm = NULL;
    for (size_t i = 0; i < n; i++)
        if (p[i].kind == BR_CRM && (!crm || p[i].ms < crm->ms))
            crm = &p[i];
    /* the last touch up to the first CRM record: its channel and time */
    const char *channel = NULL;
    int64_t touched = INT64_MIN;
    for (size_t i = 0; crm && i < n; i++) {
        const struct br_record *r = &p[i];
        if (r->ms <= crm->ms && r->ms >= touched) {
            touched = r->ms;
            channel = r->channel;
        }
        if (r->kind == BR_CRM && r->latest_ms && r->latest_ms <= crm->ms &&
            r->latest_ms >= touched) {
            touched = r->latest_ms;
            channel = r->latest_channel;
        }
    }
    int32_t crm_month = crm ? utc_month(crm->ms) : 0;
    /* the platform's side: each ad form answer */
    for (size_t i = 0; i < n; i++) {
        const struct br_record *f = &p[i];
        if (f->kind != BR_FORM || !f->paid)
            continue;
        const struct br_record *first = NULL;
        for (size_t k = 0; k < n && !first; k++)
            if (p[k].kind == BR_FORM && p[k].paid && same_channel(p[k].channel, f->channel))
                first = &p[k];
        enum br_col col;
        if (!crm)
            col = C_NOT_IN_CRM;
        else if (first != f)
            col = C_REPEATED;
        else if (!same_channel(channel, f->channel))
            col = C_ELSEWHERE;
        else if (crm_month == f->month)
            continue;
        else if (crm_month == utc_month(f->ms))
            col = C_DAY_BASIS;
        else
            col = C_TIMING;
        add(c, f->month, f->channel, col, 1);
    }
    /* the CRM's side: the person, on the channel of their last touch */
    if (!crm || !bridge_channel(channel))
        return;
    add(c, crm_month, channel, C_CRM, 1);
    const struct br_record *first = NULL;
    bool organic = false;
    for (size_t k = 0; k < n; k++) {
        if (p[k].kind != BR_FORM || !same_channel(p[k].channel, channel))
            continue;
        if (p[k].paid && !first)
            first = &p[k];
        organic = organic || !p[k].paid;
    }
    enum br_col col;
    if (first && first->month == crm_month)
        return;
    else if (first && utc_month(first->ms) == crm_month)
        col = C_DAY_BASIS;
    else if (first)
        col = C_TIMING;
    else if (organic)
        col = C_ORGANIC;
    else if (crm->ms - touched > BR_WINDOW_MS)
        col = C_OUTSIDE;
    else
        col = C_NOT_COUNTED;
    add(c, crm_month, channel, col, -1);
    /* not a column of the view: the same test on the first click's own time */
    if ((col == C_NOT_COUNTED || col == C_OUTSIDE) && crm->click_ms &&
        same_channel(crm->channel, channel) && crm->ms - crm->click_ms > BR_WINDOW_MS)
        add(c, crm_month, channel, C_BY_CLICK, -1);
}

static void persons(struct br_calc *c)
{
    qsort(c->rec, c->nrec, sizeof *c->rec, cmp_key);
    for (size_t i = 0; i < c->nrec;) {
        size_t k = i + 1;
        while (c->rec[i].key[0] && k < c->nrec && strcmp(c->rec[k].key, c->rec[i].key) == 0)
            k++;
        person(c, &c->rec[i], k - i);
        i = k;
    }
}

static int cmp_row(const void *a, const void *b)
{
    const struct br_row *x = a, *y = b;
    if (x->month != y->month)
        return (x->month > y->month) - (x->month < y->month);
    return strcmp(x->channel, y->channel);
}

void bridge_truth_json(const struct world *w, struct jw *j)
{
    struct br_calc c = {0};
    char day[16];
    meta(&c, w);
    linkedin(&c, w);
    pinterest(&c, w);
    hubspot(&c, w);
    persons(&c);
    qsort(c.rows, c.nrows, sizeof *c.rows, cmp_row);
    jw_arr(j);
    for (size_t i = 0; i < c.nrows; i++) {
        const struct br_row *r = &c.rows[i];
        int64_t rest = r->v[C_PLATFORM] - r->v[C_CRM];
        fmt_date(r->month, day, sizeof day);
        jw_obj(j);
        jw_kstr(j, "month", day);
        jw_kstr(j, "channel", r->channel);
        for (int k = 0; k < C_NCOLS; k++) {
            jw_kint(j, col_names[k], r->v[k]);
            if (k == C_CRM)
                jw_kint(j, "difference", rest);
            if (k >= C_NOT_IN_CRM && k <= C_OUTSIDE)
                rest -= r->v[k];
        }
        jw_kint(j, "unexplained", rest);
        jw_end(j);
    }
    jw_end(j);
    free(c.rows);
    free(c.rec);
}
