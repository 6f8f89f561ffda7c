/*
 * accounts.h - many accounts per platform (--accounts, tests/sim/README.md "Many accounts").
 *
 * Account 0 of every platform is the world of world.h: every platform, the people, the CRM
 * links and the ROI. Account K >= 1 of a platform is a world of its own holding only that
 * platform's data: its seed is mix64(seed, K), so it has its own ids, credentials (tokens
 * marked "k<K>-", cred.h), rate-limit state and data, and no people (its HubSpot portal has
 * only CRM contacts). It is generated the first time something needs it, then replays the
 * /_advance steps taken so far, so it is the same world whenever it is made: a simulator with
 * 10,000 accounts starts at once. An extra account made only to be listed (/_world, /_truth)
 * and never asked anything is dropped again afterwards (accounts_release): it would be made
 * identically next time, and a listing of every account then needs the memory of one.
 *
 * Requests reach their account by the mark in the token they carry (accounts_route).
 * Runs on the event loop; not thread-safe.
 */
#ifndef SIM_ACCOUNTS_H
#define SIM_ACCOUNTS_H

#include <stdbool.h>
#include <stddef.h>

#include "http.h"
#include "world.h"

#define ACCOUNTS_MAX 1000000

struct accounts;

/* counts[i]: accounts of sim_platforms[i] (>= 1). Takes base. Caller frees with accounts_free. */
struct accounts *accounts_new(struct world *base, const size_t *counts);
void accounts_free(struct accounts *a);

/* Account 0's world (every platform, the people). */
struct world *accounts_base(const struct accounts *a);
size_t accounts_count(const struct accounts *a, size_t plat);
/* Extra accounts made so far and still held, over every platform. */
size_t accounts_held(const struct accounts *a);

/*
 * The world of account k (< accounts_count) of platform plat, made on first use; its platform
 * data is w->pdata[plat]. keep: the account is being asked something and keeps its state from
 * now on; otherwise hand it back with accounts_release once written out.
 */
struct world *accounts_get(struct accounts *a, size_t plat, size_t k, bool keep);
void accounts_release(struct accounts *a, size_t plat, size_t k);

/*
 * The account a request of platform plat is for: K when its bearer token or its access_token,
 * refresh_token, fb_exchange_token or input_token (query or form) holds the mark "k<K>-" and
 * K < accounts_count; else 0.
 */
size_t accounts_route(const struct accounts *a, size_t plat, const struct http_req *r);

/* One /_advance step of account 0 and of every extra account held. Returns the generation. */
unsigned accounts_advance(struct accounts *a);

#endif
