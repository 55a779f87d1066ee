-- Which trainers a course belongs to: they see its progress report and item analysis
-- (under the report mode admins see); other trainers see only its content and errors.
-- An admin assigns them on the course's trainer page.
CREATE TABLE course_trainers (
    course_id TEXT NOT NULL,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    assigned_at TEXT NOT NULL,
    PRIMARY KEY (course_id, user_id)
);
CREATE INDEX course_trainers_user ON course_trainers (user_id);

-- The audit log page filters by action and lists newest first.
CREATE INDEX audit_log_action ON audit_log (action, at);
