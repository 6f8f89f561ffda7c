/*
 * world_roi.c - the expected ROI report of the simulated world (see world_roi.h; the rules are
 * the contract in tests/sim/README.md, "ROI truth").
 *
 * The inputs are what the platforms serve: Meta's form leads and ad days, LinkedIn's form
 * responses and ad days, Pinterest's ad days, HubSpot's contacts and deals read through the
 * property code that answers the CRM search (sim_hubspot_props.c), and the business campaigns
 * with their links, utm_campaign values and spend lines as /_world lists them. Reading HubSpot
 * through its properties applies the latest-source rule, the utm_campaign fallbacks and the
 * deal currencies to the strings a client receives rather than to the generator's intentions,
 * and the dates and amounts are parsed here again, so a slip in the world's formatting shows.
 *
 * No floating point: money in int64 micros, weights as integers over ROI_DEN, credit in
 * millionths, products in 128 bits, every rounding half to even.
 */
#include "world_roi.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "sim.h"
#include "sim_hubspot.h"
#include "timeutil.h"
#include "world_facebook.h"
#include "world_linkedin.h"
#include "world_people.h"
#include "world_pinterest.h"
#include "xmalloc.h"

typedef __int128 wide;

/* Weights are integers over lcm(1..16), so 1/n is exact for every n up to ROI_MAX_TOUCHES. */
#define ROI_DEN         720720
#define ROI_MAX_TOUCHES 16
#define ROI_MAX_CUR     4
#define ROI_MAX_LINKS   64
/* The longest spend line range read (the world's are a few months). */
#define ROI_MAX_RANGE 4000

enum { ROI_FIRST_TOUCH, ROI_LINEAR, ROI_NMODELS };
static const char *const model_names[ROI_NMODELS] = {"first_touch", "linear"};

/* Report rows: business campaigns by index, then these two. */
#define ROW_NO_CAMPAIGN  PP_MAX_CAMPAIGNS
#define ROW_UNATTRIBUTED (PP_MAX_CAMPAIGNS + 1)
#define ROI_NROWS        (PP_MAX_CAMPAIGNS + 2)

_Noreturn static void fail(const char *what, const char *detail)
{
    fprintf(stderr, "socialroi-sim: the world breaks the ROI contract: %s (%s)\n", what, detail);
    abort();
}

/* ---- exact arithmetic ----------------------------------------------------------------------- */

/* num / den rounded half to even; den != 0. */
static int64_t rne_div(wide num, wide den)
{
    if (den < 0) {
        num = -num;
        den = -den;
    }
    wide q = num / den, r = num % den;
    if (r < 0) { /* C truncates toward zero: step down to the floor */
        q -= 1;
        r += den;
    }
    if (2 * r > den || (2 * r == den && q % 2 != 0))
        q += 1;
    return (int64_t)q;
}

/* A value in millionths as a decimal with six places: "2.333333", "-0.500000". */
static void fmt_millionths(int64_t v, char *buf, size_t len)
{
    uint64_t a = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    snprintf(buf, len, "%s%llu.%06llu", v < 0 ? "-" : "", (unsigned long long)(a / 1000000),
             (unsigned long long)(a % 1000000));
}

/* num / den rounded half to even to six decimal places. */
static void fmt_ratio6(wide num, wide den, char *buf, size_t len)
{
    fmt_millionths(rne_div(num * 1000000, den), buf, len);
}

const char *roi_rate_text(void)
{
    static char text[32];
    if (!text[0]) {
        fmt_millionths(SIM_EUR_USD_MICROS, text, sizeof text);
        for (size_t n = strlen(text); text[n - 1] == '0'; n--)
            text[n - 1] = '\0';
    }
    return text;
}

bool roi_currency_known(const char *currency)
{
    return strcmp(currency, SIM_HOME_CURRENCY) == 0 || strcmp(currency, "EUR") == 0;
}

/* The rate is static, so the day an amount belongs to does not matter. */
int64_t roi_conv(int64_t micros, const char *currency)
{
    if (strcmp(currency, SIM_HOME_CURRENCY) == 0)
        return micros;
    if (strcmp(currency, "EUR") == 0)
        return rne_div((wide)micros * SIM_EUR_USD_MICROS, 1000000);
    fail("a currency without a rate", currency);
}

/* ---- calendar (lib/timeutil: days since 1970-01-01) ------------------------------------------ */

/* Days in month m of year y. */
static int month_days(int y, unsigned m)
{
    return m == 12 ? 31 : time_days_from_civil(y, m + 1, 1) - time_days_from_civil(y, m, 1);
}

