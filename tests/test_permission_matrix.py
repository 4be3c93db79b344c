"""The permission matrix (issue "submission and approval", point 5): every page and action, for
every role, inside and outside its scope. An object outside one's scope answers 404."""

import pytest
from django.urls import reverse

from organizations.models import Role
from reviews.models import Rating, Submission
from reviews.services import question_ask, suggestion_draft, suggestion_issue
from tests.factories import RoleAssignmentFactory, UserFactory

pytestmark = pytest.mark.django_db

ROLES = {
    "clerk": ("unit", Role.CLERK),
    "other_clerk": ("cell_unit", Role.CLERK),
    "secretary": ("cell", Role.CELL_SECRETARY),
    "board": ("bloc", Role.ORGANIZATION_BOARD),
    "inspection": ("bloc", Role.INSPECTION_COMMITTEE),
    "office": ("bloc", Role.OFFICE),
    "viewer": ("bloc", Role.VIEWER),
}
#: Those who draft suggestions (the Inspection Committee and the Board).
STAFF = {"board", "inspection"}


@pytest.fixture
def world(open_cycle, small_bloc):
    import datetime

    users = {}
    for name, (node, role) in ROLES.items():
        users[name] = UserFactory(username=name)
        RoleAssignmentFactory(user=users[name], organization=small_bloc[node], role=role)
    rating = Rating.objects.filter(pool__owner=small_bloc["unit"], subject_kind="member").first()
    suggestion = suggestion_draft(
        cycle=open_cycle,
        collective=small_bloc["collective"],
        title="Gợi ý",
        issues=["Một"],
        acting_user=None,
    )
    suggestion_issue(
        suggestion=suggestion,
        document_number="1-CV/ĐUK",
        issued_on=datetime.date(2021, 11, 1),
        acting_user=None,
    )
    question = question_ask(
        cycle=open_cycle, unit=small_bloc["unit"], title="Hỏi", text="?", acting_user=None
    )
    return {
        "users": users,
        "pool": rating.pool.pk,
        "rating": rating.pk,
        "submission": Submission.objects.get(organization=small_bloc["unit"]).pk,
        "unit": small_bloc["unit"].pk,
        "member": rating.member_id,
        "suggestion": suggestion.pk,
        "question": question.pk,
    }


# (page, its arguments) → the roles that may open it; everyone else gets 404 (outside the
# scope) or 403 (inside the scope but not their job).
PAGES = [
    ("reviews:pool", "pool", {"clerk", "secretary", "board", "inspection", "office", "viewer"}),
    (
        "reviews:pool-groups",
        "pool",
        {"clerk", "secretary", "board", "inspection", "office", "viewer"},
    ),
    (
        "reviews:rating-history",
        "rating",
        {"clerk", "secretary", "board", "inspection", "office", "viewer"},
    ),
    ("reviews:submission", "submission", {"clerk", "board", "inspection", "office", "viewer"}),
    ("organizations:detail", "unit", {"clerk", "board", "inspection", "office", "viewer"}),
    ("members:detail", "member", {"clerk", "secretary", "board", "inspection", "office", "viewer"}),
    ("reviews:suggestion", "suggestion", {"clerk", "board", "inspection", "office", "viewer"}),
    ("reviews:question", "question", {"clerk", "board", "inspection", "office", "viewer"}),
    ("reviews:dashboard", None, {"board", "inspection", "office", "viewer"}),
    ("reports:download-xlsx", "unit", {"clerk", "board", "inspection", "office", "viewer"}),
    # Pickers answer every role, each from its own scope (tests/test_pages.py checks the scope).
    ("members:picker", None, set(ROLES)),
    ("organizations:picker", None, set(ROLES)),
    ("reviews:suggestion-targets-can-bo", None, STAFF),
]


def url(name, key, world):
    if name == "reports:download-xlsx":
        return reverse("reports:download", args=[world["unit"], "xlsx"])
    if name == "reviews:suggestion-targets-can-bo":
        return reverse("reviews:suggestion-targets", args=["can-bo"])
    return reverse(name, args=[world[key]] if key else [])


@pytest.mark.parametrize("role", sorted(ROLES))
@pytest.mark.parametrize(("name", "key", "allowed"), PAGES, ids=[p[0] for p in PAGES])
def test_pages_by_role(client, world, role, name, key, allowed):
    client.force_login(world["users"][role])
    status = client.get(url(name, key, world)).status_code
    if role in allowed:
        assert status == 200
    else:
        assert status in (403, 404)


ACTIONS = [
    # (url name, key, data, roles whose request is accepted, i.e. not 403/404)
    (
        "reviews:rating-update",
        "rating",
        {"version": 1, "self_level": "HTTNV"},
        {"clerk", "secretary"},
    ),
    ("reviews:pool-finalize", "pool", {}, {"clerk"}),
    ("reviews:pool-take-proposals", "pool", {}, {"clerk"}),
    ("reviews:submission-act", "submission", {"action": "submit"}, {"clerk"}),
    ("reviews:submission-act", "submission", {"action": "approve"}, {"board"}),
    ("reviews:suggestion-act", "suggestion", {"action": "issue"}, {"board", "inspection"}),
]


@pytest.mark.parametrize("role", sorted(ROLES))
@pytest.mark.parametrize(
    ("name", "key", "data", "allowed"),
    ACTIONS,
    ids=[f"{a[0]}-{a[2].get('action', '')}" for a in ACTIONS],
)
def test_actions_by_role(client, world, role, name, key, data, allowed):
    client.force_login(world["users"][role])
    status = client.post(reverse(name, args=[world[key]]), data).status_code
    if role in allowed:
        assert status in (200, 302)
    else:
        assert status in (403, 404)


def test_anonymous_is_sent_to_the_login_page(client, world):
    for name, key, _allowed in PAGES:
        response = client.get(url(name, key, world))
        assert response.status_code == 302, name
        assert response.url.startswith(reverse("login"))
