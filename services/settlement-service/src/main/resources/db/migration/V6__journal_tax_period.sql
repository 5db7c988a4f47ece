-- Reports come from the journal (docs/settlement.md, "Reports"). A settlement's or compensation's
-- journal transaction carries its tax period, the month the order was completed (Asia/Shanghai), so
-- that a month's report and withholding return read the journal by tax month, not by posting time.
ALTER TABLE journal_transaction ADD COLUMN tax_year INTEGER, ADD COLUMN tax_month INTEGER,
    ADD CONSTRAINT journal_transaction_tax_period CHECK ((tax_year IS NULL) = (tax_month IS NULL)
                                                          AND (tax_month IS NULL OR tax_month BETWEEN 1 AND 12));

-- The transactions posted before this column existed get it from their settlement, once, by the
-- owner; the journal stays append-only for the service (the trigger is back before the commit).
ALTER TABLE journal_transaction DISABLE TRIGGER journal_transaction_append_only;
UPDATE journal_transaction t SET tax_year = s.tax_year, tax_month = s.tax_month
FROM settlement s WHERE s.journal_transaction_id = t.id;
ALTER TABLE journal_transaction ENABLE TRIGGER journal_transaction_append_only;

CREATE INDEX journal_transaction_tax_period_idx ON journal_transaction (tax_year, tax_month) WHERE tax_year IS NOT NULL;
CREATE INDEX journal_transaction_created ON journal_transaction (created_at);
