# t_parse.sh - `socialroi parse`, the users' way into every parser: each platform's documented
# error bodies print one error line of the right class and exit 3; truncated and wrong-shaped
# bodies exit 2 with a message naming the file; good bodies print exact records; bad
# arguments exit 2 with a usage message. The fixtures say where their shapes came from
# (tests/fixtures/*/SOURCES.md).
. tests/integration/lib.sh

F=tests/fixtures

# error STREAM STATUS FIXTURE CLASS: exit 3 and exactly one line, an error of that class.
error() {
    socialroi parse "$1" "$F/$3" --status "$2" >"$TEST_DIR/parse.out" 2>"$TEST_DIR/parse.err"
    rc=$?
    got=$(jq -r 'select(.type == "error") | .class' "$TEST_DIR/parse.out" 2>/dev/null)
    lines=$(wc -l <"$TEST_DIR/parse.out")
    if [ $rc -eq 3 ] && [ "$got" = "$4" ] && [ "$lines" -eq 1 ]; then
        ok "$1 $3 (HTTP $2) is $4"
    else
        not_ok "$1 $3 (HTTP $2) is $4" "exit $rc, class '$got', $lines lines:" \
            "$(head -c 300 "$TEST_DIR/parse.out" "$TEST_DIR/parse.err")"
    fi
}

# invalid STREAM FIXTURE PATTERN: exit 2, nothing on stdout, stderr names the file and says why.
invalid() {
    socialroi parse "$1" "$F/$2" >"$TEST_DIR/parse.out" 2>"$TEST_DIR/parse.err"
    rc=$?
    if [ $rc -eq 2 ] && [ ! -s "$TEST_DIR/parse.out" ] &&
        grep -q "$F/$2: not a valid $1 body: .*$3" "$TEST_DIR/parse.err"; then
        ok "$1 $2 is refused ($3)"
    else
        not_ok "$1 $2 is refused ($3)" "exit $rc:" "$(head -c 300 "$TEST_DIR/parse.err")" \
            "$(head -c 200 "$TEST_DIR/parse.out")"
    fi
}

# X: problem types (https://api.x.com/2/problems/...) and plain 401/429
error x.tweets 400 x/error_400_invalid_request.json bad_request
error x.tweets 401 x/error_401.json auth
error x.tweets 403 x/error_403_client_forbidden.json permission
error x.tweets 429 x/error_429.json throttled
error x.tweets 429 x/error_429_usage_capped.json quota
error x.user 200 x/user_not_found.json not_found
error x.mentions 400 x/search_start_time_too_old.json bad_request

# Meta Graph: the class follows code/subcode, whatever the HTTP status
for s in facebook.posts facebook.ads_insights; do
    error $s 400 facebook/error_100_invalid_metric.json bad_request
    error $s 400 facebook/error_100_object_missing.json not_found
    error $s 500 facebook/error_100_timeout.json transient
    error $s 403 facebook/error_10_permission.json permission
    error $s 400 facebook/error_17_user_limit.json throttled
    error $s 400 facebook/error_190_expired.json auth
    error $s 400 facebook/error_190_malformed_token.json auth
    error $s 500 facebook/error_1_unknown.json transient
    error $s 403 facebook/error_200_permission.json permission
    error $s 500 facebook/error_2_transient.json transient
    error $s 403 facebook/error_4_app_limit.json throttled
    error $s 400 facebook/error_613_custom.json throttled
    error $s 400 facebook/error_80000_ads_insights.json throttled
    error $s 404 facebook/error_803_alias.json not_found
done
error facebook.leads 400 facebook/error_190_expired.json auth
error facebook.page_insights 400 facebook/error_100_invalid_metric.json bad_request

# Instagram (Graph errors too, with the Instagram use-case limit)
error instagram.media 400 instagram/error_100_2108006.json bad_request
error instagram.account_insights 400 instagram/error_100_invalid_metric.json bad_request
error instagram.media 400 instagram/error_100_object_missing.json not_found
error instagram.media 400 instagram/error_10_not_enough_viewers.json permission
error instagram.account_insights 400 instagram/error_190_expired.json auth
error instagram.media 500 instagram/error_1_unknown.json transient
error instagram.account_insights 403 instagram/error_200_permission.json permission
error instagram.media 500 instagram/error_2_transient.json transient
error instagram.media 400 instagram/error_4_app_limit.json throttled
error instagram.account_insights 400 instagram/error_80002_instagram.json throttled

