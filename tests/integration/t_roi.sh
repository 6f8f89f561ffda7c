# t_roi.sh - the ROI of the simulated world end to end: socialroid --once over every platform
# with the world's campaigns and FX rates, then `socialroi report roi --format json` equals the
# ROI the simulator computes on its own, per campaign, under first_touch and linear; after the
# platforms restate days and deals move, the incremental rollup still equals the truth, and
# `socialroi rollup --rebuild` changes nothing.
. tests/integration/lib.sh

CONF="$TEST_DIR/socialroi.conf"
PLATFORMS="x facebook instagram linkedin youtube pinterest hubspot"
start_sim 21 || { not_ok "the simulator starts"; done_testing; exit 1; }
# shellcheck disable=SC2086
sim_config "$CONF" $PLATFORMS
sim_campaigns "$CONF"
check "socialroid -n accepts the world's campaigns and rates" socialroid -n -c "$CONF"

# rebuild_equal NAME: socialroi rollup --rebuild recomputes exactly what the daemon kept current.
rebuild_equal() {
    snap="SELECT md5(string_agg(x::text, ',' ORDER BY x::text)) FROM"
    before="$(sql "$snap socialroi.attribution x") $(sql "$snap socialroi.rollup_spend x")"
    socialroi rollup --rebuild --dsn "$(conninfo)" >"$TEST_DIR/rebuild.out" 2>&1
    after="$(sql "$snap socialroi.attribution x") $(sql "$snap socialroi.rollup_spend x")"
    n=$(sql "SELECT count(*) FROM socialroi.attribution")
    if [ "$before" = "$after" ] && [ "$n" -gt 0 ]; then
        ok "$1 ($n attribution rows)"
    else
        not_ok "$1" "before $before" "after  $after" "$(cat "$TEST_DIR/rebuild.out")"
    fi
}

check_rc 0 "socialroid --once over every platform exits 0" run_once "$CONF"
n=$(sql "SELECT count(*) FROM socialroi.dirty_spend") m=$(sql "SELECT count(*) FROM socialroi.dirty_conversion")
[ "$n" -eq 0 ] && [ "$m" -eq 0 ] && ok "--once leaves nothing dirty" || not_ok "--once leaves nothing dirty" "$n spend, $m conversions"
roi_equal "the ROI report equals the simulator's ROI"
rebuild_equal "rollup --rebuild equals the incremental rollup"

# ---- restatements: the platforms restate days, deals move, late touches arrive ----------------
for i in 1 2; do
    sim_post /_advance >/dev/null
    make_due
    check_rc 0 "--once after restatements ($i) exits 0" run_once "$CONF"
done
n=$(sql "SELECT count(*) FROM socialroi.revision WHERE table_name IN ('ad_daily', 'deal')")
[ "$n" -gt 0 ] && ok "spend and deals were restated ($n revisions)" || not_ok "spend and deals were restated"
roi_equal "after restatements the incremental rollup equals the simulator's ROI"
rebuild_equal "after restatements rollup --rebuild equals the incremental rollup"

# ---- CSV and table name the model and the currency -------------------------------------------------
from=$(jq -r .roi.from "$TEST_DIR/truth.json")
to=$(jq -r .roi.to "$TEST_DIR/truth.json")
socialroi report roi --dsn "$(conninfo it_finance)" --from "$from" --to "$to" --model first_touch \
    --format table >"$TEST_DIR/table.out" 2>&1
check_grep "the table names the model and the currency" 'first_touch.*USD|USD.*first_touch' "$TEST_DIR/table.out"

# ---- the ROI bridge, as the finance reader, over the simulated world --------------------------
socialroi report bridge --dsn "$(conninfo it_finance)" --from "$from" --to "$to" --format json \
    >"$TEST_DIR/bridge.json" 2>&1
check_eq "report bridge: rows per channel and month" "key month" \
    "$(jq -r '.rows[0] | keys_unsorted[0:2] | join(" ")' "$TEST_DIR/bridge.json")"
check_eq "report bridge: in every row the causes and the rest add up to the difference" 0 \
    "$(jq '[.rows[] | select(.form_lead_not_in_crm + .repeated_form_submission
                             + .credited_to_another_channel + .day_basis + .crm_timing
                             + .crm_lead_platform_did_not_count + .organic_form_lead
                             + .outside_attribution_window + .restated_after_close
                             + .unexplained != .difference
                             or .platform_leads - .crm_leads != .difference)] | length' \
        "$TEST_DIR/bridge.json")"
check_eq "report bridge: the platforms' leads of the period, each counted once" \
    "$(sql "SELECT COALESCE(sum(leads), 0) FROM socialroi.ad_daily d JOIN socialroi.account a
             USING (account_id) WHERE a.platform <> 'hubspot'
              AND d.day BETWEEN date_trunc('month', '$from'::date) AND '$to'")" \
    "$(jq '[.rows[].platform_leads] | add // 0' "$TEST_DIR/bridge.json")"
socialroi report revenue-bridge --dsn "$(conninfo it_finance)" --from "$from" --to "$to" \
    --format json >"$TEST_DIR/revenue.json" 2>&1
check_eq "report revenue-bridge: the window and the rest add up to the difference, in micros" 0 \
    "$(jq '[.rows[] | select(.outside_attribution_window_micros + .unexplained_micros
                             != .difference_micros)] | length' "$TEST_DIR/revenue.json")"
check_eq "report revenue-bridge: the CRM's revenue is the won deals credited to a channel" \
    "$(jq '[.rows[].crm_revenue_micros] | add // 0' "$TEST_DIR/revenue.json")" \
    "$(psql -XqAt -d "$(conninfo it_finance)" -c "SELECT (COALESCE(sum(crm_revenue), 0)
        * 1000000)::bigint FROM finance.roi_bridge_revenue
        WHERE month BETWEEN date_trunc('month', '$from'::date) AND '$to'")"
check_rc 1 "report bridge as socialroi_dashboard is refused" \
    socialroi report bridge --dsn "$(conninfo it_dashboard)" --from "$from" --to "$to"
done_testing
