"""Admin for cycles, pools, ratings, submissions and their histories.

Ratings are created by opening a cycle and changed only through `reviews.services.ratings_record`;
cycles change status only through `cycle_change_status`. Histories are read-only.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from organizations.admin import (
    ReadOnlyAdminMixin,
    ReadOnlyInline,
    ServiceWriteMixin,
    VietnameseSearchMixin,
)
from reviews.models import (
    CycleChange,
    CycleStatus,
    CycleTransition,
    DossierItem,
    GuidingDocument,
    Notification,
    Pool,
    PoolFlag,
    PoolTransition,
    Question,
    QuestionMessage,
    Rating,
    RatingChange,
    ReviewCycle,
    RuleSetCode,
    Submission,
    SubmissionTransition,
    Suggestion,
    SuggestionEvent,
    SuggestionIssue,
    TaskItemChange,
)
from reviews.services import (
    RATING_FIELDS,
    cycle_change_status,
    cycle_create,
    cycle_update,
    ratings_record,
)
from reviews.services.cycles import CYCLE_RULE_FIELDS

#: The reason written in a rating's history for a change made in the admin.
ADMIN_CHANGE_REASON = "Quản trị"


# --- Cycles --------------------------------------------------------------------------------------


class CycleActionForm(helpers.ActionForm):
    reason = forms.CharField(
        label=_("Lý do (bắt buộc khi mở lại kỳ đã kết thúc)"), required=False, max_length=500
    )


class CycleChangeInline(ReadOnlyInline):
    model = CycleChange
    fields = ("changed_at", "changed_by", "old_values", "new_values")
    readonly_fields = fields
    verbose_name_plural = _("Lịch sử thay đổi")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("changed_by")


class CycleTransitionInline(ReadOnlyInline):
    model = CycleTransition
    fields = ("changed_at", "from_state", "to_state", "changed_by", "reason")
    readonly_fields = fields
    verbose_name_plural = _("Lịch sử trạng thái")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("changed_by")


@admin.register(ReviewCycle)
class ReviewCycleAdmin(ServiceWriteMixin, VietnameseSearchMixin, admin.ModelAdmin):
    list_display = ("year", "title", "status", "deadline", "rule_set", "organization")
    list_filter = ("status", "rule_set")
    list_select_related = ("organization",)
    search_fields = ("title",)
    autocomplete_fields = ("organization",)
    inlines = (CycleTransitionInline, CycleChangeInline)
    action_form = CycleActionForm
    actions = ("open_cycles", "close_cycles")
    service_error_fields = {"deadline_required": "deadline"}
    #: Creating a cycle asks only what the regime cannot know; its settings come from the
    #: regime's defaults (issue #13, point 1) and are edited on the next page while in draft.
    add_fieldsets = (
        (None, {"fields": ("organization", "year", "title", "rule_set")}),
        (
            _("Thời hạn (để trống: theo bộ quy định)"),
            {"fields": ("deadline", "reference_date", "legal_references")},
        ),
    )
    fieldsets = (
        (None, {"fields": ("organization", "year", "title", "status")}),
        (
            _("Thời hạn"),
            {"fields": ("finish_by", "special_finish_by", "deadline")},
        ),
        (_("Quy định áp dụng"), {"fields": ("rule_set", "reference_date", "legal_references")}),
        (
            _('Tỷ lệ "Hoàn thành xuất sắc nhiệm vụ"'),
            {"fields": ("quota_rate", "quota_basis", "quota_rounding", "exception_ceiling")},
        ),
        (
            _("Thang điểm và điều kiện (QĐ 366-QĐ/TW, Điều 11)"),
            {
                "fields": (
                    "score_excellent_min",
                    "score_good_min",
                    "score_completed_min",
                    "tasks_beyond_min_percent",
                    "tasks_late_max_percent",
                    "unit_tasks_trigger_percent",
                )
            },
        ),
        (
            _("Đánh giá hằng quý (quy định của cấp ủy)"),
            {"fields": ("quarter_bars_excellent", "quarters_flag_personnel")},
        ),
        (_("Khen thưởng"), {"fields": ("commendation_years",)}),
    )

    def get_fieldsets(self, request, obj=None):
        return self.add_fieldsets if obj is None else self.fieldsets

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        if obj is None:
            for name in ("rule_set", "deadline", "reference_date"):
                form.base_fields[name].required = False
            form.base_fields["rule_set"].choices = [
                ("", gettext("— Theo năm của kỳ —")),
                *RuleSetCode.choices,
            ]
        return form

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ()
        if obj.status == CycleStatus.DRAFT:
            return ("status", "organization", "year")
        return ("status", "organization", "year", *CYCLE_RULE_FIELDS)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.status != CycleStatus.DRAFT:
            return False
        return super().has_delete_permission(request, obj)

    def write(self, request, obj, form, change):
        data = form.cleaned_data
        if not change:
            return cycle_create(
                organization=data["organization"],
                year=data["year"],
                title=data["title"],
                rule_set=data.get("rule_set") or "",
                deadline=data.get("deadline"),
                reference_date=data.get("reference_date"),
                legal_references=data.get("legal_references", ""),
                acting_user=request.user,
            )
        return cycle_update(
            cycle=obj,
            acting_user=request.user,
            **{field: data[field] for field in form.changed_data},
        )

    @admin.action(description=_("Mở kỳ"))
    def open_cycles(self, request, queryset):
        self._change_status(request, queryset, CycleStatus.OPEN)

    @admin.action(description=_("Kết thúc kỳ"))
    def close_cycles(self, request, queryset):
        self._change_status(request, queryset, CycleStatus.CLOSED)

    def _change_status(self, request, queryset, status: str) -> None:
        reason = request.POST.get("reason", "").strip()
        done = 0
        for cycle in queryset:
            try:
                cycle_change_status(
                    cycle=cycle, status=status, acting_user=request.user, reason=reason
                )
            except ValidationError as error:
                self.message_user(
                    request,
                    gettext("%(cycle)s: %(error)s")
                    % {"cycle": cycle, "error": " ".join(error.messages)},
                    messages.ERROR,
                )
            else:
                done += 1
        if done:
            self.message_user(
                request,
                gettext('Đã chuyển %(count)s kỳ đánh giá sang trạng thái "%(status)s".')
                % {"count": done, "status": CycleStatus(status).label},
                messages.SUCCESS,
            )


@admin.register(CycleTransition)
class CycleTransitionAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("changed_at", "cycle", "from_state", "to_state", "changed_by", "reason")
    list_filter = ("cycle", "to_state")
    list_select_related = ("cycle", "changed_by")


# --- Pools ---------------------------------------------------------------------------------------


class PoolTransitionInline(ReadOnlyInline):
    model = PoolTransition
    fields = ("changed_at", "from_state", "to_state", "changed_by", "reason")
    readonly_fields = fields
    verbose_name_plural = _("Lịch sử chốt kết quả")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("changed_by")


@admin.register(Pool)
class PoolAdmin(ReadOnlyAdminMixin, VietnameseSearchMixin, admin.ModelAdmin):
    """Pools are derived from the hierarchy when a cycle opens; finalizing is done on screens."""

    list_display = ("owner", "subject_kind", "cycle", "state", "finalized_at", "finalized_by")
    list_filter = ("cycle", "subject_kind", "state")
    list_select_related = ("cycle", "owner", "finalized_by")
    search_fields = ("owner__name", "owner__code")
    inlines = (PoolTransitionInline,)


@admin.register(PoolFlag)
class PoolFlagAdmin(ReadOnlyAdminMixin, VietnameseSearchMixin, admin.ModelAdmin):
    """Changes to a pool's people waiting for its deciding body (applied when it reopens)."""

    list_display = ("created_at", "pool", "kind", "message", "created_by", "resolved_at")
    list_filter = ("kind", "pool__cycle", ("resolved_at", admin.EmptyFieldListFilter))
    list_select_related = ("pool__cycle", "pool__owner", "created_by")
    search_fields = ("member__full_name", "pool__owner__name", "message")


