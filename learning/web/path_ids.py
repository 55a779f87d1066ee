"""The `{name:id}` path convertor: a row id that SQLite can hold, or no match at all.

Starlette's `int` convertor accepts any number of digits, and a 23-digit id reached
SQLite as an overflow (a 500). Here the pattern itself bounds the value, so an
out-of-range id never matches a route and gets the ordinary 404 page.
"""

from __future__ import annotations

from starlette.convertors import Convertor, register_url_convertor

# Row ids start at 1; 18 digits stay below 2**63, the largest SQLite INTEGER.
MAX_ID = 10**18 - 1


class IdConvertor(Convertor[int]):
    regex = "[1-9][0-9]{0,17}"

    def convert(self, value: str) -> int:
        return int(value)

    def to_string(self, value: int) -> str:
        if not 1 <= value <= MAX_ID:
            raise ValueError("id out of range")
        return str(value)


def in_range(value: int) -> bool:
    return 1 <= value <= MAX_ID


register_url_convertor("id", IdConvertor())
