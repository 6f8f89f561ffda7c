/*
 * world_people.c - business campaigns and the persons behind clicks, leads, contacts and deals
 * (see world_people.h; contract in tests/sim/README.md, "People, campaigns and money across
 * platforms").
 *
 * Journeys, drawn from the seed: about 40 persons answer the Meta lead form (85 % after
 * clicking a Meta ad of the lead or retargeting campaign, the rest organically), about 23 the
 * LinkedIn one (always after a click on a lead generation campaign; a few answer both), and
 * two thirds of the others click one to three ads of any ad platform. Every lead becomes a
 * HubSpot contact minutes after the form, half the clickers later on a landing page, most of
 * the rest organically. A contact's first source is its first click when one came before it
 * (PAID_SOCIAL, the click's network and utm_campaign), else ORGANIC_SEARCH or DIRECT_TRAFFIC;
 * a click after it is the latest source. Deals (HubSpot's default pipeline and a custom one,
 * reference §7.3) follow contacts by hours to days; a third are won, a fifth lost.
 * /_advance stamps its events early on the world's today, after every earlier one.
 */
#include "world_people.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim.h"
#include "timeutil.h"
#include "xmalloc.h"

/* Meta lead answers show these names first: non-ASCII letters, quotes and an emoji. */
static const struct {
    const char *name, *first, *slug;
} special[] = {
    {"Ana García", "Ana", "ana.garcia"},
    {"Zoë Ødegaard", "Zoë", "zoe.odegaard"},
    {"Łukasz Wiśniewski", "Łukasz", "lukasz.w"},
    {"Renée Dubois", "Renée", "renee.dubois"},
    {"Jürgen Groß", "Jürgen", "juergen.gross"},
    {"李娜", "娜", "li.na"},
    {"Siobhán O'Neill", "Siobhán", "siobhan.oneill"},
    {"Дмитрий Иванов", "Дмитрий", "dmitry.ivanov"},
    {"Maya 🌸 Patel", "Maya", "maya.patel"},
    {"John Smith", "John", "john.smith"},
    {"Emily Johnson", "Emily", "emily.johnson"},
    {"Nguyễn Văn An", "An", "nguyen.an"},
    {"Olumide Adeyemi", "Olumide", "olumide.a"},
    {"Søren Kierkegård", "Søren", "soren.k"},
    {"Priya Raman", "Priya", "priya.raman"},
    {"Carlos \"Charlie\" Ruiz", "Carlos", "carlos.ruiz"},
};

static const char *const firsts[] = {"Alex",  "Sam",   "Jordan", "Taylor", "Morgan", "Chris",
                                     "Pat",   "Robin", "Kim",    "Lee",    "Dana",   "Jamie",
                                     "Noah",  "Emma",  "Liam",   "Olivia", "Mia",    "Lucas",
                                     "Sofia", "Max",   "Lena",   "Tom",    "Sara",   "Ben"};
static const char *const lasts[] = {"Miller", "Brown",  "Davis",  "Wilson", "Moore",  "Clark",
                                    "Lewis",  "Walker", "Hall",   "Young",  "Allen",  "King",
                                    "Wright", "Scott",  "Green",  "Baker",  "Adams",  "Nelson",
                                    "Hill",   "Carter", "Turner", "Parker", "Collins"};

static const struct {
    const char *domain, *company;
} orgs[] = {
    {"northwind.example", "Northwind Traders"},
    {"globex.example", "Globex"},
    {"initech.example", "Initech"},
    {"umbrella-corp.example", "Umbrella Corp"},
    {"mueller-soehne.example", "Müller & Söhne"},
    {"example.com", "Example Inc."},
    {"mail.example.org", "Freelance"},
    {"acme-corp.example", "Acme Corp"},
};

static const struct {
    const char *name, *title, *utm;
} biz[PP_MAX_CAMPAIGNS] = {
    {"q4-webinar", "Q4 webinar series", "q4-webinar"},
    {"demo-retargeting", "Demo retargeting", "demo-retargeting"},
    {"brand-awareness", "Brand awareness 2026", "brand_awareness"},
    {"partner-launch-eu", "Partner launch (EU)", "partner-launch-eu"},
};

static const char *const products[] = {"Analytics Pro (annual)", "Starter", "Enterprise seats",
                                       "Onboarding package", "Team plan"};

static const char *const lifecycle_names[] = {
    [PP_SUBSCRIBER] = "subscriber",      [PP_LEAD] = "lead",
    [PP_MQL] = "marketingqualifiedlead", [PP_OPPORTUNITY] = "opportunity",
    [PP_CUSTOMER] = "customer",
};

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* ---- accessors ------------------------------------------------------------------------------ */

