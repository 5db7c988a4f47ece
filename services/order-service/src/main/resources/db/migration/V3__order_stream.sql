-- Push of status changes (GET /orders/{id}/stream): every transition notifies, at commit, the
-- replicas that hold a stream of the order; the transition's id is the stream's event id. An
-- order's transitions are written under its row lock, so their ids rise in commit order.
CREATE FUNCTION order_transition_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('gig_order_changes', NEW.order_id::text);
    RETURN NULL;
END
$$;
CREATE TRIGGER order_transition_notify AFTER INSERT ON order_transition
    FOR EACH ROW EXECUTE FUNCTION order_transition_notify();