@admin.register(PoolTransition)
class PoolTransitionAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("changed_at", "pool", "from_state", "to_state", "changed_by", "reason")
    list_filter = ("to_state",)
    list_select_related = ("pool__cycle", "pool__owner", "changed_by")


# --- Ratings -------------------------------------------------------------------------------------


class RatingChangeInline(ReadOnlyInline):
    model = RatingChange
    fields = ("changed_at", "field_label", "old_value", "new_value", "reason", "changed_by")
    readonly_fields = fields
    verbose_name_plural = _("Lịch sử thay đổi")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("changed_by")

    @admin.display(description=_("nội dung"))
    def field_label(self, obj: RatingChange) -> str:
        return rating_field_label(obj.field)


def rating_field_label(field: str) -> str:
    try:
        return str(Rating._meta.get_field(field).verbose_name)
    except FieldDoesNotExist:  # a field since removed from the model: show its name
        return field


@admin.register(Rating)
class RatingAdmin(ServiceWriteMixin, VietnameseSearchMixin, admin.ModelAdmin):
    list_display = (
        "subject_display",
        "subject_kind",
        "pool_owner",
        "self_level",
        "proposal_level",
        "decision_level",
        "not_rated_reason",
        "has_override",
    )
    list_filter = ("cycle", "subject_kind", "decision_level", "not_rated_reason")
    list_select_related = ("cycle", "pool__owner", "member", "organization", "collective")
    search_fields = (
        "member__full_name",
        "member__card_number",
        "organization__name",
        "collective__name",
    )
    readonly_fields = (
        "cycle",
        "pool",
        "subject_kind",
        "member",
        "organization",
        "collective",
        "not_rated_reason",
        "transferred_from",
        "previous_cell_comments_required",
        "decided_at",
        "decided_by",
        "override_at",
        "override_by",
        "version",
        "updated_at",
    )
    fieldsets = (
        (
            _("Đối tượng"),
            {
                "fields": (
                    "cycle",
                    "pool",
                    "subject_kind",
                    "member",
                    "organization",
                    "collective",
                    "not_rated_reason",
                )
            },
        ),
        (
            _("Xếp loại"),
            {
                "fields": (
                    "self_level",
                    "proposal_level",
                    ("votes_for", "votes_against"),
                    "decision_level",
                    "decided_at",
                    "decided_by",
                )
            },
        ),
        (
            _("Căn cứ xếp loại"),
            {
                "fields": (
                    "civil_service_level",
                    "targets_under_half",
                    "degradation_concluded",
                    "collective_disciplined",
                )
            },
        ),
        (
            _("Điều chỉnh ngoài quy định"),
            {"fields": ("override_reason", "override_reference", "override_by", "override_at")},
        ),
        (
            _("Chuyển sinh hoạt, sinh hoạt tạm thời"),
            {
                "fields": (
                    "transferred_from",
                    "previous_cell_comments_required",
                    "previous_cell_comments",
                    "host_cell_comments",
                )
            },
        ),
        (_("Khác"), {"fields": ("note", "version", "updated_at")}),
    )
    inlines = (RatingChangeInline,)
    service_error_fields = {
        "rule_violation": "decision_level",
        "votes_exceed_members": "votes_for",
        "override_needs_user": "override_reason",
        "pool_finalized": "decision_level",
        "override_incomplete": "override_reference",
    }

    def has_add_permission(self, request):
        # Ratings are created when a cycle opens (reviews.services.cycle_prepare).
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("đối tượng được xếp loại"))
    def subject_display(self, obj: Rating) -> str:
        return str(obj.subject)

    @admin.display(description=_("cấp quyết định"), ordering="pool__owner__path")
    def pool_owner(self, obj: Rating) -> str:
        return str(obj.pool.owner)

    @admin.display(description=_("điều chỉnh ngoài quy định"), boolean=True)
    def has_override(self, obj: Rating) -> bool:
        return obj.has_override

    def write(self, request, obj, form, change):
        changes = {
            field: form.cleaned_data[field] for field in RATING_FIELDS if field in form.changed_data
        }
        ratings_record(
            cycle=ReviewCycle.objects.get(pk=obj.cycle_id),
            changes={obj.pk: changes},
            acting_user=request.user,
            reason=ADMIN_CHANGE_REASON,
        )
        return Rating.objects.get(pk=obj.pk)


