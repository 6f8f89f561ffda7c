/*
 * sha256.h - SHA-256 (FIPS 180-4) and HMAC-SHA-256 (RFC 2104).
 *
 * Used for migration checksums and for salted lead e-mail hashes, where pulling in a crypto
 * library for one hash function is not worth the dependency. Pure functions.
 */
#ifndef SR_SHA256_H
#define SR_SHA256_H

#include <stddef.h>
#include <stdint.h>

#define SHA256_LEN 32

struct sha256 {
    uint32_t h[8];
    uint64_t bytes;
    unsigned char block[64];
    size_t fill;
};

void sha256_init(struct sha256 *s);
void sha256_update(struct sha256 *s, const void *data, size_t len);
void sha256_final(struct sha256 *s, unsigned char out[SHA256_LEN]);

/* One-shot digest as 64 lower-case hex characters plus NUL into hex[65]. */
void sha256_hex(const void *data, size_t len, char hex[65]);
/* HMAC-SHA-256 of msg under key, as hex into hex[65]. */
void hmac_sha256_hex(const void *key, size_t keylen, const void *msg, size_t len, char hex[65]);

#endif
