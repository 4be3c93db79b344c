"""Reorganizations of 1/7/2025 (DOMAIN.md §15): units end and successors carry on; members follow;
a past cycle keeps the tree it ran on."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from members.models import Member, MembershipEvent
from members.services import members_reassign
from organizations.models import Organization, OrganizationChange, OrganizationKind
from organizations.services import organization_create, organization_move, organization_succeed
from reports.selectors.scope import subjects_under
from reviews.models import Rating
from reviews.services import cycle_change_status
from tests.factories import BlocFactory

pytestmark = pytest.mark.django_db

REORGANIZED_ON = datetime.date(2025, 7, 1)


@pytest.fixture
def successor(small_bloc):
    root = BlocFactory(name="Đảng bộ Ủy ban nhân dân tỉnh", code="DBUB")
    unit = organization_create(
        parent=root,
        kind=OrganizationKind.GRASSROOTS_COMMITTEE,
        name="Đảng bộ Sở Tài chính (mới)",
        code="STC-25",
        grassroots_type="05",
    )
    cell = organization_create(
        parent=unit, kind=OrganizationKind.CELL, name="Chi bộ Văn phòng", code="STC-25-VP"
    )
    return {"root": root, "unit": unit, "cell": cell}


def test_a_succeeded_unit_ends_with_its_subtree_and_names_its_successor(small_bloc, successor):
    unit = organization_succeed(
        organization=small_bloc["unit"], successor=successor["unit"], on=REORGANIZED_ON
    )
    assert unit.dissolved_on == REORGANIZED_ON
    assert unit.succeeded_by == successor["unit"]
    cell = Organization.objects.get(pk=small_bloc["cell"].pk)
    assert not cell.is_active_on(REORGANIZED_ON)
    assert cell.is_active_on(datetime.date(2025, 6, 30))
    assert OrganizationChange.objects.filter(
        organization=successor["unit"], kind=OrganizationChange.Kind.TOOK_OVER
    ).exists()
    assert not any(Organization.objects.find_problems())


def test_members_follow_to_the_successor_cell_with_an_event(small_bloc, successor):
    moved = members_reassign(
        from_organization=small_bloc["cell"], to_organization=successor["cell"], on=REORGANIZED_ON
    )
    assert moved == 6
    assert Member.objects.filter(organization=successor["cell"]).count() == 6
    assert (
        MembershipEvent.objects.filter(
            kind=MembershipEvent.Kind.REORGANIZED, occurred_on=REORGANIZED_ON
        ).count()
        == 6
    )


def test_a_past_cycle_still_shows_its_tree_after_the_reorganization(
    open_cycle, small_bloc, successor
):
    cycle_change_status(cycle=open_cycle, status="closed")
    before = Rating.objects.filter(
        subjects_under(open_cycle, small_bloc["unit"]), cycle=open_cycle
    ).count()
    organization_succeed(
        organization=small_bloc["unit"], successor=successor["unit"], on=REORGANIZED_ON
    )
    members_reassign(
        from_organization=small_bloc["cell"], to_organization=successor["cell"], on=REORGANIZED_ON
    )
    after = Rating.objects.filter(
        subjects_under(open_cycle, small_bloc["unit"]), cycle=open_cycle
    ).count()
    assert after == before > 0


def test_a_rated_unit_cannot_be_moved_only_succeeded(open_cycle, small_bloc, successor):
    with pytest.raises(ValidationError) as error:
        organization_move(organization=small_bloc["unit"], new_parent=successor["root"])
    assert error.value.code == "rated_unit_keeps_its_place"


def test_a_unit_cannot_succeed_into_its_own_subtree(small_bloc):
    with pytest.raises(ValidationError) as error:
        organization_succeed(
            organization=small_bloc["unit"], successor=small_bloc["cell"], on=REORGANIZED_ON
        )
    assert error.value.code == "succeed_into_own_subtree"
