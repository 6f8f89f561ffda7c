# t_sim_media.sh - socialroi-sim's Instagram, YouTube and Pinterest on their own
# (tests/sim/README.md): determinism, paging to the end against /_truth totals, Instagram's
# total_value, 2108006 and retired metrics, YouTube's strings, reordered Analytics columns,
# missing rows and quota error body, Pinterest's bare array, micro spend in EUR and rotating
# refresh tokens, faults and /_advance restatements. JSON is read with jq.
# shellcheck disable=SC2016 # $names inside single quotes are jq variables
. tests/integration/lib.sh

# ---- helpers --------------------------------------------------------------------------------

T="$TEST_DIR"

# media_sim OUT [ARGS...]: starts a simulator writing to OUT; sets SIM_PID and SIM (base URL).
media_sim() {
    out=$1
    shift
    # shellcheck disable=SC2086
    $SR_WRAP "$B/socialroi-sim" "$@" >"$out" 2>>"$T/sim.log" &
    SIM_PID=$!
    register_pid "$SIM_PID"
    wait_for 30 grep -q 'listening port=' "$out" || return 1
    SIM="http://127.0.0.1:$(sed -n 's/^socialroi-sim: listening port=\([0-9]*\)$/\1/p' "$out")"
}

# media_halt PID: SIGTERM, wait; sets HALT_RC.
media_halt() {
    kill -TERM "$1" 2>/dev/null
    wait "$1"
    HALT_RC=$?
}

# fetch URL_OR_PATH OUT [CURL ARGS...]: body to OUT, headers to OUT.h, prints the status.
fetch() {
    url=$1
    out=$2
    shift 2
    case "$url" in http*) ;; *) url="$SIM$url" ;; esac
    curl -s -m 60 -D "$out.h" -o "$out" -w '%{http_code}' "$@" "$url"
}

# jv FILE FILTER [JQ ARGS...]: one jq result, raw.
jv() {
    f=$1
    shift
    jq -r "$@" <"$f" 2>>"$T/jq.err"
}

# same NAME GOT WANT
same() {
    if [ "$2" = "$3" ]; then ok "$1"; else not_ok "$1" "got '$2', expected '$3'"; fi
}

add_fault() {
    curl -s -m 10 -o /dev/null -X POST -d "$1" "$SIM/_faults"
}

# ---- start, determinism ---------------------------------------------------------------------

if media_sim "$T/sim.out" --port 0 --seed 11; then
    ok "the simulator starts"
else
    not_ok "the simulator starts" "$(cat "$T/sim.out" "$T/sim.log")"
    done_testing
    exit 1
fi
MAIN_PID=$SIM_PID
MAIN=$SIM
fetch /_world "$T/world.json" >/dev/null
fetch /_truth "$T/truth.json" >/dev/null
TODAY=$(jv "$T/world.json" .today)

if media_sim "$T/sim2.out" --port 0 --seed 11 --today "$TODAY"; then
    fetch /_world "$T/world2.json" >/dev/null
    fetch /_truth "$T/truth2.json" >/dev/null
    media_halt "$SIM_PID"
    OTHER_RC=$HALT_RC
fi
check "the same seed gives a byte-identical /_truth" cmp "$T/truth.json" "$T/truth2.json"
check "the same seed gives a byte-identical /_world" cmp "$T/world.json" "$T/world2.json"
if media_sim "$T/sim3.out" --port 0 --seed 12 --today "$TODAY"; then
    fetch /_truth "$T/truth3.json" >/dev/null
    media_halt "$SIM_PID"
    OTHER_RC="${OTHER_RC:-} $HALT_RC"
fi
same "the other simulators stop with status 0 (clean under valgrind)" "${OTHER_RC:-}" "0 0"
same "another seed gives other Instagram, YouTube and Pinterest worlds" \
    "$(jq -n --slurpfile a "$T/truth.json" --slurpfile b "$T/truth3.json" \
        '[$a[0].instagram, $a[0].youtube, $a[0].pinterest] != [$b[0].instagram, $b[0].youtube, $b[0].pinterest]')" true
