//! Platform-level queries on `users`.

use chrono::Utc;

use crate::db::Tx;
use crate::on_conn;
use crate::tenancy::UserId;
use crate::users::{NewUser, User};
use crate::Result;

/// The column list, as a macro so queries stay `&'static str` built by `concat!`.
macro_rules! columns {
    () => {
        "id, email, password_hash, first_name, last_name, is_super_admin, \
                       is_active, email_verified_at, created_at, updated_at"
    };
}

pub async fn insert(tx: &mut Tx, new: NewUser) -> Result<User> {
    let now = Utc::now();
    let user = User {
        id: UserId::new(),
        email: new.email,
        password_hash: new.password_hash,
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
        ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)"
    );
    on_conn!(tx, c => sqlx::query(sql)
        .bind(user.id)
        .bind(&user.email)
        .bind(&user.password_hash)
        .bind(&user.first_name)
        .bind(&user.last_name)
        .bind(user.is_super_admin)
        .bind(user.is_active)
        .bind(user.email_verified_at)
        .bind(user.created_at)
        .bind(user.updated_at)
        .execute(c)
        .await
        .map(|done| done.rows_affected()))?;
    Ok(user)
}

pub async fn find_by_id(tx: &mut Tx, id: UserId) -> Result<Option<User>> {
    let sql = concat!("SELECT ", columns!(), " FROM users WHERE id = $1");
    let user = on_conn!(tx, c => sqlx::query_as(sql).bind(id).fetch_optional(c).await)?;
    Ok(user)
}

/// Case-insensitive, matching the unique index on `lower(email)`.
pub async fn find_by_email(tx: &mut Tx, email: &str) -> Result<Option<User>> {
    let sql = concat!(
        "SELECT ",
        columns!(),
        " FROM users WHERE lower(email) = lower($1)"
    );
    let user = on_conn!(tx, c => sqlx::query_as(sql).bind(email).fetch_optional(c).await)?;
    Ok(user)
}
