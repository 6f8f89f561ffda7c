/*
 * notify-recv.c - receive sd_notify datagrams on a socket the test owns (test helper).
 *
 *   notify-recv SOCKET_PATH OUTPUT_FILE [SECONDS]
 *
 * Appends every datagram to OUTPUT_FILE, each followed by a line "--", until SIGTERM or the
 * time limit (default 120 s). This is how the tests see READY=1, RELOADING=1, STOPPING=1,
 * STATUS= and WATCHDOG=1 without a real systemd.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t stop;

static void on_term(int signo)
{
    (void)signo;
    stop = 1;
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: notify-recv SOCKET_PATH OUTPUT_FILE [SECONDS]\n");
        return 2;
    }
    int seconds = argc > 3 ? atoi(argv[3]) : 120;
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    if (strlen(argv[1]) >= sizeof sa.sun_path) {
        fprintf(stderr, "notify-recv: socket path too long\n");
        return 2;
    }
    strcpy(sa.sun_path, argv[1]);
    unlink(argv[1]);
    int fd = socket(AF_UNIX, SOCK_DGRAM, 0);
    if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof sa) < 0) {
        perror("notify-recv");
        return 1;
    }
    FILE *out = fopen(argv[2], "a");
    if (!out) {
        perror(argv[2]);
        return 1;
    }
    struct sigaction act = {.sa_handler = on_term};
    sigaction(SIGTERM, &act, NULL);
    sigaction(SIGINT, &act, NULL);
    struct timeval tv = {1, 0};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    time_t end = time(NULL) + seconds;
    char msg[4096];
    while (!stop && time(NULL) < end) {
        ssize_t n = recv(fd, msg, sizeof msg - 1, 0);
        if (n <= 0)
            continue;
        msg[n] = '\0';
        fprintf(out, "%s\n--\n", msg);
        fflush(out);
    }
    fclose(out);
    close(fd);
    unlink(argv[1]);
    return 0;
}
