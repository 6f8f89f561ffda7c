/*
 * test_log.c - redaction of secrets, rate-limited complaints, output formats.
 */
#include "unit.h"
#include "log.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char captured[8][512];
static int ncaptured;
static int64_t fake_now;

static void sink(int level, const char *line, void *arg)
{
    (void)level;
    (void)arg;
    if (ncaptured < 8)
        snprintf(captured[ncaptured++], sizeof captured[0], "%s", line);
}

static int64_t fake_clock(void)
{
    return fake_now;
}

static int setup(void **state)
{
    (void)state;
    ncaptured = 0;
    fake_now = 1000000000;
    log_set_sink(sink, NULL);
    log_set_clock(fake_clock);
    log_set_level(LOG_DEBUG);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    log_set_sink(NULL, NULL);
    log_set_clock(NULL);
    return 0;
}

static void redacts(const char *in, const char *want)
{
    char buf[512];
    snprintf(buf, sizeof buf, "%s", in);
    assert_string_equal(log_redact(buf), want);
}

static void test_redact(void **state)
{
    (void)state;
    redacts("GET /v24.0/1/insights?access_token=EAAB123xyz&after=NzIZD",
            "GET /v24.0/1/insights?access_token=***&after=NzIZD");
    redacts("{\"access_token\":\"abc.def\",\"expires_in\":3600}",
            "{\"access_token\":\"***\",\"expires_in\":3600}");
    redacts("{\"refresh_token\": \"r-1-2-3\"}", "{\"refresh_token\": \"***\"}");
    redacts("Authorization: Bearer ya29.a0AfH6", "Authorization: Bearer ***");
    redacts("client_secret=s3cr3t&grant_type=refresh_token",
            "client_secret=***&grant_type=refresh_token");
    redacts("my_access_token=ok", "my_access_token=ok"); /* not the key, part of a word */
    redacts("access_token=ab", "access_token=**");       /* never longer than the original */
    redacts("nothing to see", "nothing to see");
}

static void test_log_line_redacted_and_single_line(void **state)
{
    (void)state;
    log_err("fetch: failed url=https://x/?access_token=SECRET body=\"a\nb\"");
    assert_int_equal(ncaptured, 1);
    assert_null(strstr(captured[0], "SECRET"));
    assert_null(strchr(captured[0], '\n'));
}

static void test_level_filter(void **state)
{
    (void)state;
    log_set_level(LOG_WARNING);
    log_info("hidden");
    log_warn("shown");
    assert_int_equal(ncaptured, 1);
    assert_string_equal(captured[0], "shown");
}

static void test_complain_rate_limits(void **state)
{
    (void)state;
    struct complain c = {0};
    complain(&c, LOG_WARNING, "db: down");
    for (int i = 0; i < 50; i++)
        complain(&c, LOG_WARNING, "db: down");
    assert_int_equal(ncaptured, 1);
    fake_now += 11 * 1000000LL; /* past the first 10 s interval */
    complain(&c, LOG_WARNING, "db: down");
    assert_int_equal(ncaptured, 2);
    assert_string_equal(captured[1], "db: down (repeated 50 times)");
    fake_now += 11 * 1000000LL; /* the interval doubled to 20 s: still quiet */
    complain(&c, LOG_WARNING, "db: down");
    assert_int_equal(ncaptured, 2);
    complain_release(&c, "db: recovered");
    assert_int_equal(ncaptured, 3);
    assert_string_equal(captured[2], "db: recovered");
    complain_release(&c, "db: recovered");
    assert_int_equal(ncaptured, 3); /* only once */
}

static void test_level_names(void **state)
{
    (void)state;
    int lvl;
    assert_int_equal(log_level_parse("warning", &lvl), 0);
    assert_int_equal(lvl, LOG_WARNING);
    assert_int_equal(log_level_parse("warn", &lvl), 0);
    assert_int_equal(log_level_parse("loud", &lvl), -1);
    assert_string_equal(log_level_name(LOG_ERR), "err");
}

/* Under systemd, stderr is the journal stream: lines carry <N> priority prefixes. */
static void test_journal_format(void **state)
{
    (void)state;
    char tmpl[] = "/tmp/srlog.XXXXXX";
    int fd = mkstemp(tmpl);
    int saved = dup(STDERR_FILENO);
    struct stat st;
    char env[64], buf[256] = {0};
    assert_true(fd >= 0);
    dup2(fd, STDERR_FILENO);
    fstat(STDERR_FILENO, &st);
    snprintf(env, sizeof env, "%llu:%llu", (unsigned long long)st.st_dev,
             (unsigned long long)st.st_ino);
    setenv("JOURNAL_STREAM", env, 1);
    log_set_sink(NULL, NULL);
    log_open("test");
    log_err("journal: line");
    unsetenv("JOURNAL_STREAM");
    log_open("test");
    log_err("plain: line");
    fflush(stderr);
    dup2(saved, STDERR_FILENO);
    close(saved);
    FILE *f = fopen(tmpl, "r");
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    close(fd);
    unlink(tmpl);
    buf[n] = '\0';
    assert_non_null(strstr(buf, "<3>journal: line\n"));
    assert_non_null(strstr(buf, "Z test["));
    assert_non_null(strstr(buf, "] err: plain: line\n"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_redact, setup, teardown),
        cmocka_unit_test_setup_teardown(test_log_line_redacted_and_single_line, setup, teardown),
        cmocka_unit_test_setup_teardown(test_level_filter, setup, teardown),
        cmocka_unit_test_setup_teardown(test_complain_rate_limits, setup, teardown),
        cmocka_unit_test_setup_teardown(test_level_names, setup, teardown),
        cmocka_unit_test_setup_teardown(test_journal_format, setup, teardown),
    };
    return cmocka_run_group_tests_name("log", tests, NULL, NULL);
}
