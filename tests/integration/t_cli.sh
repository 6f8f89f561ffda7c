# t_cli.sh - the command line's habits: every command's own --help; usage errors (exit 2, one
# message, one prefix) for options that do not apply and invalid combinations; migrate naming
# file:line and the next step; status from the dashboard views as every role, non-zero when
# unhealthy, with the daemon's components when dashboard.daemon_health exists; reports as
# their reader roles, rows keyed the same way, CSV lists without array syntax.
. tests/integration/lib.sh

# ---- help and usage -----------------------------------------------------------------------------
for c in migrate parse status poll backfill report fx rollup alerts export import demo; do
    socialroi "$c" --help >"$TEST_DIR/help.out" 2>&1
    rc=$?
    if [ $rc -eq 0 ] && head -n 1 "$TEST_DIR/help.out" | grep -q "^usage: socialroi $c "; then
        ok "$c --help prints its own usage"
    else
        not_ok "$c --help prints its own usage" "rc=$rc" "$(head -n 2 "$TEST_DIR/help.out")"
    fi
done

# usage_error NAME PATTERN ARGS...: exit 2 and exactly one line matching the pattern
usage_error() {
    name=$1 pattern=$2
    shift 2
    socialroi "$@" >"$TEST_DIR/usage.out" 2>&1
    rc=$?
    lines=$(wc -l <"$TEST_DIR/usage.out")
    if [ $rc -eq 2 ] && [ "$lines" -eq 1 ] && grep -Eq -- "$pattern" "$TEST_DIR/usage.out"; then
        ok "$name"
    else
        not_ok "$name" "rc=$rc, $lines lines:" "$(cat "$TEST_DIR/usage.out")"
    fi
}
usage_error "report channels --by campaign" '^socialroi: report: report channels --by takes channel or month' \
    report channels --by campaign
usage_error "report funnel --by month" '^socialroi: report: --by does not apply to report funnel' \
    report funnel --by month
usage_error "report funnel --model" '^socialroi: report: --model does not apply to report funnel' \
    report funnel --model linear
usage_error "report channels --model" '^socialroi: report: --model does not apply to report channels' \
    report channels --model first_touch
usage_error "report roi --format xml" '^socialroi: report: --format takes table, csv or json' report roi --format xml
usage_error "report with --to before --from" '^socialroi: report: --to 2026-01-01 is before --from 2026-02-01' \
    report roi --from 2026-02-01 --to 2026-01-01
usage_error "report bogus" '^socialroi: report: "bogus" is not a report' report bogus
usage_error "status --model does not apply" '^socialroi: status: --model does not apply to status' status --model x
usage_error "status --format csv" '^socialroi: status: --format takes table or json' status --format csv
usage_error "migrate --from does not apply" '^socialroi: migrate: --from does not apply to migrate' migrate --from 2026-01-01
usage_error "parse -c does not apply" '^socialroi: parse: -c does not apply to parse' parse -c x.conf x.posts f
usage_error "demo --dsn does not apply" '^socialroi: demo: --dsn does not apply to demo' demo --dsn x
usage_error "rollup --replace does not apply" '^socialroi: rollup: --replace does not apply' rollup --replace
usage_error "an unknown option" '^socialroi: status: unknown option --frobnicate' status --frobnicate
usage_error "a missing value" '^socialroi: report: --by needs a value' report roi --by
usage_error "backfill --format without --status" '^socialroi: backfill: --format applies to --status only' \
    backfill a b --from 2026-01-01 --to 2026-01-02 --format json
usage_error "alerts ack with --all" '^socialroi: alerts: --all applies to list only' alerts ack 1 --all
usage_error "alerts list with --by" '^socialroi: alerts: --by applies to ack only' alerts --by me
usage_error "alerts ack of a word" '^socialroi: alerts: ack takes an alert.s id, a number, not "x"' alerts ack x
usage_error "alerts bogus" '^socialroi: alerts: unknown action "bogus": list or ack ID' alerts bogus
usage_error "alerts --format csv" '^socialroi: alerts: --format takes table or json' alerts --format csv
usage_error "alerts --model does not apply" '^socialroi: alerts: --model does not apply to alerts' alerts --model x
check_rc 2 "poll without an account is a usage error" socialroi poll
check_grep "saying what is missing" '^socialroi: poll: missing ACCOUNT$' "$TEST_DIR/last.out"
check_grep "with the synopsis" '^usage: socialroi poll ACCOUNT \[STREAM\]' "$TEST_DIR/last.out"

