-- PostgreSQL twin of sqlite/0003.
CREATE TABLE translation_claim (
    key TEXT PRIMARY KEY NOT NULL,
    owner TEXT NOT NULL,
    expires_at BIGINT NOT NULL
);
