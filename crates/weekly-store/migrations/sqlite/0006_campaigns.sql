-- E-mail campaigns: an issue in one language for one tier, its subject and bodies fixed when
-- it is created (recipient links are filled in per message), over a snapshot of the confirmed
-- subscribers taken then. One campaign per (issue, lang, tier): sending again resumes it.
CREATE TABLE campaign (
    id INTEGER PRIMARY KEY,
    issue BIGINT NOT NULL,
    lang TEXT NOT NULL,
    tier TEXT NOT NULL,
    subject TEXT NOT NULL,
    body_text TEXT NOT NULL,
    body_html TEXT NOT NULL,
    created_at TEXT NOT NULL,
    finished_at TEXT,
    UNIQUE (issue, lang, tier)
);
-- One row per recipient of a campaign. `state`: pending (to send, from `next_attempt`, unix
-- seconds), sending (claimed by `worker` until `lease_until`), sent, failed (a permanent
-- refusal) or skipped (no longer subscribed when its turn came). `resent` counts the times the
-- row was taken back from a worker that stopped while it was on the wire.
CREATE TABLE campaign_recipient (
    id INTEGER PRIMARY KEY,
    campaign_id BIGINT NOT NULL REFERENCES campaign (id),
    subscriber_id BIGINT NOT NULL,
    email TEXT NOT NULL,
    state TEXT NOT NULL DEFAULT 'pending',
    attempts BIGINT NOT NULL DEFAULT 0,
    next_attempt BIGINT NOT NULL DEFAULT 0,
    worker TEXT NOT NULL DEFAULT '',
    lease_until BIGINT NOT NULL DEFAULT 0,
    resent BIGINT NOT NULL DEFAULT 0,
    last_error TEXT NOT NULL DEFAULT '',
    sent_at TEXT,
    UNIQUE (campaign_id, subscriber_id)
);
CREATE INDEX campaign_recipient_todo ON campaign_recipient (campaign_id, state, id);
CREATE INDEX campaign_recipient_lease ON campaign_recipient (state, lease_until);
-- Permanent refusals of a subscriber's address; `[smtp] bounce_after` of them mark it bounced.
ALTER TABLE subscriber ADD COLUMN bounces BIGINT NOT NULL DEFAULT 0;
-- The steps of `weekly publish`, each recorded when done, so a re-run continues.
CREATE TABLE publish_step (
    issue BIGINT NOT NULL,
    step TEXT NOT NULL,
    done_at TEXT NOT NULL,
    detail TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (issue, step)
);
