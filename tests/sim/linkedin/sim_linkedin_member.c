/*
 * sim_linkedin_member.c - a member's own posts and their statistics, asked with the member's
 * own token (employee advocacy).
 *
 * From LinkedIn's documentation (learn.microsoft.com/linkedin/marketing/community-management/):
 *   GET /rest/posts?author={urn:li:person:ID, encoded}&q=author[&sortBy=LAST_MODIFIED|CREATED]
 *       [&start=S][&count=N] ("Posts API", find posts by author): a collection,
 *       {"paging":{"start","count","links":[],"total"},"elements":[{"id","author","commentary",
 *       "visibility","lifecycleState","createdAt","publishedAt","lastModifiedAt",
 *       "distribution",...}]}, newest first; count defaults to 10, at most 100.
 *   GET /rest/memberCreatorPostAnalytics ("Member Post Statistics", permission
 *       r_member_postAnalytics): q=entity&entity=(share:URN) or (ugc:URN) for one post, q=me
 *       for all the member's posts; queryType IMPRESSION, MEMBERS_REACHED, RESHARE, REACTION or
 *       COMMENT; aggregation TOTAL or DAILY; dateRange=(start:(day,month,year),end:(...)) with
 *       the end not counted. Elements {"count":N,"metricType":{"com.linkedin.adsexternalapi.
 *       memberanalytics.v1.CreatorPostAnalyticsMetricTypeV1":"IMPRESSION"}}, with a
 *       "dateRange" of civil dates per day for DAILY.
 * What the simulator does not serve, with a 400 that says so: DAILY for one post, and
 * MEMBERS_REACHED by day (a count of distinct members). A post or author that is not the
 * token's member is a 403 ACCESS_DENIED; an organization token on these resources too.
 */
#include "sim_linkedin.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jw.h"
#include "timeutil.h"
#include "xmalloc.h"

#define METRIC_TYPE_KEY                                                                            \
    "com.linkedin.adsexternalapi.memberanalytics.v1.CreatorPostAnalyticsMetricTypeV1"

enum mq { MQ_IMPRESSION, MQ_MEMBERS_REACHED, MQ_RESHARE, MQ_REACTION, MQ_COMMENT, MQ_COUNT };
static const char *const mq_names[MQ_COUNT] = {"IMPRESSION", "MEMBERS_REACHED", "RESHARE",
                                               "REACTION", "COMMENT"};

static void denied(struct li_ctx *c, const char *what)
{
    char msg[160];
    snprintf(msg, sizeof msg, "Not enough permissions to access: %s", what);
    li_error(c, 403, 100, "ACCESS_DENIED", msg);
}

static void post_element(struct jw *j, const struct li_member *m, const struct li_post *p)
{
    char author[48];
    snprintf(author, sizeof author, "urn:li:person:%s", m->person);
    jw_obj(j);
    jw_kstr(j, "id", p->urn);
    jw_kstr(j, "author", author);
    jw_kstr(j, "commentary", p->text);
    jw_kstr(j, "visibility", "PUBLIC");
    jw_kstr(j, "lifecycleState", "PUBLISHED");
    jw_kint(j, "createdAt", p->published_ms - 10000);
    jw_kint(j, "publishedAt", p->published_ms);
    jw_kint(j, "lastModifiedAt", p->published_ms);
    jw_kbool(j, "isReshareDisabledByAuthor", false);
    jw_kobj(j, "distribution");
    jw_kstr(j, "feedDistribution", "MAIN_FEED");
    jw_karr(j, "targetEntities");
    jw_end(j);
    jw_karr(j, "thirdPartyDistributionChannels");
    jw_end(j);
    jw_end(j);
    jw_end(j);
}

