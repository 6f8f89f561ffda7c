/*
 * demoworld.c - the simulated world as socialroi configuration (see demoworld.h).
 *
 * The simulator serves each platform under /NAME on one port, token endpoints at their real
 * paths below it; /_world lists per platform its accounts with their ids and credentials, the
 * business campaigns (links "platform:id", UTM values, spend lines already in config syntax) and
 * the FX rates its money uses.
 */
#include "demoworld.h"
#include "adapter.h"
#include "platform.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

static const char *first_str(const cJSON *o, const char *const *keys)
{
    for (; *keys; keys++) {
        const char *v;
        if (json_str(o, *keys, &v) == JSON_OK)
            return v;
    }
    return NULL;
}

/*
 * key = the array's strings, comma-separated. The value is double-quoted (with \" and \\)
 * when it holds '"', '#', ';' or '\\': X search queries do ("acme" OR #acme), and unquoted
 * the config would end the value at " #" (an inline comment) or refuse the leading quote.
 */
static void write_list(struct buf *b, const char *key, const cJSON *arr)
{
    const cJSON *it;
    struct buf v = {0};
    if (!cJSON_IsArray(arr) || cJSON_GetArraySize(arr) == 0)
        return;
    cJSON_ArrayForEach(it, arr)
    {
        if (cJSON_IsString(it))
            buf_printf(&v, "%s%s", v.len ? ", " : "", it->valuestring);
    }
    buf_printf(b, "%s = ", key);
    if (v.len && strpbrk(v.data, "\"#;\\")) {
        buf_puts(b, "\"");
        for (const char *p = v.data; *p; p++)
            buf_printf(b, "%s%c", *p == '"' || *p == '\\' ? "\\" : "", *p);
        buf_puts(b, "\"");
    } else if (v.len) {
        buf_puts(b, v.data);
    }
    buf_puts(b, "\n");
    buf_free(&v);
}

/* One [account] and one [credential] per simulated account of a platform. */
static void world_platform(const char *platform, const cJSON *p, int port, struct buf *conf,
                           struct buf *creds)
{
    static const char *const ids[] = {"id",         "user_id",      "page_id",
                                      "ig_user_id", "organization", "channel_id",
                                      "portal_id",  "user",         NULL};
    static const char *const secrets[] = {"access_token", "refresh_token", "client_id",
                                          "client_secret", NULL};
    const cJSON *accounts = json_get(p, "accounts"), *a;
    int n = 0;
    /* the simulator serves each platform under /NAME, token endpoints at their real paths */
    enum platform_id pid;
    platform_lookup(platform, &pid);
    const char *tok = platform_info(pid)->token_url, *path = strstr(tok, "://");
    path = path ? strchr(path + 3, '/') : NULL;
    buf_printf(conf, "\n[platform %s]\napi_base = http://127.0.0.1:%d/%s\n", platform, port,
               platform);
    if (path)
        buf_printf(conf, "token_url = http://127.0.0.1:%d/%s%s\n", port, platform, path);
    if (platform_info(pid)->api_base2) /* YouTube Analytics lives on a second host */
        buf_printf(conf, "api_base2 = http://127.0.0.1:%d/%s/analytics\n", port, platform);
    cJSON_ArrayForEach(a, accounts)
    {
        const char *id = first_str(a, ids), *v;
        if (!id)
            continue;
        n++;
        buf_printf(conf, "\n[account %s-%d]\nplatform = %s\nid = %s\ncredential = %s-%d\n",
                   platform, n, platform, id, platform, n);
        if (json_str(a, "ad_account", &v) == JSON_OK)
            buf_printf(conf, "ad_account = %s\n", v);
        if (json_str(a, "currency", &v) == JSON_OK)
            buf_printf(conf, "currency = %s\n", v);
        else if (pid == PLATFORM_HUBSPOT) /* socialroid -n wants one for deals that lack it */
            buf_puts(conf, "currency = USD\n");
        if (json_str(a, "timezone", &v) == JSON_OK)
            buf_printf(conf, "timezone = %s\n", v);
        write_list(conf, "forms", json_get(a, "forms"));
        write_list(conf, "queries", json_get(a, "queries"));
        buf_printf(creds, "\n[credential %s-%d]\n", platform, n);
        for (int i = 0; secrets[i]; i++)
            if (json_str(a, secrets[i], &v) == JSON_OK)
                buf_printf(creds, "%s = %s\n", secrets[i], v);
        int64_t exp;
        if (json_int(a, "token_expires_at", &exp) == JSON_OK)
            buf_printf(creds, "expires_at = %lld\n", (long long)exp);
    }
}

/* One [campaign] per business campaign of the world; lists as repeated keys. */
static void world_campaigns(const cJSON *list, struct buf *out)
{
    static const char *const scalars[] = {"title", "start", "end", "budget"};
    static const char *const lists[][2] = {
        {"link", "links"}, {"utm_campaign", "utm_campaign"}, {"spend", "spend"}};
    const cJSON *c, *it;
    const char *v;
    buf_puts(out, "# the simulated world's business campaigns, written by socialroi demo\n");
    cJSON_ArrayForEach(c, list)
    {
        if (json_str(c, "name", &v) != JSON_OK)
            continue;
        buf_printf(out, "\n[campaign %s]\n", v);
        for (size_t i = 0; i < sizeof scalars / sizeof scalars[0]; i++)
            if (json_str(c, scalars[i], &v) == JSON_OK)
                buf_printf(out, "%s = %s\n", scalars[i], v);
        for (size_t i = 0; i < sizeof lists / sizeof lists[0]; i++) {
            cJSON_ArrayForEach(it, json_get(c, lists[i][1]))
            {
                if (cJSON_IsString(it))
                    buf_printf(out, "%s = %s\n", lists[i][0], it->valuestring);
            }
        }
    }
}

/* [fx]: the static rates of the world's money, in its reporting currency. */
static void world_fx(const cJSON *fx, struct buf *conf)
{
    const cJSON *r;
    const char *cur;
    if (json_str(fx, "currency", &cur) != JSON_OK)
        return;
    buf_printf(conf, "\n[fx]\n");
    cJSON_ArrayForEach(r, json_get(fx, "rates"))
    {
        if (cJSON_IsString(r))
            buf_printf(conf, "%s = %s\n", r->string, r->valuestring);
    }
}

void demoworld_config(const cJSON *world, int port, struct buf *conf, struct buf *creds,
                      struct buf *campaigns)
{
    for (int i = 0; i < PLATFORM_COUNT; i++) {
        const char *name = platform_info((enum platform_id)i)->name;
        const cJSON *p = json_get(world, name);
        if (p && adapter_for((enum platform_id)i))
            world_platform(name, p, port, conf, creds);
    }
    world_fx(json_get(world, "fx"), conf);
    buf_puts(conf, "\ninclude = campaigns.d/*.conf\n");
    world_campaigns(json_get(world, "campaigns"), campaigns);
}
