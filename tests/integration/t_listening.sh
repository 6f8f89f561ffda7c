# t_listening.sh - brand and competitor listening against the simulator: the X account's brand
# queries as `queries` and the competitors' query as `competitors` (rivals=...); socialroid
# --once, as the deployment's daemon role, searches both and labels them; every mention equals
# the truth (its tone as drawn, its author's followers); dashboard.sentiment_daily and
# dashboard.share_of_voice, read as the dashboard role, give per UTC day and subject the truth's
# mentions, positive and negative counts and reach, the shares of each day sum to 1, and the
# brand's negative spike (two days before today) stands out several times over its other days;
# with the competitors dropped from the config their query keeps its label and the views their
# figures.
. tests/integration/lib.sh

CONF="$TEST_DIR/socialroi.conf"
start_sim 7 || { not_ok "the simulator starts"; done_testing; exit 1; }
sim_config "$CONF" x
ACCOUNT=$(sed -n 's/^\[account \(x-[^]]*\)\]$/\1/p' "$CONF" | head -n 1)
RIVALS='(globex OR initech) lang:en'
jq -e --arg r "$RIVALS" '.x.accounts[0].queries | index($r) != null' "$TEST_DIR/world.json" \
    >/dev/null && ok "the world searches the competitors with $RIVALS" ||
    not_ok "the world searches the competitors with $RIVALS" "$(jq -c '.x.accounts[0].queries' "$TEST_DIR/world.json")"

# the brand's queries stay in `queries`, the competitors' go to `competitors` as rivals=QUERY
jq -r --arg r "$RIVALS" '.x.accounts[0].queries | map(select(. != $r)) |
    "queries = \"\(join(", ") | gsub("\\\\"; "\\\\") | gsub("\""; "\\\""))\"\ncompetitors = \"rivals=\($r)\""' \
    "$TEST_DIR/world.json" >"$TEST_DIR/listen.conf"
grep -v '^queries = ' "$CONF" | sed -e "/^platform = x\$/r $TEST_DIR/listen.conf" >"$CONF.new"
mv "$CONF.new" "$CONF"
check "socialroid -n accepts queries and competitors" socialroid -n -c "$CONF"

# a competitor without a name is refused with its file and line
write_config "$TEST_DIR/bad.conf"
printf '[account b]\nplatform = x\nid = 1\ncredential = none\ncompetitors = globex\n' \
    >>"$TEST_DIR/bad.conf"
socialroid -n -c "$TEST_DIR/bad.conf" >"$TEST_DIR/bad.out" 2>&1
check_grep "a competitor without NAME= is refused at its line" \
    'bad\.conf:[0-9]+: \[account b\] competitors: "globex" is not NAME=QUERY' "$TEST_DIR/bad.out"

check_rc 0 "socialroid --once searches the brand and the competitors" run_once "$CONF"
truth_check "every mention equals the truth, its tone as drawn" x
check_eq "the queries are labelled: the brand's, then rivals" \
    "$(jq -r --arg r "$RIVALS" '.x.accounts[0].queries | map(select(. != $r) | "\(.)|brand|") + ["\($r)|competitor|rivals"] | sort | .[]' "$TEST_DIR/world.json")" \
    "$(sql "SELECT query || '|' || side || '|' || coalesce(competitor, '') FROM socialroi.listening_query
             WHERE configured ORDER BY 1")"

# ---- the views against the truth, per UTC day and subject ---------------------------------------

sim_get /_truth >"$TEST_DIR/truth.json"
# DAY SUBJECT MENTIONS POSITIVE NEGATIVE, the brand's queries summed
jq -r --arg r "$RIVALS" --arg a "$ACCOUNT" '
    [.x[].listening | to_entries[] | .key as $d | .value | to_entries[] |
     {d: $d, s: (if .key == $r then "rivals" else $a end), m: .value.mentions,
      p: .value.positive, n: .value.negative}]
    | group_by([.d, .s])[]
    | "\(.[0].d) \(.[0].s) \(map(.m) | add) \(map(.p) | add) \(map(.n) | add)"' \
    "$TEST_DIR/truth.json" | sort >"$TEST_DIR/want"
dash() {
    psql -XqAt -v ON_ERROR_STOP=1 -d "$(conninfo it_dashboard)" -c "$1"
}
dash "SELECT day || ' ' || subject || ' ' || mentions || ' ' || positive || ' ' || negative
        FROM dashboard.sentiment_daily WHERE account = '$ACCOUNT'" | sort >"$TEST_DIR/daily"
[ "$(wc -l <"$TEST_DIR/want")" -ge 10 ] && ok "the truth has days of both subjects ($(wc -l <"$TEST_DIR/want") rows)" ||
    not_ok "the truth has days of both subjects" "$(cat "$TEST_DIR/want")"
if diff "$TEST_DIR/want" "$TEST_DIR/daily" >"$TEST_DIR/diff"; then
    ok "sentiment_daily, as the dashboard role: every day and subject as the truth"
else
    not_ok "sentiment_daily, as the dashboard role: every day and subject as the truth"
    sed -e 's/^/# /' "$TEST_DIR/diff" | head -n 20
fi
dash "SELECT period || ' ' || subject || ' ' || mentions || ' ' || positive || ' ' || negative
        FROM dashboard.share_of_voice WHERE account = '$ACCOUNT' AND grain = 'day'" |
    sort >"$TEST_DIR/sov"
if diff "$TEST_DIR/want" "$TEST_DIR/sov" >"$TEST_DIR/diff"; then
    ok "share_of_voice by day, as the dashboard role: every day and subject as the truth"
else
    not_ok "share_of_voice by day, as the dashboard role: every day and subject as the truth"
    sed -e 's/^/# /' "$TEST_DIR/diff" | head -n 20
