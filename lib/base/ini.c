/*
 * ini.c - line-oriented INI reader with includes and positions (see ini.h).
 */
#include "ini.h"
#include "xmalloc.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <errno.h>
#include <glob.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define INI_LINE_MAX      8192
#define INI_FILE_MAX      (16 * 1024 * 1024)
#define INI_INCLUDE_DEPTH 8

struct ini_state {
    const struct ini_handler *h;
    void *arg;
    int errors;
    int depth;
};

static void ini_error(struct ini_state *st, const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void ini_error(struct ini_state *st, const char *file, int line, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    struct ini_pos pos = {file, line};
    st->errors++;
    if (st->h->error)
        st->h->error(st->arg, &pos, msg);
}

static char *trim(char *s)
{
    while (isspace((unsigned char)*s))
        s++;
    char *e = s + strlen(s);
    while (e > s && isspace((unsigned char)e[-1]))
        *--e = '\0';
    return s;
}

static bool valid_name(const char *s)
{
    if (!*s)
        return false;
    for (; *s; s++)
        if (!isalnum((unsigned char)*s) && *s != '_' && *s != '-' && *s != '.')
            return false;
    return true;
}

/* Unquotes a double-quoted value in place; returns NULL with *why set on error. */
static char *unquote(char *v, const char **why)
{
    char *out = v, *p = v + 1;
    while (*p && *p != '"') {
        if (*p == '\\' && (p[1] == '"' || p[1] == '\\'))
            p++;
        *out++ = *p++;
    }
    if (*p != '"') {
        *why = "unterminated quoted value";
        return NULL;
    }
    p++;
    while (isspace((unsigned char)*p))
        p++;
    if (*p && *p != '#' && *p != ';') {
        *why = "text after closing quote";
        return NULL;
    }
    *out = '\0';
    return v;
}

/* Cuts an inline comment: whitespace followed by # or ;. */
static void strip_inline_comment(char *v)
{
    for (char *p = v; *p; p++) {
        if ((*p == '#' || *p == ';') && p > v && isspace((unsigned char)p[-1])) {
            *p = '\0';
            return;
        }
    }
}

static int parse_section(struct ini_state *st, const char *file, int lineno, char *s)
{
    char *close = strrchr(s, ']');
    if (!close || trim(close + 1)[0] != '\0') {
        ini_error(st, file, lineno, "section header must end with ]");
        return -1;
    }
    *close = '\0';
    char *inner = trim(s + 1);
    char *name = inner;
    while (*name && !isspace((unsigned char)*name))
        name++;
    if (*name)
        *name++ = '\0';
    name = trim(name);
    size_t nl = strlen(name);
    if (nl >= 2 && name[0] == '"' && name[nl - 1] == '"') {
        name[nl - 1] = '\0';
        name++;
    }
    if (!valid_name(inner) || (*name && !valid_name(name))) {
        ini_error(st, file, lineno, "bad section header [%s%s%s]", inner, *name ? " " : "", name);
        return -1;
    }
    struct ini_pos pos = {file, lineno};
    return st->h->section ? st->h->section(st->arg, &pos, inner, name) : 0;
}

static int parse_stream(struct ini_state *st, const char *file, FILE *fp);

static void include_one(struct ini_state *st, const char *file, int lineno, const char *path)
{
    struct stat sb;
    if (stat(path, &sb) == 0 && !S_ISREG(sb.st_mode)) {
        ini_error(st, file, lineno, "include %s: not a regular file", path);
        return;
    }
    FILE *fp = fopen(path, "r");
    if (!fp) {
        ini_error(st, file, lineno, "include %s: %s", path, strerror(errno));
        return;
    }
    st->depth++;
    parse_stream(st, path, fp);
    st->depth--;
    fclose(fp);
}

/* glob(3) reports directory errors through a callback without a user argument. */
static int glob_errno;
static char glob_errpath[256];

static int glob_err_cb(const char *path, int err)
{
    /* a directory that does not exist just matches nothing, like an empty one */
    if (err != ENOENT && err != ENOTDIR && !glob_errno) {
        glob_errno = err;
        snprintf(glob_errpath, sizeof glob_errpath, "%s", path);
    }
    return 0;
}

static void do_include(struct ini_state *st, const char *file, int lineno, const char *pattern)
{
    char *full;
    if (st->depth >= INI_INCLUDE_DEPTH) {
        ini_error(st, file, lineno, "includes nested deeper than %d (a cycle?)", INI_INCLUDE_DEPTH);
        return;
    }
    if (pattern[0] == '/') {
        full = xstrdup(pattern);
    } else {
        char *copy = xstrdup(file);
        full = xasprintf("%s/%s", dirname(copy), pattern);
        free(copy);
    }
    glob_t g;
    glob_errno = 0;
    int rc = glob(full, 0, glob_err_cb, &g);
    bool wildcard = strpbrk(pattern, "*?[") != NULL;
    if (glob_errno) {
        ini_error(st, file, lineno, "include %s: %s: %s", full, glob_errpath, strerror(glob_errno));
    } else if (rc == GLOB_NOMATCH) {
        if (!wildcard)
            ini_error(st, file, lineno, "include %s: No such file or directory", full);
    } else if (rc != 0) {
        ini_error(st, file, lineno, "include %s: cannot expand the pattern", full);
    } else {
        for (size_t i = 0; i < g.gl_pathc; i++)
            include_one(st, file, lineno, g.gl_pathv[i]);
    }
    if (rc == 0 || rc == GLOB_NOMATCH)
        globfree(&g);
    free(full);
}

static void parse_line(struct ini_state *st, const char *file, int lineno, char *line, bool *skip)
{
    char *s = trim(line);
    if (!*s || *s == '#' || *s == ';')
        return;
    if (*s == '[') {
        *skip = parse_section(st, file, lineno, s) < 0;
        return;
    }
    char *eq = strchr(s, '=');
    if (!eq) {
        ini_error(st, file, lineno, "expected key = value, [section] or a comment");
        return;
    }
    *eq = '\0';
    char *key = trim(s), *val = trim(eq + 1);
    if (!valid_name(key)) {
        ini_error(st, file, lineno, "bad key name \"%s\"", key);
        return;
    }
    if (*val == '"') {
        const char *why = NULL;
        if (!unquote(val, &why)) {
            ini_error(st, file, lineno, "%s: %s", key, why);
            return;
        }
    } else {
        strip_inline_comment(val);
        val = trim(val);
    }
    if (strcmp(key, "include") == 0 && st->h->allow_include) {
        do_include(st, file, lineno, val);
        return;
    }
    if (*skip)
        return;
    struct ini_pos pos = {file, lineno};
    st->h->key(st->arg, &pos, key, val);
}

/*
 * Reads one line into buf (at most INI_LINE_MAX bytes kept). Returns 0 at end of file, 1 for a
 * line, 2 for a line that was too long or held a NUL byte (its rest is skipped). Bounded memory
 * whatever the input, even a device that never ends a line.
 */
static int read_line(FILE *fp, char *buf, size_t *total, bool *nul)
{
    size_t n = 0;
    int c, rc = 1;
    *nul = false;
    while ((c = getc(fp)) != EOF) {
        if (++*total > INI_FILE_MAX)
            return 0;
        if (c == '\n')
            break;
        if (c == '\0')
            *nul = true;
        if (n < INI_LINE_MAX)
            buf[n++] = (char)c;
        else
            rc = 2;
    }
    buf[n] = '\0';
    if (c == EOF && n == 0)
        return 0;
    return *nul ? 2 : rc;
}

static int parse_stream(struct ini_state *st, const char *file, FILE *fp)
{
    char *buf = xmalloc(INI_LINE_MAX + 1);
    size_t total = 0;
    int lineno = 0, rc;
    bool skip = false, nul;
    while ((rc = read_line(fp, buf, &total, &nul)) != 0) {
        lineno++;
        if (rc == 2)
            ini_error(st, file, lineno, nul ? "NUL byte in line" : "line longer than %d bytes",
                      INI_LINE_MAX);
        else
            parse_line(st, file, lineno, buf, &skip);
    }
    if (total > INI_FILE_MAX)
        ini_error(st, file, lineno, "file larger than %d bytes", INI_FILE_MAX);
    if (ferror(fp))
        ini_error(st, file, lineno, "read error: %s", strerror(errno));
    free(buf);
    return 0;
}

int ini_parse_file(const char *path, const struct ini_handler *h, void *arg)
{
    struct ini_state st = {.h = h, .arg = arg};
    FILE *fp = fopen(path, "r");
    if (!fp) {
        ini_error(&st, path, 0, "cannot open: %s", strerror(errno));
        return st.errors;
    }
    parse_stream(&st, path, fp);
    fclose(fp);
    return st.errors;
}

int ini_parse_buffer(const char *name, const char *buf, size_t len, const struct ini_handler *h,
                     void *arg)
{
    struct ini_state st = {.h = h, .arg = arg};
    if (len == 0)
        return 0;
    FILE *fp = fmemopen((void *)(uintptr_t)buf, len, "r");
    if (!fp) {
        ini_error(&st, name, 0, "cannot read buffer");
        return st.errors;
    }
    parse_stream(&st, name, fp);
    fclose(fp);
    return st.errors;
}
