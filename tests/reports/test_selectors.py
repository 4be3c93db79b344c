import pytest
from django.db import connection
from django.db.models import Q
from django.test.utils import CaptureQueriesContext

from members.models import ManagingLevel
from reports.selectors import MemberList, report_data, table_6f
from reports.selectors.lists import Tree
from reports.selectors.tables import rating_statistics
from reviews.models import (
    IssueState,
    Level,
    NotRatedReason,
    Rating,
    SubjectKind,
    Suggestion,
    SuggestionState,
)
from reviews.services import cycle_prepare
from tests.reports.conftest import build_unit, suggestion

pytestmark = pytest.mark.django_db


def under(node):
    path = node.path
    return (
        Q(member__organization__path__startswith=path)
        | Q(organization__path__startswith=path)
        | Q(collective__organization__path__startswith=path)
    )


@pytest.mark.parametrize("which", ["bloc", "a", "b"])
def test_6f_rows_equal_the_database_counts(report_bloc, which):
    cycle = report_bloc["cycle"]
    node = {
        "bloc": report_bloc["bloc"],
        "a": report_bloc["a"]["unit"],
        "b": report_bloc["b_unit"],
    }[which]
    table = table_6f(cycle, node)
    ratings = Rating.objects.filter(under(node), cycle=cycle)
    collectives = ratings.filter(
        subject_kind__in=[SubjectKind.ORGANIZATION, SubjectKind.COLLECTIVE]
    )
    members = ratings.filter(subject_kind=SubjectKind.MEMBER)
    assert table.row("1").collectives == collectives.count()
    assert table.row("1").members == members.count()
    assert table.row("2").members == members.filter(not_rated_reason="").count()
    assert table.row("3").members == members.exclude(not_rated_reason="").count()
    assert (
        table.row("3.1").collectives
        == collectives.filter(not_rated_reason=NotRatedReason.NEWLY_FORMED).count()
    )
    assert (
        table.row("3.2").members
        == members.filter(not_rated_reason__in=["new_member", "exempt", "suspended"]).count()
    )
    for column in ("collectives", "members"):
        value = {row.number: getattr(row, column) for row in table.rows}
        assert value["1"] == value["2"] + value["3"]
        assert value["3"] == value["3.1"] + value["3.2"]
        assert value["4"] == value["4.1"] + value["4.2"] + value["4.3"]
    counted = Suggestion.objects.filter(
        cycle=cycle,
        addressed_to__path__startswith=node.path,
        state__in=[SuggestionState.ISSUED, SuggestionState.CLOSED],
    )
    assert table.row("4").collectives == counted.filter(collective__isnull=False).count()
    assert table.row("4").members == counted.filter(member__isnull=False).count()


def test_6f_of_the_bloc_counts_every_case(report_bloc):
    table = table_6f(report_bloc["cycle"], report_bloc["bloc"])
    # Unit C and its cell are newly formed; one new member, one exempt, one suspended.
    assert table.row("3.1").collectives == 2
    assert table.row("3.2").members == 3
    # Issued and closed suggestions count, the draft does not.
    assert (table.row("4").collectives, table.row("4").members) == (2, 1)
    assert table.row("4.1").members == 1  # the leader, managed by the provincial BTV
    assert table.row("4.2").collectives == 1
    assert table.row("4.3").collectives == 1


def test_rating_statistics_use_the_decided_level(report_bloc):
    cycle, bloc = report_bloc["cycle"], report_bloc["bloc"]
    rows = {row.key: row for row in rating_statistics(cycle, bloc)}
    members = Rating.objects.filter(cycle=cycle, subject_kind=SubjectKind.MEMBER)
    row = rows["member"]
    assert row.total == members.count()
    assert row.rated == members.filter(not_rated_reason="").count()
    for level in Level.values:
        assert row.levels[level] == members.filter(decision_level=level).count()
    assert row.undecided == members.filter(not_rated_reason="", decision_level="").count()
    assert row.total == row.rated + row.not_rated
    assert row.rated == sum(row.levels.values()) + row.undecided
    assert row.percent_of_rated(Level.EXCELLENT) == pytest.approx(100 * 2 / row.rated)
    assert row.percent_of_total(Level.EXCELLENT) == pytest.approx(100 * 2 / row.total)
    # Grassroots rows: a subtotal, then one row per type in the official order.
    keys = [r.key for r in rating_statistics(cycle, bloc)]
    assert keys[:4] == ["grassroots", "type_04", "type_05", "type_06a"]
    assert rows["grassroots"].total == sum(rows[k].total for k in keys[1:4])
    assert rows["grassroots"].reasons[NotRatedReason.NEWLY_FORMED] == 1
    assert keys[4:] == ["sub_committee", "cell", "member", "collective", "leader"]


