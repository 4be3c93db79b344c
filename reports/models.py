"""What the issuer fills in on a printed report before it goes out, kept with the document
(issue #14, point 3; HD 36-HD/VPTW: số, người ký, nơi nhận)."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from organizations.models import Organization, acting_user_field
from reviews.models import ReviewCycle

#: The fields the issuer fills, in the form's order.
DOCUMENT_FIELD_NAMES = (
    "number",
    "issued_on",
    "signer_position",
    "signer_name",
    "recipients",
    "proposals",
)


class DocumentFields(models.Model):
    """The number, date, signer and recipients of a node's report in a cycle, and its section
    VI (proposals): every export, PDF or Word, prints them the same until they are changed.
    Blank fields keep the defaults (a number written by hand, today's date, the standard
    signer and recipients of the letterhead)."""

    cycle = models.ForeignKey(
        ReviewCycle, on_delete=models.CASCADE, related_name="document_fields", verbose_name=_("kỳ")
    )
    organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="document_fields",
        verbose_name=_("tổ chức ban hành"),
    )
    number = models.CharField(
        _("số văn bản"),
        max_length=20,
        blank=True,
        help_text=_("Chỉ ghi số, ví dụ: 12; ký hiệu (BC/…) được in tự động."),
    )
    issued_on = models.DateField(
        _("ngày ban hành"), null=True, blank=True, help_text=_("Để trống: ngày xuất văn bản.")
    )
    signer_position = models.CharField(
        _("chức vụ người ký"),
        max_length=100,
        blank=True,
        help_text=_("Để trống: BÍ THƯ. Ví dụ: PHÓ BÍ THƯ THƯỜNG TRỰC."),
    )
    signer_name = models.CharField(_("họ tên người ký"), max_length=120, blank=True)
    recipients = models.TextField(
        _("nơi nhận"),
        max_length=2000,
        blank=True,
        help_text=_("Mỗi dòng một nơi nhận. Để trống: danh sách nơi nhận mặc định."),
    )
    proposals = models.TextField(
        _("đề xuất, kiến nghị (mục VI)"),
        max_length=4000,
        blank=True,
        help_text=_("Mỗi dòng một kiến nghị."),
    )
    updated_at = models.DateTimeField(_("cập nhật lúc"), default=timezone.now)
    updated_by = acting_user_field(_("người cập nhật"))

    class Meta:
        verbose_name = _("thông tin văn bản")
        verbose_name_plural = _("thông tin văn bản")
        ordering = ["cycle", "organization__path"]
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "organization"], name="document_fields_unique_per_node"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organization} — {self.cycle.year}"

    def as_options(self) -> dict:
        """The keyword arguments `reports.documents.build_report` takes."""
        return {
            "number": self.number,
            "issued_on": self.issued_on,
            "proposals": self.proposals,
            "signer_name": self.signer_name,
            "signer_position": self.signer_position,
            "recipients": self.recipients,
        }


class DocumentFieldsChange(models.Model):
    """Who changed what on a report's fields, when, from what to what."""

    document = models.ForeignKey(
        DocumentFields, on_delete=models.CASCADE, related_name="changes", verbose_name=_("văn bản")
    )
    old_values = models.JSONField(_("giá trị cũ"), default=dict)
    new_values = models.JSONField(_("giá trị mới"), default=dict)
    changed_at = models.DateTimeField(_("thời điểm"), default=timezone.now)
    changed_by = acting_user_field(_("người thay đổi"))

    class Meta:
        verbose_name = _("lịch sử thông tin văn bản")
        verbose_name_plural = _("lịch sử thông tin văn bản")
        ordering = ["-changed_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.document}: {', '.join(sorted(self.new_values))}"


class ExportState(models.TextChoices):
    QUEUED = "queued", _("Đang chờ")
    RUNNING = "running", _("Đang tạo")
    DONE = "done", _("Đã xong")
    FAILED = "failed", _("Không tạo được")


def export_upload_path(job: ExportJob, filename: str) -> str:
    """Private media, one folder per cycle; the stored name is the job's, never the user's."""
    return f"exports/{job.cycle_id}/{job.pk}-{filename}"


class ExportJob(models.Model):
    """A report file (workbook, PDF, Word, dossier bundle) asked for by a user and built by the
    worker (issue #16, point 2): its progress as the user sees it, its attempts, and the file
    kept for download for `EXPORT_KEEP_DAYS` days."""

    cycle = models.ForeignKey(
        ReviewCycle, on_delete=models.CASCADE, related_name="export_jobs", verbose_name=_("kỳ")
    )
    organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="export_jobs",
        verbose_name=_("tổ chức"),
    )
    fmt = models.CharField(_("định dạng"), max_length=8)
    state = models.CharField(
        _("trạng thái"), max_length=8, choices=ExportState.choices, default=ExportState.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("tiến độ (%)"), default=0)
    step = models.CharField(_("đang làm"), max_length=200, blank=True)
    attempts = models.PositiveSmallIntegerField(_("số lần chạy"), default=0)
    error = models.CharField(_("lỗi"), max_length=500, blank=True)
    file = models.FileField(_("tệp"), upload_to=export_upload_path, max_length=255, blank=True)
    file_name = models.CharField(_("tên tệp"), max_length=200, blank=True)
    size = models.PositiveBigIntegerField(_("dung lượng"), null=True, blank=True)
    requested_at = models.DateTimeField(_("yêu cầu lúc"), default=timezone.now)
    requested_by = acting_user_field(_("người yêu cầu"))
    started_at = models.DateTimeField(_("bắt đầu lúc"), null=True, blank=True)
    finished_at = models.DateTimeField(_("xong lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("tệp xuất báo cáo")
        verbose_name_plural = _("tệp xuất báo cáo")
        ordering = ["-requested_at", "-pk"]
        indexes = [models.Index(fields=["requested_by", "cycle", "organization", "fmt"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(progress__lte=100), name="export_progress_at_most_100"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organization} — {self.fmt} — {self.get_state_display()}"

    @property
    def is_pending(self) -> bool:
        return self.state in (ExportState.QUEUED, ExportState.RUNNING)
