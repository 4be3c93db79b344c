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
