# t_deploy.sh - the first real deployment, as the README walks through it: `make install
# DESTDIR=...`, a DBA makes the roles, a non-superuser admin migrates an empty database with the
# installed `socialroi`, the installed `socialroid` runs as a LOGIN role holding only
# socialroi_daemon, and every report runs as the reader role it is documented for. The data
# equals the simulator's truth and the ROI report equals the simulator's ROI, as in the demo;
# the finance views add up; a grant taken away is seen at once and fails the run.
. tests/integration/lib.sh

ROOT="$TEST_DIR/root"
BIN="$ROOT/usr/bin"
make -s --no-print-directory install B="$B" DESTDIR="$ROOT" PREFIX=/usr \
    >"$TEST_DIR/install.out" 2>&1
check_rc 0 "make install DESTDIR=... installs both binaries" test -x "$BIN/socialroid" -a -x "$BIN/socialroi"

# the installed binaries, under valgrind when the run asks for it
isocialroi() {
    # shellcheck disable=SC2086
    $SR_WRAP "$BIN/socialroi" "$@"
}
isocialroid() {
    # shellcheck disable=SC2086
    $SR_WRAP "$BIN/socialroid" "$@"
}

# ---- the DBA: roles and an empty database owned by the admin -----------------------------------
# The README's commands: the group roles come from the first migration; login roles are granted
# the group role they need and nothing else.
TEST_DB=socialroi_deploy
psql -XqAt -v ON_ERROR_STOP=1 -c 'CREATE ROLE deploy_admin LOGIN CREATEROLE' \
    -c "CREATE DATABASE $TEST_DB OWNER deploy_admin" >"$TEST_DIR/dba.out" 2>&1
check_rc 0 "the first migration runs as a non-superuser admin" \
    isocialroi migrate --dsn "$(conninfo deploy_admin)"
check_eq "the admin is not a superuser" f \
    "$(sql "SELECT rolsuper FROM pg_roles WHERE rolname = 'deploy_admin'")"
psql -XqAt -v ON_ERROR_STOP=1 -c 'CREATE ROLE socialroi LOGIN' \
    -c 'GRANT socialroi_daemon TO socialroi' \
    -c 'CREATE ROLE grafana LOGIN' -c 'GRANT socialroi_dashboard TO grafana' \
    -c 'CREATE ROLE analyst LOGIN' -c 'GRANT socialroi_finance TO analyst' \
    >>"$TEST_DIR/dba.out" 2>&1
check_eq "the daemon's login role holds socialroi_daemon and nothing else" socialroi_daemon \
    "$(sql "SELECT string_agg(g.rolname, ',') FROM pg_auth_members m
              JOIN pg_roles g ON g.oid = m.roleid JOIN pg_roles u ON u.oid = m.member
             WHERE u.rolname = 'socialroi'")"

# ---- the daemon, as socialroi ---------------------------------------------------------------------
CONF="$TEST_DIR/socialroi.conf"
PLATFORMS="x facebook instagram linkedin youtube pinterest hubspot"
DAEMON_ROLE=socialroi
start_sim 21 || { not_ok "the simulator starts"; done_testing; exit 1; }
# shellcheck disable=SC2086
sim_config "$CONF" $PLATFORMS
sim_campaigns "$CONF"
check "the installed socialroid -n accepts the configuration" isocialroid -n -c "$CONF"
# shellcheck disable=SC2086
check_rc 0 "socialroid --once as socialroi exits 0" \
    sh -c "$SR_WRAP '$BIN/socialroid' --once -c '$CONF' >>'$TEST_DIR/daemon.log' 2>&1"
if grep -qi 'permission denied' "$TEST_DIR/daemon.log"; then
    not_ok "no statement of the daemon is refused a privilege" \
        "$(grep -i 'permission denied' "$TEST_DIR/daemon.log" | head -n 3)"
else
    ok "no statement of the daemon is refused a privilege"
fi
for p in $PLATFORMS; do
    truth_check "$p: the database equals the simulator's truth" "$p"
done
check_eq "the rollup is current" 0 \
    "$(sql "SELECT (SELECT count(*) FROM socialroi.dirty_spend)
                 + (SELECT count(*) FROM socialroi.dirty_conversion)")"

# ---- the readers ----------------------------------------------------------------------------------
roi_equal "the ROI report, run as the finance role, equals the simulator's ROI" analyst

