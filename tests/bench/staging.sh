#!/bin/bash
# staging.sh - make bench's section `staging`: the same pages written page by page through
# socialroi.ingest_page (what socialroid does) and by COPY into the unlogged staging tables with
# one socialroi.ingest_merge per batch of pages (tests/bench/staging.sql), each as a ratio to a
# plain COPY of the rows they wrote; the two paths' tables are compared row for row and the
# section fails when they differ.
#
# The pages are the daemon's own: socialroid --once against the simulator (no rate limits,
# BENCH_STAGE_ACCOUNTS accounts of each ad and social platform, default 12, one CRM portal of
# 2,600 contacts, BENCH_DAYS days) writes through a wrapper of ingest_page that keeps each call's
# arguments (about 510,000 rows in 10,400 pages at the defaults). They are then written again,
# from the tables emptied, as it_daemon with asynchronous commit (as the daemon's sessions
# commit):
#   (a) one transaction per page: SELECT socialroi.ingest_page(...), as the daemon sends it
#       (psql waits for each result where the daemon pipelines: one local round trip a page);
#   (b) per batch of N pages (BENCH_STAGE_BATCHES, default "50 200"), one transaction: a COPY
#       per record kind into socialroi.ingest_stage, one of the pages into ingest_stage_page,
#       SELECT socialroi.ingest_merge(batch);
#   (c) the reference: a plain COPY of the rows (a) wrote (common.sh, copy_reference).
# Then every page is written again by (a) and by (b) at the first N, twice: as they were (every
# row unchanged, as a refetch) and with every seventh metric, snapshot, ad_daily and deal record
# restated. After each pass the two databases are compared; a difference fails the section and
# make bench exits 1. Every page's p_final is false so one lease covers the replay.
#
# Sourced by bench.sh (BENCH_ONLY=staging tests/bench/bench.sh runs it alone); run directly, it
# does just that.

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
    BENCH_ONLY=staging exec bash "$(dirname "$0")/bench.sh" "$@"
fi

BENCH_STAGE_ACCOUNTS=${BENCH_STAGE_ACCOUNTS:-12}
BENCH_STAGE_BATCHES=${BENCH_STAGE_BATCHES:-50 200}

# The columns of each record kind, as the page's JSON names them (upsert_facts) and as
# socialroi.ingest_stage has them, in the order upsert_facts writes the kinds.
STAGE_KINDS="metric:object,metric,day,basis,value
snapshot:object,metric,observed_at,value
content:id,kind,published_at,url,title,utm_campaign
campaign:id,name,status,objective
ad_daily:campaign,day,basis,currency,spend_micros,impressions,clicks,leads,conversions,conversion_value_micros
lead:id,source,created_at,email_hash,form,campaign,ad,lifecycle_stage,is_test
touchpoint:id,lead,kind,occurred_at,platform,campaign,utm_source,utm_medium,utm_campaign,utm_content
deal:id,amount_micros,currency,stage,pipeline,is_won,is_closed,created_at,closed_at,contacts
mention:id,query,author,text,posted_at,sentiment,followers
stage:pipeline,stage,label,is_won,is_closed
deal_contact:deal,contact"

# What the two paths write, compared row for row: the facts; the rollup's marks as the buckets
# they name (a mark is one row per bucket and transaction, and (b) has fewer transactions); the
# revisions without their time and fetch record; the jobs' cursors; the fetch records without
# their time and row count (ingest_merge does not count rows per page).
stage_compared() {
    for t in $FACT_TABLES; do echo "$t *"; done
    echo "dirty_spend DISTINCT campaign_id, day"
    echo "dirty_conversion DISTINCT kind, key"
    echo "revision table_name, fact_key, old_value, new_value"
    echo "poll_job job_id, cursor, failures, lease_owner"
    echo "fetch_run job_id, window_from, window_to, pages, http_status, outcome"
}

