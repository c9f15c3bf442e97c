#!/usr/bin/env bash
# Load benchmark of `gpconnect serve` (SPEC 2.14): free-slot search and booking on the large
# demo practice, compared with nginx serving the same response bytes as a static file.
# See bench/README.md. Usage: bench/run.sh [sqlite|postgres|all]
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BENCH="$ROOT/bench"
BIN="$ROOT/target/release/gpconnect"

BACKENDS=${1:-all}
SECONDS_PER_RUN=${BENCH_SECONDS:-12}
# Booking runs are shorter: at 32 connections a booking run of more than a few seconds can
# book every slot of the 8-week diary (about 18,000), after which the answers are 409s.
BOOK_SECONDS=${BENCH_BOOK_SECONDS:-3}
CONNECTIONS=${BENCH_CONNECTIONS:-"1 32"}
SEARCH_DURING_BOOKING=${BENCH_BACKGROUND_CONNECTIONS:-32}
EXTRA_PRACTICES=${BENCH_EXTRA_PRACTICES:-20}
PORT=${BENCH_PORT:-18480}
NGINX_PORT=${BENCH_NGINX_PORT:-18481}
PG_ADMIN_URL=${BENCH_PG_ADMIN_URL:-postgres://postgres@127.0.0.1:5432/test}
PG_DATABASE=gpconnect_bench
RESULTS="$BENCH/results"
# Which parts to run (any of: searches booking scaling).
PARTS=${BENCH_PARTS:-"searches booking scaling"}
wants() { case " $PARTS " in *" $1 "*) return 0 ;; *) return 1 ;; esac; }

case "$BACKENDS" in
    all) BACKENDS="sqlite postgres" ;;
    sqlite | postgres) ;;
    *)
        echo "usage: bench/run.sh [sqlite|postgres|all]" >&2
        exit 2
        ;;
esac

ODS=A20047
ASID=918999198993
SERVICE_ROOT="/$ODS/STU3/1/gpconnect"
BASE="http://127.0.0.1:$PORT$SERVICE_ROOT"
SLOT_SEARCH=urn:nhs:names:services:gpconnect:fhir:rest:search:slot-1
BOOK=urn:nhs:names:services:gpconnect:fhir:rest:create:appointment-1
FIND_PATIENT=urn:nhs:names:services:gpconnect:fhir:rest:search:patient-1
METADATA=urn:nhs:names:services:gpconnect:fhir:rest:read:metadata-1
# The demo practice's active, shareable patients (ATS 1.8): bookable by anyone.
PATIENT_NHS_NUMBERS="9658218865 9658218873 9658218881 9658218903 9658218989 9658218997 9658219004 9658219012 9658220215 9658219691"

WORK=$(mktemp -d /tmp/gpconnect-bench.XXXXXX)
chmod 755 "$WORK"
SERVER_PID=""
NGINX_PID=""
PG_CREATED=""
# No "database does not exist, skipping" notices from psql.
export PGOPTIONS="-c client_min_messages=warning"

log() { printf '[bench %s] %s\n' "$(date +%T)" "$*" >&2; }

stop_pid() {
    local pid=$1
    [ -n "$pid" ] || return 0
    if kill -0 "$pid" 2>/dev/null; then
        kill -TERM "$pid" 2>/dev/null || true
        for _ in $(seq 50); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.1
        done
        kill -KILL "$pid" 2>/dev/null || true
    fi
    wait "$pid" 2>/dev/null || true
}

stop_server() {
    stop_pid "$SERVER_PID"
    SERVER_PID=""
}

drop_pg_database() {
    if [ -n "$PG_CREATED" ]; then
        psql -q "$PG_ADMIN_URL" -c "DROP DATABASE IF EXISTS $PG_DATABASE WITH (FORCE)" >/dev/null || true
        PG_CREATED=""
    fi
}

