/*
 * json.c - typed JSON getters over cJSON (see json.h).
 */
#include "json.h"
#include "buf.h"
#include "money.h"
#include "timeutil.h"

#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_SAFE_INT 9007199254740992.0 /* 2^53: doubles are exact integers up to here */

bool json_utf8_valid(const char *buf, size_t len)
{
    const unsigned char *p = (const unsigned char *)buf, *end = p + len;
    while (p < end) {
        unsigned c = *p;
        size_t n;
        unsigned cp;
        if (c < 0x80) {
            p++;
            continue;
        }
        if (c >= 0xc2 && c <= 0xdf)
            n = 1, cp = c & 0x1f;
        else if (c >= 0xe0 && c <= 0xef)
            n = 2, cp = c & 0x0f;
        else if (c >= 0xf0 && c <= 0xf4)
            n = 3, cp = c & 0x07;
        else
            return false;
        if ((size_t)(end - p) <= n)
            return false;
        for (size_t i = 1; i <= n; i++) {
            if ((p[i] & 0xc0) != 0x80)
                return false;
            cp = (cp << 6) | (p[i] & 0x3f);
        }
        if ((n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) || cp > 0x10ffff ||
            (cp >= 0xd800 && cp <= 0xdfff))
            return false;
        p += n + 1;
    }
    return true;
}

/*
 * Offset of the first escaped NUL (\u0000) in the text, or -1. cJSON would cut the string
 * there without a word; a backslash only appears in strings, each escape is skipped whole, so
 * an escaped backslash followed by "u0000" is not mistaken for one.
 */
static long escaped_nul(const char *buf, size_t len)
{
    for (size_t i = 0; i + 1 < len; i++) {
        if (buf[i] != '\\')
            continue;
        if (buf[i + 1] == 'u' && i + 6 <= len && memcmp(buf + i + 2, "0000", 4) == 0)
            return (long)i;
        i++; /* the escaped character */
    }
    return -1;
}

cJSON *json_parse(const char *buf, size_t len, char *why, size_t whylen)
{
    const char *end = NULL;
    if (!json_utf8_valid(buf, len)) {
        snprintf(why, whylen, "body is not valid UTF-8");
        return NULL;
    }
    if (memchr(buf, '\0', len)) {
        snprintf(why, whylen, "body contains a NUL byte");
        return NULL;
    }
    long nul = escaped_nul(buf, len);
    if (nul >= 0) {
        snprintf(why, whylen, "string holds an escaped NUL (\\u0000) at byte %ld", nul);
        return NULL;
    }
    cJSON *root = cJSON_ParseWithLengthOpts(buf, len, &end, false);
    if (!root) {
        size_t off = end && end >= buf ? (size_t)(end - buf) : 0;
        const char *e = cJSON_GetErrorPtr();
        if (e && e >= buf && e <= buf + len)
            off = (size_t)(e - buf);
        snprintf(why, whylen, "malformed JSON near byte %zu of %zu", off, len);
        return NULL;
    }
    while (end && end < buf + len && isspace((unsigned char)*end))
        end++;
    if (end && end < buf + len) {
        snprintf(why, whylen, "trailing data after JSON at byte %zu", (size_t)(end - buf));
        cJSON_Delete(root);
        return NULL;
    }
    return root;
}

const cJSON *json_get(const cJSON *obj, const char *key)
{
    if (!cJSON_IsObject(obj))
        return NULL;
    return cJSON_GetObjectItemCaseSensitive(obj, key);
}

const cJSON *json_path(const cJSON *obj, ...)
{
    va_list ap;
    va_start(ap, obj);
    for (const char *k = va_arg(ap, const char *); k && obj; k = va_arg(ap, const char *))
        obj = json_get(obj, k);
    va_end(ap);
    return obj;
}

static bool absent(const cJSON *item)
{
    return !item || cJSON_IsNull(item);
}

enum json_get json_str(const cJSON *obj, const char *key, const char **out)
{
    const cJSON *it = json_get(obj, key);
    if (absent(it))
        return JSON_ABSENT;
    if (!cJSON_IsString(it) || !it->valuestring)
        return JSON_BAD;
    *out = it->valuestring;
    return JSON_OK;
}

