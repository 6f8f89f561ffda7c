/*
 * control.h - the simulator's own endpoints under /_ (tests/sim/README.md, "Control
 * endpoints"): GET /_world, GET /_truth, POST /_advance, GET|POST|DELETE /_faults.
 * They never appear on a real platform.
 */
#ifndef SIM_CONTROL_H
#define SIM_CONTROL_H

#include <event2/http.h>

struct world;
struct faults;

/* Answers req (whose decoded path starts with "/_"). world and faults are borrowed. */
void control_serve(struct world *w, struct faults *f, struct evhttp_request *req, const char *path);

#endif
