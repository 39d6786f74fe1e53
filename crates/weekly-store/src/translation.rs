//! The translation memory (each unit's checked translation, by key), the claims that keep
//! two runs from translating one unit at once, and the record of the units written into
//! each edition.

use crate::{Store, StoreError};
use std::collections::BTreeMap;

/// A translation as kept in the memory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Memory {
    /// See `weekly_translate::memory_key`.
    pub key: String,
    /// Source language code.
    pub source_lang: String,
    /// Target language code.
    pub target_lang: String,
    /// Model name.
    pub model: String,
    /// Version (hash) of the prompt template.
    pub prompt_version: String,
    /// The source unit.
    pub source: String,
    /// Its checked translation.
    pub translation: String,
    /// Tokens of the request.
    pub prompt_tokens: i64,
    /// Tokens of the answer.
    pub completion_tokens: i64,
}

/// The record of one unit written into an edition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnitRecord {
    /// Unit id.
    pub unit: String,
    /// SHA-256 of the source unit.
    pub source_hash: String,
    /// SHA-256 of the text written.
    pub output_hash: String,
}

impl Store {
    /// Claims the translation of `key` for `owner` for `ttl_secs` (from `now`, unix seconds):
    /// true when no other owner holds an unexpired claim. The owner may claim again to extend.
    pub async fn claim(
        &self,
        key: &str,
        owner: &str,
        now: i64,
        ttl_secs: i64,
    ) -> Result<bool, StoreError> {
        let done = sqlx::query(
            "INSERT INTO translation_claim (key, owner, expires_at) VALUES ($1, $2, $3) \
             ON CONFLICT (key) DO UPDATE SET owner = excluded.owner, \
             expires_at = excluded.expires_at \
             WHERE translation_claim.owner = excluded.owner OR translation_claim.expires_at < $4",
        )
        .bind(key)
        .bind(owner)
        .bind(crate::time::at(now.saturating_add(ttl_secs)))
        .bind(crate::time::at(now))
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Gives up `owner`'s claim of `key`.
    pub async fn release(&self, key: &str, owner: &str) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM translation_claim WHERE key = $1 AND owner = $2")
            .bind(key)
            .bind(owner)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// The translation stored under `key`.
    pub async fn memory(&self, key: &str) -> Result<Option<Memory>, StoreError> {
        type Row = (
            String,
            String,
            String,
            String,
            String,
            String,
            String,
            i64,
            i64,
        );
        let row: Option<Row> = sqlx::query_as(
            "SELECT key, source_lang, target_lang, model, prompt_version, source, translation, \
             prompt_tokens, completion_tokens FROM translation_memory WHERE key = $1",
        )
        .bind(key)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.map(
            |(
                key,
                source_lang,
                target_lang,
                model,
                prompt_version,
                source,
                translation,
                prompt_tokens,
                completion_tokens,
            )| Memory {
                key,
                source_lang,
                target_lang,
                model,
                prompt_version,
                source,
                translation,
                prompt_tokens,
                completion_tokens,
            },
        ))
    }

    /// Stores a checked translation (replacing one with the same key).
    pub async fn remember(&self, memory: &Memory) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO translation_memory (key, source_lang, target_lang, model, prompt_version, \
             source, translation, prompt_tokens, completion_tokens, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) \
             ON CONFLICT (key) DO UPDATE SET translation = excluded.translation",
        )
        .bind(&memory.key)
        .bind(&memory.source_lang)
        .bind(&memory.target_lang)
        .bind(&memory.model)
        .bind(&memory.prompt_version)
        .bind(&memory.source)
        .bind(&memory.translation)
        .bind(memory.prompt_tokens)
        .bind(memory.completion_tokens)
        .bind(crate::time::now())
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Number of translations in the memory.
    pub async fn memory_size(&self) -> Result<i64, StoreError> {
        let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM translation_memory")
            .fetch_one(&self.pool)
            .await?;
        Ok(n)
    }

    /// The records of the units last written into issue `issue`'s `lang` edition.
    pub async fn unit_records(
        &self,
        issue: u32,
        lang: &str,
    ) -> Result<BTreeMap<String, UnitRecord>, StoreError> {
        let rows: Vec<(String, String, String)> = sqlx::query_as(
            "SELECT unit, source_hash, output_hash FROM translated_unit \
             WHERE issue = $1 AND lang = $2",
        )
        .bind(i64::from(issue))
        .bind(lang)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(|(unit, source_hash, output_hash)| {
                (
                    unit.clone(),
                    UnitRecord {
                        unit,
                        source_hash,
                        output_hash,
                    },
                )
            })
            .collect())
    }

    /// Replaces the records of issue `issue`'s `lang` edition, in one transaction.
    pub async fn set_unit_records(
        &self,
        issue: u32,
        lang: &str,
        records: &[UnitRecord],
    ) -> Result<(), StoreError> {
        let mut tx = self.write_transaction().await?;
        sqlx::query("DELETE FROM translated_unit WHERE issue = $1 AND lang = $2")
            .bind(i64::from(issue))
            .bind(lang)
            .execute(&mut *tx)
            .await?;
        let now = crate::time::now();
        for record in records {
            sqlx::query(
                "INSERT INTO translated_unit (issue, lang, unit, source_hash, output_hash, \
                 updated_at) VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(i64::from(issue))
            .bind(lang)
            .bind(&record.unit)
            .bind(&record.source_hash)
            .bind(&record.output_hash)
            .bind(&now)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }
}
