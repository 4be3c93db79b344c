"""Self-review forms written in the browser (HD 43-HD/BTCTW, Mẫu 01/2A/2B/2C; HD 21-HD/BTCTW).

Part A is the subject's own text, section by section (DOMAIN.md §13: I strengths; II shortcomings
and causes; III what became of the last review's shortcomings; IV explanation of the suggested
issues; V responsibility for the collective's shortcomings; VI remedies). Part B — the scores and
the proposed level — is not copied here: it is the rating's own self-scores and self-rating, so the
form and the rating table can never disagree.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from organizations.models import acting_user_field
from reviews.models.levels import Framework
from reviews.models.ratings import Rating

#: The longest text one section takes. A section of the printed forms is a page or two; ten
#: thousand characters is four pages of Times New Roman 14, far beyond any real answer, and
#: keeps a pasted document out of a form (issue #14, "Bad input and limits").
SECTION_MAX_LENGTH = 10_000


class SelfReviewForm(models.TextChoices):
    """The form a subject fills: by regime and framework (HD 43, Phụ lục; HD 21 Mẫu 2A/2B)."""

    COLLECTIVE = "01", _("Mẫu 01 — Báo cáo kiểm điểm tập thể")
    LEADER = "2A", _("Mẫu 2A — Bản kiểm điểm cá nhân (cán bộ lãnh đạo, quản lý)")
    MEMBER = "2B", _("Mẫu 2B — Bản kiểm điểm cá nhân (đảng viên)")
    OUTSIDE = "2C", _("Mẫu 2C — Bản kiểm điểm cá nhân (đảng viên ngoài hệ thống chính trị)")
    UNSCORED_COLLECTIVE = "tap-the", _("Báo cáo kiểm điểm tập thể")
    UNSCORED_INDIVIDUAL = "ca-nhan", _("Bản kiểm điểm cá nhân")


#: The scored forms of HD 43, one per framework.
FORM_OF_FRAMEWORK: dict[str, str] = {
    Framework.COLLECTIVE: SelfReviewForm.COLLECTIVE,
    Framework.LEADER: SelfReviewForm.LEADER,
    Framework.MEMBER: SelfReviewForm.MEMBER,
    Framework.OUTSIDE: SelfReviewForm.OUTSIDE,
}
COLLECTIVE_FORMS = frozenset({SelfReviewForm.COLLECTIVE, SelfReviewForm.UNSCORED_COLLECTIVE})

#: Part A's sections in order: (field, roman numeral); their titles depend on the subject.
SECTION_FIELDS = (
    ("strengths", "I"),
    ("shortcomings", "II"),
    ("previous_shortcomings", "III"),
    ("explanations", "IV"),
    ("responsibility", "V"),
    ("remedies", "VI"),
)


#: The sections' titles as the forms print them; V differs for a collective.
SECTION_TITLES = {
    "strengths": _("Ưu điểm, kết quả đạt được"),
    "shortcomings": _("Hạn chế, khuyết điểm và nguyên nhân"),
    "previous_shortcomings": _(
        "Kết quả khắc phục những hạn chế, khuyết điểm đã được cấp có thẩm quyền kết luận hoặc "
        "được chỉ ra ở các kỳ kiểm điểm trước"
    ),
    "explanations": _("Giải trình những vấn đề được gợi ý kiểm điểm (nếu có)"),
    "responsibility": _(
        "Làm rõ trách nhiệm của cá nhân đối với những hạn chế, khuyết điểm của tập thể (nếu có)"
    ),
    "remedies": _("Phương hướng, biện pháp khắc phục hạn chế, khuyết điểm"),
}
COLLECTIVE_SECTION_TITLES = {
    **SECTION_TITLES,
    "responsibility": _(
        "Làm rõ trách nhiệm của tập thể và cá nhân đối với những hạn chế, khuyết điểm (nếu có)"
    ),
}


@dataclass(frozen=True)
class Section:
    field: str
    numeral: str
    title: str
    text: str

    @property
    def paragraphs(self) -> list[str]:
        """The text's paragraphs as typed (one per line), for print."""
        return [line.strip() for line in self.text.split("\n") if line.strip()]


