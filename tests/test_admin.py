"""The Django admin: every registered model renders, and writes go through the services."""

import datetime
import unicodedata
from decimal import Decimal

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from members.models import ImportBatch, Member, MembershipEvent, StatusPeriod
from members.services import member_create
from organizations.models import (
    Organization,
    OrganizationChange,
    OrganizationKind,
    Role,
    RoleAssignment,
)
from organizations.services import organization_create
from reviews.models import (
    REQUIRED_DOSSIER_KINDS,
    CycleStatus,
    CycleTransition,
    DossierItem,
    Level,
    Pool,
    Rating,
    RatingChange,
    ReviewCycle,
    SubjectKind,
    Submission,
    SubmissionState,
)
from reviews.services import (
    cycle_change_status,
    cycle_prepare,
    dossier_item_add,
    guiding_document_publish,
    pool_finalize,
    question_ask,
    ratings_record,
    submission_change_state,
    suggestion_draft,
)
from tests.factories import (
    BlocFactory,
    CellFactory,
    CollectiveMembershipFactory,
    DisciplineRecordFactory,
    GrassrootsCommitteeFactory,
    LeadershipCollectiveFactory,
    MemberFactory,
    ReviewCycleFactory,
    RoleAssignmentFactory,
    StatusPeriodFactory,
    UserFactory,
)

MEMBER_NAME = "Trần Thị Bích Ngọc"


def admin_url(model, view: str, *args) -> str:
    opts = model._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}", args=args)


def form_data(response, **changes) -> dict:
    """POST data reproducing a rendered admin form (main form and inlines), then `changes`."""
    forms = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        forms.append(inline.formset.management_form)
        forms.extend(inline.formset.forms)
    data = {}
    for form in forms:
        for bound in form:
            value = bound.value()
            if isinstance(value, bool):
                if value:
                    data[bound.html_name] = "on"
                continue
            if isinstance(value, datetime.date):
                value = value.strftime("%d/%m/%Y")
            data[bound.html_name] = "" if value is None else value
    for name, value in changes.items():
        if value is None:
            data.pop(name, None)
        else:
            data[name] = value
    return data


@pytest.fixture
def tree(db):
    bloc = BlocFactory()
    committee = GrassrootsCommitteeFactory(parent=bloc)
    other_committee = GrassrootsCommitteeFactory(parent=Organization.objects.get(pk=bloc.pk))
    cell = CellFactory(parent=committee)
    other_cell = CellFactory(parent=other_committee)
    return {
        "bloc": Organization.objects.get(pk=bloc.pk),
        "committee": Organization.objects.get(pk=committee.pk),
        "other_committee": Organization.objects.get(pk=other_committee.pk),
        "cell": Organization.objects.get(pk=cell.pk),
        "other_cell": Organization.objects.get(pk=other_cell.pk),
    }


@pytest.fixture
def cycle(tree):
    cycle = ReviewCycleFactory(organization=tree["bloc"])
    return cycle_change_status(cycle=cycle, status=CycleStatus.OPEN)


