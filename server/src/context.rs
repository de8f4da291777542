//! The request-context middleware: runs once per request, before any handler, and either
//! refuses the request (a `Host` this server does not serve) or puts an
//! [`oikos_web::request::RequestContext`] into the request's extensions for handlers and server
//! functions to read. `X-Forwarded-Host` is never read.
//!
//! In path mode (`OIKOS_TENANT_ROUTING=path`) [`route_tenant_paths`] runs before routing:
//! `/t/{slug}/rest` is portal `slug`'s `/rest`, so every route, page and server function
//! serves both modes unchanged.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

use axum::extract::{ConnectInfo, Request, State};
use axum::http::uri::PathAndQuery;
use axum::http::{header, HeaderMap, Method, StatusCode, Uri};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Router;
use ipnet::IpNet;
use oikos::links::{Links, TENANT_PATH_PREFIX};
use oikos::values::Slug;
use oikos::{AppContext, TenantRouting};
use oikos_web::request::{RequestContext, Site};
use oikos_web::ApiError;
use tower::ServiceExt as _;

/// What decides a request's site and client address; built once at start from configuration.
#[derive(Clone, Debug)]
pub struct HostRules {
    main_host: String,
    /// `.{OIKOS_DOMAIN}`, lowercase.
    tenant_suffix: String,
    trusted_proxies: Arc<[IpNet]>,
    links: Links,
}

impl HostRules {
    pub fn new(ctx: &AppContext) -> Self {
        HostRules {
            main_host: ctx.links.main_host().to_ascii_lowercase(),
            tenant_suffix: format!(".{}", ctx.links.domain().to_ascii_lowercase()),
            trusted_proxies: ctx.config.trusted_proxies.clone().into(),
            links: ctx.links.clone(),
        }
    }

    /// The site `host` names, or `None` for a host this server does not serve (in path
    /// mode, every portal is on the main host).
    fn site(&self, host: &str) -> Option<Site> {
        if host.eq_ignore_ascii_case(&self.main_host) {
            return Some(Site::Main);
        }
        if self.links.routing() == TenantRouting::Path {
            return None;
        }
        let split = host.len().checked_sub(self.tenant_suffix.len())?;
        let (label, suffix) = (host.get(..split)?, host.get(split..)?);
        if !suffix.eq_ignore_ascii_case(&self.tenant_suffix) || label.contains('.') {
            return None;
        }
        Slug::parse(&label.to_ascii_lowercase())
            .ok()
            .map(Site::Tenant)
    }

    /// The peer, unless it is a trusted proxy: then the nearest address in `X-Forwarded-For`
    /// that is not one of ours (addresses further left can be forged by the client).
    fn client_ip(&self, peer: IpAddr, headers: &HeaderMap) -> IpAddr {
        let trusted = |ip: &IpAddr| self.trusted_proxies.iter().any(|net| net.contains(ip));
        if !trusted(&peer) {
            return peer;
        }
        let forwarded = headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|value| value.to_str().ok())
            .flat_map(|value| value.split(','))
            .map(|item| item.trim().parse::<IpAddr>().ok())
            .collect::<Vec<_>>();
        // From the nearest hop outwards, while the hop that wrote it is ours; an entry that
        // is not an address ends the walk (what is left of it may come from the client).
        let mut client = peer;
        for hop in forwarded.into_iter().rev() {
            match hop {
                Some(ip) if trusted(&client) => client = ip,
                _ => break,
            }
        }
        client
    }
}

/// The portal a path-mode request is for, found by [`route_tenant_paths`].
#[derive(Clone, Debug)]
struct TenantPath(Slug);

/// In path mode, serves `router` behind a step that turns `/t/{slug}/rest` into `/rest` for
/// the portal `slug` (before routing, which a middleware inside the router cannot change).
pub fn route_tenant_paths(router: Router, links: &Links) -> Router {
    if links.routing() != TenantRouting::Path {
        return router;
    }
    Router::new().fallback_service(router.map_request(strip_tenant_path))
}

fn strip_tenant_path(mut request: Request) -> Request {
    if let Some((slug, rest)) = split_tenant_path(request.uri().path()) {
        let rest = match request.uri().query() {
            Some(query) => format!("{rest}?{query}"),
            None => rest.to_owned(),
        };
        let mut parts = request.uri().clone().into_parts();
        parts.path_and_query = PathAndQuery::try_from(rest).ok();
        if let Ok(uri) = Uri::from_parts(parts) {
            *request.uri_mut() = uri;
            request.extensions_mut().insert(TenantPath(slug));
        }
    } else if let Some(slug) = form_post_from_portal(&request) {
        request.extensions_mut().insert(TenantPath(slug));
    }
    request
}

