"""Review cycles, pools, ratings and submissions (DOMAIN.md §2–3, §6, §12)."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from members.models import LeadershipCollective, ManagingLevel, Member
from organizations.models import ROOT_KINDS, Organization, acting_user_field


class Level(models.TextChoices):
    """The four rating levels, best first (DOMAIN.md §2)."""

    EXCELLENT = "HTXSNV", _("Hoàn thành xuất sắc nhiệm vụ")
    GOOD = "HTTNV", _("Hoàn thành tốt nhiệm vụ")
    COMPLETED = "HTNV", _("Hoàn thành nhiệm vụ")
    NOT_COMPLETED = "KHTNV", _("Không hoàn thành nhiệm vụ")


LEVEL_SHORT_LABELS = {
    Level.EXCELLENT: _("Xuất sắc"),
    Level.GOOD: _("Tốt"),
    Level.COMPLETED: _("Hoàn thành"),
    Level.NOT_COMPLETED: _("Không hoàn thành"),
}
#: Lower is better: used to compare a level with a cap.
LEVEL_RANK = {level: index for index, level in enumerate(Level.values)}


class RuleSetCode(models.TextChoices):
    """Regulation regimes (DOMAIN.md §10); each code has a rule set in `reviews.rules`."""

    HD21_2019 = "hd21_2019", _("QĐ 132-QĐ/TW, HD 21-HD/BTCTW (2019–2022)")


class QuotaBasis(models.TextChoices):
    GOOD_ONLY = "good_only", _('Số được xếp loại đúng mức "Hoàn thành tốt nhiệm vụ"')
    GOOD_OR_BETTER = "good_or_better", _('Số được xếp loại "Hoàn thành tốt nhiệm vụ" trở lên')


class QuotaRounding(models.TextChoices):
    FLOOR = "floor", _("Làm tròn xuống (không vượt quá)")
    NEAREST = "nearest", _("Làm tròn đến số gần nhất")


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


class SubjectKind(models.TextChoices):
    MEMBER = "member", _("Đảng viên")
    ORGANIZATION = "organization", _("Tổ chức đảng")
    COLLECTIVE = "collective", _("Tập thể lãnh đạo, quản lý")
    LEADER = "leader", _("Cá nhân cán bộ lãnh đạo, quản lý")


class PoolState(models.TextChoices):
    OPEN = "open", _("Đang xem xét")
    FINALIZED = "finalized", _("Đã chốt kết quả")


class Pool(models.Model):
    """The decisions one competent body makes in one cycle for one kind of subject (DOMAIN.md §3).

    The row is what the quota service locks: derived from the hierarchy, never typed in.
    """

    cycle = models.ForeignKey(
        ReviewCycle, on_delete=models.CASCADE, related_name="pools", verbose_name=_("kỳ")
    )
    owner = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="pools",
        verbose_name=_("cấp quyết định"),
    )
    subject_kind = models.CharField(_("đối tượng"), max_length=16, choices=SubjectKind.choices)
    state = models.CharField(
        _("trạng thái"), max_length=12, choices=PoolState.choices, default=PoolState.OPEN
    )
    finalized_at = models.DateTimeField(_("chốt lúc"), null=True, blank=True)
    finalized_by = acting_user_field(_("người chốt"))

    class Meta:
        verbose_name = _("nhóm xếp loại")
        verbose_name_plural = _("nhóm xếp loại")
        ordering = ["cycle", "owner__path", "subject_kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "owner", "subject_kind"], name="pool_unique_per_owner_and_kind"
            ),
            models.CheckConstraint(
                condition=(Q(state=PoolState.FINALIZED) & Q(finalized_at__isnull=False))
                | (Q(state=PoolState.OPEN) & Q(finalized_at__isnull=True)),
                name="pool_finalized_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.owner} — {self.get_subject_kind_display()} ({self.cycle.year})"

    @property
    def is_finalized(self) -> bool:
        return self.state == PoolState.FINALIZED


class PoolTransition(models.Model):
    pool = models.ForeignKey(
        Pool, on_delete=models.CASCADE, related_name="transitions", verbose_name=_("nhóm")
    )
    from_state = models.CharField(_("từ"), max_length=12, choices=PoolState.choices)
    to_state = models.CharField(_("sang"), max_length=12, choices=PoolState.choices)
    changed_at = models.DateTimeField(_("thời điểm"), auto_now_add=True)
    changed_by = acting_user_field(_("người thực hiện"))
    reason = models.CharField(_("lý do"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("lịch sử chốt kết quả")
        verbose_name_plural = _("lịch sử chốt kết quả")
        ordering = ["-changed_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.pool}: {self.from_state} → {self.to_state}"


class NotRatedReason(models.TextChoices):
    """Why a subject is not rated (DOMAIN.md §4); the first two are not reviewed either."""

    EXEMPT = "exempt", _("Miễn công tác và sinh hoạt đảng")
    SUSPENDED = "suspended", _("Đình chỉ sinh hoạt đảng")
    NEW_MEMBER = "new_member", _("Vào Đảng chưa đủ 6 tháng")
    NEWLY_FORMED = "newly_formed", _("Mới thành lập chưa đủ 6 tháng")


NOT_REVIEWED_REASONS = frozenset({NotRatedReason.EXEMPT, NotRatedReason.SUSPENDED})


class RatingQuerySet(models.QuerySet):
    def rated(self) -> RatingQuerySet:
        return self.filter(not_rated_reason="")

    def in_subtree(self, organization: Organization) -> RatingQuerySet:
        return self.filter(pool__owner__path__startswith=organization.path)


def _level_field(verbose_name: str) -> models.CharField:
    return models.CharField(verbose_name, max_length=8, choices=Level.choices, blank=True)


class Rating(models.Model):
    """One subject's rating record in one cycle: self-rating, proposal, decision (DOMAIN.md §12).

    Exactly one of member / organization / collective is set, as the subject kind says; a leader's
    record points at the member who holds the post. Written only through `reviews.services`.
    """

    cycle = models.ForeignKey(
        ReviewCycle, on_delete=models.CASCADE, related_name="ratings", verbose_name=_("kỳ")
    )
    pool = models.ForeignKey(
        Pool, on_delete=models.PROTECT, related_name="ratings", verbose_name=_("nhóm xếp loại")
    )
    subject_kind = models.CharField(_("đối tượng"), max_length=16, choices=SubjectKind.choices)
    member = models.ForeignKey(
        Member,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="ratings",
        verbose_name=_("đảng viên"),
    )
    organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="ratings",
        verbose_name=_("tổ chức đảng"),
    )
    collective = models.ForeignKey(
        LeadershipCollective,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="ratings",
        verbose_name=_("tập thể lãnh đạo"),
    )
    not_rated_reason = models.CharField(
        _("lý do không xếp loại"), max_length=16, choices=NotRatedReason.choices, blank=True
    )
    self_level = _level_field(_("tự đánh giá, xếp loại"))
    proposal_level = _level_field(_("chi bộ đề xuất"))
    votes_for = models.PositiveSmallIntegerField(_("tán thành"), null=True, blank=True)
    votes_against = models.PositiveSmallIntegerField(_("không tán thành"), null=True, blank=True)
    decision_level = _level_field(_("cấp ủy quyết định"))
    decided_at = models.DateTimeField(_("quyết định lúc"), null=True, blank=True)
    decided_by = acting_user_field(_("người nhập quyết định"))
    # Facts of the year the rules read (HD 21; DOMAIN.md §5).
    civil_service_level = _level_field(_("xếp loại cán bộ, công chức, viên chức"))
    targets_under_half = models.BooleanField(
        _("hoàn thành dưới 50% chỉ tiêu, nhiệm vụ"), default=False
    )
    degradation_concluded = models.BooleanField(
        _("cấp có thẩm quyền kết luận suy thoái / mất đoàn kết"), default=False
    )
    collective_disciplined = models.BooleanField(_("tập thể bị kỷ luật trong năm"), default=False)
    # An override of the rules (UI-VI.md: "Điều chỉnh ngoài quy định").
    override_reason = models.TextField(_("lý do điều chỉnh ngoài quy định"), blank=True)
    override_reference = models.CharField(_("số văn bản cho phép"), max_length=100, blank=True)
    override_by = acting_user_field(_("người quyết định điều chỉnh"))
    override_at = models.DateTimeField(_("điều chỉnh lúc"), null=True, blank=True)
    note = models.CharField(_("ghi chú"), max_length=500, blank=True)
    # A member who moved during the cycle is decided and counted by the receiving unit, with the
    # old cell's comments (HD 21: when he was there 6 months or more); one attending another
    # cell temporarily is rated at his own cell with the host cell's comments (DOMAIN.md §4).
    transferred_from = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("chuyển đến từ chi bộ"),
    )
    previous_cell_comments_required = models.BooleanField(
        _("cần nhận xét của chi bộ nơi chuyển đi"), default=False
    )
    previous_cell_comments = models.TextField(
        _("nhận xét của chi bộ nơi chuyển đi"), max_length=4000, blank=True
    )
    host_cell_comments = models.TextField(
        _("nhận xét của chi bộ nơi sinh hoạt tạm thời"), max_length=4000, blank=True
    )
    version = models.PositiveIntegerField(_("phiên bản"), default=1)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    objects = RatingQuerySet.as_manager()

    class Meta:
        verbose_name = _("kết quả xếp loại")
        verbose_name_plural = _("kết quả xếp loại")
        ordering = ["cycle", "pool", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "member"],
                condition=Q(subject_kind=SubjectKind.MEMBER),
                name="rating_unique_member_per_cycle",
            ),
            models.UniqueConstraint(
                fields=["cycle", "member"],
                condition=Q(subject_kind=SubjectKind.LEADER),
                name="rating_unique_leader_per_cycle",
            ),
            models.UniqueConstraint(
                fields=["cycle", "organization"],
                condition=Q(organization__isnull=False),
                name="rating_unique_organization_per_cycle",
            ),
            models.UniqueConstraint(
                fields=["cycle", "collective"],
                condition=Q(collective__isnull=False),
                name="rating_unique_collective_per_cycle",
            ),
            models.CheckConstraint(
                condition=(
                    Q(
                        subject_kind__in=[SubjectKind.MEMBER, SubjectKind.LEADER],
                        member__isnull=False,
                        organization__isnull=True,
                        collective__isnull=True,
                    )
                    | Q(
                        subject_kind=SubjectKind.ORGANIZATION,
                        member__isnull=True,
                        organization__isnull=False,
                        collective__isnull=True,
                    )
                    | Q(
                        subject_kind=SubjectKind.COLLECTIVE,
                        member__isnull=True,
                        organization__isnull=True,
                        collective__isnull=False,
                    )
                ),
                name="rating_subject_matches_kind",
            ),
            models.CheckConstraint(
                condition=Q(not_rated_reason="")
                | (Q(self_level="") & Q(proposal_level="") & Q(decision_level="")),
                name="rating_not_rated_has_no_levels",
            ),
            models.CheckConstraint(
                condition=(Q(decision_level="") & Q(decided_at__isnull=True))
                | (~Q(decision_level="") & Q(decided_at__isnull=False)),
                name="rating_decision_has_time",
            ),
            models.CheckConstraint(
                condition=(Q(override_reason="") & Q(override_at__isnull=True))
                | (
                    ~Q(override_reason="")
                    & ~Q(override_reference="")
                    & Q(override_at__isnull=False)
                ),
                name="rating_override_complete",
            ),
        ]
        indexes = [models.Index(fields=["pool", "decision_level"])]

    def __str__(self) -> str:
        return f"{self.subject} — {self.cycle.year}"

    @property
    def subject(self):
        return self.member or self.organization or self.collective

    @property
    def is_rated(self) -> bool:
        return not self.not_rated_reason

    @property
    def is_reviewed(self) -> bool:
        return self.not_rated_reason not in NOT_REVIEWED_REASONS

    @property
    def has_override(self) -> bool:
        return bool(self.override_reason)

    @property
    def vote_share(self) -> float | None:
        """Share of the cell's votes for its proposal (the ranking's first key)."""
        if self.votes_for is None:
            return None
        total = self.votes_for + (self.votes_against or 0)
        return self.votes_for / total if total else None


#: Rating fields that hold a level code (shown by the level's name in the history).
LEVEL_VALUE_FIELDS = frozenset(
    {"self_level", "proposal_level", "decision_level", "civil_service_level"}
)


class RatingChange(models.Model):
    """History of a rating: who changed which field, when, from what to what, and why."""

    rating = models.ForeignKey(
        Rating, on_delete=models.CASCADE, related_name="changes", verbose_name=_("kết quả xếp loại")
    )
    field = models.CharField(_("nội dung"), max_length=40)
    old_value = models.CharField(_("giá trị cũ"), max_length=500, blank=True)
    new_value = models.CharField(_("giá trị mới"), max_length=500, blank=True)
    reason = models.CharField(_("lý do"), max_length=500, blank=True)
    changed_at = models.DateTimeField(_("thời điểm"), auto_now_add=True)
    changed_by = acting_user_field(_("người thay đổi"))

    class Meta:
        verbose_name = _("lịch sử thay đổi xếp loại")
        verbose_name_plural = _("lịch sử thay đổi xếp loại")
        ordering = ["-changed_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.field_label}: {self.old_value} → {self.new_value}"

    @property
    def old_label(self) -> str:
        return self._label(self.old_value)

    @property
    def new_label(self) -> str:
        return self._label(self.new_value)

    def _label(self, value: str) -> str:
        """A stored value as the screens say it: a level or a reason by its name, not its code."""
        if self.field in LEVEL_VALUE_FIELDS and value in Level.values:
            return str(Level(value).label)
        if self.field == "not_rated_reason" and value in NotRatedReason.values:
            return str(NotRatedReason(value).label)
        return value

    @property
    def field_label(self) -> str:
        """The changed field's Vietnamese name, for the history screens."""
        try:
            return str(Rating._meta.get_field(self.field).verbose_name)
        except FieldDoesNotExist:  # a field since removed keeps its stored name
            return self.field