@admin.register(RatingChange)
class RatingChangeAdmin(ReadOnlyAdminMixin, VietnameseSearchMixin, admin.ModelAdmin):
    list_display = (
        "changed_at",
        "rating",
        "field_label",
        "old_value",
        "new_value",
        "reason",
        "changed_by",
    )
    list_select_related = (
        "rating__cycle",
        "rating__member",
        "rating__organization",
        "rating__collective",
        "changed_by",
    )
    search_fields = (
        "rating__member__full_name",
        "rating__member__card_number",
        "rating__organization__name",
        "rating__collective__name",
    )
    list_filter = ("rating__cycle", "field")
    date_hierarchy = "changed_at"

    @admin.display(description=_("nội dung"))
    def field_label(self, obj: RatingChange) -> str:
        return rating_field_label(obj.field)


# --- Submissions ---------------------------------------------------------------------------------


#: What the admin shows of a dossier item: the file itself is private, served only by the
#: views that check permissions, so it is never linked from here.
DOSSIER_ITEM_FIELDS = (
    "kind",
    "title",
    "original_name",
    "content_type",
    "size",
    "sha256",
    "uploaded_at",
    "uploaded_by",
    "removed_at",
    "removed_by",
)


class SubmissionTransitionInline(ReadOnlyInline):
    model = SubmissionTransition
    fields = ("changed_at", "from_state", "to_state", "changed_by", "reason")
    readonly_fields = fields
    verbose_name_plural = _("Lịch sử gửi, duyệt")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("changed_by")