const char *pp_ad_id(const struct people *pp, size_t plat, size_t camp)
{
    const struct sim_platform *p = sim_platforms[plat];
    return p->ad_campaign ? p->ad_campaign(pp->w->pdata[plat], camp) : NULL;
}

int pp_biz(const struct people *pp, size_t plat, size_t camp)
{
    (void)plat;
    return (int)(camp % (size_t)pp->ncamps);
}

const char *pp_utm(const struct people *pp, size_t plat, size_t camp)
{
    const struct pp_campaign *c = &pp->camps[pp_biz(pp, plat, camp)];
    size_t a = 0; /* the platform's place among the ad platforms picks the spelling */
    while (a < pp->nadplats && pp->adplats[a].plat != plat)
        a++;
    return c->utm[a % (size_t)c->nutm];
}

const char *pp_plat_name(size_t plat)
{
    return sim_platforms[plat]->name;
}

const char *pp_network(size_t plat)
{
    const char *n = sim_platforms[plat]->name;
    if (strcmp(n, "facebook") == 0)
        return "Facebook";
    if (strcmp(n, "linkedin") == 0)
        return "LinkedIn";
    if (strcmp(n, "pinterest") == 0)
        return "Pinterest";
    return n;
}

int pp_nstages(int pipeline)
{
    return pipeline == PP_PIPE_DEFAULT ? 7 : 4;
}

bool pp_stage_closed(int pipeline, int stage)
{
    return stage >= pp_nstages(pipeline) - 2;
}

bool pp_stage_won(int pipeline, int stage)
{
    return stage == pp_nstages(pipeline) - 2;
}

const char *pp_lifecycle_name(enum pp_lifecycle l)
{
    return lifecycle_names[l];
}

/* ---- business campaigns --------------------------------------------------------------------- */

/* A spend line in the config's syntax: "AMOUNT CUR over|monthly FROM..TO", "AMOUNT CUR on DAY". */
static void spend_line(struct pp_campaign *c, const char *kind, int64_t units, int32_t from,
                       int32_t to)
{
    char a[16], b[16];
    fmt_date(from, a, sizeof a);
    fmt_date(to < c->end ? to : c->end, b, sizeof b);
    if (strcmp(kind, "on") == 0)
        snprintf(c->spend[c->nspend++], sizeof c->spend[0], "%lld.00 USD on %s", (long long)units,
                 a);
    else
        snprintf(c->spend[c->nspend++], sizeof c->spend[0], "%lld.00 USD %s %s..%s",
                 (long long)units, kind, a, b);
}

static void gen_campaigns(struct people *pp, const struct world *w)
{
    int32_t first = world_first_day(w);
    pp->ncamps = (int)rng_range(&pp->rng, 3, 4);
    for (int i = 0; i < pp->ncamps; i++) {
        struct pp_campaign *c = &pp->camps[i];
        snprintf(c->name, sizeof c->name, "%s", biz[i].name);
        snprintf(c->title, sizeof c->title, "%s", biz[i].title);
        snprintf(c->utm[0], sizeof c->utm[0], "%s", biz[i].utm);
        c->nutm = 1;
        if (i == 1) /* a second spelling used on some networks */
            snprintf(c->utm[c->nutm++], sizeof c->utm[0], "retargeting_demo");
        c->start = first - (int32_t)rng_range(&pp->rng, 0, 12);
        c->end = w->today + (int32_t)rng_range(&pp->rng, 5, 40);
        c->budget_micros = rng_range(&pp->rng, 16, 80) * 500 * 1000000LL;
        /* creative work spread over the first month, an agency retainer, a one-off event */
        spend_line(c, "over", rng_range(&pp->rng, 4, 30) * 100, c->start, c->start + 29);
        if (rng_pct(&pp->rng, 50))
            spend_line(c, "monthly", rng_range(&pp->rng, 5, 20) * 100, c->start, c->end);
        if (rng_pct(&pp->rng, 40))
            spend_line(c, "on", rng_range(&pp->rng, 2, 15) * 100,
                       first + (int32_t)rng_range(&pp->rng, 0, w->ndays - 1), 0);
    }
}

static void find_platforms(struct people *pp)
{
    pp->fb = pp->li = PP_NONE;
    for (size_t i = 0; sim_platforms[i]; i++) {
        const struct sim_platform *p = sim_platforms[i];
        if (strcmp(p->name, "facebook") == 0)
            pp->fb = i;
        else if (strcmp(p->name, "linkedin") == 0)
            pp->li = i;
        if (!p->ad_campaign)
            continue;
        size_t n = 0;
        while (p->ad_campaign(pp->w->pdata[i], n))
            n++;
        if (n > 0)
            pp->adplats[pp->nadplats++] = (struct pp_adplat){.plat = i, .ncamps = n};
    }
}