cleanup() {
    local status=$?
    trap - EXIT INT TERM
    stop_server
    stop_pid "$NGINX_PID"
    drop_pg_database
    rm -rf "$WORK"
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

install_tools() {
    local missing=()
    command -v wrk >/dev/null || missing+=(wrk)
    command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || missing+=(nginx-light)
    command -v curl >/dev/null || missing+=(curl)
    command -v jq >/dev/null || missing+=(jq)
    command -v sqlite3 >/dev/null || missing+=(sqlite3)
    command -v psql >/dev/null || missing+=(postgresql-client)
    if [ ${#missing[@]} -gt 0 ]; then
        log "installing ${missing[*]}"
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    fi
}

NGINX=$(command -v nginx || echo /usr/sbin/nginx)

# curl with the Spine headers and a fresh JWT (SPEC 2.3, 2.5). Writes the body to $1 and
# prints the status code.
api() {
    local out=$1 interaction=$2 scope=$3 path=$4
    shift 4
    curl -sS -o "$out" -w '%{http_code}' "http://127.0.0.1:$PORT$path" \
        -H "Ssp-TraceID: $(cat /proc/sys/kernel/random/uuid)" \
        -H "Ssp-From: 200000000359" \
        -H "Ssp-To: $ASID" \
        -H "Ssp-InteractionID: $interaction" \
        -H "Authorization: Bearer $("$ROOT/scripts/demo-jwt" "$scope" "$BASE")" \
        "$@"
}

start_server() {
    local database=$1 log_file=$2
    "$BIN" serve --listen "127.0.0.1:$PORT" --database "$database" --demo-scale benchmark \
        --log warn >"$log_file" 2>&1 &
    SERVER_PID=$!
    # Loading the large demo practice takes a while on a busy machine.
    for _ in $(seq 600); do
        if ! kill -0 "$SERVER_PID" 2>/dev/null; then
            cat "$log_file" >&2
            echo "gpconnect serve exited during start-up" >&2
            return 1
        fi
        if [ "$(api /dev/null "$METADATA" 'organization/*.read' "$SERVICE_ROOT/metadata" 2>/dev/null)" = 200 ]; then
            return 0
        fi
        sleep 0.5
    done
    echo "gpconnect serve did not answer within 300 s" >&2
    return 1
}

# Stops the server if it runs and starts it again on a new, empty database, so that every
# booking run starts from the same diary. Sets DATABASE and STARTUP_SECONDS.
FRESH=0
fresh_server() {
    stop_server
    FRESH=$((FRESH + 1))
    case "$BACKEND" in
        sqlite)
            rm -f "$WORK"/gpconnect-*.db*
            SQLITE_PATH="$WORK/gpconnect-$FRESH.db"
            DATABASE="sqlite://$SQLITE_PATH"
            ;;
        postgres)
            psql -q -v ON_ERROR_STOP=1 "$PG_ADMIN_URL" \
                -c "DROP DATABASE IF EXISTS $PG_DATABASE WITH (FORCE)" \
                -c "CREATE DATABASE $PG_DATABASE" >/dev/null
            PG_CREATED=yes
            DATABASE="postgres://postgres@127.0.0.1:5432/$PG_DATABASE"
            ;;
    esac
    local t0=$SECONDS
    start_server "$DATABASE" "$WORK/server-$BACKEND-$FRESH.log"
    STARTUP_SECONDS=$((SECONDS - t0))
}

start_nginx() {
    mkdir -p "$WORK/nginx/temp" "$WORK/www"
    chmod -R 755 "$WORK/www"
    cat >"$WORK/nginx/nginx.conf" <<CONF
daemon off;
worker_processes auto;
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/error.log warn;
events { worker_connections 1024; }
http {
    access_log off;
    sendfile on;
    tcp_nopush on;
    keepalive_requests 1000000;
    client_body_temp_path $WORK/nginx/temp/body;
    proxy_temp_path $WORK/nginx/temp/proxy;
    fastcgi_temp_path $WORK/nginx/temp/fastcgi;
    uwsgi_temp_path $WORK/nginx/temp/uwsgi;
    scgi_temp_path $WORK/nginx/temp/scgi;
    types { }
    default_type application/fhir+json;
    server {
        listen 127.0.0.1:$NGINX_PORT;
        root $WORK/www;
    }
}
CONF
    "$NGINX" -c "$WORK/nginx/nginx.conf" -e "$WORK/nginx/error.log" &
    NGINX_PID=$!
    for _ in $(seq 50); do
        curl -s -o /dev/null "http://127.0.0.1:$NGINX_PORT/" && return 0
        sleep 0.1
    done
    echo "nginx did not start" >&2
    cat "$WORK/nginx/error.log" >&2
    return 1
}

clock_ticks() { getconf CLK_TCK; }

# CPU ticks (user+system) used so far by the whole machine, the server, nginx and this
# shell's finished children (wrk).
machine_busy() { awk '/^cpu /{print $2+$3+$4+$7+$8+$9}' /proc/stat; }
pid_ticks() {
    local total=0 pid
    for pid in "$@"; do
        [ -r "/proc/$pid/stat" ] || continue
        total=$((total + $(awk '{print $14+$15}' "/proc/$pid/stat")))
    done
    echo "$total"
}
nginx_pids() { [ -n "$NGINX_PID" ] && { echo "$NGINX_PID"; pgrep -P "$NGINX_PID" || true; }; }

# The PostgreSQL backends serving the server's connections: their CPU is the server's too.
# Listed again before a run's closing snapshot, since the server opens connections as it
# needs them (a backend that started during the run had used nothing before it).
SERVER_DB_PIDS=""
note_server_db_pids() {
    SERVER_DB_PIDS=""
    if [ "${BACKEND:-}" = postgres ]; then
        SERVER_DB_PIDS=$(psql -Atq "$PG_ADMIN_URL" \
            -c "SELECT pid FROM pg_stat_activity WHERE datname = '$PG_DATABASE'" | tr '\n' ' ')
    fi
}

# Sets SNAP to: time, machine busy ticks, server ticks, nginx ticks, finished children's ticks.
# `times` runs in this shell (a subshell would not see the children's times): it prints the
# shell's, then its finished children's (wrk's), user and system time.
take_snapshot() {
    times >"$WORK/times"
    local children
    children=$(awk -v hz="$(clock_ticks)" 'NR==2 {
        split($1, u, /[ms]/); split($2, s, /[ms]/);
        printf "%d\n", ((u[1]*60 + u[2]) + (s[1]*60 + s[2])) * hz }' "$WORK/times")
    # shellcheck disable=SC2046,SC2086
    SNAP="$(date +%s.%N) $(machine_busy) $(pid_ticks "$SERVER_PID" $SERVER_DB_PIDS) $(pid_ticks $(nginx_pids)) $children"
}

# Cores kept busy by other processes of the machine between two snapshots.
others_cores() {
    awk -v hz="$(clock_ticks)" -v a="$1" -v b="$2" 'BEGIN {
        split(a, x, " "); split(b, y, " ");
        dt = y[1] - x[1]; if (dt <= 0) { print "?"; exit }
        other = (y[2]-x[2]) - (y[3]-x[3]) - (y[4]-x[4]) - (y[5]-x[5]);
        if (other < 0) other = 0;
        printf "%.2f\n", other / hz / dt }'
}

