"""The task register (issue #15, point 1): the shares the level conditions read are computed
from it and recorded on the rating with their history."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from organizations.models import Role
from reviews.models import Rating, SubjectKind, TaskItem, TaskQuality
from reviews.rules.tasks import task_shares
from reviews.services import cycle_change_status, cycle_create
from reviews.services.tasks import task_item_add, task_item_remove, task_item_update
from tests.factories import RoleAssignmentFactory, UserFactory

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 6, 30)


def item(due, done=None, quality="", beyond=False):
    return TaskItem(title="x", due_on=due, done_on=done, quality=quality, beyond_requirement=beyond)


def test_shares_count_done_to_quality_beyond_and_late():
    items = [
        item(DAY, DAY, TaskQuality.MEETS, beyond=True),
        item(DAY, DAY + datetime.timedelta(days=3), TaskQuality.MEETS),  # late
        item(DAY, DAY, TaskQuality.FAILS),  # done but not to quality
        item(DAY),  # not done, due passed: late
        item(DAY + datetime.timedelta(days=90)),  # not done, not yet due
    ]
    shares = task_shares(items, as_of=DAY + datetime.timedelta(days=10))
    assert shares == {
        "tasks_done_percent": Decimal("40.0"),
        "tasks_beyond_percent": Decimal("20.0"),
        "tasks_late_percent": Decimal("40.0"),
    }
    assert task_shares([], as_of=DAY) == {}


@pytest.fixture
def rating(small_bloc):
    cycle = cycle_create(organization=small_bloc["bloc"], year=2026, title="Kỳ 2026")
    cycle = cycle_change_status(cycle=cycle, status="open")
    return Rating.objects.get(
        cycle=cycle, member=small_bloc["members"][2], subject_kind=SubjectKind.MEMBER
    )


def test_the_register_sets_the_ratings_shares_with_their_history(rating):
    first = task_item_add(
        rating=rating, acting_user=None, title="Báo cáo quý", due_on=datetime.date(2026, 3, 31)
    )
    task_item_add(
        rating=rating,
        acting_user=None,
        title="Đề án",
        due_on=datetime.date(2026, 9, 30),
        done_on=datetime.date(2026, 9, 1),
        quality=TaskQuality.MEETS,
        beyond_requirement=True,
    )
    rating.refresh_from_db()
    assert (rating.tasks_done_percent, rating.tasks_beyond_percent) == (Decimal(50), Decimal(50))
    assert rating.tasks_late_percent == Decimal(50)  # the first, past its date, not done
    task_item_update(
        item=first, acting_user=None, done_on=datetime.date(2026, 3, 30), quality="meets"
    )
    rating.refresh_from_db()
    assert (rating.tasks_done_percent, rating.tasks_late_percent) == (Decimal(100), Decimal(0))
    change = rating.changes.filter(field="tasks_done_percent").first()
    assert change.reason == "Tính từ sổ theo dõi nhiệm vụ"
    task_item_remove(item=first, acting_user=None)
    assert TaskItem.objects.filter(rating=rating).count() == 1


def test_quality_needs_a_completion_date_and_a_title_is_required(rating):
    with pytest.raises(ValidationError):
        task_item_add(rating=rating, acting_user=None, title="", due_on=DAY)
    saved = task_item_add(
        rating=rating, acting_user=None, title="Việc", due_on=DAY, quality="meets"
    )
    assert saved.quality == ""  # not done: no quality yet


def test_the_clerk_keeps_the_register_and_a_viewer_cannot_see_it(client, rating, small_bloc):
    url = reverse("reviews:tasks", args=[rating.pk])
    clerk = UserFactory()
    RoleAssignmentFactory(user=clerk, organization=small_bloc["unit"], role=Role.CLERK)
    client.force_login(clerk)
    response = client.post(
        url, {"action": "add", "title": "Tham mưu đề án", "due_on": "30/09/2026", "quarter": "3"}
    )
    assert response.status_code == 302
    added = TaskItem.objects.get(rating=rating)
    assert (added.quarter, added.due_on) == (3, datetime.date(2026, 9, 30))
    done = client.post(
        url,
        {
            "action": "done",
            "item": str(added.pk),
            "title": added.title,
            "due_on": "30/09/2026",
            "quarter": "3",
            "done_on": "15/09/2026",
            "quality": "meets",
            "evidence": "Tờ trình số 12",
        },
    )
    assert done.status_code == 302
    assert "100%" in client.get(url).text
    viewer = UserFactory()
    RoleAssignmentFactory(user=viewer, organization=small_bloc["bloc"], role=Role.VIEWER)
    client.force_login(viewer)
    assert client.get(url).status_code == 404


def test_a_task_the_rating_cannot_take_is_refused_with_the_reason(rating, small_bloc):
    from reviews.models import Submission, SubmissionState

    Submission.objects.filter(cycle=rating.cycle, organization=small_bloc["unit"]).update(
        state=SubmissionState.SUBMITTED
    )
    with pytest.raises(ValidationError) as refused:
        task_item_add(rating=rating, acting_user=None, title="Việc dở dang", due_on=DAY)
    assert refused.value.error_list[0].code == "register_refused"
    assert refused.value.messages[0].startswith("Sổ nhiệm vụ chưa được ghi:")
    assert not TaskItem.objects.filter(rating=rating).exists()
