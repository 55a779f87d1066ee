-- One summary row per (learner, course), kept current by triggers on the fact tables.
-- Reports read it instead of aggregating every page view and answer on each request;
-- the triggers keep it right whoever writes (the app, the benchmark seed, purge, reset).
CREATE TABLE course_activity (
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    course_id TEXT NOT NULL,
    pages_seen INTEGER NOT NULL DEFAULT 0,
    seconds INTEGER NOT NULL DEFAULT 0,
    last_seen TEXT,
    last_activity TEXT,
    attempts INTEGER NOT NULL DEFAULT 0,
    best_score REAL,
    PRIMARY KEY (user_id, course_id)
) WITHOUT ROWID;
CREATE INDEX course_activity_course ON course_activity(course_id, user_id);

INSERT INTO course_activity (user_id, course_id, pages_seen, seconds, last_seen, last_activity)
    SELECT user_id, course_id, count(*), sum(seconds), max(last_seen), max(last_seen)
    FROM page_views GROUP BY user_id, course_id;

INSERT INTO course_activity (user_id, course_id, last_activity)
    SELECT user_id, course_id, max(created_at) FROM answers WHERE true GROUP BY user_id, course_id
    ON CONFLICT (user_id, course_id) DO UPDATE SET
        last_activity = max(coalesce(last_activity, ''), excluded.last_activity);

INSERT INTO course_activity (user_id, course_id, attempts, best_score, last_activity)
    SELECT user_id, course_id, count(*), max(score), max(submitted_at) FROM test_attempts
    WHERE submitted_at IS NOT NULL GROUP BY user_id, course_id
    ON CONFLICT (user_id, course_id) DO UPDATE SET
        attempts = excluded.attempts,
        best_score = excluded.best_score,
        last_activity = max(coalesce(last_activity, ''), excluded.last_activity);

CREATE TRIGGER page_views_insert_activity AFTER INSERT ON page_views BEGIN
    INSERT INTO course_activity (user_id, course_id, pages_seen, seconds, last_seen, last_activity)
    VALUES (NEW.user_id, NEW.course_id, 1, NEW.seconds, NEW.last_seen, NEW.last_seen)
    ON CONFLICT (user_id, course_id) DO UPDATE SET
        pages_seen = pages_seen + 1,
        seconds = seconds + excluded.seconds,
        last_seen = max(coalesce(last_seen, ''), excluded.last_seen),
        last_activity = max(coalesce(last_activity, ''), excluded.last_activity);
END;

CREATE TRIGGER page_views_update_activity AFTER UPDATE OF seconds, last_seen ON page_views BEGIN
    UPDATE course_activity SET
        seconds = seconds + NEW.seconds - OLD.seconds,
        last_seen = max(coalesce(last_seen, ''), NEW.last_seen),
        last_activity = max(coalesce(last_activity, ''), NEW.last_seen)
    WHERE user_id = NEW.user_id AND course_id = NEW.course_id;
END;

CREATE TRIGGER page_views_delete_activity AFTER DELETE ON page_views BEGIN
    UPDATE course_activity SET
        pages_seen = pages_seen - 1,
        seconds = seconds - OLD.seconds,
        last_seen = (SELECT max(last_seen) FROM page_views
                     WHERE user_id = OLD.user_id AND course_id = OLD.course_id)
    WHERE user_id = OLD.user_id AND course_id = OLD.course_id;
END;

CREATE TRIGGER answers_insert_activity AFTER INSERT ON answers BEGIN
    INSERT INTO course_activity (user_id, course_id, last_activity)
    VALUES (NEW.user_id, NEW.course_id, NEW.created_at)
    ON CONFLICT (user_id, course_id) DO UPDATE SET
        last_activity = max(coalesce(last_activity, ''), excluded.last_activity);
END;

CREATE TRIGGER test_attempts_insert_activity AFTER INSERT ON test_attempts
WHEN NEW.submitted_at IS NOT NULL BEGIN
    INSERT INTO course_activity (user_id, course_id, attempts, best_score, last_activity)
    VALUES (NEW.user_id, NEW.course_id, 1, NEW.score, NEW.submitted_at)
    ON CONFLICT (user_id, course_id) DO UPDATE SET
        attempts = attempts + 1,
        best_score = max(coalesce(best_score, excluded.best_score), excluded.best_score),
        last_activity = max(coalesce(last_activity, ''), excluded.last_activity);
END;

CREATE TRIGGER test_attempts_submit_activity AFTER UPDATE OF submitted_at ON test_attempts
WHEN OLD.submitted_at IS NULL AND NEW.submitted_at IS NOT NULL BEGIN
    INSERT INTO course_activity (user_id, course_id, attempts, best_score, last_activity)
    VALUES (NEW.user_id, NEW.course_id, 1, NEW.score, NEW.submitted_at)
    ON CONFLICT (user_id, course_id) DO UPDATE SET
        attempts = attempts + 1,
        best_score = max(coalesce(best_score, excluded.best_score), excluded.best_score),
        last_activity = max(coalesce(last_activity, ''), excluded.last_activity);
END;

CREATE TRIGGER test_attempts_delete_activity AFTER DELETE ON test_attempts
WHEN OLD.submitted_at IS NOT NULL BEGIN
    UPDATE course_activity SET
        attempts = attempts - 1,
        best_score = (SELECT max(score) FROM test_attempts
                      WHERE user_id = OLD.user_id AND course_id = OLD.course_id
                        AND submitted_at IS NOT NULL)
    WHERE user_id = OLD.user_id AND course_id = OLD.course_id;
END;
