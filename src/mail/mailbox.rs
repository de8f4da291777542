//! Reading the local mailbox (the `.eml` files written when no `SMTP_URL` is set), for the
//! super admin's mailbox page.

use std::path::Path;

use anyhow::Context as _;
use mailparse::MailHeaderMap as _;

use super::Transport;
use crate::tenancy::AdminScope;
use crate::{AppContext, Result};

/// One mail as the page lists it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Letter {
    pub to: String,
    pub subject: String,
    pub date: String,
    /// The plain-text part.
    pub text: String,
}

/// What the mailbox page shows: where mail goes, and the newest `limit` local mails.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Mailbox {
    /// `SMTP_URL` is set: mail leaves the server, nothing is kept here.
    Smtp,
    Local(Vec<Letter>),
}

/// The local mailbox, newest first (the files are named by UUIDv7, which sorts by time).
pub fn read(ctx: &AppContext, _by: &AdminScope, limit: usize) -> Result<Mailbox> {
    let Transport::Mailbox { dir, .. } = &ctx.mail_transport else {
        return Ok(Mailbox::Smtp);
    };
    let mut names: Vec<_> = match std::fs::read_dir(dir) {
        Ok(entries) => entries
            .filter_map(|entry| entry.ok().map(|e| e.path()))
            .filter(|path| path.extension().is_some_and(|ext| ext == "eml"))
            .collect(),
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => Vec::new(),
        Err(err) => {
            return Err(anyhow::Error::from(err)
                .context("reading the mailbox")
                .into())
        }
    };
    names.sort();
    names.reverse();
    let letters = names
        .iter()
        .take(limit)
        .map(|path| letter(path))
        .collect::<Result<_>>()?;
    Ok(Mailbox::Local(letters))
}

pub(crate) fn letter(path: &Path) -> Result<Letter> {
    let raw = std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
    let parsed =
        mailparse::parse_mail(&raw).with_context(|| format!("parsing {}", path.display()))?;
    let header = |name: &str| parsed.headers.get_first_value(name).unwrap_or_default();
    let text = std::iter::once(&parsed)
        .chain(parsed.subparts.iter())
        .find(|part| part.ctype.mimetype == "text/plain")
        .map(|part| part.get_body())
        .transpose()
        .context("decoding a mail body")?
        .unwrap_or_default()
        // Mail travels with CRLF line ends; the page shows plain lines.
        .replace("\r\n", "\n");
    Ok(Letter {
        to: header("To"),
        subject: header("Subject"),
        date: header("Date"),
        text,
    })
}
