/*
 * world_hubspot.c - ids, generation, /_advance, /_world and /_truth of the simulated HubSpot
 * portal (private-app token, no refresh).
 *
 * Contacts are the people's contacts (world_people.c) and, up to --crm-contacts in all
 * (default 200; 10,500 makes the 10,000-result search window reachable cheaply), contacts
 * only the CRM knows: imported or organic sign-ups over the world's days, ORGANIC_SEARCH or
 * DIRECT_TRAFFIC, a few without e-mail. Ids grow with creation time like HubSpot's. Times are
 * milliseconds (a fixed fraction per record), so createdate and lastmodifieddate look like
 * "2026-11-03T10:00:00.123Z" (reference §10.7). Deals are the people's, in the default
 * pipeline (stage ids appointmentscheduled ... closedwon, closedlost) or a custom pipeline
 * with numeric ids (reference §7.3). /_advance adds the new people's contacts and the new
 * deals; the moved deals and touched contacts change their last-modified dates by themselves.
 * Truth names (README "Truth", hubspot): per contact created_at (createdate), lifecycle_stage,
 * has_email, touchpoints crm_first_source (at createdate; platform and utm_campaign of a
 * PAID_SOCIAL first click, else null) and crm_latest_source (a later click: its time,
 * platform and utm_campaign); per deal amount_micros (null without amount), currency
 * (deal_currency_code, else the portal's USD), stage, pipeline, is_won, is_closed,
 * created_at, closed_at, contacts; stages per pipeline with is_won and is_closed.
 */
#include "world_hubspot.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jw.h"
#include "xmalloc.h"

static const char *const crm_firsts[] = {"Ava",  "Ethan", "Isla", "Leo",  "Nora", "Owen",
                                         "Ruby", "Theo",  "Ivy",  "Hugo", "Elsa", "Finn"};
static const char *const crm_lasts[] = {"Fischer", "Rossi", "Jansen", "Novak", "Silva",
                                        "Berg",    "Costa", "Weber",  "Moreau"};
static const char *const crm_domains[] = {"gmail.example", "outlook.example", "contoso.example",
                                          "fabrikam.example"};

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

int64_t hs_ms(uint64_t id, int64_t t)
{
    return t * 1000 + (int64_t)(mix64(id, (uint64_t)t) % 1000);
}

void hs_fmt_ms(int64_t ms, char *buf, size_t len)
{
    char s[32];
    fmt_iso_z(ms / 1000, s, sizeof s);
    s[strlen(s) - 1] = '\0';
    snprintf(buf, len, "%s.%03dZ", s, (int)(ms % 1000));
}

