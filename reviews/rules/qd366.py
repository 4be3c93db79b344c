"""QĐ 366-QĐ/TW (30/8/2025) and Hướng dẫn 43-HD/BTCTW (31/10/2025): the rules since 2025.

Every subject is scored out of 100 (Điều 10); the score and the task conditions give the level
(Điều 11, `reviews.rules.scores`); recorded facts force KHTNV (Điều 11); the quota is counted per
peer group with a 25% exception for outstanding units. DOMAIN.md §13 summarizes them.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils.translation import gettext as _

from members.models import StatusPeriod
from organizations.text import decimal_text
from reviews.models import DossierKind, Level, NotRatedReason, RuleSetCode
from reviews.rules.base import (
    CollectiveFacts,
    Eligibility,
    Limit,
    MemberFacts,
    OrganizationFacts,
    RuleContext,
)
from reviews.rules.hd21 import six_months_before
from reviews.rules.order import OrderRule
from reviews.rules.scores import score_limits

WHO_SOURCE = "QĐ 366-QĐ/TW, Điều 5; HD 43-HD/BTCTW, mục 7"
TRIGGER_SOURCE = "QĐ 366-QĐ/TW, Điều 11"
FIFTY = Decimal("50")
#: A leadership collective smaller than this is reviewed with the cấp ủy (HD 43, mục 7).
SMALLEST_COLLECTIVE = 3


def _forced(code: str, message: str) -> Limit:
    return Limit(
        code=code, message=message, source=TRIGGER_SOURCE, forced_level=Level.NOT_COMPLETED
    )


class QD366RuleSet:
    code = RuleSetCode.QD366_2025
    regime = "QĐ 366-QĐ/TW"
    source = TRIGGER_SOURCE
    quota_source = "QĐ 366-QĐ/TW; HD 43-HD/BTCTW"
    #: The order rules and their source (`reviews.rules.order`; DOMAIN.md §13: "a leader is
    #: reviewed at his chi bộ first, then in the collective; the collective before its members;
    #: the head before deputies").
    order_rules = dict.fromkeys(OrderRule, "QĐ 366-QĐ/TW; HD 43-HD/BTCTW")
    uses_peer_groups = True
    #: "Không kiểm điểm": exempt, suspended, admitted under 6 months (QĐ 366, Điều 5).
    not_reviewed_reasons = frozenset(
        {NotRatedReason.EXEMPT, NotRatedReason.SUSPENDED, NotRatedReason.NEW_MEMBER}
    )
    #: The 9 items of Điều 17 (HD 43, Mẫu 04 "Danh mục hồ sơ"), in its order.
    dossier_kinds = (
        DossierKind.COLLECTIVE_REPORT,
        DossierKind.SELF_REVIEWS,
        DossierKind.RESIDENCE_COMMENTS,
        DossierKind.MINUTES,
        DossierKind.APPRAISAL,
        DossierKind.DECISION,
        DossierKind.SUGGESTION_LETTER,
        DossierKind.COMMENTS_RECEIVED,
        DossierKind.COMPLAINT,
    )
    #: Always made; suggestions, comments and complaints only when there were any.
    required_dossier_kinds = dossier_kinds[:6]

    def defaults(self, year: int) -> dict:
        """Bands 90/70/50, 30% beyond and 20% late, units under 70%, 20% quota with a 25%
        exception; finish by 31/12 (special units 15/01), dossier up by 01/02 (QĐ 366, Điều
        11, 16–17; HD 43)."""
        return {
            "quota_rate": Decimal("0.200"),
            "exception_ceiling": Decimal("0.250"),
            "score_excellent_min": Decimal("90"),
            "score_good_min": Decimal("70"),
            "score_completed_min": Decimal("50"),
            "tasks_beyond_min_percent": Decimal("30"),
            "tasks_late_max_percent": Decimal("20"),
            "unit_tasks_trigger_percent": Decimal("70"),
            "finish_by": datetime.date(year, 12, 31),
            "special_finish_by": datetime.date(year + 1, 1, 15),
            "deadline": datetime.date(year + 1, 2, 1),
            "reference_date": datetime.date(year, 12, 31),
        }

    def member_eligibility(self, facts: MemberFacts, *, context: RuleContext) -> Eligibility:
        """Not reviewed: exempt, suspended, admitted under 6 months. Sick and maternity leave are
        rated on the actual work, without a cap; a member attending elsewhere is rated at home
        with the host cell's comments (QĐ 366, Điều 5; HD 43, mục 7). Then the triggers and the
        score."""
        reference_date = context.reference_date
        for period in facts.status_periods:
            if period.kind == StatusPeriod.Kind.EXEMPT and period.covers(reference_date):
                return self._not_rated(NotRatedReason.EXEMPT)
            if period.kind == StatusPeriod.Kind.SUSPENDED and period.covers(reference_date):
                return self._not_rated(NotRatedReason.SUSPENDED)
        if facts.admitted_on > six_months_before(reference_date):
            return self._not_rated(NotRatedReason.NEW_MEMBER)
        limits = (
            self._leader_triggers(facts, context)
            if facts.as_leader
            else self._member_triggers(facts)
        )
        score, explanation = score_limits(facts.tasks, context)
        year_start = datetime.date(context.year, 1, 1)
        year_end = datetime.date(context.year, 12, 31)
        attends_elsewhere = any(
            period.kind == StatusPeriod.Kind.TEMPORARY_ATTENDANCE
            and period.overlap_days(year_start, year_end, open_until=reference_date)
            for period in facts.status_periods
        )
        return Eligibility(
            limits=tuple(limits + score),
            needs_host_comments=attends_elsewhere,
            not_reviewed_reasons=self.not_reviewed_reasons,
            score_explanation=explanation,
        )

    def _member_triggers(self, facts: MemberFacts) -> list[Limit]:
        """A member without a leadership post: degradation; duty-related discipline (khiển trách
        or heavier, decided in the year even for an older violation); breaking what members may
        not do; more than 50% of tasks not done."""
        limits = []
        if facts.degradation_concluded:
            limits.append(
                _forced(
                    "degradation_concluded", _("Cấp có thẩm quyền kết luận có biểu hiện suy thoái.")
                )
            )
        if any(record.duty_related for record in facts.disciplines_in_year):
            limits.append(
                _forced(
                    "disciplined_duty_related",
                    _(
                        "Bị kỷ luật từ khiển trách trở lên do vi phạm liên "
                        "quan đến chức trách, nhiệm vụ."
                    ),
                )
            )
        if facts.broke_prohibitions:
            limits.append(
                _forced("broke_prohibitions", _("Vi phạm những điều đảng viên không được làm."))
            )
        done = facts.tasks.done_percent
        if done is not None and done < FIFTY:
            limits.append(
                _forced(
                    "tasks_mostly_not_done",
                    _("Trên 50%% nhiệm vụ không hoàn thành (hoàn thành %(done)s%%).")
                    % {"done": decimal_text(done)},
                )
            )
        return limits

    def _leader_triggers(self, facts: MemberFacts, context: RuleContext) -> list[Limit]:
        """A leader or manager: the unit he leads under 70% of its tasks; more than 50% of the
        units he oversees at KHTNV; more than 50% low votes of confidence; disciplined at khiển
        trách or heavier; degradation; disciplined corruption within his scope."""
        limits = []
        done, trigger = facts.tasks.done_percent, context.unit_tasks_trigger_percent
        if done is not None and trigger is not None and done < trigger:
            limits.append(
                _forced(
                    "unit_tasks_under_trigger",
                    _(
                        "Cơ quan, đơn vị được giao phụ trách hoàn thành "
                        "%(done)s%% nhiệm vụ (dưới %(trigger)s%%)."
                    )
                    % {"done": decimal_text(done), "trigger": decimal_text(trigger)},
                )
            )
        overseen = facts.overseen_not_completed_percent
        if overseen is not None and overseen > FIFTY:
            limits.append(
                _forced(
                    "overseen_units_not_completed",
                    _(
                        "Trên 50%% đơn vị được giao phụ trách xếp loại “Không "
                        "hoàn thành nhiệm vụ” (%(share)s%%)."
                    )
                    % {"share": decimal_text(overseen)},
                )
            )
        low = facts.confidence_low_percent
        if low is not None and low > FIFTY:
            limits.append(
                _forced(
                    "confidence_vote_low",
                    _("Trên 50%% phiếu tín nhiệm thấp khi lấy phiếu tín nhiệm (%(share)s%%).")
                    % {"share": decimal_text(low)},
                )
            )
        if facts.disciplines_in_year:
            limits.append(
                _forced(
                    "leader_disciplined", _("Bị thi hành kỷ luật từ khiển trách trở lên trong năm.")
                )
            )
        if facts.degradation_concluded:
            limits.append(
                _forced(
                    "degradation_concluded", _("Cấp có thẩm quyền kết luận có biểu hiện suy thoái.")
                )
            )
        if facts.corruption_in_scope:
            limits.append(
                _forced(
                    "corruption_in_scope",
                    _(
                        "Để xảy ra tham nhũng, lãng phí, tiêu cực trong "
                        "phạm vi phụ trách, bị xử lý kỷ luật."
                    ),
                )
            )
        return limits

    def _collective_triggers(
        self,
        *,
        context: RuleContext,
        done: Decimal | None,
        personnel_wrongdoing: bool,
        degradation_concluded: bool,
        member_disciplined: bool,
        collective_disciplined: bool,
    ) -> list[Limit]:
        """A collective: wrongdoing in personnel work, disunity or factions; a member disciplined
        for a duty-related violation or concluded to show degradation; the unit under 70%."""
        limits = []
        if personnel_wrongdoing:
            limits.append(
                _forced(
                    "personnel_wrongdoing",
                    _("Có sai phạm trong công tác cán bộ, mất đoàn kết, bè phái, cục bộ."),
                )
            )
        if collective_disciplined:
            limits.append(
                _forced("collective_disciplined", _("Tập thể bị thi hành kỷ luật trong năm."))
            )
        if member_disciplined:
            limits.append(
                _forced(
                    "member_disciplined_duty_related",
                    _(
                        "Có thành viên bị kỷ luật từ khiển trách trở lên do vi "
                        "phạm liên quan đến chức trách, nhiệm vụ."
                    ),
                )
            )
        if degradation_concluded:
            limits.append(
                _forced(
                    "collective_divided",
                    _("Cấp có thẩm quyền kết luận mất đoàn kết hoặc có thành viên suy thoái."),
                )
            )
        trigger = context.unit_tasks_trigger_percent
        if done is not None and trigger is not None and done < trigger:
            limits.append(
                _forced(
                    "unit_tasks_under_trigger",
                    _("Cơ quan, đơn vị hoàn thành %(done)s%% nhiệm vụ (dưới %(trigger)s%%).")
                    % {"done": decimal_text(done), "trigger": decimal_text(trigger)},
                )
            )
        return limits

    def organization_eligibility(
        self, facts: OrganizationFacts, *, context: RuleContext
    ) -> Eligibility:
        """A party organization is rated as a collective (Phụ lục 1, Mẫu 01). One formed under
        6 months is reviewed but not rated (carried over from HD 21; interpretation)."""
        if facts.founded_on and facts.founded_on > six_months_before(context.reference_date):
            return self._not_rated(NotRatedReason.NEWLY_FORMED)
        limits = self._collective_triggers(
            context=context,
            done=facts.tasks.done_percent,
            personnel_wrongdoing=facts.personnel_wrongdoing,
            degradation_concluded=facts.degradation_concluded,
            member_disciplined=False,
            collective_disciplined=facts.collective_disciplined,
        )
        blockers = (
            (_("có đảng viên, tổ chức trực thuộc bị kỷ luật trong năm"),)
            if facts.below_disciplined
            else ()
        )
        score, explanation = score_limits(facts.tasks, context, excellent_blockers=blockers)
        return Eligibility(
            limits=tuple(limits + score),
            not_reviewed_reasons=self.not_reviewed_reasons,
            score_explanation=explanation,
        )

    def collective_eligibility(
        self, facts: CollectiveFacts, *, context: RuleContext
    ) -> Eligibility:
        """A leadership collective (Phụ lục 1). Fewer than 3 members: reviewed with the cấp ủy,
        not rated apart (HD 43, mục 7)."""
        if facts.formed_on and facts.formed_on > six_months_before(context.reference_date):
            return self._not_rated(NotRatedReason.NEWLY_FORMED)
        if facts.member_count is not None and facts.member_count < SMALLEST_COLLECTIVE:
            return self._not_rated(NotRatedReason.WITH_COMMITTEE)
        limits = self._collective_triggers(
            context=context,
            done=facts.tasks.done_percent,
            personnel_wrongdoing=facts.personnel_wrongdoing,
            degradation_concluded=facts.degradation_concluded,
            member_disciplined=facts.member_disciplined_duty,
            collective_disciplined=facts.collective_disciplined,
        )
        blockers = (
            (_("có thành viên bị kỷ luật trong năm"),) if facts.member_disciplined_duty else ()
        )
        score, explanation = score_limits(facts.tasks, context, excellent_blockers=blockers)
        return Eligibility(
            limits=tuple(limits + score),
            not_reviewed_reasons=self.not_reviewed_reasons,
            score_explanation=explanation,
        )

    def organization_may_be_excellent(
        self, *, rated: int, completed_or_better: int, good_or_better: int
    ) -> bool:
        """QĐ 366 has no 100%/80% condition on what lies below; the score decides."""
        return True

    def previous_cell_comments_required(
        self, *, arrived_on: datetime.date, left_on: datetime.date
    ) -> bool:
        """Kept from HD 21: the old cell comments when the member was there 6 months or more."""
        return arrived_on <= six_months_before(left_on)

    def _not_rated(self, reason: str) -> Eligibility:
        return Eligibility(not_rated_reason=reason, not_reviewed_reasons=self.not_reviewed_reasons)