@pytest.fixture
def every_model(tree, admin_user, settings, tmp_path):
    """At least one row of every model the admin shows, made the way the application makes it."""
    settings.MEDIA_ROOT = tmp_path
    organization_create(
        parent=tree["committee"],
        kind=OrganizationKind.CELL,
        name="Chi bộ Văn phòng",
        code="CBVP",
        acting_user=admin_user,
    )
    member = member_create(
        organization=tree["cell"],
        full_name=MEMBER_NAME,
        gender="F",
        date_of_birth=datetime.date(1985, 4, 2),
        card_number="79001234",
        admitted_on=datetime.date(2012, 5, 19),
        official_on=datetime.date(2013, 5, 19),
    )
    disciplined = MemberFactory(organization=tree["other_cell"])
    StatusPeriodFactory(member=member)
    DisciplineRecordFactory(member=disciplined)
    collective = LeadershipCollectiveFactory(organization=tree["committee"])
    CollectiveMembershipFactory(collective=collective, member=member)
    RoleAssignmentFactory(organization=tree["bloc"], role=Role.VIEWER)
    Group.objects.create(name="Ban Tổ chức")

    cycle = cycle_change_status(
        cycle=ReviewCycleFactory(organization=tree["bloc"]),
        status=CycleStatus.OPEN,
        acting_user=admin_user,
    )
    rating = Rating.objects.get(cycle=cycle, member=member, subject_kind=SubjectKind.MEMBER)
    ratings_record(
        cycle=cycle,
        changes={rating.pk: {"self_level": Level.GOOD}},
        acting_user=admin_user,
    )
    collective_rating = Rating.objects.get(cycle=cycle, collective=collective)
    ratings_record(
        cycle=cycle,
        changes={collective_rating.pk: {"decision_level": Level.GOOD}},
        acting_user=admin_user,
    )
    pool_finalize(pool=collective_rating.pool, acting_user=admin_user)
    # The other unit decides, finalizes, attaches its dossier, sends it and has it returned.
    unit = tree["other_committee"]
    RoleAssignmentFactory(organization=unit, role=Role.CLERK)
    for pool in Pool.objects.filter(cycle=cycle, owner=unit):
        rated = Rating.objects.filter(pool=pool, not_rated_reason="")
        ratings_record(
            cycle=cycle,
            changes={r.pk: {"decision_level": Level.NOT_COMPLETED} for r in rated},
            acting_user=admin_user,
        )
        pool_finalize(pool=pool, acting_user=admin_user)
    submission = Submission.objects.get(cycle=cycle, organization=unit)
    for kind in REQUIRED_DOSSIER_KINDS:
        dossier_item_add(
            submission=submission,
            kind=kind,
            upload=SimpleUploadedFile(f"{kind}.pdf", b"%PDF-1.4 ...", "application/pdf"),
            acting_user=admin_user,
        )
    submission_change_state(
        submission=submission, state=SubmissionState.SUBMITTED, acting_user=admin_user
    )
    submission_change_state(
        submission=submission,
        state=SubmissionState.RETURNED,
        acting_user=admin_user,
        comment="Bổ sung biên bản hội nghị.",
    )
    suggestion_draft(
        cycle=cycle,
        collective=collective,
        title="Gợi ý kiểm điểm Ban Chấp hành",
        issues=["Chậm triển khai nghị quyết."],
        acting_user=admin_user,
    )
    guiding_document_publish(
        cycle=cycle,
        title="Công văn 897-CV/ĐUK",
        upload=SimpleUploadedFile("cv.pdf", b"%PDF-1.4 ...", "application/pdf"),
        acting_user=admin_user,
    )
    question_ask(
        cycle=cycle, unit=unit, title="Nghỉ ốm dài ngày", text="Hỏi", acting_user=admin_user
    )
    ImportBatch.objects.create(
        kind="members", file_name="dang-vien.xlsx", sha256="0" * 64, uploaded_by=admin_user
    )
    # A member registered into the returned unit's finalized pool: flagged for its committee.
    member_create(
        organization=Rating.objects.filter(pool__owner=unit, member__isnull=False)
        .first()
        .member.organization,
        full_name="Lê Văn Đến",
        gender="M",
        date_of_birth=datetime.date(1985, 1, 1),
        admitted_on=datetime.date(2012, 1, 1),
        acting_user=admin_user,
    )
    return {"member": member, "cycle": cycle, "rating": rating}


#: The project's models and Django's users and groups; third-party admins (django-axes) are theirs.
OWN_APPS = {"organizations", "members", "reviews", "reports", "auth"}
REGISTERED_MODELS = sorted(
    (model for model in admin.site._registry if model._meta.app_label in OWN_APPS),
    key=lambda model: model._meta.label,
)


