/*
 * money.h - exact money: decimal strings to int64 micro-units, never through a double.
 *
 * Platforms send money as "14.35" (Meta, major units), "-2E-18" (LinkedIn, exponent notation),
 * or integer micros (Pinterest, X Ads). Everything becomes int64 micro-units of an ISO 4217
 * currency; rounding to the micro is half-to-even. Pure functions.
 */
#ifndef SR_MONEY_H
#define SR_MONEY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define MONEY_MICROS 1000000LL

struct money {
    int64_t micros;
    char currency[4]; /* "USD" */
};

/*
 * Parses a decimal number (optional sign, digits, optional fraction, optional exponent) of
 * exactly len bytes into micro-units, rounding half-to-even below one micro. Returns 0, or -1
 * when the text is not a number or the value does not fit in int64 micros.
 */
int money_parse_decimal(const char *s, size_t len, int64_t *micros);

/* As money_parse_decimal, then scales by 10^scale_pow10 first (e.g. -2 for cents). */
int money_parse_scaled(const char *s, size_t len, int scale_pow10, int64_t *micros);

/* "12000.00 USD" -> money; returns 0 or -1. */
int money_parse(const char *s, struct money *m);

/* True for three upper-case ASCII letters. */
bool money_currency_valid(const char *code);

/*
 * Formats micros with `decimals` fraction digits (0..6), rounding half-to-even:
 * 1234567 micros, 2 -> "1.23". buf should hold 32 bytes.
 */
void money_format(int64_t micros, int decimals, char *buf, size_t len);

#endif
