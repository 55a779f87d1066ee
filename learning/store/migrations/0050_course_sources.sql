-- The last good version of each course, kept so that a typo in a course file or a
-- folder gone missing does not take the course offline at the next start. Every file
-- of the course folder is kept (media included), each distinct file content once.
-- Course content only, never learner data.
CREATE TABLE course_blobs (
    sha256 TEXT PRIMARY KEY,
    data BLOB NOT NULL
);

-- One row per (course, content version) that compiled without errors. `confirmed_at`
-- is the last time it did: the latest confirmed version is the one served when the
-- folder is broken, also after an edit was reverted to an earlier version.
CREATE TABLE course_versions (
    id INTEGER PRIMARY KEY,
    course_id TEXT NOT NULL,
    folder TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    stored_at TEXT NOT NULL,
    confirmed_at TEXT NOT NULL,
    UNIQUE (course_id, content_hash)
);
CREATE INDEX course_versions_latest ON course_versions(course_id, confirmed_at, id);

CREATE TABLE course_version_files (
    version_id INTEGER NOT NULL REFERENCES course_versions(id) ON DELETE CASCADE,
    path TEXT NOT NULL,
    sha256 TEXT NOT NULL REFERENCES course_blobs(sha256),
    PRIMARY KEY (version_id, path)
) WITHOUT ROWID;

-- The current compile errors of a course folder with the moment each was first seen,
-- so "since when" survives a restart. A folder's rows go when it compiles again.
CREATE TABLE course_problems (
    folder TEXT NOT NULL,
    problem TEXT NOT NULL,
    first_seen TEXT NOT NULL,
    PRIMARY KEY (folder, problem)
) WITHOUT ROWID;

-- A course taken out of the offer on purpose (`learning courses retire`). Its stored
-- version still serves enrolled learners, reports and certificates.
CREATE TABLE course_retirements (
    course_id TEXT PRIMARY KEY,
    retired_at TEXT NOT NULL
);
