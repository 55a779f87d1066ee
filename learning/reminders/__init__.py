"""Reminders: the daily run that mails learners what is due and admins the overdue digest."""
