/*
 * sentiment_eval - how well the tone of posts is read: accuracy and macro-F1 of socialroi's
 * scorer (sentiment_milli) and, in the same run on the same posts, of the lexicon scorer it
 * replaced (sentiment_old.inc), plus posts scored per second by each.
 *
 *   sentiment_eval [--min-accuracy A] [--min-f1 F] FILE...
 *
 * FILE: lines "id<TAB>mean human rating<TAB>text" on the scale -4..4 (the VADER ground truth,
 * tests/data/sentiment/). Three classes: a post is positive when its mean rating is at least
 * 0.5, negative at most -0.5, neutral between; the scorer says positive above 0.05 (50
 * thousandths), negative below -0.05, neutral between. Exits 1 when the current scorer's
 * accuracy or macro-F1 is below the floor given, 2 on a file that cannot be read.
 */
#define _POSIX_C_SOURCE 200809L
#include "sentiment.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sentiment_old.inc"

#define TRUTH_EDGE 0.5 /* mean human rating (-4..4) beyond which a post has a tone */
#define SCORE_EDGE 50  /* thousandths */

enum { NEG, NEU, POS };

struct post {
    char *text;
    int truth;
};

struct result {
    double accuracy, macro_f1, per_second;
};

static int cls_score(int32_t milli)
{
    return milli > SCORE_EDGE ? POS : milli < -SCORE_EDGE ? NEG : NEU;
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static struct result evaluate(const struct post *posts, size_t n, int32_t (*scorer)(const char *))
{
    long confusion[3][3] = {{0}}; /* [truth][said] */
    for (size_t i = 0; i < n; i++)
        confusion[posts[i].truth][cls_score(scorer(posts[i].text))]++;
    struct result r = {0};
    long right = 0;
    for (int c = 0; c < 3; c++) {
        long tp = confusion[c][c], said = 0, truth = 0;
        for (int k = 0; k < 3; k++) {
            said += confusion[k][c];
            truth += confusion[c][k];
        }
        right += tp;
        double precision = said ? (double)tp / said : 0, recall = truth ? (double)tp / truth : 0;
        r.macro_f1 += precision + recall > 0 ? 2 * precision * recall / (precision + recall) : 0;
    }
    r.macro_f1 /= 3;
    r.accuracy = n ? (double)right / n : 0;
    /* speed: every post scored again until at least half a second has passed */
    volatile int32_t sink = 0;
    size_t scored = 0;
    double t0 = now(), t;
    do {
        for (size_t i = 0; i < n; i++)
            sink += scorer(posts[i].text);
        scored += n;
        t = now();
    } while (n && t - t0 < 0.5);
    (void)sink;
    r.per_second = scored / (t - t0 > 0 ? t - t0 : 1);
    return r;
}

static int load(const char *path, struct post **posts, size_t *n, size_t *cap)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        perror(path);
        return -1;
    }
    char *line = NULL;
    size_t len = 0;
    while (getline(&line, &len, f) != -1) {
        line[strcspn(line, "\r\n")] = '\0';
        char *tab1 = strchr(line, '\t'), *tab2 = tab1 ? strchr(tab1 + 1, '\t') : NULL;
        if (!tab2)
            continue;
        char *end;
        double mean = strtod(tab1 + 1, &end);
        if (end != tab2)
            continue;
        if (*n == *cap) {
            *cap = *cap ? *cap * 2 : 1024;
            struct post *p = realloc(*posts, *cap * sizeof **posts);
            if (!p)
                abort();
            *posts = p;
        }
        (*posts)[*n].text = strdup(tab2 + 1);
        if (!(*posts)[*n].text)
            abort();
        (*posts)[*n].truth = mean >= TRUTH_EDGE ? POS : mean <= -TRUTH_EDGE ? NEG : NEU;
        (*n)++;
    }
    free(line);
    fclose(f);
    return 0;
}

int main(int argc, char **argv)
{
    double min_accuracy = 0, min_f1 = 0;
    struct post *posts = NULL;
    size_t n = 0, cap = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--min-accuracy") == 0 && i + 1 < argc) {
            min_accuracy = atof(argv[++i]);
        } else if (strcmp(argv[i], "--min-f1") == 0 && i + 1 < argc) {
            min_f1 = atof(argv[++i]);
        } else if (load(argv[i], &posts, &n, &cap) != 0) {
            return 2;
        }
    }
    if (!n) {
        fprintf(stderr, "usage: sentiment_eval [--min-accuracy A] [--min-f1 F] FILE...\n");
        return 2;
    }
    long counts[3] = {0};
    for (size_t i = 0; i < n; i++)
        counts[posts[i].truth]++;
    printf("posts: %zu (negative %ld, neutral %ld, positive %ld)\n", n, counts[NEG], counts[NEU],
           counts[POS]);
    struct result old = evaluate(posts, n, sentiment_old_milli);
    struct result cur = evaluate(posts, n, sentiment_milli);
    printf("old scorer:     accuracy %.3f  macro-F1 %.3f  %.0f posts/s\n", old.accuracy,
           old.macro_f1, old.per_second);
    printf("current scorer: accuracy %.3f  macro-F1 %.3f  %.0f posts/s\n", cur.accuracy,
           cur.macro_f1, cur.per_second);
    for (size_t i = 0; i < n; i++)
        free(posts[i].text);
    free(posts);
    if (cur.accuracy < min_accuracy || cur.macro_f1 < min_f1) {
        printf("below the floor: accuracy %.3f, macro-F1 %.3f\n", min_accuracy, min_f1);
        return 1;
    }
    return 0;
}
