/*
 * ctx.h - the daemon's application context: owns the event base and every module.
 *
 * Builds the modules in order from a loaded config, wires signals, health and metrics, and
 * applies reloads (build new config, validate, swap). Everything here is wiring; the logic
 * lives in lib/. Runs on the event loop; not thread-safe.
 */
#ifndef SR_CTX_H
#define SR_CTX_H

#include "config.h"

#include <stdbool.h>

struct sr_ctx;

struct ctx_options {
    const char *config_path;
    bool once; /* run every due job once, then exit */
};

/* Takes ownership of cfg. Returns NULL (after logging why) when startup fails. */
struct sr_ctx *ctx_new(const struct ctx_options *opt, struct config *cfg);
/* Runs the loop until stopped; returns the process exit code. */
int ctx_run(struct sr_ctx *ctx);
void ctx_free(struct sr_ctx *ctx);

#endif
