"""A user works in the current cycle and may look back at another (issue #13, point 10)."""

import datetime

import pytest
from django.urls import reverse

from reviews.services import cycle_change_status, cycle_create
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_years(open_cycle, small_bloc):
    cycle_change_status(cycle=open_cycle, status="closed")
    current = cycle_create(organization=small_bloc["bloc"], year=2026, title="Kỳ năm 2026")
    current = cycle_change_status(cycle=current, status="open")
    return {"past": open_cycle, "current": current}


def test_home_opens_on_the_open_cycle_and_switches_on_request(client, two_years):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    home = client.get(reverse("home"))
    assert "Kỳ năm 2026" in home.text
    assert 'data-testid="cycle-menu"' in home.text
    response = client.post(reverse("cycle-choose"), {"cycle": two_years["past"].pk}, follow=True)
    assert "Kỳ kiểm điểm, đánh giá, xếp loại chất lượng năm 2021" in response.text
    assert client.get(reverse("reviews:pool-list")).context["cycle"] == two_years["past"]


def test_a_cycle_outside_the_users_blocs_is_refused(client, two_years):
    from tests.factories import BlocFactory, ReviewCycleFactory

    other = ReviewCycleFactory(organization=BlocFactory(), year=2026)
    user = UserFactory(is_superuser=False)
    client.force_login(user)
    response = client.post(reverse("cycle-choose"), {"cycle": other.pk}, follow=True)
    assert "Không có kỳ đánh giá này." in response.text


def test_roles_on_units_dissolved_since_still_show_their_past_cycle(client, two_years, small_bloc):
    """DOMAIN.md §15: after the reorganization a clerk keeps seeing the 2021 cycle through his
    role on the unit of that time, and works in 2026 through his role on its successor."""
    from organizations.models import Role
    from organizations.services import organization_update
    from tests.factories import RoleAssignmentFactory

    clerk = UserFactory()
    RoleAssignmentFactory(user=clerk, organization=small_bloc["unit"], role=Role.CLERK)
    organization_update(organization=small_bloc["unit"], dissolved_on=datetime.date(2025, 7, 1))
    client.force_login(clerk)
    client.post(reverse("cycle-choose"), {"cycle": two_years["past"].pk})
    pools = client.get(reverse("reviews:pool-list")).context["pools"]
    assert pools
    assert all(pool.cycle == two_years["past"] for pool, _quota in pools)


def test_a_notice_of_a_past_cycle_opens_its_page_in_that_cycle(client, two_years, small_bloc):
    """A suggestion issued in 2021, read while 2026 runs: the notice's link opens it."""
    from reviews.models import Notification
    from reviews.services import suggestion_draft, suggestion_issue
    from tests.factories import RoleAssignmentFactory

    clerk = UserFactory()
    RoleAssignmentFactory(user=clerk, organization=small_bloc["unit"], role="clerk")
    inspector = UserFactory(is_superuser=True)
    suggestion = suggestion_draft(
        cycle=two_years["past"],
        title="Gợi ý kiểm điểm năm 2021",
        issues=["Vấn đề thứ nhất"],
        collective=small_bloc["collective"],
        acting_user=inspector,
    )
    suggestion_issue(
        suggestion=suggestion,
        document_number="241-CV/ĐUK",
        issued_on=datetime.date(2021, 10, 28),
        acting_user=inspector,
    )
    link = Notification.objects.get(user=clerk).link
    assert link.endswith(f"?ky={two_years['past'].pk}")
    client.force_login(clerk)
    assert client.get(link).status_code == 200


def test_reading_the_notices_changes_nothing_and_the_button_marks_them_read(client, small_bloc):
    """A page view never writes (issue #18): the unread notices stay unread until the POST."""
    from reviews.models import Notification

    user = UserFactory()
    Notification.objects.create(user=user, message="Báo cáo bị trả lại.")
    client.force_login(user)
    page = client.get(reverse("notifications"))
    assert "Đánh dấu đã đọc tất cả" in page.text
    assert Notification.objects.filter(user=user, read_at__isnull=True).count() == 1
    response = client.post(reverse("notifications"), follow=True)
    assert "Đã đánh dấu 1 thông báo là đã đọc." in response.text
    assert not Notification.objects.filter(user=user, read_at__isnull=True).exists()