SIM=$MAIN
SIM_PID=$MAIN_PID

same "/_world names each account the README way" \
    "$(jv "$T/world.json" '[(.instagram.accounts[0] | has("ig_user_id","access_token","client_id","client_secret")),
        (.youtube.accounts[0] | has("channel_id","access_token","refresh_token","client_id","client_secret")),
        (.pinterest.accounts[0] | has("user","ad_account","currency","access_token","refresh_token","client_id","client_secret"))] | all')" true

# ---- Instagram ------------------------------------------------------------------------------

IG=$(jv "$T/world.json" '.instagram.accounts[0].ig_user_id')
IGTOKEN=$(jv "$T/world.json" '.instagram.accounts[0].access_token')
G="/instagram/v24.0"
IG_POSTS=$(jv "$T/truth.json" '.totals.instagram.posts')

fetch "$G/$IG?fields=followers_count,follows_count,media_count&access_token=$IGTOKEN" "$T/iguser.json" >/dev/null
same "Instagram user counters are the truth's snapshots" \
    "$(jv "$T/iguser.json" '[.followers_count, .follows_count, .media_count] | join(",")')" \
    "$(jv "$T/truth.json" --arg u "$IG" '.instagram[$u].snapshots | [.followers, .following, .posts] | join(",")')"

url="$G/$IG/media?fields=id,caption,media_type,media_product_type,timestamp,permalink,like_count,comments_count&limit=50&access_token=$IGTOKEN"
: >"$T/ig_ids"
: >"$T/ig_nolikes"
pages=0
while [ -n "$url" ] && [ $pages -lt 10 ]; do
    [ "$(fetch "$url" "$T/media.json")" = 200 ] || break
    pages=$((pages + 1))
    [ $pages = 1 ] && cp "$T/media.json" "$T/media1.json"
    jv "$T/media.json" '.data[].id' >>"$T/ig_ids"
    jv "$T/media.json" '.data[] | select(has("like_count") | not) | .id' >>"$T/ig_nolikes"
    url=$(jv "$T/media.json" '.paging.next // empty')
done
same "Instagram media: two pages of 50 reach the end" "$pages" 2
same "Instagram media: the media walked are the truth's" "$(sort -u "$T/ig_ids" | tr '\n' ' ')" \
    "$(jv "$T/truth.json" --arg u "$IG" '.instagram[$u].content | keys[]' | sort | tr '\n' ' ')"
same "Instagram media: as many as /_truth totals count" "$(wc -l <"$T/ig_ids" | tr -d ' ')" "$IG_POSTS"
check_grep "Instagram media: paging.next embeds the access token" 'access_token=IGAA' "$T/media1.json"
same "Instagram media: the last page keeps its cursors and has no next" \
    "$(jv "$T/media.json" '(.paging.cursors.after != null) and (.paging.next == null)')" true
same "Instagram media: timestamps end in +0000" \
    "$(jv "$T/media1.json" '[.data[].timestamp | test("^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\\+0000$")] | all')" true
same "Instagram media: like_count is absent exactly where the truth has no likes" \
    "$(sort "$T/ig_nolikes" | tr '\n' ' ')" \
    "$(jv "$T/truth.json" --arg u "$IG" '.instagram[$u].content | to_entries[] | select(.value.metrics | has("likes") | not) | .key' | sort | tr '\n' ' ')"

n2108006=0
nok=0
nbad=0
while read -r m; do
    code=$(fetch "$G/$m/insights?metric=reach,views,shares,saved,total_interactions&access_token=$IGTOKEN" "$T/mi.json")
    if [ "$code" = 400 ] && [ "$(jv "$T/mi.json" '.error | "\(.code)/\(.error_subcode)"')" = 100/2108006 ]; then
        n2108006=$((n2108006 + 1))
    elif [ "$code" = 200 ] && [ "$(jq -r --slurpfile t "$T/truth.json" --arg u "$IG" --arg m "$m" \
        '[.data[] | {reach:"reach",views:"views",shares:"shares",saved:"saves",total_interactions:"engagements"}[.name] as $k
          | (.values[0].value == $t[0].instagram[$u].content[$m].metrics[$k]) and (.values[0] | has("end_time") | not)] | all' \
        <"$T/mi.json")" = true ]; then
        nok=$((nok + 1))
    else
        nbad=$((nbad + 1))
    fi
