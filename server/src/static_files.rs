//! Static files: `/pkg` (the built wasm, JS and CSS) and the files of `public/`, served from
//! the site root by tower-http's `ServeDir`/`ServeFile` on routes of their own, never through
//! the page fallback. Precompressed `.br`/`.gz` siblings (`cargo leptos build --precompress`)
//! are sent to clients that accept them; names hashed by the build are cached for a year.

use std::path::{Path, PathBuf};

use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::map_response_with_state;
use axum::response::Response;
use axum::Router;
use tower_http::services::{ServeDir, ServeFile};

/// For `/pkg` files whose names carry their content hash.
const FOREVER: HeaderValue = HeaderValue::from_static("public, max-age=31536000, immutable");
/// For everything else: cache, but ask again after an hour.
const AN_HOUR: HeaderValue = HeaderValue::from_static("public, max-age=3600");
/// Unhashed `/pkg` files (a development build) change under the same name.
const REVALIDATE: HeaderValue = HeaderValue::from_static("no-cache");

/// The routes for the built site at `site_root`; `hashed` when the build hashed `/pkg` names.
pub fn routes<S: Clone + Send + Sync + 'static>(site_root: &Path, hashed: bool) -> Router<S> {
    let pkg = ServeDir::new(site_root.join("pkg"))
        .precompressed_br()
        .precompressed_gzip();
    let pkg_cache = if hashed { FOREVER } else { REVALIDATE };
    let pkg = Router::new()
        .nest_service("/pkg", pkg)
        .layer(map_response_with_state(pkg_cache, cache_when_found));
    let public = public_files(site_root)
        .into_iter()
        .fold(Router::new(), |router, (route, file)| {
            let file = ServeFile::new(file).precompressed_br().precompressed_gzip();
            router.route_service(&route, file)
        })
        .layer(map_response_with_state(AN_HOUR, cache_when_found));
    pkg.merge(public)
}

/// Only a found file may be cached; a 404 must not stick for a year.
async fn cache_when_found(
    axum::extract::State(policy): axum::extract::State<HeaderValue>,
    mut response: Response,
) -> Response {
    if matches!(
        response.status(),
        StatusCode::OK | StatusCode::NOT_MODIFIED | StatusCode::PARTIAL_CONTENT
    ) {
        response.headers_mut().insert(header::CACHE_CONTROL, policy);
    }
    response
}

/// `/<name>` for every file at the top of the site root (what `public/` holds), except the
/// precompressed siblings.
fn public_files(site_root: &Path) -> Vec<(String, PathBuf)> {
    let Ok(entries) = std::fs::read_dir(site_root) else {
        return Vec::new();
    };
    entries
        .filter_map(Result::ok)
        .filter(|entry| entry.file_type().is_ok_and(|t| t.is_file()))
        .filter_map(|entry| {
            let name = entry.file_name().into_string().ok()?;
            let compressed = name.ends_with(".br") || name.ends_with(".gz");
            (!compressed).then(|| (format!("/{name}"), entry.path()))
        })
        .collect()
}
