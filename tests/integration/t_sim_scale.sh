# t_sim_scale.sh - the simulator standing in for a large customer (tests/sim/README.md, "Many
# accounts, no rate limits, latency"): --accounts gives each platform accounts of their own
# (ids, tokens, data, rate-limit budgets) reached by the mark in their tokens, account 0 stays
# the world every other test knows, --no-rate-limits never throttles, --latency-ms delays each
# answer on its own timer, and 10,000 accounts start at once. Bounded to well under a minute.
. tests/integration/lib.sh

T=$TEST_DIR
TODAY=2026-11-22

# launch OUT ARGS...: a simulator writing to OUT; sets PID and S (base URL) or fails.
launch() {
    out=$1
    shift
    "$B/socialroi-sim" --port 0 --today "$TODAY" "$@" >"$out" 2>>"$T/sim.log" &
    PID=$!
    register_pid "$PID"
    wait_for 30 grep -q 'listening port=' "$out" || return 1
    S="http://127.0.0.1:$(sed -n 's/^socialroi-sim: listening port=\([0-9]*\)$/\1/p' "$out")"
}

halt() {
    kill -TERM "$1" 2>/dev/null
    wait "$1" 2>/dev/null
}

# is NAME GOT WANT
is() {
    check_eq "$1" "$3" "$2"
}

# code URL [CURL ARGS...]: the HTTP status; body in $T/body, headers in $T/headers.
code() {
    url=$1
    shift
    curl -s -m 20 -D "$T/headers" -o "$T/body" -w '%{http_code}' "$@" "$url"
}

# burst FILE N URL TOKEN: N requests over one connection; their statuses, one a line, to FILE.
burst() {
    : >"$T/burst.cfg"
    for _ in $(seq "$2"); do
        printf 'url = "%s"\noutput = "/dev/null"\n' "$3" >>"$T/burst.cfg"
    done
    curl -s -m 40 -H "Authorization: Bearer $4" -w '%{http_code}\n' -K "$T/burst.cfg" >"$1"
}

# ---- account 0 is today's world ---------------------------------------------------------------

launch "$T/plain.out" --seed 5 || { not_ok "plain simulator starts"; done_testing; exit 0; }
PLAIN=$PID
curl -s "$S/_world" >"$T/plain_world.json"
curl -s "$S/_truth" >"$T/plain_truth.json"
halt "$PLAIN"

launch "$T/multi.out" --seed 5 --accounts 5 || { not_ok "simulator with --accounts 5 starts"; done_testing; exit 0; }
MULTI=$PID
M=$S
curl -s "$M/_world" >"$T/world.json"
curl -s "$M/_truth" >"$T/truth.json"
check "/_truth of --accounts 5 is byte-identical to the plain simulator's" cmp "$T/truth.json" "$T/plain_truth.json"
for p in x facebook instagram linkedin youtube pinterest hubspot; do
    is "$p: 5 accounts in /_world, account 0 first and unchanged" \
        "$(jq -c --arg p "$p" '[(.[$p].accounts | length), .[$p].accounts[0]]' "$T/world.json")" \
        "$(jq -c --arg p "$p" '[5, .[$p].accounts[0]]' "$T/plain_world.json")"
done
is "/_world keeps campaigns and fx of account 0" "$(jq -c '[.campaigns, .fx]' "$T/world.json")" \
    "$(jq -c '[.campaigns, .fx]' "$T/plain_world.json")"

# ---- extra accounts are worlds of their own ----------------------------------------------------

w() { jq -r "$1" "$T/world.json"; }
is "facebook accounts 1 and 2 have different ids and tokens" \
    "$(w '[.facebook.accounts[1,2] | .page_id, .ad_account, .access_token] | unique | length')" 6