done <"$T/ig_ids"
same "Instagram media insights: lifetime values equal the truth, 2108006 where the truth has none" \
    "$nok/$n2108006/$nbad" \
    "$(jv "$T/truth.json" --arg u "$IG" '[.instagram[$u].content[] | .metrics | has("reach")] | "\(map(select(.)) | length)/\(map(select(. | not)) | length)/0"')"
same "Instagram media insights: some media predate the business conversion" "$([ $n2108006 -gt 0 ] && echo yes)" yes

SINCE=$(date -u -d "$TODAY - 12 days" +%F)
UNTIL=$(date -u -d "$TODAY + 1 day" +%F)
fetch "$G/$IG/insights?metric=reach,follower_count&period=day&since=$SINCE&until=$UNTIL&access_token=$IGTOKEN" "$T/igins.json" >/dev/null
same "Instagram account insights: each value sits on the Pacific day before end_time" \
    "$(jq -r --slurpfile t "$T/truth.json" --arg u "$IG" '[.data[] | {reach:"reach",follower_count:"followers_gained"}[.name] as $k | .values[]
        | ((.end_time | sub("\\+0000$"; "Z") | fromdateiso8601) - 86400 | strftime("%Y-%m-%d")) as $d
        | .value == $t[0].instagram[$u].metric_daily[$k][$d] and (.end_time | test("T0[78]:00:00\\+0000$"))] | (length > 20) and all' <"$T/igins.json")" true
D=$(date -u -d "$TODAY - 3 days" +%F)
D1=$(date -u -d "$TODAY - 2 days" +%F)
fetch "$G/$IG/insights?metric=views,total_interactions,likes,saves&metric_type=total_value&period=day&since=$D&until=$D1&breakdown=media_product_type&access_token=$IGTOKEN" "$T/igtv.json" >/dev/null
same "Instagram total_value: one day's total equals the truth's metric day" \
    "$(jq -r --slurpfile t "$T/truth.json" --arg u "$IG" --arg d "$D" '[.data[] | {views:"views",total_interactions:"engagements",likes:"likes",saves:"saves"}[.name] as $k
        | .total_value.value == $t[0].instagram[$u].metric_daily[$k][$d]] | (length == 4) and all' <"$T/igtv.json")" true
same "Instagram total_value: breakdown results add up to the total, no values[]" \
    "$(jv "$T/igtv.json" '[.data[] | (.total_value.breakdowns[0].dimension_keys == ["media_product_type"]) and ([.total_value.breakdowns[0].results[].value] | add) == .total_value.value and (has("values") | not)] | all')" true
code=$(fetch "$G/$IG/insights?metric=reach,impressions&period=day&access_token=$IGTOKEN" "$T/igdep.json")
same "Instagram: a retired metric fails the whole call with code 100" "$code $(jv "$T/igdep.json" .error.code)" "400 100"
code=$(fetch "$G/$IG/insights?metric=views&period=day&access_token=$IGTOKEN" "$T/igts.json")
same "Instagram: views only comes as total_value" "$code $(jv "$T/igts.json" .error.code)" "400 100"

add_fault '{"platform":"instagram","kind":"throttle","count":1,"seconds":600}'
code=$(fetch "$G/$IG?access_token=$IGTOKEN" "$T/igf.json")
same "Instagram throttle: error 80002" "$code $(jv "$T/igf.json" .error.code)" "400 80002"
check_grep "Instagram throttle: X-Business-Use-Case-Usage of type instagram says 10 minutes" \
    '"type":"instagram".*"estimated_time_to_regain_access":10' "$T/igf.json.h"
code=$(fetch "/instagram/refresh_access_token?grant_type=ig_refresh_token&access_token=$IGTOKEN" "$T/igtok.json")
IGNEW=$(jv "$T/igtok.json" .access_token)
same "Instagram refresh: a new bearer token for 60 days" \
    "$code $(jv "$T/igtok.json" '"\(.token_type) \(.expires_in)"') $([ "$IGNEW" != "$IGTOKEN" ] && echo new)" "200 bearer 5184000 new"
