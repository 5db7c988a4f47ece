-- Residents' ratings folded into the worker's rating (domain WorkerRating: a Bayesian average that
-- starts at 4.5 as if from 5 ratings): how many ratings and how many stars in all.
ALTER TABLE worker ADD COLUMN rating_count INTEGER NOT NULL DEFAULT 0 CHECK (rating_count >= 0);
ALTER TABLE worker ADD COLUMN rating_stars BIGINT NOT NULL DEFAULT 0 CHECK (rating_stars >= 0);
