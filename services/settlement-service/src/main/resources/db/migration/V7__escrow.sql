-- Escrow (docs/settlement.md, "Escrow"): a posted order's price + fee is authorised and held by the
-- payment channel before matching offers it; completion captures the hold, a cancellation before
-- assignment voids it, a late cancellation captures the compensation and releases the rest. The
-- channel is still only called by the sender, for instructions committed first (HOLD, CHARGE =
-- capture when it names the hold's authorisation, VOID).
ALTER TABLE payment_instruction ADD COLUMN authorization_ref TEXT;

DO $$
DECLARE c record;
BEGIN
    FOR c IN SELECT conname FROM pg_constraint WHERE conrelid = 'payment_instruction'::regclass AND contype = 'c' LOOP
        EXECUTE format('ALTER TABLE payment_instruction DROP CONSTRAINT %I', c.conname);
    END LOOP;
END $$;

ALTER TABLE payment_instruction
    ADD CONSTRAINT payment_instruction_amount CHECK (amount_fen > 0),
    ADD CONSTRAINT payment_instruction_status CHECK (status IN ('PENDING', 'SUCCEEDED', 'FAILED')),
    ADD CONSTRAINT payment_instruction_kind CHECK (kind IN ('HOLD', 'CHARGE', 'VOID', 'PAYOUT')),
    -- a payout belongs to a payout batch; everything else to an order
    ADD CONSTRAINT payment_instruction_owner CHECK ((kind = 'PAYOUT') = (payout_id IS NOT NULL)
                                                    AND (kind = 'PAYOUT') = (order_id IS NULL)),
    -- a void names the authorisation it releases; a charge names one when it captures a hold
    ADD CONSTRAINT payment_instruction_authorization CHECK (
        (kind = 'VOID' AND authorization_ref IS NOT NULL) OR kind = 'CHARGE'
        OR (kind IN ('HOLD', 'PAYOUT') AND authorization_ref IS NULL));

-- One hold per order. PENDING (asked, no answer yet) → HELD → CAPTURED | PARTIALLY_CAPTURED | VOIDED,
-- or FAILED (refused at posting, or its renewal before it expired was refused).
CREATE TABLE payment_hold (
    order_id          TEXT PRIMARY KEY,
    resident_id       TEXT        NOT NULL,
    amount_fen        BIGINT      NOT NULL CHECK (amount_fen > 0),
    status            TEXT        NOT NULL DEFAULT 'PENDING'
        CHECK (status IN ('PENDING', 'HELD', 'CAPTURED', 'PARTIALLY_CAPTURED', 'VOIDED', 'FAILED')),
    -- the hold instruction whose authorisation is in force (HOLD-<order>-<n>)
    authorization_ref TEXT        NOT NULL,
    -- a renewal asked for before the authorisation expires, not yet answered
    renewal_ref       TEXT,
    renewals          INTEGER     NOT NULL DEFAULT 0,
    -- cancelled before the channel answered the hold: released as soon as it is held
    void_requested    BOOLEAN     NOT NULL DEFAULT FALSE,
    captured_fen      BIGINT      NOT NULL DEFAULT 0 CHECK (captured_fen >= 0),
    voided_fen        BIGINT      NOT NULL DEFAULT 0 CHECK (voided_fen >= 0),
    expires_at        TIMESTAMPTZ,
    reason            TEXT,
    created_at        TIMESTAMPTZ NOT NULL,
    updated_at        TIMESTAMPTZ NOT NULL,
    CHECK (captured_fen + voided_fen <= amount_fen)
);
CREATE INDEX payment_hold_expiring ON payment_hold (expires_at) WHERE status = 'HELD';

-- Held money in its own pair of accounts (TigerBeetle-style pending): a hold debits 1050 and credits
-- 2050; capturing or releasing it reverses that, so 1050's balance is what the channel holds now.
INSERT INTO account (code, name) VALUES
    ('1050', 'Resident funds held by the channel (authorised, not yet captured)'),
    ('2050', 'Holds to capture or release to residents');
