-- Each tenant's settings (PRODUCT.md §4): one row per tenant, written on the first change
-- (until then the defaults apply). Templates are JSON arrays of strings. Mirrors
-- migrations/postgres/0007_tenant_settings.sql.
CREATE TABLE tenant_settings (
    tenant_id                  BLOB    PRIMARY KEY NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    timezone                   TEXT    NOT NULL,
    currency                   TEXT    NOT NULL,
    language                   TEXT    NOT NULL,
    staff_position_templates   TEXT    NOT NULL,
    service_category_templates TEXT    NOT NULL,
    booking_advance_days       INTEGER NOT NULL,
    cancellation_hours         INTEGER NOT NULL,
    wallet_enabled             INTEGER NOT NULL,
    loyalty_points_enabled     INTEGER NOT NULL,
    updated_at                 TEXT    NOT NULL
) STRICT;
