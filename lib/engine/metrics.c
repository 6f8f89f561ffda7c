/*
 * metrics.c - Prometheus text exposition helpers (see metrics.h).
 */
#include "metrics.h"

#include <dirent.h>
#include <stdarg.h>
#include <stdio.h>
#include <sys/resource.h>
#include <unistd.h>

static void escape_label(struct buf *b, const char *v)
{
    for (; *v; v++) {
        if (*v == '\\')
            buf_puts(b, "\\\\");
        else if (*v == '"')
            buf_puts(b, "\\\"");
        else if (*v == '\n')
            buf_puts(b, "\\n");
        else
            buf_append(b, v, 1);
    }
}

static void labels(struct buf *b, va_list ap)
{
    const char *k = va_arg(ap, const char *);
    if (!k)
        return;
    buf_puts(b, "{");
    for (int first = 1; k; k = va_arg(ap, const char *), first = 0) {
        const char *v = va_arg(ap, const char *);
        buf_printf(b, "%s%s=\"", first ? "" : ",", k);
        escape_label(b, v ? v : "");
        buf_puts(b, "\"");
    }
    buf_puts(b, "}");
}

void metrics_family(struct buf *b, const char *name, const char *type, const char *help)
{
    buf_printf(b, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

void metrics_u64(struct buf *b, const char *name, uint64_t value, ...)
{
    va_list ap;
    va_start(ap, value);
    buf_puts(b, name);
    labels(b, ap);
    va_end(ap);
    buf_printf(b, " %llu\n", (unsigned long long)value);
}

void metrics_i64(struct buf *b, const char *name, int64_t value, ...)
{
    va_list ap;
    va_start(ap, value);
    buf_puts(b, name);
    labels(b, ap);
    va_end(ap);
    buf_printf(b, " %lld\n", (long long)value);
}

void metrics_f64(struct buf *b, const char *name, double value, ...)
{
    va_list ap;
    va_start(ap, value);
    buf_puts(b, name);
    labels(b, ap);
    va_end(ap);
    buf_printf(b, " %.6f\n", value);
}

static long open_fds(void)
{
    DIR *d = opendir("/proc/self/fd");
    long n = 0;
    if (!d)
        return -1;
    while (readdir(d))
        n++;
    closedir(d);
    return n - 3; /* ".", ".." and the directory's own descriptor */
}

static long resident_bytes(void)
{
    long pages = 0, rss = 0;
    FILE *f = fopen("/proc/self/statm", "r");
    if (!f)
        return -1;
    if (fscanf(f, "%ld %ld", &pages, &rss) != 2)
        rss = -1;
    fclose(f);
    return rss < 0 ? -1 : rss * sysconf(_SC_PAGESIZE);
}

void metrics_process(struct buf *b, double start_time_s)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    double cpu = (double)ru.ru_utime.tv_sec + (double)ru.ru_stime.tv_sec +
                 ((double)ru.ru_utime.tv_usec + (double)ru.ru_stime.tv_usec) / 1e6;
    metrics_family(b, "process_cpu_seconds_total", "counter", "User and system CPU time.");
    metrics_f64(b, "process_cpu_seconds_total", cpu, NULL);
    metrics_family(b, "process_resident_memory_bytes", "gauge", "Resident memory size.");
    metrics_i64(b, "process_resident_memory_bytes", resident_bytes(), NULL);
    metrics_family(b, "process_open_fds", "gauge", "Open file descriptors.");
    metrics_i64(b, "process_open_fds", open_fds(), NULL);
    metrics_family(b, "process_start_time_seconds", "gauge", "Start time, seconds since epoch.");
    metrics_f64(b, "process_start_time_seconds", start_time_s, NULL);
}
