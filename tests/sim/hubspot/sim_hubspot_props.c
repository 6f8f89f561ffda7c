/*
 * sim_hubspot_props.c - the properties of simulated HubSpot contacts and deals, every value a
 * string or null (reference §7.2, §7.3, §10.7).
 *
 * Contacts: email (HubSpot keeps addresses in lower case), firstname, lastname, company,
 * createdate, lastmodifieddate, lifecyclestage, hs_analytics_source (PAID_SOCIAL,
 * ORGANIC_SEARCH, DIRECT_TRAFFIC) with hs_analytics_source_data_1 (the network: "LinkedIn",
 * "Facebook", "Pinterest"; "google" for organic search) and _data_2 (the utm_campaign of a
 * paid click; "unknown keywords (SSL)" for organic search), hs_latest_source* (a click after
 * the contact was created, else the first source at createdate), hs_analytics_first_url (the
 * landing page with its UTM query), hs_analytics_first_timestamp, the portal's custom
 * utm_source / utm_medium / utm_campaign / utm_content (null without a paid first click),
 * num_conversion_events, hs_email_domain. Contacts have no hs_lastmodifieddate (filters on
 * it match nothing, reference §15 item 15).
 * Deals: dealname, amount (a decimal string, null without amount; "12000.0" style in the
 * custom pipeline), deal_currency_code (null when the portal's currency applies),
 * amount_in_home_currency (USD, EUR at 1.08), dealstage (the stage id), pipeline, closedate
 * (null while open), createdate, hs_lastmodifieddate, hs_is_closed_won, hs_is_closed,
 * hs_closed_amount, hs_deal_stage_probability, hs_analytics_source* of the first contact,
 * num_associated_contacts. Deals have no lastmodifieddate.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "sim_hubspot.h"
#include "world_roi.h"

const char *const hs_always[2][4] = {{"createdate", "hs_object_id", "lastmodifieddate", NULL},
                                     {"createdate", "hs_lastmodifieddate", "hs_object_id", NULL}};
const char *const hs_defaults[2][9] = {
    {"createdate", "email", "firstname", "hs_object_id", "lastmodifieddate", "lastname", NULL},
    {"amount", "closedate", "createdate", "dealname", "dealstage", "hs_lastmodifieddate",
     "hs_object_id", "pipeline", NULL}};

static const char *const contact_props[] = {"hs_object_id",
                                            "email",
                                            "firstname",
                                            "lastname",
                                            "company",
                                            "createdate",
                                            "lastmodifieddate",
                                            "lifecyclestage",
                                            "hs_analytics_source",
                                            "hs_analytics_source_data_1",
                                            "hs_analytics_source_data_2",
                                            "hs_latest_source",
                                            "hs_latest_source_data_1",
                                            "hs_latest_source_data_2",
                                            "hs_latest_source_timestamp",
                                            "hs_analytics_first_url",
                                            "hs_analytics_first_timestamp",
                                            "utm_source",
                                            "utm_medium",
                                            "utm_campaign",
                                            "utm_content",
                                            "num_conversion_events",
                                            "hs_email_domain",
                                            "hs_lead_status",
                                            NULL};

static const char *const deal_props[] = {"hs_object_id",
                                         "dealname",
                                         "amount",
                                         "deal_currency_code",
                                         "amount_in_home_currency",
                                         "dealstage",
                                         "pipeline",
                                         "closedate",
                                         "createdate",
                                         "hs_lastmodifieddate",
                                         "hs_is_closed_won",
                                         "hs_is_closed",
                                         "hs_closed_amount",
                                         "hs_deal_stage_probability",
                                         "hs_analytics_source",
                                         "hs_analytics_source_data_1",
                                         "hs_analytics_source_data_2",
                                         "num_associated_contacts",
                                         NULL};

static const char *const sources[] = {
    [PP_PAID_SOCIAL] = "PAID_SOCIAL",
    [PP_ORGANIC_SEARCH] = "ORGANIC_SEARCH",
    [PP_DIRECT_TRAFFIC] = "DIRECT_TRAFFIC",
};

bool hs_prop_known(enum hs_object o, const char *name)
{
    for (const char *const *p = o == HS_CONTACTS ? contact_props : deal_props; *p; p++)
        if (strcmp(*p, name) == 0)
            return true;
    return false;
}

/* ---- value helpers -------------------------------------------------------------------------- */

static void set_text(struct hs_value *v, const char *s)
{
    v->null = s == NULL;
    if (s)
        snprintf(v->text, sizeof v->text, "%s", s);
}

