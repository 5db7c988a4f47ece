#!/usr/bin/env bash
# make bench-platform: the whole order life under load through the public API, with this machine's
# ceilings (pgbench, Kafka's producer performance tool) measured in the same run. Starts the platform
# (make run's script) when it is not running, and stops it again afterwards.
set -euo pipefail
cd "$(dirname "$0")/../.."
REPORT=${1:-target/bench/platform-report.md}
started_here=""
if ! curl -fs http://localhost:8081/q/health/ready >/dev/null 2>&1; then
  echo "starting the platform for the benchmark..."
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
java -Xmx1g -cp "services/tools/target/classes:$(cat services/tools/target/tools.classpath)" \
  cn.jiujinbang.bench.PlatformBenchmark "$REPORT"
