#!/bin/sh
# rollup_scale.sh [PEOPLE...] - time the attribution rollup at several sizes.
#
# Starts a private PostgreSQL 15 (tests/pg.sh), migrates a database per size with the built
# socialroi, fills the real tables with a synthetic customer (PEOPLE leads over 400 days, 1-5
# touches each, one in ten sharing an e-mail hash with another lead, a deal per five people,
# half of them won, in USD and EUR) and times socialroi.rollup_rebuild() and then the
# incremental rollup (socialroi.rollup_dirty until nothing is left) after one more day of data.
# Prints one row per size. Not part of make check. Default sizes: 2000 20000.
# B=build directory (default build), KEEP=1 keeps the server's directory.
set -eu
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
B=${B:-$ROOT/build}
[ -x "$B/socialroi" ] || { echo "rollup_scale: build first (make)" >&2; exit 1; }
. "$ROOT/tests/pg.sh"
DIR=$(mktemp -d /tmp/socialroi-bench.XXXXXX)
[ "$(id -u)" -eq 0 ] && chmod 755 "$DIR"
cleanup() {
    pg_stop
    [ "${KEEP:-0}" = 1 ] || rm -rf "$DIR"
}
trap cleanup EXIT INT TERM
pg_start "$DIR" >/dev/null
[ $# -gt 0 ] || set -- 2000 20000

now() { date +%s.%N; }
q() { psql -XqAt -v ON_ERROR_STOP=1 -d "$DB" "$@"; }

fill() { # $1 people, $2 first day offset (0 = the 400 days), $3 days
    q -v n="$1" -v off="$2" -v days="$3" <<'SQL'
INSERT INTO socialroi.lead (account_id, lead_id, source, created_at, email_hash)
SELECT CASE WHEN i % 3 = 0 THEN 2 ELSE 1 END, 'L' || (:off::bigint * 100000000 + i),
       CASE WHEN i % 3 = 0 THEN 'form' ELSE 'crm' END,
       timestamptz '2025-01-01 00:00Z' + (:off + (i::numeric / :n) * :days) * interval '1 day',
       CASE WHEN i % 7 = 0 THEN NULL
            WHEN i % 10 = 1 THEN 'h' || (:off::bigint * 100000000 + i - 1)
            ELSE 'h' || (:off::bigint * 100000000 + i) END
  FROM generate_series(1, :n) i;
INSERT INTO socialroi.touchpoint (account_id, touch_id, lead_id, kind, occurred_at, platform,
                                  campaign_id, utm_campaign)
SELECT l.account_id, l.lead_id || '-' || k, l.lead_id, 'click',
       l.created_at - (k * 2.5 - 1.5) * interval '1 day' + (h % 1000) * interval '1 minute',
       (ARRAY['facebook', 'linkedin', 'x', 'instagram', 'youtube', NULL])[1 + h % 6],
       CASE WHEN h % 4 = 0 THEN 'ad' || (h % 13) END,
       CASE WHEN h % 4 = 1 THEN 'utm' || (h % 11) END
  FROM socialroi.lead l,
       LATERAL (SELECT pg_catalog.abs(pg_catalog.hashtext(l.lead_id)) AS h0) x,
       LATERAL pg_catalog.generate_series(1, 1 + x.h0 % 5) k,
       LATERAL (SELECT pg_catalog.abs(pg_catalog.hashtext(l.lead_id || k)) AS h) y
 WHERE l.lead_id LIKE 'L%' AND pg_catalog.substr(l.lead_id, 2)::bigint / 100000000 = :off;
INSERT INTO socialroi.deal (account_id, deal_id, amount_micros, currency, is_won, is_closed,
                            created_at, closed_at)
SELECT 1, 'D' || (:off::bigint * 100000000 + i), (1000 + i % 5000) * 1000000::bigint,
       CASE WHEN i % 3 = 0 THEN 'EUR' ELSE 'USD' END, i % 2 = 0, i % 4 <> 3,
       timestamptz '2025-01-01 00:00Z'
           + (:off + (i * 5::numeric / :n) * :days + 1) * interval '1 day',
       CASE WHEN i % 4 <> 3 THEN timestamptz '2025-01-01 00:00Z'
            + (:off + (i * 5::numeric / :n) * :days + 20) * interval '1 day' END
  FROM generate_series(1, :n / 5) i;
INSERT INTO socialroi.deal_contact (account_id, deal_id, lead_id)
SELECT DISTINCT 1, 'D' || (:off::bigint * 100000000 + i),
       'L' || (:off::bigint * 100000000 + ((i * 5 + j) % :n) + 1)
  FROM generate_series(1, :n / 5) i, generate_series(0, 1) j;
SQL
}

printf '%8s %10s %14s %10s %12s\n' people rebuild_s s_per_1k incr_s incr/rebuild
for n in "$@"; do
    DB=bench_$n
    psql -XqAt -v ON_ERROR_STOP=1 -c "CREATE DATABASE $DB" >/dev/null
    "$B/socialroi" migrate --dsn "dbname=$DB" >/dev/null
    q >/dev/null <<'SQL'
SELECT socialroi.sync_settings('USD', 7);
INSERT INTO socialroi.account (name, platform, external_id) VALUES
    ('crm', 'hubspot', '1'), ('meta', 'facebook', '2'), ('li', 'linkedin', '3');
INSERT INTO socialroi.fx_rate (day, currency, rate, source)
VALUES ('2024-01-01', 'EUR', 1.1, 'ecb');
INSERT INTO socialroi.campaign (name, title, start_day)
SELECT 'c' || i, 'Campaign ' || i, '2025-01-01' FROM generate_series(1, 10) i;
INSERT INTO socialroi.campaign_link (campaign_id, kind, platform, value)
SELECT 1 + i % 10, 'ad_campaign', p, 'ad' || i
  FROM generate_series(0, 12) i, unnest(ARRAY['facebook', 'linkedin']) p;
INSERT INTO socialroi.campaign_link (campaign_id, kind, value)
SELECT 1 + i % 10, 'utm_campaign', 'utm' || i FROM generate_series(0, 8) i;
SQL
    fill "$n" 0 400
    q -c 'VACUUM ANALYZE'
    t0=$(now)
    q -c 'SELECT socialroi.rollup_rebuild()' >/dev/null
    t1=$(now)
    fill $((n / 400 > 0 ? n / 400 : 1)) 400 1
    q -c 'ANALYZE'
    t2=$(now)
    q <<'SQL' >/dev/null
DO $$ BEGIN WHILE socialroi.rollup_dirty(100000) > 0 LOOP END LOOP; END $$;
SQL
    t3=$(now)
    echo "$n $t0 $t1 $t2 $t3" | awk '{ r = $3 - $2; i = $5 - $4;
        printf "%8d %10.2f %14.3f %10.2f %12.4f\n", $1, r, r * 1000 / $1, i, i / r }'
    if [ -n "${EXPLAIN:-}" ]; then
        q -c "$EXPLAIN"
    fi
done