class PoolFlagKind(models.TextChoices):
    REGISTERED = "registered", _("Đảng viên mới được đăng ký")
    TRANSFERRED = "transferred", _("Đảng viên chuyển sinh hoạt")
    ELIGIBILITY = "eligibility", _("Điều kiện xếp loại thay đổi")
    RULES = "rules", _("Quyết định không còn phù hợp quy định")


class PoolFlagQuerySet(models.QuerySet):
    def unresolved(self) -> PoolFlagQuerySet:
        return self.filter(resolved_at__isnull=True)


class PoolFlag(models.Model):
    """A change to the people of a pool that could not be applied silently (issue "an open cycle
    follows the people"): the pool is finalized or its unit's report is sent, so the body that
    decides it must reopen it; the Board sees it on the dashboard. Resolved when the pool is
    reopened and the change applied."""

    pool = models.ForeignKey(
        Pool, on_delete=models.CASCADE, related_name="flags", verbose_name=_("nhóm xếp loại")
    )
    member = models.ForeignKey(
        Member,
        on_delete=models.CASCADE,
        related_name="pool_flags",
        verbose_name=_("đảng viên"),
    )
    kind = models.CharField(_("loại thay đổi"), max_length=16, choices=PoolFlagKind.choices)
    message = models.CharField(_("nội dung"), max_length=500)
    created_at = models.DateTimeField(_("thời điểm"), auto_now_add=True)
    created_by = acting_user_field(_("người thực hiện"))
    resolved_at = models.DateTimeField(_("đã xử lý lúc"), null=True, blank=True)
    resolved_by = acting_user_field(_("người xử lý"))

    objects = PoolFlagQuerySet.as_manager()

    class Meta:
        verbose_name = _("thay đổi chờ xem xét")
        verbose_name_plural = _("thay đổi chờ xem xét")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["pool", "resolved_at"])]

    def __str__(self) -> str:
        return self.message