/* Exactly "YYYY-MM-DD" of a real date, the n bytes at s. */
static bool parse_date(const char *s, size_t n, int32_t *out)
{
    char buf[11];
    if (n != 10)
        return false;
    memcpy(buf, s, n);
    buf[n] = '\0';
    return time_parse_date(buf, out) == 0;
}

/* The UTC calendar day of Unix milliseconds. */
static int32_t utc_day(int64_t ms)
{
    int64_t d = ms / 86400000;
    return (int32_t)(ms % 86400000 < 0 ? d - 1 : d);
}

/* ---- configured spend ----------------------------------------------------------------------- */

enum line_kind { LINE_OVER, LINE_MONTHLY, LINE_ON };

/* One spend line: "2000.00 USD over FROM..TO", "1500.00 USD monthly FROM..TO", "200 USD on D". */
struct spend_line {
    int64_t amount;
    char cur[8];
    enum line_kind kind;
    int32_t from, to;
};

/* "2000.00", "-0.000005", "12": a decimal amount with at most six decimals, in micro-units. */
static bool parse_amount(const char *s, int64_t *out)
{
    bool neg = *s == '-', digits = false;
    int64_t whole = 0, frac = 0;
    int places = 0;
    s += *s == '-' || *s == '+';
    for (; isdigit((unsigned char)*s); s++, digits = true) {
        if (whole > 900000000000)
            return false;
        whole = whole * 10 + (*s - '0');
    }
    if (*s == '.')
        for (s++; isdigit((unsigned char)*s); s++, digits = true) {
            if (++places > 6)
                return false;
            frac = frac * 10 + (*s - '0');
        }
    for (int p = places; p < 6; p++)
        frac *= 10;
    *out = (neg ? -1 : 1) * (whole * 1000000 + frac);
    return digits && *s == '\0';
}

/* "FROM..TO" (or a single day for "on"). */
static bool parse_range(const char *s, struct spend_line *l)
{
    const char *dots = strstr(s, "..");
    if (l->kind == LINE_ON) {
        bool ok = parse_date(s, strlen(s), &l->from);
        l->to = l->from;
        return ok;
    }
    return dots && parse_date(s, (size_t)(dots - s), &l->from) &&
           parse_date(dots + 2, strlen(dots + 2), &l->to) && l->from <= l->to &&
           l->to - l->from < ROI_MAX_RANGE;
}

static bool parse_line(const char *text, struct spend_line *l, char *why, size_t whylen)
{
    char copy[160], *save = NULL;
    memset(l, 0, sizeof *l);
    snprintf(copy, sizeof copy, "%s", text);
    char *amount = strtok_r(copy, " \t", &save), *cur = strtok_r(NULL, " \t", &save);
    char *kind = strtok_r(NULL, " \t", &save), *range = strtok_r(NULL, " \t", &save);
    bool ok = range && !strtok_r(NULL, " \t", &save) && parse_amount(amount, &l->amount) &&
              strlen(cur) < sizeof l->cur && roi_currency_known(cur);
    if (ok) {
        snprintf(l->cur, sizeof l->cur, "%s", cur);
        l->kind = strcmp(kind, "over") == 0      ? LINE_OVER
                  : strcmp(kind, "monthly") == 0 ? LINE_MONTHLY
                                                 : LINE_ON;
        ok = (l->kind != LINE_ON || strcmp(kind, "on") == 0) && parse_range(range, l);
    }
    if (!ok)
        snprintf(why, whylen, "cannot read spend line \"%s\"", text);
    return ok;
}

/* Daily amounts per currency over the report window [from, from + ndays). */
struct ledger {
    int32_t from;
    int ndays, ncur;
    char cur[ROI_MAX_CUR][8];
    int64_t *amount[ROI_MAX_CUR];
};

static void ledger_init(struct ledger *l, int32_t from, int32_t to)
{
    memset(l, 0, sizeof *l);
    l->from = from;
    l->ndays = to - from + 1;
}

static void ledger_free(struct ledger *l)
{
    for (int c = 0; c < l->ncur; c++)
        free(l->amount[c]);
}

/* Adds micros on day (ignored outside the window). */
static void ledger_add(struct ledger *l, const char *cur, int32_t day, int64_t micros)
{
    if (day < l->from || day >= l->from + l->ndays)
        return;
    int c = 0;
    while (c < l->ncur && strcmp(l->cur[c], cur) != 0)
        c++;
    if (c == l->ncur) {
        if (c == ROI_MAX_CUR)
            fail("too many currencies in spend lines", cur);
        snprintf(l->cur[c], sizeof l->cur[c], "%s", cur);
        l->amount[c] = xcalloc((size_t)l->ndays, sizeof *l->amount[c]);
        l->ncur++;
    }
    l->amount[c][day - l->from] += micros;
}

