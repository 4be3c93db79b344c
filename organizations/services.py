"""Writes to the party hierarchy. Kinds are checked and every change is kept in history."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
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
from organizations.signals import organization_moving

EDITABLE_FIELDS = (
    "name",
    "code",
    "grassroots_type",
    "founded_on",
    "dissolved_on",
    "special_deadline",
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


def _validate(organization: Organization) -> None:
    """Field and one-row checks in Python, no query: `Organization.clean` checks what the
    table's CheckConstraints hold (Django would run one query per constraint: 3 s of the
    demo's 1,200 writes), and the database still enforces them. The tree's own columns are
    treebeard's."""
    organization.full_clean(exclude=["path", "depth", "numchild"], validate_constraints=False)


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
    _validate(organization)
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
    _validate(organization)
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
    """Move a node (with its subtree) under another parent whose kind may hold it. Refused by
    `reviews` when the subtree has ratings: a reorganization of a unit with a history is a
    succession (`organization_succeed`), so past cycles keep their tree."""
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
    organization_moving.send(Organization, organization=organization, new_parent=new_parent)
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


@transaction.atomic
def organization_succeed(
    *,
    organization: Organization,
    successor: Organization,
    on: datetime.date,
    acting_user: User | None = None,
    note: str = "",
) -> Organization:
    """A reorganization (sáp nhập, hợp nhất, đổi tên, chuyển trực thuộc): the node and what lies
    below it end on `on`, and `successor` carries on its work. Nothing of the old subtree moves
    or is renamed, so a past cycle's lists and reports still show the tree it ran on (DOMAIN.md
    §15); its members are moved by `members.services.members_reassign`.

    Raises ValidationError: succeed_into_own_subtree, already_dissolved.
    """
    organization = Organization.objects.select_for_update().get(pk=organization.pk)
    successor = Organization.objects.get(pk=successor.pk)
    if successor.path.startswith(organization.path):
        raise ValidationError(
            _("Tổ chức tiếp nhận không thể là chính nó hoặc tổ chức trực thuộc nó."),
            code="succeed_into_own_subtree",
        )
    if organization.dissolved_on and organization.dissolved_on < on:
        raise ValidationError(
            _("%(name)s đã giải thể từ %(day)s.")
            % {"name": organization.name, "day": organization.dissolved_on.strftime("%d/%m/%Y")},
            code="already_dissolved",
        )
    organization.dissolved_on = on
    organization.succeeded_by = successor
    _validate(organization)
    organization.save(update_fields=["dissolved_on", "succeeded_by"])
    OrganizationChange.objects.create(
        organization=organization,
        kind=OrganizationChange.Kind.SUCCEEDED,
        changed_by=acting_user,
        new_values={
            "dissolved_on": on.strftime("%d/%m/%Y"),
            "successor": successor.code,
            "successor_name": successor.name,
        },
        note=note,
    )
    OrganizationChange.objects.create(
        organization=successor,
        kind=OrganizationChange.Kind.TOOK_OVER,
        changed_by=acting_user,
        new_values={"predecessor": organization.code, "predecessor_name": organization.name},
        note=note,
    )
    below = list(
        Organization.objects.filter(
            path__startswith=organization.path, depth__gt=organization.depth
        ).filter(dissolved_on__isnull=True)
    )
    for node in below:
        node.dissolved_on = on
    Organization.objects.bulk_update(below, ["dissolved_on"])
    OrganizationChange.objects.bulk_create(
        OrganizationChange(
            organization=node,
            kind=OrganizationChange.Kind.DISSOLVED,
            changed_by=acting_user,
            new_values={"dissolved_on": on.strftime("%d/%m/%Y")},
            note=_("Theo sắp xếp %(name)s") % {"name": organization.name},
        )
        for node in below
    )
    return organization


def refuse_unknown_fields(fields: Iterable[str], allowed: Iterable[str]) -> None:
    """The check every update service makes first: only the fields it knows may change.

    Raises ValidationError(code="unknown_field") naming the others.
    """
    unknown = set(fields) - set(allowed)
    if unknown:
        raise ValidationError(
            _("Không thể thay đổi: %(fields)s.") % {"fields": ", ".join(sorted(unknown))},
            code="unknown_field",
        )


#: What a role assignment holds.
ROLE_ASSIGNMENT_FIELDS = ("user", "organization", "role", "is_active")


def _role_values(assignment: RoleAssignment) -> dict[str, Any]:
    return {
        "user": assignment.user.username,
        "organization": str(assignment.organization),
        "role": str(Role(assignment.role).label),
        "is_active": assignment.is_active,
    }


def _role_history(
    assignment: RoleAssignment,
    *,
    old: dict[str, Any],
    acting_user: User | None,
) -> None:
    """Who gave or changed a user's role, when, from what to what, on the node it covers."""
    new = _role_values(assignment)
    if new == old:
        return
    OrganizationChange.objects.create(
        organization=assignment.organization,
        kind=OrganizationChange.Kind.ROLES,
        changed_by=acting_user,
        old_values={k: v for k, v in old.items() if new.get(k) != v},
        new_values={k: v for k, v in new.items() if old.get(k) != v},
        note=assignment.user.username,
    )


@transaction.atomic
def role_assign(
    *,
    user: User,
    organization: Organization,
    role: str,
    acting_user: User | None = None,
    is_active: bool = True,
) -> RoleAssignment:
    """Give `user` a role over `organization`'s subtree (checked against the node's kind), or
    bring back one he held; recorded in the node's history."""
    assignment = (
        RoleAssignment.objects.select_for_update()
        .filter(user=user, organization=organization, role=Role(role))
        .first()
    )
    old = _role_values(assignment) if assignment else {}
    if assignment is None:
        assignment = RoleAssignment(user=user, organization=organization, role=Role(role))
    assignment.is_active = is_active
    assignment.full_clean()
    assignment.save()
    _role_history(assignment, old=old, acting_user=acting_user)
    return assignment


@transaction.atomic
def role_assignment_update(
    *, assignment: RoleAssignment, acting_user: User | None, **fields: Any
) -> RoleAssignment:
    """Correct an assignment (ROLE_ASSIGNMENT_FIELDS: its user, node, role, or withdraw it with
    is_active=False); recorded in the node's history."""
    refuse_unknown_fields(fields, ROLE_ASSIGNMENT_FIELDS)
    assignment = (
        RoleAssignment.objects.select_for_update()
        .select_related("user", "organization")
        .get(pk=assignment.pk)
    )
    old = _role_values(assignment)
    for name, value in fields.items():
        setattr(assignment, name, value)
    assignment.full_clean()
    assignment.save()
    _role_history(assignment, old=old, acting_user=acting_user)
    return assignment
