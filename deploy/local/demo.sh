#!/usr/bin/env bash
# make demo: a simulated day of a district, driven through the public API. Starts the platform
# first if it is not running (and stops it again afterwards); otherwise uses the running one.
set -euo pipefail
cd "$(dirname "$0")/../.."
ready() { for p in 8081 8082 8083; do curl -fs "http://localhost:$p/q/health/ready" >/dev/null 2>&1 || return 1; done; }
started_here=no
if ! ready; then
  echo "the platform is not running: starting it (logs in .local/logs/)"
  bash deploy/local/platform.sh run > .local/demo-platform.log 2>&1 &
  started_here=yes
  for _ in $(seq 1 180); do ready && break; sleep 1; done
  ready || { echo "the platform did not start; see .local/demo-platform.log" >&2; bash deploy/local/platform.sh stop; exit 1; }
fi
status=0
echo "watch it in a browser: http://localhost:8080 (sign in as admin for the board, as finance for the day's figures)"
java -Xmx512m -cp "services/tools/target/classes:$(cat services/tools/target/tools.classpath)" \
  cn.jiujinbang.demo.DistrictDay target/demo/district-day.md || status=$?
if [ "$started_here" = yes ]; then bash deploy/local/platform.sh stop; fi
exit $status