# Starts a measured period: sets PERIOD_LOAD (the 1-minute load average) and takes the
# snapshot `period_end` compares with.
period_start() {
    PERIOD_LOAD=$(cut -d' ' -f1 /proc/loadavg)
    note_server_db_pids
    take_snapshot
    PERIOD_BEFORE=$SNAP
}

# Ends it: sets PERIOD_OTHERS, the cores other processes used meanwhile. The server's
# database backends are listed again first: connections opened during the period are its too.
period_end() {
    note_server_db_pids
    take_snapshot
    PERIOD_OTHERS=$(others_cores "$PERIOD_BEFORE" "$SNAP")
}

threads_for() { if [ "$1" -ge 2 ]; then echo 2; else echo 1; fi; }

# Starts one wrk run in the background; sets WRK_PID. Environment: see bench/wrk/gpconnect.lua.
wrk_start() {
    local url=$1 connections=$2 result=$3
    local threads seconds=${RUN_SECONDS:-$SECONDS_PER_RUN}
    threads=$(threads_for "$connections")
    BENCH_THREADS=$threads BENCH_RESULT=$result \
        timeout $((seconds + 60)) wrk -t "$threads" -c "$connections" -d "${seconds}s" \
        --timeout 30s -s "$BENCH/wrk/gpconnect.lua" "$url" >"$result.out" 2>&1 &
    WRK_PID=$!
}

TABLE=""
SUMMARY=""

