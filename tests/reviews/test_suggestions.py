import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from members.models import CollectiveMembership, SeatRole
from organizations.models import Role
from reviews.models import IssueState, Level, Notification, Rating, Submission, SuggestionState
from reviews.quota import pool_quota
from reviews.services import (
    issue_answer,
    issue_review,
    pool_finalize,
    ratings_record,
    suggestion_draft,
    suggestion_issue,
)
from reviews.services.submissions import submission_problems
from tests.factories import RoleAssignmentFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def inspector(small_bloc):
    user = UserFactory(username="ubkt")
    RoleAssignmentFactory(
        user=user, organization=small_bloc["bloc"], role=Role.INSPECTION_COMMITTEE
    )
    return user


@pytest.fixture
def issued(open_cycle, small_bloc, inspector):
    suggestion = suggestion_draft(
        cycle=open_cycle,
        collective=small_bloc["collective"],
        title="Gợi ý kiểm điểm Ban Chấp hành",
        issues=["Chậm triển khai Nghị quyết.", "", "Công tác kiểm tra còn hình thức."],
        acting_user=inspector,
    )
    return suggestion_issue(
        suggestion=suggestion,
        document_number="12-CV/ĐUK",
        issued_on=datetime.date(2021, 11, 1),
        acting_user=inspector,
    )


def test_draft_lists_issues_and_derives_the_answering_unit(issued, small_bloc):
    assert [i.order for i in issued.issues.all()] == [1, 2]
    assert issued.addressed_to == small_bloc["unit"]
    assert issued.state == SuggestionState.ISSUED


def test_only_a_leader_may_be_the_target_of_a_personal_suggestion(open_cycle, small_bloc):
    with pytest.raises(ValidationError) as error:
        suggestion_draft(
            cycle=open_cycle,
            member=small_bloc["members"][3],
            title="X",
            issues=["a"],
            acting_user=None,
        )
    assert error.value.code == "not_a_leader"


def test_answer_send_back_answer_again_accept(issued, clerk, inspector):
    first, second = issued.issues.all()
    issue_answer(
        issue=first,
        explanation="Đã khắc phục.",
        cause="Chủ quan",
        responsibility="BTV",
        acting_user=clerk,
    )
    with pytest.raises(ValidationError) as error:
        issue_review(issue=first, accept=False, comment="", acting_user=inspector)
    assert error.value.code == "comment_required"
    issue_review(
        issue=first, accept=False, comment="Nêu rõ trách nhiệm cá nhân.", acting_user=inspector
    )
    first.refresh_from_db()
    assert first.state == IssueState.REDO
    assert Notification.objects.filter(user=clerk, message__contains="làm lại").exists()
    issue_answer(
        issue=first,
        explanation="Bổ sung.",
        cause="",
        responsibility="Đ/c Bí thư",
        acting_user=clerk,
    )
    issue_review(issue=first, accept=True, comment="", acting_user=inspector)
    issue_answer(
        issue=second, explanation="Tiếp thu.", cause="", responsibility="", acting_user=clerk
    )
    issue_review(issue=second, accept=True, comment="", acting_user=inspector)
    issued.refresh_from_db()
    assert issued.state == SuggestionState.CLOSED
    actions = list(issued.events.order_by("pk").values_list("action", flat=True))
    assert actions == [
        "drafted",
        "issued",
        "answered",
        "sent_back",
        "answered",
        "accepted",
        "answered",
        "accepted",
        "closed",
    ]


def test_submission_refused_while_a_suggestion_is_unanswered(issued, open_cycle, small_bloc):
    submission = Submission.objects.get(cycle=open_cycle, organization=small_bloc["unit"])
    codes = {problem.code for problem in submission_problems(submission)}
    assert "suggestion_unanswered" in codes


def test_screens_scope_suggestions(client, issued, clerk, small_bloc, inspector):
    client.force_login(clerk)
    assert client.get(reverse("reviews:suggestion", args=[issued.pk])).status_code == 200
    response = client.post(
        reverse("reviews:suggestion-act", args=[issued.pk]),
        {
            "action": "answer",
            "issue": issued.issues.first().pk,
            f"issue{issued.issues.first().pk}-explanation": "Đã tiếp thu, sửa chữa.",
        },
    )
    assert response.status_code == 302
    assert issued.issues.first().explanation == "Đã tiếp thu, sửa chữa."
    # a clerk cannot review his own answers
    client.post(
        reverse("reviews:suggestion-act", args=[issued.pk]),
        {"action": "accept", "issue": issued.issues.first().pk},
    )
    assert issued.issues.first().state == IssueState.ANSWERED
    other = UserFactory(username="khac")
    RoleAssignmentFactory(user=other, organization=small_bloc["cell_unit"], role=Role.CLERK)
    client.force_login(other)
    assert client.get(reverse("reviews:suggestion", args=[issued.pk])).status_code == 404
    client.force_login(inspector)
    assert client.get(reverse("reviews:suggestion-create")).status_code == 200


