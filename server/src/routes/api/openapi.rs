//! The OpenAPI 3.1 document (`GET /api/openapi.json`), generated from the route table in
//! [`super::v1`] that the router is built from: a route cannot be served without being
//! documented. Each operation gets its path parameters, who may call it (security), and its
//! answers: JSON on success (or a redirect, a page, nothing), the error shape on 4xx.
//! Request bodies that have a Rust type are described by it ([`utoipa::ToSchema`]).

use axum::extract::State;
use axum::response::Html;
use axum::Json;
use oikos::AppContext;
use serde_json::{json, Map, Value};
use utoipa::PartialSchema;

use super::v1::{endpoints, Audience, Endpoint};

/// `GET /api/openapi.json`.
pub async fn serve(State(ctx): State<AppContext>) -> Json<Value> {
    let server = ctx.config.base_url.as_str().trim_end_matches('/');
    Json(document(server))
}

/// `GET /api/docs`: Swagger UI, from the site's own files (`public/api-docs`), started by a
/// script file, so the default Content-Security-Policy holds.
pub async fn docs() -> Html<&'static str> {
    Html(concat!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">",
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">",
        "<title>Oikos API</title>",
        "<link rel=\"stylesheet\" href=\"/api-docs/swagger-ui.css\"></head>",
        "<body><main id=\"docs\"><noscript>The interactive docs need JavaScript; ",
        "the document itself is at <a href=\"/api/openapi.json\">/api/openapi.json</a>.",
        "</noscript></main>",
        "<script src=\"/api-docs/swagger-ui-bundle.js\"></script>",
        "<script src=\"/api-docs/init.js\"></script></body></html>",
    ))
}

/// How a route's request and answers differ from a JSON call with a JSON answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Shape {
    Json,
    /// Answers with a redirect (a browser step of a sign-in or a link).
    Redirect,
    /// Answers with an HTML page (a printable invoice).
    Page,
    /// Takes the raw image as its body.
    Image,
}

fn shape(endpoint: &Endpoint) -> Shape {
    match (endpoint.method, endpoint.path) {
        (_, "/api/v1/auth/google/start" | "/api/v1/auth/google/callback") => Shape::Redirect,
        (_, "/api/v1/invoices/{invoice_id}/download") => Shape::Page,
        ("PUT", "/api/v1/tenants/{tenant_id}/logo") => Shape::Image,
        _ => Shape::Json,
    }
}

/// The request body's schema where the handler's body type says it.
fn request_schema(endpoint: &Endpoint) -> Option<Value> {
    use super::provisioning;
    use super::v1::{admin_webhooks, api_keys};
    let schema = match (endpoint.method, endpoint.path) {
        ("POST", "/api/v1/admin/api-keys") => api_keys::CreateBody::schema(),
        ("POST", "/api/v1/admin/webhooks") => admin_webhooks::CreateBody::schema(),
        ("POST", "/api/provisioning/tenants") => provisioning::TenantBody::schema(),
        ("POST", "/api/provisioning/tenants/bulk") => provisioning::BulkBody::schema(),
        ("PATCH", "/api/provisioning/tenants/{tenant_id}") => {
            // The same fields, each optional: only those given change.
            let mut schema = serde_json::to_value(provisioning::TenantBody::schema()).ok()?;
            schema.as_object_mut()?.remove("required");
            return Some(schema);
        }
        _ => return None,
    };
    serde_json::to_value(schema).ok()
}

/// The whole document; `server` is the main site's URL.
pub fn document(server: &str) -> Value {
    let mut paths = Map::new();
    for endpoint in endpoints() {
        let item = paths
            .entry(endpoint.path.to_owned())
            .or_insert_with(|| json!({}));
        item[endpoint.method.to_ascii_lowercase()] = operation(&endpoint);
    }
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "Oikos",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "The REST API of Oikos (PRODUCT.md §11). Tenant routes name their \
                workspace by its subdomain or the X-Tenant-Slug header.",
        },
        "servers": [{ "url": server }],
        "paths": paths,
        "components": {
            "securitySchemes": {
                "accessToken": { "type": "http", "scheme": "bearer", "bearerFormat": "JWT",
                    "description": "An access token from POST /api/v1/auth/login." },
                "apiKey": { "type": "http", "scheme": "bearer",
                    "description": "A partner API key (oik_…) from POST /api/v1/admin/api-keys." },
            },
            // What the inline body schemas refer to by name.
            "schemas": {
                "Error": error_schema(),
                "TenantBody": super::provisioning::TenantBody::schema(),
            },
        },
    })
}

fn operation(endpoint: &Endpoint) -> Value {
    let shape = shape(endpoint);
    let mut operation = json!({
        "operationId": operation_id(endpoint),
        "tags": [tag(endpoint.path)],
        "parameters": parameters(endpoint),
        "responses": responses(shape),
    });
    let security = match endpoint.audience {
        Audience::Public => None,
        Audience::Partner => Some("apiKey"),
        Audience::Account | Audience::Tenant | Audience::Platform => Some("accessToken"),
    };
    if let Some(scheme) = security {
        operation["security"] = json!([{ scheme: [] }]);
    }
    if let Some(body) = request_body(endpoint, shape) {
        operation["requestBody"] = body;
    }
    operation
}

/// `get_api_v1_outlets_outlet_id`.
fn operation_id(endpoint: &Endpoint) -> String {
    let words: Vec<&str> = endpoint
        .path
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|word| !word.is_empty())
        .collect();
    format!(
        "{}_{}",
        endpoint.method.to_ascii_lowercase(),
        words.join("_")
    )
}

/// The resource: `outlets` for `/api/v1/outlets/{id}`, `provisioning` for the partner API.
fn tag(path: &str) -> &str {
    let mut segments = path.trim_start_matches("/api/").split('/');
    match segments.next() {
        Some("v1") => segments.next().unwrap_or("v1"),
        other => other.unwrap_or("api"),
    }
}

