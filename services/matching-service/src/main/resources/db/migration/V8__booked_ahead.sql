-- Orders booked ahead (platform BookingPolicy): a request remembers its window and when it may first
-- be offered. A scheduled request waits as OPEN with round 0 and round_expires_at = offer_from, so the
-- job that moves rounds on starts its first round then. Orders recorded before this have no window.
ALTER TABLE match_request
    ADD COLUMN window_start TIMESTAMPTZ,
    ADD COLUMN window_end   TIMESTAMPTZ,
    ADD COLUMN offer_from   TIMESTAMPTZ;

-- "Is this worker already busy then?": their assigned requests, by worker.
CREATE INDEX match_request_assigned ON match_request (assigned_worker_id) WHERE status = 'ASSIGNED';
