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
