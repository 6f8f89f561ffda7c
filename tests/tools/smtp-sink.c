/*
 * smtp-sink.c - a minimal SMTP server on loopback for the alert delivery tests (test helper).
 *
 *   smtp-sink PORT_FILE DIR [SECONDS]
 *
 * Listens on 127.0.0.1 (a free port, written to PORT_FILE), a process per connection (a
 * client keeps its connection open for the next message), and speaks just enough SMTP for a
 * client: EHLO/HELO, MAIL FROM, RCPT TO, DATA, RSET, NOOP, QUIT.
 * It offers no STARTTLS and no AUTH. A recipient whose address contains "reject" is refused
 * with 550. Each message is kept as DIR/mail.N: "MAIL FROM:<...>" and one "RCPT TO:<...>" line
 * per accepted recipient, a blank line, then the message as received (dot-stuffing undone).
 * Exits after SECONDS (default 120) or on SIGTERM.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

static void reply(FILE *out, const char *line)
{
    fputs(line, out);
    fputs("\r\n", out);
    fflush(out);
}

/* Reads one line without its CRLF; 0 at the end of the connection. */
static int read_line(FILE *in, char *buf, size_t len)
{
    if (!fgets(buf, (int)len, in))
        return 0;
    buf[strcspn(buf, "\r\n")] = '\0';
    return 1;
}

static void session(int fd, const char *dir)
{
    FILE *in = fdopen(fd, "r"), *out = fdopen(dup(fd), "w");
    char line[8192], env[8192] = "";
    size_t envlen = 0;
    if (!in || !out)
        return;
    reply(out, "220 smtp-sink ESMTP");
    while (read_line(in, line, sizeof line)) {
        if (strncasecmp(line, "EHLO", 4) == 0) {
            reply(out, "250-smtp-sink");
            reply(out, "250 8BITMIME");
        } else if (strncasecmp(line, "HELO", 4) == 0) {
            reply(out, "250 smtp-sink");
        } else if (strncasecmp(line, "MAIL FROM:", 10) == 0) {
            envlen = (size_t)snprintf(env, sizeof env, "%s\n", line);
            reply(out, "250 sender ok");
        } else if (strncasecmp(line, "RCPT TO:", 8) == 0) {
            if (strstr(line, "reject")) {
                reply(out, "550 no such user");
            } else {
                if (envlen < sizeof env)
                    envlen += (size_t)snprintf(env + envlen, sizeof env - envlen, "%s\n", line);
                reply(out, "250 recipient ok");
            }
        } else if (strcasecmp(line, "DATA") == 0) {
            char path[4096];
            snprintf(path, sizeof path, "%s/mail.tmp.%d", dir, (int)getpid());
            FILE *m = fopen(path, "w");
            reply(out, "354 end with <CRLF>.<CRLF>");
            if (m)
                fprintf(m, "%s\n", env);
            while (read_line(in, line, sizeof line) && strcmp(line, ".") != 0)
                if (m)
                    fprintf(m, "%s\n", line[0] == '.' ? line + 1 : line);
            if (m) {
                char final[4096];
                fclose(m);
                /* numbered in the order messages end, across the connections' processes */
                for (int n = 1;; n++) {
                    snprintf(final, sizeof final, "%s/mail.%d", dir, n);
                    if (link(path, final) == 0 || errno != EEXIST)
                        break;
                }
                unlink(path);
            }
            envlen = 0;
            env[0] = '\0';
            reply(out, "250 queued");
        } else if (strcasecmp(line, "RSET") == 0 || strcasecmp(line, "NOOP") == 0) {
            reply(out, "250 ok");
        } else if (strcasecmp(line, "QUIT") == 0) {
            reply(out, "221 bye");
            break;
        } else {
            reply(out, "502 not implemented");
        }
    }
    fclose(in);
    fclose(out);
}

static void on_alarm(int signo)
{
    (void)signo;
    _exit(0);
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: smtp-sink PORT_FILE DIR [SECONDS]\n");
        return 2;
    }
    signal(SIGALRM, on_alarm);
    signal(SIGTERM, on_alarm);
    signal(SIGPIPE, SIG_IGN);
    signal(SIGCHLD, SIG_IGN); /* no zombies */
    alarm((unsigned)(argc > 3 ? atoi(argv[3]) : 120));
    int ls = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = 0};
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t sl = sizeof sa;
    if (ls < 0 || bind(ls, (struct sockaddr *)&sa, sizeof sa) < 0 || listen(ls, 16) < 0 ||
        getsockname(ls, (struct sockaddr *)&sa, &sl) < 0) {
        perror("smtp-sink");
        return 1;
    }
    char tmp[4096];
    snprintf(tmp, sizeof tmp, "%s.tmp", argv[1]);
    FILE *pf = fopen(tmp, "w");
    if (!pf || fprintf(pf, "%d\n", ntohs(sa.sin_port)) < 0 || fclose(pf) != 0 ||
        rename(tmp, argv[1]) != 0) {
        perror(argv[1]);
        return 1;
    }
    for (;;) {
        int fd = accept(ls, NULL, NULL);
        if (fd < 0)
            continue;
        if (fork() == 0) {
            close(ls);
            alarm(60); /* a session is bounded too */
            struct timeval tv = {30, 0};
            setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
            session(fd, argv[2]);
            _exit(0);
        }
        close(fd);
    }
}
