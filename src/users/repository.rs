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

/// An account with the times its credentials last ended (see [`end_credentials`]).
macro_rules! select_user {
    () => {
        "SELECT u.id, u.email, u.first_name, u.last_name, u.is_super_admin, u.is_active,
                u.email_verified_at, u.created_at, u.updated_at,
                coalesce(e.sessions_valid_after, 0) AS sessions_valid_after,
                coalesce(e.tokens_valid_after, 0) AS tokens_valid_after
           FROM users u LEFT JOIN credential_endings e ON e.user_id = u.id"
    };
}

/// The account `new` would be, not stored (see `identity::accounts::register`).
pub(crate) fn unsaved(new: NewUser) -> User {
    let now = Utc::now();
    User {
        id: UserId::new(),
        email: new.email,
        first_name: new.first_name,
        last_name: new.last_name,
        is_super_admin: new.is_super_admin,
        is_active: true,
        email_verified_at: new.email_verified.then_some(now),
        created_at: now,
        updated_at: now,
        sessions_valid_after: 0,
        tokens_valid_after: 0,
    }
}

pub(crate) async fn insert(tx: &mut Tx, new: NewUser) -> Result<User> {
    let password_hash = new.password_hash.clone();
    let user = unsaved(new);
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
        &password_hash
    )?;
    Ok(user)
}

pub(crate) async fn find_by_email(tx: &mut Tx, email: &Email) -> Result<Option<User>> {
    let sql = concat!(select_user!(), " WHERE u.email = $1");
    query::optional!(tx, sql, email)
}

pub(crate) async fn find_by_id(tx: &mut Tx, id: UserId) -> Result<Option<User>> {
    let sql = concat!(select_user!(), " WHERE u.id = $1");
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

/// Which of an account's credentials an ending refuses from now on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Ending {
    /// Browser sessions and access tokens (log out everywhere, reset, deactivation, removal).
    Everything,
    /// Access tokens only (a refresh family revoked): other devices refresh and go on.
    Tokens,
}

/// Moves the account's "valid after" times to now, and at least one second past the last
/// ending, so that a second ending within the same second still refuses what came between.
/// A platform row of its own, so that a tenant's transaction (a member deactivated or
/// removed) may write it without changing the account.
pub(crate) async fn end_credentials(tx: &mut Tx, id: UserId, ending: Ending) -> Result<()> {
    let sql = match ending {
        Ending::Everything => {
            "INSERT INTO credential_endings (user_id, sessions_valid_after, tokens_valid_after)
             VALUES ($1, $2, $2)
             ON CONFLICT (user_id) DO UPDATE SET
                sessions_valid_after = CASE WHEN credential_endings.sessions_valid_after >= $2
                    THEN credential_endings.sessions_valid_after + 1 ELSE $2 END,
                tokens_valid_after = CASE WHEN credential_endings.tokens_valid_after >= $2
                    THEN credential_endings.tokens_valid_after + 1 ELSE $2 END"
        }
        Ending::Tokens => {
            "INSERT INTO credential_endings (user_id, sessions_valid_after, tokens_valid_after)
             VALUES ($1, 0, $2)
             ON CONFLICT (user_id) DO UPDATE SET
                tokens_valid_after = CASE WHEN credential_endings.tokens_valid_after >= $2
                    THEN credential_endings.tokens_valid_after + 1 ELSE $2 END"
        }
    };
    query::execute!(tx, sql, id, Utc::now().timestamp())?;
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
