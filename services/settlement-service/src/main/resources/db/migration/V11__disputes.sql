-- Disputes (docs/finance.md, "Disputes"): a resident's dispute holds the worker's pay for the order
-- (payout batches list it as held, DISPUTED) until finance or an admin resolves it: pay in full,
-- refund part of the price from the worker's pay, or refund everything. A refund is owed to the
-- resident on 2400 (DISPUTE_REFUND journal transactions).
CREATE TABLE dispute (
    order_id        TEXT        PRIMARY KEY,
    worker_id       TEXT        NOT NULL,
    resident_id     TEXT        NOT NULL,
    reason          TEXT        NOT NULL,
    status          TEXT        NOT NULL CHECK (status IN ('OPEN', 'RESOLVED')),
    outcome         TEXT        CHECK (outcome IN ('PAY_IN_FULL', 'PARTIAL_REFUND', 'FULL_REFUND')),
    refund_fen      BIGINT      NOT NULL DEFAULT 0 CHECK (refund_fen >= 0),
    from_worker_fen BIGINT      NOT NULL DEFAULT 0 CHECK (from_worker_fen >= 0),
    opened_at       TIMESTAMPTZ NOT NULL,
    resolved_at     TIMESTAMPTZ,
    resolved_by     TEXT,
    note            TEXT,
    CHECK ((status = 'RESOLVED') = (outcome IS NOT NULL))
);
CREATE INDEX dispute_open ON dispute (opened_at) WHERE status = 'OPEN';

INSERT INTO account (code, name) VALUES ('2400', 'Refunds owed to residents (resolved disputes)');

-- The payable view moves to its own repeatable migration (R__settlement_payable.sql), its one home
-- from now on; it is recreated there after this, with open disputes holding pay.
DROP VIEW settlement_payable;

-- Resolving a dispute is a finance (or admin) action in the audit trail.
ALTER TABLE audit_entry DROP CONSTRAINT audit_entry_action_check;
ALTER TABLE audit_entry ADD CONSTRAINT audit_entry_action_check
    CHECK (action IN ('PAYOUT_BATCH_RUN', 'STATEMENT_RECONCILED', 'RECEIVABLE_RECOLLECTED', 'RECEIVABLE_WRITTEN_OFF',
                      'DISPUTE_RESOLVED'));
