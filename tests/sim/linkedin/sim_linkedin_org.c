/*
 * sim_linkedin_org.c - LinkedIn organization statistics, follower count and lead form
 * responses, as the Marketing API serves them (reference §4.5, §4.6; LinkedIn docs
 * "Organization Follower Statistics", "Organization Share Statistics", "Organization Lookup
 * API" (networkSizes) and "Lead Sync API" (leadFormResponses)).
 *
 *   GET /rest/organizationalEntityFollowerStatistics?q=organizationalEntity
 *       &organizationalEntity=urn%3Ali%3Aorganization%3A{id}
 *       [&timeIntervals=(timeRange:(start:MS,end:MS),timeGranularityType:DAY)]
 *       With timeIntervals: one element per UTC day whose midnight lies in [start, end), with
 *       followerGains{organicFollowerGain,paidFollowerGain}; without: lifetime counts by
 *       facet (followerCountsBy...), never both.
 *   GET /rest/organizationalEntityShareStatistics (same parameters): totalShareStatistics
 *       {impressionCount,uniqueImpressionsCount,clickCount,likeCount,commentCount,shareCount,
 *       engagement}; engagement is a double ratio, the rest ints; without timeIntervals one
 *       lifetime element.
 *   GET /rest/networkSizes/urn%3Ali%3Aorganization%3A{id}?edgeType=COMPANY_FOLLOWED_BY_MEMBER
 *       -> {"firstDegreeSize":N}
 *   GET /rest/leadFormResponses?q=owner&owner=(sponsoredAccount:urn%3Ali%3AsponsoredAccount%3A
 *       {id})&leadType=(leadType:SPONSORED)&limitedToTestLeads=false
 *       &submittedAtTimeRange=(start:MS,end:MS)&start=0&count=10
 *       Newest first, offset paging with paging.total; test leads are mixed in unless
 *       limitedToTestLeads=true asks for them alone; submittedAt is epoch ms.
 * Elements carry their entity as a URN; timeRange bounds are epoch ms.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim_linkedin.h"
#include "xmalloc.h"

#define DAY_MS 86400000LL

/* ---- the organization ----------------------------------------------------------------------- */

/* q=organizationalEntity for our organization; false (answered) otherwise. */
static bool org_finder(struct li_ctx *c, const char *resource)
{
    char q[64], urn[96], id[LI_ID], msg[200];
    if (!li_param(c, "q", q, sizeof q) || strcmp(q, "organizationalEntity") != 0) {
        li_bad(c, "Invalid query: %s supports the finder q=organizationalEntity", resource);
        return false;
    }
    if (!li_param(c, "organizationalEntity", urn, sizeof urn) ||
        !li_urn_id(urn, "organization", id, sizeof id)) {
        li_bad(c, "Parameter 'organizationalEntity' is required: urn:li:organization:{id}");
        return false;
    }
    if (strcmp(id, c->li->org) != 0) {
        snprintf(msg, sizeof msg,
                 "Not enough permissions to access: %s.FINDER-organizationalEntity", resource);
        li_error(c, 403, 100, "ACCESS_DENIED", msg);
        return false;
    }
    return true;
}

struct interval {
    bool present;
    int64_t start, end; /* ms */
};

/* timeIntervals=(timeRange:(start:MS[,end:MS]),timeGranularityType:DAY); false (answered). */
static bool time_intervals(struct li_ctx *c, struct interval *iv)
{
    bool absent;
    struct rl *v = li_restli(c, "timeIntervals", RL_RECORD, &absent);
    iv->present = !absent;
    iv->start = 0;
    iv->end = (li_now(c->w) + 1) * 1000;
    if (absent || !v)
        return absent;
    const struct rl *range = rl_member(v, "timeRange"), *g = rl_member(v, "timeGranularityType");
    bool ok = rl_int(rl_member(range, "start"), &iv->start) &&
              (!rl_member(range, "end") || rl_int(rl_member(range, "end"), &iv->end));
    bool day = !g || (g->kind == RL_PRIM && strcmp(g->text, "DAY") == 0);
    rl_free(v);
    if (!ok)
        li_bad(c, "Invalid value for param [timeIntervals]: expected "
                  "(timeRange:(start:<epoch ms>,end:<epoch ms>),timeGranularityType:DAY)");
    else if (!day)
        li_bad(c, "timeIntervals.timeGranularityType: the simulator serves DAY");
    return ok && day;
}

static void time_range(struct jw *j, int64_t start_ms)
{
    jw_kobj(j, "timeRange");
    jw_kint(j, "start", start_ms);
    jw_kint(j, "end", start_ms + DAY_MS);
    jw_end(j);
}