void people_campaigns_json(const struct people *pp, struct jw *j)
{
    char day[16], money[32];
    jw_arr(j);
    for (int i = 0; i < pp->ncamps; i++) {
        const struct pp_campaign *c = &pp->camps[i];
        jw_obj(j);
        jw_kstr(j, "name", c->name);
        jw_kstr(j, "title", c->title);
        fmt_date(c->start, day, sizeof day);
        jw_kstr(j, "start", day);
        fmt_date(c->end, day, sizeof day);
        jw_kstr(j, "end", day);
        snprintf(money, sizeof money, "%lld.00 USD", (long long)(c->budget_micros / 1000000));
        jw_kstr(j, "budget", money);
        jw_karr(j, "utm_campaign");
        for (int u = 0; u < c->nutm; u++)
            jw_str(j, c->utm[u]);
        jw_end(j);
        jw_karr(j, "links");
        for (size_t a = 0; a < pp->nadplats; a++)
            for (size_t k = 0; k < pp->adplats[a].ncamps; k++)
                if (pp_biz(pp, pp->adplats[a].plat, k) == i)
                    jw_strf(j, "%s:%s", pp_plat_name(pp->adplats[a].plat),
                            pp_ad_id(pp, pp->adplats[a].plat, k));
        jw_end(j);
        jw_karr(j, "spend");
        for (int s = 0; s < c->nspend; s++)
            jw_str(j, c->spend[s]);
        jw_end(j);
        jw_end(j);
    }
    jw_end(j);
}

/* ---- persons -------------------------------------------------------------------------------- */

static struct pp_person *add_person(struct people *pp)
{
    pp->persons = xgrow(pp->persons, &pp->personcap, pp->npersons + 1, sizeof *pp->persons);
    struct pp_person *p = &pp->persons[pp->npersons++];
    memset(p, 0, sizeof *p);
    p->first_click = p->latest_click = -1;
    return p;
}

/* ASCII letters in the case style: 0 as is, 1 Capitalized parts, 2 upper case. */
static void put_cased(char *out, size_t len, const char *s, int style)
{
    size_t o = 0;
    bool start = true;
    for (; *s && o + 1 < len; s++) {
        char c = *s;
        if (c >= 'a' && c <= 'z' && (style == 2 || (style == 1 && start)))
            c = (char)(c - 'a' + 'A');
        start = c == '.' || c == '-';
        out[o++] = c;
    }
    out[o] = '\0';
}

/* The family name: what the full name has besides the given name ("李" of "李娜"). */
static void split_name(struct pp_person *p)
{
    size_t nf = strlen(p->first), nn = strlen(p->name);
    if (strncmp(p->name, p->first, nf) == 0 && p->name[nf] == ' ')
        snprintf(p->last, sizeof p->last, "%.40s", p->name + nf + 1);
    else if (nn > nf && strcmp(p->name + nn - nf, p->first) == 0)
        snprintf(p->last, sizeof p->last, "%.*s", (int)(nn - nf - (p->name[nn - nf - 1] == ' ')),
                 p->name);
    else
        snprintf(p->last, sizeof p->last, "%.40s", p->name);
}

/* Names and e-mail addresses: the n-th person named gets the n-th special name first. */
static void name_person(struct people *pp, struct pp_person *p, size_t nth, size_t serial)
{
    char slug[40], local[48], domain[32];
    if (nth < NELEM(special)) {
        snprintf(p->name, sizeof p->name, "%s", special[nth].name);
        snprintf(p->first, sizeof p->first, "%s", special[nth].first);
        snprintf(slug, sizeof slug, "%s", special[nth].slug);
        split_name(p);
    } else {
        const char *f = firsts[rng_range(&pp->rng, 0, NELEM(firsts) - 1)];
        const char *l = lasts[rng_range(&pp->rng, 0, NELEM(lasts) - 1)];
        snprintf(p->name, sizeof p->name, "%s %s", f, l);
        snprintf(p->first, sizeof p->first, "%s", f);
        snprintf(p->last, sizeof p->last, "%s", l);
        snprintf(slug, sizeof slug, "%c%s.%c%s", f[0] - 'A' + 'a', f + 1, l[0] - 'A' + 'a', l + 1);
    }
    size_t org = (size_t)rng_range(&pp->rng, 0, NELEM(orgs) - 1);
    int style = (int)rng_range(&pp->rng, 0, 99);
    snprintf(local, sizeof local, "%.30s%zu", slug, serial);
    put_cased(local, sizeof local, local, style < 55 ? 0 : style < 80 ? 1 : style < 90 ? 2 : 0);
    put_cased(domain, sizeof domain, orgs[org].domain, style >= 90 ? 1 : 0);
    snprintf(p->email, sizeof p->email, "%s@%s", local, domain);
    p->company = orgs[org].company;
}

