-- PostgreSQL twin of sqlite/0001: the same tables, columns and meanings. Times the program
-- writes are RFC 3339 text on both engines; the defaults below write SQLite's own format.
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
    created_at TEXT NOT NULL DEFAULT to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS')
);

CREATE TABLE translated_unit (
    issue BIGINT NOT NULL,
    lang TEXT NOT NULL,
    unit TEXT NOT NULL,
    source_hash TEXT NOT NULL,
    output_hash TEXT NOT NULL,
    updated_at TEXT NOT NULL DEFAULT to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS'),
    PRIMARY KEY (issue, lang, unit)
);
