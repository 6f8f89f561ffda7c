# t_rollup_race.sh - no dirty mark is ever lost: one session restates ad days and deals (as the
# daemon's writer does) while another runs the incremental rollup in small batches (as the
# daemon's rollup job does), both as a LOGIN role holding only socialroi_daemon; after each
# round the incremental rollup, brought up to date, equals `socialroi rollup --rebuild`. Then
# every report runs as its documented reader role, in a reporting currency other than USD.
. tests/integration/lib.sh

ROUNDS=${ROUNDS:-12}
WRITES=${WRITES:-30}

# Login roles for the deployment's group roles (roles are cluster-wide: reuse them).
as() { conninfo "$1"; } # the deployment's login roles (tests/pg.sh)

# A campaign with two Meta ad campaigns over five days, a retainer, and people whose touches
# and won deals credit it: few buckets, so the writer keeps hitting the ones the rollup holds.
cat >"$TEST_DIR/setup.sql" <<'SQL'
SELECT socialroi.sync_settings('EUR', 7);
SELECT socialroi.sync_account('fb', 'facebook', '1', 'EUR', '', true, '');
SELECT socialroi.sync_account('hs', 'hubspot', '2', 'EUR', '', true, '');
SELECT socialroi.sync_campaigns('[{"name":"race","title":"Race","start":"2026-03-01","end":"2026-03-31",
  "spend":[{"line":1,"kind":"monthly","amount_micros":3100000000,"currency":"EUR","start":"2026-03-01","end":"2026-03-31"}],
  "links":[{"kind":"ad_campaign","platform":"facebook","value":"111"},
           {"kind":"ad_campaign","platform":"facebook","value":"222"},
           {"kind":"utm_campaign","platform":"","value":"race"}]}]');
INSERT INTO socialroi.ad_daily (account_id, campaign_id, day, day_basis, currency, spend_micros,
                                impressions, clicks)
SELECT 1, c, '2026-03-01'::date + d, 'account_tz', 'EUR', 1000000, 100, 1
  FROM unnest(ARRAY['111', '222']) c, generate_series(0, 4) d;
INSERT INTO socialroi.lead (account_id, lead_id, source, created_at, email_hash)
SELECT 1, 'l' || i, 'form', '2026-03-02 10:00Z'::timestamptz + i * interval '1 hour', 'h' || i
  FROM generate_series(1, 6) i;
INSERT INTO socialroi.lead (account_id, lead_id, source, created_at, email_hash)
SELECT 2, 'c' || i, 'crm', '2026-03-03 10:00Z', 'h' || i FROM generate_series(1, 6) i;
INSERT INTO socialroi.touchpoint (account_id, touch_id, lead_id, kind, occurred_at, platform,
                                  campaign_id, utm_campaign)
SELECT 1, 't' || i || k, 'l' || i, 'ad_click',
       '2026-03-01 10:00Z'::timestamptz + (i + k) * interval '1 hour', 'facebook',
       CASE WHEN k = 1 THEN '111' ELSE NULL END, CASE WHEN k = 2 THEN 'race' END
  FROM generate_series(1, 6) i, generate_series(1, 2) k;
INSERT INTO socialroi.deal (account_id, deal_id, amount_micros, currency, is_won, is_closed,
                            created_at, closed_at)
SELECT 2, 'd' || i, 1000000000, 'EUR', true, true, '2026-03-04Z', '2026-03-05Z'
  FROM generate_series(1, 6) i;
INSERT INTO socialroi.deal_contact SELECT 2, 'd' || i, 'c' || i FROM generate_series(1, 6) i;
SQL
if psql -XqAt -v ON_ERROR_STOP=1 "$(as it_daemon)" -f "$TEST_DIR/setup.sql" \
    >"$TEST_DIR/setup.out" 2>&1; then
    ok "setup as the daemon role"
else
    not_ok "setup as the daemon role" "$(cat "$TEST_DIR/setup.out")"
    done_testing
    exit 1
fi
socialroi rollup --dsn "$(as it_daemon)" >"$TEST_DIR/rollup.out" 2>&1 ||
    not_ok "the first rollup" "$(cat "$TEST_DIR/rollup.out")"

