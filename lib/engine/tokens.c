/*
 * tokens.c - live credentials with atomic persistence of refreshed tokens (see tokens.h).
 */
#include "tokens.h"
#include "log.h"
#include "sha256.h"
#include "xmalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct tok {
    char *name;
    char *access, *refresh;
    int64_t expires_at;
    char source[65]; /* hash of the credentials-file tokens this pair descends from */
};

struct tokens {
    char *dir; /* state_dir/tokens, or NULL */
    struct tok *v;
    size_t n, cap;
};

static void wipe(char *s)
{
    if (s) {
        explicit_bzero(s, strlen(s));
        free(s);
    }
}

static void clear(struct tokens *t)
{
    for (size_t i = 0; i < t->n; i++) {
        free(t->v[i].name);
        wipe(t->v[i].access);
        wipe(t->v[i].refresh);
    }
    t->n = 0;
}

struct tokens *tokens_new(const char *state_dir)
{
    struct tokens *t = xcalloc(1, sizeof *t);
    if (state_dir && *state_dir)
        t->dir = xasprintf("%s/tokens", state_dir);
    return t;
}

void tokens_free(struct tokens *t)
{
    if (!t)
        return;
    clear(t);
    free(t->v);
    free(t->dir);
    free(t);
}

static int by_name(const void *a, const void *b)
{
    return strcmp(((const struct tok *)a)->name, ((const struct tok *)b)->name);
}

/* Sorted by name (tokens_load): every request looks its token up, with thousands of them. */
static struct tok *find(const struct tokens *t, const char *cred)
{
    struct tok key = {.name = (char *)cred};
    return t->n ? bsearch(&key, t->v, t->n, sizeof *t->v, by_name) : NULL;
}

static void source_hash(const struct cfg_credential *c, char out[65])
{
    char *s = xasprintf("%s\n%s", c->access_token, c->refresh_token);
    sha256_hex(s, strlen(s), out);
    wipe(s);
}

/* Reads a saved pair; fills tk only when its source matches. */
static void read_saved(const struct tokens *t, struct tok *tk)
{
    char *path = xasprintf("%s/%s", t->dir, tk->name), line[4096];
    char *access = NULL, *refresh = NULL, source[65] = "";
    int64_t exp = 0;
    FILE *f = fopen(path, "r");
    free(path);
    if (!f)
        return;
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\n")] = '\0';
        if (strncmp(line, "access_token=", 13) == 0)
            access = xstrdup(line + 13);
        else if (strncmp(line, "refresh_token=", 14) == 0)
            refresh = xstrdup(line + 14);
        else if (strncmp(line, "expires_at=", 11) == 0)
            exp = strtoll(line + 11, NULL, 10);
        else if (strncmp(line, "source=", 7) == 0 && strlen(line + 7) < sizeof source)
            memcpy(source, line + 7, strlen(line + 7) + 1);
    }
    explicit_bzero(line, sizeof line);
    fclose(f);
    if (access && strcmp(source, tk->source) == 0) {
        wipe(tk->access);
        wipe(tk->refresh);
        tk->access = access;
        tk->refresh = refresh ? refresh : xstrdup("");
        tk->expires_at = exp;
        return;
    }
    wipe(access);
    wipe(refresh);
}

void tokens_load(struct tokens *t, const struct config *cfg)
{
    clear(t);
    for (size_t i = 0; i < cfg->ncredentials; i++) {
        const struct cfg_credential *c = &cfg->credentials[i];
        t->v = xgrow(t->v, &t->cap, t->n + 1, sizeof *t->v);
        struct tok *tk = &t->v[t->n++];
        memset(tk, 0, sizeof *tk);
        tk->name = xstrdup(c->name);
        tk->access = xstrdup(c->access_token);
        tk->refresh = xstrdup(c->refresh_token);
        tk->expires_at = c->expires_at;
        source_hash(c, tk->source);
        if (t->dir)
            read_saved(t, tk);
    }
    qsort(t->v, t->n, sizeof *t->v, by_name);
    if (t->n && t->cap > t->n) { /* no spare room: a reload loads them all again */
        t->v = xrealloc(t->v, t->n * sizeof *t->v);
        t->cap = t->n;
    }
}

const char *tokens_access(const struct tokens *t, const char *cred)
{
    const struct tok *tk = find(t, cred);
    return tk ? tk->access : "";
}

const char *tokens_refresh(const struct tokens *t, const char *cred)
{
    const struct tok *tk = find(t, cred);
    return tk ? tk->refresh : "";
}

int64_t tokens_expires_at(const struct tokens *t, const char *cred)
{
    const struct tok *tk = find(t, cred);
    return tk ? tk->expires_at : 0;
}

static int mkdir_p(const char *dir)
{
    char *copy = xstrdup(dir);
    for (char *p = copy + 1; *p; p++) {
        if (*p == '/') {
            *p = '\0';
            if (mkdir(copy, 0700) < 0 && errno != EEXIST) {
                free(copy);
                return -1;
            }
            *p = '/';
        }
    }
    free(copy);
    return mkdir(dir, 0700) < 0 && errno != EEXIST ? -1 : 0;
}

static int fsync_dir(const char *dir)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY);
    if (fd < 0)
        return -1;
    int rc = fsync(fd);
    close(fd);
    return rc;
}

/* Writes the pair to a temporary file, syncs it and renames it into place. */
static int persist(const struct tokens *t, const struct tok *tk)
{
    if (mkdir_p(t->dir) < 0)
        return -1;
    char *tmp = xasprintf("%s/.%s.tmp", t->dir, tk->name);
    char *path = xasprintf("%s/%s", t->dir, tk->name);
    char *text = xasprintf("access_token=%s\nrefresh_token=%s\nexpires_at=%lld\nsource=%s\n",
                           tk->access, tk->refresh, (long long)tk->expires_at, tk->source);
    int rc = -1;
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd >= 0) {
        size_t len = strlen(text);
        rc = write(fd, text, len) == (ssize_t)len && fsync(fd) == 0 ? 0 : -1;
        close(fd);
        if (rc == 0)
            rc = rename(tmp, path) == 0 && fsync_dir(t->dir) == 0 ? 0 : -1;
        if (rc < 0)
            unlink(tmp);
    }
    wipe(text);
    free(tmp);
    free(path);
    return rc;
}

int tokens_update(struct tokens *t, const char *cred, const char *access, const char *refresh,
                  int64_t expires_in_s, int64_t now_s)
{
    struct tok *tk = find(t, cred);
    if (!tk)
        return -1;
    wipe(tk->access);
    tk->access = xstrdup(access);
    if (refresh && *refresh) {
        wipe(tk->refresh);
        tk->refresh = xstrdup(refresh);
    }
    tk->expires_at = expires_in_s > 0 ? now_s + expires_in_s : 0;
    if (!t->dir) {
        log_warn("tokens: no state_dir, refreshed tokens of credential=%s live in memory only",
                 cred);
        return -1;
    }
    if (persist(t, tk) < 0) {
        log_err("tokens: cannot save refreshed tokens credential=%s dir=%s: %m", cred, t->dir);
        return -1;
    }
    return 0;
}
