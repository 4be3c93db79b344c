import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from organizations.models import Role
from reviews.models import Notification, Question, QuestionState
from reviews.services import guiding_document_publish, question_act, question_ask
from tests.factories import RoleAssignmentFactory, UserFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n%%EOF\n"


@pytest.fixture
def board(small_bloc):
    user = UserFactory(username="btc")
    RoleAssignmentFactory(user=user, organization=small_bloc["bloc"], role=Role.ORGANIZATION_BOARD)
    return user


@pytest.fixture
def other_clerk(small_bloc):
    user = UserFactory(username="canbo2")
    RoleAssignmentFactory(user=user, organization=small_bloc["cell_unit"], role=Role.CLERK)
    return user


@pytest.fixture
def question(open_cycle, small_bloc, clerk):
    return question_ask(
        cycle=open_cycle,
        unit=small_bloc["unit"],
        title="Đảng viên nghỉ ốm dài ngày",
        text="Đồng chí nghỉ ốm 4 tháng có được xếp loại không?",
        member=small_bloc["members"][2],
        rule="HD 21-HD/BTCTW",
        acting_user=clerk,
    )


def test_every_state_change_is_recorded(question, board, clerk):
    question_act(
        question=question, action="ask_back", text="Nghỉ liên tục hay cộng dồn?", acting_user=board
    )
    question_act(question=question, action="reply", text="Cộng dồn 4 tháng.", acting_user=clerk)
    question_act(
        question=question,
        action="answer",
        text="Vẫn xếp loại, tối đa HTNV.",
        share=True,
        acting_user=board,
    )
    question_act(question=question, action="close", acting_user=clerk)
    question.refresh_from_db()
    assert question.state == QuestionState.CLOSED
    assert question.is_shared
    assert question.first_answered_at is not None
    kinds = list(question.messages.values_list("kind", "changed_by__username"))
    assert kinds == [
        ("asked", "canbo"),
        ("asked_back", "btc"),
        ("replied", "canbo"),
        ("answered", "btc"),
        ("shared", "btc"),
        ("closed", "canbo"),
    ]
    assert Notification.objects.filter(user=clerk, message__contains="trả lời").exists()


def test_transitions_outside_the_table_are_refused(question, clerk):
    with pytest.raises(ValidationError) as error:
        question_act(question=question, action="reply", text="x", acting_user=clerk)
    assert error.value.code == "transition_not_allowed"


def test_a_member_of_another_unit_cannot_be_the_subject(open_cycle, small_bloc, clerk):
    with pytest.raises(ValidationError) as error:
        question_ask(
            cycle=open_cycle,
            unit=small_bloc["unit"],
            title="X",
            text="Y",
            member=small_bloc["direct"][0],
            acting_user=clerk,
        )
    assert error.value.code == "member_out_of_scope"


def test_a_unit_sees_only_its_questions_and_the_shared_answers(
    client, question, board, other_clerk, open_cycle, small_bloc
):
    client.force_login(other_clerk)
    assert client.get(reverse("reviews:question", args=[question.pk])).status_code == 404
    listing = client.get(reverse("reviews:questions"))
    assert question.title not in listing.text
    question_act(
        question=question, action="answer", text="Tối đa HTNV.", share=True, acting_user=board
    )
    assert client.get(reverse("reviews:question", args=[question.pk])).status_code == 200
    listing = client.get(reverse("reviews:questions"))
    assert [q.pk for q in listing.context["shared"]] == [question.pk]
    assert list(listing.context["questions"]) == []
    # …and may not act on it
    response = client.post(reverse("reviews:question", args=[question.pk]), {"action": "close"})
    assert response.status_code == 403


def test_board_answers_through_the_screen(client, question, board):
    client.force_login(board)
    response = client.post(
        reverse("reviews:question", args=[question.pk]),
        {"action": "answer", "text": "Được xếp loại, tối đa HTNV.", "share": "1"},
    )
    assert response.status_code == 302
    question.refresh_from_db()
    assert (question.state, question.is_shared) == (QuestionState.ANSWERED, True)


def test_documents_are_published_for_every_unit(
    client, open_cycle, board, other_clerk, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    document = guiding_document_publish(
        cycle=open_cycle,
        title="Công văn 897-CV/ĐUK",
        number="897-CV/ĐUK",
        upload=SimpleUploadedFile("cv897.pdf", PDF),
        acting_user=board,
    )
    client.force_login(other_clerk)
    assert "Công văn 897-CV/ĐUK" in client.get(reverse("reviews:documents")).text
    response = client.get(reverse("reviews:document-download", args=[document.pk]))
    assert b"".join(response.streaming_content) == PDF
    assert client.post(reverse("reviews:documents"), {"title": "x"}).status_code == 403


def test_clerk_asks_through_the_screen(client, clerk, small_bloc, open_cycle):
    client.force_login(clerk)
    response = client.post(
        reverse("reviews:question-create"),
        {"unit": small_bloc["unit"].pk, "title": "Khó khăn", "text": "Nội dung"},
    )
    assert response.status_code == 302
    assert Question.objects.get().unit == small_bloc["unit"]


def test_a_shared_answer_shows_other_units_neither_the_thread_nor_the_member_nor_the_file(
    client, open_cycle, small_bloc, clerk, board, other_clerk
):
    question = question_ask(
        cycle=open_cycle,
        unit=small_bloc["unit"],
        title="Đảng viên nghỉ ốm dài ngày",
        text="Đồng chí Nguyễn Văn Riêng Tư nghỉ ốm 4 tháng có được xếp loại không?",
        member=small_bloc["members"][2],
        attachment=SimpleUploadedFile("giay-nghi-om.pdf", PDF, "application/pdf"),
        acting_user=clerk,
    )
    question_act(
        question=question,
        action="answer",
        text="Vẫn xếp loại, tối đa HTNV.",
        share=True,
        acting_user=board,
    )
    attachment = question.attachments.get()
    client.force_login(other_clerk)
    page = client.get(reverse("reviews:question", args=[question.pk]))
    assert page.status_code == 200
    assert "Vẫn xếp loại, tối đa HTNV." in page.text
    for private in (
        "Nguyễn Văn Riêng Tư",
        small_bloc["members"][2].full_name,
        "giay-nghi-om.pdf",
        small_bloc["unit"].name,
    ):
        assert private not in page.text
    download = reverse("reviews:question-attachment", args=[attachment.pk])
    assert client.get(download).status_code == 404
    listing = client.get(reverse("reviews:questions"))
    assert "Vẫn xếp loại, tối đa HTNV." in listing.text
    assert small_bloc["unit"].name not in listing.text
    # The asking unit still sees everything.
    client.force_login(clerk)
    page = client.get(reverse("reviews:question", args=[question.pk]))
    assert "Nguyễn Văn Riêng Tư" in page.text
    assert client.get(download).status_code == 200
