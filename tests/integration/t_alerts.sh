# t_alerts.sh - alerts end to end: the real daemon (as the deployment's daemon role) against
# the simulator, with four causes made real: a LinkedIn token it cannot renew ending in 10
# days, LinkedIn's configured version pinned 10 days from its sunset, an X search failing (the
# simulator answers 500) whose last success was four and a half days ago (X recent search
# keeps 7), an X account's daily listening cap reached.
# Each is raised exactly once (dashboard.alerts as socialroi_dashboard, one log line each),
# shows in /metrics and in socialroi alerts --format json, is acknowledged with socialroi
# alerts ack; then each cause is removed (a reload with a renewed token, no pinned sunset, a
# higher cap; the simulator's fault cleared and the search polled) and each alert is resolved after the clear runs,
# its gauge back to 0. A detector that fails shows in /healthz until it works again; --once
# ends with one evaluation. Besides: a LinkedIn token that ended (reauth_needed, resolved by
# a reload with a new one), LinkedIn statistics read only 10 days back (data_gap, resolved by
# socialroi backfill, as its runbook says) and the stalled search (stale). Each raise and
# resolution of the seven kinds reaches a webhook once.
. tests/integration/lib.sh

CONF="$TEST_DIR/socialroi.conf"
CREDS="$TEST_DIR/credentials"
SIM_ARGS="--days 40 --accounts x=2,linkedin=2" start_sim 29 || { not_ok "the simulator starts"; done_testing; exit 1; }
sim_config "$CONF" x linkedin
SUNSET=$(date -u -d '+10 days' +%F)
CAP=20
sed -i -e 's/^log_level = info$/log_level = debug/' \
    -e '/^\[daemon\]$/a rollup_interval = 1s' \
    -e "/^\\[platform linkedin\\]\$/a version = 202610\\nversion_sunset = $SUNSET" \
    -e "/^\\[account x-0\\]\$/a x_posts_per_day = $CAP" \
    -e "/^\\[account linkedin-0\\]\$/a backfill = 10d" "$CONF"
now=$(date +%s)
# linkedin-0 keeps its access token only (a self-serve app): no refresh, it ends in 10 days
cp "$CREDS" "$TEST_DIR/credentials.renewable"
sed -i "/^\[credential linkedin-0\]\$/,/^\[/{/^\(refresh_token\|client_id\|client_secret\|expires_at\) = /d}" "$CREDS"
sed -i "/^\[credential linkedin-0\]\$/a expires_at = $((now + 10 * 86400 + 3600))" "$CREDS"
# linkedin-1's ended an hour ago: its account needs re-authorization (the new token of a
# re-authorization comes back with the renewable credentials below)
sed -i "/^\[credential linkedin-1\]\$/,/^\[/{/^\(refresh_token\|client_id\|client_secret\|expires_at\) = /d}" "$CREDS"
sed -i "/^\[credential linkedin-1\]\$/a expires_at = $((now - 3600))" "$CREDS"
sed -i "/^\[credential linkedin-1\]\$/,/^\[/s|^access_token = .*|access_token = the-ended-token|" "$CREDS"
# every raise and resolution of the four also goes to a webhook (the delivery side is
# t_alert_delivery's; here: that what the daemon raised by itself reaches a receiver)
mkdir -p "$TEST_DIR/hook"
"$B/tests/tools/webhook-recv" "$TEST_DIR/hook.port" "$TEST_DIR/hook" 200 300 &
register_pid $!
wait_for 10 test -s "$TEST_DIR/hook.port" || not_ok "the webhook receiver starts"
sed -i -e '/^\[daemon\]$/a alert_poll = 200ms' "$CONF"
printf '\n[alert hook]\nurl = http://127.0.0.1:%s/hook\nkinds = token_expiry, reauth_needed, version_sunset, data_loss, stale, data_gap, listening_budget\nmin_severity = info\n' \
    "$(cat "$TEST_DIR/hook.port")" >>"$CONF"
hooked() { # event: how many webhook calls of that event the receiver got, by kind, sorted
    cat "$TEST_DIR/hook"/req.*.body 2>/dev/null |
        jq -rs --arg e "$1" '[.[] | select(.event == $e) | .kind] | sort | join(" ")'
}
check "socialroid -n accepts the configuration" socialroid -n -c "$CONF"

