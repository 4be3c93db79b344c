"""Rule sets, one per regulation regime (DOMAIN.md §10), chosen by a cycle's `rule_set`.

A rule set answers, as pure functions of the data and the cycle's settings: is this subject
reviewed and rated, and if not why; what is the highest or the forced level, and why. A cycle
copies its regime's defaults when it is created (`RuleSet.defaults`), so editing a regime's code
or adding one never changes a past cycle's settings.
"""

from reviews.models import RuleSetCode
from reviews.rules.base import Eligibility, Limit, RuleContext, RuleSet
from reviews.rules.hd21 import HD21RuleSet
from reviews.rules.qd124 import QD124RuleSet
from reviews.rules.qd366 import QD366RuleSet

RULE_SETS: dict[str, RuleSet] = {
    str(RuleSetCode.HD21_2019): HD21RuleSet(),
    str(RuleSetCode.QD124_2023): QD124RuleSet(),
    str(RuleSetCode.QD366_2025): QD366RuleSet(),
}


def rule_set_for(code: str) -> RuleSet:
    return RULE_SETS[code]


def rule_set_for_year(year: int) -> str:
    """The regime in force for a year (DOMAIN.md §10): HD 21 to 2022, QĐ 124 for 2023–2024,
    QĐ 366 from 2025."""
    if year >= 2025:
        return RuleSetCode.QD366_2025
    if year >= 2023:
        return RuleSetCode.QD124_2023
    return RuleSetCode.HD21_2019


__all__ = [
    "RULE_SETS",
    "Eligibility",
    "Limit",
    "RuleContext",
    "RuleSet",
    "rule_set_for",
    "rule_set_for_year",
]
