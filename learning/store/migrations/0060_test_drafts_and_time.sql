-- A draft of a final-test attempt: the answers as the learner last saved them, so an
-- expired session or a closed tab does not lose them. One row per open attempt; the
-- submit deletes it in the same transaction that stores the graded answers.
CREATE TABLE test_drafts (
    attempt_id INTEGER PRIMARY KEY REFERENCES test_attempts(id) ON DELETE CASCADE,
    form TEXT NOT NULL,
    saved_at TEXT NOT NULL
);

-- When a timed attempt ends (UTC, the start plus the limit and the learner's extra
-- time, fixed at the start); NULL for a test without a time limit.
ALTER TABLE test_attempts ADD COLUMN deadline TEXT;

-- Extra time in timed final tests (Nachteilsausgleich), set by an admin per learner.
CREATE TABLE extra_time (
    user_id INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    minutes INTEGER NOT NULL DEFAULT 0 CHECK (minutes BETWEEN 0 AND 600),
    percent INTEGER NOT NULL DEFAULT 0 CHECK (percent BETWEEN 0 AND 300)
);
