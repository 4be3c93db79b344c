"""Reads that encode a rule (STYLE.md): eligibility, pool screens, progress."""

from reviews.selectors.eligibility import (
    Hierarchy,
    eligibilities,
    member_facts,
    ratings_with_subjects,
)
from reviews.selectors.pools import (
    LevelCounts,
    PoolGroup,
    PoolPage,
    PoolRow,
    next_undecided,
    pool_groups,
    pool_page,
    pool_ratings,
    pool_rows,
)
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
    "PoolPage",
    "PoolRow",
    "cycle_for_user",
    "cycles_for_user",
    "eligibilities",
    "member_facts",
    "next_undecided",
    "pool_groups",
    "pool_page",
    "pool_ratings",
    "pool_rows",
    "progress_in_scope",
    "ratings_with_subjects",
]
