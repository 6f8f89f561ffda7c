/*
 * money.c - exact decimal parsing into micro-units (see money.h).
 *
 * The parser keeps the significant digits as text and decides the scale from the exponent, so
 * "1e-7", "0.0000005" and "-2E-18" round exactly as their decimal values say.
 */
#include "money.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#define MAX_DIGITS   64  /* more significant digits than any real amount has */
#define MAX_EXPONENT 400 /* exponent beyond this is either 0 or an overflow anyway */

struct decimal {
    bool neg;
    char digits[MAX_DIGITS]; /* significant digits, no leading zeros */
    int ndigits;
    int exp10;            /* value = digits * 10^exp10 */
    bool dropped_nonzero; /* digits beyond MAX_DIGITS that were not zero */
};

static int read_exponent(const char **pp, const char *end, int *out)
{
    const char *p = *pp;
    int sign = 1, e = 0;
    if (p < end && (*p == '+' || *p == '-'))
        sign = *p++ == '-' ? -1 : 1;
    if (p == end || !isdigit((unsigned char)*p))
        return -1;
    while (p < end && isdigit((unsigned char)*p)) {
        if (e < 100000)
            e = e * 10 + (*p - '0');
        p++;
    }
    *pp = p;
    *out = sign * e;
    return 0;
}

static void push_digit(struct decimal *d, char c, bool fraction)
{
    if (d->ndigits == 0 && c == '0') {
        if (fraction)
            d->exp10--;
        return;
    }
    if (d->ndigits < MAX_DIGITS) {
        d->digits[d->ndigits++] = c;
        if (fraction)
            d->exp10--;
    } else {
        if (c != '0')
            d->dropped_nonzero = true;
        if (!fraction)
            d->exp10++;
    }
}

static int parse_decimal(const char *s, size_t len, struct decimal *d)
{
    const char *p = s, *end = s + len;
    int seen = 0, e = 0;
    memset(d, 0, sizeof *d);
    if (p < end && (*p == '+' || *p == '-'))
        d->neg = *p++ == '-';
    for (; p < end && isdigit((unsigned char)*p); p++, seen++)
        push_digit(d, *p, false);
    if (p < end && *p == '.') {
        for (p++; p < end && isdigit((unsigned char)*p); p++, seen++)
            push_digit(d, *p, true);
    }
    if (!seen)
        return -1;
    if (p < end && (*p == 'e' || *p == 'E')) {
        p++;
        if (read_exponent(&p, end, &e) < 0)
            return -1;
    }
    if (p != end)
        return -1;
    if (e > MAX_EXPONENT || e < -MAX_EXPONENT)
        return d->ndigits == 0 || e < 0 ? (d->ndigits = 0, 0) : -1;
    d->exp10 += e;
    return 0;
}

/* Rounds digits[0..keep) half-to-even given what follows; returns 1 to round away from zero. */
static int round_up(const struct decimal *d, int keep)
{
    if (keep >= d->ndigits)
        return 0;
    char first = d->digits[keep];
    bool rest_nonzero = d->dropped_nonzero;
    for (int i = keep + 1; i < d->ndigits && !rest_nonzero; i++)
        rest_nonzero = d->digits[i] != '0';
    if (first > '5' || (first == '5' && rest_nonzero))
        return 1;
    if (first < '5')
        return 0;
    int last = keep > 0 ? d->digits[keep - 1] - '0' : 0;
    return last & 1;
}

static int to_micros(const struct decimal *d, int64_t *out)
{
    /* micros = digits * 10^(exp10 + 6) */
    int shift = d->exp10 + 6;
    int keep = shift >= 0 ? d->ndigits : d->ndigits + shift;
    unsigned long long v = 0;
    const unsigned long long limit = d->neg ? 9223372036854775808ULL : 9223372036854775807ULL;
    if (keep < 0)
        keep = 0;
    for (int i = 0; i < keep; i++) {
        unsigned dig = (unsigned)(d->digits[i] - '0');
        if (v > (limit - dig) / 10)
            return -1;
        v = v * 10 + dig;
    }
    for (int i = 0; shift > 0 && i < shift && d->ndigits; i++) {
        if (v > limit / 10)
            return -1;
        v *= 10;
    }
    if (d->ndigits + (shift < 0 ? shift : 0) >= 0)
        v += (unsigned long long)round_up(d, keep); /* else below a tenth of a micro: 0 */
    if (v > limit)
        return -1;
    *out = d->neg ? (int64_t)(0 - v) : (int64_t)v;
    return 0;
}

int money_parse_scaled(const char *s, size_t len, int scale_pow10, int64_t *micros)
{
    struct decimal d;
    if (parse_decimal(s, len, &d) < 0)
        return -1;
    d.exp10 += scale_pow10;
    return to_micros(&d, micros);
}

int money_parse_decimal(const char *s, size_t len, int64_t *micros)
{
    return money_parse_scaled(s, len, 0, micros);
}

bool money_currency_valid(const char *code)
{
    return strlen(code) == 3 && isupper((unsigned char)code[0]) &&
           isupper((unsigned char)code[1]) && isupper((unsigned char)code[2]);
}

int money_parse(const char *s, struct money *m)
{
    const char *sp = strchr(s, ' ');
    if (!sp)
        return -1;
    const char *cur = sp;
    while (*cur == ' ')
        cur++;
    if (!money_currency_valid(cur))
        return -1;
    if (money_parse_decimal(s, (size_t)(sp - s), &m->micros) < 0)
        return -1;
    memcpy(m->currency, cur, 4);
    return 0;
}

void money_format(int64_t micros, int decimals, char *buf, size_t len)
{
    static const long long pow10[] = {1, 10, 100, 1000, 10000, 100000, 1000000};
    if (decimals < 0)
        decimals = 0;
    if (decimals > 6)
        decimals = 6;
    unsigned long long mag =
        micros < 0 ? 0ULL - (unsigned long long)micros : (unsigned long long)micros;
    unsigned long long unit = (unsigned long long)pow10[6 - decimals];
    unsigned long long q = mag / unit, r = mag % unit;
    if (r * 2 > unit || (r * 2 == unit && (q & 1)))
        q++;
    unsigned long long whole = q / (unsigned long long)pow10[decimals];
    unsigned long long frac = q % (unsigned long long)pow10[decimals];
    const char *sign = micros < 0 && q ? "-" : "";
    if (decimals)
        snprintf(buf, len, "%s%llu.%0*llu", sign, whole, decimals, frac);
    else
        snprintf(buf, len, "%s%llu", sign, whole);
}