DASH=$(conninfo it_dashboard)
alerts() { # the open alerts as the dashboard sees them: kind subject severity state, sorted
    psql -XqAt -d "$DASH" -c "SELECT string_agg(kind || ' ' || subject || ' ' || severity || ' ' || state,
                                                 E'\\n' ORDER BY kind, subject)
                                FROM dashboard.alerts WHERE resolved_at IS NULL
                                 AND kind IN ('token_expiry', 'version_sunset', 'data_loss',
                                              'listening_budget')"
}
raised_count() { # kind: how many alerts of the kind were ever raised
    psql -XqAt -d "$DASH" -c "SELECT count(*) FROM dashboard.alerts WHERE kind = '$1'"
}

start_daemon "$CONF"
all_ran() {
    [ "$(sql "SELECT count(*) FROM socialroi.poll_job WHERE enabled AND last_success IS NULL
               AND NOT (stream = 'x.mentions' AND account_id = socialroi.account_id('x-0'))
               AND account_id <> socialroi.account_id('linkedin-1')")" = 0 ] &&
        log_has "x listening budget reached: "
}
wait_for 60 all_ran || not_ok "every job ran once and x-0's search stopped at its cap" \
    "$(sql "SELECT string_agg(stream, ' ') FROM socialroi.poll_job WHERE last_success IS NULL")"

# the search of x-1 fails from now on, and its last success was four and a half days ago
sim_fault '{"platform":"x","kind":"server_error","path":"/search/recent"}'
sql "UPDATE socialroi.poll_job SET last_success = now() - interval '4 days 12 hours'
      WHERE stream = 'x.mentions' AND account_id = socialroi.account_id('x-1')" >/dev/null
stalled_day=$(sql "SELECT ((now() - interval '4 days 12 hours') AT TIME ZONE 'UTC')::date")
socialroi poll x-1 x.mentions --dsn "$(conninfo)" >/dev/null
search_failed() {
    [ "$(sql "SELECT failures > 0 FROM socialroi.poll_job
               WHERE stream = 'x.mentions' AND account_id = socialroi.account_id('x-1')")" = t ]
}
wait_for 30 search_failed && ok "x-1's search fails (the simulator answers 500)" ||
    not_ok "x-1's search fails (the simulator answers 500)" "$(tail -n 5 "$TEST_DIR/daemon.log")"

EXPECTED="data_loss account=x-1 stream=x.mentions warning active
listening_budget account=x-0 stream=x.mentions warning active
token_expiry account=linkedin-0 warning active
version_sunset platform=linkedin key=version warning active"
four_raised() { [ "$(alerts)" = "$EXPECTED" ]; }
wait_for 30 four_raised && ok "the four alerts are raised (dashboard.alerts as socialroi_dashboard)" ||
    not_ok "the four alerts are raised (dashboard.alerts as socialroi_dashboard)" "$(alerts)"
ALL="data_gap data_loss listening_budget reauth_needed stale token_expiry version_sunset"
all_hooked() { [ "$(hooked raised)" = "$ALL" ]; }
wait_for 30 all_hooked
sleep 3 # a few more evaluations: nothing raised twice
check_eq "the webhook got each raise once, the four and three more" "$ALL" "$(hooked raised)"
check_eq "reauth_needed: linkedin-1, critical, once" "account=linkedin-1 critical 1" \
    "$(sql "SELECT min(subject) || ' ' || min(severity) || ' ' || count(*) FROM socialroi.alert
             WHERE kind = 'reauth_needed'")"
check_eq "data_gap: linkedin-0's organization statistics, read 10 days back only" \
    "account=linkedin-0 stream=linkedin.org_stats 1" \
    "$(sql "SELECT min(subject) || ' ' || count(*) FROM socialroi.alert WHERE kind = 'data_gap'")"
check_grep "its message names the missing days" \
    'alert raised: data_gap account=linkedin-0 stream=linkedin\.org_stats: [0-9]+ days without daily metrics between [0-9-]+ and [0-9-]+ severity=warning' \
    "$TEST_DIR/daemon.log"
for k in token_expiry version_sunset data_loss listening_budget; do
    check_eq "$k: raised exactly once" 1 "$(raised_count "$k")"
    check_eq "$k: one log line" 1 "$(grep -c "alert raised: $k " "$TEST_DIR/daemon.log")"
done
check_grep "the log line names the subject and says what is wrong" \
    "alert raised: data_loss account=x-1 stream=x\\.mentions: 2 days left before x drops data of $stalled_day severity=warning" \
    "$TEST_DIR/daemon.log"
check_grep "the version's line says what to set" \
    "alert raised: version_sunset platform=linkedin key=version: \\[platform linkedin\\] version 202610 \\(LinkedIn-Version\\) is retired on $SUNSET, in 10 days: socialroi knows no later version; set version to one the platform's version page lists" \
    "$TEST_DIR/daemon.log"
