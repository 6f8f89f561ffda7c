# t_panel.sh - the MMM panel end to end over the simulated world (Meta, LinkedIn, HubSpot):
# `socialroi export panel` as the finance role in each layout has the layout's header, one row
# a week (or per week and channel), the SHA-256 of panel.csv in its manifest, the spend of the
# fact tables to the micro, and says whether the history is enough; `socialroi import mmm`
# stores a hand-made Robyn file once, shows it in finance.channel_roi_mmm, and refuses a
# missing column, a ROI that is not a number, an unknown channel or a second model whole.
. tests/integration/lib.sh

CONF="$TEST_DIR/socialroi.conf"
SIM_ARGS="--days 84"
start_sim 37 || { not_ok "the simulator starts"; done_testing; exit 1; }
sim_config "$CONF" facebook linkedin hubspot
sim_campaigns "$CONF"
sed -i -e "/^\[account [a-z]*-[0-9]*\]/a backfill = 84d" "$CONF"
check_rc 0 "socialroid --once over Meta, LinkedIn and HubSpot exits 0" run_once "$CONF"
stop_sim

FIN=$(conninfo it_finance)
OUT="$TEST_DIR/panel"
channels=$(sql "SELECT string_agg(DISTINCT a.platform, ' ' ORDER BY a.platform)
                  FROM socialroi.ad_daily d JOIN socialroi.account a USING (account_id)")
nch=$(echo "$channels" | wc -w)
weeks=$(sql "SELECT (max(w) - min(w)) / 7 + 1 FROM (
               SELECT date_trunc('week', day)::date AS w FROM socialroi.ad_daily
               UNION ALL SELECT date_trunc('week', closed_at AT TIME ZONE 'UTC')::date
                 FROM socialroi.deal WHERE is_won AND closed_at IS NOT NULL
               UNION ALL SELECT date_trunc('week', created_at AT TIME ZONE 'UTC')::date
                 FROM socialroi.lead WHERE NOT is_test) k")
[ "$nch" -ge 2 ] && [ "$weeks" -ge 10 ] && ok "the world has $nch ad channels over $weeks weeks" ||
    not_ok "the world has ad channels and weeks" "channels: $channels" "weeks: $weeks"

# names SUFFIX: the channels' column names with SUFFIX, comma-separated.
names() {
    for c in $channels; do printf ',%s%s' "$c" "$1"; done
}
CONTROLS="organic_engagements,brand_mentions,competitor_mentions"

# ---- each layout ------------------------------------------------------------------------------
for layout in meridian robyn long; do
    rm -rf "$OUT"
    socialroi export panel --layout "$layout" --out "$OUT" --dsn "$FIN" \
        >"$TEST_DIR/$layout.out" 2>"$TEST_DIR/$layout.err"
    check_eq "export panel --layout $layout as socialroi_finance exits 0" 0 $?
    case $layout in
        meridian) want="time,revenue,leads$(names _spend)$(names _impression)$(names _clicks),$CONTROLS"
                  rows=$weeks ;;
        robyn) want="DATE,revenue,leads$(names _S)$(names _I)$(names _C),$CONTROLS"
               rows=$weeks ;;
        long) want="week,channel,spend,impressions,clicks,revenue,leads,$CONTROLS"
              rows=$((weeks * nch)) ;;
    esac
    check_eq "$layout: the header" "$want" "$(head -n 1 "$OUT/panel.csv" | tr -d '\r')"
    check_eq "$layout: $rows rows (weeks x $([ "$layout" = long ] && echo channels || echo 1))" \
        "$rows" "$(($(wc -l <"$OUT/panel.csv") - 1))"
    check_eq "$layout: the manifest holds the SHA-256 of panel.csv" \
        "$(sha256sum "$OUT/panel.csv" | cut -d' ' -f1)" "$(jq -r .sha256 "$OUT/manifest.json")"
    check_eq "$layout: the manifest's layout, rows and weeks" "$layout $rows $weeks" \
        "$(jq -r '"\(.layout) \(.rows) \(.weeks)"' "$OUT/manifest.json")"
    check_grep "$layout: records end CRLF (RFC 4180)" "$(printf '\r')\$" "$OUT/panel.csv"
done

# The long layout's spend per channel is the fact tables' to the micro (exact decimals).
for c in $channels; do
    csv=$(awk -F, -v c="$c" 'NR > 1 && $2 == c { printf "%s%s", s, $3; s = "," }' "$OUT/panel.csv")
    got=$(sql "SELECT sum(v::numeric) FROM unnest(string_to_array('$csv', ',')) v")
    want=$(sql "SELECT (COALESCE(sum(r), 0)::numeric / 1000000)::numeric(24, 6) FROM (
                  SELECT socialroi.to_reporting(sum(d.spend_micros)::bigint, d.currency, d.day) AS r
                    FROM socialroi.ad_daily d JOIN socialroi.account a USING (account_id)
                   WHERE a.platform = '$c' GROUP BY d.day, d.currency) x")
    check_eq "long: $c's spend in panel.csv sums to the fact tables' ($want)" "$want" "$got"