snap() {
    q="SELECT md5(string_agg(x::text, ',' ORDER BY x::text)) FROM"
    echo "$(sql "$q socialroi.attribution x") $(sql "$q socialroi.rollup_spend x")"
}

lost=0
for round in $(seq 1 "$ROUNDS"); do
    # The writer: WRITES transactions, each restating every ad day and every deal to a new
    # value and held open a moment after the writes (a page of upserts takes time too), so
    # each one writes buckets whose marks the rollup job is holding or about to take.
    awk -v r="$round" -v n="$WRITES" 'BEGIN {
        print "SET ROLE socialroi_daemon;";
        for (i = 1; i <= n; i++) {
            v = r * 1000 + i;
            print "BEGIN;";
            printf "UPDATE socialroi.ad_daily SET spend_micros = %d + extract(day FROM day)::int;\n", v;
            printf "UPDATE socialroi.deal SET amount_micros = %d * 1000;\n", v;
            print "SELECT pg_sleep(0.01);";
            print "COMMIT;";
        }
    }' >"$TEST_DIR/writer.sql"
    # The rollup job: small batches back to back, as socialroid runs them while work is left.
    awk -v n="$WRITES" 'BEGIN {
        print "SET ROLE socialroi_daemon;";
        for (i = 1; i <= n * 8; i++) print "SELECT socialroi.rollup_dirty(2), pg_sleep(0.001);";
    }' >"$TEST_DIR/rollup.sql"
    psql -XqAt -v ON_ERROR_STOP=1 "$(as it_daemon)" -f "$TEST_DIR/writer.sql" \
        >"$TEST_DIR/writer.out" 2>&1 &
    wpid=$!
    register_pid $wpid
    psql -XqAt -v ON_ERROR_STOP=1 "$(as it_daemon)" -f "$TEST_DIR/rollup.sql" \
        >"$TEST_DIR/rollup_job.out" 2>&1 &
    rpid=$!
    register_pid $rpid
    wait $wpid
    wrc=$?
    wait $rpid
    rrc=$?
    if [ $wrc -ne 0 ] || [ $rrc -ne 0 ]; then
        not_ok "round $round: writer and rollup ran" "$(tail -n 3 "$TEST_DIR/writer.out")" \
            "$(tail -n 3 "$TEST_DIR/rollup_job.out")"
        continue
    fi
    socialroi rollup --dsn "$(as it_daemon)" >"$TEST_DIR/rollup.out" 2>&1
    incremental=$(snap)
    socialroi rollup --rebuild --dsn "$(as it_daemon)" >"$TEST_DIR/rebuild.out" 2>&1
    rebuilt=$(snap)
    if [ "$incremental" = "$rebuilt" ]; then
        ok "round $round: the incremental rollup after $WRITES restatements during rollups equals --rebuild"
    else
        lost=$((lost + 1))
        not_ok "round $round: the incremental rollup after $WRITES restatements during rollups equals --rebuild" \
            "incremental $incremental" "rebuilt     $rebuilt" "$(cat "$TEST_DIR/rebuild.out")"
    fi
done
check_eq "no round lost a restatement" 0 "$lost"

# ---- every report as its reader role, in EUR -------------------------------------------------

report() {
    role=$1
    shift
    socialroi report "$@" --from 2026-03-01 --to 2026-03-31 --format json \
        --dsn "$(as "$role")" >"$TEST_DIR/report.json" 2>"$TEST_DIR/report.err" &&
        jq -e '.currency == "EUR" and (.rows | length) > 0' "$TEST_DIR/report.json" >/dev/null
}
for r in it_dashboard it_finance; do
    check "$r runs report funnel (rows, currency EUR)" report "$r" funnel
    check "$r runs report channels (rows, currency EUR)" report "$r" channels
done
for by in campaign channel month; do
    check "it_finance runs report roi --by $by (rows, currency EUR)" report it_finance roi --by "$by"
done
check_rc 1 "it_dashboard may not run report roi" socialroi report roi --from 2026-03-01 \
    --to 2026-03-31 --format json --dsn "$(as it_dashboard)"
done_testing
