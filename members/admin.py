"""Admin for members, their periods, history, discipline and leadership collectives.

Saves go through `members.services` (see `organizations.admin.ServiceWriteMixin`).
"""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from members.models import (
    CollectiveMembership,
    DisciplineRecord,
    FactChange,
    ImportBatch,
    LeadershipCollective,
    Member,
    MembershipEvent,
    StatusPeriod,
)
from members.services import (
    COLLECTIVE_FIELDS,
    DISCIPLINE_FIELDS,
    SEAT_FIELDS,
    STATUS_PERIOD_FIELDS,
    collective_save,
    discipline_record_delete,
    discipline_record_update,
    member_create,
    member_discipline,
    member_leave,
    member_transfer,
    member_update,
    seat_delete,
    seat_save,
    status_period_delete,
    status_period_record,
)
from organizations.admin import (
    ReadOnlyAdminMixin,
    ReadOnlyInline,
    ServiceWriteMixin,
    VietnameseSearchMixin,
)
from organizations.models import Organization

#: Member fields the admin form edits.
MEMBER_FIELDS = (
    "full_name",
    "gender",
    "date_of_birth",
    "card_number",
    "organization",
    "admitted_on",
    "official_on",
    "is_civil_servant",
    "outside_political_system",
    "leadership_post",
    "managing_level",
    "left_on",
    "left_reason",
    "account",
)


class GrassrootsUnitFilter(admin.SimpleListFilter):
    """Members of one grassroots organization: all its cells, read off the materialized path."""

    title = _("tổ chức cơ sở đảng")
    parameter_name = "co_so"
    path_lookup = "organization__path__startswith"

    def lookups(self, request, model_admin):
        units = Organization.objects.grassroots().only("pk", "name", "path")
        return [(str(unit.pk), unit.name) for unit in units]

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        path = Organization.objects.filter(pk=self.value()).values_list("path", flat=True).first()
        if path is None:
            return queryset.none()
        return queryset.filter(**{self.path_lookup: path})


class MemberStatusFilter(admin.SimpleListFilter):
    title = _("tình trạng")
    parameter_name = "tinh_trang"

    def lookups(self, request, model_admin):
        return [
            ("current", _("Đang sinh hoạt")),
            ("official", _("Đảng viên chính thức")),
            ("probationary", _("Đảng viên dự bị")),
            ("left", _("Đã ra khỏi Đảng bộ")),
        ]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        probationary = Q(official_on__isnull=True) | Q(official_on__gt=today)
        match self.value():
            case "current":
                return queryset.current()
            case "official":
                return queryset.current().exclude(probationary)
            case "probationary":
                return queryset.current().filter(probationary)
            case "left":
                return queryset.filter(left_on__isnull=False)
        return queryset


class MemberAdminForm(forms.ModelForm):
    transferred_in_on = forms.DateField(
        label=_("Ngày chuyển sinh hoạt đến"),
        required=False,
        help_text=_("Chỉ nhập khi đảng viên chuyển đến từ ngoài Đảng bộ; để trống nếu kết nạp."),
    )
    transferred_from = forms.CharField(label=_("Chuyển đến từ"), required=False, max_length=255)

    class Meta:
        model = Member
        fields = MEMBER_FIELDS


class StatusPeriodInline(admin.TabularInline):
    model = StatusPeriod
    extra = 0
    fields = STATUS_PERIOD_FIELDS


class MembershipEventInline(ReadOnlyInline):
    model = MembershipEvent
    fk_name = "member"
    fields = (
        "occurred_on",
        "kind",
        "from_organization",
        "to_organization",
        "outside_party_body",
        "note",
        "changed_by",
    )
    readonly_fields = fields

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("from_organization", "to_organization", "changed_by")
        )


class DisciplineRecordInline(admin.TabularInline):
    model = DisciplineRecord
    extra = 0
    fields = DISCIPLINE_FIELDS


