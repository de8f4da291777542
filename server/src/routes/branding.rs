//! A portal's branding as the browser loads it: `/branding.css` (the tenant's colours as CSS
//! variables, which the portal's styles read) and `/branding/logo` (its image, with the type
//! its bytes were recognised as). On the main site, and for unknown or inactive tenants, the
//! stylesheet is empty (the defaults apply) and the logo is 404. The settings page's logo
//! form posts here too.

use axum::extract::{Multipart, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Extension;
use oikos::tenants::branding;
use oikos::AppContext;
use oikos_web::request::{RequestContext, Site};
use oikos_web::ApiError;

/// Browsers ask again after a minute: a new colour shows soon without a version in the URL.
const CACHE: &str = "public, max-age=60";

pub async fn stylesheet(
    State(ctx): State<AppContext>,
    Extension(request): Extension<RequestContext>,
) -> Response {
    let css = match &request.site {
        Site::Tenant(slug) => match branding::public(&ctx.db, slug).await {
            Ok(found) => branding::css(&found.colors),
            Err(_) => String::new(),
        },
        Site::Main => String::new(),
    };
    let headers = [
        (
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/css; charset=utf-8"),
        ),
        (header::CACHE_CONTROL, HeaderValue::from_static(CACHE)),
    ];
    (headers, css).into_response()
}

pub async fn logo(
    State(ctx): State<AppContext>,
    Extension(request): Extension<RequestContext>,
) -> Response {
    let Site::Tenant(slug) = &request.site else {
        return StatusCode::NOT_FOUND.into_response();
    };
    match branding::public_logo(&ctx.db, slug).await {
        Ok(Some(logo)) => {
            let headers = [
                (
                    header::CONTENT_TYPE,
                    HeaderValue::from_static(logo.content_type),
                ),
                (header::CACHE_CONTROL, HeaderValue::from_static(CACHE)),
            ];
            (headers, logo.bytes).into_response()
        }
        _ => StatusCode::NOT_FOUND.into_response(),
    }
}

/// `POST /branding/logo` on a portal, from the settings page's plain form
/// (`multipart/form-data`: a `logo` file, or `remove`): saves or removes the logo, then back
/// to the settings with the outcome in the query (a code, never text from the request).
pub async fn upload(
    State(ctx): State<AppContext>,
    Extension(request): Extension<RequestContext>,
    mut form: Multipart,
) -> Result<Response, ApiError> {
    let scope = request.tenant_scope(&ctx.db).await?;
    let mut bytes = Vec::new();
    let mut remove = false;
    while let Some(field) = form.next_field().await.map_err(bad_form)? {
        match field.name() {
            Some("logo") => bytes = field.bytes().await.map_err(bad_form)?.to_vec(),
            Some("remove") => remove = true,
            _ => {}
        }
    }
    let outcome = match (remove, bytes.is_empty()) {
        (false, true) => "logo_error=missing",
        _ => match branding::set_logo(&ctx.db, &scope, bytes).await {
            Ok(_) if remove => "logo=removed",
            Ok(_) => "logo=saved",
            Err(oikos::Error::Invalid { fields }) => match fields.get("logo") {
                Some(message) if message.contains("512 KB") => "logo_error=size",
                _ => "logo_error=type",
            },
            Err(err) => return Err(err.into()),
        },
    };
    Ok(Redirect::to(&request.path(&format!("/settings?{outcome}"))).into_response())
}

fn bad_form(err: axum::extract::multipart::MultipartError) -> ApiError {
    ApiError::new(err.status(), "invalid_body", "The form could not be read.")
}