same "Instagram refresh: the new token works" "$(fetch "$G/$IG?access_token=$IGNEW" "$T/igu2.json")" 200
add_fault '{"platform":"instagram","kind":"expire_token","count":1}'
code=$(fetch "$G/$IG?access_token=$IGNEW" "$T/igexp.json")
same "Instagram expire_token: 190/463" "$code $(jv "$T/igexp.json" '"\(.error.code)/\(.error.error_subcode)"')" "400 190/463"

# ---- YouTube --------------------------------------------------------------------------------

CH=$(jv "$T/world.json" '.youtube.accounts[0].channel_id')
YTTOKEN=$(jv "$T/world.json" '.youtube.accounts[0].access_token')
YTAUTH="Authorization: Bearer $YTTOKEN"
YT_POSTS=$(jv "$T/truth.json" '.totals.youtube.posts')
fetch "/youtube/youtube/v3/channels?part=statistics,contentDetails&id=$CH" "$T/ch.json" -H "$YTAUTH" >/dev/null
same "YouTube channel statistics are strings, hiddenSubscriberCount a bool" \
    "$(jv "$T/ch.json" '.items[0].statistics | [(.viewCount, .subscriberCount, .videoCount | type), (.hiddenSubscriberCount | type)] | join(",")')" \
    "string,string,string,boolean"
same "YouTube channel statistics are the truth's snapshots" \
    "$(jv "$T/ch.json" '.items[0].statistics | [.viewCount, .videoCount, .subscriberCount] | join(",")')" \
    "$(jv "$T/truth.json" --arg c "$CH" '.youtube[$c].snapshots | [.views, .posts, .followers] | join(",")')"
same "YouTube subscriberCount has three significant figures" \
    "$(jv "$T/ch.json" '.items[0].statistics.subscriberCount | test("^[1-9][0-9]{0,2}0*$")')" true
UU=$(jv "$T/ch.json" '.items[0].contentDetails.relatedPlaylists.uploads')
same "YouTube uploads playlist is UU + the channel id's rest" "$UU" "UU${CH#UC}"
fetch "/youtube/youtube/v3/channels?part=statistics&id=UCxxxxxxxxxxxxxxxxxxxxxx" "$T/ch0.json" -H "$YTAUTH" >/dev/null
same "YouTube channels: no match has no items member" "$(jv "$T/ch0.json" '(has("items") | not) and .pageInfo.totalResults == 0')" true

: >"$T/yt_ids"
tok=""
pages=0
while [ $pages -lt 10 ]; do
    q="part=contentDetails&playlistId=$UU&maxResults=20"
    [ -n "$tok" ] && q="$q&pageToken=$tok"
    [ "$(fetch "/youtube/youtube/v3/playlistItems?$q" "$T/pl.json" -H "$YTAUTH")" = 200 ] || break
    pages=$((pages + 1))
    ids=$(jv "$T/pl.json" '[.items[].contentDetails.videoId] | join(",")')
    jv "$T/pl.json" '.items[].contentDetails.videoId' >>"$T/yt_ids"
    fetch "/youtube/youtube/v3/videos?part=statistics,snippet&id=$ids" "$T/vid$pages.json" -H "$YTAUTH" >/dev/null
    tok=$(jv "$T/pl.json" '.nextPageToken // empty')
    [ -n "$tok" ] || break
done
same "YouTube uploads: two pages of 20, nextPageToken absent on the last" "$pages" 2
same "YouTube uploads: the videos walked are the truth's" "$(sort "$T/yt_ids" | tr '\n' ' ')" \
    "$(jv "$T/truth.json" --arg c "$CH" '.youtube[$c].content | keys[]' | sort | tr '\n' ' ')"