@pytest.mark.parametrize("model", REGISTERED_MODELS, ids=lambda model: model._meta.label)
def test_admin_pages_render(admin_client, admin_user, every_model, model):
    model_admin = admin.site._registry[model]
    request = RequestFactory().get("/")
    request.user = admin_user

    assert admin_client.get(admin_url(model, "changelist")).status_code == 200

    add = admin_client.get(admin_url(model, "add"))
    assert add.status_code == (200 if model_admin.has_add_permission(request) else 403)

    obj = model._default_manager.first()
    assert obj is not None, f"the every_model fixture should make a {model._meta.label}"
    assert admin_client.get(admin_url(model, "change", obj.pk)).status_code == 200


def test_dossier_files_are_not_linked_from_the_admin(admin_client, every_model):
    item = DossierItem.objects.first()

    for url in (
        admin_url(DossierItem, "change", item.pk),
        admin_url(Submission, "change", item.submission_id),
    ):
        response = admin_client.get(url)
        assert response.status_code == 200
        assert item.original_name in response.content.decode()
        assert item.file.name not in response.content.decode()


def test_changelists_search_and_filter(admin_client, every_model, tree):
    pages = [
        (Member, {"q": "79001234"}),
        (Member, {"co_so": str(tree["committee"].pk), "tinh_trang": "official"}),
        (Member, {"tinh_trang": "probationary", "gender": "F"}),
        (Organization, {"q": "CBVP"}),
        (Organization, {"kind": OrganizationKind.CELL}),
        (Rating, {"q": MEMBER_NAME, "subject_kind": SubjectKind.MEMBER}),
        (RatingChange, {"q": MEMBER_NAME}),
    ]
    for model, params in pages:
        response = admin_client.get(admin_url(model, "changelist"), params)
        assert response.status_code == 200, (model, params)


# --- Organizations -------------------------------------------------------------------------------


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


# --- Members -------------------------------------------------------------------------------------


def test_member_search_matches_a_name_typed_in_nfd(admin_client, every_model):
    typed = unicodedata.normalize("NFD", "Bích Ngọc")
    assert typed != unicodedata.normalize("NFC", typed)

    response = admin_client.get(admin_url(Member, "changelist"), {"q": typed})

    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [every_model["member"]]


def test_organization_autocomplete_for_members_offers_cells_only(admin_client, tree):
    response = admin_client.get(
        reverse("admin:autocomplete"),
        {
            "term": unicodedata.normalize("NFD", "Chi bộ"),
            "app_label": "members",
            "model_name": "member",
            "field_name": "organization",
        },
    )

    assert response.status_code == 200
    offered = {int(result["id"]) for result in response.json()["results"]}
    assert offered == {tree["cell"].pk, tree["other_cell"].pk}


def test_member_filter_by_grassroots_unit_covers_its_cells(admin_client, tree):
    inside = MemberFactory(organization=tree["cell"])
    MemberFactory(organization=tree["other_cell"])

    response = admin_client.get(
        admin_url(Member, "changelist"), {"co_so": str(tree["committee"].pk)}
    )

    assert list(response.context["cl"].result_list) == [inside]


def test_member_status_filter(admin_client, tree):
    official = MemberFactory(organization=tree["cell"])
    probationary = MemberFactory(organization=tree["cell"], official_on=None, card_number="")
    left = MemberFactory(
        organization=tree["cell"], left_on=datetime.date(2021, 1, 5), left_reason="deceased"
    )
    expected = {
        "current": {official, probationary},
        "official": {official},
        "probationary": {probationary},
        "left": {left},
    }
    for value, members in expected.items():
        response = admin_client.get(admin_url(Member, "changelist"), {"tinh_trang": value})
        assert set(response.context["cl"].result_list) == members, value


def test_adding_a_member_records_the_admission(admin_client, admin_user, tree):
    page = admin_client.get(admin_url(Member, "add"))
    data = form_data(
        page,
        full_name="Lê Văn An",
        gender="M",
        date_of_birth="02/09/1990",
        card_number="79005555",
        organization=str(tree["cell"].pk),
        admitted_on="03/02/2015",
        official_on="03/02/2016",
    )

    response = admin_client.post(admin_url(Member, "add"), data)

    assert response.status_code == 302
    member = Member.objects.get(card_number="79005555")
    event = MembershipEvent.objects.get(member=member)
    assert event.kind == MembershipEvent.Kind.ADMITTED
    assert event.recorded_by == admin_user


