//! Who is on the other end of a request, as far as rate limits and the audit log care.

use std::net::IpAddr;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Client {
    pub ip: IpAddr,
    /// The `User-Agent`, shortened: shown in the account's list of sessions.
    pub user_agent: Option<String>,
}

impl Client {
    const MAX_USER_AGENT: usize = 200;

    pub fn new(ip: IpAddr, user_agent: Option<&str>) -> Self {
        let user_agent = user_agent
            .map(|agent| agent.chars().take(Self::MAX_USER_AGENT).collect::<String>())
            .filter(|agent| !agent.trim().is_empty());
        Client { ip, user_agent }
    }
}

/// "Chrome on Linux" for the sessions list; `None` when the agent says nothing recognisable.
pub fn device_name(user_agent: &str) -> Option<String> {
    let parsed = woothee::parser::Parser::new().parse(user_agent)?;
    let known = |part: &str| {
        (!part.is_empty() && part != woothee::woothee::VALUE_UNKNOWN).then(|| part.to_owned())
    };
    match (known(parsed.name), known(parsed.os)) {
        (Some(browser), Some(os)) => Some(format!("{browser} on {os}")),
        (Some(browser), None) => Some(browser),
        (None, Some(os)) => Some(format!("A browser on {os}")),
        (None, None) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::device_name;

    #[test]
    fn names_the_browser_and_the_system() {
        let chrome = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36";
        assert_eq!(device_name(chrome).as_deref(), Some("Chrome on Linux"));
        let safari = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1";
        assert_eq!(device_name(safari).as_deref(), Some("Safari on iPhone"));
        assert_eq!(device_name("an-unknown-agent"), None);
    }
}