def test_member_list_is_grouped_by_cell_in_tree_order(report_bloc):
    data = report_data(report_bloc["cycle"], report_bloc["a"]["unit"])
    cells = [group.cell for group in data.cells]
    assert cells == sorted(cells, key=lambda cell: cell.path)
    for group in data.cells:
        keys = [line.member.sort_key for line in group.lines]
        assert keys == sorted(keys)
    numbers = [line.number for group in data.cells for line in group.lines]
    assert numbers == list(range(1, len(numbers) + 1))
    suspended = next(
        line for g in data.cells for line in g.lines if line.member == report_bloc["suspended"]
    )
    assert "Đình chỉ" in suspended.verdict


def _walk(cells):
    return [
        (group.cell.pk, line.number, line.rating.pk, line.verdict)
        for group in cells
        for line in group.lines
    ]


def test_member_list_reads_in_batches_with_the_same_lines_and_numbers(report_bloc, monkeypatch):
    """A batch of a few cells at a time (bounded memory, issue #16): the same lines in the same
    order, numbered on across batches, at a fixed number of queries per batch."""
    cycle, bloc = report_bloc["cycle"], report_bloc["bloc"]
    whole = MemberList(cycle, bloc, Tree(bloc))
    with CaptureQueriesContext(connection) as one_batch:
        expected = _walk(whole)
    assert (
        len(whole)
        == len(expected)
        == Rating.objects.filter(cycle=cycle, subject_kind=SubjectKind.MEMBER).count()
    )

    monkeypatch.setattr(MemberList, "batch_size", 5)
    batched = MemberList(cycle, bloc, Tree(bloc))
    batches = list(batched._batches())
    assert len(batches) > 2
    assert sorted(c for batch in batches for c in batch) == sorted(c for c, _n in batched.counts)
    with CaptureQueriesContext(connection) as many_batches:
        assert _walk(batched) == expected
    assert len(many_batches) == len(batches) * len(one_batch)
    # A second walk reads the list again, the same.
    assert _walk(batched) == expected


def test_excellent_list_and_quotas(report_bloc):
    data = report_data(report_bloc["cycle"], report_bloc["bloc"])
    members = next(group for group in data.excellent if group.subject_kind == "member")
    assert (
        len(members.lines)
        == Rating.objects.filter(
            subject_kind=SubjectKind.MEMBER, decision_level=Level.EXCELLENT
        ).count()
    )
    unit_pool = next(
        line
        for line in data.quotas
        if line.pool.owner == report_bloc["a"]["unit"] and line.pool.subject_kind == "member"
    )
    assert (unit_pool.status.good, unit_pool.status.excellent, unit_pool.status.allowed) == (
        11,
        2,
        2,
    )
    assert not data.quotas_over


def test_a_report_needs_the_bloc_or_a_grassroots_unit(report_bloc):
    with pytest.raises(ValueError, match="neither"):
        report_data(report_bloc["cycle"], report_bloc["a"]["cells"][0])


def _with_suggestion(cycle, unit_parts):
    suggestion(
        cycle,
        addressed_to=unit_parts["unit"],
        collective=unit_parts["collective"],
        managing_level=ManagingLevel.DISTRICT,
        issues=[("Vấn đề.", IssueState.AWAITING, ""), ("Vấn đề khác.", IssueState.AWAITING, "")],
    )


def test_query_count_does_not_grow_with_the_unit(report_bloc):
    """The same number of queries for a unit of 2 members and one of 30 (STYLE.md)."""
    cycle, bloc = report_bloc["cycle"], report_bloc["bloc"]
    small = build_unit(bloc, cells=1, members_per_cell=2, name="Đảng bộ nhỏ", code="NHO")
    large = build_unit(bloc, cells=3, members_per_cell=10, name="Đảng bộ lớn", code="LON")
    cycle_prepare(cycle=cycle)
    for parts in (small, large):
        _with_suggestion(cycle, parts)
    _with_suggestion(cycle, large)
    counts = []
    for parts in (small, large):
        with CaptureQueriesContext(connection) as queries:
            data = report_data(cycle, parts["unit"])
        counts.append(len(queries))
        assert data.member_count == len(parts["members"])
    assert counts[0] == counts[1]


def test_query_count_of_the_bloc_is_fixed(report_bloc, django_assert_max_num_queries):
    with django_assert_max_num_queries(17):
        report_data(report_bloc["cycle"], report_bloc["bloc"])
