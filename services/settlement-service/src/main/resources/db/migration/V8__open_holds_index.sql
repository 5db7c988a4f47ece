-- The escrow gauges (every 15 s) and the runbook's queries look at open holds only (PENDING, HELD);
-- captured and released holds pile up for ever, so find the open ones by index, not by a scan.
CREATE INDEX payment_hold_open ON payment_hold (status, created_at) WHERE status IN ('PENDING', 'HELD');