/*
 * Whether second t already holds one of the person's events: a lead, the contact, or a click
 * other than skip. Each platform stamps an event inside its second (LinkedIn and HubSpot add
 * milliseconds), so events in distinct seconds give a person's touches a strict order, which
 * the ROI truth needs (world_roi.c refuses a world without it).
 */
static bool second_taken(const struct people *pp, size_t who, int64_t t, const void *skip)
{
    const struct pp_person *p = &pp->persons[who];
    if (p->contact && p->contact_at == t && skip != &p->contact_at)
        return true;
    for (int k = 0; k < p->nclicks; k++)
        if (p->clicks[k].at == t && skip != &p->clicks[k])
            return true;
    for (size_t i = 0; i < pp->nleads; i++)
        if (pp->leads[i].person == who && pp->leads[i].at == t)
            return true;
    return false;
}

/* The first second from t on that none of the person's other events holds. */
static int64_t free_second(const struct people *pp, size_t who, int64_t t, const void *skip)
{
    while (second_taken(pp, who, t, skip))
        t++;
    return t;
}

/* Keeps the clicks ascending after some were moved. */
static void sort_clicks(struct pp_person *p)
{
    for (int i = 1; i < p->nclicks; i++) {
        struct pp_click k = p->clicks[i];
        int j = i;
        for (; j > 0 && p->clicks[j - 1].at > k.at; j--)
            p->clicks[j] = p->clicks[j - 1];
        p->clicks[j] = k;
    }
}

static void add_click(struct people *pp, struct pp_person *p, int64_t at, size_t plat, size_t camp)
{
    if (p->nclicks == PP_MAX_CLICKS)
        return;
    at = free_second(pp, (size_t)(p - pp->persons), at, NULL);
    p->clicks[p->nclicks++] = (struct pp_click){.at = at, .plat = plat, .camp = camp};
    sort_clicks(p);
}

static void random_click(struct people *pp, struct pp_person *p, int64_t at)
{
    const struct pp_adplat *a = &pp->adplats[rng_range(&pp->rng, 0, (int64_t)pp->nadplats - 1)];
    add_click(pp, p, at, a->plat, (size_t)rng_range(&pp->rng, 0, (int64_t)a->ncamps - 1));
}

/* A form answer at the first free second from at; returns that second. */
static int64_t add_lead(struct people *pp, size_t person, int64_t at, size_t plat, size_t camp)
{
    at = free_second(pp, person, at, NULL);
    pp->leads = xgrow(pp->leads, &pp->leadcap, pp->nleads + 1, sizeof *pp->leads);
    pp->leads[pp->nleads++] =
        (struct pp_lead){.at = at, .plat = plat, .camp = camp, .person = person};
    pp->persons[person].lead = true;
    return at;
}

/* The campaigns that collect leads: Meta's lead and retargeting ones, LinkedIn's lead ones. */
static size_t lead_campaign(struct people *pp, size_t plat)
{
    if (plat == pp->fb)
        return rng_pct(&pp->rng, 80) ? 0 : 1;
    return rng_pct(&pp->rng, 65) ? 0 : 3;
}

/* A paid lead: a click on a lead campaign, the form a few minutes later. Returns its time. */
static int64_t paid_lead(struct people *pp, size_t person, int64_t at, size_t plat)
{
    size_t camp = lead_campaign(pp, plat);
    add_click(pp, &pp->persons[person], at, plat, camp);
    return add_lead(pp, person, at + rng_range(&pp->rng, 60, 1800), plat, camp);
}

/* Clicks of someone who has not answered a form: one to three over some days. */
static void browse(struct people *pp, struct pp_person *p, int64_t at, int64_t end)
{
    int n = (int)rng_range(&pp->rng, 1, 3);
    for (int k = 0; k < n && at < end; k++) {
        random_click(pp, p, at);
        at += rng_range(&pp->rng, 3600, 6 * 86400);
    }
}

/* ---- contacts and deals --------------------------------------------------------------------- */

/* First source (the first click before the contact, else organic) and the latest click. */
static void source_of(struct pp_person *p)
{
    p->first_click = p->latest_click = -1;
    for (int k = 0; k < p->nclicks; k++) {
        if (p->clicks[k].at <= p->contact_at && p->first_click < 0)
            p->first_click = k;
        if (p->clicks[k].at > p->contact_at)
            p->latest_click = k;
    }
    if (p->first_click >= 0)
        p->source = PP_PAID_SOCIAL;
    else if (p->source == PP_PAID_SOCIAL)
        p->source = PP_ORGANIC_SEARCH;
}

