-- Posted form fields kept for a moment so nothing typed is lost: a form refused for an
-- expired CSRF token or session, or one with an invalid answer, is shown again with the
-- learner's (or admin's) input. The browser holds a random key in a cookie; the row holds
-- its SHA-256, is bound to the browser key and the owner (NULL for anonymous forms), is
-- read once and deleted, and expires after KEPT (store/kept_forms.py). Passwords and
-- tokens are never stored.
CREATE TABLE kept_forms (
    key_hash TEXT PRIMARY KEY,
    browser_key TEXT NOT NULL,
    user_id INTEGER REFERENCES users(id) ON DELETE CASCADE,
    page_path TEXT NOT NULL,
    action TEXT NOT NULL,
    fields TEXT NOT NULL,
    errors TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX kept_forms_created ON kept_forms (created_at);
