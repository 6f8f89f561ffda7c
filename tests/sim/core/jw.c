/*
 * jw.c - streaming JSON writer (see jw.h for the two string styles and where they come from).
 */
#include "jw.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdlib.h>

void jw_init(struct jw *j, struct buf *b, enum jw_style style)
{
    j->b = b;
    j->style = style;
    j->depth = 0;
    j->first[0] = true;
    j->after_key = false;
}

/* Comma before a value or key unless it is the first at its level or follows a key. */
static void sep(struct jw *j)
{
    if (j->after_key) {
        j->after_key = false;
        return;
    }
    if (!j->first[j->depth])
        buf_puts(j->b, ",");
    j->first[j->depth] = false;
}

static void open_container(struct jw *j, char o, char c)
{
    sep(j);
    buf_append(j->b, &o, 1);
    if (j->depth + 1 >= JW_MAX_DEPTH)
        abort(); /* a programming error: the simulator's shapes are shallow */
    j->depth++;
    j->first[j->depth] = true;
    j->close[j->depth] = c;
}

void jw_obj(struct jw *j)
{
    open_container(j, '{', '}');
}

void jw_arr(struct jw *j)
{
    open_container(j, '[', ']');
}

void jw_end(struct jw *j)
{
    if (j->depth == 0)
        abort();
    buf_append(j->b, &j->close[j->depth], 1);
    j->depth--;
}

/* Decodes one UTF-8 sequence at s (our own text: trusted to be valid); returns its length. */
static int utf8_decode(const unsigned char *s, uint32_t *cp)
{
    if (s[0] < 0x80) {
        *cp = s[0];
        return 1;
    }
    if ((s[0] & 0xE0) == 0xC0) {
        *cp = ((uint32_t)(s[0] & 0x1F) << 6) | (s[1] & 0x3F);
        return 2;
    }
    if ((s[0] & 0xF0) == 0xE0) {
        *cp = ((uint32_t)(s[0] & 0x0F) << 12) | ((uint32_t)(s[1] & 0x3F) << 6) | (s[2] & 0x3F);
        return 3;
    }
    *cp = ((uint32_t)(s[0] & 0x07) << 18) | ((uint32_t)(s[1] & 0x3F) << 12) |
          ((uint32_t)(s[2] & 0x3F) << 6) | (s[3] & 0x3F);
    return 4;
}

static void put_u(struct jw *j, uint32_t unit)
{
    buf_printf(j->b, j->style == JW_ASCII ? "\\u%04x" : "\\u%04X", (unsigned)unit);
}

static void put_escaped_cp(struct jw *j, const unsigned char *p, int n, uint32_t cp)
{
    if (cp >= 0x10000) {
        cp -= 0x10000;
        put_u(j, 0xD800 + (cp >> 10));
        put_u(j, 0xDC00 + (cp & 0x3FF));
    } else if (j->style == JW_ASCII) {
        put_u(j, cp);
    } else {
        buf_append(j->b, p, (size_t)n);
    }
}

static void put_string(struct jw *j, const char *s)
{
    buf_puts(j->b, "\"");
    for (const unsigned char *p = (const unsigned char *)s; *p;) {
        uint32_t cp;
        int n = utf8_decode(p, &cp);
        if (cp == '"')
            buf_puts(j->b, "\\\"");
        else if (cp == '\\')
            buf_puts(j->b, "\\\\");
        else if (cp == '/' && j->style == JW_ASCII)
            buf_puts(j->b, "\\/");
        else if (cp == '\n')
            buf_puts(j->b, "\\n");
        else if (cp == '\t')
            buf_puts(j->b, "\\t");
        else if (cp < 0x20)
            put_u(j, cp);
        else if (cp < 0x80)
            buf_append(j->b, p, 1);
        else
            put_escaped_cp(j, p, n, cp);
        p += n;
    }
    buf_puts(j->b, "\"");
}

void jw_str(struct jw *j, const char *s)
{
    sep(j);
    put_string(j, s);
}

void jw_int(struct jw *j, int64_t v)
{
    sep(j);
    buf_printf(j->b, "%" PRId64, v);
}

void jw_uint(struct jw *j, uint64_t v)
{
    sep(j);
    buf_printf(j->b, "%" PRIu64, v);
}

void jw_bool(struct jw *j, bool v)
{
    sep(j);
    buf_puts(j->b, v ? "true" : "false");
}

void jw_null(struct jw *j)
{
    sep(j);
    buf_puts(j->b, "null");
}

void jw_raw(struct jw *j, const char *json)
{
    sep(j);
    buf_puts(j->b, json);
}

void jw_strf(struct jw *j, const char *fmt, ...)
{
    char tmp[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    jw_str(j, tmp);
}

void jw_key(struct jw *j, const char *k)
{
    sep(j);
    put_string(j, k);
    buf_puts(j->b, ":");
    j->after_key = true;
}

void jw_kstr(struct jw *j, const char *k, const char *s)
{
    jw_key(j, k);
    jw_str(j, s);
}

void jw_kint(struct jw *j, const char *k, int64_t v)
{
    jw_key(j, k);
    jw_int(j, v);
}

void jw_kuint(struct jw *j, const char *k, uint64_t v)
{
    jw_key(j, k);
    jw_uint(j, v);
}

void jw_kbool(struct jw *j, const char *k, bool v)
{
    jw_key(j, k);
    jw_bool(j, v);
}

void jw_knull(struct jw *j, const char *k)
{
    jw_key(j, k);
    jw_null(j);
}

void jw_kobj(struct jw *j, const char *k)
{
    jw_key(j, k);
    jw_obj(j);
}

void jw_karr(struct jw *j, const char *k)
{
    jw_key(j, k);
    jw_arr(j);
}

void jw_kstrf(struct jw *j, const char *k, const char *fmt, ...)
{
    char tmp[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    jw_kstr(j, k, tmp);
}

void jw_kstr_or_null(struct jw *j, const char *k, const char *s)
{
    if (s)
        jw_kstr(j, k, s);
    else
        jw_knull(j, k);
}
