-- PostgreSQL twin of ../0085_reminders.sql.
-- Reminders (issue 17): what was sent, so a second run on the same day sends nothing.
-- Days are local calendar days 'YYYY-MM-DD' in LEARNING_TIMEZONE, times UTC text.
-- assignment_id has no foreign key on purpose: the record of what was sent outlives a
-- removed assignment.

-- One reminder mail per learner and day at most; the mail lists every assignment due.
CREATE TABLE reminder_mails (
    user_id bigint NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    day text NOT NULL,
    kind text NOT NULL CHECK (kind IN ('reminder', 'overdue', 'renewal_due')),
    outbox_id bigint,
    queued_at text NOT NULL,
    PRIMARY KEY (user_id, day)
);

-- Which scheduled point of which assignment (and which due date: a renewal starts a
-- new cycle with a new due date) each reminder stood for.
CREATE TABLE reminders_sent (
    user_id bigint NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    assignment_id bigint NOT NULL,
    day text NOT NULL,
    due_on text NOT NULL,
    point text NOT NULL,
    PRIMARY KEY (user_id, assignment_id, day)
);
CREATE INDEX reminders_sent_cycle ON reminders_sent(user_id, assignment_id, due_on, point);

-- The overdue digest: at most one per admin and day.
CREATE TABLE reminder_digests (
    admin_id bigint NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    day text NOT NULL,
    outbox_id bigint,
    queued_at text NOT NULL,
    PRIMARY KEY (admin_id, day)
);

-- Each finished daily run (server or `learning reminders send`), by the day it ran as.
CREATE TABLE reminder_runs (
    day text PRIMARY KEY,
    finished_at text NOT NULL,
    mails bigint NOT NULL,
    digests bigint NOT NULL
);
