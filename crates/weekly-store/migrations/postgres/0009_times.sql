-- PostgreSQL twin of sqlite/0009: every time in the store as RFC 3339 text in UTC to the
-- second. The Unix-second clocks become that text (the same instants; 0 becomes
-- 1970-01-01T00:00:00Z), the translation memory's `YYYY-MM-DD HH:MM:SS` gains its `T` and `Z`,
-- and the defaults write the new form.

UPDATE translation_memory SET created_at = replace(created_at, ' ', 'T') || 'Z'
    WHERE created_at ~ '^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$';
UPDATE translated_unit SET updated_at = replace(updated_at, ' ', 'T') || 'Z'
    WHERE updated_at ~ '^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$';
ALTER TABLE translation_memory ALTER COLUMN created_at
    SET DEFAULT to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"');
ALTER TABLE translated_unit ALTER COLUMN updated_at
    SET DEFAULT to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"');

ALTER TABLE translation_claim
    ALTER COLUMN expires_at TYPE TEXT
        USING to_char(to_timestamp(expires_at) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"');

ALTER TABLE outbox ALTER COLUMN claimed_until DROP DEFAULT;
ALTER TABLE outbox
    ALTER COLUMN claimed_until TYPE TEXT
        USING to_char(to_timestamp(claimed_until) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"');
ALTER TABLE outbox ALTER COLUMN claimed_until SET DEFAULT '1970-01-01T00:00:00Z';

ALTER TABLE campaign_recipient ALTER COLUMN next_attempt DROP DEFAULT;
ALTER TABLE campaign_recipient ALTER COLUMN lease_until DROP DEFAULT;
ALTER TABLE campaign_recipient
    ALTER COLUMN next_attempt TYPE TEXT
        USING to_char(to_timestamp(next_attempt) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
    ALTER COLUMN lease_until TYPE TEXT
        USING to_char(to_timestamp(lease_until) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"');
ALTER TABLE campaign_recipient ALTER COLUMN next_attempt SET DEFAULT '1970-01-01T00:00:00Z';
ALTER TABLE campaign_recipient ALTER COLUMN lease_until SET DEFAULT '1970-01-01T00:00:00Z';
