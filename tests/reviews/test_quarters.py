"""Quarterly evaluation (issue #15, points 2–3): Q1–Q3 self-assessed and assessed by the
manager, deadlines of KL 198, and the two roll-up rules at their edges (off by default)."""

import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from docx import Document

from organizations.models import Role
from reviews.models import Level, QuarterAssessment, Rating, SubjectKind, quarter_deadline
from reviews.rules.quarters import needs_personnel_attention, quarter_limits
from reviews.selectors import eligibilities
from reviews.selectors.quarters import personnel_flags, quarters_overview
from reviews.services import cycle_change_status, cycle_create, ratings_record
from reviews.services.quarters import quarter_assess, quarter_self_assess
from tests.factories import RoleAssignmentFactory, UserFactory
from tests.reports.test_pdf import needs_poppler, pdf_text, squeeze

pytestmark = pytest.mark.django_db

K, X, T, H = Level.NOT_COMPLETED, Level.EXCELLENT, Level.GOOD, Level.COMPLETED


def cycle_of(bloc, **settings):
    made = cycle_create(organization=bloc, year=2026, title="Kỳ đánh giá 2026", **settings)
    return cycle_change_status(cycle=made, status="open")


def assess(rating, levels):
    for quarter, level in enumerate(levels, start=1):
        if level is not None:
            quarter_assess(
                rating=rating, quarter=quarter, level=level, comment="", acting_user=None
            )


def member_rating(cycle, member):
    return Rating.objects.get(cycle=cycle, member=member, subject_kind=SubjectKind.MEMBER)


def test_deadlines_are_the_15th_of_each_quarters_last_month():
    assert [quarter_deadline(2026, q) for q in (1, 2, 3)] == [
        datetime.date(2026, 3, 15),
        datetime.date(2026, 6, 15),
        datetime.date(2026, 9, 15),
    ]


@pytest.mark.parametrize(
    ("results", "barred"),
    [
        ((T, T, T), False),
        ((K, T, T), True),
        ((T, T, K), True),
        (("", "", ""), False),  # nothing assessed yet
        ((H, H, H), False),
    ],
)
def test_one_failed_quarter_bars_excellent_only_when_adopted(results, barred):
    adopted = quarter_limits(results, bars_excellent=True)
    assert bool(adopted) == barred
    if barred:
        assert adopted[0].max_level == Level.GOOD
    assert quarter_limits(results, bars_excellent=False) == ()


@pytest.mark.parametrize(
    ("results", "flagged"),
    [
        ((K, K, T), True),
        ((T, K, K), True),
        ((K, T, K), False),  # not consecutive
        ((K, "", K), False),
        ((T, T, K), False),
    ],
)
def test_two_consecutive_failed_quarters_flag_the_person(results, flagged):
    assert needs_personnel_attention(results) == flagged


def test_a_failed_quarter_caps_the_year_when_the_cycle_adopts_the_rule(small_bloc):
    cycle = cycle_of(small_bloc["bloc"], quarter_bars_excellent=True)
    rating = member_rating(cycle, small_bloc["members"][2])
    assert eligibilities([rating], cycle=cycle)[0].allows(X)
    assess(rating, [T, K, None])
    verdict = eligibilities([rating], cycle=cycle)[0]
    assert not verdict.allows(X)
    assert verdict.allows(T)
    assert "Quý 2" in verdict.limits[-1].message
    with pytest.raises(ValidationError) as refused:
        ratings_record(cycle=cycle, changes={rating.pk: {"decision_level": X}}, acting_user=None)
    assert refused.value.error_list[0].code == "rule_violation"


def test_by_default_quarters_do_not_touch_the_year(small_bloc):
    cycle = cycle_of(small_bloc["bloc"])
    rating = member_rating(cycle, small_bloc["members"][2])
    assess(rating, [K, K, K])
    assert eligibilities([rating], cycle=cycle)[0].allows(X)
    assert personnel_flags(cycle, Rating.objects.filter(cycle=cycle)) == []


def test_the_board_sees_who_to_report_and_the_quarters_progress(small_bloc):
    cycle = cycle_of(small_bloc["bloc"], quarters_flag_personnel=True)
    flagged, fine = (member_rating(cycle, m) for m in small_bloc["members"][2:4])
    quarter_self_assess(
        rating=fine, quarter=1, tasks="A", results="B", self_level=T, acting_user=None
    )
    assess(flagged, [T, K, K])
    assess(fine, [K, T, K])
    (flag,) = personnel_flags(cycle, Rating.objects.filter(cycle=cycle))
    assert (flag.rating, flag.results) == (flagged, (T, K, K))
    overview = {q.quarter: q for q in quarters_overview(cycle)}
    assert (overview[1].self_assessed, overview[1].assessed) == (1, 2)
    assert (overview[2].not_completed, overview[3].not_completed) == (1, 2)