fi
# reach: the authors' followers summed over each day's mentions of a subject
jq -r --arg r "$RIVALS" --arg a "$ACCOUNT" '
    [.x[].mentions[] | {d: .posted_at[0:10], s: (if .query == $r then "rivals" else $a end),
                        f: .author_followers}]
    | group_by([.d, .s])[] | "\(.[0].d) \(.[0].s) \(map(.f) | add)"' \
    "$TEST_DIR/truth.json" | sort >"$TEST_DIR/want_reach"
dash "SELECT period || ' ' || subject || ' ' || reach FROM dashboard.share_of_voice
       WHERE account = '$ACCOUNT' AND grain = 'day'" | sort >"$TEST_DIR/reach"
if [ -s "$TEST_DIR/want_reach" ] && diff "$TEST_DIR/want_reach" "$TEST_DIR/reach" >"$TEST_DIR/diff"; then
    ok "share_of_voice reach by day: the authors' followers as the truth"
else
    not_ok "share_of_voice reach by day: the authors' followers as the truth"
    sed -e 's/^/# /' "$TEST_DIR/diff" | head -n 20
fi
check_eq "the shares of every period sum to exactly 1" "" \
    "$(dash "SELECT grain || ' ' || period FROM dashboard.share_of_voice
              GROUP BY grain, period, account HAVING sum(share) <> 1")"
check_eq "the brand's share of a day is its mentions over the day's" "" \
    "$(dash "SELECT period FROM dashboard.share_of_voice s WHERE grain = 'day' AND side = 'brand'
               AND abs(share - mentions::numeric / (SELECT sum(mentions) FROM dashboard.share_of_voice t
                                                    WHERE t.grain = 'day' AND t.period = s.period
                                                      AND t.account = s.account)) > 0.000001")"

# ---- the spike ----------------------------------------------------------------------------------

SPIKE=$(jq -r '.x[].negative_spike_day' "$TEST_DIR/truth.json")
want_neg=$(jq -r --arg d "$SPIKE" --arg r "$RIVALS" \
    '[.x[].listening[$d] | to_entries[] | select(.key != $r) | .value.negative] | add' \
    "$TEST_DIR/truth.json")
check_eq "the spike day ($SPIKE): the brand's negative mentions as the truth" "$want_neg" \
    "$(dash "SELECT negative FROM dashboard.sentiment_daily
              WHERE account = '$ACCOUNT' AND side = 'brand' AND day = '$SPIKE'")"
check_eq "several times the brand's usual: above every other day and three times their mean" "t" \
    "$(dash "SELECT s.negative > max(o.negative) AND s.negative >= 3 * avg(o.negative)
               FROM dashboard.sentiment_daily s, dashboard.sentiment_daily o
              WHERE s.account = '$ACCOUNT' AND s.side = 'brand' AND s.day = '$SPIKE'
                AND o.account = s.account AND o.side = 'brand' AND o.day <> s.day
              GROUP BY s.negative")"
check_eq "its mean tone is the brand's lowest" "$SPIKE" \
    "$(dash "SELECT day FROM dashboard.sentiment_daily WHERE account = '$ACCOUNT' AND side = 'brand'
              ORDER BY mean_sentiment, day LIMIT 1")"
dash "SELECT array_to_string(top_terms, ' ') FROM dashboard.sentiment_daily
       WHERE account = '$ACCOUNT' AND side = 'brand' AND day = '$SPIKE'" >"$TEST_DIR/terms"
check_grep "its top terms are the complaints' words" \
    '(broken|slow|disappointed|terrible|worst|happy|recommend|hate|failing|exports|sync|dashboards)' \
    "$TEST_DIR/terms"
sed -e 's/^/# top terms: /' "$TEST_DIR/terms"
check_eq "the funnel's brand-wide rows count every positive brand mention, no competitor's" \
    "$(sql "SELECT count(*) FROM socialroi.mention m JOIN socialroi.listening_query q USING (account_id, query)
             WHERE q.side = 'brand' AND m.sentiment > 0.25")" \
    "$(dash "SELECT coalesce(sum(advocacy_positive_mentions), 0) FROM dashboard.funnel WHERE campaign IS NULL")"
socialroi report funnel --dsn "$(conninfo it_dashboard)" --from "$(date -u -d '-8 days' +%F)" \
    --format json >"$TEST_DIR/funnel.json" 2>&1
check_eq "report funnel keys the brand-wide rows (brand-wide), with the view's counts" \
    "$(dash "SELECT coalesce(sum(advocacy_positive_mentions), 0) FROM dashboard.funnel
              WHERE campaign IS NULL AND month >= date_trunc('month', now() - interval '8 days')")" \
    "$(jq '[.rows[] | select(.key == "(brand-wide)") | .advocacy_positive_mentions] | add // 0' \
        "$TEST_DIR/funnel.json")"

# ---- the config drops the competitors: their query keeps its label, its mentions their subject ----

grep -v '^competitors = ' "$CONF" >"$CONF.new" && mv "$CONF.new" "$CONF"
check_rc 0 "socialroid --once with the competitors dropped" run_once "$CONF"
check_eq "the dropped query keeps its side, no longer configured" "competitor rivals false" \
    "$(sql "SELECT side || ' ' || competitor || ' ' || configured FROM socialroi.listening_query
             WHERE query = \$q\$$RIVALS\$q\$")"
dash "SELECT day || ' ' || subject || ' ' || mentions || ' ' || positive || ' ' || negative
        FROM dashboard.sentiment_daily WHERE account = '$ACCOUNT'" | sort >"$TEST_DIR/daily2"
check_eq "and sentiment_daily is what it was" "" "$(diff "$TEST_DIR/daily" "$TEST_DIR/daily2")"

done_testing
