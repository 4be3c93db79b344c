"""Reads that encode a rule: who decides for whom (DOMAIN.md §6) and the facts the rules read."""

from __future__ import annotations

import datetime
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import replace

from django.db.models import Count, Q

from members.models import (
    CollectiveMembership,
    DisciplineRecord,
    LeadershipCollective,
    ManagingLevel,
    Member,
    StatusPeriod,
)
from organizations.models import GRASSROOTS_KINDS, Organization, OrganizationKind
from reviews.models import Level, Rating, ReviewCycle, SubjectKind
from reviews.rules import Eligibility, RuleContext, rule_set_for
from reviews.rules.base import CollectiveFacts, MemberFacts, OrganizationFacts, TaskFacts
from reviews.rules.quarters import quarter_limits
from reviews.selectors.quarters import quarter_results


class Hierarchy:
    """The bloc's tree held in memory for one computation (one query, ~500 rows for a bloc)."""

    def __init__(self, root: Organization, nodes: list[Organization] | None = None):
        self.root = root
        self.nodes = list(Organization.objects.subtree_of(root)) if nodes is None else nodes
        self.by_path = {node.path: node for node in self.nodes}
        self.by_id = {node.pk: node for node in self.nodes}

    @classmethod
    def along(cls, root: Organization, nodes: Iterable[Organization]) -> Hierarchy:
        """Only `nodes` and their ancestors (one small query): enough to find who decides for
        a subject under them, without loading the whole tree for one change."""
        paths = {root.path}
        for node in nodes:
            paths.update(node.ancestor_paths())
            paths.add(node.path)
        return cls(root, list(Organization.objects.filter(path__in=paths)))

    def parent_of(self, node: Organization) -> Organization | None:
        return self.by_path.get(node.path[: -node.steplen]) if node.depth > 1 else None

    def grassroots_of(self, node: Organization) -> Organization | None:
        current: Organization | None = node
        while current is not None:
            if current.kind in GRASSROOTS_KINDS:
                return current
            current = self.parent_of(current)
        return None

    def _grassroots_or_fail(self, node: Organization) -> Organization:
        unit = self.grassroots_of(node)
        if unit is None:
            raise ValueError(f"{node.code} lies under no grassroots organization")
        return unit

    def deciding_body(self, *, subject_kind: str, subject) -> Organization:
        """The organization whose committee decides the subject's level (DOMAIN.md §6)."""
        if subject_kind == SubjectKind.MEMBER:
            return self._grassroots_or_fail(self.by_id[subject.organization_id])
        if subject_kind == SubjectKind.ORGANIZATION:
            if subject.kind in GRASSROOTS_KINDS or subject.kind == OrganizationKind.BLOC:
                return self.root
            return self._grassroots_or_fail(subject)
        if subject_kind == SubjectKind.COLLECTIVE:
            led = self.by_id[subject.organization_id]
            if subject.managing_level == ManagingLevel.GRASSROOTS:
                return self.grassroots_of(led) or self.root
            return self.root
        if subject_kind == SubjectKind.LEADER:
            if subject.managing_level == ManagingLevel.GRASSROOTS:
                return self.grassroots_of(self.by_id[subject.organization_id]) or self.root
            return self.root
        raise ValueError(subject_kind)


def member_facts(
    members: Iterable[Member], *, cycle: ReviewCycle, ratings: dict[int, Rating] | None = None
) -> dict[int, MemberFacts]:
    """MemberFacts per member id; periods and discipline fetched in two queries for all."""
    members = list(members)
    ids = [member.pk for member in members]
    periods: dict[int, list[StatusPeriod]] = defaultdict(list)
    # Ordered by the member's id, not by the model's "member" (which joins the members' table
    # to sort by name): the same order within each member, without the join.
    for period in StatusPeriod.objects.filter(member_id__in=ids).order_by("member_id", "starts_on"):
        periods[period.member_id].append(period)
    disciplines: dict[int, list[DisciplineRecord]] = defaultdict(list)
    for record in DisciplineRecord.objects.filter(
        member_id__in=ids, counted_year=cycle.year
    ).order_by("member_id", "-decided_on"):
        disciplines[record.member_id].append(record)
    ratings = ratings or {}
    facts = {}
    for member in members:
        facts[member.pk] = _member_facts(
            member,
            ratings.get(member.pk),
            periods=tuple(periods[member.pk]),
            disciplines=tuple(disciplines[member.pk]),
        )
    return facts


def task_facts(rating: Rating | None) -> TaskFacts:
    """The score and task results recorded on a rating (QĐ 366, Điều 10–11)."""
    if rating is None:
        return TaskFacts()
    return TaskFacts(
        score=rating.decided_score,
        done_percent=rating.tasks_done_percent,
        beyond_percent=rating.tasks_beyond_percent,
        late_percent=rating.tasks_late_percent,
        shortcomings_fixed=rating.shortcomings_fixed,
    )