# stage_capture: the daemon's first run over the world into stage_src, every ingest_page call's
# arguments kept in public.bench_page; then the tables it wrote emptied and every job leased to
# "bench", so a clone of stage_src is where each path starts.
stage_capture() {
    fresh_db stage_src
    psql -XqAt -v ON_ERROR_STOP=1 -d "host=$PGHOST port=$PGPORT user=it_admin dbname=stage_src" \
        -f "$ROOT/tests/bench/staging.sql" || return 1
    q -c "CREATE TABLE public.bench_page (seq bigserial PRIMARY KEY, job bigint, rows jsonb,
                                         cursor text, run jsonb, next_in_s double precision)" \
        -c "GRANT INSERT ON public.bench_page TO socialroi_daemon" \
        -c "GRANT USAGE ON SEQUENCE public.bench_page_seq_seq TO socialroi_daemon" \
        -c "ALTER FUNCTION socialroi.ingest_page(bigint, text, jsonb, text, jsonb, boolean,
                                                 double precision) RENAME TO ingest_page_kept" \
        -c "CREATE FUNCTION socialroi.ingest_page(p_job bigint, p_owner text, p_rows jsonb,
                 p_cursor text, p_run jsonb, p_final boolean, p_next_in_s double precision)
            RETURNS integer LANGUAGE sql SET search_path = '' AS \$\$
                INSERT INTO public.bench_page (job, rows, cursor, run, next_in_s)
                VALUES (p_job, p_rows, p_cursor, p_run, p_next_in_s);
                SELECT socialroi.ingest_page_kept(p_job, p_owner, p_rows, p_cursor, p_run,
                                                  p_final, p_next_in_s)
            \$\$" || return 1
    world_config "$TEST_DIR/stage.conf" || return 1
    unpaced "$TEST_DIR/stage.conf"
    run_daemon_once "$TEST_DIR/stage_capture.json" "$TEST_DIR/stage.conf" ||
        say "staging: capture run exited $? (see $TEST_DIR/daemon.log)"
    [ "$(q -c 'SELECT count(*) FROM public.bench_page')" -gt 0 ] ||
        { say "staging: no page captured"; return 1; }
    q -c "DROP FUNCTION socialroi.ingest_page(bigint, text, jsonb, text, jsonb, boolean,
                                              double precision)" \
        -c "ALTER FUNCTION socialroi.ingest_page_kept(bigint, text, jsonb, text, jsonb, boolean,
                                                      double precision) RENAME TO ingest_page" \
        -c "TRUNCATE $(for t in $FACT_TABLES; do printf 'socialroi.%s, ' "$t"; done)
                     socialroi.fetch_run, socialroi.revision, socialroi.dirty_spend,
                     socialroi.dirty_conversion CASCADE" \
        -c "UPDATE socialroi.poll_job SET lease_owner = 'bench',
                   lease_expires = now() + interval '1 day', cursor = NULL" \
        -c "VACUUM ANALYZE" || return 1
}

# stage_scripts TABLE N...: from stage_src's pages in public.TABLE, $DIR/stage/TABLE.sql (path
# a) and $DIR/stage/TABLE_merge_N.sql for each N (path b), psql scripts with the data inline.
stage_scripts() {
    sd=$DIR/stage
    pt=$1
    shift
    mkdir -p "$sd"
    {
        echo "SET synchronous_commit = off;"
        q -c "SELECT format('SELECT socialroi.ingest_page(%s, %L, %L, %L, %L, false, %s);',
                            job, 'bench', rows, cursor, run, next_in_s)
                FROM public.$pt ORDER BY seq"
    } >"$sd/$pt.sql" || return 1
    # every record of every page as a staging row, once: jsonb_populate_record reads the
    # record's keys into the columns of the same names, as upsert_facts' jsonb_to_recordset
    # reads them; ord orders a kind's records page by page
    q -c "CREATE TABLE public.${pt}_stage AS
          SELECT s.*
            FROM (SELECT p.r, k.k, e.v,
                         row_number() OVER (PARTITION BY k.k ORDER BY p.r, e.i) AS ord
                    FROM (SELECT row_number() OVER (ORDER BY seq) AS r, rows
                            FROM public.$pt) p,
                         jsonb_object_keys(p.rows) AS k(k),
                         jsonb_array_elements(p.rows -> k.k) WITH ORDINALITY AS e(v, i)) x,
                 jsonb_populate_record(NULL::socialroi.ingest_stage,
                     x.v || jsonb_build_object('batch', 0, 'page', x.r, 'rec', x.k,
                                               'ord', x.ord)) AS s" || return 1
    for n in "$@"; do
        q -c "COPY (SELECT (r - 1) / $n, r, job, 'bench', cursor, run, false, next_in_s
                      FROM (SELECT row_number() OVER (ORDER BY seq) AS r, * FROM public.$pt) p
                     ORDER BY r) TO STDOUT" >"$sd/pages.copy" || return 1
        spec=""
        while IFS=: read -r kind cols; do
            q -c "COPY (SELECT (page - 1) / $n, page, ord, rec, $cols FROM public.${pt}_stage
                         WHERE rec = '$kind' ORDER BY ord) TO STDOUT" >"$sd/$kind.copy" || return 1
            spec="$spec $kind:$cols"
        done <<EOF
