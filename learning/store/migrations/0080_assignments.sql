-- Mandatory training (issue 17): assignments with due dates and renewal, group
-- membership over time, un-enrolment history, certificate validity.
-- Times are UTC text 'YYYY-MM-DD HH:MM:SS'; calendar dates (due dates, validity) are
-- local dates 'YYYY-MM-DD' in the service's time zone (config.timezone).

-- When each membership began and ended. users.group_id stays the current group;
-- store/memberships.py writes both together, so a later joiner's due date can be
-- counted from the day they joined.
CREATE TABLE group_memberships (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    group_id INTEGER NOT NULL REFERENCES groups(id) ON DELETE CASCADE,
    joined_at TEXT NOT NULL,
    left_at TEXT
);
CREATE UNIQUE INDEX group_memberships_open ON group_memberships(user_id) WHERE left_at IS NULL;
CREATE INDEX group_memberships_group ON group_memberships(group_id, left_at, user_id);

-- Nobody knows when today's members joined: the account's creation is the best guess.
INSERT INTO group_memberships (user_id, group_id, joined_at)
    SELECT id, group_id, created_at FROM users WHERE group_id IS NOT NULL;

-- A course assigned to a group or to one user. The due rule is a fixed local date
-- (due_on) or a number of days (due_days) after the assignment, for group members who
-- join later after their joining. renew_months: the certificate is valid that long and
-- a new due date follows its expiry. reminders: the schedule text of rules/reminders
-- (NULL = the default). Removal is soft: removed_at/removed_by, the row stays.
CREATE TABLE assignments (
    id INTEGER PRIMARY KEY,
    course_id TEXT NOT NULL,
    group_id INTEGER REFERENCES groups(id),
    user_id INTEGER REFERENCES users(id) ON DELETE CASCADE,
    due_on TEXT,
    due_days INTEGER,
    renew_months INTEGER,
    reminders TEXT,
    created_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
    created_at TEXT NOT NULL,
    removed_at TEXT,
    removed_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
    CHECK ((group_id IS NULL) <> (user_id IS NULL)),
    CHECK ((due_on IS NULL) <> (due_days IS NULL)),
    CHECK (due_days IS NULL OR due_days BETWEEN 0 AND 3660),
    CHECK (renew_months IS NULL OR renew_months BETWEEN 1 AND 240)
);
-- One live assignment per course and group, and per course and user.
CREATE UNIQUE INDEX assignments_group_open ON assignments(course_id, group_id)
    WHERE removed_at IS NULL AND group_id IS NOT NULL;
CREATE UNIQUE INDEX assignments_user_open ON assignments(course_id, user_id)
    WHERE removed_at IS NULL AND user_id IS NOT NULL;
CREATE INDEX assignments_group ON assignments(group_id, removed_at);
CREATE INDEX assignments_user ON assignments(user_id, removed_at);

-- An admin's un-enrolment: the enrolment row goes (so the learner is no longer
-- assigned or listed as enrolled), what it was and who removed it stays here; page
-- views, answers, attempts and completions are not touched.
CREATE TABLE enrolment_removals (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    course_id TEXT NOT NULL,
    enrolled_at TEXT NOT NULL,
    enrolled_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
    removed_at TEXT NOT NULL,
    removed_by INTEGER REFERENCES users(id) ON DELETE SET NULL
);
CREATE INDEX enrolment_removals_user ON enrolment_removals(user_id, course_id);

-- The last local date a certificate is valid on; NULL: no expiry.
ALTER TABLE certificates ADD COLUMN valid_until TEXT;

-- A certificate replaced by a renewal: its code still verifies, as expired.
CREATE TABLE certificates_replaced (
    code TEXT PRIMARY KEY,
    user_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
    course_id TEXT NOT NULL,
    learner_name TEXT NOT NULL,
    course_title TEXT NOT NULL,
    issued_at TEXT NOT NULL,
    valid_until TEXT,
    replaced_at TEXT NOT NULL
);
CREATE INDEX certificates_replaced_user ON certificates_replaced(user_id, course_id);
