"""Reads of the quarterly evaluation (DOMAIN.md §14): each rating's Q1–Q3 results, and the
people the roll-up rule reports to the personnel body."""

from __future__ import annotations

from dataclasses import dataclass

from reviews.models import (
    QUARTERS,
    Level,
    QuarterAssessment,
    Rating,
    ReviewCycle,
    SubjectKind,
    quarter_deadline,
)
from reviews.rules.quarters import needs_personnel_attention

INDIVIDUAL_KINDS = (SubjectKind.MEMBER, SubjectKind.LEADER)


def quarter_lines(rating: Rating) -> list[tuple[int, QuarterAssessment | None]]:
    """Q1–Q3 of an individual's year as the year-end form shows them beside it (KL 198: the
    quarters are the basis of the year); [] for a collective."""
    if rating.subject_kind not in INDIVIDUAL_KINDS:
        return []
    rows = {row.quarter: row for row in QuarterAssessment.objects.filter(rating=rating)}
    return [(quarter, rows.get(quarter)) for quarter in QUARTERS]


def quarter_results(rating_ids: list[int]) -> dict[int, tuple[str, ...]]:
    """Each rating's Q1–Q3 results (the manager's assessment; '' while not assessed), for the
    ratings that have any quarter recorded. One query."""
    found: dict[int, list[str]] = {}
    for rating_id, quarter, level in QuarterAssessment.objects.filter(
        rating_id__in=rating_ids
    ).values_list("rating_id", "quarter", "manager_level"):
        found.setdefault(rating_id, ["" for _q in QUARTERS])[quarter - 1] = level
    return {rating_id: tuple(levels) for rating_id, levels in found.items()}


@dataclass(frozen=True)
class PersonnelFlag:
    """A person with two consecutive quarters "Không hoàn thành nhiệm vụ" (DOMAIN.md §14)."""

    rating: Rating
    results: tuple[str, ...]


def personnel_flags(cycle: ReviewCycle, ratings) -> list[PersonnelFlag]:
    """The people among `ratings` (a queryset of the cycle) to report to the personnel body,
    when the cycle adopts the rule; two queries."""
    if not cycle.quarters_flag_personnel:
        return []
    candidates = {
        r.pk: r
        for r in ratings.filter(
            subject_kind__in=INDIVIDUAL_KINDS, quarters__manager_level=Level.NOT_COMPLETED
        )
        .distinct()
        .select_related("member", "unit", "pool__owner")  # and who may open their papers
    }
    results = quarter_results(list(candidates))
    return [
        PersonnelFlag(candidates[rating_id], levels)
        for rating_id, levels in sorted(
            results.items(), key=lambda item: candidates[item[0]].member.sort_key
        )
        if needs_personnel_attention(levels)
    ]


@dataclass(frozen=True)
class QuarterProgress:
    quarter: int
    deadline: object  # datetime.date
    self_assessed: int
    assessed: int
    not_completed: int


def quarters_overview(cycle: ReviewCycle) -> list[QuarterProgress]:
    """For the Board: each quarter's deadline and how many people self-assessed and were
    assessed (one query)."""
    counts: dict[int, dict[str, int]] = {
        q: {"self": 0, "assessed": 0, "failed": 0} for q in QUARTERS
    }
    for quarter, self_level, manager_level in QuarterAssessment.objects.filter(
        rating__cycle=cycle
    ).values_list("quarter", "self_level", "manager_level"):
        counts[quarter]["self"] += bool(self_level)
        counts[quarter]["assessed"] += bool(manager_level)
        counts[quarter]["failed"] += manager_level == Level.NOT_COMPLETED
    return [
        QuarterProgress(
            q,
            quarter_deadline(cycle.year, q),
            counts[q]["self"],
            counts[q]["assessed"],
            counts[q]["failed"],
        )
        for q in QUARTERS
    ]
