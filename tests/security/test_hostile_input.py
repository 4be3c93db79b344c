"""The cases the attacker's trial found, each pinned (issue "hardening"): NUL characters, ids that
are not numbers, a file missing on disk, oversized requests, dates in the future, error pages."""

import datetime
import json
import logging

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import path, reverse
from django.utils import timezone

from config.logs import JsonFormatter
from members.services import member_create
from organizations.models import Role
from reviews.models import DossierItem, Question, Submission, Suggestion
from reviews.services import dossier_item_add, guiding_document_publish, suggestion_draft
from tests.factories import RoleAssignmentFactory, UserFactory

pytestmark = pytest.mark.django_db

NUL = "Nguyễn\x00Văn"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def board(small_bloc, client):
    user = UserFactory(username="btc")
    RoleAssignmentFactory(user=user, organization=small_bloc["bloc"], role=Role.ORGANIZATION_BOARD)
    RoleAssignmentFactory(
        user=user, organization=small_bloc["bloc"], role=Role.INSPECTION_COMMITTEE
    )
    return user


@pytest.mark.parametrize(
    ("name", "params"),
    [("members:list", {"q": NUL}), ("organizations:tree", {"q": NUL})],
)
def test_searches_with_a_nul_character_answer_400(client, open_cycle, clerk, name, params):
    client.force_login(clerk)
    response = client.get(reverse(name), params)
    assert response.status_code == 400
    assert "Yêu cầu không hợp lệ" in response.text


def test_a_nul_in_a_posted_text_changes_nothing(client, open_cycle, small_bloc, clerk, board):
    submission = Submission.objects.get(cycle=open_cycle, organization=small_bloc["unit"])
    suggestion = suggestion_draft(
        cycle=open_cycle,
        collective=small_bloc["collective"],
        title="Gợi ý",
        issues=["Vấn đề một"],
        acting_user=board,
    )
    client.force_login(board)
    posts = [
        (reverse("reviews:submission-act", args=[submission.pk]), {"action": "return"}),
        (reverse("reviews:suggestion-act", args=[suggestion.pk]), {"action": "edit"}),
    ]
    for url, data in posts:
        field = "comment" if "thao-tac" in url and "bao-cao" in url else "title"
        response = client.post(url, {**data, field: NUL, "issues": NUL})
        assert response.status_code == 400, url
    client.force_login(clerk)
    response = client.post(
        reverse("reviews:question-create"),
        {"unit": small_bloc["unit"].pk, "title": NUL, "text": NUL},
    )
    assert response.status_code == 400
    assert not Question.objects.exists()
    suggestion.refresh_from_db()
    assert suggestion.title == "Gợi ý"
    assert Suggestion.objects.count() == 1


def test_ids_that_are_not_numbers_answer_404(
    client, open_cycle, small_bloc, board, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    guiding_document_publish(
        cycle=open_cycle,
        title="Công văn",
        upload=SimpleUploadedFile("cv.pdf", PDF, "application/pdf"),
        acting_user=board,
    )
    suggestion = suggestion_draft(
        cycle=open_cycle,
        collective=small_bloc["collective"],
        title="Gợi ý",
        issues=["Vấn đề một"],
        acting_user=board,
    )
    client.force_login(board)
    for value in ("abc", "-1", "9" * 40, "1.5"):
        response = client.post(reverse("reviews:documents"), {"withdraw": value})
        assert response.status_code == 404, value
        response = client.post(
            reverse("reviews:suggestion-act", args=[suggestion.pk]),
            {"action": "accept", "issue": value},
        )
        assert response.status_code == 404, value


def test_a_dossier_item_missing_on_disk_answers_404_not_500(
    client, open_cycle, small_bloc, clerk, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    submission = Submission.objects.get(cycle=open_cycle, organization=small_bloc["unit"])
    item = dossier_item_add(
        submission=submission,
        kind="minutes",
        upload=SimpleUploadedFile("bien-ban.pdf", PDF, "application/pdf"),
        acting_user=clerk,
    )
    client.force_login(clerk)
    url = reverse("reviews:dossier-download", args=[item.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    (tmp_path / DossierItem.objects.get(pk=item.pk).file.name).unlink()
    assert client.get(url).status_code == 404


def test_a_request_larger_than_the_limit_is_refused_before_it_is_read(client, clerk, settings):
    settings.REQUEST_MAX_BYTES = 1024
    client.force_login(clerk)
    response = client.post(
        reverse("reviews:question-create"), {"text": "x" * 5000}, HTTP_CONTENT_LENGTH="5000"
    )
    assert response.status_code == 413
    assert "Tệp quá lớn" in response.text


def test_an_admission_in_the_future_is_refused(small_bloc):
    future = timezone.localdate() + datetime.timedelta(days=400)
    with pytest.raises(ValidationError) as error:
        member_create(
            organization=small_bloc["cell"],
            full_name="Lê Văn Tương Lai",
            gender="M",
            date_of_birth=datetime.date(1990, 1, 1),
            admitted_on=future,
        )
    assert [e.code for e in error.value.error_dict["admitted_on"]] == ["date_in_future"]


def _fail(request):
    raise RuntimeError("boom")


urlpatterns = [path("hong/", _fail)]
handler500 = "config.errors.server_error"


@override_settings(ROOT_URLCONF=__name__, DEBUG=False)
def test_the_500_page_is_vietnamese_with_a_reference_found_in_the_log(client, caplog):
    client.raise_request_exception = False
    with caplog.at_level(logging.ERROR, logger="kiemdiem.errors"):
        response = client.get("/hong/")
    assert response.status_code == 500
    assert "Hệ thống gặp lỗi" in response.text
    record = next(r for r in caplog.records if r.name == "kiemdiem.errors")
    assert record.reference in response.text
    logged = json.loads(JsonFormatter().format(record))
    assert (logged["reference"], logged["path"]) == (record.reference, "/hong/")
    assert "RuntimeError: boom" in logged["exception"]


def test_error_pages_are_vietnamese_with_a_way_back(client, clerk, open_cycle):
    client.force_login(clerk)
    response = client.get("/khong-co-trang-nay/")
    assert response.status_code == 404
    assert "Không tìm thấy" in response.text
    assert 'href="/"' in response.text
    response = client.get(reverse("reviews:dashboard"))
    assert response.status_code == 403
    assert "Bạn không có quyền thực hiện thao tác này" in response.text


def test_a_csrf_failure_is_explained_in_vietnamese(clerk):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(clerk)
    response = strict.post(reverse("reviews:question-create"), {"title": "x"})
    assert response.status_code == 403
    assert "Phiên làm việc đã hết hạn" in response.text
