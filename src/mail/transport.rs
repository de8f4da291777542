//! Where mail goes: an SMTP server (lettre), or the local mailbox, a folder of `.eml` files
//! under the data folder that the operator can read when no SMTP server is configured.

use std::path::PathBuf;

use anyhow::Context as _;
use lettre::message::{header::ContentType, Mailbox, MultiPart, SinglePart};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use secrecy::ExposeSecret as _;

use super::Mail;
use crate::{files, Config, Result};

/// The local mailbox's folder, under the data folder.
pub const MAILBOX_DIR: &str = "mailbox";

#[derive(Clone, Debug)]
pub enum Transport {
    Smtp {
        smtp: AsyncSmtpTransport<Tokio1Executor>,
        from: Mailbox,
    },
    Mailbox {
        dir: PathBuf,
        from: Mailbox,
    },
}

impl Transport {
    /// From `SMTP_URL` and `MAIL_FROM`; a malformed one stops the start.
    pub fn from_config(config: &Config) -> Result<Transport> {
        match &config.smtp {
            Some(smtp) => {
                let from = parse_from(&smtp.from)?;
                let transport =
                    AsyncSmtpTransport::<Tokio1Executor>::from_url(smtp.url.expose_secret())
                        .map_err(|err| config_error("SMTP_URL", &err.to_string()))?
                        .build();
                Ok(Transport::Smtp {
                    smtp: transport,
                    from,
                })
            }
            None => {
                let dir = config.data_dir.join(MAILBOX_DIR);
                Ok(Transport::Mailbox {
                    dir,
                    from: parse_from(crate::config::DEFAULT_MAIL_FROM)?,
                })
            }
        }
    }

    pub async fn send(&self, mail: &Mail) -> Result<()> {
        match self {
            Transport::Smtp { smtp, from } => {
                let message = message(from, mail)?;
                smtp.send(message)
                    .await
                    .context("sending through SMTP_URL")?;
            }
            Transport::Mailbox { dir, from } => {
                let message = message(from, mail)?;
                files::create_private_dir(dir)?;
                let name = format!("{}.eml", uuid::Uuid::now_v7());
                files::write_private(&dir.join(&name), &message.formatted())?;
                tracing::info!(
                    to = %mail.to,
                    subject = %mail.subject,
                    file = %dir.join(&name).display(),
                    "no SMTP_URL: mail written to the local mailbox"
                );
            }
        }
        Ok(())
    }
}

fn parse_from(from: &str) -> Result<Mailbox> {
    from.parse()
        .map_err(|err: lettre::address::AddressError| config_error("MAIL_FROM", &err.to_string()))
}

fn config_error(variable: &'static str, message: &str) -> crate::Error {
    anyhow::Error::new(crate::config::ConfigError {
        variable,
        message: message.to_owned(),
    })
    .into()
}

fn message(from: &Mailbox, mail: &Mail) -> Result<Message> {
    let to: Mailbox = mail
        .to
        .as_str()
        .parse()
        .context("a recipient address lettre cannot use")?;
    let message = Message::builder()
        .from(from.clone())
        .to(to)
        .subject(mail.subject.clone())
        .multipart(
            MultiPart::alternative()
                .singlepart(
                    SinglePart::builder()
                        .header(ContentType::TEXT_PLAIN)
                        .body(mail.text.clone()),
                )
                .singlepart(
                    SinglePart::builder()
                        .header(ContentType::TEXT_HTML)
                        .body(mail.html.clone()),
                ),
        )
        .context("building a mail message")?;
    Ok(message)
}