done
check_eq "manifest: the roles of Robyn's robyn_inputs()" \
    "DATE revenue$(names _S | tr ',' ' ')" \
    "$(rm -rf "$OUT"; socialroi export panel --layout robyn --out "$OUT" --dsn "$FIN" 2>/dev/null >&2
       jq -r '[.columns.date_var, .columns.dep_var] + .columns.paid_media_spends | join(" ")' "$OUT/manifest.json")"

# The world is months, not years: said plainly on stderr and in the manifest; still exit 0.
check_grep "stderr says the history is not sufficient" "NOT sufficient for a marketing-mix model" \
    "$TEST_DIR/long.err"
check_grep "and why: weeks fewer than 104" "$weeks weeks of history, fewer than 104" "$TEST_DIR/long.err"
check_eq "manifest: sufficient false" "false" "$(jq -r .sufficiency.sufficient "$OUT/manifest.json")"

# --from/--to: the weeks holding those days, from its Monday.
first=$(sql "SELECT min(date_trunc('week', day))::date + 14 FROM socialroi.ad_daily")
socialroi export panel --from "$(sql "SELECT '$first'::date + 2")" \
    --to "$(sql "SELECT '$first'::date + 20")" --out "$OUT" --dsn "$FIN" >/dev/null 2>&1
check_eq "--from a Wednesday to the Sunday two weeks later: three weeks from that Monday" \
    "$first $(sql "SELECT '$first'::date + 14") 3" \
    "$(jq -r '"\(.first_week) \(.last_week) \(.rows)"' "$OUT/manifest.json")"
check_rc 2 "an unknown layout is a usage error" socialroi export panel --layout tableau --dsn "$FIN"

# ---- import mmm ---------------------------------------------------------------------------------
ROBYN="$TEST_DIR/pareto_aggregated.csv"
printf 'solID,rn,coef,roi_total\r\n1_12_3,trend,0.3,NA\r\n1_12_3,facebook_S,0.9,2.5\r\n1_12_3,linkedin_S,0.4,0.75\r\n1_12_3,competitor_mentions,0.1,\r\n' >"$ROBYN"
from=$(sql "SELECT min(day) FROM socialroi.ad_daily")
to=$(sql "SELECT max(day) FROM socialroi.ad_daily")
check_rc 0 "import mmm a Robyn file as socialroi_finance" \
    socialroi import mmm "$ROBYN" --layout robyn --model robyn-demo --from "$from" --to "$to" --dsn "$FIN"
check_grep "it says what it stored" "run [0-9]+: 2 channels of model robyn-demo" "$TEST_DIR/last.out"
month=$(sql "SELECT date_trunc('month', max(day))::date FROM socialroi.ad_daily")
check_eq "finance.channel_roi_mmm shows the MMM ROI beside the rule-based ROI" "2.5 t" \
    "$(psql -XqAt -F ' ' -d "$FIN" -c "SELECT mmm_roi, roi IS NOT NULL OR spend IS NOT NULL
                                 FROM finance.channel_roi_mmm
                                WHERE month = '$month' AND channel = 'facebook' AND model = 'linear'")"
check_rc 0 "the same file again exits 0" \
    socialroi import mmm "$ROBYN" --layout robyn --model robyn-demo --from "$from" --to "$to" --dsn "$FIN"
check_grep "and changes nothing" "imported before \(run [0-9]+\): nothing changed" "$TEST_DIR/last.out"

runs=$(sql "SELECT count(*) FROM socialroi.mmm_run")
bad() { # bad NAME PATTERN CONTENT [LAYOUT]
    printf "$3" >"$TEST_DIR/bad.csv"
    check_rc 1 "$1: exit 1" socialroi import mmm "$TEST_DIR/bad.csv" --layout "${4:-generic}" \
        --from "$from" --to "$to" --dsn "$FIN"
    check_grep "$1: says so" "$2" "$TEST_DIR/last.out"
}
bad "a missing column" "the header lacks roi" 'channel,roas\nfacebook,2\n'
bad "a ROI that is not a number" 'line 3: not a number: "high"' 'channel,roi\nfacebook,2\nlinkedin,high\n'
bad "an unknown channel" 'unknown channel "tv"' 'channel,roi\nfacebook,2\ntv,1.5\n'
bad "a second Robyn model" "a second solID" \
    'solID,rn,roi_total\n1_1_1,facebook_S,2\n1_2_1,facebook_S,3\n' robyn
check_eq "refused files imported nothing" "$runs" "$(sql "SELECT count(*) FROM socialroi.mmm_run")"
done_testing
