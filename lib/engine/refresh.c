/*
 * refresh.c - token refreshes shared by a credential's jobs (see refresh.h).
 */
#include "refresh.h"
#include "dbsql.h"
#include "fetch.h"
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
    uint64_t generation; /* bumped by every successful refresh */
    int32_t warned_day;  /* last day an approaching expiry was logged */
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

/*
 * A token that will expire and cannot be refreshed (LinkedIn without programmatic refresh) is
 * announced once a day from 14 days before: someone has to re-authorize by hand.
 */
void refresh_warn_expiry(struct ejob *j, int64_t now_s)
{
    int64_t exp = tokens_expires_at(j->e->tokens, j->acct->credential);
    const char *refresh = tokens_refresh(j->e->tokens, j->acct->credential);
    struct cred_state *c = cred_state(j->e, j->acct->credential);
    int32_t today = (int32_t)(now_s / 86400);
    if (exp <= 0 || (refresh && *refresh && j->ad->refresh_build) || exp - now_s > 14 * 86400 ||
        c->warned_day == today)
        return;
    c->warned_day = today;
    log_warn("tokens: access token expires in %lld days and cannot be refreshed credential=%s "
             "account=%s: re-authorize and put the new token in the credentials file",
             (long long)((exp - now_s) / 86400), j->acct->credential, j->account);
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
