/*
 * retire.c - the insights metrics retired at run time (see retire.h).
 */
#include "retire.h"

#include <stdio.h>
#include <string.h>

#define MAX_RETIRED 16

static struct {
    char platform[16];
    char metric[64];
} retired[MAX_RETIRED];
static size_t nretired;

bool sim_retire(const char *platform, const char *metric)
{
    if (sim_retired(platform, metric, strlen(metric)))
        return true;
    if (nretired == MAX_RETIRED || strlen(platform) >= sizeof retired[0].platform ||
        strlen(metric) >= sizeof retired[0].metric)
        return false;
    snprintf(retired[nretired].platform, sizeof retired[0].platform, "%s", platform);
    snprintf(retired[nretired].metric, sizeof retired[0].metric, "%s", metric);
    nretired++;
    return true;
}

bool sim_retired(const char *platform, const char *metric, size_t len)
{
    for (size_t i = 0; i < nretired; i++)
        if (strcmp(retired[i].platform, platform) == 0 && strlen(retired[i].metric) == len &&
            strncmp(retired[i].metric, metric, len) == 0)
            return true;
    return false;
}
