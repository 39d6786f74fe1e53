-- Translation memory: one row per (source text, target language, model, system message).
CREATE TABLE translation_memory (
    key TEXT PRIMARY KEY NOT NULL,
    source_lang TEXT NOT NULL,
    target_lang TEXT NOT NULL,
    model TEXT NOT NULL,
    prompt_version TEXT NOT NULL,
    source TEXT NOT NULL,
    translation TEXT NOT NULL,
    prompt_tokens BIGINT NOT NULL DEFAULT 0,
    completion_tokens BIGINT NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- What `weekly translate` last wrote for each unit of an edition: the hash of the source it
-- came from and of the text written, so a person's later edit is recognised and kept.
CREATE TABLE translated_unit (
    issue BIGINT NOT NULL,
    lang TEXT NOT NULL,
    unit TEXT NOT NULL,
    source_hash TEXT NOT NULL,
    output_hash TEXT NOT NULL,
    updated_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP,
    PRIMARY KEY (issue, lang, unit)
);
