//! `weekly db copy`: every table of one store into another, empty one (SQLite into PostgreSQL,
//! or back), checked by row counts and an order-free checksum before the copy is committed.

use crate::sql::Sql;
use crate::{Engine, Store, StoreError};
use futures::TryStreamExt;
use sha2::{Digest, Sha256};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};
use std::fmt::Write as _;

use crate::copy_tables::{Int, TABLES, Table, Text};

/// A table's row count and checksum.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableSum {
    /// The table.
    pub table: &'static str,
    /// Its rows.
    pub rows: i64,
    /// The sum (mod 2^256) of the SHA-256 of each row's values, in hex: the same for the same
    /// rows in any order, on either engine.
    pub checksum: String,
}

/// One value of a row.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Value {
    Null,
    Int(i64),
    Text(String),
}

fn values(row: &AnyRow, table: &Table) -> Result<Vec<Value>, sqlx::Error> {
    table
        .columns
        .iter()
        .enumerate()
        .map(|(i, (_, kind))| {
            Ok(match kind {
                Int => row
                    .try_get::<Option<i64>, _>(i)?
                    .map_or(Value::Null, Value::Int),
                Text => row
                    .try_get::<Option<String>, _>(i)?
                    .map_or(Value::Null, Value::Text),
            })
        })
        .collect()
}

/// A running order-free checksum: the rows' SHA-256 digests added as 256-bit numbers.
#[derive(Debug, Default)]
struct Sum {
    limbs: [u64; 4],
    rows: i64,
}

impl Sum {
    fn add(&mut self, row: &[Value]) {
        let mut hash = Sha256::new();
        for value in row {
            match value {
                Value::Null => hash.update(b"N"),
                Value::Int(n) => {
                    hash.update(b"I");
                    hash.update(n.to_le_bytes());
                }
                Value::Text(s) => {
                    hash.update(b"T");
                    hash.update((s.len() as u64).to_le_bytes());
                    hash.update(s.as_bytes());
                }
            }
        }
        let digest = hash.finalize();
        let mut carry = 0u64;
        for (i, limb) in self.limbs.iter_mut().enumerate() {
            let part = u64::from_le_bytes(digest[i * 8..i * 8 + 8].try_into().expect("8 bytes"));
            let (a, c1) = limb.overflowing_add(part);
            let (b, c2) = a.overflowing_add(carry);
            *limb = b;
            carry = u64::from(c1) + u64::from(c2);
        }
        self.rows += 1;
    }

    fn finish(&self, table: &'static str) -> TableSum {
        let mut checksum = String::with_capacity(64);
        for limb in self.limbs.iter().rev() {
            let _ = write!(checksum, "{limb:016x}");
        }
        TableSum {
            table,
            rows: self.rows,
            checksum,
        }
    }
}

fn select(table: &Table) -> String {
    let columns: Vec<&str> = table.columns.iter().map(|(c, _)| *c).collect();
    format!("SELECT {} FROM {}", columns.join(", "), table.name)
}

async fn sum_table(conn: &mut AnyConnection, table: &Table) -> Result<TableSum, StoreError> {
    let mut sum = Sum::default();
    let mut rows = sqlx::query(sqlx::AssertSqlSafe(select(table))).fetch(&mut *conn);
    while let Some(row) = rows.try_next().await? {
        sum.add(&values(&row, table)?);
    }
    Ok(sum.finish(table.name))
}

/// Rows per `INSERT` (both engines take well over 20,000 parameters in one statement).
fn rows_per_insert(table: &Table) -> usize {
    20_000 / table.columns.len()
}

async fn insert(
    conn: &mut AnyConnection,
    engine: Engine,
    table: &Table,
    rows: &[Vec<Value>],
) -> Result<(), StoreError> {
    let columns: Vec<&str> = table.columns.iter().map(|(c, _)| *c).collect();
    let mut q = Sql::new(
        engine,
        format!(
            "INSERT INTO {} ({}) VALUES ",
            table.name,
            columns.join(", ")
        ),
    );
    for (i, row) in rows.iter().enumerate() {
        q.open(i > 0);
        for (value, (_, kind)) in row.iter().zip(table.columns) {
            match (value, kind) {
                (Value::Int(n), _) => q.bind(*n),
                (Value::Text(s), _) => q.bind(s.as_str()),
                (Value::Null, Int) => q.bind(None::<i64>),
                (Value::Null, Text) => q.bind(None::<&str>),
            };
        }
        q.close();
    }
    q.query().execute(&mut *conn).await?;
    Ok(())
}

