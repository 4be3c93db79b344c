"""QĐ 132-QĐ/TW (08/3/2018) and Hướng dẫn 21-HD/BTCTW (18/10/2019): the 2019–2022 rules.

Sources are cited per rule; DOMAIN.md §4–5 summarizes them.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils.translation import gettext as _

from members.models import StatusPeriod
from reviews.models import (
    NOT_REVIEWED_REASONS,
    REQUIRED_DOSSIER_KINDS,
    DossierKind,
    Level,
    NotRatedReason,
    RuleSetCode,
)
from reviews.rules.base import (
    CollectiveFacts,
    Eligibility,
    Limit,
    MemberFacts,
    OrganizationFacts,
    RuleContext,
)
from reviews.rules.order import OrderRule

SOURCE = "HD 21-HD/BTCTW"
#: "Nghỉ ốm từ 3 tháng trở lên" counted as days over the cycle's year (interpretation).
LONG_SICK_LEAVE_DAYS = 90


def six_months_before(day: datetime.date) -> datetime.date:
    """The same day six calendar months earlier (clamped to the month's last day)."""
    month = day.month - 6
    year = day.year
    if month <= 0:
        month += 12
        year -= 1
    for candidate_day in (day.day, 30, 29, 28):
        try:
            return datetime.date(year, month, candidate_day)
        except ValueError:
            continue
    raise AssertionError("unreachable")


class HD21RuleSet:
    code = RuleSetCode.HD21_2019
    regime = "HD 21-HD/BTCTW"
    source = SOURCE
    quota_source = "HD 21-HD/BTCTW; Công văn 897-CV/ĐUK, điểm 1"
    #: The order rules and their source (`reviews.rules.order`; DOMAIN.md §6).
    order_rules = {OrderRule.COLLECTIVE_FIRST: SOURCE, OrderRule.UNIT_FIRST: SOURCE}
    uses_peer_groups = False
    not_reviewed_reasons = NOT_REVIEWED_REASONS
    dossier_kinds = (
        DossierKind.COLLECTIVE_REPORT,
        DossierKind.MINUTES,
        DossierKind.DECISION,
        DossierKind.SUGGESTION_LETTER,
        DossierKind.COMPLAINT,
    )
    required_dossier_kinds = REQUIRED_DOSSIER_KINDS

    def defaults(self, year: int) -> dict:
        """The quota of HD 21: 20% of those rated exactly HTTNV, rounded down, no exception."""
        return {
            "quota_rate": Decimal("0.200"),
            "exception_ceiling": None,
            "reference_date": datetime.date(year, 12, 31),
        }

    def member_eligibility(self, facts: MemberFacts, *, context: RuleContext) -> Eligibility:
        """Who is reviewed and rated, and the forced or capped level (HD 21, mục 1.1–1.4)."""
        year, reference_date = context.year, context.reference_date
        for period in facts.status_periods:
            if period.kind == StatusPeriod.Kind.EXEMPT and period.covers(reference_date):
                return Eligibility(not_rated_reason=NotRatedReason.EXEMPT)
            if period.kind == StatusPeriod.Kind.SUSPENDED and period.covers(reference_date):
                return Eligibility(not_rated_reason=NotRatedReason.SUSPENDED)
        if facts.admitted_on > six_months_before(reference_date):
            return Eligibility(not_rated_reason=NotRatedReason.NEW_MEMBER)

        limits: list[Limit] = []
        if self.discipline_forces_not_completed(facts):
            limits.append(
                Limit(
                    code="disciplined_in_year",
                    message=_(
                        "Bị thi hành kỷ luật trong năm: xếp loại “Không hoàn thành nhiệm vụ”."
                    ),
                    source=self.source,
                    forced_level=Level.NOT_COMPLETED,
                )
            )
        if facts.civil_service_level == Level.NOT_COMPLETED:
            limits.append(
                Limit(
                    code="civil_service_not_completed",
                    message=_(
                        "Được xếp loại CCVC “Không hoàn thành nhiệm vụ”: xếp loại đảng viên "
                        "“Không hoàn thành nhiệm vụ”."
                    ),
                    source=self.source,
                    forced_level=Level.NOT_COMPLETED,
                )
            )
        if facts.targets_under_half:
            limits.append(
                Limit(
                    code="targets_under_half",
                    message=_("Hoàn thành dưới 50% chỉ tiêu, nhiệm vụ được giao."),
                    source=self.source,
                    forced_level=Level.NOT_COMPLETED,
                )
            )
        if facts.degradation_concluded:
            limits.append(
                Limit(
                    code="degradation_concluded",
                    message=_("Cấp có thẩm quyền kết luận có biểu hiện suy thoái."),
                    source=self.source,
                    forced_level=Level.NOT_COMPLETED,
                )
            )
        year_start, year_end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
        # A leave with no end date is counted up to the reference date, not to the year's end.
        sick_days = sum(
            period.overlap_days(year_start, year_end, open_until=reference_date)
            for period in facts.status_periods
            if period.kind == StatusPeriod.Kind.SICK_LEAVE
        )
        attends_elsewhere = any(
            period.kind == StatusPeriod.Kind.TEMPORARY_ATTENDANCE
            and period.overlap_days(year_start, year_end, open_until=reference_date)
            for period in facts.status_periods
        )
        if sick_days >= LONG_SICK_LEAVE_DAYS:
            limits.append(
                Limit(
                    code="long_sick_leave",
                    message=_(
                        "Nghỉ ốm %(days)s ngày trong năm (từ 3 tháng trở lên): "
                        "cao nhất “Hoàn thành nhiệm vụ”."
                    )
                    % {"days": sick_days},
                    source=self.source,
                    max_level=Level.COMPLETED,
                )
            )
        if facts.is_civil_servant and facts.civil_service_level != Level.EXCELLENT:
            limits.append(
                Limit(
                    code="civil_service_not_excellent",
                    message=_(
                        "Là CCVC nhưng chưa được xếp loại CCVC “Hoàn thành xuất sắc nhiệm vụ”: "
                        "cao nhất “Hoàn thành tốt nhiệm vụ”."
                    ),
                    source=self.source,
                    max_level=Level.GOOD,
                )
            )
        limits.extend(self.discipline_waivers(facts))
        return Eligibility(limits=tuple(limits), needs_host_comments=attends_elsewhere)

    def discipline_forces_not_completed(self, facts: MemberFacts) -> bool:
        """HD 21: disciplined in the year, in any form, means KHTNV."""
        return bool(facts.disciplines_in_year)

    def discipline_waivers(self, facts: MemberFacts) -> list[Limit]:
        return []

    def previous_cell_comments_required(
        self, *, arrived_on: datetime.date, left_on: datetime.date
    ) -> bool:
        """A member transferred during the year is rated by the receiving cell, with the old
        cell's comments when he was there 6 months or more (HD 21, mục 1.3)."""
        return arrived_on <= six_months_before(left_on)

    def organization_eligibility(
        self, facts: OrganizationFacts, *, context: RuleContext
    ) -> Eligibility:
        """An organization formed less than 6 months ago is reviewed but not rated; it may be
        HTXSNV only if what lies below it qualifies (HD 21; DOMAIN.md §5)."""
        if facts.founded_on and facts.founded_on > six_months_before(context.reference_date):
            return Eligibility(not_rated_reason=NotRatedReason.NEWLY_FORMED)
        if self.organization_may_be_excellent(
            rated=facts.below_rated,
            completed_or_better=facts.below_completed_or_better,
            good_or_better=facts.below_good_or_better,
        ):
            return Eligibility()
        below = _("đảng viên") if facts.below_kind == "members" else _("tổ chức trực thuộc")
        message = _(
            "Chỉ được “Hoàn thành xuất sắc nhiệm vụ” khi 100%% %(below)s được xếp loại đạt "
            "“Hoàn thành nhiệm vụ” trở lên và ít nhất 80%% đạt “Hoàn thành tốt nhiệm vụ” trở lên "
            "(hiện %(good)s/%(rated)s tốt trở lên, %(completed)s/%(rated)s hoàn thành trở lên; "
            "chưa có quyết định thì chưa tính)."
        ) % {
            "below": below,
            "good": facts.below_good_or_better,
            "completed": facts.below_completed_or_better,
            "rated": facts.below_rated,
        }
        return Eligibility(
            limits=(
                Limit(
                    code="organization_not_eligible_for_excellent",
                    message=message,
                    source=self.source,
                    max_level=Level.GOOD,
                ),
            )
        )

    def collective_eligibility(
        self, facts: CollectiveFacts, *, context: RuleContext
    ) -> Eligibility:
        """KHTNV triggers for leadership collectives (HD 21, mục 3)."""
        if facts.formed_on and facts.formed_on > six_months_before(context.reference_date):
            return Eligibility(not_rated_reason=NotRatedReason.NEWLY_FORMED)
        triggers = [
            (
                facts.collective_disciplined,
                "collective_disciplined",
                _("Tập thể bị thi hành kỷ luật trong năm."),
            ),
            (
                facts.member_disciplined_warning_or_heavier,
                "member_disciplined_warning",
                _("Có thành viên bị kỷ luật từ cảnh cáo trở lên trong năm."),
            ),
            (
                facts.targets_under_half,
                "unit_targets_under_half",
                _("Cơ quan, đơn vị được giao lãnh đạo hoàn thành dưới 50% chỉ tiêu, nhiệm vụ."),
            ),
            (
                facts.degradation_concluded,
                "collective_divided",
                _("Cấp có thẩm quyền kết luận mất đoàn kết hoặc có thành viên suy thoái."),
            ),
        ]
        limits = tuple(
            Limit(code=code, message=message, source=self.source, forced_level=Level.NOT_COMPLETED)
            for applies, code, message in triggers
            if applies
        )
        return Eligibility(limits=limits)

    def organization_may_be_excellent(
        self, *, rated: int, completed_or_better: int, good_or_better: int
    ) -> bool:
        """HTXSNV needs 100% of those rated HTNV or better and at least 80% HTTNV or better.

        Denominator: those rated (DOMAIN.md §5, interpretation).
        """
        if rated == 0:
            return False
        return completed_or_better == rated and good_or_better * 5 >= rated * 4
