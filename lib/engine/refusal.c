/*
 * refusal.c - the search for a metric the platform refuses (see refusal.h).
 */
#include "refusal.h"
#include "cursor.h"
#include "xmalloc.h"

#include <stdlib.h>
#include <string.h>

const char *refusal_probe(const struct ejob *j)
{
    return j->refusal ? j->refusal->probe : NULL;
}

bool refusal_probing(const struct ejob *j)
{
    return j->refusal && j->refusal->probe;
}

const char *refusal_note(const struct ejob *j)
{
    return j->refusal ? j->refusal->note : NULL;
}

void refusal_free(struct ejob *j)
{
    if (!j->refusal)
        return;
    free(j->refusal->probe);
    free(j->refusal->rest);
    free(j->refusal->note);
    free(j->refusal);
    j->refusal = NULL;
}

void refusal_reset(struct ejob *j)
{
    if (!j->refusal)
        return;
    free(j->refusal->probe);
    free(j->refusal->rest);
    j->refusal->probe = j->refusal->rest = NULL;
}

static struct refusal *refusal_of(struct ejob *j)
{
    if (!j->refusal)
        j->refusal = xcalloc(1, sizeof *j->refusal);
    return j->refusal;
}

static size_t list_count(const char *list)
{
    size_t n = list && *list ? 1 : 0;
    for (const char *p = list; p && *p; p++)
        n += *p == ',';
    return n;
}

/* Retires metric: said once in the log and in the next fetch record. */
static void retire_metric(struct ejob *j, const char *metric, const char *why)
{
    struct refusal *r = refusal_of(j);
    char *note = xasprintf("%s%smetric %s refused by the platform, no longer asked for (%s)",
                           r->note ? r->note : "", r->note ? "; " : "", metric, why);
    log_warn("engine: metric refused by the platform, no longer asked for account=%s "
             "stream=%s metric=%s error=\"%s\"",
             j->account, j->stream, metric, why);
    cursor_retire(&j->cur, metric);
    free(r->note);
    r->note = note;
    refusal_reset(j);
}

/* The refused metric is among `set` (comma-separated): retire it, or ask for half of the set. */
static void search_refused(struct ejob *j, const char *set, const char *why)
{
    struct refusal *r = refusal_of(j);
    size_t n = list_count(set), half = n / 2, cut = 0;
    if (n <= 1) {
        char *one = xstrdup(set);
        retire_metric(j, one, why);
        free(one);
        return;
    }
    for (size_t k = 0; k < half; k++)
        cut += strcspn(set + cut, ",") + 1;
    char *probe = xstrndup(set, cut - 1), *rest = xstrdup(set + cut);
    log_info("engine: finding the refused metric account=%s stream=%s asking=%s", j->account,
             j->stream, probe);
    free(r->probe);
    free(r->rest);
    r->probe = probe;
    r->rest = rest;
}

void refusal_probe_passed(struct ejob *j)
{
    char *rest = xstrdup(j->refusal->rest);
    search_refused(j, rest, "the others were answered");
    free(rest);
}

bool refusal_failed(struct ejob *j, struct rowset *rs, const char *why)
{
    const char *name, *among;
    if (rowset_error(rs, NULL, NULL) != ERR_BAD_REQUEST ||
        !rowset_refused_metric(rs, &name, &among))
        return false;
    if (name && cursor_list_has(j->cur.retired, name))
        return false; /* refused again although no longer asked for: not ours to fix */
    char *n = name ? xstrdup(name) : NULL;
    char *set = xstrdup(j->refusal && j->refusal->probe ? j->refusal->probe : among ? among : "");
    bool handled = n || *set;
    if (n)
        retire_metric(j, n, why);
    else if (*set)
        search_refused(j, set, why);
    free(n);
    free(set);
    return handled;
}
