-- The payment-channel contract (docs/settlement.md, "Payment instructions"): the platform never calls
-- the provider inside a database transaction. A charge or payout is first committed here with a fixed,
-- unique reference, the provider's idempotency key; a sender (PaymentSender) calls the provider with it
-- outside any transaction and records the answer; a call whose answer was lost is resolved by asking
-- the provider for the reference's status. A crash anywhere repeats a call, never a payment.
CREATE TABLE payment_instruction (
    reference       TEXT PRIMARY KEY,
    kind            TEXT        NOT NULL CHECK (kind IN ('CHARGE', 'PAYOUT')),
    order_id        TEXT,
    payout_id       UUID REFERENCES payout (id),
    party_id        TEXT,
    amount_fen      BIGINT      NOT NULL CHECK (amount_fen > 0),
    status          TEXT        NOT NULL DEFAULT 'PENDING' CHECK (status IN ('PENDING', 'SUCCEEDED', 'FAILED')),
    attempts        INTEGER     NOT NULL DEFAULT 0,
    -- when the sender may take it next: now for a new one; a claimed one is leased until then
    next_attempt_at TIMESTAMPTZ NOT NULL,
    provider_txn_id TEXT,
    answer          TEXT,
    created_at      TIMESTAMPTZ NOT NULL,
    answered_at     TIMESTAMPTZ,
    CHECK ((kind = 'CHARGE') = (order_id IS NOT NULL AND payout_id IS NULL)),
    CHECK ((kind = 'PAYOUT') = (payout_id IS NOT NULL))
);
CREATE INDEX payment_instruction_due ON payment_instruction (next_attempt_at) WHERE status = 'PENDING';
CREATE INDEX payment_instruction_charge ON payment_instruction (order_id) WHERE kind = 'CHARGE';

-- Settlements booked before instructions existed were charged inside their transaction: on record as done.
INSERT INTO payment_instruction (reference, kind, order_id, party_id, amount_fen, status, next_attempt_at, answer,
                                 created_at, answered_at)
SELECT order_id, 'CHARGE', order_id, resident_id, charged_fen, 'SUCCEEDED', settled_at, 'charged before instructions',
       settled_at, settled_at
FROM settlement WHERE charged_fen > 0;

-- Payouts: INSTRUCTED (committed, not yet answered) → SENT (the provider accepted it) → CONFIRMED (on
-- the statement), or FAILED (refused by the provider or failed on the statement: owed again).
CREATE INDEX payout_open ON payout (created_at) WHERE status IN ('INSTRUCTED', 'SENT');
CREATE INDEX payout_item_payout ON payout_item (payout_id);

-- Workers are paid only from collected money. A charge the provider or the statement reports FAILED
-- books its amount as doubtful (channel receivable → doubtful receivable) once, and the settlement's
-- net is held from payout batches until finance resolves it: recollected (the money arrived after all)
-- or written off as the platform's loss, with who and why.
CREATE TABLE doubtful_receivable (
    order_id        TEXT PRIMARY KEY REFERENCES settlement (order_id),
    worker_id       TEXT        NOT NULL,
    amount_fen      BIGINT      NOT NULL CHECK (amount_fen > 0),
    held_net_fen    BIGINT      NOT NULL,
    reason          TEXT        NOT NULL,
    status          TEXT        NOT NULL DEFAULT 'OPEN' CHECK (status IN ('OPEN', 'RECOLLECTED', 'WRITTEN_OFF')),
    created_at      TIMESTAMPTZ NOT NULL,
    resolved_by     TEXT,
    resolution_note TEXT,
    resolved_at     TIMESTAMPTZ
);
CREATE INDEX doubtful_receivable_open ON doubtful_receivable (created_at) WHERE status = 'OPEN';

INSERT INTO account (code, name) VALUES
    ('1150', 'Doubtful channel receivable (charges the channel reported failed)'),
    ('6100', 'Platform loss: charges written off');

-- The simulated provider answers each reference once, whatever the number of calls.
CREATE UNIQUE INDEX channel_simulator_txn_reference ON channel_simulator_txn (type, reference);

-- Wakes the senders of every replica when instructions commit (PaymentSender listens).
CREATE FUNCTION payment_instructions_added() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('gig_payments', '');
    RETURN NULL;
END $$;
CREATE TRIGGER payment_instruction_added AFTER INSERT ON payment_instruction
    FOR EACH STATEMENT EXECUTE FUNCTION payment_instructions_added();

-- Payout references come from a sequence: unique however many payouts a batch makes.
CREATE SEQUENCE payout_reference_seq;
