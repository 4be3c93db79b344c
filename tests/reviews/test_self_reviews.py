"""Self-review forms filled in the browser (issue #14, point 1): the form of the subject's
framework, saved as one types, last year's shortcomings carried over, the suggested issues
listed, part B through the rating, readers limited to those who may read it, printed in PDF
and Word with markup as text."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from docx import Document

from organizations.models import Role
from reviews.models import (
    Criterion,
    Framework,
    Level,
    Rating,
    SelfReview,
    SelfReviewChange,
    SelfReviewForm,
    SubjectKind,
    SuggestionState,
)
from reviews.services import cycle_change_status, cycle_create
from reviews.services.self_reviews import (
    form_for,
    self_review_finish,
    self_review_new,
    self_review_open,
    self_review_reopen,
    self_review_save,
)
from tests.factories import (
    RoleAssignmentFactory,
    SuggestionFactory,
    SuggestionIssueFactory,
    UserFactory,
)
from tests.reports.test_pdf import needs_poppler, pdf_text, squeeze

pytestmark = pytest.mark.django_db

SECTIONS = {
    "strengths": "Hoàn thành tốt nhiệm vụ chuyên môn.\nTích cực tham gia sinh hoạt chi bộ.",
    "shortcomings": "Có lúc chưa chủ động báo cáo tiến độ.",
    "remedies": "Lập kế hoạch công việc hằng tuần.",
}


def open_cycle_of(bloc, year):
    cycle = cycle_create(
        organization=bloc,
        year=year,
        title=f"Kỳ đánh giá {year}",
        # HD 21 has no default deadline; the letter's is 25/11.
        deadline=datetime.date(year, 11, 25) if year < 2025 else None,
    )
    return cycle_change_status(cycle=cycle, status="open")


@pytest.fixture
def cycle_2026(small_bloc):
    return open_cycle_of(small_bloc["bloc"], 2026)


@pytest.fixture
def member(small_bloc):
    return small_bloc["members"][2]


@pytest.fixture
def rating(cycle_2026, member):
    return Rating.objects.get(cycle=cycle_2026, member=member, subject_kind=SubjectKind.MEMBER)


@pytest.fixture
def author(member):
    user = UserFactory(username="dangvien")
    member.account = user
    member.save(update_fields=["account"])
    return user


def url(rating):
    return reverse("reviews:self-review", args=[rating.pk])


def written(rating, user=None, **sections):
    self_review = self_review_open(rating=rating, acting_user=user)
    return self_review_save(
        self_review=self_review,
        sections=sections or SECTIONS,
        expected_version=self_review.version,
        acting_user=user,
    )


def test_each_subject_fills_the_form_of_its_framework(small_bloc, cycle_2026):
    def form_of(**lookup):
        return form_for(Rating.objects.get(cycle=cycle_2026, **lookup))

    leader = small_bloc["leader"]
    assert form_of(member=leader, subject_kind=SubjectKind.LEADER) == SelfReviewForm.LEADER
    assert form_of(member=leader, subject_kind=SubjectKind.MEMBER) == SelfReviewForm.MEMBER
    assert form_of(organization=small_bloc["unit"]) == SelfReviewForm.COLLECTIVE
    outside = small_bloc["members"][3]
    outside.outside_political_system = True
    outside.save()
    assert form_of(member=outside, subject_kind=SubjectKind.MEMBER) == SelfReviewForm.OUTSIDE
    cycle_2021 = open_cycle_of(small_bloc["bloc"], 2021)
    rating_2021 = Rating.objects.get(cycle=cycle_2021, member=leader, subject_kind="member")
    assert form_for(rating_2021) == SelfReviewForm.UNSCORED_INDIVIDUAL


def test_a_draft_saves_as_typed_and_one_authors_saves_are_one_history_entry(rating, author):
    self_review = written(rating, author)
    assert self_review.strengths == SECTIONS["strengths"]
    assert not self_review.is_finished
    again = self_review_save(
        self_review=self_review,
        sections={"strengths": SECTIONS["strengths"] + " Thêm.\r\n"},
        expected_version=self_review.version,
        acting_user=author,
    )
    assert again.strengths.endswith("Thêm.")  # line ends and trailing blanks as typed anywhere
    assert again.version == self_review.version + 1
    (entry,) = SelfReviewChange.objects.filter(self_review=self_review)
    assert entry.action == SelfReviewChange.Action.SAVED
    assert entry.sections == ["strengths", "shortcomings", "remedies"]


def test_a_save_read_at_an_older_version_is_refused_unless_it_changes_nothing(rating, author):
    self_review = written(rating, author)
    stale = self_review.version - 1
    same = self_review_save(
        self_review=self_review, sections=SECTIONS, expected_version=stale, acting_user=author
    )
    assert same.version == self_review.version
    with pytest.raises(ValidationError) as refused:
        self_review_save(
            self_review=self_review,
            sections={"strengths": "Viết ở thẻ khác."},
            expected_version=stale,
            acting_user=author,
        )
    assert refused.value.error_list[0].code == "stale_self_review"


def test_a_section_beyond_the_limit_is_refused_with_the_limit(client, rating, author):
    client.force_login(author)
    response = client.post(url(rating), {"strengths": "x" * 20_000, "action": "save"})
    assert response.status_code == 200
    assert "Mục I dài 20.000 ký tự, vượt giới hạn 10.000 ký tự" in response.text
    assert not SelfReview.objects.filter(rating=rating, strengths__startswith="x").exists()


def test_last_years_shortcomings_come_prefilled(small_bloc, member):
    cycle_2021 = open_cycle_of(small_bloc["bloc"], 2021)
    old = Rating.objects.get(cycle=cycle_2021, member=member, subject_kind="member")
    written(old, shortcomings="Chậm nộp báo cáo tháng.")
    cycle_2026 = open_cycle_of(small_bloc["bloc"], 2026)
    new = Rating.objects.get(cycle=cycle_2026, member=member, subject_kind="member")
    draft = self_review_new(new)
    assert draft.pk is None  # opening the page writes nothing
    assert draft.last_shortcomings == draft.previous_shortcomings == "Chậm nộp báo cáo tháng."
    assert self_review_new(old).last_shortcomings == ""


def test_finishing_needs_the_required_sections_and_a_finished_form_is_reopened_to_edit(
    rating, author
):
    self_review = written(rating, author, strengths="Tốt.")
    with pytest.raises(ValidationError) as refused:
        self_review_finish(self_review=self_review, acting_user=author)
    assert refused.value.error_list[0].code == "self_review_incomplete"
    assert "II. hạn chế, khuyết điểm và nguyên nhân" in refused.value.messages[0]
    self_review = written(rating, author)
    self_review = self_review_finish(self_review=self_review, acting_user=author)
    assert self_review.is_finished
    with pytest.raises(ValidationError) as finished:
        self_review_save(
            self_review=self_review,
            sections={"remedies": "Sửa."},
            expected_version=self_review.version,
            acting_user=author,
        )
    assert finished.value.error_list[0].code == "self_review_finished"
    reopened = self_review_reopen(self_review=self_review, acting_user=author)
    assert not reopened.is_finished
    actions = list(
        SelfReviewChange.objects.filter(self_review=self_review)
        .order_by("changed_at", "pk")
        .values_list("action", flat=True)
    )
    assert actions == ["saved", "finished", "reopened"]


def test_the_author_writes_part_a_and_b_in_the_browser(client, cycle_2026, rating, author):
    client.force_login(author)
    page = client.get(url(rating))
    assert page.status_code == 200
    assert "Mẫu 2B" in page.text
    assert "Chưa viết" in page.text
    criteria = list(
        Criterion.objects.filter(cycle=cycle_2026, framework=Framework.MEMBER).order_by("order")
    )
    points = {f"s{c.pk}": p for c, p in zip(criteria, ["9", "9", "9,5", "40", "15"], strict=True)}
    response = client.post(
        url(rating),
        {
            **SECTIONS,
            "action": "finish",
            "form_version": "1",
            "version": str(rating.version),
            "self_level": Level.GOOD,
            **points,
        },
    )
    assert response.status_code == 302
    rating.refresh_from_db()
    assert (rating.self_level, rating.self_score) == (Level.GOOD, Decimal("82.5"))
    assert rating.changes.filter(field="self_level", changed_by=author).exists()
    assert SelfReview.objects.get(rating=rating).is_finished
    home = client.get(reverse("home"))
    assert "Bản kiểm điểm của tôi" in home.text
    assert "Đã hoàn thành" in home.text


def test_the_autosave_answers_with_the_new_version(client, rating, author):
    client.force_login(author)
    response = client.post(
        url(rating),
        {"strengths": "Đang viết", "form_version": "1", "action": "save"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert "Đã tự động lưu lúc" in response.text
    assert 'name="form_version" value="2"' in response.text


def test_the_suggested_issues_are_listed_one_by_one(client, small_bloc, cycle_2026, clerk):
    leader = small_bloc["leader"]
    rating = Rating.objects.get(cycle=cycle_2026, member=leader, subject_kind=SubjectKind.LEADER)
    suggestion = SuggestionFactory(
        cycle=cycle_2026,
        collective=None,
        member=leader,
        addressed_to=small_bloc["unit"],
        state=SuggestionState.ISSUED,
        document_number="15-CV/ĐUK",
        issued_on=datetime.date(2026, 10, 20),
    )
    SuggestionIssueFactory(suggestion=suggestion, order=1, text="Chậm giải ngân vốn đầu tư.")
    SuggestionIssueFactory(suggestion=suggestion, order=2, text="Để xảy ra đơn thư kéo dài.")
    client.force_login(clerk)
    page = client.get(url(rating))
    assert "Mẫu 2A" in page.text
    listed = page.text.split('data-testid="suggested-issues"')[1].split("</ol>")[0]
    assert listed.index("Chậm giải ngân") < listed.index("Để xảy ra đơn thư")
    assert reverse("reviews:suggestion", args=[suggestion.pk]) in listed


@pytest.mark.parametrize(
    ("role", "where", "reads"),
    [
        (Role.CLERK, "unit", True),
        (Role.CELL_SECRETARY, "cell", True),
        (Role.ORGANIZATION_BOARD, "bloc", True),
        (Role.CELL_SECRETARY, "sub_cell", False),
        (Role.CLERK, "cell_unit", False),
        (Role.VIEWER, "bloc", False),
        (Role.INSPECTION_COMMITTEE, "bloc", False),
    ],
)
def test_only_the_forms_readers_may_open_it(client, small_bloc, rating, author, role, where, reads):
    written(rating, author)
    user = UserFactory()
    RoleAssignmentFactory(user=user, organization=small_bloc[where], role=role)
    client.force_login(user)
    expected = 200 if reads else 404
    assert client.get(url(rating)).status_code == expected
    document = reverse("reports:self-review-document", args=[rating.pk, "pdf"])
    assert client.get(document).status_code == expected
    if not reads:
        assert client.post(url(rating), {"strengths": "x"}).status_code == 404


def test_another_members_account_gets_a_404_and_a_reader_cannot_write(
    client, small_bloc, cycle_2026, rating, author
):
    other = small_bloc["members"][3]
    other.account = UserFactory(username="nguoikhac")
    other.save(update_fields=["account"])
    client.force_login(other.account)
    assert client.get(url(rating)).status_code == 404
    board = UserFactory()
    RoleAssignmentFactory(user=board, organization=small_bloc["bloc"], role=Role.ORGANIZATION_BOARD)
    client.force_login(board)
    assert client.post(url(rating), {"strengths": "Ban Tổ chức sửa"}).status_code == 403


HOSTILE = '<b>đậm</b><script>alert("x")</script> & <img src="http://example.invalid/x.png">'


@needs_poppler
def test_the_form_prints_in_pdf_and_word_with_markup_as_text(
    client, small_bloc, rating, author, tmp_path
):
    written(rating, author, strengths=HOSTILE, shortcomings="Chưa chủ động.", remedies="Sửa.")
    client.force_login(author)
    pdf = client.get(reverse("reports:self-review-document", args=[rating.pk, "pdf"]))
    assert pdf["Content-Type"] == "application/pdf"
    text = squeeze(pdf_text(pdf.content, tmp_path))
    assert "BẢN KIỂM ĐIỂM CÁ NHÂN" in text
    assert "Năm 2026" in text
    # Printed as typed (pdftotext may reorder a justified line's pieces).
    assert '<b>đậm</b><script>alert("x")</script>' in text
    assert '<img src="http://' in text
    assert "NGƯỜI TỰ KIỂM ĐIỂM" in text
    assert rating.member.full_name in text
    word = client.get(reverse("reports:self-review-document", args=[rating.pk, "docx"]))
    document = Document(io.BytesIO(word.content))
    paragraphs = [p.text for p in document.paragraphs]
    assert "BẢN KIỂM ĐIỂM CÁ NHÂN" in paragraphs
    assert any(HOSTILE in p for p in paragraphs)
    header, *_, signature = document.tables
    assert squeeze(header.rows[0].cells[0].text).startswith(small_bloc["unit"].name.upper())
    assert "NGƯỜI TỰ KIỂM ĐIỂM" in signature.rows[0].cells[1].text


def test_an_exempt_member_writes_no_form(client, rating, author, cycle_2026):
    Rating.objects.filter(pk=rating.pk).update(not_rated_reason="exempt")
    rating.refresh_from_db()
    with pytest.raises(ValidationError) as refused:
        self_review_open(rating=rating, acting_user=author)
    assert refused.value.error_list[0].code == "not_reviewed"
    client.force_login(author)
    page = client.get(url(rating))
    assert "Không kiểm điểm: Miễn công tác và sinh hoạt đảng." in page.text
    assert client.post(url(rating), SECTIONS).status_code == 403
    assert "Bản kiểm điểm của tôi" not in client.get(reverse("home")).text


def test_a_refused_save_keeps_the_typed_text_and_a_second_save_goes_through(client, rating, author):
    written(rating, author)  # saved in another tab: version 2
    client.force_login(author)
    stale = {"strengths": "Viết ở thẻ này.", "form_version": "1", "action": "save"}
    page = client.post(url(rating), stale)
    assert "vừa được lưu ở nơi khác" in page.text
    assert "Viết ở thẻ này." in page.text
    assert 'name="form_version" value="2"' in page.text
    again = client.post(url(rating), {**stale, "form_version": "2"})
    assert again.status_code == 302
    assert SelfReview.objects.get(rating=rating).strengths == "Viết ở thẻ này."


def test_a_member_with_no_role_is_offered_only_his_own_papers(client, rating, author):
    """The walk-through found the menu's cycle pages answering 404 to him (no cycle is his to
    work in) and the lists of organizations and members empty: none of them is offered."""
    client.force_login(author)
    page = client.get(reverse("home")).content.decode()
    assert url(rating) in page
    for name in ("reviews:pool-list", "reviews:suggestion-list", "reviews:questions"):
        assert f'href="{reverse(name)}"' not in page
    for name in ("organizations:tree", "members:list"):
        assert f'href="{reverse(name)}"' not in page
    assert "Công việc" not in page
