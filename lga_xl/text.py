"""Forgiving comparison of typed text: one rule for statuses, choices and headers.

Pure (standard library only), so the Excel functions can use it under xlwings Lite.

Example:
    >>> squash(" In-Progress "), loose_choice("east of england", ("London", "East of England"))
    ('inprogress', 'East of England')
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_IGNORED = re.compile(r"[\s_-]+")


def squash(text: object) -> str:
    """Lower case without spaces, hyphens or underscores; '' for None."""
    return "" if text is None else _IGNORED.sub("", str(text).lower())


def loose_choice(value: object, choices: Iterable[str]) -> str | None:
    """The choice ``value`` names, ignoring case, spaces, hyphens and underscores."""
    wanted = squash(value)
    return next((choice for choice in choices if squash(choice) == wanted), None)
