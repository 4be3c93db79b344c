"""Writes to the party hierarchy. Kinds are checked and every change is kept in history."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from organizations.models import (
    ROOT_KINDS,
    Organization,
    OrganizationChange,
    OrganizationKind,
    Role,
    RoleAssignment,
)

EDITABLE_FIELDS = (
    "name",
    "code",
    "grassroots_type",
    "founded_on",
    "dissolved_on",
    "address",
    "phone",
    "email",
)


def _snapshot(organization: Organization, fields) -> dict[str, Any]:
    values = {}
    for field in fields:
        value = getattr(organization, field)
        values[field] = value.isoformat() if isinstance(value, datetime.date) else value
    return values


def _check_placement(*, kind: str, parent: Organization | None) -> None:
    if parent is None:
        if kind not in ROOT_KINDS:
            raise ValidationError(
                _("Chỉ Đảng bộ Khối mới là cấp cao nhất; hãy chọn tổ chức cấp trên."),
                code="parent_required",
            )
        return
    if not parent.may_hold(kind):
        raise ValidationError(
            _("%(parent_kind)s không thể có %(kind)s trực thuộc.")
            % {
                "parent_kind": parent.get_kind_display(),
                "kind": OrganizationKind(kind).label,
            },
            code="kind_not_allowed",
        )


@transaction.atomic
def organization_create(
    *,
    parent: Organization | None,
    kind: str,
    name: str,
    code: str,
    acting_user: User | None = None,
    **fields: Any,
) -> Organization:
    """Add a node under `parent` (or a root bloc); allowed parent/child kinds are enforced."""
    _check_placement(kind=kind, parent=parent)
    organization = Organization(kind=kind, name=" ".join(name.split()), code=code.strip(), **fields)
    organization.full_clean(exclude=["path", "depth", "numchild"])
    if parent is None:
        organization = Organization.objects.add_root(instance=organization)
    else:
        organization = Organization.objects.add_child(parent, instance=organization)
    OrganizationChange.objects.create(
        organization=organization,
        kind=OrganizationChange.Kind.CREATED,
        changed_by=acting_user,
        new_values=_snapshot(organization, ("kind", *EDITABLE_FIELDS)),
    )
    return organization


@transaction.atomic
def organization_update(
    *, organization: Organization, acting_user: User | None = None, **changes: Any
) -> Organization:
    """Edit a node's registry fields; a rename is recorded as such, with the old name."""
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"not editable here: {sorted(unknown)}")
    organization = Organization.objects.select_for_update().get(pk=organization.pk)
    changed = [field for field, value in changes.items() if getattr(organization, field) != value]
    if not changed:
        return organization
    old = _snapshot(organization, changed)
    for field in changed:
        setattr(organization, field, changes[field])
    organization.full_clean(exclude=["path", "depth", "numchild"])
    organization.save(update_fields=changed)
    if "dissolved_on" in changed and organization.dissolved_on:
        kind = OrganizationChange.Kind.DISSOLVED
    elif "name" in changed:
        kind = OrganizationChange.Kind.RENAMED
    else:
        kind = OrganizationChange.Kind.UPDATED
    OrganizationChange.objects.create(
        organization=organization,
        kind=kind,
        changed_by=acting_user,
        old_values=old,
        new_values=_snapshot(organization, changed),
    )
    return organization


@transaction.atomic
def organization_move(
    *,
    organization: Organization,
    new_parent: Organization,
    acting_user: User | None = None,
    note: str = "",
) -> Organization:
    """Move a node (with its subtree) under another parent whose kind may hold it."""
    organization = Organization.objects.get(pk=organization.pk)
    new_parent = Organization.objects.get(pk=new_parent.pk)
    if new_parent.path.startswith(organization.path):
        raise ValidationError(
            _("Không thể chuyển một tổ chức vào chính nó hoặc tổ chức trực thuộc nó."),
            code="move_into_own_subtree",
        )
    _check_placement(kind=organization.kind, parent=new_parent)
    old_parent = Organization.objects.get_parent(organization)
    if old_parent and old_parent.pk == new_parent.pk:
        return organization
    Organization.objects.move(organization, new_parent, pos="last-child")
    organization.refresh_from_db()
    OrganizationChange.objects.create(
        organization=organization,
        kind=OrganizationChange.Kind.MOVED,
        changed_by=acting_user,
        old_values={
            "parent": old_parent.code if old_parent else None,
            "parent_name": old_parent.name if old_parent else None,
        },
        new_values={"parent": new_parent.code, "parent_name": new_parent.name},
        note=note,
    )
    return organization


def role_assign(*, user: User, organization: Organization, role: str) -> RoleAssignment:
    """Give `user` a role over `organization`'s subtree (checked against the node's kind)."""
    assignment, _created = RoleAssignment.objects.get_or_create(
        user=user, organization=organization, role=Role(role), defaults={"is_active": True}
    )
    assignment.full_clean()
    if not assignment.is_active:
        assignment.is_active = True
        assignment.save(update_fields=["is_active"])
    return assignment