class DossierItemInline(ReadOnlyInline):
    model = DossierItem
    fields = ("kind", "title", "original_name", "size", "uploaded_at", "uploaded_by", "removed_at")
    readonly_fields = fields
    verbose_name_plural = _("Hồ sơ")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("uploaded_by")


@admin.register(Submission)
class SubmissionAdmin(ReadOnlyAdminMixin, VietnameseSearchMixin, admin.ModelAdmin):
    """Read-only: a submission moves on the screens (reviews.services.submission_change_state)."""

    list_display = ("organization", "cycle", "state", "submitted_at", "is_late", "approved_at")
    list_filter = ("cycle", "state", "is_late")
    list_select_related = ("cycle", "organization")
    search_fields = ("organization__name", "organization__code")
    inlines = (DossierItemInline, SubmissionTransitionInline)


@admin.register(SubmissionTransition)
class SubmissionTransitionAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("changed_at", "submission", "from_state", "to_state", "changed_by", "reason")
    list_filter = ("to_state",)
    list_select_related = ("submission__organization", "changed_by")


@admin.register(DossierItem)
class DossierItemAdmin(ReadOnlyAdminMixin, VietnameseSearchMixin, admin.ModelAdmin):
    """Read-only: items are attached and removed on the submission screen (dossier_item_add)."""

    list_display = ("__str__", "kind", "submission", "size", "uploaded_at", "removed_at")
    list_filter = ("kind", ("removed_at", admin.EmptyFieldListFilter))
    list_select_related = ("submission__organization",)
    search_fields = ("title", "original_name", "submission__organization__name")
    fields = ("submission", *DOSSIER_ITEM_FIELDS)