fn parameters(endpoint: &Endpoint) -> Value {
    let mut parameters: Vec<Value> = endpoint
        .path
        .split('/')
        .filter_map(|segment| segment.strip_prefix('{')?.strip_suffix('}'))
        .map(|name| {
            json!({ "name": name, "in": "path", "required": true, "schema": { "type": "string" } })
        })
        .collect();
    parameters.extend(
        query_parameters(endpoint)
            .into_iter()
            .filter_map(|parameter| serde_json::to_value(parameter).ok()),
    );
    if endpoint.audience == Audience::Tenant {
        parameters.push(json!({
            "name": "X-Tenant-Slug", "in": "header", "required": false,
            "description": "The workspace, when the request is not sent to its subdomain.",
            "schema": { "type": "string" },
        }));
    }
    Value::Array(parameters)
}

/// The query parameters of the routes that take any, from the handlers' own `Query` types.
fn query_parameters(endpoint: &Endpoint) -> Vec<utoipa::openapi::path::Parameter> {
    use super::v1::{auth, google, services, tenants, users};
    use utoipa::openapi::path::ParameterIn;
    use utoipa::IntoParams;
    let query = || Some(ParameterIn::Query);
    match (endpoint.method, endpoint.path) {
        ("GET", "/api/v1/tenants") => tenants::ListParams::into_params(query),
        ("GET", "/api/v1/users") => users::ListParams::into_params(query),
        ("DELETE", "/api/v1/users/{user_id}") => users::DeleteParams::into_params(query),
        ("GET", "/api/v1/services") => services::ListParams::into_params(query),
        ("GET", "/api/v1/auth/verify-email") => auth::TokenQuery::into_params(query),
        ("GET", "/api/v1/auth/google/callback") => google::Callback::into_params(query),
        _ => Vec::new(),
    }
}

fn request_body(endpoint: &Endpoint, shape: Shape) -> Option<Value> {
    if !matches!(endpoint.method, "POST" | "PUT" | "PATCH") {
        return None;
    }
    if shape == Shape::Image {
        let image = json!({ "schema": { "type": "string", "contentMediaType": "image/*" } });
        return Some(json!({ "required": true, "content": {
            "image/png": image, "image/jpeg": image, "image/webp": image,
        }}));
    }
    let schema = request_schema(endpoint).unwrap_or_else(|| json!({ "type": "object" }));
    Some(json!({ "content": { "application/json": { "schema": schema } } }))
}

fn responses(shape: Shape) -> Value {
    let error = json!({
        "description": "The request was refused; `error.fields` names invalid fields.",
        "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } },
    });
    let success = match shape {
        Shape::Redirect => json!({ "3XX": { "description": "On to the next step." } }),
        Shape::Page => json!({ "2XX": { "description": "The page.",
            "content": { "text/html": { "schema": { "type": "string" } } } } }),
        Shape::Json | Shape::Image => json!({
            "2XX": { "description": "Done.", "content": { "application/json": { "schema": {} } } },
            "204": { "description": "Done; nothing to answer." },
        }),
    };
    let mut responses = success;
    responses["4XX"] = error;
    responses
}

/// `{"error": {"code", "message", "fields"}}`, the one error shape of the API.
fn error_schema() -> Value {
    let detail = oikos_web::status::ErrorDetail::schema();
    json!({
        "type": "object",
        "required": ["error"],
        "properties": { "error": detail },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_route_is_in_the_document_once() {
        let document = document("http://localhost:3000");
        let mut documented = 0;
        for endpoint in endpoints() {
            let item = &document["paths"][endpoint.path][endpoint.method.to_ascii_lowercase()];
            assert!(
                item.is_object(),
                "{} {} is not documented",
                endpoint.method,
                endpoint.path
            );
            documented += 1;
        }
        let operations: usize = document["paths"]
            .as_object()
            .unwrap()
            .values()
            .map(|item| item.as_object().unwrap().len())
            .sum();
        assert_eq!(
            operations, documented,
            "no operation the router does not serve"
        );
    }

    #[test]
    fn typed_bodies_and_security_follow_the_route() {
        let document = document("http://localhost:3000");
        let create = &document["paths"]["/api/provisioning/tenants"]["post"];
        let schema = &create["requestBody"]["content"]["application/json"]["schema"];
        assert_eq!(
            schema["required"],
            json!(["client_name", "email"]),
            "{schema}"
        );
        assert_eq!(create["security"], json!([{ "apiKey": [] }]));
        let outlet = &document["paths"]["/api/v1/outlets/{outlet_id}"]["get"];
        assert_eq!(outlet["parameters"][0]["name"], "outlet_id");
        assert_eq!(outlet["parameters"][1]["name"], "X-Tenant-Slug");
        assert!(document["paths"]["/api/v1/public/tenants/{slug}"]["get"]["security"].is_null());
        let list = &document["paths"]["/api/v1/tenants"]["get"]["parameters"];
        let names: Vec<&str> = list
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["name"].as_str().unwrap())
            .collect();
        assert_eq!(names, ["skip", "limit", "status", "q", "sort", "plan"]);
        assert_eq!(list[0]["in"], "query");
        let patch = &document["paths"]["/api/provisioning/tenants/{tenant_id}"]["patch"];
        let schema = &patch["requestBody"]["content"]["application/json"]["schema"];
        assert!(
            schema["properties"]["client_name"].is_object() && schema["required"].is_null(),
            "{schema}"
        );
        assert_eq!(
            (
                list[0]["schema"]["type"].as_str(),
                list[0]["required"].as_bool()
            ),
            (Some("integer"), Some(false))
        );
    }
}
