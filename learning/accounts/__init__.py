"""Who may sign in: passwords, signed values, throttling, links, user import, e-mail rules."""
