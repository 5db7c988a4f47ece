-- The ledger at city scale (docs/decisions.md 16). Two changes that let settlements book concurrently
-- and in batches; the journal stays the single source of truth and append-only.

-- 1. No row that every settlement updates. An account's stored balance is split into stripes, one
--    per database connection (backend pid modulo 64): two settlements on different connections never
--    wait for each other's balance row, and the balance is the sum of the account's stripes. A
--    statement-level trigger adds each INSERT's lines to the stripes once per account, so a batch of
--    500 settlements makes four balance updates, not two thousand.
CREATE TABLE account_balance (
    account_code TEXT     NOT NULL REFERENCES account (code),
    stripe       SMALLINT NOT NULL,
    balance_fen  BIGINT   NOT NULL,
    PRIMARY KEY (account_code, stripe)
);
INSERT INTO account_balance (account_code, stripe, balance_fen)
    SELECT code, 0, balance_fen FROM account WHERE balance_fen <> 0;

DROP TRIGGER journal_line_balance ON journal_line;
DROP FUNCTION journal_line_moves_balance();
ALTER TABLE account DROP COLUMN balance_fen;

CREATE FUNCTION journal_lines_move_balances() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO account_balance (account_code, stripe, balance_fen)
        SELECT account_code, pg_backend_pid() % 64, sum(amount_fen) FROM new_lines
        GROUP BY account_code ORDER BY account_code
    ON CONFLICT (account_code, stripe) DO UPDATE SET balance_fen = account_balance.balance_fen + EXCLUDED.balance_fen;
    RETURN NULL;
END $$;
CREATE TRIGGER journal_line_balances AFTER INSERT ON journal_line REFERENCING NEW TABLE AS new_lines
    FOR EACH STATEMENT EXECUTE FUNCTION journal_lines_move_balances();

-- 2. Every journal transaction balances, checked once per INSERT statement for all the transactions it
--    touches (the row-level deferred check ran one query per line at commit). The lines of one journal
--    transaction are therefore written in one statement (LedgerRepository does); a later statement that
--    adds a line to a transaction unbalances it and is refused.
DROP TRIGGER journal_line_balanced ON journal_line;
DROP FUNCTION journal_transaction_balances();
CREATE FUNCTION journal_transactions_balance() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    unbalanced UUID;
BEGIN
    SELECT l.transaction_id INTO unbalanced FROM journal_line l
    WHERE l.transaction_id IN (SELECT DISTINCT transaction_id FROM new_lines)
    GROUP BY l.transaction_id HAVING sum(l.amount_fen) <> 0 LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'journal transaction % does not balance', unbalanced USING ERRCODE = 'check_violation';
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER journal_line_balanced AFTER INSERT ON journal_line REFERENCING NEW TABLE AS new_lines
    FOR EACH STATEMENT EXECUTE FUNCTION journal_transactions_balance();
