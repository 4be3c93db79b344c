"""A unit's dossier as it assembles itself (issue #14, point 4): per item of the checklist, what
kiemdiem wrote (minutes, collective reports, self-reviews) and how many signed scans are
uploaded. Generated papers go into the bundle without an upload; only signed scans are."""

from __future__ import annotations

from dataclasses import dataclass, field

from organizations.models import Organization
from reviews.models import (
    DossierKind,
    Rating,
    ReviewCycle,
    ReviewMeeting,
    SelfReview,
    SubjectKind,
    Submission,
)
from reviews.rules import rule_set_for


@dataclass
class DossierLine:
    """One item of the checklist (QĐ 366 Điều 17; HD 21)."""

    kind: str
    label: str
    required: bool
    uploaded: int = 0
    meetings: list[ReviewMeeting] = field(default_factory=list)
    forms: list[SelfReview] = field(default_factory=list)
    #: Individual forms finished out of those expected (self-reviews only).
    finished: int | None = None
    expected: int | None = None

    @property
    def generated(self) -> int:
        return len(self.meetings) + len(self.forms) + (self.finished or 0)

    @property
    def needs_scan(self) -> bool:
        """A required paper is signed: until its scan is uploaded the unit cannot submit."""
        return self.required and not self.uploaded


def dossier_lines(cycle: ReviewCycle, unit: Organization) -> list[DossierLine]:
    """The unit's checklist in the regime's order, each line with its generated papers and
    its uploaded scans. Five queries whatever the unit's size."""
    rules = rule_set_for(cycle.rule_set)
    uploaded: dict[str, int] = {}
    submission = Submission.objects.filter(cycle=cycle, organization=unit).first()
    if submission is not None:
        for kind in submission.dossier_items.present().values_list("kind", flat=True):
            uploaded[kind] = uploaded.get(kind, 0) + 1
    meetings = list(
        ReviewMeeting.objects.filter(cycle=cycle, organization__path__startswith=unit.path)
        .select_related("organization")
        .order_by("organization__path")
    )
    forms = list(
        SelfReview.objects.filter(
            rating__cycle=cycle,
            rating__unit__path__startswith=unit.path,
            finished_at__isnull=False,
        ).select_related("rating__member", "rating__organization", "rating__collective")
    )
    expected = (
        Rating.objects.filter(
            cycle=cycle,
            unit__path__startswith=unit.path,
            subject_kind__in=[SubjectKind.MEMBER, SubjectKind.LEADER],
        )
        .exclude(not_rated_reason__in=list(rules.not_reviewed_reasons))
        .count()
    )
    collective_forms = [form for form in forms if form.is_collective]
    lines = []
    for kind in rules.dossier_kinds:
        line = DossierLine(
            kind=kind,
            label=str(DossierKind(kind).label),
            required=kind in rules.required_dossier_kinds,
            uploaded=uploaded.get(kind, 0),
        )
        if kind == DossierKind.MINUTES:
            line.meetings = meetings
        elif kind == DossierKind.COLLECTIVE_REPORT:
            line.forms = collective_forms
        elif kind == DossierKind.SELF_REVIEWS:
            line.finished = len(forms) - len(collective_forms)
            line.expected = expected
        lines.append(line)
    return lines
