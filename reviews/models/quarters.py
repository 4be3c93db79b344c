"""Quarterly evaluation inside a year's cycle (QĐ 366-QĐ/TW; Kết luận 198-KL/TW; DOMAIN.md §14).

An individual self-assesses each of Q1–Q3 (Mẫu 05: the quarter's tasks, results, the level he
proposes) and whoever manages him directly assesses it; Q4 is merged into the year-end review,
which reads Q1–Q3. One row per rating and quarter: the rating is the person in the year.
"""

from __future__ import annotations

import datetime

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from organizations.models import acting_user_field
from reviews.models.levels import Level
from reviews.models.ratings import Rating

#: Q4 is the year-end review itself (KL 198).
QUARTERS = (1, 2, 3)
QUARTER_TEXT_MAX_LENGTH = 10_000


def quarter_deadline(year: int, quarter: int) -> datetime.date:
    """The 15th of the quarter's last month (KL 198-KL/TW): 15/3, 15/6, 15/9."""
    return datetime.date(year, 3 * quarter, 15)


class QuarterAssessment(models.Model):
    """One quarter of one person's year: his self-assessment and his manager's assessment."""

    rating = models.ForeignKey(
        Rating, on_delete=models.CASCADE, related_name="quarters", verbose_name=_("xếp loại năm")
    )
    quarter = models.PositiveSmallIntegerField(
        _("quý"), choices=[(q, _("Quý %(q)s") % {"q": q}) for q in QUARTERS]
    )
    tasks = models.TextField(
        _("nhiệm vụ trong quý"), max_length=QUARTER_TEXT_MAX_LENGTH, blank=True
    )
    results = models.TextField(
        _("kết quả thực hiện"), max_length=QUARTER_TEXT_MAX_LENGTH, blank=True
    )
    self_level = models.CharField(
        _("tự đánh giá, xếp loại"), max_length=8, choices=Level.choices, blank=True
    )
    self_submitted_at = models.DateTimeField(_("tự đánh giá lúc"), null=True, blank=True)
    manager_level = models.CharField(
        _("cấp quản lý trực tiếp đánh giá"), max_length=8, choices=Level.choices, blank=True
    )
    manager_comment = models.TextField(
        _("nhận xét của cấp quản lý trực tiếp"), max_length=4000, blank=True
    )
    assessed_at = models.DateTimeField(_("đánh giá lúc"), null=True, blank=True)
    assessed_by = acting_user_field(_("người đánh giá"))
    version = models.PositiveIntegerField(_("phiên bản"), default=1)
    updated_at = models.DateTimeField(_("cập nhật lúc"), default=timezone.now)
    updated_by = acting_user_field(_("người cập nhật"))

    class Meta:
        verbose_name = _("đánh giá hằng quý")
        verbose_name_plural = _("đánh giá hằng quý")
        ordering = ["rating", "quarter"]
        constraints = [
            models.UniqueConstraint(fields=["rating", "quarter"], name="quarter_once_per_rating"),
            models.CheckConstraint(
                condition=Q(quarter__gte=1, quarter__lte=3), name="quarter_q1_q3"
            ),
            models.CheckConstraint(
                condition=(Q(manager_level="") & Q(assessed_at__isnull=True))
                | (~Q(manager_level="") & Q(assessed_at__isnull=False)),
                name="quarter_assessment_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.rating.subject} — Q{self.quarter}/{self.rating.cycle.year}"

    @property
    def result(self) -> str:
        """The quarter's result: the manager's assessment ('' while not assessed)."""
        return self.manager_level

    @property
    def deadline(self) -> datetime.date:
        return quarter_deadline(self.rating.cycle.year, self.quarter)
