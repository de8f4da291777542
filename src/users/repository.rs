//! Platform-level queries on `users`. The column list leaves out `password_hash`, which the
//! application's role cannot read on PostgreSQL.

use chrono::Utc;

use crate::db::{query, Tx};
use crate::tenancy::UserId;
use crate::users::{NewUser, User};
use crate::values::Email;
use crate::Result;

macro_rules! columns {
    () => {
        "id, email, first_name, last_name, is_super_admin, is_active, email_verified_at, \
         created_at, updated_at"
    };
}

pub(crate) async fn insert(tx: &mut Tx, new: NewUser) -> Result<User> {
    let now = Utc::now();
    let user = User {
        id: UserId::new(),
        email: new.email,
        first_name: new.first_name,
        last_name: new.last_name,
        is_super_admin: new.is_super_admin,
        is_active: true,
        email_verified_at: new.email_verified.then_some(now),
        created_at: now,
        updated_at: now,
    };
    let sql = concat!(
        "INSERT INTO users (",
        columns!(),
        ", password_hash) ",
        "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)"
    );
    query::execute!(
        tx,
        sql,
        user.id,
        &user.email,
        &user.first_name,
        &user.last_name,
        user.is_super_admin,
        user.is_active,
        user.email_verified_at,
        user.created_at,
        user.updated_at,
        &new.password_hash
    )?;
    Ok(user)
}

pub(crate) async fn find_by_email(tx: &mut Tx, email: &Email) -> Result<Option<User>> {
    let sql = concat!("SELECT ", columns!(), " FROM users WHERE email = $1");
    query::optional!(tx, sql, email)
}

pub(crate) async fn find_by_id(tx: &mut Tx, id: UserId) -> Result<Option<User>> {
    let sql = concat!("SELECT ", columns!(), " FROM users WHERE id = $1");
    query::optional!(tx, sql, id)
}

/// Marks the address verified (once: a later verification keeps the first time).
pub(crate) async fn mark_verified(tx: &mut Tx, id: UserId) -> Result<()> {
    let now = Utc::now();
    let sql = "UPDATE users SET email_verified_at = coalesce(email_verified_at, $2),
                                updated_at = $2
                WHERE id = $1";
    query::execute!(tx, sql, id, now)?;
    Ok(())
}

pub(crate) async fn update_name(tx: &mut Tx, id: UserId, first: &str, last: &str) -> Result<()> {
    let sql = "UPDATE users SET first_name = $2, last_name = $3, updated_at = $4 WHERE id = $1";
    query::execute!(tx, sql, id, first, last, Utc::now())?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::Access;
    use crate::db_test;
    use crate::testing::TestDb;
    use crate::Error;

    fn new_user(email: &str) -> NewUser {
        NewUser {
            email: Email::parse(email).unwrap(),
            password_hash: None,
            first_name: "Ann".into(),
            last_name: "Lee".into(),
            is_super_admin: false,
            email_verified: false,
        }
    }

    db_test! {
        async fn an_address_is_one_account_whatever_its_case_or_composition(db: TestDb) {
            let mut tx = db.begin(Access::Write).await.unwrap();
            insert(&mut tx, new_user("José@Example.com")).await.unwrap();
            tx.commit().await.unwrap();
            // Full Unicode folding on both databases: SQLite's lower() would miss "É".
            for same in ["jose\u{301}@example.com", "JOSÉ@EXAMPLE.COM"] {
                let mut tx = db.begin(Access::Write).await.unwrap();
                let again = insert(&mut tx, new_user(same)).await;
                assert!(matches!(&again, Err(Error::Conflict { field }) if field == "email"), "{same}: {again:?}");
            }
        }
    }
}
