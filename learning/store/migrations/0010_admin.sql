-- Admin side: the GDPR export reads audit rows by target, account pages read open links.
CREATE INDEX IF NOT EXISTS audit_log_target ON audit_log(target_type, target_id);
CREATE INDEX IF NOT EXISTS invitations_user ON invitations(user_id, used_at);
