# t_grafana.sh - the Grafana provisioning in contrib/grafana against a database with data, without
# Grafana: both provisioning files parse; every panel names a provisioned data source; no query
# reads the socialroi schema; every panel query, its macros expanded as Grafana's PostgreSQL data
# source expands them and $model as each model of the dashboard's own model list, runs as the
# reader role of its data source; the trend and ROI panels return rows, and every panel with a
# time macro is empty over a year without data.
. tests/integration/lib.sh

G=contrib/grafana
DS_YAML=$G/provisioning/datasources/socialroi.yaml
DB_YAML=$G/provisioning/dashboards/socialroi.yaml
DASHBOARDS="$G/dashboards/socialroi-marketing.json $G/dashboards/socialroi-finance.json"

# ---- provisioning files ----------------------------------------------------------------------
# ds.txt: one line per data source, "uid|type|user|database|sslmode|password". With PyYAML the
# files are parsed; without it, a line-level reading of the same keys.
if python3 -c 'import yaml' 2>/dev/null; then
    for f in "$DS_YAML" "$DB_YAML"; do
        check "$f parses as YAML" python3 -c 'import sys, yaml; yaml.safe_load(open(sys.argv[1]))' "$f"
    done
    python3 -c '
import sys, yaml
for d in yaml.safe_load(open(sys.argv[1]))["datasources"]:
    j = d.get("jsonData", {})
    s = d.get("secureJsonData", {})
    print("|".join(str(x) for x in (d.get("uid"), d.get("type"), d.get("user"), j.get("database"),
                                    j.get("sslmode"), s.get("password"))))
' "$DS_YAML" >"$TEST_DIR/ds.txt" 2>"$TEST_DIR/ds.err"
    python3 -c '
import sys, yaml
for p in yaml.safe_load(open(sys.argv[1]))["providers"]:
    print(p["type"] + "|" + p["options"]["path"])
' "$DB_YAML" >"$TEST_DIR/providers.txt" 2>>"$TEST_DIR/ds.err"
else
    ok "provisioning YAML parses # SKIP python3-yaml is not installed: line-level checks only"
    awk -F': *' '
        function flush() { if (uid != "") print uid "|" type "|" user "|" db "|" ssl "|" pw; uid = "" }
        /^  - name:/ { flush() }
        /^    uid:/ { uid = $2 } /^    type:/ { type = $2 } /^    user:/ { user = $2 }
        /^      database:/ { db = $2 } /^      sslmode:/ { ssl = $2 } /^      password:/ { pw = $2 }
        END { flush() }' "$DS_YAML" >"$TEST_DIR/ds.txt"
    awk -F': *' '/^    type:/ { t = $2 } /^      path:/ { print t "|" $2 }' "$DB_YAML" \
        >"$TEST_DIR/providers.txt"
fi
check_eq "two data sources are provisioned" 2 "$(grep -c . "$TEST_DIR/ds.txt")"
check_eq "each reads the socialroi database with TLS required or verified" "" \
    "$(awk -F'|' '$4 != "socialroi" || $5 !~ /^(require|verify-ca|verify-full)$/' "$TEST_DIR/ds.txt")"
check_eq "each password comes from the environment (\$SOCIALROI_*_PASSWORD)" "" \
    "$(awk -F'|' '$6 !~ /^\$\{?SOCIALROI_[A-Z]+_PASSWORD\}?$/' "$TEST_DIR/ds.txt")"
grep -q 'SOCIALROI_DASHBOARD_PASSWORD' "$TEST_DIR/ds.txt" &&
    ok "the dashboard data source reads \$SOCIALROI_DASHBOARD_PASSWORD" ||
    not_ok "the dashboard data source reads \$SOCIALROI_DASHBOARD_PASSWORD"
check_eq "the dashboards provider is a file provider" "file" "$(cut -d'|' -f1 "$TEST_DIR/providers.txt")"