@admin.register(Member)
class MemberAdmin(ServiceWriteMixin, VietnameseSearchMixin, admin.ModelAdmin):
    form = MemberAdminForm
    list_display = (
        "display_name",
        "card_number",
        "organization",
        "status",
        "gender",
        "is_civil_servant",
        "leadership_post",
        "managing_level",
    )
    list_filter = (
        GrassrootsUnitFilter,
        MemberStatusFilter,
        "gender",
        "is_civil_servant",
        "managing_level",
    )
    list_select_related = ("organization",)
    search_fields = ("full_name", "card_number")
    ordering = ("sort_key", "pk")
    autocomplete_fields = ("organization", "account")
    inlines = (StatusPeriodInline, MembershipEventInline, DisciplineRecordInline)
    service_error_fields = {"member_left": "organization"}

    def get_fieldsets(self, request, obj=None):
        fieldsets = [
            (None, {"fields": ("full_name", "gender", "date_of_birth", "card_number")}),
            (_("Sinh hoạt đảng"), {"fields": ("organization", "admitted_on", "official_on")}),
            (
                _("Công tác"),
                {
                    "fields": (
                        "is_civil_servant",
                        "outside_political_system",
                        "leadership_post",
                        "managing_level",
                    )
                },
            ),
            (_("Tài khoản"), {"fields": ("account",)}),
        ]
        if obj is None:
            # Admitted here or transferred in; leaving is recorded later, on the member's page.
            fieldsets.insert(
                2,
                (
                    _("Chuyển đến từ ngoài Đảng bộ"),
                    {"fields": ("transferred_in_on", "transferred_from")},
                ),
            )
        else:
            fieldsets += [
                (_("Ra khỏi Đảng bộ"), {"fields": ("left_on", "left_reason")}),
                (_("Thông tin khác"), {"fields": ("created_at", "updated_at")}),
            ]
        return fieldsets

    def get_readonly_fields(self, request, obj=None):
        return ("created_at", "updated_at") if obj is not None else ()

    @admin.display(description=_("họ và tên"), ordering="sort_key")
    def display_name(self, obj: Member) -> str:
        return obj.full_name

    @admin.display(description=_("tình trạng"))
    def status(self, obj: Member) -> str:
        if obj.left_on:
            return _("Đã ra khỏi Đảng bộ")
        if obj.is_probationary_on(timezone.localdate()):
            return _("Dự bị")
        return _("Chính thức")

    def write(self, request, obj, form, change):
        data = form.cleaned_data
        if not change:
            return member_create(
                acting_user=request.user,
                transferred_in_on=data.get("transferred_in_on"),
                transferred_from=data.get("transferred_from", ""),
                **{field: data[field] for field in MEMBER_FIELDS if field in data},
            )
        member = Member.objects.get(pk=obj.pk)
        leaving = bool(data.get("left_on")) and member.left_on is None
        special = {"organization", *(("left_on", "left_reason") if leaving else ())}
        plain = [
            field for field in form.changed_data if field in MEMBER_FIELDS and field not in special
        ]
        if plain:
            member = member_update(
                member=member, acting_user=request.user, **{field: data[field] for field in plain}
            )
        if "organization" in form.changed_data:
            member = member_transfer(
                member=member,
                to_organization=data["organization"],
                on=timezone.localdate(),
                acting_user=request.user,
            )
        if leaving:
            member = member_leave(
                member=member,
                on=data["left_on"],
                reason=data["left_reason"],
                acting_user=request.user,
            )
        return member

    def get_deleted_objects(self, objs, request):
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        # A member entered by mistake takes his own history along (the admin log keeps it).
        perms_needed.discard(MembershipEvent._meta.verbose_name)
        return deleted, counts, perms_needed, protected

    def save_formset(self, request, form, formset, change):
        """Status periods and discipline are facts the rules read: saved through the services,
        so the open cycle's ratings follow (issue "an open cycle follows the people")."""
        if formset.model not in (DisciplineRecord, StatusPeriod):
            super().save_formset(request, form, formset, change)
            return
        records = formset.save(commit=False)
        for record in formset.deleted_objects:
            if formset.model is DisciplineRecord:
                discipline_record_delete(record=record, acting_user=request.user)
            else:
                status_period_delete(period=record, acting_user=request.user)
        for record in records:
            if formset.model is StatusPeriod:
                status_period_record(
                    member=form.instance,
                    acting_user=request.user,
                    period=record if record.pk else None,
                    **{field: getattr(record, field) for field in STATUS_PERIOD_FIELDS},
                )
            elif record.pk is None:
                member_discipline(
                    member=form.instance,
                    acting_user=request.user,
                    **{field: getattr(record, field) for field in DISCIPLINE_FIELDS},
                )
            else:
                discipline_record_update(
                    record=record,
                    acting_user=request.user,
                    **{field: getattr(record, field) for field in DISCIPLINE_FIELDS},
                )


class FactDeleteMixin:
    """Deleting a fact the rules read goes through its service, one record at a time."""

    def delete_model(self, request, obj):
        self.delete_fact(obj, request.user)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_fact(obj, request.user)


@admin.register(StatusPeriod)
class StatusPeriodAdmin(
    FactDeleteMixin, ServiceWriteMixin, VietnameseSearchMixin, admin.ModelAdmin
):
    list_display = ("member", "kind", "starts_on", "ends_on", "reference")
    list_filter = ("kind",)
    list_select_related = ("member",)
    search_fields = ("member__full_name", "member__card_number", "reference")
    autocomplete_fields = ("member",)
    fields = ("member", *STATUS_PERIOD_FIELDS)

    def write(self, request, obj, form, change):
        data = form.cleaned_data
        return status_period_record(
            member=data["member"],
            acting_user=request.user,
            period=StatusPeriod.objects.get(pk=obj.pk) if change else None,
            **{field: data[field] for field in STATUS_PERIOD_FIELDS},
        )

    def delete_fact(self, obj, user):
        status_period_delete(period=obj, acting_user=user)


