-- Messaging tables every service has in its own schema (this file is on each service's Flyway path).

-- Transactional outbox: a row is written in the same transaction as the state change it
-- announces; the relay publishes rows in id order and stamps published_at.
CREATE TABLE outbox (
    id            BIGSERIAL PRIMARY KEY,
    event_id      UUID        NOT NULL UNIQUE,
    topic         TEXT        NOT NULL,
    event_key     TEXT        NOT NULL,
    event_type    TEXT        NOT NULL,
    occurred_at   TIMESTAMPTZ NOT NULL,
    payload       TEXT        NOT NULL,
    published_at  TIMESTAMPTZ
);
CREATE INDEX outbox_unpublished ON outbox (id) WHERE published_at IS NULL;

-- Idempotent inbox: the id (ce_id) of every event whose effect has been committed.
CREATE TABLE inbox (
    event_id     TEXT        PRIMARY KEY,
    event_type   TEXT        NOT NULL,
    received_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);
