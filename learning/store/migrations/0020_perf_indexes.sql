-- Indexes chosen from EXPLAIN QUERY PLAN under the load harness (benchmarks/).
-- test_attempts rows carry a ~24 kB question snapshot, so any query that has to read
-- the row itself walks its overflow pages: these indexes answer the hot queries alone.

-- try_complete on every page view: "has this learner passed?" (best score first).
CREATE INDEX test_attempts_passed ON test_attempts(user_id, course_id, passed, score DESC, id);

-- Course reports: per-learner aggregates of one course, without touching the rows.
CREATE INDEX test_attempts_report ON test_attempts(course_id, user_id, submitted_at, score);
CREATE INDEX page_views_report ON page_views(course_id, user_id, page_id, seconds, last_seen);
CREATE INDEX answers_report ON answers(course_id, user_id, created_at);

-- page_views_report starts with (course_id, user_id), so it serves every query the
-- old page_views_course index did; in its place, one that lists the distinct pages
-- with stored views (the orphan check at start-up) without scanning every view.
DROP INDEX page_views_course;
CREATE INDEX page_views_pages ON page_views(course_id, page_id);
