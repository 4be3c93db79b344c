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
from reviews.models.levels import Level, QuotaBasis, QuotaRounding, RuleSetCode
from reviews.models.transitions import StateMachine, TransitionRecord


class CycleStatus(models.TextChoices):
    DRAFT = "draft", _("Đang chuẩn bị")
    OPEN = "open", _("Đang diễn ra")
    CLOSED = "closed", _("Đã kết thúc")


#: A cycle is prepared, opened, closed; a closed cycle may be reopened (with a reason).
CYCLE_TRANSITIONS = StateMachine(
    CycleStatus,
    {
        CycleStatus.DRAFT: {CycleStatus.OPEN},
        CycleStatus.OPEN: {CycleStatus.CLOSED},
        CycleStatus.CLOSED: {CycleStatus.OPEN},
    },
    noun=_("kỳ"),
    field="status",
)


class ReviewCycleQuerySet(models.QuerySet):
    def open(self) -> ReviewCycleQuerySet:
        return self.filter(status=CycleStatus.OPEN)


def _score_field(verbose_name) -> models.DecimalField:
    return models.DecimalField(
        verbose_name,
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
    )


#: The score bands from best to worst, as (field, level) (QĐ 366-QĐ/TW, Điều 11).
SCORE_BAND_FIELDS = (
    ("score_excellent_min", Level.EXCELLENT),
    ("score_good_min", Level.GOOD),
    ("score_completed_min", Level.COMPLETED),
)
#: The cycle settings a rule set fills in when a cycle is created (issue #13, point 1).
CYCLE_SETTING_FIELDS = (
    "quota_rate",
    "quota_basis",
    "quota_rounding",
    "exception_ceiling",
    "finish_by",
    "special_finish_by",
    "score_excellent_min",
    "score_good_min",
    "score_completed_min",
    "tasks_beyond_min_percent",
    "tasks_late_max_percent",
    "unit_tasks_trigger_percent",
    "quarter_bars_excellent",
    "quarters_flag_personnel",
)


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
    # Deadlines of the process (QĐ 366-QĐ/TW, Điều 16–17; HD 43 §8); `deadline` is the dossier's.
    finish_by = models.DateField(
        _("hạn hoàn thành kiểm điểm, xếp loại"),
        null=True,
        blank=True,
        help_text=_("QĐ 366: trước ngày 31/12 (để trống: như hạn nộp)."),
    )
    special_finish_by = models.DateField(
        _("hạn hoàn thành của đơn vị đặc thù"),
        null=True,
        blank=True,
        help_text=_("QĐ 366: trước ngày 15/01 năm sau."),
    )
    # Score bands and conditions (QĐ 366-QĐ/TW, Điều 11); empty for regimes without points.
    score_excellent_min = _score_field(_("điểm tối thiểu “Hoàn thành xuất sắc nhiệm vụ”"))
    score_good_min = _score_field(_("điểm tối thiểu “Hoàn thành tốt nhiệm vụ”"))
    score_completed_min = _score_field(_("điểm tối thiểu “Hoàn thành nhiệm vụ”"))
    tasks_beyond_min_percent = _score_field(
        _("“Xuất sắc”: tỷ lệ nhiệm vụ vượt yêu cầu tối thiểu (%)")
    )
    tasks_late_max_percent = _score_field(_("“Hoàn thành”: tỷ lệ nhiệm vụ chậm tiến độ tối đa (%)"))
    unit_tasks_trigger_percent = _score_field(
        _("đơn vị hoàn thành dưới (%) nhiệm vụ: “Không hoàn thành nhiệm vụ”")
    )
    # Roll-up of the quarterly evaluation into the year (local rules on QĐ 366 and KL 198;
    # DOMAIN.md §14, interpretation): off unless the competent body adopts them.
    quarter_bars_excellent = models.BooleanField(
        _("một quý “Không hoàn thành nhiệm vụ” thì cả năm không được “Hoàn thành xuất sắc”"),
        default=False,
    )
    quarters_flag_personnel = models.BooleanField(
        _("hai quý liên tiếp “Không hoàn thành nhiệm vụ” thì báo cơ quan tham mưu về cán bộ"),
        default=False,
    )
    #: "HTXSNV N năm liên tục" counts N from this (commendation rules name the years; 5 is the
    #: usual one, a setting because provinces differ).
    commendation_years = models.PositiveSmallIntegerField(
        _("số năm liên tục “Hoàn thành xuất sắc nhiệm vụ” để đề nghị khen thưởng"),
        default=5,
        validators=[MinValueValidator(2), MaxValueValidator(20)],
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
                {
                    "exception_ceiling": ValidationError(
                        _("Trần ngoại lệ không thể thấp hơn tỷ lệ tối đa."),
                        code="ceiling_below_rate",
                    )
                }
            )
        bands = [getattr(self, field) for field, _level in SCORE_BAND_FIELDS]
        if any(band is not None for band in bands):
            if any(band is None for band in bands):
                raise ValidationError(
                    _(
                        "Cần nhập đủ ba ngưỡng điểm (xuất sắc, tốt, hoàn thành) "
                        "hoặc để trống cả ba."
                    ),
                    code="score_bands_incomplete",
                )
            if not bands[0] > bands[1] > bands[2] > 0:
                raise ValidationError(
                    {
                        "score_good_min": ValidationError(
                            _(
                                "Các ngưỡng điểm chồng lấn nhau: cần “Xuất sắc” > “Tốt” > "
                                "“Hoàn thành” > 0 (hiện %(excellent)s, %(good)s, %(completed)s)."
                            )
                            % {"excellent": bands[0], "good": bands[1], "completed": bands[2]},
                            code="score_bands_overlap",
                        )
                    }
                )
        if self.finish_by and self.deadline and self.finish_by > self.deadline:
            raise ValidationError(
                {
                    "finish_by": ValidationError(
                        _("Hạn hoàn thành không thể sau hạn nộp hồ sơ."),
                        code="finish_after_deadline",
                    )
                }
            )

    @property
    def uses_scores(self) -> bool:
        """Whether subjects are scored out of 100 (QĐ 366-QĐ/TW, Điều 10)."""
        return self.score_excellent_min is not None

    def level_for_score(self, score: Decimal) -> str:
        """The best level a total score reaches on the cycle's bands (QĐ 366, Điều 11)."""
        for field, level in SCORE_BAND_FIELDS:
            if score >= getattr(self, field):
                return level
        return Level.NOT_COMPLETED

    @property
    def work_deadline(self) -> datetime.date:
        """The day the reviews must be finished by: the dashboard counts towards it."""
        return self.finish_by or self.deadline

    @property
    def is_open(self) -> bool:
        return self.status == CycleStatus.OPEN

    def finish_by_for(self, unit: Organization | None) -> datetime.date:
        """The day `unit` must finish by: the special units' date for a special unit (QĐ 366:
        15/01), the cycle's otherwise."""
        if unit is not None and unit.special_deadline and self.special_finish_by:
            return self.special_finish_by
        return self.work_deadline

    def days_left(self, today: datetime.date, unit: Organization | None = None) -> int:
        """Positive: days left before the work deadline (the unit's); negative: days overdue."""
        return (self.finish_by_for(unit) - today).days


