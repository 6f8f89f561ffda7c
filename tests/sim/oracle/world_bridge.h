/*
 * world_bridge.h - the ROI bridge the simulated world should produce: per channel and month,
 * the leads the platform's ad rows report against the CRM people credited to the channel, and
 * the difference traced to causes, computed from the world's own model (the people, the Meta
 * and LinkedIn form answers, the ad days, the HubSpot contacts' facts) by the rules of
 * tests/sim/README.md ("ROI bridge truth"), never from socialroi's SQL, so an integration test
 * can compare finance.roi_bridge with it row by row. Also the pixel leads per channel and month:
 * the part of the platform's count no form answer explains (the bridge's unexplained), and
 * outside_window_by_first_click: minus the CRM people of crm_lead_platform_did_not_count or
 * outside_attribution_window whose first click (hs_analytics_first_timestamp) came more than 7
 * days before the CRM record, which socialroi's touches (the first source at createdate) do not
 * show.
 * Runs on the event loop; not thread-safe.
 */
#ifndef SIM_WORLD_BRIDGE_H
#define SIM_WORLD_BRIDGE_H

#include "jw.h"
#include "world.h"

/* The /_truth "bridge" array for the world as it is now, rows ordered by month and channel. */
void bridge_truth_json(const struct world *w, struct jw *j);

#endif