@admin.register(MembershipEvent)
class MembershipEventAdmin(ReadOnlyAdminMixin, VietnameseSearchMixin, admin.ModelAdmin):
    list_display = (
        "member",
        "kind",
        "occurred_on",
        "from_organization",
        "to_organization",
        "outside_party_body",
        "changed_by",
    )
    list_filter = ("kind",)
    list_select_related = ("member", "from_organization", "to_organization", "changed_by")
    search_fields = ("member__full_name", "member__card_number")
    date_hierarchy = "occurred_on"


@admin.register(DisciplineRecord)
class DisciplineRecordAdmin(
    FactDeleteMixin, ServiceWriteMixin, VietnameseSearchMixin, admin.ModelAdmin
):
    list_display = ("member", "form", "decision_number", "decided_on", "counted_year", "issued_by")
    list_filter = ("form", "counted_year")
    list_select_related = ("member",)
    search_fields = ("member__full_name", "member__card_number", "decision_number")
    autocomplete_fields = ("member",)
    fields = ("member", *DISCIPLINE_FIELDS)

    def write(self, request, obj, form, change):
        data = form.cleaned_data
        if not change:
            return member_discipline(
                member=data["member"],
                acting_user=request.user,
                **{field: data[field] for field in DISCIPLINE_FIELDS},
            )
        return discipline_record_update(
            record=DisciplineRecord.objects.get(pk=obj.pk),
            acting_user=request.user,
            **{field: data[field] for field in form.changed_data},
        )

    def delete_fact(self, obj, user):
        discipline_record_delete(record=obj, acting_user=user)


class CollectiveMembershipInline(admin.TabularInline):
    model = CollectiveMembership
    extra = 0
    fields = SEAT_FIELDS
    autocomplete_fields = ("member",)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("member", "collective")


class FactChangeInline(ReadOnlyInline):
    model = FactChange
    fk_name = "collective"
    fields = ("changed_at", "subject", "action", "label", "old_values", "new_values", "changed_by")
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("changed_by")


@admin.register(LeadershipCollective)
class LeadershipCollectiveAdmin(ServiceWriteMixin, VietnameseSearchMixin, admin.ModelAdmin):
    """Collectives and their seats are written through `collective_save` and `seat_save`, with
    history; a collective is ended by its end date, not deleted (past ratings name it)."""

    list_display = ("name", "kind", "organization", "managing_level", "formed_on", "dissolved_on")
    list_filter = ("kind", "managing_level")
    list_select_related = ("organization",)
    search_fields = ("name", "organization__name")
    autocomplete_fields = ("organization",)
    inlines = (CollectiveMembershipInline, FactChangeInline)

    def has_delete_permission(self, request, obj=None):
        return False

    def write(self, request, obj, form, change):
        return collective_save(
            collective=obj if change else None,
            acting_user=request.user,
            **{name: form.cleaned_data[name] for name in COLLECTIVE_FIELDS},
        )

    def save_formset(self, request, form, formset, change):
        if formset.model is not CollectiveMembership:
            super().save_formset(request, form, formset, change)
            return
        seats = formset.save(commit=False)
        for seat in formset.deleted_objects:
            seat_delete(seat=seat, acting_user=request.user)
        for seat in seats:
            seat_save(
                collective=form.instance,
                seat=seat if seat.pk else None,
                acting_user=request.user,
                **{name: getattr(seat, name) for name in SEAT_FIELDS},
            )


@admin.register(CollectiveMembership)
class CollectiveMembershipAdmin(
    FactDeleteMixin, ServiceWriteMixin, VietnameseSearchMixin, admin.ModelAdmin
):
    list_display = ("member", "collective", "position", "role", "starts_on", "ends_on")
    list_filter = ("role",)
    list_select_related = ("member", "collective")
    search_fields = ("member__full_name", "collective__name", "position")
    autocomplete_fields = ("member", "collective")

    def write(self, request, obj, form, change):
        return seat_save(
            collective=form.cleaned_data["collective"],
            seat=obj if change else None,
            acting_user=request.user,
            **{name: form.cleaned_data[name] for name in SEAT_FIELDS},
        )

    def delete_fact(self, obj, user):
        seat_delete(seat=obj, acting_user=user)


@admin.register(FactChange)
class FactChangeAdmin(ReadOnlyAdminMixin, VietnameseSearchMixin, admin.ModelAdmin):
    list_display = ("changed_at", "subject", "action", "label", "member", "changed_by")
    list_filter = ("subject", "action")
    list_select_related = ("member", "changed_by")
    search_fields = ("label", "member__full_name")


@admin.register(ImportBatch)
class ImportBatchAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Read-only: every import applied (or previewed) with who, when, the file and its checksum."""

    list_display = ("kind", "file_name", "uploaded_by", "uploaded_at", "applied_at", "counts")
    list_filter = ("kind", ("applied_at", admin.EmptyFieldListFilter))
    list_select_related = ("uploaded_by",)
    search_fields = ("file_name", "sha256", "uploaded_by__username")
    exclude = ("file",)