same "YouTube uploads: as many as /_truth totals count" "$(wc -l <"$T/yt_ids" | tr -d ' ')" "$YT_POSTS"
same "YouTube videos: counts are strings equal to the truth, absent where the truth has none" \
    "$(jq -rs --slurpfile t "$T/truth.json" --arg c "$CH" '[.[].items[] | .id as $id | $t[0].youtube[$c].content[$id].metrics as $m
        | (.statistics.viewCount == ($m.views | tostring)) and (.statistics.likeCount == ($m.likes | if . == null then null else tostring end))
          and (.statistics.commentCount == ($m.comments | if . == null then null else tostring end))] | (length > 20) and all' "$T"/vid*.json)" true
same "YouTube videos: some hide their like or comment count" \
    "$(jq -rs '[.[].items[].statistics | select((has("likeCount") and has("commentCount")) | not)] | length > 0' "$T"/vid*.json)" true

START=$(date -u -d "$TODAY - 40 days" +%F)
M="views,estimatedMinutesWatched,likes,comments,shares,subscribersGained,subscribersLost"
fetch "/youtube/analytics/v2/reports?ids=channel==MINE&startDate=$START&endDate=$TODAY&metrics=$M&dimensions=day&sort=day" "$T/yta.json" -H "$YTAUTH" >/dev/null
same "YouTube Analytics: the metric columns are not in the order asked" \
    "$(jv "$T/yta.json" '[.columnHeaders[1:][].name] | join(",")' | grep -vx "$M" | grep -c .)" 1
same "YouTube Analytics: read by header, every row equals the truth's Pacific day" \
    "$(jq -r --slurpfile t "$T/truth.json" --arg c "$CH" '[.columnHeaders[].name] as $h | [.rows[] as $r | range(1; $h | length) as $i
        | {views:"views",estimatedMinutesWatched:"watch_time_seconds",likes:"likes",comments:"comments",shares:"shares",
           subscribersGained:"followers_gained",subscribersLost:"followers_lost"}[$h[$i]] as $k
        | (if $k == "watch_time_seconds" then $r[$i] * 60 else $r[$i] end) == $t[0].youtube[$c].metric_daily[$k][$r[0]]]
        | (length == ($t[0].totals.youtube.metric_days)) and all' <"$T/yta.json")" true
FUT=$(date -u -d "$TODAY + 10 days" +%F)
fetch "/youtube/analytics/v2/reports?ids=channel==MINE&startDate=$TODAY&endDate=$FUT&metrics=views&dimensions=day" "$T/yte.json" -H "$YTAUTH" >/dev/null
same "YouTube Analytics: a window without data has no rows member" "$(jv "$T/yte.json" '(has("rows") | not) and (.columnHeaders | length) == 2')" true

add_fault '{"platform":"youtube","kind":"throttle","count":1,"path":"/youtube/v3/"}'
code=$(fetch "/youtube/youtube/v3/channels?part=statistics&id=$CH" "$T/ytq.json" -H "$YTAUTH")
same "YouTube throttle: 403 quotaExceeded in Google's error body" \
    "$code $(jv "$T/ytq.json" '.error | "\(.code) \(.errors[0].domain) \(.errors[0].reason) \(.status)"')" \
    "403 403 youtube.quota quotaExceeded PERMISSION_DENIED"
add_fault '{"platform":"youtube","kind":"throttle","count":1,"seconds":5,"path":"/analytics/"}'
code=$(fetch "/youtube/analytics/v2/reports?ids=channel==MINE&startDate=$START&endDate=$TODAY&metrics=views" "$T/ytr.json" -H "$YTAUTH")
same "YouTube Analytics short throttle: 429 RESOURCE_EXHAUSTED" "$code $(jv "$T/ytr.json" .error.status)" "429 RESOURCE_EXHAUSTED"
code=$(fetch "/youtube/youtube/v3/channels?part=statistics&id=$CH" "$T/yt401.json" -H "Authorization: Bearer ya29.nope")
same "YouTube: a bad token is 401 authError" "$code $(jv "$T/yt401.json" '.error.errors[0].reason')" "401 authError"