# reader_of USER: the group role the README's deployment grants the login role USER
# ("GRANT socialroi_dashboard TO grafana"); the test runs that data source's queries as the
# test's login role holding the same group role (it_dashboard, it_finance).
reader_of() {
    sed -n "s/.*GRANT \(socialroi_[a-z]*\) TO $1'.*/\1/p" README.md | head -n 1
}
: >"$TEST_DIR/roles.txt"
while IFS='|' read -r uid type user _; do
    group=$(reader_of "$user")
    case $group in
        socialroi_dashboard) role=it_dashboard ;;
        socialroi_finance) role=it_finance ;;
        *) role="" ;;
    esac
    if [ -n "$role" ]; then
        ok "data source $uid logs in as $user, holding $group only (README)"
        echo "$uid|$type|$role" >>"$TEST_DIR/roles.txt"
    else
        not_ok "data source $uid logs in as a reader role" "user '$user' holds '${group:-nothing}' in the README"
    fi
done <"$TEST_DIR/ds.txt"
check_eq "one data source per reader role" "it_dashboard it_finance" \
    "$(cut -d'|' -f3 "$TEST_DIR/roles.txt" | sort | tr '\n' ' ' | sed 's/ $//')"

# ---- dashboard JSON ----------------------------------------------------------------------------
for d in $DASHBOARDS; do
    dn=$(basename "$d" .json)
    check "$dn: parses as JSON" jq -e 'type == "object"' "$d"
    check "$dn: schemaVersion of a current Grafana (>= 39)" jq -e '.schemaVersion >= 39' "$d"
    check_eq "$dn: provisioned under its file name's uid" "$dn" "$(jq -r .uid "$d")"
    check_eq "$dn: every panel is a timeseries, barchart, table or stat" "" \
        "$(jq -r '.panels[] | select(.type | IN("timeseries", "barchart", "table", "stat") | not) | .title' "$d")"
    check_eq "$dn: every panel has a description" "" \
        "$(jq -r '.panels[] | select((.description // "") == "") | .title' "$d")"
    check_eq "$dn: every target is raw SQL, as time_series or table" "" \
        "$(jq -r '.panels[] | . as $p | .targets[] |
            select((.rawSql // "") == "" or (.format | IN("time_series", "table") | not)) |
            "\($p.title) \(.refId)"' "$d")"
    # every data source reference (panels, targets, variables) names a provisioned uid and type
    jq -r '[.. | objects | select(has("datasource")) | .datasource | objects
            | "\(.uid)|\(.type)"] | unique[]' "$d" >"$TEST_DIR/refs.txt"
    bad=""
    while read -r ref; do
        grep -q "^$ref|" "$TEST_DIR/roles.txt" || bad="$bad $ref"
    done <"$TEST_DIR/refs.txt"
    if [ -s "$TEST_DIR/refs.txt" ]; then
        check_eq "$dn: every data source uid and type is a provisioned one" "" "$bad"
    else
        not_ok "$dn: panels name their data source"
    fi
    # every query reads the reader schemas only: no socialroi.* (tables readers cannot read),
    # every FROM/JOIN names dashboard.* or finance.*
    jq -r '[.panels[].targets[].rawSql, (.templating.list[]? | .query | strings)] | .[]' "$d" \
        >"$TEST_DIR/sql_all.txt"
    check_eq "$dn: no query names the socialroi schema" "" \
        "$(grep -Eio '\bsocialroi\.[a-z_]+' "$TEST_DIR/sql_all.txt" | sort -u | tr '\n' ' ')"
    check_eq "$dn: every relation read is a dashboard or finance view or function" "" \
        "$(grep -Eio '\b(from|join)[[:space:]]+[a-z_."]+' "$TEST_DIR/sql_all.txt" |
            awk '{ print $2 }' | grep -Eiv '^(dashboard|finance)\.' | sort -u | tr '\n' ' ')"
