#!/usr/bin/env bash
# Replaces the development passwords of init.sql with the deployment's own, from the environment
# (compose runs it after init.sql; on Kubernetes the CloudNativePG managed roles do the same):
#   ORDER_OWNER_PASSWORD ORDER_SVC_PASSWORD MATCHING_OWNER_PASSWORD MATCHING_SVC_PASSWORD
#   SETTLEMENT_OWNER_PASSWORD SETTLEMENT_SVC_PASSWORD
# Every one must be set: a role left with its development password would be open to anyone who
# has read the repository.
set -euo pipefail
for role in order_owner order_svc matching_owner matching_svc settlement_owner settlement_svc; do
  var=$(echo "$role" | tr 'a-z' 'A-Z')_PASSWORD
  password=${!var:-}
  [ -n "$password" ] || { echo "$var is not set: refusing to leave $role with its development password" >&2; exit 1; }
  psql -v ON_ERROR_STOP=1 --username "${POSTGRES_USER:-postgres}" --dbname "${POSTGRES_DB:-gig}" \
    -v role="$role" -v password="$password" <<<"ALTER ROLE :\"role\" PASSWORD :'password';"
done
