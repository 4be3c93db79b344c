"""Which members a user may see: those whose cell lies in a subtree he holds a role on."""

from django.db.models import Q, QuerySet

from members.models import Member
from organizations.permissions import active_assignments


def visible_members(user) -> QuerySet[Member]:
    if getattr(user, "is_superuser", False) and user.is_active:
        return Member.objects.all()
    condition = Q(pk__in=[])
    for assignment in active_assignments(user):
        condition |= Q(organization__path__startswith=assignment.organization.path)
    return Member.objects.filter(condition)
