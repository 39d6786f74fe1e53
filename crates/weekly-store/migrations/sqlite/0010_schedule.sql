-- A send scheduled for later (`weekly send N --at TIME`, `weekly publish N --at TIME`): kept
-- here so that any running `weekly server` carries it out once its time has come, across
-- restarts. A server claims a due row for `lease_until` (renewed while it sends); a row whose
-- claim ran out is taken by another. `state`: waiting, running, done, failed or cancelled.
CREATE TABLE scheduled_send (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    issue BIGINT NOT NULL,
    lang TEXT NOT NULL DEFAULT '',
    what TEXT NOT NULL DEFAULT 'send',
    due_at TEXT NOT NULL,
    state TEXT NOT NULL DEFAULT 'waiting',
    worker TEXT NOT NULL DEFAULT '',
    lease_until TEXT NOT NULL DEFAULT '1970-01-01T00:00:00Z',
    note TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    done_at TEXT
);
CREATE INDEX scheduled_send_due ON scheduled_send (state, due_at);
