//! The delivery worker: claims due messages from the outbox, sends them, and records the
//! outcome; retries with backoff. Runs until the stop signal, on every instance.

use std::future::Future;
use std::time::Duration;

use chrono::Utc;

use super::{outbox, MailQueue, Transport};
use crate::db::Db;

/// How often the worker looks for mail queued by other instances or due for a retry.
const POLL: Duration = Duration::from_secs(5);
const BATCH: i64 = 20;

pub async fn run(db: Db, transport: Transport, queue: MailQueue, stop: impl Future<Output = ()>) {
    tokio::pin!(stop);
    loop {
        deliver_due(&db, &transport).await;
        tokio::select! {
            () = &mut stop => return,
            () = queue.woken() => {}
            () = tokio::time::sleep(POLL) => {}
        }
    }
}

/// Delivers everything due now; errors are logged, never fatal to the worker.
pub async fn deliver_due(db: &Db, transport: &Transport) {
    loop {
        let claimed = match outbox::claim(db, Utc::now(), BATCH).await {
            Ok(claimed) => claimed,
            Err(err) => {
                tracing::warn!(error = format!("{err:#}"), "mail outbox: claiming failed");
                return;
            }
        };
        if claimed.is_empty() {
            return;
        }
        for message in &claimed {
            let outcome = match transport.send(&message.mail()).await {
                Ok(()) => outbox::mark_sent(db, message.id, Utc::now()).await,
                Err(err) => {
                    let error = format!("{err:#}");
                    tracing::warn!(
                        id = %message.id,
                        attempts = message.attempts,
                        error,
                        "mail delivery failed; will retry"
                    );
                    outbox::mark_failed(db, message, &error, Utc::now()).await
                }
            };
            if let Err(err) = outcome {
                tracing::warn!(error = format!("{err:#}"), "mail outbox: recording failed");
            }
        }
    }
}
