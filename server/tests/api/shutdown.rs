//! SIGTERM on the real binary: requests in flight finish, then the process exits cleanly.

use std::process::Stdio;
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;
use tokio::process::Command;

#[tokio::test]
async fn sigterm_finishes_requests_in_flight_then_exits() {
    let data = tempfile::tempdir().unwrap();
    let mut server = Command::new(env!("CARGO_BIN_EXE_oikos"))
        .env_clear()
        .env("LEPTOS_SITE_ADDR", "127.0.0.1:0")
        .env("OIKOS_DATA_DIR", data.path())
        .env(
            "DATABASE_URL",
            format!("sqlite://{}/oikos.db?mode=rwc", data.path().display()),
        )
        .env("OIKOS_LOG_FORMAT", "json")
        .env("RUST_LOG", "info")
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    let mut logs = BufReader::new(server.stderr.take().unwrap()).lines();
    let address = loop {
        let line = logs
            .next_line()
            .await
            .unwrap()
            .expect("the server logs before it serves");
        let entry: serde_json::Value = serde_json::from_str(&line).unwrap();
        if entry["message"] == "oikos is serving" {
            break entry["addr"].as_str().unwrap().to_owned();
        }
    };

    // A request whose body is still on its way: the handler is running when SIGTERM arrives.
    let mut stream = TcpStream::connect(&address).await.unwrap();
    stream
        .write_all(b"POST /api/plans HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 2\r\nConnection: close\r\n\r\n")
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;
    let pid = server.id().unwrap().to_string();
    let killed = Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .await
        .unwrap();
    assert!(killed.success());
    tokio::time::sleep(Duration::from_millis(300)).await;

    // New connections are refused once shutdown has begun...
    assert!(
        TcpStream::connect(&address).await.is_err(),
        "still accepting connections"
    );
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
    let mut rest = Vec::new();
    while let Some(line) = logs.next_line().await.unwrap() {
        rest.push(line);
    }
    assert!(
        rest.iter().any(|line| line.contains("oikos stopped")),
        "{rest:?}"
    );
}
