//! Links to Oikos, built from configuration only (`OIKOS_BASE_URL`, `OIKOS_DOMAIN`), never
//! from a request's `Host` or `X-Forwarded-Host`: a forged header cannot redirect a reset
//! link to another site.

use url::Url;

use crate::values::Slug;
use crate::{Config, TenantRouting};

/// In path mode, a portal's pages live under `/t/{slug}` on the main host.
pub const TENANT_PATH_PREFIX: &str = "/t/";

#[derive(Clone, Debug)]
pub struct Links {
    base: Url,
    domain: String,
    routing: TenantRouting,
}

impl Links {
    pub fn new(config: &Config) -> Self {
        Links {
            base: config.base_url.clone(),
            domain: config.domain.clone(),
            routing: config.tenant_routing,
        }
    }

    pub fn routing(&self) -> TenantRouting {
        self.routing
    }

    /// Where a portal's paths start on its host: `/t/{slug}` in path mode, otherwise the
    /// root of its own subdomain (`""`).
    pub fn mount(&self, slug: &Slug) -> String {
        match self.routing {
            TenantRouting::Subdomain => String::new(),
            TenantRouting::Path => format!("{TENANT_PATH_PREFIX}{slug}"),
        }
    }

    /// A page of the main site: `main("/verify?token=…")`.
    pub fn main(&self, path_and_query: &str) -> String {
        let base = self.base.as_str().trim_end_matches('/');
        format!("{base}/{}", path_and_query.trim_start_matches('/'))
    }

    /// A page of a tenant's portal: on its subdomain with the main site's scheme, or under
    /// its path on the main site.
    pub fn tenant(&self, slug: &Slug, path_and_query: &str) -> String {
        let path = path_and_query.trim_start_matches('/');
        match self.routing {
            TenantRouting::Subdomain => {
                format!("{}://{slug}.{}/{path}", self.base.scheme(), self.domain)
            }
            TenantRouting::Path => self.main(&format!("{}/{path}", self.mount(slug))),
        }
    }

    /// What comes before and after a slug in a portal's address, for previews while a name
    /// is typed: `("", ".oikos.example")`, or `("oikos.example/t/", "")` in path mode.
    pub fn portal_address_affixes(&self) -> (String, String) {
        match self.routing {
            TenantRouting::Subdomain => (String::new(), format!(".{}", self.domain)),
            TenantRouting::Path => (
                format!("{}{TENANT_PATH_PREFIX}", self.main_host()),
                String::new(),
            ),
        }
    }

    /// The main site's host (`host[:port]`), as requests for it carry in `Host`.
    pub fn main_host(&self) -> String {
        match (self.base.host_str(), self.base.port()) {
            (Some(host), Some(port)) => format!("{host}:{port}"),
            (Some(host), None) => host.to_owned(),
            (None, _) => self.domain.clone(),
        }
    }

    /// Where a form's answer may send the browser besides its own origin, as
    /// Content-Security-Policy sources: the main site and every portal
    /// (`https://oikos.example https://*.oikos.example`); a portal's form may lead back to the
    /// main site (ending an impersonation). None in path mode, where both share one origin.
    pub fn form_targets(&self) -> Option<String> {
        (self.routing == TenantRouting::Subdomain).then(|| {
            let main = self.base.origin().ascii_serialization();
            format!("{main} {}://*.{}", self.base.scheme(), self.domain)
        })
    }

    /// Whether `url` is a page of this installation (the main site or a portal): a `Referer`
    /// naming one shows that a navigation began on the site itself.
    pub fn is_own_site(&self, url: &str) -> bool {
        let Ok(url) = Url::parse(url) else {
            return false;
        };
        let host = match (url.host_str(), url.port()) {
            (Some(host), Some(port)) => format!("{host}:{port}"),
            (Some(host), None) => host.to_owned(),
            (None, _) => return false,
        };
        host == self.main_host()
            || host == self.domain
            || host.ends_with(&format!(".{}", self.domain))
    }