done
check_eq "the marketing dashboard reads the dashboard role's data source only" "socialroi-dashboard" \
    "$(jq -r '[.panels[].targets[].datasource.uid] | unique | join(" ")' "$G/dashboards/socialroi-marketing.json")"
check_eq "the finance dashboard reads the finance role's data source only" "socialroi-finance" \
    "$(jq -r '[.panels[].targets[].datasource.uid, .templating.list[].datasource.uid] | unique | join(" ")' \
        "$G/dashboards/socialroi-finance.json")"
check_eq "the finance dashboard has a \$model variable" "model" \
    "$(jq -r '.templating.list[] | select(.name == "model") | .name' "$G/dashboards/socialroi-finance.json")"
n=$(jq -r '.panels[] | select(.description | test("micro-units")) | .targets[].rawSql' \
    "$G/dashboards/socialroi-finance.json" | grep -c '_micros / 1e6')
[ "$n" -ge 3 ] && ok "money in micro-units is divided by 1e6 in the query and the panel says so ($n)" ||
    not_ok "money in micro-units is divided by 1e6 in the query and the panel says so" "$n"
# shellcheck disable=SC2086
check_eq "no panel shows micro-units undivided" "" \
    "$(jq -r '.panels[].targets[].rawSql' $DASHBOARDS | grep '_micros' | grep -v '/ 1e6' |
        grep -Ev '^[[:space:]]*(WHERE|AND) ')"

# ---- a database with data -----------------------------------------------------------------------
CONF="$TEST_DIR/socialroi.conf"
PLATFORMS="x facebook instagram linkedin youtube pinterest hubspot"
start_sim 21 || { not_ok "the simulator starts"; done_testing; exit 1; }
# shellcheck disable=SC2086
sim_config "$CONF" $PLATFORMS
sim_campaigns "$CONF"
check_rc 0 "socialroid --once over every platform exits 0" run_once "$CONF"
stop_sim

# ---- every panel query as its data source's role ------------------------------------------------
# The dashboards' own time range (now-90d to now) as Grafana sends it: RFC 3339 UTC.
FROM=$(date -u -d "$(jq -r '.time.from | sub("now-(?<n>[0-9]+)d"; "\(.n) days ago")' \
    "$G/dashboards/socialroi-finance.json")" +%Y-%m-%dT%H:%M:%S.%3NZ)
TO=$(date -u +%Y-%m-%dT%H:%M:%S.%3NZ)

role_of() { grep "^$1|" "$TEST_DIR/roles.txt" | cut -d'|' -f3; }

# the model list, as Grafana fills the variable: the variable's query as its data source's role
fin=$G/dashboards/socialroi-finance.json
jq -r '.templating.list[] | select(.name == "model") | .query' "$fin" >"$TEST_DIR/models.sql"
mrole=$(role_of "$(jq -r '.templating.list[] | select(.name == "model") | .datasource.uid' "$fin")")
psql -XqAt -v ON_ERROR_STOP=1 -d "$TEST_DB" -U "${mrole:-none}" -f "$TEST_DIR/models.sql" \
    >"$TEST_DIR/models.txt" 2>&1
MODELS=$(tr '\n' ' ' <"$TEST_DIR/models.txt")
case " $MODELS " in
    *" first_touch "*) case " $MODELS " in
        *" linear "*) ok "the model list as $mrole: $MODELS" ;;
        *) not_ok "the model list names the attribution models" "$MODELS" ;; esac ;;
    *) not_ok "the model list names the attribution models" "$MODELS" ;;
esac
check_eq "the variable's default is a model of the list" "linear" \
    "$(jq -r '.templating.list[] | select(.name == "model") | .current.value' "$fin")"

