/*
 * parsecmd.c - socialroi parse (see parsecmd.h).
 */
#include "parsecmd.h"
#include "adapter.h"
#include "buf.h"
#include "json.h"
#include "timeutil.h"
#include "xmalloc.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define PARSE_MAX_BODY (256u * 1024 * 1024)

struct hdrs {
    const char **lines;
    size_t n;
};

static const char *header_lookup(const struct http_response *r, const char *name)
{
    const struct hdrs *h = r->priv;
    size_t nl = strlen(name);
    for (size_t i = 0; i < h->n; i++) {
        const char *l = h->lines[i];
        if (strncasecmp(l, name, nl) == 0 && l[nl] == ':') {
            l += nl + 1;
            while (*l == ' ')
                l++;
            return l;
        }
    }
    return NULL;
}

static char *read_all(const char *file, size_t *len, FILE *err)
{
    FILE *f = strcmp(file, "-") == 0 ? stdin : fopen(file, "rb");
    struct buf b = {.max = PARSE_MAX_BODY};
    char chunk[65536];
    size_t n;
    if (!f) {
        fprintf(err, "socialroi: parse: %s: %s\n", file, strerror(errno));
        return NULL;
    }
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
        if (buf_append(&b, chunk, n) < 0) {
            fprintf(err, "socialroi: parse: %s: larger than %u bytes\n", file, PARSE_MAX_BODY);
            buf_free(&b);
            if (f != stdin)
                fclose(f);
            return NULL;
        }
    }
    if (f != stdin)
        fclose(f);
    return buf_steal(&b, len);
}

/* An account for parsing without a config: the values adapters read, made up but valid. */
static void default_account(struct cfg_account *a, struct cfg_platform *p, enum platform_id pid)
{
    static char *forms[] = {(char *)"0"};
    static char *queries[] = {(char *)"(saved body)"};
    memset(a, 0, sizeof *a);
    memset(p, 0, sizeof *p);
    a->name = (char *)"parse";
    a->platform = (char *)platform_info(pid)->name;
    a->platform_id = pid;
    a->id = (char *)"0";
    a->ad_account = (char *)"0";
    a->credential = (char *)"";
    a->currency = (char *)"";
    a->timezone = (char *)"";
    a->forms.items = forms;
    a->forms.n = 1;
    a->queries.items = queries;
    a->queries.n = 1;
    p->api_base = (char *)platform_info(pid)->api_base;
    p->version = (char *)platform_info(pid)->version;
    p->token_url = (char *)platform_info(pid)->token_url;
}

static void print_error(const struct rowset *rs, FILE *out)
{
    const char *msg;
    int64_t retry;
    enum err_class cls = rowset_error(rs, &msg, &retry);
    struct buf b = {0};
    buf_printf(&b, "{\"type\":\"error\",\"class\":\"%s\",\"message\":", err_class_name(cls));
    json_write_str(&b, msg);
    if (retry >= 0)
        buf_printf(&b, ",\"retry_after_ms\":%lld", (long long)retry);
    const char *name, *among;
    if (rowset_refused_metric(rs, &name, &among)) { /* which metric the platform refused */
        buf_puts(&b, ",\"refused_metric\":");
        if (name)
            json_write_str(&b, name);
        else
            buf_puts(&b, "null");
        if (among) {
            buf_puts(&b, ",\"refused_among\":");
            json_write_str(&b, among);
        }
    }
    buf_puts(&b, "}\n");
    fputs(b.data, out);
    buf_free(&b);
}

int parsecmd_run(const struct parse_opts *o, FILE *out, FILE *err)
{
    const struct adapter *ad = NULL;
    const struct stream_def *def = adapter_stream(o->stream, &ad);
    if (!def) {
        fprintf(err, "socialroi: parse: unknown stream \"%s\"\n", o->stream);
        return PARSE_EXIT_MALFORMED;
    }
    size_t len = 0;
    char *body = read_all(o->file, &len, err);
    if (!body)
        return PARSE_EXIT_MALFORMED;
    struct cfg_account acct;
    struct cfg_platform plat;
    default_account(&acct, &plat, ad->platform);
    struct hdrs h = {o->headers, o->nheaders};
    struct http_response resp = {o->status, body, len, header_lookup, &h};
    struct adapter_ctx ctx = {.account = &acct,
                              .platform = &plat,
                              .stream = o->stream,
                              .page = o->page,
                              .access_token = "",
                              .email_salt = "",
                              .now = o->now_us ? o->now_us : time_wall_us()};
    /* a saved body may be old: accept every day it holds */
    ctx.to_day = (int32_t)(ctx.now / 1000000 / 86400) + 1;
    ctx.from_day = ctx.to_day - 3660;
    struct rowset *rs = rowset_new();
    int rc = PARSE_EXIT_OK;
    if (def->parse(&ctx, &resp, rs) == 0) {
        struct buf b = {0};
        rowset_write_jsonl(rs, &b);
        if (b.len)
            fwrite(b.data, 1, b.len, out);
        buf_free(&b);
    } else if (rowset_error(rs, NULL, NULL) == ERR_MALFORMED) {
        const char *msg;
        rowset_error(rs, &msg, NULL);
        fprintf(err, "socialroi: parse: %s: not a valid %s body: %s\n", o->file, o->stream, msg);
        rc = PARSE_EXIT_MALFORMED;
    } else {
        print_error(rs, out);
        rc = PARSE_EXIT_API_ERROR;
    }
    rowset_free(rs);
    free(body);
    return rc;
}
