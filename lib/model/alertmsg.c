/*
 * alertmsg.c - alert events as webhook bodies and e-mails (see alertmsg.h).
 */
#include "alertmsg.h"
#include "json.h"
#include "xmalloc.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define SLACK_HEADER_MAX 150  /* Slack's limit for a header block's text */
#define SLACK_TEXT_MAX   2900 /* a section's text may hold 3000 */

static const char *or_empty(const char *s)
{
    return s ? s : "";
}

void alertmsg_id(const struct alert_note *n, char *out, size_t len)
{
    snprintf(out, len, "socialroi-%s-%lld", or_empty(n->instance), (long long)n->event_id);
}

/* "CRITICAL raised: Title (subject)" - the one line every format starts from. */
static void headline(const struct alert_note *n, struct buf *b)
{
    for (const char *p = or_empty(n->severity); *p; p++)
        buf_printf(b, "%c", *p >= 'a' && *p <= 'z' ? *p - 'a' + 'A' : *p);
    buf_printf(b, " %s: %s (%s)", or_empty(n->event), or_empty(n->title), or_empty(n->subject));
}

void alertmsg_json(const struct alert_note *n, struct buf *b)
{
    char id[128];
    alertmsg_id(n, id, sizeof id);
    buf_puts(b, "{\"id\":");
    json_write_str(b, id);
    buf_printf(b, ",\"event_id\":%lld,\"alert_id\":%lld", (long long)n->event_id,
               (long long)n->alert_id);
    json_write_member(b, "event", or_empty(n->event));
    json_write_member(b, "severity", or_empty(n->severity));
    json_write_member(b, "at", or_empty(n->at));
    json_write_member(b, "kind", or_empty(n->kind));
    json_write_member(b, "subject", or_empty(n->subject));
    json_write_member(b, "title", or_empty(n->title));
    json_write_member(b, "message", or_empty(n->message));
    json_write_member(b, "runbook", or_empty(n->runbook));
    json_write_member(b, "first_seen", or_empty(n->first_seen));
    buf_printf(b, ",\"detail\":%s}", n->detail && *n->detail ? n->detail : "{}");
}

/* Appends s with Slack's three control characters escaped, cut at max bytes (whole UTF-8). */
static void slack_escaped(struct buf *out, const char *s, size_t max)
{
    size_t used = 0;
    for (const unsigned char *p = (const unsigned char *)or_empty(s); *p; p++) {
        const char *rep = *p == '&' ? "&amp;" : *p == '<' ? "&lt;" : *p == '>' ? "&gt;" : NULL;
        size_t w = rep ? strlen(rep) : 1;
        /* never cut inside a character: stop before a lead byte that does not fit with its tail */
        if (used + w > max || ((*p & 0xC0) == 0xC0 && used + 4 > max))
            break;
        if (rep)
            buf_puts(out, rep);
        else
            buf_append(out, p, 1);
        used += w;
    }
}

void alertmsg_slack(const struct alert_note *n, struct buf *b)
{
    struct buf line = {0}, t = {0};
    char id[128];
    alertmsg_id(n, id, sizeof id);
    headline(n, &line);
    buf_puts(b, "{\"text\":");
    slack_escaped(&t, line.data, SLACK_TEXT_MAX);
    json_write_str(b, t.data);
    buf_puts(b, ",\"blocks\":[{\"type\":\"header\",\"text\":{\"type\":\"plain_text\",\"text\":");
    buf_reset(&t);
    slack_escaped(&t, line.data, SLACK_HEADER_MAX);
    json_write_str(b, t.data);
    buf_puts(b, "}},{\"type\":\"section\",\"text\":{\"type\":\"mrkdwn\",\"text\":");
    buf_reset(&t);
    struct buf body = {0};
    slack_escaped(&body, n->message, SLACK_TEXT_MAX / 2);
    buf_puts(&body, "\n*Runbook:* ");
    slack_escaped(&body, n->runbook, SLACK_TEXT_MAX / 2);
    json_write_str(b, body.data);
    buf_puts(b, "}},{\"type\":\"context\",\"elements\":[{\"type\":\"mrkdwn\",\"text\":");
    buf_printf(&t, "%s · kind %s · since %s · %s", or_empty(n->at), or_empty(n->kind),
               or_empty(n->first_seen), id);
    struct buf ctx = {0};
    slack_escaped(&ctx, t.data, SLACK_TEXT_MAX);
    json_write_str(b, ctx.data);
    buf_puts(b, "}]}]}");
    buf_free(&line);
    buf_free(&t);
    buf_free(&body);
    buf_free(&ctx);
}

/* ---- e-mail ------------------------------------------------------------------------------ */

/* Appends s with every CR and LF made a space: a header value stays one header. */
static void header_text(struct buf *b, const char *s)
{
    for (const char *p = or_empty(s); *p; p++)
        buf_append(b, *p == '\r' || *p == '\n' ? " " : p, 1);
}

