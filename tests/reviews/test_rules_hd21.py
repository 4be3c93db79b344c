import datetime

import pytest

from members.models import DisciplineForm, StatusPeriod
from reviews.models import Level, NotRatedReason, Rating
from reviews.selectors import eligibilities
from reviews.services import ratings_record
from tests.factories import (
    CollectiveMembershipFactory,
    DisciplineRecordFactory,
    StatusPeriodFactory,
)

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


def test_sick_leave_without_an_end_counts_to_the_reference_date(open_cycle, small_bloc):
    """HD 21 (3 months or more of sick leave in the year): an open leave is counted up to the
    cycle's reference date (15/11), not to the end of the year."""
    member = small_bloc["members"][4]
    # 15/09 → 15/11 is 62 days; to 31/12 it would be 108, above the 90-day line.
    StatusPeriodFactory(
        member=member, kind=StatusPeriod.Kind.SICK_LEAVE, starts_on=datetime.date(2021, 9, 15)
    )
    assert verdict(open_cycle, member).max_level == Level.EXCELLENT
    StatusPeriod.objects.filter(member=member).update(starts_on=datetime.date(2021, 8, 1))
    # 01/08 → 15/11 is 107 days.
    assert verdict(open_cycle, member).max_level == Level.COMPLETED


def test_temporary_attendance_asks_for_the_host_cells_comments(open_cycle, small_bloc):
    member = small_bloc["members"][4]
    assert not verdict(open_cycle, member).needs_host_comments
    StatusPeriodFactory(
        member=member,
        kind=StatusPeriod.Kind.TEMPORARY_ATTENDANCE,
        starts_on=datetime.date(2021, 4, 1),
        ends_on=datetime.date(2021, 10, 1),
    )
    assert verdict(open_cycle, member).needs_host_comments


def test_collective_counts_heavy_discipline_only_of_members_seated_in_the_year(
    open_cycle, small_bloc
):
    """HD 21, mục 3: a member disciplined with cảnh cáo or heavier makes the collective KHTNV,
    if he sat on it during the year; a seat that ended in 2019 does not count."""
    collective = small_bloc["collective"]
    member = small_bloc["members"][5]
    DisciplineRecordFactory(member=member, form=DisciplineForm.WARNING)
    seat = CollectiveMembershipFactory(
        collective=collective,
        member=member,
        starts_on=datetime.date(2015, 1, 1),
        ends_on=datetime.date(2019, 6, 30),
    )
    rating = Rating.objects.select_related("collective").get(collective=collective)
    assert verdict_of(open_cycle, rating).forced_level == ""
    seat.ends_on = datetime.date(2021, 3, 31)
    seat.save()
    limits = verdict_of(open_cycle, rating).limits
    assert [limit.code for limit in limits] == ["member_disciplined_warning"]


def test_a_sub_committee_and_its_cells_decided_in_one_call_are_judged_together(
    open_cycle, small_bloc
):
    """The organization rule reads the levels the same batch writes (a sub-committee decided
    HTXSNV together with the cells below it that qualify it)."""
    members = small_bloc["members"][6:12]  # the sub-committee's cell
    _decide(
        open_cycle,
        Rating.objects.filter(member__in=members, subject_kind="member", not_rated_reason=""),
        Level.GOOD,
    )
    cell = Rating.objects.get(organization=small_bloc["sub_cell"])
    sub = Rating.objects.get(organization=small_bloc["sub"])
    ratings_record(
        cycle=open_cycle,
        changes={
            cell.pk: {"decision_level": Level.EXCELLENT},
            sub.pk: {"decision_level": Level.EXCELLENT},
        },
        acting_user=None,
    )
    sub.refresh_from_db()
    assert sub.decision_level == Level.EXCELLENT
