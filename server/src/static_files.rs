//! Static files: `/pkg` (the built wasm, JS and CSS) and the files of `public/`, on routes of
//! their own, never through the page fallback.
//!
//! They are read into memory once at start, with the `.br`/`.gz` siblings that
//! `cargo leptos build --precompress` writes, and answered from there. `ServeDir` reads the file
//! for every request through tokio's blocking pool: measured with the server on one core, it
//! ran at a sixth of the rate of a JSON 404 (`bench/static`); from memory a file costs no more
//! than any other small response. The site is a few megabytes; a file added after start is
//! not seen until restart (the build replaces the site as a whole anyway).

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

use anyhow::Context as _;
use axum::body::Bytes;
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;

/// For `/pkg` files whose names carry their content hash.
const FOREVER: HeaderValue = HeaderValue::from_static("public, max-age=31536000, immutable");
/// For everything else: cache, but ask again after an hour.
const AN_HOUR: HeaderValue = HeaderValue::from_static("public, max-age=3600");
/// Unhashed `/pkg` files (a development build) change under the same name.
const REVALIDATE: HeaderValue = HeaderValue::from_static("no-cache");

struct Asset {
    content_type: HeaderValue,
    cache_control: HeaderValue,
    plain: Bytes,
    brotli: Option<Bytes>,
    gzip: Option<Bytes>,
}

type Assets = Arc<HashMap<String, Asset>>;

/// The routes for the built site at `site_root`; `hashed` when the build hashed `/pkg` names.
/// A missing site root serves nothing (tests and `cargo run` before a build).
pub fn routes<S: Clone + Send + Sync + 'static>(
    site_root: &Path,
    hashed: bool,
) -> anyhow::Result<Router<S>> {
    let mut assets = HashMap::new();
    let pkg_cache = if hashed { FOREVER } else { REVALIDATE };
    load(&site_root.join("pkg"), "/pkg/", &pkg_cache, &mut assets)?;
    load(site_root, "/", &AN_HOUR, &mut assets)?;
    load(
        &site_root.join("api-docs"),
        "/api-docs/",
        &AN_HOUR,
        &mut assets,
    )?;
    let router = assets
        .keys()
        .fold(Router::new(), |router, path| router.route(path, get(serve)));
    Ok(router.with_state(Arc::new(assets)))
}

/// Reads the files directly in `folder` as `{prefix}{name}`, each with its compressed siblings.
fn load(
    folder: &Path,
    prefix: &str,
    cache_control: &HeaderValue,
    assets: &mut HashMap<String, Asset>,
) -> anyhow::Result<()> {
    let Ok(entries) = std::fs::read_dir(folder) else {
        return Ok(());
    };
    for entry in entries {
        let path = entry?.path();
        let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
            continue;
        };
        if !path.is_file() || name.ends_with(".br") || name.ends_with(".gz") {
            continue;
        }
        let read = |suffix: &str| -> anyhow::Result<Option<Bytes>> {
            let file = folder.join(format!("{name}{suffix}"));
            match std::fs::read(&file) {
                Ok(bytes) => Ok(Some(bytes.into())),
                Err(err) if err.kind() == std::io::ErrorKind::NotFound && !suffix.is_empty() => {
                    Ok(None)
                }
                Err(err) => Err(err).with_context(|| format!("reading {}", file.display())),
            }
        };
        let mime = mime_guess::from_path(&path).first_or_octet_stream();
        let asset = Asset {
            content_type: HeaderValue::from_str(mime.as_ref())?,
            cache_control: cache_control.clone(),
            plain: read("")?.unwrap_or_default(),
            brotli: read(".br")?,
            gzip: read(".gz")?,
        };
        assets.insert(format!("{prefix}{name}"), asset);
    }
    Ok(())
}

async fn serve(State(assets): State<Assets>, request: Request) -> Response {
    let Some(asset) = assets.get(request.uri().path()) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let (encoding, body) = variant(request.headers(), asset);
    let mut headers = HeaderMap::new();
    headers.insert(header::CONTENT_TYPE, asset.content_type.clone());
    headers.insert(header::CACHE_CONTROL, asset.cache_control.clone());
    headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    if let Some(encoding) = encoding {
        headers.insert(header::CONTENT_ENCODING, HeaderValue::from_static(encoding));
    }
    (headers, body.clone()).into_response()
}

/// The variant to send: brotli, else gzip, when the client accepts it, else the plain file.
fn variant<'a>(headers: &HeaderMap, asset: &'a Asset) -> (Option<&'static str>, &'a Bytes) {
    let accepts = |coding: &str| accepted_codings(headers).any(|(c, q)| c == coding && q > 0.0);
    match (&asset.brotli, &asset.gzip) {
        (Some(brotli), _) if accepts("br") => (Some("br"), brotli),
        (_, Some(gzip)) if accepts("gzip") => (Some("gzip"), gzip),
        _ => (None, &asset.plain),
    }
}

/// `Accept-Encoding: br;q=1.0, gzip;q=0` as (coding, quality) pairs.
fn accepted_codings(headers: &HeaderMap) -> impl Iterator<Item = (String, f32)> + '_ {
    headers
        .get_all(header::ACCEPT_ENCODING)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .map(|item| {
            let mut parts = item.split(';');
            let coding = parts.next().unwrap_or_default().trim().to_ascii_lowercase();
            let quality = parts
                .find_map(|part| part.trim().strip_prefix("q="))
                .and_then(|q| q.parse().ok())
                .unwrap_or(1.0);
            (coding, quality)
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn asset() -> Asset {
        Asset {
            content_type: HeaderValue::from_static("text/css"),
            cache_control: AN_HOUR,
            plain: Bytes::from_static(b"plain"),
            brotli: Some(Bytes::from_static(b"br")),
            gzip: Some(Bytes::from_static(b"gz")),
        }
    }

    fn chosen(accept: &str) -> Option<&'static str> {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::ACCEPT_ENCODING,
            HeaderValue::from_str(accept).unwrap(),
        );
        variant(&headers, &asset()).0
    }

    #[test]
    fn the_smallest_accepted_variant_is_sent() {
        assert_eq!(chosen("gzip, deflate, br, zstd"), Some("br"));
        assert_eq!(chosen("gzip"), Some("gzip"));
        assert_eq!(chosen("br;q=0, GZIP;q=0.5"), Some("gzip"));
        assert_eq!(chosen("identity"), None);
        assert_eq!(variant(&HeaderMap::new(), &asset()).0, None);
    }
}
