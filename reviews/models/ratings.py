"""Rating records and their history (DOMAIN.md §4, §12)."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from django.core.exceptions import FieldDoesNotExist
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from members.models import LeadershipCollective, Member
from organizations.models import Organization, acting_user_field
from reviews.models.cycles import ReviewCycle
from reviews.models.levels import Level
from reviews.models.pools import Pool, SubjectKind

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class NotRatedReason(models.TextChoices):
    """Why a subject is not rated (DOMAIN.md §4); the first two are not reviewed either."""

    EXEMPT = "exempt", _("Miễn công tác và sinh hoạt đảng")
    SUSPENDED = "suspended", _("Đình chỉ sinh hoạt đảng")
    NEW_MEMBER = "new_member", _("Vào Đảng chưa đủ 6 tháng")
    NEWLY_FORMED = "newly_formed", _("Mới thành lập chưa đủ 6 tháng")
    WITH_COMMITTEE = "with_committee", _("Tập thể dưới 3 người: kiểm điểm cùng cấp ủy")


NOT_REVIEWED_REASONS = frozenset({NotRatedReason.EXEMPT, NotRatedReason.SUSPENDED})


def unit_id_of(subject_kind: str, subject) -> int:
    """The organization a subject sits in: a person's cell, an organization itself, the unit a
    collective leads (stored on the rating as `unit`)."""
    if subject_kind == SubjectKind.ORGANIZATION:
        return subject.pk
    return subject.organization_id


#: A rating that takes a level: its subject is reviewed and rated (no not-rated reason). The one
#: definition, for filters and for conditional counts alike.
RATED = Q(not_rated_reason="")


class RatingQuerySet(models.QuerySet):
    def rated(self) -> RatingQuerySet:
        return self.filter(RATED)

    def in_subtree(self, organization: Organization) -> RatingQuerySet:
        return self.filter(pool__owner__path__startswith=organization.path)

    def under(self, organization: Organization) -> RatingQuerySet:
        """Subjects that sat under `organization` in their cycle (by `unit`)."""
        return self.filter(unit__path__startswith=organization.path)


def _level_field(verbose_name: StrOrPromise) -> models.CharField:
    return models.CharField(verbose_name, max_length=8, choices=Level.choices, blank=True)


def _percent_field(verbose_name: StrOrPromise) -> models.DecimalField:
    return models.DecimalField(
        verbose_name,
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
    )


class ShortcomingsFixed(models.TextChoices):
    """What became of the last review's shortcomings (HD 43, Mẫu 01/2A/2B/2C, phần A.III)."""

    NONE = "none", _("Không có hạn chế phải khắc phục")
    FIXED = "fixed", _("Đã khắc phục xong")
    IN_PROGRESS = "in_progress", _("Đang khắc phục")
    NOT_FIXED = "not_fixed", _("Chưa khắc phục")


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
    #: Where the subject sits in this cycle: a member's cell, the organization itself, the unit a
    #: collective leads. Kept when people and units move later, so a past cycle's lists and
    #: reports still show the tree it ran on (DOMAIN.md §15).
    unit = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="rated_here",
        verbose_name=_("nơi đánh giá"),
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
    # Scores out of 100 (QĐ 366-QĐ/TW, Điều 10): sums of the criterion scores, never typed.
    self_score = models.DecimalField(
        _("tổng điểm tự chấm"), max_digits=4, decimal_places=1, null=True, blank=True
    )
    decided_score = models.DecimalField(
        _("tổng điểm cấp có thẩm quyền"), max_digits=4, decimal_places=1, null=True, blank=True
    )
    # Task facts the conditions of QĐ 366-QĐ/TW, Điều 11 read; for a collective or a leader,
    # those of the unit it leads.
    tasks_done_percent = _percent_field(_("tỷ lệ nhiệm vụ hoàn thành (%)"))
    tasks_beyond_percent = _percent_field(_("tỷ lệ nhiệm vụ vượt yêu cầu (%)"))
    tasks_late_percent = _percent_field(_("tỷ lệ nhiệm vụ chậm tiến độ (%)"))
    shortcomings_fixed = models.CharField(
        _("khắc phục hạn chế kỳ trước"),
        max_length=12,
        choices=ShortcomingsFixed.choices,
        blank=True,
    )
    # Facts that force KHTNV under QĐ 366-QĐ/TW, Điều 11 (DOMAIN.md §13).
    broke_prohibitions = models.BooleanField(
        _("vi phạm những điều đảng viên không được làm"), default=False
    )
    personnel_wrongdoing = models.BooleanField(
        _("sai phạm trong công tác cán bộ, mất đoàn kết, bè phái"), default=False
    )
    corruption_in_scope = models.BooleanField(
        _("để xảy ra tham nhũng, tiêu cực trong phạm vi phụ trách bị xử lý kỷ luật"),
        default=False,
    )
    confidence_low_percent = _percent_field(_("tỷ lệ phiếu tín nhiệm thấp (%)"))
    overseen_not_completed_percent = _percent_field(
        _("tỷ lệ đơn vị phụ trách “Không hoàn thành nhiệm vụ” (%)")
    )
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
        """A stored value as the screens say it: a choice (a level, a reason, how far the
        shortcomings were fixed) by its name, not its code."""
        field = self._field
        if field is None or not field.choices:
            return value
        return str(dict(field.flatchoices).get(value, value))

    @property
    def _field(self):
        try:
            return Rating._meta.get_field(self.field)
        except FieldDoesNotExist:  # a field since removed keeps its stored name
            return None

    @property
    def field_label(self) -> str:
        """The changed field's Vietnamese name, for the history screens."""
        return str(getattr(self._field, "verbose_name", self.field))


class ReRating(models.Model):
    """The competent body cancels a decided result after later findings and rates again by a
    decision (QĐ 366-QĐ/TW, Điều 15; HD 43-HD/BTCTW, Mẫu 03). The first result stays here and in
    the rating's history; reports, 6F and the quota read the new one."""

    rating = models.ForeignKey(
        Rating, on_delete=models.CASCADE, related_name="re_ratings", verbose_name=_("kết quả")
    )
    old_level = _level_field(_("kết quả đã quyết định"))
    new_level = _level_field(_("kết quả xếp loại lại"))
    findings = models.TextField(_("căn cứ (kết luận, phát hiện sau khi xếp loại)"), max_length=4000)
    reference = models.CharField(_("số quyết định"), max_length=100)
    decided_on = models.DateField(_("ngày quyết định"))
    decided_by = acting_user_field(_("người nhập"))
    recorded_at = models.DateTimeField(_("ghi nhận lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("xếp loại lại")
        verbose_name_plural = _("xếp loại lại")
        ordering = ["-decided_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(old_level=models.F("new_level")), name="rerating_changes_the_level"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.rating}: {self.old_level} → {self.new_level} ({self.reference})"
