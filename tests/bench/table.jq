# table.jq - bench/results.json as the table make bench prints: one row per figure with the
# reference it is measured against in the same run, the ratio, the target and whether it is met.
# A section that did not run prints nothing.

def r(x): if x == null then "-" else ((x * 1000 | round) / 1000 | tostring) end;
def met(ok): if ok == null then "-" elif ok then "yes" else "NO" end;
def row(name; value; ref; ratio; target; ok):
  [name, value, ref, r(ratio), target, met(ok)] | join("\t");

(["figure", "measured", "reference", "ratio", "target", "met"] | join("\t")),
(if .ingest then
   .ingest as $i |
   row("1 ingest, no rate limits: rows/s ÷ COPY";
       "\($i.rows) rows in \($i.wall_s) s"; "COPY \($i.copy_s) s";
       $i.copy_s / $i.wall_s; ">= 0.45"; ($i.copy_s / $i.wall_s) >= 0.45),
   row("1 fetch-and-write phase ÷ COPY";
       "\($i.fetch_write_s) s"; "COPY \($i.copy_s) s";
       $i.copy_s / $i.fetch_write_s; "(phase)"; null),
   row("4 daemon CPU s per million rows";
       r(($i.user_s + $i.sys_s) * 1e6 / $i.rows); "-"; null; "-"; null),
   row("4 PostgreSQL CPU s per million rows ÷ COPY's";
       r($i.pg_cpu_s * 1e6 / $i.rows); "COPY \(r($i.copy_pg_cpu_s * 1e6 / $i.rows))";
       (if ($i.copy_pg_cpu_s // 0) > 0 then $i.pg_cpu_s / $i.copy_pg_cpu_s else null end);
       "-"; null),
   row("4 daemon peak RSS MB"; r($i.maxrss_kb / 1024); "-"; null; "-"; null)
 else empty end),
(if .ingest2 then
   .ingest2 as $i |
   row("1 ingest with two writer connections: rows/s ÷ COPY";
       "\($i.rows) rows in \($i.wall_s) s"; "COPY \($i.copy_s) s";
       $i.copy_s / $i.wall_s; ">= 0.65"; ($i.copy_s / $i.wall_s) >= 0.65),
   row("1 its fetch-and-write phase ÷ COPY";
       "\($i.fetch_write_s) s"; "COPY \($i.copy_s) s";
       $i.copy_s / $i.fetch_write_s; "(phase)"; null)
 else empty end),
(if .staging then
   .staging as $s |
   row("1c \($s.pages) pages, \($s.rows) rows, one ingest_page each: rows/s ÷ COPY";
       "\($s.per_page.s) s"; "COPY \($s.copy_s) s"; $s.copy_s / $s.per_page.s; "-"; null),
   ($s.merge | to_entries[] |
    row("1c the same by COPY and one merge per \(.key) pages: rows/s ÷ COPY";
        "\(.value.s) s (÷ one each: \(r($s.per_page.s / .value.s)), CPU \(r($s.per_page.pg_cpu_s / .value.pg_cpu_s)))";
        "COPY \($s.copy_s) s";
        $s.copy_s / .value.s; "-"; null)),
   row("1c PostgreSQL CPU s per million rows, one ingest_page each ÷ COPY's";
       r($s.per_page.pg_cpu_s * 1e6 / $s.rows_written);
       "COPY \(r($s.copy_pg_cpu_s * 1e6 / $s.rows_written))";
       (if ($s.copy_pg_cpu_s // 0) > 0 then $s.per_page.pg_cpu_s / $s.copy_pg_cpu_s else null end);
       "-"; null),
   ($s.merge | to_entries[] |
    row("1c the same, one merge per \(.key) pages ÷ COPY's";
        r(.value.pg_cpu_s * 1e6 / $s.rows_written);
        "COPY \(r($s.copy_pg_cpu_s * 1e6 / $s.rows_written))";
        (if ($s.copy_pg_cpu_s // 0) > 0 then .value.pg_cpu_s / $s.copy_pg_cpu_s else null end);
        "-"; null)),
   row("1c the same pages again (unchanged), one ingest_page each: rows/s ÷ COPY";
       "\($s.refetch_per_page.s) s"; "COPY \($s.copy_s) s"; $s.copy_s / $s.refetch_per_page.s;
       "-"; null),
   row("1c again, one merge per \($s.pages_per_batch) pages: rows/s ÷ COPY";
       "\($s.refetch_merge.s) s (÷ one each: \(r($s.refetch_per_page.s / $s.refetch_merge.s)), CPU \(r($s.refetch_per_page.pg_cpu_s / $s.refetch_merge.pg_cpu_s)))";
       "COPY \($s.copy_s) s"; $s.copy_s / $s.refetch_merge.s; "-"; null),
   row("1c again, every 7th record restated, one ingest_page each: rows/s ÷ COPY";
       "\($s.restated_per_page.s) s"; "COPY \($s.copy_s) s"; $s.copy_s / $s.restated_per_page.s;
       "-"; null),
   row("1c the same, one merge per \($s.pages_per_batch) pages: rows/s ÷ COPY";
       "\($s.restated_merge.s) s (÷ one each: \(r($s.restated_per_page.s / $s.restated_merge.s)), CPU \(r($s.restated_per_page.pg_cpu_s / $s.restated_merge.pg_cpu_s)))";
       "COPY \($s.copy_s) s"; $s.copy_s / $s.restated_merge.s; "-"; null)
 else empty end),
(if .ratelimited then
   .ratelimited as $l |
   row("1b ingest, real rate limits: run ÷ pacing floor";
       "\($l.wall_s) s"; "floor \(r($l.floor_s)) s (\($l.floor_platform))";
       $l.wall_s / $l.floor_s; "<= 1.3"; ($l.wall_s / $l.floor_s) <= 1.3)
 else empty end),
(if .refetch then
   .refetch as $f |
   row("2 refetch of the same window: rows/s ÷ COPY";
       "\($f.rows) rows in \($f.wall_s) s"; "COPY \($f.copy_s) s";
       $f.copy_s / $f.wall_s; ">= 0.70"; ($f.copy_s / $f.wall_s) >= 0.70)
 else empty end),
(if .idle_small then
   row("3 poll with nothing new, 400-day world, all phases"; "\(.idle_small.wall_s) s"; "1 s";
       .idle_small.wall_s / 1; "< 1 s"; .idle_small.wall_s < 1)
 else empty end),
(if .idle then
   row("3 poll with nothing new, the large world"; "\(.idle.wall_s) s"; "1 s";
       .idle.wall_s / 1; "(larger world)"; null)
 else empty end),
(if .scale then
   .scale as $s |
   row("5 jobs polled within their interval"; "\($s.on_time) of \($s.jobs)"; "all jobs";
       $s.on_time / $s.jobs; ">= 0.99"; ($s.on_time / $s.jobs) >= 0.99),
   row("5 peak RSS, \($s.accounts) accounts"; "\(r($s.maxrss_kb / 1024)) MB"; "64 MB";
       $s.maxrss_kb / 1024 / 64; "<= 1"; ($s.maxrss_kb / 1024) <= 64),
   row("5 peak concurrent connections"; "\($s.peak_connections)"; "-"; null; "-"; null)
 else empty end),
(if .rollup then
   .rollup as $u |
   row("6 incremental rollup ÷ rebuild (\($u.rows) rows, \($u.people) people)";
       "\($u.incremental_s) s"; "rebuild \($u.rebuild_s) s";
       $u.incremental_s / $u.rebuild_s; "<= 0.05"; ($u.incremental_s / $u.rebuild_s) <= 0.05),
   ($u.people_s / $u.people) as $big |
   ($u.small_people_s / $u.small_people) as $small |
   row("6 crediting s per 1k people ÷ at a tenth the people";
       r($big * 1000); "\(r($small * 1000)) at \($u.small_people)";
       (if $small > 0 then $big / $small else null end); "<= 1.5 (linear)";
       (if $small > 0 then ($big / $small) <= 1.5 else null end))
 else empty end),
(if .views then
   (.views[] | select(.range == "month")) as $v |
   row("7 \($v.view), one month"; "\(r($v.median_s * 1000)) ms"; "200 ms";
       (if $v.median_s then $v.median_s / 0.2 else null end); "<= 1";
       (if $v.median_s then $v.median_s <= 0.2 else null end))
 else empty end),
(if .views then
   (.views[] | select(.range == "year")) as $v |
   row("7 \($v.view), one year"; "\(r($v.median_s * 1000)) ms"; "-"; null; "-"; null)
 else empty end),
(if .collectd and .ingest then
   (.ingest.rows / .ingest.wall_s) as $ours |
   row("collectd: socialroid rows/s ÷ collectd's"; "\(r($ours)) rows/s";
       "collectd \(r(.collectd.rows_per_s)) rows/s"; $ours / .collectd.rows_per_s; ">= 5";
       ($ours / .collectd.rows_per_s) >= 5),
   row("collectd CPU s per million rows"; r(.collectd.cpu_s_per_million_rows); "-"; null; "-";
       null)
 else empty end)
