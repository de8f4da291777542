//! The request-context middleware: runs once per request, before any handler, and either
//! refuses the request (a `Host` this server does not serve) or puts an
//! [`oikos_app::context::RequestContext`] into the request's extensions for handlers and server
//! functions to read. `X-Forwarded-Host` is never read.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

use axum::extract::{ConnectInfo, Request, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use ipnet::IpNet;
use oikos::values::Slug;
use oikos::AppContext;
use oikos_app::context::{RequestContext, Site};

use crate::error::ApiError;

/// What decides a request's site and client address; built once at start from configuration.
#[derive(Clone, Debug)]
pub struct HostRules {
    main_host: String,
    /// `.{OIKOS_DOMAIN}`, lowercase.
    tenant_suffix: String,
    trusted_proxies: Arc<[IpNet]>,
}

impl HostRules {
    pub fn new(ctx: &AppContext) -> Self {
        HostRules {
            main_host: ctx.links.main_host().to_ascii_lowercase(),
            tenant_suffix: format!(".{}", ctx.links.domain().to_ascii_lowercase()),
            trusted_proxies: ctx.config.trusted_proxies.clone().into(),
        }
    }

    /// The site `host` names, or `None` for a host this server does not serve.
    fn site(&self, host: &str) -> Option<Site> {
        let host = host.to_ascii_lowercase();
        if host == self.main_host {
            return Some(Site::Main);
        }
        let label = host.strip_suffix(&self.tenant_suffix)?;
        if label.contains('.') {
            return None;
        }
        Slug::parse(label).ok().map(Site::Tenant)
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

/// The tenant's name and branding for a portal's page header: only pages need them (not
/// the API, assets or server functions), and only an active tenant shows them (to the
/// public, others are 404).
async fn portal(
    db: &oikos::db::Db,
    site: &Site,
    path: &str,
) -> Option<(String, oikos::tenants::branding::Branding)> {
    let Site::Tenant(slug) = site else {
        return None;
    };
    let page = !["/api/", "/pkg/", "/auth/", "/branding", "/health"]
        .iter()
        .any(|prefix| path.starts_with(prefix));
    if !page {
        return None;
    }
    oikos::tenants::branding::portal(db, slug).await.ok()
}

/// Health checks come from load balancers and orchestrators that address the server by IP.
const ANY_HOST_PATHS: &[&str] = &["/health"];

pub async fn resolve(
    State((rules, db)): State<(HostRules, oikos::db::Db)>,
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
    // A portal's home is its dashboard (which sends visitors on to sign in).
    if matches!(site, Site::Tenant(_)) && request.uri().path() == "/" {
        return axum::response::Redirect::to(oikos::identity::handoff::LANDING).into_response();
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
    };
    let context = RequestContext {
        portal: portal(&db, &context.site, request.uri().path()).await,
        ..context
    };
    request.extensions_mut().insert(context);
    next.run(request).await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules(trusted: &[&str]) -> HostRules {
        HostRules {
            main_host: "oikos.example".into(),
            tenant_suffix: ".oikos.example".into(),
            trusted_proxies: trusted.iter().map(|n| n.parse().unwrap()).collect(),
        }
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
