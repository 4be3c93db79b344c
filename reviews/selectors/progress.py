"""Where the work stands: the user's cycle, progress in a scope, the Board's dashboard."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, Min, Q, QuerySet
from django.utils import timezone

from organizations.models import Organization, RoleAssignment, under_any
from reviews.models import (
    RATED,
    SUBMISSION_LOCKED_STATES,
    Level,
    Pool,
    PoolFlag,
    Question,
    QuestionState,
    Rating,
    ReviewCycle,
    SubjectKind,
    Submission,
    SubmissionState,
)
from reviews.quota import QuotaStatus, quotas_by_pool

#: The session key holding the cycle a user chose to work in.
CYCLE_SESSION_KEY = "ky_danh_gia"


def cycles_for_user(user) -> list[ReviewCycle]:
    """The cycles of the blocs a user holds roles in (every cycle for a superuser), the open
    ones first, then newest first."""
    ordered = ReviewCycle.objects.select_related("organization").order_by(
        "-year", "organization__path"
    )
    cycles: list[ReviewCycle] = list(ordered) if getattr(user, "is_superuser", False) else []
    if not getattr(user, "is_superuser", False):
        nodes: dict[str, list[Organization]] = {}
        for assignment in (
            RoleAssignment.objects.active().filter(user=user).select_related("organization")
        ):
            node = assignment.organization
            nodes.setdefault(node.path[: Organization.steplen], []).append(node)
        # A role counts for the cycles its node lived through (roles on the 2021 units still
        # show the 2021 cycle after the 2025 reorganization).
        cycles = [
            cycle
            for cycle in ordered.filter(organization__path__in=list(nodes))
            if any(n.is_active_on(cycle.reference_date) for n in nodes[cycle.organization.path])
        ]
    return sorted(cycles, key=lambda cycle: not cycle.is_open)


def cycle_for_user(user, chosen_id: int | None = None) -> ReviewCycle | None:
    """The cycle a user works in: the one he chose, else the newest open one of his blocs,
    else the newest (the home page opens on the current cycle)."""
    cycles = cycles_for_user(user)
    for cycle in cycles:
        if cycle.pk == chosen_id:
            return cycle
    return cycles[0] if cycles else None


def progress_in_scope(cycle: ReviewCycle, nodes: list[Organization]) -> dict:
    """Submissions by state and member decisions by level under `nodes`, in two queries."""
    paths = [node.path for node in nodes]
    path_filter = under_any(paths, "organization__path")
    rating_filter = under_any(paths, "unit__path")
    submissions = Submission.objects.filter(path_filter, cycle=cycle).aggregate(
        total=Count("pk"),
        late=Count("pk", filter=Q(is_late=True)),
        **{state: Count("pk", filter=Q(state=state)) for state in SubmissionState.values},
    )
    ratings = Rating.objects.filter(
        rating_filter, cycle=cycle, subject_kind=SubjectKind.MEMBER
    ).aggregate(
        total=Count("pk"),
        not_rated=Count("pk", filter=~RATED),
        undecided=Count("pk", filter=RATED & Q(decision_level="")),
        **{level: Count("pk", filter=Q(decision_level=level)) for level in Level.values},
    )
    return {
        "submissions": submissions,
        "submission_states": [
            (state, label, submissions[state]) for state, label in SubmissionState.choices
        ],
        "ratings": ratings,
        "levels": [(level, label, ratings[level]) for level, label in Level.choices],
    }


@dataclass
class UnitProgress:
    """One grassroots unit on the Organization Board's dashboard."""

    unit: Organization
    submission: Submission | None
    member_quota: QuotaStatus | None
    organization_quota: QuotaStatus | None
    own_rating: Rating | None

    @property
    def state(self) -> str:
        return self.submission.state if self.submission else SubmissionState.DRAFT

    def is_overdue(self, *, today: datetime.date, deadline: datetime.date) -> bool:
        """Past the deadline and never sent by it: a unit that sent on time and was returned
        (or reopened) afterwards is not overdue."""
        if today <= deadline or self.state in SUBMISSION_LOCKED_STATES:
            return False
        first = self.submission.first_submitted_at if self.submission else None
        return first is None or timezone.localdate(first) > deadline

    @property
    def any_over(self) -> bool:
        return any(
            q is not None and q.is_over for q in (self.member_quota, self.organization_quota)
        )

    @property
    def excellent_share_of_good(self) -> float | None:
        """HTXSNV as a share of HTTNV among members: the quantity the 20% line bounds."""
        quota = self.member_quota
        if quota is None or quota.good == 0:
            return None
        return quota.excellent / quota.good


