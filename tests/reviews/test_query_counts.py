"""Constant queries (issue #18, point 5): the Board's dashboard and home page do not grow with
the bloc's units, nor the inline save of one rating with the size of its pool.

Each test measures the same request on a small and on a large world, after a warm-up request,
and asserts the same number of queries; on a difference it names the queries that repeat.
"""

import datetime
import re
from collections import Counter
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from organizations.models import Organization, Role
from reviews.models import (
    Criterion,
    Framework,
    Level,
    Pool,
    Rating,
    SubjectKind,
    Submission,
    SubmissionState,
)
from reviews.services import (
    cycle_change_status,
    cycle_create,
    cycle_prepare,
    question_ask,
    ratings_record,
)
from tests.factories import (
    BlocFactory,
    CellFactory,
    CollectiveMembershipFactory,
    GrassrootsCellFactory,
    GrassrootsCommitteeFactory,
    LeadershipCollectiveFactory,
    MemberFactory,
    PoolFlagFactory,
    ReviewCycleFactory,
    RoleAssignmentFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def _shape(sql: str) -> str:
    """A query with its literal values blanked, so that one query run per row shows as one."""
    sql = re.sub(r"'(?:[^']|'')*'", "'?'", sql)
    sql = re.sub(r"\b\d+\b", "?", sql)
    return re.sub(r"\(\s*\?(?:\s*,\s*\?)*\s*\)", "(?…)", sql)


def queries_of(client: Client, method: str, url: str, data=None) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        response = getattr(client, method)(url, data or {})
    assert response.status_code == 200, (url, response.status_code)
    return [query["sql"] for query in queries.captured_queries]


def assert_same_queries(small: list[str], large: list[str]) -> None:
    grown = Counter(map(_shape, large)) - Counter(map(_shape, small))
    report = "\n".join(f"{count} more × {sql}" for sql, count in grown.most_common())
    assert len(large) == len(small), f"{len(small)} queries, then {len(large)}:\n{report}"


# --- A bloc whose grassroots units all look alike ----------------------------------------------


def add_units(bloc: Organization, pairs: int, cycle) -> None:
    """`pairs` × (a grassroots committee with two cells, a leader and a leadership collective,
    and a chi bộ cơ sở), brought into the open `cycle`; each committee has some decisions, a
    question for the Board, a change waiting for it, and its report sent late."""
    committees = []
    for _ in range(pairs):
        committee = GrassrootsCommitteeFactory(parent=Organization.objects.get(pk=bloc.pk))
        people = []
        for _cell in range(2):
            cell = CellFactory(parent=Organization.objects.get(pk=committee.pk))
            people += [MemberFactory(organization=cell) for _ in range(3)]
        people[0].leadership_post = "Giám đốc Sở"
        people[0].managing_level = "province"
        people[0].save()
        collective = LeadershipCollectiveFactory(organization=committee)
        for person in people[:3]:
            CollectiveMembershipFactory(collective=collective, member=person)
        direct = GrassrootsCellFactory(parent=Organization.objects.get(pk=bloc.pk))
        for _ in range(3):
            MemberFactory(organization=direct)
        committees.append((committee, people))
    cycle_prepare(cycle=cycle)
    for committee, people in committees:
        ratings = list(
            Rating.objects.filter(
                cycle=cycle, member__in=people, subject_kind=SubjectKind.MEMBER
            ).order_by("pk")
        )
        ratings_record(
            cycle=cycle,
            changes={
                ratings[1].pk: {"self_level": Level.GOOD, "decision_level": Level.GOOD},
                ratings[2].pk: {"self_level": Level.GOOD, "decision_level": Level.EXCELLENT},
                ratings[3].pk: {"self_level": Level.COMPLETED},
            },
            acting_user=None,
        )
        question_ask(
            cycle=cycle,
            unit=committee,
            title="Đảng viên nghỉ ốm dài ngày",
            text="Xếp loại thế nào?",
            acting_user=None,
        )
        PoolFlagFactory(pool=ratings[0].pool, member=people[4])
        now = timezone.now()
        Submission.objects.filter(cycle=cycle, organization=committee).update(
            state=SubmissionState.SUBMITTED, submitted_at=now, first_submitted_at=now, is_late=True
        )


@pytest.fixture
def bloc_in_review(db):
    """A bloc in an open cycle with 2 grassroots units (1 pair), and its Organization Board."""
    bloc = BlocFactory()
    cycle = ReviewCycleFactory(organization=bloc, reference_date=datetime.date(2021, 11, 15))
    cycle = cycle_change_status(cycle=cycle, status="open")
    add_units(bloc, 1, cycle)
    board = UserFactory(username="bantochuc")
    RoleAssignmentFactory(user=board, organization=bloc, role=Role.ORGANIZATION_BOARD)
    return {"bloc": bloc, "cycle": cycle, "board": board}


def _page_queries_do_not_grow(client, world, url) -> None:
    client.force_login(world["board"])
    queries_of(client, "get", url)  # warm-up: the session, caches
    small = queries_of(client, "get", url)
    add_units(world["bloc"], 3, world["cycle"])
    assert Organization.objects.grassroots().count() == 8

    assert_same_queries(small, queries_of(client, "get", url))


def test_dashboard_queries_do_not_grow_with_units(client, bloc_in_review):
    _page_queries_do_not_grow(client, bloc_in_review, reverse("reviews:dashboard"))


def test_boards_home_page_queries_do_not_grow_with_units(client, bloc_in_review):
    _page_queries_do_not_grow(client, bloc_in_review, reverse("home"))


# --- The inline save of one rating -----------------------------------------------------------


@pytest.fixture(params=["hd21", "qd366"])
def two_pools(request, db):
    """Two grassroots units of one bloc in an open cycle (HD 21: levels only; QĐ 366: scores
    too): one cell of 5 members, one of 40; a clerk for each."""
    bloc = BlocFactory()
    world = {}
    for name, size in (("small", 5), ("large", 40)):
        unit = GrassrootsCommitteeFactory(parent=Organization.objects.get(pk=bloc.pk))
        cell = CellFactory(parent=Organization.objects.get(pk=unit.pk))
        for _ in range(size):
            MemberFactory(organization=cell)
        clerk = UserFactory(username=f"canbo.{name}")
        RoleAssignmentFactory(user=clerk, organization=unit, role=Role.CLERK)
        world[name] = {"unit": unit, "cell": cell, "clerk": clerk}
    if request.param == "qd366":
        cycle = cycle_create(organization=bloc, year=2026, title="Kỳ đánh giá 2026")
    else:
        cycle = ReviewCycleFactory(organization=bloc)
    cycle = cycle_change_status(cycle=cycle, status="open")
    for side in world.values():
        side["cycle"] = cycle
        side["pool"] = Pool.objects.get(
            cycle=cycle, owner=side["unit"], subject_kind=SubjectKind.MEMBER
        )
    return world


def _row_fields(cycle) -> dict:
    """One row as the rating screen sends it: levels, and under QĐ 366 the task facts and a
    self and decided score on every leaf criterion."""
    fields = {"self_level": Level.GOOD, "decision_level": Level.GOOD}
    if not cycle.uses_scores:
        return fields
    fields.update(
        tasks_done_percent="100",
        tasks_beyond_percent="10",
        tasks_late_percent="0",
        shortcomings_fixed="fixed",
    )
    leaves = Criterion.objects.filter(
        cycle=cycle, framework=Framework.MEMBER, children__isnull=True
    )
    for criterion in leaves:
        points = str(criterion.max_points * Decimal("0.8")).replace(".", ",")
        fields[f"s{criterion.pk}"] = points
        fields[f"d{criterion.pk}"] = points
    return fields


def _one_save(side) -> list[str]:
    client = Client()
    client.force_login(side["clerk"])
    pool = side["pool"]
    rating = pool.ratings.order_by("pk")[1]
    assert client.get(reverse("reviews:pool", args=[pool.pk])).status_code == 200  # warm-up
    queries = queries_of(
        client,
        "post",
        reverse("reviews:rating-update", args=[rating.pk]),
        {"version": rating.version, **_row_fields(side["cycle"])},
    )
    rating.refresh_from_db()
    assert rating.decision_level == Level.GOOD
    if side["cycle"].uses_scores:
        assert rating.decided_score is not None
    return queries


def test_inline_save_queries_do_not_grow_with_the_pool(two_pools):
    assert two_pools["small"]["pool"].ratings.count() == 5
    assert two_pools["large"]["pool"].ratings.count() == 40

    assert_same_queries(_one_save(two_pools["small"]), _one_save(two_pools["large"]))
