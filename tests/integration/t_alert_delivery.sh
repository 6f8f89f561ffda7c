# t_alert_delivery.sh - alert events reach their [alert NAME] destinations: the daemon (as the
# deployment's daemon role) reads the outbox and sends each event once per destination - a
# JSON webhook retried after 500s with backoff, a Slack-format webhook, e-mail to every
# recipient through an SMTP sink, a resolution - routes by kind and severity, records a
# permanent 4xx where /metrics, /healthz and the database show it, sends nothing raised before
# a destination existed, sends no mail in the clear to a server without STARTTLS, keeps its
# state over a reload, re-sends after a crash mid-retry without losing the event, sends each
# event once per destination with two daemons on one database, and never puts a webhook token
# or the SMTP password in its log, /metrics or the database.
#
# Alerts are raised by a detector made for the test (as tests/sql/030_alerts.sql does) and
# evaluated with socialroi.alert_evaluate() as the daemon role; the test waits for events, so
# it holds whether or not the daemon evaluates alerts itself as well.
. tests/integration/lib.sh

CONF="$TEST_DIR/socialroi.conf"
HOOK_TOKEN=hooktoken-QX7Rk2mP9
SLACK_TOKEN=T0SECRET/B0SECRET/slacktoken-Zx81Lw
SMTP_PASSWORD=smtp-pass-Vb42Ue7
TOOLS="$B/tests/tools"

evaluate() {
    psql -XqAt -v ON_ERROR_STOP=1 -d "$(conninfo it_daemon)" \
        -c "SELECT socialroi.alert_evaluate()" >/dev/null
}

# receiver NAME KIND [STATUSES]: a webhook receiver or the SMTP sink in $TEST_DIR/NAME/; sets
# the port in NAME_PORT.
receiver() {
    mkdir -p "$TEST_DIR/$1"
    if [ "$2" = smtp ]; then
        "$TOOLS/smtp-sink" "$TEST_DIR/$1.port" "$TEST_DIR/$1" 120 &
    else
        "$TOOLS/webhook-recv" "$TEST_DIR/$1.port" "$TEST_DIR/$1" "${3:-200}" 120 &
    fi
    register_pid $!
    wait_for 10 test -s "$TEST_DIR/$1.port" || { not_ok "receiver $1 starts"; return 1; }
    eval "$1_PORT=$(cat "$TEST_DIR/$1.port")"
}

receiver hook webhook 500,500,500,500,200
receiver slack webhook 200
receiver gone webhook 404
receiver crash webhook 500,200
receiver mail smtp
receiver tls smtp
receiver slow webhook 429:2,200

# a detector made for the test: one candidate per row of public.probe
sql "CREATE TABLE public.probe (kind text, subject text, severity text);
     GRANT SELECT ON public.probe TO socialroi_daemon;
     CREATE FUNCTION public.probe_detector(p_now timestamptz)
     RETURNS SETOF socialroi.alert_candidate LANGUAGE sql AS \$\$
         SELECT kind, subject, severity, true, kind || ' says ' || severity || ' & <b>',
                '{\"n\": 1}'::jsonb
           FROM public.probe
     \$\$;
     INSERT INTO socialroi.alert_kind VALUES
         ('probe', 'public.probe_detector', 'A probe', 'Look at the probe.'),
         ('other', 'public.probe_detector', 'Another probe', 'Look at the other probe.'),
         ('crash', 'public.probe_detector', 'A crash probe', 'Look at the crash probe.')"

# raised and resolved before any destination existed: never sent
sql "INSERT INTO public.probe VALUES ('probe', 'before-start', 'critical')"
evaluate
sql "DELETE FROM public.probe WHERE subject = 'before-start'"
evaluate
evaluate

printf '[hashing]\nemail_salt = socialroi-test-salt\n[credential smtp]\npassword = %s\n' \
    "$SMTP_PASSWORD" >"$TEST_DIR/credentials"
chmod 600 "$TEST_DIR/credentials"
write_config "$CONF" "alert_poll = 200ms"
cat >>"$CONF" <<CONF

[alert hook]
url = http://127.0.0.1:$hook_PORT/hooks/$HOOK_TOKEN
kinds = probe, other
backoff_min = 400ms
backoff_max = 2s
timeout = 5s

