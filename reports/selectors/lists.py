"""The lists of a report: members by cell, organizations, those decided HTXSNV, the quota per
pool and the suggestions. Each in a fixed number of queries, whatever the number of rows."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import cast

from django.db.models import Count, Prefetch
from django.utils.translation import gettext as _

from members.models import Member
from organizations.models import Organization
from organizations.templatetags.people import person_name
from reports.selectors.scope import is_bloc, subjects_under
from reviews.models import (
    Level,
    NotRatedReason,
    Pool,
    Question,
    QuestionMessage,
    Rating,
    ReviewCycle,
    SubjectKind,
    Suggestion,
    SuggestionIssue,
    SuggestionState,
)
from reviews.quota import QuotaStatus, quotas_by_pool
from reviews.rules import Eligibility
from reviews.selectors import eligibilities


class Tree:
    """The report node's subtree in memory (one query), for group labels and indentation."""

    def __init__(self, node: Organization):
        self.node = node
        self.by_path = {n.path: n for n in Organization.objects.subtree_of(node)}
        self.by_id = {n.pk: n for n in self.by_path.values()}

    def chain(self, organization: Organization) -> list[Organization]:
        """The organization and its ancestors strictly below the report node, nearest first."""
        nodes = []
        path = organization.path
        step = Organization.steplen
        while len(path) > len(self.node.path):
            found = self.by_path.get(path)
            if found is not None:
                nodes.append(found)
            path = path[:-step]
        return nodes

    def label(self, organization: Organization) -> str:
        """ "Chi bộ A (Đảng bộ bộ phận B, Đảng bộ Sở C)": the node then its parents."""
        chain = self.chain(organization) or [organization]
        head, parents = chain[0], chain[1:]
        if not parents:
            return head.name
        return f"{head.name} ({', '.join(p.name for p in parents)})"

    def depth_below(self, organization: Organization) -> int:
        return organization.depth - self.node.depth


def verdict_text(rating: Rating, eligibility: Eligibility | None) -> str:
    """Whether the subject is rated, and the rules' limits: the "eligibility" column."""
    if rating.not_rated_reason:
        return _("Không xếp loại (lý do: %(reason)s)") % {
            "reason": NotRatedReason(rating.not_rated_reason).label
        }
    if eligibility is not None and eligibility.limits:
        return "; ".join(str(limit.message) for limit in eligibility.limits)
    return _("Được xếp loại")


def override_text(rating: Rating) -> str:
    """Who decided beyond the rules, why, and by which document (UI-VI.md)."""
    if not rating.has_override:
        return ""
    return _("Điều chỉnh ngoài quy định (%(reference)s, %(who)s): %(reason)s") % {
        "reference": rating.override_reference,
        "who": person_name(rating.override_by),
        "reason": rating.override_reason,
    }


def comments_text(rating: Rating) -> str:
    """The old cell's comments after a transfer, the host cell's for a temporary attendance."""
    parts = []
    if rating.transferred_from_id:
        parts.append(
            _("Nhận xét của chi bộ nơi chuyển đi (%(cell)s): %(text)s")
            % {
                "cell": rating.transferred_from,
                "text": rating.previous_cell_comments or _("chưa có"),
            }
        )
    if rating.host_cell_comments:
        parts.append(
            _("Nhận xét của chi bộ nơi sinh hoạt tạm thời: %(text)s")
            % {"text": rating.host_cell_comments}
        )
    return " ".join(parts)


@dataclass
class OverrideLine:
    rating: Rating
    unit_label: str


def overrides_in(cycle: ReviewCycle, node: Organization, tree: Tree) -> list[OverrideLine]:
    """Every decision beyond the rules on a subject under the node, with who, why and the
    reference (issue "make run works again", point 5): one query."""
    ratings = (
        Rating.objects.filter(subjects_under(cycle, node), cycle=cycle)
        .exclude(override_reason="")
        .select_related(
            "unit",
            "member",
            "organization",
            "collective",
            "override_by",
            "pool__owner",
        )
        .order_by("pool__owner__path", "subject_kind", "pk")
    )
    return [OverrideLine(rating=rating, unit_label=tree.label(rating.unit)) for rating in ratings]


@dataclass
class MemberLine:
    number: int
    rating: Rating
    verdict: str

    @property
    def member(self) -> Member:
        return cast(Member, self.rating.member)  # a member rating always has its member


@dataclass
class CellGroup:
    cell: Organization
    label: str
    lines: list[MemberLine] = field(default_factory=list)


