"""Guiding documents and questions to the Board, with their files."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from members.models import Member
from organizations.models import Organization, acting_user_field
from reviews.models.cycles import ReviewCycle
from reviews.models.transitions import StateMachine


def private_upload_path(instance, filename: str) -> str:
    """A generated name under a folder per model; the user's file name is kept only as data."""
    import uuid

    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"{instance._meta.model_name}/{uuid.uuid4().hex}.{extension[:8]}"


class UploadedFileFields(models.Model):
    """A privately stored upload: served only through views that check permissions."""

    file = models.FileField(_("tệp"), upload_to=private_upload_path, max_length=255)
    original_name = models.CharField(_("tên tệp gốc"), max_length=255)
    content_type = models.CharField(_("định dạng"), max_length=100)
    size = models.PositiveBigIntegerField(_("dung lượng (byte)"))
    sha256 = models.CharField(_("mã kiểm tra SHA-256"), max_length=64)

    class Meta:
        abstract = True


class GuidingDocument(UploadedFileFields):
    """A document the Organization Board publishes for the cycle (letter point 4): the letter,
    the bloc's guidance, templates. Every unit of the bloc reads and downloads it."""

    cycle = models.ForeignKey(
        ReviewCycle, on_delete=models.CASCADE, related_name="documents", verbose_name=_("kỳ")
    )
    number = models.CharField(_("số văn bản"), max_length=60, blank=True)
    issued_on = models.DateField(_("ngày ban hành"), null=True, blank=True)
    title = models.CharField(_("trích yếu"), max_length=255)
    published_at = models.DateTimeField(_("đăng lúc"), auto_now_add=True)
    published_by = acting_user_field(_("người đăng"))
    withdrawn_at = models.DateTimeField(_("gỡ lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("văn bản hướng dẫn")
        verbose_name_plural = _("văn bản hướng dẫn")
        ordering = ["cycle", "-issued_on", "-published_at"]

    def __str__(self) -> str:
        return f"{self.number} {self.title}".strip()


class QuestionState(models.TextChoices):
    OPEN = "open", _("Chờ trả lời")
    ASKED_BACK = "asked_back", _("Chờ đơn vị bổ sung")
    ANSWERED = "answered", _("Đã trả lời")
    CLOSED = "closed", _("Đã đóng")


#: The Board answers, asks back or closes an open question; the unit replies to an asked-back
#: or answered one (it opens again); an answered one may be closed.
QUESTION_TRANSITIONS = StateMachine(
    QuestionState,
    {
        QuestionState.OPEN: {
            QuestionState.ANSWERED,
            QuestionState.ASKED_BACK,
            QuestionState.CLOSED,
        },
        QuestionState.ASKED_BACK: {QuestionState.OPEN},
        QuestionState.ANSWERED: {QuestionState.OPEN, QuestionState.CLOSED},
    },
    noun=_("câu hỏi"),
)


class Question(models.Model):
    """A unit's question or difficulty ("khó khăn, vướng mắc") for the Organization Board."""

    cycle = models.ForeignKey(
        ReviewCycle, on_delete=models.CASCADE, related_name="questions", verbose_name=_("kỳ")
    )
    unit = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="questions",
        verbose_name=_("đơn vị hỏi"),
    )
    title = models.CharField(_("tiêu đề"), max_length=255)
    member = models.ForeignKey(
        Member,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("đảng viên liên quan"),
    )
    cell = models.ForeignKey(
        Organization,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("chi bộ liên quan"),
    )
    rule = models.CharField(_("quy định liên quan"), max_length=255, blank=True)
    state = models.CharField(
        _("trạng thái"), max_length=12, choices=QuestionState.choices, default=QuestionState.OPEN
    )
    is_shared = models.BooleanField(
        _("áp dụng chung cho các đơn vị"),
        default=False,
        help_text=_("Câu trả lời được đưa vào danh sách hỏi đáp chung của kỳ."),
    )
    asked_at = models.DateTimeField(_("hỏi lúc"), auto_now_add=True)
    asked_by = acting_user_field(_("người hỏi"))
    first_answered_at = models.DateTimeField(_("trả lời lần đầu lúc"), null=True, blank=True)
    closed_at = models.DateTimeField(_("đóng lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("câu hỏi, khó khăn vướng mắc")
        verbose_name_plural = _("câu hỏi, khó khăn vướng mắc")
        ordering = ["cycle", "-asked_at"]
        indexes = [models.Index(fields=["cycle", "state"])]

    def __str__(self) -> str:
        return self.title


class QuestionMessage(models.Model):
    """One step of a question's thread, recorded with who and when."""

    class Kind(models.TextChoices):
        ASKED = "asked", _("Hỏi")
        ANSWERED = "answered", _("Trả lời")
        ASKED_BACK = "asked_back", _("Hỏi lại đơn vị")
        REPLIED = "replied", _("Đơn vị bổ sung")
        CLOSED = "closed", _("Đóng")
        SHARED = "shared", _("Đưa vào hỏi đáp chung")

    question = models.ForeignKey(
        Question, on_delete=models.CASCADE, related_name="messages", verbose_name=_("câu hỏi")
    )
    kind = models.CharField(_("loại"), max_length=12, choices=Kind.choices)
    text = models.TextField(_("nội dung"), blank=True)
    changed_at = models.DateTimeField(_("thời điểm"), auto_now_add=True)
    changed_by = acting_user_field(_("người thực hiện"))

    class Meta:
        verbose_name = _("trao đổi về câu hỏi")
        verbose_name_plural = _("trao đổi về câu hỏi")
        ordering = ["question", "changed_at", "pk"]

    def __str__(self) -> str:
        return f"{self.question}: {self.get_kind_display()}"


class QuestionAttachment(UploadedFileFields):
    question = models.ForeignKey(
        Question, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("câu hỏi")
    )
    uploaded_at = models.DateTimeField(_("tải lên lúc"), auto_now_add=True)
    uploaded_by = acting_user_field(_("người tải lên"))

    class Meta:
        verbose_name = _("tệp đính kèm câu hỏi")
        verbose_name_plural = _("tệp đính kèm câu hỏi")
        ordering = ["question", "uploaded_at"]

    def __str__(self) -> str:
        return self.original_name