def test_changing_a_members_cell_is_a_transfer_dated_today(admin_client, admin_user, tree):
    member = MemberFactory(organization=tree["cell"])
    page = admin_client.get(admin_url(Member, "change", member.pk))
    data = form_data(page, organization=str(tree["other_cell"].pk), leadership_post="")

    response = admin_client.post(admin_url(Member, "change", member.pk), data)

    assert response.status_code == 302
    member.refresh_from_db()
    assert member.organization == tree["other_cell"]
    event = MembershipEvent.objects.get(member=member)
    assert event.kind == MembershipEvent.Kind.TRANSFER_INTERNAL
    assert event.from_organization == tree["cell"]
    assert event.occurred_on == timezone.localdate()
    assert event.recorded_by == admin_user


def test_a_member_who_left_cannot_be_transferred(admin_client, tree):
    member = MemberFactory(
        organization=tree["cell"], left_on=datetime.date(2021, 1, 5), left_reason="deceased"
    )
    page = admin_client.get(admin_url(Member, "change", member.pk))
    data = form_data(page, organization=str(tree["other_cell"].pk))

    response = admin_client.post(admin_url(Member, "change", member.pk), data)

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors.as_data()
    assert [error.code for error in errors["organization"]] == ["member_left"]
    member.refresh_from_db()
    assert member.organization == tree["cell"]


def test_setting_the_leaving_date_records_the_departure(admin_client, admin_user, tree):
    member = MemberFactory(organization=tree["cell"])
    page = admin_client.get(admin_url(Member, "change", member.pk))
    data = form_data(page, left_on="15/08/2021", left_reason="transferred_out")

    response = admin_client.post(admin_url(Member, "change", member.pk), data)

    assert response.status_code == 302
    member.refresh_from_db()
    assert member.left_on == datetime.date(2021, 8, 15)
    event = MembershipEvent.objects.get(member=member)
    assert (event.kind, event.occurred_on, event.recorded_by) == (
        MembershipEvent.Kind.LEFT,
        datetime.date(2021, 8, 15),
        admin_user,
    )


def test_discipline_added_on_the_member_page_counts_in_its_year(admin_client, tree):
    member = MemberFactory(organization=tree["cell"])
    page = admin_client.get(admin_url(Member, "change", member.pk))
    data = form_data(
        page,
        **{
            "discipline_records-TOTAL_FORMS": "1",
            "discipline_records-0-form": "warning",
            "discipline_records-0-decision_number": " 12-QĐ/ĐU ",
            "discipline_records-0-decided_on": "10/03/2021",
            "discipline_records-0-violation": "Vi phạm quy định.",
        },
    )

    response = admin_client.post(admin_url(Member, "change", member.pk), data)

    assert response.status_code == 302
    record = member.discipline_records.get()
    assert (record.decision_number, record.counted_year) == ("12-QĐ/ĐU", 2021)


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


# --- Reviews -------------------------------------------------------------------------------------


def test_rating_edit_goes_through_the_service_and_leaves_history(
    admin_client, admin_user, every_model
):
    rating = every_model["rating"]
    page = admin_client.get(admin_url(Rating, "change", rating.pk))
    data = form_data(page, proposal_level=Level.GOOD, votes_for="1", votes_against="0")

    response = admin_client.post(admin_url(Rating, "change", rating.pk), data)

    assert response.status_code == 302
    rating.refresh_from_db()
    assert rating.proposal_level == Level.GOOD
    changes = RatingChange.objects.filter(rating=rating, field="proposal_level")
    assert [(c.new_value, c.reason, c.changed_by) for c in changes] == [
        (Level.GOOD.value, "Quản trị", admin_user)
    ]