def _member_facts(
    member: Member, rating: Rating | None, *, periods: tuple, disciplines: tuple
) -> MemberFacts:
    return MemberFacts(
        admitted_on=member.admitted_on,
        is_civil_servant=member.is_civil_servant,
        status_periods=periods,
        disciplines_in_year=disciplines,
        civil_service_level=rating.civil_service_level if rating else "",
        targets_under_half=rating.targets_under_half if rating else False,
        degradation_concluded=rating.degradation_concluded if rating else False,
        as_leader=bool(rating and rating.subject_kind == SubjectKind.LEADER),
        tasks=task_facts(rating),
        broke_prohibitions=rating.broke_prohibitions if rating else False,
        corruption_in_scope=rating.corruption_in_scope if rating else False,
        confidence_low_percent=rating.confidence_low_percent if rating else None,
        overseen_not_completed_percent=rating.overseen_not_completed_percent if rating else None,
    )


def collectives_with_duty_discipline(
    collectives: Iterable[LeadershipCollective], *, cycle: ReviewCycle
) -> set[int]:
    """Ids of collectives a member of which is disciplined in the year for a duty-related
    violation (QĐ 366, Điều 11): seats held at some time during the year count."""
    ids = [collective.pk for collective in collectives]
    disciplined = DisciplineRecord.objects.counted_in_year(cycle.year).filter(duty_related=True)
    year_start, year_end = datetime.date(cycle.year, 1, 1), datetime.date(cycle.year, 12, 31)
    return set(
        CollectiveMembership.objects.held_during(year_start, year_end)
        .filter(collective_id__in=ids, member_id__in=disciplined.values("member_id"))
        .values_list("collective_id", flat=True)
    )


def collective_sizes(
    collectives: Iterable[LeadershipCollective], *, on: datetime.date
) -> dict[int, int]:
    """Seats held on a day, per collective (one grouped query)."""
    ids = [collective.pk for collective in collectives]
    rows = (
        CollectiveMembership.objects.held_on(on)
        .filter(collective_id__in=ids)
        .values("collective_id")
        .annotate(seats=Count("pk"))
        .order_by()
    )
    return {row["collective_id"]: row["seats"] for row in rows}


def organizations_with_discipline_below(
    organizations: Iterable[Organization], *, cycle: ReviewCycle
) -> set[int]:
    """Ids of organizations under which a member was disciplined in the year: such a collective
    cannot be HTXSNV (QĐ 366, Điều 11). One query for the paths of the disciplined members."""
    organizations = list(organizations)
    if not organizations:
        return set()
    paths = set(
        DisciplineRecord.objects.counted_in_year(cycle.year)
        .filter(member__organization__path__startswith=cycle.organization.path)
        .values_list("member__organization__path", flat=True)
    )
    return {
        organization.pk
        for organization in organizations
        if any(path.startswith(organization.path) for path in paths)
    }


def collectives_with_heavy_discipline(
    collectives: Iterable[LeadershipCollective], *, cycle: ReviewCycle
) -> set[int]:
    """Ids of collectives a member of which is disciplined with cảnh cáo or heavier in the year
    (HD 21, mục 3): only seats held at some time during the cycle's year count."""
    ids = [collective.pk for collective in collectives]
    disciplined = DisciplineRecord.objects.counted_in_year(cycle.year).warning_or_heavier()
    year_start, year_end = datetime.date(cycle.year, 1, 1), datetime.date(cycle.year, 12, 31)
    return set(
        CollectiveMembership.objects.held_during(year_start, year_end)
        .filter(collective_id__in=ids, member_id__in=disciplined.values("member_id"))
        .values_list("collective_id", flat=True)
    )


GOOD_OR_BETTER = (Level.EXCELLENT, Level.GOOD)
COMPLETED_OR_BETTER = (Level.EXCELLENT, Level.GOOD, Level.COMPLETED)


def organization_facts(
    organizations: list[Organization], *, cycle: ReviewCycle
) -> dict[int, OrganizationFacts]:
    """For each organization, the decided levels of its rated members (a cell) or of its rated
    direct subordinates (a committee): two grouped queries for any number of organizations."""
    if not organizations:
        return {}
    counts = {
        "rated": Count("pk"),
        "completed": Count("pk", filter=Q(decision_level__in=COMPLETED_OR_BETTER)),
        "good": Count("pk", filter=Q(decision_level__in=GOOD_OR_BETTER)),
    }
    cells = [o.pk for o in organizations if o.holds_members]
    by_cell = {
        row["unit"]: row
        for row in Rating.objects.rated()
        .filter(
            cycle=cycle,
            subject_kind=SubjectKind.MEMBER,
            unit__in=cells,
        )
        .values("unit")
        .annotate(**counts)
        .order_by()
    }
    parents = {o.path: o.pk for o in organizations if not o.holds_members}
    by_parent: dict[int, dict] = {}
    if parents:
        alternatives = "|".join(re.escape(path) for path in parents)
        children = (
            Rating.objects.rated()
            .filter(
                cycle=cycle,
                subject_kind=SubjectKind.ORGANIZATION,
                organization__path__regex=rf"^({alternatives}).{{{Organization.steplen}}}$",
            )
            .values_list("organization__path", "decision_level")
        )
        for path, level in children:
            parent = parents.get(path[: -Organization.steplen])
            if parent is None:
                continue
            row = by_parent.setdefault(parent, {"rated": 0, "completed": 0, "good": 0})
            row["rated"] += 1
            row["completed"] += level in COMPLETED_OR_BETTER
            row["good"] += level in GOOD_OR_BETTER
    facts = {}
    for organization in organizations:
        row = (by_cell if organization.holds_members else by_parent).get(organization.pk, {})
        facts[organization.pk] = OrganizationFacts(
            founded_on=organization.founded_on,
            below_rated=row.get("rated", 0),
            below_completed_or_better=row.get("completed", 0),
            below_good_or_better=row.get("good", 0),
            below_kind="members" if organization.holds_members else "organizations",
        )
    return facts


