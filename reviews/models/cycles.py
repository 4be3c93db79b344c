"""Review cycles and their status history (DOMAIN.md §3, §10)."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from organizations.models import ROOT_KINDS, Organization, acting_user_field
from reviews.models.levels import QuotaBasis, QuotaRounding, RuleSetCode


class CycleStatus(models.TextChoices):
    DRAFT = "draft", _("Đang chuẩn bị")
    OPEN = "open", _("Đang diễn ra")
    CLOSED = "closed", _("Đã kết thúc")


CYCLE_TRANSITIONS: dict[str, frozenset[str]] = {
    CycleStatus.DRAFT: frozenset({CycleStatus.OPEN}),
    CycleStatus.OPEN: frozenset({CycleStatus.CLOSED}),
    CycleStatus.CLOSED: frozenset({CycleStatus.OPEN}),
}


class ReviewCycleQuerySet(models.QuerySet):
    def open(self) -> ReviewCycleQuerySet:
        return self.filter(status=CycleStatus.OPEN)


class ReviewCycle(models.Model):
    """One year's review campaign of a bloc, with the settings it runs under (DOMAIN.md §3, §10)."""

    organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="review_cycles",
        verbose_name=_("đảng bộ tổ chức kỳ đánh giá"),
        limit_choices_to={"kind__in": list(ROOT_KINDS)},
    )
    year = models.PositiveSmallIntegerField(
        _("năm"), validators=[MinValueValidator(2018), MaxValueValidator(2100)]
    )
    title = models.CharField(_("tên kỳ"), max_length=255)
    rule_set = models.CharField(
        _("bộ quy định áp dụng"), max_length=24, choices=RuleSetCode.choices
    )
    deadline = models.DateField(_("hạn nộp"))
    reference_date = models.DateField(
        _("ngày tính điều kiện"),
        help_text=_("Ngày dùng để tính thời gian vào Đảng, thời gian thành lập, nghỉ ốm …"),
    )
    legal_references = models.TextField(_("căn cứ, văn bản hướng dẫn"), blank=True)
    quota_rate = models.DecimalField(
        _('tỷ lệ tối đa "Hoàn thành xuất sắc"'),
        max_digits=4,
        decimal_places=3,
        default=Decimal("0.200"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("1"))],
    )
    quota_basis = models.CharField(
        _("cơ sở tính tỷ lệ"),
        max_length=16,
        choices=QuotaBasis.choices,
        default=QuotaBasis.GOOD_ONLY,
    )
    quota_rounding = models.CharField(
        _("cách làm tròn"), max_length=8, choices=QuotaRounding.choices, default=QuotaRounding.FLOOR
    )
    exception_ceiling = models.DecimalField(
        _("trần ngoại lệ"),
        max_digits=4,
        decimal_places=3,
        null=True,
        blank=True,
        help_text=_(
            "Tỷ lệ tối đa khi cấp có thẩm quyền cho phép vượt (để trống: không có ngoại lệ)."
        ),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("1"))],
    )
    status = models.CharField(
        _("trạng thái"), max_length=8, choices=CycleStatus.choices, default=CycleStatus.DRAFT
    )

    objects = ReviewCycleQuerySet.as_manager()

    class Meta:
        verbose_name = _("kỳ đánh giá")
        verbose_name_plural = _("kỳ đánh giá")
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "year"], name="cycle_unique_per_year"),
            models.CheckConstraint(
                condition=Q(quota_rate__gte=0) & Q(quota_rate__lte=1), name="cycle_quota_rate_range"
            ),
            models.CheckConstraint(
                condition=Q(exception_ceiling__isnull=True)
                | Q(exception_ceiling__gte=models.F("quota_rate")),
                name="cycle_exception_ceiling_above_rate",
            ),
        ]

    def __str__(self) -> str:
        return str(self.title)

    def clean(self) -> None:
        if self.exception_ceiling is not None and self.exception_ceiling < self.quota_rate:
            raise ValidationError(
                {"exception_ceiling": _("Trần ngoại lệ không thể thấp hơn tỷ lệ tối đa.")},
                code="ceiling_below_rate",
            )

    @property
    def is_open(self) -> bool:
        return self.status == CycleStatus.OPEN

    def days_left(self, today: datetime.date) -> int:
        """Positive: days left before the deadline; negative: days overdue."""
        return (self.deadline - today).days


class CycleTransition(models.Model):
    cycle = models.ForeignKey(
        ReviewCycle, on_delete=models.CASCADE, related_name="transitions", verbose_name=_("kỳ")
    )
    from_status = models.CharField(_("từ"), max_length=8, choices=CycleStatus.choices)
    to_status = models.CharField(_("sang"), max_length=8, choices=CycleStatus.choices)
    changed_at = models.DateTimeField(_("thời điểm"), auto_now_add=True)
    changed_by = acting_user_field(_("người thực hiện"))
    reason = models.CharField(_("lý do"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("lịch sử trạng thái kỳ")
        verbose_name_plural = _("lịch sử trạng thái kỳ")
        ordering = ["-changed_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.cycle}: {self.from_status} → {self.to_status}"
