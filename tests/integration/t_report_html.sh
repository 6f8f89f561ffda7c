# t_report_html.sh - `socialroi report html`: the simulated world (every platform, the world's
# campaigns, the X account listening to the brand and to competitors), one campaign renamed to
# hostile HTML; the page is written as the reader roles (dashboard, finance for the ROI), refers
# to nothing off the file, holds the seven charts by id (six with marks: no month of this world
# is closed, so what moved closed months says there is nothing), every campaign's name
# escaped and its revenue exactly as `report roi` prints it; headless Chromium renders it (the
# DOM has the chart titles, the screenshot is a real picture). Without Chromium this fails.
. tests/integration/lib.sh

CONF="$TEST_DIR/socialroi.conf"
HTML="$TEST_DIR/report.html"
PLATFORMS="x facebook instagram linkedin youtube pinterest hubspot"
start_sim 21 || { not_ok "the simulator starts"; done_testing; exit 1; }
# shellcheck disable=SC2086
sim_config "$CONF" $PLATFORMS
sim_campaigns "$CONF"
# the X account's competitors' query as `competitors`, so share of voice has both sides
RIVALS='(globex OR initech) lang:en'
jq -r --arg r "$RIVALS" '.x.accounts[0].queries | map(select(. != $r)) |
    "queries = \"\(join(", ") | gsub("\\\\"; "\\\\") | gsub("\""; "\\\""))\"\ncompetitors = \"rivals=\($r)\""' \
    "$TEST_DIR/world.json" >"$TEST_DIR/listen.conf"
