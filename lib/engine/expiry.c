/*
 * expiry.c - announcements of an unrenewable token's end (see expiry.h).
 */
#include "expiry.h"

enum expiry_level expiry_level(int64_t expires_at, int64_t now_s)
{
    if (expires_at <= 0)
        return EXPIRY_NONE;
    int64_t left = expires_at - now_s;
    if (left <= 0)
        return EXPIRY_EXPIRED;
    if (left <= EXPIRY_WARN_3D_S)
        return EXPIRY_3D;
    if (left <= EXPIRY_WARN_14D_S)
        return EXPIRY_14D;
    return EXPIRY_NONE;
}

enum expiry_level expiry_announce(struct expiry_note *n, int64_t expires_at, int64_t now_s)
{
    if (n->expires_at != expires_at) { /* a new token: its own announcements */
        n->expires_at = expires_at;
        n->said = EXPIRY_NONE;
    }
    enum expiry_level l = expiry_level(expires_at, now_s);
    if (l <= n->said)
        return EXPIRY_NONE;
    n->said = l;
    return l;
}

int64_t expiry_days_left(int64_t expires_at, int64_t now_s)
{
    int64_t left = expires_at - now_s;
    return left <= 0 ? 0 : (left + 86399) / 86400;
}
