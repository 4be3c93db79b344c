"""A grassroots unit's submission and its dossier (DOMAIN.md §8, §12)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from organizations.models import Organization, acting_user_field
from reviews.models.cycles import ReviewCycle
from reviews.models.transitions import StateMachine, TransitionRecord


class SubmissionState(models.TextChoices):
    DRAFT = "draft", _("Đang nhập")
    SUBMITTED = "submitted", _("Đã gửi")
    RETURNED = "returned", _("Bị trả lại")
    APPROVED = "approved", _("Đã phê duyệt")
    REOPENED = "reopened", _("Được mở lại")


#: Allowed moves of a grassroots unit's submission (issue: submission and approval). The Board
#: returns a sent report; it reopens an approved one (a different act, recorded as such).
SUBMISSION_TRANSITIONS = StateMachine(
    SubmissionState,
    {
        SubmissionState.DRAFT: {SubmissionState.SUBMITTED},
        SubmissionState.SUBMITTED: {SubmissionState.APPROVED, SubmissionState.RETURNED},
        SubmissionState.RETURNED: {SubmissionState.SUBMITTED},
        SubmissionState.APPROVED: {SubmissionState.REOPENED},
        SubmissionState.REOPENED: {SubmissionState.SUBMITTED},
    },
    noun=_("báo cáo"),
)
#: A unit's pools are read-only for its clerks while its report is in these states.
SUBMISSION_LOCKED_STATES = frozenset({SubmissionState.SUBMITTED, SubmissionState.APPROVED})


class SubmissionQuerySet(models.QuerySet):
    def locked(self) -> SubmissionQuerySet:
        """Sent or approved: the unit's pools are read-only (only a superuser may correct)."""
        return self.filter(state__in=SUBMISSION_LOCKED_STATES)


class Submission(models.Model):
    """A grassroots unit's report and dossier for one cycle, sent to the Organization Board."""

    cycle = models.ForeignKey(
        ReviewCycle, on_delete=models.CASCADE, related_name="submissions", verbose_name=_("kỳ")
    )
    organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="submissions",
        verbose_name=_("tổ chức cơ sở đảng"),
    )
    state = models.CharField(
        _("trạng thái"),
        max_length=12,
        choices=SubmissionState.choices,
        default=SubmissionState.DRAFT,
    )
    submitted_at = models.DateTimeField(_("gửi lúc"), null=True, blank=True)
    first_submitted_at = models.DateTimeField(_("gửi lần đầu lúc"), null=True, blank=True)
    is_late = models.BooleanField(_("nộp trễ hạn"), default=False)
    approved_at = models.DateTimeField(_("phê duyệt lúc"), null=True, blank=True)

    objects = SubmissionQuerySet.as_manager()

    class Meta:
        verbose_name = _("báo cáo của tổ chức cơ sở đảng")
        verbose_name_plural = _("báo cáo của tổ chức cơ sở đảng")
        ordering = ["cycle", "organization__path"]
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "organization"], name="submission_unique_per_unit"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organization} — {self.get_state_display()}"

    @property
    def is_locked(self) -> bool:
        """Submitted or approved: the unit's clerks may no longer edit its ratings."""
        return self.state in SUBMISSION_LOCKED_STATES


class SubmissionTransition(TransitionRecord):
    submission = models.ForeignKey(
        Submission, on_delete=models.CASCADE, related_name="transitions", verbose_name=_("báo cáo")
    )

    machine = SUBMISSION_TRANSITIONS

    class Meta(TransitionRecord.Meta):
        verbose_name = _("lịch sử gửi, duyệt báo cáo")
        verbose_name_plural = _("lịch sử gửi, duyệt báo cáo")

    def __str__(self) -> str:
        return f"{self.submission}: {self.from_state} → {self.to_state}"


class DossierKind(models.TextChoices):
    """Dossier items a grassroots unit sends upward (DOMAIN.md §8; QĐ 366 Điều 17, Mẫu 04)."""

    MINUTES = "minutes", _("Biên bản hội nghị kiểm điểm")
    DECISION = "decision", _("Quyết định công nhận kết quả xếp loại")
    COLLECTIVE_REPORT = "collective_report", _("Báo cáo kiểm điểm tập thể")
    SELF_REVIEWS = "self_reviews", _("Bản kiểm điểm, tự đánh giá của cá nhân")
    RESIDENCE_COMMENTS = "residence_comments", _("Nhận xét của chi ủy, chi bộ nơi cư trú")
    APPRAISAL = "appraisal", _("Tổng hợp kết quả thẩm định, đánh giá, xếp loại")
    SUGGESTION_LETTER = "suggestion_letter", _("Văn bản gợi ý kiểm điểm")
    COMMENTS_RECEIVED = "comments_received", _("Ý kiến góp ý của tổ chức, cá nhân")
    COMPLAINT = "complaint", _("Đơn thư, ý kiến phản ánh và kết quả giải quyết")
    OTHER = "other", _("Tài liệu khác")


#: Items without which a unit cannot submit under HD 21 (issue "submission and approval",
#: point 2); each rule set names its own (`RuleSet.required_dossier_kinds`).
REQUIRED_DOSSIER_KINDS = (
    DossierKind.MINUTES,
    DossierKind.DECISION,
    DossierKind.COLLECTIVE_REPORT,
)


def dossier_upload_path(instance: DossierItem, filename: str) -> str:
    """A generated name: the user's file name is kept only as data, never as a path."""
    import uuid

    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"dossier/{instance.submission.cycle.year}/{uuid.uuid4().hex}.{extension[:8]}"


class DossierItemQuerySet(models.QuerySet):
    def present(self) -> DossierItemQuerySet:
        return self.filter(removed_at__isnull=True)


class DossierItem(models.Model):
    """An uploaded file of a known kind attached to a submission; stored privately."""

    submission = models.ForeignKey(
        Submission,
        on_delete=models.CASCADE,
        related_name="dossier_items",
        verbose_name=_("báo cáo"),
    )
    kind = models.CharField(_("loại tài liệu"), max_length=24, choices=DossierKind.choices)
    title = models.CharField(_("tên tài liệu"), max_length=255, blank=True)
    file = models.FileField(_("tệp"), upload_to=dossier_upload_path, max_length=255)
    original_name = models.CharField(_("tên tệp gốc"), max_length=255)
    content_type = models.CharField(_("định dạng"), max_length=100)
    size = models.PositiveBigIntegerField(_("dung lượng (byte)"))
    sha256 = models.CharField(_("mã kiểm tra SHA-256"), max_length=64)
    uploaded_at = models.DateTimeField(_("tải lên lúc"), auto_now_add=True)
    uploaded_by = acting_user_field(_("người tải lên"))
    removed_at = models.DateTimeField(_("gỡ bỏ lúc"), null=True, blank=True)
    removed_by = acting_user_field(_("người gỡ bỏ"))

    objects = DossierItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("tài liệu đính kèm")
        verbose_name_plural = _("tài liệu đính kèm")
        ordering = ["submission", "kind", "uploaded_at"]

    def __str__(self) -> str:
        return self.title or self.original_name
