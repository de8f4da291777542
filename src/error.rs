//! The core error type.
//!
//! Which error belongs where:
//! - Services and repositories return [`Error`]. Expected outcomes a caller can act on have their
//!   own variant; everything else (database down, bug) is [`Error::Internal`].
//! - Database errors enter through `From<sqlx::Error>`, which turns unique-constraint violations
//!   into [`Error::Conflict`] naming the field, so no caller matches on constraint names.
//! - The server maps [`Error`] to HTTP exactly once (`server/src/error.rs`); the app maps it once
//!   to its serialisable `AppError` for server functions. Internal details are logged there, with
//!   the request id, and never shown.

use std::collections::BTreeMap;
use std::time::Duration;

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Field name → human sentence, as shown next to form fields and in API `fields`.
pub type FieldErrors = BTreeMap<String, String>;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("not found")]
    NotFound,
    #[error("you do not have permission to do that")]
    Forbidden,
    #[error("you are not a member of this workspace")]
    TenantMismatch,
    #[error("this workspace is inactive")]
    TenantInactive,
    #[error("name the workspace: its subdomain, or the X-Tenant-Slug header")]
    TenantRequired,
    #[error("authentication required")]
    Unauthorized,
    #[error("incorrect email or password")]
    InvalidCredentials,
    #[error("please confirm your email address first: we sent you a link")]
    EmailNotVerified,
    #[error("this link is invalid, has expired or was already used")]
    InvalidToken,
    #[error("{field} is already taken")]
    Conflict { field: String },
    #[error("the request has invalid fields")]
    Invalid { fields: FieldErrors },
    #[error("your plan's limit has been reached")]
    PlanLimit,
    #[error("a workspace keeps at least one active admin: make someone else an admin first")]
    LastAdmin,
    #[error("this invitation is for another email address: sign in with the invited one")]
    InvitationForAnotherEmail,
    /// A used, revoked or expired invitation.
    #[error("this invitation {state}")]
    InvitationClosed {
        state: crate::members::invitations::Closed,
    },
    #[error("too many requests")]
    RateLimited { retry_after: Duration },
    #[error("billing is off on this installation: a super admin assigns plans")]
    BillingDisabled,
    #[error("billing is on: plans change through Stripe, on the workspace's billing page")]
    BillingEnabled,
    #[error("this Idempotency-Key was used with another request")]
    IdempotencyKeyReused,
    #[error("the first request with this Idempotency-Key is still running: retry shortly")]
    IdempotencyKeyInUse,
    #[error("add a card first: paid plans are charged to it")]
    PaymentMethodRequired,
    #[error("make another card the default first: the subscription is charged to this one")]
    PaymentMethodInUse,
    /// The card was refused; the message is Stripe's, meant for the customer.
    #[error("{message}")]
    PaymentFailed { message: String },
    /// A webhook whose `Stripe-Signature` is missing, wrong or too old.
    #[error("the signature is missing, invalid or too old")]
    BadSignature,
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl Error {
    /// The stable snake_case code clients match on (the `code` of the JSON error shape).
    pub fn code(&self) -> &'static str {
        match self {
            Error::NotFound => "not_found",
            Error::Forbidden => "forbidden",
            Error::TenantMismatch => "tenant_mismatch",
            Error::TenantInactive => "tenant_inactive",
            Error::TenantRequired => "tenant_required",
            Error::Unauthorized => "unauthorized",
            Error::InvalidCredentials => "invalid_credentials",
            Error::EmailNotVerified => "email_not_verified",
            Error::InvalidToken => "invalid_token",
            Error::Conflict { .. } => "conflict",
            Error::Invalid { .. } => "validation_error",
            Error::PlanLimit => "plan_limit_reached",
            Error::LastAdmin => "last_admin",
            Error::InvitationForAnotherEmail => "invitation_email_mismatch",
            Error::InvitationClosed { state } => state.code(),
            Error::RateLimited { .. } => "rate_limited",
            Error::BillingDisabled => "billing_disabled",
            Error::BillingEnabled => "billing_enabled",
            Error::IdempotencyKeyReused => "idempotency_key_reused",
            Error::IdempotencyKeyInUse => "idempotency_key_in_use",
            Error::PaymentMethodRequired => "payment_method_required",
            Error::PaymentMethodInUse => "payment_method_in_use",
            Error::PaymentFailed { .. } => "payment_failed",
            Error::BadSignature => "invalid_signature",
            Error::Internal(_) => "internal_error",
        }
    }

    /// A sentence safe to show anyone: internal details never leave the server.
    pub fn public_message(&self) -> String {
        match self {
            Error::Internal(_) => "Something went wrong on our side.".to_owned(),
            Error::Conflict { field } => {
                format!("This {} is already taken.", field.replace('_', " "))
            }
            other => {
                let message = other.to_string();
                let mut chars = message.chars();
                let sentence = chars.next().map_or_else(String::new, |first| {
                    first.to_uppercase().chain(chars).collect::<String>()
                });
                match sentence.ends_with('.') {
                    true => sentence,
                    false => sentence + ".",
                }
            }
        }
    }

    /// Field name → message, for forms and the API's `fields`.
    pub fn fields(&self) -> FieldErrors {
        match self {
            Error::Invalid { fields } => fields.clone(),
            Error::Conflict { field } => {
                FieldErrors::from([(field.clone(), self.public_message())])
            }
            _ => FieldErrors::new(),
        }
    }

    /// An `Invalid` error for one field.
    pub fn invalid(field: &str, message: impl Into<String>) -> Self {
        Error::Invalid {
            fields: BTreeMap::from([(field.to_owned(), message.into())]),
        }
    }
}

