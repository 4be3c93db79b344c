"""Every write to a fact the rules read leaves a history row: who, when, old → new (issue #18)."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from members.models import (
    CollectiveKind,
    CollectiveMembership,
    DisciplineForm,
    FactChange,
    ManagingLevel,
    SeatRole,
)
from members.services import (
    collective_save,
    collectives_dissolve,
    discipline_record_delete,
    member_discipline,
    member_update,
    seat_delete,
    seat_save,
    seats_add,
    status_period_delete,
    status_period_record,
)
from tests.factories import (
    BlocFactory,
    CellFactory,
    GrassrootsCommitteeFactory,
    MemberFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def unit():
    return GrassrootsCommitteeFactory(parent=BlocFactory())


@pytest.fixture
def member(unit):
    return MemberFactory(organization=CellFactory(parent=unit), full_name="Lê Văn Tám")


@pytest.fixture
def committee(unit):
    return collective_save(
        acting_user=None,
        organization=unit,
        name="Ban Chấp hành",
        kind=CollectiveKind.PARTY_COMMITTEE,
        managing_level=ManagingLevel.DISTRICT,
    )


def test_a_corrected_member_field_keeps_old_and_new_values(member):
    clerk = UserFactory()
    member_update(member=member, acting_user=clerk, full_name="Lê Văn Tâm")
    change = FactChange.objects.get(member=member)
    assert change.subject == FactChange.Subject.MEMBER
    assert change.action == FactChange.Action.UPDATED
    assert change.old_values == {"full_name": "Lê Văn Tám"}
    assert change.new_values == {"full_name": "Lê Văn Tâm"}
    assert change.changed_by == clerk


def test_a_deleted_discipline_keeps_its_values_in_the_history(member):
    record = member_discipline(
        member=member,
        form=DisciplineForm.REPRIMAND,
        decision_number="12-QĐ/CB",
        decided_on=datetime.date(2021, 5, 4),
        violation="Vi phạm chế độ báo cáo",
    )
    admin = UserFactory(is_superuser=True)
    discipline_record_delete(record=record, acting_user=admin)
    deleted = FactChange.objects.get(action=FactChange.Action.DELETED)
    assert deleted.subject == FactChange.Subject.DISCIPLINE
    assert deleted.old_values["decision_number"] == "12-QĐ/CB"
    assert deleted.old_values["decided_on"] == "2021-05-04"
    assert deleted.changed_by == admin
    assert deleted.member == member


def test_status_periods_are_recorded_when_added_changed_and_deleted(member):
    period = status_period_record(
        member=member, kind="sick_leave", starts_on=datetime.date(2021, 1, 4), ends_on=None
    )
    status_period_record(
        member=member, period=period, kind="sick_leave", ends_on=datetime.date(2021, 9, 30)
    )
    status_period_delete(period=period)
    actions = list(
        FactChange.objects.filter(subject=FactChange.Subject.STATUS_PERIOD)
        .order_by("pk")
        .values_list("action", "new_values")
    )
    assert actions == [
        (
            "created",
            {
                "kind": "sick_leave",
                "starts_on": "2021-01-04",
                "ends_on": None,
                "reference": "",
                "note": "",
            },
        ),
        ("updated", {"ends_on": "2021-09-30"}),
        ("deleted", {}),
    ]


def test_collectives_and_seats_are_written_with_history(unit, member):
    user = UserFactory()
    committee = collective_save(
        acting_user=user,
        organization=unit,
        name="Ban Chấp hành Đảng bộ Sở",
        kind=CollectiveKind.PARTY_COMMITTEE,
        managing_level=ManagingLevel.DISTRICT,
        formed_on=datetime.date(2020, 5, 1),
    )
    seat = seat_save(
        collective=committee,
        acting_user=user,
        member=member,
        position="Bí thư",
        starts_on=datetime.date(2020, 5, 1),
    )
    seat_save(collective=committee, seat=seat, acting_user=user, position="Phó Bí thư")
    seat_delete(seat=seat, acting_user=user)
    rows = list(
        FactChange.objects.filter(collective=committee)
        .order_by("pk")
        .values_list("subject", "action")
    )
    assert rows == [
        ("collective", "created"),
        ("seat", "created"),
        ("seat", "updated"),
        ("seat", "deleted"),
    ]
    assert not CollectiveMembership.objects.exists()


def test_a_collective_has_one_head_at_a_time(committee, member):
    head = seat_save(
        collective=committee,
        acting_user=None,
        member=member,
        position="Bí thư",
        role=SeatRole.HEAD,
        starts_on=datetime.date(2020, 5, 1),
    )
    successor = MemberFactory(organization=member.organization)
    new_head = {
        "member": successor,
        "position": "Bí thư",
        "role": SeatRole.HEAD,
        "starts_on": datetime.date(2024, 1, 1),
    }
    with pytest.raises(ValidationError) as error:
        seat_save(collective=committee, acting_user=None, **new_head)
    assert "đã có người đứng đầu" in error.value.message_dict["role"][0]
    seat_save(
        collective=committee, seat=head, acting_user=None, ends_on=datetime.date(2023, 12, 31)
    )
    with pytest.raises(ValidationError) as error:  # two new heads in one batch
        seats_add(
            seats=[
                CollectiveMembership(collective=committee, **new_head),
                CollectiveMembership(
                    collective=committee, **{**new_head, "member": MemberFactory()}
                ),
            ],
            acting_user=None,
        )
    assert error.value.code == "collective_second_head"
    seat_save(collective=committee, acting_user=None, **new_head)
    assert committee.memberships.filter(role=SeatRole.HEAD).count() == 2


def test_dissolving_collectives_ends_their_seats_the_day_before(committee, member):
    seats_add(
        seats=[
            CollectiveMembership(
                collective=committee,
                member=member,
                position="Bí thư",
                starts_on=datetime.date(2020, 5, 1),
            )
        ],
        acting_user=None,
    )
    collectives_dissolve(collectives=[committee], on=datetime.date(2025, 7, 1), acting_user=None)
    committee.refresh_from_db()
    assert committee.dissolved_on == datetime.date(2025, 7, 1)
    assert committee.memberships.get().ends_on == datetime.date(2025, 6, 30)
    assert FactChange.objects.filter(subject="seat", action="updated").count() == 1


def test_an_unrelated_correction_is_not_refused_for_overlapping_heads(committee, member):
    """Seats the migration made heads from their titles may overlap; correcting one's title
    is not refused for it, and ending the old head's seat resolves the overlap."""
    day = datetime.date(2020, 5, 1)
    old, new = (
        CollectiveMembership.objects.create(
            collective=committee, member=m, position="Bí thư", role=SeatRole.HEAD, starts_on=start
        )
        for m, start in (
            (member, datetime.date(2015, 5, 1)),
            (MemberFactory(organization=member.organization), day),
        )
    )
    seat_save(collective=committee, seat=new, acting_user=None, position="Bí thư Đảng ủy")
    seat_save(
        collective=committee, seat=old, acting_user=None, ends_on=day - datetime.timedelta(days=1)
    )
    with pytest.raises(ValidationError):
        seat_save(
            collective=committee, seat=new, acting_user=None, starts_on=datetime.date(2020, 4, 1)
        )