class CycleTransition(TransitionRecord):
    cycle = models.ForeignKey(
        ReviewCycle, on_delete=models.CASCADE, related_name="transitions", verbose_name=_("kỳ")
    )

    machine = CYCLE_TRANSITIONS

    class Meta(TransitionRecord.Meta):
        verbose_name = _("lịch sử trạng thái kỳ")
        verbose_name_plural = _("lịch sử trạng thái kỳ")

    def __str__(self) -> str:
        return f"{self.cycle}: {self.from_state} → {self.to_state}"


class CycleChange(models.Model):
    """History of a cycle's settings: who changed what, when, from what to what."""

    cycle = models.ForeignKey(
        ReviewCycle, on_delete=models.CASCADE, related_name="changes", verbose_name=_("kỳ")
    )
    changed_at = models.DateTimeField(_("thời điểm"), auto_now_add=True)
    changed_by = acting_user_field(_("người thay đổi"))
    old_values = models.JSONField(_("giá trị cũ"), default=dict)
    new_values = models.JSONField(_("giá trị mới"), default=dict)

    class Meta:
        verbose_name = _("lịch sử thay đổi kỳ")
        verbose_name_plural = _("lịch sử thay đổi kỳ")
        ordering = ["-changed_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.cycle}: {', '.join(self.new_values)}"
