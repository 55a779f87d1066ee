"""E-mail: the outbox (queue), its templates, and the sender that delivers over SMTP."""
