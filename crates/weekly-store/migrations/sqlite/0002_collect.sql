-- What `weekly collect` remembers about each source between runs: the validators for a
-- conditional GET, and the failures that put it in back-off.
CREATE TABLE feed_state (
    source TEXT PRIMARY KEY NOT NULL,
    etag TEXT,
    last_modified TEXT,
    failures BIGINT NOT NULL DEFAULT 0,
    next_attempt TEXT,
    last_status TEXT NOT NULL DEFAULT '',
    last_error TEXT NOT NULL DEFAULT '',
    last_fetched TEXT
);

-- One row per link, by normalised URL: a candidate for an issue.
-- status: new | accepted | rejected | snoozed.
CREATE TABLE candidate (
    id INTEGER PRIMARY KEY,
    url_norm TEXT NOT NULL UNIQUE,
    url TEXT NOT NULL,
    title TEXT NOT NULL,
    summary TEXT NOT NULL DEFAULT '',
    lang TEXT NOT NULL DEFAULT '',
    published TEXT,
    first_seen TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'new',
    snoozed_until TEXT,
    decided_at TEXT,
    issue BIGINT,
    section TEXT
);
CREATE INDEX candidate_status ON candidate (status);

-- Every source a candidate arrived from, with that source's title and date.
CREATE TABLE sighting (
    candidate BIGINT NOT NULL REFERENCES candidate (id),
    source TEXT NOT NULL,
    title TEXT NOT NULL,
    published TEXT,
    seen_at TEXT NOT NULL,
    PRIMARY KEY (candidate, source)
);
CREATE INDEX sighting_source ON sighting (source, published);

-- GitHub star counts, one row per repository and observation.
CREATE TABLE repo_stars (
    repo TEXT NOT NULL,
    observed_at TEXT NOT NULL,
    stars BIGINT NOT NULL,
    PRIMARY KEY (repo, observed_at)
);

-- Every message posted to a channel, so a re-run never posts it again. `state` is `sending`
-- from just before the request until the answer, then `sent`: a `sending` row left by a
-- crash means "maybe posted" and is never resent without the editor's word.
CREATE TABLE delivery (
    key TEXT PRIMARY KEY NOT NULL,
    state TEXT NOT NULL,
    message_id BIGINT,
    updated_at TEXT NOT NULL
);