YTRT=$(jv "$T/world.json" '.youtube.accounts[0].refresh_token')
YTCID=$(jv "$T/world.json" '.youtube.accounts[0].client_id')
YTCS=$(jv "$T/world.json" '.youtube.accounts[0].client_secret')
code=$(fetch /youtube/token "$T/ytt.json" -X POST --data-urlencode grant_type=refresh_token \
    --data-urlencode "client_id=$YTCID" --data-urlencode "client_secret=$YTCS" --data-urlencode "refresh_token=$YTRT")
same "YouTube refresh: 3599 s Bearer token and no new refresh token" \
    "$code $(jv "$T/ytt.json" '"\(.token_type) \(.expires_in) \(has("refresh_token"))"')" "200 Bearer 3599 false"
same "YouTube refresh: the new token works" \
    "$(fetch "/youtube/youtube/v3/channels?part=statistics&id=$CH" "$T/ch2.json" -H "Authorization: Bearer $(jv "$T/ytt.json" .access_token)")" 200
add_fault '{"platform":"youtube","kind":"revoke_token","count":1}'
fetch "/youtube/youtube/v3/channels?part=statistics&id=$CH" "$T/ch3.json" -H "$YTAUTH" >/dev/null
code=$(fetch /youtube/token "$T/ytt2.json" -X POST --data-urlencode grant_type=refresh_token \
    --data-urlencode "client_id=$YTCID" --data-urlencode "client_secret=$YTCS" --data-urlencode "refresh_token=$YTRT")
same "YouTube revoke_token: the refresh token gets invalid_grant" \
    "$code $(jv "$T/ytt2.json" '"\(.error): \(.error_description)"')" "400 invalid_grant: Token has been expired or revoked."

# ---- Pinterest ------------------------------------------------------------------------------

PU=$(jv "$T/world.json" '.pinterest.accounts[0].user')
ACT=$(jv "$T/world.json" '.pinterest.accounts[0].ad_account')
PTOKEN=$(jv "$T/world.json" '.pinterest.accounts[0].access_token')
PAUTH="Authorization: Bearer $PTOKEN"
same "Pinterest's ad account is not in USD" "$(jv "$T/world.json" '.pinterest.accounts[0].currency')" EUR

fetch /pinterest/v5/user_account "$T/pua.json" -H "$PAUTH" >/dev/null
same "Pinterest user_account counters are the truth's snapshots" \
    "$(jv "$T/pua.json" '[.follower_count, .following_count, .pin_count] | join(",")')" \
    "$(jv "$T/truth.json" --arg u "$PU" '.pinterest[$u].snapshots | [.followers, .following, .posts] | join(",")')"

: >"$T/pin_camps"
bm=""
pages=0
while [ $pages -lt 10 ]; do
    q="page_size=2"
    [ -n "$bm" ] && q="$q&bookmark=$bm"
    [ "$(fetch "/pinterest/v5/ad_accounts/$ACT/campaigns?$q" "$T/pc.json" -H "$PAUTH")" = 200 ] || break
    pages=$((pages + 1))
    jv "$T/pc.json" '.items[].id' >>"$T/pin_camps"
    bm=$(jv "$T/pc.json" '.bookmark // empty')
    [ -n "$bm" ] || break
done
same "Pinterest campaigns: bookmark paging ends with bookmark null" "$(jv "$T/pc.json" '.bookmark')" null
same "Pinterest campaigns: the campaigns listed are the truth's" "$(sort "$T/pin_camps" | tr '\n' ' ')" \
    "$(jv "$T/truth.json" --arg u "$PU" '.pinterest[$u].campaigns | keys[]' | sort | tr '\n' ' ')"

IDS=$(paste -sd, "$T/pin_camps")
PSTART=$(date -u -d "$TODAY - 60 days" +%F)
COLS=SPEND_IN_MICRO_DOLLAR,TOTAL_IMPRESSION,TOTAL_CLICKTHROUGH,TOTAL_CONVERSIONS,TOTAL_CONVERSIONS_VALUE_IN_MICRO_DOLLAR,LEADS
fetch "/pinterest/v5/ad_accounts/$ACT/campaigns/analytics?start_date=$PSTART&end_date=$TODAY&campaign_ids=$IDS&columns=$COLS&granularity=DAY" "$T/pa.json" -H "$PAUTH" >/dev/null
same "Pinterest ads analytics: a bare array with one row per ad day" \
    "$(jv "$T/pa.json" '"\(type) \(length)"')" "array $(jv "$T/truth.json" .totals.pinterest.ad_days)"
