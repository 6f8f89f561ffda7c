/*
 * log.h - the process logger.
 *
 * One logger per process (the only mutable global besides signal state). Lines read
 * `module: event key=value ...`. Under systemd (JOURNAL_STREAM names our stderr) each line
 * carries a `<N>` priority prefix so journald keeps the level; otherwise lines get a UTC
 * timestamp. Every message passes through a redactor that blanks the values of token-like
 * keys, a second line of defence behind "never format a secret".
 *
 * struct complain rate-limits a repeating failure: the first occurrence is logged, repeats
 * only at growing intervals with a count, and recovery once.
 *
 * Runs on the event loop; not thread-safe.
 */
#ifndef SR_LOG_H
#define SR_LOG_H

#include <stdbool.h>
#include <stdint.h>
#include <syslog.h>

/* Levels are syslog priorities: LOG_CRIT .. LOG_DEBUG. */
extern int log_threshold;

/* Chooses journald or plain format from the environment; ident names the program. */
void log_open(const char *ident);
void log_set_level(int level);
/* Sends lines to syslog(3) from now on (for a detached daemon without stderr). */
void log_use_syslog(void);
/* Parses "crit|err|warning|notice|info|debug"; returns 0 or -1. */
int log_level_parse(const char *s, int *level);
const char *log_level_name(int level);

/* A sink receives each finished line (without newline); NULL restores stderr. For tests. */
typedef void log_sink_fn(int level, const char *line, void *arg);
void log_set_sink(log_sink_fn *fn, void *arg);

void log_write(int level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#define log_at(lvl, ...)                                                                           \
    do {                                                                                           \
        if ((lvl) <= log_threshold)                                                                \
            log_write((lvl), __VA_ARGS__);                                                         \
    } while (0)
#define log_crit(...)   log_at(LOG_CRIT, __VA_ARGS__)
#define log_err(...)    log_at(LOG_ERR, __VA_ARGS__)
#define log_warn(...)   log_at(LOG_WARNING, __VA_ARGS__)
#define log_notice(...) log_at(LOG_NOTICE, __VA_ARGS__)
#define log_info(...)   log_at(LOG_INFO, __VA_ARGS__)
#define log_debug(...)  log_at(LOG_DEBUG, __VA_ARGS__)

/*
 * Blanks the values of secret-looking keys in s, in place: access_token=..., "refresh_token":"..",
 * Bearer ..., client_secret=... and friends. Returns s.
 */
char *log_redact(char *s);

/* Monotonic microseconds used for rate limiting; replaceable for tests (NULL restores). */
typedef int64_t log_clock_fn(void);
void log_set_clock(log_clock_fn *fn);

/*
 * Rate-limited complaint about one failing thing. A plain record embedded in its owner and
 * zero-initialised; no constructor. The first complaint logs at once; repeats log after an
 * interval that doubles from 10 s to 1 h, saying how many were suppressed.
 */
struct complain {
    int64_t next_us;
    int64_t interval_us;
    unsigned suppressed;
    bool active;
};

void complain(struct complain *c, int level, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Logs fmt at NOTICE only if c was complaining, then resets it. */
void complain_release(struct complain *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#endif