class MemberList:
    """Member ratings grouped by cell in tree order, the Vietnamese way inside each cell,
    read a few cells at a time as the list is walked: a province's 100,000 ratings never sit
    in memory together (issue #16: a workbook's memory stays bounded).

    Building it counts each cell's ratings (one query); each batch of cells holding up to
    `batch_size` ratings (a larger cell alone) then costs the ratings and the facts the rules
    read (status periods, discipline): a fixed number of queries per batch. Walking the list
    again reads it again.
    """

    batch_size = 2000

    def __init__(self, cycle: ReviewCycle, node: Organization, tree: Tree):
        self.cycle, self.tree = cycle, tree
        self._ratings = Rating.objects.filter(
            cycle=cycle, subject_kind=SubjectKind.MEMBER, unit__path__startswith=node.path
        )
        #: (cell id, ratings) in tree order.
        self.counts: list[tuple[int, int]] = list(
            self._ratings.order_by("unit__path")
            .values("unit")
            .annotate(n=Count("pk"))
            .values_list("unit", "n")
        )

    def __len__(self) -> int:
        return sum(n for _cell, n in self.counts)

    def __bool__(self) -> bool:
        return bool(self.counts)

    def _batches(self) -> Iterator[list[int]]:
        batch: list[int] = []
        size = 0
        for cell_id, n in self.counts:
            if batch and size + n > self.batch_size:
                yield batch
                batch, size = [], 0
            batch.append(cell_id)
            size += n
        if batch:
            yield batch

    def __iter__(self) -> Iterator[CellGroup]:
        number = 0
        for cell_ids in self._batches():
            ratings = list(
                self._ratings.filter(unit_id__in=cell_ids)
                .select_related("member", "override_by", "transferred_from")
                .order_by("member__sort_key", "member__pk")
            )
            by_cell: dict[int, list[MemberLine]] = defaultdict(list)
            for rating, eligibility in zip(
                ratings, eligibilities(ratings, cycle=self.cycle), strict=True
            ):
                rating.unit = self.tree.by_id[rating.unit_id]
                by_cell[rating.unit_id].append(
                    MemberLine(number=0, rating=rating, verdict=verdict_text(rating, eligibility))
                )
            for cell_id in cell_ids:
                cell = self.tree.by_id[cell_id]
                group = CellGroup(cell=cell, label=self.tree.label(cell), lines=by_cell[cell_id])
                for line in group.lines:
                    number += 1
                    line.number = number
                yield group


@dataclass
class OrganizationLine:
    number: int
    rating: Rating
    depth: int
    parent_label: str

    @property
    def organization(self) -> Organization:
        return cast(Organization, self.rating.organization)


def organization_lines(
    cycle: ReviewCycle, node: Organization, tree: Tree
) -> list[OrganizationLine]:
    ratings = (
        Rating.objects.filter(
            cycle=cycle,
            subject_kind=SubjectKind.ORGANIZATION,
            organization__path__startswith=node.path,
        )
        .select_related("organization", "pool__owner", "override_by")
        .order_by("organization__path")
    )
    # Under the bloc the units are the first level; a unit's report starts with the unit.
    offset = 1 if is_bloc(cycle, node) else 0
    lines = []
    for number, rating in enumerate(ratings, start=1):
        organization = rating.organization
        if organization.pk == node.pk:
            parent = cycle.organization.name
        else:
            chain = tree.chain(organization)
            parent = chain[1].name if len(chain) > 1 else node.name
        lines.append(
            OrganizationLine(
                number=number,
                rating=rating,
                depth=max(tree.depth_below(organization) - offset, 0),
                parent_label=parent,
            )
        )
    return lines


@dataclass
class ExcellentLine:
    name: str
    detail: str
    rating: Rating


@dataclass
class ExcellentGroup:
    subject_kind: str
    label: str
    lines: list[ExcellentLine] = field(default_factory=list)


EXCELLENT_ORDER = (
    SubjectKind.MEMBER,
    SubjectKind.ORGANIZATION,
    SubjectKind.COLLECTIVE,
    SubjectKind.LEADER,
)


