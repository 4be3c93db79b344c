import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from members.models import DisciplineForm, Member
from members.services import member_create, member_discipline, member_leave, member_transfer
from organizations.models import Organization
from tests.factories import BlocFactory, CellFactory, GrassrootsCommitteeFactory, MemberFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def cell():
    return CellFactory(parent=GrassrootsCommitteeFactory(parent=BlocFactory()))


def test_card_number_is_unique_when_present(cell):
    MemberFactory(organization=cell, card_number="12345678")
    with pytest.raises(IntegrityError), transaction.atomic():
        MemberFactory(organization=cell, card_number="12345678")


def test_many_members_may_have_no_card_number(cell):
    MemberFactory(organization=cell, card_number="", official_on=None)
    MemberFactory(organization=cell, card_number="", official_on=None)
    assert Member.objects.filter(card_number="").count() == 2


def test_official_date_cannot_precede_admission_in_the_database(cell):
    with pytest.raises(IntegrityError), transaction.atomic():
        MemberFactory(
            organization=cell,
            admitted_on=datetime.date(2020, 1, 1),
            official_on=datetime.date(2019, 1, 1),
        )


def test_member_must_sit_in_a_cell(cell):
    unit = Organization.objects.get_parent(cell)
    with pytest.raises(ValidationError) as error:
        member_create(
            organization=unit,
            full_name="Lê Văn Tám",
            gender="M",
            date_of_birth=datetime.date(1990, 1, 1),
            admitted_on=datetime.date(2015, 1, 1),
        )
    assert "organization" in error.value.error_dict


def test_admission_transfer_and_leaving_are_kept_as_history(cell):
    other = CellFactory(parent=Organization.objects.get_parent(cell))
    member = member_create(
        organization=cell,
        full_name="Lê Văn Tám",
        gender="M",
        date_of_birth=datetime.date(1990, 1, 1),
        admitted_on=datetime.date(2015, 1, 1),
        official_on=datetime.date(2016, 1, 1),
    )
    member_transfer(member=member, to_organization=other, on=datetime.date(2021, 3, 1))
    member_leave(member=member, on=datetime.date(2021, 9, 1), reason="transferred_out")
    kinds = list(member.events.values_list("kind", flat=True))
    assert kinds == ["admitted", "transfer_internal", "left"]
    member.refresh_from_db()
    assert member.organization == other
    assert member.left_on == datetime.date(2021, 9, 1)


def test_discipline_counts_in_the_year_of_the_decision_by_default(cell):
    member = MemberFactory(organization=cell)
    record = member_discipline(
        member=member,
        form=DisciplineForm.WARNING,
        decision_number="12-QĐ/ĐU",
        decided_on=datetime.date(2021, 5, 4),
        violation="Vi phạm nguyên tắc tập trung dân chủ.",
    )
    assert record.counted_year == 2021


def test_service_refuses_a_card_number_already_taken_with_a_message(cell):
    MemberFactory(organization=cell, card_number="11112222")
    with pytest.raises(ValidationError) as error:
        member_create(
            organization=cell,
            full_name="Lê Văn Tám",
            gender="M",
            date_of_birth=datetime.date(1990, 1, 1),
            admitted_on=datetime.date(2015, 1, 1),
            card_number="11112222",
        )
    assert "card_number" in error.value.error_dict
