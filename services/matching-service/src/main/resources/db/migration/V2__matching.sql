-- Workers who take gigs near home, and the nearby search's spatial index (owned by matching-service).
CREATE TABLE worker (
    id             TEXT PRIMARY KEY,
    name           TEXT             NOT NULL,
    service_codes  TEXT[]           NOT NULL,
    home_lat       DOUBLE PRECISION NOT NULL,
    home_lon       DOUBLE PRECISION NOT NULL,
    radius_m       INTEGER          NOT NULL CHECK (radius_m > 0),
    available      BOOLEAN          NOT NULL DEFAULT TRUE,
    rating         DOUBLE PRECISION NOT NULL DEFAULT 4.5,
    active_jobs    INTEGER          NOT NULL DEFAULT 0 CHECK (active_jobs >= 0),
    created_at     TIMESTAMPTZ      NOT NULL,
    updated_at     TIMESTAMPTZ      NOT NULL
);
-- Nearby search: a GiST index over the home point on the earth sphere, for available workers only.
CREATE INDEX worker_home_available ON worker USING gist (ll_to_earth(home_lat, home_lon)) WHERE available;

-- One matching per posted order: its current round and, once someone accepted, the winner.
CREATE TABLE match_request (
    order_id           UUID PRIMARY KEY,
    resident_id        TEXT             NOT NULL,
    service_code       TEXT             NOT NULL,
    lat                DOUBLE PRECISION NOT NULL,
    lon                DOUBLE PRECISION NOT NULL,
    price_fen          BIGINT           NOT NULL,
    status             TEXT             NOT NULL,
    round              INTEGER          NOT NULL,
    round_expires_at   TIMESTAMPTZ,
    assigned_worker_id TEXT,
    created_at         TIMESTAMPTZ      NOT NULL,
    updated_at         TIMESTAMPTZ      NOT NULL
);
CREATE INDEX match_request_open ON match_request (round_expires_at) WHERE status = 'OPEN';

-- An order offered to one worker in one round; the first ACCEPTED wins the order.
CREATE TABLE offer (
    id           UUID PRIMARY KEY,
    order_id     UUID        NOT NULL REFERENCES match_request (order_id),
    worker_id    TEXT        NOT NULL REFERENCES worker (id),
    round        INTEGER     NOT NULL,
    distance_m   INTEGER     NOT NULL,
    status       TEXT        NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL,
    expires_at   TIMESTAMPTZ NOT NULL,
    decided_at   TIMESTAMPTZ,
    UNIQUE (order_id, worker_id)
);
CREATE INDEX offer_worker_status ON offer (worker_id, status, created_at DESC);
CREATE UNIQUE INDEX offer_one_accepted_per_order ON offer (order_id) WHERE status = 'ACCEPTED';
