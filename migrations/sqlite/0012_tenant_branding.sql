-- Each tenant's branding (PRODUCT.md §4): its portal's colours and logo, one row per tenant,
-- written on the first change (until then the defaults apply). The logo is kept here, so
-- every instance serves it. Mirrors migrations/postgres/0012_tenant_branding.sql.
CREATE TABLE tenant_branding (
    tenant_id       BLOB PRIMARY KEY NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    primary_color   TEXT NOT NULL,
    secondary_color TEXT NOT NULL,
    accent_color    TEXT NOT NULL,
    logo_type       TEXT CHECK (logo_type IN ('image/png', 'image/jpeg', 'image/webp')),
    logo            BLOB,
    updated_at      TEXT NOT NULL
) STRICT;