class SubmissionState(models.TextChoices):
    DRAFT = "draft", _("Đang nhập")
    SUBMITTED = "submitted", _("Đã gửi")
    RETURNED = "returned", _("Bị trả lại")
    APPROVED = "approved", _("Đã phê duyệt")
    REOPENED = "reopened", _("Được mở lại")


#: Allowed moves of a grassroots unit's submission (issue: submission and approval). The Board
#: returns a sent report; it reopens an approved one (a different act, recorded as such).
SUBMISSION_TRANSITIONS: dict[str, frozenset[str]] = {
    SubmissionState.DRAFT: frozenset({SubmissionState.SUBMITTED}),
    SubmissionState.SUBMITTED: frozenset({SubmissionState.APPROVED, SubmissionState.RETURNED}),
    SubmissionState.RETURNED: frozenset({SubmissionState.SUBMITTED}),
    SubmissionState.APPROVED: frozenset({SubmissionState.REOPENED}),
    SubmissionState.REOPENED: frozenset({SubmissionState.SUBMITTED}),
}
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


class SubmissionTransition(models.Model):
    submission = models.ForeignKey(
        Submission, on_delete=models.CASCADE, related_name="transitions", verbose_name=_("báo cáo")
    )
    from_state = models.CharField(_("từ"), max_length=12, choices=SubmissionState.choices)
    to_state = models.CharField(_("sang"), max_length=12, choices=SubmissionState.choices)
    changed_at = models.DateTimeField(_("thời điểm"))
    changed_by = acting_user_field(_("người thực hiện"))
    comment = models.TextField(_("ý kiến"), blank=True)

    class Meta:
        verbose_name = _("lịch sử gửi, duyệt báo cáo")
        verbose_name_plural = _("lịch sử gửi, duyệt báo cáo")
        ordering = ["-changed_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.submission}: {self.from_state} → {self.to_state}"


class DossierKind(models.TextChoices):
    """Dossier items a grassroots unit sends upward (DOMAIN.md §8; QĐ 366 Điều 17)."""

    MINUTES = "minutes", _("Biên bản hội nghị kiểm điểm")
    DECISION = "decision", _("Quyết định công nhận kết quả xếp loại")
    COLLECTIVE_REPORT = "collective_report", _("Báo cáo kiểm điểm tập thể")
    SUGGESTION_LETTER = "suggestion_letter", _("Văn bản gợi ý kiểm điểm")
    COMPLAINT = "complaint", _("Đơn thư, ý kiến phản ánh và kết quả giải quyết")
    OTHER = "other", _("Tài liệu khác")


#: Items without which a unit cannot submit (issue "submission and approval", point 2).
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


class Notification(models.Model):
    """A message to a user on the site (also sent by mail): returned, approved, answered …"""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("người nhận"),
    )
    message = models.CharField(_("nội dung"), max_length=500)
    link = models.CharField(_("đường dẫn"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("thời điểm"), auto_now_add=True)
    read_at = models.DateTimeField(_("đã đọc lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("thông báo")
        verbose_name_plural = _("thông báo")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "read_at"])]

    def __str__(self) -> str:
        return self.message


