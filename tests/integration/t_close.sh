# t_close.sh - month-end close against the simulator: socialroid --once over a world whose
# today is the first of this month, `socialroi close` of last month as the finance role, then
# the platform restates the last days of that month (POST /_advance: Meta's last three ad
# days) and the daemon polls again: the frozen figures are unchanged, each restatement shows
# in finance.close_adjustments with its revision, and every figure's parts sum to its
# difference. Then the refusals, the list and a logged reopening.
. tests/integration/lib.sh

CONF="$TEST_DIR/socialroi.conf"
this_month=$(date -u +%Y-%m-01)
period=$(date -u -d "$this_month -1 month" +%Y-%m)
SIM_ARGS="--today $this_month" start_sim 21 || { not_ok "the simulator starts"; done_testing; exit 1; }
sim_config "$CONF" facebook hubspot
sim_campaigns "$CONF"
check_rc 0 "socialroid --once over Meta and HubSpot exits 0" run_once "$CONF"

fin=$(conninfo it_finance)
# as_finance SQL: a query as the finance reader
as_finance() {
    psql -XqAt -v ON_ERROR_STOP=1 -d "$fin" -c "$1"
}
n=$(as_finance "SELECT count(*) FROM finance.campaign_roi WHERE month = '$period-01' AND spend > 0")
[ "${n:-0}" -gt 0 ] && ok "$period has spend to close ($n rows)" || not_ok "$period has spend to close" "$n"

check_rc 0 "socialroi close $period as the finance role" socialroi close "$period" --by ana --dsn "$fin"
check_grep "it says what it closed" "^closed $period by ana at .*frozen" "$TEST_DIR/last.out"
check_rc 1 "closing $period again is refused (exit 1)" socialroi close "$period" --dsn "$fin"
check_grep "the refusal says why" "^socialroi: close: .*$period is already closed" "$TEST_DIR/last.out"
check_rc 1 "this month cannot be closed: it has not ended" \
    socialroi close "$(date -u +%Y-%m)" --dsn "$fin"
check_rc 1 "the daemon's role cannot close" socialroi close "$period" --dsn "$(conninfo it_daemon)"

snap="SELECT md5(string_agg(f::text, ',' ORDER BY f::text)) FROM socialroi.close_figure f"
before=$(sql "$snap")
check_eq "no adjustment before anything moved" 0 \
    "$(as_finance "SELECT count(*) FROM finance.close_adjustments")"

