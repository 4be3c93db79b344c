"""The members admin: members, their status periods, events, discipline and collectives."""

import datetime
import unicodedata

import pytest
from django.urls import reverse
from django.utils import timezone

from members.models import Member, MembershipEvent, StatusPeriod
from reviews.models import CycleStatus, Rating, SubjectKind
from reviews.services import cycle_change_status
from tests.admin_support import (
    admin_url,
    assert_admin_pages_render,
    assert_changelist_queries_do_not_grow,
    form_data,
    model_id,
    registered_models,
)
from tests.factories import MemberFactory, ReviewCycleFactory


@pytest.mark.parametrize("model", registered_models("members"), ids=model_id)
def test_admin_pages_render(admin_client, admin_user, every_model, model):
    assert_admin_pages_render(admin_client, admin_user, model)


def test_changelists_search_and_filter(admin_client, every_model, tree):
    pages = [
        (Member, {"q": "79001234"}),
        (Member, {"co_so": str(tree["committee"].pk), "tinh_trang": "official"}),
        (Member, {"tinh_trang": "probationary", "gender": "F"}),
    ]
    for model, params in pages:
        response = admin_client.get(admin_url(model, "changelist"), params)
        assert response.status_code == 200, (model, params)


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
    assert event.changed_by == admin_user


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
    assert event.changed_by == admin_user


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
    assert (event.kind, event.occurred_on, event.changed_by) == (
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


@pytest.mark.parametrize(
    ("model", "params"),
    [
        (Member, {}),
        (MembershipEvent, {}),
    ],
    ids=model_id,
)
def test_changelist_query_count_does_not_grow_with_rows(
    admin_client, admin_user, tree, tree_cycle, model, params
):
    assert_changelist_queries_do_not_grow(admin_client, tree, tree_cycle, admin_user, model, params)
