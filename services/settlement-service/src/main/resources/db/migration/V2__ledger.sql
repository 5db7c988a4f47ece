-- The double-entry ledger (owned by settlement-service). Amounts are debit-positive, credit-negative.

CREATE TABLE account (
    code        TEXT PRIMARY KEY,
    name        TEXT   NOT NULL,
    balance_fen BIGINT NOT NULL DEFAULT 0
);
INSERT INTO account (code, name) VALUES
    ('1000', 'Platform bank account'),
    ('1100', 'Channel receivable (collected from residents, held by the payment channel)'),
    ('2200', 'Individual income tax withheld, payable to the tax office'),
    ('2300', 'Payouts sent to the channel, awaiting confirmation'),
    ('4000', 'Platform service fee revenue');

CREATE TABLE journal_transaction (
    id          UUID PRIMARY KEY,
    seq         BIGSERIAL   NOT NULL UNIQUE,
    kind        TEXT        NOT NULL,
    order_id    TEXT,
    description TEXT        NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX journal_transaction_order ON journal_transaction (order_id);

CREATE TABLE journal_line (
    id             BIGSERIAL PRIMARY KEY,
    transaction_id UUID   NOT NULL REFERENCES journal_transaction (id),
    account_code   TEXT   NOT NULL REFERENCES account (code),
    amount_fen     BIGINT NOT NULL CHECK (amount_fen <> 0)
);
CREATE INDEX journal_line_transaction ON journal_line (transaction_id);
CREATE INDEX journal_line_account ON journal_line (account_code);

-- Every transaction balances, checked by the database when the transaction commits.
CREATE FUNCTION journal_transaction_balances() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF (SELECT coalesce(sum(amount_fen), 0) FROM journal_line WHERE transaction_id = NEW.transaction_id) <> 0 THEN
        RAISE EXCEPTION 'journal transaction % does not balance', NEW.transaction_id;
    END IF;
    RETURN NULL;
END $$;
CREATE CONSTRAINT TRIGGER journal_line_balanced AFTER INSERT ON journal_line
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION journal_transaction_balances();

-- Stored balances follow the journal in the same transaction; GET /ledger/check compares them.
CREATE FUNCTION journal_line_moves_balance() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE account SET balance_fen = balance_fen + NEW.amount_fen WHERE code = NEW.account_code;
    RETURN NULL;
END $$;
CREATE TRIGGER journal_line_balance AFTER INSERT ON journal_line
    FOR EACH ROW EXECUTE FUNCTION journal_line_moves_balance();

-- The journal is append-only: a correction is a new, reversing transaction.
CREATE FUNCTION journal_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the journal is append-only: post a reversing transaction instead';
END $$;
CREATE TRIGGER journal_line_append_only BEFORE UPDATE OR DELETE ON journal_line
    FOR EACH ROW EXECUTE FUNCTION journal_is_append_only();
CREATE TRIGGER journal_transaction_append_only BEFORE UPDATE OR DELETE ON journal_transaction
    FOR EACH ROW EXECUTE FUNCTION journal_is_append_only();
-- The running service may only add to the journal (Flyway runs as the owner; app-role is the service).
REVOKE UPDATE, DELETE, TRUNCATE ON journal_line, journal_transaction FROM ${app-role};

-- Exactly one settlement per order (a completed order's, or a cancelled order's compensation).
CREATE TABLE settlement (
    order_id               TEXT PRIMARY KEY,
    seq                    BIGSERIAL   NOT NULL UNIQUE,
    kind                   TEXT        NOT NULL,
    worker_id              TEXT        NOT NULL,
    resident_id            TEXT,
    category_code          TEXT,
    gross_fen              BIGINT      NOT NULL CHECK (gross_fen >= 0),
    service_fee_fen        BIGINT      NOT NULL CHECK (service_fee_fen >= 0),
    tax_fen                BIGINT      NOT NULL CHECK (tax_fen >= 0),
    net_fen                BIGINT      NOT NULL CHECK (net_fen >= 0),
    charged_fen            BIGINT      NOT NULL,
    tax_rule               TEXT        NOT NULL,
    earned_at              TIMESTAMPTZ NOT NULL,
    tax_year               INTEGER     NOT NULL,
    tax_month              INTEGER     NOT NULL,
    settled_at             TIMESTAMPTZ NOT NULL,
    journal_transaction_id UUID        NOT NULL REFERENCES journal_transaction (id),
    CHECK (net_fen = gross_fen - tax_fen),
    CHECK (charged_fen = net_fen + tax_fen + service_fee_fen)
);
CREATE INDEX settlement_worker_period ON settlement (worker_id, tax_year, tax_month);
CREATE INDEX settlement_settled_at ON settlement (settled_at);

-- One row per worker, locked while a settlement of theirs reads their income to date, so two
-- settlements of the same worker never read the same month-to-date / year-to-date figures.
CREATE TABLE worker_tax_lock (
    worker_id TEXT PRIMARY KEY
);
