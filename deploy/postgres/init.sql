-- Platform database bootstrap, run by a superuser against the platform database (default "gig").
-- Idempotent: local runs apply it at every start. Each service gets one login role that owns
-- exactly one schema; no role has any right on another service's schema or on "public".
-- The passwords here are for local development only: production sets them from secrets
-- (ALTER ROLE ... PASSWORD) and never uses these values.
DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'order_svc') THEN
    CREATE ROLE order_svc LOGIN PASSWORD 'order_svc_dev';
  END IF;
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'matching_svc') THEN
    CREATE ROLE matching_svc LOGIN PASSWORD 'matching_svc_dev';
  END IF;
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'settlement_svc') THEN
    CREATE ROLE settlement_svc LOGIN PASSWORD 'settlement_svc_dev';
  END IF;
END
$$;

REVOKE ALL ON SCHEMA public FROM PUBLIC;

CREATE SCHEMA IF NOT EXISTS orders AUTHORIZATION order_svc;
CREATE SCHEMA IF NOT EXISTS matching AUTHORIZATION matching_svc;
CREATE SCHEMA IF NOT EXISTS settlement AUTHORIZATION settlement_svc;

ALTER ROLE order_svc SET search_path = orders;
ALTER ROLE matching_svc SET search_path = matching;
ALTER ROLE settlement_svc SET search_path = settlement;

-- Nearby search (matching) uses great-circle distance with a GiST index; the extensions need a
-- superuser to install, so they are created here, inside the matching schema.
CREATE EXTENSION IF NOT EXISTS cube WITH SCHEMA matching;
CREATE EXTENSION IF NOT EXISTS earthdistance WITH SCHEMA matching;
