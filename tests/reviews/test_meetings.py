"""The review meeting's minutes (issue #14, point 2): attendance checked against the cell,
absences with reasons, the chair present, the 3-working-day warning, the votes the rating
screen took, printed in PDF and Word; the dossier lists what kiemdiem wrote (point 4)."""

import datetime
import io
import shutil
import subprocess
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from docx import Document

from organizations.models import Role
from reports.bundle import build_bundle
from reviews.models import Level, MeetingAttendance, Rating, ReviewMeeting, SubjectKind
from reviews.selectors.dossier import dossier_lines
from reviews.services import cycle_change_status, cycle_create, ratings_record
from reviews.services.meetings import (
    Presence,
    draft_warning,
    meeting_participants,
    meeting_record,
    working_days_between,
)
from tests.factories import ReRatingFactory, RoleAssignmentFactory, UserFactory
from tests.reports.test_docx import table_text
from tests.reports.test_pdf import needs_poppler, pdf_text, squeeze

pytestmark = pytest.mark.django_db

THURSDAY = datetime.date(2026, 11, 26)
MONDAY = datetime.date(2026, 11, 23)
FRIDAY_BEFORE = datetime.date(2026, 11, 20)


@pytest.fixture
def cycle(small_bloc):
    made = cycle_create(organization=small_bloc["bloc"], year=2026, title="Kỳ đánh giá 2026")
    return cycle_change_status(cycle=made, status="open")


@pytest.fixture
def cell(small_bloc):
    return small_bloc["cell"]


def everyone_present(members, *, away=None, reason="Đi công tác"):
    return [
        Presence(member.pk, member != away, reason if member == away else "") for member in members
    ]


def record(cycle, cell, *, attendance=None, **fields):
    participants = meeting_participants(cycle, cell)
    values = {
        "held_on": THURSDAY,
        "place": "Hội trường Sở",
        "chair": participants[0],
        "secretary": participants[1],
        "draft_sent_on": FRIDAY_BEFORE,
        "conclusions": "Hội nghị thống nhất kết quả.",
        **fields,
    }
    return meeting_record(
        cycle=cycle,
        organization=cell,
        acting_user=None,
        attendance=attendance if attendance is not None else everyone_present(participants),
        **values,
    )


def test_working_days_are_those_strictly_between_sending_and_the_meeting():
    assert working_days_between(FRIDAY_BEFORE, THURSDAY) == 3  # Monday to Wednesday
    assert working_days_between(MONDAY, THURSDAY) == 2
    assert working_days_between(datetime.date(2026, 11, 24), THURSDAY) == 1
    assert working_days_between(THURSDAY, THURSDAY) == 0
    assert working_days_between(datetime.date(2026, 11, 27), THURSDAY) == 0  # sent after


def test_a_late_or_missing_draft_is_warned_about_not_refused(cycle, cell):
    meeting = record(cycle, cell)
    assert draft_warning(meeting) == ""
    late = record(cycle, cell, draft_sent_on=MONDAY)
    assert "chỉ 2 ngày làm việc" in draft_warning(late)
    assert "chưa đủ 3 ngày làm việc" in draft_warning(late)
    missing = record(cycle, cell, draft_sent_on=None)
    assert "Chưa ghi ngày gửi dự thảo" in draft_warning(missing)
    with pytest.raises(ValidationError) as after:
        record(cycle, cell, draft_sent_on=datetime.date(2026, 11, 27))
    assert after.value.error_list[0].code == "draft_after_meeting"


def test_the_attendance_covers_everyone_and_a_first_save_does_not_overwrite_another(cycle, cell):
    participants = meeting_participants(cycle, cell)
    with pytest.raises(ValidationError) as incomplete:
        record(cycle, cell, attendance=everyone_present(participants[:-1]))
    assert incomplete.value.error_list[0].code == "attendance_incomplete"
    assert participants[-1].full_name in incomplete.value.messages[0]
    record(cycle, cell)  # someone records the minutes first
    with pytest.raises(ValidationError) as stale:
        meeting_record(
            cycle=cycle,
            organization=cell,
            acting_user=None,
            attendance=everyone_present(participants),
            expected_version=0,  # read before any minutes existed
            held_on=THURSDAY,
            place="Phòng khác",
        )
    assert stale.value.error_list[0].code == "stale_meeting"
    too_long = everyone_present(participants, away=participants[2], reason="x" * 300)
    with pytest.raises(ValidationError) as long_reason:
        record(cycle, cell, attendance=too_long)
    assert long_reason.value.error_list[0].code == "absence_reason_too_long"


def test_attendance_is_the_cells_members_and_an_outsider_is_refused(cycle, cell, small_bloc):
    participants = meeting_participants(cycle, cell)
    assert {m.pk for m in participants} == {m.pk for m in small_bloc["members"][:6]}
    outsider = small_bloc["members"][7]  # of the other cell
    with pytest.raises(ValidationError) as refused:
        record(
            cycle,
            cell,
            attendance=[*everyone_present(participants), Presence(outsider.pk, True)],
        )
    assert refused.value.error_list[0].code == "attendance_outsider"
    assert outsider.full_name in refused.value.messages[0]
    assert not ReviewMeeting.objects.exists()


