"""Fills a migrated SQLite database with N tenants for bench/tenants: one in ten inactive,
one in twenty on PRO, each with its plan and member count as the triggers keep them."""
import sqlite3
import sys
import uuid
from datetime import datetime, timedelta, timezone

path, count = sys.argv[1], int(sys.argv[2])
start = datetime(2024, 1, 1, tzinfo=timezone.utc)
db = sqlite3.connect(path)
rows = []
for n in range(count):
    at = (start + timedelta(minutes=n)).strftime("%Y-%m-%dT%H:%M:%S.000000000+00:00")
    name = f"Bench {n:06d}"
    rows.append((uuid.uuid4().bytes, f"bench-{n}", name, name.lower(), f"hello{n}@bench.example",
                 "inactive" if n % 10 == 0 else "active", at, at,
                 "PRO" if n % 20 == 0 else "FREE", 1 + n % 7))
db.executemany(
    "INSERT INTO tenants (id, slug, name, name_key, email, status, created_at, updated_at, plan,"
    " member_count) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
db.commit()
print(f"seeded {count} tenants")
