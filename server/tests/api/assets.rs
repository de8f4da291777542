//! Static files on their own routes: hashed names cached for a year, precompressed variants
//! sent to clients that accept them, pages compressed, and a missing file not cached.

use std::path::Path;

use oikos::db::Backend;

use crate::helpers::spawn_app_with;

/// A built site as `cargo leptos build --release --precompress` leaves it, in small.
fn site(root: &Path) {
    std::fs::create_dir_all(root.join("pkg")).unwrap();
    let write = |name: &str, body: &[u8]| std::fs::write(root.join(name), body).unwrap();
    write("pkg/oikos.c55.css", b"body { color: black }");
    write("pkg/oikos.c55.css.br", b"brotli bytes");
    write("pkg/oikos.c55.css.gz", b"gzip bytes");
    write("pkg/oikos.j77.js", b"export default 1;");
    write("favicon.ico", b"icon");
    write("hash.txt", b"css: c55\njs: j77\nwasm: w99\n");
}

#[tokio::test]
async fn hashed_files_are_cached_for_a_year_and_sent_precompressed() {
    let root = tempfile::tempdir().unwrap();
    site(root.path());
    let root_var = root.path().display().to_string();
    let app = spawn_app_with(Backend::Sqlite, &[("LEPTOS_SITE_ROOT", &root_var)]).await;
    let get = |path: &str, encoding: &str| {
        let request = app.client.get(app.url(path));
        let request = if encoding.is_empty() {
            request
        } else {
            request.header("accept-encoding", encoding)
        };
        request.send()
    };

    let brotli = get("/pkg/oikos.c55.css", "br, gzip").await.unwrap();
    assert_eq!(brotli.status(), 200);
    assert_eq!(brotli.headers()["content-encoding"], "br");
    assert_eq!(
        brotli.headers()["cache-control"],
        "public, max-age=31536000, immutable"
    );
    assert_eq!(brotli.headers()["content-type"], "text/css");
    assert_eq!(brotli.bytes().await.unwrap(), "brotli bytes");
    let gzip = get("/pkg/oikos.c55.css", "gzip").await.unwrap();
    assert_eq!(gzip.bytes().await.unwrap(), "gzip bytes");
    let plain = get("/pkg/oikos.c55.css", "").await.unwrap();
    assert!(plain.headers().get("content-encoding").is_none());
    assert_eq!(plain.bytes().await.unwrap(), "body { color: black }");

    let missing = get("/pkg/oikos.old.css", "").await.unwrap();
    assert_eq!(missing.status(), 404);
    assert!(
        missing.headers().get("cache-control").is_none(),
        "a 404 must not be cached for a year"
    );

    let icon = get("/favicon.ico", "").await.unwrap();
    assert_eq!(icon.headers()["cache-control"], "public, max-age=3600");
    assert_eq!(icon.bytes().await.unwrap(), "icon");

    // Pages name the hashed files and are compressed for clients that accept it.
    let page = get("/", "gzip").await.unwrap();
    assert_eq!(page.headers()["content-encoding"], "gzip");
    let html = get("/", "").await.unwrap().text().await.unwrap();
    assert!(html.contains(r#"href="/pkg/oikos.c55.css""#), "{html}");
    assert!(html.contains("/pkg/oikos.j77.js"), "{html}");
}