def test_an_absence_needs_its_reason_and_the_chair_must_be_present(cycle, cell):
    participants = meeting_participants(cycle, cell)
    with pytest.raises(ValidationError) as no_reason:
        record(
            cycle, cell, attendance=everyone_present(participants, away=participants[3], reason=" ")
        )
    assert no_reason.value.error_list[0].code == "absence_needs_reason"
    with pytest.raises(ValidationError) as chair_away:
        record(cycle, cell, attendance=everyone_present(participants, away=participants[0]))
    assert chair_away.value.error_list[0].code == "chair_not_present"
    meeting = record(cycle, cell, attendance=everyone_present(participants, away=participants[3]))
    absent = MeetingAttendance.objects.get(meeting=meeting, present=False)
    assert (absent.member, absent.absence_reason) == (participants[3], "Đi công tác")


def test_correcting_the_minutes_keeps_one_record_with_its_history(cycle, cell):
    first = record(cycle, cell)
    again = record(cycle, cell, place="Phòng họp tầng 2")
    assert ReviewMeeting.objects.count() == 1
    assert again.version == first.version + 1
    assert [c.fields for c in again.changes.order_by("pk")][-1] == ["place"]
    with pytest.raises(ValidationError) as stale:
        meeting_record(
            cycle=cycle,
            organization=cell,
            acting_user=None,
            attendance=everyone_present(meeting_participants(cycle, cell)),
            expected_version=first.version,
            held_on=THURSDAY,
            place="X",
        )
    assert stale.value.error_list[0].code == "stale_meeting"


def test_the_clerk_records_a_meeting_in_the_browser_and_a_tampered_attendance_is_refused(
    client, cycle, cell, clerk, small_bloc
):
    participants = meeting_participants(cycle, cell)
    url = reverse("reviews:meeting", args=[cell.pk])
    client.force_login(clerk)
    assert client.get(url).status_code == 200
    data = {
        "held_on": "26/11/2026",
        "starts_at": "14:00",
        "place": "Hội trường Sở",
        "chair": str(participants[0].pk),
        "secretary": str(participants[1].pk),
        "draft_sent_on": "24/11/2026",
        "conclusions": "Thống nhất.",
        "member": [str(m.pk) for m in participants],
        **{f"present_{m.pk}": "on" for m in participants[:-1]},
        f"reason_{participants[-1].pk}": "Ốm",
    }
    response = client.post(url, data)
    assert response.status_code == 302
    page = client.get(url)
    assert "chưa đủ 3 ngày làm việc" in page.text
    assert "5/6 có mặt" in page.text
    outsider = small_bloc["members"][7]
    tampered = {
        **data,
        "member": [*data["member"], str(outsider.pk)],
        f"present_{outsider.pk}": "on",
    }
    refused = client.post(url, tampered)
    assert refused.status_code == 200
    assert "không thuộc" in refused.text


def test_only_the_bodys_staff_read_the_minutes(client, cycle, cell, small_bloc):
    meeting = record(cycle, cell)
    urls = [
        reverse("reviews:meeting", args=[cell.pk]),
        reverse("reports:minutes-document", args=[meeting.pk, "pdf"]),
    ]
    for role, where, status in (
        (Role.CELL_SECRETARY, "cell", 200),
        (Role.ORGANIZATION_BOARD, "bloc", 200),
        (Role.CELL_SECRETARY, "sub_cell", 404),
        (Role.VIEWER, "bloc", 404),
        (Role.CLERK, "cell_unit", 404),
    ):
        user = UserFactory()
        RoleAssignmentFactory(user=user, organization=small_bloc[where], role=role)
        client.force_login(user)
        assert [client.get(url).status_code for url in urls] == [status, status], (role, where)


def test_the_submission_links_the_minutes_only_for_those_who_may_read_them(
    client, cycle, cell, small_bloc
):
    """The walk-through found a viewer offered the minutes' PDF and Word links, which answer
    him 404: he sees the meeting named, without the links."""
    meeting = record(cycle, cell)
    submission = cycle.submissions.get(organization=small_bloc["unit"])
    link = reverse("reports:minutes-document", args=[meeting.pk, "pdf"])
    for role, linked in ((Role.ORGANIZATION_BOARD, True), (Role.VIEWER, False)):
        user = UserFactory()
        RoleAssignmentFactory(user=user, organization=small_bloc["bloc"], role=role)
        client.force_login(user)
        page = client.get(reverse("reviews:submission", args=[submission.pk])).text
        assert cell.name in page
        assert (link in page) is linked, role


