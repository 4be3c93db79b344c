"""Pools: what one competent body decides, and the changes waiting for it (DOMAIN.md §3, §12)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from members.models import Member
from organizations.models import Organization, acting_user_field
from reviews.models.cycles import ReviewCycle


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