$STAGE_KINDS
EOF
        # one transaction per batch: the pages, a COPY per kind the batch has, the merge; every
        # file is in batch order, read side by side
        (cd "$sd" && awk -v spec="$spec" '
            function batch(line) { return substr(line, 1, index(line, "\t") - 1) + 0 }
            function fill(f) { if ((getline ahead[f] < f) <= 0) ahead[f] = "" }
            function copy(f, b, head) {
                if (ahead[f] == "" || batch(ahead[f]) != b) return
                print head
                while (ahead[f] != "" && batch(ahead[f]) == b) { print ahead[f]; fill(f) }
                print "\\."
            }
            BEGIN {
                nk = split(spec, ks, " ")
                for (k = 1; k <= nk; k++) {
                    split(ks[k], kc, ":"); name[k] = kc[1]; cols[k] = kc[2]
                    fill(name[k] ".copy")
                }
                fill("pages.copy")
                print "SET synchronous_commit = off;"
                for (b = 0; ahead["pages.copy"] != ""; b++) {
                    print "BEGIN;"
                    copy("pages.copy", b, "COPY socialroi.ingest_stage_page (batch, page, job_id, lease_owner, cursor, run, final, next_in_s) FROM STDIN;")
                    for (k = 1; k <= nk; k++)
                        copy(name[k] ".copy", b, "COPY socialroi.ingest_stage (batch, page, ord, rec, " cols[k] ") FROM STDIN;")
                    print "SELECT socialroi.ingest_merge(" b ");"
                    print "COMMIT;"
                }
            }' >"${pt}_merge_$n.sql") || return 1
    done
}

# stage_write DB SCRIPT: runs SCRIPT as it_daemon on DB; JSON of its seconds and PostgreSQL's
# CPU seconds over the same time.
stage_write() {
    c0=$(pg_cpu)
    t0=$(now)
    psql -XqAt -v ON_ERROR_STOP=1 -d "host=$PGHOST port=$PGPORT user=it_daemon dbname=$1" \
        -f "$2" >/dev/null || return 1
    t1=$(now)
    sleep 0.3 # the backend that served it exits: its CPU moves to the postmaster's children
    c1=$(pg_cpu)
    echo "$t0 $t1 $c0 $c1" | awk '{ printf "{\"s\":%.3f,\"pg_cpu_s\":%.2f}\n", $2 - $1, $4 - $3 }'
}

# stage_differ A B: rows of what stage_compared lists that A and B do not both hold (0: the two
# databases wrote the same), B's tables loaded into A's schema stage_cmp to compare there.
stage_differ() {
    psql -XqAt -v ON_ERROR_STOP=1 -d "$1" -c "SET client_min_messages = warning" \
        -c "DROP SCHEMA IF EXISTS stage_cmp CASCADE" \
        -c "CREATE SCHEMA stage_cmp" || return 1
    total=0
    while read -r t cols; do
        psql -XqAt -v ON_ERROR_STOP=1 -d "$1" \
            -c "CREATE TABLE stage_cmp.$t (LIKE socialroi.$t)" || return 1
        psql -XqAt -v ON_ERROR_STOP=1 -d "$2" -c "COPY socialroi.$t TO STDOUT" |
            psql -XqAt -v ON_ERROR_STOP=1 -d "$1" -c "COPY stage_cmp.$t FROM STDIN" || return 1
        sel="SELECT $cols"
        d=$(psql -XqAt -v ON_ERROR_STOP=1 -d "$1" -c "SELECT count(*) FROM (
                ($sel FROM socialroi.$t EXCEPT ALL $sel FROM stage_cmp.$t)
                UNION ALL
                ($sel FROM stage_cmp.$t EXCEPT ALL $sel FROM socialroi.$t)) d") || return 1
        [ "$d" -ne 0 ] && say "staging: socialroi.$t differs between $1 and $2 in $d rows"
        total=$((total + d))
    done <<EOF
$(stage_compared)
EOF
    echo "$total"
}

# stage_restate: public.bench_page_r, the same pages with every seventh metric, snapshot,
# ad_daily and deal record of each page changed (a value, a spend, an amount; a record without
# one stays as it was): restated facts that the guarded upserts rewrite, with their revisions
# and the rollup's marks.
stage_restate() {
    q -c "CREATE TABLE public.bench_page_r AS
          SELECT p.seq, p.job, p.cursor, p.run, p.next_in_s,
                 (SELECT jsonb_object_agg(k, (
                      SELECT jsonb_agg(COALESCE(CASE
                          WHEN e.i % 7 <> 0 THEN e.v
                          WHEN k IN ('metric', 'snapshot') THEN
                              jsonb_set(e.v, '{value}', to_jsonb((e.v ->> 'value')::bigint + 1))
                          WHEN k = 'ad_daily' THEN jsonb_set(e.v, '{spend_micros}',
                              to_jsonb((e.v ->> 'spend_micros')::bigint + 1000))
                          WHEN k = 'deal' THEN jsonb_set(e.v, '{amount_micros}',
                              to_jsonb((e.v ->> 'amount_micros')::bigint + 1000000))
                          END, e.v) ORDER BY e.i)
                        FROM jsonb_array_elements(p.rows -> k) WITH ORDINALITY AS e(v, i)))
                    FROM jsonb_object_keys(p.rows) AS k) AS rows
            FROM public.bench_page p"
}