def test_seats_added_in_a_batch_are_checked_as_one_seat_is(
    committee, member, django_assert_max_num_queries
):
    """The batch's database checks (collective and member exist, the seat is new, its dates)
    refuse what `full_clean` refuses, with Django's own message, in a fixed number of queries."""
    day = datetime.date(2020, 5, 1)

    def seat(**fields):
        return CollectiveMembership(
            **{"collective": committee, "member": member, "position": "Ủy viên", "starts_on": day}
            | fields
        )

    with pytest.raises(ValidationError) as error:
        seats_add(seats=[seat(ends_on=datetime.date(2019, 12, 31))], acting_user=None)
    assert error.value.messages
    seats_add(seats=[seat()], acting_user=None)
    with pytest.raises(ValidationError) as error:  # the same seat again
        seats_add(seats=[seat(position="Ủy viên Ban Thường vụ")], acting_user=None)
    assert error.value.messages
    with pytest.raises(ValidationError):  # a member that does not exist
        seats_add(seats=[seat(member_id=member.pk + 10_000)], acting_user=None)
    others = [MemberFactory(organization=member.organization) for _ in range(12)]
    with django_assert_max_num_queries(10):  # 4 queries a seat before
        seats_add(seats=[seat(member=other) for other in others], acting_user=None)
    assert committee.memberships.count() == 1 + len(others)
