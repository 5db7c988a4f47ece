-- Ratings reported for abuse (docs/api.md, POST /orders/{id}/rating/report): an admin withdraws a
-- rating; it stays for the record but counts no more (gig.order.rating-withdrawn.v1 to matching) and
-- no longer shows among the worker's ratings. The report is in the audit trail.
ALTER TABLE order_rating
    ADD COLUMN reported_at   TIMESTAMPTZ,
    ADD COLUMN reported_by   TEXT,
    ADD COLUMN report_reason TEXT CHECK (length(report_reason) BETWEEN 1 AND 500);

ALTER TABLE audit_entry DROP CONSTRAINT audit_entry_action_check;
ALTER TABLE audit_entry ADD CONSTRAINT audit_entry_action_check
    CHECK (action IN ('ORDER_VIEWED', 'ORDERS_LISTED', 'ORDER_HISTORY_VIEWED', 'ORDER_STREAMED', 'RATING_REPORTED'));