# Appends a row to the results table: scenario, connections, server, result file, load and
# other processes' CPU before/while it ran, and the static rate to compare with.
record() {
    local scenario=$1 connections=$2 server=$3 result=$4 load=$5 others=$6 ratio=$7
    if [ ! -s "$result" ]; then
        cat "$result.out" >&2 || true
        echo "wrk produced no result for $scenario ($server, $connections connections)" >&2
        return 1
    fi
    local line
    line=$(tail -1 "$result")
    local row
    row=$(awk -v s="$scenario" -v c="$connections" -v srv="$server" -v ld="$load" -v oth="$others" -v ratio="$ratio" '{
        for (i = 1; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
        errs = v["connect"] + v["read"] + v["write"] + v["timeout"];
        non2xx = v["non2xx"];
        if (v["statuses"] != "" && v["statuses"] != "-") non2xx = non2xx " (" v["statuses"] ")";
        if (v["overrun"] + 0 > 0) non2xx = non2xx ", " v["overrun"] " sent with no free slot left";
        printf "| %s | %s | %s | %.1f | %.2f | %.2f | %.2f | %s | %d | %s | %s | %s |\n",
            s, c, srv, v["rps"], v["p50_us"]/1000, v["p99_us"]/1000, v["max_us"]/1000,
            non2xx, errs, ld, oth, ratio }' <<<"$line")
    TABLE+="$row"$'\n'
    printf '%s\n' "$row" >&2
}

# One value (`rps`, `p99_us`, ...) of a run's summary line.
field() { tail -1 "$1" | tr ' ' '\n' | awk -F= -v k="$2" '$1==k {v=$2} END {print v}'; }

# One measured wrk run of `scenario`; prints the result file.
measure() {
    local scenario=$1 connections=$2 server=$3 url=$4
    local result="$WORK/result-$BACKEND-$scenario-$server-$connections-$FRESH.txt"
    rm -f "$result"
    period_start
    wrk_start "$url" "$connections" "$result"
    wait "$WRK_PID" || true
    period_end
    LAST_RESULT=$result
    LAST_LOAD=$PERIOD_LOAD
    LAST_OTHERS=$PERIOD_OTHERS
    sleep 1
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.3f", a / b; else print "?" }'; }

search_env() {
    export BENCH_METHOD=GET BENCH_INTERACTION=$SLOT_SEARCH BENCH_SCOPE='organization/*.read' \
        BENCH_AUD=$BASE BENCH_SSP_TO=$ASID
}

slot_path() {
    local from=$1 to=$2
    printf '%s/Slot?status=free&start=ge%s&end=le%s&_include=Slot:schedule' "$SERVICE_ROOT" "$from" "$to"
    printf '&_include:recurse=Schedule:actor:Practitioner&_include:recurse=Schedule:actor:Location'
    printf '&_include:recurse=Location:managingOrganization'
    printf '&searchFilter=https://fhir.nhs.uk/Id/ods-organization-code%%7C%s' "$ODS"
    printf '&searchFilter=https://fhir.nhs.uk/STU3/CodeSystem/GPConnect-OrganisationType-1%%7Curgent-care\n'
}

uk_date() { TZ=Europe/London date -d "$1" +%F; }

# Search scenario: gpconnect and nginx at each connection count, in the same run.
search_scenario() {
    local scenario=$1 path=$2
    local body="$WORK/www/$scenario.json"
    local status
    status=$(api "$body" "$SLOT_SEARCH" 'organization/*.read' "$path")
    if [ "$status" != 200 ]; then
        cat "$body" >&2
        echo "$scenario: the slot search answered $status" >&2
        return 1
    fi
    chmod 644 "$body"
    local slots
    slots=$(jq '[.entry[]? | select(.resource.resourceType == "Slot")] | length' "$body")
    SUMMARY+="- $scenario: $(stat -c %s "$body") bytes, $slots free slots"$'\n'
    search_env
    local c
    for c in $CONNECTIONS; do
        export BENCH_PATH=$path
        measure "$scenario" "$c" gpconnect "http://127.0.0.1:$PORT"
        local ours=$LAST_RESULT ours_load=$LAST_LOAD ours_others=$LAST_OTHERS
        export BENCH_PATH="/$scenario.json"
        measure "$scenario" "$c" nginx "http://127.0.0.1:$NGINX_PORT"
        local static=$LAST_RESULT
        local r
        r=$(ratio "$(field "$ours" rps)" "$(field "$static" rps)")
        record "$scenario" "$c" gpconnect "$ours" "$ours_load" "$ours_others" "$r"
        record "$scenario" "$c" nginx "$static" "$LAST_LOAD" "$LAST_OTHERS" "1"
        RATIOS+="$scenario $c $r"$'\n'
    done
}

# Pre-fetches (on the freshly started server) the patients' logical ids and every bookable slot from tomorrow on, as one
# booking body per line.
prepare_bookings() {
    local patients=() nhs status
    for nhs in $PATIENT_NHS_NUMBERS; do
        status=$(api "$WORK/patient.json" "$FIND_PATIENT" 'patient/*.read' \
            "$SERVICE_ROOT/Patient?identifier=https://fhir.nhs.uk/Id/nhs-number%7C$nhs")
        if [ "$status" = 200 ]; then
            local id
            id=$(jq -r '.entry[0].resource.id // empty' "$WORK/patient.json")
            [ -n "$id" ] && patients+=("\"$id\"")
        fi
    done
    if [ ${#patients[@]} -eq 0 ]; then
        echo "no patient found to book for" >&2
        return 1
    fi
    local windows=() w from to
    for w in 0 1 2 3; do
        from=$(uk_date "+$((1 + 14 * w)) days")
        to=$(uk_date "+$((14 + 14 * w)) days")
        status=$(api "$WORK/window-$w.json" "$SLOT_SEARCH" 'organization/*.read' "$(slot_path "$from" "$to")")
        [ "$status" = 200 ] || { echo "slot search for bookings answered $status" >&2; return 1; }
        windows+=("$WORK/window-$w.json")
    done
    local patient_list
    patient_list="[$(IFS=,; echo "${patients[*]}")]"
    FIRST_WINDOW_SLOTS=$(jq '[.entry[]? | select(.resource.resourceType == "Slot")] | length' "$WORK/window-0.json")
    jq -c -s --argjson patients "$patient_list" --arg created "$(TZ=Europe/London date +%FT%T%:z)" \
        -f "$BENCH/booking-bodies.jq" "${windows[@]}" >"$WORK/bookings.jsonl"
    BOOKING_OFFSET=0
    local line
    line="- booking: every run on a fresh database, $(wc -l <"$WORK/bookings.jsonl") free slots pre-fetched (days 1-56), ${#patients[@]} patients"
    case "$SUMMARY" in
        *"$line"*) ;;
        *) SUMMARY+="$line"$'\n' ;;
    esac
}

book_env() {
    export BENCH_METHOD=POST BENCH_PATH="$SERVICE_ROOT/Appointment" BENCH_INTERACTION=$BOOK \
        BENCH_SCOPE='patient/*.write' BENCH_AUD=$BASE BENCH_SSP_TO=$ASID \
        BENCH_BODIES="$WORK/bookings.jsonl" BENCH_OFFSET=$BOOKING_OFFSET BENCH_NEXT="$WORK/next-offset"
}

advance_bookings() { BOOKING_OFFSET=$(cat "$WORK/next-offset"); }

booking_scenarios() {
    local c RUN_SECONDS=$BOOK_SECONDS
    for c in $CONNECTIONS; do
        fresh_server
        prepare_bookings
        book_env
        measure book "$c" gpconnect "http://127.0.0.1:$PORT"
        advance_bookings
        record book "$c" gpconnect "$LAST_RESULT" "$LAST_LOAD" "$LAST_OTHERS" "-"
        BOOK_P99+="book $c $(field "$LAST_RESULT" requests) $(field "$LAST_RESULT" p99_us) $(field "$LAST_RESULT" non2xx) $(field "$LAST_RESULT" overrun)"$'\n'
    done
    # Booking while the 14-day practice search runs on other connections: first against our
    # server, then, as a control, with nginx serving the very same search bytes to the same
    # number of connections. The bookings take slots after day 14 first, so the searched
    # fortnight keeps all its slots and every search stays as large as at the start (each
    # booking still moves the practice's diary version on, so our searches are built afresh).
    local searcher
    for searcher in gpconnect nginx; do
        for c in $CONNECTIONS; do
            book_during_search "$c" "$searcher"
        done
    done
}

# One booking run at `c` connections while `searcher` (gpconnect or nginx) answers the 14-day
# practice search on $SEARCH_DURING_BOOKING more connections.
book_during_search() {
    local c=$1 searcher=$2
    fresh_server
    prepare_bookings
    BOOKING_OFFSET=$FIRST_WINDOW_SLOTS
    local search_result="$WORK/result-$BACKEND-bg-search-$searcher-$c.txt"
    local book_result="$WORK/result-$BACKEND-book-during-search-$searcher-$c.txt"
    rm -f "$search_result" "$book_result"
    search_env
    local search_url
    if [ "$searcher" = nginx ]; then
        # The search's answer on this fresh diary, served as a static file.
        local status
        status=$(api "$WORK/www/book-search-14day.json" "$SLOT_SEARCH" 'organization/*.read' "$SEARCH_14_PATH")
        if [ "$status" != 200 ]; then
            echo "the 14-day search for the static control answered $status" >&2
            return 1
        fi
        chmod 644 "$WORK/www/book-search-14day.json"
        export BENCH_PATH=/book-search-14day.json
        search_url="http://127.0.0.1:$NGINX_PORT"
    else
        export BENCH_PATH=$SEARCH_14_PATH
        search_url="http://127.0.0.1:$PORT"
    fi
    period_start
    wrk_start "$search_url" "$SEARCH_DURING_BOOKING" "$search_result"
    local search_pid=$WRK_PID
    book_env
    wrk_start "http://127.0.0.1:$PORT" "$c" "$book_result"
    local book_pid=$WRK_PID
    wait "$book_pid" || true
    wait "$search_pid" || true
    period_end
    local scenario=book+search during="search during book"
    if [ "$searcher" = nginx ]; then
        scenario="book+static search"
        during="static search during book"
    fi
    record "$scenario" "$c (+$SEARCH_DURING_BOOKING search)" gpconnect "$book_result" "$PERIOD_LOAD" "$PERIOD_OTHERS" "-"
    record "$during" "$SEARCH_DURING_BOOKING (+$c book)" "$searcher" "$search_result" "$PERIOD_LOAD" "$PERIOD_OTHERS" "-"
    BOOK_P99+="$(tr ' ' '_' <<<"$scenario") $c $(field "$book_result" requests) $(field "$book_result" p99_us) $(field "$book_result" non2xx) $(field "$book_result" overrun)"$'\n'
    sleep 1
}

clone_practices() {
    local n=$1 i sql="$WORK/clones.sql"
    {
        echo "BEGIN;"
        for i in $(seq "$n"); do
            sed -e "s/@ODS@/$(printf 'B%05d' "$i")/g" -e "s/@ASID@/$(printf '9189991%05d' "$i")/g" \
                "$BENCH/clone-practice.sql"
        done
        echo "COMMIT;"
    } >"$sql"
    case "$BACKEND" in
        sqlite) sqlite3 -cmd '.timeout 60000' "$SQLITE_PATH" <"$sql" ;;
        # PostgreSQL's autovacuum would analyse the new rows within a minute; do it now so the
        # measurement sees the steady state.
        postgres) psql -q -v ON_ERROR_STOP=1 "postgres://postgres@127.0.0.1:5432/$PG_DATABASE" -f "$sql" -c ANALYZE >/dev/null ;;
    esac
}

