/*
 * refusal.h - a metric the platform refuses, for the job machine (job.c).
 *
 * A retired or refused insights metric fails a whole Graph call (error 100). When the answer
 * names it, it is retired at once; when it does not, the metrics of the refused request are
 * asked for half at a time (the answers of these probes are not stored) until the one refused
 * is found. A retired metric is kept in the job's cursor (saved with the next page, so it
 * survives a restart) and never asked for again; the rest of the stream goes on.
 *
 * These functions only move the search's state in struct ejob (j->refusal, j->cur); after
 * each that returns true the caller asks for the page again.
 */
#ifndef SR_REFUSAL_H
#define SR_REFUSAL_H

#include "job.h"
#include "rowset.h"

#include <stdbool.h>

/* The search's state: NULL in j->refusal almost always. */
struct refusal {
    char *probe; /* asked for now (comma-separated) */
    char *rest;  /* the others of the refused set: the refused one is here when probe passes */
    char *note;  /* what the next fetch record says about a metric no longer asked for */
};

/* The metrics a probe asks for now (adapter_ctx.probe), NULL when none. */
const char *refusal_probe(const struct ejob *j);
/* Whether the page just answered was a probe's (its answer is not stored). */
bool refusal_probing(const struct ejob *j);
/* A failed page was a refused metric: retires it or starts (or narrows) the search. false
 * when the failure is something else (or a retired metric refused again: not ours to fix). */
bool refusal_failed(struct ejob *j, struct rowset *rs, const char *why);
/* A probe was answered: the refused metric is among the rest of the set. */
void refusal_probe_passed(struct ejob *j);
/* A failed attempt: the search starts again with the retry (a note still to say is kept). */
void refusal_reset(struct ejob *j);
/* What the page's fetch record says of metrics dropped on the way, NULL for nothing. */
const char *refusal_note(const struct ejob *j);
/* Frees the search (after the page that says its note, or with the job). */
void refusal_free(struct ejob *j);

#endif
