-- A role change rotates the member's browser sessions: each is marked here and gets a new id
-- on its next request (the mark goes with the old id). Mirrors
-- migrations/sqlite/0014_session_rotation.sql.
ALTER TABLE sessions ADD COLUMN rotate_due boolean NOT NULL DEFAULT false;
