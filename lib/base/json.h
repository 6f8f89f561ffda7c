/*
 * json.h - the only way socialroi reads JSON: cJSON behind typed, checked getters.
 *
 * Platforms send numbers as JSON numbers or as strings, ids of up to 19 digits, money as
 * decimal strings, and keys that may be absent or null. These helpers make each case explicit:
 * ids are read as strings (a JSON number id above 2^53 is refused, never rounded); counts are
 * range-checked int64 from a number or a numeric string; money goes through the exact decimal
 * parser; cJSON's saturating valueint is never used. The body is checked to be valid UTF-8
 * first, since PostgreSQL refuses anything else and cJSON does not check.
 *
 * Pure functions over a parsed tree; the tree is owned by the caller of json_parse.
 */
#ifndef SR_JSON_H
#define SR_JSON_H

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Outcome of a getter: present with a usable value, absent (or null), or present but wrong. */
enum json_get { JSON_OK = 0, JSON_ABSENT = 1, JSON_BAD = -1 };

/* True when buf[0..len) is well-formed UTF-8 (no overlongs, surrogates or values > U+10FFFF). */
bool json_utf8_valid(const char *buf, size_t len);

/*
 * Parses exactly len bytes. Returns the tree (free with cJSON_Delete) or NULL with a short
 * reason in why: invalid UTF-8, syntax error (with the byte offset), trailing garbage.
 */
cJSON *json_parse(const char *buf, size_t len, char *why, size_t whylen);

/* Object member by exact key, or NULL (also for a non-object). */
const cJSON *json_get(const cJSON *obj, const char *key);
/* Follows a path of keys: json_path(o, "data", "public_metrics", NULL). */
const cJSON *json_path(const cJSON *obj, ...);

/* String member (borrowed); JSON_BAD when present but not a string. */
enum json_get json_str(const cJSON *obj, const char *key, const char **out);
/*
 * Id member as a string: a string is taken as is; a JSON integer up to 2^53 is formatted;
 * a larger or fractional number is JSON_BAD. buf receives formatted numbers (32 bytes).
 */
enum json_get json_id(const cJSON *obj, const char *key, char *buf, size_t len, const char **out);
/* Non-negative count from a JSON integer (<= 2^53) or a decimal-integer string ("185"). */
enum json_get json_count(const cJSON *obj, const char *key, int64_t *out);
/* Any count-like value (an item, not a member): same rules as json_count. */
enum json_get json_count_item(const cJSON *item, int64_t *out);
/* Money in micro-units from a decimal string ("14.35", "-2E-18") or an integral JSON number. */
enum json_get json_money(const cJSON *obj, const char *key, int64_t *micros);
/* As json_money, with the value first scaled by 10^pow10 (-2 for cents, -6 for micros). */
enum json_get json_money_scaled(const cJSON *obj, const char *key, int pow10, int64_t *micros);
/* Boolean member; "true"/"false" strings are accepted (HubSpot sends those). */
enum json_get json_bool(const cJSON *obj, const char *key, bool *out);
/* Integer from a JSON integer or integer string, any sign, |v| <= 2^53. */
enum json_get json_int(const cJSON *obj, const char *key, int64_t *out);

/*
 * Timestamps to microseconds since the epoch (UTC): ISO-8601 with "Z", "+0000" or "+00:00"
 * offsets and optional fractional seconds ("2021-02-23T18:07:07.000Z",
 * "2024-01-15T08:00:00+0000"), or a date alone ("2024-11-15", midnight UTC). Returns 0 or -1.
 */
int json_parse_time(const char *s, int64_t *us);
/* Writes "YYYY-MM-DDTHH:MM:SS.mmmZ" (or without millis when they are zero). */
void json_format_time(int64_t us, char *buf, size_t len);

/* Appends s to b as a JSON string literal (quotes, escapes, control characters). */
struct buf;
void json_write_str(struct buf *b, const char *s);
/*
 * Appends "key":"value" (value as json_write_str writes it; null for NULL) as an object's
 * member: after a comma unless b ends with the object's '{'.
 */
void json_write_member(struct buf *b, const char *key, const char *value);

#endif
