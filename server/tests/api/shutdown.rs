//! SIGTERM on the real binary: requests in flight finish, then the process exits cleanly.

use std::process::Stdio;
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader, Lines};
use tokio::net::TcpStream;
use tokio::process::{ChildStderr, Command};

/// Reads log lines until one whose message is `message`.
async fn wait_for_log(
    logs: &mut Lines<BufReader<ChildStderr>>,
    message: &str,
) -> serde_json::Value {
    loop {
        let line = logs
            .next_line()
            .await
            .unwrap()
            .unwrap_or_else(|| panic!("no {message:?} in the logs"));
        let entry: serde_json::Value = serde_json::from_str(&line).unwrap();
        if entry["message"] == message {
            return entry;
        }
    }
}

#[tokio::test]
async fn sigterm_finishes_requests_in_flight_then_exits() {
    let data = tempfile::tempdir().unwrap();
    let mut server = Command::new(env!("CARGO_BIN_EXE_oikos"))
        .env_clear()
        .current_dir(data.path())
        .env("LEPTOS_SITE_ADDR", "127.0.0.1:0")
        .env("OIKOS_METRICS_ADDR", "127.0.0.1:0")
        .env("OIKOS_DATA_DIR", data.path())
        .env(
            "DATABASE_URL",
            format!("sqlite://{}/oikos.db?mode=rwc", data.path().display()),
        )
        .env("OIKOS_LOG_FORMAT", "json")
        // The trace layer logs "started processing request" at debug level.
        .env("RUST_LOG", "info,tower_http=debug")
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    let mut logs = BufReader::new(server.stderr.take().unwrap()).lines();
    let serving = wait_for_log(&mut logs, "oikos is serving").await;
    let address = serving["addr"].as_str().unwrap().to_owned();

    // A request whose body is still on its way: the handler is running when SIGTERM arrives.
    let mut stream = TcpStream::connect(&address).await.unwrap();
    stream
        .write_all(b"POST /api/plans HTTP/1.1\r\nHost: localhost:3000\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 2\r\nConnection: close\r\n\r\n")
        .await
        .unwrap();
    wait_for_log(&mut logs, "started processing request").await;
    let pid = server.id().unwrap().to_string();
    assert!(Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .await
        .unwrap()
        .success());

    // New connections are refused once shutdown has begun...
    let refused = async {
        while TcpStream::connect(&address).await.is_ok() {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    };
    tokio::time::timeout(Duration::from_secs(10), refused)
        .await
        .expect("still accepting connections");
    // ...but the request in flight completes.
    stream.write_all(b"a=").await.unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).await.unwrap();
    assert!(response.starts_with("HTTP/1.1 200"), "{response}");
    assert!(response.contains("ENTERPRISE"));

    let status = tokio::time::timeout(Duration::from_secs(10), server.wait())
        .await
        .unwrap()
        .unwrap();
    assert!(status.success(), "{status}");
    wait_for_log(&mut logs, "oikos stopped").await;
}