def test_the_dashboard_links_a_flagged_persons_quarters_only_for_their_readers(client, small_bloc):
    """The walk-through found the Office and the viewers offered a link that answers 404:
    they read the name, the Board follows it."""
    cycle = cycle_of(small_bloc["bloc"], quarters_flag_personnel=True)
    flagged = member_rating(cycle, small_bloc["members"][2])
    assess(flagged, [T, K, K])
    link = reverse("reviews:quarters", args=[flagged.pk])
    for role, linked in ((Role.ORGANIZATION_BOARD, True), (Role.VIEWER, False)):
        user = UserFactory()
        RoleAssignmentFactory(user=user, organization=small_bloc["bloc"], role=role)
        client.force_login(user)
        page = client.get(reverse("reviews:dashboard")).text
        assert flagged.member.full_name in page
        assert (link in page) is linked, role
        assert client.get(link).status_code == (200 if linked else 404)


def test_the_self_assessment_stands_once_assessed_and_q4_is_refused(small_bloc):
    cycle = cycle_of(small_bloc["bloc"])
    rating = member_rating(cycle, small_bloc["members"][2])
    row = quarter_self_assess(
        rating=rating,
        quarter=1,
        tasks="Nhiệm vụ",
        results="Kết quả",
        self_level=T,
        acting_user=None,
    )
    assert row.self_submitted_at is not None
    quarter_assess(rating=rating, quarter=1, level=H, comment="Cần cố gắng", acting_user=None)
    with pytest.raises(ValidationError) as assessed:
        quarter_self_assess(
            rating=rating, quarter=1, tasks="Sửa", results="", self_level=X, acting_user=None
        )
    assert assessed.value.error_list[0].code == "quarter_assessed"
    with pytest.raises(ValidationError) as fourth:
        quarter_self_assess(
            rating=rating, quarter=4, tasks="", results="", self_level=T, acting_user=None
        )
    assert fourth.value.error_list[0].code == "quarter_invalid"
    with pytest.raises(ValidationError) as stale:
        quarter_assess(
            rating=rating, quarter=1, level=T, comment="", acting_user=None, expected_version=1
        )
    assert stale.value.error_list[0].code == "stale_quarter"


def test_who_writes_and_who_assesses_a_quarter(client, small_bloc):
    cycle = cycle_of(small_bloc["bloc"])
    rating = member_rating(cycle, small_bloc["members"][2])  # in small_bloc["cell"]
    url = reverse("reviews:quarters", args=[rating.pk])
    self_part = {"quarter": "1", "part": "self", "tasks": "A", "results": "B", "self_level": T}
    manager_part = {"quarter": "1", "part": "manager", "manager_level": T}

    def user_with(role, where):
        user = UserFactory()
        RoleAssignmentFactory(user=user, organization=small_bloc[where], role=role)
        return user

    secretary = user_with(Role.CELL_SECRETARY, "cell")
    client.force_login(secretary)
    assert client.post(url, self_part).status_code == 403
    assert client.post(url, manager_part).status_code == 302
    assert QuarterAssessment.objects.get(rating=rating, quarter=1).manager_level == T
    client.force_login(user_with(Role.VIEWER, "bloc"))
    assert client.get(url).status_code == 404
    client.force_login(user_with(Role.CELL_SECRETARY, "sub_cell"))
    assert client.get(url).status_code == 404
    client.force_login(user_with(Role.CLERK, "unit"))
    page = client.get(url)
    assert "Hoàn thành tốt nhiệm vụ" in page.text
    year_form = client.get(reverse("reviews:self-review", args=[rating.pk]))
    assert 'data-testid="quarter-results"' in year_form.text


def test_clerks_are_reminded_of_the_quarter_for_those_not_assessed(small_bloc, clerk, mailoutbox):
    from reviews.models import Notification
    from reviews.services.reminders import send_quarter_reminders

    clerk.email = "canbo@example.org"
    clerk.save()
    cycle = cycle_of(small_bloc["bloc"])
    waiting = Rating.objects.filter(
        cycle=cycle, unit__path__startswith=small_bloc["unit"].path, not_rated_reason=""
    ).filter(subject_kind__in=[SubjectKind.MEMBER, SubjectKind.LEADER])
    first = waiting.order_by("pk").first()
    assess(first, [T])
    sent = send_quarter_reminders(cycle=cycle, quarter=1, today=datetime.date(2026, 3, 10))
    assert sent.messages == 1
    (note,) = Notification.objects.filter(user=clerk)
    assert f"{waiting.count() - 1} người" in note.message
    assert "hạn 15/03/2026 (còn 5 ngày)" in note.message


