/*
 * signals.c - signal events (see signals.h).
 */
#include "signals.h"
#include "xmalloc.h"

#include <event2/event.h>
#include <signal.h>
#include <stdlib.h>

struct signals {
    struct event *hup, *term, *intr, *usr1;
    struct signal_handlers h;
    void *arg;
};

static void sig_cb(evutil_socket_t signo, short what, void *arg)
{
    struct signals *s = arg;
    (void)what;
    switch (signo) {
    case SIGHUP:
        s->h.reload(s->arg);
        break;
    case SIGTERM:
    case SIGINT:
        s->h.stop(s->arg, (int)signo);
        break;
    case SIGUSR1:
        s->h.stats(s->arg);
        break;
    }
}

static struct event *add_signal(struct event_base *base, int signo, struct signals *s)
{
    struct event *ev = evsignal_new(base, signo, sig_cb, s);
    if (!ev || evsignal_add(ev, NULL) < 0)
        abort();
    return ev;
}

struct signals *signals_new(struct event_base *base, const struct signal_handlers *h, void *arg)
{
    struct signals *s = xcalloc(1, sizeof *s);
    s->h = *h;
    s->arg = arg;
    signal(SIGPIPE, SIG_IGN);
    s->hup = add_signal(base, SIGHUP, s);
    s->term = add_signal(base, SIGTERM, s);
    s->intr = add_signal(base, SIGINT, s);
    s->usr1 = add_signal(base, SIGUSR1, s);
    return s;
}

void signals_free(struct signals *s)
{
    if (!s)
        return;
    event_free(s->hup);
    event_free(s->term);
    event_free(s->intr);
    event_free(s->usr1);
    free(s);
}
