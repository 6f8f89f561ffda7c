# t_alert_numbers.sh - the alerts the numbers raise, from their cause to delivery to their
# resolution, with the running daemon (as the deployment's daemon role) and the simulator:
#   - anomaly: a tracking outage of the Facebook Page's insights (POST /_outage) on the day the
#     detector judges: its engagements read 0, a series that was never 0 (critical); DELETE
#     /_outage restates the day and the next poll of the page insights reads it again;
#   - negative_mentions: a burst of 60 negative brand mentions on X (POST /_burst) found by the
#     next search (60, not fewer: the simulated world's bad day two days back is in the
#     detector's baseline, and with ~25 the z-score sat at the threshold of 4 at some times of
#     day and under it at others); then a day passes for them (their posted_at moved 25 hours
#     back: a test cannot wait a day for the detector's 24-hour window to move on);
#   - budget_pacing: a campaign whose budget is far above what its linked Facebook campaign
#     spent (behind); a reload with the budget its spend is on plan for.
# Each alert is raised once, delivered once when raised to a JSON webhook and by mail through
# the SMTP sink, resolved after the clear runs, and its resolution delivered once as well;
# the readers see it all in dashboard.alerts and dashboard.alert_deliveries.
. tests/integration/lib.sh

CONF="$TEST_DIR/socialroi.conf"
TOOLS="$B/tests/tools"
KINDS="'anomaly', 'negative_mentions', 'budget_pacing'"

# receiver NAME webhook|smtp: a test receiver writing into $TEST_DIR/NAME/; sets NAME_PORT
receiver() {
    mkdir -p "$TEST_DIR/$1"
    if [ "$2" = smtp ]; then
        "$TOOLS/smtp-sink" "$TEST_DIR/$1.port" "$TEST_DIR/$1" 300 &
    else
        "$TOOLS/webhook-recv" "$TEST_DIR/$1.port" "$TEST_DIR/$1" 200 300 &
    fi
    register_pid $!
    wait_for 10 test -s "$TEST_DIR/$1.port" || { not_ok "receiver $1 starts"; return 1; }
    eval "$1_PORT=$(cat "$TEST_DIR/$1.port")"
}
receiver hook webhook || { done_testing; exit 1; }
receiver mail smtp || { done_testing; exit 1; }

SIM_ARGS="--days 70" start_sim 21 || { not_ok "the simulator starts"; done_testing; exit 1; }
sim_config "$CONF" x facebook
sim_get /_truth >"$TEST_DIR/truth0.json"
FB_CAMPAIGN=$(jq -r '[.facebook[].campaigns | keys[]][0]' "$TEST_DIR/truth0.json")
# the day the daily detectors judge now (the last UTC day that ended twelve hours ago)
DAY=$(sql "SELECT socialroi.alert_day(now())")
BUDGET=100000.00
sed -i -e '/^\[daemon\]$/a rollup_interval = 1s\nalert_poll = 200ms\nreporting_currency = USD' \
    -e '/^\[account [^]]*\]$/a backfill = 70d' "$CONF"
cat >>"$CONF" <<CONF

[alert hook]
url = http://127.0.0.1:$hook_PORT/hooks
kinds = anomaly, negative_mentions, budget_pacing
backoff_min = 200ms
timeout = 5s

[alert mail]
url = smtp://127.0.0.1:$mail_PORT
starttls = no
from = alerts@example.com
to = marketing@example.com
kinds = anomaly, negative_mentions, budget_pacing
timeout = 5s
CONF
check "socialroid -n accepts the configuration" socialroid -n -c "$CONF"

DASH=$(conninfo it_dashboard)
open_alerts() { # kind subject severity of the open alerts of the three kinds, as a reader sees
    psql -XqAt -d "$DASH" -c "SELECT string_agg(kind || ' ' || subject || ' ' || severity, E'\\n'
                                                 ORDER BY kind, subject)
                                FROM dashboard.alerts WHERE resolved_at IS NULL AND kind IN ($KINDS)"
}
# events NAME KIND EVENT: deliveries of that kind and event the webhook got (NAME=hook) or the
# sink (NAME=mail)
events() {
    if [ "$1" = hook ]; then
        cat "$TEST_DIR/hook"/req.*.body 2>/dev/null |
            jq -s --arg k "$2" --arg e "$3" '[.[] | select(.kind == $k and .event == $e)] | length'
    else
        grep -l "^Subject: \[socialroi\] [A-Z]* $3: " "$TEST_DIR/mail"/mail.* 2>/dev/null |
            xargs -r grep -l "^kind: $2.\?\$" | wc -l
    fi
}

# ---- a quiet start: the world loaded, nothing of the three kinds open -------------------------
start_daemon "$CONF"
loaded() {
    [ "$(sql "SELECT count(*) FROM socialroi.poll_job WHERE enabled AND last_success IS NULL")" = 0 ]
}
wait_for 120 loaded || not_ok "every job ran once" \
    "$(sql "SELECT string_agg(stream, ' ') FROM socialroi.poll_job WHERE last_success IS NULL")"
wait_for 30 log_has 'alerts: evaluated ' || not_ok "the daemon evaluates its alerts" "$(tail -n 5 "$TEST_DIR/daemon.log")"
check_eq "before any cause: none of the three kinds is open" "" "$(open_alerts)"
both_known() { [ "$(sql "SELECT count(*) FROM socialroi.alert_destination")" = 2 ]; }
wait_for 30 both_known || not_ok "both destinations are known to the database" \
    "$(sql "SELECT string_agg(destination, ' ') FROM socialroi.alert_destination")"

# ---- the causes --------------------------------------------------------------------------------
cat >>"$CONF" <<CONF

