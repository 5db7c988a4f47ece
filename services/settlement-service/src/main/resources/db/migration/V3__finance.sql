-- Finance operations: payout batches, the channel's receipts, reconciliations, and the simulated
-- payment channel's own book (development and tests only; a real provider keeps its own).

CREATE TABLE payout_batch (
    id         UUID PRIMARY KEY,
    batch_date DATE        NOT NULL UNIQUE,
    created_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE payout (
    id             UUID PRIMARY KEY,
    batch_id       UUID        NOT NULL REFERENCES payout_batch (id),
    reference      TEXT        NOT NULL UNIQUE,
    worker_id      TEXT        NOT NULL,
    amount_fen     BIGINT      NOT NULL CHECK (amount_fen > 0),
    status         TEXT        NOT NULL,
    channel_txn_id TEXT,
    created_at     TIMESTAMPTZ NOT NULL,
    updated_at     TIMESTAMPTZ NOT NULL
);
CREATE INDEX payout_status ON payout (status);

-- Which settlements a payout pays; a settlement is paid again only after its payout FAILED.
CREATE TABLE payout_item (
    order_id  TEXT NOT NULL REFERENCES settlement (order_id),
    payout_id UUID NOT NULL REFERENCES payout (id),
    PRIMARY KEY (order_id, payout_id)
);

-- The channel confirmed it collected an order's charge (once per order).
CREATE TABLE channel_receipt (
    order_id       TEXT PRIMARY KEY REFERENCES settlement (order_id),
    channel_txn_id TEXT        NOT NULL,
    amount_fen     BIGINT      NOT NULL,
    received_at    TIMESTAMPTZ NOT NULL
);

-- One reconciliation per distinct statement; importing the same statement again returns it.
CREATE TABLE reconciliation (
    id               UUID PRIMARY KEY,
    statement_sha256 TEXT        NOT NULL UNIQUE,
    created_at       TIMESTAMPTZ NOT NULL,
    report           TEXT        NOT NULL
);

CREATE TABLE channel_simulator_txn (
    channel_txn_id TEXT PRIMARY KEY,
    reference      TEXT        NOT NULL,
    type           TEXT        NOT NULL,
    amount_fen     BIGINT      NOT NULL,
    status         TEXT        NOT NULL,
    settled_at     TIMESTAMPTZ NOT NULL
);
CREATE INDEX channel_simulator_txn_settled ON channel_simulator_txn (settled_at);