[alert slack]
url = http://127.0.0.1:$slack_PORT/services/$SLACK_TOKEN
format = slack
kinds = probe
min_severity = critical
resolved = no

[alert mail]
url = smtp://127.0.0.1:$mail_PORT
starttls = no
from = alerts@example.com
to = ops@example.com, oncall@example.com
user = alertbot
credential = smtp
kinds = probe, other
timeout = 5s

[alert gone]
url = http://127.0.0.1:$gone_PORT/hooks/$HOOK_TOKEN
kinds = probe, other

[alert tls]
url = smtp://127.0.0.1:$tls_PORT
from = alerts@example.com
to = ops@example.com
kinds = probe
backoff_min = 30s
backoff_max = 30s

[alert slow]
url = http://127.0.0.1:$slow_PORT/slow/$HOOK_TOKEN
kinds = other
backoff_min = 200ms
backoff_max = 10s

[alert crash]
url = http://127.0.0.1:$crash_PORT/crash/$HOOK_TOKEN
kinds = crash
backoff_min = 6s
backoff_max = 6s
timeout = 2s
CONF

check_rc 0 "the config with seven [alert NAME] destinations passes socialroid -n" \
    socialroid -n -c "$CONF"
start_daemon "$CONF"
wait_for 20 http_is 200 /healthz || not_ok "the daemon serves /healthz" "$(cat "$TEST_DIR/body")"
# every destination has seen the outbox once (its high-water mark is set)
registered() {
    [ "$(sql "SELECT count(*) FROM socialroi.alert_destination")" = 7 ]
}
check "every destination has a high-water mark" wait_for 10 registered

# ---- raise: probe/a critical, other/b warning, probe/c info ----------------------------------
sql "INSERT INTO public.probe VALUES ('probe', 'a', 'critical'), ('other', 'b', 'warning'),
                                     ('probe', 'c', 'info')"
evaluate

delivered() { # delivered DESTINATION N: N deliveries of the destination settled as delivered
    [ "$(sql "SELECT count(*) FROM socialroi.alert_delivery
                WHERE destination = '$1' AND delivered_at IS NOT NULL")" = "$2" ]
}
failed() {
    [ "$(sql "SELECT count(*) FROM socialroi.alert_delivery
                WHERE destination = '$1' AND failed_at IS NOT NULL")" = "$2" ]
}
if wait_for 30 delivered hook 2; then
    ok "the JSON webhook got both events through four 500 answers"
else
    not_ok "the JSON webhook got both events through four 500 answers" \
        "$(sql "SELECT * FROM dashboard.alert_deliveries WHERE destination = 'hook'")"
fi
check "the Slack webhook got the critical probe" wait_for 10 delivered slack 1
check "the mail went out for both events" wait_for 10 delivered mail 2
check "the 404 destination failed both for good" wait_for 10 failed gone 2

# the JSON webhook: six requests, each event answered 200 once, its id the same on every try
ids_ok=$(cat "$TEST_DIR"/hook/req.*.body | jq -r .id | sort | uniq -c | awk '{print $1}' |
    sort | tr '\n' ' ')
check_eq "six requests to the JSON webhook" 6 "$(ls "$TEST_DIR"/hook/req.*.body | wc -l)"
check_eq "each of the two events tried three times under one id" "3 3 " "$ids_ok"
n200=0
for h in "$TEST_DIR"/hook/req.*.headers; do
    grep -q '^status: 200$' "$h" || continue
    n200=$((n200 + 1))
    b=${h%.headers}.body
    key=$(sed -n 's/^Idempotency-Key: //p' "$h")
    [ "$key" = "$(jq -r .id "$b")" ] || not_ok "Idempotency-Key $key is the body's id"
    [ "$key" = "$(sed -n 's/^X-Socialroi-Event: //p' "$h")" ] || not_ok "X-Socialroi-Event is the id"
done
check_eq "two answered 200, one per event" 2 "$n200"
instance=$(sql "SELECT id FROM socialroi.alert_instance")
check_grep "the id is socialroi-<database id>-<event id>" "^\"socialroi-$instance-[0-9]+\"\$" \
    "$(cd "$TEST_DIR/hook" && jq .id req.1.body >id.txt && echo "$TEST_DIR/hook/id.txt")"
