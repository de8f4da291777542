-- The super admin's tenant list shows each tenant's plan and active members and filters by
-- plan, across 100,000 tenants: both are kept on the tenant's row by triggers (no code path
-- can forget them), since on PostgreSQL a platform query cannot read tenant tables.
-- Mirrors migrations/postgres/0020_tenant_listing.sql.
ALTER TABLE tenants ADD COLUMN plan TEXT NOT NULL DEFAULT 'FREE';
ALTER TABLE tenants ADD COLUMN member_count INTEGER NOT NULL DEFAULT 0;
-- The list's orders end on `id` (a stable page boundary): with it in the index a page is
-- read straight off the index instead of sorting every tenant first.
DROP INDEX tenants__created_at_idx;
CREATE INDEX tenants__created_at_idx ON tenants (created_at, id);
CREATE INDEX tenants__plan_idx ON tenants (plan, created_at, id);
CREATE INDEX tenants__status_idx ON tenants (status, created_at, id);

UPDATE tenants SET
    member_count = (SELECT count(*) FROM memberships m WHERE m.tenant_id = tenants.id AND m.is_active),
    plan = coalesce((SELECT s.plan FROM subscriptions s WHERE s.tenant_id = tenants.id), 'FREE');

CREATE TRIGGER memberships__count_insert AFTER INSERT ON memberships BEGIN
    UPDATE tenants SET member_count = (SELECT count(*) FROM memberships
                                        WHERE tenant_id = NEW.tenant_id AND is_active)
     WHERE id = NEW.tenant_id;
END;
CREATE TRIGGER memberships__count_update AFTER UPDATE OF is_active ON memberships BEGIN
    UPDATE tenants SET member_count = (SELECT count(*) FROM memberships
                                        WHERE tenant_id = NEW.tenant_id AND is_active)
     WHERE id = NEW.tenant_id;
END;
CREATE TRIGGER memberships__count_delete AFTER DELETE ON memberships BEGIN
    UPDATE tenants SET member_count = (SELECT count(*) FROM memberships
                                        WHERE tenant_id = OLD.tenant_id AND is_active)
     WHERE id = OLD.tenant_id;
END;

CREATE TRIGGER subscriptions__plan_insert AFTER INSERT ON subscriptions BEGIN
    UPDATE tenants SET plan = NEW.plan WHERE id = NEW.tenant_id;
END;
CREATE TRIGGER subscriptions__plan_update AFTER UPDATE OF plan ON subscriptions BEGIN
    UPDATE tenants SET plan = NEW.plan WHERE id = NEW.tenant_id;
END;
CREATE TRIGGER subscriptions__plan_delete AFTER DELETE ON subscriptions BEGIN
    UPDATE tenants SET plan = 'FREE' WHERE id = OLD.tenant_id;
END;
