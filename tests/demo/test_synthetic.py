"""The synthetic generator (issue #16, point 3): a consistent tree, the published shares of
levels, every pool within its quota, the past cycles closed and finalized, and the app's own
screens reading what it wrote."""

import pytest
from django.core.management import call_command
from django.db.models import Count

from demo.synthetic import generate_synthetic
from members.models import Member
from organizations.models import Organization
from reviews.models import CycleStatus, Level, Pool, PoolState, Rating, ReviewCycle
from reviews.quota import quotas_by_pool

pytestmark = pytest.mark.django_db


def test_generated_blocs_are_consistent():
    result = generate_synthetic(units=12, cells_per_unit=3, members=600, seed=7, roots=2)
    assert (result.roots, result.units, result.members) == (2, 12, 600)
    assert not any(Organization.objects.find_problems())
    assert Organization.objects.filter(depth=1).count() == 2
    assert Organization.objects.filter(depth=2).count() == 12
    assert Member.objects.count() == 600
    # Every member rated once in each of the three cycles of his bloc.
    assert Rating.objects.filter(subject_kind="member").count() == 3 * 600
    assert Rating.objects.count() == result.ratings
    per_cycle = dict(
        ReviewCycle.objects.values_list("year").annotate(n=Count("pk")).values_list("year", "n")
    )
    assert per_cycle == {2024: 2, 2025: 2, 2026: 2}
    closed = Pool.objects.filter(cycle__status=CycleStatus.CLOSED)
    assert closed.exists()
    assert not closed.exclude(state=PoolState.FINALIZED).exists()
    assert not Rating.objects.filter(cycle__status=CycleStatus.CLOSED, decision_level="").exists()
    # Decided in full, every pool of a past cycle is within its quota.
    pools = list(closed.select_related("cycle"))
    assert not any(status.is_over for status in quotas_by_pool(pools).values())
    decided = Rating.objects.filter(subject_kind="member").exclude(decision_level="")
    shares = {
        level: decided.filter(decision_level=level).count() / decided.count()
        for level in Level.values
    }
    assert 0.05 < shares[Level.EXCELLENT] < 0.16
    assert 0.7 < shares[Level.GOOD] < 0.9
    # The open cycle is under way: some decided, some not.
    open_ratings = Rating.objects.filter(cycle__status=CycleStatus.OPEN, subject_kind="member")
    assert open_ratings.filter(decision_level="").exists()
    assert open_ratings.exclude(decision_level="").exists()
    # New ids follow on from the generated ones.
    assert Member.objects.create(
        full_name="Lê Văn Mới",
        sort_key="x",
        gender="M",
        date_of_birth="1980-01-01",
        admitted_on="2010-01-01",
        organization=Organization.objects.filter(kind="cell").first(),
    ).pk > max(Member.objects.exclude(full_name="Lê Văn Mới").values_list("pk", flat=True))


def test_the_command_refuses_impossible_sizes():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("generate_synthetic", units=5, members=3)


def test_the_board_reads_a_generated_pool(client):
    from organizations.models import Role
    from tests.factories import RoleAssignmentFactory, UserFactory

    generate_synthetic(units=3, cells_per_unit=2, members=120, seed=3)
    root = Organization.objects.get(depth=1)
    user = UserFactory()
    RoleAssignmentFactory(user=user, organization=root, role=Role.ORGANIZATION_BOARD)
    client.force_login(user)
    cycle = ReviewCycle.objects.get(year=2026)
    pool = Pool.objects.filter(cycle=cycle, subject_kind="member").first()
    response = client.get(f"/danh-gia/nhom/{pool.pk}/?ky={cycle.pk}")
    assert response.status_code == 200
    assert response.context["page_obj"].paginator.count == pool.ratings.count()


@pytest.mark.django_db(transaction=True)
def test_a_large_bloc_is_written_by_the_second_thread_with_its_indexes_rebuilt(monkeypatch):
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("the threaded COPY and the index rebuild are PostgreSQL's")
    import demo.synthetic

    def indexes() -> set[str]:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT indexname FROM pg_indexes WHERE tablename IN "
                "('reviews_rating', 'members_member')"
            )
            return {name for (name,) in cursor.fetchall()}

    before = indexes()
    monkeypatch.setattr(demo.synthetic, "REBUILD_FROM", 100)
    generate_synthetic(units=4, cells_per_unit=2, members=300, seed=5)
    assert indexes() == before
    assert Member.objects.count() == 300
    assert Rating.objects.filter(subject_kind="member").count() == 900
    assert not any(Organization.objects.find_problems())