check_eq "the JSON body carries the alert" "raised critical probe a A probe Look at the probe. 1" \
    "$(jq -rs 'map(select(.subject == "a"))[0] | [.event, .severity, .kind, .subject, .title, .runbook, .detail.n] | join(" ")' "$TEST_DIR"/hook/req.*.body)"
check_grep "the JSON webhook is posted as application/json" \
    '^Content-Type: application/json' "$TEST_DIR/hook/req.1.headers"
check "no info alert went to the JSON webhook (min_severity warning)" \
    sh -c "! cat '$TEST_DIR'/hook/req.*.body | jq -e 'select(.subject == \"c\")'"
check "nothing resolved before the daemon started was sent" \
    sh -c "! grep -l before-start '$TEST_DIR'/*/req.*.body '$TEST_DIR'/mail/mail.* 2>/dev/null"

# back-off: one log line per step, waits growing
check_grep "a failed attempt is one log line with its wait" \
    'alertsend: delivery failed, trying again destination=hook event=[0-9]+ attempt=1 target=http://127\.0\.0\.1:[0-9]+ retry_in=[0-9]+ms error="HTTP 500' \
    "$TEST_DIR/daemon.log"
w1=$(sed -n 's/.*destination=hook event=[0-9]* attempt=1 .*retry_in=\([0-9]*\)ms.*/\1/p' \
    "$TEST_DIR/daemon.log" | sort -n | tail -n 1)
w2=$(sed -n 's/.*destination=hook event=[0-9]* attempt=2 .*retry_in=\([0-9]*\)ms.*/\1/p' \
    "$TEST_DIR/daemon.log" | sort -n | head -n 1)
if [ -n "$w1" ] && [ -n "$w2" ] && [ "$w1" -le 400 ] && [ "$w1" -ge 200 ] &&
    [ "$w2" -ge 400 ] && [ "$w2" -le 800 ]; then
    ok "the second wait is doubled (attempt 1: ${w1}ms of 200..400, attempt 2: ${w2}ms of 400..800)"
else
    not_ok "the second wait is doubled" "attempt 1 waited '$w1' ms, attempt 2 '$w2' ms"
fi

# Slack: the incoming webhook's shape, only the critical probe
check_eq "one request to the Slack webhook (kinds = probe, min_severity = critical)" 1 \
    "$(ls "$TEST_DIR"/slack/req.*.body | wc -l)"
check "the Slack body is text plus header, section and context blocks" \
    jq -e '(.text | type == "string") and ([.blocks[].type] == ["header", "section", "context"])
           and .blocks[0].text.type == "plain_text" and .blocks[1].text.type == "mrkdwn"
           and (.text | startswith("CRITICAL raised: A probe (a)"))' "$TEST_DIR/slack/req.1.body"
check "Slack's control characters are escaped" \
    jq -e '.blocks[1].text.text | contains("&amp; &lt;b&gt;")' "$TEST_DIR/slack/req.1.body"

# the mail: one message to both recipients, well formed
m="$TEST_DIR/mail/mail.1"
check_grep "the mail is addressed to ops@" '^RCPT TO:<ops@example\.com>' "$m"
check_grep "and to oncall@" '^RCPT TO:<oncall@example\.com>' "$m"
check_grep "from the configured sender" '^MAIL FROM:<alerts@example\.com>' "$m"
for h in 'Date: [A-Z][a-z]{2}, [0-9]{2} [A-Z][a-z]{2} [0-9]{4} [0-9:]{8} \+0000' \
    'From: alerts@example\.com' 'To: ops@example\.com,' ' oncall@example\.com' \
    'Subject: \[socialroi\] [A-Z]+ raised: ' "Message-ID: <socialroi-$instance-[0-9]+@example\.com>" \
    'MIME-Version: 1\.0' 'Content-Type: text/plain; charset=UTF-8'; do
    check_grep "the mail has ${h%%:*}" "^$h" "$m"
done
check_grep "the mail says what to do" '^Runbook: Look at the' "$m"

