/*
 * refresh.c - token refreshes shared by a credential's jobs (see refresh.h).
 */
#include "refresh.h"
#include "dbsql.h"
#include "expiry.h"
#include "fetch.h"
#include "metrics.h"
#include "timeutil.h"
#include "tokens.h"
#include "xmalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* One per credential: one refresh in flight, jobs wait on it. */
struct cred_state {
    char *name;
    bool refreshing;
    uint64_t generation;       /* bumped by every successful refresh */
    struct expiry_note expiry; /* what was said of an unrenewable token's end */
    refresh_done_fn *done;
    struct ejob **waiters;
    size_t nwait, capw;
    struct cred_state *next;
};

static struct cred_state *cred_state(struct jobenv *e, const char *name)
{
    for (struct cred_state *c = e->creds; c; c = c->next)
        if (strcmp(c->name, name) == 0)
            return c;
    struct cred_state *c = xcalloc(1, sizeof *c);
    c->name = xstrdup(name);
    c->next = e->creds;
    e->creds = c;
    return c;
}

bool refresh_running(struct jobenv *e, const char *credential)
{
    return cred_state(e, credential)->refreshing;
}

uint64_t refresh_generation(struct jobenv *e, const char *credential)
{
    return cred_state(e, credential)->generation;
}

void refresh_free(struct jobenv *e)
{
    while (e->creds) {
        struct cred_state *c = e->creds;
        e->creds = c->next;
        free(c->name);
        free(c->waiters);
        free(c);
    }
}

/* Refresh ahead of expiry, by the platform's margin (platform.c). */
bool refresh_due(const struct ejob *j, int64_t now_s)
{
    int64_t exp = tokens_expires_at(j->e->tokens, j->acct->credential);
    if (exp <= 0 || !j->ad->refresh_build)
        return false;
    return now_s >= exp - platform_info(j->acct->platform_id)->refresh_margin_s;
}

bool refresh_possible(const struct ejob *j)
{
    const struct config *cfg = j->e->cfg;
    const struct cfg_credential *cc = config_credential(cfg, j->acct->credential);
    if (!cc || !j->ad->refresh_build)
        return false;
    struct http_request req = {0};
    int rc = j->ad->refresh_build(&cfg->platforms[j->acct->platform_id], cc,
                                  tokens_access(j->e->tokens, cc->name),
                                  tokens_refresh(j->e->tokens, cc->name), &req);
    http_request_free(&req);
    return rc == 0;
}

void refresh_sync_renewal(struct ejob *j)
{
    char exp[32];
    snprintf(exp, sizeof exp, "%lld",
             (long long)tokens_expires_at(j->e->tokens, j->acct->credential));
    const char *p[3] = {j->account, exp, refresh_possible(j) ? "true" : "false"};
    job_stmt(j->e, JOB_STMT_TOKEN_EXPIRY, dbsql_set_token_renewal, 3, p);
}

/*
 * A token that will end and cannot be refreshed (LinkedIn without programmatic refresh, a Meta
 * token without the app's secret) is announced 14 and 3 days before its end, once each
 * (expiry.h); once ended, the caller sets the account needs_reauth before the dead token is
 * sent.
 */
bool refresh_token_ended(struct ejob *j, int64_t now_s, char *why, size_t len)
{
    int64_t exp = tokens_expires_at(j->e->tokens, j->acct->credential);
    enum expiry_level l = expiry_level(exp, now_s);
    if (l == EXPIRY_NONE)
        return false;
    struct cred_state *c = cred_state(j->e, j->acct->credential);
    if (l != EXPIRY_EXPIRED && c->expiry.expires_at == exp && l <= c->expiry.said)
        return false; /* said, or found renewable, at this level: not asked at every page */
    if (refresh_possible(j)) {
        c->expiry = (struct expiry_note){exp, l};
        return false;
    }
    enum expiry_level said = expiry_announce(&c->expiry, exp, now_s);
    if (said == EXPIRY_14D || said == EXPIRY_3D)
        log_warn("tokens: access token expires in %lld days and cannot be refreshed "
                 "credential=%s account=%s: reconnect (authorize the app again, put the new "
                 "access_token and its expires_at in the credentials file, reload)",
                 (long long)expiry_days_left(exp, now_s), j->acct->credential, j->account);
    if (l != EXPIRY_EXPIRED)
        return false;
    char day[16];
    time_format_date((int32_t)(exp / 86400), day, sizeof day);
    snprintf(why, len,
             "access token expired on %s and cannot be refreshed: authorize the app again and "
             "put the new access_token and its expires_at in the credentials file",
             day);
    return true;
}