# The same searches with 2 practices hosted and with EXTRA_PRACTICES more copies of the large
# one.
practice_scaling() {
    local c=${CONNECTIONS##* } scenario path
    fresh_server
    search_env
    declare -A before_rps
    for scenario in slots-1day slots-14day; do
        path=$SEARCH_1_PATH
        [ "$scenario" = slots-14day ] && path=$SEARCH_14_PATH
        export BENCH_PATH=$path
        measure "$scenario-2-practices" "$c" gpconnect "http://127.0.0.1:$PORT"
        record "$scenario, 2 practices" "$c" gpconnect "$LAST_RESULT" "$LAST_LOAD" "$LAST_OTHERS" "-"
        before_rps[$scenario]=$(field "$LAST_RESULT" rps)
    done
    log "$BACKEND: loading $EXTRA_PRACTICES more copies of the large practice"
    local started=$SECONDS
    clone_practices "$EXTRA_PRACTICES"
    SUMMARY+="- practice scaling: $EXTRA_PRACTICES copies of $ODS added in $((SECONDS - started)) s"$'\n'
    for scenario in slots-1day slots-14day; do
        path=$SEARCH_1_PATH
        [ "$scenario" = slots-14day ] && path=$SEARCH_14_PATH
        export BENCH_PATH=$path
        measure "$scenario-more-practices" "$c" gpconnect "http://127.0.0.1:$PORT"
        local r
        r=$(ratio "$(field "$LAST_RESULT" rps)" "${before_rps[$scenario]}")
        record "$scenario, $((EXTRA_PRACTICES + 2)) practices" "$c" gpconnect "$LAST_RESULT" "$LAST_LOAD" "$LAST_OTHERS" "$r"
        SCALING+="$scenario $c $r"$'\n'
    done
}

verdicts() {
    local out="" scenario c r p99 non2xx
    local -A with_ours=()
    while read -r scenario c r; do
        [ -n "$scenario" ] || continue
        out+="- $scenario at $c connections: $r of the static rate (target >= 0.5): $(awk -v r="$r" 'BEGIN { print (r >= 0.5 ? "met" : "NOT met") }')"$'\n'
    done <<<"$RATIOS"
    while read -r scenario c requests p99 non2xx overrun; do
        [ -n "$scenario" ] || continue
        if [ "${requests:-0}" -eq 0 ]; then
            out+="- $scenario at $c connections: no booking completed within the run: NOT met"$'\n'
            continue
        fi
        local ms
        ms=$(awk -v p="$p99" 'BEGIN { printf "%.1f", p / 1000 }')
        scenario=${scenario//_/ }
        out+="- $scenario at $c connections: booking p99 $ms ms, command limit 250 ms: $(awk -v p="$p99" 'BEGIN { print (p < 250000 ? "met" : "NOT met") }')"
        if [ "$scenario" = "book+static search" ]; then
            out+="; control, no target: the same searches answered by nginx instead"
            if [ -n "${with_ours[$c]:-}" ]; then
                out+=" (with our server answering them: ${with_ours[$c]} ms)"
            fi
        elif [ "$scenario" = book+search ]; then
            with_ours[$c]=$ms
            if [ "${overrun:-0}" -gt 0 ]; then
                # Answers for slots already gone are quick 409s: the p99 is not a booking's.
                out+="; target while searching < 20 ms: not measured (the diary ran out of slots)"
            else
                out+="; target while searching < 20 ms: $(awk -v p="$p99" 'BEGIN { print (p < 20000 ? "met" : "NOT met") }')"
            fi
        fi
        out+="; non-2xx answers: $non2xx"
        if [ "${overrun:-0}" -gt 0 ]; then
            out+=" ($overrun requests found no free slot left: shorten BENCH_BOOK_SECONDS)"
        fi
        out+=$'\n'
    done <<<"$BOOK_P99"
    local worst stalled
    worst=$(awk -F'|' '$4 ~ /gpconnect/ && $2 ~ /slots|search/ { if ($7 + 0 > w) w = $7 + 0 } END { printf "%.1f", w }' <<<"$TABLE")
    stalled=$(awk -F'|' '$4 ~ /gpconnect/ && $2 ~ /slots|search/ && $5 + 0 == 0 { n++ } END { print n + 0 }' <<<"$TABLE")
    if [ "$stalled" -gt 0 ]; then
        out+="- slowest search p99: $stalled search runs completed no request within ${SECONDS_PER_RUN} s, query limit 3000 ms: NOT met"$'\n'
    else
        out+="- slowest search p99: $worst ms, query limit 3000 ms: $(awk -v w="$worst" 'BEGIN { print (w < 3000 ? "met" : "NOT met") }')"$'\n'
    fi
    while read -r scenario c r; do
        [ -n "$scenario" ] || continue
        out+="- $scenario at $c connections with $((EXTRA_PRACTICES + 2)) practices: $r of the 2-practice rate"$'\n'
    done <<<"$SCALING"
    printf '%s' "$out"
}

run_backend() {
    BACKEND=$1
    TABLE="" SUMMARY="" RATIOS="" BOOK_P99="" SCALING=""
    local started_at load_at_start
    started_at=$(date '+%Y-%m-%d %H:%M:%S %Z')
    load_at_start=$(cut -d' ' -f1-3 /proc/loadavg)
    log "$BACKEND: starting gpconnect serve with the benchmark demo practice"
    fresh_server
    SUMMARY+="- start-up with the demo data loaded: $STARTUP_SECONDS s"$'\n'
    if [ "$BACKEND" = postgres ] && command -v pgbench >/dev/null; then
        # Every request reads its practice's diary version: at 1 connection each waits for
        # one such round trip, whatever the server does.
        echo 'SELECT 1;' >"$WORK/select-1.sql"
        local round_trip
        round_trip=$(pgbench -n -c 1 -T 3 -f "$WORK/select-1.sql" "$DATABASE" 2>/dev/null |
            awk -F' = ' '/^latency average/ { print $2 }')
        SUMMARY+="- database round trip at 1 connection (pgbench, \`SELECT 1\`, 3 s): ${round_trip:-not measured}"$'\n'
    fi

    local d1 d14
    d1=$(uk_date tomorrow)
    d14=$(uk_date '+14 days')
    SEARCH_1_PATH=$(slot_path "$d1" "$d1")
    SEARCH_14_PATH=$(slot_path "$d1" "$d14")

    if wants searches; then
        log "$BACKEND: searches"
        search_scenario slots-1day "$SEARCH_1_PATH"
        search_scenario slots-14day "$SEARCH_14_PATH"
    fi
    if wants booking; then
        log "$BACKEND: bookings"
        booking_scenarios
    fi
    if wants scaling; then
        log "$BACKEND: practice scaling"
        practice_scaling
    fi

    stop_server
    drop_pg_database
    write_report "$started_at" "$load_at_start"
}

write_report() {
    local started_at=$1 load_at_start=$2
    mkdir -p "$RESULTS"
    local file
    file="$RESULTS/$(date +%Y-%m-%dT%H%M)-$BACKEND.md"
    local commit
    commit=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)
    git -C "$ROOT" diff --quiet HEAD -- crates 2>/dev/null || commit+=" (with uncommitted changes under crates/)"
    local verdict
    verdict=$(verdicts)
    {
        echo "# gpconnect benchmark: $BACKEND, $started_at"
        echo
        echo "Command: \`bench/run.sh $BACKEND\` (BENCH_SECONDS=$SECONDS_PER_RUN, BENCH_BOOK_SECONDS=$BOOK_SECONDS, BENCH_CONNECTIONS=\"$CONNECTIONS\","
        echo "BENCH_BACKGROUND_CONNECTIONS=$SEARCH_DURING_BOOKING, BENCH_EXTRA_PRACTICES=$EXTRA_PRACTICES, BENCH_PARTS=\"$PARTS\"); commit $commit."
        echo "Machine: $(nproc) cores, load average at start $load_at_start; $(wrk --version 2>&1 | head -1 | cut -d' ' -f1-2), $("$NGINX" -v 2>&1 | cut -d' ' -f3)."
        echo "Demo data: \`--demo-scale benchmark\` (20 clinicians, 8 weeks) on $BACKEND."
        echo
        printf '%s' "$SUMMARY"
        echo
        echo "| scenario | connections | server | req/s | p50 ms | p99 ms | max ms | non-2xx | socket errors | load (1 min) | others' CPU (cores) | ratio |"
        echo "|---|---|---|---|---|---|---|---|---|---|---|---|"
        printf '%s' "$TABLE"
        echo
        echo "\`ratio\`: our rate over nginx's for the same bytes (searches), or over the 2-practice rate (scaling)."
        echo "\`load\`: the 1-minute load average when the run started; \`others' CPU\`: cores used by processes"
        echo "other than gpconnect (and its PostgreSQL backends), nginx and wrk while it ran (other work on the machine)."
        echo
        echo "## Against the targets (SPEC 2.14)"
        echo
        printf '%s' "$verdict"
    } >"$file"
    log "$BACKEND: results in ${file#"$ROOT"/}"
    REPORTS+=("$file")
}

install_tools
if [ -z "${BENCH_SKIP_BUILD:-}" ]; then
    log "building the release binary"
    (cd "$ROOT" && cargo build --release -p gpconnect)
fi
for port in "$PORT" "$NGINX_PORT"; do
    if ss -ltn "sport = :$port" | grep -q LISTEN; then
        echo "port $port is in use; set BENCH_PORT / BENCH_NGINX_PORT" >&2
        exit 1
    fi
done
start_nginx
REPORTS=()
for backend in $BACKENDS; do
    run_backend "$backend"
done
for report in "${REPORTS[@]}"; do
    echo
    cat "$report"
done
