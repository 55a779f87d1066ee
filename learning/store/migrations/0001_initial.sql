-- Timestamps are UTC text 'YYYY-MM-DD HH:MM:SS' (sortable, and SQLite's date functions read it).

CREATE TABLE groups (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE COLLATE NOCASE,
    created_at TEXT NOT NULL
);

CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    email TEXT NOT NULL UNIQUE COLLATE NOCASE,
    name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('learner', 'trainer', 'admin')),
    group_id INTEGER REFERENCES groups(id) ON DELETE SET NULL,
    password_hash TEXT,
    locale TEXT,
    active INTEGER NOT NULL DEFAULT 1,
    anonymised INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    password_changed_at TEXT
);
CREATE INDEX users_group ON users(group_id, role);
CREATE INDEX users_role ON users(role);

-- The cookie carries the random id, signed; the table stores only its SHA-256,
-- so a copy of the database does not hand out live sessions.
CREATE TABLE sessions (
    id_hash TEXT PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at TEXT NOT NULL,
    last_seen TEXT NOT NULL,
    last_page_course TEXT,
    last_page_id TEXT,
    last_page_at TEXT
) WITHOUT ROWID;
CREATE INDEX sessions_user ON sessions(user_id);

CREATE TABLE login_attempts (
    id INTEGER PRIMARY KEY,
    email TEXT NOT NULL COLLATE NOCASE,
    address TEXT NOT NULL,
    at TEXT NOT NULL,
    success INTEGER NOT NULL
);
CREATE INDEX login_attempts_email ON login_attempts(email, at);
CREATE INDEX login_attempts_address ON login_attempts(address, at);

CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    actor_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
    actor_email TEXT,
    action TEXT NOT NULL,
    target_type TEXT,
    target_id TEXT,
    details TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_log_at ON audit_log(at);

-- Single-use signed links (setup, invitation, password reset) record their nonce here.
CREATE TABLE used_tokens (
    nonce TEXT PRIMARY KEY,
    purpose TEXT NOT NULL,
    used_at TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE invitations (
    id INTEGER PRIMARY KEY,
    nonce TEXT NOT NULL UNIQUE,
    purpose TEXT NOT NULL CHECK (purpose IN ('invite', 'reset')),
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_at TEXT
);

CREATE TABLE enrolments (
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    course_id TEXT NOT NULL,
    enrolled_at TEXT NOT NULL,
    enrolled_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
    PRIMARY KEY (user_id, course_id)
) WITHOUT ROWID;
CREATE INDEX enrolments_course ON enrolments(course_id, user_id);

-- One summary row per (learner, page): first and last view, time on page.
CREATE TABLE page_views (
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    course_id TEXT NOT NULL,
    page_id TEXT NOT NULL,
    first_seen TEXT NOT NULL,
    last_seen TEXT NOT NULL,
    seconds INTEGER NOT NULL DEFAULT 0,
    views INTEGER NOT NULL DEFAULT 1,
    PRIMARY KEY (user_id, course_id, page_id)
) WITHOUT ROWID;
CREATE INDEX page_views_course ON page_views(course_id, user_id);

-- Every knowledge-check answer, append-only.
CREATE TABLE answers (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    course_id TEXT NOT NULL,
    question_id TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    response TEXT NOT NULL,
    correct INTEGER,
    created_at TEXT NOT NULL
);
CREATE INDEX answers_user ON answers(user_id, course_id, question_id, id);
CREATE INDEX answers_course ON answers(course_id, question_id);

-- Reflection answers: private to the learner, editable.
CREATE TABLE reflections (
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    course_id TEXT NOT NULL,
    question_id TEXT NOT NULL,
    text TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (user_id, course_id, question_id)
) WITHOUT ROWID;

-- Case scenarios: the path taken, one row per play-through.
CREATE TABLE scenario_runs (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    course_id TEXT NOT NULL,
    question_id TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    path TEXT NOT NULL DEFAULT '[]',
    current_step TEXT NOT NULL,
    started_at TEXT NOT NULL,
    finished_at TEXT
);
CREATE INDEX scenario_runs_user ON scenario_runs(user_id, course_id, question_id, id);

-- Final-test attempts carry a snapshot of the questions they were started on, so
-- an attempt is graded against its own version even after the content changes.
CREATE TABLE test_attempts (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    course_id TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    questions TEXT NOT NULL,
    shuffle TEXT NOT NULL,
    started_at TEXT NOT NULL,
    submitted_at TEXT,
    score REAL,
    passed INTEGER
);
CREATE INDEX test_attempts_user ON test_attempts(user_id, course_id, id);
CREATE INDEX test_attempts_course ON test_attempts(course_id, submitted_at);

CREATE TABLE test_answers (
    attempt_id INTEGER NOT NULL REFERENCES test_attempts(id) ON DELETE CASCADE,
    question_id TEXT NOT NULL,
    response TEXT,
    correct INTEGER NOT NULL,
    PRIMARY KEY (attempt_id, question_id)
) WITHOUT ROWID;

CREATE TABLE completions (
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    course_id TEXT NOT NULL,
    completed_at TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    attempt_id INTEGER REFERENCES test_attempts(id) ON DELETE SET NULL,
    score REAL NOT NULL,
    page_hashes TEXT NOT NULL DEFAULT '{}',
    PRIMARY KEY (user_id, course_id)
) WITHOUT ROWID;
CREATE INDEX completions_course ON completions(course_id, completed_at);

CREATE TABLE certificates (
    code TEXT PRIMARY KEY,
    user_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
    course_id TEXT NOT NULL,
    learner_name TEXT NOT NULL,
    course_title TEXT NOT NULL,
    duration INTEGER NOT NULL,
    topics TEXT NOT NULL DEFAULT '[]',
    issued_at TEXT NOT NULL,
    UNIQUE (user_id, course_id)
) WITHOUT ROWID;
