//! The rate limits of the identity endpoints, in one place.
//!
//! Sign-in has two: per client address, a limit that blocks (a guesser from one address is
//! stopped for minutes), and per account *from one address*, a smaller one that slows. A
//! flood of wrong passwords against an account from anywhere else never locks its owner
//! out: the owner's own address has its own counters.

use std::net::IpAddr;
use std::time::Duration;

use crate::db::Db;
use crate::rate_limits::{self, Limit};
use crate::values::Email;
use crate::Result;

const fn per(hits: u32, secs: u64) -> Limit {
    Limit {
        hits,
        window: Duration::from_secs(secs),
    }
}

pub(crate) async fn login(db: &Db, ip: IpAddr, email: &str) -> Result<()> {
    rate_limits::hit(db, &format!("login:ip:{ip}"), per(30, 600)).await?;
    let account = crate::values::fold(email.trim());
    rate_limits::hit(db, &format!("login:account:{account}:ip:{ip}"), per(5, 60)).await
}

pub(crate) async fn sign_up(db: &Db, ip: IpAddr) -> Result<()> {
    rate_limits::hit(db, &format!("sign_up:ip:{ip}"), per(10, 3600)).await
}

/// Reset requests and verification resends: each sends a mail, so fewer.
pub(crate) async fn mail_request(db: &Db, kind: &str, ip: IpAddr, email: &Email) -> Result<()> {
    rate_limits::hit(db, &format!("{kind}:ip:{ip}"), per(10, 3600)).await?;
    rate_limits::hit(db, &format!("{kind}:account:{email}"), per(3, 3600)).await
}
