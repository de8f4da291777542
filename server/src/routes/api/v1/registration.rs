//! `POST /api/v1/public/register`: a business registers itself and its first admin, in the
//! Reserva guide's request and response shapes (with Stripe's `billing_customer_id` in place
//! of Paper.id's partner fields).

use axum::extract::State;
use axum::http::StatusCode;
use axum::{Extension, Json};
use oikos::tenants::registration::{self, Registration};
use oikos::AppContext;
use oikos_web::request::RequestContext;
use oikos_web::{ApiError, JsonBody};
use serde::Serialize;

#[derive(Serialize)]
pub struct RegisteredBody {
    registration_id: String,
    tenant_id: String,
    slug: String,
    /// The tenant's Stripe customer, once billing has made one (null when billing is off).
    billing_customer_id: Option<String>,
    status: &'static str,
    message: &'static str,
    next_steps: [&'static str; 6],
}

const NEXT_STEPS: [&str; 6] = [
    "1. Log in with your admin credentials",
    "2. Complete your business profile and upload a logo",
    "3. Add your first outlet location with address and business hours",
    "4. Configure your services, pricing, and duration",
    "5. Add staff members and assign them to services",
    "6. Start accepting customer bookings!",
];

/// 201 with the new tenant; 409 naming the duplicate field; 422 with every invalid field.
pub async fn register(
    State(ctx): State<AppContext>,
    Extension(request): Extension<RequestContext>,
    JsonBody(body): JsonBody<Registration>,
) -> Result<(StatusCode, Json<RegisteredBody>), ApiError> {
    let done = registration::register(&ctx, &body, &request.client()).await?;
    let answer = RegisteredBody {
        registration_id: done.registration_id,
        tenant_id: done.tenant.id.to_string(),
        slug: done.tenant.slug.to_string(),
        billing_customer_id: done.billing_customer_id,
        status: done.tenant.status.as_str(),
        message: "Registration successful! Your account is now active and ready to use.",
        next_steps: NEXT_STEPS,
    };
    Ok((StatusCode::CREATED, Json(answer)))
}
