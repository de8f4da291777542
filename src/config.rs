//! Configuration, read once from environment variables in `main` and passed in.
//!
//! Every variable has a working default except secrets (see `.env.example`). Nothing here is
//! global: tests build a [`Config`] from a map with [`Config::from_lookup`].

use std::net::SocketAddr;
use std::path::PathBuf;

use ipnet::IpNet;
use secrecy::SecretString;
use url::Url;

use crate::db::DatabaseConfig;

/// The sender when `MAIL_FROM` is unset (and of the local mailbox).
pub const DEFAULT_MAIL_FROM: &str = "Oikos <no-reply@localhost>";

#[derive(Debug, thiserror::Error)]
#[error("{variable}: {message}")]
pub struct ConfigError {
    pub variable: &'static str,
    pub message: String,
}

#[derive(Clone, Debug)]
pub struct Config {
    /// `DATABASE_URL` and `DATABASE_MIGRATION_URL`, both secrets.
    pub database: DatabaseConfig,
    /// Listen address (`LEPTOS_SITE_ADDR`, Leptos' own variable).
    pub site_addr: SocketAddr,
    /// The management listener for `/metrics` (`OIKOS_METRICS_ADDR`).
    pub metrics_addr: SocketAddr,
    /// Peers whose `X-Forwarded-For` is believed (`OIKOS_TRUSTED_PROXIES`).
    pub trusted_proxies: Vec<IpNet>,
    /// Built site (`/pkg` assets) to serve (`LEPTOS_SITE_ROOT`, Leptos' own variable).
    pub site_root: PathBuf,
    /// Base domain; tenants live at `{slug}.{domain}`.
    pub domain: String,
    /// Where portals live (`OIKOS_TENANT_ROUTING`): on subdomains, or under `/t/{slug}` on
    /// the main host for installs without wildcard DNS or certificates.
    pub tenant_routing: TenantRouting,
    /// Public URL of the main site, the only base for links in mail.
    pub base_url: Url,
    /// Folder for the embedded database, the generated session secret and the local mailbox.
    pub data_dir: PathBuf,
    /// Plans file; `None` uses the plans bundled with the binary.
    pub plans_file: Option<PathBuf>,
    pub first_superuser: Option<FirstSuperuser>,
    pub smtp: Option<SmtpConfig>,
    pub stripe: Option<StripeConfig>,
    pub google: Option<GoogleConfig>,
    /// `None`: generated on first start and kept in the data folder (SQLite only).
    pub session_secret: Option<SecretString>,
    /// `SESSION_SECRET_PREVIOUS`: still accepted when verifying, during a rotation.
    pub previous_session_secret: Option<SecretString>,
    pub log_format: LogFormat,
    /// `OIKOS_WEBHOOKS_ALLOW_PRIVATE=true`: webhooks may go to private and loopback addresses
    /// (an install whose receivers are on its own network; the tests).
    pub webhooks_allow_private: bool,
}

#[derive(Clone, Debug)]
pub struct FirstSuperuser {
    pub email: String,
    pub password: SecretString,
}

#[derive(Clone, Debug)]
pub struct SmtpConfig {
    pub url: SecretString,
    pub from: String,
}

#[derive(Clone, Debug)]
pub struct StripeConfig {
    pub secret_key: SecretString,
    pub webhook_secret: Option<SecretString>,
    pub api_base: Url,
    /// `pk_…`: lets the billing page add cards with Stripe.js.
    pub publishable_key: Option<String>,
    /// Where pages load Stripe.js from (localstripe serves a stand-in at `/js.stripe.com/v3/`).
    pub js_url: Url,
}

impl StripeConfig {
    /// The origins a page that adds cards talks to: Stripe.js's (scripts, frames) and the
    /// API's (its requests), for the page's Content-Security-Policy.
    pub fn browser_origins(&self) -> Option<(String, String)> {
        self.publishable_key.as_ref()?;
        let origin = |url: &Url| url.origin().ascii_serialization();
        Some((origin(&self.js_url), origin(&self.api_base)))
    }
}

