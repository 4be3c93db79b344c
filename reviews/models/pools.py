"""Pools: what one competent body decides, and the changes waiting for it (DOMAIN.md §3, §12)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from members.models import Member
from organizations.models import Organization, acting_user_field
from reviews.models.cycles import ReviewCycle
from reviews.models.transitions import StateMachine, TransitionRecord


class SubjectKind(models.TextChoices):
    MEMBER = "member", _("Đảng viên")
    ORGANIZATION = "organization", _("Tổ chức đảng")
    COLLECTIVE = "collective", _("Tập thể lãnh đạo, quản lý")
    LEADER = "leader", _("Cá nhân cán bộ lãnh đạo, quản lý")


class PoolState(models.TextChoices):
    OPEN = "open", _("Đang xem xét")
    FINALIZED = "finalized", _("Đã chốt kết quả")


#: The deciding body finalizes a pool (within the quota) and may reopen it with a reason.
POOL_TRANSITIONS = StateMachine(
    PoolState,
    {PoolState.OPEN: {PoolState.FINALIZED}, PoolState.FINALIZED: {PoolState.OPEN}},
    noun=_("nhóm xếp loại"),
)


class Pool(models.Model):
    """The decisions one competent body makes in one cycle for one peer group (DOMAIN.md §3, §13).

    Under HD 21 a pool is one kind of subject; from QĐ 124 it is one group of subjects "có vị
    trí, vai trò, chức năng, nhiệm vụ tương đồng" (peer group), defined by the deciding body. A
    rating belongs to exactly one pool, so a subject is in exactly one peer group. The row is
    what the quota service locks.
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
    peer_group = models.CharField(
        _("mã nhóm tương đồng"),
        max_length=40,
        blank=True,
        help_text=_("Để trống khi cả loại đối tượng là một nhóm (HD 21)."),
    )
    peer_group_name = models.CharField(_("nhóm đối tượng tương đồng"), max_length=200, blank=True)
    state = models.CharField(
        _("trạng thái"), max_length=12, choices=PoolState.choices, default=PoolState.OPEN
    )
    finalized_at = models.DateTimeField(_("chốt lúc"), null=True, blank=True)
    finalized_by = acting_user_field(_("người chốt"))

    class Meta:
        verbose_name = _("nhóm xếp loại")
        verbose_name_plural = _("nhóm xếp loại")
        ordering = ["cycle", "owner__path", "subject_kind", "peer_group"]
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "owner", "subject_kind", "peer_group"],
                name="pool_unique_per_owner_kind_and_group",
            ),
            models.CheckConstraint(
                condition=(Q(state=PoolState.FINALIZED) & Q(finalized_at__isnull=False))
                | (Q(state=PoolState.OPEN) & Q(finalized_at__isnull=True)),
                name="pool_finalized_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.owner} — {self.label} ({self.cycle.year})"

    @property
    def label(self) -> str:
        """The pool as the screens name it: its peer group, or its kind of subject."""
        return self.peer_group_name or str(self.get_subject_kind_display())

    @property
    def is_finalized(self) -> bool:
        return self.state == PoolState.FINALIZED


class PoolTransition(TransitionRecord):
    pool = models.ForeignKey(
        Pool, on_delete=models.CASCADE, related_name="transitions", verbose_name=_("nhóm")
    )

    machine = POOL_TRANSITIONS

    class Meta(TransitionRecord.Meta):
        verbose_name = _("lịch sử chốt kết quả")
        verbose_name_plural = _("lịch sử chốt kết quả")

    def __str__(self) -> str:
        return f"{self.pool}: {self.from_state} → {self.to_state}"


class QuotaExceptionQuerySet(models.QuerySet):
    def in_force(self) -> QuotaExceptionQuerySet:
        return self.filter(revoked_at__isnull=True)


class QuotaException(models.Model):
    """The competent body allows a pool a higher rate, up to the cycle's exception ceiling
    (QĐ 366-QĐ/TW: up to 25% for outstanding units it manages), by a recorded decision."""

    pool = models.ForeignKey(
        Pool, on_delete=models.CASCADE, related_name="exceptions", verbose_name=_("nhóm xếp loại")
    )
    rate = models.DecimalField(_("tỷ lệ được phép"), max_digits=4, decimal_places=3)
    reason = models.TextField(_("lý do"))
    reference = models.CharField(_("số văn bản cho phép"), max_length=100)
    granted_at = models.DateTimeField(_("cho phép lúc"), auto_now_add=True)
    granted_by = acting_user_field(_("người nhập"))
    revoked_at = models.DateTimeField(_("thu hồi lúc"), null=True, blank=True)
    revoked_by = acting_user_field(_("người thu hồi"))
    revoke_reason = models.CharField(_("lý do thu hồi"), max_length=500, blank=True)

    objects = QuotaExceptionQuerySet.as_manager()

    class Meta:
        verbose_name = _("ngoại lệ tỷ lệ xuất sắc")
        verbose_name_plural = _("ngoại lệ tỷ lệ xuất sắc")
        ordering = ["-granted_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["pool"],
                condition=Q(revoked_at__isnull=True),
                name="quota_exception_one_in_force_per_pool",
            ),
            models.CheckConstraint(
                condition=Q(rate__gt=0) & Q(rate__lte=1), name="quota_exception_rate_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.pool}: {self.rate} ({self.reference})"


class PoolFlagKind(models.TextChoices):
    REGISTERED = "registered", _("Đảng viên mới được đăng ký")
    TRANSFERRED = "transferred", _("Đảng viên chuyển sinh hoạt")
    ELIGIBILITY = "eligibility", _("Điều kiện xếp loại thay đổi")
    RULES = "rules", _("Quyết định không còn phù hợp quy định")
    BASIS_REMOVED = "basis_removed", _("Căn cứ của quyết định không còn")


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