from=$(jq -r .roi.from "$TEST_DIR/truth.json")
to=$(jq -r .roi.to "$TEST_DIR/truth.json")
# report_as NAME ROLE ARGS...: the report exits 0 as ROLE and prints rows (JSON: a non-empty
# "rows" array; table and CSV: a heading and at least one line).
report_as() {
    name=$1
    role=$2
    shift 2
    isocialroi report "$@" --dsn "$(conninfo "$role")" --from "$from" --to "$to" \
        >"$TEST_DIR/report.out" 2>&1
    rc=$?
    case " $* " in
        *" json "*) jq -e '.rows | length > 0' "$TEST_DIR/report.out" >/dev/null 2>&1 || rc=9 ;;
        *) [ "$(wc -l <"$TEST_DIR/report.out")" -ge 2 ] || rc=9 ;;
    esac
    if [ $rc -eq 0 ]; then
        ok "$name"
    else
        not_ok "$name" "exit $rc: $(head -c 300 "$TEST_DIR/report.out")"
    fi
}
for fmt in table csv json; do
    report_as "finance: report roi --by channel ($fmt)" analyst roi --by channel --format "$fmt"
    report_as "finance: report roi --by month ($fmt)" analyst roi --by month --format "$fmt"
    report_as "dashboard: report channels ($fmt)" grafana channels --format "$fmt"
    report_as "dashboard: report funnel ($fmt)" grafana funnel --format "$fmt"
    report_as "finance: report funnel ($fmt)" analyst funnel --format "$fmt"
done
check_rc 0 "dashboard: socialroi status" isocialroi status --dsn "$(conninfo grafana)"
check_rc 0 "finance: socialroi status" isocialroi status --dsn "$(conninfo analyst)"

# views as a BI tool reads them, as their roles
as_role() {
    psql -XqAt -v ON_ERROR_STOP=1 -d "$TEST_DB" -U "$1" -c "$2"
}
# every view of the schema (pg_views lists them whatever the role may read: a view that lacks
# its grant fails here, not in a BI tool)
views() { as_role "$1" "SELECT viewname FROM pg_catalog.pg_views WHERE schemaname = '$2' ORDER BY 1"; }
n=0
for v in $(views grafana dashboard); do
    check "dashboard: SELECT from dashboard.$v" as_role grafana "SELECT count(*) FROM dashboard.$v"
    n=$((n + 1))
done
[ "$n" -ge 12 ] && ok "every dashboard view was read ($n)" || not_ok "every dashboard view was read" "$n views"
n=0
for v in $(views analyst finance); do
    check "finance: SELECT from finance.$v" as_role analyst "SELECT count(*) FROM finance.$v"
    n=$((n + 1))
done
[ "$n" -ge 3 ] && ok "every finance view was read ($n)" || not_ok "every finance view was read" "$n views"
check_rc 1 "dashboard cannot read finance" as_role grafana "SELECT 1 FROM finance.campaign_roi"
check_rc 1 "finance cannot read socialroi's tables" as_role analyst "SELECT 1 FROM socialroi.lead"

# summed in a BI tool, the channels add up to the campaigns, per month and model
sums="sum(spend), sum(platform_spend), sum(configured_spend), sum(leads), sum(customers), sum(revenue)"
diff_sums=$(as_role analyst "
    SELECT count(*) FROM (
        SELECT month, model, $sums FROM finance.channel_roi GROUP BY 1, 2
        EXCEPT
        SELECT month, model, $sums FROM finance.campaign_roi GROUP BY 1, 2) d" 2>&1)
check_eq "finance.channel_roi summed over channels equals finance.campaign_roi" 0 "$diff_sums"
n=$(as_role analyst "SELECT count(*) FROM finance.channel_roi WHERE spend > 0")
[ "${n:-0}" -gt 0 ] && ok "finance.channel_roi has spend ($n rows)" || not_ok "finance.channel_roi has spend" "$n"

# ---- a grant taken away is seen within one poll ---------------------------------------------------
sql "REVOKE SELECT ON socialroi.configured_spend_daily FROM socialroi_daemon" >/dev/null
make_due
: >"$TEST_DIR/revoked.log"
# shellcheck disable=SC2086
timeout 120 $SR_WRAP "$BIN/socialroid" --once -c "$CONF" >"$TEST_DIR/revoked.log" 2>&1
check_eq "without a grant, socialroid --once exits 1 (not 0, not forever)" 1 "$?"
check_grep "the log says what was refused" 'permission denied' "$TEST_DIR/revoked.log"
sql "GRANT SELECT ON socialroi.configured_spend_daily TO socialroi_daemon" >/dev/null

done_testing
