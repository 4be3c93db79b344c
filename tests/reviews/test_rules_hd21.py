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
