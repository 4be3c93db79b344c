import datetime

import pytest

from members.models import DisciplineForm, StatusPeriod
from reviews.models import Level, NotRatedReason, Rating
from reviews.selectors import eligibilities
from tests.factories import DisciplineRecordFactory, StatusPeriodFactory

pytestmark = pytest.mark.django_db


def verdict(cycle, member):
    rating = Rating.objects.select_related("member").get(member=member, subject_kind="member")
    return eligibilities([rating], cycle=cycle)[0]


def test_exempt_member_is_neither_reviewed_nor_rated(open_cycle, small_bloc):
    member = small_bloc["members"][1]
    StatusPeriodFactory(member=member, kind=StatusPeriod.Kind.EXEMPT, ends_on=None)
    result = verdict(open_cycle, member)
    assert result.not_rated_reason == NotRatedReason.EXEMPT
    assert not result.is_reviewed


def test_member_admitted_under_six_months_is_reviewed_only(open_cycle, small_bloc):
    member = small_bloc["members"][2]
    member.admitted_on = datetime.date(2021, 6, 1)
    member.official_on = None
    member.save()
    result = verdict(open_cycle, member)
    assert result.not_rated_reason == NotRatedReason.NEW_MEMBER
    assert result.is_reviewed


def test_discipline_in_the_year_forces_not_completed(open_cycle, small_bloc):
    member = small_bloc["members"][3]
    DisciplineRecordFactory(member=member, form=DisciplineForm.REPRIMAND)
    result = verdict(open_cycle, member)
    assert result.forced_level == Level.NOT_COMPLETED
    assert not result.allows(Level.GOOD)


def test_discipline_of_another_year_does_not_count(open_cycle, small_bloc):
    member = small_bloc["members"][3]
    DisciplineRecordFactory(member=member, decided_on=datetime.date(2020, 12, 1))
    assert verdict(open_cycle, member).forced_level == ""


def test_long_sick_leave_caps_at_completed(open_cycle, small_bloc):
    member = small_bloc["members"][4]
    StatusPeriodFactory(
        member=member,
        kind=StatusPeriod.Kind.SICK_LEAVE,
        starts_on=datetime.date(2021, 3, 1),
        ends_on=datetime.date(2021, 5, 31),
    )
    result = verdict(open_cycle, member)
    assert result.max_level == Level.COMPLETED
    assert result.allows(Level.COMPLETED)
    assert not result.allows(Level.GOOD)


def test_civil_servant_needs_an_excellent_civil_service_rating_to_be_excellent(
    open_cycle, small_bloc
):
    member = small_bloc["members"][5]
    member.is_civil_servant = True
    member.save()
    assert verdict(open_cycle, member).max_level == Level.GOOD
    Rating.objects.filter(member=member, subject_kind="member").update(
        civil_service_level=Level.EXCELLENT
    )
    assert verdict(open_cycle, member).max_level == Level.EXCELLENT


def _decide(cycle, ratings, level, **extra):
    from reviews.services import ratings_record

    return ratings_record(
        cycle=cycle,
        changes={r.pk: {"decision_level": level, **extra} for r in ratings},
        acting_user=None,
    )


def test_cell_is_excellent_only_when_its_members_qualify(open_cycle, small_bloc):
    """HD 21: 100% of rated members HTNV or better and ≥ 80% HTTNV or better."""
    from django.core.exceptions import ValidationError

    cell = small_bloc["cell"]
    members = list(
        Rating.objects.filter(member__organization=cell, subject_kind="member").order_by("pk")
    )
    cell_rating = Rating.objects.select_related("organization").get(organization=cell)
    assert verdict_of(open_cycle, cell_rating).max_level == Level.GOOD  # nobody decided yet
    _decide(open_cycle, members[:4], Level.GOOD)
    _decide(open_cycle, members[4:], Level.COMPLETED)  # 4 of 6 good: under 80%
    limit = verdict_of(open_cycle, cell_rating).limits[0]
    assert limit.code == "organization_not_eligible_for_excellent"
    assert "4/6" in limit.message
    with pytest.raises(ValidationError) as error:
        _decide(open_cycle, [cell_rating], Level.EXCELLENT)
    assert error.value.code == "rule_violation"
    _decide(open_cycle, members[4:5], Level.GOOD)  # 5 of 6: 83%
    assert verdict_of(open_cycle, cell_rating).max_level == Level.EXCELLENT


def test_committee_is_excellent_only_when_its_subordinates_qualify(open_cycle, small_bloc):
    unit_rating = Rating.objects.select_related("organization").get(organization=small_bloc["unit"])
    below = Rating.objects.filter(
        organization__in=[small_bloc["cell"], small_bloc["sub"]]
    ).order_by("pk")
    assert verdict_of(open_cycle, unit_rating).max_level == Level.GOOD
    _decide(open_cycle, list(below), Level.GOOD)
    assert verdict_of(open_cycle, unit_rating).max_level == Level.EXCELLENT


def verdict_of(cycle, rating):
    return eligibilities([rating], cycle=cycle)[0]
