"""The reviews admin: cycles, pools, ratings and their history, submissions and dossiers."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from reviews.models import (
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
)
from reviews.services import cycle_change_status, pool_finalize
from tests.admin_support import (
    MEMBER_NAME,
    admin_url,
    assert_admin_pages_render,
    assert_changelist_queries_do_not_grow,
    form_data,
    model_id,
    registered_models,
)
from tests.factories import MemberFactory, ReviewCycleFactory, StatusPeriodFactory


@pytest.mark.parametrize("model", registered_models("reviews"), ids=model_id)
def test_admin_pages_render(admin_client, admin_user, every_model, model):
    assert_admin_pages_render(admin_client, admin_user, model)


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
        (Rating, {"q": MEMBER_NAME, "subject_kind": SubjectKind.MEMBER}),
        (RatingChange, {"q": MEMBER_NAME}),
    ]
    for model, params in pages:
        response = admin_client.get(admin_url(model, "changelist"), params)
        assert response.status_code == 200, (model, params)


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
    assert [(t.to_state, t.changed_by) for t in transitions] == [
        (CycleStatus.OPEN, admin_user),
        (CycleStatus.CLOSED, admin_user),
        (CycleStatus.OPEN, admin_user),
    ]


def test_ratings_cannot_be_added_from_the_admin(admin_client, tree_cycle):
    assert admin_client.get(admin_url(Rating, "add")).status_code == 403


@pytest.mark.parametrize(
    ("model", "params"),
    [
        (Pool, {}),
        (Rating, {}),
        (RatingChange, {}),
        (Submission, {}),
    ],
    ids=model_id,
)
def test_changelist_query_count_does_not_grow_with_rows(
    admin_client, admin_user, tree, tree_cycle, model, params
):
    assert_changelist_queries_do_not_grow(admin_client, tree, tree_cycle, admin_user, model, params)