/* The day indexes whose UTC midnight lies in the interval. */
static bool day_in(const struct li_world *li, int d, const struct interval *iv)
{
    int64_t ms = day_start_utc(li->first_day + d) * 1000;
    return ms >= iv->start && ms < iv->end;
}

static void facet(struct jw *j, const char *key, const char *value, int64_t organic, int64_t paid)
{
    jw_obj(j);
    jw_kobj(j, "followerCounts");
    jw_kint(j, "organicFollowerCount", organic);
    jw_kint(j, "paidFollowerCount", paid);
    jw_end(j);
    jw_kstr(j, key, value);
    jw_end(j);
}

/* Lifetime follower counts by facet (demographics roll organic and paid into organic). */
static void lifetime_followers(struct li_ctx *c, struct jw *j)
{
    static const char *const seniority[] = {"urn:li:seniority:3", "urn:li:seniority:4",
                                            "urn:li:seniority:5", "urn:li:seniority:6"};
    static const char *const countries[] = {"urn:li:geo:101282230", "urn:li:geo:103644278",
                                            "urn:li:geo:105015875"};
    int64_t total = li_followers_at(c->li, c->li->ndays - 1);
    jw_karr(j, "followerCountsByAssociationType");
    facet(j, "associationType", "EMPLOYEE", total / 40, 0);
    jw_end(j);
    jw_karr(j, "followerCountsBySeniority");
    for (int i = 0; i < 4; i++)
        facet(j, "seniority", seniority[i], total * (4 - i) / 12, 0);
    jw_end(j);
    jw_karr(j, "followerCountsByGeoCountry");
    for (int i = 0; i < 3; i++)
        facet(j, "geo", countries[i], total * (3 - i) / 7, 0);
    jw_end(j);
    jw_karr(j, "followerCountsByStaffCountRange");
    facet(j, "staffCountRange", "SIZE_11_TO_50", total / 3, 0);
    facet(j, "staffCountRange", "SIZE_201_TO_500", total / 4, 0);
    jw_end(j);
}

void li_org_followers(struct li_ctx *c)
{
    struct interval iv;
    struct jw j;
    if (!org_finder(c, "organizationalEntityFollowerStatistics") || !time_intervals(c, &iv))
        return;
    li_begin(c, &j);
    jw_obj(&j);
    li_paging(&j, 0, 10, -1);
    jw_karr(&j, "elements");
    for (int d = 0; iv.present && d < c->li->ndays; d++) {
        if (!day_in(c->li, d, &iv))
            continue;
        jw_obj(&j);
        time_range(&j, day_start_utc(c->li->first_day + d) * 1000);
        jw_kobj(&j, "followerGains");
        jw_kint(&j, "organicFollowerGain", c->li->days[d].organic_gain);
        jw_kint(&j, "paidFollowerGain", c->li->days[d].paid_gain);
        jw_end(&j);
        jw_kstrf(&j, "organizationalEntity", "urn:li:organization:%s", c->li->org);
        jw_end(&j);
    }
    if (!iv.present) {
        jw_obj(&j);
        lifetime_followers(c, &j);
        jw_kstrf(&j, "organizationalEntity", "urn:li:organization:%s", c->li->org);
        jw_end(&j);
    }
    jw_end(&j);
    jw_end(&j);
}

static void share_stats(struct jw *j, const struct li_orgday *o)
{
    char ratio[40];
    int64_t engaged = o->clicks + o->likes + o->comments + o->shares;
    snprintf(ratio, sizeof ratio, "%.17g",
             o->impressions ? (double)engaged / (double)o->impressions : 0.0);
    jw_kobj(j, "totalShareStatistics");
    jw_kint(j, "uniqueImpressionsCount", o->unique_impressions);
    jw_kint(j, "shareCount", o->shares);
    jw_key(j, "engagement");
    jw_raw(j, strchr(ratio, '.') || strchr(ratio, 'e') ? ratio : "0.0");
    jw_kint(j, "clickCount", o->clicks);
    jw_kint(j, "likeCount", o->likes);
    jw_kint(j, "impressionCount", o->impressions);
    jw_kint(j, "commentCount", o->comments);
    jw_end(j);
}

