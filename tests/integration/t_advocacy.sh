# t_advocacy.sh - employee advocacy against the simulator: a LinkedIn member's own account
# (member = yes, the member's own token) beside the organization's account. The member account
# gets linkedin.member_posts and nothing else, the organization's account every stream but that
# one; after socialroid --once both equal the simulator's truth (the organization's statistics,
# campaigns and leads; the member's posts with their lifetime counters and the member's daily
# totals); a second run changes nothing; dashboard.advocacy, read as the dashboard role, sums
# the member's posts per UTC month as the truth does.
. tests/integration/lib.sh

CONF="$TEST_DIR/socialroi.conf"
SIM_TIMEOUT=2s
start_sim 13 || { not_ok "the simulator starts"; done_testing; exit 1; }
sim_config "$CONF" linkedin
PERSON=$(jq -r '.linkedin.accounts[0].members[0].person' "$TEST_DIR/world.json")
jq -r '.linkedin.accounts[0].members[0] |
    "\n[account linkedin-member]\nplatform = linkedin\nid = \(.person)\nmember = yes\ncredential = linkedin-member"' \
    "$TEST_DIR/world.json" >>"$CONF"
jq -r '.linkedin.accounts[0] as $org | $org.members[0] |
    "\n[credential linkedin-member]\naccess_token = \(.access_token)\nrefresh_token = \(.refresh_token)\nclient_id = \($org.client_id)\nclient_secret = \($org.client_secret)\nexpires_at = \(.token_expires_at)"' \
    "$TEST_DIR/world.json" >>"$TEST_DIR/credentials"

check "socialroid -n accepts a member account beside the organization's" socialroid -n -c "$CONF"

# member = yes is LinkedIn's only
printf '[account m]\nplatform = x\nid = 1\nmember = yes\ncredential = none\n' >"$TEST_DIR/bad.conf"
write_config "$TEST_DIR/bad_full.conf"
cat "$TEST_DIR/bad.conf" >>"$TEST_DIR/bad_full.conf"
socialroid -n -c "$TEST_DIR/bad_full.conf" >"$TEST_DIR/bad.out" 2>&1
check_grep "member = yes on an X account is refused, naming the key" \
    'member: only LinkedIn accounts' "$TEST_DIR/bad.out"

check_rc 0 "socialroid --once exits 0" run_once "$CONF"

got=$(sql "SELECT string_agg(a.name || ':' || j.stream, ' ' ORDER BY a.name, j.stream)
             FROM socialroi.poll_job j JOIN socialroi.account a USING (account_id)")
check_eq "the member account has linkedin.member_posts only, the organization's every other stream" \
    "linkedin-0:linkedin.ad_analytics linkedin-0:linkedin.leads linkedin-0:linkedin.org_stats linkedin-member:linkedin.member_posts" \
    "$got"
check_eq "the member's job is flagged as delivering daily metrics, as the adapter declares" t \
    "$(sql "SELECT daily_metrics FROM socialroi.poll_job WHERE stream = 'linkedin.member_posts'")"
n=$(sql "SELECT count(*) FROM socialroi.poll_job WHERE last_success IS NULL")
check_eq "every job completed a run" 0 "$n"

# The truth with the configured member beside the organization (the other member is not
# configured: not expected), checked by the generic comparison.
truth_equal() {
    sim_get /_truth | jq --arg p "$PERSON" '.linkedin |= (
        (to_entries | map(.value.members[$p] // empty) | .[0]) as $m
        | map_values(del(.members)) + {($p): $m})' >"$TEST_DIR/truth.json"
    chmod 644 "$TEST_DIR/truth.json"
    psql -XqAt -v ON_ERROR_STOP=1 -d "$TEST_DB" -v truth_file="$TEST_DIR/truth.json" \
        -v platform=linkedin -f tests/integration/truth/generic.sql >"$TEST_DIR/diff.out" 2>&1
    rc=$?
    if [ $rc -eq 0 ] && [ ! -s "$TEST_DIR/diff.out" ]; then
        ok "$1"
    else
        not_ok "$1" "$(wc -l <"$TEST_DIR/diff.out") differences (rc=$rc), first ones:"
        head -n 15 "$TEST_DIR/diff.out" | sed -e 's/^/# /'
    fi
}
truth_equal "the organization and the member equal the simulator's truth"

sim_get /_truth >"$TEST_DIR/raw_truth.json"
posts=$(jq --arg p "$PERSON" '[.linkedin[] | (.members[$p].content // {}) | length] | add' \
    "$TEST_DIR/raw_truth.json")
[ "$posts" -gt 0 ] && ok "the member has posts in the world ($posts)" ||
    not_ok "the member has posts in the world" "$posts"

counts() {
    sql "SELECT (SELECT count(*) FROM socialroi.metric_daily) || ' ' ||
                (SELECT count(*) FROM socialroi.metric_snapshot) || ' ' ||
                (SELECT count(*) FROM socialroi.content) || ' ' ||
                (SELECT count(*) FROM socialroi.revision)"
}
before=$(counts)
make_due
check_rc 0 "a second --once exits 0" run_once "$CONF"
check_eq "a second run adds or changes no fact" "$before" "$(counts)"
truth_equal "still equals the truth"

# dashboard.advocacy as the dashboard role: per UTC month of publication, one member posting,
# the posts and the sums of their counters, as the truth has them
want=$(jq -r --arg p "$PERSON" '[.linkedin[] | (.members[$p].content // {}) | to_entries[]]
    | group_by(.value.published_at[0:7])
    | map("\(.[0].value.published_at[0:7])-01 1 \(length) \(map(.value.metrics.impressions) | add) \(map(.value.metrics.reach) | add) \(map(.value.metrics.likes) | add) \(map(.value.metrics.comments) | add) \(map(.value.metrics.shares) | add)")
    | join(";")' "$TEST_DIR/raw_truth.json")
got=$(psql -XqAt -v ON_ERROR_STOP=1 "$(conninfo it_dashboard)" -c "
    SELECT string_agg(concat_ws(' ', month, members_posting, posts, impressions, reach, reactions,
                                comments, reshares), ';' ORDER BY month)
      FROM dashboard.advocacy")
check_eq "dashboard.advocacy (as socialroi_dashboard) sums the member's posts per month as the truth" \
    "$want" "$got"

stop_sim
done_testing
