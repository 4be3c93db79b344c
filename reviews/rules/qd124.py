"""QĐ 124-QĐ/TW (04/10/2023) and Hướng dẫn 25-HD/BTCTW: the 2023–2024 rules (DOMAIN.md §10, §13).

Four levels without points, as under HD 21, with two changes: the quota is counted per group of
subjects with a similar position, role and duties (peer group), and "disciplined in the year ⇒
KHTNV" is waived for a violation the member detected himself and remedied.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from reviews.models import Level, RuleSetCode
from reviews.rules.base import Limit, MemberFacts
from reviews.rules.hd21 import HD21RuleSet
from reviews.rules.order import OrderRule


class QD124RuleSet(HD21RuleSet):
    code = RuleSetCode.QD124_2023
    regime = "QĐ 124-QĐ/TW"
    source = "QĐ 124-QĐ/TW; HD 25-HD/BTCTW"
    quota_source = "QĐ 124-QĐ/TW; HD 25-HD/BTCTW"
    uses_peer_groups = True
    order_rules = dict.fromkeys((OrderRule.COLLECTIVE_FIRST, OrderRule.UNIT_FIRST), source)

    def discipline_forces_not_completed(self, facts: MemberFacts) -> bool:
        """Disciplined in the year ⇒ KHTNV, unless every violation was self-detected and
        remedied (QĐ 124-QĐ/TW)."""
        return any(not record.self_remedied for record in facts.disciplines_in_year)

    def discipline_waivers(self, facts: MemberFacts) -> list[Limit]:
        """A waived discipline still bars the two best levels (interpretation: the waiver lifts
        the forced KHTNV, it does not make the year a good one)."""
        if not facts.disciplines_in_year or self.discipline_forces_not_completed(facts):
            return []
        return [
            Limit(
                code="discipline_self_remedied",
                message=_(
                    "Bị kỷ luật trong năm nhưng vi phạm do tự phát hiện, tự giác khắc phục: "
                    "không buộc “Không hoàn thành nhiệm vụ”, cao nhất “Hoàn thành nhiệm vụ”."
                ),
                source=self.source,
                max_level=Level.COMPLETED,
            )
        ]