check_eq "the stalled search is also stale" 1 "$(raised_count stale)"
check_grep "its log line says how long" \
    'alert raised: stale account=x-1 stream=x\.mentions: no success for 4d 12h [0-9]+m \(polled every 01:00:00\)' \
    "$TEST_DIR/daemon.log"
# the message is the latest evaluation's: it names the error once the failure is recorded
stale_says_error() {
    psql -XqAt -d "$DASH" -c "SELECT message FROM dashboard.alerts
                               WHERE kind = 'stale' AND subject = 'account=x-1 stream=x.mentions'" |
        grep -q '; last error: transient: '
}
wait_for 10 stale_says_error && ok "and dashboard.alerts its last error" ||
    not_ok "and dashboard.alerts its last error" \
    "$(psql -XqAt -d "$DASH" -c "SELECT message FROM dashboard.alerts WHERE kind = 'stale'")"

http_get /metrics >/dev/null
for k in token_expiry version_sunset data_loss listening_budget; do
    check_grep "/metrics: $k active" "^socialroi_alert_active\\{kind=\"$k\",severity=\"warning\"\\} 1\$" \
        "$TEST_DIR/body"
done
check_grep "/metrics: a kind without an alert is 0" \
    '^socialroi_alert_active\{kind="budget_pacing",severity="critical"\} 0$' "$TEST_DIR/body"
http_is 200 /healthz && ok "/healthz: no detector failing" || not_ok "/healthz: no detector failing" "$(cat "$TEST_DIR/body")"

socialroi alerts --format json --dsn "$DASH" >"$TEST_DIR/alerts.json" 2>"$TEST_DIR/alerts.err"
check_eq "socialroi alerts --format json as the dashboard role exits 0" 0 $?
check_eq "it lists the four, each with its runbook" "4 4" \
    "$(jq -r '[.[] | select(.kind | IN("token_expiry", "version_sunset", "data_loss", "listening_budget"))]
              | "\(length) \([.[] | select(.runbook | length > 20)] | length)"' "$TEST_DIR/alerts.json")"
socialroi alerts --dsn "$DASH" >"$TEST_DIR/alerts.txt" 2>&1
check_grep "the table says what to do" '^version_sunset: Set the key the message names' "$TEST_DIR/alerts.txt"

# ---- acknowledged as the operator (the daemon's role, as socialroi poll) ---------------------
for k in token_expiry version_sunset data_loss listening_budget; do
    id=$(jq -r ".[] | select(.kind == \"$k\") | .alert_id" "$TEST_DIR/alerts.json")
    check_rc 0 "socialroi alerts ack $k" socialroi alerts ack "$id" --by oncall --dsn "$(conninfo)"
done
check_grep "ack says what it acknowledged" '^alert [0-9]* acknowledged by oncall: listening_budget account=x-0 stream=x.mentions$' \
    "$TEST_DIR/last.out"
check_eq "dashboard.alerts: acknowledged by oncall" 4 \
    "$(psql -XqAt -d "$DASH" -c "SELECT count(*) FROM dashboard.alerts
                                   WHERE state = 'acknowledged' AND acked_by = 'oncall'")"
check_rc 1 "ack of an unknown id exits 1" socialroi alerts ack 999999 --dsn "$(conninfo)"
check_grep "naming it" '^socialroi: alerts: no alert 999999' "$TEST_DIR/last.out"
check_rc 2 "ack without an id is a usage error" socialroi alerts ack --dsn "$(conninfo)"

# ---- the causes removed ------------------------------------------------------------------------
cp "$TEST_DIR/credentials.renewable" "$CREDS"
chmod 600 "$CREDS"
sed -i -e "/^version_sunset = $SUNSET\$/d" -e "s/^x_posts_per_day = $CAP\$/x_posts_per_day = 100000/" "$CONF"
kill -HUP "$DAEMON_PID"
sim_clear_faults
socialroi poll x-1 x.mentions --dsn "$(conninfo)" >/dev/null
# data_gap's runbook: backfill the days it names
socialroi backfill linkedin-0 linkedin.org_stats --from "$(date -u -d '-31 days' +%F)" \
    --to "$(date -u -d '-1 day' +%F)" --dsn "$(conninfo)" >/dev/null
none_open() { [ -z "$(alerts)" ]; }
wait_for 60 none_open && ok "every cause gone: the four are resolved" ||
    not_ok "every cause gone: the four are resolved" "$(alerts)"
