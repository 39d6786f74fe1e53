//! A statement built at run time with `$n` placeholders, which both engines read (sqlx's
//! `QueryBuilder` writes `?` for the `Any` driver, which PostgreSQL rejects): multi-row
//! `VALUES` and `IN (…)` lists.

use sqlx::any::AnyArguments;
use sqlx::{Any, Arguments, Encode, Type};
use std::fmt::Write as _;

/// SQL text and its arguments, numbered as they are bound.
pub(crate) struct Sql {
    text: String,
    args: AnyArguments,
    first_in_group: bool,
}

impl std::fmt::Debug for Sql {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Sql")
            .field("text", &self.text)
            .finish_non_exhaustive()
    }
}

impl Sql {
    /// A statement starting with `text`.
    pub(crate) fn new(text: impl Into<String>) -> Sql {
        Sql {
            text: text.into(),
            args: AnyArguments::default(),
            first_in_group: true,
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
        let _ = write!(self.text, "${}", self.args.len());
        self
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
        let mut sql = Sql::new("INSERT INTO t (a, b) VALUES ");
        for (i, row) in [(1_i64, "x"), (2, "y")].iter().enumerate() {
            sql.open(i > 0).bind(row.0).bind(row.1.to_owned()).close();
        }
        sql.push(" RETURNING a");
        assert_eq!(
            sql.text,
            "INSERT INTO t (a, b) VALUES ($1, $2), ($3, $4) RETURNING a"
        );
    }
}
