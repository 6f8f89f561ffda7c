/*
 * signals.h - the daemon's signals as libevent events on the main base.
 *
 * SIGHUP reloads, SIGTERM and SIGINT stop (a second one exits at once), SIGUSR1 logs stats.
 * SIGPIPE is ignored. The callbacks run from the loop, not in signal context, so they may do
 * anything. Runs on the event loop; not thread-safe.
 */
#ifndef SR_SIGNALS_H
#define SR_SIGNALS_H

struct event_base;
struct signals;

struct signal_handlers {
    void (*reload)(void *arg);
    void (*stop)(void *arg, int signo);
    void (*stats)(void *arg);
};

struct signals *signals_new(struct event_base *base, const struct signal_handlers *h, void *arg);
void signals_free(struct signals *s);

#endif
