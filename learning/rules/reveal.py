"""When the final test's result page may show the correct answers."""

from __future__ import annotations


def may_reveal(policy: str, *, passed: bool, attempts_left: int) -> bool:
    """Whether correct answers may be shown, given the learner's state in the course.

    `passed`: any attempt passed. `attempts_left`: attempts not yet started. Until this
    is true a result page shows the score and what to re-read, never a correct option:
    otherwise a learner could fail on purpose, read the key and pass the next attempt.
    Unknown policies reveal nothing (the safe side).
    """
    last = attempts_left <= 0
    if policy == "after_attempt":
        return True
    if policy == "after_pass":
        return passed
    if policy == "after_last_attempt":
        return last
    if policy == "after_pass_or_last":
        return passed or last
    return False