# expand.jq: every target of a dashboard with Grafana's PostgreSQL macros expanded (as its
# macro engine does: $__timeFilter(c) -> c BETWEEN 'from' AND 'to'; $__timeFrom()/$__timeTo() ->
# 'from'/'to'; $__timeGroup(c,'1d') -> floor(extract(epoch from c)/86400)*86400, the start of
# the UTC day, and $__timeGroupAlias adds AS "time") and $model / ${model} replaced by $model.
cat >"$TEST_DIR/expand.jq" <<'JQ'
def secs: capture("(?<n>[0-9]+)(?<u>[smhdw])") | (.n | tonumber) * {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}[.u];
def expand:
    gsub("\\$__timeGroupAlias\\((?<c>[^,()]+),\\s*'?(?<i>[0-9]+[smhdw])'?\\)";
         "floor(extract(epoch from \(.c))/\(.i | secs))*\(.i | secs) AS \"time\"")
  | gsub("\\$__timeGroup\\((?<c>[^,()]+),\\s*'?(?<i>[0-9]+[smhdw])'?\\)";
         "floor(extract(epoch from \(.c))/\(.i | secs))*\(.i | secs)")
  | gsub("\\$__timeFilter\\((?<c>[^()]+)\\)"; "\(.c) BETWEEN '\($from)' AND '\($to)'")
  | gsub("\\$__timeFrom\\(\\)"; "'\($from)'")
  | gsub("\\$__timeTo\\(\\)"; "'\($to)'")
  | gsub("\\$\\{model\\}|\\$model\\b"; $model);
.panels[] | . as $p | .targets[]
  | [$p.type, .datasource.uid, .format, (.rawSql | test("\\$\\{?model")), $p.title,
     (.rawSql | expand | @base64)] | join("|")
JQ

q=0
failed=""
empty=""
notime=""
for d in $DASHBOARDS; do
    dn=$(basename "$d" .json)
    for m in $MODELS; do
        jq -r --arg from "$FROM" --arg to "$TO" --arg model "$m" -f "$TEST_DIR/expand.jq" "$d" \
            >"$TEST_DIR/targets.jsonl" || { not_ok "$dn: macros expand"; break; }
        while IFS='|' read -r ptype uid format uses_model title sql64; do
            # queries without $model run once (under the first model)
            [ "$uses_model" = false ] && [ "$m" != "${MODELS%% *}" ] && continue
            printf '%s\n' "$sql64" | base64 -d >"$TEST_DIR/q.sql"
            label="$dn / $title"
            [ "$uses_model" = true ] && label="$label [model=$m]"
            if grep -q '\$' "$TEST_DIR/q.sql"; then
                failed="$failed
$label: unexpanded: $(grep -o '\$[_a-zA-Z{]*' "$TEST_DIR/q.sql" | head -n 1)"
                continue
            fi
            role=$(role_of "$uid")
            q=$((q + 1))
            # unaligned with header and footer: the first line names the columns, the last
            # says "(N rows)"
            if ! psql -XA -v ON_ERROR_STOP=1 -d "$TEST_DB" -U "${role:-none}" -f "$TEST_DIR/q.sql" \
                >"$TEST_DIR/q.out" 2>&1; then
                failed="$failed
$label as ${role:-?}: $(grep -m 1 -E 'ERROR|FATAL|error' "$TEST_DIR/q.out" || head -c 300 "$TEST_DIR/q.out")"
                continue
            fi
            rows=$(tail -n 1 "$TEST_DIR/q.out" | sed -n 's/^(\([0-9]*\) rows\{0,1\})$/\1/p')
            echo "$label|$ptype|$m|${rows:-?}" >>"$TEST_DIR/rows.txt"
            if [ "$format" = time_series ] &&
                ! head -n 1 "$TEST_DIR/q.out" | tr '|' '\n' | grep -qx time; then
                notime="$notime
$label"
            fi
            # trend and ROI panels must show something, under every model: the time series
            # (channel trends, sentiment, monthly ROI and spend) and every ROI and spend panel
            need=0
            [ "$ptype" = timeseries ] && need=1
            grep -Eq 'finance\.(roi_report|campaign_roi|channel_roi)' "$TEST_DIR/q.sql" && need=1
            if [ $need = 1 ] && [ "${rows:-0}" -eq 0 ] 2>/dev/null; then
                empty="$empty
