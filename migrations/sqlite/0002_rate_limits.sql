-- Request counters for rate limits (per IP, per account). Keys are stored hashed. Mirrors the
-- PostgreSQL migration.
CREATE TABLE rate_limits (
    key          TEXT    PRIMARY KEY NOT NULL,
    window_start INTEGER NOT NULL,
    hits         INTEGER NOT NULL
) STRICT;