def test_rating_edit_over_the_quota_is_saved_and_finalizing_is_refused(admin_client, tree):
    member = MemberFactory(organization=tree["cell"])
    cycle = cycle_change_status(
        cycle=ReviewCycleFactory(organization=tree["bloc"]), status=CycleStatus.OPEN
    )
    rating = Rating.objects.get(cycle=cycle, member=member, subject_kind=SubjectKind.MEMBER)
    page = admin_client.get(admin_url(Rating, "change", rating.pk))
    # Nobody is rated "good" in the pool: the quota allows no "excellent" (DOMAIN.md §3).
    data = form_data(page, decision_level=Level.EXCELLENT)

    response = admin_client.post(admin_url(Rating, "change", rating.pk), data)

    assert response.status_code == 302
    rating.refresh_from_db()
    assert rating.decision_level == Level.EXCELLENT
    with pytest.raises(ValidationError) as error:
        pool_finalize(pool=rating.pool, acting_user=None)
    assert "quota_exceeded" in [e.code for e in error.value.error_list]


def test_rating_edit_refused_by_the_rules_shows_on_the_form(admin_client, tree):
    member = MemberFactory(organization=tree["cell"])
    # On sick leave since 01/02/2021: "Hoàn thành nhiệm vụ" at most (HD 21).
    StatusPeriodFactory(member=member)
    cycle = cycle_change_status(
        cycle=ReviewCycleFactory(organization=tree["bloc"]), status=CycleStatus.OPEN
    )
    rating = Rating.objects.get(cycle=cycle, member=member, subject_kind=SubjectKind.MEMBER)
    page = admin_client.get(admin_url(Rating, "change", rating.pk))
    data = form_data(page, decision_level=Level.GOOD)

    response = admin_client.post(admin_url(Rating, "change", rating.pk), data)

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors.as_data()
    assert [error.code for error in errors["decision_level"]] == ["rule_violation"]
    rating.refresh_from_db()
    assert rating.decision_level == ""


def test_adding_a_cycle_creates_it_in_draft(admin_client, tree):
    page = admin_client.get(admin_url(ReviewCycle, "add"))
    data = form_data(
        page,
        organization=str(tree["bloc"].pk),
        year="2022",
        title="Kỳ kiểm điểm, đánh giá, xếp loại chất lượng năm 2022",
        rule_set="hd21_2019",
        deadline="25/11/2022",
        reference_date="15/11/2022",
    )

    response = admin_client.post(admin_url(ReviewCycle, "add"), data)

    assert response.status_code == 302
    cycle = ReviewCycle.objects.get(year=2022)
    assert cycle.status == CycleStatus.DRAFT
    assert cycle.quota_rate == Decimal("0.200")


def test_cycle_actions_go_through_the_service(admin_client, admin_user, tree):
    cycle = ReviewCycleFactory(organization=tree["bloc"])
    url = admin_url(type(cycle), "changelist")

    admin_client.post(url, {"action": "open_cycles", "_selected_action": [cycle.pk]})
    cycle.refresh_from_db()
    assert cycle.status == CycleStatus.OPEN
    assert Rating.objects.filter(cycle=cycle).exists()

    admin_client.post(url, {"action": "close_cycles", "_selected_action": [cycle.pk]})
    response = admin_client.post(
        url, {"action": "open_cycles", "_selected_action": [cycle.pk]}, follow=True
    )
    cycle.refresh_from_db()
    assert cycle.status == CycleStatus.CLOSED
    assert any("lý do" in str(message) for message in response.context["messages"])

    admin_client.post(
        url,
        {"action": "open_cycles", "_selected_action": [cycle.pk], "reason": "Bổ sung kết quả"},
    )
    cycle.refresh_from_db()
    assert cycle.status == CycleStatus.OPEN
    transitions = CycleTransition.objects.filter(cycle=cycle).order_by("pk")
    assert [(t.to_status, t.changed_by) for t in transitions] == [
        (CycleStatus.OPEN, admin_user),
        (CycleStatus.CLOSED, admin_user),
        (CycleStatus.OPEN, admin_user),
    ]


def test_ratings_cannot_be_added_from_the_admin(admin_client, cycle):
    assert admin_client.get(admin_url(Rating, "add")).status_code == 403


