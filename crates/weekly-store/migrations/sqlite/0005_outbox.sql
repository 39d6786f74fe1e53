-- Mail waiting to be sent: a mail is stored before it is sent and marked sent after the
-- server took it, so a mail that cannot go now is retried later, never lost.
CREATE TABLE outbox (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    recipient TEXT NOT NULL,
    subject TEXT NOT NULL,
    body_text TEXT NOT NULL,
    body_html TEXT NOT NULL DEFAULT '',
    list_unsubscribe TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    attempts BIGINT NOT NULL DEFAULT 0,
    next_attempt TEXT NOT NULL,
    last_error TEXT NOT NULL DEFAULT '',
    sent_at TEXT
);
CREATE INDEX outbox_due ON outbox (sent_at, next_attempt);
