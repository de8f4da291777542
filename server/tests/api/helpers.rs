use std::collections::HashMap;
use std::net::SocketAddr;

use oikos::db::Backend;
use oikos::testing::TestDb;
use oikos::Config;
use oikos_server::Application;

/// Runs a test body against a fresh server on each backend.
#[macro_export]
macro_rules! app_test {
    ($($test:tt)*) => {
        oikos::on_both_backends!($crate::helpers::spawn_app, $($test)*);
    };
}

pub struct TestApp {
    pub address: SocketAddr,
    pub client: reqwest::Client,
    pub services: oikos::Services,
    _db: TestDb,
    _data: tempfile::TempDir,
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.address)
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client
            .get(self.url(path))
            .send()
            .await
            .expect("request")
    }
}

pub async fn spawn_app(backend: Backend) -> TestApp {
    spawn_app_with(backend, &[]).await
}

/// Starts the application with `overrides` on top of the test configuration.
pub async fn spawn_app_with(backend: Backend, overrides: &[(&str, &str)]) -> TestApp {
    let db = TestDb::new(backend).await;
    let data = tempfile::tempdir().expect("data folder");
    let mut vars: HashMap<String, String> = HashMap::from([
        ("DATABASE_URL".into(), db.url()),
        ("LEPTOS_SITE_ADDR".into(), "127.0.0.1:0".into()),
        ("OIKOS_DATA_DIR".into(), data.path().display().to_string()),
    ]);
    vars.extend(
        overrides
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string())),
    );
    let config = Config::from_lookup(|name| vars.get(name).cloned()).expect("config");
    let app = Application::build(config)
        .await
        .expect("build the application");
    let address = app.local_addr().expect("address");
    let services = app.services().clone();
    tokio::spawn(app.run_until_stopped(std::future::pending()));
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .cookie_store(true)
        .build()
        .expect("client");
    TestApp {
        address,
        client,
        services,
        _db: db,
        _data: data,
    }
}
