#!/usr/bin/env bash
# make bench-platform / make bench-ledger / make fuzz: runs a tool (a main class of services/tools) against
# the platform, starting it (make run's script) when it is not running and stopping it again
# afterwards. Usage: bench.sh <main class> <report>
set -euo pipefail
cd "$(dirname "$0")/../.."
MAIN=$1
REPORT=$2
started_here=""
if ! curl -fs http://localhost:8081/q/health/ready >/dev/null 2>&1; then
  echo "starting the platform..."
  mkdir -p .local/logs
  bash deploy/local/platform.sh run > .local/logs/bench-platform-run.log 2>&1 &
  started_here=$!
  for _ in $(seq 1 600); do
    grep -q "is up" .local/logs/bench-platform-run.log 2>/dev/null && break
    kill -0 "$started_here" 2>/dev/null || { cat .local/logs/bench-platform-run.log >&2; exit 1; }
    sleep 0.2
  done
  grep -q "is up" .local/logs/bench-platform-run.log || { echo "the platform did not come up" >&2; exit 1; }
fi
cleanup() { if [ -n "$started_here" ]; then bash deploy/local/platform.sh stop; fi; }
trap cleanup EXIT
mkdir -p "$(dirname "$REPORT")"
java -Xmx1g -cp "services/tools/target/classes:$(cat services/tools/target/tools.classpath)" "$MAIN" "$REPORT"
