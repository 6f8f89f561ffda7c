# t_bridge.sh - finance.roi_bridge over the simulated world equals the bridge the simulator
# computes from its own model (/_truth "bridge", tests/sim/oracle/world_bridge.c): socialroid
# --once over the ad platforms and HubSpot (40 days, so a month starts inside the history),
# then every row of the view, read as the finance role, has every column of the truth's row,
# and its unexplained rest is exactly the pixel leads the platforms drew; the world holds a
# person for each cause it can produce.
. tests/integration/lib.sh

CONF="$TEST_DIR/socialroi.conf"
PLATFORMS="facebook linkedin pinterest hubspot"
SIM_ARGS="--days 40" start_sim 21 || { not_ok "the simulator starts"; done_testing; exit 1; }
# shellcheck disable=SC2086
sim_config "$CONF" $PLATFORMS
# more than the 40 days: the window ends at the daemon's clock, and the first day's morning counts
sed -i -e '/^\[account [^]]*\]$/a backfill = 45d' "$CONF"
check_rc 0 "socialroid --once over the ad platforms and HubSpot exits 0" run_once "$CONF"
COLS="platform_leads crm_leads difference form_lead_not_in_crm repeated_form_submission"
COLS="$COLS credited_to_another_channel day_basis crm_timing crm_lead_platform_did_not_count"
COLS="$COLS organic_form_lead outside_attribution_window unexplained"

# bridge_equal WHEN CHANNELS: the view (as the finance role) equals /_truth's bridge in every
# row and column, and in the rows of CHANNELS (a jq array) unexplained is the pixel leads.
bridge_equal() {
    sim_get /_truth >"$TEST_DIR/truth.json"
    psql -XqAt -v ON_ERROR_STOP=1 -d "$(conninfo it_finance)" -c "
        SELECT COALESCE(json_agg(b ORDER BY b.month, b.channel), '[]')
          FROM (SELECT month::text AS month, channel, $(echo "$COLS" | tr ' ' ',')
                  FROM finance.roi_bridge) b" >"$TEST_DIR/view.json" 2>"$TEST_DIR/view.err"
    check_eq "$1: finance.roi_bridge is readable as the finance role" "" \
        "$(cat "$TEST_DIR/view.err")"
    # one line per month, channel and column that differ: want (truth) and got (view)
    jq -r --slurpfile got "$TEST_DIR/view.json" --arg cols "$COLS" '
        ($cols | split(" ")) as $c
        | ([.bridge[] | {key: "\(.month) \(.channel)", value: .}] | from_entries) as $want
        | ([$got[0][] | {key: "\(.month) \(.channel)", value: .}] | from_entries) as $have
        | ($want + $have | keys[]) as $k
        | $c[] as $col
        | select(($want[$k][$col] // "no row") != ($have[$k][$col] // "no row"))
        | "\($k) \($col): want \($want[$k][$col] // "no row"), got \($have[$k][$col] // "no row")"' \
        "$TEST_DIR/truth.json" >"$TEST_DIR/diff.out"
    n=$(jq '.bridge | length' "$TEST_DIR/truth.json")
    if [ "$n" -gt 0 ] && [ ! -s "$TEST_DIR/diff.out" ]; then
        ok "$1: finance.roi_bridge equals the simulator's bridge, every row and column ($n rows)"
    else
        not_ok "$1: finance.roi_bridge equals the simulator's bridge, every row and column ($n rows)"
        head -n 40 "$TEST_DIR/diff.out" | sed -e 's/^/# /'
    fi
    check_eq "$1: in the view, unexplained is the pixel leads in every row of $2" "" \
        "$(jq -r --slurpfile got "$TEST_DIR/view.json" --argjson ch "$2" '
            ([.bridge[] | {key: "\(.month) \(.channel)", value: .pixel_leads}] | from_entries) as $px
            | $got[0][] | select(.channel | IN($ch[])) as $r
            | select($r.unexplained != ($px["\($r.month) \($r.channel)"] // 0))
            | "\(.month) \(.channel): unexplained \(.unexplained), pixel \($px["\(.month) \(.channel)"] // 0)"' \
            "$TEST_DIR/truth.json")"
}
bridge_equal "one poll" '["facebook", "linkedin", "pinterest"]'

# the simulator's Meta rows: leads = its paid form answers + the pixel leads it drew
check_eq "Meta's ad rows count its paid form answers, the rest is pixel leads" \
    "$(jq '[.facebook[].leads[] | select(.campaign != null)] | length' "$TEST_DIR/truth.json")" \
    "$(jq '([.facebook[].campaigns[].days[].leads] | add)
           - ([.bridge[] | select(.channel == "facebook") | .pixel_leads] | add)' \
        "$TEST_DIR/truth.json")"
# every cause the world's touches can produce is there, on Meta or LinkedIn
for cause in form_lead_not_in_crm repeated_form_submission credited_to_another_channel \
    day_basis crm_timing crm_lead_platform_did_not_count organic_form_lead; do
    check_eq "the world holds a person with cause $cause" true \
        "$(jq --arg c "$cause" '[.bridge[] | .[$c] | if . < 0 then -. else . end] | add > 0' \
            "$TEST_DIR/truth.json")"
done
# A CRM person whose first click came ten days before the contact (hs_analytics_first_timestamp)
# is outside Meta's click window, but socialroi's last touch is the CRM's first source, stamped
# at the contact's creation: the view counts them in crm_lead_platform_did_not_count and its
# outside_attribution_window stays 0. The world holds one; the figure is shown, not asserted.
check_eq "the world holds a CRM person first clicking more than 7 days before the contact" true \
    "$(jq '[.bridge[].outside_window_by_first_click] | add < 0' "$TEST_DIR/truth.json")"
echo "# measured: outside the 7-day window by the first click's time: $(jq '[.bridge[].outside_window_by_first_click] | add' "$TEST_DIR/truth.json"), finance.roi_bridge outside_attribution_window: $(jq '[.[].outside_attribution_window] | add' "$TEST_DIR/view.json")"

# ---- restatements: Meta restates the last days' leads (pixel), new people answer forms -------
for i in 1 2; do
    sim_post /_advance >/dev/null
    make_due
    check_rc 0 "--once after restatements ($i) exits 0" run_once "$CONF"
done
# LinkedIn's new responses fall on today (UTC), which has no ad row yet: their -1 stays in
# LinkedIn's unexplained (see tests/sim/README.md), so only Meta and Pinterest are held to it
# /_advance stamps its new people's form answers and contacts minutes after the world's midnight,
# ten minutes further for each generation (tests/sim/core/world_people.c, people_advance): in
# the first hour of a UTC day some of them are still ahead of the clock, so the platforms do
# not serve them yet while the truth counts them; the comparison is left out then
if [ $(($(date -u +%s) % 86400)) -lt 3600 ]; then
    ok "after restatements: finance.roi_bridge equals the simulator's bridge # SKIP in the first hour of a UTC day the restatements' people are stamped ahead of the clock"
else
    bridge_equal "after restatements" '["facebook", "pinterest"]'
fi
done_testing
