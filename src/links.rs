//! Links to Oikos, built from configuration only (`OIKOS_BASE_URL`, `OIKOS_DOMAIN`), never
//! from a request's `Host` or `X-Forwarded-Host`: a forged header cannot redirect a reset
//! link to another site.

use url::Url;

use crate::values::Slug;
use crate::Config;

#[derive(Clone, Debug)]
pub struct Links {
    base: Url,
    domain: String,
}

impl Links {
    pub fn new(config: &Config) -> Self {
        Links {
            base: config.base_url.clone(),
            domain: config.domain.clone(),
        }
    }

    /// A page of the main site: `main("/verify?token=…")`.
    pub fn main(&self, path_and_query: &str) -> String {
        let base = self.base.as_str().trim_end_matches('/');
        format!("{base}/{}", path_and_query.trim_start_matches('/'))
    }

    /// A page of a tenant's portal, on its subdomain with the main site's scheme.
    pub fn tenant(&self, slug: &Slug, path_and_query: &str) -> String {
        let path = path_and_query.trim_start_matches('/');
        format!("{}://{slug}.{}/{path}", self.base.scheme(), self.domain)
    }

    /// The main site's host (`host[:port]`), as requests for it carry in `Host`.
    pub fn main_host(&self) -> String {
        match (self.base.host_str(), self.base.port()) {
            (Some(host), Some(port)) => format!("{host}:{port}"),
            (Some(host), None) => host.to_owned(),
            (None, _) => self.domain.clone(),
        }
    }

    /// Every portal, as a Content-Security-Policy source: `https://*.oikos.example`.
    pub fn portals_source(&self) -> String {
        format!("{}://*.{}", self.base.scheme(), self.domain)
    }

    /// The base domain tenants live under (`OIKOS_DOMAIN`).
    pub fn domain(&self) -> &str {
        &self.domain
    }
}

/// `path` if it is a path on this host (`/…`; never `//host`, `/\host` or a full URL), so
/// that a redirect to it cannot leave the site.
pub fn local_path(path: &str) -> Option<&str> {
    let local = path.starts_with('/') && !path.starts_with("//") && !path.contains('\\');
    local.then_some(path)
}

#[cfg(test)]
mod tests {
    use super::*;

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
        assert_eq!(links.portals_source(), "https://*.oikos.example");
        let local = Config::from_lookup(|_| None).unwrap();
        assert_eq!(Links::new(&local).main_host(), "localhost:3000");
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
