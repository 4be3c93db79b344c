import pytest
from django.urls import reverse

from organizations.models import Role
from tests.factories import (
    BlocFactory,
    CellFactory,
    GrassrootsCommitteeFactory,
    MemberFactory,
    RoleAssignmentFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_units():
    bloc = BlocFactory()
    first = GrassrootsCommitteeFactory(parent=bloc, name="Đảng bộ Sở Tài chính")
    second = GrassrootsCommitteeFactory(parent=bloc, name="Đảng bộ Sở Y tế")
    first_member = MemberFactory(organization=CellFactory(parent=first), full_name="Lê Thị Hoa")
    second_member = MemberFactory(organization=CellFactory(parent=second), full_name="Trần Văn Nam")
    clerk = UserFactory(username="canbo")
    RoleAssignmentFactory(user=clerk, organization=first, role=Role.CLERK)
    return {
        "bloc": bloc,
        "first": first,
        "second": second,
        "first_member": first_member,
        "second_member": second_member,
        "clerk": clerk,
    }


def test_login_page_speaks_vietnamese(client):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert response.headers["Content-Language"] == "vi"
    assert "Đăng nhập" in response.text
    assert "Tên đăng nhập" in response.text


def test_pages_need_a_login(client, two_units):
    for url in (
        reverse("home"),
        reverse("organizations:tree"),
        reverse("members:list"),
        reverse("members:detail", args=[two_units["first_member"].pk]),
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))


def test_home_shows_the_users_organization_and_no_cycle_message(client, two_units):
    client.force_login(two_units["clerk"])
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert "Đảng bộ Sở Tài chính" in response.text
    assert "Chưa có kỳ kiểm điểm" in response.text


def test_clerk_sees_only_his_subtree(client, two_units):
    client.force_login(two_units["clerk"])
    tree = client.get(reverse("organizations:tree")).text
    assert "Đảng bộ Sở Tài chính" in tree
    assert "Đảng bộ Sở Y tế" not in tree
    members = client.get(reverse("members:list")).text
    assert "Lê Thị Hoa" in members
    assert "Trần Văn Nam" not in members


def test_objects_outside_the_scope_answer_404(client, two_units):
    client.force_login(two_units["clerk"])
    other_member = two_units["second_member"]
    assert client.get(reverse("members:detail", args=[other_member.pk])).status_code == 404
    assert (
        client.get(reverse("organizations:detail", args=[two_units["second"].pk])).status_code
        == 404
    )
    assert (
        client.get(reverse("organizations:detail", args=[two_units["bloc"].pk])).status_code == 404
    )
    assert (
        client.get(reverse("members:detail", args=[two_units["first_member"].pk])).status_code
        == 200
    )


def test_member_search_matches_both_unicode_forms(client, two_units):
    import unicodedata

    client.force_login(two_units["clerk"])
    response = client.get(reverse("members:list"), {"q": unicodedata.normalize("NFD", "Thị Hoa")})
    assert "Lê Thị Hoa" in response.text


def test_member_list_query_count_does_not_grow_with_rows(
    client, two_units, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(two_units["clerk"])
    cell = two_units["first_member"].organization
    with CaptureQueriesContext(connection) as one_row:
        client.get(reverse("members:list"))
    for _ in range(20):
        MemberFactory(organization=cell)
    with django_assert_max_num_queries(len(one_row.captured_queries)):
        client.get(reverse("members:list"))


def test_vietnamese_is_shown_whatever_the_browser_asks(client):
    response = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response.headers["Content-Language"] == "vi"
    assert "Đăng nhập" in response.text


def test_english_when_chosen_with_the_switch(client):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    response = client.get(reverse("login"))
    assert response.headers["Content-Language"] == "en"


def test_pickers_search_within_the_users_scope_only(client, small_bloc, open_cycle):
    from django.urls import reverse

    from organizations.models import Role
    from tests.factories import RoleAssignmentFactory, UserFactory

    clerk = UserFactory(username="canbo.chon")
    RoleAssignmentFactory(user=clerk, organization=small_bloc["unit"], role=Role.CLERK)
    client.force_login(clerk)
    inside, outside = small_bloc["members"][3], small_bloc["direct"][0]
    options = client.get(reverse("members:picker"), {"q": inside.full_name}).text
    assert inside.full_name in options
    options = client.get(reverse("members:picker"), {"q": outside.full_name}).text
    assert outside.full_name not in options
    units = client.get(reverse("organizations:picker")).text
    assert small_bloc["unit"].name in units
    assert small_bloc["cell_unit"].name not in units
    cells = client.get(reverse("organizations:picker"), {"loai": "chi-bo"}).text
    assert small_bloc["sub_cell"].name in cells
    # The member list's search box and the unit picker's box do not mix in the query string.
    page = client.get(reverse("members:list"), {"q": inside.full_name})
    assert 'form="id_to_chuc-tim-rieng"' in page.text
    assert [m.pk for m in page.context["members"]] == [inside.pk]


def test_the_health_check_answers_without_a_login_and_reaches_the_database(client):
    response = client.get("/suc-khoe/")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "signed_in": False}
    assert "no-cache" in response["Cache-Control"]


def test_the_health_check_says_503_when_the_database_fails(client, monkeypatch):
    from django.db.backends.utils import CursorWrapper

    def broken(*args, **kwargs):
        raise OSError("database down")

    monkeypatch.setattr(CursorWrapper, "execute", broken)
    response = client.get("/suc-khoe/")
    assert response.status_code == 503
