-- The outbox: every e-mail the service sends, written in the same transaction as the
-- event that causes it (an invitation, a reset link, a certificate, a reminder) and
-- delivered afterwards by the sender (learning/mail/sender.py). A row is the mail
-- exactly as it goes out: subject and both bodies are rendered when it is queued, in
-- the recipient's language.
--
-- status: queued (waiting, next_attempt_at says from when), sending (claimed by a
-- sender until claimed_until; a sender that died leaves it to be claimed again after
-- that), sent, failed (a permanent 5xx, too many attempts or too old; an admin may
-- queue it again). message_id is fixed at the first claim and never changes, so a mail
-- sent again after a crash carries the same Message-ID.
CREATE TABLE outbox (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    to_user_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
    to_address TEXT NOT NULL,
    language TEXT NOT NULL,
    subject TEXT NOT NULL,
    body_text TEXT NOT NULL,
    body_html TEXT NOT NULL,
    caused_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
    status TEXT NOT NULL DEFAULT 'queued'
        CHECK (status IN ('queued', 'sending', 'sent', 'failed')),
    attempts INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    next_attempt_at TEXT NOT NULL,
    claimed_until TEXT,
    message_id TEXT UNIQUE,
    sent_at TEXT,
    failed_at TEXT,
    last_error TEXT
);
-- The sender's question: what is due now.
CREATE INDEX outbox_due ON outbox(status, next_attempt_at);
-- The admin's outbox page, newest first per status, and the recipient's own mails.
CREATE INDEX outbox_status ON outbox(status, id);
CREATE INDEX outbox_recipient ON outbox(to_user_id);
