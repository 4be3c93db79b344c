from organizations.models import ROOT_KINDS, Role
from organizations.permissions import active_assignments

#: Roles that follow the whole bloc on the dashboard.
BLOC_WATCHING_ROLES = {
    Role.ORGANIZATION_BOARD,
    Role.INSPECTION_COMMITTEE,
    Role.OFFICE,
    Role.VIEWER,
}


def user_scope(request):
    """The user's role assignments, for the navigation bar."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    if not hasattr(request, "_role_assignments"):
        request._role_assignments = list(active_assignments(user))
    assignments = request._role_assignments
    return {
        "role_assignments": assignments,
        "nav_dashboard": user.is_superuser
        or any(
            a.role in BLOC_WATCHING_ROLES and a.organization.kind in ROOT_KINDS for a in assignments
        ),
    }
