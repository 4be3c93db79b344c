"""History across cycles (issue #15, point 4): a member's and a unit's levels (and scores where
the regime has them) in every cycle, following the member through transfers (his ratings are
his whatever the cell) and the unit through reorganizations (its predecessors' ratings), and
"Hoàn thành xuất sắc nhiệm vụ N năm liên tục" computed from them.

A rating's level is its decision (a re-rating replaces it, QĐ 366-QĐ/TW Điều 15), so the
history and the reports read one field.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, Q

from members.models import Member
from organizations.models import Organization
from reviews.models import Level, Rating, ReviewCycle, SubjectKind


@dataclass(frozen=True)
class HistoryLine:
    """One cycle of a subject's history."""

    rating: Rating

    @property
    def year(self) -> int:
        return self.rating.cycle.year

    @property
    def level(self) -> str:
        return self.rating.decision_level


def _lines(ratings) -> list[HistoryLine]:
    ordered = ratings.select_related("cycle__organization", "unit", "organization").order_by(
        "cycle__year", "cycle_id", "subject_kind"
    )
    return [HistoryLine(rating) for rating in ordered]


def member_history(member: Member) -> list[HistoryLine]:
    """Every cycle the member was reviewed in, oldest first: as a member and, where he held a
    post, as a leader; each with the unit he sat in then. One query whatever the number of
    cycles."""
    return _lines(Rating.objects.filter(member=member))


def predecessors(organization: Organization) -> list[Organization]:
    """The nodes this one carries on (merged into it, renamed into it, moved to it), at any
    depth, oldest generations last. One query per generation of reorganizations."""
    found: list[Organization] = []
    frontier = [organization.pk]
    seen = {organization.pk}
    while frontier:
        generation = [
            node
            for node in Organization.objects.filter(succeeded_by__in=frontier).order_by("path")
            if node.pk not in seen
        ]
        seen.update(node.pk for node in generation)
        found.extend(generation)
        frontier = [node.pk for node in generation]
    return found


def merged_into_subtree(organization: Organization) -> list[Organization]:
    """The nodes whose reorganization led into `organization`'s subtree (a unit merged into
    one of its units, at any depth): a bloc's trend reaches back through the 2025 merger. One
    query per generation of reorganizations."""
    found: list[Organization] = []
    generation = list(
        Organization.objects.filter(succeeded_by__path__startswith=organization.path).exclude(
            path__startswith=organization.path
        )
    )
    seen = {node.pk for node in generation}
    while generation:
        found.extend(generation)
        generation = [
            node
            for node in Organization.objects.filter(succeeded_by__in=[n.pk for n in generation])
            if node.pk not in seen
        ]
        seen.update(node.pk for node in generation)
    return found


def unit_history(organization: Organization) -> list[HistoryLine]:
    """The organization's own rating in every cycle, and those of the nodes it succeeded, oldest
    first (a unit merged in 2025 shows its 2021 result as what the successor carries on)."""
    nodes = [organization, *predecessors(organization)]
    return _lines(
        Rating.objects.filter(
            subject_kind=SubjectKind.ORGANIZATION, organization__in=[n.pk for n in nodes]
        )
    )


def excellent_streak(levels_by_year: Iterable[tuple[int, str]]) -> int:
    """Consecutive years, ending with the latest, rated "Hoàn thành xuất sắc nhiệm vụ"; a year
    without a rating, or with another level, ends the run."""
    streak, expected = 0, None
    for year, level in sorted(levels_by_year, reverse=True):
        if expected is not None and year != expected:
            break
        if level != Level.EXCELLENT:
            break
        streak += 1
        expected = year - 1
    return streak


def years_asked(cycle: ReviewCycle, asked: str) -> int:
    """N of "N năm liên tục" as a page asks it (?nam=), from 2 to 20; else the cycle's."""
    return int(asked) if asked.isdigit() and 2 <= int(asked) <= 20 else cycle.commendation_years


@dataclass(frozen=True)
class Streak:
    member: Member
    unit: Organization
    years: int
    first_year: int


def excellent_streaks(cycle: ReviewCycle, unit: Organization, *, years: int) -> list[Streak]:
    """The members rated in the cycle under `unit` whose run of "Hoàn thành xuất sắc nhiệm vụ"
    up to this cycle reaches `years` (commendation: "N năm liên tục"), longest first. Two
    queries whatever the unit's size or the number of cycles."""
    ratings = list(
        Rating.objects.filter(
            cycle=cycle,
            subject_kind=SubjectKind.MEMBER,
            unit__path__startswith=unit.path,
            decision_level=Level.EXCELLENT,
        ).select_related("member", "unit")
    )
    if not ratings:
        return []
    levels: dict[int, dict[int, str]] = defaultdict(dict)
    for member_id, year, level in Rating.objects.filter(
        subject_kind=SubjectKind.MEMBER,
        member_id__in=[r.member_id for r in ratings],
        cycle__year__lte=cycle.year,
    ).values_list("member_id", "cycle__year", "decision_level"):
        # Two cycles in one year (a bloc and its successor) count once, the better level.
        known = levels[member_id].get(year)
        if known != Level.EXCELLENT:
            levels[member_id][year] = level
    streaks = []
    for rating in ratings:
        run = excellent_streak(levels[rating.member_id].items())
        if run >= years:
            streaks.append(Streak(rating.member, rating.unit, run, cycle.year - run + 1))
    return sorted(streaks, key=lambda s: (-s.years, s.unit.path, s.member.sort_key))


@dataclass(frozen=True)
class YearShares:
    """One year of a trend: the members rated at each level under a node, and the quota's
    ceiling in that year's cycle ("not more than 20% of HTTNV", as a share of those rated)."""

    year: int
    counts: dict[str, int]
    quota_rate: float

    @property
    def rated(self) -> int:
        return sum(self.counts.values())

    def share(self, level: str) -> float:
        return self.counts.get(level, 0) / self.rated if self.rated else 0.0

    @property
    def ceiling_share(self) -> float:
        """The most HTXSNV the quota allows, as a share of those rated (rate × HTTNV)."""
        good = self.counts.get(Level.GOOD, 0)
        return self.quota_rate * good / self.rated if self.rated else 0.0


def level_trend(organization: Organization) -> list[YearShares]:
    """The members' decided levels under `organization` (and under the nodes merged into its
    subtree) in every cycle, by year, oldest first; two cycles in one year add up. One query
    plus one per generation of reorganizations."""
    nodes = [organization, *merged_into_subtree(organization)]
    under = Q()
    for node in nodes:
        under |= Q(unit__path__startswith=node.path)
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    rates: dict[int, float] = {}
    for year, rate, level, n in (
        Rating.objects.filter(under, subject_kind=SubjectKind.MEMBER)
        .exclude(decision_level="")
        .values_list("cycle__year", "cycle__quota_rate", "decision_level")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        counts[year][level] = counts[year].get(level, 0) + n
        rates[year] = float(rate)
    return [YearShares(year, counts[year], rates[year]) for year in sorted(counts)]