# ---- the platform restates the month's last days --------------------------------------------
sim_post /_advance >/dev/null
make_due
check_rc 0 "--once after the restatement exits 0" run_once "$CONF"
# --once may exit with rollup marks left (seen: 7 campaign days and 7 conversions in about one
# run of three); the current figures are those of the facts once the rollup has caught up.
check_rc 0 "socialroi rollup as the daemon's role" socialroi rollup --dsn "$(conninfo it_daemon)"
revs=$(sql "SELECT count(*) FROM socialroi.revision r, socialroi.period_close c
             WHERE r.table_name = 'ad_daily' AND r.revision_id > c.last_revision_id
               AND (r.fact_key ->> 'day')::date BETWEEN c.period
                   AND (c.period + interval '1 month' - interval '1 day')::date
               AND r.old_value ->> 'spend_micros' <> r.new_value ->> 'spend_micros'")
[ "${revs:-0}" -gt 0 ] && ok "Meta restated spend of $period after the close ($revs revisions)" ||
    not_ok "Meta restated spend of $period after the close" "$revs"
check_eq "the frozen figures are unchanged" "$before" "$(sql "$snap")"
# the restated spend revisions on linked campaigns' lines frozen at the close (a row of a line
# that had none at the close is in that line's late_spend), and those the view names
want=$(sql "SELECT count(DISTINCT r.revision_id) FROM socialroi.revision r
              JOIN socialroi.period_close c ON r.revision_id > c.last_revision_id
              JOIN socialroi.account a ON a.account_id = (r.fact_key ->> 'account_id')::integer
              JOIN socialroi.campaign_link l ON l.kind = 'ad_campaign'
               AND l.platform = a.platform AND l.value = r.fact_key ->> 'campaign_id'
             WHERE r.table_name = 'ad_daily'
               AND (r.fact_key ->> 'day')::date >= c.period
               AND (r.fact_key ->> 'day')::date < c.period + interval '1 month'
               AND r.old_value ->> 'spend_micros' <> r.new_value ->> 'spend_micros'
               AND EXISTS (SELECT 1 FROM socialroi.close_spend_line s
                            WHERE s.close_id = c.close_id AND s.campaign_id = l.campaign_id
                              AND s.day = (r.fact_key ->> 'day')::date
                              AND s.platform = a.platform AND s.source = 'platform')")
got=$(as_finance "SELECT count(DISTINCT revision_id) FROM finance.close_adjustments
                   WHERE cause = 'restatement' AND figure = 'spend' AND model = 'linear'
                     AND cut = 'campaign'")
[ "${want:-0}" -gt 0 ] && [ "$want" = "$got" ] &&
    ok "each restatement of linked spend is in finance.close_adjustments with its revision ($got)" ||
    not_ok "each restatement of linked spend is in finance.close_adjustments with its revision" \
        "want $want, got $got"
check_eq "no revision appears twice for one figure" 0 \
    "$(as_finance "SELECT count(*) FROM (SELECT 1 FROM finance.close_adjustments
                    GROUP BY cut, key, platform, model, figure, cause, cause_ref, revision_id
                    HAVING count(*) > 1) d")"
check_eq "every figure's causes plus unexplained sum exactly to its difference" 0 \
    "$(as_finance "SELECT count(*) FROM (SELECT 1 FROM finance.close_adjustments
                    GROUP BY cut, key, platform, model, figure, difference
                    HAVING sum(amount) <> difference) d")"
got=$(as_finance "SELECT count(*) FILTER (WHERE cause = 'unexplained'),
                         count(*) FILTER (WHERE cause = 'restatement' AND amount = 0)
                    FROM finance.close_adjustments WHERE figure = 'spend' AND model = 'linear'" |
      tr '|' ' ')
check_eq "the linear spend moved by restatements and late days alone: none unexplained" "0 0" "$got"
[ "$got" = "0 0" ] || as_finance "SELECT * FROM finance.close_adjustments
                                   WHERE figure = 'spend' AND model = 'linear'" | sed -e 's/^/# /'
check_eq "as closed, $period reads the frozen spend" \
    "$(sql "SELECT sum(spend_micros) FROM socialroi.close_figure
             WHERE cut = 'campaign' AND model = 'linear'")" \
    "$(as_finance "SELECT (sum(spend) * 1000000)::bigint FROM finance.campaign_roi_as_of('closed')
                    WHERE month = '$period-01' AND model = 'linear'")"

# the lead bridge names the platform's restated leads of the closed month
check_eq "finance.roi_bridge: the leads Meta restated after the close, as restated_after_close" \
    "$(sql "SELECT COALESCE(sum((r.new_value ->> 'leads')::bigint - (r.old_value ->> 'leads')::bigint), 0)
             FROM socialroi.revision r, socialroi.period_close c
            WHERE r.table_name = 'ad_daily' AND r.revision_id > c.last_revision_id
              AND (r.fact_key ->> 'day')::date BETWEEN c.period
                  AND (c.period + interval '1 month' - interval '1 day')::date")" \
    "$(as_finance "SELECT COALESCE(sum(restated_after_close), 0) FROM finance.roi_bridge
                    WHERE month = '$period-01'")"

# the HTML report draws what moved the closed month, per cause, with the same figures
socialroi report html --dsn "$(conninfo it_dashboard)" --finance-dsn "$fin" --from "$period-01" \
    --to "$(date -u -d "$this_month -1 day" +%F)" --out "$TEST_DIR/report.html" \
    >"$TEST_DIR/html.out" 2>&1
marks=$(awk '/<figure id="adjustments"/ { on = 1 } on && /class="mark"/ { n++ }
             on && /<\/figure>/ { on = 0 } END { print n + 0 }' "$TEST_DIR/report.html")
[ "$marks" -ge 1 ] && ok "report html charts the closed month's adjustments ($marks marks)" ||
    not_ok "report html charts the closed month's adjustments" "$(tail -n 3 "$TEST_DIR/html.out")"
restated=$(as_finance "SELECT to_char(sum(amount), 'FM999999990.00') FROM finance.close_adjustments
                        WHERE cause = 'restatement' AND figure = 'spend' AND model = 'linear'
                          AND cut = 'campaign'")
check_grep "its table holds the restatements' spend as the view sums it" \
    "<th scope=\"row\">restatement</th><td class=\"num\">$restated USD</td>" "$TEST_DIR/report.html"

# ---- list and reopen ---------------------------------------------------------------------------
check_rc 0 "socialroi close --list --format json" socialroi close --list --format json --dsn "$fin"
check_eq "the list shows the close, by ana, standing" "$period-01 ana true" \
    "$(jq -r '.[0] | "\(.period) \(.closed_by) \(.is_open)"' "$TEST_DIR/last.out")"
check_rc 2 "--reopen without --reason is a usage error" socialroi close --reopen "$period" --dsn "$fin"
check_rc 0 "socialroi close --reopen with a reason" \
    socialroi close --reopen "$period" --reason "Meta restated the month's last days" --by bob --dsn "$fin"
check_rc 0 "socialroi close --list" socialroi close --list --dsn "$fin"
check_grep "the reopening is listed with who and why" \
    "^$period +reopened .* bob +Meta restated the month's last days" "$TEST_DIR/last.out"
check_eq "the reopened close's figures are kept, superseded" "$(sql "SELECT count(*) FROM socialroi.close_figure") t" \
    "$(sql "SELECT count(*), bool_and(superseded) FROM socialroi.close_figure" | tr '|' ' ')"
check_eq "no adjustment is shown for a reopened month" 0 \
    "$(as_finance "SELECT count(*) FROM finance.close_adjustments")"
done_testing