/* Source, lifecycle and last change of a contact from its touches (before any deal). */
static void settle_contact(struct pp_person *p)
{
    source_of(p);
    p->lifecycle = p->lead ? PP_MQL : p->source == PP_PAID_SOCIAL ? PP_LEAD : PP_SUBSCRIBER;
    p->modified = p->contact_at;
    if (p->latest_click >= 0)
        p->modified = p->clicks[p->latest_click].at;
}

static void make_contact(struct people *pp, struct pp_person *p, int64_t at)
{
    p->contact_at = free_second(pp, (size_t)(p - pp->persons), at, NULL);
    p->contact = true;
    p->source = rng_pct(&pp->rng, 60) ? PP_ORGANIC_SEARCH : PP_DIRECT_TRAFFIC;
    settle_contact(p);
}

/* The contact's lifecycle stage follows its deals (HubSpot's default sync). */
static void touch_lifecycle(struct pp_person *p, enum pp_lifecycle l, int64_t at)
{
    if (l <= p->lifecycle)
        return;
    p->lifecycle = l;
    if (at > p->modified)
        p->modified = at;
}

static struct pp_deal *add_deal(struct people *pp, size_t person, int64_t created)
{
    pp->deals = xgrow(pp->deals, &pp->dealcap, pp->ndeals + 1, sizeof *pp->deals);
    struct pp_deal *d = &pp->deals[pp->ndeals++];
    struct pp_person *p = &pp->persons[person];
    memset(d, 0, sizeof *d);
    d->person = person;
    d->second = PP_NONE;
    d->created = d->modified = created;
    d->pipeline = rng_pct(&pp->rng, 85) ? PP_PIPE_DEFAULT : PP_PIPE_CUSTOM;
    d->stage = (int)rng_range(&pp->rng, 0, pp_nstages(d->pipeline) - 3);
    bool eur = rng_pct(&pp->rng, 20);
    d->currency = eur ? "EUR" : "USD";
    d->currency_set = eur || rng_pct(&pp->rng, 85);
    d->amount_micros = rng_range(&pp->rng, 10, 1200) * 50 * 1000000LL;
    if (rng_pct(&pp->rng, 20))
        d->amount_micros += rng_range(&pp->rng, 1, 99) * 10000;
    snprintf(d->name, sizeof d->name, "%s – %s", p->company,
             products[rng_range(&pp->rng, 0, NELEM(products) - 1)]);
    touch_lifecycle(p, PP_OPPORTUNITY, created);
    return d;
}

static void close_deal(struct pp_deal *d, struct pp_person *p, bool won, int64_t at)
{
    d->stage = pp_nstages(d->pipeline) - (won ? 2 : 1);
    d->closed = d->modified = at;
    if (won)
        touch_lifecycle(p, PP_CUSTOMER, at);
}

/* A deal's life until the world's today: open at some stage, won or lost. */
static void deal_history(struct people *pp, struct pp_deal *d, int64_t end)
{
    int64_t closed = d->created + rng_range(&pp->rng, 3600, 10 * 86400);
    int64_t outcome = rng_range(&pp->rng, 0, 99);
    if (outcome < 55 && closed < end) {
        close_deal(d, &pp->persons[d->person], outcome < 35, closed);
    } else {
        d->modified = d->created + rng_range(&pp->rng, 0, (end - d->created) / 2);
        if (rng_pct(&pp->rng, 6))
            d->amount_micros = -1;
    }
}

/* A second contact from another person already in the CRM when the deal was made. */
static void second_contact(struct people *pp, struct pp_deal *d)
{
    size_t k = (size_t)rng_range(&pp->rng, 0, (int64_t)pp->npersons - 1);
    for (size_t n = 0; n < pp->npersons; n++, k = (k + 1) % pp->npersons) {
        const struct pp_person *p = &pp->persons[k];
        if (k != d->person && p->contact && p->contact_at <= d->created) {
            d->second = k;
            return;
        }
    }
}

static int cmp_deal(const void *a, const void *b)
{
    const struct pp_deal *x = a, *y = b;
    return (x->created > y->created) - (x->created < y->created);
}

