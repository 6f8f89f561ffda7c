/*
 * faults.c - the /_faults rule list (see faults.h; contract in tests/sim/README.md).
 *
 * Rules are kept in the order they were added; the first matching rule whose probability
 * draw succeeds fires. Draws come from a splitmix64 stream seeded with the world seed, and a
 * rule with probability 1 draws nothing, so adding a certain rule does not shift the draws
 * of the others.
 */
#include "faults.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "jw.h"
#include "world.h"
#include "xmalloc.h"

struct rule {
    int id;
    char *platform;
    enum fault_kind kind;
    double probability;
    int64_t count; /* -1 = unlimited */
    char *path;    /* NULL = any path */
    int seconds;   /* -1 = the kind's default */
    int64_t fired;
};

struct faults {
    struct rng rng;
    struct rule *rules;
    size_t n, cap;
    int next_id;
};

static const char *const kind_names[] = {
    [FAULT_THROTTLE] = "throttle",
    [FAULT_SERVER_ERROR] = "server_error",
    [FAULT_TIMEOUT] = "timeout",
    [FAULT_SLOW] = "slow",
    [FAULT_TRUNCATED] = "truncated",
    [FAULT_MALFORMED] = "malformed",
    [FAULT_EXPIRE_TOKEN] = "expire_token",
    [FAULT_REVOKE_TOKEN] = "revoke_token",
    [FAULT_REPEAT_CURSOR] = "repeat_cursor",
};

const char *fault_kind_name(enum fault_kind k)
{
    return kind_names[k];
}

static int kind_parse(const char *s, enum fault_kind *k)
{
    for (size_t i = 0; i < sizeof kind_names / sizeof kind_names[0]; i++) {
        if (strcmp(kind_names[i], s) == 0) {
            *k = (enum fault_kind)i;
            return 0;
        }
    }
    return -1;
}

struct faults *faults_new(uint64_t seed)
{
    struct faults *f = xcalloc(1, sizeof *f);
    rng_seed(&f->rng, seed, "faults");
    f->next_id = 1;
    return f;
}

size_t faults_clear(struct faults *f)
{
    size_t n = f->n;
    for (size_t i = 0; i < f->n; i++) {
        free(f->rules[i].platform);
        free(f->rules[i].path);
    }
    f->n = 0;
    return n;
}

void faults_free(struct faults *f)
{
    if (!f)
        return;
    faults_clear(f);
    free(f->rules);
    free(f);
}

/* Reads the optional members into rule; returns 0 or -1 with err set. */
static int read_options(const cJSON *o, struct rule *rule, char *err, size_t errlen)
{
    const cJSON *p = json_get(o, "probability");
    int64_t v;
    const char *path = NULL;
    if (p && !cJSON_IsNull(p)) {
        if (!cJSON_IsNumber(p) || p->valuedouble < 0 || p->valuedouble > 1) {
            snprintf(err, errlen, "probability must be a number from 0 to 1");
            return -1;
        }
        rule->probability = p->valuedouble;
    }
    enum json_get g = json_int(o, "count", &v);
    if (g == JSON_BAD || (g == JSON_OK && v < 0)) {
        snprintf(err, errlen, "count must be a non-negative integer");
        return -1;
    }
    rule->count = g == JSON_OK ? v : -1;
    g = json_int(o, "seconds", &v);
    if (g == JSON_BAD || (g == JSON_OK && (v < 0 || v > 3600))) {
        snprintf(err, errlen, "seconds must be an integer from 0 to 3600");
        return -1;
    }
    rule->seconds = g == JSON_OK ? (int)v : -1;
    if (json_str(o, "path", &path) == JSON_BAD) {
        snprintf(err, errlen, "path must be a string");
        return -1;
    }
    rule->path = path && *path ? xstrdup(path) : NULL;
    return 0;
}

static int parse_rule(const cJSON *o, struct rule *rule, faults_known_fn *known, char *err,
                      size_t errlen)
{
    const char *platform = NULL, *kind = NULL;
    if (!cJSON_IsObject(o)) {
        snprintf(err, errlen, "the body must be a JSON object");
        return -1;
    }
    if (json_str(o, "platform", &platform) != JSON_OK || !known(platform)) {
        snprintf(err, errlen, "platform is required and must be a simulated platform");
        return -1;
    }
    if (json_str(o, "kind", &kind) != JSON_OK || kind_parse(kind, &rule->kind) < 0) {
        snprintf(err, errlen,
                 "kind is required: throttle, server_error, timeout, slow, "
                 "truncated, malformed, expire_token, revoke_token or repeat_cursor");
        return -1;
    }
    if (rule->kind == FAULT_REPEAT_CURSOR && strcmp(platform, "x") != 0) {
        snprintf(err, errlen, "repeat_cursor is simulated on x only");
        return -1;
    }
    rule->probability = 1;
    if (read_options(o, rule, err, errlen) < 0)
        return -1;
    rule->platform = xstrdup(platform);
    return 0;
}

int faults_add_json(struct faults *f, const char *body, size_t len, faults_known_fn *known,
                    char *err, size_t errlen)
{
    char why[128];
    cJSON *o = json_parse(body, len, why, sizeof why);
    if (!o) {
        snprintf(err, errlen, "the body is not JSON: %s", why);
        return -1;
    }
    struct rule rule = {0};
    int rc = parse_rule(o, &rule, known, err, errlen);
    cJSON_Delete(o);
    if (rc < 0)
        return -1;
    rule.id = f->next_id++;
    f->rules = xgrow(f->rules, &f->cap, f->n + 1, sizeof *f->rules);
    f->rules[f->n++] = rule;
    return rule.id;
}

void faults_list_json(const struct faults *f, struct jw *j)
{
    jw_obj(j);
    jw_karr(j, "faults");
    for (size_t i = 0; i < f->n; i++) {
        const struct rule *r = &f->rules[i];
        char p[32];
        snprintf(p, sizeof p, "%.6g", r->probability);
        jw_obj(j);
        jw_kint(j, "id", r->id);
        jw_kstr(j, "platform", r->platform);
        jw_kstr(j, "kind", kind_names[r->kind]);
        jw_key(j, "probability");
        jw_raw(j, p);
        if (r->count >= 0)
            jw_kint(j, "count", r->count);
        else
            jw_knull(j, "count");
        jw_kstr_or_null(j, "path", r->path);
        if (r->seconds >= 0)
            jw_kint(j, "seconds", r->seconds);
        else
            jw_knull(j, "seconds");
        jw_kint(j, "fired", r->fired);
        jw_end(j);
    }
    jw_end(j);
    jw_end(j);
}

static bool rule_matches(const struct rule *r, const char *platform, const char *path)
{
    if (strcmp(r->platform, platform) != 0)
        return false;
    if (r->count >= 0 && r->fired >= r->count)
        return false;
    return !r->path || strstr(path, r->path) != NULL;
}

bool faults_pick(struct faults *f, const char *platform, const char *path, enum fault_kind *kind,
                 int *seconds)
{
    for (size_t i = 0; i < f->n; i++) {
        struct rule *r = &f->rules[i];
        if (!rule_matches(r, platform, path))
            continue;
        if (r->probability < 1 && rng_unit(&f->rng) >= r->probability)
            continue;
        r->fired++;
        *kind = r->kind;
        *seconds = r->seconds;
        return true;
    }
    return false;
}