class SuggestionState(models.TextChoices):
    DRAFT = "draft", _("Dự thảo")
    ISSUED = "issued", _("Đã ban hành")
    CLOSED = "closed", _("Đã hoàn thành giải trình")


class Suggestion(models.Model):
    """An in-depth review suggestion (gợi ý kiểm điểm) to a collective or a leader (§7).

    Drafted by the Inspection Committee or the Organization Board, issued in writing by the
    Standing Board (document number and date); the target answers each issue.
    """

    cycle = models.ForeignKey(
        ReviewCycle, on_delete=models.CASCADE, related_name="suggestions", verbose_name=_("kỳ")
    )
    collective = models.ForeignKey(
        LeadershipCollective,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="suggestions",
        verbose_name=_("tập thể được gợi ý"),
    )
    member = models.ForeignKey(
        Member,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="suggestions",
        verbose_name=_("cá nhân được gợi ý"),
    )
    addressed_to = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="suggestions",
        verbose_name=_("đơn vị trả lời"),
        help_text=_("Tổ chức cơ sở đảng (hoặc Đảng bộ Khối) có trách nhiệm giải trình."),
    )
    managing_level = models.CharField(
        _("cấp quản lý"), max_length=16, choices=ManagingLevel.choices
    )
    title = models.CharField(_("trích yếu"), max_length=255)
    state = models.CharField(
        _("trạng thái"),
        max_length=8,
        choices=SuggestionState.choices,
        default=SuggestionState.DRAFT,
    )
    document_number = models.CharField(_("số văn bản"), max_length=60, blank=True)
    issued_on = models.DateField(_("ngày ban hành"), null=True, blank=True)
    drafted_at = models.DateTimeField(_("soạn lúc"), auto_now_add=True)
    drafted_by = acting_user_field(_("người soạn"))

    class Meta:
        verbose_name = _("gợi ý kiểm điểm")
        verbose_name_plural = _("gợi ý kiểm điểm")
        ordering = ["cycle", "addressed_to__path", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(collective__isnull=False) & Q(member__isnull=True))
                | (Q(collective__isnull=True) & Q(member__isnull=False)),
                name="suggestion_one_target",
            ),
            models.CheckConstraint(
                condition=~Q(state=SuggestionState.ISSUED)
                | (~Q(document_number="") & Q(issued_on__isnull=False)),
                name="suggestion_issued_has_number",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} — {self.target}"

    @property
    def target(self):
        return self.collective or self.member


