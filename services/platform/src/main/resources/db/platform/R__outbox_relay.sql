-- The outbox relay's needs (platform OutboxRelay), every service's schema. A repeatable migration:
-- Flyway reapplies it whenever it changes, after the services' versioned ones, so the platform's
-- part never takes a version number from a service. Every statement can therefore run again.

-- A row the broker refuses for good is parked with its reason; the relay skips it and goes on.
ALTER TABLE outbox ADD COLUMN IF NOT EXISTS parked_at TIMESTAMPTZ;
ALTER TABLE outbox ADD COLUMN IF NOT EXISTS park_reason TEXT;
DROP INDEX IF EXISTS outbox_unpublished;
CREATE INDEX IF NOT EXISTS outbox_to_publish ON outbox (id) WHERE published_at IS NULL AND parked_at IS NULL;

-- Wakes the relay of every replica of this service when a transaction that wrote outbox rows
-- commits (NOTIFY is delivered at commit, once per transaction for the same channel and payload).
CREATE OR REPLACE FUNCTION outbox_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('gig_outbox_' || TG_TABLE_SCHEMA, '');
    RETURN NULL;
END
$$;
DROP TRIGGER IF EXISTS outbox_notify ON outbox;
CREATE TRIGGER outbox_notify AFTER INSERT ON outbox FOR EACH STATEMENT EXECUTE FUNCTION outbox_notify();

-- Traces (platform EventTraces): the W3C traceparent of the span that wrote the row, which the relay
-- continues with its PRODUCER span and sends as a header; and the latest trace context of each
-- order this service handled, so a later action on the order (an HTTP call, a background job)
-- continues the order's trace. Rows older than 30 days are dropped by the relay's clean-up.
ALTER TABLE outbox ADD COLUMN IF NOT EXISTS traceparent TEXT;
CREATE TABLE IF NOT EXISTS trace_context (
    event_key   TEXT        PRIMARY KEY,
    traceparent TEXT        NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);
GRANT SELECT, INSERT, UPDATE, DELETE ON trace_context TO ${app-role};