# --- Notifications -------------------------------------------------------------------------------


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdminMixin, VietnameseSearchMixin, admin.ModelAdmin):
    list_display = ("created_at", "user", "message", "read_at")
    list_filter = (("read_at", admin.EmptyFieldListFilter),)
    list_select_related = ("user",)
    search_fields = ("user__username", "message")
    date_hierarchy = "created_at"


# --- In-depth review suggestions -----------------------------------------------------------------


class SuggestionIssueInline(ReadOnlyInline):
    model = SuggestionIssue
    fields = ("order", "text", "state", "explanation", "cause", "responsibility", "review_comment")
    readonly_fields = fields
    verbose_name_plural = _("Các vấn đề và giải trình")


class SuggestionEventInline(ReadOnlyInline):
    model = SuggestionEvent
    fields = ("changed_at", "action", "issue", "changed_by", "comment")
    readonly_fields = fields
    verbose_name_plural = _("Lịch sử")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("changed_by", "issue")


@admin.register(Suggestion)
class SuggestionAdmin(ReadOnlyAdminMixin, VietnameseSearchMixin, admin.ModelAdmin):
    """Read-only: suggestions are drafted, issued and answered on their screens."""

    list_display = ("title", "target", "addressed_to", "managing_level", "state", "document_number")
    list_filter = ("cycle", "state", "managing_level")
    list_select_related = ("collective", "member", "addressed_to")
    search_fields = ("title", "document_number", "member__full_name", "collective__name")
    inlines = (SuggestionIssueInline, SuggestionEventInline)


@admin.register(SuggestionEvent)
class SuggestionEventAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("changed_at", "suggestion", "action", "issue", "changed_by")
    list_filter = ("action",)
    list_select_related = ("suggestion", "issue", "changed_by")


# --- Guidance and questions ----------------------------------------------------------------------


@admin.register(GuidingDocument)
class GuidingDocumentAdmin(ReadOnlyAdminMixin, VietnameseSearchMixin, admin.ModelAdmin):
    """Read-only: documents are published on the cycle's page (guiding_document_publish)."""

    list_display = ("title", "number", "issued_on", "cycle", "published_at", "withdrawn_at")
    list_filter = ("cycle",)
    search_fields = ("title", "number")
    exclude = ("file",)


class QuestionMessageInline(ReadOnlyInline):
    model = QuestionMessage
    fields = ("changed_at", "kind", "changed_by", "text")
    readonly_fields = fields
    verbose_name_plural = _("Trao đổi")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("changed_by")


@admin.register(Question)
class QuestionAdmin(ReadOnlyAdminMixin, VietnameseSearchMixin, admin.ModelAdmin):
    """Read-only: questions are asked and answered on their screens (question_ask, question_act)."""

    list_display = ("title", "unit", "state", "is_shared", "asked_at", "first_answered_at")
    list_filter = ("cycle", "state", "is_shared")
    list_select_related = ("unit",)
    search_fields = ("title", "unit__name")
    inlines = (QuestionMessageInline,)


@admin.register(QuestionMessage)
class QuestionMessageAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("changed_at", "question", "kind", "changed_by")
    list_filter = ("kind",)
    list_select_related = ("question", "changed_by")


# --- The task register ---------------------------------------------------------------------------


@admin.register(TaskItemChange)
class TaskItemChangeAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Read-only: tasks change only through their services (`reviews.services.tasks`)."""

    list_display = (
        "changed_at",
        "task",
        "field_label",
        "old_value",
        "new_value",
        "reason",
        "changed_by",
    )
    list_select_related = ("task", "changed_by")
    list_filter = ("task__rating__cycle", "field")
    search_fields = ("task__title",)
    date_hierarchy = "changed_at"

    @admin.display(description=_("nội dung"))
    def field_label(self, obj: TaskItemChange) -> str:
        return obj.field_label
