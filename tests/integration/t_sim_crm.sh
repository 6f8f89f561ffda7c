# t_sim_crm.sh - socialroi-sim's LinkedIn, HubSpot and people on their own (tests/sim/README.md):
# determinism, LinkedIn's required headers and Rest.li refusals, paging to the end against
# /_truth totals (campaigns, ad analytics in field chunks, lead responses), exact cost strings,
# tokens and the bare 429; HubSpot's search to the end, string properties, the 10,000-result
# refusal, the secondly limit, pipelines and associations, the list endpoints (id order, limit 100,
# associations) and the ten-second window; the links between people (paid
# contacts carry a business campaign's utm_campaign, form e-mails are contact e-mails) and
# /_advance moving deals and restating LinkedIn's last days. JSON is read with jq.
# shellcheck disable=SC2016 # $names inside single quotes are jq variables
. tests/integration/lib.sh

T="$TEST_DIR"

# ---- helpers --------------------------------------------------------------------------------

# crm_sim OUT [ARGS...]: starts a simulator writing to OUT; sets SIM_PID and SIM (base URL).
crm_sim() {
    out=$1
    shift
    # shellcheck disable=SC2086
    $SR_WRAP "$B/socialroi-sim" "$@" >"$out" 2>>"$T/sim.log" &
    SIM_PID=$!
    register_pid "$SIM_PID"
    wait_for 60 grep -q 'listening port=' "$out" || return 1
    SIM="http://127.0.0.1:$(sed -n 's/^socialroi-sim: listening port=\([0-9]*\)$/\1/p' "$out")"
}