def _section(verbose_name) -> models.TextField:
    return models.TextField(verbose_name, max_length=SECTION_MAX_LENGTH, blank=True)


class SelfReview(models.Model):
    """One subject's self-review in one cycle: part A as typed, saved as one types (a draft)
    until the author marks it finished; a finished form goes into the unit's dossier."""

    rating = models.OneToOneField(
        Rating, on_delete=models.CASCADE, related_name="self_review", verbose_name=_("xếp loại")
    )
    form = models.CharField(_("mẫu"), max_length=8, choices=SelfReviewForm.choices)
    strengths = _section(_("ưu điểm, kết quả đạt được"))
    shortcomings = _section(_("hạn chế, khuyết điểm và nguyên nhân"))
    previous_shortcomings = _section(_("kết quả khắc phục hạn chế, khuyết điểm kỳ trước"))
    explanations = _section(_("giải trình những vấn đề được gợi ý kiểm điểm"))
    responsibility = _section(_("trách nhiệm đối với hạn chế, khuyết điểm của tập thể"))
    remedies = _section(_("phương hướng, biện pháp khắc phục"))
    #: The last review's shortcomings as the previous cycle's form stated them, kept as they
    #: were when this form was opened (section III answers them).
    last_shortcomings = models.TextField(
        _("hạn chế, khuyết điểm nêu ở kỳ trước"), max_length=SECTION_MAX_LENGTH, blank=True
    )
    finished_at = models.DateTimeField(_("hoàn thành lúc"), null=True, blank=True)
    version = models.PositiveIntegerField(_("phiên bản"), default=1)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    #: Set by the services (an import or the demo gives the time it happened).
    updated_at = models.DateTimeField(_("cập nhật lúc"), default=timezone.now)
    updated_by = acting_user_field(_("người sửa lần cuối"))

    class Meta:
        verbose_name = _("bản tự kiểm điểm")
        verbose_name_plural = _("bản tự kiểm điểm")
        ordering = ["rating"]

    def __str__(self) -> str:
        return f"{self.get_form_display()}: {self.rating.subject}"

    @property
    def is_collective(self) -> bool:
        return self.form in COLLECTIVE_FORMS

    @property
    def is_scored(self) -> bool:
        return self.form in FORM_OF_FRAMEWORK.values()

    @property
    def is_finished(self) -> bool:
        return self.finished_at is not None

    def sections(self) -> list[Section]:
        """Part A as the form prints it: numeral, title and text of each section."""
        titles = COLLECTIVE_SECTION_TITLES if self.is_collective else SECTION_TITLES
        return [
            Section(field, numeral, str(titles[field]), getattr(self, field))
            for field, numeral in SECTION_FIELDS
        ]

    @property
    def is_empty(self) -> bool:
        return not any(getattr(self, field) for field, _numeral in SECTION_FIELDS)


class SelfReviewChange(models.Model):
    """The audit trail of a form: who saved which sections, finished or reopened it, when."""

    class Action(models.TextChoices):
        SAVED = "saved", _("Lưu")
        FINISHED = "finished", _("Hoàn thành")
        REOPENED = "reopened", _("Mở lại để sửa")

    self_review = models.ForeignKey(
        SelfReview,
        on_delete=models.CASCADE,
        related_name="changes",
        verbose_name=_("bản kiểm điểm"),
    )
    action = models.CharField(_("thao tác"), max_length=10, choices=Action.choices)
    sections = models.JSONField(_("phần đã sửa"), default=list, blank=True)
    #: Saving as one types would write a row per pause: one author's saves within a few minutes
    #: are one entry, its time moved on (`reviews.services.self_reviews`).
    changed_at = models.DateTimeField(_("thời điểm"), default=timezone.now)
    changed_by = acting_user_field(_("người thực hiện"))

    class Meta:
        verbose_name = _("lịch sử bản kiểm điểm")
        verbose_name_plural = _("lịch sử bản kiểm điểm")
        ordering = ["-changed_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.self_review}: {self.get_action_display()}"