section_staging() {
    say "staging: $BENCH_STAGE_ACCOUNTS accounts of each platform, $BENCH_DAYS days: capturing the daemon's pages"
    # shellcheck disable=SC2034 # start_sim (tests/integration/lib.sh) reads it
    SIM_ARGS="--days $BENCH_DAYS --crm-contacts 2600 --accounts $BENCH_STAGE_ACCOUNTS,hubspot=1 --no-rate-limits"
    start_sim 11 || { say "simulator did not start"; return 1; }
    stage_capture || { stop_sim; return 1; }
    stop_sim
    pages=$(q -c "SELECT count(*) FROM public.bench_page")
    rows=$(q -c "SELECT sum(jsonb_array_length(rows -> k))
                   FROM public.bench_page, jsonb_object_keys(rows) k")
    # shellcheck disable=SC2086
    stage_scripts bench_page $BENCH_STAGE_BATCHES || { say "staging: scripts failed"; return 1; }
    again=${BENCH_STAGE_BATCHES%% *}
    { stage_restate && stage_scripts bench_page_r "$again"; } ||
        { say "staging: restated scripts failed"; return 1; }
    for db in stage_a $(for n in $BENCH_STAGE_BATCHES; do echo "stage_b$n"; done); do
        psql -XqAt -v ON_ERROR_STOP=1 \
            -c "CREATE DATABASE $db TEMPLATE stage_src OWNER it_admin" || return 1
    done

    say "staging: (a) $pages pages, $rows rows, one ingest_page transaction each"
    a=$(stage_write stage_a "$DIR/stage/bench_page.sql") || { say "staging: (a) failed"; return 1; }
    # shellcheck disable=SC2034 # fact_rows (common.sh) counts the current database's rows
    TEST_DB=stage_a
    written=$(fact_rows)
    say "staging: (c) COPY of the $written rows (a) wrote"
    copy=$(copy_reference stage_a)
    merges="{}"
    for n in $BENCH_STAGE_BATCHES; do
        say "staging: (b) COPY and one ingest_merge per $n pages"
        b=$(stage_write "stage_b$n" "$DIR/stage/bench_page_merge_$n.sql") ||
            { say "staging: (b) at $n failed"; return 1; }
        stage_same "$n" "the first write" || return 1
        merges=$(echo "$merges" | jq -c --arg n "$n" --argjson b "$b" '. + {($n): $b}')
    done

    say "staging: the same pages again, every row unchanged: (a), then (b) at $again pages"
    a2=$(stage_write stage_a "$DIR/stage/bench_page.sql") ||
        { say "staging: (a) again failed"; return 1; }
    b2=$(stage_write "stage_b$again" "$DIR/stage/bench_page_merge_$again.sql") ||
        { say "staging: (b) again failed"; return 1; }
    stage_same "$again" "the unchanged pages" || return 1

    say "staging: the same pages with every seventh record restated: (a), then (b) at $again pages"
    a3=$(stage_write stage_a "$DIR/stage/bench_page_r.sql") ||
        { say "staging: (a) restated failed"; return 1; }
    b3=$(stage_write "stage_b$again" "$DIR/stage/bench_page_r_merge_$again.sql") ||
        { say "staging: (b) restated failed"; return 1; }
    revisions=$(psql -XqAt -d stage_a -c "SELECT count(*) FROM socialroi.revision")
    [ "$revisions" -gt 0 ] || { say "staging: FAILED: the restated pages left no revision"; return 1; }
    stage_same "$again" "the restated pages" || return 1

    json_add staging "$(jq -n -c --argjson pages "$pages" --argjson rows "$rows" \
        --argjson written "$written" --argjson copy "$copy" --argjson a "$a" \
        --argjson merges "$merges" --argjson a2 "$a2" --argjson b2 "$b2" --argjson a3 "$a3" \
        --argjson b3 "$b3" --argjson again "$again" --argjson revisions "$revisions" \
        '{pages: $pages, rows: $rows, rows_written: $written, per_page: $a, merge: $merges,
          pages_per_batch: $again, refetch_per_page: $a2, refetch_merge: $b2,
          restated_per_page: $a3, restated_merge: $b3, revisions: $revisions, equal: true}
         + $copy')"
}

# stage_same N WHAT: fails loudly unless stage_a and stage_bN hold the same rows after WHAT.
stage_same() {
    diff=$(stage_differ stage_a "stage_b$1") || return 1
    [ "$diff" -eq 0 ] && return 0
    say "staging: FAILED: after $2, one ingest_page per page and one merge per $1 pages differ in $diff rows"
    return 1
}
