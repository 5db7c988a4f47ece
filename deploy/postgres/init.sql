-- Platform database bootstrap, run by a superuser against the platform database (default "gig").
-- Idempotent: local runs apply it at every start.
--
-- Per service two login roles:
--   <service>_owner  owns the service's schema and runs its Flyway migrations;
--   <service>_svc    the running service: it may read and write the tables of its own schema
--                    (as the migrations grant), create nothing, and touch no other schema.
-- The passwords here are for local development only: production sets them from secrets
-- (ALTER ROLE ... PASSWORD) and never uses these values.
DO $$
DECLARE
  r TEXT;
BEGIN
  FOREACH r IN ARRAY ARRAY['order_owner', 'order_svc', 'matching_owner', 'matching_svc',
                           'settlement_owner', 'settlement_svc'] LOOP
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = r) THEN
      EXECUTE format('CREATE ROLE %I LOGIN PASSWORD %L', r, r || '_dev');
    END IF;
  END LOOP;
END
$$;

REVOKE ALL ON SCHEMA public FROM PUBLIC;

CREATE SCHEMA IF NOT EXISTS orders AUTHORIZATION order_owner;
CREATE SCHEMA IF NOT EXISTS matching AUTHORIZATION matching_owner;
CREATE SCHEMA IF NOT EXISTS settlement AUTHORIZATION settlement_owner;

GRANT USAGE ON SCHEMA orders TO order_svc;
GRANT USAGE ON SCHEMA matching TO matching_svc;
GRANT USAGE ON SCHEMA settlement TO settlement_svc;

-- Tables and sequences the owner creates are usable by the service's runtime role; a migration
-- narrows that where the domain demands it (the settlement journal is insert-only).
ALTER DEFAULT PRIVILEGES FOR ROLE order_owner IN SCHEMA orders
  GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO order_svc;
ALTER DEFAULT PRIVILEGES FOR ROLE order_owner IN SCHEMA orders GRANT USAGE, SELECT ON SEQUENCES TO order_svc;
ALTER DEFAULT PRIVILEGES FOR ROLE matching_owner IN SCHEMA matching
  GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO matching_svc;
ALTER DEFAULT PRIVILEGES FOR ROLE matching_owner IN SCHEMA matching GRANT USAGE, SELECT ON SEQUENCES TO matching_svc;
ALTER DEFAULT PRIVILEGES FOR ROLE settlement_owner IN SCHEMA settlement
  GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO settlement_svc;
ALTER DEFAULT PRIVILEGES FOR ROLE settlement_owner IN SCHEMA settlement GRANT USAGE, SELECT ON SEQUENCES TO settlement_svc;

ALTER ROLE order_owner SET search_path = orders;
ALTER ROLE order_svc SET search_path = orders;
ALTER ROLE matching_owner SET search_path = matching;
ALTER ROLE matching_svc SET search_path = matching;
ALTER ROLE settlement_owner SET search_path = settlement;
ALTER ROLE settlement_svc SET search_path = settlement;

-- Nearby search (matching) uses great-circle distance with a GiST index; the extensions need a
-- superuser to install, so they are created here, inside the matching schema.
CREATE EXTENSION IF NOT EXISTS cube WITH SCHEMA matching;
CREATE EXTENSION IF NOT EXISTS earthdistance WITH SCHEMA matching;