def test_collective_is_decided_before_its_members(open_cycle, small_bloc):
    leader = small_bloc["leader"]
    CollectiveMembership.objects.create(
        collective=small_bloc["collective"],
        member=leader,
        position="Bí thư",
        role=SeatRole.HEAD,
        starts_on=datetime.date(2020, 7, 1),
    )
    leader_rating = Rating.objects.get(member=leader, subject_kind="leader")
    with pytest.raises(ValidationError) as error:
        ratings_record(
            cycle=open_cycle,
            changes={leader_rating.pk: {"decision_level": Level.GOOD}},
            acting_user=None,
        )
    assert error.value.code == "order_collective_first"
    collective_rating = Rating.objects.get(collective=small_bloc["collective"])
    ratings_record(
        cycle=open_cycle,
        changes={collective_rating.pk: {"decision_level": Level.GOOD}},
        acting_user=None,
    )
    with pytest.raises(ValidationError) as error:
        ratings_record(
            cycle=open_cycle,
            changes={leader_rating.pk: {"decision_level": Level.GOOD}},
            acting_user=None,
        )
    assert error.value.code == "order_unit_first"
    unit_rating = Rating.objects.get(organization=small_bloc["unit"])
    ratings_record(
        cycle=open_cycle,
        changes={
            unit_rating.pk: {"decision_level": Level.GOOD},
            leader_rating.pk: {"decision_level": Level.GOOD},
        },
        acting_user=None,
    )
    leader_rating.refresh_from_db()
    assert leader_rating.decision_level == Level.GOOD


def test_collective_disciplined_member_forces_not_completed(open_cycle, small_bloc):
    from members.models import DisciplineForm
    from tests.factories import DisciplineRecordFactory

    member = small_bloc["members"][4]
    CollectiveMembership.objects.create(
        collective=small_bloc["collective"],
        member=member,
        position="Ủy viên",
        starts_on=datetime.date(2020, 7, 1),
    )
    DisciplineRecordFactory(member=member, form=DisciplineForm.WARNING)
    rating = Rating.objects.get(collective=small_bloc["collective"])
    with pytest.raises(ValidationError) as error:
        ratings_record(
            cycle=open_cycle, changes={rating.pk: {"decision_level": Level.GOOD}}, acting_user=None
        )
    assert error.value.code == "rule_violation"
    ratings_record(
        cycle=open_cycle,
        changes={rating.pk: {"decision_level": Level.NOT_COMPLETED}},
        acting_user=None,
    )


def test_leader_quota_goes_through_the_same_service(open_cycle, small_bloc):
    rating = Rating.objects.get(member=small_bloc["leader"], subject_kind="leader")
    ratings_record(
        cycle=open_cycle,
        changes={rating.pk: {"decision_level": Level.EXCELLENT}},
        acting_user=None,
    )
    assert pool_quota(rating.pool).over_by == 1
    with pytest.raises(ValidationError) as error:
        pool_finalize(pool=rating.pool, acting_user=None)
    assert "quota_exceeded" in [e.code for e in error.value.error_list]


def test_the_target_picker_finds_leaders_by_name_post_and_unit(
    client, open_cycle, small_bloc, inspector, clerk
):
    """Issue "hardening": ~70 "name — position" entries with three identical "Giám đốc Sở";
    the picker searches and names each leader's unit."""
    url = reverse("reviews:suggestion-targets", args=["can-bo"])
    client.force_login(inspector)
    leader = small_bloc["leader"]
    page = client.get(url, {"q": leader.full_name.split()[-1]})
    assert page.status_code == 200
    assert f"{leader.full_name} — Giám đốc Sở — {small_bloc['unit'].name}" in page.text
    assert client.get(url, {"q": "không có ai tên này"}).text.count("<option") == 1
    collectives = client.get(reverse("reviews:suggestion-targets", args=["tap-the"]))
    assert small_bloc["collective"].name in collectives.text
    client.force_login(clerk)
    assert client.get(url).status_code == 404
    client.force_login(inspector)
    assert client.get(reverse("reviews:suggestion-targets", args=["khac"])).status_code == 404
