from organizations.permissions import active_assignments


def user_scope(request):
    """The user's role assignments, for the navigation bar (one query, cached per request)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    if not hasattr(request, "_role_assignments"):
        request._role_assignments = list(active_assignments(user))
    return {"role_assignments": request._role_assignments}
