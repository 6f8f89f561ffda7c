/*
 * alertmsg.h - what an alert event looks like on the wire: a webhook's JSON (socialroi's own or
 * a Slack incoming webhook's), an RFC 5322 e-mail, the id receivers de-duplicate on, and the
 * scrubbing that keeps a destination's secrets (a webhook URL's token, a password) out of
 * logs, errors and the database.
 *
 * Pure text building; no I/O. Not thread-safe only in that nothing here is shared.
 */
#ifndef SR_ALERTMSG_H
#define SR_ALERTMSG_H

#include "buf.h"

#include <stddef.h>
#include <stdint.h>

/* One outbox event with its alert, as socialroi.alert_delivery_claim() returns it. */
struct alert_note {
    const char *instance; /* the database's id (socialroi.alert_instance) */
    int64_t event_id;
    int64_t alert_id;
    const char *event; /* raised, escalated, resolved */
    const char *severity;
    const char *at; /* the event's time, ISO 8601 UTC */
    const char *kind, *subject, *title, *message, *runbook;
    const char *first_seen;
    const char *detail; /* JSON object text; "" or NULL = {} */
};

/* "socialroi-<instance>-<event_id>": the same for every attempt of the event. */
void alertmsg_id(const struct alert_note *n, char *out, size_t len);

/* socialroi's webhook body: one JSON object with every field of the note and its id. */
void alertmsg_json(const struct alert_note *n, struct buf *b);

/*
 * A Slack incoming webhook's body: "text" (the notification's plain fallback) and "blocks"
 * (a header, a section with the message and runbook, a context line with the id). Text from
 * the alert has Slack's control characters (&, <, >) escaped, so it can never mention
 * @channel or make a link.
 */
void alertmsg_slack(const struct alert_note *n, struct buf *b);

/*
 * A complete RFC 5322 message (CRLF lines): Date (now_us), From, To (every recipient),
 * Subject (RFC 2047 encoded when not ASCII), Message-ID <id@domain of from>, MIME-Version,
 * Content-Type text/plain; charset=UTF-8, then the body. Header values never carry a line
 * break from the alert.
 */
void alertmsg_mail(const struct alert_note *n, const char *from, char *const *to, size_t nto,
                   int64_t now_us, struct buf *b);

/* "scheme://host[:port]" of url: what logs may say about a destination (no path, no user). */
void alertmsg_log_url(const char *url, char *out, size_t len);

/*
 * Replaces every occurrence of secret in s (NUL-terminated, edited in place) by "[secret]",
 * and of its path part (after scheme://host) when secret is a URL. NULL or "" does nothing.
 */
void alertmsg_scrub(char *s, size_t size, const char *secret);

#endif
