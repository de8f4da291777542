//! Where deliveries may go. A webhook URL is chosen by a super admin, but the server sends
//! the requests from inside the operator's network, so addresses that only make sense there
//! (loopback, private, link-local such as cloud metadata at 169.254.169.254, carrier-grade
//! NAT, unique-local and site-local IPv6) are refused unless the operator allows them
//! (`OIKOS_WEBHOOKS_ALLOW_PRIVATE=true`). IPv6 can also spell an IPv4 address, and a
//! gateway or dual-stack socket may turn it back into one: IPv4-mapped addresses and the
//! well-known NAT64 prefix are judged by the IPv4 address they carry, while the other
//! forms (IPv4-compatible, IPv4-translated, local-use NAT64, 6to4, Teredo) are refused
//! outright, since where they lead depends on translators inside the network.
//! The check runs twice: on the URL when an endpoint is registered, and on every address
//! the name resolves to when a delivery is sent, so a name that later resolves inward
//! (DNS rebinding) still reaches nothing private.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use ipnet::IpNet;
use url::{Host, Url};

/// How long a receiver has to answer.
pub const TIMEOUT: Duration = Duration::from_secs(10);

/// Networks no delivery reaches unless allowed. These are the IANA special-purpose ranges
/// that are not globally reachable (what std's unstable `is_global` refuses), and a little
/// more: multicast, because a webhook is a unicast HTTP request; and the whole of
/// `192.0.0.0/24` and `2001::/23`, because the few globally reachable assignments in them
/// (protocol anycast, AMT relays, AS112 sinks, ORCHID identifiers) host no receiver.
/// IPv4-mapped and `64:ff9b::/96` addresses are missing on purpose: `is_public` unwraps
/// them first, so they are judged by the IPv4 ranges.
const INWARD: &[&str] = &[
    "0.0.0.0/8",       // "this network": the host itself on many stacks
    "10.0.0.0/8",      // private
    "100.64.0.0/10",   // shared address space: the provider's side of carrier-grade NAT
    "127.0.0.0/8",     // loopback
    "169.254.0.0/16",  // link-local: cloud metadata answers here
    "172.16.0.0/12",   // private
    "192.0.0.0/24",    // IETF protocol assignments
    "192.0.2.0/24",    // documentation: nobody should answer
    "192.168.0.0/16",  // private
    "198.18.0.0/15",   // benchmarking: lab networks
    "198.51.100.0/24", // documentation
    "203.0.113.0/24",  // documentation
    "224.0.0.0/4",     // multicast
    "240.0.0.0/4",     // reserved, with the limited broadcast address
    "::/96",           // IPv4-compatible (deprecated), with the unspecified and loopback addresses
    "::ffff:0:0:0/96", // IPv4-translated: where it leads is up to a local SIIT translator
    "64:ff9b:1::/48",  // local-use NAT64: the operator's own translator, any IPv4 behind it
    "100::/64",        // discard-only
    "2001::/23",       // IETF protocol assignments: Teredo, benchmarking, ORCHID and more
    "2001:db8::/32",   // documentation
    "2002::/16",       // 6to4: a relay unwraps it to whatever IPv4 address is inside
    "3fff::/20",       // documentation
    "5f00::/16",       // segment routing identifiers, meaningful only inside a domain
    "fc00::/7",        // unique local: the IPv6 private ranges
    "fe80::/10",       // link-local
    "fec0::/10",       // site-local (deprecated, still routed inside some sites)
    "ff00::/8",        // multicast
];

/// Whether `ip` is reachable on the public internet. An IPv6 address standing for an IPv4
/// one counts as that address, so a public NAT64 destination stays reachable while the
/// same trick cannot smuggle in loopback or a private address.
pub fn is_public(ip: IpAddr) -> bool {
    let ip = match ip {
        IpAddr::V6(v6) => carried_v4(v6).map_or(ip, IpAddr::V4),
        v4 => v4,
    };
    !INWARD.iter().any(|net| {
        net.parse::<IpNet>()
            .is_ok_and(|net: IpNet| net.contains(&ip))
    })
}

/// The IPv4 address an IPv6 address is delivered to as: IPv4-mapped (`::ffff:a.b.c.d`),
/// which dual-stack sockets send as plain IPv4, and the well-known NAT64 prefix
/// (`64:ff9b::/96`), which translators must only use for public IPv4 but need not check.
fn carried_v4(ip: Ipv6Addr) -> Option<Ipv4Addr> {
    if let Some(v4) = ip.to_ipv4_mapped() {
        return Some(v4);
    }
    match ip.segments() {
        [0x64, 0xff9b, 0, 0, 0, 0, _, _] => {
            let [.., a, b, c, d] = ip.octets();
            Some(Ipv4Addr::new(a, b, c, d))
        }
        _ => None,
    }
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
            // IPv6 spellings of IPv4 addresses
            "::127.0.0.1",
            "::808:808",
            "::ffff:0:7f00:1",
            "::ffff:0:808:808",
            "64:ff9b::7f00:1",
            "64:ff9b::a00:1",
            "64:ff9b::a9fe:a9fe",
            "64:ff9b:1::7f00:1",
            "64:ff9b:1::808:808",
            "2002:7f00:1::",
            "2002:808:808::1",
            "2001:0:4136:e378:8000:63bf:3fff:fdd2",
            // special-purpose ranges
            "::",
            "fec0::1",
            "fc00::1",
            "100::1",
            "2001:2::1",
            "2001:10::1",
            "2001:20::1",
            "2001:db8::1",
            "3fff::1",
            "5f00::1",
            "ff02::1",
            "ff0e::1",
            "100.127.255.255",
            "127.255.255.254",
            "192.0.0.8",
            "192.0.2.1",
            "198.18.0.1",
            "198.19.255.255",
            "198.51.100.1",
            "203.0.113.1",
            "224.0.0.1",
            "239.255.255.250",
            "240.0.0.1",
            "255.255.255.255",
        ] {
            assert!(!is_public(ip.parse().unwrap()), "{ip}");
        }
        for ip in [
            "93.184.216.34",
            "1.1.1.1",
            "2606:4700:4700::1111",
            "2001:4860:4860::8888",
            "64:ff9b::808:808",
            "::ffff:1.1.1.1",
        ] {
            assert!(is_public(ip.parse().unwrap()), "{ip}");
        }
    }

    #[test]
    fn every_inward_network_parses() {
        // An entry that fails to parse would silently let its range through.
        for net in INWARD {
            assert!(net.parse::<IpNet>().is_ok(), "{net}");
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
            "http://[::127.0.0.1]/hook",
            "http://[::ffff:0:7f00:1]/",
            "http://[64:ff9b::7f00:1]/",
            "http://[64:ff9b:1::7f00:1]/",
            "http://[2002:7f00:1::]/",
            "http://[fec0::1]/",
        ] {
            assert!(check_url(url, false).is_err(), "{url}");
            assert!(check_url(url, true).is_ok(), "{url} when allowed");
        }
        for url in [
            "https://hooks.example.com/oikos",
            "https://1.1.1.1/hook",
            "https://[2606:4700:4700::1111]/hook",
            "https://[64:ff9b::808:808]/hook",
        ] {
            assert!(check_url(url, false).is_ok(), "{url}");
        }
        assert!(check_url("ftp://example.com/", true).is_err());
        assert!(check_url("https://user:pw@example.com/", true).is_err());
        assert!(check_url("not a url", true).is_err());
    }
}