same "Pinterest ads analytics: integer micro spend adds up to the truth's spend_micros" \
    "$(jv "$T/pa.json" '[.[].SPEND_IN_MICRO_DOLLAR] | add')" "$(jv "$T/truth.json" .totals.pinterest.spend_micros)"
same "Pinterest ads analytics: rows equal the truth's ad days (absent columns are 0)" \
    "$(jq -r --slurpfile t "$T/truth.json" --arg u "$PU" '[.[] | $t[0].pinterest[$u].campaigns[.CAMPAIGN_ID].days[.DATE] as $d
        | ($d != null) and .SPEND_IN_MICRO_DOLLAR == $d.spend_micros and .TOTAL_IMPRESSION == $d.impressions
          and .TOTAL_CLICKTHROUGH == $d.clicks and (.TOTAL_CONVERSIONS // 0) == $d.conversions
          and (.TOTAL_CONVERSIONS_VALUE_IN_MICRO_DOLLAR // 0) == $d.conversion_value_micros and (.LEADS // 0) == $d.leads] | all' <"$T/pa.json")" true
same "Pinterest ads analytics: ids are strings, spend an integer" \
    "$(jv "$T/pa.json" '[.[] | (.CAMPAIGN_ID | type) == "string" and (.AD_ACCOUNT_ID | type) == "string" and (.SPEND_IN_MICRO_DOLLAR | tostring | test("^[0-9]+$"))] | all')" true
check_grep "Pinterest ads analytics: some counts are written like 1000.0" '"TOTAL_IMPRESSION":[0-9]+\.0[,}]' "$T/pa.json"
same "Pinterest ads analytics: LEADS is left out of some rows" "$(jv "$T/pa.json" '[.[] | select(has("LEADS") | not)] | length > 0')" true
OLD=$(date -u -d "$TODAY - 100 days" +%F)
code=$(fetch "/pinterest/v5/ad_accounts/$ACT/campaigns/analytics?start_date=$OLD&end_date=$TODAY&campaign_ids=$IDS&columns=$COLS&granularity=DAY" "$T/pa90.json" -H "$PAUTH")
same "Pinterest ads analytics: more than 90 days is a 400 whose code is not the status" \
    "$code $(jv "$T/pa90.json" '.code != 400')" "400 true"

USTART=$(date -u -d "$TODAY - 25 days" +%F)
YESTERDAY=$(date -u -d "$TODAY - 1 day" +%F)
UQ="start_date=$USTART&end_date=$TODAY&metric_types=IMPRESSION,SAVE,PIN_CLICK,OUTBOUND_CLICK,ENGAGEMENT&content_type=ORGANIC"
fetch "/pinterest/v5/user_account/analytics?$UQ" "$T/pu.json" -H "$PAUTH" >/dev/null
same "Pinterest user analytics: READY days equal the truth's metric days" \
    "$(jq -r --slurpfile t "$T/truth.json" --arg u "$PU" '[.all.daily_metrics[] | select(.data_status == "READY") | .date as $d | .metrics
        | .IMPRESSION == $t[0].pinterest[$u].metric_daily.impressions[$d] and .SAVE == $t[0].pinterest[$u].metric_daily.saves[$d]
          and .PIN_CLICK == $t[0].pinterest[$u].metric_daily.clicks[$d] and .OUTBOUND_CLICK == $t[0].pinterest[$u].metric_daily.link_clicks[$d]
          and .ENGAGEMENT == $t[0].pinterest[$u].metric_daily.engagements[$d]] | (length * 5 == $t[0].totals.pinterest.metric_days) and all' <"$T/pu.json")" true
same "Pinterest user analytics: yesterday is still PROCESSING" \
    "$(jv "$T/pu.json" --arg d "$YESTERDAY" '.all.daily_metrics[] | select(.date == $d) | .data_status')" PROCESSING

PRT=$(jv "$T/world.json" '.pinterest.accounts[0].refresh_token')
PCID=$(jv "$T/world.json" '.pinterest.accounts[0].client_id')
PCS=$(jv "$T/world.json" '.pinterest.accounts[0].client_secret')
code=$(fetch /pinterest/v5/oauth/token "$T/pt.json" -X POST -u "$PCID:$PCS" \
    -d "grant_type=refresh_token&refresh_token=$PRT&continuous_refresh=true")
PNEWRT=$(jv "$T/pt.json" .refresh_token)
same "Pinterest refresh: a new access token and a NEW refresh token" \
    "$code $([ "$PNEWRT" != "$PRT" ] && [ -n "$PNEWRT" ] && echo rotated)" "200 rotated"
code=$(fetch /pinterest/v5/oauth/token "$T/pt2.json" -X POST -u "$PCID:$PCS" \
    -d "grant_type=refresh_token&refresh_token=$PRT&continuous_refresh=true")
same "Pinterest refresh: the old refresh token stops working" "$code" 400
code=$(fetch /pinterest/v5/oauth/token "$T/pt3.json" -X POST -u "$PCID:$PCS" \
    -d "grant_type=refresh_token&refresh_token=$PNEWRT&continuous_refresh=true")
same "Pinterest refresh: the new refresh token works" "$code" 200
PAUTH="Authorization: Bearer $(jv "$T/pt3.json" .access_token)"
same "Pinterest refresh: the newest access token works" "$(fetch /pinterest/v5/user_account "$T/pua2.json" -H "$PAUTH")" 200
code=$(fetch /pinterest/v5/user_account "$T/p401.json" -H "Authorization: Bearer pina_nope")
same "Pinterest: a bad token is 401 with code 2" "$code $(jv "$T/p401.json" .code)" "401 2"
add_fault '{"platform":"pinterest","kind":"throttle","count":1}'
code=$(fetch /pinterest/v5/user_account "$T/p429.json" -H "$PAUTH")
same "Pinterest throttle: 429 with code 8" "$code $(jv "$T/p429.json" .code)" "429 8"

# ---- /_advance ------------------------------------------------------------------------------

curl -s -m 10 -X POST -o /dev/null "$SIM/_advance"
fetch /_truth "$T/truth_a.json" >/dev/null
OLDDAY=$(date -u -d "$TODAY - 6 days" +%F)
same "/_advance restates the last two YouTube days and leaves older ones" \
    "$(jq -n --slurpfile a "$T/truth.json" --slurpfile b "$T/truth_a.json" --arg c "$CH" --arg y "$YESTERDAY" --arg o "$OLDDAY" \
        '($a[0].youtube[$c].metric_daily.views[$y] < $b[0].youtube[$c].metric_daily.views[$y]) and ($a[0].youtube[$c].metric_daily.views[$o] == $b[0].youtube[$c].metric_daily.views[$o])')" true
same "/_advance makes Pinterest's latest day READY" \
    "$(jq -n --slurpfile b "$T/truth_a.json" --arg u "$PU" --arg y "$YESTERDAY" '$b[0].pinterest[$u].metric_daily.impressions | has($y)')" true
same "/_advance restates some Pinterest conversions" \
    "$(jq -n --slurpfile a "$T/truth.json" --slurpfile b "$T/truth_a.json" --arg u "$PU" \
        '[$a[0].pinterest[$u].campaigns | to_entries[] | .key as $c | .value.days | to_entries[] | .value.conversions != $b[0].pinterest[$u].campaigns[$c].days[.key].conversions] | any')" true
same "/_advance adds an Instagram medium and a YouTube video" \
    "$(jq -n --slurpfile a "$T/truth.json" --slurpfile b "$T/truth_a.json" '($b[0].totals.instagram.posts == $a[0].totals.instagram.posts + 1) and ($b[0].totals.youtube.posts == $a[0].totals.youtube.posts + 1)')" true

# ---- stop -----------------------------------------------------------------------------------

media_halt "$MAIN_PID"
same "SIGTERM stops the simulator with status 0" "$HALT_RC" 0
done_testing
