"""An open cycle follows its people (issue "make run works again", point 4; DOMAIN.md §4)."""

import datetime

import pytest

from members.models import DisciplineForm, Gender, ManagingLevel, StatusPeriod
from members.services import (
    discipline_record_delete,
    member_create,
    member_discipline,
    member_transfer,
    member_update,
    members_register,
    status_period_delete,
    status_period_record,
)
from reviews.models import (
    Level,
    NotRatedReason,
    PoolFlag,
    PoolFlagKind,
    Rating,
    RatingChange,
    SubjectKind,
)
from reviews.selectors.progress import pending_flags
from reviews.services import cycle_change_status, pool_finalize, pool_reopen, ratings_record
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ADMITTED_LONG_AGO = datetime.date(2010, 3, 2)


def member_rating(member, cycle, kind=SubjectKind.MEMBER):
    return Rating.objects.select_related("pool__owner").get(
        cycle=cycle, member=member, subject_kind=kind
    )


def register(cell, **fields):
    defaults = {
        "full_name": "Trần Thị Mới",
        "gender": Gender.FEMALE,
        "date_of_birth": datetime.date(1990, 1, 1),
        "admitted_on": ADMITTED_LONG_AGO,
        "official_on": datetime.date(2011, 3, 2),
    }
    return member_create(organization=cell, **{**defaults, **fields})


def decide_pool(cycle, pool, level=Level.GOOD):
    ratings_record(
        cycle=cycle,
        changes={r.pk: {"decision_level": level} for r in pool.ratings.filter(not_rated_reason="")},
        acting_user=None,
    )


def test_member_registered_while_the_cycle_is_open_gets_a_rating_in_his_units_pool(
    open_cycle, small_bloc
):
    member = register(small_bloc["sub_cell"])
    rating = member_rating(member, open_cycle)
    assert rating.pool.owner == small_bloc["unit"]
    assert rating.not_rated_reason == ""


def test_new_member_admitted_under_six_months_is_listed_with_his_reason(open_cycle, small_bloc):
    member = register(small_bloc["cell"], admitted_on=datetime.date(2021, 9, 1), official_on=None)
    assert member_rating(member, open_cycle).not_rated_reason == NotRatedReason.NEW_MEMBER


def test_registered_leader_also_gets_a_leader_rating(open_cycle, small_bloc):
    member = register(
        small_bloc["cell"],
        leadership_post="Phó Giám đốc Sở",
        managing_level=ManagingLevel.GRASSROOTS,
    )
    assert member_rating(member, open_cycle, SubjectKind.LEADER).pool.owner == small_bloc["unit"]


def test_member_given_a_post_later_gets_a_leader_rating(open_cycle, small_bloc):
    member = small_bloc["members"][3]
    member_update(
        member=member, leadership_post="Trưởng phòng", managing_level=ManagingLevel.GRASSROOTS
    )
    assert member_rating(member, open_cycle, SubjectKind.LEADER).pool.owner == small_bloc["unit"]


def test_transfer_moves_the_rating_to_the_receiving_units_pool(open_cycle, small_bloc):
    member = small_bloc["members"][2]
    rating = member_rating(member, open_cycle)
    ratings_record(
        cycle=open_cycle,
        changes={
            rating.pk: {
                "self_level": Level.GOOD,
                "proposal_level": Level.GOOD,
                "votes_for": 5,
                "decision_level": Level.GOOD,
            }
        },
        acting_user=None,
    )
    clerk = UserFactory()
    member_transfer(
        member=member,
        to_organization=small_bloc["cell_unit"],
        on=datetime.date(2021, 10, 1),
        acting_user=clerk,
    )
    rating = member_rating(member, open_cycle)
    assert rating.pool.owner == small_bloc["cell_unit"]
    # The old bodies no longer decide for him; his own self-rating stays.
    assert (rating.self_level, rating.proposal_level, rating.votes_for) == (Level.GOOD, "", None)
    assert (rating.decision_level, rating.decided_at) == ("", None)
    assert rating.transferred_from == small_bloc["cell"]
    assert rating.previous_cell_comments_required  # there since 2010: 6 months or more
    moved = RatingChange.objects.get(rating=rating, field="pool")
    assert moved.changed_by == clerk


