"""Rule sets, one per regulation regime (DOMAIN.md §10), chosen by a cycle's `rule_set`.

A rule set answers, as pure functions of the data and the cycle's reference date: is this subject
reviewed and rated, and if not why; what is the highest or the forced level, and why.
"""

from reviews.models import RuleSetCode
from reviews.rules.base import Eligibility, Limit, RuleSet
from reviews.rules.hd21 import HD21RuleSet

RULE_SETS: dict[str, RuleSet] = {str(RuleSetCode.HD21_2019): HD21RuleSet()}


def rule_set_for(code: str) -> RuleSet:
    return RULE_SETS[code]


__all__ = ["RULE_SETS", "Eligibility", "Limit", "RuleSet", "rule_set_for"]
