"""The review meeting and its minutes (biên bản hội nghị kiểm điểm; QĐ 366-QĐ/TW, HD 43-HD/BTCTW;
DOMAIN.md §13 "Process").

A cell reviews its members, a committee its collective and itself; the minutes record when and
where, who chaired and who took the minutes, who attended (absent with a reason), and the
conclusions. The votes per subject are the ratings' own (the rating screen takes them), so the
minutes and the table never disagree.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from members.models import Member
from organizations.models import Organization, acting_user_field
from reviews.models.cycles import ReviewCycle

#: The longest conclusions a minutes takes (as a self-review's section).
CONCLUSIONS_MAX_LENGTH = 10_000


class ReviewMeeting(models.Model):
    """One body's review meeting in a cycle."""

    cycle = models.ForeignKey(
        ReviewCycle, on_delete=models.CASCADE, related_name="meetings", verbose_name=_("kỳ")
    )
    organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="review_meetings",
        verbose_name=_("tổ chức họp"),
    )
    held_on = models.DateField(_("ngày họp"))
    starts_at = models.TimeField(_("bắt đầu lúc"), null=True, blank=True)
    place = models.CharField(_("địa điểm"), max_length=255)
    chair = models.ForeignKey(
        Member,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("chủ trì"),
    )
    secretary = models.ForeignKey(
        Member,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("thư ký"),
    )
    draft_sent_on = models.DateField(
        _("ngày gửi dự thảo báo cáo kiểm điểm"),
        null=True,
        blank=True,
        help_text=_("Dự thảo gửi người dự ít nhất 3 ngày làm việc trước hội nghị (HD 43)."),
    )
    conclusions = models.TextField(
        _("kết luận của hội nghị"), max_length=CONCLUSIONS_MAX_LENGTH, blank=True
    )
    version = models.PositiveIntegerField(_("phiên bản"), default=1)
    updated_at = models.DateTimeField(_("cập nhật lúc"), default=timezone.now)
    updated_by = acting_user_field(_("người ghi"))

    class Meta:
        verbose_name = _("hội nghị kiểm điểm")
        verbose_name_plural = _("hội nghị kiểm điểm")
        ordering = ["cycle", "organization__path"]
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "organization"], name="review_meeting_unique_per_body"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organization} — {self.held_on:%d/%m/%Y}"


class MeetingAttendance(models.Model):
    """Whether one expected participant attended; an absence states its reason."""

    meeting = models.ForeignKey(
        ReviewMeeting,
        on_delete=models.CASCADE,
        related_name="attendance",
        verbose_name=_("hội nghị"),
    )
    member = models.ForeignKey(
        Member, on_delete=models.PROTECT, related_name="+", verbose_name=_("đảng viên")
    )
    present = models.BooleanField(_("có mặt"), default=True)
    absence_reason = models.CharField(_("lý do vắng mặt"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("điểm danh")
        verbose_name_plural = _("điểm danh")
        ordering = ["meeting", "member__sort_key"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "member"], name="attendance_once"),
            models.CheckConstraint(
                condition=Q(present=True, absence_reason="")
                | (Q(present=False) & ~Q(absence_reason="")),
                name="attendance_absence_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member}: {'có mặt' if self.present else self.absence_reason}"


class ReviewMeetingChange(models.Model):
    """Who recorded or corrected the minutes, when, and what changed."""

    meeting = models.ForeignKey(
        ReviewMeeting, on_delete=models.CASCADE, related_name="changes", verbose_name=_("hội nghị")
    )
    fields = models.JSONField(_("nội dung đã sửa"), default=list)
    changed_at = models.DateTimeField(_("thời điểm"), default=timezone.now)
    changed_by = acting_user_field(_("người thực hiện"))

    class Meta:
        verbose_name = _("lịch sử biên bản hội nghị")
        verbose_name_plural = _("lịch sử biên bản hội nghị")
        ordering = ["-changed_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.meeting}: {', '.join(self.fields)}"
