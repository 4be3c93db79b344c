import datetime

import pytest
from django.core.exceptions import ValidationError

from organizations.models import Organization, OrganizationChange, OrganizationKind
from organizations.services import organization_create, organization_move, organization_update
from tests.factories import CellFactory, GrassrootsCellFactory, GrassrootsCommitteeFactory

pytestmark = pytest.mark.django_db


def assert_tree_sound():
    assert not any(Organization.objects.find_problems())


def test_bloc_holds_grassroots_units_and_they_hold_cells(bloc):
    unit = organization_create(
        parent=bloc,
        kind=OrganizationKind.GRASSROOTS_COMMITTEE,
        name="Đảng bộ Sở Tài chính",
        code="STC",
        grassroots_type="05",
    )
    sub = organization_create(
        parent=unit, kind=OrganizationKind.SUB_COMMITTEE, name="Đảng bộ bộ phận A", code="STC-A"
    )
    organization_create(parent=sub, kind=OrganizationKind.CELL, name="Chi bộ 1", code="STC-A1")
    assert [o.code for o in Organization.objects.subtree_of(unit)] == ["STC", "STC-A", "STC-A1"]
    assert unit.changes.get().kind == OrganizationChange.Kind.CREATED
    assert_tree_sound()


@pytest.mark.parametrize(
    ("parent_kind", "child_kind"),
    [
        ("bloc", OrganizationKind.CELL),
        ("bloc", OrganizationKind.SUB_COMMITTEE),
        ("cell", OrganizationKind.CELL),
        ("grassroots_cell", OrganizationKind.CELL),
        ("grassroots_committee", OrganizationKind.GRASSROOTS_COMMITTEE),
    ],
)
def test_kinds_that_may_not_nest_are_refused(bloc, parent_kind, child_kind):
    unit = GrassrootsCommitteeFactory(parent=bloc)
    parents = {
        "bloc": bloc,
        "grassroots_committee": unit,
        "cell": CellFactory(parent=unit),
        "grassroots_cell": GrassrootsCellFactory(parent=bloc),
    }
    before = Organization.objects.count()
    with pytest.raises(ValidationError) as error:
        organization_create(
            parent=parents[parent_kind],
            kind=child_kind,
            name="Không hợp lệ",
            code="BAD",
            grassroots_type="05" if child_kind == OrganizationKind.GRASSROOTS_COMMITTEE else "",
        )
    assert error.value.code == "kind_not_allowed"
    assert Organization.objects.count() == before


def test_only_a_bloc_may_be_a_root():
    with pytest.raises(ValidationError) as error:
        organization_create(parent=None, kind=OrganizationKind.CELL, name="Chi bộ", code="X")
    assert error.value.code == "parent_required"


def test_grassroots_unit_needs_its_type(bloc):
    with pytest.raises(ValidationError):
        organization_create(
            parent=bloc, kind=OrganizationKind.GRASSROOTS_COMMITTEE, name="Đảng bộ", code="DB"
        )


def test_rename_keeps_the_old_name_in_history(bloc):
    unit = GrassrootsCommitteeFactory(parent=bloc, name="Đảng bộ Sở Nội vụ")
    organization_update(organization=unit, name="Đảng bộ Sở Nội vụ tỉnh Đồng Nai")
    change = unit.changes.get(kind=OrganizationChange.Kind.RENAMED)
    assert change.old_values == {"name": "Đảng bộ Sở Nội vụ"}
    assert change.new_values == {"name": "Đảng bộ Sở Nội vụ tỉnh Đồng Nai"}


def test_move_keeps_history_and_the_tree_sound(bloc):
    first = GrassrootsCommitteeFactory(parent=bloc, name="Đảng bộ A")
    second = GrassrootsCommitteeFactory(parent=bloc, name="Đảng bộ B")
    cell = CellFactory(parent=first)
    organization_move(organization=cell, new_parent=second, note="Sáp nhập")
    cell.refresh_from_db()
    assert Organization.objects.get_parent(cell) == second
    change = cell.changes.get(kind=OrganizationChange.Kind.MOVED)
    assert change.old_values["parent_name"] == "Đảng bộ A"
    assert change.new_values["parent_name"] == "Đảng bộ B"
    assert_tree_sound()


def test_a_node_cannot_move_into_its_own_subtree(bloc):
    unit = GrassrootsCommitteeFactory(parent=bloc)
    sub = organization_create(
        parent=unit, kind=OrganizationKind.SUB_COMMITTEE, name="Bộ phận", code="BP"
    )
    with pytest.raises(ValidationError) as error:
        organization_move(organization=unit, new_parent=sub)
    assert error.value.code == "move_into_own_subtree"


def test_dissolution_cannot_precede_founding(bloc):
    unit = GrassrootsCommitteeFactory(parent=bloc, founded_on=datetime.date(2010, 1, 1))
    with pytest.raises(ValidationError):
        organization_update(organization=unit, dissolved_on=datetime.date(2009, 1, 1))
