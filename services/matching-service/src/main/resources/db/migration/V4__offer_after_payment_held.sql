-- Escrow (docs/matching.md): an order is offered only once the payment channel holds the resident's
-- money (gig.payment.held.v1 from settlement). The posting and the payment's answer arrive on
-- different topics, in either order and possibly at the same moment in two consumers' transactions.
-- Both upsert the order's row here first, which makes the second wait for the first to commit and
-- then see what it wrote: a request is created OPEN when the money is held already, else it waits as
-- AWAITING_PAYMENT until the answer opens it (or ends it as PAYMENT_FAILED). The first answer stands.
CREATE TABLE order_payment (
    order_id    UUID PRIMARY KEY,
    status      TEXT        NOT NULL CHECK (status IN ('WAITING', 'HELD', 'FAILED')),
    answered_at TIMESTAMPTZ
);
