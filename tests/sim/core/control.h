/*
 * control.h - the simulator's own endpoints under /_ (tests/sim/README.md, "Control
 * endpoints"): GET /_world (?from=K&count=N: a slice of each platform's accounts),
 * GET /_truth (?account=K: an extra account's), POST /_advance, GET|POST|DELETE /_faults.
 * They never appear on a real platform.
 */
#ifndef SIM_CONTROL_H
#define SIM_CONTROL_H

#include "http.h"

struct accounts;
struct faults;

/* Answers r (whose decoded path starts with "/_"). accounts and faults are borrowed. */
void control_serve(struct accounts *a, struct faults *f, struct http_req *r);

#endif
