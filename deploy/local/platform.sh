#!/usr/bin/env bash
# Starts (run) or stops (stop) the local platform: PostgreSQL + Kafka (dev-infra's LocalPlatform)
# and the three services as separate processes, then the web app on 8080. State, data and logs live
# in .local/ (git-ignored).
set -euo pipefail
cd "$(dirname "$0")/../.."
STATE=.local
PIDS=$STATE/pids
LOGS=$STATE/logs
# REPLICAS=2 (make run REPLICAS=2) runs two of each service: replica 2 on 8091/8092/8093, and so on.
REPLICAS=${REPLICAS:-1}
replica_port() { echo $(( $1 + 10 * ($2 - 1) )); } # first replica's port, replica
SERVICES=()
for r in $(seq 1 "$REPLICAS"); do
  for s in order-service:8081 matching-service:8082 settlement-service:8083; do
    name=${s%%:*}; port=$(replica_port "${s##*:}" "$r")
    if [ "$r" = 1 ]; then SERVICES+=("$name:$port"); else SERVICES+=("$name-$r:$port"); fi
  done
done
export GIG_DB_PORT=${GIG_DB_PORT:-15432}
export GIG_KAFKA_PORT=${GIG_KAFKA_PORT:-19092}
export KAFKA_BOOTSTRAP_SERVERS=${KAFKA_BOOTSTRAP_SERVERS:-127.0.0.1:$GIG_KAFKA_PORT}
# The production build with the "local" profile on top: it trusts the development key pair kept in
# the repository, so it listens on 127.0.0.1 only (GIG_HTTP_HOST=0.0.0.0 to show it to a phone on
# your network, knowing anyone there can then mint tokens). A production start refuses that key.
export QUARKUS_PROFILE=prod,local

stop_process() { # pid [signal] [seconds]: asks it to stop, then kills it after 20 s (or the seconds given)
  kill -0 "$1" 2>/dev/null || return 0
  kill -"${2:-TERM}" "$1" 2>/dev/null || true
  for _ in $(seq 1 $(( ${3:-20} * 5 ))); do kill -0 "$1" 2>/dev/null || return 0; sleep 0.2; done
  kill -9 "$1" 2>/dev/null || true
}

stop_pid() { # name [seconds]
  local file=$PIDS/$1.pid
  [ -f "$file" ] || return 0
  stop_process "$(cat "$file")" TERM "${2:-20}"
  rm -f "$file"
}

