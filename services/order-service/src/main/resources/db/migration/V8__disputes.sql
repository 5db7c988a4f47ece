-- Disputes (docs/api.md, POST /orders/{id}/dispute): the resident disputes the work within the
-- confirmation window, or up to 72 h after an automatic confirmation; settlement holds the worker's
-- pay until finance or an admin resolves it (gig.dispute.resolved.v1 comes back here).
ALTER TABLE gig_order
    ADD COLUMN auto_confirmed      BOOLEAN     NOT NULL DEFAULT false,
    ADD COLUMN dispute_status      TEXT        CHECK (dispute_status IN ('OPEN', 'RESOLVED')),
    ADD COLUMN dispute_reason      TEXT        CHECK (length(dispute_reason) BETWEEN 1 AND 500),
    ADD COLUMN disputed_at         TIMESTAMPTZ,
    ADD COLUMN dispute_outcome     TEXT        CHECK (dispute_outcome IN ('PAY_IN_FULL', 'PARTIAL_REFUND', 'FULL_REFUND')),
    ADD COLUMN dispute_refund_fen  BIGINT      CHECK (dispute_refund_fen >= 0),
    ADD COLUMN dispute_resolved_at TIMESTAMPTZ;

UPDATE gig_order o SET auto_confirmed = true
WHERE EXISTS (SELECT 1 FROM order_transition t WHERE t.order_id = o.id AND t.actor = 'system:auto-confirm');
