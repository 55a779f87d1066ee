"""The learning rules: grading answers, progress through a course, completion."""