def units_progress(cycle: ReviewCycle, units: list[Organization]) -> list[UnitProgress]:
    """Every unit with its submission, its pools' quota and its own rating: four queries."""
    unit_ids = [unit.pk for unit in units]
    submissions = {
        s.organization_id: s
        for s in Submission.objects.filter(cycle=cycle, organization_id__in=unit_ids)
    }
    pools = list(Pool.objects.filter(cycle=cycle, owner_id__in=unit_ids).select_related("cycle"))
    quotas = quotas_by_pool(pools)
    by_owner: dict[tuple[int, str], QuotaStatus] = {
        (pool.owner_id, pool.subject_kind): quotas[pool.pk] for pool in pools
    }
    own = {
        r.organization_id: r
        for r in Rating.objects.filter(
            cycle=cycle, subject_kind=SubjectKind.ORGANIZATION, organization_id__in=unit_ids
        )
    }
    return [
        UnitProgress(
            unit=unit,
            submission=submissions.get(unit.pk),
            member_quota=by_owner.get((unit.pk, SubjectKind.MEMBER)),
            organization_quota=by_owner.get((unit.pk, SubjectKind.ORGANIZATION)),
            own_rating=own.get(unit.pk),
        )
        for unit in units
    ]


def level_totals(progress: list[UnitProgress]) -> dict[str, int]:
    """Member decisions by level over many units (the bloc-wide distribution)."""
    totals = {
        "excellent": 0,
        "good": 0,
        "completed": 0,
        "not_completed": 0,
        "undecided": 0,
        "not_rated": 0,
    }
    for row in progress:
        quota = row.member_quota
        if quota is None:
            continue
        for key in totals:
            totals[key] += getattr(quota, key)
    return totals


@dataclass
class QuestionsWaiting:
    unit: Organization
    count: int
    oldest: datetime.datetime


def questions_overview(cycle: ReviewCycle) -> dict:
    """Questions waiting for the Board per unit (oldest first) and the time taken to answer."""
    waiting = (
        Question.objects.filter(cycle=cycle, state=QuestionState.OPEN)
        .values("unit")
        .annotate(count=Count("pk"), oldest=Min("asked_at"))
        .order_by("oldest")
    )
    units = Organization.objects.in_bulk([row["unit"] for row in waiting])
    answered = list(
        Question.objects.filter(cycle=cycle, first_answered_at__isnull=False).values_list(
            "asked_at", "first_answered_at"
        )
    )
    hours = [
        (answer - asked).total_seconds() / 3600 for asked, answer in answered if answer is not None
    ]
    return {
        "waiting": [
            QuestionsWaiting(unit=units[row["unit"]], count=row["count"], oldest=row["oldest"])
            for row in waiting
        ],
        "answered_count": len(hours),
        "average_hours": sum(hours) / len(hours) if hours else None,
        "total": Question.objects.filter(cycle=cycle).count(),
    }


def pending_flags(cycle: ReviewCycle) -> QuerySet[PoolFlag]:
    """Changes to people waiting for the body that decides their pool (newest first)."""
    return (
        PoolFlag.objects.unresolved()
        .filter(pool__cycle=cycle)
        .select_related("pool__owner", "member")
        .order_by("-created_at", "-pk")
    )