/// `/t/{slug}/rest` as the slug and `/rest` (`/` for the portal's root).
fn split_tenant_path(path: &str) -> Option<(Slug, &str)> {
    let rest = path.strip_prefix(TENANT_PATH_PREFIX)?;
    let (label, rest) = rest.find('/').map_or((rest, "/"), |at| rest.split_at(at));
    Slug::parse(&label.to_ascii_lowercase())
        .ok()
        .map(|slug| (slug, rest))
}

/// A plain (no-JavaScript) form posts to its server function's fixed URL (`/api/…`), which
/// carries no portal: the page it was sent from names it, in `Referer` (sent for same-origin
/// requests under this site's `strict-origin-when-cross-origin`). Only server functions, and
/// only from this host; like `X-Tenant-Slug` it merely chooses among the caller's own
/// memberships, and the CSRF check has already required this origin.
fn form_post_from_portal(request: &Request) -> Option<Slug> {
    let path = request.uri().path();
    let server_fn = path.starts_with("/api/") && !path.starts_with("/api/v1/");
    if request.method() != Method::POST || !server_fn {
        return None;
    }
    let headers = request.headers();
    let host = headers.get(header::HOST)?.to_str().ok()?;
    let referer: Uri = headers.get(header::REFERER)?.to_str().ok()?.parse().ok()?;
    let same_host = referer
        .authority()
        .is_some_and(|authority| authority.as_str().eq_ignore_ascii_case(host));
    same_host
        .then(|| split_tenant_path(referer.path()))
        .flatten()
        .map(|(slug, _)| slug)
}

/// The portal whose page this request asks for: only pages show a portal's frame (not the
/// API, assets or server functions).
pub fn portal_page<'a>(site: &'a Site, path: &str) -> Option<&'a Slug> {
    let Site::Tenant(slug) = site else {
        return None;
    };
    let page = !["/api/", "/pkg/", "/auth/", "/branding", "/health"]
        .iter()
        .any(|prefix| path.starts_with(prefix));
    page.then_some(slug)
}

/// Health checks come from load balancers and orchestrators that address the server by IP.
const ANY_HOST_PATHS: &[&str] = &["/health"];