/* An exact integer carried by a JSON number, or false. */
static bool number_int(const cJSON *it, int64_t *out)
{
    double d = it->valuedouble;
    /* 2^53 itself is out: 2^53 + 1 rounds to it, so it may not be what the text said */
    if (!isfinite(d) || d != floor(d) || fabs(d) >= MAX_SAFE_INT)
        return false;
    *out = (int64_t)d;
    return true;
}

/* A decimal integer string with optional sign, or false. */
static bool string_int(const char *s, int64_t *out)
{
    const char *p = s;
    int64_t v = 0;
    bool neg = false;
    if (*p == '-' || *p == '+')
        neg = *p++ == '-';
    if (!isdigit((unsigned char)*p))
        return false;
    for (; isdigit((unsigned char)*p); p++) {
        if (v > (INT64_MAX - (*p - '0')) / 10)
            return false;
        v = v * 10 + (*p - '0');
    }
    /* "805781762.0": integers rendered as floats in strings (HubSpot) */
    if (*p == '.') {
        for (p++; *p == '0'; p++)
            ;
    }
    if (*p)
        return false;
    *out = neg ? -v : v;
    return true;
}

enum json_get json_id(const cJSON *obj, const char *key, char *buf, size_t len, const char **out)
{
    const cJSON *it = json_get(obj, key);
    int64_t v;
    if (absent(it))
        return JSON_ABSENT;
    if (cJSON_IsString(it) && it->valuestring && it->valuestring[0]) {
        *out = it->valuestring;
        return JSON_OK;
    }
    if (cJSON_IsNumber(it) && number_int(it, &v) && v >= 0) {
        snprintf(buf, len, "%lld", (long long)v);
        *out = buf;
        return JSON_OK;
    }
    return JSON_BAD;
}

static enum json_get int_item(const cJSON *it, int64_t *out)
{
    if (absent(it))
        return JSON_ABSENT;
    if (cJSON_IsNumber(it))
        return number_int(it, out) ? JSON_OK : JSON_BAD;
    if (cJSON_IsString(it) && it->valuestring)
        return string_int(it->valuestring, out) ? JSON_OK : JSON_BAD;
    return JSON_BAD;
}

enum json_get json_count_item(const cJSON *item, int64_t *out)
{
    int64_t v;
    enum json_get g = int_item(item, &v);
    if (g != JSON_OK)
        return g;
    if (v < 0)
        return JSON_BAD;
    *out = v;
    return JSON_OK;
}

enum json_get json_count(const cJSON *obj, const char *key, int64_t *out)
{
    return json_count_item(json_get(obj, key), out);
}

enum json_get json_int(const cJSON *obj, const char *key, int64_t *out)
{
    return int_item(json_get(obj, key), out);
}

enum json_get json_money_scaled(const cJSON *obj, const char *key, int pow10, int64_t *micros)
{
    const cJSON *it = json_get(obj, key);
    if (absent(it))
        return JSON_ABSENT;
    if (cJSON_IsString(it) && it->valuestring) {
        const char *s = it->valuestring;
        return money_parse_scaled(s, strlen(s), pow10, micros) == 0 ? JSON_OK : JSON_BAD;
    }
    if (cJSON_IsNumber(it)) {
        /* a JSON number is exact only when integral: format it and parse it as text */
        int64_t v;
        char txt[32];
        if (!number_int(it, &v))
            return JSON_BAD;
        snprintf(txt, sizeof txt, "%lld", (long long)v);
        return money_parse_scaled(txt, strlen(txt), pow10, micros) == 0 ? JSON_OK : JSON_BAD;
    }
    return JSON_BAD;
}

enum json_get json_money(const cJSON *obj, const char *key, int64_t *micros)
{
    return json_money_scaled(obj, key, 0, micros);
}

enum json_get json_bool(const cJSON *obj, const char *key, bool *out)
{
    const cJSON *it = json_get(obj, key);
    if (absent(it))
        return JSON_ABSENT;
    if (cJSON_IsBool(it)) {
        *out = cJSON_IsTrue(it);
        return JSON_OK;
    }
    if (cJSON_IsString(it) && it->valuestring) {
        if (strcmp(it->valuestring, "true") == 0)
            return *out = true, JSON_OK;
        if (strcmp(it->valuestring, "false") == 0)
            return *out = false, JSON_OK;
    }
    return JSON_BAD;
}

