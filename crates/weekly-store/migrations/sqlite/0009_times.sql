-- One form for every time in the store: RFC 3339 text in UTC to the second
-- (`2026-12-05T08:00:00Z`, see `time.rs`), which sorts as it reads. The clocks kept in Unix
-- seconds (translation claims, outbox claims, campaign leases and retries) become that text,
-- each value the same instant (0, "none", becomes 1970-01-01T00:00:00Z and still sorts first),
-- and the translation memory's `YYYY-MM-DD HH:MM:SS` (SQLite's own default) gains its `T` and
-- `Z`. A column is replaced by a new one of the same name (SQLite cannot change a column's
-- type); the program writes every one of these times itself from now on.

UPDATE translation_memory SET created_at = replace(created_at, ' ', 'T') || 'Z'
    WHERE created_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9] [0-9][0-9]:[0-9][0-9]:[0-9][0-9]';
UPDATE translated_unit SET updated_at = replace(updated_at, ' ', 'T') || 'Z'
    WHERE updated_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9] [0-9][0-9]:[0-9][0-9]:[0-9][0-9]';

ALTER TABLE translation_claim ADD COLUMN expires_text TEXT NOT NULL DEFAULT '1970-01-01T00:00:00Z';
UPDATE translation_claim SET expires_text = strftime('%Y-%m-%dT%H:%M:%SZ', expires_at, 'unixepoch');
ALTER TABLE translation_claim DROP COLUMN expires_at;
ALTER TABLE translation_claim RENAME COLUMN expires_text TO expires_at;

ALTER TABLE outbox ADD COLUMN claimed_text TEXT NOT NULL DEFAULT '1970-01-01T00:00:00Z';
UPDATE outbox SET claimed_text = strftime('%Y-%m-%dT%H:%M:%SZ', claimed_until, 'unixepoch');
ALTER TABLE outbox DROP COLUMN claimed_until;
ALTER TABLE outbox RENAME COLUMN claimed_text TO claimed_until;

DROP INDEX campaign_recipient_lease;
ALTER TABLE campaign_recipient ADD COLUMN next_text TEXT NOT NULL DEFAULT '1970-01-01T00:00:00Z';
ALTER TABLE campaign_recipient ADD COLUMN lease_text TEXT NOT NULL DEFAULT '1970-01-01T00:00:00Z';
UPDATE campaign_recipient SET
    next_text = strftime('%Y-%m-%dT%H:%M:%SZ', next_attempt, 'unixepoch'),
    lease_text = strftime('%Y-%m-%dT%H:%M:%SZ', lease_until, 'unixepoch');
ALTER TABLE campaign_recipient DROP COLUMN next_attempt;
ALTER TABLE campaign_recipient DROP COLUMN lease_until;
ALTER TABLE campaign_recipient RENAME COLUMN next_text TO next_attempt;
ALTER TABLE campaign_recipient RENAME COLUMN lease_text TO lease_until;
CREATE INDEX campaign_recipient_lease ON campaign_recipient (state, lease_until);
