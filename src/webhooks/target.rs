//! Where deliveries may go. A webhook URL is chosen by a super admin, but the server sends
//! the requests from inside the operator's network, so addresses that only make sense there
//! (loopback, private, link-local such as cloud metadata at 169.254.169.254, carrier-grade
//! NAT, unique-local IPv6) are refused unless the operator allows them
//! (`OIKOS_WEBHOOKS_ALLOW_PRIVATE=true`). The check runs twice: on the URL when an endpoint
//! is registered, and on every address the name resolves to when a delivery is sent, so a
//! name that later resolves inward (DNS rebinding) still reaches nothing private.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use ipnet::IpNet;
use url::{Host, Url};

/// How long a receiver has to answer.
pub const TIMEOUT: Duration = Duration::from_secs(10);

/// Networks no delivery reaches unless allowed (RFC 6890's special-purpose ranges that are
/// not globally reachable).
const INWARD: [&str; 16] = [
    "0.0.0.0/8",
    "10.0.0.0/8",
    "100.64.0.0/10",
    "127.0.0.0/8",
    "169.254.0.0/16",
    "172.16.0.0/12",
    "192.0.0.0/24",
    "192.168.0.0/16",
    "198.18.0.0/15",
    "224.0.0.0/3",
    "::/127",
    "64:ff9b::/96",
    "fc00::/7",
    "fe80::/10",
    "ff00::/8",
    "2001:db8::/32",
];

/// Whether `ip` is reachable on the public internet (an IPv4-mapped IPv6 address counts as
/// the IPv4 address it carries).
pub fn is_public(ip: IpAddr) -> bool {
    let ip = match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
        v4 => v4,
    };
    !INWARD.iter().any(|net| {
        net.parse::<IpNet>()
            .is_ok_and(|net: IpNet| net.contains(&ip))
    })
}

/// Why a URL cannot be an endpoint, in words for the form.
pub fn check_url(text: &str, allow_private: bool) -> Result<Url, &'static str> {
    let url = Url::parse(text.trim())
        .map_err(|_| "Enter a full URL, such as https://example.com/hooks.")?;
    if !matches!(url.scheme(), "https" | "http") {
        return Err("Use an http or https URL.");
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err("Leave credentials out of the URL: deliveries are signed instead.");
    }
    if allow_private {
        return Ok(url);
    }
    let inward = match url.host() {
        None => true,
        Some(Host::Ipv4(ip)) => !is_public(IpAddr::V4(ip)),
        Some(Host::Ipv6(ip)) => !is_public(IpAddr::V6(ip)),
        Some(Host::Domain(name)) => {
            let name = name.trim_end_matches('.').to_ascii_lowercase();
            name == "localhost" || name.ends_with(".localhost") || !name.contains('.')
        }
    };
    if inward {
        return Err("Use a public address: private and loopback addresses are refused.");
    }
    Ok(url)
}

/// The HTTP client deliveries are sent with: no redirects (a receiver could point them
/// inward), no proxy from the environment, a timeout, and unless `allow_private` a resolver
/// that drops inward addresses.
pub fn client(allow_private: bool) -> crate::Result<reqwest::Client> {
    let mut builder = reqwest::Client::builder()
        .user_agent(concat!("Oikos-Webhooks/", env!("CARGO_PKG_VERSION")))
        .redirect(reqwest::redirect::Policy::none())
        .no_proxy()
        .timeout(TIMEOUT);
    if !allow_private {
        builder = builder.dns_resolver(Arc::new(PublicOnly));
    }
    builder
        .build()
        .map_err(|err| anyhow::anyhow!("building the webhook client: {err}").into())
}

/// Resolves names with the system resolver and keeps only public addresses.
struct PublicOnly;

impl reqwest::dns::Resolve for PublicOnly {
    fn resolve(&self, name: reqwest::dns::Name) -> reqwest::dns::Resolving {
        let host = name.as_str().to_owned();
        Box::pin(async move {
            let found: Vec<SocketAddr> = tokio::net::lookup_host((host.as_str(), 0))
                .await?
                .filter(|addr| is_public(addr.ip()))
                .collect();
            if found.is_empty() {
                let refused = format!("{host} resolves to no public address");
                return Err(refused.into());
            }
            Ok(Box::new(found.into_iter()) as reqwest::dns::Addrs)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inward_addresses_are_not_public() {
        for ip in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "0.0.0.0",
            "::1",
            "fd00::1",
            "fe80::1",
            "::ffff:127.0.0.1",
            "::ffff:10.0.0.1",
        ] {
            assert!(!is_public(ip.parse().unwrap()), "{ip}");
        }
        for ip in ["93.184.216.34", "1.1.1.1", "2606:4700:4700::1111"] {
            assert!(is_public(ip.parse().unwrap()), "{ip}");
        }
    }

    #[test]
    fn private_and_loopback_urls_are_refused_unless_allowed() {
        for url in [
            "http://127.0.0.1:8080/hook",
            "http://localhost/hook",
            "http://api.localhost/hook",
            "http://[::1]/hook",
            "http://169.254.169.254/latest/meta-data",
            "http://10.0.0.5/hook",
            "http://intranet/hook",
            "http://[::ffff:192.168.0.1]/hook",
        ] {
            assert!(check_url(url, false).is_err(), "{url}");
            assert!(check_url(url, true).is_ok(), "{url} when allowed");
        }
        assert!(check_url("https://hooks.example.com/oikos", false).is_ok());
        assert!(check_url("ftp://example.com/", true).is_err());
        assert!(check_url("https://user:pw@example.com/", true).is_err());
        assert!(check_url("not a url", true).is_err());
    }
}
