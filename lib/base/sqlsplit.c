/*
 * sqlsplit.c - statements of a migration file (see sqlsplit.h).
 */
#include "sqlsplit.h"

#include <ctype.h>
#include <string.h>

/* Offset after the quoted text opened at i by q ('' and "" double the quote inside). */
static size_t skip_quoted(const char *s, size_t len, size_t i, char q)
{
    for (i++; i < len; i++) {
        if (s[i] != q)
            continue;
        if (i + 1 < len && s[i + 1] == q)
            i++;
        else
            return i + 1;
    }
    return len;
}

/* Offset after a comment at i, or i when none starts there. */
static size_t skip_comment(const char *s, size_t len, size_t i)
{
    if (i + 1 < len && s[i] == '-' && s[i + 1] == '-') {
        while (i < len && s[i] != '\n')
            i++;
        return i;
    }
    if (i + 1 < len && s[i] == '/' && s[i + 1] == '*') {
        const char *end = NULL;
        for (size_t j = i + 2; j + 1 < len && !end; j++)
            if (s[j] == '*' && s[j + 1] == '/')
                end = s + j + 2;
        return end ? (size_t)(end - s) : len;
    }
    return i;
}

/* Offset after a dollar-quoted body opened at i ($tag$ ... $tag$), or i when none opens. */
static size_t skip_dollar(const char *s, size_t len, size_t i)
{
    size_t t = i + 1;
    if (t < len && isdigit((unsigned char)s[t]))
        return i; /* $1: a parameter */
    while (t < len && (isalnum((unsigned char)s[t]) || s[t] == '_'))
        t++;
    if (t >= len || s[t] != '$')
        return i;
    size_t taglen = t + 1 - i;
    for (size_t j = t + 1; j + taglen <= len; j++)
        if (s[j] == '$' && memcmp(s + j, s + i, taglen) == 0)
            return j + taglen;
    return len;
}

size_t sqlsplit_next(const char *s, size_t len)
{
    size_t i = 0;
    while (i < len) {
        size_t next = i;
        if (s[i] == ';')
            return i + 1;
        if (s[i] == '\'' || s[i] == '"')
            next = skip_quoted(s, len, i, s[i]);
        else if (s[i] == '-' || s[i] == '/')
            next = skip_comment(s, len, i);
        else if (s[i] == '$')
            next = skip_dollar(s, len, i);
        i = next > i ? next : i + 1;
    }
    return len;
}

size_t sqlsplit_lead(const char *s, size_t len)
{
    size_t i = 0;
    while (i < len) {
        size_t next = skip_comment(s, len, i);
        if (next == i && !isspace((unsigned char)s[i]))
            return i;
        i = next > i ? next : i + 1;
    }
    return len;
}

bool sqlsplit_blank(const char *s, size_t len)
{
    size_t lead = sqlsplit_lead(s, len);
    return lead == len || (lead + 1 == len && s[lead] == ';');
}

int sqlsplit_line(const char *text, size_t off)
{
    int line = 1;
    for (size_t i = 0; i < off && text[i]; i++)
        line += text[i] == '\n';
    return line;
}
