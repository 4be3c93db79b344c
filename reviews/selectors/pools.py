"""The rows of a pool screen: each subject with the rules' verdict and the user's rights."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Exists, OuterRef, Q

from organizations.models import Organization
from organizations.text import field_label
from reviews.models import (
    Criterion,
    CriterionScore,
    Pool,
    Rating,
    ShortcomingsFixed,
    SubjectKind,
    TaskItem,
)
from reviews.permissions import (
    RowRights,
    Scope,
    grassroots_path,
    locked_unit_paths,
    may_read_self_review,
    row_rights,
    subject_path,
)
from reviews.rules import Eligibility
from reviews.rules.peer_groups import framework_of
from reviews.selectors.eligibility import Hierarchy, eligibilities


@dataclass(frozen=True)
class ScoreLine:
    """One criterion of a subject's framework with its self-score and decided score."""

    criterion: Criterion
    self_points: Decimal | None
    decided_points: Decimal | None


#: Facts a row asks for under QĐ 366, by kind of subject (DOMAIN.md §13, triggers).
SCORED_FACT_FIELDS: dict[str, tuple[str, ...]] = {
    SubjectKind.MEMBER: ("broke_prohibitions", "degradation_concluded"),
    SubjectKind.LEADER: (
        "confidence_low_percent",
        "overseen_not_completed_percent",
        "corruption_in_scope",
        "degradation_concluded",
    ),
    SubjectKind.ORGANIZATION: (
        "personnel_wrongdoing",
        "collective_disciplined",
        "degradation_concluded",
    ),
    SubjectKind.COLLECTIVE: (
        "personnel_wrongdoing",
        "collective_disciplined",
        "degradation_concluded",
    ),
}
SHARE_FIELDS = ("tasks_done_percent", "tasks_beyond_percent", "tasks_late_percent")
TASK_FIELDS = (*SHARE_FIELDS, "shortcomings_fixed")
#: The facts of HD 21 and QĐ 124 cycles.
UNSCORED_FACT_FIELDS = ("civil_service_level", "targets_under_half", "degradation_concluded")


@dataclass
class PoolRow:
    """One subject on a pool screen, with what the rules say and what the user may change."""

    rating: Rating
    eligibility: Eligibility
    rights: RowRights
    group: Organization
    #: The criteria of the subject's framework with its points (cycles with scores).
    scores: list[ScoreLine] = field(default_factory=list)
    #: Whether the user may open the subject's self-review (its readers only, issue #14).
    reads_self_review: bool = False

    @property
    def keeps_register(self) -> bool:
        """Its task register holds tasks: the shares are computed from it (issue #15)."""
        return bool(getattr(self.rating, "keeps_register", False))

    @property
    def self_review(self):
        """The stored self-review, or None while none is written."""
        try:
            return self.rating.self_review
        except ObjectDoesNotExist:
            return None

    @property
    def fact_inputs(self) -> list[tuple[str, str, str, object]]:
        """(name, label, "checkbox" or "percent", value) of the trigger facts of this subject
        under QĐ 366 (the task results are shown apart)."""
        if not self.rating.cycle.uses_scores:
            return []
        inputs = []
        for name in SCORED_FACT_FIELDS[self.rating.subject_kind]:
            kind = "percent" if name.endswith("_percent") else "checkbox"
            inputs.append((name, field_label(Rating, name), kind, getattr(self.rating, name)))
        return inputs

    shortcomings_choices = ShortcomingsFixed.choices

    @property
    def fact_fields(self) -> tuple[str, ...]:
        """The recorded facts the rules of the cycle read for this subject; the task shares
        are not typed when its task register holds tasks (they are computed from it)."""
        if self.rating.cycle.uses_scores:
            tasks = TASK_FIELDS[len(SHARE_FIELDS) :] if self.keeps_register else TASK_FIELDS
            return tasks + SCORED_FACT_FIELDS[self.rating.subject_kind]
        return UNSCORED_FACT_FIELDS

    @property
    def decision_breaks_rules(self) -> bool:
        level = self.rating.decision_level
        return bool(level) and not self.eligibility.allows(level)

    @property
    def comment_fields(self) -> tuple[str, ...]:
        """The comments this row asks for: the old cell's after a transfer, the host cell's
        for a temporary attendance (DOMAIN.md §4)."""
        fields = []
        if self.rating.transferred_from_id:
            fields.append("previous_cell_comments")
        if self.eligibility.needs_host_comments or self.rating.host_cell_comments:
            fields.append("host_cell_comments")
        return tuple(fields)

    @property
    def needs_attention(self) -> bool:
        """Rated with no decision, a decision the rules refuse, or a decision that departs
        from the cell's proposal."""
        rating = self.rating
        if not self.eligibility.is_rated:
            return False
        if not rating.decision_level:
            return True
        if self.decision_breaks_rules:
            return True
        return bool(rating.proposal_level) and rating.proposal_level != rating.decision_level


