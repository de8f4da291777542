//! `GET /api/v1/public/tenants/{slug}`: the public profile of an active tenant.

use axum::extract::{Path, State};
use axum::Json;
use oikos::values::Slug;
use oikos::AppContext;
use oikos_app::features::tenants::PublicProfile;
use oikos_web::ApiError;

pub async fn show(
    State(ctx): State<AppContext>,
    Path(slug): Path<String>,
) -> Result<Json<PublicProfile>, ApiError> {
    let slug = Slug::parse_field("slug", &slug)?;
    let tenant = oikos::tenants::service::public_profile(&ctx.db, &slug).await?;
    Ok(Json(tenant.into()))
}
