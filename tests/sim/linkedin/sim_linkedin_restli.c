/*
 * sim_linkedin_restli.c - Rest.li 2.0 query values as LinkedIn parses them (see
 * sim_linkedin.h).
 *
 * Rest.li protocol 2.0 URL encoding (linkedin.github.io/rest.li/spec/protocol, "Rest.li 2.0
 * Object and Array Representation"; reference §4.2): a record is (key:value,...), an array is
 * List(value,...), and the characters ( ) , : are syntax that must not be percent-encoded,
 * while the same characters inside a value (the colons of a URN) must be:
 *   dateRange=(start:(year:2024,month:1,day:1),end:(year:2024,month:1,day:31))
 *   accounts=List(urn%3Ali%3AsponsoredAccount%3A123)
 * Parameters are therefore read from the raw query string, not from the decoded one.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/http.h>

#include "sim_linkedin.h"
#include "timeutil.h"
#include "xmalloc.h"

#define RL_MAX_DEPTH 8

/* ---- raw parameters ------------------------------------------------------------------------- */

const char *li_raw(const struct li_ctx *c, const char *name, size_t *len)
{
    size_t n = strlen(name);
    for (const char *p = c->query; p && *p;) {
        size_t seg = strcspn(p, "&");
        if (seg > n && strncmp(p, name, n) == 0 && p[n] == '=') {
            *len = seg - n - 1;
            return p + n + 1;
        }
        if (seg == n && strncmp(p, name, n) == 0) {
            *len = 0;
            return p + n;
        }
        p += seg + (p[seg] == '&');
    }
    return NULL;
}

char *li_decode(const char *s, size_t n)
{
    char *tmp = xstrndup(s, n);
    char *d = evhttp_uridecode(tmp, 0, NULL);
    free(tmp);
    if (!d)
        return xstrdup("");
    char *out = xstrdup(d);
    free(d);
    return out;
}

bool li_param(const struct li_ctx *c, const char *name, char *out, size_t len)
{
    size_t n;
    const char *raw = li_raw(c, name, &n);
    if (!raw)
        return false;
    char *d = li_decode(raw, n);
    snprintf(out, len, "%s", d);
    free(d);
    return true;
}

int64_t li_int_param(struct li_ctx *c, const char *name, int64_t def, int64_t max)
{
    char v[32], *end;
    if (!li_param(c, name, v, sizeof v))
        return def;
    long long n = strtoll(v, &end, 10);
    if (!*v || *end || n < 0 || n > max) {
        li_bad(c, "Invalid value '%s' for parameter '%s': expected an integer from 0 to %lld", v,
               name, (long long)max);
        return -1;
    }
    return n;
}

/* ---- the parser ----------------------------------------------------------------------------- */

struct rl_parser {
    const char *s, *end;
    int depth;
};

void rl_free(struct rl *v)
{
    while (v) {
        struct rl *next = v->next;
        rl_free(v->child);
        free(v->text);
        free(v->key);
        free(v);
        v = next;
    }
}

static bool syntax(char ch)
{
    return ch == '(' || ch == ')' || ch == ',' || ch == ':';
}

/* A run of non-syntax characters, percent-decoded; NULL when empty. */
static char *token(struct rl_parser *p)
{
    const char *start = p->s;
    while (p->s < p->end && !syntax(*p->s))
        p->s++;
    return p->s > start ? li_decode(start, (size_t)(p->s - start)) : NULL;
}

static struct rl *value(struct rl_parser *p);

/* Members or items into *out up to the closing parenthesis (consumed). Returns 0 or -1. */
static int members(struct rl_parser *p, bool record, struct rl **out)
{
    struct rl **tail = out;
    if (p->s < p->end && *p->s == ')') {
        p->s++;
        return 0;
    }
    for (;;) {
        char *key = NULL;
        if (record) {
            key = token(p);
            if (!key || p->s >= p->end || *p->s != ':') {
                free(key);
                return -1;
            }
            p->s++;
        }
        struct rl *v = value(p);
        if (!v) {
            free(key);
            return -1;
        }
        v->key = key;
        *tail = v;
        tail = &v->next;
        if (p->s < p->end && *p->s == ',') {
            p->s++;
            continue;
        }
        if (p->s < p->end && *p->s == ')') {
            p->s++;
            return 0;
        }
        return -1;
    }
}