awk -v f="$TEST_DIR/listen.conf" '
    /^\[account / { x = 0 } /^platform = x$/ && !done { print; while ((getline l < f) > 0) print l; x = 1; done = 1; next }
    x && /^queries = / { next } { print }' "$CONF" >"$CONF.new" && mv "$CONF.new" "$CONF"
check "socialroid -n accepts the world" socialroid -n -c "$CONF"
check_rc 0 "socialroid --once over every platform exits 0" run_once "$CONF"

# a campaign named by someone typing HTML
EVIL='<script>alert("x")</script> & Co'
first=$(sql "SELECT name FROM socialroi.campaign ORDER BY name LIMIT 1")
sql "UPDATE socialroi.campaign SET name = '$(echo "$EVIL" | sed "s/'/''/g")' WHERE name = '$first'" \
    >/dev/null
sim_get /_truth >"$TEST_DIR/truth.json"
from=$(jq -r .roi.from "$TEST_DIR/truth.json")
to=$(jq -r .roi.to "$TEST_DIR/truth.json")

start=$(date +%s%N)
check_rc 0 "report html writes the page as the dashboard and finance roles" \
    socialroi report html --dsn "$(conninfo it_dashboard)" --finance-dsn "$(conninfo it_finance)" \
    --from "$from" --to "$to" --out "$HTML"
ms=$((($(date +%s%N) - start) / 1000000))
size=$(wc -c <"$HTML" 2>/dev/null || echo 0)
[ "$size" -gt 10000 ] && ok "the page has content ($size bytes, written in $ms ms)" ||
    not_ok "the page has content" "$size bytes"

# nothing fetched from elsewhere: no src= or href= off the file, no script, no http at all
if grep -Eiq '(src|href)[[:space:]]*=[[:space:]]*["'"'"']?[a-z]+:' "$HTML" || grep -Eiq 'https?://' "$HTML"; then
    not_ok "the page refers to nothing off the file" "$(grep -Eio '.{20}(https?://|(src|href)=).{40}' "$HTML" | head -n 3)"
else
    ok "the page refers to nothing off the file"
fi
n=$(grep -ci '<script' "$HTML")
check_eq "the page has no <script> element (the hostile name is escaped)" 0 "$n"
check_grep "the hostile name is there, escaped" \
    '&lt;script&gt;alert\(&quot;x&quot;\)&lt;/script&gt; &amp; Co' "$HTML"

# each chart by id, with its marks
for id in spend-revenue roi-models funnel channel-trends share-of-voice bridge; do
    marks=$(awk -v id="$id" '$0 ~ "<figure id=\"" id "\"" { on = 1 } on && /class="mark"/ { n++ }
        on && /<\/figure>/ { on = 0 } END { print n + 0 }' "$HTML")
    [ "$marks" -ge 1 ] && ok "chart $id is there with $marks marks" ||
        not_ok "chart $id is there with marks" "$(grep -c "<figure id=\"$id\"" "$HTML") figures, $marks marks"
done
check_grep "each chart is a figure with its caption" '<figcaption>' "$HTML"
n=$(grep -c '<details><summary>' "$HTML")
check_eq "each chart has its figures in a details table" 7 "$n"
check_grep "a world without a close: nothing moved closed months" \
    '<figure id="adjustments">' "$HTML"
# the bridge's walk ends at the CRM's count: its last step is the view's sum
check_grep "the bridge ends at the CRM's leads, as finance.roi_bridge sums them" \
    "<th scope=\"row\">CRM-verified leads</th><td class=\"num\">$(psql -XqAt -d "$(conninfo it_finance)" \
        -c "SELECT COALESCE(sum(crm_leads), 0) FROM finance.roi_bridge
             WHERE month BETWEEN date_trunc('month', '$from'::date) AND '$to'")</td>" "$HTML"

# every campaign and its revenue as `report roi` prints it (linear, the default model)
socialroi report roi --dsn "$(conninfo it_finance)" --from "$from" --to "$to" --format table \
    >"$TEST_DIR/roi.txt" 2>&1
esc() { sed -e 's/&/\&amp;/g; s/</\&lt;/g; s/>/\&gt;/g; s/"/\&quot;/g'"; s/'/\\&#39;/g"; }
missing="" count=0
while IFS='	' read -r name revenue; do
    count=$((count + 1))
    cell="<th scope=\"row\">$(printf '%s' "$name" | esc)</th>"
    grep -F "$cell" "$HTML" | grep -Fq "<td class=\"num\">$revenue</td>" ||
        missing="$missing [$name: $revenue]"
done <<EOF
$(awk -F '  +' 'NR > 3 && NF > 8 { print $1 "\t" $8 }' "$TEST_DIR/roi.txt")
EOF
[ "$count" -ge 3 ] && [ -z "$missing" ] &&
    ok "every campaign ($count) is on the page with its revenue as report roi prints it" ||
    not_ok "every campaign is on the page with its revenue as report roi prints it" \
        "$count campaigns; missing:$missing"

# an empty period says so instead of drawing
socialroi report html --dsn "$(conninfo it_dashboard)" --finance-dsn "$(conninfo it_finance)" \
    --from 2001-01-01 --to 2001-01-31 --out "$TEST_DIR/empty.html" >"$TEST_DIR/empty.out" 2>&1
n=$(grep -c 'no data for this period' "$TEST_DIR/empty.html" 2>/dev/null)
check_eq "an empty period says \"no data for this period\" for each chart" 7 "$n"
check_rc 2 "--by does not apply to report html" socialroi report html --by month
check_rc 2 "--format does not apply to report html" socialroi report html --format csv
check_rc 2 "--out applies to report html only" socialroi report roi --out "$TEST_DIR/x.html"
check_rc 1 "a reader refused the ROI fails, naming why" socialroi report html \
    --dsn "$(conninfo it_dashboard)" --out "$TEST_DIR/refused.html"
check_grep "with PostgreSQL's reason" '^socialroi: report: permission denied' "$TEST_DIR/last.out"
[ -e "$TEST_DIR/refused.html" ] && not_ok "and writes no file" || ok "and writes no file"

# ---- rendered by headless Chromium --------------------------------------------------------------
if ! command -v chromium >/dev/null 2>&1; then
    not_ok "chromium is installed (the test goals install it: tests/tools/deps.sh)"
    done_testing
    exit 1
fi
# its profile and crash files go under the test's directory
export HOME="$TEST_DIR/home"
mkdir -p "$HOME"
CHROME="chromium --headless --no-sandbox --disable-gpu --user-data-dir=$TEST_DIR/chromium"
start=$(date +%s%N)
# shellcheck disable=SC2086
timeout 60 $CHROME --window-size=1280,2400 --screenshot="$TEST_DIR/report.png" "file://$HTML" \
    >"$TEST_DIR/shot.out" 2>&1
ms=$((($(date +%s%N) - start) / 1000000))
size=$(wc -c <"$TEST_DIR/report.png" 2>/dev/null || echo 0)
[ "$size" -gt 20000 ] && ok "chromium renders a screenshot ($size bytes, $ms ms)" ||
    not_ok "chromium renders a screenshot" "$size bytes" "$(tail -n 5 "$TEST_DIR/shot.out")"
# shellcheck disable=SC2086
timeout 60 $CHROME --dump-dom "file://$HTML" >"$TEST_DIR/dom.html" 2>"$TEST_DIR/dom.err"
for title in "Spend vs attributed revenue per campaign" "ROI by attribution model per campaign" \
    "The funnel, all campaigns" "Impressions per platform" "Share of voice on X"; do
    check_grep "the rendered DOM has \"$title\"" "$title" "$TEST_DIR/dom.html"
done
n=$(grep -c 'class="mark"' "$TEST_DIR/dom.html")
[ "$n" -ge 10 ] && ok "the rendered DOM keeps the marks ($n)" || not_ok "the rendered DOM keeps the marks" "$n"
done_testing
