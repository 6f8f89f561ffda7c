/*
 * campaign.h - business campaigns from the config: spend lines and links, parsed and checked.
 *
 *   spend = 3000.00 USD over 2026-11-01..2026-11-30    fixed amount, spread evenly per day
 *   spend = 1500.00 EUR monthly 2026-01-01..2026-06-30  retainer per calendar month, prorated
 *   spend = 500.00 USD on 2026-11-15                    one-off on a day
 *   link = facebook:23854404676180548                   a platform's ad campaign
 *   link = linkedin:urn:li:sponsoredCampaign:612345678  (URNs are reduced to their id)
 *   utm_campaign = q1-launch
 *   content = x:1588190392425373696                     a post, video, pin or medium
 *
 * campaign_json() turns the config's campaigns into the document socialroi.sync_campaigns takes.
 * Pure functions.
 */
#ifndef SR_CAMPAIGN_H
#define SR_CAMPAIGN_H

#include "buf.h"
#include "config.h"

#include <stdint.h>

enum spend_kind { SPEND_FIXED, SPEND_MONTHLY, SPEND_ONEOFF };

struct spend_line {
    enum spend_kind kind;
    struct money amount;
    int32_t from, to; /* days since epoch, inclusive */
};

/* Parses a spend line; returns 0, or -1 with why (a static string) set. */
int campaign_parse_spend(const char *text, struct spend_line *out, const char **why);

/* Parses "platform:id" into the platform and the id (URNs reduced to their last part). */
int campaign_parse_ref(const char *text, enum platform_id *platform, const char **id,
                       const char **why);

/* Appends the JSON array of every campaign of cfg (all values already validated). */
void campaign_json(const struct config *cfg, struct buf *out);

#endif