[campaign pacing-test]
title = A campaign far behind its budget
start = $(date -u -d "$DAY - 19 days" +%F)
end = $(date -u -d "$DAY + 10 days" +%F)
budget = $BUDGET USD
link = facebook:$FB_CAMPAIGN
CONF
kill -HUP "$DAEMON_PID"
sim_post "/_outage?platform=facebook&day=$DAY" >/dev/null
sim_post "/_burst?platform=x&count=60" >/dev/null
socialroi poll facebook-0 facebook.page_insights --dsn "$(conninfo)" >/dev/null
socialroi poll x-0 x.mentions --dsn "$(conninfo)" >/dev/null
ENGAGED="anomaly account=facebook-0 metric=engagements critical"
three_open() {
    o=$(open_alerts)
    case $o in *"$ENGAGED"*) ;; *) return 1 ;; esac
    case $o in *"negative_mentions account=x-0 query="*) ;; *) return 1 ;; esac
    case $o in *"budget_pacing campaign=pacing-test warning"*) ;; *) return 1 ;; esac
}
wait_for 60 three_open && ok "the outage, the burst and the budget raise their alerts" ||
    not_ok "the outage, the burst and the budget raise their alerts" "$(open_alerts)"
check_grep "the outage's message says what dropped, in figures" \
    "alert raised: anomaly account=facebook-0 metric=engagements: .*$DAY.*: 0 vs usual" "$TEST_DIR/daemon.log"
check_grep "the burst's message counts the mentions" \
    "alert raised: negative_mentions account=x-0 query=.*: [0-9]+ in the 24 hours to" "$TEST_DIR/daemon.log"
check_grep "the budget's message says how far behind, in money" \
    "alert raised: budget_pacing campaign=pacing-test: campaign pacing-test: spent [0-9,.]+ USD of 100,000.00 USD by day 20 of 30 \\(expected 66,666.67 USD\\), [0-9]+% behind" \
    "$TEST_DIR/daemon.log"

delivered() { # event: each of the three kinds delivered once to both destinations
    for k in anomaly negative_mentions budget_pacing; do
        [ "$(events hook $k "$1")" -ge 1 ] && [ "$(events mail $k "$1")" -ge 1 ] || return 1
    done
}
wait_for 30 delivered raised && ok "each raise reaches the webhook and the mailbox" ||
    not_ok "each raise reaches the webhook and the mailbox" \
    "$(ls "$TEST_DIR/hook" "$TEST_DIR/mail" 2>&1 | tr '\n' ' ')"
sleep 2 # more evaluations and outbox polls: nothing raised or sent twice
for k in anomaly negative_mentions budget_pacing; do
    check_eq "$k: raised once" 1 "$(sql "SELECT count(*) FROM socialroi.alert WHERE kind = '$k'")"
    check_eq "$k: one webhook call" 1 "$(events hook $k raised)"
    check_eq "$k: one mail" 1 "$(events mail $k raised)"
done
ids=$(cat "$TEST_DIR/hook"/req.*.headers | sed -n 's/^Idempotency-Key: //p' | sort)
check_eq "every webhook call carries its own id" "$(echo "$ids" | wc -l)" "$(echo "$ids" | sort -u | wc -l)"
check_grep "the mail names the alert and its runbook" "^Subject: \\[socialroi\\] CRITICAL raised: " \
    "$(grep -l 'metric=engagements' "$TEST_DIR/mail"/mail.* | head -n 1)"
check_eq "dashboard.alert_deliveries: every raise delivered to both" 6 \
    "$(psql -XqAt -d "$DASH" -c "SELECT count(*) FROM dashboard.alert_deliveries
                                  WHERE state = 'delivered' AND event = 'raised'
                                    AND kind IN ($KINDS)")"

# ---- the causes gone ---------------------------------------------------------------------------
curl -sf -m 10 -X DELETE "http://127.0.0.1:$SIM_PORT/_outage?platform=facebook" >/dev/null
socialroi poll facebook-0 facebook.page_insights --dsn "$(conninfo)" >/dev/null
sql "UPDATE socialroi.mention SET posted_at = posted_at - interval '25 hours'
      WHERE posted_at > now() - interval '20 minutes'" >/dev/null
spend=$(sql "SELECT detail ->> 'spend' FROM socialroi.alert
              WHERE kind = 'budget_pacing' AND subject = 'campaign=pacing-test'")
onplan=$(sql "SELECT round($spend * 30 / 20, 2)")
sed -i -e "s/^budget = $BUDGET USD\$/budget = $onplan USD/" "$CONF"
kill -HUP "$DAEMON_PID"
none_open() { [ -z "$(open_alerts)" ]; }
wait_for 60 none_open && ok "the day restated, the burst a day old, the budget on plan: all resolved" ||
    not_ok "the day restated, the burst a day old, the budget on plan: all resolved" "$(open_alerts)"
wait_for 30 delivered resolved && ok "each resolution reaches the webhook and the mailbox" ||
    not_ok "each resolution reaches the webhook and the mailbox" "$(ls "$TEST_DIR/hook" | wc -l) calls"
sleep 1
for k in anomaly negative_mentions budget_pacing; do
    check_eq "$k: one log line resolving it" 1 "$(grep -c "alert resolved: $k " "$TEST_DIR/daemon.log")"
    check_eq "$k: one webhook call for its resolution" 1 "$(events hook $k resolved)"
    check_eq "$k: one mail for its resolution" 1 "$(events mail $k resolved)"
done
check_eq "resolved after two evaluations without them" 0 \
    "$(sql "SELECT count(*) FROM socialroi.alert WHERE kind IN ($KINDS) AND resolved_at IS NOT NULL
              AND clear_runs < 2")"

stop_daemon
check_eq "the daemon exits 0" 0 "$DAEMON_RC"
stop_sim
done_testing
