/*
 * curlev.h - a libcurl multi handle driven by a libevent base.
 *
 * The glue libcurl's external-loop interface asks for, once: an event per socket curl wants
 * watched, one timer for curl's timeouts, and curl_multi_socket_action on each. After every
 * action the owner's done callback runs, to read the finished transfers with
 * curl_multi_info_read. The owner adds and removes its easy handles on curlev_multi().
 * Event-loop code: never blocks.
 */
#ifndef SR_CURLEV_H
#define SR_CURLEV_H

#include <curl/curl.h>
#include <event2/event.h>

struct curlev;

typedef void curlev_done_fn(void *arg);

/* A new multi handle on base; aborts when libcurl or libevent cannot make one. */
struct curlev *curlev_new(struct event_base *base, curlev_done_fn *done, void *arg);
CURLM *curlev_multi(const struct curlev *c);
/*
 * Cleans up the multi handle (its easy handles removed first by the owner); libcurl may still
 * call back then, so the event base must be alive.
 */
void curlev_free(struct curlev *c);

#endif
