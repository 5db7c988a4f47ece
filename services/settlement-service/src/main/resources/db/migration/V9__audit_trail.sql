-- The audit trail (docs/finance.md, "Audit trail"): every finance action - a payout batch run, a
-- channel statement imported, a failed charge recollected or written off - with who did it, when and
-- what, written in the action's own transaction (no action without its entry, no entry without its
-- action). Finance reads it (GET /audit); nobody edits it: the service may only insert, and a
-- trigger refuses UPDATE and DELETE even to the owner.
CREATE TABLE audit_entry (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at TIMESTAMPTZ NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL CHECK (action IN ('PAYOUT_BATCH_RUN', 'STATEMENT_RECONCILED', 'RECEIVABLE_RECOLLECTED',
                                           'RECEIVABLE_WRITTEN_OFF')),
    subject TEXT NOT NULL,
    details JSONB NOT NULL
);
CREATE INDEX audit_entry_at ON audit_entry (at, id);

CREATE FUNCTION audit_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the audit trail is append-only';
END $$;
CREATE TRIGGER audit_entry_append_only BEFORE UPDATE OR DELETE ON audit_entry
    FOR EACH ROW EXECUTE FUNCTION audit_is_append_only();
CREATE TRIGGER audit_entry_never_truncated BEFORE TRUNCATE ON audit_entry
    FOR EACH STATEMENT EXECUTE FUNCTION audit_is_append_only();

GRANT SELECT, INSERT ON audit_entry TO ${app-role};
REVOKE UPDATE, DELETE, TRUNCATE ON audit_entry FROM ${app-role};
