"""`rows_insert`: the one fast insert, on SQLite and PostgreSQL alike."""

from decimal import Decimal

import pytest

from organizations.models import OrganizationChange
from organizations.rows import rows_insert
from reviews.models import CriterionScore, RatingChange
from tests.factories import (
    CriterionScoreFactory,
    GrassrootsCommitteeFactory,
    RatingFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def test_rows_insert_fills_defaults_and_the_timestamp():
    rating = RatingFactory()
    user = UserFactory()
    count = rows_insert(
        RatingChange,
        [
            {"rating_id": rating.pk, "field": "self_level", "new_value": "TOT"},
            {"rating_id": rating.pk, "field": "proposal_level", "changed_by_id": user.pk},
        ],
    )
    assert count == 2
    first, second = RatingChange.objects.filter(rating=rating).order_by("pk")
    assert (first.field, first.old_value, first.new_value, first.changed_by) == (
        "self_level",
        "",
        "TOT",
        None,
    )
    assert second.changed_by == user
    assert first.changed_at is not None
    assert first.changed_at == second.changed_at


def test_rows_insert_of_nothing_runs_no_query(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert rows_insert(RatingChange, []) == 0


def test_rows_insert_updates_the_row_met_on_the_unique_fields():
    score = CriterionScoreFactory(self_points=Decimal("9.0"), decided_points=None)
    other = CriterionScoreFactory()
    rows_insert(
        CriterionScore,
        [
            {
                "rating_id": score.rating_id,
                "criterion_id": score.criterion_id,
                "self_points": Decimal("7.5"),
                "decided_points": Decimal("7.0"),
            }
        ],
        unique=["rating", "criterion"],
        update=["self_points", "decided_points", "updated_at"],
    )
    assert CriterionScore.objects.count() == 2
    score.refresh_from_db()
    assert (score.self_points, score.decided_points) == (Decimal("7.5"), Decimal("7.0"))
    other_before = other.self_points
    other.refresh_from_db()
    assert other.self_points == other_before


def test_rows_insert_takes_unsaved_instances_and_json_values():
    unit = GrassrootsCommitteeFactory()
    changes = [
        OrganizationChange(
            organization=unit,
            kind=OrganizationChange.Kind.RENAMED,
            old_values={"name": f"Tên cũ {n}"},
            new_values={"name": unit.name},
        )
        for n in range(3)
    ]
    assert rows_insert(OrganizationChange, changes) == 3
    stored = OrganizationChange.objects.filter(
        organization=unit, kind=OrganizationChange.Kind.RENAMED
    ).order_by("pk")
    assert [change.old_values for change in stored] == [{"name": f"Tên cũ {n}"} for n in range(3)]
    assert all(change.changed_at is not None for change in stored)


def test_rows_insert_refuses_a_key_that_is_no_column():
    rating = RatingFactory()
    with pytest.raises(ValueError, match="changed_by"):
        rows_insert(RatingChange, [{"rating_id": rating.pk, "field": "x", "changed_by": None}])
    assert not RatingChange.objects.filter(rating=rating, field="x").exists()