# --- No N+1 on the changelists -------------------------------------------------------------------


def _changelist_queries(client, model, params) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(admin_url(model, "changelist"), params).status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    ("model", "params"),
    [
        (Organization, {}),
        (Organization, {"kind": OrganizationKind.CELL}),
        (OrganizationChange, {}),
        (Member, {}),
        (MembershipEvent, {}),
        (Pool, {}),
        (Rating, {}),
        (RatingChange, {}),
        (Submission, {}),
    ],
    ids=lambda value: value._meta.label if hasattr(value, "_meta") else str(value),
)
def test_changelist_query_count_does_not_grow_with_rows(
    admin_client, admin_user, tree, cycle, model, params
):
    def grow(count: int) -> None:
        for _ in range(count):
            unit = organization_create(
                parent=tree["bloc"],
                kind=OrganizationKind.GRASSROOTS_COMMITTEE,
                grassroots_type="05",
                name="Đảng bộ Sở",
                code=f"SO{Organization.objects.count()}",
                founded_on=datetime.date(2000, 1, 1),
            )
            cell = organization_create(
                parent=unit,
                kind=OrganizationKind.CELL,
                name="Chi bộ Văn phòng Sở",
                code=f"CB{Organization.objects.count()}",
                founded_on=datetime.date(2000, 1, 1),
            )
            member_create(
                organization=cell,
                full_name="Phạm Văn Bình",
                gender="M",
                date_of_birth=datetime.date(1980, 1, 1),
                admitted_on=datetime.date(2010, 1, 1),
                official_on=datetime.date(2011, 1, 1),
            )
        cycle_prepare(cycle=cycle)
        fresh = Rating.objects.filter(cycle=cycle, self_level="", not_rated_reason="")
        ratings_record(
            cycle=cycle,
            changes={rating.pk: {"self_level": Level.GOOD} for rating in fresh},
            acting_user=admin_user,
        )

    grow(1)
    few = _changelist_queries(admin_client, model, params)
    grow(5)

    assert _changelist_queries(admin_client, model, params) == few


def test_a_suspension_added_in_the_admin_updates_the_open_cycles_rating(admin_client, tree):
    """Facts the rules read go through the services from the admin too (an open cycle follows
    its people): the stored not-rated reason changes at once."""
    member = MemberFactory(organization=tree["cell"])
    cycle = cycle_change_status(
        cycle=ReviewCycleFactory(organization=tree["bloc"]), status=CycleStatus.OPEN
    )
    page = admin_client.get(admin_url(StatusPeriod, "add"))
    data = form_data(
        page,
        member=str(member.pk),
        kind=StatusPeriod.Kind.SUSPENDED,
        starts_on="01/09/2021",
        reference="7-QĐ/ĐU",
    )

    response = admin_client.post(admin_url(StatusPeriod, "add"), data)

    assert response.status_code == 302
    rating = Rating.objects.get(cycle=cycle, member=member, subject_kind=SubjectKind.MEMBER)
    assert rating.not_rated_reason == "suspended"
    period = StatusPeriod.objects.get(member=member)
    admin_client.post(admin_url(StatusPeriod, "delete", period.pk), {"post": "yes"})
    rating.refresh_from_db()
    assert rating.not_rated_reason == ""


def test_a_member_added_in_the_admin_gets_a_rating_in_the_open_cycle(admin_client, tree):
    cycle = cycle_change_status(
        cycle=ReviewCycleFactory(organization=tree["bloc"]), status=CycleStatus.OPEN
    )
    page = admin_client.get(admin_url(Member, "add"))
    data = form_data(
        page,
        full_name="Phạm Thị Lan",
        gender="F",
        date_of_birth="01/01/1990",
        admitted_on="01/01/2015",
        organization=str(tree["cell"].pk),
    )

    response = admin_client.post(admin_url(Member, "add"), data)

    assert response.status_code == 302
    member = Member.objects.get(full_name="Phạm Thị Lan")
    assert Rating.objects.filter(cycle=cycle, member=member, subject_kind="member").exists()
