# t_retired_metric.sh - a platform retires an insights metric mid-run: on Graph one retired
# metric in metric=a,b,c fails the whole call (error 100). The simulator retires Facebook's
# page_media_view (refused without its name: the daemon asks half the metrics at a time to find
# it) and Instagram's likes (refused as metric[N]: named at once). The daemon drops each from
# later requests, keeps that in the job's cursor (every --once is a new process), says so once
# in its log and in the fetch record, and the rest of each stream keeps flowing.
. tests/integration/lib.sh

CONF="$TEST_DIR/socialroi.conf"
start_sim 7 || { not_ok "the simulator starts"; done_testing; exit 1; }
sim_config "$CONF" facebook instagram

check_rc 0 "a first --once exits 0" run_once "$CONF"
truth_check "Meta: the database equals the truth" facebook

check "the simulator retires facebook page_media_view" \
    sim_post "/_retire?platform=facebook&metric=page_media_view"
check "the simulator retires instagram likes" sim_post "/_retire?platform=instagram&metric=likes"
views_before=$(sql "SELECT count(*) || ':' || sum(value) FROM socialroi.metric_daily WHERE metric = 'views'
                      AND account_id = (SELECT account_id FROM socialroi.account WHERE name = 'facebook-0')")
sim_post /_advance >/dev/null
make_due
check_rc 0 "--once after the metrics were retired exits 0" run_once "$CONF"

job() { # job STREAM COLUMN
    sql "SELECT $2 FROM socialroi.poll_job WHERE stream = '$1'"
}
check_eq "facebook.page_insights ran without a failure" 0 "$(job facebook.page_insights failures)"
check_eq "instagram.account_insights ran without a failure" 0 "$(job instagram.account_insights failures)"
check_eq "the page insights cursor keeps the retired metric" page_media_view \
    "$(job facebook.page_insights "cursor::jsonb->>'retired'")"
check_eq "the account insights cursor keeps the retired metric" likes \
    "$(job instagram.account_insights "cursor::jsonb->>'retired'")"
check_eq "the log says once that page_media_view is no longer asked for" 1 \
    "$(grep -c 'metric refused by the platform.*metric=page_media_view' "$TEST_DIR/daemon.log")"
check_eq "the log says once that likes is no longer asked for" 1 \
    "$(grep -c 'metric refused by the platform.*metric=likes' "$TEST_DIR/daemon.log")"
check_grep "page_media_view was found by asking half the metrics at a time" \
    'finding the refused metric.*stream=facebook.page_insights' "$TEST_DIR/daemon.log"
if grep -q 'finding the refused metric.*stream=instagram.account_insights' "$TEST_DIR/daemon.log"; then
    not_ok "likes, named by the answer, needed no search"
else
    ok "likes, named by the answer, needed no search"
fi
check_eq "a fetch record of each stream says which metric was dropped" 2 \
    "$(sql "SELECT count(*) FROM socialroi.fetch_run r JOIN socialroi.poll_job j USING (job_id)
             WHERE r.outcome = 'ok' AND ((j.stream = 'facebook.page_insights'
                   AND r.error LIKE 'metric page_media_view refused by the platform, no longer asked for%')
                OR (j.stream = 'instagram.account_insights'
                   AND r.error LIKE 'metric likes refused by the platform, no longer asked for%'))")"
# the rest keeps flowing: the restated days of the other metrics are corrected
n=$(sql "SELECT count(*) FROM socialroi.revision WHERE table_name = 'metric_daily'")
[ "$n" -gt 0 ] && ok "the other insights metrics are still read: $n restated days corrected" ||
    not_ok "the other insights metrics are still read" "no revision of metric_daily"
check_eq "views stored before the retirement stay as they were" "$views_before" \
    "$(sql "SELECT count(*) || ':' || sum(value) FROM socialroi.metric_daily WHERE metric = 'views'
              AND account_id = (SELECT account_id FROM socialroi.account WHERE name = 'facebook-0')")"

# a new process reads the cursor: the retired metrics are not asked for again
sim_post /_advance >/dev/null
make_due
check_rc 0 "a third --once exits 0" run_once "$CONF"
check_eq "no failure after a restart" 0 \
    "$(sql "SELECT sum(failures) FROM socialroi.poll_job")"
check_eq "no new refusal after a restart (the metrics are not asked for)" 2 \
    "$(grep -c 'metric refused by the platform' "$TEST_DIR/daemon.log")"
check_eq "the cursors still keep them" "page_media_view likes" \
    "$(job facebook.page_insights "cursor::jsonb->>'retired'") $(job instagram.account_insights "cursor::jsonb->>'retired'")"

stop_sim
done_testing
