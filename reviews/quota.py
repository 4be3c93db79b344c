"""The quota on "Hoàn thành xuất sắc nhiệm vụ": the only place it is computed (DOMAIN.md §3).

Letter 897-CV/ĐUK point 1 and HD 21-HD/BTCTW: within each deciding body's pool the number rated
HTXSNV may not exceed 20% of the number rated HTTNV. "Không vượt quá" means must not exceed, so the
allowed number is rounded down; with fewer than 5 rated good nobody may be excellent.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal

from django.db.models import Count, Q

from reviews.models import Level, Pool, QuotaBasis, QuotaRounding, Rating, ReviewCycle


def allowed_excellent(
    *, basis_count: int, rate: Decimal, rounding: str = QuotaRounding.FLOOR
) -> int:
    """`floor(rate × basis)` by default; exact decimal arithmetic, no float surprises."""
    product = Decimal(rate) * basis_count
    mode = ROUND_FLOOR if rounding == QuotaRounding.FLOOR else ROUND_HALF_UP
    return int(product.to_integral_value(rounding=mode))


@dataclass(frozen=True)
class QuotaStatus:
    """Counts of one pool against its quota, as shown on the quota panel and in reports."""

    excellent: int
    good: int
    completed: int
    not_completed: int
    undecided: int
    not_rated: int
    basis: int
    rate: Decimal
    allowed: int

    @property
    def is_over(self) -> bool:
        return self.excellent > self.allowed

    @property
    def rated(self) -> int:
        return self.excellent + self.good + self.completed + self.not_completed + self.undecided

    @property
    def rate_percent(self) -> str:
        value = self.rate * 100
        return f"{value.normalize():f}".replace(".", ",")


def basis_count(*, cycle: ReviewCycle, counts: dict[str, int]) -> int:
    if cycle.quota_basis == QuotaBasis.GOOD_OR_BETTER:
        return counts.get(Level.GOOD, 0) + counts.get(Level.EXCELLENT, 0)
    return counts.get(Level.GOOD, 0)


def quota_status_from_counts(
    *, cycle: ReviewCycle, counts: dict[str, int], undecided: int = 0, not_rated: int = 0
) -> QuotaStatus:
    basis = basis_count(cycle=cycle, counts=counts)
    return QuotaStatus(
        excellent=counts.get(Level.EXCELLENT, 0),
        good=counts.get(Level.GOOD, 0),
        completed=counts.get(Level.COMPLETED, 0),
        not_completed=counts.get(Level.NOT_COMPLETED, 0),
        undecided=undecided,
        not_rated=not_rated,
        basis=basis,
        rate=cycle.quota_rate,
        allowed=allowed_excellent(
            basis_count=basis, rate=cycle.quota_rate, rounding=cycle.quota_rounding
        ),
    )


_LEVEL_COUNTS = {
    level: Count("pk", filter=Q(not_rated_reason="", decision_level=level))
    for level in Level.values
}


def pool_quota(pool: Pool) -> QuotaStatus:
    """The quota status of one pool, counted in one query from the decided levels."""
    row = Rating.objects.filter(pool=pool).aggregate(
        **_LEVEL_COUNTS,
        undecided=Count("pk", filter=Q(not_rated_reason="", decision_level="")),
        not_rated=Count("pk", filter=~Q(not_rated_reason="")),
    )
    counts = {level: row[level] for level in Level.values}
    return quota_status_from_counts(
        cycle=pool.cycle, counts=counts, undecided=row["undecided"], not_rated=row["not_rated"]
    )