static int digits(const char *s, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (!isdigit((unsigned char)s[i]))
            return -1;
        v = v * 10 + s[i] - '0';
    }
    *out = v;
    return 0;
}

/* Parses "+HHMM", "+HH:MM", "-HHMM" or "Z"; returns the length consumed or -1. */
static int parse_offset(const char *s, int *offset_s)
{
    int h, m;
    if (*s == 'Z') {
        *offset_s = 0;
        return 1;
    }
    if (*s != '+' && *s != '-')
        return -1;
    int sign = *s == '-' ? -1 : 1;
    if (digits(s + 1, 2, &h) < 0)
        return -1;
    int colon = s[3] == ':';
    if (digits(s + 3 + colon, 2, &m) < 0 || h > 23 || m > 59)
        return -1;
    *offset_s = sign * (h * 3600 + m * 60);
    return 5 + colon;
}

int json_parse_time(const char *s, int64_t *us)
{
    char date[11];
    int32_t days;
    int hh = 0, mm = 0, ss = 0, off = 0;
    int64_t frac_us = 0;
    if (strlen(s) < 10)
        return -1;
    memcpy(date, s, 10);
    date[10] = '\0';
    if (time_parse_date(date, &days) < 0)
        return -1;
    const char *p = s + 10;
    if (*p == 'T' || *p == ' ') {
        if (digits(p + 1, 2, &hh) < 0 || p[3] != ':' || digits(p + 4, 2, &mm) < 0 || p[6] != ':' ||
            digits(p + 7, 2, &ss) < 0 || hh > 23 || mm > 59 || ss > 60)
            return -1;
        p += 9;
        if (*p == '.') {
            int64_t scale = 100000;
            for (p++; isdigit((unsigned char)*p); p++, scale /= 10)
                frac_us += (*p - '0') * scale;
        }
        int n = parse_offset(p, &off);
        if (n < 0)
            return -1;
        p += n;
    }
    if (*p)
        return -1;
    *us = ((int64_t)days * 86400 + hh * 3600 + mm * 60 + ss - off) * 1000000 + frac_us;
    return 0;
}

void json_format_time(int64_t us, char *buf, size_t len)
{
    int64_t secs = us >= 0 ? us / 1000000 : (us - 999999) / 1000000;
    int64_t ms = (us - secs * 1000000) / 1000;
    int32_t days = (int32_t)(secs >= 0 ? secs / 86400 : (secs - 86399) / 86400);
    int64_t rem = secs - (int64_t)days * 86400;
    char d[16];
    time_format_date(days, d, sizeof d);
    if (ms)
        snprintf(buf, len, "%sT%02d:%02d:%02d.%03dZ", d, (int)(rem / 3600), (int)(rem / 60 % 60),
                 (int)(rem % 60), (int)ms);
    else
        snprintf(buf, len, "%sT%02d:%02d:%02dZ", d, (int)(rem / 3600), (int)(rem / 60 % 60),
                 (int)(rem % 60));
}

void json_write_str(struct buf *b, const char *s)
{
    buf_puts(b, "\"");
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        switch (*p) {
        case '"':
            buf_puts(b, "\\\"");
            break;
        case '\\':
            buf_puts(b, "\\\\");
            break;
        case '\n':
            buf_puts(b, "\\n");
            break;
        case '\r':
            buf_puts(b, "\\r");
            break;
        case '\t':
            buf_puts(b, "\\t");
            break;
        default:
            if (*p < 0x20)
                buf_printf(b, "\\u%04x", *p);
            else
                buf_append(b, p, 1);
        }
    }
    buf_puts(b, "\"");
}

void json_write_member(struct buf *b, const char *key, const char *value)
{
    if (!(b->len && b->data[b->len - 1] == '{'))
        buf_puts(b, ",");
    buf_printf(b, "\"%s\":", key);
    if (value)
        json_write_str(b, value);
    else
        buf_puts(b, "null");
}