# LinkedIn: 429 is the daily quota (no headers say otherwise)
for s in linkedin.ad_analytics linkedin.org_stats linkedin.leads; do
    error $s 400 linkedin/error_400.json bad_request
    error $s 401 linkedin/error_401_expired.json auth
    error $s 401 linkedin/error_401_revoked.json auth
    error $s 403 linkedin/error_403_access_denied.json permission
    error $s 404 linkedin/error_404.json not_found
    error $s 429 linkedin/error_429.json quota
    error $s 500 linkedin/error_500.json transient
done
error linkedin.ad_analytics 400 linkedin/error_400_fields.json bad_request
error linkedin.ad_analytics 401 linkedin/error_401_empty_token.json auth
error linkedin.ad_analytics 401 linkedin/error_401_invalid.json auth
error linkedin.ad_analytics 504 linkedin/error_504.json transient

# YouTube: the reason decides between quota, rate limit and permission on a 403
for s in youtube.channel youtube.videos youtube.analytics; do
    error $s 403 youtube/error_403_quota.json quota
    error $s 403 youtube/error_403_rate_limit.json throttled
    error $s 401 youtube/error_401_auth.json auth
done
error youtube.analytics 400 youtube/error_400_invalid_value.json bad_request
error youtube.channel 403 youtube/error_403_forbidden.json permission
error youtube.channel 403 youtube/error_403_insufficient_permissions.json permission
error youtube.analytics 403 youtube/error_403_service_disabled.json permission
error youtube.videos 404 youtube/error_404_playlist_not_found.json not_found
error youtube.analytics 429 youtube/error_429_resource_exhausted.json throttled
error youtube.channel 503 youtube/error_503_backend.json transient

# Pinterest: the body's code is not the HTTP status
for s in pinterest.ad_analytics pinterest.user_analytics; do
    error $s 400 pinterest/error_400.json bad_request
    error $s 401 pinterest/error_401.json auth
    error $s 403 pinterest/error_403.json permission
    error $s 404 pinterest/error_404.json not_found
    error $s 429 pinterest/error_429.json throttled
    error $s 500 pinterest/error_500.json transient
done

# HubSpot: 429 policies (DAILY is a quota), categories
for s in hubspot.contacts hubspot.deals; do
    error $s 400 hubspot/error_400_validation.json bad_request
    error $s 401 hubspot/error_401.json auth
    error $s 401 hubspot/error_401_expired.json auth
    error $s 403 hubspot/error_403_missing_scopes.json permission
    error $s 404 hubspot/error_404.json not_found
    error $s 429 hubspot/error_429_daily.json quota
    error $s 429 hubspot/error_429_secondly.json throttled
    error $s 429 hubspot/error_429_ten_secondly.json throttled
    error $s 500 hubspot/error_500.json transient
    error $s 502 hubspot/error_502.json transient
done
error hubspot.contacts 400 hubspot/error_400_beyond_10k.json bad_request

