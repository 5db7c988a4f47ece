-- The audit trail of admin reads (docs/security.md, "Audit trail"): an admin viewing a worker's profile or listing all workers,
-- with who did it, when and on what, committed before the data is answered. Finance reads it
-- (GET /audit); nobody edits it: the service may only insert, and a trigger refuses UPDATE, DELETE
-- and TRUNCATE even to the owner. The same shape as settlement's finance trail.
CREATE TABLE audit_entry (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at TIMESTAMPTZ NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL CHECK (action IN ('WORKER_VIEWED', 'WORKERS_LISTED')),
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
