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
SERVICES=()
for r in $(seq 1 "$REPLICAS"); do
  for s in order-service:8081 matching-service:8082 settlement-service:8083; do
    name=${s%%:*}; port=$(( ${s##*:} + 10 * (r - 1) ))
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

stop_pid() { # name
  local file=$PIDS/$1.pid
  [ -f "$file" ] || return 0
  local pid; pid=$(cat "$file")
  if kill -0 "$pid" 2>/dev/null; then
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -9 "$pid" 2>/dev/null || true
  fi
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

wait_ready() { # name port seconds
  for _ in $(seq 1 $(( $3 * 5 ))); do
    if curl -fs "http://localhost:$2/q/health/ready" >/dev/null 2>&1; then return 0; fi
    if ! kill -0 "$(cat $PIDS/$1.pid)" 2>/dev/null; then echo "$1 exited; see $LOGS/$1.log" >&2; return 1; fi
    sleep 0.2
  done
  echo "$1 not ready after $3 s; see $LOGS/$1.log" >&2; return 1
}

run() {
  mkdir -p $PIDS $LOGS
  stop_all
  trap 'echo; echo "stopping..."; stop_all; exit 0' INT TERM
  local started; started=$(date +%s)
  java -Djava.util.logging.manager=org.jboss.logmanager.LogManager -Xmx256m \
    -cp "services/dev-infra/target/classes:$(cat services/dev-infra/target/launcher.classpath)" \
    cn.jiujinbang.devinfra.LocalPlatform > $LOGS/infrastructure.log 2>&1 &
  echo $! > $PIDS/infrastructure.pid
  for _ in $(seq 1 300); do [ -f $STATE/ready ] && break; sleep 0.2; done
  [ -f $STATE/ready ] || { echo "infrastructure did not start; see $LOGS/infrastructure.log" >&2; stop_all; exit 1; }
  for s in "${SERVICES[@]}"; do
    local name=${s%%:*}
    # GIG_JAVA_OPTS: extra JVM flags for the services (e.g. for a benchmark of JIT settings)
    local module=${name%-[0-9]*}
    QUARKUS_HTTP_PORT=${s##*:} java -Xmx384m -XX:+UseSerialGC ${GIG_JAVA_OPTS:-} \
      -jar services/$module/target/quarkus-app/quarkus-run.jar > $LOGS/$name.log 2>&1 &
    echo $! > $PIDS/$name.pid
  done
  for s in "${SERVICES[@]}"; do wait_ready "${s%%:*}" "${s##*:}" 90 || { stop_all; exit 1; }; done
  # the web app: the first replica of each service; local sign-in signs with the development key
  GIG_WEB_DEV_SIGNING_KEY=services/dev-infra/src/main/resources/dev-jwt/privateKey.pem \
    java -Xmx128m -XX:+UseSerialGC -jar services/web/target/quarkus-app/quarkus-run.jar > $LOGS/web.log 2>&1 &
  echo $! > $PIDS/web.pid
  wait_ready web 8080 60 || { stop_all; exit 1; }
  echo "就近帮 is up in $(( $(date +%s) - started )) s (logs in $LOGS/, Ctrl-C or 'make stop' stops everything):"
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

case "${1:-}" in
  run) run ;;
  stop) stop_all ;;
  *) echo "usage: $0 run|stop" >&2; exit 2 ;;
esac