# ---- migrate says where and what next -----------------------------------------------------------
DB="${TEST_DB}_clash"
psql -XqAt -c "CREATE DATABASE $DB" >/dev/null
psql -XqAt -d "$DB" -c "CREATE SCHEMA socialroi; CREATE TABLE socialroi.account (x int)" >/dev/null
line=$(grep -n '^CREATE TABLE socialroi.account ' sql/001_core.sql | cut -d: -f1)
check_rc 1 "migrate over a clashing table exits 1" socialroi migrate --dsn "host=$PGHOST port=$PGPORT user=$PGUSER dbname=$DB"
check_grep "naming file:line of the statement" "^socialroi: migrate: 001_core.sql:$line: relation \"account\" already exists$" "$TEST_DIR/last.out"
check_grep "and the next step" '^socialroi: migrate: nothing of 001_core.sql was applied .*drop it .*run socialroi migrate again$' "$TEST_DIR/last.out"
if grep -q 'line 0\|ERROR:' "$TEST_DIR/last.out"; then not_ok "no line 0, no doubled label" "$(cat "$TEST_DIR/last.out")"; else ok "no line 0, no doubled label"; fi
psql -XqAt -d "$DB" -c "SET client_min_messages = warning; DROP SCHEMA socialroi CASCADE" >/dev/null
check_rc 0 "after the next step, migrate succeeds" socialroi migrate --dsn "host=$PGHOST port=$PGPORT user=$PGUSER dbname=$DB"

# ---- a database with data, and one login role per deployment role -------------------------------
as() { conninfo "it_$1"; } # the deployment's login roles (tests/pg.sh)

CONF="$TEST_DIR/socialroi.conf"
start_sim 3 || { not_ok "the simulator starts"; done_testing; exit 1; }
sim_config "$CONF" facebook linkedin
sim_campaigns "$CONF"
check_rc 0 "socialroid --once exits 0" run_once "$CONF"

# ---- status -----------------------------------------------------------------------------------
for r in dashboard finance daemon; do
    check_rc 0 "status as socialroi_$r: healthy, exit 0" socialroi status --dsn "$(as $r)"
    cp "$TEST_DIR/last.out" "$TEST_DIR/status_$r.out"
done
check_grep "it lists the jobs" '^facebook-0 +facebook\.page_insights +ok ' "$TEST_DIR/status_dashboard.out"
check_grep "and says healthy" '^healthy$' "$TEST_DIR/status_dashboard.out"
# the same jobs, states and failures (lag and next due move with the clock)
for r in dashboard finance daemon; do
    awk '{print $1, $2, $3}' "$TEST_DIR/status_$r.out" >"$TEST_DIR/status_$r.cols"
done
if cmp -s "$TEST_DIR/status_dashboard.cols" "$TEST_DIR/status_finance.cols" &&
    cmp -s "$TEST_DIR/status_dashboard.cols" "$TEST_DIR/status_daemon.cols"; then
    ok "every role gets the same answer"
else
    not_ok "every role gets the same answer" "$(diff "$TEST_DIR/status_dashboard.cols" "$TEST_DIR/status_daemon.cols" | head -5)"
fi
check_rc 0 "status --format json" socialroi status --format json --dsn "$(as finance)"
check_eq "json: healthy, jobs listed" "true true" \
    "$(jq -r '[.healthy, (.jobs | length > 0)] | map(tostring) | join(" ")' "$TEST_DIR/last.out")"

sql "UPDATE socialroi.poll_job SET failures = 3, last_error_class = 'server'
      WHERE stream = 'facebook.posts'" >/dev/null
check_rc 1 "a failing job: status exits 1 (as socialroi_dashboard)" socialroi status --dsn "$(as dashboard)"
check_grep "and says why" '^unhealthy: 1 job\(s\) failing, 0 account' "$TEST_DIR/last.out"
check_rc 1 "status --format json exits 1 too" socialroi status --format json --dsn "$(as dashboard)"
check_eq "json: healthy false" false "$(jq -r .healthy "$TEST_DIR/last.out")"
sql "UPDATE socialroi.poll_job SET failures = 0, last_error_class = NULL" >/dev/null
sql "UPDATE socialroi.account SET state = 'needs_reauth' WHERE name = 'linkedin-0'" >/dev/null
check_rc 1 "an account that needs re-authorization: exit 1" socialroi status --dsn "$(as finance)"
check_grep "and says so" '1 account\(s\) need re-authorization' "$TEST_DIR/last.out"
sql "UPDATE socialroi.account SET state = 'ok'" >/dev/null

# a daemon component that keeps failing, as socialroid records it (socialroi.daemon_health)
sql "INSERT INTO socialroi.daemon_health (component, owner, failing_since, failures, last_error,
                                         updated_at)
     VALUES ('database', 'host-1', now() - interval '5 minutes', 4, 'connection refused', now())" \
    >/dev/null
