-- PostgreSQL twin of sqlite/0008. Identity columns never give an id twice here; `weekly db
-- copy` sets the sequence past the source's highest id ever given (see copy.rs).
-- `link_key`: a volatile default, so every row already here gets its own random key now
-- (122 random bits of `gen_random_uuid()`, PostgreSQL 13 and later), and every new row one.
ALTER TABLE subscriber ADD COLUMN link_key TEXT NOT NULL
    DEFAULT replace(gen_random_uuid()::text, '-', '');
ALTER TABLE subscriber ADD COLUMN legacy_links BIGINT NOT NULL DEFAULT 1;
ALTER TABLE subscriber ALTER COLUMN legacy_links SET DEFAULT 0;
ALTER TABLE outbox ADD COLUMN claimed_until BIGINT NOT NULL DEFAULT 0;
ALTER TABLE outbox ADD COLUMN claimed_by TEXT NOT NULL DEFAULT '';
-- The next subscriber id follows every id given so far, and every id in the table (rows put
-- there with their ids, as an older `weekly db copy` did, did not move the sequence).
SELECT setval(pg_get_serial_sequence('subscriber', 'id'),
    GREATEST(COALESCE((SELECT MAX(id) FROM subscriber), 0),
        COALESCE(pg_sequence_last_value(pg_get_serial_sequence('subscriber', 'id')::regclass), 0))
    + 1, false);
