//! A statement built at run time with the placeholders of its engine: multi-row `VALUES` and
//! `IN (…)` lists. PostgreSQL needs `$n` (sqlx's `QueryBuilder` writes `?` for the `Any`
//! driver); SQLite gets `?`, because it takes `$n` as a *named* parameter and looks each name
//! up in a list: a statement of 13,000 of them took a quarter of a second to prepare.

use crate::Engine;
use sqlx::any::AnyArguments;
use sqlx::{Any, Arguments, Encode, Type};
use std::fmt::Write as _;

/// SQL text and its arguments, numbered as they are bound.
pub(crate) struct Sql {
    text: String,
    args: AnyArguments,
    first_in_group: bool,
    numbered: bool,
}

impl std::fmt::Debug for Sql {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Sql")
            .field("text", &self.text)
            .finish_non_exhaustive()
    }
}

impl Sql {
    /// A statement for `engine` starting with `text`.
    pub(crate) fn new(engine: Engine, text: impl Into<String>) -> Sql {
        Sql {
            text: text.into(),
            args: AnyArguments::default(),
            first_in_group: true,
            numbered: engine == Engine::Postgres,
        }
    }

    /// Appends SQL text.
    pub(crate) fn push(&mut self, text: &str) -> &mut Sql {
        self.text.push_str(text);
        self
    }

    /// Opens a parenthesised group (a row of `VALUES`, an `IN` list), after a comma when it
    /// follows another group.
    pub(crate) fn open(&mut self, after_another: bool) -> &mut Sql {
        self.text.push_str(if after_another { ", (" } else { "(" });
        self.first_in_group = true;
        self
    }

    /// Closes a group.
    pub(crate) fn close(&mut self) -> &mut Sql {
        self.text.push(')');
        self
    }

    /// Binds a value as the next placeholder of the group.
    pub(crate) fn bind<'t, T>(&mut self, value: T) -> &mut Sql
    where
        T: Encode<'t, Any> + Type<Any>,
    {
        if !self.first_in_group {
            self.text.push_str(", ");
        }
        self.first_in_group = false;
        // Encoding into the `Any` buffer only copies the value: it cannot fail.
        self.args
            .add(value)
            .expect("a text or integer value encodes");
        if self.numbered {
            let _ = write!(self.text, "${}", self.args.len());
        } else {
            self.text.push('?');
        }
        self
    }

    /// Binds a value as the next placeholder, written where the text stands now.
    pub(crate) fn bind_alone<'t, T>(&mut self, value: T) -> &mut Sql
    where
        T: Encode<'t, Any> + Type<Any>,
    {
        self.first_in_group = true;
        self.bind(value)
    }

    /// The statement, to execute.
    pub(crate) fn query(self) -> sqlx::query::Query<'static, Any, AnyArguments> {
        sqlx::query_with(sqlx::AssertSqlSafe(self.text), self.args)
    }

    /// The statement, to fetch rows of `O`.
    pub(crate) fn query_as<O>(self) -> sqlx::query::QueryAs<'static, Any, O, AnyArguments>
    where
        O: for<'r> sqlx::FromRow<'r, sqlx::any::AnyRow>,
    {
        sqlx::query_as_with(sqlx::AssertSqlSafe(self.text), self.args)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_numbered_in_order_across_groups() {
        for (engine, expected) in [
            (
                Engine::Postgres,
                "INSERT INTO t (a, b) VALUES ($1, $2), ($3, $4) RETURNING a",
            ),
            (
                Engine::Sqlite,
                "INSERT INTO t (a, b) VALUES (?, ?), (?, ?) RETURNING a",
            ),
        ] {
            let mut sql = Sql::new(engine, "INSERT INTO t (a, b) VALUES ");
            for (i, row) in [(1_i64, "x"), (2, "y")].iter().enumerate() {
                sql.open(i > 0).bind(row.0).bind(row.1.to_owned()).close();
            }
            sql.push(" RETURNING a");
            assert_eq!(sql.text, expected);
        }
    }
}
