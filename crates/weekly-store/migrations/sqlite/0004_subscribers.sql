-- The newsletter's readers, with their consent. `email_key` is the address in lower case:
-- one subscriber per address whatever its case. Times are RFC 3339 text (portable).
CREATE TABLE subscriber (
    id INTEGER PRIMARY KEY,
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
    updated_at TEXT NOT NULL
);
CREATE INDEX subscriber_status ON subscriber (status);