/* A day's amounts converted: each currency's sum once, then added. */
static int64_t ledger_day(const struct ledger *l, int d)
{
    int64_t total = 0;
    for (int c = 0; c < l->ncur; c++)
        total += roi_conv(l->amount[c][d], l->cur[c]);
    return total;
}

static int64_t ledger_total(const struct ledger *l)
{
    int64_t total = 0;
    for (int d = 0; d < l->ndays; d++)
        total += ledger_day(l, d);
    return total;
}

/*
 * amount spread over the n days from first: amount / n on each (truncated toward zero) and one
 * micro more, with amount's sign, on the first |amount mod n| days, so the days add up exactly.
 */
static void spread(struct ledger *l, const char *cur, int64_t amount, int32_t first, int32_t n)
{
    int64_t base = amount / n, rem = amount % n, sign = amount < 0 ? -1 : 1;
    int64_t extra = rem < 0 ? -rem : rem;
    for (int32_t i = 0; i < n; i++)
        ledger_add(l, cur, first + i, base + (i < extra ? sign : 0));
}

/* A monthly line: each month it touches gets amount x (its days inside) / (its days). */
static void spread_monthly(struct ledger *l, const struct spend_line *s)
{
    int y;
    unsigned m, d;
    time_civil_from_days(s->from, &y, &m, &d);
    for (int32_t start = s->from - (int32_t)(d - 1); start <= s->to;) {
        int32_t n = month_days(y, m), end = start + n - 1;
        int32_t lo = start > s->from ? start : s->from, hi = end < s->to ? end : s->to;
        spread(l, s->cur, rne_div((wide)s->amount * (hi - lo + 1), n), lo, hi - lo + 1);
        start = end + 1;
        if (++m > 12) {
            m = 1;
            y++;
        }
    }
}

static void ledger_line(struct ledger *l, const struct spend_line *s)
{
    if (s->kind == LINE_ON)
        ledger_add(l, s->cur, s->from, s->amount);
    else if (s->kind == LINE_OVER)
        spread(l, s->cur, s->amount, s->from, s->to - s->from + 1);
    else
        spread_monthly(l, s);
}

/* ---- the calculation ------------------------------------------------------------------------ */

/* "platform:ad campaign id" of a business campaign, as /_world lists them. */
struct link {
    size_t plat, camp;
    int biz;
    char text[64];
};

struct touch {
    int64_t ms;
    int row; /* the business campaign, or ROW_NO_CAMPAIGN */
};

/* A lead: a Meta form answer, a LinkedIn form response or a HubSpot contact. */
struct lead {
    char key[96]; /* the e-mail address trimmed and lower-cased; "" without one */
    int64_t ms;
    struct touch t[2];
    int nt;
    size_t person;
};

/* The leads sharing an e-mail address: order[first .. first + n). */
struct person {
    size_t first, n;
    int64_t conv_ms;
};

struct tally {
    int64_t leads, customers; /* credit in millionths */
    int64_t revenue;
    bool credited; /* some weight went here */
};

struct calc {
    const struct world *w;
    const struct people *pp;
    int32_t from, to;
    struct link links[ROI_MAX_LINKS];
    size_t nlinks;
    struct lead *leads;
    size_t nleads, leadcap;
    size_t hs_first; /* the lead of HubSpot's first contact */
    size_t *order;   /* leads by key */
    struct person *persons;
    size_t npersons;
    struct tally tally[ROI_NMODELS][ROI_NROWS];
};

static void gather_links(struct calc *c)
{
    const struct people *pp = c->pp;
    for (size_t a = 0; a < pp->nadplats; a++) {
        for (size_t k = 0; k < pp->adplats[a].ncamps; k++) {
            if (c->nlinks == ROI_MAX_LINKS)
                fail("too many ad campaigns", "links");
            struct link *l = &c->links[c->nlinks++];
            l->plat = pp->adplats[a].plat;
            l->camp = k;
            l->biz = pp_biz(pp, l->plat, k);
            snprintf(l->text, sizeof l->text, "%s:%s", pp_plat_name(l->plat),
                     pp_ad_id(pp, l->plat, k));
        }
    }
}

/* The row of a touch: the campaign linking its ad campaign, else the one with its utm. */
static int campaign_of(const struct calc *c, const char *platform, const char *ad_id,
                       const char *utm)
{
    char key[160];
    if (platform && ad_id) {
        snprintf(key, sizeof key, "%s:%s", platform, ad_id);
        for (int b = 0; b < c->pp->ncamps; b++)
            for (size_t i = 0; i < c->nlinks; i++)
                if (c->links[i].biz == b && strcmp(c->links[i].text, key) == 0)
                    return b;
    }
    for (int b = 0; utm && b < c->pp->ncamps; b++)
        for (int u = 0; u < c->pp->camps[b].nutm; u++)
            if (strcmp(c->pp->camps[b].utm[u], utm) == 0)
                return b;
    return ROW_NO_CAMPAIGN;
}