size_t hs_contact_find(const struct hs_world *hs, uint64_t id)
{
    size_t lo = 0, hi = hs->ncontacts;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (hs->contacts[mid].id < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < hs->ncontacts && hs->contacts[lo].id == id ? lo : PP_NONE;
}

void hs_deal_contacts(const struct hs_world *hs, const struct world *w, const struct hs_deal *d,
                      uint64_t out[2])
{
    const struct pp_deal *pd = &w->people->deals[d->deal];
    out[0] = hs->contacts[hs->of_person[pd->person]].id;
    out[1] = pd->second == PP_NONE ? 0 : hs->contacts[hs->of_person[pd->second]].id;
}

void hs_contact_facts(const struct hs_world *hs, const struct world *w, size_t i,
                      struct hs_facts *f)
{
    const struct hs_contact *c = &hs->contacts[i];
    memset(f, 0, sizeof *f);
    f->id = c->id;
    if (c->person == PP_NONE) {
        f->created_ms = hs_ms(c->id, c->created);
        f->modified_ms = hs_ms(c->id, c->modified);
        f->email = c->email;
        f->first = c->first;
        f->last = c->last;
        f->source = c->source;
        f->lifecycle = c->lifecycle;
        return;
    }
    const struct pp_person *p = &w->people->persons[c->person];
    f->created_ms = hs_ms(c->id, p->contact_at);
    f->modified_ms = hs_ms(c->id, p->modified);
    f->email = p->email;
    f->first = p->first;
    f->last = p->last;
    f->company = p->company;
    f->source = p->source;
    f->lifecycle = p->lifecycle;
    f->first_click = p->first_click >= 0 ? &p->clicks[p->first_click] : NULL;
    f->latest_click = p->latest_click >= 0 ? &p->clicks[p->latest_click] : NULL;
    f->lead = p->lead;
}

/* ---- generation ----------------------------------------------------------------------------- */

static void gen_pipelines(struct hs_world *hs, const struct world *w)
{
    static const char *const ids[] = {"appointmentscheduled",
                                      "qualifiedtobuy",
                                      "presentationscheduled",
                                      "decisionmakerboughtin",
                                      "contractsent",
                                      "closedwon",
                                      "closedlost"};
    static const char *const labels[] = {"Appointment Scheduled",
                                         "Qualified To Buy",
                                         "Presentation Scheduled",
                                         "Decision Maker Bought-In",
                                         "Contract Sent",
                                         "Closed Won",
                                         "Closed Lost"};
    static const char *const probs[] = {"0.2", "0.4", "0.6", "0.8", "0.9", "1.0", "0.0"};
    static const char *const custom[] = {"Renewal due", "Negotiation", "Renewed", "Churned"};
    static const char *const custom_probs[] = {"0.3", "0.7", "1.0", "0.0"};
    struct hs_pipeline *d = &hs->pipes[PP_PIPE_DEFAULT], *c = &hs->pipes[PP_PIPE_CUSTOM];
    char digits[16];
    snprintf(d->id, sizeof d->id, "default");
    d->label = "Sales Pipeline";
    d->nstages = pp_nstages(PP_PIPE_DEFAULT);
    for (int i = 0; i < d->nstages; i++)
        d->stages[i] = (struct hs_stage){.label = labels[i], .probability = probs[i]};
    for (int i = 0; i < d->nstages; i++)
        snprintf(d->stages[i].id, sizeof d->stages[i].id, "%s", ids[i]);
    d->created_ms = (day_start_utc(w->today) - 900LL * 86400) * 1000 + 417;
    rng_digits(&hs->rng, c->id, 8);
    c->label = "Renewals & upsell";
    c->nstages = pp_nstages(PP_PIPE_CUSTOM);
    rng_digits(&hs->rng, digits, 9);
    uint64_t stage0 = strtoull(digits, NULL, 10);
    for (int i = 0; i < c->nstages; i++) {
        c->stages[i] = (struct hs_stage){.label = custom[i], .probability = custom_probs[i]};
        snprintf(c->stages[i].id, sizeof c->stages[i].id, "%llu",
                 (unsigned long long)(stage0 + (uint64_t)i));
    }
    c->created_ms = (day_start_utc(w->today) - 200LL * 86400) * 1000 + 88;
}

static void *hs_world_new(const struct world *w)
{
    struct hs_world *hs = xcalloc(1, sizeof *hs);
    char d[16];
    rng_seed(&hs->rng, w->seed, "hubspot");
    rng_digits(&hs->rng, hs->portal, 8);
    rng_alnum(&hs->rng, hs->salt, "", 32);
    rng_digits(&hs->rng, d, 10);
    hs->next_contact = 50000000000ULL + strtoull(d, NULL, 10) % 40000000000ULL;
    rng_digits(&hs->rng, d, 10);
    hs->next_deal = 15000000000ULL + strtoull(d, NULL, 10) % 15000000000ULL;
    cred_init(&hs->cred, w, "hubspot", "pat-na1-", 36);
    hs->tokens = 5;
    gen_pipelines(hs, w);
    return hs; /* contacts and deals come with the people: hs_link */
}

static void hs_world_free(void *pd)
{
    struct hs_world *hs = pd;
    if (!hs)
        return;
    free(hs->contacts);
    free(hs->of_person);
    free(hs->deals);
    free(hs);
}

/* A contact only the CRM knows, created at t. */
static void crm_only(struct hs_world *hs, struct hs_contact *c, int64_t t, int64_t end, size_t n)
{
    c->person = PP_NONE;
    c->created = t;
    c->modified = t + (rng_pct(&hs->rng, 50) ? 0 : rng_range(&hs->rng, 60, 3 * 86400));
    if (c->modified >= end)
        c->modified = end - 1;
    c->source = rng_pct(&hs->rng, 55) ? PP_ORGANIC_SEARCH : PP_DIRECT_TRAFFIC;
    c->lifecycle = rng_pct(&hs->rng, 60) ? PP_SUBSCRIBER : PP_LEAD;
    c->first = crm_firsts[rng_range(&hs->rng, 0, NELEM(crm_firsts) - 1)];
    c->last = crm_lasts[rng_range(&hs->rng, 0, NELEM(crm_lasts) - 1)];
    if (!rng_pct(&hs->rng, 3))
        snprintf(c->email, sizeof c->email, "%c%s.%c%s%zu@%s", tolower((unsigned char)c->first[0]),
                 c->first + 1, tolower((unsigned char)c->last[0]), c->last + 1, n,
                 crm_domains[rng_range(&hs->rng, 0, NELEM(crm_domains) - 1)]);
}

static struct hs_contact *add_contact(struct hs_world *hs)
{
    hs->contacts = xgrow(hs->contacts, &hs->contactcap, hs->ncontacts + 1, sizeof *hs->contacts);
    struct hs_contact *c = &hs->contacts[hs->ncontacts++];
    memset(c, 0, sizeof *c);
    hs->next_contact += (uint64_t)rng_range(&hs->rng, 1, 97);
    c->id = hs->next_contact;
    return c;
}

/* The people's new contacts get the next ids (their persons only grow). */
static void sync_contacts(struct hs_world *hs, const struct world *w)
{
    const struct people *pp = w->people;
    hs->of_person = xgrow(hs->of_person, &hs->ofcap, pp->npersons + 1, sizeof *hs->of_person);
    for (; hs->people_seen < pp->npersons; hs->people_seen++) {
        hs->of_person[hs->people_seen] = PP_NONE;
        if (!pp->persons[hs->people_seen].contact)
            continue;
        add_contact(hs)->person = hs->people_seen;
        hs->of_person[hs->people_seen] = hs->ncontacts - 1;
    }
}

static void sync_deals(struct hs_world *hs, const struct world *w)
{
    for (size_t i = hs->ndeals; i < w->people->ndeals; i++) {
        hs->deals = xgrow(hs->deals, &hs->dealcap, hs->ndeals + 1, sizeof *hs->deals);
        hs->next_deal += (uint64_t)rng_range(&hs->rng, 1, 500);
        hs->deals[hs->ndeals++] = (struct hs_deal){.id = hs->next_deal, .deal = i};
    }
}

struct birth {
    int64_t t;
    size_t person; /* PP_NONE: a CRM-only contact */
};

static int cmp_birth(const void *a, const void *b)
{
    const struct birth *x = a, *y = b;
    if (x->t != y->t)
        return (x->t > y->t) - (x->t < y->t);
    return (x->person > y->person) - (x->person < y->person);
}

/* Every contact of the history, people's and CRM-only, ids in order of creation. */
static void hs_link(void *pd, const struct world *w)
{
    struct hs_world *hs = pd;
    const struct people *pp = w->people;
    int64_t start = day_start_utc(world_first_day(w)), end = day_start_utc(w->today);
    size_t np = 0, n;
    for (size_t i = 0; i < pp->npersons; i++)
        np += pp->persons[i].contact;
    size_t extra = w->crm_contacts > np ? w->crm_contacts - np : 0;
    struct birth *b = xcalloc(np + extra + 1, sizeof *b);
    n = 0;
    for (size_t i = 0; i < pp->npersons; i++)
        if (pp->persons[i].contact)
            b[n++] = (struct birth){.t = pp->persons[i].contact_at, .person = i};
    for (size_t i = 0; i < extra; i++)
        b[n++] = (struct birth){.t = rng_range(&hs->rng, start, end - 1), .person = PP_NONE};
    qsort(b, n, sizeof *b, cmp_birth);
    hs->of_person = xgrow(hs->of_person, &hs->ofcap, pp->npersons + 1, sizeof *hs->of_person);
    for (size_t i = 0; i < pp->npersons; i++)
        hs->of_person[i] = PP_NONE;
    for (size_t i = 0; i < n; i++) {
        struct hs_contact *c = add_contact(hs);
        c->person = b[i].person;
        if (b[i].person == PP_NONE)
            crm_only(hs, c, b[i].t, end, i + 1);
        else
            hs->of_person[b[i].person] = hs->ncontacts - 1;
    }
    hs->people_seen = pp->npersons;
    free(b);
    sync_deals(hs, w);
}

static void hs_advance(void *pd, const struct world *w)
{
    sync_contacts(pd, w);
    sync_deals(pd, w);
}

/* ---- /_world and /_truth -------------------------------------------------------------------- */

static void hs_account_json(void *pd, const struct world *w, struct jw *j)
{
    const struct hs_world *hs = pd;
    (void)w;
    jw_obj(j);
    jw_kstr(j, "portal_id", hs->portal);
    jw_kstr(j, "access_token", hs->cred.access);
    jw_kstr(j, "email_salt", hs->salt);
    jw_kstr(j, "currency", "USD");
    jw_end(j);
}

static void touch(struct jw *j, const char *kind, int64_t ms, const struct people *pp,
                  const struct pp_click *k)
{
    char ts[40];
    hs_fmt_ms(ms, ts, sizeof ts);
    jw_kobj(j, kind);
    jw_kstr(j, "occurred_at", ts);
    jw_kstr_or_null(j, "platform", k ? pp_plat_name(k->plat) : NULL);
    jw_kstr_or_null(j, "utm_campaign", k ? pp_utm(pp, k->plat, k->camp) : NULL);
    jw_end(j);
}

static void contacts_truth(const struct hs_world *hs, const struct world *w, struct jw *j)
{
    char id[24], ts[40];
    struct hs_facts f;
    jw_kobj(j, "contacts");
    for (size_t i = 0; i < hs->ncontacts; i++) {
        hs_contact_facts(hs, w, i, &f);
        snprintf(id, sizeof id, "%llu", (unsigned long long)f.id);
        hs_fmt_ms(f.created_ms, ts, sizeof ts);
        jw_kobj(j, id);
        jw_kstr(j, "created_at", ts);
        jw_kstr(j, "lifecycle_stage", pp_lifecycle_name(f.lifecycle));
        jw_kbool(j, "has_email", f.email[0] != '\0');
        jw_kobj(j, "touchpoints");
        touch(j, "crm_first_source", f.created_ms, w->people, f.first_click);
        if (f.latest_click)
            touch(j, "crm_latest_source", hs_ms(f.id, f.latest_click->at), w->people,
                  f.latest_click);
        jw_end(j);
        jw_end(j);
    }
    jw_end(j);
}

static void deal_truth(const struct hs_world *hs, const struct world *w, const struct hs_deal *d,
                       struct jw *j)
{
    const struct pp_deal *pd = &w->people->deals[d->deal];
    char id[24], ts[40];
    uint64_t who[2];
    snprintf(id, sizeof id, "%llu", (unsigned long long)d->id);
    jw_kobj(j, id);
    if (pd->amount_micros >= 0)
        jw_kint(j, "amount_micros", pd->amount_micros);
    else
        jw_knull(j, "amount_micros");
    jw_kstr(j, "currency", pd->currency);
    jw_kstr(j, "stage", hs->pipes[pd->pipeline].stages[pd->stage].id);
    jw_kstr(j, "pipeline", hs->pipes[pd->pipeline].id);
    jw_kbool(j, "is_won", pp_stage_won(pd->pipeline, pd->stage));
    jw_kbool(j, "is_closed", pp_stage_closed(pd->pipeline, pd->stage));
    hs_fmt_ms(hs_ms(d->id, pd->created), ts, sizeof ts);
    jw_kstr(j, "created_at", ts);
    hs_fmt_ms(hs_ms(d->id, pd->closed), ts, sizeof ts);
    jw_kstr_or_null(j, "closed_at", pd->closed ? ts : NULL);
    hs_deal_contacts(hs, w, d, who);
    jw_karr(j, "contacts");
    for (int k = 0; k < 2 && who[k]; k++)
        jw_strf(j, "%llu", (unsigned long long)who[k]);
    jw_end(j);
    jw_end(j);
}

static void stages_truth(const struct hs_world *hs, struct jw *j)
{
    jw_kobj(j, "stages");
    for (int p = 0; p < PP_NPIPES; p++) {
        jw_kobj(j, hs->pipes[p].id);
        for (int s = 0; s < hs->pipes[p].nstages; s++) {
            jw_kobj(j, hs->pipes[p].stages[s].id);
            jw_kbool(j, "is_won", pp_stage_won(p, s));
            jw_kbool(j, "is_closed", pp_stage_closed(p, s));
            jw_end(j);
        }
        jw_end(j);
    }
    jw_end(j);
}

static void hs_truth_json(void *pd, const struct world *w, struct jw *j)
{
    const struct hs_world *hs = pd;
    jw_obj(j);
    jw_kobj(j, hs->portal);
    contacts_truth(hs, w, j);
    jw_kobj(j, "deals");
    for (size_t i = 0; i < hs->ndeals; i++)
        deal_truth(hs, w, &hs->deals[i], j);
    jw_end(j);
    stages_truth(hs, j);
    jw_end(j);
    jw_end(j);
}

static void hs_totals_json(void *pd, const struct world *w, struct jw *j)
{
    const struct hs_world *hs = pd;
    int64_t won = 0, won_amount = 0, closed = 0, links = 0, latest = 0;
    for (size_t i = 0; i < hs->ndeals; i++) {
        const struct pp_deal *d = &w->people->deals[hs->deals[i].deal];
        bool is_won = pp_stage_won(d->pipeline, d->stage);
        won += is_won;
        won_amount += is_won && d->amount_micros > 0 ? d->amount_micros : 0;
        closed += pp_stage_closed(d->pipeline, d->stage);
        links += 1 + (d->second != PP_NONE);
    }
    for (size_t i = 0; i < hs->ncontacts; i++) {
        size_t p = hs->contacts[i].person;
        latest += p != PP_NONE && w->people->persons[p].latest_click >= 0;
    }
    jw_obj(j);
    jw_kint(j, "contacts", (int64_t)hs->ncontacts);
    jw_kint(j, "leads", (int64_t)hs->ncontacts); /* every contact is a lead of source crm */
    jw_kint(j, "touchpoints", (int64_t)hs->ncontacts + latest);
    jw_kint(j, "deals", (int64_t)hs->ndeals);
    jw_kint(j, "won_deals", won);
    jw_kint(j, "closed_deals", closed);
    jw_kint(j, "won_amount_micros", won_amount); /* in the deals' currencies, added as they are */
    jw_kint(j, "deal_contacts", links);
    jw_kint(j, "stages", hs->pipes[0].nstages + hs->pipes[1].nstages);
    jw_end(j);
}

const struct sim_platform sim_platform_hubspot = {
    .name = "hubspot",
    .world_new = hs_world_new,
    .world_free = hs_world_free,
    .advance = hs_advance,
    .account_json = hs_account_json,
    .truth_json = hs_truth_json,
    .totals_json = hs_totals_json,
    .serve = sim_hubspot_serve,
    .fault = sim_hubspot_fault,
    .link = hs_link,
};
