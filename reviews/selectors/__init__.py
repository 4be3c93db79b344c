"""Reads that encode a rule (STYLE.md): eligibility, pool screens, progress."""

from reviews.selectors.eligibility import (
    Hierarchy,
    eligibilities,
    member_facts,
    ratings_with_subjects,
)
from reviews.selectors.pools import LevelCounts, PoolGroup, PoolRow, group_rows, pool_rows
from reviews.selectors.progress import (
    CYCLE_SESSION_KEY,
    cycle_for_user,
    cycles_for_user,
    progress_in_scope,
)

__all__ = [
    "CYCLE_SESSION_KEY",
    "Hierarchy",
    "LevelCounts",
    "PoolGroup",
    "PoolRow",
    "cycle_for_user",
    "cycles_for_user",
    "eligibilities",
    "group_rows",
    "member_facts",
    "pool_rows",
    "progress_in_scope",
    "ratings_with_subjects",
]
