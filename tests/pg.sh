# pg.sh - a private PostgreSQL 15 for one test run (sourced by tests/run.sh and the demo).
#
# pg_start DIR   initdb (once) into DIR/data and start a server listening only on a socket in
#                DIR (plus 127.0.0.1 on a free port); exports PGHOST PGPORT PGUSER.
# pg_stop        fast shutdown and wait; safe to call twice.
# pg_clone NAME  createdb NAME from the socialroi_template database (migrated, with pgTAP).
#
# Tests trade durability for speed (fsync off); PG_SETTINGS="-c name=value ..." replaces those
# settings (PG_SETTINGS= runs a stock server, as make bench does).
#
# PostgreSQL refuses to run as root, so as root the server runs as the postgres OS user via
# setpriv (exec, no fork: $! is the postmaster and `wait` reaps it).

PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
PG_PID=""

pg_as_owner() {
    if [ "$(id -u)" -eq 0 ]; then
        setpriv --reuid=postgres --regid=postgres --init-groups -- "$@"
    else
        "$@"
    fi
}

pg_free_port() {
    # ask the kernel for a free port by binding port 0, through the helper we build
    "$B/tests/tools/freeport"
}

# Starts the postmaster in the background with $! being the postmaster itself: setpriv is
# run as a simple command (not through a shell function, which would fork a subshell whose
# pid we would then signal instead).
pg_spawn() {
    # shellcheck disable=SC2086
    set -- -D "$PG_DIR/data" -k "$PG_DIR" -p "$PGPORT" -c listen_addresses=127.0.0.1 \
        -c max_connections=200 ${PG_SETTINGS--c fsync=off -c synchronous_commit=off -c full_page_writes=off}
    if [ "$(id -u)" -eq 0 ]; then
        setpriv --reuid=postgres --regid=postgres --init-groups -- "$PGBIN/postgres" "$@" &
    else
        "$PGBIN/postgres" "$@" &
    fi
    PG_PID=$!
}

pg_start() {
    PG_DIR=$1
    mkdir -p "$PG_DIR"
    [ "$(id -u)" -eq 0 ] && chown postgres: "$PG_DIR"
    if [ ! -f "$PG_DIR/data/PG_VERSION" ]; then
        pg_as_owner "$PGBIN/initdb" -D "$PG_DIR/data" -U postgres --auth=trust -E UTF8 \
            --locale=C.UTF-8 --no-sync >"$PG_DIR/initdb.log" 2>&1 ||
            { cat "$PG_DIR/initdb.log" >&2; return 1; }
    fi
    PGPORT=$(pg_free_port)
    pg_spawn >"$PG_DIR/server.log" 2>&1
    export PGHOST="$PG_DIR" PGPORT PGUSER=postgres PGDATABASE=postgres
    i=0
    until "$PGBIN/pg_isready" -q; do
        i=$((i + 1))
        if [ $i -gt 300 ] || ! kill -0 "$PG_PID" 2>/dev/null; then
            echo "pg: server did not start:" >&2
            cat "$PG_DIR/server.log" >&2
            return 1
        fi
        sleep 0.05
    done
}

pg_stop() {
    if [ -n "$PG_PID" ]; then
        kill -INT "$PG_PID" 2>/dev/null
        wait "$PG_PID" 2>/dev/null
        PG_PID=""
    fi
}

# Stops and restarts the server on the same port and data (for reconnect tests).
pg_restart() {
    pg_stop
    pg_spawn >>"$PG_DIR/server.log" 2>&1
    i=0
    until "$PGBIN/pg_isready" -q; do
        i=$((i + 1))
        [ $i -gt 300 ] && return 1
        sleep 0.05
    done
}

# The roles a deployment uses (README, "First real deployment"): it_admin owns the database and
# migrates it without being a superuser (CREATEROLE makes the group roles on the first
# migration); it_daemon, it_dashboard and it_finance log in holding only socialroi_daemon,
# socialroi_dashboard and socialroi_finance. Only pgTAP, an extension, needs the superuser.
pg_make_template() {
    psql -XqAt -v ON_ERROR_STOP=1 -c 'CREATE ROLE it_admin LOGIN CREATEROLE' \
        -c 'CREATE DATABASE socialroi_template OWNER it_admin' >/dev/null &&
        psql -XqAt -v ON_ERROR_STOP=1 -d socialroi_template -c 'CREATE EXTENSION pgtap' \
            >/dev/null &&
        "$B/socialroi" migrate --dsn "dbname=socialroi_template user=it_admin" >/dev/null &&
        psql -XqAt -v ON_ERROR_STOP=1 \
            -c 'CREATE ROLE it_daemon LOGIN IN ROLE socialroi_daemon' \
            -c 'CREATE ROLE it_dashboard LOGIN IN ROLE socialroi_dashboard' \
            -c 'CREATE ROLE it_finance LOGIN IN ROLE socialroi_finance' >/dev/null
}

pg_clone() {
    psql -XqAt -v ON_ERROR_STOP=1 \
        -c "CREATE DATABASE \"$1\" TEMPLATE socialroi_template OWNER it_admin" >/dev/null
}
