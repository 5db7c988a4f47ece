-- Orders booked ahead (platform BookingPolicy, gig.booking.offer-lead): when the order's first offers
-- go out. A POSTED order whose offers_from is still ahead is "scheduled" for its resident.
ALTER TABLE gig_order ADD COLUMN offers_from TIMESTAMPTZ;
UPDATE gig_order SET offers_from = created_at;
ALTER TABLE gig_order ALTER COLUMN offers_from SET NOT NULL;