    /// The base domain tenants live under (`OIKOS_DOMAIN`).
    pub fn domain(&self) -> &str {
        &self.domain
    }
}

/// `path` if it is a path on this host, so that a redirect to it cannot leave the site.
/// Browsers drop tabs and newlines from a URL and read `\` as `/`, so `/\t/evil.example`
/// reaches `//evil.example`: any control character, whitespace or backslash refuses it;
/// what remains must resolve, as a browser resolves it, to this very origin.
pub fn local_path(path: &str) -> Option<&str> {
    let unsafe_char = |c: char| c.is_control() || c.is_whitespace() || c == '\\';
    if !path.starts_with('/') || path.chars().any(unsafe_char) {
        return None;
    }
    let base = Url::parse("http://oikos.invalid/").ok()?;
    let resolved = base.join(path).ok()?;
    (resolved.origin() == base.origin()).then_some(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_paths_on_this_site_are_redirect_targets() {
        for path in [
            "/dashboard",
            "/t/salon/team?tab=2",
            "/a//b",
            "/%09/evil.example",
            "/",
        ] {
            assert_eq!(local_path(path), Some(path), "{path}");
        }
        for path in [
            "//evil.example",
            "/\\evil.example",
            "/\t/evil.example",
            "/\n/evil.example",
            "/\r//evil.example",
            "/ /evil.example",
            "/\u{0}/evil.example",
            "/\u{a0}/evil.example",
            "https://evil.example/",
            "evil.example",
            "",
            "\t//evil.example",
        ] {
            assert_eq!(local_path(path), None, "{path:?}");
        }
    }

    #[test]
    fn links_come_from_the_configuration() {
        let config = Config::from_lookup(|name| match name {
            "OIKOS_BASE_URL" => Some("https://oikos.example/".into()),
            "OIKOS_DOMAIN" => Some("oikos.example".into()),
            _ => None,
        })
        .unwrap();
        let links = Links::new(&config);
        assert_eq!(
            links.main("/verify?token=abc"),
            "https://oikos.example/verify?token=abc"
        );
        let salon = Slug::parse("salon").unwrap();
        assert_eq!(
            links.tenant(&salon, "dashboard"),
            "https://salon.oikos.example/dashboard"
        );
        assert_eq!(links.main_host(), "oikos.example");
        assert_eq!(
            links.form_targets().as_deref(),
            Some("https://oikos.example https://*.oikos.example")
        );
        assert_eq!(links.mount(&salon), "");
        let (before, after) = links.portal_address_affixes();
        assert_eq!(format!("{before}salon{after}"), "salon.oikos.example");
        let local = Config::from_lookup(|_| None).unwrap();
        assert_eq!(Links::new(&local).main_host(), "localhost:3000");
    }

    #[test]
    fn in_path_mode_portals_live_under_the_main_site() {
        let config = Config::from_lookup(|name| match name {
            "OIKOS_BASE_URL" => Some("https://oikos.example/".into()),
            "OIKOS_TENANT_ROUTING" => Some("path".into()),
            _ => None,
        })
        .unwrap();
        let links = Links::new(&config);
        let salon = Slug::parse("salon").unwrap();
        assert_eq!(
            links.tenant(&salon, "/auth/handoff?token=t"),
            "https://oikos.example/t/salon/auth/handoff?token=t"
        );
        assert_eq!(links.mount(&salon), "/t/salon");
        assert_eq!(links.form_targets(), None);
        let (before, after) = links.portal_address_affixes();
        assert_eq!(format!("{before}salon{after}"), "oikos.example/t/salon");
    }

    #[test]
    fn only_paths_on_this_host_are_local() {
        assert_eq!(local_path("/dashboard?x=1"), Some("/dashboard?x=1"));
        for away in [
            "//evil.test",
            "/\\evil.test",
            "https://evil.test",
            "dashboard",
            "",
        ] {
            assert_eq!(local_path(away), None, "{away}");
        }
    }
}
