"""What a report covers: the bloc (the cycle's organization) or one grassroots unit of it."""

from __future__ import annotations

from django.db.models import Q

from organizations.models import Organization
from reviews.models import ReviewCycle


def is_bloc(cycle: ReviewCycle, node: Organization) -> bool:
    return node.pk == cycle.organization_id


def is_report_node(cycle: ReviewCycle, node: Organization) -> bool:
    """Reports exist for the bloc and for each grassroots unit under it."""
    if is_bloc(cycle, node):
        return True
    return node.is_grassroots and node.path.startswith(cycle.organization.path)


def check_report_node(cycle: ReviewCycle, node: Organization) -> None:
    if not is_report_node(cycle, node):
        raise ValueError(f"{node.code} is neither the bloc nor a grassroots unit of it")


def subjects_under(cycle: ReviewCycle, node: Organization) -> Q:
    """Ratings whose subject sat in the node's subtree in the cycle (`Rating.unit`: a member by
    his cell, a collective by the unit it leads, an organization by itself), whatever moved
    since. Every rating of the cycle lies under the bloc.
    """
    if is_bloc(cycle, node):
        return Q()
    return Q(unit__path__startswith=node.path)
