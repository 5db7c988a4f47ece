-- What a payout batch may pay, in one place (PayoutService): collected settlements (the channel
-- answered the charge, or a failed charge was resolved; no doubtful receivable open) that still owe
-- the worker something once a resolved dispute took its part, and that no live payout pays yet;
-- each with why it is held, if it is (NULL: payable now). An open dispute holds before an unsigned
-- agreement does. Repeatable: edit it here, Flyway recreates it.
CREATE OR REPLACE VIEW settlement_payable AS
SELECT st.order_id, st.seq, st.worker_id, st.net_fen - coalesce(d.from_worker_fen, 0) AS net_fen, st.settled_at,
       CASE WHEN d.status = 'OPEN' THEN 'DISPUTED'
            WHEN NOT EXISTS (SELECT 1 FROM worker_standing ws
                             WHERE ws.worker_id = st.worker_id AND ws.agreement_signed_at IS NOT NULL)
            THEN 'AGREEMENT_NOT_SIGNED' END AS held_because
FROM settlement st
LEFT JOIN dispute d ON d.order_id = st.order_id
WHERE st.net_fen - coalesce(d.from_worker_fen, 0) > 0
  AND (EXISTS (SELECT 1 FROM payment_instruction ci
               WHERE ci.kind = 'CHARGE' AND ci.order_id = st.order_id AND ci.status = 'SUCCEEDED')
       OR EXISTS (SELECT 1 FROM doubtful_receivable d2 WHERE d2.order_id = st.order_id AND d2.status <> 'OPEN'))
  AND NOT EXISTS (SELECT 1 FROM doubtful_receivable d2 WHERE d2.order_id = st.order_id AND d2.status = 'OPEN')
  AND NOT EXISTS (SELECT 1 FROM payout_item pi JOIN payout p ON p.id = pi.payout_id
                  WHERE pi.order_id = st.order_id AND p.status <> 'FAILED');