@dataclass
class LevelCounts:
    excellent: int = 0
    good: int = 0
    completed: int = 0
    not_completed: int = 0
    undecided: int = 0
    not_rated: int = 0

    def add(self, row: PoolRow) -> None:
        attribute = {
            "HTXSNV": "excellent",
            "HTTNV": "good",
            "HTNV": "completed",
            "KHTNV": "not_completed",
        }.get(row.rating.decision_level)
        if not row.eligibility.is_rated:
            attribute = "not_rated"
        elif attribute is None:
            attribute = "undecided"
        setattr(self, attribute, getattr(self, attribute) + 1)


@dataclass
class PoolGroup:
    organization: Organization
    rows: list[PoolRow] = field(default_factory=list)
    counts: LevelCounts = field(default_factory=LevelCounts)
    proposals_pending: int = 0


def pool_rows(
    pool: Pool,
    scope: Scope,
    *,
    only: list[int] | None = None,
    group: Organization | None = None,
) -> list[PoolRow]:
    """Every rating of the pool the user may see (or those of `only`), in group then
    Vietnamese name order. A fixed number of queries whatever the pool's size.
    """
    ratings_qs = Rating.objects.filter(scope.subject_filter(), pool=pool)
    if only is not None:
        ratings_qs = ratings_qs.filter(pk__in=only)
    if group is not None:
        ratings_qs = ratings_qs.filter(
            Q(unit=group, organization__isnull=True)
            | Q(
                unit__path__startswith=group.path,
                unit__depth=group.depth + 1,
                organization__isnull=False,
            )
        )
    ratings = list(
        ratings_qs.annotate(
            keeps_register=Exists(TaskItem.objects.filter(rating=OuterRef("pk")))
        ).select_related(
            "unit",
            "member__organization",
            "organization",
            "collective__organization",
            "pool",
            "transferred_from",
            "self_review",
        )
    )
    hierarchy = Hierarchy(pool.cycle.organization)
    locked = locked_unit_paths(pool.cycle)
    lines = score_lines(pool.cycle, ratings)
    rows = []
    for rating, verdict in zip(ratings, eligibilities(ratings, cycle=pool.cycle), strict=True):
        rating.pool = pool
        rating.cycle = pool.cycle
        if rating.organization is not None:
            group = hierarchy.parent_of(rating.organization) or rating.organization
        else:
            group = rating.unit
        unit = grassroots_path(subject_path(rating), hierarchy.by_path)
        rights = row_rights(scope, rating, pool=pool, unit_path=unit, locked_units=locked)
        rows.append(
            PoolRow(
                rating=rating,
                eligibility=verdict,
                rights=rights,
                group=group,
                scores=lines.get(rating.pk, []),
                reads_self_review=rating.is_reviewed and may_read_self_review(scope, rating),
            )
        )
    rows.sort(key=lambda row: (row.group.path, _row_name_key(row.rating)))
    return rows


def score_lines(cycle, ratings: list[Rating]) -> dict[int, list[ScoreLine]]:
    """Each rating's criteria with its points, in two queries (none without scores)."""
    if not cycle.uses_scores or not ratings:
        return {}
    criteria: dict[str, list[Criterion]] = {}
    for criterion in Criterion.objects.filter(cycle=cycle).order_by("order"):
        criteria.setdefault(criterion.framework, []).append(criterion)
    points = {
        (score.rating_id, score.criterion_id): score
        for score in CriterionScore.objects.filter(rating__in=[r.pk for r in ratings])
    }
    lines = {}
    for rating in ratings:
        framework = framework_of(subject_kind=rating.subject_kind, subject=rating.subject)
        lines[rating.pk] = [
            ScoreLine(
                criterion=criterion,
                self_points=getattr(points.get((rating.pk, criterion.pk)), "self_points", None),
                decided_points=getattr(
                    points.get((rating.pk, criterion.pk)), "decided_points", None
                ),
            )
            for criterion in criteria.get(framework, [])
        ]
    return lines


def _row_name_key(rating: Rating) -> str:
    if rating.member is not None:
        return rating.member.sort_key
    if rating.organization is not None:
        return rating.organization.path
    return str(rating.subject)


def group_rows(rows: list[PoolRow]) -> list[PoolGroup]:
    """Rows by cell (or parent organization) with decided counts per level."""
    groups: dict[int, PoolGroup] = {}
    for row in rows:
        group = groups.setdefault(row.group.pk, PoolGroup(organization=row.group))
        group.rows.append(row)
        group.counts.add(row)
        if row.rating.proposal_level and not row.rating.decision_level and row.rights.decision:
            group.proposals_pending += 1
    return list(groups.values())