void li_member_posts(struct li_ctx *c)
{
    struct li_member *m = c->member;
    char v[96], want[48];
    struct jw j;
    if (!m) {
        denied(c, "posts.FINDER-author");
        return;
    }
    if (!li_param(c, "q", v, sizeof v) || strcmp(v, "author") != 0) {
        li_bad(c, "Invalid query: posts supports the finder q=author");
        return;
    }
    if (!li_param(c, "author", v, sizeof v)) {
        li_bad(c, "Parameter 'author' is required");
        return;
    }
    snprintf(want, sizeof want, "urn:li:person:%s", m->person);
    if (strcmp(v, want) != 0) {
        denied(c, "posts.FINDER-author");
        return;
    }
    if (li_param(c, "sortBy", v, sizeof v) && strcmp(v, "LAST_MODIFIED") != 0 &&
        strcmp(v, "CREATED") != 0) {
        li_bad(c, "Invalid value '%s' for parameter 'sortBy': LAST_MODIFIED or CREATED", v);
        return;
    }
    int64_t start = li_int_param(c, "start", 0, 1000000), count;
    if (start < 0 || (count = li_int_param(c, "count", 10, 100)) < 0)
        return;
    li_begin(c, &j);
    jw_obj(&j);
    li_paging(&j, start, count, (int64_t)m->nposts);
    jw_karr(&j, "elements");
    for (size_t i = (size_t)start; i < m->nposts && i < (size_t)(start + count); i++)
        post_element(&j, m, &m->posts[i]);
    jw_end(&j);
    jw_end(&j);
}

static int64_t post_count(const struct li_post *p, enum mq q)
{
    switch (q) {
    case MQ_IMPRESSION:
        return p->impressions;
    case MQ_MEMBERS_REACHED:
        return p->reached;
    case MQ_RESHARE:
        return p->reshares;
    case MQ_REACTION:
        return p->reactions;
    default:
        return p->comments;
    }
}

static int64_t day_count(const struct li_memday *d, enum mq q)
{
    switch (q) {
    case MQ_IMPRESSION:
        return d->impressions;
    case MQ_RESHARE:
        return d->reshares;
    case MQ_REACTION:
        return d->reactions;
    default:
        return d->comments;
    }
}

static void date_obj(struct jw *j, const char *key, int32_t day)
{
    int y;
    unsigned mo, d;
    time_civil_from_days(day, &y, &mo, &d);
    jw_kobj(j, key);
    jw_kint(j, "year", y);
    jw_kint(j, "month", mo);
    jw_kint(j, "day", d);
    jw_end(j);
}

static void element(struct jw *j, int64_t count, enum mq q, int32_t day, bool daily)
{
    jw_obj(j);
    jw_kint(j, "count", count);
    if (daily) {
        jw_kobj(j, "dateRange");
        date_obj(j, "start", day);
        date_obj(j, "end", day + 1);
        jw_end(j);
    }
    jw_kobj(j, "metricType");
    jw_kstr(j, METRIC_TYPE_KEY, mq_names[q]);
    jw_end(j);
    jw_end(j);
}

/* dateRange=(start:(...),end:(...)): [*from, *to) in days; absent: all of history. */
static bool date_range(struct li_ctx *c, int32_t *from, int32_t *to)
{
    bool absent;
    struct rl *r = li_restli(c, "dateRange", RL_RECORD, &absent);
    *from = c->li->first_day;
    *to = c->li->first_day + c->li->ndays;
    if (absent || !r)
        return absent;
    bool ok = li_date(rl_member(r, "start"), from) &&
              (!rl_member(r, "end") || li_date(rl_member(r, "end"), to)) && *from <= *to;
    rl_free(r);
    if (!ok)
        li_bad(c, "Invalid value for param [dateRange]: expected (start:(day:D,month:M,year:Y),"
                  "end:(day:D,month:M,year:Y)) with the start not after the end");
    return ok;
}

