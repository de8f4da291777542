//! The first super admin, from `FIRST_SUPERUSER_EMAIL` and `FIRST_SUPERUSER_PASSWORD`:
//! created, or brought back in line (password, active, super admin), at every start. The
//! application's role may not make super admins, so this runs as the tables' owner.
//!
//! An address can be taken before the operator names it (anyone may register one in the
//! wizard): an existing account is promoted only if its address was verified, and whenever
//! the start promotes it or gives it the configured password, every session and token it had
//! ends, so nobody who held it before keeps a way in.

use chrono::Utc;

use crate::config::{ConfigError, FirstSuperuser};
use crate::db::{query, DatabaseConfig, Db};
use crate::identity::Passwords;
use crate::tenancy::UserId;
use crate::users::PasswordHash;
use crate::values::{Email, Password};
use crate::Result;

pub async fn ensure(
    db: &Db,
    database: &DatabaseConfig,
    first: &FirstSuperuser,
    passwords: &Passwords,
) -> Result<UserId> {
    use secrecy::ExposeSecret as _;
    let email = Email::parse(&first.email).map_err(|m| config_error("FIRST_SUPERUSER_EMAIL", m))?;
    let password = Password::parse(first.password.expose_secret())
        .map_err(|m| config_error("FIRST_SUPERUSER_PASSWORD", m))?;
    let now = Utc::now();
    let mut tx = db.owner_transaction(database).await?;
    let sql = "SELECT id, is_super_admin, email_verified_at IS NOT NULL AS verified, password_hash
                 FROM users WHERE email = $1";
    let existing: Option<Existing> = query::optional!(tx, sql, &email)?;
    let id = match existing {
        Some(account) if !account.verified => {
            return Err(config_error(
                "FIRST_SUPERUSER_EMAIL",
                "names an account whose address was never verified, so it may belong to \
                 someone else: verify the address by its link first, or name another",
            ));
        }
        Some(account) => {
            let same_password = passwords
                .verify(
                    first.password.expose_secret(),
                    account.password_hash.as_ref(),
                )
                .await?;
            if !same_password {
                let hash = passwords.hash(&password).await?;
                let sql = "UPDATE users SET password_hash = $2, updated_at = $3 WHERE id = $1";
                query::execute!(tx, sql, account.id, &hash, now)?;
            }
            if !same_password || !account.is_super_admin {
                crate::identity::sessions::end_all_in(&mut tx, account.id).await?;
            }
            let sql = "UPDATE users SET is_active = true WHERE id = $1";
            query::execute!(tx, sql, account.id)?;
            account.id
        }
        None => {
            let hash = passwords.hash(&password).await?;
            let sql = "INSERT INTO users (id, email, password_hash, first_name, last_name,
                                          is_super_admin, is_active, email_verified_at,
                                          created_at, updated_at)
                       VALUES ($1, $2, $3, 'Super', 'Admin', false, true, $4, $4, $4)
                       RETURNING id";
            query::scalar!(tx, sql, UserId::new(), &email, &hash, now)?
        }
    };
    // A separate step: no row may be inserted as a super admin, even by the owner.
    query::execute!(
        tx,
        "UPDATE users SET is_super_admin = true WHERE id = $1",
        id
    )?;
    tx.commit().await?;
    tracing::info!(%email, "the first super admin is ready");
    Ok(id)
}

#[derive(sqlx::FromRow)]
struct Existing {
    id: UserId,
    is_super_admin: bool,
    verified: bool,
    password_hash: Option<PasswordHash>,
}

fn config_error(variable: &'static str, message: &str) -> crate::Error {
    anyhow::Error::new(ConfigError {
        variable,
        message: message.to_owned(),
    })
    .into()
}

#[cfg(test)]
mod tests {
    use secrecy::SecretString;

    use super::*;
    use crate::db::Access;
    use crate::db_test;
    use crate::testing::TestDb;

    fn first(email: &str, password: &str) -> FirstSuperuser {
        FirstSuperuser {
            email: email.to_owned(),
            password: SecretString::from(password.to_owned()),
        }
    }

    db_test! {
        async fn the_first_super_admin_is_created_then_kept_in_line(db: TestDb) {
            let passwords = Passwords::new().unwrap();
            let made = ensure(&db, db.config(), &first("Root@Example.com", "First-Pass-1"), &passwords).await.unwrap();
            let again = ensure(&db, db.config(), &first("root@example.com", "Second-Pass-2"), &passwords).await.unwrap();
            assert_eq!(made, again, "one account, updated");

            let mut tx = db.begin(Access::Read).await.unwrap();
            let (count, admins): (i64, i64) = query::optional!(
                tx, "SELECT count(*), count(*) FILTER (WHERE is_super_admin) FROM users WHERE email = $1",
                "root@example.com"
            ).unwrap().unwrap();
            assert_eq!((count, admins), (1, 1));
            // The hash is read back through the credential path (PostgreSQL: the function).
            let hash = db.password_hash(made).await.unwrap();
            assert!(passwords.verify("Second-Pass-2", hash.as_ref()).await.unwrap());
            assert!(!passwords.verify("First-Pass-1", hash.as_ref()).await.unwrap());
        }
    }