class IssueState(models.TextChoices):
    AWAITING = "awaiting", _("Chờ giải trình")
    ANSWERED = "answered", _("Đã giải trình")
    REDO = "redo", _("Yêu cầu giải trình lại")
    ACCEPTED = "accepted", _("Đã chấp nhận")


#: States in which an issue still waits for the target unit (it cannot submit meanwhile).
UNANSWERED_ISSUE_STATES = (IssueState.AWAITING, IssueState.REDO)


class SuggestionIssue(models.Model):
    """One issue of a suggestion, with the target's explanation (giải trình) and its review."""

    suggestion = models.ForeignKey(
        Suggestion, on_delete=models.CASCADE, related_name="issues", verbose_name=_("gợi ý")
    )
    order = models.PositiveSmallIntegerField(_("thứ tự"))
    text = models.TextField(_("vấn đề gợi ý"))
    state = models.CharField(
        _("trạng thái"), max_length=10, choices=IssueState.choices, default=IssueState.AWAITING
    )
    explanation = models.TextField(_("giải trình"), blank=True)
    cause = models.TextField(_("nguyên nhân"), blank=True)
    responsibility = models.TextField(_("trách nhiệm"), blank=True)
    answered_at = models.DateTimeField(_("giải trình lúc"), null=True, blank=True)
    answered_by = acting_user_field(_("người giải trình"))
    review_comment = models.TextField(_("ý kiến thẩm định"), blank=True)
    reviewed_at = models.DateTimeField(_("thẩm định lúc"), null=True, blank=True)
    reviewed_by = acting_user_field(_("người thẩm định"))

    class Meta:
        verbose_name = _("vấn đề gợi ý kiểm điểm")
        verbose_name_plural = _("vấn đề gợi ý kiểm điểm")
        ordering = ["suggestion", "order"]
        constraints = [
            models.UniqueConstraint(fields=["suggestion", "order"], name="suggestion_issue_order"),
        ]

    def __str__(self) -> str:
        return f"{self.order}. {self.text[:60]}"


