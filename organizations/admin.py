"""Admin for the party hierarchy and roles, and the pieces the other apps' admins share.

The admin is thin (STYLE.md): every write goes through the app's services. A form validates by
running the very service call the save will make inside a savepoint that is always rolled back,
so whatever the service refuses shows on the form instead of ending in a server error.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models, transaction
from django.http import HttpResponse, HttpResponseNotAllowed
from django.urls import reverse
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from treebeard.admin import TreeAdmin

from organizations.models import (
    ALLOWED_CHILD_KINDS,
    Organization,
    OrganizationChange,
    RoleAssignment,
)
from organizations.services import (
    EDITABLE_FIELDS,
    ROLE_ASSIGNMENT_FIELDS,
    organization_create,
    organization_move,
    organization_update,
    role_assign,
    role_assignment_update,
)

User = get_user_model()


# --- Shared by the admins of every app -------------------------------------------------------


class _DryRunDone(Exception):
    """Raised at the end of a dry run to roll its savepoint back."""


def dry_run(call: Callable[[], Any]) -> None:
    """Run `call` inside a savepoint that is always rolled back; its ValidationError escapes."""
    try:
        with transaction.atomic():
            call()
            raise _DryRunDone
    except _DryRunDone:
        pass


def add_service_error(
    form: forms.BaseForm, error: ValidationError, field_by_code: dict[str, str] | None = None
) -> None:
    """Put a service's ValidationError on the form: on its field when the form has that field."""
    field_by_code = field_by_code or {}
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            target = field if field in form.fields and field != NON_FIELD_ERRORS else None
            form.add_error(target, errors)
        return
    for item in error.error_list:
        target = field_by_code.get(item.code or "")
        form.add_error(target if target in form.fields else None, item)


def adopt(obj: models.Model, written: models.Model) -> None:
    """Copy a row written by a service onto the admin's instance (logging, redirects use it)."""
    for field in obj._meta.concrete_fields:
        setattr(obj, field.attname, getattr(written, field.attname))
    obj._state.adding = False
    obj._state.db = written._state.db


class ServiceWriteMixin:
    """A ModelAdmin whose saves go through `write()`, which calls the app's services.

    The form runs `write()` once as a dry run when everything else is valid, so the service's
    ValidationError shows on the form; `save_model` then runs it for real. `service_error_fields`
    maps a service error code to the form field it belongs to.
    """

    service_error_fields: dict[str, str] = {}

    def write(self, request, obj, form, change: bool) -> models.Model:
        raise NotImplementedError

    def get_form(self, request, obj=None, change=False, **kwargs):
        form_class = super().get_form(request, obj, change=change, **kwargs)
        model_admin = self

        class ServiceForm(form_class):
            def _post_clean(self):
                super()._post_clean()
                if self._errors:
                    return
                try:
                    dry_run(lambda: model_admin.write(request, self.instance, self, change))
                except ValidationError as error:
                    add_service_error(self, error, model_admin.service_error_fields)

        ServiceForm.__name__ = form_class.__name__
        return ServiceForm

    def save_model(self, request, obj, form, change):
        adopt(obj, self.write(request, obj, form, change))


class VietnameseSearchMixin:
    """Search in NFC, the form names are stored in, so a term typed in NFD still matches."""

    def get_search_results(self, request, queryset, search_term):
        return super().get_search_results(
            request, queryset, unicodedata.normalize("NFC", search_term)
        )