void li_org_shares(struct li_ctx *c)
{
    struct interval iv;
    struct jw j;
    size_t n;
    if (!org_finder(c, "organizationalEntityShareStatistics") || !time_intervals(c, &iv))
        return;
    bool posts = li_raw(c, "shares", &n) || li_raw(c, "ugcPosts", &n); /* none of ours */
    li_begin(c, &j);
    jw_obj(&j);
    li_paging(&j, 0, 10, -1);
    jw_karr(&j, "elements");
    struct li_orgday all = {0};
    for (int d = 0; !posts && d < c->li->ndays; d++) {
        const struct li_orgday *o = &c->li->days[d];
        if (!iv.present) {
            all.impressions += o->impressions;
            all.unique_impressions += o->unique_impressions;
            all.clicks += o->clicks;
            all.likes += o->likes;
            all.comments += o->comments;
            all.shares += o->shares;
        } else if (day_in(c->li, d, &iv)) {
            jw_obj(&j);
            share_stats(&j, o);
            jw_kstrf(&j, "organizationalEntity", "urn:li:organization:%s", c->li->org);
            time_range(&j, day_start_utc(c->li->first_day + d) * 1000);
            jw_end(&j);
        }
    }
    if (!iv.present && !posts) {
        jw_obj(&j);
        share_stats(&j, &all);
        jw_kstrf(&j, "organizationalEntity", "urn:li:organization:%s", c->li->org);
        jw_end(&j);
    }
    jw_end(&j);
    jw_end(&j);
}

void li_network_size(struct li_ctx *c)
{
    char id[LI_ID], edge[64];
    struct jw j;
    if (!li_urn_id(c->rest + 1, "organization", id, sizeof id) || strcmp(id, c->li->org) != 0) {
        li_error(c, 404, 0, "NOT_FOUND", "Organization not found");
        return;
    }
    if (!li_param(c, "edgeType", edge, sizeof edge) ||
        (strcmp(edge, "COMPANY_FOLLOWED_BY_MEMBER") != 0 &&
         strcmp(edge, "CompanyFollowedByMember") != 0)) {
        li_bad(c, "Parameter 'edgeType' is required: COMPANY_FOLLOWED_BY_MEMBER");
        return;
    }
    li_begin(c, &j);
    jw_obj(&j);
    jw_kint(&j, "firstDegreeSize", li_followers_at(c->li, c->li->ndays - 1));
    jw_end(&j);
}

/* ---- lead form responses -------------------------------------------------------------------- */

struct lead_query {
    bool ours, sponsored, tests_only;
    int64_t from, to; /* submittedAt in [from, to) */
    int64_t start, count;
};

/* owner=(sponsoredAccount:urn) of our account (or an organization: no sponsored leads). */
static bool lead_owner(struct li_ctx *c, struct lead_query *q)
{
    bool absent;
    char id[LI_ID];
    struct rl *o = li_restli(c, "owner", RL_RECORD, &absent);
    if (absent)
        li_bad(c, "Parameter 'owner' is required: (sponsoredAccount:urn%%3Ali%%3AsponsoredAccount"
                  "%%3A{id}) or (organization:urn%%3Ali%%3Aorganization%%3A{id})");
    if (!o)
        return false;
    const struct rl *acc = rl_member(o, "sponsoredAccount"), *org = rl_member(o, "organization");
    bool ok =
        (acc && acc->kind == RL_PRIM && li_urn_id(acc->text, "sponsoredAccount", id, sizeof id)) ||
        (org && org->kind == RL_PRIM && li_urn_id(org->text, "organization", id, sizeof id));
    q->ours = acc && ok && strcmp(id, c->li->account) == 0;
    rl_free(o);
    if (!ok)
        li_bad(c, "Invalid value for param [owner]: expected (sponsoredAccount:<urn>) or "
                  "(organization:<urn>)");
    else if (acc && !q->ours)
        li_error(c, 403, 100, "ACCESS_DENIED",
                 "Not enough permissions to access: leadFormResponses.FINDER-owner");
    return ok && (!acc || q->ours);
}

static bool lead_type(struct li_ctx *c, struct lead_query *q)
{
    bool absent;
    struct rl *t = li_restli(c, "leadType", RL_RECORD, &absent);
    const struct rl *v = rl_member(t, "leadType");
    bool ok = v && v->kind == RL_PRIM;
    q->sponsored = ok && strcmp(v->text, "SPONSORED") == 0;
    if (absent || (t && !ok))
        li_bad(c, "Parameter 'leadType' is required: (leadType:SPONSORED|COMPANY|EVENT|"
                  "ORGANIZATION_PRODUCT)");
    rl_free(t);
    return ok;
}