    async fn reloaded(db: &Db, id: UserId) -> crate::users::User {
        let mut tx = db.begin(Access::Read).await.unwrap();
        let user = crate::users::repository::find_by_id(&mut tx, id)
            .await
            .unwrap()
            .unwrap();
        tx.rollback().await.unwrap();
        user
    }

    db_test! {
        async fn an_unverified_address_is_never_promoted(db: TestDb) {
            // Someone registered the address in the wizard and never confirmed it.
            let mut tx = db.begin(Access::Write).await.unwrap();
            let squatter = crate::users::repository::insert(&mut tx, crate::users::NewUser {
                email: Email::parse("root@example.com").unwrap(),
                password_hash: None,
                first_name: "Mallory".into(),
                last_name: "Squat".into(),
                is_super_admin: false,
                email_verified: false,
            }).await.unwrap();
            tx.commit().await.unwrap();
            let err = ensure(&db, db.config(), &first("root@example.com", "Root-Pass-123"), &Passwords::new().unwrap())
                .await.unwrap_err();
            assert!(format!("{err:#}").starts_with("FIRST_SUPERUSER_EMAIL:"), "{err:#}");
            assert!(!reloaded(&db, squatter.id).await.is_super_admin);
        }
    }

    db_test! {
        async fn a_promoted_account_takes_no_old_session_or_token_along(db: TestDb) {
            use crate::identity::sessions::{authenticate, SessionAuth};
            use crate::identity::tokens::Grant;
            let config = crate::Config::from_lookup(|name| {
                (name == "SESSION_SECRET").then(|| "3c9e1a7b5d2f4086a1c3e5f7092b4d6f8e1a3c5b7d9f02143658709acbedf129".to_owned())
            }).unwrap();
            let tokens = crate::identity::Tokens::new(&crate::keys::Keys::load(&config).unwrap(), "https://oikos.example/");
            let ann = crate::testing::fixtures::user(&db, "ann@example.com").await;
            let session = SessionAuth::new(&ann, None);
            let mut tx = db.begin(Access::Write).await.unwrap();
            let pair = tokens.issue(&mut tx, &Grant::new(&ann, None)).await.unwrap();
            tx.commit().await.unwrap();
            assert!(authenticate(&db, &crate::testing::fixtures::seals(), &session).await.unwrap().is_some());

            let passwords = Passwords::new().unwrap();
            let root = first("ann@example.com", "Root-Pass-123");
            ensure(&db, db.config(), &root, &passwords).await.unwrap();
            let promoted = reloaded(&db, ann.id).await;
            assert!(promoted.is_super_admin);
            assert!(authenticate(&db, &crate::testing::fixtures::seals(), &session).await.unwrap().is_none(), "the old session");
            let claims = tokens.verify_access(&pair.access_token).unwrap();
            assert!(claims.iat <= promoted.tokens_valid_after, "the old access token");
            assert!(tokens.redeem(&db, &pair.refresh_token).await.is_err(), "the old refresh token");

            // A restart that changes nothing keeps the super admin's own new session.
            let own = SessionAuth::new(&promoted, None);
            ensure(&db, db.config(), &root, &passwords).await.unwrap();
            assert!(authenticate(&db, &crate::testing::fixtures::seals(), &own).await.unwrap().is_some());
            // A new configured password ends it.
            ensure(&db, db.config(), &first("ann@example.com", "Other-Pass-456"), &passwords).await.unwrap();
            assert!(authenticate(&db, &crate::testing::fixtures::seals(), &own).await.unwrap().is_none());
        }
    }

    db_test! {
        async fn a_weak_password_or_bad_email_stops_the_start_naming_the_variable(db: TestDb) {
            let passwords = Passwords::new().unwrap();
            let err = ensure(&db, db.config(), &first("root@example.com", "short"), &passwords).await.unwrap_err();
            assert!(format!("{err:#}").starts_with("FIRST_SUPERUSER_PASSWORD:"), "{err:#}");
            let err = ensure(&db, db.config(), &first("not an email", "Long-Enough-1"), &passwords).await.unwrap_err();
            assert!(format!("{err:#}").starts_with("FIRST_SUPERUSER_EMAIL:"), "{err:#}");
        }
    }
}