class ReadOnlyAdminMixin:
    """History and transition records: browsed by auditors, written only by the services."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyInline(ReadOnlyAdminMixin, admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = False


# --- Organizations ------------------------------------------------------------------------------


class ParentChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Organization) -> str:
        return f"{'— ' * (obj.depth - 1)}{obj.name} ({obj.get_kind_display()})"


class OrganizationAdminForm(forms.ModelForm):
    """Registry fields plus the direct superior; a change of superior is a move."""

    parent = ParentChoiceField(
        queryset=Organization.objects.none(),
        required=False,
        label=_("Cấp trên trực tiếp"),
        help_text=_("Để trống chỉ với Đảng bộ Khối (cấp cao nhất)."),
    )

    class Meta:
        model = Organization
        fields = ("kind", *EDITABLE_FIELDS)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        candidates = Organization.objects.filter(kind__in=list(ALLOWED_CHILD_KINDS))
        if self.instance.pk:
            candidates = candidates.exclude(path__startswith=self.instance.path)
            parent = Organization.objects.get_parent(self.instance)
            self.fields["parent"].initial = parent
            # Only a root may stay without a superior; a move needs a new parent.
            self.fields["parent"].required = parent is not None
        self.fields["parent"].queryset = candidates


class OrganizationChangeInline(ReadOnlyInline):
    model = OrganizationChange
    fields = ("changed_at", "kind", "changed_by", "old_values", "new_values", "note")
    readonly_fields = fields
    verbose_name_plural = _("Lịch sử thay đổi")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("changed_by")


class RoleAssignmentInline(admin.TabularInline):
    model = RoleAssignment
    extra = 0
    can_delete = False
    fields = ("user", "role", "is_active")
    autocomplete_fields = ("user",)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("user", "organization")


class _MoveForm(forms.Form):
    node = forms.ModelChoiceField(queryset=Organization.objects.all())
    target = forms.ModelChoiceField(queryset=Organization.objects.all())
    relation = forms.ChoiceField(choices=(("child", "child"), ("sibling", "sibling")))


@admin.register(Organization)
class OrganizationAdmin(ServiceWriteMixin, VietnameseSearchMixin, TreeAdmin):
    form = OrganizationAdminForm
    list_display = ("name", "code", "kind", "grassroots_type", "founded_on", "dissolved_on")
    list_filter = ("kind", "grassroots_type")
    search_fields = ("name", "code")
    fields = (
        "parent",
        "kind",
        "name",
        "code",
        "grassroots_type",
        "founded_on",
        "dissolved_on",
        "address",
        "phone",
        "email",
    )
    inlines = (RoleAssignmentInline, OrganizationChangeInline)
    service_error_fields = {
        "parent_required": "parent",
        "kind_not_allowed": "parent",
        "move_into_own_subtree": "parent",
    }

    def save_formset(self, request, form, formset, change):
        if formset.model is RoleAssignment:
            save_role_formset(request, formset)
        else:
            super().save_formset(request, form, formset, change)

    def get_inlines(self, request, obj):
        # A new node has no history yet, and a role is checked against a node that exists.
        return self.inlines if obj is not None else ()

    def get_readonly_fields(self, request, obj=None):
        # The kind is fixed at creation: the services have no way to change it.
        return ("kind",) if obj is not None else ()

    def write(self, request, obj, form, change):
        data = form.cleaned_data
        fields = {field: data[field] for field in EDITABLE_FIELDS if field in data}
        if not change:
            parent = data.get("parent")
            return organization_create(
                # A fresh copy: treebeard updates the parent it is given in memory.
                parent=Organization.objects.get(pk=parent.pk) if parent else None,
                kind=data["kind"],
                acting_user=request.user,
                **fields,
            )
        organization = organization_update(organization=obj, acting_user=request.user, **fields)
        if "parent" in form.changed_data and data.get("parent") is not None:
            organization = organization_move(
                organization=organization, new_parent=data["parent"], acting_user=request.user
            )
        return organization

    def get_deleted_objects(self, objs, request):
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        # A node's own history goes with it (the admin log keeps the deletion).
        perms_needed.discard(OrganizationChange._meta.verbose_name)
        # Treebeard would delete the whole subtree: subordinate organizations protect a node.
        for node in objs:
            if node.numchild:
                protected.extend(
                    format_html(
                        "{}: <a href='{}'>{}</a>",
                        capfirst(gettext("tổ chức trực thuộc")),
                        reverse("admin:organizations_organization_change", args=[child.pk]),
                        child,
                    )
                    for child in Organization.objects.get_children(node)
                )
        return deleted, counts, perms_needed, protected

    def move_node(self, request):
        """Drag and drop in the tree: the move goes through `organization_move`.

        "child" puts the node under the target; "sibling" under the target's parent. The order
        among siblings is not kept (nodes are listed in the order they were placed).
        """
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        form = _MoveForm(request.POST)
        if not form.is_valid():
            return self._move_refused(request, gettext("Dữ liệu chuyển tổ chức không hợp lệ."))
        node = form.cleaned_data["node"]
        target = form.cleaned_data["target"]
        if not self.has_change_permission(request, node):
            return self._move_refused(
                request, gettext("Bạn không có quyền thực hiện thao tác này."), status=403
            )
        new_parent = (
            target
            if form.cleaned_data["relation"] == "child"
            else Organization.objects.get_parent(target)
        )
        if new_parent is None:
            return self._move_refused(
                request,
                gettext("Không thể đưa %(node)s lên cấp cao nhất: chỉ Đảng bộ Khối ở cấp đó.")
                % {"node": node},
            )
        old_parent = Organization.objects.get_parent(node)
        if old_parent is not None and old_parent.pk == new_parent.pk:
            messages.info(
                request,
                gettext("%(node)s vẫn trực thuộc %(parent)s; không có gì thay đổi.")
                % {"node": node, "parent": new_parent},
            )
            return HttpResponse("OK")
        try:
            organization_move(organization=node, new_parent=new_parent, acting_user=request.user)
        except ValidationError as error:
            return self._move_refused(request, " ".join(error.messages))
        messages.success(
            request,
            gettext("Đã chuyển %(node)s về trực thuộc %(parent)s.")
            % {"node": node, "parent": new_parent},
        )
        return HttpResponse("OK")

    @staticmethod
    def _move_refused(request, message: str, status: int = 400) -> HttpResponse:
        # The tree's script reloads the page after the call, which shows this message.
        messages.error(request, message)
        return HttpResponse(message, status=status, content_type="text/plain; charset=utf-8")


@admin.register(OrganizationChange)
class OrganizationChangeAdmin(ReadOnlyAdminMixin, VietnameseSearchMixin, admin.ModelAdmin):
    list_display = ("changed_at", "organization", "kind", "changed_by", "note")
    list_filter = ("kind",)
    list_select_related = ("organization", "changed_by")
    search_fields = ("organization__name", "organization__code", "note")
    date_hierarchy = "changed_at"


# --- Roles ---------------------------------------------------------------------------------------


class RoleAssignmentForm(forms.ModelForm):
    class Meta:
        model = RoleAssignment
        fields = ("user", "organization", "role", "is_active")


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(ServiceWriteMixin, VietnameseSearchMixin, admin.ModelAdmin):
    form = RoleAssignmentForm
    list_display = ("user", "organization", "role", "is_active", "created_at")
    list_filter = ("role", "is_active")
    list_select_related = ("user", "organization")
    search_fields = ("user__username", "organization__name")
    autocomplete_fields = ("user", "organization")

    def has_delete_permission(self, request, obj=None):
        return False  # withdrawn (is_active off), so its history stays readable

    def write(self, request, obj, form, change):
        data = form.cleaned_data
        if not change:
            return role_assign(
                user=data["user"],
                organization=data["organization"],
                role=data["role"],
                is_active=data["is_active"],
                acting_user=request.user,
            )
        return role_assignment_update(
            assignment=obj,
            acting_user=request.user,
            **{field: data[field] for field in form.changed_data},
        )


def save_role_formset(request, formset) -> None:
    """Role assignments edited inline (on a node, on a user) go through the services."""
    for assignment in formset.save(commit=False):
        fields = {name: getattr(assignment, name) for name in ROLE_ASSIGNMENT_FIELDS}
        if assignment.pk is None:
            role_assign(acting_user=request.user, **fields)
        else:
            role_assignment_update(assignment=assignment, acting_user=request.user, **fields)


class UserRoleAssignmentInline(admin.TabularInline):
    model = RoleAssignment
    fk_name = "user"
    extra = 0
    can_delete = False
    fields = ("organization", "role", "is_active")
    autocomplete_fields = ("organization",)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("organization", "user")


admin.site.unregister(User)


@admin.register(User)
class KiemdiemUserAdmin(UserAdmin):
    inlines = (*UserAdmin.inlines, UserRoleAssignmentInline)

    def save_formset(self, request, form, formset, change):
        if formset.model is RoleAssignment:
            save_role_formset(request, formset)
        else:
            super().save_formset(request, form, formset, change)