static bool lead_range(struct li_ctx *c, struct lead_query *q)
{
    bool absent;
    struct rl *r = li_restli(c, "submittedAtTimeRange", RL_RECORD, &absent);
    q->from = 0;
    q->to = INT64_MAX;
    if (absent || !r)
        return absent;
    bool ok = (!rl_member(r, "start") || rl_int(rl_member(r, "start"), &q->from)) &&
              (!rl_member(r, "end") || rl_int(rl_member(r, "end"), &q->to));
    rl_free(r);
    if (!ok)
        li_bad(c, "Invalid value for param [submittedAtTimeRange]: expected "
                  "(start:<epoch ms>,end:<epoch ms>)");
    return ok;
}

static bool lead_query(struct li_ctx *c, struct lead_query *q)
{
    char v[32];
    memset(q, 0, sizeof *q);
    if (!li_param(c, "q", v, sizeof v) || strcmp(v, "owner") != 0) {
        li_bad(c, "Invalid query: leadFormResponses supports the finder q=owner");
        return false;
    }
    if (!lead_owner(c, q) || !lead_type(c, q) || !lead_range(c, q))
        return false;
    q->tests_only = li_param(c, "limitedToTestLeads", v, sizeof v) && strcmp(v, "true") == 0;
    if ((q->start = li_int_param(c, "start", 0, 1000000)) < 0 ||
        (q->count = li_int_param(c, "count", 10, 500)) < 0)
        return false;
    return true;
}

static void answer(struct jw *j, int64_t question, const char *text)
{
    jw_obj(j);
    jw_kobj(j, "answerDetails");
    jw_kobj(j, "textQuestionAnswer");
    jw_kstr(j, "answer", text);
    jw_end(j);
    jw_end(j);
    jw_kint(j, "questionId", question);
    jw_end(j);
}

static void form_response(struct jw *j, const struct li_lead *l)
{
    jw_kobj(j, "formResponse");
    jw_karr(j, "answers");
    answer(j, 1001, l->first);
    answer(j, 1002, l->last);
    answer(j, 1003, l->email);
    answer(j, 1004, l->company);
    jw_obj(j);
    jw_kobj(j, "answerDetails");
    jw_kobj(j, "multipleChoiceAnswer");
    jw_karr(j, "options");
    jw_int(j, l->size_option);
    jw_end(j);
    jw_end(j);
    jw_end(j);
    jw_kint(j, "questionId", 1005);
    jw_end(j);
    jw_end(j);
    jw_karr(j, "consentResponses");
    jw_obj(j);
    jw_kbool(j, "accepted", true);
    jw_kint(j, "consentId", 5001);
    jw_end(j);
    jw_end(j);
    jw_end(j);
}

static void lead_element(struct li_ctx *c, struct jw *j, const struct li_lead *l)
{
    const struct li_campaign *k = &c->li->camps[l->campaign];
    jw_obj(j);
    jw_kobj(j, "owner");
    jw_kstrf(j, "sponsoredAccount", "urn:li:sponsoredAccount:%s", c->li->account);
    jw_end(j);
    jw_kobj(j, "leadMetadata");
    jw_kobj(j, "sponsoredLeadMetadata");
    jw_kstrf(j, "campaign", "urn:li:sponsoredCampaign:%s", k->id);
    jw_end(j);
    jw_end(j);
    jw_kobj(j, "associatedEntity");
    jw_kstrf(j, "associatedCreative", "urn:li:sponsoredCreative:%s", k->creative);
    jw_end(j);
    jw_kstr(j, "leadType", "SPONSORED");
    jw_kstrf(j, "versionedLeadGenFormUrn", "urn:li:versionedLeadGenForm:(urn:li:leadGenForm:%s,3)",
             c->li->form);
    jw_kstr(j, "id", l->id);
    jw_kint(j, "submittedAt", l->at_ms);
    jw_kbool(j, "testLead", l->test);
    form_response(j, l);
    jw_end(j);
}

void li_lead_responses(struct li_ctx *c)
{
    struct lead_query q;
    struct jw j;
    if (!lead_query(c, &q))
        return;
    size_t *all = xcalloc(c->li->nleads + 1, sizeof *all), total = 0;
    for (size_t i = c->li->nleads; q.ours && q.sponsored && i-- > 0;) {
        const struct li_lead *l = &c->li->leads[i];
        if (l->at_ms >= q.from && l->at_ms < q.to && (!q.tests_only || l->test))
            all[total++] = i;
    }
    li_begin(c, &j);
    jw_obj(&j);
    li_paging(&j, q.start, q.count, (int64_t)total);
    jw_karr(&j, "elements");
    for (size_t i = (size_t)q.start; i < total && i < (size_t)(q.start + q.count); i++)
        lead_element(c, &j, &c->li->leads[all[i]]);
    jw_end(&j);
    jw_end(&j);
    free(all);
}
