//! The two migration folders must build the same schema: same tables, columns, nullability,
//! primary keys, indexes (and which are unique), foreign keys with their delete rules, and
//! column types that correspond.

use std::collections::BTreeMap;

use crate::db::{Backend, Conn};
use crate::testing::TestDb;

#[derive(Debug, PartialEq, Eq)]
struct Column {
    /// A backend-neutral type family, from which both backends' spellings derive.
    family: &'static str,
    nullable: bool,
    primary_key: bool,
}

type Tables = BTreeMap<String, BTreeMap<String, Column>>;

/// (table, column, referenced table, referenced column, on delete)
type ForeignKey = (String, String, String, String, String);

#[derive(Debug, Default, PartialEq, Eq)]
struct Schema {
    tables: Tables,
    /// (index name, unique), primary keys excluded.
    indexes: Vec<(String, bool)>,
    foreign_keys: Vec<ForeignKey>,
}

#[tokio::test]
async fn sqlite_and_postgres_migrations_build_the_same_schema() {
    let sqlite = describe(&TestDb::new(Backend::Sqlite).await).await;
    let postgres = describe(&TestDb::new(Backend::Postgres).await).await;
    assert!(!sqlite.tables.is_empty(), "no tables found");
    assert!(
        sqlite.indexes.iter().any(|(_, unique)| *unique),
        "no unique index found"
    );
    assert!(!sqlite.foreign_keys.is_empty(), "no foreign key found");
    assert_eq!(sqlite, postgres);
}

async fn describe(test_db: &TestDb) -> Schema {
    let mut tx = test_db.db().begin(crate::db::Access::Read).await.unwrap();
    match tx.conn() {
        Conn::Sqlite(c) => {
            let columns: Vec<(String, String, String, bool, bool)> = sqlx::query_as(
                "SELECT m.name, p.name, upper(p.type), NOT p.\"notnull\" AND p.pk = 0, p.pk > 0
                   FROM sqlite_schema m JOIN pragma_table_info(m.name) p
                  WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite\\_%' ESCAPE '\\'
                    AND m.name NOT LIKE '\\_sqlx%' ESCAPE '\\'",
            )
            .fetch_all(&mut *c)
            .await
            .unwrap();
            let indexes = sqlx::query_as(
                "SELECT m.name, i.\"unique\" FROM sqlite_schema m
                   JOIN pragma_index_list(m.tbl_name) i ON i.name = m.name
                  WHERE m.type = 'index' AND m.name NOT LIKE 'sqlite\\_autoindex%' ESCAPE '\\'
                  ORDER BY 1",
            )
            .fetch_all(&mut *c)
            .await
            .unwrap();
            let foreign_keys = sqlx::query_as(
                "SELECT m.name, f.\"from\", f.\"table\", f.\"to\", f.on_delete
                   FROM sqlite_schema m JOIN pragma_foreign_key_list(m.name) f
                  WHERE m.type = 'table' ORDER BY 1, 2",
            )
            .fetch_all(&mut *c)
            .await
            .unwrap();
            schema(columns, indexes, foreign_keys, sqlite_family)
        }
        Conn::Postgres(_) => {
            // As the owner: the application's role sees only the columns it may use.
            let mut owner = test_db.owner().await;
            let c = &mut owner;
            let columns: Vec<(String, String, String, bool, bool)> = sqlx::query_as(
                "SELECT c.table_name::text, c.column_name::text, c.data_type::text,
                        c.is_nullable = 'YES',
                        EXISTS (SELECT 1 FROM information_schema.key_column_usage k
                                  JOIN information_schema.table_constraints t
                                    ON t.constraint_name = k.constraint_name
                                   AND t.table_name = k.table_name
                                 WHERE t.constraint_type = 'PRIMARY KEY'
                                   AND k.table_name = c.table_name
                                   AND k.column_name = c.column_name)
                   FROM information_schema.columns c
                  WHERE c.table_schema = current_schema()
                    AND c.table_name NOT LIKE '\\_sqlx%'",
            )
            .fetch_all(&mut *c)
            .await
            .unwrap();
            let indexes = sqlx::query_as(
                "SELECT i.relname::text, x.indisunique FROM pg_index x
                   JOIN pg_class i ON i.oid = x.indexrelid
                   JOIN pg_class t ON t.oid = x.indrelid
                  WHERE t.relnamespace = current_schema()::regnamespace
                    AND NOT x.indisprimary AND t.relname <> '_sqlx_migrations'
                  ORDER BY 1",
            )
            .fetch_all(&mut *c)
            .await
            .unwrap();
            let foreign_keys = sqlx::query_as(
                "SELECT t.relname::text, a.attname::text, r.relname::text, ra.attname::text,
                        CASE k.confdeltype WHEN 'c' THEN 'CASCADE' WHEN 'n' THEN 'SET NULL'
                             WHEN 'd' THEN 'SET DEFAULT' WHEN 'r' THEN 'RESTRICT'
                             ELSE 'NO ACTION' END
                   FROM pg_constraint k
                   JOIN pg_class t ON t.oid = k.conrelid
                   JOIN pg_class r ON r.oid = k.confrelid
                   CROSS JOIN LATERAL unnest(k.conkey, k.confkey) AS cols(col, ref_col)
                   JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = cols.col
                   JOIN pg_attribute ra ON ra.attrelid = k.confrelid AND ra.attnum = cols.ref_col
                  WHERE k.contype = 'f' AND t.relnamespace = current_schema()::regnamespace
                  ORDER BY 1, 2",
            )
            .fetch_all(&mut *c)
            .await
            .unwrap();
            schema(columns, indexes, foreign_keys, postgres_family)
        }
    }
}

fn schema(
    columns: Vec<(String, String, String, bool, bool)>,
    indexes: Vec<(String, bool)>,
    mut foreign_keys: Vec<ForeignKey>,
    family: fn(&str) -> &'static str,
) -> Schema {
    let mut tables = Tables::new();
    for (table, column, data_type, nullable, primary_key) in columns {
        let column_info = Column {
            family: family(&data_type),
            nullable,
            primary_key,
        };
        tables.entry(table).or_default().insert(column, column_info);
    }
    // A composite key's columns come in no particular order across the two catalogs.
    foreign_keys.sort();
    Schema {
        tables,
        indexes,
        foreign_keys,
    }
}

/// SQLite's declared types name the encodings sqlx uses; several PostgreSQL types share one.
fn sqlite_family(declared: &str) -> &'static str {
    match declared {
        "BLOB" => "uuid or bytes",
        "TEXT" => "text or timestamp",
        "INTEGER" => "integer or boolean",
        "REAL" => "real",
        _ => "unknown",
    }
}

fn postgres_family(data_type: &str) -> &'static str {
    match data_type {
        "uuid" | "bytea" => "uuid or bytes",
        "text" | "timestamp with time zone" => "text or timestamp",
        "bigint" | "integer" | "smallint" | "boolean" => "integer or boolean",
        "double precision" | "real" => "real",
        _ => "unknown",
    }
}
