-- The code at the door (docs/api.md, POST /orders/{id}/start): set when a worker wins the order,
-- shown to the resident only, entered by the worker to start. Five wrong codes in a row lock
-- starting the order for ten minutes (domain StartCode).
ALTER TABLE gig_order
    ADD COLUMN start_code         TEXT        CHECK (start_code ~ '^[0-9]{4}$'),
    ADD COLUMN start_wrong        INTEGER     NOT NULL DEFAULT 0,
    ADD COLUMN start_locked_until TIMESTAMPTZ;

-- Orders already assigned when this ships get their code now, so their workers can still start.
UPDATE gig_order SET start_code = lpad(floor(random() * 10000)::int::text, 4, '0') WHERE status = 'ASSIGNED';
