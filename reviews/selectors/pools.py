"""The rows of a pool screen: each subject with the rules' verdict and the user's rights."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ObjectDoesNotExist
from django.core.paginator import Page, Paginator
from django.db.models import CharField, Count, Exists, F, OuterRef, Q, Window
from django.db.models.functions import RowNumber, Substr

from organizations.models import Organization
from organizations.text import field_label
from reviews.models import (
    RATED,
    Criterion,
    CriterionScore,
    Level,
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
    may_decide_rows,
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
    #: Its place in its group on the screen (1, 2, …), across pages.
    number: int | None = None

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


@dataclass
class PoolGroup:
    """A cell (or the parent of the organizations rated) on a pool screen, with its counts
    taken in SQL over every row of the pool the user sees, whatever page is shown."""

    organization: Organization
    size: int = 0
    counts: LevelCounts = field(default_factory=LevelCounts)
    proposals_pending: int = 0


#: Rows of a pool screen per page: its first screen is the same size for 50 and 6,000 people.
PAGE_SIZE = 50


def _order_keys(subject_kind: str) -> dict:
    """A row's group (a person's or collective's unit, an organization's parent) and its
    name key, for the pool's kind of subject: the fewest joins for the planner."""
    if subject_kind == SubjectKind.ORGANIZATION:
        return {
            "group_path": Substr(
                "organization__path",
                1,
                (F("organization__depth") - 1) * Organization.steplen,
                output_field=CharField(),
            ),
            "name_key": F("organization__path"),
        }
    name = "collective__name" if subject_kind == SubjectKind.COLLECTIVE else "member__sort_key"
    return {"group_path": F("unit__path"), "name_key": F(name)}


#: What a row reads of its subject, by kind (no join a pool of that kind never uses).
ROW_RELATED: dict[str, tuple[str, ...]] = {
    SubjectKind.MEMBER: ("unit", "member__organization", "transferred_from", "self_review"),
    SubjectKind.LEADER: ("unit", "member__organization", "transferred_from", "self_review"),
    SubjectKind.ORGANIZATION: ("unit", "organization", "self_review"),
    SubjectKind.COLLECTIVE: ("unit", "collective__organization", "self_review"),
}


def pool_ratings(
    pool: Pool,
    scope: Scope,
    *,
    group: Organization | None = None,
    level: str = "",
    search: str = "",
):
    """The ratings of the pool the user may see, filtered, in the screen's order: by group,
    then by the Vietnamese name order (a person's sort key, an organization's path), then id.
    The one definition of that order, for pages, jumps and whole-pool reads alike."""
    ratings = (
        Rating.objects.filter(scope.subject_filter(), pool=pool)
        .annotate(**_order_keys(pool.subject_kind))
        .order_by("group_path", "name_key", "pk")
    )
    if group is not None:
        # The same rows as `group_path = group.path`, by indexed columns: a pool rates one
        # kind of subject, the people or collectives of a unit or the organizations under it.
        if pool.subject_kind == SubjectKind.ORGANIZATION:
            ratings = ratings.filter(
                organization__path__startswith=group.path, organization__depth=group.depth + 1
            )
        else:
            ratings = ratings.filter(unit=group)
    if level:
        ratings = ratings.filter(decision_level=level)
    search = search.strip()
    if search:
        ratings = ratings.filter(
            Q(member__full_name__icontains=search)
            | Q(member__card_number=search)
            | Q(organization__name__icontains=search)
            | Q(collective__name__icontains=search)
        )
    return ratings


def pool_rows(
    pool: Pool,
    scope: Scope,
    *,
    only: list[int] | None = None,
    group: Organization | None = None,
) -> list[PoolRow]:
    """The rows of the pool the user may see (or those of `only`), in the screen's order, with
    the rules' verdicts and the user's rights. A fixed number of queries whatever their number;
    the tree is read only along the rows' units.
    """
    ratings_qs = pool_ratings(pool, scope, group=group)
    if only is not None:
        ratings_qs = ratings_qs.filter(pk__in=only)
    ratings = list(
        ratings_qs.annotate(
            keeps_register=Exists(TaskItem.objects.filter(rating=OuterRef("pk")))
        ).select_related(*ROW_RELATED[pool.subject_kind])
    )
    if not ratings:
        return []
    hierarchy = Hierarchy.along(pool.cycle.organization, {r.unit for r in ratings})
    locked = locked_unit_paths(pool.cycle)
    lines = score_lines(pool.cycle, ratings)
    rows = []
    for rating, verdict in zip(ratings, eligibilities(ratings, cycle=pool.cycle), strict=True):
        rating.pool = pool
        rating.cycle = pool.cycle
        if rating.organization is not None:
            row_group = hierarchy.parent_of(rating.organization) or rating.organization
        else:
            row_group = rating.unit
        unit = grassroots_path(subject_path(rating), hierarchy.by_path)
        rights = row_rights(scope, rating, pool=pool, unit_path=unit, locked_units=locked)
        rows.append(
            PoolRow(
                rating=rating,
                eligibility=verdict,
                rights=rights,
                group=row_group,
                scores=lines.get(rating.pk, []),
                reads_self_review=rating.is_reviewed and may_read_self_review(scope, rating),
            )
        )
    return rows


@dataclass
class PoolPage:
    """One page of a pool screen: its rows in runs by group, each row numbered in its group."""

    page: Page
    runs: list[tuple[PoolGroup, list[PoolRow]]]


