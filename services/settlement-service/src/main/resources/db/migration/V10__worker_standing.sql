-- What settlement knows of each worker from matching-service's events (gig.worker.verified.v1,
-- gig.worker.agreement-signed.v1): labor-fee settlement pays out only to workers who signed the
-- platform's labor-service agreement; until then payout batches list their earnings as held.
CREATE TABLE worker_standing (
    worker_id           TEXT        PRIMARY KEY,
    verified_at         TIMESTAMPTZ,
    agreement_version   TEXT,
    agreement_signed_at TIMESTAMPTZ,
    updated_at          TIMESTAMPTZ NOT NULL
);

-- What a payout batch may pay, in one place: collected settlements (the channel answered the charge,
-- or a failed charge was resolved; no doubtful receivable open) that owe the worker something and
-- that no live payout pays yet, each with why it is held, if it is (NULL: payable now).
CREATE VIEW settlement_payable AS
SELECT st.order_id, st.seq, st.worker_id, st.net_fen, st.settled_at,
       CASE WHEN NOT EXISTS (SELECT 1 FROM worker_standing ws
                             WHERE ws.worker_id = st.worker_id AND ws.agreement_signed_at IS NOT NULL)
            THEN 'AGREEMENT_NOT_SIGNED' END AS held_because
FROM settlement st
WHERE st.net_fen > 0
  AND (EXISTS (SELECT 1 FROM payment_instruction ci
               WHERE ci.kind = 'CHARGE' AND ci.order_id = st.order_id AND ci.status = 'SUCCEEDED')
       OR EXISTS (SELECT 1 FROM doubtful_receivable d WHERE d.order_id = st.order_id AND d.status <> 'OPEN'))
  AND NOT EXISTS (SELECT 1 FROM doubtful_receivable d WHERE d.order_id = st.order_id AND d.status = 'OPEN')
  AND NOT EXISTS (SELECT 1 FROM payout_item pi JOIN payout p ON p.id = pi.payout_id
                  WHERE pi.order_id = st.order_id AND p.status <> 'FAILED');