# a 429 with Retry-After: 2 is waited for (the backoff alone would be 100..200ms)
check "the rate-limited webhook gets the event after its Retry-After" wait_for 15 delivered slow 1
check_grep "the wait is the receiver's Retry-After" \
    'destination=slow event=[0-9]+ attempt=1 .*retry_in=2s error="HTTP 429' "$TEST_DIR/daemon.log"

# STARTTLS is required by default: a server without it gets no mail in the clear
no_tls() {
    [ "$(sql "SELECT count(*) FROM socialroi.alert_delivery WHERE destination = 'tls'
                 AND attempts = 1 AND delivered_at IS NULL AND failed_at IS NULL
                 AND last_error LIKE '%SSL%'")" = 1 ]
}
if wait_for 10 no_tls; then
    ok "a server without STARTTLS: the attempt fails and waits for a retry"
else
    not_ok "a server without STARTTLS: the attempt fails and waits for a retry" \
        "$(sql "SELECT * FROM dashboard.alert_deliveries WHERE destination = 'tls'")"
fi
check "and nothing was sent to it in the clear" sh -c "! ls '$TEST_DIR'/tls/mail.* 2>/dev/null"

# ---- the permanent failure is visible ------------------------------------------------------
check_eq "a 404 is tried once per event" 2 "$(ls "$TEST_DIR"/gone/req.*.body | wc -l)"
check_eq "the database says failed with the status" "failed HTTP 404" \
    "$(sql "SELECT DISTINCT state || ' ' || split_part(last_error, ':', 1)
              FROM dashboard.alert_deliveries WHERE destination = 'gone'")"
http_get /metrics >/dev/null
check_grep "/metrics counts it" \
    '^socialroi_alert_deliveries_total\{destination="gone",result="failed"\} 2$' "$TEST_DIR/body"
check_grep "/metrics counts the JSON webhook's retries" \
    '^socialroi_alert_deliveries_total\{destination="hook",result="retry"\} 4$' "$TEST_DIR/body"
check_grep "/metrics counts its deliveries" \
    '^socialroi_alert_deliveries_total\{destination="hook",result="delivered"\} 2$' "$TEST_DIR/body"
check_grep "/metrics has the pending gauge" \
    '^socialroi_alert_delivery_pending\{destination="mail"\} 0$' "$TEST_DIR/body"
http_get /healthz >/dev/null
check_grep "/healthz names the failing destination" \
    '"alert_delivery":"destination=gone: HTTP 404' "$TEST_DIR/body"
check_grep "the log says it gave up" \
    'alertsend: delivery refused, giving up destination=gone event=[0-9]+ attempt=1 .*error="HTTP 404' \
    "$TEST_DIR/daemon.log"

# ---- a resolution --------------------------------------------------------------------------
sql "DELETE FROM public.probe WHERE subject = 'b'"
evaluate
evaluate
resolved_hook() {
    cat "$TEST_DIR"/hook/req.*.body | jq -e 'select(.subject == "b" and .event == "resolved")'
}
check "the JSON webhook hears other/b resolved" wait_for 15 resolved_hook
check "the mail hears it too" wait_for 10 delivered mail 3
check_grep "in a mail that says resolved" '^Subject: \[socialroi\] WARNING resolved: ' \
    "$TEST_DIR/mail/mail.3"
check_eq "the Slack webhook heard nothing more (resolved = no, kinds = probe)" 1 \
    "$(ls "$TEST_DIR"/slack/req.*.body | wc -l)"

# ---- a reload: the failing destination removed, the others' state kept ------------------------
awk '/^\[alert gone\]$/ { skip = 1; next } skip && /^$/ { skip = 0; next } !skip' "$CONF" \
    >"$CONF.new" && mv "$CONF.new" "$CONF"
kill -HUP "$DAEMON_PID"
check "the reload is applied" wait_for 10 log_has 'config: reloaded'
healthy() {
    http_is 200 /healthz
}
check "/healthz is ok again once the refused destination is removed" wait_for 10 healthy
http_get /metrics >/dev/null
check_grep "the counters survive the reload" \
    '^socialroi_alert_deliveries_total\{destination="hook",result="delivered"\} 3$' "$TEST_DIR/body"