static void set_time(struct hs_value *v, int64_t ms)
{
    v->null = false;
    v->type = HS_DATETIME;
    v->num = ms;
    hs_fmt_ms(ms, v->text, sizeof v->text);
}

static void set_number(struct hs_value *v, int64_t micros, bool dot0)
{
    v->null = false;
    v->type = HS_NUMBER;
    v->num = micros;
    fmt_decimal_micros(micros, v->text, sizeof v->text);
    if (dot0 && micros % 1000000 == 0)
        strcat(v->text, ".0");
}

static void set_id(struct hs_value *v, uint64_t id)
{
    v->null = false;
    v->type = HS_NUMBER;
    v->num = (int64_t)id * 1000000;
    snprintf(v->text, sizeof v->text, "%llu", (unsigned long long)id);
}

/* ---- contacts ------------------------------------------------------------------------------- */

/* hs_analytics_source_data_1 and _2 of a source reached through click k (or organic). */
static void source_data(const struct people *pp, enum pp_source s, const struct pp_click *k, int n,
                        struct hs_value *v)
{
    if (s == PP_PAID_SOCIAL && k)
        set_text(v, n == 1 ? pp_network(k->plat) : pp_utm(pp, k->plat, k->camp));
    else if (s == PP_ORGANIC_SEARCH)
        set_text(v, n == 1 ? "google" : "unknown keywords (SSL)");
    else
        set_text(v, NULL);
}

static void utm(const struct people *pp, const struct pp_click *k, const char *name,
                struct hs_value *v)
{
    if (!k)
        set_text(v, NULL);
    else if (strcmp(name, "utm_source") == 0)
        set_text(v, pp_plat_name(k->plat));
    else if (strcmp(name, "utm_medium") == 0)
        set_text(v, "paid_social");
    else if (strcmp(name, "utm_campaign") == 0)
        set_text(v, pp_utm(pp, k->plat, k->camp));
    else
        set_text(v, pp_ad_id(pp, k->plat, k->camp));
}

static void first_url(const struct people *pp, const struct pp_click *k, struct hs_value *v)
{
    if (!k) {
        set_text(v, "https://www.acme-analytics.example/");
        return;
    }
    snprintf(v->text, sizeof v->text,
             "https://www.acme-analytics.example/webinar?utm_source=%s&utm_medium=paid_social"
             "&utm_campaign=%s&utm_content=%s",
             pp_plat_name(k->plat), pp_utm(pp, k->plat, k->camp), pp_ad_id(pp, k->plat, k->camp));
    v->null = false;
}

static void latest(struct hs_ctx *c, const struct hs_facts *f, const char *name, struct hs_value *v)
{
    const struct pp_click *k = f->latest_click ? f->latest_click : f->first_click;
    enum pp_source s = f->latest_click ? PP_PAID_SOCIAL : f->source;
    if (strcmp(name, "hs_latest_source") == 0)
        set_text(v, sources[s]);
    else if (strcmp(name, "hs_latest_source_timestamp") == 0)
        set_time(v, f->latest_click ? hs_ms(f->id, f->latest_click->at) : f->created_ms);
    else
        source_data(c->w->people, s, k, name[strlen(name) - 1] - '0', v);
}

static void contact_prop(struct hs_ctx *c, size_t i, const char *name, struct hs_value *v)
{
    struct hs_facts f;
    const struct people *pp = c->w->people;
    hs_contact_facts(c->hs, c->w, i, &f);
    const char *at = strchr(f.email, '@');
    if (strcmp(name, "hs_object_id") == 0)
        set_id(v, f.id);
    else if (strcmp(name, "email") == 0) {
        set_text(v, f.email[0] ? f.email : NULL);
        for (char *p = v->text; !v->null && *p; p++)
            *p = (char)tolower((unsigned char)*p);
    } else if (strcmp(name, "firstname") == 0)
        set_text(v, f.first);
    else if (strcmp(name, "lastname") == 0)
        set_text(v, f.last);
    else if (strcmp(name, "company") == 0)
        set_text(v, f.company);
    else if (strcmp(name, "createdate") == 0)
        set_time(v, f.created_ms);
    else if (strcmp(name, "lastmodifieddate") == 0)
        set_time(v, f.modified_ms);
    else if (strcmp(name, "lifecyclestage") == 0)
        set_text(v, pp_lifecycle_name(f.lifecycle));
    else if (strcmp(name, "hs_analytics_source") == 0)
        set_text(v, sources[f.source]);
    else if (strncmp(name, "hs_analytics_source_data_", 25) == 0)
        source_data(pp, f.source, f.first_click, name[25] - '0', v);
    else if (strncmp(name, "hs_latest_source", 16) == 0)
        latest(c, &f, name, v);
    else if (strcmp(name, "hs_analytics_first_url") == 0)
        first_url(pp, f.first_click, v);
    else if (strcmp(name, "hs_analytics_first_timestamp") == 0)
        set_time(v, f.first_click ? hs_ms(f.id, f.first_click->at) : f.created_ms);
    else if (strncmp(name, "utm_", 4) == 0)
        utm(pp, f.first_click, name, v);
    else if (strcmp(name, "num_conversion_events") == 0)
        set_number(v, (f.lead || f.first_click ? 1 : 0) * 1000000LL, false);
    else if (strcmp(name, "hs_email_domain") == 0)
        set_text(v, at ? at + 1 : NULL);
    else
        set_text(v, NULL);
}

