//! The delivery worker: claims due deliveries, posts them signed, and records each answer;
//! retries with backoff. Runs until the stop signal, on every instance.

use std::collections::HashMap;
use std::future::Future;
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use secrecy::SecretString;
use tokio::task::JoinSet;

use super::deliveries::{self, Claimed, Outcome};
use crate::db::{query, Access, Db};
use crate::tenancy::WebhookId;
use crate::Result;

/// The header that carries the signature.
pub const SIGNATURE_HEADER: &str = "Oikos-Signature";
/// How often the worker looks for deliveries due (a read; cheap when there are none).
const POLL: Duration = Duration::from_secs(1);
const BATCH: i64 = 20;
/// How much of a receiver's error answer the log keeps.
const ERROR_EXCERPT: usize = 200;

pub async fn run(db: Db, client: reqwest::Client, stop: impl Future<Output = ()>) {
    tokio::pin!(stop);
    loop {
        match deliveries::any_due(&db, Utc::now()).await {
            Ok(true) => {
                deliver_due(&db, &client, Utc::now()).await;
            }
            Ok(false) => {}
            Err(err) => tracing::warn!(error = format!("{err:#}"), "webhooks: polling failed"),
        }
        tokio::select! {
            () = &mut stop => return,
            () = tokio::time::sleep(POLL) => {}
        }
    }
}

/// Sends everything due at `now` (the tests move `now` to see retries), each batch's
/// deliveries at once; how many attempts were made. Errors are logged, never fatal.
pub async fn deliver_due(db: &Db, client: &reqwest::Client, now: DateTime<Utc>) -> usize {
    let mut made = 0;
    loop {
        let batch = match claim_with_targets(db, now).await {
            Ok(batch) => batch,
            Err(err) => {
                tracing::warn!(error = format!("{err:#}"), "webhooks: claiming failed");
                return made;
            }
        };
        if batch.is_empty() {
            return made;
        }
        made += batch.len();
        let mut sends = JoinSet::new();
        for (delivery, target) in batch {
            let (db, client) = (db.clone(), client.clone());
            sends.spawn(async move {
                let outcome = send(&client, &target, &delivery.body).await;
                if let Err(err) = deliveries::record(&db, &delivery, &outcome, now).await {
                    tracing::warn!(error = format!("{err:#}"), "webhooks: recording failed");
                }
            });
        }
        while sends.join_next().await.is_some() {}
    }
}

/// Where a delivery goes.
struct Target {
    url: String,
    secret: SecretString,
}

async fn claim_with_targets(db: &Db, now: DateTime<Utc>) -> Result<Vec<(Claimed, Target)>> {
    let claimed = deliveries::claim(db, now, BATCH).await?;
    if claimed.is_empty() {
        return Ok(Vec::new());
    }
    let mut tx = db.begin(Access::Read).await?;
    let rows: Vec<(WebhookId, String, String)> =
        query::all!(tx, "SELECT id, url, secret FROM webhook_endpoints")?;
    tx.rollback().await?;
    let targets: HashMap<WebhookId, (String, String)> = rows
        .into_iter()
        .map(|(id, url, secret)| (id, (url, secret)))
        .collect();
    Ok(claimed
        .into_iter()
        .filter_map(|delivery| {
            // An endpoint deleted since took its deliveries with it.
            let (url, secret) = targets.get(&delivery.endpoint_id)?.clone();
            let target = Target {
                url,
                secret: SecretString::from(secret),
            };
            Some((delivery, target))
        })
        .collect())
}

/// Posts `body` to the target, signed now.
async fn send(client: &reqwest::Client, target: &Target, body: &str) -> Outcome {
    let signature = crate::signature::sign(body.as_bytes(), &target.secret, Utc::now().timestamp());
    let started = Instant::now();
    let answer = client
        .post(&target.url)
        .header(reqwest::header::CONTENT_TYPE, "application/json")
        .header(SIGNATURE_HEADER, signature)
        .body(body.to_owned())
        .send()
        .await;
    let duration_ms = i64::try_from(started.elapsed().as_millis()).unwrap_or(i64::MAX);
    match answer {
        Ok(response) => {
            let status = response.status();
            let error = if status.is_success() {
                None
            } else {
                let text = response.text().await.unwrap_or_default();
                let excerpt: String = text.chars().take(ERROR_EXCERPT).collect();
                Some(format!("HTTP {}: {excerpt}", status.as_u16()))
            };
            Outcome {
                status: Some(status.as_u16()),
                error,
                duration_ms,
            }
        }
        Err(err) => Outcome {
            status: None,
            error: Some(describe(&err)),
            duration_ms,
        },
    }
}

/// The error with its causes (reqwest's own message says only "error sending request").
fn describe(err: &reqwest::Error) -> String {
    let mut text = err.to_string();
    let mut source = std::error::Error::source(err);
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}
