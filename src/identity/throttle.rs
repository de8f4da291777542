//! The rate limits of the identity endpoints, in one place.
//!
//! Clients are counted by network: an IPv4 address, or an IPv6 client's /64 (one subscriber's
//! whole allocation; counting single IPv6 addresses would give each client billions of fresh
//! counters).
//!
//! Sign-in has three: per client network, a limit that blocks (a guesser from one network is
//! stopped for minutes); per account *from one network*, a smaller one that slows; and per
//! account across every network, a cap of failed sign-ins an hour past which each network
//! gets one attempt on that account every five minutes. A flood of wrong passwords against an
//! account from anywhere else never locks its owner out: the owner's own network has its own
//! counters, and its first attempt always goes through.

use std::net::IpAddr;
use std::time::Duration;

use crate::db::Db;
use crate::rate_limits::{self, Limit};
use crate::values::Email;
use crate::Result;

/// Failed sign-ins an hour to one account, from anywhere, before every network is slowed.
pub(crate) const FAILURE_CAP: u32 = 50;
const HOUR: Duration = Duration::from_secs(3600);

const fn per(hits: u32, secs: u64) -> Limit {
    Limit {
        hits,
        window: Duration::from_secs(secs),
    }
}

/// The network a client is counted as: the IPv4 address (also when it comes IPv4-mapped),
/// or the /64 an IPv6 address lies in.
pub(crate) fn network(ip: IpAddr) -> String {
    match ip {
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => v4.to_string(),
            None => {
                let [a, b, c, d, ..] = v6.segments();
                format!("{a:x}:{b:x}:{c:x}:{d:x}::/64")
            }
        },
    }
}

pub(crate) async fn login(db: &Db, ip: IpAddr, email: &str) -> Result<()> {
    let net = network(ip);
    rate_limits::hit(db, &format!("login:ip:{net}"), per(30, 600)).await?;
    let account = crate::values::fold(email.trim());
    if rate_limits::count(db, &failures_key(&account), HOUR).await? >= FAILURE_CAP {
        let key = format!("login:capped:{account}:ip:{net}");
        return rate_limits::hit(db, &key, per(1, 300)).await;
    }
    rate_limits::hit(db, &format!("login:account:{account}:ip:{net}"), per(5, 60)).await
}

/// Counts a failed sign-in to the account `email` names, from wherever it came.
pub(crate) async fn login_failed(db: &Db, email: &str) -> Result<()> {
    let account = crate::values::fold(email.trim());
    let uncapped = Limit {
        hits: u32::MAX,
        window: HOUR,
    };
    rate_limits::hit(db, &failures_key(&account), uncapped).await
}

fn failures_key(account: &str) -> String {
    format!("login:failures:{account}")
}

pub(crate) async fn sign_up(db: &Db, ip: IpAddr) -> Result<()> {
    let net = network(ip);
    rate_limits::hit(db, &format!("sign_up:ip:{net}"), per(10, 3600)).await
}

/// Reset requests and verification resends: each sends a mail, so fewer.
pub(crate) async fn mail_request(db: &Db, kind: &str, ip: IpAddr, email: &Email) -> Result<()> {
    let net = network(ip);
    rate_limits::hit(db, &format!("{kind}:ip:{net}"), per(10, 3600)).await?;
    rate_limits::hit(db, &format!("{kind}:account:{email}"), per(3, 3600)).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db_test;
    use crate::testing::TestDb;
    use crate::Error;

    #[test]
    fn an_ipv6_client_is_counted_by_its_64() {
        let net = |ip: &str| network(ip.parse().unwrap());
        assert_eq!(net("2001:db8:1:2:aaaa::1"), "2001:db8:1:2::/64");
        assert_eq!(
            net("2001:db8:1:2:ffff:ffff:ffff:ffff"),
            net("2001:db8:1:2::9")
        );
        assert_ne!(net("2001:db8:1:3::1"), net("2001:db8:1:2::1"));
        assert_eq!(net("::ffff:203.0.113.9"), "203.0.113.9");
        assert_eq!(net("203.0.113.9"), "203.0.113.9");
    }

    db_test! {
        async fn addresses_of_one_ipv6_network_share_its_limit(db: TestDb) {
            for i in 0..30 {
                let ip = format!("2001:db8:1:2::{:x}", i + 1).parse().unwrap();
                login(&db, ip, &format!("user{i}@example.com")).await.unwrap();
            }
            let same_network = "2001:db8:1:2:ffff::1".parse().unwrap();
            let blocked = login(&db, same_network, "other@example.com").await;
            assert!(matches!(blocked, Err(Error::RateLimited { .. })), "{blocked:?}");
            let next_network = "2001:db8:1:3::1".parse().unwrap();
            login(&db, next_network, "other@example.com").await.unwrap();
        }
    }

    db_test! {
        async fn past_the_hourly_cap_of_failures_an_account_is_slowed_never_locked(db: TestDb) {
            for i in 0..FAILURE_CAP {
                let ip = format!("198.18.{}.{}", i / 200, i % 200 + 1).parse().unwrap();
                login(&db, ip, "ann@example.com").await.unwrap();
                login_failed(&db, "Ann@Example.com").await.unwrap();
            }
            // The owner's own network: the first attempt goes through, the next waits.
            let owner = "203.0.113.9".parse().unwrap();
            login(&db, owner, "ann@example.com").await.unwrap();
            let slowed = login(&db, owner, "ann@example.com").await;
            assert!(matches!(slowed, Err(Error::RateLimited { .. })), "{slowed:?}");
            // Other accounts keep their five a minute from that network.
            for _ in 0..5 {
                login(&db, owner, "bob@example.com").await.unwrap();
            }
        }
    }
}