def test_transfer_after_a_short_stay_does_not_require_the_old_cells_comments(
    open_cycle, small_bloc
):
    member = register(small_bloc["cell"], transferred_in_on=datetime.date(2021, 8, 1))
    member_transfer(
        member=member, to_organization=small_bloc["cell_unit"], on=datetime.date(2021, 10, 1)
    )
    rating = member_rating(member, open_cycle)
    assert rating.transferred_from == small_bloc["cell"]
    assert not rating.previous_cell_comments_required


def test_transfer_inside_one_unit_keeps_the_pool_and_notes_the_old_cell(open_cycle, small_bloc):
    member = small_bloc["members"][2]
    pool_before = member_rating(member, open_cycle).pool
    member_transfer(
        member=member, to_organization=small_bloc["sub_cell"], on=datetime.date(2021, 10, 1)
    )
    rating = member_rating(member, open_cycle)
    assert rating.pool == pool_before
    assert rating.transferred_from == small_bloc["cell"]


def test_the_old_cells_comments_are_a_field_of_the_rating(open_cycle, small_bloc):
    member = small_bloc["members"][2]
    member_transfer(
        member=member, to_organization=small_bloc["cell_unit"], on=datetime.date(2021, 10, 1)
    )
    rating = member_rating(member, open_cycle)
    ratings_record(
        cycle=open_cycle,
        changes={rating.pk: {"previous_cell_comments": "Hoàn thành tốt nhiệm vụ được giao."}},
        acting_user=None,
    )
    rating.refresh_from_db()
    assert rating.previous_cell_comments == "Hoàn thành tốt nhiệm vụ được giao."


def test_transfer_out_of_a_finalized_pool_is_flagged_and_applied_when_reopened(
    open_cycle, small_bloc
):
    member = small_bloc["members"][2]
    source = member_rating(member, open_cycle).pool
    decide_pool(open_cycle, source)
    pool_finalize(pool=source, acting_user=None)

    member_transfer(
        member=member, to_organization=small_bloc["cell_unit"], on=datetime.date(2021, 10, 1)
    )

    rating = member_rating(member, open_cycle)
    assert rating.pool == source  # not applied silently
    assert rating.decision_level == Level.GOOD
    flag = PoolFlag.objects.unresolved().get(pool=source)
    assert (flag.kind, flag.member) == (PoolFlagKind.TRANSFERRED, member)
    assert list(pending_flags(open_cycle)) == [flag]

    pool_reopen(pool=source, acting_user=None, reason="Đảng viên chuyển sinh hoạt")

    rating = member_rating(member, open_cycle)
    assert rating.pool.owner == small_bloc["cell_unit"]
    assert not PoolFlag.objects.unresolved().exists()


def test_member_registered_into_a_finalized_pool_is_flagged(open_cycle, small_bloc):
    pool = member_rating(small_bloc["members"][1], open_cycle).pool
    decide_pool(open_cycle, pool)
    pool_finalize(pool=pool, acting_user=None)
    member = register(small_bloc["cell"])
    assert member_rating(member, open_cycle).pool == pool
    assert PoolFlag.objects.unresolved().get(pool=pool).kind == PoolFlagKind.REGISTERED


def test_suspension_updates_the_stored_reason_and_clears_the_levels(open_cycle, small_bloc):
    member = small_bloc["members"][4]
    rating = member_rating(member, open_cycle)
    ratings_record(
        cycle=open_cycle,
        changes={rating.pk: {"self_level": Level.GOOD, "decision_level": Level.GOOD}},
        acting_user=None,
    )
    period = status_period_record(
        member=member,
        kind=StatusPeriod.Kind.SUSPENDED,
        starts_on=datetime.date(2021, 9, 1),
        reference="12-QĐ/ĐU",
    )
    rating.refresh_from_db()
    assert rating.not_rated_reason == NotRatedReason.SUSPENDED
    assert (rating.self_level, rating.decision_level) == ("", "")
    status_period_delete(period=period)
    rating.refresh_from_db()
    assert rating.not_rated_reason == ""


def test_new_fact_on_a_finalized_pool_flags_it_instead_of_changing_it(open_cycle, small_bloc):
    member = small_bloc["members"][4]
    pool = member_rating(member, open_cycle).pool
    decide_pool(open_cycle, pool)
    pool_finalize(pool=pool, acting_user=None)
    record = member_discipline(
        member=member,
        form=DisciplineForm.REPRIMAND,
        decision_number="3-QĐ/UBKT",
        decided_on=datetime.date(2021, 11, 1),
        violation="Vi phạm quy chế làm việc.",
    )
    assert member_rating(member, open_cycle).decision_level == Level.GOOD
    assert PoolFlag.objects.unresolved().get(pool=pool).kind == PoolFlagKind.RULES
    discipline_record_delete(record=record)


