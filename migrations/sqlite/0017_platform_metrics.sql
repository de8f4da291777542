-- The platform's metrics count subscriptions across tenants. On SQLite the application
-- reads them directly; on PostgreSQL through an owner function. Mirrors
-- migrations/postgres/0017_platform_metrics.sql.
SELECT 1;
