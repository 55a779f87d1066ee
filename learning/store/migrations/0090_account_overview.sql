-- When the account last signed in (UTC), for the account list: "nie angemeldet" when NULL.
ALTER TABLE users ADD COLUMN last_login_at TEXT;

-- Links handed out together (one invitation, an import, a bulk action) share a batch id,
-- so the page that shows them is a GET after the POST (reloading it creates nothing).
-- signed_at is the itsdangerous timestamp of the token (epoch seconds): with the nonce,
-- the purpose and the user it rebuilds the link under the app's secret, so the link
-- itself is never stored and a copy of the database hands out no live link.
ALTER TABLE invitations ADD COLUMN batch TEXT;
ALTER TABLE invitations ADD COLUMN signed_at INTEGER;
CREATE INDEX invitations_batch ON invitations(batch);
CREATE INDEX invitations_user_open ON invitations(user_id, purpose, used_at);

-- Accounts that signed in before this column existed: their newest session or
-- successful login attempt still on record (both are kept only for a while).
UPDATE users SET last_login_at = (
    SELECT max(s.created_at) FROM sessions s WHERE s.user_id = users.id
);
UPDATE users SET last_login_at = (
    SELECT max(a.at) FROM login_attempts a WHERE a.success = 1 AND lower(a.email) = lower(users.email)
) WHERE last_login_at IS NULL;

-- A checked CSV import waiting for the admin's confirmation: the upload redirects to its
-- preview page (GET), so reloading resubmits nothing. Kept an hour at most; deleted on
-- confirmation. `payload` holds the validated rows as JSON.
CREATE TABLE import_previews (
    id TEXT PRIMARY KEY,
    created_by INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at TEXT NOT NULL,
    payload TEXT NOT NULL
);
