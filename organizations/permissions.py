"""Access scoped to the tree: a role held on a node covers its subtree (STYLE.md "Permissions")."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet

from organizations.models import Organization, RoleAssignment


def active_assignments(user) -> QuerySet[RoleAssignment]:
    if isinstance(user, AnonymousUser) or not user.is_authenticated:
        return RoleAssignment.objects.none()
    return (
        RoleAssignment.objects.active()
        .filter(user=user, organization__dissolved_on__isnull=True)
        .select_related("organization")
        .order_by("organization__path", "role")
    )


def assignments_on(user, day) -> QuerySet[RoleAssignment]:
    """The user's roles on nodes that existed on `day`: a role on a unit since dissolved (after
    the 2025 reorganization) still covers, for a past cycle, the tree that cycle ran on."""
    if isinstance(user, AnonymousUser) or not user.is_authenticated:
        return RoleAssignment.objects.none()
    return (
        RoleAssignment.objects.active()
        .filter(user=user)
        .filter(Q(organization__dissolved_on__isnull=True) | Q(organization__dissolved_on__gt=day))
        .select_related("organization")
        .order_by("organization__path", "role")
    )


def visible_organizations(user, *, roles: set[str] | None = None) -> QuerySet[Organization]:
    """Every node the user may see: the subtrees of the nodes he holds a role on.

    A superuser sees the whole hierarchy. `roles` narrows to the subtrees of those roles.
    """
    if getattr(user, "is_superuser", False) and user.is_active:
        return Organization.objects.all()
    assignments = active_assignments(user)
    if roles is not None:
        assignments = assignments.filter(role__in=roles)
    return Organization.objects.subtree_of_any([a.organization for a in assignments])
