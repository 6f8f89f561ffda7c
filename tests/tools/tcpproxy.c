/*
 * tcpproxy.c - a TCP proxy the tests can cut (test helper).
 *
 *   tcpproxy TARGET_HOST TARGET_PORT
 *
 * Listens on a free loopback port (printed as "tcpproxy: listening port=N") and forwards every
 * connection to the target. SIGUSR1 cuts: every open connection is closed and new ones are
 * refused, which looks like a database that went away mid-transaction; SIGUSR2 accepts again;
 * SIGTERM stops. One libevent loop, bufferevents on both sides.
 */
#include <arpa/inet.h>
#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>
#include <event2/listener.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

struct pair {
    struct bufferevent *a, *b;
    struct pair *next, *prev;
};

static struct event_base *base;
static struct sockaddr_in target;
static struct pair *pairs;
static struct evconnlistener *listener;
static int cut;

static void close_pair(struct pair *p)
{
    bufferevent_free(p->a);
    bufferevent_free(p->b);
    if (p->prev)
        p->prev->next = p->next;
    else
        pairs = p->next;
    if (p->next)
        p->next->prev = p->prev;
    free(p);
}

static void read_cb(struct bufferevent *from, void *arg)
{
    struct pair *p = arg;
    struct bufferevent *to = from == p->a ? p->b : p->a;
    bufferevent_write_buffer(to, bufferevent_get_input(from));
}

static void event_cb(struct bufferevent *bev, short what, void *arg)
{
    (void)bev;
    if (what & (BEV_EVENT_EOF | BEV_EVENT_ERROR))
        close_pair(arg);
}

static void accept_cb(struct evconnlistener *l, evutil_socket_t fd, struct sockaddr *sa, int len,
                      void *arg)
{
    (void)l;
    (void)sa;
    (void)len;
    (void)arg;
    if (cut) {
        evutil_closesocket(fd);
        return;
    }
    struct pair *p = calloc(1, sizeof *p);
    p->a = bufferevent_socket_new(base, fd, BEV_OPT_CLOSE_ON_FREE);
    p->b = bufferevent_socket_new(base, -1, BEV_OPT_CLOSE_ON_FREE);
    bufferevent_setcb(p->a, read_cb, NULL, event_cb, p);
    bufferevent_setcb(p->b, read_cb, NULL, event_cb, p);
    p->next = pairs;
    if (pairs)
        pairs->prev = p;
    pairs = p;
    if (bufferevent_socket_connect(p->b, (struct sockaddr *)&target, sizeof target) < 0) {
        close_pair(p);
        return;
    }
    bufferevent_enable(p->a, EV_READ | EV_WRITE);
    bufferevent_enable(p->b, EV_READ | EV_WRITE);
}

static void signal_cb(evutil_socket_t sig, short what, void *arg)
{
    (void)what;
    (void)arg;
    if (sig == SIGUSR1) {
        cut = 1;
        while (pairs)
            close_pair(pairs);
        fprintf(stderr, "tcpproxy: cut\n");
    } else if (sig == SIGUSR2) {
        cut = 0;
        fprintf(stderr, "tcpproxy: restored\n");
    } else {
        event_base_loopbreak(base);
    }
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: tcpproxy TARGET_HOST TARGET_PORT\n");
        return 2;
    }
    struct sockaddr_in sa = {.sin_family = AF_INET};
    socklen_t slen = sizeof sa;
    target.sin_family = AF_INET;
    target.sin_port = htons((unsigned short)atoi(argv[2]));
    inet_pton(AF_INET, argv[1], &target.sin_addr);
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    base = event_base_new();
    listener =
        evconnlistener_new_bind(base, accept_cb, NULL, LEV_OPT_CLOSE_ON_FREE | LEV_OPT_REUSEABLE,
                                64, (struct sockaddr *)&sa, sizeof sa);
    if (!listener) {
        perror("tcpproxy");
        return 1;
    }
    getsockname(evconnlistener_get_fd(listener), (struct sockaddr *)&sa, &slen);
    printf("tcpproxy: listening port=%d\n", ntohs(sa.sin_port));
    fflush(stdout);
    int sigs[] = {SIGUSR1, SIGUSR2, SIGTERM, SIGINT};
    struct event *ev[4];
    for (int i = 0; i < 4; i++) {
        ev[i] = evsignal_new(base, sigs[i], signal_cb, NULL);
        event_add(ev[i], NULL);
    }
    event_base_dispatch(base);
    while (pairs)
        close_pair(pairs);
    for (int i = 0; i < 4; i++)
        event_free(ev[i]);
    evconnlistener_free(listener);
    event_base_free(base);
    return 0;
}
