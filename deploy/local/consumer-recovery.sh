#!/usr/bin/env bash
# How long a consumer group holds events back when one of two matching-service replicas is killed
# with kill -9 and restarted 4 s later (docs/decisions.md 15 has the figures and the choice).
#   bash deploy/local/consumer-recovery.sh [kip848|kip848-static|classic|classic-static]
# Runs its own PostgreSQL and Kafka (ports 25432/29092) and replicas (18081/18082) in a temporary
# folder; publishes one harmless event (gig.order.cancelled.v1 for an unknown order) every 100 ms
# for 60 s, kills replica 1 after 10 s, then reads matching.inbox for when each event took effect.
# Needs psql and python3; run `make build` first.
set -uo pipefail
MODE=${1:-kip848}
SESSION=${SESSION:-6000}
cd "$(dirname "$0")/../.."
STATE=$(mktemp -d -t gig-recovery-XXXX)
export QUARKUS_PROFILE=prod,local GIG_LOCAL_DIR=$STATE GIG_DB_PORT=25432 GIG_KAFKA_PORT=29092
BOOT=127.0.0.1:29092
java -Xmx256m -cp "services/dev-infra/target/classes:$(cat services/dev-infra/target/launcher.classpath)" \
  cn.jiujinbang.devinfra.LocalPlatform > "$STATE/infra.log" 2>&1 &
INFRA=$!
trap 'kill $(cat "$STATE"/r*.pid 2>/dev/null) ${PROD:-} 2>/dev/null; kill $INFRA 2>/dev/null; wait $INFRA 2>/dev/null' EXIT
for _ in $(seq 1 300); do [ -f "$STATE/ready" ] && break; sleep 0.2; done
options() { # replica number
  local o="-Dgig.db.port=25432 -Dkafka.bootstrap.servers=$BOOT -Dquarkus.http.port=1808$1"
  local classic="-Dmp.messaging.connector.smallrye-kafka.group.protocol=classic"
  case $MODE in
    kip848) ;;
    kip848-static) o="$o -Dkafka.group.instance.id=matching-r$1" ;;
    classic) o="$o $classic" ;;
    classic-static) o="$o $classic -Dkafka.group.instance.id=matching-r$1 -Dkafka.session.timeout.ms=$SESSION" ;;
    *) echo "unknown mode $MODE" >&2; exit 2 ;;
  esac
  echo "$o"
}
start() { java -Xmx384m -XX:+UseSerialGC $(options "$1") -jar services/matching-service/target/quarkus-app/quarkus-run.jar \
  >> "$STATE/r$1.log" 2>&1 & echo $! > "$STATE/r$1.pid"; }
ready() { curl -fs "localhost:1808$1/q/health/ready" >/dev/null; }
await_ready() { for _ in $(seq 1 600); do ready "$1" && return 0; sleep 0.1; done; echo "replica $1 not ready" >&2; exit 1; }
start 1; start 2; await_ready 1; await_ready 2
mkfifo "$STATE/fifo"
java -cp "$(cat services/kafka-broker/target/broker.classpath)" org.apache.kafka.tools.ConsoleProducer --bootstrap-server $BOOT \
  --topic gig.orders --property parse.key=true --property parse.headers=true --producer-property linger.ms=0 \
  --producer-property security.protocol=SASL_PLAINTEXT --producer-property sasl.mechanism=SCRAM-SHA-256 \
  --producer-property 'sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="admin" password="admin-local";' \
  < "$STATE/fifo" > "$STATE/producer.log" 2>&1 &
PROD=$!
exec 3> "$STATE/fifo"
sleep 3
T0=$(date +%s%3N); KILLED=""; RESTARTED=""; BACK=""
while :; do
  now=$(date +%s%3N); id=$(cat /proc/sys/kernel/random/uuid); key=$(cat /proc/sys/kernel/random/uuid)
  printf 'ce_id:%s,ce_type:gig.order.cancelled.v1,ce_source:/gig/recovery,ce_time:%s,ce_specversion:1.0\t%s\t{"orderId":"%s","residentId":"r-1","wasAssigned":false,"priceFen":5000,"serviceFeeFen":400,"cancelledAt":"%s"}\n' \
    "$id" "$(date -u +%Y-%m-%dT%H:%M:%S.%3NZ)" "$key" "$key" "$(date -u +%Y-%m-%dT%H:%M:%SZ)" >&3
  echo "$id $now" >> "$STATE/published.txt"
  if [ -z "$KILLED" ] && [ $((now - T0)) -ge 10000 ]; then kill -9 "$(cat "$STATE/r1.pid")"; KILLED=$now; fi
  if [ -n "$KILLED" ] && [ -z "$RESTARTED" ] && [ $((now - KILLED)) -ge 4000 ]; then start 1; RESTARTED=$now; fi
  if [ -n "$RESTARTED" ] && [ -z "$BACK" ] && ready 1; then BACK=$now; fi
  [ $((now - T0)) -ge 60000 ] && break
  sleep 0.1
done
exec 3>&-
sleep 50 # let everything held back drain
psql -h localhost -p 25432 -U postgres gig -Atc \
  "SELECT event_id, (extract(epoch FROM received_at) * 1000)::bigint FROM matching.inbox" > "$STATE/inbox.txt"
python3 - "$STATE" "$MODE" "$KILLED" "$RESTARTED" "${BACK:-0}" <<'PY'
import sys
state, mode, killed, restarted, back = sys.argv[1], sys.argv[2], *map(int, sys.argv[3:])
published = dict(line.split() for line in open(state + '/published.txt'))
took = dict(line.strip().split('|') for line in open(state + '/inbox.txt') if '|' in line)
lost = [i for i in published if i not in took]
after = sorted(int(took[i]) - int(t) for i, t in published.items() if i in took and int(t) >= killed)
late = [int(t) for i, t in published.items() if i in took and int(t) >= killed and int(took[i]) - int(t) > 1000]
print(f"{mode}: {len(published)} events, {len(lost)} lost; after the kill: max delay {after[-1]} ms, "
      f"p50 {after[len(after) // 2]} ms; last event delayed over 1 s published {(max(late) - killed) / 1000 if late else 0:.1f} s "
      f"after the kill; restarted at +{(restarted - killed) / 1000:.1f} s, ready at "
      + (f"+{(back - killed) / 1000:.1f} s" if back else "never (within the run)"))
PY
