"""Numbers, percentages and levels as Vietnamese documents write them (UI-VI.md)."""

from __future__ import annotations

from organizations.text import share_text, thousands_text
from reviews.models import Level

#: The abbreviations every party table uses for the four levels (DOMAIN.md §2).
LEVEL_CODES = {level: level for level in Level.values}


def number(value: int | None) -> str:
    """5.000 — thousands with a dot."""
    if value is None:
        return ""
    return thousands_text(value)


def percent(value: float | None) -> str:
    """12,5 — one decimal with a comma; a dash when there is nothing to divide by."""
    return share_text(value)


def level_code(level: str) -> str:
    return LEVEL_CODES.get(level, "")


def votes(rating) -> str:
    """ "12/1": votes for / against the cell's proposal, or '' when no vote was recorded."""
    if rating.votes_for is None and rating.votes_against is None:
        return ""
    return f"{rating.votes_for or 0}/{rating.votes_against or 0}"
