"""Role assignments are given and changed through services that record who, when, what."""

import pytest

from organizations.models import OrganizationChange, Role
from organizations.services import role_assign, role_assignment_update
from tests.factories import BlocFactory, GrassrootsCommitteeFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_a_role_given_and_withdrawn_is_in_the_nodes_history():
    unit = GrassrootsCommitteeFactory(parent=BlocFactory())
    clerk, admin = UserFactory(username="canbo"), UserFactory(username="quantri")
    assignment = role_assign(user=clerk, organization=unit, role=Role.CLERK, acting_user=admin)
    role_assignment_update(assignment=assignment, acting_user=admin, is_active=False)
    rows = list(
        OrganizationChange.objects.filter(organization=unit, kind=OrganizationChange.Kind.ROLES)
        .order_by("pk")
        .values_list("old_values", "new_values", "changed_by__username", "note")
    )
    assert rows[0][1]["role"] == str(Role.CLERK.label)
    assert rows[0][2:] == ("quantri", "canbo")
    assert rows[1][:2] == ({"is_active": True}, {"is_active": False})


def test_assigning_again_what_is_held_writes_nothing():
    unit = GrassrootsCommitteeFactory(parent=BlocFactory())
    clerk = UserFactory()
    role_assign(user=clerk, organization=unit, role=Role.CLERK)
    role_assign(user=clerk, organization=unit, role=Role.CLERK)
    assert OrganizationChange.objects.filter(kind=OrganizationChange.Kind.ROLES).count() == 1


def test_a_clerk_cannot_be_given_the_bloc_and_nothing_is_recorded():
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        role_assign(user=UserFactory(), organization=BlocFactory(), role=Role.CLERK)
    assert not OrganizationChange.objects.filter(kind=OrganizationChange.Kind.ROLES).exists()
