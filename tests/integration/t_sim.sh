# t_sim.sh - the platform simulator on its own (tests/sim/README.md): determinism, pagination
# to the end against /_truth totals, fault kinds, token expiry and refresh, /_advance
# restatements. JSON is read through PostgreSQL's jsonb (the test database is at hand).
. tests/integration/lib.sh

# ---- helpers --------------------------------------------------------------------------------

# launch_sim OUT [ARGS...]: starts a simulator writing to OUT (lib.sh's start_sim has fixed
# options), sets SIM_PID and SIM (base URL) or fails.
launch_sim() {
    out=$1
    shift
    # shellcheck disable=SC2086
    $SR_WRAP "$B/socialroi-sim" "$@" >"$out" 2>>"$TEST_DIR/sim.log" &
    SIM_PID=$!
    register_pid "$SIM_PID"
    wait_for 30 grep -q 'listening port=' "$out" || return 1
    SIM="http://127.0.0.1:$(sed -n 's/^socialroi-sim: listening port=\([0-9]*\)$/\1/p' "$out")"
}

# halt_sim PID: SIGTERM, wait; sets SIM_RC.
halt_sim() {
    kill -TERM "$1" 2>/dev/null
    wait "$1"
    SIM_RC=$?
}

# get URL_OR_PATH OUT [CURL ARGS...]: body to OUT, prints the HTTP status.
get() {
    url=$1
    out=$2
    shift 2
    case "$url" in http*) ;; *) url="$SIM$url" ;; esac
    curl -s -m 30 -D "$out.headers" -o "$out" -w '%{http_code}' "$@" "$url"
}

