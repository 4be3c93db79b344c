"""Numbers the Vietnamese way, written by one helper for every screen, rule and document
(issue #18: the rate was formatted four ways)."""

from decimal import Decimal

import pytest

from organizations.text import NO_NUMBER, decimal_text, percent_text, share_text


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (Decimal("89.50"), "89,5"),
        (Decimal("90.00"), "90"),
        (Decimal("100"), "100"),
        (Decimal("0.25"), "0,25"),
        (7, "7"),
        ("12.50", "12,5"),
    ],
)
def test_decimal_text_uses_a_comma_and_drops_trailing_zeros(value, text):
    assert decimal_text(value) == text


@pytest.mark.parametrize(
    ("rate", "text"),
    [(Decimal("0.2"), "20"), (Decimal("0.125"), "12,5"), (Decimal("0.25"), "25"), ("0.3", "30")],
)
def test_percent_text_turns_a_rate_into_percent(rate, text):
    assert percent_text(rate) == text


def test_share_text_keeps_one_decimal_and_a_dash_for_nothing():
    assert share_text(12.345) == "12,3"
    assert share_text(100.0) == "100,0"
    assert share_text(None) == NO_NUMBER
