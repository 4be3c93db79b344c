"""Helpers of the security settings."""


def axes_username(request, credentials) -> str:
    """The user name django-axes records, cut to what the database holds.

    A login attempt may carry any text as a user name (a 6,000-character one made PostgreSQL
    refuse the lockout record and the login page answer 500); Django's own user names are at
    most 150 characters, so nothing real is lost.
    """
    name = (credentials or {}).get("username") or request.POST.get("username", "")
    return str(name)[:150]
