/*
 * faults.h - fault rules set through /_faults (tests/sim/README.md, "Control endpoints").
 *
 * A rule names a platform, a kind, a probability drawn from a generator seeded by the world's
 * seed (so a run is repeatable), how many times it may fire, an optional path substring and
 * an optional number of seconds. For each platform request the first rule that matches and
 * draws true fires; the caller (main.c) turns the kind into the platform's answer.
 *
 * Runs on the event loop; not thread-safe.
 */
#ifndef SIM_FAULTS_H
#define SIM_FAULTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct jw;

enum fault_kind {
    FAULT_THROTTLE,
    FAULT_SERVER_ERROR,
    FAULT_TIMEOUT,
    FAULT_SLOW,
    FAULT_TRUNCATED,
    FAULT_MALFORMED,
    FAULT_EXPIRE_TOKEN,
    FAULT_REVOKE_TOKEN,
    FAULT_REPEAT_CURSOR, /* a list page hands back the cursor it was asked with (x only) */
};

struct faults;

/* Caller frees with faults_free. */
struct faults *faults_new(uint64_t seed);
void faults_free(struct faults *f);

/* Says whether a platform name is known (so a rule for "linkdin" is refused). */
typedef bool faults_known_fn(const char *platform);

/*
 * Adds a rule from a JSON object body. Returns its id (>= 1), or -1 with a reason in err.
 */
int faults_add_json(struct faults *f, const char *body, size_t len, faults_known_fn *known,
                    char *err, size_t errlen);
/* Removes every rule; returns how many there were. */
size_t faults_clear(struct faults *f);
/* Writes {"faults":[...]} with each rule and how often it fired. */
void faults_list_json(const struct faults *f, struct jw *j);

/*
 * Picks the rule that fires for this request, if any, and counts it. Returns true with the
 * kind and seconds (-1 = the kind's default) filled in.
 */
bool faults_pick(struct faults *f, const char *platform, const char *path, enum fault_kind *kind,
                 int *seconds);

const char *fault_kind_name(enum fault_kind k);

#endif
