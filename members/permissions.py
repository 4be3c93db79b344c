"""Which members a user may see: those whose cell lies in a subtree he holds a role on."""

from django.db.models import QuerySet

from members.models import Member
from organizations.models import under_any
from organizations.permissions import active_assignments


def visible_members(user) -> QuerySet[Member]:
    if getattr(user, "is_superuser", False) and user.is_active:
        return Member.objects.all()
    paths = [assignment.organization.path for assignment in active_assignments(user)]
    return Member.objects.filter(under_any(paths, "organization__path"))
