/*
 * curlev.c - a libcurl multi handle driven by a libevent base (see curlev.h).
 *
 * Follows libcurl's documented rules for an external event loop: CURLMOPT_SOCKETFUNCTION tells
 * which sockets to watch (an event per socket, attached with curl_multi_assign), and
 * CURLMOPT_TIMERFUNCTION asks for one non-repeating timer, which is never acted on from inside
 * the callback: the timer's own event calls curl_multi_socket_action.
 */
#include "curlev.h"
#include "xmalloc.h"

#include <stdlib.h>

struct sockinfo {
    curl_socket_t fd;
    struct event *ev;
};

struct curlev {
    struct event_base *base;
    CURLM *multi;
    struct event *timer;
    curlev_done_fn *done;
    void *arg;
};

static void event_cb(evutil_socket_t fd, short what, void *arg)
{
    struct curlev *c = arg;
    int running = 0;
    int action = (what & EV_READ ? CURL_CSELECT_IN : 0) | (what & EV_WRITE ? CURL_CSELECT_OUT : 0);
    curl_multi_socket_action(c->multi, fd, action, &running);
    c->done(c->arg);
}

static void timer_cb(evutil_socket_t fd, short what, void *arg)
{
    struct curlev *c = arg;
    int running = 0;
    (void)fd;
    (void)what;
    curl_multi_socket_action(c->multi, CURL_SOCKET_TIMEOUT, 0, &running);
    c->done(c->arg);
}

static int multi_timer_cb(CURLM *multi, long timeout_ms, void *arg)
{
    struct curlev *c = arg;
    (void)multi;
    if (timeout_ms < 0) {
        evtimer_del(c->timer);
    } else {
        struct timeval tv = {timeout_ms / 1000, (timeout_ms % 1000) * 1000};
        evtimer_add(c->timer, &tv);
    }
    return 0;
}

static int socket_cb(CURL *easy, curl_socket_t s, int what, void *arg, void *sockp)
{
    struct curlev *c = arg;
    struct sockinfo *si = sockp;
    (void)easy;
    if (what == CURL_POLL_REMOVE) {
        if (si) {
            event_free(si->ev);
            free(si);
            curl_multi_assign(c->multi, s, NULL);
        }
        return 0;
    }
    short kind = (short)((what & CURL_POLL_IN ? EV_READ : 0) |
                         (what & CURL_POLL_OUT ? EV_WRITE : 0) | EV_PERSIST);
    if (!si) {
        si = xcalloc(1, sizeof *si);
        si->fd = s;
        curl_multi_assign(c->multi, s, si);
    } else {
        event_free(si->ev);
    }
    si->ev = event_new(c->base, s, kind, event_cb, c);
    if (!si->ev)
        abort();
    event_add(si->ev, NULL);
    return 0;
}

struct curlev *curlev_new(struct event_base *base, curlev_done_fn *done, void *arg)
{
    struct curlev *c = xcalloc(1, sizeof *c);
    c->base = base;
    c->done = done;
    c->arg = arg;
    c->multi = curl_multi_init();
    c->timer = evtimer_new(base, timer_cb, c);
    if (!c->multi || !c->timer)
        abort();
    curl_multi_setopt(c->multi, CURLMOPT_SOCKETFUNCTION, socket_cb);
    curl_multi_setopt(c->multi, CURLMOPT_SOCKETDATA, c);
    curl_multi_setopt(c->multi, CURLMOPT_TIMERFUNCTION, multi_timer_cb);
    curl_multi_setopt(c->multi, CURLMOPT_TIMERDATA, c);
    return c;
}

CURLM *curlev_multi(const struct curlev *c)
{
    return c->multi;
}

void curlev_free(struct curlev *c)
{
    if (!c)
        return;
    curl_multi_cleanup(c->multi); /* may call socket_cb: the base must still be alive */
    event_free(c->timer);
    free(c);
}
