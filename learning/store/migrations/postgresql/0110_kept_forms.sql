-- PostgreSQL twin of ../0110_kept_forms.sql.
-- Posted form fields kept for a moment so nothing typed is lost: a form refused for an
-- expired CSRF token or session, or one with an invalid answer, is shown again with the
-- learner's (or admin's) input. The browser holds a random key in a cookie; the row holds
-- its SHA-256, is bound to the browser key and the owner (NULL for anonymous forms), is
-- read once and deleted, and expires after KEPT (store/kept_forms.py). Passwords and
-- tokens are never stored.
CREATE TABLE kept_forms (
    key_hash text PRIMARY KEY,
    browser_key text NOT NULL,
    user_id bigint REFERENCES users(id) ON DELETE CASCADE,
    page_path text NOT NULL,
    action text NOT NULL,
    fields text NOT NULL,
    errors text NOT NULL,
    created_at text NOT NULL
);
CREATE INDEX kept_forms_created ON kept_forms (created_at);