static struct lead *new_lead(struct calc *c, const char *email, int64_t ms)
{
    c->leads = xgrow(c->leads, &c->leadcap, c->nleads + 1, sizeof *c->leads);
    struct lead *l = &c->leads[c->nleads++];
    memset(l, 0, sizeof *l);
    const char *s = email ? email : "";
    size_t n = strlen(s), o = 0;
    while (n > 0 && isspace((unsigned char)s[n - 1]))
        n--;
    while (n > 0 && isspace((unsigned char)*s)) {
        s++;
        n--;
    }
    for (; o < n && o + 1 < sizeof l->key; o++)
        l->key[o] = (char)tolower((unsigned char)s[o]);
    l->ms = ms;
    return l;
}

static void add_touch(const struct calc *c, struct lead *l, int64_t ms, const char *platform,
                      const char *ad_id, const char *utm)
{
    l->t[l->nt++] = (struct touch){.ms = ms, .row = campaign_of(c, platform, ad_id, utm)};
}

static void meta_leads(struct calc *c)
{
    size_t i;
    if (!sim_platform_find("facebook", &i))
        return;
    const struct fb_world *fb = c->w->pdata[i];
    for (size_t n = 0; n < fb->nleads; n++) {
        const struct fb_lead *f = &fb->leads[n];
        struct lead *l = new_lead(c, f->email, f->created * 1000); /* created_time: seconds */
        add_touch(c, l, l->ms, "facebook", f->campaign >= 0 ? fb->camps[f->campaign].id : NULL,
                  NULL);
    }
}

static void linkedin_leads(struct calc *c)
{
    size_t i;
    if (!sim_platform_find("linkedin", &i))
        return;
    const struct li_world *li = c->w->pdata[i];
    for (size_t n = 0; n < li->nleads; n++) {
        const struct li_lead *f = &li->leads[n];
        if (f->test)
            continue;
        struct lead *l = new_lead(c, f->email, f->at_ms);
        add_touch(c, l, l->ms, "linkedin", li->camps[f->campaign].id, NULL);
    }
}

/* ---- HubSpot, through the properties it serves ---------------------------------------------- */

struct source {
    struct hs_value kind, d1, d2;
};

static const char *text_of(const struct hs_value *v)
{
    return v->null ? NULL : v->text;
}

/* prefix, prefix_data_1, prefix_data_2 of contact i. */
static void read_source(struct hs_ctx *h, size_t i, const char *prefix, struct source *s)
{
    char name[64];
    hs_prop(h, HS_CONTACTS, i, prefix, &s->kind);
    snprintf(name, sizeof name, "%s_data_1", prefix);
    hs_prop(h, HS_CONTACTS, i, name, &s->d1);
    snprintf(name, sizeof name, "%s_data_2", prefix);
    hs_prop(h, HS_CONTACTS, i, name, &s->d2);
}

static bool same_value(const struct hs_value *a, const struct hs_value *b)
{
    return a->null || b->null ? a->null == b->null : strcmp(a->text, b->text) == 0;
}

static bool same_source(const struct source *a, const struct source *b)
{
    return same_value(&a->kind, &b->kind) && same_value(&a->d1, &b->d1) &&
           same_value(&a->d2, &b->d2);
}

/* What a source drills down to: _data_2 of social sources, _data_1 of other campaigns. */
static const char *drill_down(const struct source *s)
{
    const char *k = text_of(&s->kind);
    if (k && (strcmp(k, "PAID_SOCIAL") == 0 || strcmp(k, "SOCIAL_MEDIA") == 0))
        return text_of(&s->d2);
    if (k && strcmp(k, "OTHER_CAMPAIGNS") == 0)
        return text_of(&s->d1);
    return NULL;
}

/* The platform a source's _data_1 names ("Facebook" -> facebook); NULL for anything else. */
static const char *network_platform(const struct source *s)
{
    static const char *const map[][2] = {
        {"Facebook", "facebook"},
        {"Instagram", "instagram"},
        {"LinkedIn", "linkedin"},
        {"Pinterest", "pinterest"},
        {"YouTube", "youtube"},
        {"Twitter", "x"},
        {"X", "x"},
    };
    for (size_t i = 0; !s->d1.null && i < sizeof map / sizeof map[0]; i++)
        if (strcasecmp(s->d1.text, map[i][0]) == 0)
            return map[i][1];
    return NULL;
}