/* ---- deals ---------------------------------------------------------------------------------- */

static void deal_source(struct hs_ctx *c, const struct pp_deal *d, const char *name,
                        struct hs_value *v)
{
    struct hs_facts f;
    hs_contact_facts(c->hs, c->w, c->hs->of_person[d->person], &f);
    if (strcmp(name, "hs_analytics_source") == 0)
        set_text(v, sources[f.source]);
    else
        source_data(c->w->people, f.source, f.first_click, name[strlen(name) - 1] - '0', v);
}

static void deal_money(const struct pp_deal *d, const char *name, struct hs_value *v)
{
    bool won = pp_stage_won(d->pipeline, d->stage);
    bool dot0 = d->pipeline == PP_PIPE_CUSTOM;
    if (d->amount_micros < 0)
        set_text(v, strcmp(name, "hs_closed_amount") == 0 ? "0" : NULL);
    else if (strcmp(name, "amount") == 0)
        set_number(v, d->amount_micros, dot0);
    else if (strcmp(name, "amount_in_home_currency") == 0)
        set_number(v, roi_conv(d->amount_micros, d->currency), dot0);
    else
        set_number(v, won ? d->amount_micros : 0, dot0);
}

static void deal_prop(struct hs_ctx *c, size_t i, const char *name, struct hs_value *v)
{
    const struct hs_deal *hd = &c->hs->deals[i];
    const struct pp_deal *d = &c->w->people->deals[hd->deal];
    const struct hs_pipeline *p = &c->hs->pipes[d->pipeline];
    if (strcmp(name, "hs_object_id") == 0)
        set_id(v, hd->id);
    else if (strcmp(name, "dealname") == 0)
        set_text(v, d->name);
    else if (strcmp(name, "amount") == 0 || strcmp(name, "amount_in_home_currency") == 0 ||
             strcmp(name, "hs_closed_amount") == 0)
        deal_money(d, name, v);
    else if (strcmp(name, "deal_currency_code") == 0)
        set_text(v, d->currency_set ? d->currency : NULL);
    else if (strcmp(name, "dealstage") == 0)
        set_text(v, p->stages[d->stage].id);
    else if (strcmp(name, "pipeline") == 0)
        set_text(v, p->id);
    else if (strcmp(name, "closedate") == 0 && d->closed)
        set_time(v, hs_ms(hd->id, d->closed));
    else if (strcmp(name, "createdate") == 0)
        set_time(v, hs_ms(hd->id, d->created));
    else if (strcmp(name, "hs_lastmodifieddate") == 0)
        set_time(v, hs_ms(hd->id, d->modified));
    else if (strcmp(name, "hs_is_closed_won") == 0)
        set_text(v, pp_stage_won(d->pipeline, d->stage) ? "true" : "false");
    else if (strcmp(name, "hs_is_closed") == 0)
        set_text(v, pp_stage_closed(d->pipeline, d->stage) ? "true" : "false");
    else if (strcmp(name, "hs_deal_stage_probability") == 0)
        set_text(v, p->stages[d->stage].probability);
    else if (strncmp(name, "hs_analytics_source", 19) == 0)
        deal_source(c, d, name, v);
    else if (strcmp(name, "num_associated_contacts") == 0)
        set_number(v, (d->second == PP_NONE ? 1 : 2) * 1000000LL, false);
    else
        set_text(v, NULL);
}

void hs_prop(struct hs_ctx *c, enum hs_object o, size_t i, const char *name, struct hs_value *v)
{
    v->type = HS_STRING;
    v->num = 0;
    v->text[0] = '\0';
    if (o == HS_CONTACTS)
        contact_prop(c, i, name, v);
    else
        deal_prop(c, i, name, v);
}