static void gen_deals(struct people *pp, int64_t end)
{
    for (size_t i = 0; i < pp->npersons; i++) {
        struct pp_person *p = &pp->persons[i];
        int n = !p->contact || !rng_pct(&pp->rng, 40) ? 0 : rng_pct(&pp->rng, 12) ? 2 : 1;
        for (int k = 0; k < n; k++) {
            int64_t created = p->contact_at + rng_range(&pp->rng, 3600, 6 * 86400);
            if (created >= end - 600)
                break;
            struct pp_deal *d = add_deal(pp, i, created);
            deal_history(pp, d, end);
            if (rng_pct(&pp->rng, 15))
                second_contact(pp, d);
        }
    }
    qsort(pp->deals, pp->ndeals, sizeof *pp->deals, cmp_deal);
}

/* ---- generation ----------------------------------------------------------------------------- */

struct roles {
    size_t nfb, nfb_paid, nli, li_from;
};

/* One person's history before the world's today, by role (index in the shuffled order). */
static void journey(struct people *pp, size_t who, size_t rank, const struct roles *ro,
                    int64_t start, int64_t end)
{
    struct pp_person *p = &pp->persons[who];
    int64_t a = rng_range(&pp->rng, start, end - 3 * 3600), first_lead = 0;
    bool fb = pp->fb != PP_NONE && rank < ro->nfb;
    /* Meta counts a paid answer on its ad account's (Pacific) day, which must be in history */
    int64_t pacific_start = pacific_midnight(world_first_day(pp->w));
    if (fb && a < pacific_start)
        a += pacific_start - start;
    bool li = pp->li != PP_NONE && rank >= ro->li_from && rank < ro->li_from + ro->nli;
    if (fb && rank < ro->nfb_paid) {
        first_lead = paid_lead(pp, who, a, pp->fb);
    } else if (fb) {
        first_lead = add_lead(pp, who, a, pp->fb, PP_NONE);
    }
    if (li) {
        int64_t at = fb ? a + rng_range(&pp->rng, 3600, 5 * 86400) : a;
        at = at < end - 2 * 3600 ? at : end - 2 * 3600;
        int64_t t = paid_lead(pp, who, at, pp->li);
        first_lead = first_lead && first_lead < t ? first_lead : t;
    }
    if (p->lead) {
        if (rng_pct(&pp->rng, 25)) /* one more click, before or after the form */
            random_click(pp, p, a + rng_range(&pp->rng, -3 * 86400, 5 * 86400));
        make_contact(pp, p, first_lead + rng_range(&pp->rng, 30, 900));
        return;
    }
    if (pp->nadplats > 0 && rng_pct(&pp->rng, 65)) {
        browse(pp, p, a, end - 60);
        if (rng_pct(&pp->rng, 55))
            make_contact(pp, p, p->clicks[0].at + rng_range(&pp->rng, 120, 2 * 86400));
    } else if (rng_pct(&pp->rng, 80)) {
        make_contact(pp, p, a);
    }
}

/* Events outside the history move inside it, each to a second of its own. */
static void clamp_clicks(struct people *pp, size_t who, int64_t start, int64_t end)
{
    struct pp_person *p = &pp->persons[who];
    for (int k = 0; k < p->nclicks; k++) {
        struct pp_click *c = &p->clicks[k];
        if (c->at < start)
            c->at = free_second(pp, who, start + k, c);
        else if (c->at >= end)
            c->at = free_second(pp, who, end - 60 + k, c);
    }
    sort_clicks(p);
    if (p->contact && p->contact_at >= end)
        p->contact_at = free_second(pp, who, end - 30, &p->contact_at);
}

static int cmp_lead(const void *a, const void *b)
{
    const struct pp_lead *x = a, *y = b;
    return (x->at > y->at) - (x->at < y->at);
}

static void gen_persons(struct people *pp, const struct world *w)
{
    int64_t start = day_start_utc(world_first_day(w)), end = day_start_utc(w->today);
    size_t n = (size_t)rng_range(&pp->rng, 140, 160);
    struct roles ro = {.nfb = (size_t)rng_range(&pp->rng, 38, 42)};
    ro.nfb_paid = ro.nfb * 85 / 100;
    ro.nli = (size_t)rng_range(&pp->rng, 20, 26);
    ro.li_from = ro.nfb - 4; /* four people answer both forms */
    size_t *order = xcalloc(n, sizeof *order);
    for (size_t i = 0; i < n; i++) {
        add_person(pp);
        order[i] = i;
    }
    for (size_t i = n - 1; i > 0; i--) { /* Fisher-Yates */
        size_t k = (size_t)rng_range(&pp->rng, 0, (int64_t)i), t = order[i];
        order[i] = order[k];
        order[k] = t;
    }
    for (size_t r = 0; r < n; r++)
        name_person(pp, &pp->persons[order[r]], r, order[r] + 1);
    for (size_t r = 0; r < n; r++) {
        journey(pp, order[r], r, &ro, start, end);
        clamp_clicks(pp, order[r], start, end);
        if (pp->persons[order[r]].contact)
            settle_contact(&pp->persons[order[r]]);
    }
    free(order);
    qsort(pp->leads, pp->nleads, sizeof *pp->leads, cmp_lead);
}