def test_nothing_changes_when_no_cycle_is_open(small_bloc):
    member = register(small_bloc["cell"])
    assert not Rating.objects.filter(member=member).exists()


def test_a_past_cycle_keeps_where_a_member_sat_when_he_moves_later(open_cycle, small_bloc):
    """DOMAIN.md §15: past ratings survive moves; a closed cycle's lists show its own tree."""

    member = small_bloc["members"][1]
    old_cell = member.organization
    cycle_change_status(cycle=open_cycle, status="closed")
    member_transfer(
        member=member, to_organization=small_bloc["cell_unit"], on=datetime.date(2022, 3, 1)
    )
    rating = Rating.objects.get(cycle=open_cycle, member=member, subject_kind="member")
    assert rating.unit == old_cell
    assert Rating.objects.under(small_bloc["cell_unit"]).filter(member=member).count() == 0


def test_members_registered_in_one_batch_each_get_a_rating_in_their_units_pool(
    open_cycle, small_bloc
):
    """A batch (the demo, an import) is announced once per cell; the cycle follows every
    newcomer as it follows one."""
    entries = [
        {
            "organization": small_bloc[cell],
            "full_name": f"Nguyễn Văn Số {number}",
            "gender": Gender.MALE,
            "date_of_birth": datetime.date(1985, 1, number),
            "admitted_on": ADMITTED_LONG_AGO,
            "official_on": datetime.date(2011, 3, 2),
        }
        for number, cell in enumerate(["cell", "sub_cell", "cell"], start=1)
    ]
    members = members_register(entries=entries)
    assert [member_rating(m, open_cycle).pool.owner for m in members] == [
        small_bloc["unit"],
        small_bloc["unit"],
        small_bloc["unit"],
    ]
    assert all(m.events.get().kind == "admitted" for m in members)


def test_a_registered_batch_costs_the_same_queries_for_one_member_and_for_thirty(
    open_cycle, small_bloc
):
    """Issue #16: an import of 5,000 members cost a dozen queries per member in the cycle's
    follow-up; a cell's newcomers are now followed together."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def entries(count, first):
        return [
            {
                "organization": small_bloc["cell"],
                "full_name": f"Trần Văn Thứ {first + number}",
                "gender": Gender.MALE,
                "date_of_birth": datetime.date(1985, 1, 1),
                # The last is admitted too recently to be rated (his reason comes with him).
                "admitted_on": ADMITTED_LONG_AGO
                if number < count - 1
                else datetime.date(2021, 9, 1),
                "official_on": datetime.date(2011, 3, 2) if number < count - 1 else None,
            }
            for number in range(count)
        ]

    with CaptureQueriesContext(connection) as one:
        members_register(entries=entries(1, 0))
    with CaptureQueriesContext(connection) as thirty:
        members = members_register(entries=entries(30, 100))
    assert len(thirty.captured_queries) <= len(one.captured_queries) + 2
    ratings = {r.member_id: r for r in Rating.objects.filter(member__in=members, cycle=open_cycle)}
    assert len(ratings) == 30
    assert ratings[members[0].pk].not_rated_reason == ""
    assert ratings[members[-1].pk].not_rated_reason == NotRatedReason.NEW_MEMBER


def test_a_batch_with_a_repeated_card_number_is_refused_whole_naming_the_entry(
    open_cycle, small_bloc
):
    from members.services import RegistrationRefused

    base = {
        "organization": small_bloc["cell"],
        "gender": Gender.FEMALE,
        "date_of_birth": datetime.date(1990, 1, 1),
        "admitted_on": ADMITTED_LONG_AGO,
    }
    entries = [
        {**base, "full_name": "Lê Thị Một", "card_number": "11112222"},
        {**base, "full_name": "Lê Thị Hai", "card_number": "33334444"},
        {**base, "full_name": "Lê Thị Ba", "card_number": "11112222"},
    ]
    before = Rating.objects.count()
    with pytest.raises(RegistrationRefused) as refused:
        members_register(entries=entries)
    assert refused.value.index == 2
    assert "11112222" in str(refused.value)
    assert Rating.objects.count() == before