/// Collects every field's error of a form, so the user sees them all at once:
/// `let email = check.field("email", Email::parse(input));` … `check.finish()?`.
#[derive(Debug, Default)]
pub struct FieldCheck {
    fields: FieldErrors,
}

impl FieldCheck {
    pub fn new() -> Self {
        Self::default()
    }

    /// The value, or `None` with the message recorded against `field`.
    pub fn field<T>(&mut self, field: &str, parsed: Result<T, &str>) -> Option<T> {
        parsed.map_err(|message| self.fail(field, message)).ok()
    }

    pub fn fail(&mut self, field: &str, message: &str) {
        self.fields
            .entry(field.to_owned())
            .or_insert_with(|| message.to_owned());
    }

    /// `Invalid` with every recorded field, or `Ok` when there is none.
    pub fn finish(self) -> Result<()> {
        if self.fields.is_empty() {
            Ok(())
        } else {
            Err(Error::Invalid {
                fields: self.fields,
            })
        }
    }
}

/// A required name (first, last): trimmed, 1 to 100 characters.
pub fn parse_name(input: &str) -> Result<String, &'static str> {
    let name = input.trim();
    match name.chars().count() {
        0 => Err("This field is required."),
        101.. => Err("Use at most 100 characters."),
        _ => Ok(name.to_owned()),
    }
}

impl From<sqlx::Error> for Error {
    fn from(err: sqlx::Error) -> Self {
        if let Some(field) = unique_violation_field(&err) {
            return Error::Conflict { field };
        }
        match err {
            sqlx::Error::RowNotFound => Error::NotFound,
            other => Error::Internal(other.into()),
        }
    }
}

impl From<sqlx::migrate::MigrateError> for Error {
    fn from(err: sqlx::migrate::MigrateError) -> Self {
        Error::Internal(err.into())
    }
}

/// The field a unique-constraint violation is about.
///
/// Unique indexes are named `<table>__<field>_key` in both schemas. PostgreSQL reports that name
/// (or `<table>_pkey`); SQLite reports the columns (`table.column, …`), or the index name for
/// an expression index; a normalised key column `<field>_key` is reported as `<field>`. A primary key, single or composite, is the field `id` on both.
fn unique_violation_field(err: &sqlx::Error) -> Option<String> {
    let db_err = err.as_database_error()?;
    if !db_err.is_unique_violation() {
        return None;
    }
    let field = match db_err.constraint() {
        Some(constraint) => field_of_index(constraint),
        None => {
            let message = db_err.message();
            let detail = message.rsplit(": ").next().unwrap_or(message);
            match detail
                .strip_prefix("index '")
                .and_then(|d| d.strip_suffix('\''))
            {
                Some(index) => field_of_index(index),
                None if detail.contains(',') => "id",
                // A normalised key column (`name_key`) stands for its field (`name`).
                None => {
                    let column = detail.rsplit('.').next().unwrap_or(detail);
                    column.strip_suffix("_key").unwrap_or(column)
                }
            }
        }
    };
    Some(field.to_owned())
}

fn field_of_index(index: &str) -> &str {
    index
        .split_once("__")
        .and_then(|(_, rest)| rest.strip_suffix("_key"))
        .unwrap_or("id")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn public_messages_are_sentences_and_hide_internals() {
        assert_eq!(Error::NotFound.public_message(), "Not found.");
        let internal = Error::Internal(anyhow::anyhow!("password=hunter2 in SQL"));
        assert_eq!(
            internal.public_message(),
            "Something went wrong on our side."
        );
        assert_eq!(internal.code(), "internal_error");
        let conflict = Error::Conflict {
            field: "business_email".into(),
        };
        assert_eq!(
            conflict.public_message(),
            "This business email is already taken."
        );
        assert_eq!(
            conflict.fields()["business_email"],
            "This business email is already taken."
        );
    }

    #[test]
    fn index_names_give_their_field() {
        assert_eq!(field_of_index("tenants__slug_key"), "slug");
        assert_eq!(field_of_index("api_keys__key_hash_key"), "key_hash");
        assert_eq!(field_of_index("memberships_pkey"), "id");
    }
}
