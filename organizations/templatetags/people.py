from django import template

register = template.Library()


def person_name(user) -> str:
    """A user's name the Vietnamese way: family and middle names, then the given name.

    Django's `get_full_name` puts the first (given) name first, which reads wrong in Vietnamese.
    """
    if user is None:
        return "—"
    name = f"{user.last_name} {user.first_name}".strip()
    return name or user.get_username()


register.filter("person", person_name)