def excellent_groups(cycle: ReviewCycle, node: Organization, tree: Tree) -> list[ExcellentGroup]:
    """Every subject decided HTXSNV, by kind: members, organizations, collectives, leaders."""
    ratings = (
        Rating.objects.rated()
        .filter(
            subjects_under(cycle, node),
            cycle=cycle,
            decision_level=Level.EXCELLENT,
        )
        .select_related("unit", "member", "organization", "collective__organization", "override_by")
    )
    groups = {
        kind: ExcellentGroup(subject_kind=kind, label=str(SubjectKind(kind).label))
        for kind in EXCELLENT_ORDER
    }
    keyed = []
    for rating in ratings:
        if rating.member is not None:
            cell = rating.unit
            detail = tree.label(cell) if cell.pk != node.pk else cell.name
            if rating.subject_kind == SubjectKind.LEADER:
                detail = f"{rating.member.leadership_post} — {detail}"
            key = (cell.path, rating.member.sort_key, rating.pk)
            line = ExcellentLine(rating.member.full_name, detail, rating)
        elif rating.organization is not None:
            organization = rating.organization
            key = (organization.path, "", rating.pk)
            line = ExcellentLine(organization.name, organization.get_kind_display(), rating)
        else:
            collective = rating.collective
            key = (collective.organization.path, collective.name, rating.pk)
            line = ExcellentLine(collective.name, collective.organization.name, rating)
        keyed.append((key, rating.subject_kind, line))
    for _key, kind, line in sorted(keyed, key=lambda item: item[0]):
        groups[kind].lines.append(line)
    return list(groups.values())


@dataclass
class QuotaLine:
    pool: Pool
    status: QuotaStatus

    @property
    def share_of_good(self) -> float | None:
        """HTXSNV as a percentage of the basis: the quantity the 20% line bounds."""
        if not self.status.basis:
            return None
        return 100 * self.status.excellent / self.status.basis


@dataclass
class QuotaSummary:
    """The pools of one subject kind taken together (the bloc's report shows these)."""

    subject_kind: str
    label: str
    pools: int = 0
    rated: int = 0
    good: int = 0
    excellent: int = 0
    basis: int = 0
    allowed: int = 0
    over: int = 0

    @property
    def share_of_good(self) -> float | None:
        return 100 * self.excellent / self.basis if self.basis else None


def quota_summary(lines: list[QuotaLine]) -> list[QuotaSummary]:
    """Totals per subject kind, in the order of SubjectKind; kinds without a pool left out."""
    rows = {
        kind: QuotaSummary(subject_kind=kind, label=str(label))
        for kind, label in SubjectKind.choices
    }
    for line in lines:
        row = rows[line.pool.subject_kind]
        status = line.status
        row.pools += 1
        row.rated += status.rated
        row.good += status.good
        row.excellent += status.excellent
        row.basis += status.basis
        row.allowed += status.allowed
        row.over += int(status.is_over)
    return [row for row in rows.values() if row.pools]


def quota_lines(cycle: ReviewCycle, node: Organization) -> list[QuotaLine]:
    """The pools the node's bodies decide (for the bloc: every pool), with their quota."""
    pools = list(
        Pool.objects.filter(cycle=cycle, owner__path__startswith=node.path)
        .select_related("owner", "cycle")
        .order_by("owner__path", "subject_kind", "peer_group")
    )
    statuses = quotas_by_pool(pools)
    return [QuotaLine(pool=pool, status=statuses[pool.pk]) for pool in pools]


def suggestions_in(cycle: ReviewCycle, node: Organization) -> list[Suggestion]:
    """Issued suggestions the node's bodies must answer, each with its issues in order."""
    return list(
        Suggestion.objects.filter(cycle=cycle, addressed_to__path__startswith=node.path)
        .exclude(state=SuggestionState.DRAFT)
        .select_related("collective__organization", "member__organization", "addressed_to")
        .prefetch_related(
            Prefetch("issues", queryset=SuggestionIssue.objects.order_by("order", "pk"))
        )
        .order_by("addressed_to__path", "issued_on", "pk")
    )


def suggestion_target(suggestion: Suggestion) -> str:
    if suggestion.collective is not None:
        return suggestion.collective.name
    member = suggestion.member
    if member is None:
        return str(suggestion)
    if member.leadership_post:
        return f"{member.full_name} — {member.leadership_post}"
    return member.full_name


def questions_in(cycle: ReviewCycle, node: Organization) -> list[Question]:
    """The cycle's questions and difficulties raised by units under the node, each with its
    thread (letter point 4: what was raised, what was answered, what remains)."""
    return list(
        Question.objects.filter(cycle=cycle, unit__path__startswith=node.path)
        .select_related("unit")
        .prefetch_related(
            Prefetch("messages", queryset=QuestionMessage.objects.order_by("changed_at", "pk"))
        )
        .order_by("unit__path", "asked_at", "pk")
    )


def question_answer(question: Question) -> str:
    """The Board's last answer to a question, or ''."""
    answers = [m.text for m in question.messages.all() if m.kind == "answered"]
    return answers[-1] if answers else ""


def question_text(question: Question) -> str:
    asked = [m.text for m in question.messages.all() if m.kind == "asked"]
    return asked[0] if asked else ""
