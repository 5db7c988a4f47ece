#!/usr/bin/env sh
# Prepares a SASL-secured broker for the platform (deploy/compose.yaml runs it once, as the admin):
# creates the topics of topics.txt, a SCRAM-SHA-256 user per service with the password of its
# environment variable (KAFKA_PASSWORD_ORDER_SERVICE for order-service, ...), and the ACLs of
# access.txt. Safe to run again: existing topics stay, passwords are reset, ACLs are added once.
#   apply-access.sh <bootstrap> <admin client properties> <folder with topics.txt and access.txt>
set -eu
BOOT=$1 ADMIN=$2 DIR=$3
BIN=${KAFKA_BIN:-/opt/kafka/bin}
grep -v '^#' "$DIR/topics.txt" | while read -r topic partitions; do
  [ -n "$topic" ] || continue
  "$BIN/kafka-topics.sh" --bootstrap-server "$BOOT" --command-config "$ADMIN" --create --if-not-exists \
    --topic "$topic" --partitions "$partitions" --replication-factor 1
done
for user in $(grep -v '^#' "$DIR/access.txt" | awk 'NF { print $1 }' | sort -u); do
  var=KAFKA_PASSWORD_$(echo "$user" | tr 'a-z-' 'A-Z_')
  password=$(printenv "$var" || true)
  [ -n "$password" ] || { echo "$var is not set: no password for Kafka user $user" >&2; exit 1; }
  "$BIN/kafka-configs.sh" --bootstrap-server "$BOOT" --command-config "$ADMIN" --alter \
    --entity-type users --entity-name "$user" --add-config "SCRAM-SHA-256=[iterations=4096,password=$password]"
done
grep -v '^#' "$DIR/access.txt" | while read -r user right resource; do
  [ -n "$user" ] || continue
  case $right in
    write) set -- --operation Write --operation Describe --topic "$resource" ;;
    read) set -- --operation Read --operation Describe --topic "$resource" ;;
    group) set -- --operation Read --group "$resource" ;;
    *) echo "access.txt: unknown right $right" >&2; exit 1 ;;
  esac
  "$BIN/kafka-acls.sh" --bootstrap-server "$BOOT" --command-config "$ADMIN" --add --allow-principal "User:$user" "$@"
done
