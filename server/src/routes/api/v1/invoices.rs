//! `/api/v1/invoices`: the current tenant's invoices (TENANT_ADMIN), and each one's document:
//! Stripe's PDF or hosted page when it has one, otherwise a printable page made here.

use axum::extract::Path;
use axum::http::header;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::Json;
use oikos::billing::payments::{self, InvoiceDocument, InvoiceRow};
use oikos_web::{ApiError, Scoped};

pub async fn list(Scoped { ctx, scope }: Scoped) -> Result<Json<Vec<InvoiceRow>>, ApiError> {
    Ok(Json(payments::invoices(&ctx, &scope).await?))
}

pub async fn download(
    Scoped { ctx, scope }: Scoped,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
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