/* The post of entity=(share:URN) or (ugc:URN); NULL after an answer. */
static const struct li_post *entity_post(struct li_ctx *c)
{
    bool absent;
    struct rl *e = li_restli(c, "entity", RL_RECORD, &absent);
    const struct li_post *found = NULL;
    if (absent)
        li_bad(c, "Parameter 'entity' is required: (share:urn%%3Ali%%3Ashare%%3A{id}) or "
                  "(ugc:urn%%3Ali%%3AugcPost%%3A{id})");
    if (!e)
        return NULL;
    const struct rl *share = rl_member(e, "share"), *ugc = rl_member(e, "ugc");
    const struct rl *v = share ? share : ugc;
    const char *type = share ? "urn:li:share:" : "urn:li:ugcPost:";
    if (!v || v->kind != RL_PRIM || strncmp(v->text, type, strlen(type)) != 0) {
        li_bad(c, "Invalid value for param [entity]: expected (share:<share urn>) or "
                  "(ugc:<ugcPost urn>)");
        rl_free(e);
        return NULL;
    }
    for (size_t i = 0; i < c->member->nposts && !found; i++)
        if (strcmp(c->member->posts[i].urn, v->text) == 0)
            found = &c->member->posts[i];
    rl_free(e);
    if (!found)
        denied(c, "memberCreatorPostAnalytics.FINDER-entity");
    return found;
}

void li_member_analytics(struct li_ctx *c)
{
    char finder[16], qt[32], agg[16];
    enum mq q = MQ_COUNT;
    int32_t from, to;
    struct jw j;
    if (!c->member) {
        denied(c, "memberCreatorPostAnalytics");
        return;
    }
    if (!li_param(c, "q", finder, sizeof finder) ||
        (strcmp(finder, "entity") != 0 && strcmp(finder, "me") != 0)) {
        li_bad(c, "Invalid query: memberCreatorPostAnalytics supports the finders q=entity and "
                  "q=me");
        return;
    }
    if (li_param(c, "queryType", qt, sizeof qt))
        for (int i = 0; i < MQ_COUNT; i++)
            if (strcmp(qt, mq_names[i]) == 0)
                q = (enum mq)i;
    if (q == MQ_COUNT) {
        li_bad(c, "Parameter 'queryType' is required: IMPRESSION, MEMBERS_REACHED, RESHARE, "
                  "REACTION or COMMENT");
        return;
    }
    if (!li_param(c, "aggregation", agg, sizeof agg) ||
        (strcmp(agg, "TOTAL") != 0 && strcmp(agg, "DAILY") != 0)) {
        li_bad(c, "Parameter 'aggregation' is required: TOTAL or DAILY");
        return;
    }
    bool daily = strcmp(agg, "DAILY") == 0;
    if (!date_range(c, &from, &to))
        return;
    if (strcmp(finder, "entity") == 0) {
        const struct li_post *p = entity_post(c);
        if (!p)
            return;
        if (daily) {
            li_bad(c, "The simulator serves a single post's statistics as TOTAL only");
            return;
        }
        li_begin(c, &j);
        jw_obj(&j);
        li_paging(&j, 0, 10, -1);
        jw_karr(&j, "elements");
        element(&j, post_count(p, q), q, 0, false);
        jw_end(&j);
        jw_end(&j);
        return;
    }
    if (q == MQ_MEMBERS_REACHED && daily) {
        li_bad(c, "The simulator serves MEMBERS_REACHED as TOTAL only");
        return;
    }
    int64_t total = 0;
    li_begin(c, &j);
    jw_obj(&j);
    li_paging(&j, 0, 10, -1);
    jw_karr(&j, "elements");
    for (int32_t day = from; day < to; day++) {
        int d = day - c->li->first_day;
        if (d < 0 || d >= c->li->ndays || q == MQ_MEMBERS_REACHED)
            continue;
        int64_t v = day_count(&c->member->days[d], q);
        if (daily)
            element(&j, v, q, day, true);
        total += v;
    }
    if (!daily) {
        if (q == MQ_MEMBERS_REACHED) /* distinct members: at most the posts' reach together */
            for (size_t i = 0; i < c->member->nposts; i++)
                total += c->member->posts[i].reached;
        element(&j, total, q, 0, false);
    }
    jw_end(&j);
    jw_end(&j);
}
