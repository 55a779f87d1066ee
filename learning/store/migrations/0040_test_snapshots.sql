-- A final-test snapshot depends only on the course content (each attempt's option
-- order is its own `shuffle`), so every attempt on one content version carried the same
-- ~24 kB of JSON: 100,000 attempts stored a handful of texts 100,000 times. Each
-- distinct snapshot is now stored once and attempts point to it. Snapshots hold course
-- content only, never learner data.
CREATE TABLE test_snapshots (
    id INTEGER PRIMARY KEY,
    course_id TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    questions TEXT NOT NULL
);
-- Not unique: the hash narrows the lookup, the text decides (see below).
CREATE INDEX test_snapshots_content ON test_snapshots(course_id, content_hash);

-- Distinct by the text itself: an equal content hash does not promise equal JSON (the
-- snapshot format may differ between releases), and every attempt must keep exactly
-- the questions it was started on. DISTINCT keeps only the distinct texts in its
-- temporary b-tree, so this does not sort every attempt's 24 kB.
INSERT INTO test_snapshots (course_id, content_hash, questions)
    SELECT DISTINCT course_id, content_hash, questions FROM test_attempts;

ALTER TABLE test_attempts ADD COLUMN snapshot_id INTEGER REFERENCES test_snapshots(id);
UPDATE test_attempts SET snapshot_id = (
    SELECT s.id FROM test_snapshots s
    WHERE s.course_id = test_attempts.course_id
      AND s.content_hash = test_attempts.content_hash
      AND s.questions = test_attempts.questions
);
-- No index, trigger or view uses the column (0001, 0020, 0030, 0031), so it can go.
-- The freed pages stay in the file until a VACUUM (docs/operations.md).
ALTER TABLE test_attempts DROP COLUMN questions;

-- Lets purge find unreferenced snapshots, and the foreign key check on deleting one,
-- without scanning every attempt.
CREATE INDEX test_attempts_snapshot ON test_attempts(snapshot_id);

-- ALTER TABLE cannot add a NOT NULL reference to a table with rows; these stand in.
CREATE TRIGGER test_attempts_snapshot_insert BEFORE INSERT ON test_attempts
WHEN NEW.snapshot_id IS NULL BEGIN
    SELECT RAISE(ABORT, 'test_attempts.snapshot_id is required');
END;
CREATE TRIGGER test_attempts_snapshot_update BEFORE UPDATE OF snapshot_id ON test_attempts
WHEN NEW.snapshot_id IS NULL BEGIN
    SELECT RAISE(ABORT, 'test_attempts.snapshot_id is required');
END;
