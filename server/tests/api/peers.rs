//! Real peers the tests talk to, started per test: an SMTP server (aiosmtpd, from PyPI, in the
//! virtualenv `./test` prepares) that keeps every message it receives in a maildir.

use std::path::PathBuf;
use std::process::Stdio;
use std::time::Duration;

use tokio::process::{Child, Command};

/// Where `./test` installs the Python peers (`OIKOS_PEERS_BIN` overrides).
pub fn peers_bin() -> PathBuf {
    if let Some(dir) = std::env::var_os("OIKOS_PEERS_BIN") {
        return PathBuf::from(dir);
    }
    let home = std::env::var_os("HOME").expect("HOME");
    PathBuf::from(home).join(".cache/oikos/peers/bin")
}

pub fn free_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a free port");
    listener.local_addr().expect("address").port()
}

/// Waits (up to 10 s) until a peer accepts connections on `port`.
async fn wait_for(peer: &str, port: u16) {
    for _ in 0..200 {
        if tokio::net::TcpStream::connect(("127.0.0.1", port))
            .await
            .is_ok()
        {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("{peer} did not start on port {port}");
}

/// An SMTP server on a free port; mail it receives lands in a maildir.
pub struct SmtpSink {
    pub port: u16,
    maildir: tempfile::TempDir,
    _child: Child,
}

impl SmtpSink {
    pub async fn start() -> SmtpSink {
        let port = free_port();
        let maildir = tempfile::tempdir().expect("maildir");
        let python = peers_bin().join("python");
        assert!(
            python.exists(),
            "{} is missing: run ./test once (it installs the Python test peers)",
            python.display()
        );
        let child = Command::new(python)
            .args(["-m", "aiosmtpd", "-n", "-l"])
            .arg(format!("127.0.0.1:{port}"))
            .args(["-c", "aiosmtpd.handlers.Mailbox"])
            .arg(maildir.path().join("mail"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .expect("start aiosmtpd");
        wait_for("aiosmtpd", port).await;
        SmtpSink {
            port,
            maildir,
            _child: child,
        }
    }

    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    /// Every message received so far, parsed.
    pub fn messages(&self) -> Vec<Received> {
        let dir = self.maildir.path().join("mail").join("new");
        let Ok(entries) = std::fs::read_dir(dir) else {
            return Vec::new();
        };
        let mut paths: Vec<PathBuf> = entries.filter_map(|e| Some(e.ok()?.path())).collect();
        paths.sort_by_key(|p| std::fs::metadata(p).and_then(|m| m.modified()).ok());
        paths
            .iter()
            .map(|path| Received::parse(&std::fs::read(path).expect("read a message")))
            .collect()
    }

    /// Waits (up to 10 s) for the `n`th message to `to`, counting from 1.
    pub async fn wait_for(&self, to: &str, n: usize) -> Received {
        for _ in 0..200 {
            let mut mine: Vec<Received> =
                self.messages().into_iter().filter(|m| m.to == to).collect();
            if mine.len() >= n {
                return mine.swap_remove(n - 1);
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("no message #{n} to {to} arrived");
    }
}

#[derive(Clone, Debug)]
pub struct Received {
    pub to: String,
    pub subject: String,
    pub text: String,
    pub html: String,
}

impl Received {
    fn parse(raw: &[u8]) -> Received {
        let mail = mailparse::parse_mail(raw).expect("a parsable message");
        let header = |name: &str| {
            mail.headers
                .iter()
                .find(|h| h.get_key().eq_ignore_ascii_case(name))
                .map(|h| h.get_value())
                .unwrap_or_default()
        };
        let part = |mime: &str| {
            mail.subparts
                .iter()
                .find(|p| p.ctype.mimetype == mime)
                .map(|p| p.get_body().expect("a body"))
                .unwrap_or_default()
        };
        Received {
            to: header("To"),
            subject: header("Subject"),
            text: part("text/plain"),
            html: part("text/html"),
        }
    }

    /// The first link in the plain-text body that starts with `prefix`.
    pub fn link(&self, prefix: &str) -> String {
        let start = self.text.find(prefix).unwrap_or_else(|| {
            panic!("no link starting {prefix} in: {}", self.text);
        });
        self.text[start..]
            .split_whitespace()
            .next()
            .expect("a link")
            .to_owned()
    }
}

/// An OpenID Connect provider (oidc-provider-mock, from PyPI) on a free port: any client id,
/// nonces required, users and their claims set with [`OidcProvider::user`].
pub struct OidcProvider {
    pub issuer: String,
    http: reqwest::Client,
    _child: Child,
}

impl OidcProvider {
    pub async fn start() -> OidcProvider {
        let port = free_port();
        let child = Command::new(peers_bin().join("oidc-provider-mock"))
            .args(["-p", &port.to_string(), "-n", "true"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .expect("start oidc-provider-mock");
        let issuer = format!("http://127.0.0.1:{port}");
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap();
        wait_for("oidc-provider-mock", port).await;
        OidcProvider {
            issuer,
            http,
            _child: child,
        }
    }

    /// Sets what the ID token says about `sub`.
    pub async fn user(&self, sub: &str, claims: serde_json::Value) {
        let answer = self
            .http
            .put(format!("{}/users/{sub}", self.issuer))
            .json(&claims)
            .send()
            .await
            .unwrap();
        assert!(answer.status().is_success(), "{}", answer.status());
    }

    /// Signs `sub` in on the provider's authorization page at `authorize_url`; the redirect
    /// back to the client (with `code` and `state`).
    pub async fn authorize(&self, authorize_url: &str, sub: &str) -> String {
        let answer = self
            .http
            .post(authorize_url)
            .form(&[("sub", sub)])
            .send()
            .await
            .unwrap();
        assert!(answer.status().is_redirection(), "{}", answer.status());
        answer.headers()["location"].to_str().unwrap().to_owned()
    }

    /// An ID token for `client_id` obtained directly (as another relying party would).
    pub async fn id_token_for(&self, client_id: &str, sub: &str, nonce: &str) -> String {
        let redirect = "http://127.0.0.1:1/callback";
        let authorize = format!(
            "{}/oauth2/authorize?response_type=code&scope=openid%20email&client_id={client_id}\
             &redirect_uri={redirect}&state=s&nonce={nonce}",
            self.issuer
        );
        let back = self.authorize(&authorize, sub).await;
        let code = url_param(&back, "code");
        let discovery: serde_json::Value = self
            .http
            .get(format!("{}/.well-known/openid-configuration", self.issuer))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let tokens: serde_json::Value = self
            .http
            .post(discovery["token_endpoint"].as_str().unwrap())
            .form(&[
                ("grant_type", "authorization_code"),
                ("code", code.as_str()),
                ("redirect_uri", redirect),
                ("client_id", client_id),
                ("client_secret", "any"),
            ])
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        tokens["id_token"].as_str().expect("an id_token").to_owned()
    }
}

/// A query parameter of a URL.
pub fn url_param(url: &str, name: &str) -> String {
    let query = url.split_once('?').map(|(_, q)| q).unwrap_or_default();
    query
        .split('&')
        .filter_map(|pair| pair.split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value.to_owned())
        .unwrap_or_else(|| panic!("no {name} in {url}"))
}

/// localstripe (PyPI): a stateful Stripe on a free port, empty at start. Its state file is
/// switched off, so tests running at once each keep their own.
pub struct Localstripe {
    pub port: u16,
    http: reqwest::Client,
    _child: Child,
}

pub const STRIPE_KEY: &str = "sk_test_oikos";
pub const STRIPE_WEBHOOK_SECRET: &str = "whsec_oikos_test";

impl Localstripe {
    pub async fn start() -> Localstripe {
        let port = free_port();
        let script = concat!(env!("CARGO_MANIFEST_DIR"), "/../scripts/stripe_peer.py");
        let child = Command::new(peers_bin().join("python"))
            .arg(script)
            .arg(port.to_string())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .expect("start localstripe");
        wait_for("localstripe", port).await;
        Localstripe {
            port,
            http: reqwest::Client::new(),
            _child: child,
        }
    }

    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// Has localstripe sign and deliver its events to `url`.
    pub async fn deliver_to(&self, url: &str) {
        let answer = self
            .http
            .post(format!("{}/_config/webhooks/oikos", self.url()))
            .form(&[("url", url), ("secret", STRIPE_WEBHOOK_SECRET)])
            .send()
            .await
            .expect("register the webhook");
        assert!(answer.status().is_success(), "{}", answer.status());
    }

    /// A call of Stripe's API, as another Stripe client (the test) makes it.
    pub async fn call(&self, method: &str, path: &str, form: &[(&str, &str)]) -> serde_json::Value {
        let url = format!("{}{path}", self.url());
        let request = match method {
            "GET" => self.http.get(url).query(form),
            "DELETE" => self.http.delete(url),
            _ => self.http.post(url).form(form),
        };
        let answer = request
            .basic_auth(STRIPE_KEY, None::<&str>)
            .send()
            .await
            .expect("localstripe");
        let status = answer.status();
        let body = answer.text().await.unwrap();
        assert!(status.is_success(), "{method} {path}: {status} {body}");
        serde_json::from_str(&body).unwrap_or(serde_json::Value::Null)
    }

    /// A card for `customer`, made as Stripe.js would make it: its payment method id.
    pub async fn card(&self, number: &str) -> String {
        let card = self
            .call(
                "POST",
                "/v1/payment_methods",
                &[
                    ("type", "card"),
                    ("card[number]", number),
                    ("card[exp_month]", "12"),
                    ("card[exp_year]", "2034"),
                    ("card[cvc]", "123"),
                ],
            )
            .await;
        card["id"].as_str().unwrap().to_owned()
    }
}