@needs_poppler
def test_a_quarter_prints_as_form_05_in_pdf_and_word(client, small_bloc, tmp_path):
    """Mẫu 05: the quarter's tasks (with those of the register due in it), results, the level
    proposed and the manager's assessment, signed by both; 404 for one who may not read it."""
    from reviews.services.tasks import task_item_add

    cycle = cycle_of(small_bloc["bloc"])
    rating = member_rating(cycle, small_bloc["members"][2])
    quarter_self_assess(
        rating=rating,
        quarter=2,
        tasks="Tham mưu đề án chuyển đổi số.",
        results="Hoàn thành đúng hạn.",
        self_level=T,
        acting_user=None,
    )
    quarter_assess(rating=rating, quarter=2, level=T, comment="Chủ động.", acting_user=None)
    task_item_add(
        rating=rating,
        acting_user=None,
        title="Báo cáo sơ kết",
        quarter=2,
        due_on=datetime.date(2026, 6, 30),
    )
    clerk = UserFactory()
    RoleAssignmentFactory(user=clerk, organization=small_bloc["unit"], role=Role.CLERK)
    client.force_login(clerk)
    page = client.get(reverse("reviews:quarters", args=[rating.pk])).text
    pdf_url = reverse("reports:quarter-document", args=[rating.pk, 2, "pdf"])
    assert pdf_url in page
    pdf = client.get(pdf_url)
    assert pdf["Content-Type"] == "application/pdf"
    text = squeeze(pdf_text(pdf.content, tmp_path))
    for expected in (
        "BẢN TỰ ĐÁNH GIÁ XẾP LOẠI CỦA CÁ NHÂN",
        "Quý II, năm 2026",
        "Tham mưu đề án chuyển đổi số.",
        "Báo cáo sơ kết",
        "Chủ động.",
        "NGƯỜI QUẢN LÝ TRỰC TIẾP",
        "NGƯỜI TỰ ĐÁNH GIÁ",
        rating.member.full_name,
    ):
        assert expected in text, expected
    assert text.count("Hoàn thành tốt nhiệm vụ") == 2
    word = client.get(reverse("reports:quarter-document", args=[rating.pk, 2, "docx"]))
    document = Document(io.BytesIO(word.content))
    paragraphs = [p.text for p in document.paragraphs]
    assert "BẢN TỰ ĐÁNH GIÁ XẾP LOẠI CỦA CÁ NHÂN" in paragraphs
    assert "Quý II, năm 2026" in paragraphs
    *_, register, signature = document.tables
    assert "Báo cáo sơ kết" in register.rows[1].cells[1].text
    assert "NGƯỜI TỰ ĐÁNH GIÁ" in signature.rows[0].cells[1].text
    assert (
        client.get(reverse("reports:quarter-document", args=[rating.pk, 1, "pdf"])).status_code
        == 404
    )
    viewer = UserFactory()
    RoleAssignmentFactory(user=viewer, organization=small_bloc["cell_unit"], role=Role.CLERK)
    client.force_login(viewer)
    assert client.get(pdf_url).status_code == 404


def test_form_05_lists_the_quarters_tasks_and_the_years_tasks_due_in_it(small_bloc):
    """Mẫu 05 of Q2: the tasks of Q2 and the whole-year tasks due from 1/4 to 30/6, not those
    of another quarter, nor a whole-year task due later, nor one taken off the register."""
    from reports.documents import build_quarter_document
    from reports.permissions import DOCX
    from reviews.services.tasks import task_item_add, task_item_remove

    cycle = cycle_of(small_bloc["bloc"])
    rating = member_rating(cycle, small_bloc["members"][2])
    row = quarter_self_assess(
        rating=rating, quarter=2, tasks="", results="", self_level=T, acting_user=None
    )

    def task(title, due, quarter=None):
        return task_item_add(
            rating=rating, acting_user=None, title=title, quarter=quarter, due_on=due
        )

    task("Báo cáo quý hai", datetime.date(2026, 6, 30), quarter=2)
    task("Đề án đầu quý", datetime.date(2026, 4, 1))
    task("Đề án cuối quý", datetime.date(2026, 6, 30))
    task("Báo cáo quý một", datetime.date(2026, 3, 31), quarter=1)
    task("Đề án cuối năm", datetime.date(2026, 7, 1))
    task_item_remove(item=task("Việc đã gỡ", datetime.date(2026, 5, 5)), acting_user=None)
    document = Document(io.BytesIO(build_quarter_document(row, DOCX)))
    register = next(t for t in document.tables if t.rows[0].cells[1].text == "Nhiệm vụ, sản phẩm")
    assert [r.cells[1].text for r in register.rows[1:]] == [
        "Đề án đầu quý",
        "Báo cáo quý hai",
        "Đề án cuối quý",
    ]