static struct rl *container(struct rl_parser *p, enum rl_kind kind)
{
    struct rl *v = xcalloc(1, sizeof *v);
    v->kind = kind;
    if (++p->depth > RL_MAX_DEPTH || members(p, kind == RL_RECORD, &v->child) < 0) {
        rl_free(v);
        return NULL;
    }
    p->depth--;
    return v;
}

static struct rl *value(struct rl_parser *p)
{
    if (p->s < p->end && *p->s == '(') {
        p->s++;
        return container(p, RL_RECORD);
    }
    if ((size_t)(p->end - p->s) >= 5 && strncmp(p->s, "List(", 5) == 0) {
        p->s += 5;
        return container(p, RL_LIST);
    }
    char *text = token(p);
    if (!text)
        return NULL;
    struct rl *v = xcalloc(1, sizeof *v);
    v->kind = RL_PRIM;
    v->text = text;
    return v;
}

struct rl *rl_parse(const char *raw, size_t len)
{
    struct rl_parser p = {.s = raw, .end = raw + len};
    struct rl *v = value(&p);
    if (v && p.s != p.end) {
        rl_free(v);
        return NULL;
    }
    return v;
}

const struct rl *rl_member(const struct rl *record, const char *key)
{
    if (!record || record->kind != RL_RECORD)
        return NULL;
    for (const struct rl *m = record->child; m; m = m->next)
        if (m->key && strcmp(m->key, key) == 0)
            return m;
    return NULL;
}

bool rl_int(const struct rl *v, int64_t *out)
{
    char *end;
    if (!v || v->kind != RL_PRIM || !v->text[0])
        return false;
    long long n = strtoll(v->text, &end, 10);
    if (*end)
        return false;
    *out = n;
    return true;
}

struct rl *li_restli(struct li_ctx *c, const char *name, enum rl_kind want, bool *absent)
{
    static const char *const kinds[] = {"a value", "a record (key:value,...)", "List(...)"};
    size_t n;
    const char *raw = li_raw(c, name, &n);
    *absent = raw == NULL;
    if (!raw)
        return NULL;
    struct rl *v = rl_parse(raw, n);
    if (v && v->kind == want)
        return v;
    rl_free(v);
    li_bad(c,
           "Invalid value for param [%s]: expected %s in Rest.li 2.0 syntax (syntax characters "
           "unencoded, values percent-encoded)",
           name, kinds[want]);
    return NULL;
}

/* ---- values --------------------------------------------------------------------------------- */

bool li_urn_id(const char *urn, const char *type, char *out, size_t len)
{
    size_t t = strlen(type);
    if (strncmp(urn, "urn:li:", 7) != 0 || strncmp(urn + 7, type, t) != 0 || urn[7 + t] != ':')
        return false;
    const char *id = urn + 8 + t;
    if (!*id || strspn(id, "0123456789") != strlen(id) || strlen(id) >= len)
        return false;
    memcpy(out, id, strlen(id) + 1);
    return true;
}

bool li_date(const struct rl *v, int32_t *day)
{
    int64_t y, m, d;
    char s[16];
    if (!rl_int(rl_member(v, "year"), &y) || !rl_int(rl_member(v, "month"), &m) ||
        !rl_int(rl_member(v, "day"), &d) || y < 1970 || y > 9999 || m < 1 || m > 12 || d < 1 ||
        d > 31)
        return false;
    snprintf(s, sizeof s, "%04d-%02d-%02d", (int)y, (int)m, (int)d);
    return time_parse_date(s, day) == 0;
}