def eligibilities(ratings: list[Rating], *, cycle: ReviewCycle) -> list[Eligibility]:
    """The rule set's verdict for each rating, in input order, in a fixed number of queries."""
    rules = rule_set_for(cycle.rule_set)
    context = RuleContext.of(cycle)
    person_ratings = [
        r for r in ratings if r.subject_kind in (SubjectKind.MEMBER, SubjectKind.LEADER)
    ]
    members = [r.member for r in person_ratings if r.member is not None]
    facts_by_member = member_facts(
        members,
        cycle=cycle,
        ratings={
            r.member.pk: r
            for r in person_ratings
            if r.subject_kind == SubjectKind.MEMBER and r.member is not None
        },
    )
    collectives = [
        r.collective for r in ratings if r.subject_kind == SubjectKind.COLLECTIVE and r.collective
    ]
    heavy = collectives_with_heavy_discipline(collectives, cycle=cycle) if collectives else set()
    duty = collectives_with_duty_discipline(collectives, cycle=cycle) if collectives else set()
    sizes = collective_sizes(collectives, on=cycle.reference_date) if collectives else {}
    organizations = [r.organization for r in ratings if r.organization is not None]
    below = organization_facts(organizations, cycle=cycle)
    disciplined_below = (
        organizations_with_discipline_below(organizations, cycle=cycle)
        if rules.uses_peer_groups
        else set()
    )
    result: list[Eligibility] = []
    for rating in ratings:
        if rating.member is not None:
            facts = facts_by_member[rating.member.pk]
            if rating.subject_kind == SubjectKind.LEADER:
                facts = _member_facts(
                    rating.member,
                    rating,
                    periods=facts.status_periods,
                    disciplines=facts.disciplines_in_year,
                )
            result.append(rules.member_eligibility(facts, context=context))
        elif rating.organization is not None:
            organization = rating.organization
            counted = below.get(organization.pk) or OrganizationFacts(
                founded_on=organization.founded_on
            )
            result.append(
                rules.organization_eligibility(
                    OrganizationFacts(
                        founded_on=counted.founded_on,
                        below_rated=counted.below_rated,
                        below_completed_or_better=counted.below_completed_or_better,
                        below_good_or_better=counted.below_good_or_better,
                        below_kind=counted.below_kind,
                        tasks=task_facts(rating),
                        below_disciplined=organization.pk in disciplined_below,
                        targets_under_half=rating.targets_under_half,
                        degradation_concluded=rating.degradation_concluded,
                        personnel_wrongdoing=rating.personnel_wrongdoing,
                        collective_disciplined=rating.collective_disciplined,
                    ),
                    context=context,
                )
            )
        elif rating.collective is not None:
            collective = rating.collective
            result.append(
                rules.collective_eligibility(
                    CollectiveFacts(
                        formed_on=collective.formed_on,
                        collective_disciplined=rating.collective_disciplined,
                        member_disciplined_warning_or_heavier=collective.pk in heavy,
                        targets_under_half=rating.targets_under_half,
                        degradation_concluded=rating.degradation_concluded,
                        tasks=task_facts(rating),
                        member_disciplined_duty=collective.pk in duty,
                        personnel_wrongdoing=rating.personnel_wrongdoing,
                        member_count=sizes.get(collective.pk),
                    ),
                    context=context,
                )
            )
        else:
            raise ValueError(f"rating {rating.pk} has no subject")
    if cycle.quarter_bars_excellent and person_ratings:
        results = quarter_results([r.pk for r in person_ratings])
        result = [
            replace(
                verdict,
                limits=verdict.limits
                + quarter_limits(results.get(rating.pk, ("", "", "")), bars_excellent=True),
            )
            if rating.pk in results
            else verdict
            for rating, verdict in zip(ratings, result, strict=True)
        ]
    return result


def ratings_with_subjects():
    return Rating.objects.select_related("member", "organization", "collective", "pool")
