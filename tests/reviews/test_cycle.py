import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from reviews.models import Pool, Rating, SubjectKind, Submission
from reviews.services import cycle_change_status, cycle_prepare

pytestmark = pytest.mark.django_db


def owner_of(cycle, **subject):
    return Rating.objects.get(cycle=cycle, **subject).pool.owner


def test_opening_a_cycle_creates_one_rating_per_subject(open_cycle, small_bloc):
    ratings = Rating.objects.filter(cycle=open_cycle)
    assert ratings.filter(subject_kind=SubjectKind.MEMBER).count() == 15
    assert ratings.filter(subject_kind=SubjectKind.LEADER).count() == 1
    # unit, cell, sub-committee, sub-committee's cell, chi bộ cơ sở
    assert ratings.filter(subject_kind=SubjectKind.ORGANIZATION).count() == 5
    assert ratings.filter(subject_kind=SubjectKind.COLLECTIVE).count() == 1
    assert Submission.objects.filter(cycle=open_cycle).count() == 2


def test_pools_follow_who_decides_what(open_cycle, small_bloc):
    """DOMAIN.md §6: đảng ủy cơ sở for its members and cells; the bloc for grassroots units."""
    unit, bloc, cell_unit = small_bloc["unit"], small_bloc["bloc"], small_bloc["cell_unit"]
    assert owner_of(open_cycle, member=small_bloc["members"][7], subject_kind="member") == unit
    assert owner_of(open_cycle, member=small_bloc["direct"][0], subject_kind="member") == cell_unit
    assert owner_of(open_cycle, organization=small_bloc["sub_cell"]) == unit
    assert owner_of(open_cycle, organization=small_bloc["sub"]) == unit
    assert owner_of(open_cycle, organization=unit) == bloc
    assert owner_of(open_cycle, organization=cell_unit) == bloc
    assert owner_of(open_cycle, member=small_bloc["leader"], subject_kind="leader") == bloc


def test_preparing_again_creates_nothing(open_cycle):
    before = (Rating.objects.count(), Pool.objects.count(), Submission.objects.count())
    assert cycle_prepare(cycle=open_cycle) == 0
    assert (Rating.objects.count(), Pool.objects.count(), Submission.objects.count()) == before


def test_database_refuses_a_second_rating_for_the_same_member(open_cycle, small_bloc):
    rating = Rating.objects.get(member=small_bloc["members"][1], subject_kind="member")
    with pytest.raises(IntegrityError), transaction.atomic():
        Rating.objects.create(
            cycle=open_cycle,
            pool=rating.pool,
            subject_kind="member",
            member=rating.member,
            unit=rating.unit,
        )


def test_database_refuses_a_rating_whose_subject_does_not_match_its_kind(open_cycle, small_bloc):
    pool = Pool.objects.filter(cycle=open_cycle).first()
    with pytest.raises(IntegrityError), transaction.atomic():
        Rating.objects.create(
            cycle=open_cycle,
            pool=pool,
            subject_kind="organization",
            member=small_bloc["members"][2],
            unit=small_bloc["members"][2].organization,
        )


def test_cycle_transitions_follow_the_table(open_cycle):
    with pytest.raises(ValidationError) as error:
        cycle_change_status(cycle=open_cycle, status="draft")
    assert error.value.code == "transition_not_allowed"
    closed = cycle_change_status(cycle=open_cycle, status="closed")
    with pytest.raises(ValidationError) as error:
        cycle_change_status(cycle=closed, status="open")
    assert error.value.code == "reason_required"
    reopened = cycle_change_status(cycle=closed, status="open", reason="Bổ sung hồ sơ")
    assert list(reopened.transitions.values_list("to_state", flat=True)) == [
        "open",
        "closed",
        "open",
    ]