/* ---- the ROI bridge's causes ------------------------------------------------------------------
 */

/* A new person named like /_advance's newcomers (no special name), with nothing done yet. */
static size_t bridge_person(struct people *pp)
{
    struct pp_person *p = add_person(pp);
    name_person(pp, p, NELEM(special), pp->npersons);
    p->form_email = PP_EMAIL_ALWAYS;
    return pp->npersons - 1;
}

/* A click on ad campaign camp of plat and, when form, its form answer 120 s later. */
static int64_t bridge_click(struct people *pp, size_t who, int64_t at, size_t plat, size_t camp,
                            bool form)
{
    add_click(pp, &pp->persons[who], at, plat, camp);
    return form ? add_lead(pp, who, at + 120, plat, camp) : at;
}

/*
 * The first day of a month inside the history with the day before it in history too and two
 * days after it before today; 0 when the history holds none (the day-basis and CRM-timing
 * persons then have no place).
 */
static int32_t bridge_month_start(const struct world *w)
{
    for (int32_t d = world_first_day(w) + 1; d + 2 < w->today; d++) {
        int y;
        unsigned m, dd;
        time_civil_from_days(d, &y, &m, &dd);
        if (dd == 1)
            return d;
    }
    return 0;
}

/*
 * One person per cause of the ROI bridge (tests/sim/README.md, "ROI bridge truth"), added on
 * top of the drawn people from a generator of their own, so every drawn person stays what it
 * was: a Meta lead without e-mail (so never in the CRM), one who answers the form twice, one whose
 * first click (the CRM's first source) was on LinkedIn, one who answers at 03:00 UTC on the first
 * of a month (the day before on Meta's Pacific day), one the CRM records two days after a form on
 * the last day of a month, one who clicked Meta's awareness ad and answered the form on the
 * Page (organic), and one who became a contact ten days after clicking that ad (outside the
 * platform's click window; socialroi's touch of it is the CRM's first source, at the contact's
 * creation).
 */
static void bridge_causes(struct people *pp, const struct world *w)
{
    if (pp->fb == PP_NONE || w->ndays < 2)
        return;
    struct rng drawn = pp->rng;
    size_t from = pp->npersons;
    rng_seed(&pp->rng, w->seed, "people-bridge");
    int64_t start = day_start_utc(world_first_day(w)), end = day_start_utc(w->today);
    int64_t mid = start + (end - start) / 2 - 6 * 3600;
    mid = mid > pacific_midnight(world_first_day(w)) ? mid : pacific_midnight(world_first_day(w));
    size_t who = bridge_person(pp); /* answers without e-mail: never in the CRM */
    pp->persons[who].form_email = PP_EMAIL_NEVER;
    bridge_click(pp, who, mid, pp->fb, 0, true);
    who = bridge_person(pp); /* answers twice, a day apart */
    int64_t t = bridge_click(pp, who, mid + 1800, pp->fb, 0, true);
    make_contact(pp, &pp->persons[who], t + 300);
    bridge_click(pp, who, mid + 1800 + 86400 > end - 3600 ? t + 3600 : mid + 1800 + 86400, pp->fb,
                 0, true);
    if (pp->li != PP_NONE) { /* a LinkedIn click first: the CRM credits LinkedIn */
        who = bridge_person(pp);
        bridge_click(pp, who, mid + 3600, pp->li, 1, false);
        t = bridge_click(pp, who, mid + 7200, pp->fb, 0, true);
        make_contact(pp, &pp->persons[who], t + 300);
    }
    who = bridge_person(pp); /* a click on the awareness campaign, then the Page's form */
    bridge_click(pp, who, mid + 10800, pp->fb, 2, false);
    t = add_lead(pp, who, mid + 11400, pp->fb, PP_NONE);
    make_contact(pp, &pp->persons[who], t + 300);
    if (mid - 10 * 86400 >= start) { /* a click ten days before the contact, no form */
        who = bridge_person(pp);
        bridge_click(pp, who, mid - 10 * 86400, pp->fb, 2, false);
        make_contact(pp, &pp->persons[who], mid + 14400);
    }
    int32_t month = bridge_month_start(w);
    if (month) {
        int64_t first = day_start_utc(month);
        who = bridge_person(pp); /* 03:00 UTC on the first: Meta's day is the last of before */
        t = bridge_click(pp, who, first + 3 * 3600, pp->fb, 0, true);
        make_contact(pp, &pp->persons[who], t + 300);
        who = bridge_person(pp); /* noon of the last day, in the CRM two days later */
        t = bridge_click(pp, who, first - 12 * 3600, pp->fb, 0, true);
        make_contact(pp, &pp->persons[who], first + 86400 + 10 * 3600);
    }
    for (size_t i = from; i < pp->npersons; i++) /* clicks after the contact: latest source */
        if (pp->persons[i].contact)
            settle_contact(&pp->persons[i]);
    pp->rng = drawn;
}

