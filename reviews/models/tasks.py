"""A register of each person's and collective's tasks and products (QĐ 366-QĐ/TW, Điều 10–11:
task results "bằng sản phẩm, tiến độ, chất lượng"; issue #15, point 1).

When a rating's register holds tasks, its task facts (share done, beyond what was required,
late) are computed from it and recorded on the rating (`reviews.services.tasks`); a unit that
keeps its tasks elsewhere types the shares instead.
"""

from __future__ import annotations

from django.core.exceptions import FieldDoesNotExist
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from organizations.models import acting_user_field
from reviews.models.guidance import UploadedFileFields
from reviews.models.ratings import Rating


class TaskQuality(models.TextChoices):
    MEETS = "meets", _("Đạt yêu cầu")
    FAILS = "fails", _("Chưa đạt yêu cầu")


class TaskItemManager(models.Manager):
    """The register: the tasks not removed. Every read of a register (its page, its shares,
    the sheet, Mẫu 05, the pool screen's "kept in the register") goes through
    `TaskItem.objects`, so a removed task counts nowhere; `all_objects` keeps it for the
    history and the admin."""

    def get_queryset(self) -> models.QuerySet:
        return super().get_queryset().filter(removed_at__isnull=True)


class TaskItem(models.Model):
    """One task of the year (or of a quarter) with its due date, when it was done, its quality,
    whether it went beyond what was required, and its evidence (minh chứng). A task removed
    from the register keeps its row, its files and its history (who, when)."""

    rating = models.ForeignKey(
        Rating, on_delete=models.CASCADE, related_name="tasks", verbose_name=_("xếp loại năm")
    )
    quarter = models.PositiveSmallIntegerField(
        _("quý"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(4)],
        help_text=_("Để trống: nhiệm vụ của cả năm."),
    )
    title = models.CharField(_("nhiệm vụ, sản phẩm"), max_length=500)
    due_on = models.DateField(_("hạn hoàn thành"))
    done_on = models.DateField(_("ngày hoàn thành"), null=True, blank=True)
    quality = models.CharField(
        _("chất lượng"), max_length=8, choices=TaskQuality.choices, blank=True
    )
    beyond_requirement = models.BooleanField(_("vượt yêu cầu"), default=False)
    evidence = models.CharField(
        _("minh chứng"),
        max_length=500,
        blank=True,
        help_text=_("Số văn bản, tên sản phẩm hoặc nơi lưu."),
    )
    created_at = models.DateTimeField(_("tạo lúc"), default=timezone.now)
    updated_by = acting_user_field(_("người cập nhật"))
    removed_at = models.DateTimeField(_("gỡ khỏi sổ lúc"), null=True, blank=True)
    removed_by = acting_user_field(_("người gỡ khỏi sổ"))

    all_objects = models.Manager()
    objects = TaskItemManager()

    class Meta:
        verbose_name = _("nhiệm vụ")
        verbose_name_plural = _("sổ theo dõi nhiệm vụ")
        ordering = ["rating", "due_on", "pk"]
        # What Django itself reads (related managers, dumpdata) sees every row.
        default_manager_name = "all_objects"
        constraints = [
            models.CheckConstraint(
                condition=Q(quarter__isnull=True) | Q(quarter__gte=1, quarter__lte=4),
                name="task_quarter_1_4",
            ),
            models.CheckConstraint(
                condition=Q(done_on__isnull=False) | Q(quality="", beyond_requirement=False),
                name="task_quality_only_when_done",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_done(self) -> bool:
        return self.done_on is not None and self.quality != TaskQuality.FAILS

    @property
    def is_late(self) -> bool:
        return self.done_on is not None and self.done_on > self.due_on


class TaskItemChange(models.Model):
    """History of a task: who changed which field, when, from what to what, and why; its
    entry into the register and its removal too."""

    task = models.ForeignKey(
        TaskItem, on_delete=models.PROTECT, related_name="changes", verbose_name=_("nhiệm vụ")
    )
    field = models.CharField(_("nội dung"), max_length=40)
    old_value = models.CharField(_("giá trị cũ"), max_length=500, blank=True)
    new_value = models.CharField(_("giá trị mới"), max_length=500, blank=True)
    reason = models.CharField(_("lý do"), max_length=500, blank=True)
    changed_at = models.DateTimeField(_("thời điểm"), auto_now_add=True)
    changed_by = acting_user_field(_("người thay đổi"))

    class Meta:
        verbose_name = _("lịch sử thay đổi nhiệm vụ")
        verbose_name_plural = _("lịch sử thay đổi nhiệm vụ")
        ordering = ["-changed_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.field_label}: {self.old_value} → {self.new_value}"

    @property
    def field_label(self) -> str:
        """The changed field's Vietnamese name, for the admin."""
        try:
            field = TaskItem._meta.get_field(self.field)
        except FieldDoesNotExist:  # a field since removed keeps its stored name
            return self.field
        return str(getattr(field, "verbose_name", self.field))


class TaskEvidenceQuerySet(models.QuerySet):
    def present(self) -> TaskEvidenceQuerySet:
        return self.filter(removed_at__isnull=True)


class TaskEvidence(UploadedFileFields):
    """A file proving a task's product (issue #15, point 1: "evidence (a file or a
    reference)"), stored privately and served only to the rating's readers. Removing it keeps
    the record (who, when) for the audit trail."""

    task = models.ForeignKey(
        TaskItem, on_delete=models.PROTECT, related_name="files", verbose_name=_("nhiệm vụ")
    )
    uploaded_at = models.DateTimeField(_("tải lên lúc"), default=timezone.now)
    uploaded_by = acting_user_field(_("người tải lên"))
    removed_at = models.DateTimeField(_("gỡ bỏ lúc"), null=True, blank=True)
    removed_by = acting_user_field(_("người gỡ bỏ"))

    objects = TaskEvidenceQuerySet.as_manager()

    class Meta:
        verbose_name = _("tệp minh chứng")
        verbose_name_plural = _("tệp minh chứng")
        ordering = ["task", "uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.original_name
