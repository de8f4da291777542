-- Billing with Stripe (PRODUCT.md §7): the tenant's Stripe customer and subscription beside
-- its plan, Stripe's statuses, and the Stripe events already applied (by id: a repeat is a
-- no-op). SQLite changes a CHECK only by rebuilding the table. Mirrors
-- migrations/postgres/0015_billing.sql.
CREATE TABLE subscriptions_new (
    tenant_id              BLOB    PRIMARY KEY NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    plan                   TEXT    NOT NULL,
    billing_cycle          TEXT    NOT NULL CHECK (billing_cycle IN ('monthly', 'annual')),
    status                 TEXT    NOT NULL CHECK (status IN
        ('active', 'trialing', 'past_due', 'canceled', 'unpaid', 'inactive', 'suspended')),
    created_at             TEXT    NOT NULL,
    updated_at             TEXT    NOT NULL,
    customer_id            TEXT,
    stripe_subscription_id TEXT,
    current_period_end     TEXT,
    cancel_at_period_end   INTEGER NOT NULL DEFAULT 0
) STRICT;
INSERT INTO subscriptions_new (tenant_id, plan, billing_cycle, status, created_at, updated_at)
    SELECT tenant_id, plan, billing_cycle, status, created_at, updated_at FROM subscriptions;
DROP TABLE subscriptions;
ALTER TABLE subscriptions_new RENAME TO subscriptions;
CREATE UNIQUE INDEX subscriptions__customer_id_idx ON subscriptions (customer_id);

CREATE TABLE stripe_events (
    id          TEXT PRIMARY KEY NOT NULL,
    type        TEXT NOT NULL,
    received_at TEXT NOT NULL
) STRICT;
