//! The first super admin, from `FIRST_SUPERUSER_EMAIL` and `FIRST_SUPERUSER_PASSWORD`:
//! created, or brought back in line (password, active, super admin), at every start. The
//! application's role may not make super admins, so this runs as the tables' owner.

use chrono::Utc;

use crate::config::{ConfigError, FirstSuperuser};
use crate::db::{query, DatabaseConfig, Db};
use crate::identity::Passwords;
use crate::tenancy::UserId;
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
    let hash = passwords.hash(&password).await?;
    let now = Utc::now();
    let mut tx = db.owner_transaction(database).await?;
    let sql = "INSERT INTO users (id, email, password_hash, first_name, last_name, is_super_admin,
                                  is_active, email_verified_at, created_at, updated_at)
               VALUES ($1, $2, $3, 'Super', 'Admin', false, true, $4, $4, $4)
               ON CONFLICT (email) DO UPDATE
                  SET password_hash = excluded.password_hash, is_active = true,
                      updated_at = excluded.updated_at
               RETURNING id";
    let id: UserId = query::scalar!(tx, sql, UserId::new(), &email, &hash, now)?;
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
            let passwords = Passwords::new();
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

    db_test! {
        async fn a_weak_password_or_bad_email_stops_the_start_naming_the_variable(db: TestDb) {
            let passwords = Passwords::new();
            let err = ensure(&db, db.config(), &first("root@example.com", "short"), &passwords).await.unwrap_err();
            assert!(format!("{err:#}").starts_with("FIRST_SUPERUSER_PASSWORD:"), "{err:#}");
            let err = ensure(&db, db.config(), &first("not an email", "Long-Enough-1"), &passwords).await.unwrap_err();
            assert!(format!("{err:#}").starts_with("FIRST_SUPERUSER_EMAIL:"), "{err:#}");
        }
    }
}
