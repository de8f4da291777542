-- The super admin's tenant list shows each tenant's plan and active members and filters by
-- plan, across 100,000 tenants: both are kept on the tenant's row by triggers (no code path
-- can forget them), since a platform query cannot read tenant tables under row-level
-- security. The triggers run as the caller: within a tenant's transaction, which may update
-- its own tenant row. Mirrors migrations/sqlite/0020_tenant_listing.sql.
ALTER TABLE tenants ADD COLUMN plan text NOT NULL DEFAULT 'FREE';
ALTER TABLE tenants ADD COLUMN member_count bigint NOT NULL DEFAULT 0;
-- The list's orders end on `id` (a stable page boundary): with it in the index a page is
-- read straight off the index instead of sorting every tenant first.
DROP INDEX tenants__created_at_idx;
CREATE INDEX tenants__created_at_idx ON tenants (created_at, id);
CREATE INDEX tenants__plan_idx ON tenants (plan, created_at, id);
CREATE INDEX tenants__status_idx ON tenants (status, created_at, id);

-- The backfill reads every tenant's rows: row-level security, forced even on the owner, is
-- lifted for this transaction only.
ALTER TABLE memberships NO FORCE ROW LEVEL SECURITY;
ALTER TABLE subscriptions NO FORCE ROW LEVEL SECURITY;
ALTER TABLE tenants NO FORCE ROW LEVEL SECURITY;
UPDATE tenants SET
    member_count = (SELECT count(*) FROM memberships m WHERE m.tenant_id = tenants.id AND m.is_active),
    plan = coalesce((SELECT s.plan FROM subscriptions s WHERE s.tenant_id = tenants.id), 'FREE');
ALTER TABLE memberships FORCE ROW LEVEL SECURITY;
ALTER TABLE subscriptions FORCE ROW LEVEL SECURITY;
ALTER TABLE tenants FORCE ROW LEVEL SECURITY;

CREATE FUNCTION oikos_count_members() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
    AS $$
DECLARE
    counted uuid;
BEGIN
    IF TG_OP = 'DELETE' THEN
        counted := OLD.tenant_id;
    ELSE
        counted := NEW.tenant_id;
    END IF;
    UPDATE public.tenants
       SET member_count = (SELECT count(*) FROM public.memberships m
                            WHERE m.tenant_id = counted AND m.is_active)
     WHERE id = counted;
    RETURN NULL;
END
$$;
CREATE TRIGGER memberships__count AFTER INSERT OR DELETE OR UPDATE OF is_active ON memberships
    FOR EACH ROW EXECUTE FUNCTION oikos_count_members();

CREATE FUNCTION oikos_copy_plan() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
    AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        UPDATE public.tenants SET plan = 'FREE' WHERE id = OLD.tenant_id;
    ELSE
        UPDATE public.tenants SET plan = NEW.plan WHERE id = NEW.tenant_id;
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER subscriptions__plan AFTER INSERT OR DELETE OR UPDATE OF plan ON subscriptions
    FOR EACH ROW EXECUTE FUNCTION oikos_copy_plan();
