-- Ratings (docs/api.md, POST /orders/{id}/rating): once per order, by its resident, of the worker
-- who did it, after the work was confirmed. gig.order.rated.v1 carries it to matching.
CREATE TABLE order_rating (
    order_id    UUID        PRIMARY KEY REFERENCES gig_order (id),
    resident_id TEXT        NOT NULL,
    worker_id   TEXT        NOT NULL,
    stars       SMALLINT    NOT NULL CHECK (stars BETWEEN 1 AND 5),
    comment     TEXT        CHECK (length(comment) <= 500),
    rated_at    TIMESTAMPTZ NOT NULL
);
CREATE INDEX order_rating_worker ON order_rating (worker_id, rated_at DESC);
