"""Re-rating by the competent body after later findings (QĐ 366-QĐ/TW, Điều 15; Mẫu 03)."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from docx import Document

from reports.selectors import report_data
from reviews.models import Criterion, Framework, Level, Rating, ReRating, ShortcomingsFixed
from reviews.services import cycle_change_status, cycle_create, pool_finalize, ratings_record
from reviews.services.rerating import rating_rerate
from tests.reports.test_pdf import pdf_text, squeeze

pytestmark = pytest.mark.django_db
DECIDED_ON = datetime.date(2026, 11, 30)


@pytest.fixture
def decided(small_bloc, clerk):
    """A 2026 member decided HTTNV with 80 points, in a finalized pool."""
    cycle = cycle_change_status(
        cycle=cycle_create(organization=small_bloc["bloc"], year=2026, title="Kỳ 2026"),
        status="open",
    )
    rating = Rating.objects.get(cycle=cycle, member=small_bloc["members"][2], subject_kind="member")
    criteria = Criterion.objects.filter(cycle=cycle, framework=Framework.MEMBER).order_by("order")
    points = dict(zip([c.pk for c in criteria], ["8", "8", "8", "40", "16"], strict=True))
    ratings_record(
        cycle=cycle,
        changes={
            rating.pk: {
                "decision_level": Level.GOOD,
                "tasks_done_percent": Decimal(100),
                "tasks_late_percent": Decimal(0),
                "tasks_beyond_percent": Decimal(5),
                "shortcomings_fixed": ShortcomingsFixed.FIXED,
            }
        },
        scores={rating.pk: {pk: {"decided_points": v} for pk, v in points.items()}},
        acting_user=clerk,
    )
    for other in Rating.objects.filter(pool=rating.pool, not_rated_reason="", decision_level=""):
        ratings_record(
            cycle=cycle, changes={other.pk: {"decision_level": Level.COMPLETED}}, acting_user=clerk
        )
    pool_finalize(pool=rating.pool, acting_user=clerk)
    rating.refresh_from_db()
    return rating


def test_rerating_replaces_the_result_and_keeps_the_first_in_the_history_dieu_15(
    decided, clerk, small_bloc
):
    rerating = rating_rerate(
        rating=decided,
        level=Level.NOT_COMPLETED,
        findings="kết luận của Ủy ban Kiểm tra về vi phạm phát hiện sau khi xếp loại",
        reference="45-QĐ/ĐU",
        decided_on=DECIDED_ON,
        acting_user=clerk,
    )
    decided.refresh_from_db()
    assert decided.decision_level == Level.NOT_COMPLETED
    assert (rerating.old_level, rerating.new_level) == (Level.GOOD, Level.NOT_COMPLETED)
    change = decided.changes.filter(field="decision_level").first()
    assert (change.old_value, change.new_value) == (Level.GOOD, Level.NOT_COMPLETED)
    assert "45-QĐ/ĐU" in change.reason
    data = report_data(decided.cycle, small_bloc["bloc"], with_lists=False)
    assert data is not None  # the reports read the new level (decision_level)


def test_rerating_to_a_level_the_score_does_not_reach_is_refused_dieu_11_15(decided, clerk):
    with pytest.raises(ValidationError) as error:
        rating_rerate(
            rating=decided,
            level=Level.EXCELLENT,
            findings="đề nghị của chi bộ",
            reference="46-QĐ/ĐU",
            decided_on=DECIDED_ON,
            acting_user=clerk,
        )
    assert error.value.code == "rule_violation"
    assert not ReRating.objects.exists()


@pytest.mark.parametrize(
    ("fields", "code"),
    [
        ({"level": Level.GOOD}, "same_level"),
        ({"findings": " "}, "rerating_needs_reason"),
        ({"decided_on": datetime.date(2099, 1, 1)}, "decided_in_future"),
    ],
)
def test_bad_rerating_is_refused(decided, clerk, fields, code):
    values = {
        "level": Level.COMPLETED,
        "findings": "kết luận mới",
        "reference": "47-QĐ/ĐU",
        "decided_on": DECIDED_ON,
        **fields,
    }
    with pytest.raises(ValidationError) as error:
        rating_rerate(rating=decided, acting_user=clerk, **values)
    assert error.value.code == code


def test_the_clerk_rerates_on_the_history_page_and_prints_the_decision(
    client, decided, clerk, tmp_path
):
    client.force_login(clerk)
    url = reverse("reviews:rating-history", args=[decided.pk])
    assert "Xếp loại lại khi có kết luận mới" in client.get(url).text
    response = client.post(
        url,
        {
            "level": Level.COMPLETED,
            "findings": "kết luận thanh tra về kết quả thực hiện nhiệm vụ.",
            "reference": "48-QĐ/ĐU",
            "decided_on": "30/11/2026",
        },
        follow=True,
    )
    assert "Đã ghi quyết định xếp loại lại." in response.text
    rerating = ReRating.objects.get()
    pdf = client.get(reverse("reports:rerating-document", args=[rerating.pk, "pdf"]))
    assert pdf.status_code == 200
    text = squeeze(pdf_text(pdf.content, tmp_path))
    assert "QUYẾT ĐỊNH" in text
    assert "Số 48-QĐ/ĐU" in text
    assert "Hủy bỏ kết quả xếp loại chất lượng năm 2026 “Hoàn thành tốt nhiệm vụ”" in text
    assert "“Hoàn thành nhiệm vụ”" in text
    assert "Xét kết luận thanh tra về kết quả thực hiện nhiệm vụ;" in text  # one stop, not “.;”
    word = client.get(reverse("reports:rerating-document", args=[rerating.pk, "docx"]))
    assert word["Content-Disposition"].endswith(f'quyet-dinh-xep-loai-lai-{rerating.pk}.docx"')
    document = Document(io.BytesIO(word.content))
    paragraphs = [p.text for p in document.paragraphs]
    assert "QUYẾT ĐỊNH" in paragraphs
    assert any(p.startswith("Điều 2. Xếp loại lại chất lượng năm 2026") for p in paragraphs)
    assert "Số 48-QĐ/ĐU" in document.tables[0].rows[0].cells[0].text
    assert (
        client.get(reverse("reports:rerating-document", args=[rerating.pk, "odt"])).status_code
        == 404
    )
