-- An entry drafted by the model for a candidate (`weekly inbox draft`), one per candidate and
-- section: asked once, shown in the inbox, used by `weekly inbox accept`. `stars` comes from
-- the GitHub API, never from the model.
CREATE TABLE candidate_draft (
    candidate BIGINT NOT NULL REFERENCES candidate (id),
    section TEXT NOT NULL,
    title TEXT NOT NULL,
    original_title TEXT NOT NULL DEFAULT '',
    description TEXT NOT NULL,
    stars BIGINT,
    model TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (candidate, section)
);
