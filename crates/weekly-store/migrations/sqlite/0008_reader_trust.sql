-- Subscriber ids are never used twice: `AUTOINCREMENT` (SQLite otherwise gives a deleted
-- highest id to the next row, and a link signed for the old subscriber would name the new
-- one). SQLite cannot add it to a table, so the table is made again with the same rows, ids,
-- columns and indexes.
-- `link_key`: a random key per subscriber that every signed link of theirs includes, so a
-- link dies with its subscriber (`--forget` deletes the row, its key with it). New rows get
-- one from the default; the rows already here get one now.
-- `legacy_links`: 1 for the rows already here, whose mailed links were signed without a key
-- (before this migration): those links keep working until their own expiry. New rows: 0.
CREATE TABLE subscriber_0008 (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    email TEXT NOT NULL,
    email_key TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL DEFAULT '',
    languages TEXT NOT NULL DEFAULT '',
    tier TEXT NOT NULL DEFAULT 'free',
    paid_until TEXT,
    status TEXT NOT NULL,
    source TEXT NOT NULL DEFAULT '',
    consent_at TEXT NOT NULL,
    consent_ip TEXT NOT NULL DEFAULT '',
    consent_via TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    bounces BIGINT NOT NULL DEFAULT 0,
    link_key TEXT NOT NULL DEFAULT (lower(hex(randomblob(16)))),
    legacy_links BIGINT NOT NULL DEFAULT 0
);
INSERT INTO subscriber_0008 (id, email, email_key, name, languages, tier, paid_until, status,
    source, consent_at, consent_ip, consent_via, created_at, updated_at, bounces, link_key,
    legacy_links)
SELECT id, email, email_key, name, languages, tier, paid_until, status, source, consent_at,
    consent_ip, consent_via, created_at, updated_at, bounces, lower(hex(randomblob(16))), 1
FROM subscriber ORDER BY id;
DROP TABLE subscriber;
ALTER TABLE subscriber_0008 RENAME TO subscriber;
CREATE INDEX subscriber_status ON subscriber (status);
-- Outbox rows are claimed before they are sent (`claimed_by` until `claimed_until`, unix
-- seconds), so several servers or `weekly mail send` runs send each mail once; a claim that
-- ran out (its process was killed) is taken again.
ALTER TABLE outbox ADD COLUMN claimed_until BIGINT NOT NULL DEFAULT 0;
ALTER TABLE outbox ADD COLUMN claimed_by TEXT NOT NULL DEFAULT '';
