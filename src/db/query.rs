//! Repository helpers: a query is its SQL text and its bind list, nothing more.
//!
//! ```text
//! query::execute!(tx, "UPDATE tenants SET status = $2 WHERE id = $1", id, status)?;
//! let user: Option<User> = query::optional!(tx, sql, email)?;
//! ```
//! Each expands to the same sqlx call for the SQLite and the PostgreSQL connection (through
//! `on_conn!`), so binds are type-checked against both drivers, and database errors become the
//! core [`crate::Error`] (unique violations: `Conflict { field }`).

/// Runs a statement; the number of rows it affected.
macro_rules! execute {
    ($tx:expr, $sql:expr $(, $arg:expr)* $(,)?) => {
        $crate::db::on_conn!($tx, c => sqlx::query($sql)$(.bind($arg))*.execute(c).await
            .map(|done| done.rows_affected()))
            .map_err($crate::Error::from)
    };
}

/// The first row as `T: FromRow`, if any.
macro_rules! optional {
    ($tx:expr, $sql:expr $(, $arg:expr)* $(,)?) => {
        $crate::db::on_conn!($tx, c => sqlx::query_as($sql)$(.bind($arg))*.fetch_optional(c).await)
            .map_err($crate::Error::from)
    };
}

/// Every row as `T: FromRow`.
macro_rules! all {
    ($tx:expr, $sql:expr $(, $arg:expr)* $(,)?) => {
        $crate::db::on_conn!($tx, c => sqlx::query_as($sql)$(.bind($arg))*.fetch_all(c).await)
            .map_err($crate::Error::from)
    };
}

/// One value of the first row (a count, an existence check).
macro_rules! scalar {
    ($tx:expr, $sql:expr $(, $arg:expr)* $(,)?) => {
        $crate::db::on_conn!($tx, c => sqlx::query_scalar($sql)$(.bind($arg))*.fetch_one(c).await)
            .map_err($crate::Error::from)
    };
}

/// Implements sqlx's `Type`, `Encode` and `Decode` for a type stored as text on both
/// databases: encoded through its `as_str()`, decoded through `FromStr` (`text_type!(Role)`)
/// or, for values normalised before they were stored, its `from_stored`
/// (`text_type!(Email, stored)`).
macro_rules! text_type {
    ($ty:ty) => {
        $crate::db::query::text_type!($ty, |text: &str| text.parse::<$ty>());
    };
    ($ty:ty, stored) => {
        $crate::db::query::text_type!($ty, |text: &str| {
            Ok::<_, std::convert::Infallible>(<$ty>::from_stored(text.to_owned()))
        });
    };
    ($ty:ty, $decode:expr) => {
        impl<DB: sqlx::Database> sqlx::Type<DB> for $ty
        where
            str: sqlx::Type<DB>,
        {
            fn type_info() -> DB::TypeInfo {
                <str as sqlx::Type<DB>>::type_info()
            }

            fn compatible(ty: &DB::TypeInfo) -> bool {
                <str as sqlx::Type<DB>>::compatible(ty)
            }
        }

        impl<'q, DB: sqlx::Database> sqlx::Encode<'q, DB> for $ty
        where
            String: sqlx::Encode<'q, DB>,
        {
            fn encode_by_ref(
                &self,
                buf: &mut <DB as sqlx::Database>::ArgumentBuffer<'q>,
            ) -> Result<sqlx::encode::IsNull, sqlx::error::BoxDynError> {
                // Owned: the SQLite driver keeps arguments for the query's lifetime.
                <String as sqlx::Encode<'q, DB>>::encode(self.as_str().to_owned(), buf)
            }
        }

        impl<'r, DB: sqlx::Database> sqlx::Decode<'r, DB> for $ty
        where
            &'r str: sqlx::Decode<'r, DB>,
        {
            fn decode(
                value: <DB as sqlx::Database>::ValueRef<'r>,
            ) -> Result<Self, sqlx::error::BoxDynError> {
                Ok(($decode)(<&'r str as sqlx::Decode<'r, DB>>::decode(
                    value,
                )?)?)
            }
        }
    };
}

pub(crate) use {all, execute, optional, scalar, text_type};