struct people *people_new(const struct world *w)
{
    struct people *pp = xcalloc(1, sizeof *pp);
    pp->w = w;
    rng_seed(&pp->rng, w->seed, "people");
    gen_campaigns(pp, w);
    find_platforms(pp);
    gen_persons(pp, w);
    gen_deals(pp, day_start_utc(w->today));
    bridge_causes(pp, w);
    qsort(pp->leads, pp->nleads, sizeof *pp->leads, cmp_lead);
    return pp;
}

struct people *people_empty(const struct world *w)
{
    struct people *pp = xcalloc(1, sizeof *pp);
    pp->w = w;
    pp->fb = pp->li = PP_NONE;
    return pp;
}

void people_free(struct people *pp)
{
    if (!pp)
        return;
    free(pp->persons);
    free(pp->leads);
    free(pp->deals);
    free(pp);
}

/* ---- /_advance ------------------------------------------------------------------------------ */

/* A new person who clicks an ad of plat and answers its form at once. */
static void newcomer(struct people *pp, size_t plat, int64_t at)
{
    struct pp_person *p = add_person(pp);
    size_t who = pp->npersons - 1;
    name_person(pp, p, NELEM(special), pp->npersons);
    int64_t t = paid_lead(pp, who, at, plat);
    make_contact(pp, &pp->persons[who], t + rng_range(&pp->rng, 5, 20));
}

/* An existing contact who clicks again: its latest source changes. */
static void late_click(struct people *pp, int64_t at)
{
    size_t k = (size_t)rng_range(&pp->rng, 0, (int64_t)pp->npersons - 1);
    for (size_t n = 0; n < pp->npersons; n++, k = (k + 1) % pp->npersons) {
        struct pp_person *p = &pp->persons[k];
        if (p->contact && p->nclicks < PP_MAX_CLICKS && pp->nadplats > 0) {
            random_click(pp, p, at);
            source_of(p);
            p->modified = at;
            return;
        }
    }
}

/* Some open deals move a stage on or close; sometimes a contact gets a new deal. */
static void move_deals(struct people *pp, int64_t at)
{
    int moves = (int)rng_range(&pp->rng, 1, 3);
    size_t k = (size_t)rng_range(&pp->rng, 0, pp->ndeals ? (int64_t)pp->ndeals - 1 : 0);
    for (size_t n = 0; n < pp->ndeals && moves > 0; n++, k = (k + 1) % pp->ndeals) {
        struct pp_deal *d = &pp->deals[k];
        if (d->closed)
            continue;
        at += rng_range(&pp->rng, 1, 20);
        if (d->stage + 3 < pp_nstages(d->pipeline) && rng_pct(&pp->rng, 60)) {
            d->stage++;
            d->modified = at;
        } else {
            close_deal(d, &pp->persons[d->person], rng_pct(&pp->rng, 60), at);
        }
        moves--;
    }
    if (!rng_pct(&pp->rng, 50))
        return;
    size_t who = (size_t)rng_range(&pp->rng, 0, (int64_t)pp->npersons - 1);
    for (size_t n = 0; n < pp->npersons; n++, who = (who + 1) % pp->npersons)
        if (pp->persons[who].contact) {
            add_deal(pp, who, at + rng_range(&pp->rng, 5, 30));
            return;
        }
}

void people_advance(struct people *pp, const struct world *w)
{
    int64_t base = day_start_utc(w->today) + (int64_t)(w->generation - 1) * 600;
    int k = (int)rng_range(&pp->rng, 1, 2);
    for (int i = 0; i < k && pp->fb != PP_NONE; i++)
        newcomer(pp, pp->fb, base + i * 100 + rng_range(&pp->rng, 0, 30));
    if (pp->li != PP_NONE && rng_pct(&pp->rng, 60))
        newcomer(pp, pp->li, base + 250 + rng_range(&pp->rng, 0, 20));
    if (rng_pct(&pp->rng, 40))
        late_click(pp, base + 350 + rng_range(&pp->rng, 0, 30));
    move_deals(pp, base + 420);
}