void refresh_expiry_metrics(const struct acct_state *accts, struct buf *b)
{
    metrics_family(b, "socialroi_token_expiry_seconds", "gauge",
                   "Seconds until an account's access token ends (negative: ended), where the "
                   "end is known; refreshable=\"false\": it has to be renewed by hand.");
    int64_t now_s = time_wall_us() / 1000000;
    for (const struct acct_state *a = accts; a; a = a->next) {
        const struct ejob *j = a->jobs;
        while (j && !j->acct)
            j = j->acct_next;
        int64_t exp = j ? tokens_expires_at(j->e->tokens, j->acct->credential) : 0;
        if (exp > 0)
            metrics_i64(b, "socialroi_token_expiry_seconds", exp - now_s, "account", a->name,
                        "credential", j->acct->credential, "refreshable",
                        refresh_possible(j) ? "true" : "false", NULL);
    }
}

/* Hands the refresh outcome to every job waiting on the credential. */
static void refresh_finish(struct cred_state *c, enum err_class cls, const char *why)
{
    size_t n = c->nwait;
    struct ejob **w = c->waiters;
    refresh_done_fn *done = c->done;
    c->waiters = NULL;
    c->nwait = c->capw = 0;
    c->refreshing = false;
    for (size_t i = 0; i < n; i++)
        done(w[i], cls, why);
    free(w);
}

static void set_expiry_in_db(struct jobenv *e, const struct ejob *j)
{
    char exp[32];
    snprintf(exp, sizeof exp, "%lld", (long long)tokens_expires_at(e->tokens, j->acct->credential));
    const char *p[2] = {j->account, exp};
    job_stmt(e, JOB_STMT_TOKEN_EXPIRY, dbsql_set_token_expiry, 2, p);
}

static void refresh_cb(void *arg, const struct fetch_result *res)
{
    struct ejob *j = arg; /* the job that started the refresh */
    struct jobenv *e = j->e;
    struct cred_state *c = cred_state(e, j->acct ? j->acct->credential : "");
    struct token_set ts;
    enum err_class cls = ERR_TRANSIENT;
    char why[256] = "token endpoint unreachable";
    if (!res->transport_error && j->ad->refresh_parse(&res->resp, &ts, &cls, why, sizeof why) == 0)
        cls = ERR_NONE;
    else if (res->transport_error)
        snprintf(why, sizeof why, "token endpoint: %s", res->error);
    if (cls == ERR_NONE) {
        /* saved before first use: a rotated refresh token must survive a crash */
        tokens_update(e->tokens, c->name, ts.access_token, ts.refresh_token, ts.expires_in_s,
                      time_wall_us() / 1000000);
        e->refreshes++;
        c->generation++;
        log_notice("tokens: refreshed credential=%s expires_in_s=%lld", c->name,
                   (long long)ts.expires_in_s);
        set_expiry_in_db(e, j);
    } else {
        e->refresh_failures++;
        log_warn("tokens: refresh failed credential=%s class=%s reason=\"%s\"", c->name,
                 err_class_name(cls), why);
    }
    explicit_bzero(&ts, sizeof ts);
    refresh_finish(c, cls, why);
}

void refresh_wait(struct ejob *j, refresh_done_fn *done)
{
    struct jobenv *e = j->e;
    struct cred_state *c = cred_state(e, j->acct->credential);
    c->done = done;
    c->waiters = xgrow(c->waiters, &c->capw, c->nwait + 1, sizeof *c->waiters);
    c->waiters[c->nwait++] = j;
    if (c->refreshing)
        return;
    const struct cfg_platform *p = &e->cfg->platforms[j->acct->platform_id];
    const struct cfg_credential *cc = config_credential(e->cfg, j->acct->credential);
    struct http_request req = {0};
    c->refreshing = true;
    if (!cc || j->ad->refresh_build(p, cc, tokens_access(e->tokens, c->name),
                                    tokens_refresh(e->tokens, c->name), &req) < 0) {
        http_request_free(&req);
        refresh_finish(c, j->wait_forced ? ERR_AUTH : ERR_TRANSIENT,
                       "the credential has no way to refresh its token");
        return;
    }
    struct fetch_opts o = {p->timeout_ms, p->connect_timeout_ms, 65536};
    if (!fetch_submit(e->f, &req, &o, refresh_cb, j))
        refresh_finish(c, ERR_TRANSIENT, "the HTTP client refused the token request");
    http_request_free(&req);
}
