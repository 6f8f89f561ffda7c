/*
 * notify.c - sd_notify and watchdog (see notify.h).
 */
#include "notify.h"
#include "log.h"
#include "timeutil.h"
#include "xmalloc.h"

#include <event2/event.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <systemd/sd-daemon.h>

struct notify {
    struct event *watchdog;
    uint64_t watchdog_usec;
};

static void notify_send(const char *state)
{
    int rc = sd_notify(0, state);
    if (rc < 0)
        log_warn("notify: sd_notify failed errno=%d", -rc);
}

static void watchdog_cb(evutil_socket_t fd, short what, void *arg)
{
    (void)fd;
    (void)what;
    (void)arg;
    notify_send("WATCHDOG=1");
}

struct notify *notify_new(struct event_base *base)
{
    struct notify *n = xcalloc(1, sizeof *n);
    uint64_t usec = 0;
    if (sd_watchdog_enabled(0, &usec) > 0 && usec > 0) {
        n->watchdog_usec = usec;
        n->watchdog = event_new(base, -1, EV_PERSIST, watchdog_cb, n);
        struct timeval tv = {(time_t)(usec / 2 / 1000000), (suseconds_t)(usec / 2 % 1000000)};
        if (!n->watchdog || event_add(n->watchdog, &tv) < 0)
            abort();
        log_info("notify: watchdog enabled interval_ms=%llu", (unsigned long long)(usec / 1000));
    }
    return n;
}

void notify_free(struct notify *n)
{
    if (!n)
        return;
    if (n->watchdog)
        event_free(n->watchdog);
    free(n);
}

void notify_ready(struct notify *n)
{
    (void)n;
    notify_send("READY=1");
}

void notify_reloading(struct notify *n)
{
    char msg[64];
    (void)n;
    /* MONOTONIC_USEC lets Type=notify-reload match this reload with our READY=1 */
    snprintf(msg, sizeof msg, "RELOADING=1\nMONOTONIC_USEC=%lld", (long long)time_mono_us());
    notify_send(msg);
}

void notify_stopping(struct notify *n)
{
    (void)n;
    notify_send("STOPPING=1");
}

void notify_status(struct notify *n, const char *fmt, ...)
{
    char msg[256];
    int off = snprintf(msg, sizeof msg, "STATUS=");
    va_list ap;
    (void)n;
    va_start(ap, fmt);
    vsnprintf(msg + off, sizeof msg - (size_t)off, fmt, ap);
    va_end(ap);
    notify_send(msg);
}
