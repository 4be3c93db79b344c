"""In-depth review suggestions, their issues and explanations (DOMAIN.md §7)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from members.models import LeadershipCollective, ManagingLevel, Member
from organizations.models import Organization, acting_user_field
from reviews.models.cycles import ReviewCycle
from reviews.models.transitions import StateMachine


class SuggestionState(models.TextChoices):
    DRAFT = "draft", _("Dự thảo")
    ISSUED = "issued", _("Đã ban hành")
    CLOSED = "closed", _("Đã hoàn thành giải trình")


#: Drafted, issued by the Standing Board, closed when every issue's explanation is accepted.
SUGGESTION_TRANSITIONS = StateMachine(
    SuggestionState,
    {
        SuggestionState.DRAFT: {SuggestionState.ISSUED},
        SuggestionState.ISSUED: {SuggestionState.CLOSED},
    },
    noun=_("gợi ý kiểm điểm"),
)


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
#: The target answers (and may correct its answer until it is reviewed); the reviewer accepts
#: the explanation or asks for it again.
ISSUE_TRANSITIONS = StateMachine(
    IssueState,
    {
        IssueState.AWAITING: {IssueState.ANSWERED},
        IssueState.REDO: {IssueState.ANSWERED},
        IssueState.ANSWERED: {IssueState.ANSWERED, IssueState.ACCEPTED, IssueState.REDO},
    },
    noun=_("vấn đề gợi ý"),
)


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
    changed_at = models.DateTimeField(_("thời điểm"), auto_now_add=True)
    changed_by = acting_user_field(_("người thực hiện"))

    class Meta:
        verbose_name = _("lịch sử gợi ý kiểm điểm")
        verbose_name_plural = _("lịch sử gợi ý kiểm điểm")
        ordering = ["-changed_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.suggestion}: {self.action}"
