/*
 * expiry.h - the approach of a token that cannot be refreshed, as scheduled events.
 *
 * A token with a known end and no way to renew it (LinkedIn without programmatic refresh, a
 * Meta long-lived token without the app's secret) is announced three times: 14 days before it
 * ends, 3 days before, and when it has ended (the account then goes needs_reauth without
 * sending the dead token). Each threshold is announced once per expiry time: polls in between
 * say nothing, a reload that keeps the same expiry says nothing again, a new token (another
 * expiry) starts over. A token first seen past a threshold announces only the latest one.
 * Pure arithmetic.
 */
#ifndef SR_EXPIRY_H
#define SR_EXPIRY_H

#include <stdint.h>

enum expiry_level {
    EXPIRY_NONE,    /* no known end, or more than 14 days left */
    EXPIRY_14D,     /* at most 14 days left */
    EXPIRY_3D,      /* at most 3 days left */
    EXPIRY_EXPIRED, /* ended */
};

#define EXPIRY_WARN_14D_S (14 * 86400)
#define EXPIRY_WARN_3D_S  (3 * 86400)

/* What has been announced for one credential; zeroed means nothing yet. */
struct expiry_note {
    int64_t expires_at; /* the end the announcements were about */
    enum expiry_level said;
};

/* The level a token ending at expires_at (epoch seconds, <= 0 = unknown) has reached at now_s. */
enum expiry_level expiry_level(int64_t expires_at, int64_t now_s);

/* The level to announce now (EXPIRY_NONE when there is nothing new), recorded in *n. */
enum expiry_level expiry_announce(struct expiry_note *n, int64_t expires_at, int64_t now_s);

/* Whole days left, rounded up (0 when ended): "expires in N days". */
int64_t expiry_days_left(int64_t expires_at, int64_t now_s);

#endif
