/*
 * runstat.c - run a command and write what it cost as one JSON line (benchmark helper).
 *
 *   runstat OUT -- COMMAND [ARGS...]
 *
 * Forks, execs the command, waits for it with wait4() and writes to OUT (a file, "-" for
 * stderr) {"wall_s":..,"user_s":..,"sys_s":..,"maxrss_kb":..,"status":..}: the wall time, the
 * CPU the process used in user and kernel mode, its peak resident set (the kernel's ru_maxrss,
 * so children it waited for are not included) and its exit status (128 + signal when killed).
 * Exits with the command's status, so a caller can go on as if it had run the command itself.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double seconds(struct timeval tv)
{
    return (double)tv.tv_sec + (double)tv.tv_usec / 1e6;
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int report(const char *out, double wall, const struct rusage *ru, int status)
{
    FILE *f = strcmp(out, "-") == 0 ? stderr : fopen(out, "w");
    if (!f) {
        fprintf(stderr, "runstat: %s: %s\n", out, strerror(errno));
        return -1;
    }
    fprintf(f, "{\"wall_s\":%.3f,\"user_s\":%.3f,\"sys_s\":%.3f,\"maxrss_kb\":%ld,\"status\":%d}\n",
            wall, seconds(ru->ru_utime), seconds(ru->ru_stime), ru->ru_maxrss, status);
    return f == stderr ? 0 : fclose(f);
}

int main(int argc, char **argv)
{
    if (argc < 4 || strcmp(argv[2], "--") != 0) {
        fprintf(stderr, "usage: runstat OUT -- COMMAND [ARGS...]\n");
        return 2;
    }
    double t0 = now();
    pid_t pid = fork();
    if (pid < 0) {
        perror("runstat: fork");
        return 2;
    }
    if (pid == 0) {
        execvp(argv[3], argv + 3);
        fprintf(stderr, "runstat: %s: %s\n", argv[3], strerror(errno));
        _exit(127);
    }
    int st = 0;
    struct rusage ru;
    while (wait4(pid, &st, 0, &ru) < 0) {
        if (errno != EINTR) {
            perror("runstat: wait4");
            return 2;
        }
    }
    int status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
    if (report(argv[1], now() - t0, &ru, status) < 0)
        return 2;
    return status;
}
