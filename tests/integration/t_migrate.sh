# t_migrate.sh - socialroi migrate: applies once, is idempotent, refuses an edited or unknown
# migration, and leaves the roles and privileges DESIGN §5 asks for.
. tests/integration/lib.sh

DB="${TEST_DB}_fresh"
psql -XqAt -c "CREATE DATABASE $DB" >/dev/null
DSN="host=$PGHOST port=$PGPORT user=$PGUSER dbname=$DB"

socialroi migrate --dsn "$DSN" >"$TEST_DIR/first.out" 2>&1
rc=$?
[ $rc -eq 0 ] && ok "first migrate succeeds" || not_ok "first migrate succeeds" "$(cat "$TEST_DIR/first.out")"
check_grep "first migrate prints what it applied" '^applied 001_core.sql$' "$TEST_DIR/first.out"

socialroi migrate --dsn "$DSN" >"$TEST_DIR/second.out" 2>&1
rc=$?
[ $rc -eq 0 ] && ok "second migrate succeeds" || not_ok "second migrate succeeds"
check_grep "second migrate applies nothing" 'nothing to apply' "$TEST_DIR/second.out"
if grep -q '^applied' "$TEST_DIR/second.out"; then not_ok "second migrate applied nothing"; else ok "second migrate applied nothing"; fi
n=$(psql -XqAt -d "$DB" -c 'SELECT count(*) = count(DISTINCT version) FROM socialroi.schema_migration')
[ "$n" = t ] && ok "each migration is recorded once" || not_ok "each migration is recorded once"

# -c FILE takes the database from the daemon's config
printf '[daemon]\ndatabase = "%s"\n' "$DSN" >"$TEST_DIR/m.conf"
check "migrate -c FILE uses the config's database" socialroi migrate -c "$TEST_DIR/m.conf"

# an applied migration whose text changed is refused
psql -XqAt -d "$DB" -c "UPDATE socialroi.schema_migration SET checksum = repeat('0', 64) WHERE version = 1"
check_rc 1 "an edited applied migration makes migrate exit 1" socialroi migrate --dsn "$DSN"
check_grep "and the message says which and what to do" \
    'migration 001_core.sql was changed after it was applied.*forward-only' "$TEST_DIR/last.out"
sum=$(sha256sum sql/001_core.sql | cut -c1-64)
psql -XqAt -d "$DB" -c "UPDATE socialroi.schema_migration SET checksum = '$sum' WHERE version = 1"
check "restoring the checksum makes migrate content again" socialroi migrate --dsn "$DSN"

# a migration from a newer release is refused too
psql -XqAt -d "$DB" -c "INSERT INTO socialroi.schema_migration VALUES (999, '999_future.sql', 'abc')"
check_rc 1 "an unknown newer migration makes migrate exit 1" socialroi migrate --dsn "$DSN"
check_grep "and says to upgrade" '999 \(999_future.sql\).*upgrade socialroi' "$TEST_DIR/last.out"

# usage errors
check_rc 2 "migrate --bogus exits 2" socialroi migrate --bogus
check_rc 2 "an unknown command exits 2" socialroi frobnicate
check_grep "with a usage message" '^usage: socialroi COMMAND' "$TEST_DIR/last.out"
check_rc 1 "an unreachable database exits 1" socialroi migrate --dsn "host=$TEST_DIR/nowhere dbname=x"
check_grep "with libpq's reason" 'cannot connect to the database' "$TEST_DIR/last.out"
socialroi --version | grep -q '^socialroi [0-9]' && ok "--version prints the version" || not_ok "--version prints the version"

# roles and privileges on the migrated template database
roles=$(sql "SELECT string_agg(rolname, ',' ORDER BY rolname) FROM pg_roles WHERE rolname LIKE 'socialroi\_%'")
[ "$roles" = "socialroi_daemon,socialroi_dashboard,socialroi_finance" ] &&
    ok "the three roles exist" || not_ok "the three roles exist" "got $roles"
for r in socialroi_dashboard socialroi_finance; do
    out=$(psql -XqAt -d "$TEST_DB" -c "SET ROLE $r; SELECT count(*) FROM socialroi.lead" 2>&1)
    case "$out" in
        *"permission denied"*) ok "$r cannot read socialroi.lead" ;;
        *) not_ok "$r cannot read socialroi.lead" "$out" ;;
    esac
done
out=$(psql -XqAt -d "$TEST_DB" -c "SET ROLE socialroi_daemon; INSERT INTO socialroi.schema_migration VALUES (998, 'x', 'y')" 2>&1)
case "$out" in
    *"permission denied"*) ok "socialroi_daemon cannot change the migration history" ;;
    *) not_ok "socialroi_daemon cannot change the migration history" "$out" ;;
esac
out=$(psql -XqAt -d "$TEST_DB" -c "SET ROLE socialroi_daemon; SELECT count(*) FROM socialroi.account" 2>&1)
[ "$out" = 0 ] && ok "socialroi_daemon reads its tables" || not_ok "socialroi_daemon reads its tables" "$out"

done_testing
