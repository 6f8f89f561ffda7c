/*
 * jw.h - a small streaming JSON writer for the simulator's response bodies.
 *
 * The simulator prints every number itself (int64 with PRId64, money as decimal strings), so
 * no count, id or amount ever passes through a double the way it would through cJSON. Two
 * string styles copy what the real platforms send (platform reference §0 "Universal rules",
 * §1.7, §15 item 18):
 *   JW_UTF8   raw UTF-8, astral code points as upper-case surrogate pairs (recorded X bodies:
 *             "\uD83E\uDD41");
 *   JW_ASCII  every non-ASCII code point as a lower-case \u escape (surrogate pairs above the
 *             BMP) and "/" as "\/": the Graph API's PHP-style encoding
 *             ("https:\/\/graph.facebook.com\/v24.0\/...").
 * Commas are placed automatically; the writer keeps a small stack of open containers.
 * Plain record embedded by value; the buffer is borrowed and owned by the caller.
 */
#ifndef SIM_JW_H
#define SIM_JW_H

#include <stdbool.h>
#include <stdint.h>

#include "buf.h"

#define JW_MAX_DEPTH 32

enum jw_style { JW_UTF8, JW_ASCII };

struct jw {
    struct buf *b;
    enum jw_style style;
    int depth;
    bool first[JW_MAX_DEPTH]; /* no element written yet at this level */
    char close[JW_MAX_DEPTH]; /* '}' or ']' */
    bool after_key;           /* a key was written; the value follows without a comma */
};

/* Starts writing into b (borrowed; appended to). */
void jw_init(struct jw *j, struct buf *b, enum jw_style style);

/* Values: at top level, as an array element, or after jw_key. */
void jw_obj(struct jw *j);
void jw_arr(struct jw *j);
void jw_end(struct jw *j);
void jw_str(struct jw *j, const char *s);
void jw_int(struct jw *j, int64_t v);
void jw_uint(struct jw *j, uint64_t v);
void jw_bool(struct jw *j, bool v);
void jw_null(struct jw *j);
/* Pre-formatted JSON text (a number such as "0.5"); the caller vouches for it. */
void jw_raw(struct jw *j, const char *json);
/* A string value printed with printf. */
void jw_strf(struct jw *j, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Object member key; the next call writes its value. */
void jw_key(struct jw *j, const char *k);

/* key + value shorthands */
void jw_kstr(struct jw *j, const char *k, const char *s);
void jw_kint(struct jw *j, const char *k, int64_t v);
void jw_kuint(struct jw *j, const char *k, uint64_t v);
void jw_kbool(struct jw *j, const char *k, bool v);
void jw_knull(struct jw *j, const char *k);
void jw_kobj(struct jw *j, const char *k);
void jw_karr(struct jw *j, const char *k);
void jw_kstrf(struct jw *j, const char *k, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* A string member, or null when s is NULL. */
void jw_kstr_or_null(struct jw *j, const char *k, const char *s);

#endif