stop_all() {
  # every replica a previous run started, whatever REPLICAS it had
  stop_pid web
  for f in $PIDS/*-service*.pid; do [ -f "$f" ] && stop_pid "$(basename "$f" .pid)"; done
  stop_pid infrastructure
  # the broker is a child of the infrastructure process; make sure it did not outlive it
  if [ -f $STATE/kafka.pid ]; then kill -9 "$(cat $STATE/kafka.pid)" 2>/dev/null || true; rm -f $STATE/kafka.pid; fi
}

# A start interrupted at the wrong moment, or a second `make run` while one was starting, can leave a
# service, the broker or PostgreSQL running with no pid file pointing at it: it keeps the port, spins
# retrying its connections, and slows or breaks the next start. `make stop` therefore also stops this
# checkout's infrastructure process and whatever still listens on the platform's own ports if it is
# one of the platform's programs (nothing else is touched; the tests use other, free ports).
stop_leftovers() {
  local services=(8080)
  for r in 1 2 3 4; do for base in 8081 8082 8083; do services+=("$(replica_port $base $r)"); done; done
  stop_listening "${services[@]}"
  # the infrastructure process of this checkout: stopping it stops its broker and database cleanly
  for pid in $(pgrep -f cn.jiujinbang.devinfra.LocalPlatform || true); do
    [ "$(readlink /proc/$pid/cwd 2>/dev/null)" = "$PWD" ] && stop_leftover "$pid" "the infrastructure process"
  done
  stop_listening "$GIG_KAFKA_PORT" "$GIG_DB_PORT"
}

stop_listening() { # port...: the platform's programs among the processes listening there
  for port in "$@"; do
    for pid in $(ss -ltnpH "sport = :$port" 2>/dev/null | grep -o 'pid=[0-9]*' | cut -d= -f2 | sort -u); do
      local command; command=$(tr '\0' ' ' < /proc/$pid/cmdline 2>/dev/null) || continue
      case "$command" in
        *quarkus-run.jar*|*kafka.Kafka*) stop_leftover "$pid" "port $port: ${command:0:70}" ;;
        *"$PWD/$STATE/postgres"*) stop_leftover "$pid" "port $port: PostgreSQL" INT ;; # fast shutdown
      esac
    done
  done
}

stop_leftover() { # pid what [signal]
  echo "stopping a leftover process (pid $1), $2" >&2
  stop_process "$1" "${3:-TERM}"
}

# make stop: the `make run` (if any) first, so that it starts nothing more; it stops what it started,
# one process after the other, which takes longer than any one process may
stop_command() {
  stop_pid run 90
  stop_all
  stop_leftovers
}

wait_ready() { # name port seconds
  for _ in $(seq 1 $(( $3 * 20 ))); do
    if curl -fs "http://localhost:$2/q/health/ready" >/dev/null 2>&1; then return 0; fi
    if ! kill -0 "$(cat $PIDS/$1.pid)" 2>/dev/null; then echo "$1 exited; see $LOGS/$1.log" >&2; return 1; fi
    sleep 0.05
  done
  echo "$1 not ready after $3 s; see $LOGS/$1.log" >&2; return 1
}

# Class-data sharing (docs/decisions.md, 24): the first start after a build records the classes a
# service loads, and its JVM writes them to .local/cds/<module>.jsa when it stops; later starts map
# that archive instead of loading and verifying most of its 17,000-odd classes again. A new build makes the
# archive older than the jar, and the next start records a fresh one. Only the first replica records.
# GIG_CDS=off starts without archives.
cds_flags() { # module replica
  local archive=$STATE/cds/$1.jsa jar=services/$1/target/quarkus-app/quarkus-run.jar
  mkdir -p $STATE/cds
  if [ "${GIG_CDS:-on}" = off ]; then
    return 0
  elif [ -s "$archive" ] && [ "$archive" -nt "$jar" ]; then
    echo "-XX:SharedArchiveFile=$archive"
  elif [ "$2" = 1 ]; then
    rm -f "$archive"; echo "-XX:ArchiveClassesAtExit=$archive"
  fi
}

start_infrastructure() {
  rm -f $STATE/ready
  java -Djava.util.logging.manager=org.jboss.logmanager.LogManager -Xmx256m \
    -cp "services/dev-infra/target/classes:$(cat services/dev-infra/target/launcher.classpath)" \
    cn.jiujinbang.devinfra.LocalPlatform > $LOGS/infrastructure.log 2>&1 &
  echo $! > $PIDS/infrastructure.pid
  for _ in $(seq 1 300); do [ -f $STATE/ready ] && break; sleep 0.2; done
  [ -f $STATE/ready ] || { echo "infrastructure did not start; see $LOGS/infrastructure.log" >&2; stop_all; exit 1; }
}

start_service() { # name:port (name = module, or module-<replica>)
  local name=${1%%:*} port=${1##*:}
  local module=${name%-[0-9]*} replica=1
  [ "$module" = "$name" ] || replica=${name##*-}
  if [ "$module" = web ]; then
    # the web app calls the first replica of each service; local sign-in signs with the development key
    GIG_WEB_DEV_SIGNING_KEY=services/dev-infra/src/main/resources/dev-jwt/privateKey.pem \
      java -Xmx128m -XX:+UseSerialGC $(cds_flags web 1) -jar services/web/target/quarkus-app/quarkus-run.jar > $LOGS/web.log 2>&1 &
  else
    # GIG_JAVA_OPTS: the services' JIT flags. Unset, C1 only: on a two-core machine running three
    # services, the broker and PostgreSQL, C2's compiler threads took more CPU than the requests for
    # the first minutes (docs/benchmarks/platform.md); GIG_JAVA_OPTS= (empty) gives the JVM's default.
    QUARKUS_HTTP_PORT=$port java -Xmx384m -XX:+UseSerialGC $(cds_flags "$module" "$replica") ${GIG_JAVA_OPTS--XX:TieredStopAtLevel=1} \
      -jar services/$module/target/quarkus-app/quarkus-run.jar > $LOGS/$name.log 2>&1 &
  fi
  echo $! > $PIDS/$name.pid
}

# Every service replica and the web app at once (the web app needs the services only when a page asks
# them), then waits until each is ready.
start_everything() { # seconds to wait for each
  for s in "${SERVICES[@]}" web:8080; do start_service "$s"; done
  for s in "${SERVICES[@]}" web:8080; do wait_ready "${s%%:*}" "${s##*:}" "$1" || return 1; done
}

run() {
  mkdir -p $PIDS $LOGS
  stop_all
  stop_leftovers
  echo $$ > $PIDS/run.pid
  trap 'rm -f $PIDS/run.pid' EXIT
  trap 'echo; echo "stopping..."; stop_all; exit 0' INT TERM
  local started; started=$(millis)
  start_infrastructure
  local infrastructure; infrastructure=$(millis)
  start_everything 90 || { stop_all; exit 1; }
  local up; up=$(millis)
  echo "就近帮 is up in $(( (up - started + 500) / 1000 )) s: PostgreSQL and Kafka $(( infrastructure - started )) ms, then the services $(( up - infrastructure )) ms"
  echo "(logs in $LOGS/, Ctrl-C or 'make stop' stops everything):"
  echo "  web app      http://localhost:8080"
  for s in "${SERVICES[@]}"; do
    echo "  ${s%%:*}  http://localhost:${s##*:}/q/swagger-ui"
  done
  echo "  PostgreSQL localhost:$GIG_DB_PORT/gig   Kafka $KAFKA_BOOTSTRAP_SERVERS"
  # stay in the foreground until Ctrl-C, 'make stop' or a service dies
  while :; do
    for s in "${SERVICES[@]}" web:8080 infrastructure:0; do
      local name=${s%%:*}
      [ -f $PIDS/$name.pid ] || { stop_all; exit 0; }
      kill -0 "$(cat $PIDS/$name.pid)" 2>/dev/null || { echo "$name stopped; see $LOGS/$name.log" >&2; stop_all; exit 1; }
    done
    sleep 1
  done
}

millis() { date +%s%3N; }

# make bench-startup: how long each service takes from `java` to ready (/q/health/ready is 200: the
# database pool, Kafka, and every consumer in its group), all at once as `make run` starts them and
# each alone, without and with the class-data archives.
startup_bench() { # report
  local report=$1 rounds=${ROUNDS:-3} all=("${SERVICES[@]}" web:8080)
  if curl -fs http://localhost:8081/q/health/ready >/dev/null 2>&1; then
    # make bench goes on with the other benchmarks against the running platform
    echo "bench-startup skipped: the platform is running ('make stop' first: start-up is measured from nothing)" >&2; exit 0
  fi
  mkdir -p $PIDS $LOGS "$(dirname "$report")"
  stop_all
  trap 'stop_all' EXIT
  local t0; t0=$(millis)
  start_infrastructure
  local infra=$(( $(millis) - t0 ))
  rm -f $STATE/cds/*.jsa
  local cold warm
  cold=$(measure_together)   # records the archives, written when they stop
  for s in "${all[@]}"; do stop_pid "${s%%:*}"; done
  warm=$(measure_together)
  for s in "${all[@]}"; do stop_pid "${s%%:*}"; done
  {
    echo "# Start-up (make bench-startup, $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, $(java -version 2>&1 | head -1))"
    echo
    echo "Milliseconds from \`java\` to \`/q/health/ready\` = 200 (PostgreSQL and Kafka running, schema up"
    echo "to date); Quarkus's own \"started in\" in brackets. Infrastructure (PostgreSQL + Kafka): $infra ms."
    echo
    echo "Everything at once, as \`make run\` starts it: $cold ms without archives (recording them), $warm ms with them."
    echo
    echo "| each alone | without archive, $rounds starts | with archive, $rounds starts |"
    echo "|---|---|---|"
  } > "$report"
  for s in "${all[@]}"; do
    local name=${s%%:*} without=() with=()
    for _ in $(seq 1 "$rounds"); do without+=("$(GIG_CDS=off measure_start "$s")"); stop_pid "$name"; done
    for _ in $(seq 1 "$rounds"); do with+=("$(measure_start "$s")"); stop_pid "$name"; done
    echo "| $name | ${without[*]} | ${with[*]} |" >> "$report"
  done
  cat "$report"
}

measure_together() { # -> ms until every service and the web app are ready
  local t0; t0=$(millis)
  start_everything 120 >&2 || exit 1
  echo $(( $(millis) - t0 ))
}

measure_start() { # name:port -> "<ms> (<started in>)"
  local name=${1%%:*} port=${1##*:} t0
  t0=$(millis)
  start_service "$1"
  wait_ready "$name" "$port" 120 >&2 || exit 1
  echo "$(( $(millis) - t0 )) ($(grep -o 'started in [0-9.]*s' "$LOGS/$name.log" | tail -1 | sed 's/started in //'))"
}

case "${1:-}" in
  run) run ;;
  stop) stop_command ;;
  startup-bench) startup_bench "${2:-target/bench/startup-report.md}" ;;
  *) echo "usage: $0 run|stop|startup-bench [report]" >&2; exit 2 ;;
esac