static void base64(struct buf *b, const unsigned char *s, size_t n)
{
    static const char tab[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    for (size_t i = 0; i < n; i += 3) {
        unsigned v = (unsigned)s[i] << 16 | (i + 1 < n ? (unsigned)s[i + 1] << 8 : 0) |
                     (i + 2 < n ? s[i + 2] : 0);
        char q[4] = {tab[v >> 18 & 63], tab[v >> 12 & 63], i + 1 < n ? tab[v >> 6 & 63] : '=',
                     i + 2 < n ? tab[v & 63] : '='};
        buf_append(b, q, 4);
    }
}

/*
 * Subject: ASCII as it is; otherwise RFC 2047 encoded words of at most 45 bytes each (60
 * base64 characters, under the 75 a word may have), split between UTF-8 characters.
 */
static void subject(struct buf *b, const char *s)
{
    bool ascii = true;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        ascii = ascii && *p < 0x80;
    if (ascii) {
        header_text(b, s);
        return;
    }
    const unsigned char *p = (const unsigned char *)s;
    size_t left = strlen(s);
    while (left) {
        size_t n = left > 45 ? 45 : left;
        while (n < left && n > 0 && (p[n] & 0xC0) == 0x80)
            n--;
        buf_puts(b, "=?UTF-8?B?");
        base64(b, p, n);
        buf_puts(b, "?=");
        p += n;
        left -= n;
        if (left)
            buf_puts(b, "\r\n "); /* folded: one encoded word per line */
    }
}

static void mail_date(struct buf *b, int64_t now_us)
{
    static const char *const days[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                         "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    time_t t = (time_t)(now_us / 1000000);
    struct tm tm;
    gmtime_r(&t, &tm);
    buf_printf(b, "Date: %s, %02d %s %04d %02d:%02d:%02d +0000\r\n", days[tm.tm_wday], tm.tm_mday,
               months[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

/* Body text with every line ending CRLF. */
static void body_text(struct buf *b, const char *s)
{
    for (const char *p = or_empty(s); *p; p++) {
        if (*p == '\r')
            continue;
        if (*p == '\n')
            buf_puts(b, "\r\n");
        else
            buf_append(b, p, 1);
    }
}

void alertmsg_mail(const struct alert_note *n, const char *from, char *const *to, size_t nto,
                   int64_t now_us, struct buf *b)
{
    char id[128];
    struct buf line = {0};
    const char *at = strrchr(from, '@');
    alertmsg_id(n, id, sizeof id);
    mail_date(b, now_us);
    buf_puts(b, "From: ");
    header_text(b, from);
    buf_puts(b, "\r\nTo: ");
    for (size_t i = 0; i < nto; i++) {
        buf_puts(b, i ? ",\r\n " : "");
        header_text(b, to[i]);
    }
    buf_puts(b, "\r\nSubject: ");
    buf_puts(&line, "[socialroi] ");
    headline(n, &line);
    subject(b, line.data);
    buf_puts(b, "\r\nMessage-ID: <");
    header_text(b, id);
    buf_puts(b, "@");
    header_text(b, at && at[1] ? at + 1 : "socialroi.invalid");
    buf_puts(b, ">\r\nX-Socialroi-Event: ");
    header_text(b, id);
    buf_puts(b, "\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\n"
                "Content-Transfer-Encoding: 8bit\r\n\r\n");
    body_text(b, line.data);
    buf_puts(b, "\r\n\r\n");
    body_text(b, n->message);
    buf_puts(b, "\r\n\r\nRunbook: ");
    body_text(b, n->runbook);
    buf_printf(b, "\r\n\r\nkind: %s\r\nsubject: ", or_empty(n->kind));
    body_text(b, n->subject);
    buf_printf(b, "\r\nevent: %s at %s\r\nfirst seen: %s\r\nalert: %lld\r\nid: %s\r\n",
               or_empty(n->event), or_empty(n->at), or_empty(n->first_seen), (long long)n->alert_id,
               id);
    buf_free(&line);
}

/* ---- secrets ----------------------------------------------------------------------------- */

void alertmsg_log_url(const char *url, char *out, size_t len)
{
    const char *sep = strstr(url, "://");
    if (!sep) {
        snprintf(out, len, "(invalid url)");
        return;
    }
    const char *host = sep + 3;
    size_t hl = strcspn(host, "/?#");
    const char *atsign = memchr(host, '@', hl);
    if (atsign) { /* user:password@host: the user part goes */
        hl -= (size_t)(atsign + 1 - host);
        host = atsign + 1;
    }
    snprintf(out, len, "%.*s://%.*s", (int)(sep - url), url, (int)hl, host);
}

static void replace_all(char *s, size_t size, const char *what)
{
    static const char rep[] = "[secret]";
    size_t wl = strlen(what), rl = strlen(rep);
    if (wl == 0)
        return;
    for (char *p = strstr(s, what); p; p = strstr(p + rl, what)) {
        if ((size_t)(p - s) + rl + 1 > size) {
            *p = '\0'; /* no room for the mark: cut the secret off */
            return;
        }
        size_t tail = strlen(p + wl);
        if ((size_t)(p - s) + rl + tail + 1 > size)
            tail = size - 1 - (size_t)(p - s) - rl; /* cut the end rather than overflow */
        memmove(p + rl, p + wl, tail);
        memcpy(p, rep, rl);
        p[rl + tail] = '\0';
    }
}

void alertmsg_scrub(char *s, size_t size, const char *secret)
{
    if (!secret || !*secret || size < 16)
        return;
    replace_all(s, size, secret);
    const char *sep = strstr(secret, "://");
    if (sep) {
        const char *path = sep + 3 + strcspn(sep + 3, "/?#");
        if (strlen(path) > 1)
            replace_all(s, size, path);
        const char *host = sep + 3;
        const char *atsign = memchr(host, '@', strcspn(host, "/?#"));
        if (atsign) {
            char *userinfo = xstrndup(host, (size_t)(atsign - host));
            replace_all(s, size, userinfo);
            free(userinfo);
        }
    }
}
