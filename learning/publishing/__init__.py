"""What is offered to learners: each course's last good version, kept across restarts, and retirement."""
