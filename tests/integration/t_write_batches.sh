# t_write_batches.sh - the pages queued on a writer connection while it is busy go in one
# transaction (COPY into socialroi.page_stage, then socialroi.merge_pages()). When the database
# refuses such a batch, its pages go again one by one: the page it refuses fails alone, the
# other pages of the batch are kept, and once the fault is gone the next run equals the truth.
. tests/integration/lib.sh

CONF="$TEST_DIR/socialroi.conf"
start_sim 13 || { not_ok "the simulator starts"; done_testing; exit 1; }
sim_config "$CONF" x facebook

# The first transaction holds the connection for a second, so the first pages of the other
# jobs queue behind it; every fetch record of facebook.page_insights after that is refused.
sql "CREATE FUNCTION public.t_hold_or_refuse() RETURNS trigger LANGUAGE plpgsql AS \$\$
     BEGIN
         IF NOT EXISTS (SELECT FROM socialroi.fetch_run) THEN
             PERFORM pg_sleep(1);
         ELSIF EXISTS (SELECT FROM socialroi.poll_job j
                        WHERE j.job_id = NEW.job_id AND j.stream = 'facebook.page_insights') THEN
             RAISE EXCEPTION 'refused by the test';
         END IF;
         RETURN NEW;
     END \$\$" >/dev/null
sql "CREATE TRIGGER t_hold_or_refuse BEFORE INSERT ON socialroi.fetch_run
     FOR EACH ROW EXECUTE FUNCTION public.t_hold_or_refuse()" >/dev/null

run_once "$CONF"
echo "# the run with a refused stream exited $?"
check_grep "a refused batch is written again page by page" \
    'writer: a batch of [0-9]+ pages failed, writing them one by one' "$TEST_DIR/daemon.log"
check_grep "the refused page is dropped after two attempts" \
    'writer: dropping a page after 2 attempts' "$TEST_DIR/daemon.log"
n=$(sql "SELECT count(*) FROM socialroi.fetch_run f JOIN socialroi.poll_job j USING (job_id)
          WHERE j.stream = 'facebook.page_insights'")
check_eq "nothing of the refused stream is kept" 0 "$n"
n=$(sql "SELECT count(DISTINCT f.job_id) FROM socialroi.fetch_run f
          WHERE f.outcome = 'ok' AND f.pages > 0")
[ "$n" -ge 6 ] && ok "the other jobs' pages are kept ($n jobs)" ||
    not_ok "the other jobs' pages are kept" "$n jobs"
truth_check "X equals the truth beside the refused stream" x

sql "DROP TRIGGER t_hold_or_refuse ON socialroi.fetch_run" >/dev/null
make_due
check_rc 0 "without the fault, --once exits 0" run_once "$CONF"
truth_check "X equals the truth" x
truth_check "Meta equals the truth" facebook
n=$(sql "SELECT count(*) FROM socialroi.page_stage")
check_eq "the staging table is empty" 0 "$n"

stop_sim
done_testing