/// The highest id the identity `column` of `table` ever gave, deleted rows included, as far
/// as the engine keeps it: SQLite's `sqlite_sequence` (`AUTOINCREMENT` tables, such as
/// `subscriber`), PostgreSQL's sequence; 0 when it keeps none.
async fn id_high_water(
    conn: &mut AnyConnection,
    engine: Engine,
    table: &str,
    column: &str,
) -> Result<i64, StoreError> {
    let (n,): (i64,) =
        match engine {
            Engine::Sqlite => {
                sqlx::query_as("SELECT COALESCE(MAX(seq), 0) FROM sqlite_sequence WHERE name = $1")
                    .bind(table)
                    .fetch_one(&mut *conn)
                    .await?
            }
            Engine::Postgres => sqlx::query_as(
                "SELECT COALESCE(pg_sequence_last_value(pg_get_serial_sequence($1, $2)::regclass), \
                 0)",
            )
            .bind(table)
            .bind(column)
            .fetch_one(&mut *conn)
            .await?,
        };
    Ok(n)
}

/// Makes the next id the target gives in `table` follow both the copied ids and `high_water`
/// (the source's highest id ever given): an id whose row was deleted in the source (and whose
/// signed links may still be around) is never given to a new row of the copy.
async fn continue_ids(
    conn: &mut AnyConnection,
    engine: Engine,
    table: &str,
    column: &str,
    high_water: i64,
) -> Result<(), StoreError> {
    match engine {
        Engine::Postgres => {
            sqlx::query(sqlx::AssertSqlSafe(format!(
                "SELECT setval(pg_get_serial_sequence('{table}', '{column}'), \
                 GREATEST((SELECT COALESCE(MAX({column}), 0) FROM {table}), $1) + 1, false)"
            )))
            .bind(high_water)
            .execute(&mut *conn)
            .await?;
        }
        Engine::Sqlite => {
            // Only an AUTOINCREMENT table keeps its highest id; the others reuse a deleted
            // highest one whatever we do.
            let (autoincrement,): (i64,) = sqlx::query_as(
                "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = $1 \
                 AND sql LIKE '%AUTOINCREMENT%'",
            )
            .bind(table)
            .fetch_one(&mut *conn)
            .await?;
            if autoincrement == 0 || high_water == 0 {
                return Ok(());
            }
            sqlx::query("UPDATE sqlite_sequence SET seq = $2 WHERE name = $1 AND seq < $2")
                .bind(table)
                .bind(high_water)
                .execute(&mut *conn)
                .await?;
            sqlx::query(
                "INSERT INTO sqlite_sequence (name, seq) SELECT $1, $2 WHERE NOT EXISTS \
                 (SELECT 1 FROM sqlite_sequence WHERE name = $1)",
            )
            .bind(table)
            .bind(high_water)
            .execute(&mut *conn)
            .await?;
        }
    }
    Ok(())
}

/// The prefix of the triggers that seal a moved database.
const SEAL: &str = "weekly_moved";

impl Store {
    /// Seals this database as moved to `to` (shown without a password): every table refuses
    /// any further insert, update or delete with a message that says where the data went, so
    /// a process still using it (a `weekly server` started before the copy) fails its writes
    /// (a sign-up gets 503) instead of storing them where nobody looks.
    pub async fn seal(&self, to: &str) -> Result<(), StoreError> {
        let to: String = to
            .chars()
            .filter(|c| !c.is_control() && *c != '\'' && *c != '$')
            .collect();
        let message = format!("weekly: this database was moved to {to} by weekly db copy");
        let mut tx = self.pool.begin().await?;
        match self.engine {
            Engine::Sqlite => {
                for table in TABLES {
                    for op in ["INSERT", "UPDATE", "DELETE"] {
                        sqlx::query(sqlx::AssertSqlSafe(format!(
                            "CREATE TRIGGER IF NOT EXISTS {SEAL}_{name}_{lower} BEFORE {op} ON {name} \
                             BEGIN SELECT RAISE(ABORT, '{message}'); END",
                            name = table.name,
                            lower = op.to_lowercase(),
                        )))
                        .execute(&mut *tx)
                        .await?;
                    }
                }
            }
            Engine::Postgres => {
                sqlx::query(sqlx::AssertSqlSafe(format!(
                    "CREATE OR REPLACE FUNCTION {SEAL}() RETURNS trigger LANGUAGE plpgsql AS \
                     $seal$ BEGIN RAISE EXCEPTION '{message}'; END $seal$"
                )))
                .execute(&mut *tx)
                .await?;
                for table in TABLES {
                    sqlx::query(sqlx::AssertSqlSafe(format!(
                        "CREATE OR REPLACE TRIGGER {SEAL} BEFORE INSERT OR UPDATE OR DELETE ON {} \
                         FOR EACH STATEMENT EXECUTE FUNCTION {SEAL}()",
                        table.name
                    )))
                    .execute(&mut *tx)
                    .await?;
                }
            }
        }
        tx.commit().await?;
        Ok(())
    }

