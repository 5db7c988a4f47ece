-- Real-name verification and the labor-service agreement (docs/api.md, /workers/{id}/verification
-- and /workers/{id}/agreement). Only masked forms are kept in the clear; the full name and ID number
-- are sealed (AES-256-GCM, domain IdentitySeal) with the id of the key that sealed them.
CREATE TABLE worker_verification (
    worker_id        TEXT        PRIMARY KEY REFERENCES worker (id),
    status           TEXT        NOT NULL CHECK (status IN ('VERIFIED', 'REFUSED')),
    name_masked      TEXT        NOT NULL,
    id_number_masked TEXT        NOT NULL,
    identity_sealed  BYTEA       NOT NULL,
    sealing_key_id   TEXT        NOT NULL,
    refusal          TEXT,
    attempts         INTEGER     NOT NULL DEFAULT 1,
    checked_at       TIMESTAMPTZ NOT NULL,
    verified_at      TIMESTAMPTZ,
    CHECK ((status = 'VERIFIED') = (verified_at IS NOT NULL))
);

-- One row per version a worker signed (a new version of the agreement is signed again).
CREATE TABLE worker_agreement (
    worker_id TEXT        NOT NULL REFERENCES worker (id),
    version   TEXT        NOT NULL CHECK (length(version) BETWEEN 1 AND 40),
    signed_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (worker_id, version)
);

-- An admin reading a worker's (masked) identity is in the audit trail like any other read.
ALTER TABLE audit_entry DROP CONSTRAINT audit_entry_action_check;
ALTER TABLE audit_entry ADD CONSTRAINT audit_entry_action_check
    CHECK (action IN ('WORKER_VIEWED', 'WORKERS_LISTED', 'WORKER_VERIFICATION_VIEWED'));