static int hex_digit(char ch)
{
    return isdigit((unsigned char)ch) ? ch - '0' : tolower((unsigned char)ch) - 'a' + 10;
}

/* The decoded utm_campaign of a URL's query into buf; NULL when absent or empty. */
static const char *url_utm_campaign(const char *url, char *buf, size_t len)
{
    static const char key[] = "utm_campaign=";
    const char *p = url ? strchr(url, '?') : NULL;
    while (p && (*p == '?' || *p == '&')) {
        size_t n = strcspn(++p, "&#"), o = 0;
        if (n >= sizeof key - 1 && strncmp(p, key, sizeof key - 1) == 0) {
            for (size_t i = sizeof key - 1; i < n && o + 1 < len; i++) {
                bool pct = p[i] == '%' && i + 2 < n && isxdigit((unsigned char)p[i + 1]) &&
                           isxdigit((unsigned char)p[i + 2]);
                buf[o++] = pct           ? (char)(hex_digit(p[i + 1]) * 16 + hex_digit(p[i + 2]))
                           : p[i] == '+' ? ' '
                                         : p[i];
                i += pct ? 2 : 0;
            }
            buf[o] = '\0';
            return o ? buf : NULL;
        }
        p += n;
    }
    return NULL;
}

/* A contact's touches: the first source at createdate, the latest source when it is another. */
static void contact_touches(const struct calc *c, struct hs_ctx *h, size_t i, struct lead *l)
{
    struct source first, latest;
    struct hs_value v, url, at;
    char query[256];
    read_source(h, i, "hs_analytics_source", &first);
    read_source(h, i, "hs_latest_source", &latest);
    hs_prop(h, HS_CONTACTS, i, "utm_campaign", &v);
    hs_prop(h, HS_CONTACTS, i, "hs_analytics_first_url", &url);
    const char *utm = !v.null && v.text[0] ? v.text : NULL;
    if (!utm)
        utm = url_utm_campaign(text_of(&url), query, sizeof query);
    if (!utm)
        utm = drill_down(&first);
    add_touch(c, l, l->ms, network_platform(&first), text_of(&first.d2), utm);
    hs_prop(h, HS_CONTACTS, i, "hs_latest_source_timestamp", &at);
    int64_t latest_ms = at.null ? l->ms : at.num;
    if (!same_source(&first, &latest) || latest_ms > l->ms)
        add_touch(c, l, latest_ms, network_platform(&latest), text_of(&latest.d2),
                  drill_down(&latest));
}

static struct hs_world *hubspot(const struct world *w)
{
    size_t i;
    return sim_platform_find("hubspot", &i) ? w->pdata[i] : NULL;
}

static void hubspot_leads(struct calc *c)
{
    struct hs_ctx h = {.hs = hubspot(c->w), .w = c->w};
    struct hs_value email, created;
    c->hs_first = c->nleads;
    for (size_t i = 0; h.hs && i < h.hs->ncontacts; i++) {
        hs_prop(&h, HS_CONTACTS, i, "email", &email);
        hs_prop(&h, HS_CONTACTS, i, "createdate", &created);
        contact_touches(c, &h, i, new_lead(c, text_of(&email), created.num));
    }
}

/* ---- persons and conversions ---------------------------------------------------------------- */

struct keyed {
    const char *key;
    size_t lead;
};

static int cmp_keyed(const void *a, const void *b)
{
    const struct keyed *x = a, *y = b;
    int k = strcmp(x->key, y->key);
    return k ? k : (x->lead > y->lead) - (x->lead < y->lead);
}

/* Leads with one e-mail address make a person; a lead without one is a person of its own. */
static void group_persons(struct calc *c)
{
    struct keyed *k = xcalloc(c->nleads + 1, sizeof *k);
    for (size_t i = 0; i < c->nleads; i++)
        k[i] = (struct keyed){.key = c->leads[i].key, .lead = i};
    qsort(k, c->nleads, sizeof *k, cmp_keyed);
    c->order = xcalloc(c->nleads + 1, sizeof *c->order);
    c->persons = xcalloc(c->nleads + 1, sizeof *c->persons);
    for (size_t i = 0; i < c->nleads; i++) {
        c->order[i] = k[i].lead;
        struct lead *l = &c->leads[k[i].lead];
        struct person *p = &c->persons[c->npersons - (c->npersons > 0)];
        bool same = c->npersons > 0 && l->key[0] && strcmp(l->key, k[i - 1].key) == 0;
        if (!same) {
            p = &c->persons[c->npersons++];
            *p = (struct person){.first = i, .conv_ms = l->ms};
        }
        p->n++;
        p->conv_ms = l->ms < p->conv_ms ? l->ms : p->conv_ms;
        l->person = (size_t)(p - c->persons);
    }
    free(k);
}

