"""The organizations admin: the tree, its nodes, role assignments and users."""

import datetime

import pytest

from organizations.models import (
    Organization,
    OrganizationChange,
    OrganizationKind,
    Role,
    RoleAssignment,
)
from organizations.services import organization_create
from tests.admin_support import (
    admin_url,
    assert_admin_pages_render,
    assert_changelist_queries_do_not_grow,
    form_data,
    model_id,
    registered_models,
)
from tests.factories import MemberFactory, RoleAssignmentFactory, UserFactory


#: Django's users and groups are shown here: the user page carries the role assignments.
@pytest.mark.parametrize("model", registered_models("organizations", "auth"), ids=model_id)
def test_admin_pages_render(admin_client, admin_user, every_model, model):
    assert_admin_pages_render(admin_client, admin_user, model)


def test_changelists_search_and_filter(admin_client, every_model, tree):
    pages = [
        (Organization, {"q": "CBVP"}),
        (Organization, {"kind": OrganizationKind.CELL}),
    ]
    for model, params in pages:
        response = admin_client.get(admin_url(model, "changelist"), params)
        assert response.status_code == 200, (model, params)


def test_organization_changelist_shows_the_tree_from_the_root(admin_client, tree):
    response = admin_client.get(admin_url(Organization, "changelist"))

    assert response.status_code == 200
    assert response.context["treebeard_tree"]
    assert tree["bloc"].name in response.content.decode()
    assert list(response.context["cl"].result_list) == [tree["bloc"]]


def test_organization_children_are_loaded_under_their_parent(admin_client, tree):
    url = admin_url(Organization, "changelist") + f"children/{tree['bloc'].pk}/"

    response = admin_client.get(url)

    assert response.status_code == 200
    assert tree["committee"].name in response.json()["result_html"]


def test_adding_a_cell_under_the_bloc_is_refused_on_the_form(admin_client, tree):
    page = admin_client.get(admin_url(Organization, "add"))
    data = form_data(
        page,
        parent=str(tree["bloc"].pk),
        kind=OrganizationKind.CELL,
        name="Chi bộ đặt sai chỗ",
        code="SAICHO",
    )

    response = admin_client.post(admin_url(Organization, "add"), data)

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors.as_data()
    assert [error.code for error in errors["parent"]] == ["kind_not_allowed"]
    assert not Organization.objects.filter(code="SAICHO").exists()
    assert not any(Organization.objects.find_problems())


def test_adding_a_node_without_a_parent_is_refused_unless_it_is_a_bloc(admin_client, tree):
    page = admin_client.get(admin_url(Organization, "add"))
    data = form_data(
        page,
        kind=OrganizationKind.GRASSROOTS_COMMITTEE,
        grassroots_type="05",
        name="Đảng bộ không cấp trên",
        code="KCT",
    )

    response = admin_client.post(admin_url(Organization, "add"), data)

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors.as_data()
    assert [error.code for error in errors["parent"]] == ["parent_required"]
    assert not Organization.objects.filter(code="KCT").exists()


def test_adding_a_valid_node_creates_it_with_its_history(admin_client, admin_user, tree):
    page = admin_client.get(admin_url(Organization, "add"))
    data = form_data(
        page,
        parent=str(tree["committee"].pk),
        kind=OrganizationKind.CELL,
        name="  Chi bộ   Phòng Tổng hợp ",
        code="CBPTH",
        founded_on="01/07/2020",
    )

    response = admin_client.post(admin_url(Organization, "add"), data)

    assert response.status_code == 302
    node = Organization.objects.get(code="CBPTH")
    assert node.name == "Chi bộ Phòng Tổng hợp"
    assert node.founded_on == datetime.date(2020, 7, 1)
    assert Organization.objects.get_parent(node) == tree["committee"]
    change = OrganizationChange.objects.get(organization=node)
    assert change.kind == OrganizationChange.Kind.CREATED
    assert change.changed_by == admin_user
    assert not any(Organization.objects.find_problems())


def test_editing_a_node_records_a_rename(admin_client, tree):
    cell = tree["cell"]
    page = admin_client.get(admin_url(Organization, "change", cell.pk))
    data = form_data(page, name="Chi bộ Phòng Kế hoạch")

    response = admin_client.post(admin_url(Organization, "change", cell.pk), data)

    assert response.status_code == 302
    cell.refresh_from_db()
    assert cell.name == "Chi bộ Phòng Kế hoạch"
    assert OrganizationChange.objects.get(organization=cell).kind == OrganizationChange.Kind.RENAMED


def test_changing_the_parent_on_the_form_moves_the_node(admin_client, admin_user, tree):
    cell, target = tree["cell"], tree["other_committee"]
    page = admin_client.get(admin_url(Organization, "change", cell.pk))
    data = form_data(page, parent=str(target.pk))

    response = admin_client.post(admin_url(Organization, "change", cell.pk), data)

    assert response.status_code == 302
    cell.refresh_from_db()
    assert Organization.objects.get_parent(cell) == target
    moved = OrganizationChange.objects.get(organization=cell, kind=OrganizationChange.Kind.MOVED)
    assert moved.new_values["parent"] == target.code
    assert moved.changed_by == admin_user
    assert not any(Organization.objects.find_problems())


