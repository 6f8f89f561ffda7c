/*
 * log.c - the process logger (see log.h).
 */
#include "log.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define LOG_LINE_MAX      4096
#define COMPLAIN_FIRST_US (10 * 1000000LL)
#define COMPLAIN_MAX_US   (3600 * 1000000LL)

int log_threshold = LOG_INFO;

static const char *log_ident = "socialroi";
static bool log_journal;
static bool log_syslog;
static log_sink_fn *log_sink;
static void *log_sink_arg;
static log_clock_fn *log_clock;

static const char *const level_names[] = {
    [LOG_EMERG] = "emerg",     [LOG_ALERT] = "alert",   [LOG_CRIT] = "crit", [LOG_ERR] = "err",
    [LOG_WARNING] = "warning", [LOG_NOTICE] = "notice", [LOG_INFO] = "info", [LOG_DEBUG] = "debug",
};

/*
 * systemd sets JOURNAL_STREAM=dev:inode for the stream it connected to stderr. Comparing it
 * with our own stderr tells us the journal is really reading it (not, say, a redirect to a file
 * made by a child of the service).
 */
static bool stderr_is_journal(void)
{
    const char *js = getenv("JOURNAL_STREAM");
    unsigned long long dev, ino;
    struct stat st;
    if (!js || sscanf(js, "%llu:%llu", &dev, &ino) != 2)
        return false;
    if (fstat(STDERR_FILENO, &st) < 0)
        return false;
    return (unsigned long long)st.st_dev == dev && (unsigned long long)st.st_ino == ino;
}

void log_open(const char *ident)
{
    if (ident)
        log_ident = ident;
    log_journal = stderr_is_journal();
}

void log_use_syslog(void)
{
    openlog(log_ident, LOG_PID, LOG_DAEMON);
    log_syslog = true;
}

void log_set_level(int level)
{
    if (level < LOG_CRIT)
        level = LOG_CRIT;
    if (level > LOG_DEBUG)
        level = LOG_DEBUG;
    log_threshold = level;
}

int log_level_parse(const char *s, int *level)
{
    for (int i = LOG_CRIT; i <= LOG_DEBUG; i++) {
        if (strcmp(s, level_names[i]) == 0) {
            *level = i;
            return 0;
        }
    }
    if (strcmp(s, "warn") == 0 || strcmp(s, "error") == 0) {
        *level = s[0] == 'w' ? LOG_WARNING : LOG_ERR;
        return 0;
    }
    return -1;
}

const char *log_level_name(int level)
{
    if (level < 0 || level > LOG_DEBUG)
        return "?";
    return level_names[level];
}

void log_set_sink(log_sink_fn *fn, void *arg)
{
    log_sink = fn;
    log_sink_arg = arg;
}

void log_set_clock(log_clock_fn *fn)
{
    log_clock = fn;
}

static int64_t clock_now_us(void)
{
    if (log_clock)
        return log_clock();
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* Keys whose values are blanked; each is matched as key= and "key":" forms. */
static const char *const secret_keys[] = {
    "access_token", "refresh_token",   "client_secret", "fb_exchange_token", "input_token",
    "password",     "appsecret_proof", "code_verifier", "api_key",
};

static bool is_value_char(char c)
{
    return c && c != '&' && c != ' ' && c != '"' && c != '\'' && c != ',' && c != '}' && c != ')' &&
           c != ';' && c != '\n' && c != '\t';
}

/* Replaces s[start..) value characters with "***", shifting the rest; returns new end index. */
static size_t blank_value(char *s, size_t start)
{
    size_t end = start;
    while (is_value_char(s[end]))
        end++;
    if (end == start)
        return start;
    static const char mask[] = "***";
    size_t rest = strlen(s + end);
    size_t mlen = sizeof mask - 1;
    if (end - start < mlen) {
        /* never grow the string: keep what fits */
        memset(s + start, '*', end - start);
        return end;
    }
    memcpy(s + start, mask, mlen);
    memmove(s + start + mlen, s + end, rest + 1);
    return start + mlen;
}

static bool key_boundary(const char *s, const char *at)
{
    if (at == s)
        return true;
    char c = at[-1];
    return !(c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
             (c >= '0' && c <= '9'));
}

static void redact_key(char *s, const char *key)
{
    size_t klen = strlen(key);
    char *p = s;
    while ((p = strstr(p, key)) != NULL) {
        char *after = p + klen;
        size_t vstart;
        if (!key_boundary(s, p)) {
            p = after;
            continue;
        }
        if (after[0] == '=')
            vstart = (size_t)(after + 1 - s);
        else if (after[0] == '"' && after[1] == ':') {
            char *q = after + 2;
            while (*q == ' ')
                q++;
            if (*q != '"') {
                p = after;
                continue;
            }
            vstart = (size_t)(q + 1 - s);
        } else {
            p = after;
            continue;
        }
        p = s + blank_value(s, vstart);
    }
}

char *log_redact(char *s)
{
    for (size_t i = 0; i < sizeof secret_keys / sizeof secret_keys[0]; i++)
        redact_key(s, secret_keys[i]);
    char *p = s;
    while ((p = strstr(p, "Bearer ")) != NULL)
        p = s + blank_value(s, (size_t)(p + 7 - s));
    return s;
}

static void emit(int level, char *msg)
{
    if (log_sink) {
        log_sink(level, msg, log_sink_arg);
        return;
    }
    if (log_syslog) {
        syslog(level, "%s", msg);
        return;
    }
    if (log_journal) {
        fprintf(stderr, "<%d>%s\n", level, msg);
        return;
    }
    struct timespec ts;
    struct tm tm;
    char when[32];
    clock_gettime(CLOCK_REALTIME, &ts);
    gmtime_r(&ts.tv_sec, &tm);
    strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%S", &tm);
    fprintf(stderr, "%s.%03ldZ %s[%ld] %s: %s\n", when, ts.tv_nsec / 1000000, log_ident,
            (long)getpid(), log_level_name(level), msg);
}

static void log_vwrite(int level, const char *fmt, va_list ap)
{
    char msg[LOG_LINE_MAX];
    vsnprintf(msg, sizeof msg, fmt, ap);
    /* one event, one line: a stray newline from a remote message must not forge a log line */
    for (char *p = msg; *p; p++)
        if (*p == '\n' || *p == '\r')
            *p = ' ';
    emit(level, log_redact(msg));
}

void log_write(int level, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    log_vwrite(level, fmt, ap);
    va_end(ap);
}

void complain(struct complain *c, int level, const char *fmt, ...)
{
    int64_t now = clock_now_us();
    if (c->active && now < c->next_us) {
        c->suppressed++;
        return;
    }
    char msg[LOG_LINE_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (c->suppressed)
        log_at(level, "%s (repeated %u times)", msg, c->suppressed);
    else
        log_at(level, "%s", msg);
    c->interval_us = !c->active                             ? COMPLAIN_FIRST_US
                     : c->interval_us * 2 > COMPLAIN_MAX_US ? COMPLAIN_MAX_US
                                                            : c->interval_us * 2;
    c->next_us = now + c->interval_us;
    c->suppressed = 0;
    c->active = true;
}

void complain_release(struct complain *c, const char *fmt, ...)
{
    if (!c->active)
        return;
    char msg[LOG_LINE_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    log_notice("%s", msg);
    *c = (struct complain){0};
}
