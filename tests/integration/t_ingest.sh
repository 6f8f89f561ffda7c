# t_ingest.sh - socialroid --once against the simulator, X and Meta: the database equals the
# simulator's truth exactly; a second run changes nothing; restated days are corrected and
# their previous values kept; tokens never reach the database or the logs. The daemon writes
# through two connections ([daemon] writers = 2).
. tests/integration/lib.sh

CONF="$TEST_DIR/socialroi.conf"
start_sim 7 || { not_ok "the simulator starts"; done_testing; exit 1; }
sim_config "$CONF" x facebook
# two writer connections: jobs spread over them by id, each job's pages still in order (every
# other test writes through one)
sed -i '/^\[daemon\]/a writers = 2' "$CONF"

check "socialroid -n accepts the simulator config" socialroid -n -c "$CONF"

# ---- first run: everything the world has ----------------------------------------------------
check_rc 0 "socialroid --once exits 0" run_once "$CONF"
truth_check "X: the database equals the truth" x
truth_check "Meta: the database equals the truth" facebook
# Graph pages a Page's posts by time (until + __paging_token, no cursors): more posts than one
# page of 100 holds, so the truth check above passed only if every time page was followed
fb_posts=$(jq -r '.totals.facebook.posts' "$TEST_DIR/truth.json")
n=$(sql "SELECT count(*) FROM socialroi.fetch_run WHERE outcome = 'ok' AND job_id IN
           (SELECT job_id FROM socialroi.poll_job WHERE stream = 'facebook.posts')")
[ "$fb_posts" -gt 100 ] && [ "$n" -ge 2 ] &&
    ok "Meta posts: $fb_posts posts over $n time-paged pages" ||
    not_ok "Meta posts: more than one time-paged page" "posts $fb_posts, pages $n"
n=$(sql "SELECT count(*) FROM socialroi.poll_job WHERE last_success IS NOT NULL")
[ "$n" -eq 7 ] && ok "all seven jobs completed a run (x.mentions too)" || not_ok "all seven jobs completed a run (x.mentions too)" "got $n"
n=$(sql "SELECT count(*) FROM socialroi.fetch_run WHERE outcome = 'ok'")
[ "$n" -ge 8 ] && ok "pagination: several pages per run are recorded ($n fetches)" ||
    not_ok "pagination: several pages per run are recorded" "got $n"
n=$(sql "SELECT count(*) FROM socialroi.poll_job WHERE lease_owner IS NOT NULL")
[ "$n" -eq 0 ] && ok "no lease is left behind" || not_ok "no lease is left behind" "$n"

counts() {
    sql "SELECT (SELECT count(*) FROM socialroi.metric_daily) || ' ' ||
                (SELECT count(*) FROM socialroi.ad_daily) || ' ' ||
                (SELECT count(*) FROM socialroi.content) || ' ' ||
                (SELECT count(*) FROM socialroi.lead) || ' ' ||
                (SELECT count(*) FROM socialroi.touchpoint) || ' ' ||
                (SELECT count(*) FROM socialroi.ad_campaign) || ' ' ||
                (SELECT count(*) FROM socialroi.revision)"
}

# ---- second run: nothing changes --------------------------------------------------------------
before=$(counts)
snaps_before=$(sql "SELECT count(DISTINCT (account_id, object_id, metric)) FROM socialroi.metric_snapshot")
snap_rows_before=$(sql "SELECT count(*) FROM socialroi.metric_snapshot")
make_due
check_rc 0 "a second --once exits 0" run_once "$CONF"
after=$(counts)
[ "$before" = "$after" ] && ok "a second run adds or changes no fact (no duplicates, no revisions)" ||
    not_ok "a second run adds or changes no fact" "before $before" "after  $after"
snaps_after=$(sql "SELECT count(DISTINCT (account_id, object_id, metric)) FROM socialroi.metric_snapshot")
[ "$snaps_before" = "$snaps_after" ] && ok "snapshots gain observations, not new series" ||
    not_ok "snapshots gain observations, not new series" "$snaps_before -> $snaps_after"
snap_rows_after=$(sql "SELECT count(*) FROM socialroi.metric_snapshot")
check_eq "an unchanged counter observed again adds no snapshot row" "$snap_rows_before" "$snap_rows_after"
n=$(sql "SELECT sum(rows_written) FROM socialroi.fetch_run WHERE run_id > (SELECT max(run_id) - 8 FROM socialroi.fetch_run) AND job_id IN (SELECT job_id FROM socialroi.poll_job WHERE stream = 'facebook.ads_insights')")
[ "${n:-0}" -eq 0 ] && ok "re-fetched unchanged ad days write no row" || not_ok "re-fetched unchanged ad days write no row" "wrote $n"
truth_check "X still equals the truth" x
truth_check "Meta still equals the truth" facebook

# ---- restatement ------------------------------------------------------------------------------
sim_post /_advance >/dev/null
make_due
check_rc 0 "--once after the platform restated recent days exits 0" run_once "$CONF"
truth_check "Meta: restated days are corrected" facebook
truth_check "X: grown counters are stored" x
n=$(sql "SELECT count(*) FROM socialroi.revision WHERE table_name = 'ad_daily'")
[ "$n" -gt 0 ] && ok "restated ad days keep their previous values ($n revisions)" ||
    not_ok "restated ad days keep their previous values"
n=$(sql "SELECT count(*) FROM socialroi.revision WHERE run_id IS NULL")
[ "$n" -eq 0 ] && ok "every revision names the fetch that restated it" || not_ok "every revision names the fetch that restated it" "$n without"

# ---- secrets --------------------------------------------------------------------------------------
tokens=$(sed -n 's/^access_token = //p' "$TEST_DIR/credentials")
leak=0
for t in $tokens; do
    if pg_dump -d "$TEST_DB" -a 2>/dev/null | grep -qF "$t"; then leak=1; fi
    if grep -qF "$t" "$TEST_DIR/daemon.log"; then leak=2; fi
done
[ $leak -eq 0 ] && ok "no access token in the database dump or the log" || not_ok "no access token in the database dump or the log" "leak=$leak"
if sql "SELECT cursor FROM socialroi.poll_job" | grep -q 'access_token'; then
    not_ok "cursors hold no paging URL with a token"
else
    ok "cursors hold no paging URL with a token"
fi

# ---- status -------------------------------------------------------------------------------------
socialroi status --dsn "$(conninfo)" >"$TEST_DIR/status.out" 2>&1
check_grep "socialroi status lists every job" 'facebook-0 +facebook.ads_insights +ok' "$TEST_DIR/status.out"
[ "$(grep -c ' ok ' "$TEST_DIR/status.out")" -eq 7 ] && ok "status shows seven healthy jobs" ||
    not_ok "status shows seven healthy jobs" "$(cat "$TEST_DIR/status.out")"

stop_sim
done_testing