    /// Takes the seal off again (a copy that failed leaves the data where it was).
    pub async fn unseal(&self) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        match self.engine {
            Engine::Sqlite => {
                for table in TABLES {
                    for op in ["insert", "update", "delete"] {
                        sqlx::query(sqlx::AssertSqlSafe(format!(
                            "DROP TRIGGER IF EXISTS {SEAL}_{}_{op}",
                            table.name
                        )))
                        .execute(&mut *tx)
                        .await?;
                    }
                }
            }
            Engine::Postgres => {
                sqlx::query(sqlx::AssertSqlSafe(format!(
                    "DROP FUNCTION IF EXISTS {SEAL}() CASCADE"
                )))
                .execute(&mut *tx)
                .await?;
            }
        }
        tx.commit().await?;
        Ok(())
    }

    /// Where `weekly db copy` moved this database's data, when it did.
    pub async fn moved_to(&self) -> Result<Option<String>, StoreError> {
        let body: Option<(String,)> = match self.engine {
            Engine::Sqlite => {
                sqlx::query_as(
                    "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'weekly_moved_%' LIMIT 1",
                )
                .fetch_optional(&self.pool)
                .await?
            }
            Engine::Postgres => {
                sqlx::query_as(
                    "SELECT prosrc FROM pg_proc WHERE proname = 'weekly_moved' LIMIT 1",
                )
                .fetch_optional(&self.pool)
                .await?
            }
        };
        Ok(body.map(|(text,)| {
            text.split_once("moved to ")
                .and_then(|(_, rest)| rest.split_once(" by weekly db copy"))
                .map_or_else(|| "another database".to_owned(), |(to, _)| to.to_owned())
        }))
    }

    /// Every table's row count and checksum.
    pub async fn table_sums(&self) -> Result<Vec<TableSum>, StoreError> {
        let mut conn = self.pool.acquire().await?;
        let mut out = Vec::with_capacity(TABLES.len());
        for table in TABLES {
            out.push(sum_table(&mut conn, table).await?);
        }
        Ok(out)
    }

    /// Copies every table into `target`, which must hold no rows, in one transaction of the
    /// target that is committed only when each table there has the source's row count and
    /// checksum. `progress` is told each table and the rows copied so far. Returns the sums.
    pub async fn copy_into(
        &self,
        target: &Store,
        progress: &mut (dyn FnMut(&str, i64) + Send),
    ) -> Result<Vec<TableSum>, StoreError> {
        let mut tx = target.write_transaction().await?;
        for table in TABLES {
            let (n,): (i64,) = sqlx::query_as(sqlx::AssertSqlSafe(format!(
                "SELECT COUNT(*) FROM {}",
                table.name
            )))
            .fetch_one(&mut *tx)
            .await?;
            if n > 0 {
                return Err(StoreError::NotEmpty(
                    target.shown().to_owned(),
                    table.name.to_owned(),
                ));
            }
        }
        let mut source = self.pool.acquire().await?;
        let mut sums = Vec::with_capacity(TABLES.len());
        for table in TABLES {
            let mut sum = Sum::default();
            let mut batch = Vec::with_capacity(rows_per_insert(table));
            let mut rows = sqlx::query(sqlx::AssertSqlSafe(select(table))).fetch(&mut *source);
            while let Some(row) = rows.try_next().await? {
                let row = values(&row, table)?;
                sum.add(&row);
                batch.push(row);
                if batch.len() == rows_per_insert(table) {
                    insert(&mut tx, target.engine(), table, &batch).await?;
                    batch.clear();
                    progress(table.name, sum.rows);
                }
            }
            drop(rows);
            if !batch.is_empty() {
                insert(&mut tx, target.engine(), table, &batch).await?;
            }
            progress(table.name, sum.rows);
            if let Some(column) = table.identity {
                // The next id given by the target follows the copied ones, and every id the
                // source ever gave.
                let high_water =
                    id_high_water(&mut source, self.engine(), table.name, column).await?;
                continue_ids(&mut tx, target.engine(), table.name, column, high_water).await?;
            }
            let wrote = sum.finish(table.name);
            let read_back = sum_table(&mut tx, table).await?;
            if read_back != wrote {
                return Err(StoreError::CopyMismatch(
                    table.name.to_owned(),
                    format!(
                        "{} rows, checksum {} in the source; {} rows, checksum {} in the copy",
                        wrote.rows, wrote.checksum, read_back.rows, read_back.checksum
                    ),
                ));
            }
            sums.push(wrote);
        }
        tx.commit().await?;
        Ok(sums)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testdb;

    #[tokio::test]
    async fn the_copy_tables_name_every_table_and_column_of_the_schema() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("w.db")).await.unwrap();
        let tables: Vec<(String,)> = sqlx::query_as(
            "SELECT name FROM sqlite_master WHERE type = 'table' \
             AND name NOT LIKE 'sqlite_%' AND name <> '_sqlx_migrations' ORDER BY name",
        )
        .fetch_all(&store.pool)
        .await
        .unwrap();
        let mut listed: Vec<&str> = TABLES.iter().map(|t| t.name).collect();
        listed.sort_unstable();
        let schema: Vec<&str> = tables.iter().map(|(t,)| t.as_str()).collect();
        assert_eq!(schema, listed);
        for table in TABLES {
            let columns: Vec<(String,)> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
                "SELECT name FROM pragma_table_info('{}') ORDER BY cid",
                table.name
            )))
            .fetch_all(&store.pool)
            .await
            .unwrap();
            let columns: Vec<&str> = columns.iter().map(|(c,)| c.as_str()).collect();
            let ours: Vec<&str> = table.columns.iter().map(|(c, _)| *c).collect();
            assert_eq!(columns, ours, "{}", table.name);
        }
    }

    #[test]
    fn the_checksum_ignores_order_and_sees_every_value() {
        let rows = [
            vec![Value::Int(1), Value::Text("a".into()), Value::Null],
            vec![
                Value::Int(2),
                Value::Text(String::new()),
                Value::Text("x".into()),
            ],
        ];
        let mut one = Sum::default();
        one.add(&rows[0]);
        one.add(&rows[1]);
        let mut two = Sum::default();
        two.add(&rows[1]);
        two.add(&rows[0]);
        assert_eq!(one.finish("t"), two.finish("t"));
        // NULL and an empty text differ, as do the same texts split differently.
        let mut three = Sum::default();
        three.add(&rows[0]);
        three.add(&[Value::Int(2), Value::Null, Value::Text("x".into())]);
        assert_ne!(one.finish("t"), three.finish("t"));
        let mut a = Sum::default();
        a.add(&[Value::Text("ab".into()), Value::Text("c".into())]);
        let mut b = Sum::default();
        b.add(&[Value::Text("a".into()), Value::Text("bc".into())]);
        assert_ne!(a.finish("t"), b.finish("t"));
    }

    #[tokio::test]
    async fn a_sealed_database_takes_no_write_and_says_where_its_data_went() {
        for (engine, store) in testdb::stores().await {
            assert_eq!(store.moved_to().await.unwrap(), None);
            store
                .seal("postgres://weekly@db.example.org/weekly")
                .await
                .unwrap();
            let error = store
                .enqueue_mail(&testdb::mail("late@example.org"), "2026-12-02T00:00:00Z")
                .await
                .expect_err("a write to a moved database");
            assert!(
                error
                    .to_string()
                    .contains("moved to postgres://weekly@db.example.org/weekly"),
                "{engine}: {error}"
            );
            assert_eq!(
                store.moved_to().await.unwrap().as_deref(),
                Some("postgres://weekly@db.example.org/weekly"),
                "{engine}"
            );
            // Reads still work (`db status`), and the seal comes off for a failed copy.
            assert!(store.table_sums().await.is_ok());
            store.unseal().await.unwrap();
            assert_eq!(store.moved_to().await.unwrap(), None);
            store
                .enqueue_mail(&testdb::mail("late@example.org"), "2026-12-02T00:00:00Z")
                .await
                .unwrap();
        }
    }

    #[tokio::test]
    async fn a_copy_carries_every_row_and_refuses_a_target_with_data() {
        for (engine, source) in testdb::stores().await {
            // Every table gets rows, with NULLs, quotes and non-ASCII text.
            testdb::fill(&source).await;
            let targets = testdb::stores().await;
            for (target_engine, target) in targets {
                let mut seen = Vec::new();
                let sums = source
                    .copy_into(&target, &mut |t, n| seen.push((t.to_owned(), n)))
                    .await
                    .unwrap_or_else(|e| panic!("{engine} -> {target_engine}: {e}"));
                assert_eq!(sums, source.table_sums().await.unwrap());
                assert_eq!(sums, target.table_sums().await.unwrap());
                assert!(sums.iter().all(|s| s.rows > 0), "{sums:?}");
                assert!(seen.iter().any(|(t, _)| t == "subscriber"));
                // Ids continue after the copied ones.
                let next = target
                    .enqueue_mail(&testdb::mail("after@example.org"), "2026-12-02T00:00:00Z")
                    .await
                    .unwrap();
                assert!(next > 1, "{target_engine}: id {next}");
                let again = source.copy_into(&target, &mut |_, _| {}).await.unwrap_err();
                assert!(
                    matches!(again, StoreError::NotEmpty(..)),
                    "{target_engine}: {again}"
                );
            }
        }
    }
}