check "a removed destination leaves /metrics" \
    sh -c "! grep -q 'destination=\"gone\"' '$TEST_DIR/body'"

# ---- a crash mid-retry -----------------------------------------------------------------------
sql "INSERT INTO public.probe VALUES ('crash', 'k', 'critical')"
evaluate
tried_once() {
    [ "$(sql "SELECT attempts FROM socialroi.alert_delivery WHERE destination = 'crash'
                 AND delivered_at IS NULL")" = 1 ]
}
if wait_for 15 tried_once; then
    ok "the crash destination answered 500 once"
else
    not_ok "the crash destination answered 500 once" \
        "$(sql "SELECT * FROM dashboard.alert_deliveries WHERE destination = 'crash'")"
fi
stop_daemon KILL
check_eq "one request so far" 1 "$(ls "$TEST_DIR"/crash/req.*.body | wc -l)"
start_daemon "$CONF"
check "after a restart it is sent again and delivered" wait_for 20 delivered crash 1
check_eq "two requests in all, one event id" "2 1" \
    "$(ls "$TEST_DIR"/crash/req.*.body | wc -l) $(cat "$TEST_DIR"/crash/req.*.body | jq -r .id | sort -u | wc -l)"
check_eq "the JSON webhook still has each event answered 200 once" 3 \
    "$(grep -l '^status: 200$' "$TEST_DIR"/hook/req.*.headers | sed 's/headers$/body/' |
        xargs cat | jq -r .id | sort -u | wc -l)"

# ---- two daemons on one database: each event still goes out once per destination --------------
CONF2="$TEST_DIR/socialroi2.conf"
sed -e "s/^http_listen = .*/http_listen = 127.0.0.1:$(free_port)/" "$CONF" >"$CONF2"
$SR_WRAP "$B/socialroid" -f -c "$CONF2" >>"$TEST_DIR/daemon2.log" 2>&1 &
D2=$!
register_pid "$D2"
wait_for 10 grep -q 'alertsend: delivering alerts' "$TEST_DIR/daemon2.log"
sql "INSERT INTO public.probe VALUES ('probe', 'twin', 'critical')"
evaluate
twin_sent() {
    [ "$(sql "SELECT count(*) FROM socialroi.alert_delivery d JOIN socialroi.alert_event e
                 USING (event_id) JOIN socialroi.alert a USING (alert_id)
               WHERE a.subject = 'twin' AND d.delivered_at IS NOT NULL")" = 3 ]
}
check "with two daemons the twin alert is delivered to hook, slack and mail" wait_for 15 twin_sent
sleep 1 # a duplicate would arrive right after the first
twins() {
    grep -lE '"subject":"twin"|raised: A probe \(twin\)"' "$TEST_DIR/$1"/req.*.body 2>/dev/null |
        wc -l
}
check_eq "the JSON webhook got it once" 1 "$(twins hook)"
check_eq "the Slack webhook got it once" 1 "$(twins slack)"
check_eq "one mail for it" 1 "$(grep -l '^subject: twin' "$TEST_DIR"/mail/mail.* | wc -l)"
kill -TERM "$D2"
wait "$D2"
check_eq "the second daemon stops cleanly" 0 "$?"

# ---- secrets ---------------------------------------------------------------------------------
http_get /metrics >/dev/null
pg_dump -d "$TEST_DB" >"$TEST_DIR/dump.sql" 2>/dev/null
for s in "$HOOK_TOKEN" slacktoken-Zx81Lw T0SECRET "$SMTP_PASSWORD"; do
    check "no secret ($s) in the log, /metrics or the database" \
        sh -c "! grep -F -- '$s' '$TEST_DIR/daemon.log' '$TEST_DIR/daemon2.log' '$TEST_DIR/body' '$TEST_DIR/dump.sql'"
done
check "the database dump was read" test -s "$TEST_DIR/dump.sql"
check_grep "a destination is logged as scheme://host" \
    'destination=slack event=[0-9]+ attempt=1 target=http://127\.0\.0\.1:[0-9]+$' \
    "$TEST_DIR/daemon.log"

stop_daemon
check_eq "the daemon stops cleanly" 0 "$DAEMON_RC"
done_testing