$label as $role"
            fi
        done <"$TEST_DIR/targets.jsonl"
    done
done
[ "$q" -ge 30 ] && ok "$q panel queries ran (every target, the \$model ones under each model)" ||
    not_ok "every panel query ran" "$q queries"
check_eq "every panel query succeeds as its data source's reader role" "" "$failed"
check_eq "every time_series query returns a time column" "" "$notime"
check_eq "the trend and ROI panels return rows" "" "$empty"
for v in "Impressions by channel" "ROI by campaign, selected range"; do
    grep -q "^[^|]*$v" "$TEST_DIR/rows.txt" && ok "rows of '$v' were counted" ||
        not_ok "rows of '$v' were counted"
done
echo "# measured: $(awk -F'|' '$4 > 0' "$TEST_DIR/rows.txt" | wc -l) of $(wc -l <"$TEST_DIR/rows.txt") panel queries returned rows"

# The time range is honoured: a year the world has no data in (two years to one year ago),
# under the default model. Every panel whose query names a time macro shows nothing there: no
# row, or for a stat's sum one row of NULLs; the panels of current state (open alerts, data
# health, the reconciliation) take no time range and are left out.
OLD_FROM=$(date -u -d '730 days ago' +%Y-%m-%dT%H:%M:%S.%3NZ)
OLD_TO=$(date -u -d '365 days ago' +%Y-%m-%dT%H:%M:%S.%3NZ)
n=0
leaked=""
for d in $DASHBOARDS; do
    dn=$(basename "$d" .json)
    jq -r --arg from "$OLD_FROM" --arg to "$OLD_TO" --arg model linear -f "$TEST_DIR/expand.jq" \
        "$d" >"$TEST_DIR/targets_old.txt"
    jq -r '.panels[].targets[] | .rawSql | test("\\$__time")' "$d" >"$TEST_DIR/timed.txt"
    paste -d'|' "$TEST_DIR/timed.txt" "$TEST_DIR/targets_old.txt" >"$TEST_DIR/targets_old2.txt"
    while IFS='|' read -r timed ptype uid _ _ title sql64; do
        [ "$timed" = true ] || continue
        printf '%s\n' "$sql64" | base64 -d >"$TEST_DIR/q.sql"
        n=$((n + 1))
        psql -XAt -v ON_ERROR_STOP=1 -d "$TEST_DB" -U "$(role_of "$uid")" -f "$TEST_DIR/q.sql" \
            >"$TEST_DIR/q.out" 2>&1 || { leaked="$leaked
$dn / $title: $(grep -m 1 ERROR "$TEST_DIR/q.out")"; continue; }
        if [ "$ptype" = stat ]; then
            grep -q '[0-9]' "$TEST_DIR/q.out" && leaked="$leaked
$dn / $title: $(head -c 200 "$TEST_DIR/q.out")"
        elif [ -s "$TEST_DIR/q.out" ]; then
            leaked="$leaked
$dn / $title: $(wc -l <"$TEST_DIR/q.out") rows"
        fi
    done <"$TEST_DIR/targets_old2.txt"
done
[ "$n" -ge 10 ] && ok "$n panels filter by the time range" || not_ok "panels filter by the time range" "$n"
check_eq "over a year without data every time-filtered panel is empty" "" "$leaked"

# the reader roles cannot read what the dashboards must not: the test's own check that a query
# naming a table would have failed (socialroi_dashboard has no grant on the schema's tables)
if psql -XqAt -d "$TEST_DB" -U it_dashboard -c 'SELECT count(*) FROM socialroi.account' \
    >"$TEST_DIR/deny.out" 2>&1; then
    not_ok "a table of the socialroi schema is refused to the dashboard role"
else
    check_grep "a table of the socialroi schema is refused to the dashboard role" 'permission denied' \
        "$TEST_DIR/deny.out"
fi
done_testing
