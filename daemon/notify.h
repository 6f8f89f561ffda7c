/*
 * notify.h - systemd service notifications and the watchdog.
 *
 * Sends READY/RELOADING/STOPPING/STATUS through sd_notify (a no-op outside systemd). When the
 * service has WatchdogSec= (WATCHDOG_USEC in our environment), a timer on the main loop pings
 * at half the interval, so a wedged loop stops the pings and systemd restarts us.
 * Runs on the event loop; not thread-safe.
 */
#ifndef SR_NOTIFY_H
#define SR_NOTIFY_H

struct event_base;
struct notify;

struct notify *notify_new(struct event_base *base);
void notify_free(struct notify *n);

void notify_ready(struct notify *n);
void notify_reloading(struct notify *n);
void notify_stopping(struct notify *n);
void notify_status(struct notify *n, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