# Truncated and wrong-shaped bodies
invalid x.tweets x/tweets_truncated.json "malformed JSON"
invalid x.tweets x/tweets_id_number.json "not a string id"
invalid x.tweets x/tweets_data_object.json "data is not an array"
invalid x.tweets x/tweets_bad_count.json "is not a count"
invalid x.mentions x/search_no_text.json "text is missing"
invalid facebook.ads_insights facebook/ads_insights_truncated.json "malformed JSON"
invalid facebook.ads_insights facebook/ads_insights_id_number.json "string"
invalid facebook.ads_insights facebook/ads_insights_bad_spend.json "campaign"
invalid facebook.ads_insights facebook/ads_insights_spend_float.json "campaign"
invalid facebook.ads_insights facebook/ads_insights_data_object.json "data is not an array"
invalid instagram.media instagram/media_truncated.json "malformed JSON"
invalid instagram.media instagram/media_id_number.json "without a Graph id"
invalid linkedin.ad_analytics linkedin/ad_analytics_truncated.json "malformed JSON"
invalid linkedin.ad_analytics linkedin/ad_analytics_bad_cost.json "campaign"
invalid linkedin.ad_analytics linkedin/ad_analytics_bad_pivot.json "without a ca"
invalid linkedin.leads linkedin/leads_bad_submitted.json "submitte"
invalid linkedin.org_stats linkedin/org_share_stats_bad_count.json "totalShareStatistics"
invalid youtube.analytics youtube/analytics_short_row.json "columnHeaders"
invalid pinterest.ad_analytics pinterest/ad_analytics_id_number.json "without a numeric CAMPAIGN_ID"
invalid pinterest.ad_analytics pinterest/ad_analytics_fractional_spend.json "not a whole number of micro-units"
invalid hubspot.contacts hubspot/contacts_truncated.json "malformed JSON"
invalid hubspot.contacts hubspot/contacts_bad_time.json "createdate"
invalid hubspot.deals hubspot/deals_bad_amount.json "amount is not a deci"

# A good body: Meta's spend string "14.35" is 14,350,000 micros, exactly
socialroi parse facebook.ads_insights "$F/facebook/ads_insights_page1.json" >"$TEST_DIR/ads.jsonl"
got=$(jq -c 'select(.type == "ad_daily" and .day == "2023-06-01") | [.campaign, .spend_micros, .currency, .basis]' \
    "$TEST_DIR/ads.jsonl" | head -n 1)
check_eq "Meta spend strings become exact micros in the account's currency and days" \
    '["23854404676180548",14350000,"USD","account_tz"]' "$got"
check_grep "the next page's cursor is printed" '^\{"type":"next","cursor":"MjQZD"\}$' "$TEST_DIR/ads.jsonl"

# Every stream the daemon knows parses its own empty answer without a record or an error
for pair in x.tweets:x/tweets_empty.json facebook.ads_insights:facebook/ads_insights_empty.json \
    instagram.media:instagram/media_empty.json linkedin.ad_analytics:linkedin/ad_analytics_empty.json \
    youtube.analytics:youtube/analytics_no_rows.json pinterest.ad_analytics:pinterest/ad_analytics_empty.json \
    hubspot.contacts:hubspot/contacts_empty.json hubspot.deals:hubspot/deals_empty.json \
    x.mentions:x/search_empty.json; do
    s=${pair%%:*} f=${pair#*:}
    socialroi parse "$s" "$F/$f" >"$TEST_DIR/empty.out" 2>&1
    rc=$?
    n=$(grep -cv '"type":"next"' "$TEST_DIR/empty.out")
    if [ $rc -eq 0 ] && [ "$n" -eq 0 ]; then
        ok "$s: an empty page is no records"
    else
        not_ok "$s: an empty page is no records" "exit $rc:" "$(head -c 300 "$TEST_DIR/empty.out")"
    fi
done

# Bad arguments: a usage message and exit 2, never a crash
: >"$TEST_DIR/empty.json"
check_rc 2 "an unknown stream exits 2" socialroi parse nope.stream "$F/x/user.json"
check_grep "and says which" 'unknown stream "nope.stream"' "$TEST_DIR/last.out"
check_rc 2 "a missing file exits 2" socialroi parse x.user "$TEST_DIR/none.json"
check_grep "and names it" "none.json: No such file" "$TEST_DIR/last.out"
check_rc 2 "a missing FILE argument exits 2" socialroi parse x.user
check_grep "with the usage" '^usage: socialroi parse STREAM FILE' "$TEST_DIR/last.out"
check_rc 2 "a status that is not one exits 2" socialroi parse x.user "$F/x/user.json" --status abc
check_rc 2 "an empty body exits 2" socialroi parse x.user "$TEST_DIR/empty.json"
check_grep "and says so" 'empty body' "$TEST_DIR/last.out"
done_testing