check_rc 1 "a failing daemon component: exit 1" socialroi status --dsn "$(as dashboard)"
check_grep "it shows the component" '^database +host-1 +[0-9-]+ [0-9:]+Z +4 +connection refused' "$TEST_DIR/last.out"
check_grep "and counts it" '1 daemon component\(s\) failing$' "$TEST_DIR/last.out"
check_rc 1 "json has it too" socialroi status --format json --dsn "$(as finance)"
check_eq "json: daemon[0].component" database "$(jq -r '.daemon[0].component' "$TEST_DIR/last.out")"
socialroi rollup --dsn "$(as daemon)" >"$TEST_DIR/rollup.out" 2>&1
check_grep "rollup says the daemon's failing component leaves data missing" \
    'rollup: the daemon reports 1 failing component\(s\) \(database\)' "$TEST_DIR/rollup.out"
check_rc 1 "status as the daemon's role shows it too" socialroi status --dsn "$(as daemon)"
sql "DELETE FROM socialroi.daemon_health" >/dev/null
check_rc 0 "once it works again, healthy again" socialroi status --dsn "$(as dashboard)"

# ---- reports as their reader roles --------------------------------------------------------------
sim_get /_truth >"$TEST_DIR/truth.json"
from=$(jq -r .roi.from "$TEST_DIR/truth.json") to=$(jq -r .roi.to "$TEST_DIR/truth.json")
R="--from $from --to $to"
# shellcheck disable=SC2086
check_rc 0 "report roi as socialroi_finance" socialroi report roi $R --format json --dsn "$(as finance)"
check_eq "rows lead with key" key "$(jq -r '.rows[0] | keys_unsorted[0]' "$TEST_DIR/last.out")"
check_eq "the reporting currency is named" USD "$(jq -r .currency "$TEST_DIR/last.out")"
# shellcheck disable=SC2086
check_rc 0 "report channels as socialroi_dashboard" socialroi report channels $R --format json --dsn "$(as dashboard)"
check_eq "rows lead with key, then platform" "key platform" \
    "$(jq -r '.rows[0] | keys_unsorted[0:2] | join(" ")' "$TEST_DIR/last.out")"
check_eq "by channel" channel "$(jq -r .by "$TEST_DIR/last.out")"
check_eq "and no attribution model" null "$(jq -r .model "$TEST_DIR/last.out")"
# shellcheck disable=SC2086
# the key scheme of the funnel rows, as the reader it is documented for
check_rc 0 "report funnel as socialroi_dashboard" socialroi report funnel $R --format json --dsn "$(as dashboard)"
check_eq "rows lead with key (the campaign), then month" "key month" \
    "$(jq -r '.rows[0] | keys_unsorted[0:2] | join(" ")' "$TEST_DIR/last.out")"
# shellcheck disable=SC2086
check_rc 1 "report roi as socialroi_dashboard is refused" socialroi report roi $R --dsn "$(as dashboard)"
check_grep "with one prefix and PostgreSQL's reason" '^socialroi: report: permission denied for [a-z]+ [a-z_]+$' "$TEST_DIR/last.out"

# currencies without a rate into CHF: listed as CHF;EUR in CSV, never {..}
sql "SELECT socialroi.sync_settings('CHF', 7)" >/dev/null
check "rollup after the currency change" socialroi rollup --dsn "$(conninfo)"
# shellcheck disable=SC2086
check_rc 0 "report roi --format csv" socialroi report roi $R --format csv --dsn "$(as finance)"
col=$(head -n 1 "$TEST_DIR/last.out" | tr ',' '\n' | grep -n '^unconverted_currencies' | cut -d: -f1)
cells=$(tail -n +2 "$TEST_DIR/last.out" | cut -d, -f"$col" | tr -d '\r' | sort -u | tr '\n' ' ')
case "$cells" in
    *[A-Z][A-Z][A-Z]*) ok "unconverted currencies are listed ($cells)" ;;
    *) not_ok "unconverted currencies are listed" "$cells" ;;
esac
if grep -q '[{}]' "$TEST_DIR/last.out"; then not_ok "no {} array syntax in the CSV" "$(grep '[{}]' "$TEST_DIR/last.out" | head -3)"; else ok "no {} array syntax in the CSV"; fi
# shellcheck disable=SC2086
socialroi report roi $R --format json --dsn "$(as finance)" >"$TEST_DIR/roi.json"
check_eq "JSON lists them as an array of codes" array "$(jq -r '.rows[0].unconverted_currencies | type' "$TEST_DIR/roi.json")"
check_eq "the heading's currency follows the setting" CHF "$(jq -r .currency "$TEST_DIR/roi.json")"

done_testing