/* Appends the touches of a person's leads up to until (ms) to t; returns the new count. */
static size_t person_touches(const struct calc *c, size_t person, int64_t until, struct touch *t,
                             size_t n)
{
    const struct person *p = &c->persons[person];
    for (size_t k = 0; k < p->n; k++) {
        const struct lead *l = &c->leads[c->order[p->first + k]];
        for (int i = 0; i < l->nt; i++) {
            if (l->t[i].ms > until)
                continue;
            if (n == ROI_MAX_TOUCHES)
                fail("a conversion with too many touches", l->key);
            t[n++] = l->t[i];
        }
    }
    return n;
}

/* Orders a conversion's touches by time; two in one millisecond would make the order a guess. */
static void order_touches(struct touch *t, size_t n, const char *what)
{
    for (size_t i = 1; i < n; i++) {
        struct touch x = t[i];
        size_t j = i;
        for (; j > 0 && t[j - 1].ms > x.ms; j--)
            t[j] = t[j - 1];
        t[j] = x;
    }
    for (size_t i = 1; i < n; i++)
        if (t[i].ms == t[i - 1].ms)
            fail("two touches of one conversion in the same millisecond", what);
}

static void give(struct tally *t, bool deal, int64_t weight, int64_t millionths, int64_t revenue)
{
    if (deal)
        t->customers += millionths;
    else
        t->leads += millionths;
    t->revenue += revenue;
    t->credited = t->credited || weight > 0;
}

/*
 * Credits one conversion under every model. Touch i's revenue is R x (weights 1..i) minus
 * R x (weights 1..i-1), each rounded: the shares add up to R exactly whatever the rounding.
 * The credit (a lead or a customer) is split the same way in millionths, so every sum of
 * credits is exact at six decimals and the conversion's parts add up to exactly 1.
 */
static void credit(struct calc *c, const struct touch *t, size_t n, bool deal, int64_t revenue)
{
    for (int m = 0; m < ROI_NMODELS; m++) {
        if (n == 0) {
            give(&c->tally[m][ROW_UNATTRIBUTED], deal, ROI_DEN, 1000000, revenue);
            continue;
        }
        int64_t cum = 0, before = 0, mbefore = 0;
        for (size_t i = 0; i < n; i++) {
            int64_t weight = m == ROI_LINEAR ? ROI_DEN / (int64_t)n : i == 0 ? ROI_DEN : 0;
            cum += weight;
            int64_t upto = rne_div((wide)revenue * cum, ROI_DEN);
            int64_t mupto = rne_div((wide)1000000 * cum, ROI_DEN);
            give(&c->tally[m][t[i].row], deal, weight, mupto - mbefore, upto - before);
            before = upto;
            mbefore = mupto;
        }
    }
}

static bool in_report(const struct calc *c, int32_t day)
{
    return day >= c->from && day <= c->to;
}

/*
 * A person converts at their first lead with the touches up to then. All their touches are
 * ordered first, so two in one millisecond fail even where the conversion would not see them.
 */
static void credit_people(struct calc *c)
{
    struct touch t[ROI_MAX_TOUCHES];
    for (size_t p = 0; p < c->npersons; p++) {
        const struct person *x = &c->persons[p];
        size_t n = person_touches(c, p, INT64_MAX, t, 0);
        order_touches(t, n, c->leads[c->order[x->first]].key);
        while (n > 0 && t[n - 1].ms > x->conv_ms)
            n--;
        if (in_report(c, utc_day(x->conv_ms)))
            credit(c, t, n, false, 0);
    }
}

/* What counts of a deal: won or not, its time, its day and its revenue. */
struct deal_facts {
    bool won;
    int64_t created_ms, revenue;
    int32_t day;
    char id[24];
};

static void read_deal(struct hs_ctx *h, size_t i, struct deal_facts *f)
{
    struct hs_value v, closed, amount, cur;
    hs_prop(h, HS_DEALS, i, "hs_is_closed_won", &v);
    f->won = !v.null && strcmp(v.text, "true") == 0;
    hs_prop(h, HS_DEALS, i, "createdate", &v);
    f->created_ms = v.num;
    hs_prop(h, HS_DEALS, i, "closedate", &closed);
    f->day = utc_day(closed.null ? f->created_ms : closed.num);
    hs_prop(h, HS_DEALS, i, "amount", &amount);
    hs_prop(h, HS_DEALS, i, "deal_currency_code", &cur);
    f->revenue = amount.null ? 0 : roi_conv(amount.num, cur.null ? SIM_HOME_CURRENCY : cur.text);
    hs_prop(h, HS_DEALS, i, "hs_object_id", &v);
    snprintf(f->id, sizeof f->id, "deal %.18s", v.text);
}

