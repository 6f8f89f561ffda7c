# t_fx.sh - socialroi fx import reads both files the ECB publishes (tests/fixtures/ecb: the
# daily eurofxref.csv with its spaces, trailing comma and written-out date; the historical
# eurofxref-hist.csv with N/A cells), as the daemon's role; the rates are exact, a second
# import changes nothing, and a malformed file is refused with its line.
. tests/integration/lib.sh

DSN="$(conninfo it_daemon)" # the daemon's role (tests/pg.sh)
sql "SELECT socialroi.sync_settings('USD', 7)" >/dev/null

rate() {
    sql "SELECT rate::text FROM socialroi.fx_rate WHERE day = '$1' AND currency = '$2'"
}

check_rc 0 "the ECB daily file imports" socialroi fx import tests/fixtures/ecb/eurofxref.csv --dsn "$DSN"
check_grep "one day, 30 quotes" '^fx import: 1 days, 30 quotes \(0 empty\), 30 rates stored' "$TEST_DIR/last.out"
check_eq "EUR in USD is the ECB's USD quote" 1.250000000000 "$(rate 2026-12-04 EUR)"
check_eq "GBP in USD, exactly 1.2500 / 0.80000" 1.562500000000 "$(rate 2026-12-04 GBP)"
check_eq "JPY in USD, exactly 1.2500 / 125.00" 0.010000000000 "$(rate 2026-12-04 JPY)"
check_rc 0 "importing it again succeeds" socialroi fx import tests/fixtures/ecb/eurofxref.csv --dsn "$DSN"
check_grep "and changes nothing" ', 0 rates stored or changed$' "$TEST_DIR/last.out"

check_rc 0 "the ECB historical file imports" socialroi fx import tests/fixtures/ecb/eurofxref-hist.csv --dsn "$DSN"
check_grep "three days, N/A cells skipped" '^fx import: 3 days, 90 quotes \(33 empty\), 60 rates stored' "$TEST_DIR/last.out"
check_eq "its older days are exact too" "1.562500000000 0.010000000000 1.248000000000" \
    "$(rate 2026-12-03 GBP) $(rate 2026-12-03 JPY) $(rate 2026-12-03 EUR)"
check_rc 0 "importing the history again succeeds" socialroi fx import tests/fixtures/ecb/eurofxref-hist.csv --dsn "$DSN"
check_grep "and changes nothing" ', 0 rates stored or changed$' "$TEST_DIR/last.out"
n=$(sql "SELECT count(*) FROM socialroi.fx_rate")
check_eq "one rate per day and currency (30 currencies but USD, plus EUR, 3 days)" 90 "$n"

# RFC 4180: quoted fields and CRLF
printf 'Date,"USD","GBP"\r\n"2026-11-30",1.25,"0.8"\r\n' >"$TEST_DIR/quoted.csv"
check_rc 0 "a quoted CRLF file imports" socialroi fx import "$TEST_DIR/quoted.csv" --dsn "$DSN"
check_eq "with its rate" 1.562500000000 "$(rate 2026-11-30 GBP)"

printf 'Date, USD, GBP, \n04 December 2026, 1.25, abc, \n' >"$TEST_DIR/bad.csv"
check_rc 1 "a cell that is not a rate is refused" socialroi fx import "$TEST_DIR/bad.csv" --dsn "$DSN"
check_grep "naming file, line and currency" "^socialroi: fx: .*bad.csv:2: GBP: \"abc\" is not a positive decimal rate$" "$TEST_DIR/last.out"
printf 'Date,USD\n2026-12-01,"1.25\n' >"$TEST_DIR/open.csv"
check_rc 1 "an unclosed quote is refused" socialroi fx import "$TEST_DIR/open.csv" --dsn "$DSN"
check_grep "saying so" 'open.csv: line 2: a quoted field is never closed' "$TEST_DIR/last.out"
check_rc 2 "fx with an unknown subcommand is a usage error" socialroi fx export x
check_rc 2 "fx --model is a usage error" socialroi fx import x --model linear
check_grep "that says it does not apply" '^socialroi: fx: --model does not apply to fx' "$TEST_DIR/last.out"

done_testing