is "account K's tokens carry the mark kK- after the platform's prefix" \
    "$(w '[.facebook.accounts[3].access_token, .x.accounts[3].access_token, .x.accounts[3].refresh_token, .youtube.accounts[3].refresh_token, .hubspot.accounts[3].access_token] | map(test("^(EAA|pat-na1-|1//0)?k3-")) | all')" true
is "account 0's tokens carry no mark" \
    "$(w '[.[] | objects | .accounts? // empty | .[0] | .access_token, .refresh_token // empty | test("k[1-9][0-9]*-")] | any')" false
curl -s "$M/_truth?account=1" >"$T/truth1.json"
curl -s "$M/_truth?account=2" >"$T/truth2.json"
is "/_truth?account=1 describes account 1's ids" \
    "$(jq -r '.facebook | keys[0]' "$T/truth1.json")" "$(w '.facebook.accounts[1].page_id')"
is "accounts 1 and 2 have different data" \
    "$(jq -r '.totals.facebook.spend_micros != $o[0].totals.facebook.spend_micros and .totals.linkedin.spend_micros != $o[0].totals.linkedin.spend_micros' --slurpfile o "$T/truth2.json" "$T/truth1.json")" true

# ---- routing by token ---------------------------------------------------------------------------

UID3=$(w '.x.accounts[3].user_id')
TOK3=$(w '.x.accounts[3].access_token')
is "X: account 3's token reads account 3's user" \
    "$(code "$M/x/2/users/$UID3" -H "Authorization: Bearer $TOK3")/$(jq -r .data.id "$T/body")" "200/$UID3"
code "$M/x/2/users/$(w '.x.accounts[0].user_id')" -H "Authorization: Bearer $TOK3" >/dev/null
is "X: account 3's token does not see account 0's user" "$(jq -r '.errors[0].title' "$T/body")" \
    "Not Found Error"
AD3=$(w '.facebook.accounts[3].ad_account')
is "Meta: access_token= of account 3 reads account 3's ads insights" \
    "$(code "$M/facebook/v26.0/act_$AD3/insights?level=campaign&time_increment=1&date_preset=last_7d&fields=campaign_id,spend&access_token=$(w '.facebook.accounts[3].access_token')")" 200
w '.facebook.accounts[3].campaigns' >"$T/camps3.json"
is "Meta: the insights rows are account 3's campaigns" \
    "$(jq -c '[.data[].campaign_id] | unique | length > 0 and all(IN($c[0][]))' --slurpfile c "$T/camps3.json" "$T/body")" true
is "a token marked for an account that does not exist gets account 0's answer" \
    "$(code "$M/x/2/users/$UID3" -H "Authorization: Bearer k77-nosuchtoken")" 401

# account 3 refreshes: only its own tokens rotate
RT3=$(w '.x.accounts[3].refresh_token')
is "X: account 3's refresh succeeds" \
    "$(code "$M/x/2/oauth2/token" -d "grant_type=refresh_token&refresh_token=$RT3&client_id=$(w '.x.accounts[3].client_id')")" 200
NEW3=$(jq -r .access_token "$T/body")
curl -s "$M/_world" >"$T/world_b.json"
is "the new tokens are account 3's in /_world" \
    "$(jq -r '.x.accounts[3] | [.access_token, .refresh_token] | join(" ")' "$T/world_b.json")" \
    "$(jq -r '[.access_token, .refresh_token] | join(" ")' "$T/body")"
is "the new access token carries account 3's mark" "${NEW3%%-*}" k3
is "the refresh rotated no other account's tokens" \
    "$(jq -c '[.x.accounts[0,1,2,4] | .access_token, .refresh_token]' "$T/world_b.json")" \
    "$(w '[.x.accounts[0,1,2,4] | .access_token, .refresh_token]' | jq -c .)"
is "X: the new token reads account 3's user" \
    "$(code "$M/x/2/users/$UID3" -H "Authorization: Bearer $NEW3")" 200

# ---- rate limits are per account -----------------------------------------------------------------

UID1=$(w '.x.accounts[1].user_id')
burst "$T/codes1" 901 "$M/x/2/users/$UID1" "$(w '.x.accounts[1].access_token')"
is "X: account 1's 15-minute window of 900 lookups runs out" \
    "$(sort "$T/codes1" | uniq -c | awk '{printf "%s:%s ", $2, $1}')" "200:900 429:1 "
is "X: account 2 still answers with its whole window" \
    "$(code "$M/x/2/users/$(w '.x.accounts[2].user_id')" -H "Authorization: Bearer $(w '.x.accounts[2].access_token')")/$(grep -i '^x-rate-limit-remaining' "$T/headers" | tr -d '\r' | awk '{print $2}')" \
    200/899

# ---- lazy accounts replay /_advance ---------------------------------------------------------------

# account 4 of each platform compared is asked something (and so made) before the step here and
# only made after it in a second simulator; account 2 is made after the step in both
curl -s "$M/facebook/v24.0/me?access_token=$(w '.facebook.accounts[4].access_token')" >/dev/null
for p in linkedin youtube pinterest; do
    curl -s "$M/$p/anything" -H "Authorization: Bearer $(w ".$p.accounts[4].access_token")" >/dev/null
done
curl -s -X POST "$M/_advance" >/dev/null
curl -s "$M/_truth?account=4" >"$T/truth4_m.json"
curl -s "$M/_truth?account=2" >"$T/truth2_m.json"
halt "$MULTI"
launch "$T/late.out" --seed 5 --accounts 5 || { not_ok "second simulator starts"; done_testing; exit 0; }
curl -s -X POST "$S/_advance" >/dev/null
curl -s "$S/_truth?account=4" >"$T/truth4_l.json"
curl -s "$S/_truth?account=2" >"$T/truth2_l.json"
halt "$PID"
for k in 2 4; do
    is "account $k made after /_advance equals one made before it (facebook, linkedin, youtube, pinterest)" \
        "$(jq -c '[.generation, .facebook, .linkedin, .youtube, .pinterest]' "$T/truth${k}_l.json" | md5sum)" \
        "$(jq -c '[.generation, .facebook, .linkedin, .youtube, .pinterest]' "$T/truth${k}_m.json" | md5sum)"
done

# ---- --no-rate-limits ------------------------------------------------------------------------------

# the contrast first: HubSpot's search bucket (5 a second) throttles a quick burst by default
launch "$T/limits.out" --seed 5 || { not_ok "simulator starts"; done_testing; exit 0; }
HS_TOKEN=$(curl -s "$S/_world" | jq -r '.hubspot.accounts[0].access_token')
search_burst() {
    for _ in $(seq 12); do
        curl -s -o /dev/null -w '%{http_code}\n' -X POST -H "Authorization: Bearer $HS_TOKEN" \
            -H 'Content-Type: application/json' --data '{"limit":1}' "$S/hubspot/crm/v3/objects/contacts/search"
    done | sort -u | tr '\n' ' '
}
is "by default a burst of HubSpot searches meets the secondly limit" "$(search_burst)" "200 429 "
halt "$PID"

launch "$T/nolimits.out" --seed 5 --accounts 2 --no-rate-limits || { not_ok "simulator starts"; done_testing; exit 0; }
curl -s "$S/_world" >"$T/world_n.json"
is "--no-rate-limits: no HubSpot secondly limit" "$(search_burst)" "200 "
XT=$(jq -r '.x.accounts[1].access_token' "$T/world_n.json")
burst "$T/codes_n" 950 "$S/x/2/users/$(jq -r '.x.accounts[1].user_id' "$T/world_n.json")" "$XT"
is "--no-rate-limits: 950 X lookups in one window all answer" "$(sort -u "$T/codes_n" | tr '\n' ' ')" "200 "
code "$S/x/2/users/$(jq -r '.x.accounts[1].user_id' "$T/world_n.json")" -H "Authorization: Bearer $XT" >/dev/null
is "--no-rate-limits: the X window still shows its whole budget" \
    "$(grep -i '^x-rate-limit-remaining' "$T/headers" | tr -d '\r' | awk '{print $2}')" 900
FBT=$(jq -r '.facebook.accounts[0].access_token' "$T/world_n.json")
for _ in $(seq 30); do
    code "$S/facebook/v24.0/$(jq -r '.facebook.accounts[0].page_id' "$T/world_n.json")?access_token=$FBT" >/dev/null
done
is "--no-rate-limits: Meta's usage headers stay at 0" \
    "$(grep -i '^x-app-usage' "$T/headers" | tr -d '\r' | sed 's/^[^:]*: //' | jq -c .call_count)" 0
curl -s -X POST --data '{"platform":"x","kind":"throttle","count":1}' "$S/_faults" >/dev/null
is "--no-rate-limits: a throttle fault rule still fires" \
    "$(code "$S/x/2/users/$(jq -r '.x.accounts[1].user_id' "$T/world_n.json")" -H "Authorization: Bearer $XT")" 429
halt "$PID"

# ---- --latency-ms ----------------------------------------------------------------------------------

launch "$T/latency.out" --seed 5 --latency-ms 200 || { not_ok "simulator starts"; done_testing; exit 0; }
curl -s "$S/_world" >"$T/world_l.json"
LURL="$S/x/2/users/$(jq -r '.x.accounts[0].user_id' "$T/world_l.json")"
LTOK=$(jq -r '.x.accounts[0].access_token' "$T/world_l.json")
ms() { curl -s -o /dev/null -w '%{time_total}' -H "Authorization: Bearer $LTOK" "$LURL" | awk '{printf "%d\n", $1 * 1000}'; }
ONE=$(ms)
if [ "$ONE" -ge 200 ] && [ "$ONE" -lt 2000 ]; then ok "--latency-ms 200: a request takes $ONE ms"; else not_ok "--latency-ms 200: a request takes $ONE ms"; fi
START=$(date +%s%N)
JOBS=
for i in $(seq 10); do
    ms >"$T/lat.$i" &
    JOBS="$JOBS $!"
done
# shellcheck disable=SC2086
wait $JOBS # not the simulator's
WALL=$((($(date +%s%N) - START) / 1000000))
SLOWEST=$(cat "$T"/lat.* | sort -n | tail -n 1)
FASTEST=$(cat "$T"/lat.* | sort -n | head -n 1)
if [ "$FASTEST" -ge 200 ] && [ "$WALL" -lt 1200 ]; then
    ok "--latency-ms 200: 10 concurrent requests overlap ($FASTEST-$SLOWEST ms each, $WALL ms in all)"
else
    not_ok "--latency-ms 200: 10 concurrent requests overlap ($FASTEST-$SLOWEST ms each, $WALL ms in all)"
fi
CTL=$(curl -s -o /dev/null -w '%{time_total}' "$S/_world" | awk '{printf "%d", $1 * 1000}')
if [ "$CTL" -lt 200 ]; then ok "--latency-ms: control endpoints do not wait ($CTL ms)"; else not_ok "--latency-ms: control endpoints do not wait ($CTL ms)"; fi
halt "$PID"

# ---- 10,000 accounts -------------------------------------------------------------------------------

START=$(date +%s%N)
launch "$T/big.out" --seed 5 --accounts 10000 || { not_ok "simulator with 10,000 accounts starts"; done_testing; exit 0; }
UP=$((($(date +%s%N) - START) / 1000000))
if [ "$UP" -lt 3000 ]; then ok "--accounts 10000 listens after $UP ms"; else not_ok "--accounts 10000 listens after $UP ms"; fi
curl -s "$S/_world?from=9999&count=1" >"$T/world_k.json"
is "/_world?from=9999&count=1 lists account 9999 of every platform" \
    "$(jq -c '[.[] | objects | .accounts? // empty | length] | unique' "$T/world_k.json")" "[1]"
is "account 9999's X token reads account 9999's user" \
    "$(code "$S/x/2/users/$(jq -r '.x.accounts[0].user_id' "$T/world_k.json")" -H "Authorization: Bearer $(jq -r '.x.accounts[0].access_token' "$T/world_k.json")")" 200
halt "$PID"
launch "$T/big1.out" --seed 5 --accounts facebook=10000,x=3 || { not_ok "simulator with --accounts facebook=10000,x=3 starts"; done_testing; exit 0; }
curl -s -m 40 "$S/_world" >"$T/world_f.json"
is "--accounts facebook=10000,x=3: /_world lists 10,000, 3 and 1 accounts" \
    "$(jq -c '[.facebook.accounts, .x.accounts, .hubspot.accounts] | map(length)' "$T/world_f.json")" "[10000,3,1]"
is "10,000 facebook accounts have 10,000 ad accounts" \
    "$(jq '[.facebook.accounts[].ad_account] | unique | length' "$T/world_f.json")" 10000
halt "$PID"

check_rc 2 "--accounts 0 is refused" "$B/socialroi-sim" --accounts 0
check_rc 2 "--accounts of an unknown platform is refused" "$B/socialroi-sim" --accounts linkdin=3
check_rc 2 "--latency-ms must be a number" "$B/socialroi-sim" --latency-ms soon
done_testing