#[derive(Clone, Debug)]
pub struct GoogleConfig {
    pub client_id: String,
    pub client_secret: SecretString,
    pub issuer_url: Url,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum TenantRouting {
    /// `{slug}.{OIKOS_DOMAIN}`.
    #[default]
    Subdomain,
    /// `{OIKOS_BASE_URL}/t/{slug}/…`.
    Path,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LogFormat {
    Json,
    Pretty,
}

impl Config {
    /// Reads the process environment.
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// Reads variables through `lookup`; empty values count as unset.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let vars = Vars(&lookup);
        Ok(Config {
            database: DatabaseConfig {
                url: SecretString::from(vars.or("DATABASE_URL", "sqlite://data/oikos.db?mode=rwc")),
                migration_url: vars.secret("DATABASE_MIGRATION_URL"),
            },
            site_addr: vars.parse("LEPTOS_SITE_ADDR", "127.0.0.1:3000")?,
            metrics_addr: vars.parse("OIKOS_METRICS_ADDR", "127.0.0.1:9464")?,
            trusted_proxies: trusted_proxies(&vars)?,
            site_root: vars.or("LEPTOS_SITE_ROOT", "target/site").into(),
            domain: vars.or("OIKOS_DOMAIN", "localhost:3000"),
            tenant_routing: match vars.or("OIKOS_TENANT_ROUTING", "subdomain").as_str() {
                "subdomain" => TenantRouting::Subdomain,
                "path" => TenantRouting::Path,
                other => return Err(invalid("OIKOS_TENANT_ROUTING", other, "subdomain or path")),
            },
            base_url: vars.parse("OIKOS_BASE_URL", "http://localhost:3000")?,
            data_dir: vars.or("OIKOS_DATA_DIR", "data").into(),
            plans_file: vars.get("OIKOS_PLANS_FILE").map(PathBuf::from),
            first_superuser: first_superuser(&vars)?,
            smtp: smtp(&vars),
            stripe: stripe(&vars)?,
            google: google(&vars)?,
            session_secret: vars.secret("SESSION_SECRET"),
            previous_session_secret: vars.secret("SESSION_SECRET_PREVIOUS"),
            log_format: match vars.or("OIKOS_LOG_FORMAT", "json").as_str() {
                "json" => LogFormat::Json,
                "pretty" => LogFormat::Pretty,
                other => return Err(invalid("OIKOS_LOG_FORMAT", other, "json or pretty")),
            },
            webhooks_allow_private: vars.parse("OIKOS_WEBHOOKS_ALLOW_PRIVATE", "false")?,
        })
    }

    /// Whether the public site is served over https (then HSTS is sent).
    pub fn is_https(&self) -> bool {
        self.base_url.scheme() == "https"
    }
}

fn first_superuser(vars: &Vars) -> Result<Option<FirstSuperuser>, ConfigError> {
    match (
        vars.get("FIRST_SUPERUSER_EMAIL"),
        vars.secret("FIRST_SUPERUSER_PASSWORD"),
    ) {
        (Some(email), Some(password)) => Ok(Some(FirstSuperuser { email, password })),
        (None, None) => Ok(None),
        (Some(_), None) => Err(missing("FIRST_SUPERUSER_PASSWORD", "FIRST_SUPERUSER_EMAIL")),
        (None, Some(_)) => Err(missing("FIRST_SUPERUSER_EMAIL", "FIRST_SUPERUSER_PASSWORD")),
    }
}

/// Comma-separated addresses or networks (`10.0.0.1, 192.168.0.0/16`).
fn trusted_proxies(vars: &Vars) -> Result<Vec<IpNet>, ConfigError> {
    let Some(list) = vars.get("OIKOS_TRUSTED_PROXIES") else {
        return Ok(Vec::new());
    };
    list.split(',')
        .map(str::trim)
        .filter(|item| !item.is_empty())
        .map(|item| {
            item.parse::<IpNet>()
                .or_else(|_| item.parse::<std::net::IpAddr>().map(IpNet::from))
                .map_err(|_| {
                    invalid(
                        "OIKOS_TRUSTED_PROXIES",
                        item,
                        "IP addresses or CIDR networks",
                    )
                })
        })
        .collect()
}

fn smtp(vars: &Vars) -> Option<SmtpConfig> {
    let url = vars.secret("SMTP_URL")?;
    Some(SmtpConfig {
        url,
        from: vars.or("MAIL_FROM", DEFAULT_MAIL_FROM),
    })
}

fn stripe(vars: &Vars) -> Result<Option<StripeConfig>, ConfigError> {
    let Some(secret_key) = vars.secret("STRIPE_SECRET_KEY") else {
        return Ok(None);
    };
    Ok(Some(StripeConfig {
        secret_key,
        webhook_secret: vars.secret("STRIPE_WEBHOOK_SECRET"),
        api_base: vars.parse("STRIPE_API_BASE", "https://api.stripe.com")?,
        publishable_key: vars.get("STRIPE_PUBLISHABLE_KEY"),
        js_url: vars.parse("STRIPE_JS_URL", "https://js.stripe.com/v3/")?,
    }))
}

fn google(vars: &Vars) -> Result<Option<GoogleConfig>, ConfigError> {
    let (Some(client_id), Some(client_secret)) = (
        vars.get("GOOGLE_CLIENT_ID"),
        vars.secret("GOOGLE_CLIENT_SECRET"),
    ) else {
        return Ok(None);
    };
    Ok(Some(GoogleConfig {
        client_id,
        client_secret,
        issuer_url: vars.parse("OIDC_ISSUER_URL", "https://accounts.google.com")?,
    }))
}

struct Vars<'a>(&'a dyn Fn(&str) -> Option<String>);

impl Vars<'_> {
    fn get(&self, name: &str) -> Option<String> {
        (self.0)(name).filter(|value| !value.trim().is_empty())
    }

    fn or(&self, name: &str, default: &str) -> String {
        self.get(name).unwrap_or_else(|| default.to_owned())
    }

    fn secret(&self, name: &str) -> Option<SecretString> {
        self.get(name).map(SecretString::from)
    }

    fn parse<T: std::str::FromStr>(
        &self,
        name: &'static str,
        default: &str,
    ) -> Result<T, ConfigError>
    where
        T::Err: std::fmt::Display,
    {
        let value = self.or(name, default);
        value
            .parse()
            .map_err(|err: T::Err| invalid(name, &value, &err.to_string()))
    }
}

