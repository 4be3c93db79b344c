from decimal import Decimal

import pytest

from reviews.quota import allowed_excellent


@pytest.mark.parametrize(
    ("good", "allowed"), [(0, 0), (4, 0), (5, 1), (9, 1), (10, 2), (17, 3), (451, 90)]
)
def test_allowed_is_the_floor_of_twenty_percent_of_good(good, allowed):
    """DOMAIN.md §3 worked examples: "không vượt quá" rounds down."""
    assert allowed_excellent(basis_count=good, rate=Decimal("0.20")) == allowed


def test_nearest_rounding_is_a_per_cycle_alternative():
    assert allowed_excellent(basis_count=9, rate=Decimal("0.20"), rounding="nearest") == 2


def test_basis_good_or_better_counts_excellent_in_the_basis(open_cycle, small_bloc):
    """The per-cycle alternative basis "HTTNV or better" (DOMAIN.md §3)."""
    from reviews.models import Level, Rating
    from reviews.quota import pool_quota
    from reviews.services import ratings_record

    ratings = list(
        Rating.objects.filter(pool__owner=small_bloc["unit"], subject_kind="member").order_by("pk")
    )
    ratings_record(
        cycle=open_cycle,
        changes={r.pk: {"decision_level": Level.GOOD} for r in ratings[:9]},
        acting_user=None,
    )
    ratings_record(
        cycle=open_cycle,
        changes={ratings[9].pk: {"decision_level": Level.EXCELLENT}},
        acting_user=None,
    )
    assert pool_quota(ratings[0].pool).basis == 9
    open_cycle.quota_basis = "good_or_better"
    open_cycle.save()
    ratings[0].pool.refresh_from_db()
    status = pool_quota(ratings[0].pool)
    assert (status.basis, status.allowed) == (10, 2)
