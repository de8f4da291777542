-- Each tenant's subscription: one row per tenant, FREE from registration on; Stripe's ids
-- arrive with billing. Mirrors migrations/postgres/0006_subscriptions.sql.
CREATE TABLE subscriptions (
    tenant_id     BLOB    PRIMARY KEY NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    plan          TEXT    NOT NULL,
    billing_cycle TEXT    NOT NULL CHECK (billing_cycle IN ('monthly', 'annual')),
    status        TEXT    NOT NULL
                  CHECK (status IN ('active', 'trialing', 'past_due', 'canceled', 'suspended')),
    created_at    TEXT    NOT NULL,
    updated_at    TEXT    NOT NULL
) STRICT;
