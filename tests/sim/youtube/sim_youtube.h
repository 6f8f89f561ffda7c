/*
 * sim_youtube.h - helpers shared by the YouTube endpoint files of the simulator
 * (sim_youtube.c: routing, OAuth, Google error bodies, faults; sim_youtube_data.c: Data API
 * v3 channels, playlistItems and videos; sim_youtube_analytics.c: Analytics API v2 reports).
 *
 * Google error bodies (reference §5.4, §11):
 *   {"error":{"code":403,"message":"...","errors":[{"message","domain","reason",
 *    "location"?,"locationType"?}],"status":"PERMISSION_DENIED"}}
 * Bodies are written with raw UTF-8 (JW_UTF8), as Google sends them.
 */
#ifndef SIM_SIM_YOUTUBE_H
#define SIM_SIM_YOUTUBE_H

#include "world_youtube.h"

/*
 * One Google error; location NULL leaves location and locationType out, inner is the
 * errors[].message when it differs from the top message (NULL: the same).
 */
struct google_error {
    int status;
    const char *message, *domain, *reason, *location, *location_type, *grpc_status, *inner;
};

void yt_error(struct http_req *r, const struct google_error *e);
/* 400 with reason badRequest (domain global, status INVALID_ARGUMENT). */
void yt_bad_request(struct http_req *r, const char *message);
/* 400 for a query parameter: reason and domain given, location the parameter. */
void yt_bad_param(struct http_req *r, const char *param, const char *reason, const char *domain,
                  const char *message);
/* 200 with a JSON body. */
void yt_begin(struct http_req *r, struct jw *j);
/* A 27-character etag that is a pure function of the world and a tag. */
void yt_etag(const struct yt_world *yt, const struct world *w, const char *tag, char *out);

/* The endpoints (each answers r completely). */
void yt_channels(struct yt_world *yt, const struct world *w, struct http_req *r);
void yt_playlist_items(struct yt_world *yt, const struct world *w, struct http_req *r);
void yt_videos(struct yt_world *yt, const struct world *w, struct http_req *r);
void yt_reports(struct yt_world *yt, const struct world *w, struct http_req *r);

#endif
