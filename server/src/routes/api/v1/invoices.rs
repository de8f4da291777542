//! `/api/v1/invoices`: the current tenant's invoices (TENANT_ADMIN), and each one's document:
//! Stripe's PDF or hosted page when it has one, otherwise a printable page made here.

use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::{Extension, Json};
use oikos::billing::payments::{self, InvoiceDocument, InvoiceRow};
use oikos::AppContext;
use oikos_app::context::RequestContext;

use crate::error::ApiError;

pub async fn list(
    State(ctx): State<AppContext>,
    Extension(request): Extension<RequestContext>,
) -> Result<Json<Vec<InvoiceRow>>, ApiError> {
    let scope = request.tenant_scope(&ctx.db).await?;
    Ok(Json(payments::invoices(&ctx, &scope).await?))
}

pub async fn download(
    State(ctx): State<AppContext>,
    Extension(request): Extension<RequestContext>,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let scope = request.tenant_scope(&ctx.db).await?;
    Ok(match payments::invoice_document(&ctx, &scope, &id).await? {
        InvoiceDocument::At(url) => Redirect::to(&url).into_response(),
        InvoiceDocument::Printed(invoice) => {
            let page = oikos::billing::printed::invoice_page(&invoice, &ctx.plans);
            // The page is static: no scripts, no requests; only its own inline styles.
            let policy = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'";
            ([(header::CONTENT_SECURITY_POLICY, policy)], Html(page)).into_response()
        }
    })
}