pub async fn resolve(
    State(rules): State<Arc<HostRules>>,
    mut request: Request,
    next: Next,
) -> Response {
    let host = request
        .headers()
        .get(header::HOST)
        .and_then(|host| host.to_str().ok())
        .or_else(|| request.uri().authority().map(|a| a.as_str()))
        .unwrap_or_default();
    let site = match rules.site(host) {
        Some(Site::Main) => match request.extensions().get::<TenantPath>() {
            Some(TenantPath(slug)) => Site::Tenant(slug.clone()),
            None => Site::Main,
        },
        Some(site) => site,
        None if ANY_HOST_PATHS.contains(&request.uri().path()) => Site::Main,
        None => {
            // 421: this server is not authoritative for that name (stops DNS rebinding).
            return ApiError::new(
                StatusCode::MISDIRECTED_REQUEST,
                "unknown_host",
                "This server does not serve that host name.",
            )
            .into_response();
        }
    };
    let mount = match &site {
        Site::Tenant(slug) => rules.links.mount(slug),
        Site::Main => String::new(),
    };
    // A portal's home is its dashboard (which sends visitors on to sign in).
    if matches!(site, Site::Tenant(_)) && request.uri().path() == "/" {
        let landing = format!("{mount}{}", oikos::identity::handoff::LANDING);
        return axum::response::Redirect::to(&landing).into_response();
    }
    let peer = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map_or(IpAddr::from([127, 0, 0, 1]), |info| info.0.ip());
    let context = RequestContext {
        site,
        request_id: request
            .headers()
            .get("x-request-id")
            .and_then(|id| id.to_str().ok())
            .unwrap_or_default()
            .to_owned(),
        client_ip: rules.client_ip(peer, request.headers()),
        user_agent: request
            .headers()
            .get(header::USER_AGENT)
            .and_then(|agent| agent.to_str().ok())
            .map(str::to_owned),
        tenant_header: ["x-tenant-slug", "x-tenant-id"]
            .into_iter()
            .find_map(|name| request.headers().get(name))
            .and_then(|value| value.to_str().ok())
            .map(str::to_owned),
        caller: None,
        portal: None,
        tenant: None,
        mount,
        portal_role: None,
        scope: Default::default(),
    };
    request.extensions_mut().insert(context);
    next.run(request).await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn links(routing: &str) -> Links {
        let config = oikos::Config::from_lookup(|name| match name {
            "OIKOS_BASE_URL" => Some("https://oikos.example".into()),
            "OIKOS_DOMAIN" => Some("oikos.example".into()),
            "OIKOS_TENANT_ROUTING" => Some(routing.into()),
            _ => None,
        })
        .unwrap();
        Links::new(&config)
    }

    fn rules(trusted: &[&str]) -> HostRules {
        HostRules {
            main_host: "oikos.example".into(),
            tenant_suffix: ".oikos.example".into(),
            trusted_proxies: trusted.iter().map(|n| n.parse().unwrap()).collect(),
            links: links("subdomain"),
        }
    }

    #[test]
    fn in_path_mode_portals_are_paths_of_the_main_host() {
        let rules = HostRules {
            links: links("path"),
            ..rules(&[])
        };
        assert_eq!(rules.site("oikos.example"), Some(Site::Main));
        assert_eq!(rules.site("salon.oikos.example"), None);
        let salon = Slug::parse("salon").unwrap();
        assert_eq!(
            split_tenant_path("/t/Salon/outlets/7"),
            Some((salon.clone(), "/outlets/7"))
        );
        assert_eq!(split_tenant_path("/t/salon"), Some((salon, "/")));
        for other in ["/tenants", "/t/", "/t/x/dashboard", "/api/t/salon"] {
            assert_eq!(split_tenant_path(other), None, "{other}");
        }
    }

    fn form_post(referer: &str, path: &str) -> Request {
        Request::post(path)
            .header(header::HOST, "oikos.example")
            .header(header::REFERER, referer)
            .body(axum::body::Body::empty())
            .unwrap()
    }

    #[test]
    fn a_plain_form_post_is_for_the_portal_it_was_sent_from() {
        let salon = Slug::parse("salon").unwrap();
        let from = "https://oikos.example/t/salon/settings";
        assert_eq!(
            form_post_from_portal(&form_post(from, "/api/portal/save_profile")),
            Some(salon)
        );
        // Not from this host, not a server function, or not from a portal: no portal.
        let away = "https://evil.example/t/salon/settings";
        assert_eq!(
            form_post_from_portal(&form_post(away, "/api/portal/save_profile")),
            None
        );
        assert_eq!(
            form_post_from_portal(&form_post(from, "/api/v1/outlets")),
            None
        );
        let main = "https://oikos.example/account";
        assert_eq!(
            form_post_from_portal(&form_post(main, "/api/auth/login")),
            None
        );
    }

    #[test]
    fn hosts_are_the_main_site_or_one_tenant_label() {
        let rules = rules(&[]);
        assert_eq!(rules.site("OIKOS.example"), Some(Site::Main));
        let salon = Slug::parse("salon").unwrap();
        assert_eq!(rules.site("Salon.oikos.example"), Some(Site::Tenant(salon)));
        for refused in [
            "evil.com",
            "a.b.oikos.example",
            "www.oikos.example",
            "oikos.example.evil.com",
            "x.oikos.example",
            "",
        ] {
            assert_eq!(rules.site(refused), None, "{refused}");
        }
    }

    #[test]
    fn forwarded_addresses_count_only_from_trusted_proxies() {
        let mut headers = HeaderMap::new();
        headers.insert(
            "x-forwarded-for",
            "6.6.6.6, 203.0.113.9, 10.0.0.2".parse().unwrap(),
        );
        let peer: IpAddr = "10.0.0.1".parse().unwrap();
        assert_eq!(rules(&[]).client_ip(peer, &headers), peer);
        let behind_proxies = rules(&["10.0.0.0/8"]);
        assert_eq!(
            behind_proxies.client_ip(peer, &headers),
            "203.0.113.9".parse::<IpAddr>().unwrap()
        );
        let outsider: IpAddr = "198.51.100.1".parse().unwrap();
        assert_eq!(behind_proxies.client_ip(outsider, &headers), outsider);
        // A hop that is not an address stops the walk: what is left of it is not believed.
        let mut garbled = HeaderMap::new();
        garbled.insert(
            "x-forwarded-for",
            "6.6.6.6, 203.0.113.9:443, 10.0.0.2".parse().unwrap(),
        );
        assert_eq!(
            behind_proxies.client_ip(peer, &garbled),
            "10.0.0.2".parse::<IpAddr>().unwrap()
        );
    }
}
