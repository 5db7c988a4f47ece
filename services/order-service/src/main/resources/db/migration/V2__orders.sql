-- The order, its quote fixed at posting, and its current state (owned by order-service).
CREATE TABLE gig_order (
    id                UUID PRIMARY KEY,
    resident_id       TEXT        NOT NULL,
    service_code      TEXT        NOT NULL,
    category_code     TEXT        NOT NULL,
    description       TEXT        NOT NULL,
    lat               DOUBLE PRECISION NOT NULL,
    lon               DOUBLE PRECISION NOT NULL,
    address           TEXT        NOT NULL,
    window_start      TIMESTAMPTZ NOT NULL,
    window_end        TIMESTAMPTZ NOT NULL,
    price_fen         BIGINT      NOT NULL CHECK (price_fen > 0),
    service_fee_fen   BIGINT      NOT NULL CHECK (service_fee_fen >= 0),
    status            TEXT        NOT NULL,
    worker_id         TEXT,
    created_at        TIMESTAMPTZ NOT NULL,
    updated_at        TIMESTAMPTZ NOT NULL,
    done_at           TIMESTAMPTZ,
    completed_at      TIMESTAMPTZ
);
CREATE INDEX gig_order_resident ON gig_order (resident_id, created_at DESC, id);
CREATE INDEX gig_order_worker ON gig_order (worker_id, created_at DESC, id);
CREATE INDEX gig_order_awaiting ON gig_order (done_at) WHERE status = 'AWAITING_CONFIRMATION';

-- Every transition, with who made it and why.
CREATE TABLE order_transition (
    id          BIGSERIAL PRIMARY KEY,
    order_id    UUID        NOT NULL REFERENCES gig_order (id),
    from_status TEXT,
    to_status   TEXT        NOT NULL,
    actor       TEXT        NOT NULL,
    reason      TEXT,
    at          TIMESTAMPTZ NOT NULL
);
CREATE INDEX order_transition_order ON order_transition (order_id, id);

-- Idempotency-Key of POST /orders, per resident: a retry returns the first order.
CREATE TABLE idempotency_key (
    resident_id  TEXT        NOT NULL,
    key          TEXT        NOT NULL,
    request_hash TEXT        NOT NULL,
    order_id     UUID        NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (resident_id, key)
);
