"""Everything one report shows, read once and handed to the exporters (STYLE.md: rows → pure
exporter returning bytes → a view or command that only delivers the file)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q

from organizations.models import Organization
from reports.letterhead import Letterhead, letterhead_for
from reports.selectors.lists import (
    CellGroup,
    ExcellentGroup,
    MemberList,
    OrganizationLine,
    OverrideLine,
    QuotaLine,
    QuotaSummary,
    Tree,
    excellent_groups,
    organization_lines,
    overrides_in,
    questions_in,
    quota_lines,
    quota_summary,
    suggestions_in,
)
from reports.selectors.scope import check_report_node, is_bloc
from reports.selectors.tables import StatRow, Table6F, rating_statistics, table_6f
from reviews.models import (
    Question,
    QuestionState,
    ReviewCycle,
    Submission,
    SubmissionState,
    Suggestion,
)


@dataclass
class ReportData:
    cycle: ReviewCycle
    node: Organization
    letterhead: Letterhead
    table_6f: Table6F
    statistics: list[StatRow]
    quotas: list[QuotaLine]
    suggestions: list[Suggestion]
    questions: list[Question]
    excellent: list[ExcellentGroup]
    organizations: list[OrganizationLine]
    cells: MemberList | list[CellGroup]
    units: dict
    overrides: list[OverrideLine]

    @property
    def is_bloc(self) -> bool:
        return is_bloc(self.cycle, self.node)

    def statistic(self, key: str) -> StatRow:
        return next(row for row in self.statistics if row.key == key)

    @property
    def quotas_over(self) -> list[QuotaLine]:
        return [line for line in self.quotas if line.status.is_over]

    @property
    def undecided_in_pools(self) -> int:
        """Rated subjects with no decision yet, over every pool of the report."""
        return sum(line.status.undecided for line in self.quotas)

    @property
    def quota_rows(self) -> list[QuotaLine]:
        """Pools the PDF lists one by one: a unit's own, or for the bloc those over quota."""
        return self.quotas_over if self.is_bloc else self.quotas

    @property
    def quota_summary(self) -> list[QuotaSummary]:
        return quota_summary(self.quotas)

    @property
    def questions_remaining(self) -> list[Question]:
        """Raised and not yet answered: what goes up to the Standing Board (letter point 4)."""
        return [
            q for q in self.questions if q.state in (QuestionState.OPEN, QuestionState.ASKED_BACK)
        ]

    @property
    def questions_answered(self) -> list[Question]:
        return [
            q for q in self.questions if q.state in (QuestionState.ANSWERED, QuestionState.CLOSED)
        ]

    @property
    def member_count(self) -> int:
        return len(self.cells)


def unit_progress(cycle: ReviewCycle, node: Organization) -> dict:
    """Grassroots units under the node and how far their submissions went (one query)."""
    counts = Submission.objects.filter(
        cycle=cycle, organization__path__startswith=node.path
    ).aggregate(
        total=Count("pk"),
        late=Count("pk", filter=Q(is_late=True)),
        **{state: Count("pk", filter=Q(state=state)) for state in SubmissionState.values},
    )
    return counts


def report_data(cycle: ReviewCycle, node: Organization, *, with_lists: bool = True) -> ReportData:
    """Read every table of the node's report; `with_lists=False` skips the long member and
    organization lists (the PDF report does not print them)."""
    check_report_node(cycle, node)
    tree = Tree(node)
    return ReportData(
        cycle=cycle,
        node=node,
        letterhead=letterhead_for(node, bloc=cycle.organization),
        table_6f=table_6f(cycle, node),
        statistics=rating_statistics(cycle, node),
        quotas=quota_lines(cycle, node),
        suggestions=suggestions_in(cycle, node),
        questions=questions_in(cycle, node),
        excellent=excellent_groups(cycle, node, tree),
        organizations=organization_lines(cycle, node, tree) if with_lists else [],
        cells=MemberList(cycle, node, tree) if with_lists else [],
        units=unit_progress(cycle, node),
        overrides=overrides_in(cycle, node, tree),
    )
