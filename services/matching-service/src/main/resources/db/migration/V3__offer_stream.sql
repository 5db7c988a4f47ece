-- Push of offers (GET /workers/{id}/offers/stream): every new offer and every change of an offer's
-- status gets a change number and notifies, at commit, the replicas holding that worker's stream.
CREATE SEQUENCE offer_change_seq;
ALTER TABLE offer ADD COLUMN change_seq BIGINT;
ALTER TABLE offer ADD COLUMN changed_at TIMESTAMPTZ;
UPDATE offer SET change_seq = nextval('offer_change_seq'), changed_at = coalesce(decided_at, created_at);
ALTER TABLE offer ALTER COLUMN change_seq SET NOT NULL;
ALTER TABLE offer ALTER COLUMN changed_at SET NOT NULL;
CREATE INDEX offer_worker_changes ON offer (worker_id, change_seq);

-- Numbers come from a sequence, so two transactions may commit in the other order than their
-- numbers: a stream therefore also rereads the last seconds' changes and drops what it sent.
CREATE FUNCTION offer_number_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.change_seq := nextval('offer_change_seq');
    NEW.changed_at := clock_timestamp();
    RETURN NEW;
END
$$;
CREATE TRIGGER offer_number_change BEFORE INSERT OR UPDATE OF status ON offer
    FOR EACH ROW EXECUTE FUNCTION offer_number_change();

CREATE FUNCTION offer_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('gig_offer_changes', NEW.worker_id);
    RETURN NULL;
END
$$;
CREATE TRIGGER offer_notify AFTER INSERT OR UPDATE OF status ON offer
    FOR EACH ROW EXECUTE FUNCTION offer_notify();