for k in token_expiry version_sunset data_loss listening_budget; do
    check_eq "$k: one log line resolving it" 1 "$(grep -c "alert resolved: $k " "$TEST_DIR/daemon.log")"
    check_eq "$k: still one alert, now resolved" "1 resolved" \
        "$(psql -XqAt -d "$DASH" -c "SELECT count(*) || ' ' || min(state) FROM dashboard.alerts WHERE kind = '$k'")"
done
all_resolved() {
    [ "$(sql "SELECT count(*) FROM socialroi.alert WHERE resolved_at IS NULL
               AND kind IN ('reauth_needed', 'stale', 'data_gap')")" = 0 ]
}
wait_for 60 all_resolved && ok "re-authorized, polled and backfilled: reauth_needed, stale and data_gap resolved" ||
    not_ok "re-authorized, polled and backfilled: reauth_needed, stale and data_gap resolved" \
    "$(sql "SELECT string_agg(kind || ' ' || subject, ', ') FROM socialroi.alert WHERE resolved_at IS NULL")"
all_resolved_hooked() { [ "$(hooked resolved)" = "$ALL" ]; }
wait_for 30 all_resolved_hooked
check_eq "the webhook got each resolution once" "$ALL" "$(hooked resolved)"
check_eq "each resolved after two evaluations without it (clear runs)" 0 \
    "$(sql "SELECT count(*) FROM socialroi.alert WHERE resolved_at IS NOT NULL AND clear_runs < 2")"
http_get /metrics >/dev/null
for k in token_expiry version_sunset data_loss listening_budget; do
    check_grep "/metrics: $k back to 0" "^socialroi_alert_active\\{kind=\"$k\",severity=\"warning\"\\} 0\$" \
        "$TEST_DIR/body"
done
socialroi alerts --all --format json --dsn "$DASH" >"$TEST_DIR/all.json"
check_eq "socialroi alerts --all lists the resolved ones" 4 \
    "$(jq '[.[] | select(.state == "resolved" and (.kind | IN("token_expiry", "version_sunset", "data_loss", "listening_budget")))] | length' "$TEST_DIR/all.json")"
check_eq "the outbox: raised and resolved for each" "4 4" \
    "$(sql "SELECT count(*) FILTER (WHERE e.event = 'raised') || ' ' || count(*) FILTER (WHERE e.event = 'resolved')
              FROM socialroi.alert_event e JOIN socialroi.alert a USING (alert_id)
             WHERE a.kind IN ('token_expiry', 'version_sunset', 'data_loss', 'listening_budget')")"
check_rc 1 "ack of a resolved alert exits 1" socialroi alerts ack \
    "$(jq -r '.[] | select(.kind == "data_loss") | .alert_id' "$TEST_DIR/all.json")" --dsn "$(conninfo)"
check_grep "saying it was resolved" '^socialroi: alerts: alert [0-9]* was resolved at ' "$TEST_DIR/last.out"

# ---- a detector that fails: its kinds left alone, the failure in health -----------------------
sql "REVOKE EXECUTE ON FUNCTION socialroi.detect_stale(timestamptz) FROM socialroi_daemon" >/dev/null
degraded() { [ "$(http_get /healthz)" = 503 ] && grep -q '"alerts":"detectors failed: socialroi.detect_stale' "$TEST_DIR/body"; }
wait_for 15 degraded && ok "a failed detector: /healthz degraded, naming it under alerts" ||
    not_ok "a failed detector: /healthz degraded, naming it under alerts" "$(cat "$TEST_DIR/body")"
check_grep "and logged" 'failed component=alerts .*detectors failed: socialroi\.detect_stale' "$TEST_DIR/daemon.log"
sql "GRANT EXECUTE ON FUNCTION socialroi.detect_stale(timestamptz) TO socialroi_daemon" >/dev/null
wait_for 15 http_is 200 /healthz && ok "granted again: /healthz ok" ||
    not_ok "granted again: /healthz ok" "$(cat "$TEST_DIR/body")"

stop_daemon
check_eq "the daemon exits 0" 0 "$DAEMON_RC"

# ---- --once ends with one evaluation -------------------------------------------------------------
before=$(grep -c 'alerts: evaluated ' "$TEST_DIR/daemon.log")
run_once "$CONF"
check_eq "--once runs one alert evaluation at its end" $((before + 1)) \
    "$(grep -c 'alerts: evaluated ' "$TEST_DIR/daemon.log")"
check_eq "after the run's last line" "alerts: evaluated" \
    "$(grep -o 'alerts: evaluated\|daemon: --once finished' "$TEST_DIR/daemon.log" | tail -n 2 | head -n 1)"
done_testing
