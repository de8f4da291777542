-- Each tenant's subscription: one row per tenant, FREE from registration on; Stripe's ids
-- arrive with billing. A tenant table under the two tenant policies. Mirrors
-- migrations/sqlite/0006_subscriptions.sql.
CREATE TABLE subscriptions (
    tenant_id     uuid        PRIMARY KEY NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    plan          text        NOT NULL,
    billing_cycle text        NOT NULL CHECK (billing_cycle IN ('monthly', 'annual')),
    status        text        NOT NULL
                  CHECK (status IN ('active', 'trialing', 'past_due', 'canceled', 'suspended')),
    created_at    timestamptz NOT NULL,
    updated_at    timestamptz NOT NULL
);
ALTER TABLE subscriptions ENABLE ROW LEVEL SECURITY;
ALTER TABLE subscriptions FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_rows ON subscriptions
    USING (tenant_id = (SELECT oikos_current_tenant())) WITH CHECK (tenant_id = (SELECT oikos_current_tenant()));
CREATE POLICY tenant_isolation ON subscriptions AS RESTRICTIVE
    USING (tenant_id = (SELECT oikos_current_tenant())) WITH CHECK (tenant_id = (SELECT oikos_current_tenant()));