fn invalid(variable: &'static str, value: &str, expected: &str) -> ConfigError {
    ConfigError {
        variable,
        message: format!("{value:?} is not valid ({expected})"),
    }
}

fn missing(variable: &'static str, because: &str) -> ConfigError {
    ConfigError {
        variable,
        message: format!("must be set when {because} is set"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use secrecy::ExposeSecret;
    use std::collections::HashMap;

    fn config(vars: &[(&str, &str)]) -> Result<Config, ConfigError> {
        let vars: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Config::from_lookup(|name| vars.get(name).cloned())
    }

    #[test]
    fn nothing_set_gives_the_documented_defaults() {
        let config = config(&[]).unwrap();
        assert_eq!(
            config.database.url.expose_secret(),
            "sqlite://data/oikos.db?mode=rwc"
        );
        assert!(config.database.migration_url.is_none());
        assert_eq!(config.metrics_addr.to_string(), "127.0.0.1:9464");
        assert!(config.trusted_proxies.is_empty());
        assert_eq!(config.site_addr.to_string(), "127.0.0.1:3000");
        assert_eq!(config.domain, "localhost:3000");
        assert_eq!(config.base_url.as_str(), "http://localhost:3000/");
        assert_eq!(config.tenant_routing, TenantRouting::Subdomain);
        assert!(config.stripe.is_none() && config.google.is_none() && config.smtp.is_none());
        assert!(config.first_superuser.is_none() && config.session_secret.is_none());
        assert!(!config.is_https());
    }

    #[test]
    fn portals_live_on_subdomains_or_under_paths() {
        let routing = |value| config(&[("OIKOS_TENANT_ROUTING", value)]).map(|c| c.tenant_routing);
        assert_eq!(routing("path").unwrap(), TenantRouting::Path);
        assert_eq!(routing("subdomain").unwrap(), TenantRouting::Subdomain);
        let refused = routing("paths").unwrap_err();
        assert_eq!(refused.variable, "OIKOS_TENANT_ROUTING");
    }

    #[test]
    fn optional_services_are_on_when_their_secrets_are_set() {
        let config = config(&[
            ("STRIPE_SECRET_KEY", "sk_test_1"),
            ("STRIPE_API_BASE", "http://127.0.0.1:8420"),
            ("GOOGLE_CLIENT_ID", "id"),
            ("GOOGLE_CLIENT_SECRET", "secret"),
            ("SMTP_URL", "smtp://127.0.0.1:2525"),
            ("OIKOS_BASE_URL", "https://oikos.example"),
        ])
        .unwrap();
        let stripe = config.stripe.as_ref().unwrap();
        assert_eq!(stripe.secret_key.expose_secret(), "sk_test_1");
        assert_eq!(stripe.api_base.as_str(), "http://127.0.0.1:8420/");
        assert_eq!(
            config.google.as_ref().unwrap().issuer_url.as_str(),
            "https://accounts.google.com/"
        );
        assert_eq!(
            config.smtp.as_ref().unwrap().from,
            "Oikos <no-reply@localhost>"
        );
        assert!(config.is_https());
    }

    #[test]
    fn bad_values_name_the_variable() {
        let err = config(&[("LEPTOS_SITE_ADDR", "nowhere")]).unwrap_err();
        assert_eq!(err.variable, "LEPTOS_SITE_ADDR");
        let err = config(&[("FIRST_SUPERUSER_EMAIL", "root@example.com")]).unwrap_err();
        assert_eq!(err.variable, "FIRST_SUPERUSER_PASSWORD");
    }

    #[test]
    fn secrets_are_redacted_in_debug_output() {
        let config = config(&[
            ("SESSION_SECRET", "hunter2hunter2"),
            ("DATABASE_URL", "postgres://app:dbpass99@db/oikos"),
            (
                "DATABASE_MIGRATION_URL",
                "postgres://owner:ownerpass77@db/oikos",
            ),
        ])
        .unwrap();
        let debug = format!("{config:?}");
        for secret in ["hunter2", "dbpass99", "ownerpass77"] {
            assert!(!debug.contains(secret), "{secret} in {debug}");
        }
    }

    #[test]
    fn trusted_proxies_are_addresses_or_networks() {
        let parsed = config(&[("OIKOS_TRUSTED_PROXIES", "10.0.0.1, 192.168.0.0/16,::1")]).unwrap();
        let proxies: Vec<String> = parsed
            .trusted_proxies
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(proxies, ["10.0.0.1/32", "192.168.0.0/16", "::1/128"]);
        let err = config(&[("OIKOS_TRUSTED_PROXIES", "10.0.0.1,proxy.local")]).unwrap_err();
        assert_eq!(err.variable, "OIKOS_TRUSTED_PROXIES");
    }
}