# crm_halt PID: SIGTERM, wait; sets HALT_RC.
crm_halt() {
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

# li PATH OUT [CURL ARGS...]: a LinkedIn /rest call with the token and both headers.
li() {
    p=$1
    o=$2
    shift 2
    fetch "/linkedin/rest$p" "$o" -H "Authorization: Bearer $LTOKEN" -H "LinkedIn-Version: 202610" \
        -H "X-Restli-Protocol-Version: 2.0.0" "$@"
}

# hs_search OBJECT BODY OUT: a HubSpot search, paced under its five requests per second.
hs_search() {
    sleep 0.25
    fetch "/hubspot/crm/v3/objects/$1/search" "$3" -X POST -H "Authorization: Bearer $HTOKEN" \
        -H 'Content-Type: application/json' -d "$2"
}

# ---- start, determinism ---------------------------------------------------------------------

if crm_sim "$T/sim.out" --port 0 --seed 5 --crm-contacts 300; then
    ok "the simulator starts with --crm-contacts"
else
    not_ok "the simulator starts with --crm-contacts" "$(cat "$T/sim.out" "$T/sim.log")"
    done_testing
    exit 1
fi
MAIN_PID=$SIM_PID
MAIN=$SIM
fetch /_world "$T/world.json" >/dev/null
fetch /_truth "$T/truth.json" >/dev/null
TODAY=$(jv "$T/world.json" .today)
if crm_sim "$T/sim2.out" --port 0 --seed 5 --crm-contacts 300 --today "$TODAY"; then
    fetch /_world "$T/world2.json" >/dev/null
    fetch /_truth "$T/truth2.json" >/dev/null
    crm_halt "$SIM_PID"
fi
check "the same seed gives a byte-identical /_truth (people, LinkedIn, HubSpot)" \
    cmp "$T/truth.json" "$T/truth2.json"
check "the same seed gives a byte-identical /_world (campaigns included)" \
    cmp "$T/world.json" "$T/world2.json"
SIM=$MAIN
SIM_PID=$MAIN_PID

ORG=$(jv "$T/world.json" '.linkedin.accounts[0].organization')
LACC=$(jv "$T/world.json" '.linkedin.accounts[0].ad_account')
LTOKEN=$(jv "$T/world.json" '.linkedin.accounts[0].access_token')
PORTAL=$(jv "$T/world.json" '.hubspot.accounts[0].portal_id')
HTOKEN=$(jv "$T/world.json" '.hubspot.accounts[0].access_token')
LT=".linkedin[\"$ORG\"]"
HT=".hubspot[\"$PORTAL\"]"

# ---- business campaigns ---------------------------------------------------------------------

same "/_world has 3 or 4 business campaigns with title, dates, budget, utm and spend" \
    "$(jv "$T/world.json" '[.campaigns[] | select(.title and .start and .end and (.budget | test("^[0-9]+\\.00 USD$")) and (.utm_campaign | length > 0) and (.spend | length > 0))] | length | . >= 3 and . <= 4')" true
same "business campaigns cover the world's days" \
    "$(jv "$T/world.json" --arg t "$TODAY" '[.campaigns[] | .start <= ($t | strptime("%Y-%m-%d") | mktime - 20 * 86400 | strftime("%Y-%m-%d")) and .end >= $t] | all')" true
same "spend lines use the config's syntax (over, monthly, on)" \
    "$(jv "$T/world.json" '[.campaigns[].spend[] | test("^[0-9]+\\.[0-9]{2} [A-Z]{3} ((over|monthly) [0-9-]{10}\\.\\.[0-9-]{10}|on [0-9-]{10})$")] | all')" true
same "links name every ad campaign of facebook and linkedin once (campaign i -> business i mod n)" \
    "$(jv "$T/world.json" '. as $w | [.campaigns[].links[] | select(startswith("facebook:") or startswith("linkedin:"))] | sort == ([$w.facebook.accounts[0].campaigns[] | "facebook:" + .] + [$w.linkedin.accounts[0].campaigns[] | "linkedin:" + .] | sort)')" true

# ---- LinkedIn: headers, Rest.li, errors ------------------------------------------------------

RANGE="dateRange=(start:(year:2000,month:1,day:1))"
ACCS="accounts=List(urn%3Ali%3AsponsoredAccount%3A$LACC)"
AQ="/adAnalytics?q=analytics&pivot=CAMPAIGN&timeGranularity=DAILY&$RANGE&$ACCS"
same "LinkedIn without LinkedIn-Version: 400 VERSION_MISSING" \
    "$(fetch "/linkedin/rest$AQ" "$T/l.json" -H "Authorization: Bearer $LTOKEN" -H "X-Restli-Protocol-Version: 2.0.0") $(jv "$T/l.json" .code)" \
    "400 VERSION_MISSING"
same "LinkedIn with a sunset version: 426 NONEXISTENT_VERSION naming it" \
    "$(fetch "/linkedin/rest$AQ" "$T/l.json" -H "Authorization: Bearer $LTOKEN" -H "LinkedIn-Version: 202301" -H "X-Restli-Protocol-Version: 2.0.0") $(jv "$T/l.json" .message)" \
    "426 Requested version 20230101 is not active"
same "LinkedIn without X-Restli-Protocol-Version: 400" \
    "$(fetch "/linkedin/rest$AQ" "$T/l.json" -H "Authorization: Bearer $LTOKEN" -H "LinkedIn-Version: 202610")" 400
same "LinkedIn: an encoded syntax character in dateRange is a 400" \
    "$(li "/adAnalytics?q=analytics&pivot=CAMPAIGN&timeGranularity=DAILY&dateRange=%28start%3A%28year%3A2000%2Cmonth%3A1%2Cday%3A1%29%29&$ACCS" "$T/l.json")" 400
same "LinkedIn: an unencoded URN inside List(...) is a 400" \
    "$(li "/adAnalytics?q=analytics&pivot=CAMPAIGN&timeGranularity=DAILY&$RANGE&accounts=List(urn:li:sponsoredAccount:$LACC)" "$T/l.json")" 400
F20="dateRange,pivotValues,impressions,clicks,landingPageClicks,costInLocalCurrency,costInUsd,oneClickLeads,oneClickLeadFormOpens,externalWebsiteConversions,conversionValueInLocalCurrency,likes,comments,shares,follows,videoViews,videoStarts,videoCompletions,approximateMemberReach,reactions"
same "LinkedIn adAnalytics: 20 fields are fine" "$(li "$AQ&fields=$F20" "$T/l.json")" 200
same "LinkedIn adAnalytics: 21 fields are a 400" "$(li "$AQ&fields=$F20,sends" "$T/l.json")" 400
same "LinkedIn: a bad token is 401 INVALID_ACCESS_TOKEN (65600)" \
    "$(fetch "/linkedin/rest$AQ" "$T/l.json" -H "Authorization: Bearer nope" -H "LinkedIn-Version: 202610" -H "X-Restli-Protocol-Version: 2.0.0") $(jv "$T/l.json" '"\(.status) \(.serviceErrorCode) \(.code) \(.message)"')" \
    "401 401 65600 INVALID_ACCESS_TOKEN Invalid access token"
same "LinkedIn: another account's analytics are 403 with message and status" \
    "$(li "/adAnalytics?q=analytics&pivot=CAMPAIGN&timeGranularity=DAILY&$RANGE&accounts=List(urn%3Ali%3AsponsoredAccount%3A1)" "$T/l.json") $(jv "$T/l.json" '(.message | length > 0) and .status == 403')" \
    "403 true"

# ---- LinkedIn: paging to the end against the truth -------------------------------------------

: >"$T/li_camps"
tok=""
pages=0
while [ $pages -lt 10 ]; do
    q="/adAccounts/$LACC/adCampaigns?q=search&pageSize=2"
    [ -n "$tok" ] && q="$q&pageToken=$(jq -rn --arg t "$tok" '$t | @uri')"
    [ "$(li "$q" "$T/camps.json")" = 200 ] || break
    pages=$((pages + 1))
    jv "$T/camps.json" '.elements[].id' >>"$T/li_camps"
    tok=$(jv "$T/camps.json" '.metadata.nextPageToken // ""')
    [ -n "$tok" ] || break
done
same "LinkedIn campaigns: pageToken paging of 2 reaches the end in 3 pages" "$pages" 3
same "LinkedIn campaigns: the ids walked are the truth's campaigns" \
    "$(sort "$T/li_camps" | tr '\n' ' ')" "$(jv "$T/truth.json" "$LT.campaigns | keys | sort | join(\" \")") "
li "$AQ&fields=dateRange,pivotValues,impressions,clicks,costInLocalCurrency,oneClickLeads,externalWebsiteConversions,conversionValueInLocalCurrency" "$T/ads1.json" >/dev/null
li "$AQ&fields=dateRange,pivotValues,likes,comments,shares,follows,videoViews,landingPageClicks" "$T/ads2.json" >/dev/null
same "LinkedIn adAnalytics: one element per ad day in each field chunk" \
    "$(jv "$T/ads1.json" '.elements | length') $(jv "$T/ads2.json" '.elements | length')" \
    "$(jv "$T/truth.json" '.totals.linkedin.ad_days') $(jv "$T/truth.json" '.totals.linkedin.ad_days')"
same "LinkedIn adAnalytics: counts are ints, costs decimal strings, dateRange start == end" \
    "$(jv "$T/ads1.json" '[.elements[] | (.impressions | type) == "number" and (.costInLocalCurrency | type) == "string" and .dateRange.start == .dateRange.end] | all')" true
same "LinkedIn adAnalytics: some costs in exponent notation, one tiny negative" \
    "$(jv "$T/ads1.json" '[.elements[].costInLocalCurrency | select(test("E\\+"))] | length > 0') $(jv "$T/ads1.json" '[.elements[].costInLocalCurrency | select(. == "-2E-18")] | length > 0')" \
    "true true"
jv "$T/ads1.json" '.elements[].costInLocalCurrency' >"$T/costs"
same "LinkedIn adAnalytics: the cost strings add up to the truth's spend_micros" \
    "$(awk '{v = $1 * 1000000; if (v < 0.5 && v > -0.5) v = 0; s += sprintf("%.0f", v)} END {printf "%.0f", s}' "$T/costs")" \
    "$(jv "$T/truth.json" '.totals.linkedin.spend_micros')"
same "LinkedIn adAnalytics: oneClickLeads per campaign and day match the truth's leads" \
    "$(jq -r -n --slurpfile a "$T/ads1.json" --slurpfile t "$T/truth.json" --arg org "$ORG" '[$a[0].elements[] | (.pivotValues[0] | split(":") | last) as $c | (.dateRange.start | "\(.year)-\(.month | tostring | if length < 2 then "0" + . else . end)-\(.day | tostring | if length < 2 then "0" + . else . end)") as $d | .oneClickLeads == $t[0].linkedin[$org].campaigns[$c].days[$d].leads] | all')" true

: >"$T/li_leads"
start=0
while [ $start -lt 1000 ]; do
    li "/leadFormResponses?q=owner&owner=(sponsoredAccount:urn%3Ali%3AsponsoredAccount%3A$LACC)&leadType=(leadType:SPONSORED)&limitedToTestLeads=false&start=$start&count=10" "$T/leads.json" >/dev/null || break
    jv "$T/leads.json" '.elements[] | "\(.id) \(.testLead) \(.formResponse.answers[] | .answerDetails.textQuestionAnswer.answer // empty | select(test("@")))"' >>"$T/li_leads"
    n=$(jv "$T/leads.json" '.elements | length')
    total=$(jv "$T/leads.json" '.paging.total')
    start=$((start + 10))
    [ "$n" -eq 10 ] && [ $start -lt "$total" ] || break
done
same "LinkedIn leads: start/count paging gives paging.total answers" "$(wc -l <"$T/li_leads")" "$total"
same "LinkedIn leads: real answers are the truth's leads, test leads are mixed in" \
    "$(grep -c ' false ' "$T/li_leads") $(grep -c ' true ' "$T/li_leads")" \
    "$(jv "$T/truth.json" '.totals.linkedin | "\(.leads) \(.test_leads)"')"
MS=$(jv "$T/world.json" '(.today | strptime("%Y-%m-%d") | mktime) * 1000 - 20 * 86400000')
li "/organizationalEntityFollowerStatistics?q=organizationalEntity&organizationalEntity=urn%3Ali%3Aorganization%3A$ORG&timeIntervals=(timeRange:(start:$MS,end:$((MS + 20 * 86400000))),timeGranularityType:DAY)" "$T/fol.json" >/dev/null
same "LinkedIn follower statistics: one element per UTC day, gains equal the truth" \
    "$(jq -r -n --slurpfile a "$T/fol.json" --slurpfile t "$T/truth.json" --arg org "$ORG" '[$a[0].elements[] | (.timeRange.start / 1000 | strftime("%Y-%m-%d")) as $d | .followerGains.organicFollowerGain + .followerGains.paidFollowerGain == $t[0].linkedin[$org].metric_daily.followers_gained[$d]] | "\(length) \(all)"')" \
    "20 true"
li "/networkSizes/urn%3Ali%3Aorganization%3A$ORG?edgeType=COMPANY_FOLLOWED_BY_MEMBER" "$T/net.json" >/dev/null
same "LinkedIn networkSizes: firstDegreeSize is the truth's followers" \
    "$(jv "$T/net.json" .firstDegreeSize)" "$(jv "$T/truth.json" "$LT.snapshots.followers")"

# ---- LinkedIn: throttle and tokens -----------------------------------------------------------

add_fault '{"platform":"linkedin","kind":"throttle","count":1}'
same "LinkedIn throttle: a 429 without Retry-After" \
    "$(li "$AQ" "$T/l.json") $(grep -ci '^retry-after' "$T/l.json.h")" "429 0"
add_fault '{"platform":"linkedin","kind":"expire_token","count":1}'
same "LinkedIn expire_token: 401 EXPIRED_ACCESS_TOKEN" "$(li "$AQ" "$T/l.json") $(jv "$T/l.json" .code)" \
    "401 EXPIRED_ACCESS_TOKEN"
code=$(fetch /linkedin/oauth/v2/accessToken "$T/tok.json" -X POST \
    -d "grant_type=refresh_token&refresh_token=$(jv "$T/world.json" '.linkedin.accounts[0].refresh_token')" \
    -d "client_id=$(jv "$T/world.json" '.linkedin.accounts[0].client_id')" \
    -d "client_secret=$(jv "$T/world.json" '.linkedin.accounts[0].client_secret')")
same "LinkedIn refresh: access_token, expires_in 5184000, refresh_token and its expiry" \
    "$code $(jv "$T/tok.json" '"\(.expires_in) \(.refresh_token | length > 0) \(.refresh_token_expires_in > 0)"')" \
    "200 5184000 true true"
LTOKEN=$(jv "$T/tok.json" .access_token)
same "LinkedIn refresh: the new token works" "$(li "$AQ" "$T/l.json")" 200

# ---- HubSpot: search to the end, properties, window, pacing -----------------------------------

: >"$T/hs_contacts"
after=0
pages=0
while [ $pages -lt 10 ]; do
    hs_search contacts "{\"filterGroups\":[{\"filters\":[{\"propertyName\":\"lastmodifieddate\",\"operator\":\"GTE\",\"value\":\"0\"}]}],\"sorts\":[{\"propertyName\":\"lastmodifieddate\",\"direction\":\"ASCENDING\"}],\"properties\":[\"email\",\"hs_analytics_source\",\"hs_analytics_source_data_1\",\"utm_campaign\",\"lifecyclestage\"],\"limit\":200,\"after\":\"$after\"}" "$T/c.json" >/dev/null
    pages=$((pages + 1))
    [ $pages = 1 ] && cp "$T/c.json" "$T/c1.json"
    jv "$T/c.json" '.results[] | [.id, .properties.email // "-", .properties.hs_analytics_source, .properties.hs_analytics_source_data_1 // "-", .properties.utm_campaign // "-"] | @tsv' >>"$T/hs_contacts"
    after=$(jv "$T/c.json" '.paging.next.after // ""')
    [ -n "$after" ] || break
done
same "HubSpot contacts: limit 200 pages to the end (paging absent on the last page)" \
    "$pages $(wc -l <"$T/hs_contacts")" "2 $(jv "$T/truth.json" '.totals.hubspot.contacts')"
same "HubSpot contacts: --crm-contacts sets their number" "$(jv "$T/truth.json" '.totals.hubspot.contacts')" 300
same "HubSpot contacts: the ids walked are the truth's" \
    "$(cut -f1 "$T/hs_contacts" | sort | md5sum)" "$(jv "$T/truth.json" "$HT.contacts | keys[]" | sort | md5sum)"
same "HubSpot contacts: every property is a string or null; asked ones and the defaults only" \
    "$(jv "$T/c1.json" '[.results[] | (.properties | [.[] | type] | all(. == "string" or . == "null")) and (.properties | keys == ["createdate","email","hs_analytics_source","hs_analytics_source_data_1","hs_object_id","lastmodifieddate","lifecyclestage","utm_campaign"])] | all')" true
same "HubSpot contacts: results sorted by lastmodifieddate, ms timestamps" \
    "$(jv "$T/c1.json" '[.results[].properties.lastmodifieddate] | (. == sort) and all(test("\\.[0-9]{3}Z$"))')" true
same "HubSpot: contacts have no hs_lastmodifieddate (a filter on it matches nothing)" \
    "$(hs_search contacts '{"filterGroups":[{"filters":[{"propertyName":"hs_lastmodifieddate","operator":"GTE","value":"0"}]}]}' "$T/x.json") $(jv "$T/x.json" .total)" \
    "200 0"
same "HubSpot: limit above 200 is a 400 VALIDATION_ERROR" \
    "$(hs_search contacts '{"limit":201}' "$T/x.json") $(jv "$T/x.json" .category)" "400 VALIDATION_ERROR"
same "HubSpot: a bad token is 401" "$(fetch /hubspot/crm/v3/pipelines/deals "$T/x.json" -H 'Authorization: Bearer pat-na1-nope')" 401
sleep 1.2
seq 1 14 | xargs -P 14 -I{} curl -s -m 10 -o "$T/burst.{}" -w '%{http_code}\n' -X POST \
    -H "Authorization: Bearer $HTOKEN" -d '{"limit":1}' "$SIM/hubspot/crm/v3/objects/contacts/search" >"$T/burst"
same "HubSpot: a burst of 14 searches meets the secondly limit (429, policyName SECONDLY)" \
    "$(grep -c 200 "$T/burst" | awk '{print ($1 >= 5 && $1 < 14)}') $(cat "$T"/burst.* | jq -rs '[.[] | select(.policyName)] | .[0] | "\(.errorType) \(.policyName) \(.message)"')" \
    "1 RATE_LIMIT SECONDLY You have reached your secondly limit."
sleep 1.2
same "HubSpot: paced searches pass again" "$(hs_search contacts '{"limit":1}' "$T/x.json")" 200

# ---- HubSpot: deals, pipelines, associations ---------------------------------------------------

hs_search deals '{"filterGroups":[{"filters":[{"propertyName":"hs_lastmodifieddate","operator":"GTE","value":"0"}]}],"properties":["amount","deal_currency_code","dealstage","pipeline","closedate","hs_is_closed_won"],"limit":200}' "$T/d.json" >/dev/null
same "HubSpot deals: one page holds the truth's deals" \
    "$(jv "$T/d.json" '"\(.total) \(.results | length) \(.paging == null)"')" "$(jv "$T/truth.json" '.totals.hubspot.deals') $(jv "$T/truth.json" '.totals.hubspot.deals') true"
same "HubSpot deals: stages, pipelines and amounts as the truth says" \
    "$(jq -r -n --slurpfile d "$T/d.json" --slurpfile t "$T/truth.json" --arg p "$PORTAL" '[$d[0].results[] | $t[0].hubspot[$p].deals[.id] as $x | .properties.dealstage == $x.stage and .properties.pipeline == $x.pipeline and ((.properties.amount // null) == null) == ($x.amount_micros == null) and ((.properties.closedate != null) == $x.is_closed)] | all')" true
same "HubSpot deals: closed ones have closedate, some in a custom pipeline with numeric stages" \
    "$(jv "$T/d.json" '[.results[].properties | select(.pipeline != "default")] | length > 0 and all(.dealstage | test("^[0-9]+$"))')" true
fetch /hubspot/crm/v3/pipelines/deals "$T/pipes.json" -H "Authorization: Bearer $HTOKEN" >/dev/null
same "HubSpot pipelines: metadata isClosed and probability are strings; closedwon is 1.0" \
    "$(jv "$T/pipes.json" '[.results[].stages[].metadata | (.isClosed | type) == "string" and (.probability | type) == "string"] | all') $(jv "$T/pipes.json" '.results[] | select(.id == "default") | .stages[] | select(.id == "closedwon") | .metadata | "\(.isClosed) \(.probability)"')" \
    "true true 1.0"
jv "$T/d.json" '{inputs: [.results[] | {id}]}' >"$T/assoc_in.json"
code=$(fetch /hubspot/crm/v4/associations/deals/contacts/batch/read "$T/assoc.json" -X POST \
    -H "Authorization: Bearer $HTOKEN" -H 'Content-Type: application/json' -d @"$T/assoc_in.json")
same "HubSpot associations: every deal's contacts (numbers, typeId 3) are the truth's" \
    "$code $(jq -r -n --slurpfile a "$T/assoc.json" --slurpfile t "$T/truth.json" --arg p "$PORTAL" '[$a[0].results[] | ([.to[].toObjectId | tostring] | sort) == ($t[0].hubspot[$p].deals[.from.id].contacts | sort) and all(.to[]; (.toObjectId | type) == "number" and .associationTypes[0].typeId == 3)] | "\(length) \(all)"')" \
    "200 $(jv "$T/truth.json" '.totals.hubspot.deals') true"

# ---- HubSpot: the list endpoints and the ten-second window -------------------------------------

: >"$T/hs_list"
after=""
pages=0
while [ $pages -lt 10 ]; do
    fetch "/hubspot/crm/v3/objects/contacts?limit=100&properties=email,hs_analytics_source,nope${after:+&after=$after}" "$T/cl.json" -H "Authorization: Bearer $HTOKEN" >/dev/null
    pages=$((pages + 1))
    [ $pages = 1 ] && cp "$T/cl.json" "$T/cl1.json"
    jv "$T/cl.json" '.results[].id' >>"$T/hs_list"
    after=$(jv "$T/cl.json" '.paging.next.after // ""')
    [ -n "$after" ] || break
done
same "HubSpot list: limit 100 pages through every contact in id order, no total" \
    "$pages $(sort -n "$T/hs_list" | md5sum) $(jv "$T/cl1.json" '.total // "none"')" \
    "3 $(jv "$T/truth.json" "$HT.contacts | keys[]" | sort -n | md5sum) none"
same "HubSpot list: asked properties and the always-sent ones, unknown ones left out; link to the next page" \
    "$(jv "$T/cl1.json" '[.results[] | .properties | keys] | unique | .[0] | join(",")') $(jv "$T/cl1.json" '.paging.next.link | test("after=")')" \
    "createdate,email,hs_analytics_source,hs_object_id,lastmodifieddate true"
same "HubSpot list: limit defaults to 10, above 100 is a 400 VALIDATION_ERROR" \
    "$(fetch /hubspot/crm/v3/objects/contacts "$T/x.json" -H "Authorization: Bearer $HTOKEN") $(jv "$T/x.json" '.results | length') $(fetch '/hubspot/crm/v3/objects/contacts?limit=101' "$T/x.json" -H "Authorization: Bearer $HTOKEN") $(jv "$T/x.json" .category)" \
    "200 10 400 VALIDATION_ERROR"
fetch "/hubspot/crm/v3/objects/deals?limit=100&associations=contacts&properties=dealstage" "$T/dl.json" -H "Authorization: Bearer $HTOKEN" >/dev/null
same "HubSpot list: each deal's associations.contacts are the truth's contacts (ids as strings)" \
    "$(jq -r -n --slurpfile d "$T/dl.json" --slurpfile t "$T/truth.json" --arg p "$PORTAL" '[$d[0].results[] | ([(.associations.contacts.results // [])[] | .id] | sort) == ($t[0].hubspot[$p].deals[.id].contacts | sort) and all((.associations.contacts.results // [])[]; .type == "deal_to_contact" and (.id | type) == "string")] | "\(length) \(all)"')" \
    "$(jv "$T/truth.json" '.totals.hubspot.deals') true"
same "HubSpot list: archived=true lists none here" \
    "$(fetch '/hubspot/crm/v3/objects/contacts?archived=true' "$T/x.json" -H "Authorization: Bearer $HTOKEN") $(jv "$T/x.json" '.results | length')" "200 0"
same "HubSpot list: ten-second headers (interval 10000, max 190, remaining counting down)" \
    "$(tr -d '\r' <"$T/x.json.h" | awk -F': ' 'tolower($1) == "x-hubspot-ratelimit-interval-milliseconds" {i = $2} tolower($1) == "x-hubspot-ratelimit-max" {m = $2} tolower($1) == "x-hubspot-ratelimit-remaining" {r = $2} END {print i, m, (r < m - 1)}')" \
    "10000 190 1"
seq 1 200 | xargs -P 8 -I{} curl -s -m 10 -o "$T/tb.{}" -w '%{http_code}\n' \
    -H "Authorization: Bearer $HTOKEN" "$SIM/hubspot/crm/v3/pipelines/deals" >"$T/tburst"
same "HubSpot: 200 requests within ten seconds meet the rolling window (429 TEN_SECONDLY_ROLLING)" \
    "$(grep -c 429 "$T/tburst" | awk '{print ($1 > 0)}') $(cat "$T"/tb.* | jq -rs '[.[] | select(.policyName)] | .[0] | "\(.errorType) \(.policyName)"')" \
    "1 RATE_LIMIT TEN_SECONDLY_ROLLING"
same "HubSpot: the search does not count against that window" "$(hs_search contacts '{"limit":1}' "$T/x.json")" 200

# ---- people across platforms ----------------------------------------------------------------

same "every PAID_SOCIAL contact has a network and a business campaign's utm_campaign" \
    "$(awk -F '\t' '$3 == "PAID_SOCIAL" {print $4 "\t" $5}' "$T/hs_contacts" | sort -u | jq -R -s --slurpfile w "$T/world.json" '[split("\n")[] | select(length > 0) | split("\t") | (.[0] | IN("Facebook", "LinkedIn", "Pinterest")) and (.[1] | IN($w[0].campaigns[].utm_campaign[]))] | length > 0 and all')" \
    true
cut -f2 "$T/hs_contacts" | tr 'A-Z' 'a-z' | sort -u >"$T/hs_emails"
awk '$2 == "false" {print $3}' "$T/li_leads" | tr 'A-Z' 'a-z' | sort -u >"$T/li_emails"
same "every LinkedIn lead e-mail is a HubSpot contact's (case aside)" \
    "$(comm -23 "$T/li_emails" "$T/hs_emails" | wc -l) $(wc -l <"$T/li_emails" | awk '{print ($1 > 0)}')" "0 1"
FORM=$(jv "$T/world.json" '.facebook.accounts[0].forms[0]')
FTOKEN=$(jv "$T/world.json" '.facebook.accounts[0].access_token')
fetch "/facebook/v26.0/$FORM/leads?fields=id,campaign_id,field_data&limit=100&access_token=$FTOKEN" "$T/fbl.json" >/dev/null
jv "$T/fbl.json" '.data[].field_data[] | select(.name == "email") | .values[0]' >"$T/fb_raw_emails"
tr 'A-Z' 'a-z' <"$T/fb_raw_emails" | sort -u >"$T/fb_emails"
same "every Meta lead e-mail is a HubSpot contact's; some are typed in mixed case" \
    "$(comm -23 "$T/fb_emails" "$T/hs_emails" | wc -l) $(grep -c '[A-Z]' "$T/fb_raw_emails" | awk '{print ($1 > 0)}')" "0 1"
same "Meta leads name real Meta campaigns" \
    "$(jq -r -n --slurpfile l "$T/fbl.json" --slurpfile w "$T/world.json" '[$l[0].data[] | select(.campaign_id) | .campaign_id | IN($w[0].facebook.accounts[0].campaigns[])] | length > 0 and all')" true

# ---- /_advance -------------------------------------------------------------------------------

MID=$(jv "$T/world.json" '(.today | strptime("%Y-%m-%d") | mktime) * 1000')
same "POST /_advance returns the new generation" "$(curl -s -m 10 -X POST "$SIM/_advance")" '{"generation":1}'
fetch /_truth "$T/truth_a.json" >/dev/null
CHANGED=$(jq -r -n --slurpfile a "$T/truth.json" --slurpfile b "$T/truth_a.json" --arg p "$PORTAL" '[$b[0].hubspot[$p].deals | to_entries[] | select(.value != $a[0].hubspot[$p].deals[.key])] | length')
hs_search deals "{\"filterGroups\":[{\"filters\":[{\"propertyName\":\"hs_lastmodifieddate\",\"operator\":\"GTE\",\"value\":\"$MID\"}]}],\"properties\":[\"dealstage\"]}" "$T/dm.json" >/dev/null
same "/_advance moves deals; a watermark search finds exactly those" \
    "$([ "$CHANGED" -gt 0 ] && echo moved) $(jv "$T/dm.json" .total)" "moved $CHANGED"
hs_search contacts "{\"filterGroups\":[{\"filters\":[{\"propertyName\":\"lastmodifieddate\",\"operator\":\"GTE\",\"value\":\"$MID\"}]}]}" "$T/cm.json" >/dev/null
same "/_advance adds contacts that a watermark search finds" \
    "$(jv "$T/truth_a.json" '.totals.hubspot.contacts > 300') $(jv "$T/cm.json" '.total > 0')" "true true"
LAST2=$(jv "$T/world.json" '(.today | strptime("%Y-%m-%d") | mktime - 2 * 86400 | strftime("%Y-%m-%d"))')
same "/_advance restates LinkedIn's last two days and leaves older ones" \
    "$(jq -r -n --slurpfile a "$T/truth.json" --slurpfile b "$T/truth_a.json" --arg o "$ORG" --arg y "$LAST2" '[$a[0].linkedin[$o].campaigns | to_entries[] | .key as $c | .value.days | to_entries[] | {d: .key, same: (.value == $b[0].linkedin[$o].campaigns[$c].days[.key])}] | "\(map(select(.d >= $y)) | any(.same | not)) \(map(select(.d < $y)) | all(.same))"')" \
    "true true"

# ---- the 10,000-result window ----------------------------------------------------------------

if crm_sim "$T/big.out" --port 0 --seed 5 --crm-contacts 10500 --today "$TODAY"; then
    BIG=$SIM
    BTOKEN=$(curl -s -m 30 "$BIG/_world" | jq -r '.hubspot.accounts[0].access_token')
    HTOKEN=$BTOKEN
    Q='"filterGroups":[{"filters":[{"propertyName":"lastmodifieddate","operator":"GTE","value":"0"}]}],"sorts":[{"propertyName":"lastmodifieddate","direction":"ASCENDING"}],"properties":["email"],"limit":200'
    hs_search contacts "{$Q,\"after\":\"9800\"}" "$T/w1.json" >/dev/null
    same "10,500 contacts: total counts them all; after 9800 gives 200 and next after 10000" \
        "$(jv "$T/w1.json" '"\(.total) \(.results | length) \(.paging.next.after)"')" "10500 200 10000"
    same "10,500 contacts: after 10000 is a 400 VALIDATION_ERROR" \
        "$(hs_search contacts "{$Q,\"after\":\"10000\"}" "$T/w2.json") $(jv "$T/w2.json" .category)" \
        "400 VALIDATION_ERROR"
    LAST=$(jv "$T/w1.json" '.results[-1].properties.lastmodifieddate | sub("\\.[0-9]+Z$"; "Z") | fromdate * 1000')
    hs_search contacts "{\"filterGroups\":[{\"filters\":[{\"propertyName\":\"lastmodifieddate\",\"operator\":\"GTE\",\"value\":\"$LAST\"}]}],\"limit\":1}" "$T/w3.json" >/dev/null
    same "10,500 contacts: a window moved to the last date seen holds the rest" \
        "$(jv "$T/w3.json" '.total | . > 500 and . < 10500')" true
    crm_halt "$SIM_PID"
    same "the big simulator stops with status 0 on SIGTERM" "$HALT_RC" 0
fi

crm_halt "$MAIN_PID"
same "SIGTERM stops the simulator with status 0" "$HALT_RC" 0
done_testing
