/*
 * world_roi.h - the ROI report the simulated world should produce, computed from the world's
 * own data by the rules of tests/sim/README.md ("ROI truth"), never from socialroi's code, so
 * an integration test can compare `socialroi report roi` with it figure by figure.
 *
 * Everything is exact: money in int64 micro-units, weights as integers over a common
 * denominator, 128-bit intermediates, rounding half to even. The report covers
 * [today - days, today] in the reporting currency (SIM_HOME_CURRENCY, EUR at SIM_EUR_USD_MICROS).
 * Runs on the event loop; not thread-safe.
 */
#ifndef SIM_WORLD_ROI_H
#define SIM_WORLD_ROI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "jw.h"
#include "world.h"

/* micros of currency in the reporting currency: as is for USD, EUR at the world's rate. */
int64_t roi_conv(int64_t micros, const char *currency);
/* The EUR rate as [fx] and /_world write it: "1.08". */
const char *roi_rate_text(void);
/* Whether roi_conv knows the currency. */
bool roi_currency_known(const char *currency);

/* The /_truth "roi" object for the world as it is now. */
void roi_truth_json(const struct world *w, struct jw *j);

/*
 * Aborts with a message when the world cannot be attributed without ambiguity: two touches of
 * one conversion in the same millisecond, an ad campaign or a utm_campaign that two business
 * campaigns claim. Called after generation and after each /_advance, so such a seed fails
 * at once instead of giving a truth that depends on tie-breaking.
 */
void roi_verify(const struct world *w);

#endif
