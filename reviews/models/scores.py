"""Criteria trees and criterion scores out of 100 (QĐ 366-QĐ/TW, Điều 10; HD 43 §7.12)."""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from organizations.models import acting_user_field
from reviews.models.cycles import ReviewCycle
from reviews.models.levels import CriterionPart, Framework
from reviews.models.ratings import Rating


class Criterion(models.Model):
    """One criterion of a cycle's criteria tree for one framework, with its maximum.

    The committee above splits the 30 and the 70 points (HD 43 §7.12: "cụ thể hoá … nội dung
    chấm điểm"), so each cycle holds its own editable copy of the shipped template; a group's
    maximum is the sum of its children's, and only leaves are scored.
    """

    cycle = models.ForeignKey(
        ReviewCycle, on_delete=models.CASCADE, related_name="criteria", verbose_name=_("kỳ")
    )
    framework = models.CharField(_("khung tiêu chí"), max_length=4, choices=Framework.choices)
    part = models.CharField(_("phần"), max_length=8, choices=CriterionPart.choices)
    parent = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("thuộc nhóm"),
    )
    code = models.CharField(_("số hiệu"), max_length=16)
    order = models.PositiveSmallIntegerField(_("thứ tự"))
    title = models.CharField(_("nội dung tiêu chí"), max_length=500)
    max_points = models.DecimalField(
        _("điểm tối đa"),
        max_digits=4,
        decimal_places=1,
        validators=[MinValueValidator(Decimal("0.1")), MaxValueValidator(Decimal("70"))],
    )

    class Meta:
        verbose_name = _("tiêu chí chấm điểm")
        verbose_name_plural = _("tiêu chí chấm điểm")
        ordering = ["cycle", "framework", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "framework", "code"], name="criterion_code_unique_per_framework"
            ),
            models.CheckConstraint(
                condition=Q(max_points__gt=0), name="criterion_max_points_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code}. {self.title} ({self.max_points})"


class CriterionScore(models.Model):
    """One subject's score on one leaf criterion: self-scored and decided (QĐ 366, Điều 10)."""

    rating = models.ForeignKey(
        Rating, on_delete=models.CASCADE, related_name="scores", verbose_name=_("kết quả xếp loại")
    )
    criterion = models.ForeignKey(
        Criterion, on_delete=models.PROTECT, related_name="scores", verbose_name=_("tiêu chí")
    )
    self_points = models.DecimalField(
        _("điểm tự chấm"), max_digits=4, decimal_places=1, null=True, blank=True
    )
    decided_points = models.DecimalField(
        _("điểm cấp có thẩm quyền"), max_digits=4, decimal_places=1, null=True, blank=True
    )
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)
    updated_by = acting_user_field(_("người nhập"))

    class Meta:
        verbose_name = _("điểm tiêu chí")
        verbose_name_plural = _("điểm tiêu chí")
        ordering = ["rating", "criterion__order"]
        constraints = [
            models.UniqueConstraint(
                fields=["rating", "criterion"], name="criterion_score_unique_per_rating"
            ),
            models.CheckConstraint(
                condition=(Q(self_points__isnull=True) | Q(self_points__gte=0))
                & (Q(decided_points__isnull=True) | Q(decided_points__gte=0)),
                name="criterion_score_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.rating}: {self.criterion.code} {self.self_points}/{self.decided_points}"
