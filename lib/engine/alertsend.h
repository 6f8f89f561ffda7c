/*
 * alertsend.h - delivers the alert outbox (socialroi.alert_event) to the config's [alert NAME]
 * destinations: webhooks (socialroi's JSON or Slack's) and e-mail over SMTP.
 *
 * Every alert_poll it asks the database, on a connection of its own, to queue each
 * destination's new events and to claim the due ones (sql/034_alert_delivery.sql), sends them
 * through a libcurl multi handle of its own on the daemon's event base, and records each
 * outcome: 2xx (SMTP: accepted) delivered; 408, 429, 5xx and transport errors tried again
 * after a doubling wait with jitter (backoff_min to backoff_max), one log line per step; any
 * other 4xx (SMTP: 5xx) failed for good. A destination that keeps failing never holds up
 * another. Delivery state lives in the database, so it survives reloads and restarts; what a
 * reload changes is which destinations exist and their settings.
 *
 * Runs on the event loop; not thread-safe. alertsend_free() must run before the base is freed.
 */
#ifndef SR_ALERTSEND_H
#define SR_ALERTSEND_H

#include "buf.h"
#include "config.h"

#include <stdbool.h>

struct event_base;
struct health;
struct alertsend;

/* cfg and h are borrowed (replace cfg with alertsend_configure before freeing it). */
struct alertsend *alertsend_new(struct event_base *base, const struct config *cfg,
                                struct health *h);
void alertsend_free(struct alertsend *s);

/* The schema is known to be current: deliver from now on. */
void alertsend_set_ready(struct alertsend *s, bool ready);
/* A new config: destinations added, changed or gone; their counters carry over. */
void alertsend_configure(struct alertsend *s, const struct config *cfg);
/* socialroi_alert_deliveries_total{destination,result}, socialroi_alert_delivery_pending. */
void alertsend_metrics(const struct alertsend *s, struct buf *b);

#endif
