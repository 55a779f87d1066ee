-- Reminders (issue 17): what was sent, so a second run on the same day sends nothing.
-- Days are local calendar days 'YYYY-MM-DD' in LEARNING_TIMEZONE, times UTC text.
-- assignment_id has no foreign key on purpose: the record of what was sent outlives a
-- removed assignment.

-- One reminder mail per learner and day at most; the mail lists every assignment due.
CREATE TABLE reminder_mails (
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    day TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('reminder', 'overdue', 'renewal_due')),
    outbox_id INTEGER,
    queued_at TEXT NOT NULL,
    PRIMARY KEY (user_id, day)
);

-- Which scheduled point of which assignment (and which due date: a renewal starts a
-- new cycle with a new due date) each reminder stood for.
CREATE TABLE reminders_sent (
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    assignment_id INTEGER NOT NULL,
    day TEXT NOT NULL,
    due_on TEXT NOT NULL,
    point TEXT NOT NULL,
    PRIMARY KEY (user_id, assignment_id, day)
);
CREATE INDEX reminders_sent_cycle ON reminders_sent(user_id, assignment_id, due_on, point);

-- The overdue digest: at most one per admin and day.
CREATE TABLE reminder_digests (
    admin_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    day TEXT NOT NULL,
    outbox_id INTEGER,
    queued_at TEXT NOT NULL,
    PRIMARY KEY (admin_id, day)
);

-- Each finished daily run (server or `learning reminders send`), by the day it ran as.
CREATE TABLE reminder_runs (
    day TEXT PRIMARY KEY,
    finished_at TEXT NOT NULL,
    mails INTEGER NOT NULL,
    digests INTEGER NOT NULL
);