# jget FILE SELECT [FROM...]: SQL over the JSON document in FILE, available as j (jsonb).
# psql reads the document itself (\set with backquotes): /_truth is too big for an argument.
jget() {
    psql -XqAt -v ON_ERROR_STOP=1 -d "$TEST_DB" <<SQL 2>>"$TEST_DIR/psql.err"
\set doc \`cat '$1'\`
WITH d AS (SELECT :'doc'::jsonb AS j) SELECT $2 FROM d ${3:-};
SQL
}

# jcmp FILE_A FILE_B SELECT [FROM...]: SQL over two JSON documents, available as a and b.
jcmp() {
    psql -XqAt -v ON_ERROR_STOP=1 -d "$TEST_DB" <<SQL 2>>"$TEST_DIR/psql.err"
\set a \`cat '$1'\`
\set b \`cat '$2'\`
WITH d AS (SELECT :'a'::jsonb AS a, :'b'::jsonb AS b) SELECT $3 FROM d ${4:-};
SQL
}

# is NAME GOT WANT
is() {
    if [ "$2" = "$3" ]; then ok "$1"; else not_ok "$1" "got '$2', expected '$3'"; fi
}

# walk_meta URL IDS: follows paging.next from URL, appending each data[].id to IDS; sets
# PAGES; the first page stays in $T/walk1.json and the last one in $T/walk.json.
walk_meta() {
    url=$1
    : >"$2"
    PAGES=0
    while [ -n "$url" ] && [ $PAGES -lt 20 ]; do
        code=$(get "$url" "$T/walk.json")
        [ "$code" = 200 ] || break
        PAGES=$((PAGES + 1))
        [ $PAGES = 1 ] && cp "$T/walk.json" "$T/walk1.json"
        jget "$T/walk.json" "e->>'id'" ", jsonb_array_elements(j->'data') e" >>"$2"
        url=$(jget "$T/walk.json" "coalesce(j->'paging'->>'next', '')")
    done
}

# fault JSON: adds a fault rule.
fault() {
    curl -s -m 5 -o /dev/null -X POST -d "$1" "$SIM/_faults"
}

T="$TEST_DIR"

# ---- start, world, determinism --------------------------------------------------------------

if launch_sim "$T/sim.out" --port 0 --seed 7; then
    ok "the simulator starts and prints its port"
else
    not_ok "the simulator starts and prints its port" "$(cat "$T/sim.out" "$T/sim.log")"
    done_testing
    exit 1
fi
MAIN_PID=$SIM_PID
check_grep "the first line is the listening line" '^socialroi-sim: listening port=[0-9]+$' "$T/sim.out"

get /_world "$T/world.json" >/dev/null
TODAY=$(jget "$T/world.json" "j->>'today'")
XUSER=$(jget "$T/world.json" "j->'x'->'accounts'->0->>'user_id'")
XTOKEN=$(jget "$T/world.json" "j->'x'->'accounts'->0->>'access_token'")
XREFRESH=$(jget "$T/world.json" "j->'x'->'accounts'->0->>'refresh_token'")
XCLIENT=$(jget "$T/world.json" "j->'x'->'accounts'->0->>'client_id'")
PAGE=$(jget "$T/world.json" "j->'facebook'->'accounts'->0->>'page_id'")
ACT=$(jget "$T/world.json" "j->'facebook'->'accounts'->0->>'ad_account'")
FORM=$(jget "$T/world.json" "j->'facebook'->'accounts'->0->'forms'->>0")
FTOKEN=$(jget "$T/world.json" "j->'facebook'->'accounts'->0->>'access_token'")
FCLIENT=$(jget "$T/world.json" "j->'facebook'->'accounts'->0->>'client_id'")
FSECRET=$(jget "$T/world.json" "j->'facebook'->'accounts'->0->>'client_secret'")
is "/_world names the seed" "$(jget "$T/world.json" "j->>'seed'")" 7
case "$XUSER" in [1-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9])
    ok "the X user id has 19 digits" ;;
*) not_ok "the X user id has 19 digits" "got $XUSER" ;;
esac
is "/_world gives the ad account's currency and time zone" \
    "$(jget "$T/world.json" "j->'facebook'->'accounts'->0->>'currency' || ' ' || (j->'facebook'->'accounts'->0->>'timezone')")" \
    "USD America/Los_Angeles"

get /_truth "$T/truth.json" >/dev/null
SIM_MAIN=$SIM
if launch_sim "$T/sim2.out" --port 0 --seed 7 --today "$TODAY"; then
    get /_truth "$T/truth2.json" >/dev/null
    get /_world "$T/world2.json" >/dev/null
    halt_sim "$SIM_PID"
fi
check "the same seed gives a byte-identical /_truth" cmp "$T/truth.json" "$T/truth2.json"
check "the same seed gives a byte-identical /_world" cmp "$T/world.json" "$T/world2.json"
if launch_sim "$T/sim3.out" --port 0 --seed 8 --today "$TODAY"; then
    get /_truth "$T/truth3.json" >/dev/null
    halt_sim "$SIM_PID"
fi
if cmp -s "$T/truth.json" "$T/truth3.json"; then
    not_ok "another seed gives another world"
else
    ok "another seed gives another world"
fi
SIM=$SIM_MAIN
SIM_PID=$MAIN_PID

X_POSTS=$(jget "$T/truth.json" "j->'totals'->'x'->>'posts'")
FB_POSTS=$(jget "$T/truth.json" "j->'totals'->'facebook'->>'posts'")
AD_DAYS=$(jget "$T/truth.json" "j->'totals'->'facebook'->>'ad_days'")
SPEND=$(jget "$T/truth.json" "j->'totals'->'facebook'->>'spend_micros'")
LEADS=$(jget "$T/truth.json" "j->'totals'->'facebook'->>'leads'")
METRIC_DAYS=$(jget "$T/truth.json" "j->'totals'->'facebook'->>'metric_days'")
is "/_truth totals count the X posts in content" "$X_POSTS" \
    "$(jget "$T/truth.json" "count(*)" ", jsonb_object_keys(j->'x'->'$XUSER'->'content')")"
is "/_truth totals count X snapshots (3 + 6 per post)" \
    "$(jget "$T/truth.json" "j->'totals'->'x'->>'snapshots'")" $((3 + 6 * X_POSTS))

# ---- X: user and timeline pagination ----------------------------------------------------------

AUTH="Authorization: Bearer $XTOKEN"
code=$(get "/x/2/users/$XUSER?user.fields=public_metrics" "$T/user.json" -H "$AUTH")
is "X user lookup answers 200" "$code" 200
is "X user public_metrics match the truth snapshots" \
    "$(jget "$T/user.json" "j->'data'->'public_metrics'->>'followers_count' || ',' || (j->'data'->'public_metrics'->>'tweet_count')")" \
    "$(jget "$T/truth.json" "(j->'x'->'$XUSER'->'snapshots'->>'followers') || ',' || (j->'x'->'$XUSER'->'snapshots'->>'posts')")"
check_grep "X answers carry x-rate-limit-remaining" '^x-rate-limit-remaining: [0-9]+' "$T/user.json.headers"

: >"$T/x_ids"
tok=""
pages=0
while [ $pages -lt 10 ]; do
    q="max_results=100&tweet.fields=created_at,public_metrics"
    [ -n "$tok" ] && q="$q&pagination_token=$tok"
    code=$(get "/x/2/users/$XUSER/tweets?$q" "$T/tweets.json" -H "$AUTH")
    [ "$code" = 200 ] || break
    pages=$((pages + 1))
    jget "$T/tweets.json" "e->>'id'" ", jsonb_array_elements(j->'data') e" >>"$T/x_ids"
    tok=$(jget "$T/tweets.json" "coalesce(j->'meta'->>'next_token', '')")
    [ -n "$tok" ] || break
done
is "X timeline: two pages of 100 reach the end" "$pages" 2
is "X timeline: the posts walked equal the truth's count" "$(sort -u "$T/x_ids" | wc -l)" "$X_POSTS"
jget "$T/truth.json" "k" ", jsonb_object_keys(j->'x'->'$XUSER'->'content') k" | sort >"$T/x_truth_ids"
sort -u "$T/x_ids" >"$T/x_ids.sorted"
check "X timeline: the ids walked are the truth's ids" cmp "$T/x_ids.sorted" "$T/x_truth_ids"
is "X timeline: created_at has milliseconds and Z" \
    "$(jget "$T/tweets.json" "bool_and(e->>'created_at' ~ '^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.000Z\$')" ", jsonb_array_elements(j->'data') e")" t
get "/x/2/users/$XUSER/tweets?start_time=2099-01-01T00:00:00Z" "$T/empty.json" -H "$AUTH" >/dev/null
is "X timeline: an empty page has no data, only result_count" "$(cat "$T/empty.json")" '{"meta":{"result_count":0}}'
code=$(get "/x/2/users/$XUSER/tweets?next_token=abc" "$T/bad.json" -H "$AUTH")
is "X timeline refuses next_token (timelines take pagination_token)" "$code" 400
code=$(get "/x/2/users/$XUSER" "$T/bad.json" -H "Authorization: Bearer nope")
is "X answers 401 to a bad token" "$code" 401

# ---- X: recent search --------------------------------------------------------------------------

# search ARGS OUT: GET /x/2/tweets/search/recent with the query string built by curl -G from
# ARGS ("--data-urlencode" pairs); body in OUT, prints the status.
search() {
    out=$1
    shift
    get "/x/2/tweets/search/recent?" "$out" -G -H "$AUTH" "$@"
}

SEARCH_PAGES=0
jget "$T/world.json" "q" ", jsonb_array_elements_text(j->'x'->'accounts'->0->'queries') q" >"$T/queries"
while read -r Q; do
    : >"$T/s_ids"
    tok=""
    pages=0
    while [ $pages -lt 10 ]; do
        code=$(search "$T/search.json" --data-urlencode "query=$Q" -d max_results=100 \
            ${tok:+-d next_token=$tok})
        [ "$code" = 200 ] || break
        pages=$((pages + 1))
        jget "$T/search.json" "e->>'id'" ", jsonb_array_elements(coalesce(j->'data', '[]')) e" >>"$T/s_ids"
        tok=$(jget "$T/search.json" "coalesce(j->'meta'->>'next_token', '')")
        [ -n "$tok" ] || break
    done
    [ $pages -gt $SEARCH_PAGES ] && SEARCH_PAGES=$pages
    jget "$T/truth.json" "m.key" ", jsonb_each(j->'x'->'$XUSER'->'mentions') m WHERE m.value->>'query' = \$q\$$Q\$q\$" | sort >"$T/s_truth"
    sort -u "$T/s_ids" >"$T/s_ids.sorted"
    check "X search: walking next_token for '$Q' gives exactly the truth's mentions of it" \
        cmp "$T/s_ids.sorted" "$T/s_truth"
    check "X search: '$Q' answers newest first" sh -c "sort -rn '$T/s_ids' | cmp - '$T/s_ids'"
done <"$T/queries"
[ "$SEARCH_PAGES" -ge 2 ] && ok "X search: the brand query needs two pages of 100" ||
    not_ok "X search: the brand query needs two pages of 100" "at most $SEARCH_PAGES"
is "X search: every mention comes from one query of /_world" \
    "$(jget "$T/truth.json" "count(*)" ", jsonb_each(j->'x'->'$XUSER'->'mentions') m")" \
    "$(jget "$T/truth.json" "j->'totals'->'x'->>'mentions'")"
BRAND=$(head -n 1 "$T/queries")
search "$T/s.json" --data-urlencode "query=$BRAND" -d expansions=author_id \
    -d tweet.fields=author_id,created_at >/dev/null
check_grep "X search: x-rate-limit-limit is 450" '^x-rate-limit-limit: 450' "$T/s.json.headers"
is "X search: ten posts by default, with their authors in includes.users" \
    "$(jget "$T/s.json" "jsonb_array_length(j->'data') || ' ' || (SELECT bool_and(EXISTS (SELECT FROM jsonb_array_elements(j->'includes'->'users') u WHERE u->>'id' = e->>'author_id')) FROM jsonb_array_elements(j->'data') e)")" "10 true"
search "$T/s.json" --data-urlencode "query=$BRAND" >/dev/null
is "X search: without tweet.fields a post has id, text and edit_history_tweet_ids only" \
    "$(jget "$T/s.json" "string_agg(DISTINCT k, ',' ORDER BY k)" ", jsonb_array_elements(j->'data') e, jsonb_object_keys(e) k")" \
    "edit_history_tweet_ids,id,text"
search "$T/s.json" --data-urlencode "query=nobody mentions this" >/dev/null
is "X search: no match is only meta.result_count 0" "$(cat "$T/s.json")" '{"meta":{"result_count":0}}'
is "X search: a start_time 8 days back is a 400 naming it" \
    "$(search "$T/s.json" -d query=acme -d start_time="$(date -u -d '-8 days' +%Y-%m-%dT%H:%M:%SZ)") $(jget "$T/s.json" "j->'errors'->0->>'message' ~ '^Invalid .start_time.:.*must be on or after'")" "400 t"
is "X search: an end_time 2 s ago is a 400" \
    "$(search "$T/s.json" -d query=acme -d end_time="$(date -u -d '-2 seconds' +%Y-%m-%dT%H:%M:%SZ)")" 400
is "X search: max_results 5 is a 400" "$(search "$T/s.json" -d query=acme -d max_results=5)" 400
is "X search: an operator outside the subset is a 400 with X's problem type" \
    "$(search "$T/s.json" --data-urlencode "query=acme from:bob") $(jget "$T/s.json" "j->>'type'")" \
    "400 https://api.twitter.com/2/problems/invalid-request"
is "X search: a query without its parameter is a 400" "$(search "$T/s.json" -d max_results=10)" 400

# ---- Meta: posts, insights, ads insights, leads ----------------------------------------------

G="/facebook/v24.0" # the Graph API (pages): v24.0 is served until 2028
A="/facebook/v26.0" # the Marketing API (ad accounts, leads): v24.0 expired on 2026-11-10
POSTS_URL="$G/$PAGE/posts?fields=id,created_time,message,shares,reactions.summary(total_count).limit(0),comments.summary(total_count).limit(0)&limit=100"
walk_meta "$POSTS_URL&access_token=$FTOKEN" "$T/fb_ids"
cp "$T/walk1.json" "$T/posts1.json"
cp "$T/walk.json" "$T/posts.json"
pages=$PAGES
is "Meta posts: following paging.next reaches the end in two pages" "$pages" 2
is "Meta posts: the posts walked equal the truth's count" "$(sort -u "$T/fb_ids" | wc -l)" "$FB_POSTS"
check_grep "Meta posts: paging.next embeds the access token" 'access_token=EAA' "$T/posts1.json"
# Graph pages a Page's posts by time: next carries until and __paging_token, no cursors object
is "Meta posts: paged by time (until and __paging_token in next, no cursors)" \
    "$(jget "$T/posts1.json" "(j->'paging'->'cursors') IS NULL AND (j->'paging'->>'next') ~ '[?&]until=[0-9]+(&|$)' AND (j->'paging'->>'next') ~ '[?&]__paging_token=enc_'")" t
is "Meta posts: the last page has no next" \
    "$(jget "$T/posts.json" "(j->'paging'->>'next') IS NULL AND (j->'paging'->>'previous') IS NOT NULL")" t
is "Meta posts: reactions match the truth's likes" \
    "$(jcmp "$T/posts1.json" "$T/truth.json" "bool_and((e->'reactions'->'summary'->>'total_count') = (b->'facebook'->'$PAGE'->'content'->(e->>'id')->'metrics'->>'likes'))" ", jsonb_array_elements(a->'data') e")" t

SINCE=$(jget "$T/world.json" "((j->>'today')::date - 25)::text")
UNTIL=$(jget "$T/world.json" "((j->>'today')::date + 1)::text")
code=$(get "$G/$PAGE/insights?metric=page_post_engagements,page_daily_follows_unique,page_media_view,page_total_media_view_unique&period=day&since=$SINCE&until=$UNTIL&access_token=$FTOKEN" "$T/insights.json")
is "Meta page insights answer 200" "$code" 200
is "Meta page insights: as many values as the truth's metric days" \
    "$(jget "$T/insights.json" "count(*)" ", jsonb_array_elements(j->'data') m, jsonb_array_elements(m->'values') v")" "$METRIC_DAYS"
is "Meta page insights: each value sits on the Pacific day before end_time" \
    "$(jcmp "$T/insights.json" "$T/truth.json" "bool_and(v->'value' = b->'facebook'->'$PAGE'->'metric_daily'->(CASE m->>'name' WHEN 'page_post_engagements' THEN 'engagements' WHEN 'page_daily_follows_unique' THEN 'followers_gained' WHEN 'page_media_view' THEN 'views' ELSE 'reach' END)->(((v->>'end_time')::timestamptz AT TIME ZONE 'America/Los_Angeles' - interval '1 day')::date::text))" ", jsonb_array_elements(a->'data') m, jsonb_array_elements(m->'values') v")" t
code=$(get "$G/$PAGE/insights?metric=page_impressions,page_media_view&period=day&access_token=$FTOKEN" "$T/dep.json")
is "Meta page insights: a deprecated metric fails the call with code 100" \
    "$code $(jget "$T/dep.json" "j->'error'->>'code'")" "400 100"
# retired on 2025-11-15 (impressions, page fans) and 2026-06-15 (the unique-impressions family)
for m in page_fans page_fan_adds_unique page_impressions_unique post_impressions_unique; do
    code=$(get "$G/$PAGE/insights?metric=page_post_engagements,$m&period=day&access_token=$FTOKEN" "$T/dep.json")
    is "Meta page insights: the retired $m fails the call with code 100" \
        "$code $(jget "$T/dep.json" "j->'error'->>'code'")" "400 100"
done

ADS_SINCE=$(jget "$T/world.json" "((j->>'today')::date - 40)::text")
: >"$T/ads_rows"
url=""
pages=0
code=$(get "$A/act_$ACT/insights" "$T/ads.json" -G -H "Authorization: Bearer $FTOKEN" \
    --data-urlencode "time_range={\"since\":\"$ADS_SINCE\",\"until\":\"$TODAY\"}" \
    -d level=campaign -d time_increment=1 -d limit=25 \
    -d fields=campaign_id,campaign_name,account_currency,spend,impressions,clicks,actions,action_values)
while [ "$code" = 200 ] && [ $pages -lt 20 ]; do
    pages=$((pages + 1))
    jget "$T/ads.json" "(e->>'campaign_id') || ' ' || (e->>'date_start') || ' ' || ((e->>'spend')::numeric * 1000000)::bigint" \
        ", jsonb_array_elements(j->'data') e" >>"$T/ads_rows"
    [ $pages = 1 ] && cp "$T/ads.json" "$T/ads1.json"
    url=$(jget "$T/ads.json" "coalesce(j->'paging'->>'next', '')")
    [ -n "$url" ] || break
    code=$(get "$url" "$T/ads.json")
done
is "Meta ads insights: walking every page gives one row per ad day" "$(wc -l <"$T/ads_rows")" "$AD_DAYS"
is "Meta ads insights: spend strings add up to the truth's spend_micros" \
    "$(awk '{s += $3} END {printf "%d", s}' "$T/ads_rows")" "$SPEND"
is "Meta ads insights: metrics are decimal strings" \
    "$(jget "$T/ads1.json" "bool_and(jsonb_typeof(e->'spend') = 'string' AND jsonb_typeof(e->'impressions') = 'string')" ", jsonb_array_elements(j->'data') e")" t
is "Meta ads insights: the first cursor is Meta's MAZDZD" \
    "$(jget "$T/ads1.json" "j->'paging'->'cursors'->>'before'")" MAZDZD

walk_meta "$A/$FORM/leads?fields=id,created_time,ad_id,campaign_id,form_id,is_organic,field_data&limit=10&access_token=$FTOKEN" "$T/lead_ids"
is "Meta leads: walking every page gives the truth's leads" "$(sort -u "$T/lead_ids" | wc -l)" "$LEADS"
LAST=$(jget "$T/truth.json" "max(extract(epoch from (l->>'created_at')::timestamptz))::bigint" ", jsonb_each(j->'facebook'->'$PAGE'->'leads') AS x(k, l)")
code=$(get "$A/$FORM/leads" "$T/newleads.json" -G -d "access_token=$FTOKEN" \
    --data-urlencode "filtering=[{\"field\":\"time_created\",\"operator\":\"GREATER_THAN\",\"value\":$((LAST - 1))}]")
is "Meta leads: filtering on time_created returns only newer leads" \
    "$code $(jget "$T/newleads.json" "jsonb_array_length(j->'data')")" "200 1"

# Versions: the Marketing API's expire on the days Meta published (v24.0 on 2026-11-10), the
# Graph API's are served past their expiry; this world's today decides.
code=$(get "/facebook/v22.0/act_$ACT/insights?access_token=$FTOKEN" "$T/v.json")
is "Meta: an expired Marketing API version answers 400 (#2635) naming the latest version" \
    "$code $(jget "$T/v.json" "(j->'error'->>'code') || ' ' || (j->'error'->>'type')") $(jget "$T/v.json" "j->'error'->>'message' LIKE '(#2635) You are calling a deprecated version of the Ads API. Please update to the latest version: v%.0.'")" \
    "400 2635 OAuthException t"
is "Meta: leads in an expired Marketing API version: 2635 too" \
    "$(get "/facebook/v22.0/$FORM/leads?access_token=$FTOKEN" "$T/v.json") $(jget "$T/v.json" "j->'error'->>'code'")" \
    "400 2635"
is "Meta: the Graph API serves the page in any version" \
    "$(get "/facebook/v22.0/$PAGE/posts?access_token=$FTOKEN" "$T/v.json")" 200
is "Meta: the current Marketing API version is served" \
    "$(get "$A/act_$ACT/campaigns?access_token=$FTOKEN" "$T/v.json")" 200

# ---- faults ------------------------------------------------------------------------------------

get "/x/2/users/$XUSER" "$T/plain.json" -H "$AUTH" >/dev/null
fault '{"platform":"x","kind":"throttle","count":1,"seconds":5}'
code=$(get "/x/2/users/$XUSER" "$T/f.json" -H "$AUTH")
is "fault throttle (X): 429" "$code" 429
check_grep "fault throttle (X): x-rate-limit-remaining is 0" '^x-rate-limit-remaining: 0' "$T/f.json.headers"
is "fault throttle (X): the rule fired once, then the real answer" \
    "$(get "/x/2/users/$XUSER" "$T/f2.json" -H "$AUTH")" 200

fault '{"platform":"facebook","kind":"throttle","count":1,"path":"/insights","seconds":120}'
code=$(get "$A/act_$ACT/insights?access_token=$FTOKEN" "$T/f.json")
is "fault throttle (Meta ads insights): 400 with code 80000" \
    "$code $(jget "$T/f.json" "j->'error'->>'code'")" "400 80000"
check_grep "fault throttle (Meta): X-Business-Use-Case-Usage says when access returns" \
    'estimated_time_to_regain_access":2' "$T/f.json.headers"

fault '{"platform":"facebook","kind":"server_error","count":1}'
code=$(get "$G/$PAGE/posts?access_token=$FTOKEN" "$T/f.json")
is "fault server_error (Meta): 500, code 2, transient" \
    "$code $(jget "$T/f.json" "(j->'error'->>'code') || ' ' || (j->'error'->>'is_transient')")" "500 2 true"

fault '{"platform":"x","kind":"truncated","count":1}'
code=$(get "/x/2/users/$XUSER" "$T/f.json" -H "$AUTH")
is "fault truncated: 200 with half the body" "$code $(wc -c <"$T/f.json")" \
    "200 $(($(wc -c <"$T/plain.json") / 2))"
if jget "$T/f.json" "1" >/dev/null 2>&1; then not_ok "fault truncated: the body is not JSON"; else ok "fault truncated: the body is not JSON"; fi

fault '{"platform":"facebook","kind":"malformed","count":1}'
code=$(get "$G/$PAGE?access_token=$FTOKEN" "$T/f.json")
if [ "$code" = 200 ] && ! jget "$T/f.json" "1" >/dev/null 2>&1; then
    ok "fault malformed: 200 with a body that is not JSON"
else
    not_ok "fault malformed: 200 with a body that is not JSON" "status $code"
fi

fault '{"platform":"x","kind":"slow","count":1,"seconds":2}'
start=$(date +%s)
code=$(get "/x/2/users/$XUSER" "$T/f.json" -H "$AUTH")
took=$(($(date +%s) - start))
if [ "$code" = 200 ] && [ "$took" -ge 1 ] && cmp -s "$T/f.json" "$T/plain.json"; then
    ok "fault slow: the real body, chunked, over the seconds asked"
else
    not_ok "fault slow: the real body, chunked, over the seconds asked" "status $code, $took s"
fi
check_grep "fault slow: sent with chunked transfer encoding" '^Transfer-Encoding: chunked' "$T/f.json.headers"

fault '{"platform":"x","kind":"timeout","count":1,"seconds":1}'
curl -s -m 10 -o /dev/null "$SIM/x/2/users/$XUSER" -H "$AUTH"
is "fault timeout: no answer, then the connection is closed (curl exit 52)" "$?" 52

fault '{"platform":"x","kind":"throttle","probability":0}'
is "a rule with probability 0 never fires" "$(get "/x/2/users/$XUSER" "$T/f.json" -H "$AUTH")" 200
get /_faults "$T/faults.json" >/dev/null
is "GET /_faults lists every rule with how often it fired" \
    "$(jget "$T/faults.json" "string_agg(r->>'kind' || '=' || (r->>'fired'), ' ' ORDER BY (r->>'id')::int)" ", jsonb_array_elements(j->'faults') r")" \
    "throttle=1 throttle=1 server_error=1 truncated=1 malformed=1 slow=1 timeout=1 throttle=0"
curl -s -m 5 -X DELETE -o /dev/null "$SIM/_faults"
get /_faults "$T/faults.json" >/dev/null
is "DELETE /_faults removes every rule" "$(cat "$T/faults.json")" '{"faults":[]}'
is "a rule for an unknown platform is refused" \
    "$(curl -s -m 5 -o /dev/null -w '%{http_code}' -X POST -d '{"platform":"myspace","kind":"slow"}' "$SIM/_faults")" 400

# ---- tokens ------------------------------------------------------------------------------------

fault '{"platform":"x","kind":"expire_token","count":1}'
is "expire_token (X): the access token gets 401" "$(get "/x/2/users/$XUSER" "$T/f.json" -H "$AUTH")" 401
code=$(get /x/2/oauth2/token "$T/tok.json" -X POST \
    -d "grant_type=refresh_token&refresh_token=$XREFRESH&client_id=$XCLIENT")
NEWTOKEN=$(jget "$T/tok.json" "j->>'access_token'")
NEWREFRESH=$(jget "$T/tok.json" "j->>'refresh_token'")
is "refresh (X): 200 with a new access token and a new refresh token" \
    "$code $([ "$NEWTOKEN" != "$XTOKEN" ] && [ "$NEWREFRESH" != "$XREFRESH" ] && echo new)" "200 new"
is "refresh (X): the new access token works" \
    "$(get "/x/2/users/$XUSER" "$T/f.json" -H "Authorization: Bearer $NEWTOKEN")" 200
is "refresh (X): the old refresh token no longer works" \
    "$(get /x/2/oauth2/token "$T/f.json" -X POST -d "grant_type=refresh_token&refresh_token=$XREFRESH&client_id=$XCLIENT")" 400
get /_world "$T/world3.json" >/dev/null
is "/_world shows the rotated X credentials" \
    "$(jget "$T/world3.json" "j->'x'->'accounts'->0->>'refresh_token'")" "$NEWREFRESH"

fault '{"platform":"facebook","kind":"expire_token","count":1}'
code=$(get "$G/$PAGE/posts?access_token=$FTOKEN" "$T/f.json")
is "expire_token (Meta): code 190 subcode 463" \
    "$code $(jget "$T/f.json" "(j->'error'->>'code') || '/' || (j->'error'->>'error_subcode')")" "400 190/463"
code=$(get "$G/oauth/access_token?grant_type=fb_exchange_token&client_id=$FCLIENT&client_secret=$FSECRET&fb_exchange_token=$FTOKEN" "$T/ftok.json")
NEWF=$(jget "$T/ftok.json" "j->>'access_token'")
is "exchange (Meta): a new long-lived token" \
    "$code $(jget "$T/ftok.json" "(j->>'token_type') || ' ' || (j->>'expires_in')")" "200 bearer 5184000"
is "exchange (Meta): the new token works" "$(get "$G/$PAGE/posts?access_token=$NEWF" "$T/f.json")" 200

fault '{"platform":"x","kind":"revoke_token","count":1}'
is "revoke_token (X): the access token gets 401" \
    "$(get "/x/2/users/$XUSER" "$T/f.json" -H "Authorization: Bearer $NEWTOKEN")" 401
is "revoke_token (X): the refresh token is refused too" \
    "$(get /x/2/oauth2/token "$T/f.json" -X POST -d "grant_type=refresh_token&refresh_token=$NEWREFRESH&client_id=$XCLIENT")" 400

get /_world "$T/world4.json" >/dev/null
is "revoke_token (X): /_world hands out fresh credentials that work" \
    "$(get "/x/2/users/$XUSER" "$T/f.json" -H "Authorization: Bearer $(jget "$T/world4.json" "j->'x'->'accounts'->0->>'access_token'")")" 200

# ---- /_advance ---------------------------------------------------------------------------------

is "POST /_advance returns the new generation" \
    "$(curl -s -m 5 -X POST "$SIM/_advance")" '{"generation":1}'
get /_truth "$T/truth_a.json" >/dev/null
YESTERDAY=$(jget "$T/world.json" "((j->>'today')::date - 1)::text")
OLD=$(jget "$T/world.json" "((j->>'today')::date - 6)::text")
M="->'facebook'->'$PAGE'->'metric_daily'->'views'"
is "/_advance restates yesterday's page insights" "$(jcmp "$T/truth.json" "$T/truth_a.json" "(a$M->'$YESTERDAY') <> (b$M->'$YESTERDAY')")" t
is "/_advance leaves older page insights alone" "$(jcmp "$T/truth.json" "$T/truth_a.json" "(a$M->'$OLD') = (b$M->'$OLD')")" t
C="->'facebook'->'$PAGE'->'campaigns'->c->'days'"
is "/_advance restates some ad days of the last three days" \
    "$(jcmp "$T/truth.json" "$T/truth_a.json" "bool_or(a$C->dd <> b$C->dd)" ", jsonb_object_keys(a->'facebook'->'$PAGE'->'campaigns') c, jsonb_object_keys(a$C) dd WHERE dd::date >= '$TODAY'::date - 3")" t
is "/_advance leaves older ad days alone" \
    "$(jcmp "$T/truth.json" "$T/truth_a.json" "bool_and(a$C->dd = b$C->dd)" ", jsonb_object_keys(a->'facebook'->'$PAGE'->'campaigns') c, jsonb_object_keys(a$C) dd WHERE dd::date < '$TODAY'::date - 3")" t
is "/_advance adds posts and leads" \
    "$(jcmp "$T/truth.json" "$T/truth_a.json" "(b->'totals'->'x'->>'posts')::int > (a->'totals'->'x'->>'posts')::int AND (b->'totals'->'facebook'->>'leads')::int > (a->'totals'->'facebook'->>'leads')::int")" t
walk_meta "$POSTS_URL&access_token=$NEWF" "$T/fb_ids_a"
is "/_advance: the posts endpoint serves what /_truth counts" \
    "$(sort -u "$T/fb_ids_a" | wc -l)" "$(jget "$T/truth_a.json" "j->'totals'->'facebook'->>'posts'")"

# ---- /_outage ----------------------------------------------------------------------------------

is "POST /_outage: a tracking outage of one day's page insights" \
    "$(curl -s -m 5 -X POST "$SIM/_outage?platform=facebook&day=$OLD")" '{"outage":true}'
get /_truth "$T/truth_o.json" >/dev/null
is "/_truth follows: the day's views, reach and engagements are 0" \
    "$(jget "$T/truth_o.json" "j->'facebook'->'$PAGE'->'metric_daily'->'views'->>'$OLD' || ',' || (j->'facebook'->'$PAGE'->'metric_daily'->'reach'->>'$OLD') || ',' || (j->'facebook'->'$PAGE'->'metric_daily'->'engagements'->>'$OLD')")" "0,0,0"
is "/_outage leaves the other days alone" \
    "$(jcmp "$T/truth_a.json" "$T/truth_o.json" "(a$M->'$YESTERDAY') = (b$M->'$YESTERDAY')")" t
is "DELETE /_outage restates the day" \
    "$(curl -s -m 5 -X DELETE "$SIM/_outage?platform=facebook")" '{"outage":false}'
get /_truth "$T/truth_r.json" >/dev/null
is "/_truth has the day's real values again" \
    "$(jcmp "$T/truth_a.json" "$T/truth_r.json" "(a$M->'$OLD') = (b$M->'$OLD')")" t
is "/_outage for a platform without outages is refused" \
    "$(get "$SIM/_outage?platform=x&day=$OLD" "$T/o.json" -X POST)" 400
is "/_outage for a day outside the history is refused" \
    "$(get "$SIM/_outage?platform=facebook&day=1999-01-01" "$T/o.json" -X POST)" 400

# ---- /_burst -----------------------------------------------------------------------------------

BRAND=$(jget "$T/world.json" "j->'x'->'accounts'->0->'queries'->>0")
get /_truth "$T/truth_b0.json" >/dev/null
is "POST /_burst: negative brand mentions now" \
    "$(curl -s -m 5 -X POST "$SIM/_burst?platform=x&count=12")" '{"burst":12}'
get /_truth "$T/truth_b1.json" >/dev/null
neg() { jq -r --arg u "$XUSER" --arg d "$TODAY" --arg q "$BRAND" '.x[$u].listening[$d][$q].negative // 0' "$1"; }
is "/_truth counts them today as negative brand mentions" "$(($(neg "$T/truth_b1.json") - $(neg "$T/truth_b0.json")))" 12
is "/_burst for a platform without a search is refused" \
    "$(get "$SIM/_burst?platform=facebook&count=3" "$T/o.json" -X POST)" 400
is "/_burst without a count is refused" "$(get "$SIM/_burst?platform=x" "$T/o.json" -X POST)" 400

# ---- stop --------------------------------------------------------------------------------------

halt_sim "$MAIN_PID"
is "SIGTERM stops the simulator with status 0" "$SIM_RC" 0
done_testing
