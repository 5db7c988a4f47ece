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

-- 2. Every journal transaction balances, and every line names an existing transaction and account:
--    checked once per INSERT statement for all its lines (the row-level deferred check ran one query
--    per line at commit, and the two foreign keys one locking lookup per line each, which made up
--    two thirds of the cost of writing a line). The lines of each transaction must sum to zero within
--    every INSERT statement, so the transaction's total, over all the statements that ever wrote to
--    it, is zero as well: adding a line to a balanced transaction later is refused. Transactions and
--    accounts are never deleted (append-only triggers above, and the service may not delete an
--    account), so a reference that exists when the line is written stays valid.
DROP TRIGGER journal_line_balanced ON journal_line;
DROP FUNCTION journal_transaction_balances();
ALTER TABLE journal_line DROP CONSTRAINT journal_line_transaction_id_fkey;
ALTER TABLE journal_line DROP CONSTRAINT journal_line_account_code_fkey;
REVOKE DELETE, TRUNCATE ON account FROM ${app-role};
CREATE FUNCTION account_is_permanent() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'accounts are never deleted: the journal refers to them';
END $$;
CREATE TRIGGER account_is_never_deleted BEFORE DELETE ON account
    FOR EACH ROW EXECUTE FUNCTION account_is_permanent();

CREATE FUNCTION journal_lines_are_valid() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    wrong TEXT;
BEGIN
    SELECT transaction_id INTO wrong FROM new_lines GROUP BY transaction_id HAVING sum(amount_fen) <> 0 LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'journal transaction % does not balance', wrong USING ERRCODE = 'check_violation';
    END IF;
    SELECT n.transaction_id INTO wrong FROM (SELECT DISTINCT transaction_id FROM new_lines) n
    WHERE NOT EXISTS (SELECT 1 FROM journal_transaction t WHERE t.id = n.transaction_id) LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'journal line of unknown transaction %', wrong USING ERRCODE = 'foreign_key_violation';
    END IF;
    SELECT n.account_code INTO wrong FROM (SELECT DISTINCT account_code FROM new_lines) n
    WHERE NOT EXISTS (SELECT 1 FROM account a WHERE a.code = n.account_code) LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'journal line on unknown account %', wrong USING ERRCODE = 'foreign_key_violation';
    END IF;
    RETURN NULL;
END $$;
-- named so that it runs before journal_line_balances (triggers of one event fire in name order)
CREATE TRIGGER journal_line_balanced AFTER INSERT ON journal_line REFERENCING NEW TABLE AS new_lines
    FOR EACH STATEMENT EXECUTE FUNCTION journal_lines_are_valid();
