-- A unit being translated by one run: another run waits for its answer instead of paying for
-- the same request. A claim whose owner stopped expires.
CREATE TABLE translation_claim (
    key TEXT PRIMARY KEY NOT NULL,
    owner TEXT NOT NULL,
    expires_at BIGINT NOT NULL
);