@needs_poppler
def test_the_minutes_print_the_attendance_votes_and_signatures(cycle, cell, tmp_path):
    participants = meeting_participants(cycle, cell)
    ratings = list(
        Rating.objects.filter(cycle=cycle, unit=cell, subject_kind=SubjectKind.MEMBER).order_by(
            "member__sort_key"
        )
    )
    ratings_record(
        cycle=cycle,
        changes={ratings[0].pk: {"proposal_level": Level.GOOD, "votes_for": 5, "votes_against": 0}},
        acting_user=None,
    )
    meeting = record(
        cycle,
        cell,
        attendance=everyone_present(participants, away=participants[5], reason="Nghỉ ốm"),
        conclusions="<script>x</script> Thống nhất đề nghị.",
    )
    from reports.documents import build_minutes_document

    text = squeeze(pdf_text(build_minutes_document(meeting, "pdf"), tmp_path))
    assert "BIÊN BẢN" in text
    assert "Hội nghị kiểm điểm, đánh giá, xếp loại chất lượng năm 2026" in text
    assert "14 giờ" not in text  # no start time recorded
    assert "có mặt: 5; vắng mặt: 1" in text
    assert f"{participants[5].full_name}: Nghỉ ốm" in text
    assert "<script>x</script> Thống nhất đề nghị." in text
    assert "THƯ KÝ" in text
    assert "CHỦ TRÌ" in text
    word = Document(io.BytesIO(build_minutes_document(meeting, "docx")))
    *_, votes, signature = word.tables
    # The cell itself first, then its members with the votes the rating screen took.
    assert f"2 {ratings[0].member.full_name} 5 0 HTTNV" in table_text(votes)
    left, right = (squeeze(cell_.text) for cell_ in signature.rows[0].cells)
    assert left == f"THƯ KÝ {participants[1].full_name}"
    assert right == f"CHỦ TRÌ {participants[0].full_name}"


def test_the_dossier_lists_what_kiemdiem_wrote_and_the_bundle_holds_it(
    cycle, cell, small_bloc, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    unit = small_bloc["unit"]
    meeting = record(cycle, cell)
    lines = {line.kind: line for line in dossier_lines(cycle, unit)}
    assert lines["minutes"].meetings == [meeting]
    assert lines["minutes"].needs_scan  # the signed minutes are still to be uploaded
    assert (lines["self_reviews"].finished, lines["self_reviews"].expected) == (0, 12 + 1)
    archive = zipfile.ZipFile(io.BytesIO(build_bundle(cycle, unit)))
    names = archive.namelist()
    assert "tao-tu-kiemdiem/danh-muc-ho-so.pdf" in names
    minutes = [n for n in names if n.startswith("tao-tu-kiemdiem/bien-ban-hoi-nghi-")]
    assert len(minutes) == 1
    assert archive.read(minutes[0]).startswith(b"%PDF")


@needs_poppler
def test_the_dossier_list_counts_scans_and_generated_papers(cycle, cell, small_bloc, tmp_path):
    from reports.documents import build_dossier_list

    record(cycle, cell)
    pdf = squeeze(pdf_text(build_dossier_list(cycle, small_bloc["unit"], "pdf"), tmp_path))
    assert "DANH MỤC HỒ SƠ" in pdf
    assert "1 bản lập trên hệ thống" in pdf
    document = Document(io.BytesIO(build_dossier_list(cycle, small_bloc["unit"], "docx")))
    assert "DANH MỤC HỒ SƠ" in [p.text for p in document.paragraphs]
    listing = table_text(document.tables[1])
    assert (
        "Biên bản hội nghị kiểm điểm 1 1 bản lập trên hệ thống; còn thiếu bản có chữ ký" in listing
    )


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
@needs_poppler
def test_libreoffice_converts_each_new_word_file(cycle, cell, small_bloc, tmp_path):
    from reports.documents import (
        build_dossier_list,
        build_minutes_document,
        build_rerating_document,
        build_self_review_document,
    )
    from reviews.services.self_reviews import self_review_open, self_review_save

    rating = Rating.objects.filter(cycle=cycle, unit=cell, subject_kind=SubjectKind.MEMBER).first()
    self_review = self_review_open(rating=rating, acting_user=None)
    self_review = self_review_save(
        self_review=self_review,
        sections={"strengths": "Hoàn thành tốt nhiệm vụ."},
        expected_version=self_review.version,
        acting_user=None,
    )
    files = {
        "ban-kiem-diem": (build_self_review_document(self_review, "docx"), "BẢN KIỂM ĐIỂM CÁ NHÂN"),
        "bien-ban": (build_minutes_document(record(cycle, cell), "docx"), "BIÊN BẢN"),
        "danh-muc": (build_dossier_list(cycle, small_bloc["unit"], "docx"), "DANH MỤC HỒ SƠ"),
        "quyet-dinh": (build_rerating_document(ReRatingFactory(), "docx"), "QUYẾT ĐỊNH"),
    }
    for stem, (content, _title) in files.items():
        (tmp_path / f"{stem}.docx").write_bytes(content)
    subprocess.run(  # noqa: S603
        [  # noqa: S607
            "soffice",
            f"-env:UserInstallation=file://{tmp_path / 'profile'}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path / "converted"),
            *(str(tmp_path / f"{stem}.docx") for stem in files),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    for stem, (_content, title) in files.items():
        text = squeeze(pdf_text((tmp_path / "converted" / f"{stem}.pdf").read_bytes(), tmp_path))
        assert title in text, stem