def test_moving_a_node_into_its_own_subtree_is_refused_on_the_form(admin_client, tree):
    committee = tree["committee"]
    page = admin_client.get(admin_url(Organization, "change", committee.pk))
    # The cell is not offered as a parent: posting it anyway is an invalid choice.
    data = form_data(page, parent=str(tree["cell"].pk))

    response = admin_client.post(admin_url(Organization, "change", committee.pk), data)

    assert response.status_code == 200
    assert "parent" in response.context["adminform"].form.errors
    committee.refresh_from_db()
    assert Organization.objects.get_parent(committee) == tree["bloc"]


def test_drag_and_drop_moves_through_the_service(admin_client, tree):
    cell, target = tree["cell"], tree["other_committee"]
    url = admin_url(Organization, "changelist") + "move/"

    response = admin_client.post(url, {"node": cell.pk, "target": target.pk, "relation": "child"})

    assert response.status_code == 200
    cell.refresh_from_db()
    assert Organization.objects.get_parent(cell) == target
    assert OrganizationChange.objects.filter(
        organization=cell, kind=OrganizationChange.Kind.MOVED
    ).exists()
    assert not any(Organization.objects.find_problems())


def test_drag_and_drop_as_sibling_moves_under_the_targets_parent(admin_client, tree):
    cell = tree["cell"]
    url = admin_url(Organization, "changelist") + "move/"

    response = admin_client.post(
        url, {"node": cell.pk, "target": tree["other_cell"].pk, "relation": "sibling"}
    )

    assert response.status_code == 200
    cell.refresh_from_db()
    assert Organization.objects.get_parent(cell) == tree["other_committee"]
    assert not any(Organization.objects.find_problems())


def test_drag_and_drop_refused_by_the_rules_answers_400(admin_client, tree):
    cell = tree["cell"]
    url = admin_url(Organization, "changelist") + "move/"

    # Sibling of a grassroots committee: the cell would sit directly under the bloc.
    response = admin_client.post(
        url, {"node": cell.pk, "target": tree["other_committee"].pk, "relation": "sibling"}
    )

    assert response.status_code == 400
    assert "Đảng bộ Khối" in response.content.decode()
    cell.refresh_from_db()
    assert Organization.objects.get_parent(cell) == tree["committee"]
    assert not OrganizationChange.objects.filter(organization=cell).exists()
    assert not any(Organization.objects.find_problems())


def test_drag_and_drop_needs_post(admin_client, tree):
    response = admin_client.get(admin_url(Organization, "changelist") + "move/")

    assert response.status_code == 405


def test_deleting_a_node_with_subordinates_or_members_is_refused(admin_client, tree):
    MemberFactory(organization=tree["cell"])
    for node in (tree["committee"], tree["cell"]):
        url = admin_url(Organization, "delete", node.pk)

        page = admin_client.get(url)
        assert page.status_code == 200
        assert page.context["protected"]

        refused = admin_client.post(url, {"post": "yes"})
        assert refused.status_code == 200
        assert refused.context["protected"]
        assert Organization.objects.filter(pk=node.pk).exists()
    assert not any(Organization.objects.find_problems())


def test_deleting_an_empty_leaf_keeps_the_tree_sound(admin_client, admin_user, tree):
    leaf = organization_create(
        parent=tree["committee"],
        kind=OrganizationKind.CELL,
        name="Chi bộ nhập nhầm",
        code="NHAM",
        acting_user=admin_user,
    )

    response = admin_client.post(admin_url(Organization, "delete", leaf.pk), {"post": "yes"})

    assert response.status_code == 302
    assert not Organization.objects.filter(pk=leaf.pk).exists()
    assert Organization.objects.get(pk=tree["committee"].pk).numchild == 1
    assert not any(Organization.objects.find_problems())


def test_role_assignment_is_checked_against_the_node_kind(admin_client, tree):
    user = UserFactory()
    page = admin_client.get(admin_url(RoleAssignment, "add"))
    data = form_data(
        page, user=str(user.pk), organization=str(tree["bloc"].pk), role=Role.CELL_SECRETARY
    )

    refused = admin_client.post(admin_url(RoleAssignment, "add"), data)

    assert refused.status_code == 200
    assert "organization" in refused.context["adminform"].form.errors
    assert not RoleAssignment.objects.exists()

    data["organization"] = str(tree["cell"].pk)
    assert admin_client.post(admin_url(RoleAssignment, "add"), data).status_code == 302
    assert RoleAssignment.objects.get().role == Role.CELL_SECRETARY


def test_user_page_lists_the_users_roles(admin_client, tree):
    assignment = RoleAssignmentFactory(organization=tree["committee"], role=Role.CLERK)

    response = admin_client.get(admin_url(type(assignment.user), "change", assignment.user.pk))

    formsets = [inline.formset for inline in response.context["inline_admin_formsets"]]
    assert [
        form.instance for fs in formsets if fs.model is RoleAssignment for form in fs.forms
    ] == [assignment]


@pytest.mark.parametrize(
    ("model", "params"),
    [
        (Organization, {}),
        (Organization, {"kind": OrganizationKind.CELL}),
        (OrganizationChange, {}),
    ],
    ids=model_id,
)
def test_changelist_query_count_does_not_grow_with_rows(
    admin_client, admin_user, tree, tree_cycle, model, params
):
    assert_changelist_queries_do_not_grow(admin_client, tree, tree_cycle, admin_user, model, params)
