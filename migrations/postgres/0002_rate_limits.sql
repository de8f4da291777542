-- Request counters for rate limits (per IP, per account), shared by every instance. Keys are
-- stored hashed, so no address or email sits here in the clear. Mirrors the SQLite migration.
CREATE TABLE rate_limits (
    key          text   PRIMARY KEY,
    window_start bigint NOT NULL,
    hits         bigint NOT NULL
);
ALTER TABLE rate_limits ENABLE ROW LEVEL SECURITY;
ALTER TABLE rate_limits FORCE ROW LEVEL SECURITY;
CREATE POLICY platform_rows ON rate_limits USING (true) WITH CHECK (true);
