/*
 * campaign.c - spend lines and links of business campaigns (see campaign.h).
 */
#include "campaign.h"
#include "json.h"
#include "timeutil.h"

#include <stdio.h>
#include <string.h>

static const struct {
    const char *word;
    enum spend_kind kind;
} kinds[] = {{"over", SPEND_FIXED}, {"monthly", SPEND_MONTHLY}, {"on", SPEND_ONEOFF}};

static const char *kind_name(enum spend_kind k)
{
    return k == SPEND_FIXED ? "fixed" : k == SPEND_MONTHLY ? "monthly" : "oneoff";
}

/* "YYYY-MM-DD..YYYY-MM-DD" or, for one-offs, "YYYY-MM-DD". */
static int parse_range(const char *s, bool single, int32_t *from, int32_t *to)
{
    char a[16], b[16];
    if (single) {
        *to = 0;
        return strlen(s) == 10 && time_parse_date(s, from) == 0 ? (*to = *from, 0) : -1;
    }
    if (strlen(s) != 22 || strncmp(s + 10, "..", 2) != 0)
        return -1;
    memcpy(a, s, 10);
    a[10] = '\0';
    memcpy(b, s + 12, 10);
    b[10] = '\0';
    return time_parse_date(a, from) == 0 && time_parse_date(b, to) == 0 ? 0 : -1;
}

int campaign_parse_spend(const char *text, struct spend_line *out, const char **why)
{
    char amount[64], cur[8], word[16], range[64], extra[8];
    int n = sscanf(text, "%63s %7s %15s %63s %7s", amount, cur, word, range, extra);
    char money_text[80];
    *why = "must be AMOUNT CURRENCY over|monthly FROM..TO, or AMOUNT CURRENCY on DAY";
    if (n != 4)
        return -1;
    snprintf(money_text, sizeof money_text, "%s %s", amount, cur);
    if (money_parse(money_text, &out->amount) < 0)
        return *why = "amount must be a decimal number and an ISO currency, e.g. 3000.00 USD", -1;
    if (out->amount.micros < 0)
        return *why = "amount must not be negative", -1;
    size_t k = 0;
    while (k < sizeof kinds / sizeof kinds[0] && strcmp(word, kinds[k].word) != 0)
        k++;
    if (k == sizeof kinds / sizeof kinds[0])
        return -1;
    out->kind = kinds[k].kind;
    if (parse_range(range, out->kind == SPEND_ONEOFF, &out->from, &out->to) < 0)
        return *why = out->kind == SPEND_ONEOFF ? "day must be YYYY-MM-DD"
                                                : "period must be YYYY-MM-DD..YYYY-MM-DD",
               -1;
    if (out->to < out->from)
        return *why = "period ends before it starts", -1;
    return 0;
}

int campaign_parse_ref(const char *text, enum platform_id *platform, const char **id,
                       const char **why)
{
    const char *colon = strchr(text, ':');
    char name[32];
    *why = "must be PLATFORM:ID, e.g. facebook:23854404676180548";
    if (!colon || colon == text || (size_t)(colon - text) >= sizeof name || !colon[1])
        return -1;
    memcpy(name, text, (size_t)(colon - text));
    name[colon - text] = '\0';
    if (platform_lookup(name, platform) < 0)
        return *why = "unknown platform before the ':'", -1;
    /* a URN (urn:li:sponsoredCampaign:123) stands for its numeric id */
    const char *last = strrchr(colon + 1, ':');
    *id = last ? last + 1 : colon + 1;
    if (!**id)
        return -1;
    return 0;
}

static void put_date(struct buf *b, const char *key, int32_t day)
{
    char d[16];
    if (day == CFG_UNSET_DATE) {
        buf_printf(b, ",\"%s\":null", key);
        return;
    }
    time_format_date(day, d, sizeof d);
    buf_printf(b, ",\"%s\":\"%s\"", key, d);
}

static void put_links(struct buf *b, const struct cfg_list *l, const char *kind, bool refs,
                      bool *first)
{
    for (size_t i = 0; i < l->n; i++) {
        enum platform_id p;
        const char *id = l->items[i], *why;
        buf_puts(b, *first ? "" : ",");
        *first = false;
        buf_printf(b, "{\"kind\":\"%s\",\"platform\":", kind);
        if (refs && campaign_parse_ref(l->items[i], &p, &id, &why) == 0)
            json_write_str(b, platform_info(p)->name);
        else
            buf_puts(b, "\"\"");
        buf_puts(b, ",\"value\":");
        json_write_str(b, id);
        buf_puts(b, "}");
    }
}

static void one_campaign(const struct cfg_campaign *c, struct buf *b)
{
    bool first = true;
    buf_puts(b, "{\"name\":");
    json_write_str(b, c->name);
    buf_puts(b, ",\"title\":");
    json_write_str(b, c->title);
    put_date(b, "start", c->start);
    put_date(b, "end", c->end);
    if (c->budget.currency[0])
        buf_printf(b, ",\"budget_micros\":%lld,\"budget_currency\":\"%s\"",
                   (long long)c->budget.micros, c->budget.currency);
    buf_puts(b, ",\"spend\":[");
    for (size_t i = 0; i < c->spend.n; i++) {
        struct spend_line s;
        const char *why;
        if (campaign_parse_spend(c->spend.items[i], &s, &why) < 0)
            continue; /* config_load refused these already */
        buf_printf(b, "%s{\"line\":%zu,\"kind\":\"%s\",\"amount_micros\":%lld,\"currency\":\"%s\"",
                   i ? "," : "", i + 1, kind_name(s.kind), (long long)s.amount.micros,
                   s.amount.currency);
        put_date(b, "start", s.from);
        put_date(b, "end", s.to);
        buf_puts(b, "}");
    }
    buf_puts(b, "],\"links\":[");
    put_links(b, &c->link, "ad_campaign", true, &first);
    put_links(b, &c->utm_campaign, "utm_campaign", false, &first);
    put_links(b, &c->content, "content", true, &first);
    buf_puts(b, "]}");
}

void campaign_json(const struct config *cfg, struct buf *out)
{
    buf_puts(out, "[");
    for (size_t i = 0; i < cfg->ncampaigns; i++) {
        if (i)
            buf_puts(out, ",");
        one_campaign(&cfg->campaigns[i], out);
    }
    buf_puts(out, "]");
}