class SuggestionEvent(models.Model):
    """Every step of a suggestion: drafted, issued, answered, sent back, accepted."""

    class Action(models.TextChoices):
        DRAFTED = "drafted", _("Soạn dự thảo")
        EDITED = "edited", _("Sửa dự thảo")
        ISSUED = "issued", _("Ban hành")
        ANSWERED = "answered", _("Giải trình")
        ACCEPTED = "accepted", _("Chấp nhận giải trình")
        SENT_BACK = "sent_back", _("Yêu cầu giải trình lại")
        CLOSED = "closed", _("Hoàn thành")

    suggestion = models.ForeignKey(
        Suggestion, on_delete=models.CASCADE, related_name="events", verbose_name=_("gợi ý")
    )
    issue = models.ForeignKey(
        SuggestionIssue,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("vấn đề"),
    )
    action = models.CharField(_("thao tác"), max_length=16, choices=Action.choices)
    comment = models.TextField(_("ý kiến"), blank=True)
    at = models.DateTimeField(_("thời điểm"), auto_now_add=True)
    by = acting_user_field(_("người thực hiện"))

    class Meta:
        verbose_name = _("lịch sử gợi ý kiểm điểm")
        verbose_name_plural = _("lịch sử gợi ý kiểm điểm")
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.suggestion}: {self.action}"


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

    @property
    def waits_for_board(self) -> bool:
        return self.state == QuestionState.OPEN


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
    at = models.DateTimeField(_("thời điểm"), auto_now_add=True)
    by = acting_user_field(_("người thực hiện"))

    class Meta:
        verbose_name = _("trao đổi về câu hỏi")
        verbose_name_plural = _("trao đổi về câu hỏi")
        ordering = ["question", "at", "pk"]

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