/* The touches of a deal: those of every person its contacts belong to, up to its creation. */
static size_t deal_touches(const struct calc *c, const struct hs_world *hs, size_t i, int64_t until,
                           struct touch *t)
{
    uint64_t ids[2];
    size_t persons[2], np = 0, n = 0;
    hs_deal_contacts(hs, c->w, &hs->deals[i], ids);
    for (int k = 0; k < 2 && ids[k]; k++) {
        size_t ci = hs_contact_find(hs, ids[k]);
        if (ci == PP_NONE)
            continue;
        size_t p = c->leads[c->hs_first + ci].person;
        if (np == 0 || persons[0] != p)
            persons[np++] = p;
    }
    for (size_t k = 0; k < np; k++)
        n = person_touches(c, persons[k], until, t, n);
    return n;
}

static void credit_deals(struct calc *c)
{
    struct hs_ctx h = {.hs = hubspot(c->w), .w = c->w};
    struct touch t[ROI_MAX_TOUCHES];
    struct deal_facts f;
    for (size_t i = 0; h.hs && i < h.hs->ndeals; i++) {
        read_deal(&h, i, &f);
        size_t n = deal_touches(c, h.hs, i, f.created_ms, t);
        order_touches(t, n, f.id);
        if (f.won && in_report(c, f.day))
            credit(c, t, n, true, f.revenue);
    }
}

static void calc_init(struct calc *c, const struct world *w)
{
    memset(c, 0, sizeof *c);
    c->w = w;
    c->pp = w->people;
    c->from = world_first_day(w);
    c->to = w->today;
    gather_links(c);
    meta_leads(c);
    linkedin_leads(c);
    hubspot_leads(c);
    group_persons(c);
    credit_people(c);
    credit_deals(c);
}

static void calc_free(struct calc *c)
{
    free(c->leads);
    free(c->order);
    free(c->persons);
}

/* ---- spend ---------------------------------------------------------------------------------- */

/* One ad campaign's day d (index into the history) as its platform reports it. */
static bool ad_day(const struct world *w, const struct link *l, int d, int64_t *spend,
                   const char **cur, int32_t *day)
{
    const char *name = sim_platforms[l->plat]->name;
    void *pd = w->pdata[l->plat];
    if (strcmp(name, "facebook") == 0) { /* days of the ad account's time zone */
        struct fb_world *fb = pd;
        const struct fb_adday *a = fb_adday(fb, (int)l->camp, d);
        *spend = a->spend_micros;
        *cur = "USD"; /* the ad account's currency (/_world) */
        *day = fb->first_day + d;
        return a->delivered;
    }
    if (strcmp(name, "linkedin") == 0) { /* UTC days; "-2E-18" is no cost */
        struct li_world *li = pd;
        const struct li_adday *a = li_adday(li, (int)l->camp, d);
        *spend = a->style == LI_COST_TINY ? 0 : a->cost_micros;
        *cur = li->currency;
        *day = li->first_day + d;
        return a->present;
    }
    if (strcmp(name, "pinterest") == 0) { /* UTC days */
        struct pin_world *pw = pd;
        const struct pin_adday *a = pin_adday(pw, (int)l->camp, d);
        *spend = a->spend_micros;
        *cur = pw->currency;
        *day = pw->first_day + d;
        return a->delivered;
    }
    return false;
}

/* Per platform and day: the linked campaigns' spend added, then converted once. */
static int64_t platform_spend(const struct calc *c, int biz)
{
    int64_t total = 0;
    for (size_t a = 0; a < c->pp->nadplats; a++) {
        for (int d = 0; d < c->w->ndays; d++) {
            int64_t sum = 0, s;
            const char *cur = NULL;
            int32_t day = 0;
            for (size_t i = 0; i < c->nlinks; i++) {
                const struct link *l = &c->links[i];
                if (l->biz == biz && l->plat == c->pp->adplats[a].plat &&
                    ad_day(c->w, l, d, &s, &cur, &day))
                    sum += s;
            }
            if (cur && in_report(c, day))
                total += roi_conv(sum, cur);
        }
    }
    return total;
}

static int64_t configured_spend(const struct calc *c, int biz)
{
    const struct pp_campaign *k = &c->pp->camps[biz];
    struct ledger l;
    struct spend_line s;
    char why[200];
    ledger_init(&l, c->from, c->to);
    for (int i = 0; i < k->nspend; i++) {
        if (!parse_line(k->spend[i], &s, why, sizeof why))
            fail(why, k->name);
        ledger_line(&l, &s);
    }
    int64_t total = ledger_total(&l);
    ledger_free(&l);
    return total;
}

