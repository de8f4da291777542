//! Mail: written to the outbox in the same transaction as the change that causes it, then
//! delivered by a [`worker`] over SMTP (`SMTP_URL`, `MAIL_FROM`) or, with no SMTP configured,
//! into the local mailbox under the data folder. Nothing is lost when the server stops
//! between the change and the delivery, or when the mail server is down for a while.

pub mod mailbox;
pub mod outbox;
pub mod templates;
mod transport;
pub mod worker;

use std::sync::Arc;

use tokio::sync::Notify;

use crate::values::Email;

pub use outbox::counts as outbox_counts;
pub use transport::{Transport, MAILBOX_DIR};

#[cfg(test)]
mod tests;

/// One message, as the outbox keeps it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mail {
    pub to: Email,
    pub subject: String,
    pub text: String,
    pub html: String,
}

/// Wakes the worker when new mail is committed, so it goes out at once rather than at the
/// next poll. Other instances sharing the database pick it up at their next poll.
#[derive(Clone, Debug, Default)]
pub struct MailQueue {
    wake: Arc<Notify>,
}

impl MailQueue {
    pub fn new() -> Self {
        Self::default()
    }

    /// Call after committing a transaction that wrote to the outbox.
    pub fn wake(&self) {
        self.wake.notify_one();
    }

    pub(crate) async fn woken(&self) {
        self.wake.notified().await;
    }
}