def pool_page(
    pool: Pool,
    scope: Scope,
    *,
    groups: dict[str, PoolGroup],
    group: Organization | None = None,
    level: str = "",
    search: str = "",
    attention: bool = False,
    page_number: str | int | None = 1,
) -> PoolPage:
    """The page of rows the screen shows, in four queries plus those of `pool_rows` for its
    rows; with `attention`, the rules are read over the filtered rows in chunks (that filter
    costs what the pool holds, the page does not)."""
    ratings = pool_ratings(pool, scope, group=group, level=level, search=search)
    if attention:
        ratings = ratings.filter(pk__in=_attention_ids(pool, scope, ratings))
    paginator = Paginator(ratings.values_list("pk", flat=True), PAGE_SIZE)
    page = paginator.get_page(page_number)
    numbered = ratings.annotate(
        number=Window(
            RowNumber(),
            partition_by=[F("group_path")],
            order_by=[F("name_key").asc(), F("pk").asc()],
        )
    ).values_list("pk", "number")
    start = page.start_index() - 1 if paginator.count else 0
    numbers = dict(numbered[start : start + PAGE_SIZE])
    runs: list[tuple[PoolGroup, list[PoolRow]]] = []
    for row in pool_rows(pool, scope, only=list(numbers)):
        row.number = numbers[row.rating.pk]
        if not runs or runs[-1][0].organization.pk != row.group.pk:
            runs.append((groups.get(row.group.path) or PoolGroup(organization=row.group), []))
        runs[-1][1].append(row)
    return PoolPage(page=page, runs=runs)


ATTENTION_CHUNK = 500


def _attention_ids(pool: Pool, scope: Scope, ratings) -> list[int]:
    """Ids of the rows that need a second look (`PoolRow.needs_attention`): undecided or
    departing from the proposal is read in SQL, a decision the rules refuse by the rules."""
    rated = ratings.filter(RATED)
    plain = Q(decision_level="") | (~Q(proposal_level="") & ~Q(proposal_level=F("decision_level")))
    ids = list(rated.filter(plain).values_list("pk", flat=True))
    decided = list(rated.exclude(plain).values_list("pk", flat=True))
    for start in range(0, len(decided), ATTENTION_CHUNK):
        chunk = decided[start : start + ATTENTION_CHUNK]
        ids += [row.rating.pk for row in pool_rows(pool, scope, only=chunk) if row.needs_attention]
    return ids


def next_undecided(ratings, *, after: int) -> tuple[int, int] | None:
    """(position from 0, rating id) of the first rated row without a decision after position
    `after` of `ratings` (a `pool_ratings` queryset), wrapping to the top; None when every
    rated row is decided. Reads two small columns of the filtered rows, no model."""
    flags = list(ratings.values_list("pk", "decision_level", "not_rated_reason"))
    order = list(range(after + 1, len(flags))) + list(range(0, min(after + 1, len(flags))))
    for position in order:
        pk, level, reason = flags[position]
        if not level and not reason:
            return position, pk
    return None


def pool_groups(
    pool: Pool, scope: Scope, *, only: Organization | None = None
) -> dict[str, PoolGroup]:
    """The groups of the pool the user sees, by path, with the decided counts per level and
    the proposals waiting for the deciding body: two queries whatever the pool's size."""
    ratings = pool_ratings(pool, scope, group=only)
    rows = (
        ratings.values("group_path")
        .annotate(
            size=Count("pk"),
            **{
                name: Count("pk", filter=RATED & Q(decision_level=level))
                for name, level in (
                    ("excellent", Level.EXCELLENT),
                    ("good", Level.GOOD),
                    ("completed", Level.COMPLETED),
                    ("not_completed", Level.NOT_COMPLETED),
                )
            },
            undecided=Count("pk", filter=RATED & Q(decision_level="")),
            not_rated=Count("pk", filter=~RATED),
            pending=Count("pk", filter=RATED & Q(decision_level="") & ~Q(proposal_level="")),
        )
        .order_by("group_path")
    )
    rows = list(rows)
    organizations = Organization.objects.in_bulk(
        [row["group_path"] for row in rows], field_name="path"
    )
    decides = may_decide_rows(scope, pool, locked_units=locked_unit_paths(pool.cycle))
    groups = {}
    for row in rows:
        organization = organizations.get(row["group_path"])
        if organization is None:
            continue
        groups[organization.path] = PoolGroup(
            organization=organization,
            size=row["size"],
            counts=LevelCounts(
                excellent=row["excellent"],
                good=row["good"],
                completed=row["completed"],
                not_completed=row["not_completed"],
                undecided=row["undecided"],
                not_rated=row["not_rated"],
            ),
            proposals_pending=row["pending"] if decides else 0,
        )
    return groups


def score_lines(cycle, ratings: list[Rating]) -> dict[int, list[ScoreLine]]:
    """Each rating's criteria with its points, in two queries (none without scores)."""
    if not cycle.uses_scores or not ratings:
        return {}
    criteria: dict[str, list[Criterion]] = {}
    for criterion in Criterion.objects.filter(cycle=cycle).order_by("order"):
        criteria.setdefault(criterion.framework, []).append(criterion)
    points = {
        (score.rating_id, score.criterion_id): score
        # Unordered: the model's ordering joins five tables to sort what a dict holds.
        for score in CriterionScore.objects.filter(rating__in=[r.pk for r in ratings]).order_by()
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