/* ---- output --------------------------------------------------------------------------------- */

struct spend {
    int64_t platform, configured;
};

static void kratio(struct jw *j, const char *k, wide num, int64_t den)
{
    char s[48];
    if (den == 0) {
        jw_knull(j, k);
        return;
    }
    fmt_ratio6(num, den, s, sizeof s);
    jw_kstr(j, k, s);
}

/* micros / (millionths / 10^6), rounded: a cost per lead or per customer. */
static void kcost(struct jw *j, const char *k, int64_t micros, int64_t weight)
{
    if (weight == 0)
        jw_knull(j, k);
    else
        jw_kint(j, k, rne_div((wide)micros * 1000000, weight));
}

static void row_json(struct jw *j, const char *name, const struct tally *t, struct spend sp)
{
    char s[48];
    int64_t spend = sp.platform + sp.configured;
    jw_kobj(j, name);
    jw_kint(j, "platform_spend_micros", sp.platform);
    jw_kint(j, "configured_spend_micros", sp.configured);
    jw_kint(j, "spend_micros", spend);
    fmt_ratio6(t->leads, 1000000, s, sizeof s);
    jw_kstr(j, "leads", s);
    fmt_ratio6(t->customers, 1000000, s, sizeof s);
    jw_kstr(j, "customers", s);
    jw_kint(j, "revenue_micros", t->revenue);
    kratio(j, "roi", (wide)t->revenue - spend, spend);
    kratio(j, "roas", t->revenue, spend);
    kcost(j, "cost_per_lead_micros", spend, t->leads);
    kcost(j, "customer_acquisition_cost_micros", spend, t->customers);
    jw_end(j);
}

static void model_json(const struct calc *c, int m, const struct spend *sp, struct jw *j)
{
    const struct spend none = {0, 0};
    jw_kobj(j, model_names[m]);
    for (int b = 0; b < c->pp->ncamps; b++)
        row_json(j, c->pp->camps[b].name, &c->tally[m][b], sp[b]);
    if (c->tally[m][ROW_NO_CAMPAIGN].credited)
        row_json(j, "(no campaign)", &c->tally[m][ROW_NO_CAMPAIGN], none);
    if (c->tally[m][ROW_UNATTRIBUTED].credited)
        row_json(j, "(unattributed)", &c->tally[m][ROW_UNATTRIBUTED], none);
    jw_end(j);
}

void roi_truth_json(const struct world *w, struct jw *j)
{
    struct calc c;
    struct spend sp[PP_MAX_CAMPAIGNS];
    char day[16];
    calc_init(&c, w);
    for (int b = 0; b < c.pp->ncamps; b++)
        sp[b] = (struct spend){platform_spend(&c, b), configured_spend(&c, b)};
    jw_obj(j);
    fmt_date(c.from, day, sizeof day);
    jw_kstr(j, "from", day);
    fmt_date(c.to, day, sizeof day);
    jw_kstr(j, "to", day);
    jw_kstr(j, "currency", SIM_HOME_CURRENCY);
    jw_kobj(j, "models");
    for (int m = 0; m < ROI_NMODELS; m++)
        model_json(&c, m, sp, j);
    jw_end(j);
    jw_end(j);
    calc_free(&c);
}

/* ---- checks ------------------------------------------------------------------------------------
 */

/* No ad campaign and no utm_campaign value may belong to two business campaigns. */
static void check_unique_claims(const struct calc *c)
{
    for (size_t i = 0; i < c->nlinks; i++)
        for (size_t k = i + 1; k < c->nlinks; k++)
            if (strcmp(c->links[i].text, c->links[k].text) == 0)
                fail("an ad campaign linked twice", c->links[i].text);
    for (int a = 0; a < c->pp->ncamps; a++)
        for (int u = 0; u < c->pp->camps[a].nutm; u++)
            for (int b = a; b < c->pp->ncamps; b++)
                for (int v = b == a ? u + 1 : 0; v < c->pp->camps[b].nutm; v++)
                    if (strcmp(c->pp->camps[a].utm[u], c->pp->camps[b].utm[v]) == 0)
                        fail("a utm_campaign of two campaigns", c->pp->camps[a].utm[u]);
}

void roi_verify(const struct world *w)
{
    struct calc c;
    calc_init(&c, w); /* fails on touches in one millisecond */
    check_unique_claims(&c);
    for (int b = 0; b < c.pp->ncamps; b++)
        configured_spend(&c, b); /* fails on a spend line it cannot read */
    calc_free(&c);
}
