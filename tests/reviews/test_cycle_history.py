"""History across cycles (issue #15, point 4): one unbroken history through transfers and
reorganizations, "Hoàn thành xuất sắc nhiệm vụ N năm liên tục", constant queries."""

import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from organizations.models import Role
from reviews.models import Level, Pool, Rating, SubjectKind
from reviews.selectors.history import (
    excellent_streak,
    excellent_streaks,
    member_history,
    predecessors,
    unit_history,
)
from tests.factories import (
    CellFactory,
    GrassrootsCommitteeFactory,
    MemberFactory,
    PoolFactory,
    RatingFactory,
    ReviewCycleFactory,
    RoleAssignmentFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def decided(rating, level):
    Rating.objects.filter(pk=rating.pk).update(decision_level=level, decided_at=timezone.now())
    return rating


def cycles_of(bloc, years):
    return [
        ReviewCycleFactory(
            organization=bloc,
            year=year,
            title=f"Kỳ {year}",
            deadline=datetime.date(year, 11, 25),
            reference_date=datetime.date(year, 11, 15),
        )
        for year in years
    ]


@pytest.fixture
def two_units(bloc):
    first = GrassrootsCommitteeFactory(parent=bloc, name="Đảng bộ Sở A")
    second = GrassrootsCommitteeFactory(parent=bloc, name="Đảng bộ Sở B")
    return first, second, CellFactory(parent=first), CellFactory(parent=second)


def pool_of(cycle, owner, kind=SubjectKind.MEMBER):
    found = Pool.objects.filter(cycle=cycle, owner=owner, subject_kind=kind).first()
    return found or PoolFactory(cycle=cycle, owner=owner, subject_kind=kind)


def rate(member, cycle, owner, cell, level):
    pool = pool_of(cycle, owner)
    return decided(RatingFactory(pool=pool, member=member, unit=cell), level)


def test_excellent_streak_counts_consecutive_years_up_to_the_latest():
    assert excellent_streak([(2024, "HTXSNV"), (2025, "HTXSNV"), (2026, "HTXSNV")]) == 3
    assert excellent_streak([(2024, "HTXSNV"), (2025, "HTTNV"), (2026, "HTXSNV")]) == 1
    assert excellent_streak([(2023, "HTXSNV"), (2025, "HTXSNV"), (2026, "HTXSNV")]) == 2
    assert excellent_streak([(2026, "HTTNV")]) == 0
    assert excellent_streak([]) == 0


def test_a_member_moved_between_two_units_across_three_cycles_has_one_history(bloc, two_units):
    first, second, cell_a, cell_b = two_units
    member = MemberFactory(organization=cell_a)
    c2024, c2025, c2026 = cycles_of(bloc, (2024, 2025, 2026))
    rate(member, c2024, first, cell_a, Level.EXCELLENT)
    member.organization = cell_b  # transferred in 2025
    member.save()
    rate(member, c2025, second, cell_b, Level.EXCELLENT)
    rate(member, c2026, second, cell_b, Level.EXCELLENT)
    lines = member_history(member)
    assert [(line.year, line.rating.unit, line.level) for line in lines] == [
        (2024, cell_a, Level.EXCELLENT),
        (2025, cell_b, Level.EXCELLENT),
        (2026, cell_b, Level.EXCELLENT),
    ]
    (streak,) = excellent_streaks(c2026, second, years=3)
    assert (streak.member, streak.years, streak.first_year) == (member, 3, 2024)
    assert excellent_streaks(c2026, second, years=4) == []


def test_a_unit_carries_its_predecessors_results(bloc):
    old = GrassrootsCommitteeFactory(parent=bloc, name="Đảng bộ Sở Kế hoạch và Đầu tư")
    new = GrassrootsCommitteeFactory(parent=bloc, name="Đảng bộ Sở Tài chính")
    old.succeeded_by = new
    old.save()
    c2021, c2026 = cycles_of(bloc, (2021, 2026))
    for cycle, node in ((c2021, old), (c2026, new)):
        pool = pool_of(cycle, bloc, SubjectKind.ORGANIZATION)
        decided(
            RatingFactory(
                pool=pool,
                subject_kind=SubjectKind.ORGANIZATION,
                member=None,
                organization=node,
                unit=node,
            ),
            Level.GOOD,
        )
    assert predecessors(new) == [old]
    assert [(line.year, line.rating.organization) for line in unit_history(new)] == [
        (2021, old),
        (2026, new),
    ]


def test_the_history_pages_keep_a_constant_number_of_queries(client, bloc, two_units):
    first, second, cell_a, cell_b = two_units
    one, ten = MemberFactory(organization=cell_a), MemberFactory(organization=cell_b)
    cycles = cycles_of(bloc, range(2017, 2027))
    for cycle in cycles:
        rate(ten, cycle, second, cell_b, Level.GOOD)
        pool = pool_of(cycle, bloc, SubjectKind.ORGANIZATION)
        RatingFactory(
            pool=pool,
            subject_kind=SubjectKind.ORGANIZATION,
            member=None,
            organization=second,
            unit=second,
        )
    rate(one, cycles[-1], first, cell_a, Level.GOOD)
    pool = pool_of(cycles[-1], bloc, SubjectKind.ORGANIZATION)
    RatingFactory(
        pool=pool,
        subject_kind=SubjectKind.ORGANIZATION,
        member=None,
        organization=first,
        unit=first,
    )
    user = UserFactory()
    RoleAssignmentFactory(user=user, organization=bloc, role=Role.ORGANIZATION_BOARD)
    client.force_login(user)

    def queries(name, pk):
        with CaptureQueriesContext(connection) as captured:
            response = client.get(reverse(name, args=[pk]))
        assert response.status_code == 200
        table = response.text.split('data-testid="history"')[1].split("</table>")[0]
        return len(captured), table.count("<tr>")

    for name, small, large in (
        ("reviews:member-history", one, ten),
        ("reviews:unit-history", first, second),
    ):
        (few, rows_few), (many, rows_many) = queries(name, small.pk), queries(name, large.pk)
        assert (rows_few, rows_many) == (2, 11)  # the header and a row per cycle
        assert few == many, name


def test_the_board_lists_and_exports_n_years_running(client, bloc, two_units):
    first, _second, cell_a, _cell_b = two_units
    runner, other = MemberFactory(organization=cell_a), MemberFactory(organization=cell_a)
    cycles = cycles_of(bloc, (2022, 2023, 2024, 2025, 2026))
    for cycle in cycles:
        rate(runner, cycle, first, cell_a, Level.EXCELLENT)
        rate(other, cycle, first, cell_a, Level.EXCELLENT if cycle.year > 2023 else Level.GOOD)
    user = UserFactory()
    RoleAssignmentFactory(user=user, organization=bloc, role=Role.ORGANIZATION_BOARD)
    client.force_login(user)
    page = client.get(reverse("reviews:excellent-streaks"), {"ky": cycles[-1].pk})
    listed = page.text.split('data-testid="streaks"')[1]
    assert runner.full_name in listed
    assert other.full_name not in listed
    three = client.get(reverse("reviews:excellent-streaks"), {"nam": "3"})
    assert other.full_name in three.text.split('data-testid="streaks"')[1]
    export = client.get(reverse("reports:excellent-streaks", args=[bloc.pk]), {"nam": "5"})
    sheet = load_workbook(io.BytesIO(export.content)).active
    values = [cell for row in sheet.iter_rows(values_only=True) for cell in row if cell]
    assert runner.full_name in values
    assert other.full_name not in values


def test_the_trend_reaches_back_through_a_merger_and_draws_the_quota_line(bloc):
    from django.template import Context, Template

    from reviews.selectors.history import level_trend

    old = GrassrootsCommitteeFactory(parent=bloc, name="Đảng bộ Sở cũ")
    new = GrassrootsCommitteeFactory(parent=bloc, name="Đảng bộ Sở mới")
    old.succeeded_by = new
    old.save()
    old_cell, new_cell = CellFactory(parent=old), CellFactory(parent=new)
    c2025, c2026 = cycles_of(bloc, (2025, 2026))
    for cycle, owner, cell, levels in (
        (c2025, old, old_cell, [Level.EXCELLENT] + [Level.GOOD] * 4),
        (c2026, new, new_cell, [Level.EXCELLENT] * 2 + [Level.GOOD] * 5 + [Level.COMPLETED] * 3),
    ):
        for level in levels:
            rate(MemberFactory(organization=cell), cycle, owner, cell, level)
    trend = level_trend(new)
    assert [(year.year, year.rated) for year in trend] == [(2025, 5), (2026, 10)]
    assert trend[0].share(Level.EXCELLENT) == 0.2
    assert trend[0].ceiling_share == pytest.approx(0.2 * 4 / 5)
    assert trend[1].ceiling_share == pytest.approx(0.2 * 5 / 10)
    svg = Template("{% load reviews_tags %}{% level_trend_chart trend 'Sở' %}").render(
        Context({"trend": trend})
    )
    assert svg.count("<rect") == 8
    assert 'stroke-dasharray="4 2"' in svg
    assert "20,0%" in svg  # 2025: HTXSNV 1 of 5, over its ceiling of 16%
    assert 'y="' in svg
    assert "," not in svg.split("<svg", 1)[1].split("</svg>")[0].split("<title")[0]


def test_the_n_years_list_is_paged_and_numbered_across_pages(client, bloc, two_units):
    first, _second, cell_a, _cell_b = two_units
    cycles = cycles_of(bloc, (2025, 2026))
    for _ in range(55):
        member = MemberFactory(organization=cell_a)
        for cycle in cycles:
            rate(member, cycle, first, cell_a, Level.EXCELLENT)
    user = UserFactory()
    RoleAssignmentFactory(user=user, organization=bloc, role=Role.ORGANIZATION_BOARD)
    client.force_login(user)
    url = reverse("reviews:excellent-streaks")
    one = client.get(url, {"nam": "2"}).text.split('data-testid="streaks"')[1]
    two = client.get(url, {"nam": "2", "page": "2"}).text.split('data-testid="streaks"')[1]
    assert one.split("</table>")[0].count("<tr>") == 51  # the header and 50
    assert "<tr><td>51</td>" in two
    assert "nam=2&amp;page=2" in one
